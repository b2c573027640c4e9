"""Input templates: empty workbooks with drop-downs and an instructions sheet, built from
:mod:`batch.schema` (never from a second list of columns).

This module also owns the small xlsxwriter layer that the workspace and the demo use to
write input sheets: :func:`atomic_workbook` (fixed properties, temp name then rename, so the
same content always gives the same bytes) and :func:`write_sheet` (one
:class:`~batch.schema.SheetSpec` as a formatted sheet, optionally with data rows).
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Iterable, Iterator, Mapping

import xlsxwriter
from xlsxwriter.exceptions import XlsxWriterException

from .model import LANGUAGES
from .problems import BijstandError
from .schema import INBOX_SHEETS, INSTRUCTIONS_SHEET, TARIFF_SHEETS, Column, SheetSpec

TARIFFS_FILE = "tarieven.xlsx"
INSTRUCTIONS = INSTRUCTIONS_SHEET

# Drop-down of the `land` column. Other ISO codes stay allowed (the validation only warns).
COUNTRY_CODES = ("BE", "NL", "FR", "LU", "DE", "AT", "IT", "ES", "PT", "IE", "DK", "SE", "GB", "CH", "US")
YES_NO = ("ja", "nee")
TEMPLATE_ROWS = 5000  # data validation and formats reach this far below the header

# Fixed workbook properties: the same content always gives the same bytes.
FIXED_CREATED = datetime(2026, 1, 1, tzinfo=timezone.utc)
PROPERTIES = {
    "author": "bijstand",
    "company": "bijstand",
    "comments": "Gemaakt door bijstand",
    "created": FIXED_CREATED,
}
WORKBOOK_OPTIONS = {
    "in_memory": True,  # no temp files, and fixed zip timestamps (1980-01-01)
    "strings_to_formulas": False,  # text such as "=SOM(...)" stays text
    "strings_to_urls": False,
    "strings_to_numbers": False,
}

DATE_FORMAT = "dd/mm/yyyy"
DATE_MIN = date(1990, 1, 1)
DATE_MAX = date(2099, 12, 31)


# --- the xlsxwriter layer -----------------------------------------------------------------


@contextmanager
def atomic_workbook(path: Path, *, title: str = "") -> Iterator[xlsxwriter.Workbook]:
    """An xlsxwriter workbook saved to ``path`` only if the block completes.

    It is written to a temporary name beside ``path`` and renamed over it, so a crash never
    leaves half a file; xlsxwriter errors become :class:`BijstandError`.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    workbook = xlsxwriter.Workbook(str(tmp), WORKBOOK_OPTIONS)
    workbook.set_properties({**PROPERTIES, "title": title or path.stem})
    try:
        yield workbook
        workbook.close()
        os.replace(tmp, path)
    except XlsxWriterException as exc:
        raise BijstandError(f"{path}: could not be written ({exc}) — check the folder is writable") from None
    finally:
        if tmp.exists():
            tmp.unlink()


def _checked(code: int | None, ws, row: int, col: int) -> None:
    """xlsxwriter reports errors by return code (-1 out of range, -2 string too long)."""
    if code not in (0, None):
        cell = xlsxwriter.utility.xl_rowcol_to_cell(row, col)
        raise BijstandError(f"sheet {ws.name!r}, cell {cell}: xlsxwriter refused the value (code {code})")


def write_cell(ws, row: int, col: int, value: object, fmt=None) -> None:
    """Write one value with the writer method of its type; text is always text.

    Dates become real Excel dates, Decimals exact numbers (their digits are written as they
    are, never through binary float), booleans ``ja``/``nee``, None a blank cell.
    """
    if value is None or value == "":
        code = ws.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        code = ws.write_string(row, col, "ja" if value else "nee", fmt)
    elif isinstance(value, datetime):
        code = ws.write_datetime(row, col, value, fmt)
    elif isinstance(value, date):
        code = ws.write_datetime(row, col, datetime(value.year, value.month, value.day), fmt)
    elif isinstance(value, Decimal):
        code = ws.write_number(row, col, Decimal(f"{value:f}"), fmt)
    elif isinstance(value, int):
        code = ws.write_number(row, col, value, fmt)
    elif isinstance(value, str):
        code = ws.write_string(row, col, value, fmt)
    else:
        raise TypeError(f"cannot write {type(value).__name__} to a sheet")
    _checked(code, ws, row, col)


class Formats:
    """The cell formats of one workbook (xlsxwriter formats belong to a workbook)."""

    def __init__(self, workbook: xlsxwriter.Workbook):
        self.header = workbook.add_format(
            {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "top"}
        )
        self.header_required = workbook.add_format(
            {"bold": True, "bg_color": "#9BC2E6", "border": 1, "text_wrap": True, "valign": "top"}
        )
        self.title = workbook.add_format({"bold": True, "font_size": 14})
        self.text = workbook.add_format({"num_format": "@"})
        self.date = workbook.add_format({"num_format": DATE_FORMAT})
        self.decimal = workbook.add_format({"num_format": "#,##0.00"})
        self.int = workbook.add_format({"num_format": "0"})
        self.wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
        self.bold = workbook.add_format({"bold": True})

    def for_column(self, column: Column):
        return {
            "id": self.text,
            "vat": self.text,
            "peppol_id": self.text,
            "date": self.date,
            "decimal": self.decimal,
            "int": self.int,
        }.get(column.type)


def allowed_values(column: Column) -> tuple[str, ...]:
    """The values of a column's drop-down, or () when it has none.

    >>> from batch.schema import INTERVENTIES
    >>> allowed_values(INTERVENTIES.column("kanaal"))
    ('telefoon', 'internet', 'ter plaatse')
    >>> allowed_values(INTERVENTIES.column("aanpassing pakket"))
    ('ja', 'nee')
    """
    if column.type == "choice":
        return column.choices
    if column.type == "yesno":
        return YES_NO
    if column.type == "language":
        return LANGUAGES
    if column.type == "country":
        return COUNTRY_CODES
    return ()


_TYPE_HINTS = {
    "id": "Tekst (voorloopnullen blijven behouden).",
    "text": "Vrije tekst.",
    "date": "Datum, bv. 31/12/2026.",
    "int": "Geheel getal.",
    "decimal": "Bedrag excl. btw, bv. 1234,50.",
    "minutes": "Minuten (20) of uren:minuten (1:30).",
    "yesno": "ja of nee.",
    "choice": "Kies uit de lijst.",
    "country": "ISO-landcode (BE, NL, FR, LU, ...).",
    "vat": "Btw-nummer met landcode.",
    "language": "nl, fr of en.",
    "email": "E-mailadres.",
    "peppol_id": "Peppol-adres schema:nummer.",
}


def column_help(column: Column) -> str:
    """The explanation of a column for its header note and the Instructies sheet (Dutch)."""
    parts = [column.help or _TYPE_HINTS.get(column.type, "")]
    values = allowed_values(column)
    if values and column.type != "country":
        parts.append("Toegelaten: " + ", ".join(values) + ".")
    parts.append("Verplicht." if column.required else "Mag leeg blijven.")
    return " ".join(p for p in parts if p)


def _validation(column: Column) -> dict | None:
    values = allowed_values(column)
    if values:
        return {
            "validate": "list",
            "source": list(values),
            # Country codes outside the list remain possible; the other lists are closed.
            "error_type": "warning" if column.type == "country" else "stop",
            "error_title": column.name,
            "error_message": "Kies een waarde uit de lijst: " + ", ".join(values)[:200],
        }
    if column.type == "date":
        return {
            "validate": "date",
            "criteria": "between",
            "minimum": datetime(DATE_MIN.year, DATE_MIN.month, DATE_MIN.day),
            "maximum": datetime(DATE_MAX.year, DATE_MAX.month, DATE_MAX.day),
            "error_title": column.name,
            "error_message": "Typ een geldige datum, bv. 31/12/2026.",
        }
    if column.type == "int":
        return {
            "validate": "integer",
            "criteria": ">=",
            "value": 1,
            "error_title": column.name,
            "error_message": "Typ een geheel getal van 1 of meer.",
        }
    if column.type == "decimal":
        return {
            "validate": "decimal",
            "criteria": ">=",
            "value": 0,
            "error_title": column.name,
            "error_message": "Typ een bedrag van 0 of meer, bv. 45,00.",
        }
    return None


def write_sheet(
    workbook: xlsxwriter.Workbook,
    spec: SheetSpec,
    rows: Iterable[Mapping[str, object]] = (),
    *,
    formats: Formats | None = None,
    title: str | None = None,
    headers: Mapping[str, str] | None = None,
    notes: bool = True,
) -> object:
    """Add a sheet for ``spec``: header row (Dutch, or ``headers`` by column name), frozen,
    with column widths, cell formats, drop-downs/date validation and header notes; then
    ``rows`` (dicts by column name). ``title`` puts a title row and a blank row above the
    header, as bookkeepers sometimes do. Returns the worksheet.
    """
    formats = formats or Formats(workbook)
    ws = workbook.add_worksheet(spec.title)
    header_row = 2 if title else 0
    if title:
        write_cell(ws, 0, 0, title, formats.title)
    last_col = len(spec.columns) - 1
    for i, column in enumerate(spec.columns):
        ws.set_column(i, i, column.width, formats.for_column(column))
        text = (headers or {}).get(column.name, column.name)
        write_cell(ws, header_row, i, text, formats.header_required if column.required else formats.header)
        if notes:
            _checked(ws.write_comment(header_row, i, column_help(column), {"x_scale": 1.6, "y_scale": 1.2}),
                     ws, header_row, i)
        validation = _validation(column)
        if validation:
            _checked(ws.data_validation(header_row + 1, i, header_row + TEMPLATE_ROWS, i, validation),
                     ws, header_row + 1, i)
    ws.set_row(header_row, 30)
    ws.freeze_panes(header_row + 1, 0)
    ws.autofilter(header_row, 0, header_row, last_col)
    r = header_row
    for r, row in enumerate(rows, start=header_row + 1):
        unknown = set(row) - {c.name for c in spec.columns}
        if unknown:
            raise ValueError(f"{spec.title}: unknown column(s) {sorted(unknown)}")
        for i, column in enumerate(spec.columns):
            write_cell(ws, r, i, row.get(column.name), formats.for_column(column))
    if r > header_row:
        ws.autofilter(header_row, 0, r, last_col)
    return ws


# --- the instructions sheet ---------------------------------------------------------------

WORKFLOW = (
    "Zo werkt het, elke maand:",
    "1. Maak in de map inbox een nieuwe map met de maand, bv. inbox/2026-10.",
    "2. Kopieer daarin klanten.xlsx, licenties.xlsx en interventies.xlsx (van vorige maand of uit templates).",
    "3. Klanten en licenties: de VOLLEDIGE lijst zoals ze nu is, niet alleen de wijzigingen.",
    "   Schrap nooit een klant of licentie: vul 'opgezegd op' + 'opzegging via' of 'einddatum' in.",
    "4. Interventies: alleen de interventies van die maand, elk met een eigen, uniek nummer.",
    "5. Typ of plak de gegevens onder de kopregel. Laat de kopregel staan; de volgorde van de kolommen mag wijzigen.",
    "6. Controleer met: bijstand check. Elke fout noemt bestand, blad en cel (bv. licenties.xlsx:Licenties!C14).",
    "",
    "Eenmaal per kwartaal:",
    "7. Maak de facturen met: bijstand run 2026Q4 --invoice-date 2026-10-05.",
    "   Een klant met een fout in zijn rijen wordt tegengehouden en later gefactureerd, zodra de fout verbeterd is.",
    "",
    "Tarieven (tarieven.xlsx):",
    "8. Een prijswijziging is een NIEUWE regel met een nieuwe 'geldig vanaf'; laat de oude regel staan.",
    "9. Verlof: de periodes waarin telefonische hulp niet onder de overeenkomst valt.",
    "",
    "Datums: een echte datum, 31/12/2026 of 2026-12-31. Bedragen: 1234,50 of 1.234,50. Duur: 20 of 1:30.",
    "Ja/nee-kolommen: ja/nee, oui/non, yes/no, x/leeg of 1/0.",
    "bijstand wijzigt, verplaatst of wist nooit een bestand in de inbox.",
)


def write_instructions(workbook: xlsxwriter.Workbook, specs: Iterable[SheetSpec], formats: Formats) -> None:
    """The "Instructies" sheet: every column of ``specs`` explained, then the workflow."""
    ws = workbook.add_worksheet(INSTRUCTIONS)
    ws.set_column(0, 0, 22)
    ws.set_column(1, 1, 11)
    ws.set_column(2, 2, 70, formats.wrap)
    ws.set_column(3, 3, 40, formats.wrap)
    row = 0
    write_cell(ws, row, 0, "Instructies", formats.title)
    row += 2
    for spec in specs:
        write_cell(ws, row, 0, f"Blad {spec.title}", formats.bold)
        row += 1
        for i, head in enumerate(("Kolom", "Verplicht", "Wat invullen", "Ook aanvaard als kop")):
            write_cell(ws, row, i, head, formats.header)
        row += 1
        for column in spec.columns:
            write_cell(ws, row, 0, column.name)
            write_cell(ws, row, 1, "ja" if column.required else "nee")
            write_cell(ws, row, 2, column_help(column))
            write_cell(ws, row, 3, ", ".join(column.aliases))
            row += 1
        row += 1
    for line in WORKFLOW:
        write_cell(ws, row, 0, line, formats.bold if line.endswith(":") else None)
        row += 1


def _write_template(path: Path, specs: tuple[SheetSpec, ...]) -> Path:
    with atomic_workbook(path) as workbook:
        formats = Formats(workbook)
        for spec in specs:
            write_sheet(workbook, spec, formats=formats)
        write_instructions(workbook, specs, formats)
    return path


def write_templates(directory: Path) -> list[Path]:
    """Write the empty input templates into ``directory``; returns the files written.

    One workbook per inbox sheet kind (``klanten.xlsx``, ``licenties.xlsx``,
    ``interventies.xlsx``) and ``tarieven.xlsx`` (Modules, Regie, Verlof), each with an
    Instructies sheet. Writing twice gives identical bytes.
    """
    directory = Path(directory)
    written = [_write_template(directory / f"{spec.kind}.xlsx", (spec,)) for spec in INBOX_SHEETS]
    written.append(_write_template(directory / TARIFFS_FILE, TARIFF_SHEETS))
    return written


def write_templates_safely(directory: Path) -> tuple[list[Path], list[Path]]:
    """``bijstand templates``: the templates that do not exist yet in ``directory``; an existing file
    is never overwritten (SPEC §8 T9). Returns (written, left alone)."""
    directory = Path(directory)
    written: list[Path] = []
    left: list[Path] = []
    for name, specs in [(f"{spec.kind}.xlsx", (spec,)) for spec in INBOX_SHEETS] + [(TARIFFS_FILE, TARIFF_SHEETS)]:
        path = directory / name
        if path.exists():
            left.append(path)
        else:
            written.append(_write_template(path, specs))
    return written, left
