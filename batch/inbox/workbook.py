"""Opening a workbook with calamine (values only, macros never run) and finding each sheet's
header row, so that a sheet is recognised by what it holds, not by its name.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import python_calamine

from ..schema import SheetSpec, normalize_header
from .safety import Refusal

HEADER_SCAN_ROWS = 20  # the header may sit below a few title rows
MIN_MATCHED_COLUMNS = 2  # fewer known headers than this: not a sheet we know


@dataclass
class RawSheet:
    """A sheet's cells, rows and columns at their real positions (row 0 = spreadsheet row 1)."""

    name: str
    rows: list[list]
    visible: bool = True
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)


@dataclass
class Layout:
    """Where a sheet kind's columns sit: ``columns`` maps a Column.name to (index, header as written)."""

    spec: SheetSpec
    header_row: int  # 0-based
    columns: dict[str, tuple[int, str]]
    unknown: list[str]  # headers that match no column
    missing: list[str]  # required columns not found
    repeated: list[str]  # columns found twice


def open_workbook(data: bytes) -> list[RawSheet] | Refusal:
    """Every worksheet of a workbook, or why it cannot be read."""
    try:
        wb = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except python_calamine.PasswordError:
        return Refusal("file.encrypted", "is met een wachtwoord beveiligd",
                       "Verwijder het wachtwoord en bewaar opnieuw.")
    except Exception as exc:  # calamine raises CalamineError, ZipError, XmlError, ValueError…
        return Refusal("file.unreadable", f"kan niet gelezen worden ({type(exc).__name__}: {exc})"[:300],
                       "Open het in Excel of LibreOffice en bewaar het opnieuw als .xlsx.")
    sheets: list[RawSheet] = []
    try:
        for meta in wb.sheets_metadata:
            if str(meta.typ).split(".")[-1] not in ("WorkSheet",):
                continue  # chart sheets, dialog sheets, macro sheets hold no data rows
            sheet = wb.get_sheet_by_name(meta.name)
            rows = sheet.to_python(skip_empty_area=False)
            merged = []
            try:
                for rng in sheet.merged_cell_ranges or []:
                    merged.append((tuple(rng[0]), tuple(rng[1])))
            except Exception:  # merged ranges are informative only; formats without them fail
                merged = []
            visible = str(meta.visible).split(".")[-1] == "Visible"
            sheets.append(RawSheet(meta.name, rows, visible, merged))
    except python_calamine.PasswordError:
        return Refusal("file.encrypted", "is met een wachtwoord beveiligd",
                       "Verwijder het wachtwoord en bewaar opnieuw.")
    except Exception as exc:
        return Refusal("file.unreadable", f"kan niet gelezen worden ({type(exc).__name__}: {exc})"[:300],
                       "Open het in Excel of LibreOffice en bewaar het opnieuw als .xlsx.")
    finally:
        wb.close()
    return sheets


def _keys(spec: SheetSpec) -> dict[str, str]:
    table: dict[str, str] = {}
    for col in spec.columns:
        for text in (col.name, *col.aliases):
            table.setdefault(normalize_header(text), col.name)
    return table


def match_header(cells: list, spec: SheetSpec) -> Layout:
    """How well one row reads as the header of ``spec``.

    >>> from batch.schema import LICENTIES
    >>> lay = match_header(["Klant", "Module", "Aantal", "Aankoop datum", "Opmerking"], LICENTIES)
    >>> sorted(lay.columns), lay.unknown, lay.missing
    (['aankoopdatum', 'aantal', 'module'], ['Klant', 'Opmerking'], ['klantnummer'])
    """
    keys = _keys(spec)
    columns: dict[str, tuple[int, str]] = {}
    unknown, repeated = [], []
    for i, cell in enumerate(cells):
        if cell is None or (isinstance(cell, str) and not cell.strip()):
            continue
        written = str(cell).strip()
        name = keys.get(normalize_header(written))
        if name is None:
            unknown.append(written)
        elif name in columns:
            repeated.append(written)
        else:
            columns[name] = (i, written)
    missing = [c.name for c in spec.required if c.name not in columns]
    return Layout(spec, -1, columns, unknown, missing, repeated)


def find_layout(rows: list[list], specs: tuple[SheetSpec, ...]) -> Layout | None:
    """The best header among the first rows, for the kind it matches best; None if none fits.

    Score: the number of known columns, then the share of the kind's columns present, so a
    licences sheet (klantnummer, module, …) is not taken for a customers sheet.
    """
    best: tuple[tuple[int, float], Layout] | None = None
    for r, cells in enumerate(rows[:HEADER_SCAN_ROWS]):
        for spec in specs:
            layout = match_header(cells, spec)
            found = len(layout.columns)
            if found < MIN_MATCHED_COLUMNS:
                continue
            score = (found, found / len(spec.columns))
            if best is None or score > best[0]:
                layout.header_row = r
                best = (score, layout)
    return best[1] if best else None
