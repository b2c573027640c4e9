"""Showing problems to the bookkeeper: grouped lines for the terminal, and a problems workbook."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import xlsxwriter

from ..problems import ERROR, Problem
from ..texts_inbox import text

SEVERITY_ORDER = ("fataal", "geweigerd", "fout", "waarschuwing")
PEPPOL_CODES = frozenset({"ubl.invalid"})  # SPEC §9 L4: a document the Peppol rules refuse, not a bad file
WORKBOOK_COLUMNS = ("ernst", "bestand", "blad", "rij", "kolom", "cel", "waarde", "probleem", "oplossing")
WORKBOOK_WIDTHS = (13, 36, 14, 6, 18, 7, 20, 60, 50)


def severity_label(p: Problem) -> str:
    """fataal (a file cannot be used: stops the run), geweigerd (a document the Peppol rules refuse: stops
    the run too), fout (holds back a customer) or waarschuwing.

    >>> severity_label(Problem("warning", "x")), severity_label(Problem("error", "x", fatal=True))
    ('waarschuwing', 'fataal')
    >>> severity_label(Problem("error", "x", code="ubl.invalid", fatal=True))
    'geweigerd'
    """
    if p.severity == ERROR:
        if p.code in PEPPOL_CODES:
            return "geweigerd"
        return "fataal" if p.fatal else "fout"
    return "waarschuwing"


def count_line(problems: Iterable[Problem]) -> str:
    """The closing line: how many of each severity.

    >>> count_line([Problem("error", "a"), Problem("warning", "b"), Problem("warning", "c")])
    '0 fatale fouten, 1 fout, 2 waarschuwingen'
    >>> count_line([])
    'geen problemen'
    """
    counts = {label: 0 for label in SEVERITY_ORDER}
    for p in problems:
        counts[severity_label(p)] += 1
    if not any(counts.values()):
        return "geen problemen"
    f, e, w = counts["fataal"], counts["fout"], counts["waarschuwing"]
    refused = ", " + text("count.peppol", "nl", n=counts["geweigerd"]) if counts["geweigerd"] else ""
    return (f"{f} {'fatale fout' if f == 1 else 'fatale fouten'}{refused}, {e} {'fout' if e == 1 else 'fouten'}, "
            f"{w} {'waarschuwing' if w == 1 else 'waarschuwingen'}")


def _sorted(problems: Iterable[Problem]) -> list[Problem]:
    indexed = list(enumerate(problems))
    files = {}
    for _, p in indexed:
        files.setdefault(p.file, len(files))
    return [p for _, p in sorted(
        indexed, key=lambda ip: (files[ip[1].file], SEVERITY_ORDER.index(severity_label(ip[1])), ip[0]))]


SEVERITY_HEADINGS = {"fataal": "fatale fouten (het bestand kan niet gebruikt worden)",
                     "geweigerd": text("heading.peppol", "nl"),
                     "fout": "fouten (de klant wordt tegengehouden)", "waarschuwing": "waarschuwingen"}


def render_problems(problems: Iterable[Problem]) -> str:
    """Problems for the terminal: per file (in the order met), fatal first, then errors, then warnings.

    Every problem line starts with its ``file:Sheet!cell`` location, so an editor can jump there.

    >>> print(render_problems([
    ...     Problem("warning", "nieuwe klant K9", file="inbox/k.xlsx", sheet="Klanten", cell="A9"),
    ...     Problem("error", 'aankoopdatum "31/02/2026" is geen geldige datum', "Schrijf 28/02/2026.",
    ...             file="inbox/k.xlsx", sheet="Licenties", cell="C14", value="31/02/2026"),
    ... ]))
    ── inbox/k.xlsx
    fouten (de klant wordt tegengehouden): 1
    inbox/k.xlsx:Licenties!C14: aankoopdatum "31/02/2026" is geen geldige datum — Schrijf 28/02/2026.
    waarschuwingen: 1
    inbox/k.xlsx:Klanten!A9: nieuwe klant K9
    <BLANKLINE>
    0 fatale fouten, 1 fout, 1 waarschuwing
    """
    out: list[str] = []
    ordered = _sorted(problems)
    current: tuple[str, str] | None = None
    for p in ordered:
        label = severity_label(p)
        if current is None or p.file != current[0]:
            if out:
                out.append("")
            out.append(f"── {p.file or '(algemeen)'}")
            current = None
        if current is None or label != current[1]:
            n = sum(1 for q in ordered if q.file == p.file and severity_label(q) == label)
            out.append(f"{SEVERITY_HEADINGS[label]}: {n}")
        current = (p.file, label)
        out.append(p.render())
    if out:
        out.append("")
    out.append(count_line(ordered))
    return "\n".join(out)


def _check(result: int, what: str) -> None:
    if result not in (0, None):  # xlsxwriter reports errors by return code, not by raising
        raise OSError(f"problemenwerkmap: {what} mislukt (code {result})")


def write_problems_workbook(path: Path, problems: Iterable[Problem]) -> None:
    """An .xlsx with one row per problem in an Excel table (ernst … oplossing), every value text.

    Written to a temporary name beside ``path`` and renamed, so a reader never sees half a file.
    """
    path = Path(path)
    rows = [
        (severity_label(p), p.file, p.sheet, str(p.row) if p.row else "", p.column, p.cell, p.value,
         p.message, p.fix)
        for p in _sorted(problems)
    ]
    tmp = path.with_name(f".{path.name}.tmp")
    wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_numbers": False,
                                        "strings_to_urls": False})
    try:
        ws = wb.add_worksheet("Problemen")
        wrap = wb.add_format({"text_wrap": True, "valign": "top"})
        for i, width in enumerate(WORKBOOK_WIDTHS):
            _check(ws.set_column(i, i, width, wrap if i >= 7 else None), "kolombreedte")
        data = rows or [("", "", "", "", "", "", "", "geen problemen", "")]
        for r, row in enumerate(data, start=1):
            for c, value in enumerate(row):
                _check(ws.write_string(r, c, value or ""), "schrijven")
        _check(ws.add_table(0, 0, len(data), len(WORKBOOK_COLUMNS) - 1, {
            "name": "Problemen", "style": "Table Style Medium 2",
            "columns": [{"header": h} for h in WORKBOOK_COLUMNS],
        }), "tabel")
        ws.freeze_panes(1, 0)
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(0)
        wb.close()
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
