"""Problems: what is wrong with the input, where exactly, and how to fix it.

Readers collect problems instead of raising; only :class:`FatalInputError` and
:class:`BijstandError` stop a command.
"""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One problem or warning, located as precisely as it can be.

    ``fatal`` problems make a whole file unusable and stop the run before anything is
    numbered; ``error`` problems hold back the customer named in ``customer_id``; warnings
    never block.
    """

    severity: str  # ERROR or WARNING
    message: str  # what is wrong, in the user's words
    fix: str = ""  # how to fix it
    file: str = ""  # path relative to the workspace, e.g. inbox/2026-10/licenties.xlsx
    sheet: str = ""
    row: int | None = None  # 1-based spreadsheet row
    column: str = ""  # the header as written in the sheet
    cell: str = ""  # e.g. C17
    value: str = ""  # the offending value as text
    customer_id: str | None = None  # customer held back by this problem, if any
    code: str = ""  # short machine key, e.g. "date.invalid"
    fatal: bool = False

    @property
    def location(self) -> str:
        """``file:Sheet!C17`` (or as much of it as is known), for editors and humans.

        >>> Problem(ERROR, "x", file="inbox/a.xlsx", sheet="Licenties", cell="C14").location
        'inbox/a.xlsx:Licenties!C14'
        >>> Problem(ERROR, "x", file="inbox/a.xlsx", sheet="Licenties", row=3).location
        'inbox/a.xlsx:Licenties!3'
        """
        where = self.file
        if self.sheet:
            where += f":{self.sheet}"
            if self.cell:
                where += f"!{self.cell}"
            elif self.row:
                where += f"!{self.row}"
        return where

    def render(self) -> str:
        """One line for the terminal: location, message, value and fix."""
        text = f"{self.location}: " if self.location else ""
        text += self.message
        if self.value and self.value not in self.message:
            text += f' ("{self.value}")'
        if self.fix:
            text += f" — {self.fix}"
        return text

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


class BijstandError(Exception):
    """An error that stops a command; its message names the fix."""

    exit_code = 1


class UsageError(BijstandError):
    """The command was called wrongly (exit 2)."""

    exit_code = 2


class FatalInputError(BijstandError):
    """Input that cannot be used at all; the run stops before anything is numbered."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(p.render() for p in problems))

