"""The inbox reader: tarieven.xlsx and every sheet under inbox/ → one :class:`batch.model.Inbox`.

The only stage that reads input files. Each file is read once (the bytes that are hashed are
the bytes parsed), vetted (:mod:`.safety`), opened with calamine, every sheet recognised by its
header row (:mod:`.workbook`), every cell parsed strictly (:mod:`.cells`) and every rule of
SPEC §4 checked. All problems are collected in one pass; nothing raises on bad input.

Decisions where SPEC is silent (documented in the README):

- a snapshot's month is the last ``YYYY-MM`` in its path; customers and licences each use
  their newest month; undated customer/licence sheets are used only when no dated one exists
  (otherwise reported and ignored);
- row problems in snapshots older than the one used are not listed one by one (they do not
  affect billing): one warning per older sheet counts them;
- a customer row with an error is left out of ``Inbox.customers`` but its number is known, so
  its licences and interventions are not reported again as "unknown customer"; the error holds
  the customer back;
- hidden sheets are skipped with a warning (the bookkeeper cannot see them); hidden rows cannot
  be detected through calamine and are read like any other row;
- merged cells in the data area are reported (their value sits in the first cell only);
- a licence repeated in one month (same customer, module and purchase date) is an error
  in the same sheet and merged when identical in another sheet of that month.
"""

from __future__ import annotations

import dataclasses
import hashlib
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath

from ..model import (
    DUPLICATE,
    REJECTED,
    Customer,
    Holiday,
    Inbox,
    InterestRate,
    InputFile,
    Intervention,
    InterventionRow,
    Licence,
    ModulePrice,
    RegieRate,
    Source,
    Tariffs,
)
from ..problems import ERROR, WARNING, Problem
from ..schema import (INBOX_SHEETS, INSTRUCTIONS_SHEET, INTERVENTIES, KLANTEN, MODULES, REGIE, TARIFF_SHEETS,
                      normalize_header)
from ..settings import Settings
from . import cells as C
from .safety import vet
from .workbook import Layout, RawSheet, find_layout, open_workbook

TARIFFS_FILE = "tarieven.xlsx"
MAX_FILE_BYTES = 100 * 1024 * 1024  # a monthly sheet is a few MB; 300,000 interventions take 13 MB
INBOX_DIR = "inbox"
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
MONTH_IN_PATH = re.compile(r"(?<!\d)(20\d{2}|19\d{2})[-_](0[1-9]|1[0-2])(?!\d)")

Progress = Callable[[str, int, int], None]


def cell_ref(row0: int, col0: int) -> str:
    """Spreadsheet cell name of 0-based coordinates.

    >>> cell_ref(16, 2), cell_ref(0, 26), cell_ref(4, 701)
    ('C17', 'AA1', 'ZZ5')
    """
    letters = ""
    n = col0 + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row0 + 1}"


def month_of(path: str) -> str | None:
    """The ``YYYY-MM`` a snapshot belongs to: the last one in its path (file name wins).

    >>> month_of("inbox/2026-10/klanten.xlsx"), month_of("inbox/2026/klanten 2026_11.xlsx"), month_of("inbox/k.xlsx")
    ('2026-10', '2026-11', None)
    """
    found = MONTH_IN_PATH.findall(path)
    return f"{found[-1][0]}-{found[-1][1]}" if found else None


# --- reading one row ----------------------------------------------------------------------


_MISS = object()
_EMPTY = object()
MEMO_LIMIT = 200_000  # parsed values remembered per sheet (bounded: unique texts do not repeat)


def _memo_parse(memo: dict, name: str, parse: Callable[[object], object], value: object) -> object:
    """``parse(value)``, _EMPTY, or the CellError it raised; remembered per column and (type, value).

    A text is its own key (the common case: no tuple to build); other values are keyed with
    their type, since ``1 == 1.0 == True`` must not share a parse.
    """
    column = memo.get(name)
    if column is None:
        column = memo[name] = {}
    key = value if type(value) is str else (type(value), value)
    hit = column.get(key, _MISS)
    if hit is _MISS:
        if C.is_empty(value):
            hit = _EMPTY
        else:
            try:
                hit = parse(value)
            except C.CellError as err:
                hit = err
        if len(column) < MEMO_LIMIT:
            column[key] = hit
    return hit


class RowReader:
    """Reads the cells of one data row by column name and records each problem with its place."""

    def __init__(self, sink: list[Problem], file: str, sheet: str, row0: int, cells: list,
                 layout: Layout, fatal: bool = False, memo: dict | None = None):
        self.sink, self.file, self.sheet, self.row0 = sink, file, sheet, row0
        self.cells, self.layout, self.fatal = cells, layout, fatal
        # parse results per (column, type, value), shared by the rows of a sheet: dates, customer
        # numbers, channels and kinds repeat thousands of times in a large interventions sheet
        self.memo = {} if memo is None else memo
        self.failed = False
        self.customer_id: str | None = None  # every error on the row names it, when readable
        parsed = self._parsed("klantnummer", C.parse_id, self.raw("klantnummer"))
        if isinstance(parsed, str):  # errors are reported when the column itself is read
            self.customer_id = parsed

    @property
    def source(self) -> Source:
        src = self.__dict__.get("_source")
        if src is None:
            src = self.__dict__["_source"] = Source(self.file, self.sheet, self.row0 + 1)
        return src

    def raw(self, name: str) -> object:
        where = self.layout.columns.get(name)
        if where is None or where[0] >= len(self.cells):
            return None
        return self.cells[where[0]]

    def problem(self, name: str | None, message: str, fix: str, code: str, value: object = None,
                severity: str = ERROR) -> None:
        where = self.layout.columns.get(name) if name else None
        if severity == ERROR:
            self.failed = True
        self.sink.append(Problem(
            severity=severity, message=message, fix=fix, file=self.file, sheet=self.sheet,
            row=self.row0 + 1, column=where[1] if where else (name or ""),
            cell=cell_ref(self.row0, where[0]) if where else "",
            value=C.show(value) if value is not None else "",
            customer_id=None if self.fatal or severity != ERROR else self.customer_id,
            code=code, fatal=self.fatal and severity == ERROR,
        ))

    def header(self, name: str) -> str:
        where = self.layout.columns.get(name)
        return where[1] if where else name

    def get(self, name: str, parse: Callable[[object], object], *, required: bool = False,
            default: object = None) -> object:
        where = self.layout.columns.get(name)
        cells = self.cells
        value = cells[where[0]] if where is not None and where[0] < len(cells) else None
        hit = _memo_parse(self.memo, name, parse, value)
        if hit is _EMPTY:
            if required:
                self.problem(name, f"{self.header(name)} is leeg", f"Vul {self.header(name)} in.",
                             "required.missing", "")
            return default
        if isinstance(hit, C.CellError):
            self.problem(name, f"{self.header(name)} {hit.message}", hit.fix, hit.code, value)
            return default
        return hit

    def _parsed(self, name: str, parse: Callable[[object], object], value: object) -> object:
        return _memo_parse(self.memo, name, parse, value)


def _customer(r: RowReader, settings: Settings) -> Customer | None:
    cid = r.get("klantnummer", C.parse_id, required=True)
    r.customer_id = cid
    name = r.get("naam", C.parse_text, required=True)
    country = r.get("land", C.parse_country, default="BE")
    vat_number, vat_valid = None, False
    raw_vat = r.raw("btw-nummer")
    if not C.is_empty(raw_vat):
        try:
            vat_number, vat_valid = C.parse_vat(raw_vat, country)
        except C.CellError as err:
            r.problem("btw-nummer", f"{r.header('btw-nummer')} {err.message}", err.fix, err.code, raw_vat)
        else:
            if not vat_valid and C.vat_prefix(country) is not None:
                r.problem("btw-nummer", f"{r.header('btw-nummer')} \"{C.show(raw_vat)}\" is geen geldig "
                          f"btw-nummer voor {country}: de klant krijgt 21 % btw",
                          "Controleer het nummer in VIES; met een geldig nummer wordt de btw verlegd.",
                          "vat.invalid_eu", raw_vat, WARNING)
    elif C.vat_prefix(country) is not None and country != "BE":
        r.problem("btw-nummer", f"klant in {country} zonder btw-nummer: de klant krijgt 21 % btw",
                  "Vul het btw-nummer in; met een geldig nummer wordt de btw verlegd.",
                  "vat.missing_eu", "", WARNING)
    language = r.get("taal", C.parse_language, default=settings.invoice.language)
    email = r.get("e-mail", C.parse_email)
    invoice_email = r.get("e-mail facturen", C.parse_email)
    cc = r.get("cc", C.parse_email)
    peppol = r.get("peppol-id", C.parse_peppol_id)
    agreement = r.get("overeenkomst", lambda v: C.parse_yesno(v, True), default=True)
    start = r.get("overeenkomst vanaf", C.parse_date)
    cancelled_on = r.get("opgezegd op", C.parse_date)
    via_col = KLANTEN.column("opzegging via")
    raw_via = r.raw("opzegging via")
    cancelled_via = None
    if not C.is_empty(raw_via):
        try:
            cancelled_via = C.parse_choice(raw_via, via_col)
        except C.CellError:
            r.problem("opzegging via", f"{r.header('opzegging via')} \"{C.show(raw_via)}\": een opzegging "
                      "kan alleen per brief, e-mail of fax", "Kies brief, e-mail of fax.",
                      "cancel.channel", raw_via)
            cancelled_via = ""
    if cancelled_on is not None and cancelled_via is None:
        r.problem("opzegging via", "opgezegd, maar niet vermeld hoe (brief, e-mail of fax)",
                  "Vul 'opzegging via' in: brief, e-mail of fax.", "cancel.channel_missing", "")
    if cancelled_via and cancelled_on is None and C.is_empty(r.raw("opgezegd op")):
        r.problem("opgezegd op", f"opzegging via {cancelled_via}, maar geen datum van opzegging",
                  "Vul 'opgezegd op' in, of maak 'opzegging via' leeg.", "cancel.date_missing", "")
    street = r.get("straat", C.parse_text, default="")
    postcode = r.get("postcode", C.parse_id, default="")
    city = r.get("gemeente", C.parse_text, default="")
    if r.failed or cid is None or name is None:
        return None
    return Customer(cid, name, street, postcode, city, country, vat_number, vat_valid, language,
                    email, peppol, agreement, start, cancelled_on, cancelled_via or None, r.source,
                    invoice_email, cc)


def _licence(r: RowReader) -> Licence | None:
    cid = r.get("klantnummer", C.parse_id, required=True)
    r.customer_id = cid
    module = r.get("module", C.parse_id, required=True)
    quantity = r.get("aantal", C.parse_int, default=1)
    if quantity is not None and quantity < 1:
        r.problem("aantal", f"{r.header('aantal')} \"{quantity}\" moet minstens 1 zijn",
                  "Schrijf het aantal licenties (1 of meer).", "quantity.invalid", r.raw("aantal"))
    bought = r.get("aankoopdatum", C.parse_date, required=True)
    end = r.get("einddatum", C.parse_date)
    if bought and end and end < bought:
        r.problem("einddatum", f"{r.header('einddatum')} \"{end:%d/%m/%Y}\" ligt vóór de aankoopdatum "
                  f"{bought:%d/%m/%Y}", "Corrigeer de einddatum of de aankoopdatum.", "end.before_purchase",
                  r.raw("einddatum"))
    if r.failed:
        return None
    return Licence(cid, module, quantity, bought, end, r.source)


def _parse_kanaal(v):
    return C.parse_choice(v, INTERVENTIES.column("kanaal"))


def _parse_soort(v):
    return C.parse_choice(v, INTERVENTIES.column("soort"))


def _parse_adapted(v):
    return C.parse_yesno(v, False)


def _intervention(r: RowReader) -> tuple[str, str, Intervention | None]:
    iid = r.get("interventienummer", C.parse_id, required=True)
    cid = r.get("klantnummer", C.parse_id, required=True)
    r.customer_id = cid
    day = r.get("datum", C.parse_date, required=True)
    minutes = r.get("duur", C.parse_minutes, required=True)
    channel = r.get("kanaal", _parse_kanaal, required=True)
    category = r.get("soort", _parse_soort, required=True)
    adapted = r.get("aanpassing pakket", _parse_adapted, default=False)
    technician = r.get("technieker", C.parse_text, default="")
    description = r.get("omschrijving", C.parse_text, default="")
    if r.failed:
        return iid or "", cid or "", None
    return iid, cid, Intervention(iid, day, cid, minutes, channel, category, adapted, technician,
                                  description, r.source)


def _module(r: RowReader) -> ModulePrice | None:
    code = r.get("code", C.parse_id, required=True)
    desc = r.get("omschrijving", C.parse_text, required=True)
    names = tuple((lang, text) for lang in ("fr", "en")
                  if (text := r.get(f"omschrijving {lang}", C.parse_text, default="")))
    base = r.get("basispakket", lambda v: C.parse_yesno(v, False), default=False)
    comm = r.get("communicatiepakket", lambda v: C.parse_yesno(v, False), default=False)
    price = r.get("licentieprijs", C.parse_decimal, required=True)
    fee = r.get("maandbedrag", C.parse_decimal, required=True)
    for name, amount in (("licentieprijs", price), ("maandbedrag", fee)):
        if amount is not None and amount < 0:
            r.problem(name, f"{r.header(name)} \"{amount}\" is negatief", "Schrijf een bedrag ≥ 0.",
                      "amount.negative", amount)
    valid_from = r.get("geldig vanaf", C.parse_date, required=True)
    if r.failed:
        return None
    return ModulePrice(code, desc, base, comm, price, fee, valid_from, r.source, names)


def _interest(r: RowReader) -> InterestRate | None:
    valid_from = r.get("geldig vanaf", C.parse_date, required=True)
    rate = r.get("rentevoet", C.parse_decimal, required=True)
    if rate is not None and not 0 <= rate <= 100:
        r.problem("rentevoet", f"{r.header('rentevoet')} \"{rate}\" is geen percentage tussen 0 en 100",
                  "Schrijf de jaarlijkse rentevoet in %, bv. 12,5.", "amount.not_percent", rate)
    if r.failed:
        return None
    return InterestRate(valid_from, rate, r.source)


def _regie(r: RowReader) -> RegieRate | None:
    valid_from = r.get("geldig vanaf", C.parse_date, required=True)
    rate = r.get("uurtarief", C.parse_decimal, required=True)
    if rate is not None and rate <= 0:
        r.problem("uurtarief", f"{r.header('uurtarief')} \"{rate}\" moet groter dan nul zijn",
                  "Schrijf het uurtarief excl. btw.", "amount.not_positive", rate)
    channel = r.get("kanaal", lambda v: C.parse_choice(v, REGIE.column("kanaal")))
    if r.failed:
        return None
    return RegieRate(valid_from, rate, channel, r.source)


def _holiday(r: RowReader) -> Holiday | None:
    start = r.get("van", C.parse_date, required=True)
    end = r.get("tot", C.parse_date, required=True)
    if start and end and end < start:
        r.problem("tot", f"{r.header('tot')} \"{end:%d/%m/%Y}\" ligt vóór {start:%d/%m/%Y}",
                  "Corrigeer de periode (van ≤ tot).", "period.reversed", r.raw("tot"))
    desc = r.get("omschrijving", C.parse_text, default="")
    if r.failed:
        return None
    return Holiday(start, end, desc, r.source)


# --- sheets and files -----------------------------------------------------------------------


@dataclass
class ParsedRow:
    source: Source
    record: object | None
    customer_id: str
    key: str  # intervention id as read, or ""
    problems: list[Problem]
    raw: tuple  # the row's cell values, to compare repeats


@dataclass
class ParsedSheet:
    file: str
    sheet: str
    kind: str
    month: str | None
    rows: list[ParsedRow] = field(default_factory=list)
    columns: dict[str, tuple[int, str]] = field(default_factory=dict)  # Column.name → (index, header)


def _sheet_problem(file: str, sheet: str, severity: str, message: str, fix: str, code: str,
                   *, fatal: bool = False, row: int | None = None, column: str = "", cell: str = "",
                   value: str = "") -> Problem:
    return Problem(severity, message, fix, file, sheet, row, column, cell, value, None, code, fatal)


def _file_problem(file: str, message: str, fix: str, code: str, severity: str = ERROR,
                  fatal: bool = True) -> Problem:
    return Problem(severity, message, fix, file=file, code=code, fatal=fatal and severity == ERROR)


def _parse_sheet(file: str, raw: RawSheet, layout: Layout, problems: list[Problem], settings: Settings,
                 *, tariffs: bool) -> tuple[ParsedSheet | None, int]:
    spec = layout.spec
    name = raw.name
    if layout.missing or layout.repeated:
        for col in layout.missing:
            problems.append(_sheet_problem(
                file, name, ERROR, f"kolom '{col}' ontbreekt in dit blad ({spec.title})",
                f"Voeg een kolom '{col}' toe aan de kopregel (rij {layout.header_row + 1}).",
                "column.missing", fatal=True, row=layout.header_row + 1, column=col))
        for col in layout.repeated:
            problems.append(_sheet_problem(
                file, name, ERROR, f"kolom '{col}' staat twee keer in de kopregel",
                "Hou één kolom met die naam over.", "column.repeated", fatal=True,
                row=layout.header_row + 1, column=col))
        return None, 0
    if layout.unknown:
        problems.append(_sheet_problem(
            file, name, WARNING, "onbekende kolommen worden niet gelezen: " + ", ".join(layout.unknown),
            "Geen actie nodig als die kolommen alleen notities bevatten.", "column.unknown",
            row=layout.header_row + 1))
    width = max((i for i, _ in layout.columns.values()), default=0) + 1
    for (r1, c1), (r2, c2) in raw.merged:
        if r2 > layout.header_row and c1 < width:
            problems.append(_sheet_problem(
                file, name, WARNING,
                f"samengevoegde cellen {cell_ref(r1, c1)}:{cell_ref(r2, c2)}: alleen de eerste cel heeft een waarde",
                "Maak de samenvoeging ongedaan en vul elke cel in.", "cells.merged", row=r1 + 1,
                cell=cell_ref(r1, c1)))
    parsed = ParsedSheet(file, name, spec.kind, None, columns=layout.columns)
    count = 0
    build = {"klanten": lambda r: _customer(r, settings), "licenties": _licence, "modules": _module,
             "regie": _regie, "verlof": _holiday, "intrest": _interest}
    memo: dict = {}
    column_order = [i for i, _ in sorted(layout.columns.values())]
    pick = operator.itemgetter(*column_order) if len(column_order) > 1 else None
    need = max(column_order, default=0) + 1
    for row0 in range(layout.header_row + 1, len(raw.rows)):
        cells = raw.rows[row0]
        if all(v is None or (type(v) is str and not v.strip()) for v in cells):  # C.is_empty, inlined
            continue
        count += 1
        if pick is not None and len(cells) >= need:
            rawtext = pick(cells)
        else:
            rawtext = tuple(cells[i] if i < len(cells) else "" for i in column_order)
        row_problems: list[Problem] = []
        reader = RowReader(row_problems, file, name, row0, cells, layout, fatal=tariffs, memo=memo)
        if spec.kind == "interventies":
            iid, cid, record = _intervention(reader)
            key = iid
        else:
            record = build[spec.kind](reader)
            cid, key = reader.customer_id or "", ""
        parsed.rows.append(ParsedRow(reader.source, record, cid or "", key or "", row_problems, rawtext))
    return parsed, count


def _read_file(workspace: Path, path: Path, specs, problems: list[Problem], settings: Settings,
               *, tariffs: bool) -> tuple[InputFile, list[ParsedSheet]]:
    rel = path.relative_to(workspace).as_posix()
    month = month_of(rel)
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
        problems.append(_file_problem(rel, f"{path.name} is {size // (1024 * 1024)} MB groot (meer dan "
                                      f"{MAX_FILE_BYTES // (1024 * 1024)} MB) en wordt niet gelezen",
                                      "Verwijder overbodige bladen, afbeeldingen of oude gegevens en bewaar opnieuw.",
                                      "file.too_large"))
        return InputFile(rel, digest.hexdigest(), "unknown", (), 0, month), []
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    refusal = vet(data)
    sheets = open_workbook(data) if refusal is None else refusal
    del data
    if not isinstance(sheets, list):
        problems.append(_file_problem(rel, f"{PurePosixPath(rel).name} {sheets.message}", sheets.fix,
                                      sheets.code))
        return InputFile(rel, digest, "unknown", (), 0, month), []
    parsed_sheets: list[ParsedSheet] = []
    names, total = [], 0
    problems_before = len(problems)
    other = TARIFF_SHEETS if not tariffs else INBOX_SHEETS
    for raw in sheets:
        names.append(raw.name)
        has_content = any(not C.is_empty(v) for row in raw.rows[:HEADER_ROWS_FOR_CONTENT] for v in row)
        if not raw.visible:
            if has_content:
                problems.append(_sheet_problem(
                    rel, raw.name, WARNING, "verborgen blad wordt niet gelezen",
                    "Maak het blad zichtbaar als het gegevens bevat die meetellen.", "sheet.hidden"))
            continue
        layout = find_layout(raw.rows, specs)
        if layout is None:
            misplaced = find_layout(raw.rows, other)
            if misplaced is not None:
                hint = ("tarieven horen in tarieven.xlsx" if not tariffs
                        else "klanten, licenties en interventies horen in inbox/")
                problems.append(_sheet_problem(
                    rel, raw.name, WARNING, f"blad {misplaced.spec.title} staat hier verkeerd en wordt niet gelezen",
                    f"Verplaats het: {hint}.", "sheet.misplaced"))
            elif has_content and normalize_header(raw.name) != normalize_header(INSTRUCTIONS_SHEET):
                # (the Instructies sheet of a template copied into the inbox is expected, not reported)
                problems.append(_sheet_problem(
                    rel, raw.name, WARNING, "blad niet herkend: geen kopregel van klanten, licenties of "
                    "interventies gevonden" if not tariffs else "blad niet herkend: geen kopregel van "
                    "Modules, Regie of Verlof gevonden",
                    "Zet de kolomnamen (zie de sjablonen in templates/) in één rij bovenaan.", "sheet.unknown"))
            continue
        sheet, count = _parse_sheet(rel, raw, layout, problems, settings, tariffs=tariffs)
        total += count
        if sheet is not None:
            sheet.month = month
            parsed_sheets.append(sheet)
    if not parsed_sheets and len(problems) == problems_before:
        problems.append(_file_problem(rel, f"{PurePosixPath(rel).name} bevat geen enkel ingevuld blad",
                                      "Geen actie nodig als het bestand leeg hoort te zijn.", "file.no_sheets",
                                      WARNING, False))
    kinds = sorted({s.kind for s in parsed_sheets})
    kind = "tarieven" if tariffs else ("+".join(kinds) if kinds else "unknown")
    return InputFile(rel, digest, kind, tuple(names), total, month), parsed_sheets


HEADER_ROWS_FOR_CONTENT = 1000  # how far to look when deciding that an unrecognised sheet is not empty


def list_inbox(workspace: Path, problems: list[Problem]) -> list[Path]:
    """Spreadsheets under ``inbox/``, sorted; lock and hidden files ignored, others reported."""
    inbox = workspace / INBOX_DIR
    if not inbox.is_dir():
        problems.append(_file_problem(INBOX_DIR, "map inbox/ ontbreekt", "Maak de map inbox/ aan en zet de "
                                      "maandbladen erin.", "inbox.missing", WARNING, False))
        return []
    found = []
    for path in sorted(inbox.rglob("*")):
        rel = path.relative_to(workspace)
        if any(part.startswith((".", "~$")) for part in rel.parts):
            continue  # hidden files and folders, Excel (~$) and LibreOffice (.~lock…#) lock files
        if path.is_dir():
            continue
        if path.suffix.lower() not in SPREADSHEET_SUFFIXES:
            problems.append(_file_problem(
                rel.as_posix(), f"{path.name} wordt niet gelezen: geen .xlsx, .xlsm, .xls of .ods",
                "Bewaar het als .xlsx als het gegevens bevat; anders: verwijder het uit inbox/.",
                "file.skipped", WARNING, False))
            continue
        found.append(path)
    return found


# --- tariffs ----------------------------------------------------------------------------------


def _build_tariffs(sheets: list[ParsedSheet], file: str, problems: list[Problem]) -> Tariffs:
    modules: dict[str, list[ModulePrice]] = {}
    regie, holidays, interest = [], [], []
    found = {s.kind for s in sheets}
    for spec in (MODULES, REGIE):
        if spec.kind not in found:
            problems.append(_file_problem(file, f"blad {spec.title} niet gevonden in {file}",
                                          f"Voeg een blad {spec.title} toe met de kolommen: "
                                          + ", ".join(c.name for c in spec.columns) + ".", "tariffs.sheet_missing"))
    for sheet in sheets:
        for row in sheet.rows:
            problems.extend(row.problems)
            if row.record is None:
                continue
            if sheet.kind == "modules":
                versions = modules.setdefault(row.record.code, [])
                if any(v.valid_from == row.record.valid_from for v in versions):
                    problems.append(Problem(
                        ERROR, f"module {row.record.code} heeft twee prijzen geldig vanaf "
                        f"{row.record.valid_from:%d/%m/%Y}", "Hou één rij per module en datum over.",
                        file, sheet.sheet, row.source.row, code="tariffs.duplicate", fatal=True))
                versions.append(row.record)
            elif sheet.kind == "regie":
                regie.append(row.record)
            elif sheet.kind == "intrest":
                interest.append(row.record)
            else:
                holidays.append(row.record)
    for spec, items in (("Modules", modules), ("Regie", regie)):
        if spec.lower() in found and not items and not any(p.fatal for p in problems if p.file == file):
            problems.append(_file_problem(file, f"blad {spec} bevat geen enkele geldige rij",
                                          f"Vul het blad {spec} in.", "tariffs.empty"))
    return Tariffs(
        {code: tuple(sorted(v, key=lambda m: m.valid_from)) for code, v in sorted(modules.items())},
        tuple(sorted(regie, key=lambda r: (r.valid_from, r.channel or ""))),
        tuple(sorted(holidays, key=lambda h: (h.start, h.end))),
        tuple(sorted(interest, key=lambda i: i.valid_from)),
    )


# --- snapshots --------------------------------------------------------------------------------


def _content(record) -> object:
    return dataclasses.replace(record, source=None)


def _pick_month(sheets: list[ParsedSheet], label: str, problems: list[Problem]) -> tuple[str | None, str | None]:
    """(month used, previous month) of one snapshot kind; undated sheets lose to dated ones."""
    months = sorted({s.month for s in sheets if s.month})
    if not months:
        return None, None
    for s in sheets:
        if s.month is None:
            problems.append(_sheet_problem(
                s.file, s.sheet, WARNING, f"{label} zonder maand (YYYY-MM) in de naam van map of bestand: niet gebruikt",
                "Zet het bestand in een map als inbox/2026-10/ of zet de maand in de bestandsnaam.", "snapshot.undated"))
    return months[-1], (months[-2] if len(months) > 1 else None)


def _summarise_old(sheets: list[ParsedSheet], used: str | None, problems: list[Problem]) -> None:
    for s in sheets:
        if s.month == used:
            continue
        n = sum(len([p for p in r.problems if p.severity == ERROR]) for r in s.rows)
        if n:
            problems.append(_sheet_problem(
                s.file, s.sheet, WARNING, f"{n} fout(en) in dit blad van een oudere maand ({s.month or 'zonder maand'}); "
                "het wordt niet gebruikt voor de facturatie", "Geen actie nodig.", "snapshot.old_problems"))


def _merge_customers(sheets: list[ParsedSheet], problems: list[Problem], *, report: bool
                     ) -> tuple[dict[str, Customer], set[str]]:
    customers: dict[str, Customer] = {}
    first: dict[str, ParsedRow] = {}
    first_sheet: dict[str, ParsedSheet] = {}
    known: set[str] = set()
    for s in sheets:
        for row in s.rows:
            if report:
                problems.extend(row.problems)
            if not row.customer_id:
                continue
            known.add(row.customer_id)
            prev = first.get(row.customer_id)
            if prev is None:
                first[row.customer_id], first_sheet[row.customer_id] = row, s
                if row.record is not None:
                    customers[row.customer_id] = row.record
                continue
            same_sheet = first_sheet[row.customer_id] is s
            if same_sheet:
                if report:
                    problems.append(Problem(
                        ERROR, f"klantnummer \"{row.customer_id}\" komt twee keer voor (eerst op rij {prev.source.row})",
                        "Hou één rij per klant over.", s.file, s.sheet, row.source.row,
                        KLANTEN_HEADER, "", row.customer_id, row.customer_id, "customer.duplicate"))
            elif row.raw != prev.raw and (row.record is None or prev.record is None
                                          or _content(row.record) != _content(prev.record)):
                if report:
                    problems.append(Problem(
                        ERROR, f"twee tegenstrijdige klantenlijsten voor dezelfde maand: klant {row.customer_id} "
                        f"verschilt van {prev.source}", "Hou één klantenlijst per maand over, of maak ze gelijk.",
                        s.file, s.sheet, row.source.row, KLANTEN_HEADER, "", row.customer_id, None,
                        "snapshot.conflict", True))
    return customers, known


KLANTEN_HEADER = "klantnummer"


def _merge_licences(sheets: list[ParsedSheet], problems: list[Problem], *, report: bool) -> list[Licence]:
    licences: list[Licence] = []
    first: dict[str, tuple[ParsedSheet, ParsedRow]] = {}
    for s in sheets:
        for row in s.rows:
            if report:
                problems.extend(row.problems)
            if row.record is None:
                continue
            key = row.record.key
            if key in first:
                fs, prev = first[key]
                if fs is s or _content(prev.record) != _content(row.record):
                    if report:
                        problems.append(Problem(
                            ERROR, f"licentie {row.record.module} van klant {row.customer_id} gekocht op "
                            f"{row.record.purchase_date:%d/%m/%Y} staat twee keer (eerst in {prev.source})",
                            "Hou één rij over en zet het aantal op het totaal.", s.file, s.sheet, row.source.row,
                            "module", "", row.record.module, row.customer_id, "licence.duplicate"))
                continue
            first[key] = (s, row)
            licences.append(row.record)
    return licences


# --- the reader -----------------------------------------------------------------------------


def read_inbox(workspace: Path, settings: Settings, *, progress: Progress | None = None) -> Inbox:
    """Read and validate the tariffs and the whole inbox of ``workspace``; never raises on bad input."""
    workspace = Path(workspace)
    problems: list[Problem] = []
    files: list[InputFile] = []
    tariff_path = workspace / TARIFFS_FILE
    paths = list_inbox(workspace, problems)
    total = len(paths) + 1
    report = progress or (lambda step, done, total: None)

    report("tarieven lezen", 0, total)
    if tariff_path.is_file():
        tf, tsheets = _read_file(workspace, tariff_path, TARIFF_SHEETS, problems, settings, tariffs=True)
        files.append(tf)
        opened = bool(tf.sheets)  # a refused file has no sheets and already has its fatal problem
        tariffs = _build_tariffs(tsheets, TARIFFS_FILE, problems) if opened else Tariffs({}, (), ())
    else:
        problems.append(_file_problem(TARIFFS_FILE, "tarieven.xlsx ontbreekt in de werkmap",
                                      "Maak het aan met: bijstand init, of kopieer het uit een vorige werkmap.",
                                      "tariffs.missing"))
        tariffs = Tariffs({}, (), ())
    tariffs_ok = not any(p.fatal and p.file == TARIFFS_FILE for p in problems)

    sheets: list[ParsedSheet] = []
    for done, path in enumerate(paths, start=1):
        report("inbox lezen", done, total)
        f, found = _read_file(workspace, path, INBOX_SHEETS, problems, settings, tariffs=False)
        files.append(f)
        sheets.extend(found)
    report("controleren", total, total)

    by_kind = {k: [s for s in sheets if s.kind == k] for k in ("klanten", "licenties", "interventies")}

    if not by_kind["klanten"] and (by_kind["licenties"] or by_kind["interventies"]):
        problems.append(_file_problem(INBOX_DIR, "geen klantenlijst gevonden in inbox/: licenties en interventies "
                                      "kunnen aan geen klant gekoppeld worden",
                                      "Zet de klantenlijst van deze maand in inbox/ (blad met klantnummer en naam).",
                                      "inbox.no_customers", WARNING, False))
    # customers: the newest monthly snapshot, compared with the one before it
    cust_month, cust_prev = _pick_month(by_kind["klanten"], "klantenlijst", problems)
    used = [s for s in by_kind["klanten"] if s.month == cust_month]
    customers, known = _merge_customers(used, problems, report=True)
    _summarise_old(by_kind["klanten"], cust_month, problems)
    if cust_prev:
        before, _ = _merge_customers([s for s in by_kind["klanten"] if s.month == cust_prev], problems, report=False)
        _compare_customers(before, customers, known, cust_prev, cust_month, used, problems)

    lic_month, lic_prev = _pick_month(by_kind["licenties"], "licentielijst", problems)
    lic_used = [s for s in by_kind["licenties"] if s.month == lic_month]
    licences = _merge_licences(lic_used, problems, report=True)
    _summarise_old(by_kind["licenties"], lic_month, problems)
    if lic_month != cust_month and lic_used and used:
        problems.append(_file_problem(lic_used[0].file, f"de nieuwste licentielijst ({lic_month}) is van een andere "
                                      f"maand dan de nieuwste klantenlijst ({cust_month})",
                                      "Zet elke maand beide lijsten in de inbox.", "snapshot.month_mismatch",
                                      WARNING, False))
    if lic_prev:
        before_lic = _merge_licences([s for s in by_kind["licenties"] if s.month == lic_prev], [], report=False)
        _compare_licences(before_lic, licences, lic_prev, lic_month, customers, problems)
    kept = []
    for lic in licences:
        where = lic.source
        if lic.customer_id not in known:
            problems.append(Problem(ERROR, f"klantnummer \"{lic.customer_id}\" bestaat niet in de klantenlijst"
                                    f" ({cust_month or 'zonder maand'})",
                                    "Voeg de klant toe aan de klantenlijst of corrigeer het klantnummer.",
                                    where.file, where.sheet, where.row, "klantnummer", "", lic.customer_id,
                                    lic.customer_id, "customer.unknown"))
            continue
        if tariffs_ok and lic.module not in tariffs.modules:
            problems.append(Problem(ERROR, f"module \"{lic.module}\" bestaat niet in tarieven.xlsx",
                                    "Gebruik een code uit het blad Modules, of voeg de module daar toe.",
                                    where.file, where.sheet, where.row, "module", "", lic.module,
                                    lic.customer_id, "module.unknown"))
            continue
        kept.append(lic)

    interventions = _combine_interventions(by_kind["interventies"], known, problems)
    _locate_columns(problems, sheets)
    return Inbox(customers, kept, interventions, tariffs, problems, files, cust_month)


def _locate_columns(problems: list[Problem], sheets: list[ParsedSheet]) -> None:
    """Fill in the cell of cross-sheet problems (made without the sheet layout at hand)."""
    layouts = {(s.file, s.sheet): s.columns for s in sheets}
    for i, p in enumerate(problems):
        if p.cell or not p.row or not p.column or (p.file, p.sheet) not in layouts:
            continue
        where = layouts[(p.file, p.sheet)].get(p.column)
        if where is not None:
            problems[i] = dataclasses.replace(p, cell=cell_ref(p.row - 1, where[0]), column=where[1])


def _compare_customers(before: dict[str, Customer], now: dict[str, Customer], known: set[str], prev: str,
                       month: str, used: list[ParsedSheet], problems: list[Problem]) -> None:
    for cid, c in sorted(before.items()):
        if cid not in known and c.cancelled_on is None:
            problems.append(Problem(
                WARNING, f"klant {cid} ({c.name}) staat in de lijst van {prev} maar niet meer in die van {month}, "
                "zonder opzegging", "Zet de klant terug met 'opgezegd op' en 'opzegging via' als hij opzegde.",
                used[0].file if used else "", used[0].sheet if used else "", code="snapshot.customer_vanished",
                value=cid))
    for cid, c in sorted(now.items()):
        if cid not in before:
            src = c.source
            problems.append(Problem(WARNING, f"nieuwe klant {cid} ({c.name}) sinds {prev}", "Ter info.",
                                    src.file, src.sheet, src.row, "klantnummer", "", cid, None, "snapshot.customer_new"))


def _compare_licences(before: list[Licence], now: list[Licence], prev: str, month: str,
                      customers: dict[str, Customer], problems: list[Problem]) -> None:
    current = {lic.key for lic in now}
    for lic in before:
        if lic.key in current or lic.end_date is not None:
            continue
        cust = customers.get(lic.customer_id)
        if cust is not None and cust.cancelled_on is not None:
            continue
        problems.append(Problem(
            WARNING, f"licentie {lic.module} van klant {lic.customer_id} (gekocht {lic.purchase_date:%d/%m/%Y}) "
            f"staat in de lijst van {prev} maar niet meer in die van {month}, zonder einddatum",
            "Zet de licentie terug met een einddatum als de klant de module niet meer gebruikt.",
            lic.source.file, lic.source.sheet, lic.source.row, code="snapshot.licence_vanished",
            value=lic.key))


def _combine_interventions(sheets: list[ParsedSheet], known: set[str], problems: list[Problem]
                           ) -> list[InterventionRow]:
    out: list[InterventionRow] = []
    first: dict[str, ParsedRow] = {}
    for s in sheets:
        for row in s.rows:
            problems.extend(row.problems)
            status, reason, record = None, "", row.record
            if row.problems and any(p.severity == ERROR for p in row.problems):
                status, reason = REJECTED, "; ".join(p.message for p in row.problems if p.severity == ERROR)
            prev = first.get(row.key) if row.key else None
            if prev is not None:
                identical = (_content(prev.record) == _content(row.record) if prev.record and row.record
                             else prev.raw == row.raw)
                if identical:
                    status, reason, record = DUPLICATE, f"zelfde interventie als {prev.source}", None
                else:
                    msg = f"interventienummer \"{row.key}\" is al gebruikt in {prev.source}, met andere gegevens"
                    problems.append(Problem(ERROR, msg, "Geef elke interventie een eigen nummer.", s.file, s.sheet,
                                            row.source.row, "interventienummer", "", row.key,
                                            row.customer_id or None, "intervention.conflict"))
                    status, reason, record = REJECTED, msg, None
            elif row.key:
                first[row.key] = row
            if status is None and row.customer_id not in known:
                msg = f"klantnummer \"{row.customer_id}\" bestaat niet in de klantenlijst"
                problems.append(Problem(ERROR, msg, "Corrigeer het klantnummer of voeg de klant toe.", s.file,
                                        s.sheet, row.source.row, "klantnummer", "", row.customer_id,
                                        row.customer_id, "customer.unknown"))
                status, reason, record = REJECTED, msg, None
            if status == REJECTED:
                record = None
            out.append(InterventionRow(row.source, row.key, row.customer_id, record, status, reason))
    return out
