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
  in the same sheet and merged when identical in another sheet of that month;
- identities (SPEC §8 T1): the records carry the customer list's form of a customer number and
  the tariffs' form of a module code; a reference that matches only with other leading zeros
  gives one warning per sheet and written form (on its first cell, with the count of the other
  rows); a number with a look-alike letter (Cyrillic К) holds back the customer it looks like;
- files (SPEC §8 T9): a FIFO, device, socket, a link outside the workspace, a broken link, an
  unreadable file or folder is fatal (it may hold rows to bill), never opened, never skipped;
- a licence replaced between the two newest months by exactly one row of the same customer and
  module with another purchase date is one warning (a corrected date), not "vanished".
"""

from __future__ import annotations

import dataclasses
import hashlib
import operator
import os
import re
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
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
from ..identity import customer_key, key
from ..problems import ERROR, WARNING, Problem
from ..schema import (INBOX_SHEETS, INSTRUCTIONS_SHEET, INTERVENTIES, KLANTEN, MODULES, REGIE, TARIFF_SHEETS,
                      normalize_header)
from ..settings import Settings
from ..texts_inbox import text
from . import cells as C
from .safety import NotRegular, file_kind, open_regular, printable_name, vet
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
        parsed = self._parsed("klantnummer", C.parse_identifier, self.raw("klantnummer"))
        if isinstance(parsed, str):  # errors are reported when the column itself is read
            self.customer_id = parsed
        elif isinstance(parsed, C.ForeignLetters) and parsed.lookalike:
            self.customer_id = parsed.lookalike  # К1001 (Cyrillic) holds back customer K1001

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
                severity: str = ERROR, blocking: bool = True) -> Problem:
        """Record a problem on this row's cell ``name``. ``blocking=False``: an error that keeps the
        record (and never stops the run) — the record carries it (a tariff with too many decimals)."""
        where = self.layout.columns.get(name) if name else None
        if severity == ERROR and blocking:
            self.failed = True
        blocking = blocking and severity == ERROR
        self.sink.append(Problem(
            severity=severity, message=message, fix=fix, file=self.file, sheet=self.sheet,
            row=self.row0 + 1, column=where[1] if where else (name or ""),
            cell=cell_ref(self.row0, where[0]) if where else "",
            value=C.show(value) if value is not None else "",
            customer_id=None if self.fatal or not blocking else self.customer_id,
            code=code, fatal=self.fatal and blocking,
        ))
        return self.sink[-1]

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
    cid = r.get("klantnummer", C.parse_identifier, required=True)
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


def _licence(r: RowReader, settings: Settings) -> Licence | None:
    cid = r.get("klantnummer", C.parse_identifier, required=True)
    module = r.get("module", C.parse_identifier, required=True)
    quantity = r.get("aantal", C.parse_int, default=1)
    if quantity is not None and quantity < 1:
        r.problem("aantal", f"{r.header('aantal')} \"{C.show(r.raw('aantal'))}\" moet minstens 1 zijn",
                  "Schrijf het aantal licenties (1 of meer).", "quantity.invalid", r.raw("aantal"))
    elif quantity is not None and quantity > settings.billing.max_quantity:
        lang = settings.ui.language
        r.problem("aantal", text("t7.quantity", lang, header=r.header("aantal"), value=_count(quantity),
                                 limit=settings.billing.max_quantity),
                  text("t7.quantity.fix", lang), "quantity.implausible", r.raw("aantal"))
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


def _intervention(r: RowReader, settings: Settings) -> tuple[str, str, Intervention | None]:
    iid = r.get("interventienummer", C.parse_identifier, required=True)
    cid = r.get("klantnummer", C.parse_identifier, required=True)
    day = r.get("datum", C.parse_date, required=True)
    minutes = r.get("duur", C.parse_minutes, required=True)
    if minutes is not None and minutes > settings.billing.max_minutes:
        lang = settings.ui.language
        r.problem("duur", text("t7.minutes", lang, header=r.header("duur"), value=_count(minutes),
                               limit=settings.billing.max_minutes),
                  text("t7.minutes.fix", lang), "duration.implausible", r.raw("duur"))
    channel = r.get("kanaal", _parse_kanaal, required=True)
    category = r.get("soort", _parse_soort, required=True)
    adapted = r.get("aanpassing pakket", _parse_adapted, default=False)
    technician = r.get("technieker", C.parse_text, default="")
    description = r.get("omschrijving", C.parse_text, default="")
    if r.failed:
        return iid or "", cid or "", None
    return iid, cid, Intervention(iid, day, cid, minutes, channel, category, adapted, technician,
                                  description, r.source)


def _count(n: int) -> str:
    """A whole number for a message, short even when absurd (and without int→str's digit limit).

    >>> _count(480), _count(10 ** 12), _count(10 ** 5000)
    ('480', '1000000000000', '1.000E+5000')
    """
    return str(n) if abs(n) < 10 ** 15 else f"{Decimal(n):.3E}"


def _cents_only(r: RowReader, name: str, amount: Decimal | None, settings: Settings) -> tuple:
    """T7: a tariff amount has at most two decimals (12.345 would be billed as 12.35 and 12.345).
    More is an error that holds the customers whose invoice would use it (batch.billing.engine), not
    the whole run: the row is kept with its flaw, ``((name, problem),)``."""
    if amount is not None and C.decimal_places(amount) > 2:
        lang = settings.ui.language
        p = r.problem(name, text("t7.decimals", lang, header=r.header(name), value=C.show(r.raw(name))),
                      text("t7.decimals.fix", lang), "amount.decimals", r.raw(name), blocking=False)
        return ((name, p),)
    return ()


def _module(r: RowReader, settings: Settings) -> ModulePrice | None:
    code = r.get("code", C.parse_identifier, required=True)
    desc = r.get("omschrijving", C.parse_text, required=True)
    names = tuple((lang, text) for lang in ("fr", "en")
                  if (text := r.get(f"omschrijving {lang}", C.parse_text, default="")))
    base = r.get("basispakket", lambda v: C.parse_yesno(v, False), default=False)
    comm = r.get("communicatiepakket", lambda v: C.parse_yesno(v, False), default=False)
    price = r.get("licentieprijs", C.parse_decimal, required=True)
    fee = r.get("maandbedrag", C.parse_decimal, required=True)
    flaws: tuple = ()
    for name, amount in (("licentieprijs", price), ("maandbedrag", fee)):
        if amount is not None and amount < 0:
            r.problem(name, f"{r.header(name)} \"{amount}\" is negatief", "Schrijf een bedrag ≥ 0.",
                      "amount.negative", amount)
        flaws += _cents_only(r, name, amount, settings)
    valid_from = r.get("geldig vanaf", C.parse_date, required=True)
    if r.failed:
        return None
    return ModulePrice(code, desc, base, comm, price, fee, valid_from, r.source, names, flaws)


def _interest(r: RowReader) -> InterestRate | None:
    valid_from = r.get("geldig vanaf", C.parse_date, required=True)
    rate = r.get("rentevoet", C.parse_decimal, required=True)
    note = r.get("bron", C.parse_text, default="")
    if rate is not None and not 0 <= rate <= 100:
        r.problem("rentevoet", f"{r.header('rentevoet')} \"{rate}\" is geen percentage tussen 0 en 100",
                  "Schrijf de jaarlijkse rentevoet in %, bv. 12,5.", "amount.not_percent", rate)
    if r.failed:
        return None
    return InterestRate(valid_from, rate, r.source, note or "")


def _regie(r: RowReader, settings: Settings) -> RegieRate | None:
    valid_from = r.get("geldig vanaf", C.parse_date, required=True)
    rate = r.get("uurtarief", C.parse_decimal, required=True)
    if rate is not None and rate <= 0:
        r.problem("uurtarief", f"{r.header('uurtarief')} \"{rate}\" moet groter dan nul zijn",
                  "Schrijf het uurtarief excl. btw.", "amount.not_positive", rate)
    flaws = _cents_only(r, "uurtarief", rate, settings)
    channel = r.get("kanaal", lambda v: C.parse_choice(v, REGIE.column("kanaal")))
    if r.failed:
        return None
    return RegieRate(valid_from, rate, channel, r.source, flaws)


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
    build = {"klanten": _customer, "licenties": _licence, "modules": _module, "regie": _regie,
             "verlof": lambda r, _settings: _holiday(r), "intrest": lambda r, _settings: _interest(r)}
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
            iid, _cid, record = _intervention(reader, settings)
            key = iid
        else:
            record = build[spec.kind](reader, settings)
            key = ""
        parsed.rows.append(ParsedRow(reader.source, record, reader.customer_id or "", key or "", row_problems,
                                     rawtext))
    return parsed, count


def _read_file(path: str, rel: str, specs, problems: list[Problem], settings: Settings,
               *, tariffs: bool) -> tuple[InputFile | None, list[ParsedSheet]]:
    """One admitted file (``path`` to open, ``rel`` to show) → its sheets; None when it cannot be
    opened as a regular file (reported, fatal)."""
    lang = settings.ui.language
    month = month_of(rel)
    name = PurePosixPath(rel).name
    try:
        fd = open_regular(path)
    except NotRegular as exc:
        problems.append(_file_problem(rel, text("file.special", lang, name=name, kind=text(exc.kind, lang)),
                                      text("file.special.fix", lang), "file.special"))
        return None, []
    except OSError as exc:
        problems.append(_file_problem(rel, text("file.unreadable_os", lang, name=name, reason=_reason(exc)),
                                      text("file.unreadable_os.fix", lang), "file.unreadable"))
        return None, []
    try:
        with os.fdopen(fd, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
            if len(data) > MAX_FILE_BYTES:
                digest = hashlib.sha256(data)
                size = len(data)
                del data
                for block in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(block)
                    size += len(block)
                problems.append(_file_problem(
                    rel, f"{name} is {size // (1024 * 1024)} MB groot (meer dan {MAX_FILE_BYTES // (1024 * 1024)} MB) "
                    "en wordt niet gelezen",
                    "Verwijder overbodige bladen, afbeeldingen of oude gegevens en bewaar opnieuw.", "file.too_large"))
                return InputFile(rel, digest.hexdigest(), "unknown", (), 0, month), []
    except OSError as exc:
        problems.append(_file_problem(rel, text("file.unreadable_os", lang, name=name, reason=_reason(exc)),
                                      text("file.unreadable_os.fix", lang), "file.unreadable"))
        return None, []
    digest = hashlib.sha256(data).hexdigest()
    refusal = vet(data)
    sheets = open_workbook(data) if refusal is None else refusal
    del data
    if not isinstance(sheets, list):
        problems.append(_file_problem(rel, f"{name} {sheets.message}", sheets.fix, sheets.code))
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


def _reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def _base(shown: str) -> str:
    return PurePosixPath(shown).name


def _inside(path: str, root: str) -> bool:
    try:
        return os.path.commonpath([path, root]) == root
    except ValueError:  # another drive (Windows)
        return False


def _admit(path: str, shown: str, root: str, problems: list[Problem], lang: str
           ) -> tuple[str, os.stat_result] | None:
    """(the path to use, its status) of one directory entry, without opening it (SPEC §8 T9):
    a symbolic link is followed only when it points inside the workspace; None when refused
    (reported, fatal)."""
    try:
        st = os.lstat(path)
    except OSError as exc:
        problems.append(_file_problem(shown, text("file.unreadable_os", lang, name=_base(shown), reason=_reason(exc)),
                                      text("file.unreadable_os.fix", lang), "file.unreadable"))
        return None
    if not stat.S_ISLNK(st.st_mode):
        return path, st
    target = os.path.realpath(path)
    try:
        written = printable_name(os.readlink(path))
    except OSError:
        written = printable_name(target)
    if not _inside(target, root):
        problems.append(_file_problem(shown, text("file.link_outside", lang, name=_base(shown), target=written),
                                      text("file.link_outside.fix", lang), "file.link_outside"))
        return None
    try:
        st = os.stat(target)
    except OSError:
        problems.append(_file_problem(shown, text("file.link_broken", lang, name=_base(shown), target=written),
                                      text("file.link_broken.fix", lang), "file.link_broken"))
        return None
    return target, st


def _special(shown: str, mode: int, problems: list[Problem], lang: str) -> None:
    kind = text(file_kind(mode), lang)
    problems.append(_file_problem(shown, text("file.special", lang, name=_base(shown), kind=kind),
                                  text("file.special.fix", lang), "file.special"))


def list_inbox(workspace: Path, problems: list[Problem], lang: str = "nl") -> list[tuple[str, str]]:
    """The spreadsheets under ``inbox/`` as (path to open, name to show), in name order (SPEC §8 T9).

    Only regular files are listed; FIFOs, devices, sockets and links that point outside the
    workspace are refused by name without being opened, an unreadable folder is a fatal problem
    (never skipped), names in any encoding are shown with replacement characters. Lock and hidden
    files are ignored, other files reported.
    """
    root = os.path.realpath(workspace)
    top = os.path.join(os.fspath(workspace), INBOX_DIR)
    admitted = _admit(top, INBOX_DIR, root, problems, lang) if os.path.lexists(top) else None
    if admitted is None or not stat.S_ISDIR(admitted[1].st_mode):
        if admitted is not None or not os.path.lexists(top):
            problems.append(_file_problem(INBOX_DIR, "map inbox/ ontbreekt", "Maak de map inbox/ aan en zet de "
                                          "maandbladen erin.", "inbox.missing", WARNING, False))
        return []
    found: list[tuple[str, str]] = []
    _walk(admitted[0], INBOX_DIR, admitted[1], root, problems, lang, found, set())
    return found


def _walk(path: str, shown: str, st: os.stat_result, root: str, problems: list[Problem], lang: str,
          found: list[tuple[str, str]], visited: set[tuple[int, int]]) -> None:
    if (st.st_dev, st.st_ino) in visited:  # a link back to a folder already read
        return
    visited.add((st.st_dev, st.st_ino))
    try:
        with os.scandir(path) as entries:
            names = sorted(entry.name for entry in entries)
    except OSError as exc:
        problems.append(_file_problem(shown, text("folder.unreadable", lang, name=shown, reason=_reason(exc)),
                                      text("folder.unreadable.fix", lang), "folder.unreadable"))
        return
    for name in names:
        if name.startswith((".", "~$")):
            continue  # hidden files and folders, Excel (~$) and LibreOffice (.~lock…#) lock files
        child_shown = f"{shown}/{printable_name(name)}"
        admitted = _admit(os.path.join(path, name), child_shown, root, problems, lang)
        if admitted is None:
            continue
        child, cst = admitted
        if stat.S_ISDIR(cst.st_mode):
            _walk(child, child_shown, cst, root, problems, lang, found, visited)
        elif not stat.S_ISREG(cst.st_mode):
            _special(child_shown, cst.st_mode, problems, lang)
        elif os.path.splitext(name)[1].lower() not in SPREADSHEET_SUFFIXES:
            problems.append(_file_problem(
                child_shown, f"{printable_name(name)} wordt niet gelezen: geen .xlsx, .xlsm, .xls of .ods",
                "Bewaar het als .xlsx als het gegevens bevat; anders: verwijder het uit inbox/.",
                "file.skipped", WARNING, False))
        else:
            found.append((child, child_shown))


def _tariffs_path(workspace: Path, root: str, problems: list[Problem], lang: str) -> str | None:
    """tarieven.xlsx, admitted by the same rules as the inbox (SPEC §8 T9), or None (reported)."""
    path = os.path.join(os.fspath(workspace), TARIFFS_FILE)
    if not os.path.lexists(path):
        problems.append(_file_problem(TARIFFS_FILE, "tarieven.xlsx ontbreekt in de werkmap",
                                      "Maak het aan met: bijstand init, of kopieer het uit een vorige werkmap.",
                                      "tariffs.missing"))
        return None
    admitted = _admit(path, TARIFFS_FILE, root, problems, lang)
    if admitted is None:
        return None
    target, st = admitted
    if stat.S_ISDIR(st.st_mode):
        problems.append(_file_problem(TARIFFS_FILE, text("tariffs.not_file", lang), text("tariffs.not_file.fix", lang),
                                      "tariffs.not_file"))
        return None
    if not stat.S_ISREG(st.st_mode):
        _special(TARIFFS_FILE, st.st_mode, problems, lang)
        return None
    return target


# --- tariffs ----------------------------------------------------------------------------------


def _build_tariffs(sheets: list[ParsedSheet], file: str, problems: list[Problem]) -> Tariffs:
    modules: dict[str, list[ModulePrice]] = {}
    canonical: dict[str, str] = {}  # key(code) → the code as first written
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
                record = row.record
                code = canonical.setdefault(key(record.code), record.code)  # juw and JUW: one module
                if code != record.code:
                    record = dataclasses.replace(record, code=code)
                versions = modules.setdefault(code, [])
                if any(v.valid_from == row.record.valid_from for v in versions):
                    problems.append(Problem(
                        ERROR, f"module {row.record.code} heeft twee prijzen geldig vanaf "
                        f"{row.record.valid_from:%d/%m/%Y}", "Hou één rij per module en datum over.",
                        file, sheet.sheet, row.source.row, code="tariffs.duplicate", fatal=True))
                versions.append(record)
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


# --- identities (SPEC §8 T1) ------------------------------------------------------------------

SAME, ZEROS, AMBIGUOUS, UNKNOWN = "same", "zeros", "ambiguous", "unknown"


class CustomerIds:
    """The customer numbers of one customer list, and which of them a written number is.

    Numbers are compared by :func:`batch.identity.key` (NFKC, trimmed, case-folded): ``k1001``
    and ``Ｋ１００１`` are ``K1001``. A number made of digits also matches the list's number with
    other leading zeros (:func:`batch.identity.customer_key`) when exactly one number of the list
    does. The first form met of each number is the list's form.

    >>> ids = CustomerIds(["K1001", "01002", "0042", "42"])
    >>> ids.resolve("k1001"), ids.resolve("1002")
    (('K1001', 'same', ['K1001']), ('01002', 'zeros', ['01002']))
    >>> ids.resolve("042"), ids.resolve("K9")
    ((None, 'ambiguous', ['0042', '42']), (None, 'unknown', []))
    """

    def __init__(self, forms: Iterable[str]):
        self.by_key: dict[str, str] = {}
        self.by_customer_key: dict[str, list[str]] = {}
        for form in forms:
            k = key(form)
            if k not in self.by_key:
                self.by_key[k] = form
                self.by_customer_key.setdefault(customer_key(form), []).append(form)

    def resolve(self, written: str) -> tuple[str | None, str, list[str]]:
        """(the list's form or None, how it matched: same/zeros/ambiguous/unknown, the candidates)."""
        if not written:
            return None, UNKNOWN, []
        form = self.by_key.get(key(written))
        if form is not None:
            return form, SAME, [form]
        found = self.by_customer_key.get(customer_key(written), [])
        if len(found) == 1:
            return found[0], ZEROS, found
        return None, (AMBIGUOUS if found else UNKNOWN), list(found)

    def ambiguous(self) -> list[list[str]]:
        """Groups of numbers of the list that differ only in leading zeros."""
        return [forms for forms in self.by_customer_key.values() if len(forms) > 1]


def _quoted(forms: Iterable[str]) -> str:
    return ", ".join(f'"{f}"' for f in forms)


class _LeadingZeros:
    """References resolved despite other leading zeros: one warning per sheet and written form."""

    def __init__(self) -> None:
        self.seen: dict[tuple[str, str, str, str], list] = {}

    def add(self, source: Source, written: str, form: str) -> None:
        hit = self.seen.get((source.file, source.sheet, written, form))
        if hit is None:
            self.seen[(source.file, source.sheet, written, form)] = [source.row, 0]
        else:
            hit[1] += 1

    def report(self, problems: list[Problem], lang: str) -> None:
        for (file, sheet, written, form), (row, more) in self.seen.items():
            problems.append(Problem(
                WARNING, text("id.zeros", lang, written=written, form=form,
                              more=text("id.zeros.more", lang, n=more) if more else ""),
                text("id.zeros.fix", lang), file, sheet, row, "klantnummer", "", written, None,
                "customer.leading_zeros"))


def _resolve_customer(ids: CustomerIds, written: str, source: Source, unknown: str, zeros: _LeadingZeros,
                      problems: list[Problem], lang: str) -> tuple[str | None, str]:
    """The customer list's form of a licence's or intervention's klantnummer, or (None, why not),
    reporting the problem on the row's klantnummer cell."""
    form, how, candidates = ids.resolve(written)
    if how == SAME:
        return form, ""
    if how == ZEROS:
        zeros.add(source, written, form)
        return form, ""
    if how == AMBIGUOUS:
        msg = text("id.ambiguous_ref", lang, written=written, forms=" of ".join(f'"{c}"' for c in candidates)
                   if lang == "nl" else _quoted(candidates))
        problems.append(Problem(ERROR, msg, text("id.ambiguous_ref.fix", lang), source.file, source.sheet,
                                source.row, "klantnummer", "", written, candidates[0], "customer.ambiguous"))
        return None, msg
    problems.append(Problem(ERROR, unknown, "Voeg de klant toe aan de klantenlijst of corrigeer het klantnummer.",
                            source.file, source.sheet, source.row, "klantnummer", "", written, written or None,
                            "customer.unknown"))
    return None, unknown


def _hold_by_list_form(problems: list[Problem], ids: CustomerIds) -> None:
    """Every problem holds its customer by the customer list's form of the number."""
    for i, p in enumerate(problems):
        if p.customer_id:
            form = ids.resolve(p.customer_id)[0]
            if form is not None and form != p.customer_id:
                problems[i] = dataclasses.replace(p, customer_id=form)


# --- snapshots --------------------------------------------------------------------------------


def _customer_content(record: Customer) -> object:
    return dataclasses.replace(record, source=None, customer_id=key(record.customer_id))


def _licence_identity(lic: Licence) -> tuple[str, str, date]:
    """A licence row across sheets and months: customer, module and purchase date, by their keys."""
    return customer_key(lic.customer_id), key(lic.module), lic.purchase_date


def _intervention_content(record: Intervention) -> object:
    return dataclasses.replace(record, source=None, intervention_id=key(record.intervention_id),
                               customer_id=customer_key(record.customer_id))


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


def _summarise_old(sheets: list[ParsedSheet], used: str | None, problems: list[Problem], lang: str) -> None:
    """One warning per older sheet with errors, located at its first error."""
    for s in sheets:
        if s.month == used:
            continue
        found = [p for r in s.rows for p in r.problems if p.severity == ERROR]
        if found:
            first = found[0]
            problems.append(_sheet_problem(
                s.file, s.sheet, WARNING,
                text("snapshot.old_problems", lang, n=len(found), month=s.month or text("month.none", lang),
                     first=first.cell or f"rij {first.row}"),
                text("snapshot.old_problems.fix", lang), "snapshot.old_problems", row=first.row,
                column=first.column, cell=first.cell))


def _merge_customers(sheets: list[ParsedSheet], problems: list[Problem], *, report: bool, lang: str = "nl"
                     ) -> tuple[dict[str, Customer], list[str]]:
    """The customers of one month's lists (by the list's form of their number) and every number
    read, errors included, in order (T1: ``K1001`` and ``k1001`` are one number)."""
    customers: dict[str, Customer] = {}
    first: dict[str, tuple[ParsedSheet, ParsedRow]] = {}
    forms: list[str] = []
    for s in sheets:
        for row in s.rows:
            if report:
                problems.extend(row.problems)
            if not row.customer_id:
                continue
            k = key(row.customer_id)
            hit = first.get(k)
            if hit is None:
                first[k] = (s, row)
                forms.append(row.customer_id)
                if row.record is not None:
                    customers[row.customer_id] = row.record
                continue
            first_sheet, prev = hit
            if first_sheet is s:
                if report:
                    as_form = (text("customer.duplicate.as", lang, form=prev.customer_id)
                               if prev.customer_id != row.customer_id else "")
                    problems.append(Problem(
                        ERROR, text("customer.duplicate", lang, written=row.customer_id, row=prev.source.row,
                                    as_form=as_form),
                        text("customer.duplicate.fix", lang), s.file, s.sheet, row.source.row,
                        KLANTEN_HEADER, "", row.customer_id, prev.customer_id, "customer.duplicate"))
            elif row.raw != prev.raw and (row.record is None or prev.record is None
                                          or _customer_content(row.record) != _customer_content(prev.record)):
                if report:
                    problems.append(Problem(
                        ERROR, f"twee tegenstrijdige klantenlijsten voor dezelfde maand: klant {row.customer_id} "
                        f"verschilt van {prev.source}", "Hou één klantenlijst per maand over, of maak ze gelijk.",
                        s.file, s.sheet, row.source.row, KLANTEN_HEADER, "", row.customer_id, None,
                        "snapshot.conflict", True))
    if report:
        for group in CustomerIds(forms).ambiguous():
            for form in group:
                sheet, row = first[key(form)]
                problems.append(Problem(
                    ERROR, text("id.ambiguous", lang, forms=_quoted(group)), text("id.ambiguous.fix", lang),
                    sheet.file, sheet.sheet, row.source.row, KLANTEN_HEADER, "", form, form, "customer.ambiguous"))
    return customers, forms


KLANTEN_HEADER = "klantnummer"


def _merge_licences(sheets: list[ParsedSheet], problems: list[Problem], *, report: bool) -> list[Licence]:
    licences: list[Licence] = []
    first: dict[tuple, tuple[ParsedSheet, ParsedRow]] = {}
    for s in sheets:
        for row in s.rows:
            if report:
                problems.extend(row.problems)
            if row.record is None:
                continue
            ident = _licence_identity(row.record)
            if ident in first:
                fs, prev = first[ident]
                if fs is s or (prev.record.quantity, prev.record.end_date) != (row.record.quantity,
                                                                               row.record.end_date):
                    if report:
                        problems.append(Problem(
                            ERROR, f"licentie {row.record.module} van klant {row.customer_id} gekocht op "
                            f"{row.record.purchase_date:%d/%m/%Y} staat twee keer (eerst in {prev.source})",
                            "Hou één rij over en zet het aantal op het totaal.", s.file, s.sheet, row.source.row,
                            "module", "", row.record.module, row.customer_id, "licence.duplicate"))
                continue
            first[ident] = (s, row)
            licences.append(row.record)
    return licences


# --- the reader -----------------------------------------------------------------------------


def read_inbox(workspace: Path, settings: Settings, *, progress: Progress | None = None) -> Inbox:
    """Read and validate the tariffs and the whole inbox of ``workspace``; never raises on bad input.

    The records use one written form per customer and module: ``Customer.customer_id`` is the
    number as the customer list writes it (NFKC), and every licence and intervention carries that
    same string; ``Licence.module`` is the code as tarieven.xlsx writes it.
    """
    workspace = Path(workspace)
    lang = settings.ui.language
    problems: list[Problem] = []
    files: list[InputFile] = []
    root = os.path.realpath(workspace)
    paths = list_inbox(workspace, problems, lang)
    total = len(paths) + 1
    report = progress or (lambda step, done, total: None)

    report("tarieven lezen", 0, total)
    tariff_path = _tariffs_path(workspace, root, problems, lang)
    if tariff_path is not None:
        tf, tsheets = _read_file(tariff_path, TARIFFS_FILE, TARIFF_SHEETS, problems, settings, tariffs=True)
        if tf is not None:
            files.append(tf)
        opened = tf is not None and bool(tf.sheets)  # a refused file already has its fatal problem
        tariffs = _build_tariffs(tsheets, TARIFFS_FILE, problems) if opened else Tariffs({}, (), ())
    else:
        tariffs = Tariffs({}, (), ())
    tariffs_ok = not any(p.fatal and p.file == TARIFFS_FILE for p in problems)

    sheets: list[ParsedSheet] = []
    for done, (path, rel) in enumerate(paths, start=1):
        report("inbox lezen", done, total)
        f, found = _read_file(path, rel, INBOX_SHEETS, problems, settings, tariffs=False)
        if f is not None:
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
    customers, forms = _merge_customers(used, problems, report=True, lang=lang)
    ids = CustomerIds(forms)
    _summarise_old(by_kind["klanten"], cust_month, problems, lang)
    if cust_prev:
        before, before_forms = _merge_customers([s for s in by_kind["klanten"] if s.month == cust_prev], problems,
                                                report=False)
        _compare_customers(before, before_forms, customers, ids, cust_prev, cust_month, problems, lang)

    module_codes = {key(code): code for code in tariffs.modules}
    lic_month, lic_prev = _pick_month(by_kind["licenties"], "licentielijst", problems)
    lic_used = [s for s in by_kind["licenties"] if s.month == lic_month]
    licences = _merge_licences(lic_used, problems, report=True)
    _summarise_old(by_kind["licenties"], lic_month, problems, lang)
    if lic_month != cust_month and lic_used and used:
        problems.append(_file_problem(lic_used[0].file, f"de nieuwste licentielijst ({lic_month}) is van een andere "
                                      f"maand dan de nieuwste klantenlijst ({cust_month})",
                                      "Zet elke maand beide lijsten in de inbox.", "snapshot.month_mismatch",
                                      WARNING, False))
    if lic_prev:
        before_lic = _merge_licences([s for s in by_kind["licenties"] if s.month == lic_prev], [], report=False)
        _compare_licences(before_lic, licences, lic_prev, lic_month, customers, module_codes, problems, lang)
    zeros = _LeadingZeros()
    kept = []
    for lic in licences:
        where = lic.source
        form, _ = _resolve_customer(
            ids, lic.customer_id, where, f"klantnummer \"{lic.customer_id}\" bestaat niet in de klantenlijst"
            f" ({cust_month or 'zonder maand'})", zeros, problems, lang)
        if form is None:
            continue
        code = module_codes.get(key(lic.module))
        if tariffs_ok and code is None:
            problems.append(Problem(ERROR, f"module \"{lic.module}\" bestaat niet in tarieven.xlsx",
                                    "Gebruik een code uit het blad Modules, of voeg de module daar toe.",
                                    where.file, where.sheet, where.row, "module", "", lic.module,
                                    form, "module.unknown"))
            continue
        if form != lic.customer_id or (code is not None and code != lic.module):
            lic = dataclasses.replace(lic, customer_id=form, module=code or lic.module)
        kept.append(lic)

    interventions = _combine_interventions(by_kind["interventies"], ids, zeros, problems, lang)
    zeros.report(problems, lang)
    _hold_by_list_form(problems, ids)
    _locate_columns(problems, sheets)
    return Inbox(customers, kept, interventions, tariffs, problems, files, cust_month, set(forms),
                 columns={(s.file, s.sheet): s.columns for s in sheets})


def cell_locator(inbox: Inbox):
    """A function (row's source, column name) → the cell (``C17``, "" when the sheet has no such
    column), for problems found after reading (the pricing core's warnings)."""
    columns = inbox.columns

    def locate(source: Source, column: str) -> str:
        where = columns.get((source.file, source.sheet), {}).get(column)
        return cell_ref(source.row - 1, where[0]) if where is not None else ""

    return locate


def _locate_columns(problems: list[Problem], sheets: list[ParsedSheet]) -> None:
    """Fill in the cell of cross-sheet problems (made without the sheet layout at hand)."""
    layouts = {(s.file, s.sheet): s.columns for s in sheets}
    for i, p in enumerate(problems):
        if p.cell or not p.row or not p.column or (p.file, p.sheet) not in layouts:
            continue
        where = layouts[(p.file, p.sheet)].get(p.column)
        if where is not None:
            problems[i] = dataclasses.replace(p, cell=cell_ref(p.row - 1, where[0]), column=where[1])


def _compare_customers(before: dict[str, Customer], before_forms: list[str], now: dict[str, Customer],
                       ids: CustomerIds, prev: str, month: str, problems: list[Problem], lang: str) -> None:
    """R10 and T1 between the two newest customer lists: vanished, renumbered and new customers."""
    for cid, c in sorted(before.items()):
        form, how, _ = ids.resolve(cid)
        src = c.source
        if how == UNKNOWN:
            if c.cancelled_on is None:
                problems.append(Problem(
                    WARNING, text("customer.vanished", lang, cid=cid, name=c.name, prev=prev, month=month),
                    text("customer.vanished.fix", lang), src.file, src.sheet, src.row, KLANTEN_HEADER, "", cid,
                    None, "snapshot.customer_vanished"))
        elif form is not None and form != cid:  # 01001 re-saved by Excel as 1001, k1001 retyped as K1001
            where = now[form].source if form in now else src
            problems.append(Problem(
                WARNING, text("customer.form_changed", lang, old=cid, new=form, prev=prev, month=month),
                text("customer.form_changed.fix", lang), where.file, where.sheet, where.row, KLANTEN_HEADER, "",
                form, None, "snapshot.customer_renumbered"))
    earlier = CustomerIds(before_forms)
    for cid, c in sorted(now.items()):
        if earlier.resolve(cid)[1] == UNKNOWN:
            src = c.source
            problems.append(Problem(WARNING, f"nieuwe klant {cid} ({c.name}) sinds {prev}", "Ter info.",
                                    src.file, src.sheet, src.row, "klantnummer", "", cid, None, "snapshot.customer_new"))


def _compare_licences(before: list[Licence], now: list[Licence], prev: str, month: str,
                      customers: dict[str, Customer], module_codes: dict[str, str], problems: list[Problem],
                      lang: str) -> None:
    """R10 between the two newest licence lists: a licence gone without an end date is reported;
    one row of a customer and module replaced by one with another purchase date is one warning
    (a corrected purchase date), not a vanished and a new licence."""
    by_customer = {customer_key(cid): c for cid, c in customers.items()}
    old: dict[tuple, Licence] = {}
    cur: dict[tuple, Licence] = {}
    for lic in before:
        old.setdefault(_licence_identity(lic), lic)
    for lic in now:
        cur.setdefault(_licence_identity(lic), lic)
    gone: dict[tuple[str, str], list[Licence]] = {}
    added: dict[tuple[str, str], list[Licence]] = {}
    for ident, lic in old.items():
        if ident not in cur:
            gone.setdefault(ident[:2], []).append(lic)
    for ident, lic in cur.items():
        if ident not in old:
            added.setdefault(ident[:2], []).append(lic)
    for pair, lics in gone.items():
        cust = by_customer.get(pair[0])
        cid = cust.customer_id if cust is not None else lics[0].customer_id
        module = module_codes.get(pair[1], lics[0].module)
        new = added.get(pair, [])
        if len(lics) == 1 and len(new) == 1:
            was, now_lic = lics[0], new[0]
            src = now_lic.source
            problems.append(Problem(
                WARNING, text("licence.date_changed", lang, module=module, cid=cid, prev=prev, month=month,
                              old=f"{was.purchase_date:%d/%m/%Y}", new=f"{now_lic.purchase_date:%d/%m/%Y}"),
                text("licence.date_changed.fix", lang), src.file, src.sheet, src.row, "aankoopdatum", "",
                f"{now_lic.purchase_date:%d/%m/%Y}", None, "snapshot.licence_date_changed"))
            continue
        for lic in lics:
            if lic.end_date is not None or (cust is not None and cust.cancelled_on is not None):
                continue
            src = lic.source
            problems.append(Problem(
                WARNING, text("licence.vanished", lang, module=module, cid=cid, prev=prev, month=month,
                              bought=f"{lic.purchase_date:%d/%m/%Y}"),
                text("licence.vanished.fix", lang), src.file, src.sheet, src.row, "module", "", lic.module, None,
                "snapshot.licence_vanished"))


def _combine_interventions(sheets: list[ParsedSheet], ids: CustomerIds, zeros: _LeadingZeros,
                           problems: list[Problem], lang: str) -> list[InterventionRow]:
    """Every intervention row of every sheet, each once: repeats by number (compared by key: ``i-1``
    is ``I-1``) are duplicates or conflicts; the customer is the customer list's form."""
    out: list[InterventionRow] = []
    first: dict[str, ParsedRow] = {}
    for s in sheets:
        for row in s.rows:
            problems.extend(row.problems)
            status, reason, record = None, "", row.record
            if row.problems and any(p.severity == ERROR for p in row.problems):
                status, reason = REJECTED, "; ".join(p.message for p in row.problems if p.severity == ERROR)
            number = key(row.key) if row.key else ""
            prev = first.get(number) if number else None
            if prev is not None:
                identical = (_intervention_content(prev.record) == _intervention_content(row.record)
                             if prev.record and row.record else prev.raw == row.raw)
                if identical:
                    status, reason, record = DUPLICATE, f"zelfde interventie als {prev.source}", None
                else:
                    msg = f"interventienummer \"{row.key}\" is al gebruikt in {prev.source}, met andere gegevens"
                    problems.append(Problem(ERROR, msg, "Geef elke interventie een eigen nummer.", s.file, s.sheet,
                                            row.source.row, "interventienummer", "", row.key,
                                            row.customer_id or None, "intervention.conflict"))
                    status, reason, record = REJECTED, msg, None
            elif number:
                first[number] = row
            customer = row.customer_id
            if status is None:
                form, why = _resolve_customer(
                    ids, customer, row.source, f"klantnummer \"{customer}\" bestaat niet in de klantenlijst",
                    zeros, problems, lang)
                if form is None:
                    status, reason, record = REJECTED, why, None
                else:
                    customer = form
                    if record.customer_id != form:
                        record = dataclasses.replace(record, customer_id=form)
            else:
                customer = ids.resolve(customer)[0] or customer
            if status == REJECTED:
                record = None
            out.append(InterventionRow(row.source, row.key, customer, record, status, reason))
    return out


def read_tariffs(workspace: Path, settings: Settings) -> tuple[Tariffs, list[Problem]]:
    """tarieven.xlsx alone (for reports that need the rates, not the inbox): the tariffs and the problems."""
    workspace = Path(workspace)
    problems: list[Problem] = []
    tariff_path = _tariffs_path(workspace, os.path.realpath(workspace), problems, settings.ui.language)
    if tariff_path is None:
        return Tariffs({}, (), ()), problems
    tf, tsheets = _read_file(tariff_path, TARIFFS_FILE, TARIFF_SHEETS, problems, settings, tariffs=True)
    if tf is None or not tf.sheets:
        return Tariffs({}, (), ()), problems
    return _build_tariffs(tsheets, TARIFFS_FILE, problems), problems
