"""The document workbook: the writer of a layout (:mod:`.invoice_layout`'s classes) as an xlsx
workbook, printable on A4 portrait, one page wide — the invoice (``facturen/<number>.xlsx``)
and every other document laid out on the same grid (the reminder, :mod:`.reminder_layout`).
:func:`render_layout_xlsx` writes any layout; :func:`render_invoice_xlsx` is its invoice caller.

Two writers implement the same sheet: :class:`_PlainSheet` through xlsxwriter, cell by cell (the
reference), and :class:`_DirectSheet` through :mod:`.xlsx_direct` (fast, the same bytes).
What is the workbook's own: the formats of the styles, the sheet name, the printed footer and
print ranges, the row heights of wrapped texts (spreadsheets do not grow rows for them).

Rules kept here:

- every user text (names, addresses, descriptions) is written with ``write_string``: a text
  starting with ``=``, ``+``, ``-`` or ``@`` stays text, never a formula or a link;
- amounts are written as numbers: ``float(Decimal)`` at the cell boundary only. An amount
  with two decimals converts to the nearest double, which xlsxwriter writes back as the same
  shortest decimal text (``374.8``), so the file holds the exact amount;
- the same invoice renders to the same bytes (fixed document properties, deterministic QR).

The formats are the invoice's, numbered in a fixed order; a layout that uses a style of
:data:`EXTRA_STYLES` (the reminder's interest rate, an indented text) gets those formats
appended after them, so
that an invoice's workbook never changes because another document needed a format.
"""

from __future__ import annotations

import functools
import io
import struct
import textwrap
import zlib
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

import segno
import xlsxwriter

from ..model import Invoice
from . import xlsx_direct
from .i18n import t
from .invoice_layout import LAST_COL, WIDTHS, WRAPPING, Block, InvoiceLayout, Qr, Version, epc_qr, invoice_layout
from .xlsx_direct import utf16_truncate

LINE_HEIGHT = 12.0  # points per text line at 9 pt
GREY = "#666666"
BAND = "#E8EEF4"
RULE = "#B7C3D0"


# Styles beyond the invoice's, in the order their formats are appended (see the module docstring).
EXTRA_STYLES = ("cell_rate", "cell_indent", "head_indent", "continued")


def _format_specs(lang: str, extras: tuple[str, ...] = ()) -> dict[str, dict]:
    """The sheet's formats (xlsxwriter properties) by name, in the order their styles are numbered:
    the invoice's, then the ``extras`` (names of :data:`EXTRA_STYLES`) the layout uses."""
    # The locale tag makes LibreOffice show the reader's separators (Excel uses the
    # system's); the euro sign sits where the reader expects it.
    money = {"nl": '[$-813]#,##0.00 "€"', "fr": '[$-80C]#,##0.00 "€"',
             "en": '[$-1809]"€"#,##0.00'}[lang]
    per_month = t("unit.per_month", lang)
    per_hour = t("unit.per_hour", lang)
    base = {"valign": "top"}
    line = {**base, "bottom": 4, "bottom_color": RULE}
    locale = money[:money.index("]") + 1]
    note = {**line, "italic": True, "font_color": GREY, "text_wrap": True}
    extra = {
        "cell_rate": {**line, "align": "right", "num_format": f'{locale}0.00" %"'},  # 12,50 % a year
        "cell_indent": {**line, "align": "left", "indent": 1},  # a text after a right-aligned amount
        "head_indent": {**base, "bold": True, "bottom": 1, "bottom_color": RULE, "text_wrap": True,
                        "valign": "bottom", "align": "left", "indent": 1},  # the heading of such texts
        # a blank cell continuing the one above it: shown as a description row's blank, and its row
        # stays on the page of the row above (see _groups; the PDF joins it to the cell above)
        "continued": note,
    }
    return {
        "text": base,
        "small": {**base, "font_color": GREY, "font_size": 8},
        "bold": {**base, "bold": True},
        "seller": {**base, "bold": True, "font_size": 13},
        "title": {**base, "bold": True, "font_size": 18, "align": "right", "font_color": "#1F3864"},
        "draft": {**base, "bold": True, "font_size": 11, "align": "right", "font_color": "#C00000"},
        "label": {**base, "font_color": GREY},
        "value": {**base, "bold": True, "align": "left"},
        "value_date": {**base, "bold": True, "align": "left", "num_format": "dd/mm/yyyy"},
        "head": {**base, "bold": True, "bottom": 1, "bottom_color": RULE, "text_wrap": True, "valign": "bottom"},
        "head_r": {**base, "bold": True, "bottom": 1, "bottom_color": RULE, "align": "right", "text_wrap": True,
                   "valign": "bottom"},
        "band": {**base, "bold": True, "bg_color": BAND, "top": 1, "top_color": RULE},
        "cell": line,
        "cell_date": {**line, "num_format": "dd/mm/yyyy", "align": "left"},
        "cell_wrap": {**line, "text_wrap": True},
        "cell_r": {**line, "align": "right"},
        "cell_qty": {**line, "align": "right", "num_format": f"{locale}General"},
        "cell_money": {**line, "num_format": money},
        "cell_month": {**line, "num_format": f'{money}"{per_month}"'},
        "cell_hour": {**line, "num_format": f'{money}"{per_hour}"'},
        "note": note,
        "money": {**base, "num_format": money},
        "money_bold": {**base, "num_format": money, "bold": True},
        "total_label": {**base, "bold": True, "font_size": 11, "top": 2, "align": "right"},
        "total": {**base, "bold": True, "font_size": 11, "top": 2, "num_format": money},
        "right": {**base, "align": "right"},
        "rate": {**base, "align": "right", "num_format": '0" %"'},
        "mention": {**base, "bold": True, "text_wrap": True, "border": 1, "border_color": RULE,
                    "bg_color": "#FFF8E1"},
        "wrap": {**base, "text_wrap": True},
        "reference": {**base, "bold": True, "font_size": 13},
        "scan": {"font_color": GREY, "font_size": 8, "align": "center", "valign": "bottom"},
        **{name: extra[name] for name in extras},
    }


def layout_extras(layout) -> tuple[str, ...]:
    """The styles of :data:`EXTRA_STYLES` that ``layout`` uses, in that order (() for an invoice)."""
    used = {cell.style for version in layout.versions for block in version.blocks for cell in block.cells}
    return tuple(name for name in EXTRA_STYLES if name in used)


def _workbook_options() -> dict:
    """xlsxwriter's options, a fresh dict each time (xlsxwriter changes the one it is given)."""
    return {
        "in_memory": True,
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
        "default_format_properties": {"font_name": "Arial", "font_size": 9},
    }


@dataclass(frozen=True)
class _Page:
    """What the sheet needs besides its cells: names, footer and print ranges."""

    sheet_name: str
    title: str
    author: str
    created: datetime
    footer: str
    repeat_row: int | None
    last_row: int
    breaks: tuple[int, ...] = ()


class _Sheet:
    """What a layout is written to: texts, numbers, dates, blanks, merged ranges, row heights and
    one image. Two writers implement it with the same result: :class:`_PlainSheet` through
    xlsxwriter (the reference), :class:`_DirectSheet` through :mod:`.xlsx_direct` (fast)."""

    lang: str
    extras: tuple[str, ...] = ()  # the formats beyond the invoice's (EXTRA_STYLES) this workbook has

    def text(self, row: int, col: int, value: str | None, fmt: str = "text", last_col: int | None = None):
        """A text cell (merged over ``col..last_col`` when given): always a string, never a formula."""
        value = utf16_truncate(value or "")  # Excel's limit for one cell
        if last_col is not None and last_col > col:
            self.merge(row, col, last_col, fmt)
        self.string(row, col, value, fmt)

    # implemented by the writers
    def string(self, row: int, col: int, value: str, fmt: str): ...
    def merge(self, row: int, first_col: int, last_col: int, fmt: str): ...
    def number(self, row: int, col: int, value: Decimal | int, fmt: str): ...
    def day(self, row: int, col: int, value: date, fmt: str): ...
    def blank(self, row: int, col: int, fmt: str): ...
    def set_row(self, row: int, points: float): ...
    def image(self, row: int, col: int, png: bytes, description: str): ...
    def print_setup(self, page: _Page) -> None: ...


# The QR code: 4 px per module shown at 60 % (about 2.5 cm wide), beside its caption.
IMAGE = {"x_scale": 0.6, "y_scale": 0.6, "x_offset": 45, "y_offset": 2}


class _PlainSheet(_Sheet):
    """The sheet written through xlsxwriter; every write checks its return code."""

    def __init__(self, lang: str, sheet_name: str, first: _PlainSheet | None = None, extras: tuple[str, ...] = ()):
        """A sheet of a new workbook, or the next sheet of ``first``'s workbook, with the invoice's
        formats and the ``extras``."""
        self.lang, self.extras = lang, extras
        if first is None:
            self.buffer = io.BytesIO()
            self.wb = xlsxwriter.Workbook(self.buffer, _workbook_options())
            self.formats: dict[str, tuple[dict, dict]] = {}
        else:
            self.buffer, self.wb, self.formats = first.buffer, first.wb, first.formats
        self.ws = self.wb.add_worksheet(sheet_name)
        if lang not in self.formats:
            fmt = {name: self.wb.add_format(props) for name, props in _format_specs(lang, extras).items()}
            # Number every style now, in a fixed order, rather than in the order of first use: then
            # styles.xml is the same for every invoice in a language (xlsx_direct needs it). Formats
            # with equal properties share a number.
            self.formats[lang] = fmt, {name: xlsx_direct.style_index(f) for name, f in fmt.items()}
        self.fmt, self.xf = self.formats[lang]
        for col, width in enumerate(WIDTHS):
            self.ws.set_column(col, col, width)

    @staticmethod
    def _check(code: int, what: str) -> None:
        if code < 0:  # xlsxwriter reports errors by return code, never by exception
            raise RuntimeError(f"xlsxwriter could not write {what} (code {code})")

    def string(self, row, col, value, fmt):
        self._check(self.ws.write_string(row, col, value, self.fmt[fmt]), f"text at row {row + 1}")

    def merge(self, row, first_col, last_col, fmt):
        self._check(self.ws.merge_range(row, first_col, row, last_col, "", self.fmt[fmt]), "a merged range")

    def number(self, row, col, value, fmt):
        # The only float in bijstand: at the cell boundary (see the module docstring).
        self._check(self.ws.write_number(row, col, float(value), self.fmt[fmt]), f"number at row {row + 1}")

    def day(self, row, col, value, fmt):
        self._check(self.ws.write_datetime(row, col, datetime.combine(value, time()), self.fmt[fmt]),
                    f"date at row {row + 1}")

    def blank(self, row, col, fmt):
        self._check(self.ws.write_blank(row, col, None, self.fmt[fmt]), f"blank at row {row + 1}")

    def set_row(self, row, points):
        self._check(self.ws.set_row(row, points), f"the height of row {row + 1}")

    def image(self, row, col, png, description):
        self._check(self.ws.insert_image(row, col, "epc-qr.png", {
            "image_data": io.BytesIO(png), **IMAGE, "object_position": 3, "description": description}),
            "the QR code")

    def finish(self, page: _Page) -> bytes:
        self.wb.set_properties({"title": page.title, "author": page.author, "company": page.author,
                                "created": page.created})
        self.print_setup(page)
        self.ws.activate()
        self.wb.close()
        return self.buffer.getvalue()

    def print_setup(self, page: _Page) -> None:
        ws = self.ws
        ws.hide_gridlines(2)
        ws.set_paper(9)  # A4
        ws.set_portrait()
        ws.set_print_scale(PRINT_SCALE)
        ws.center_horizontally()
        ws.set_margins(left=0.5, right=0.5, top=0.55, bottom=0.75)
        if page.repeat_row is not None:
            ws.repeat_rows(page.repeat_row)
        ws.print_area(0, 0, page.last_row, LAST_COL)
        if page.breaks:
            ws.set_h_pagebreaks(list(page.breaks))
        ws.set_footer(page.footer)


class _DirectSheet(_Sheet):
    """A sheet recorded in an :class:`xlsx_direct.SheetModel`; the workbook is written from a
    template of its languages (one sheet per version)."""

    def __init__(self, langs: tuple[str, ...], index: int, sheet_name: str, first: _DirectSheet | None = None,
                 extras: tuple[str, ...] = ()):
        self.lang, self.extras = langs[index], extras
        self.model = xlsx_direct.SheetModel(sheet_name, strings=first.model.strings if first else {})
        self.xf = _style_indices(langs, extras)[index]

    def string(self, row, col, value, fmt):
        self.model.string(row, col, value, self.xf[fmt])

    def merge(self, row, first_col, last_col, fmt):
        self.model.merge(row, first_col, last_col, self.xf[fmt])

    def number(self, row, col, value, fmt):
        self.model.number(row, col, float(value), self.xf[fmt])

    def day(self, row, col, value, fmt):
        self.model.number(row, col, float((value - EXCEL_EPOCH).days), self.xf[fmt])

    def blank(self, row, col, fmt):
        self.model.blank(row, col, self.xf[fmt])

    def set_row(self, row, points):
        self.model.height(row, points)

    def image(self, row, col, png, description):
        self.model.image = xlsx_direct.Image(row, col, png, description=description, **IMAGE)

    def print_setup(self, page: _Page) -> None:
        m = self.model
        m.footer = page.footer
        m.print_area = (0, 0, page.last_row, LAST_COL)
        m.repeat_row = page.repeat_row
        m.row_breaks = page.breaks


def _finish(sheets: list[_Sheet], pages: list[_Page]) -> bytes:
    """The workbook of ``sheets`` (the first one active), with the first page's properties."""
    for sheet, page in zip(sheets[1:], pages[1:]):
        sheet.print_setup(page)
    first, page = sheets[0], pages[0]
    if isinstance(first, _PlainSheet):
        return first.finish(page)  # the workbook's properties, the first sheet's setup, active
    first.print_setup(page)
    langs = tuple(sheet.lang for sheet in sheets)
    models = [sheet.model for sheet in sheets]
    tpl = _template(langs, models[0].image is not None, first.extras)
    return xlsx_direct.write_package(models, tpl, title=page.title,
                                     author=page.author, company=page.author, created=page.created)


EXCEL_EPOCH = date(1899, 12, 30)  # day 0 of Excel's 1900 date system, as seen from 1900-03-01 on


@functools.lru_cache(maxsize=None)
def _template_book(langs: tuple[str, ...], with_image: bool,
                   extras: tuple[str, ...] = ()) -> tuple[bytes, tuple[int, ...], list[dict]]:
    """A workbook written by xlsxwriter with a sheet per language, every format, a merge, a footer
    and print ranges (and the QR image): the fixed parts of every document of these languages and
    kind, with the formats of the invoice and the ``extras``."""
    sheets: list[_PlainSheet] = []
    for i, lang in enumerate(langs):
        s = _PlainSheet(lang, f"Template {i + 1}", sheets[0] if sheets else None, extras)
        s.text(0, 0, "x", "text", 1)
        if with_image:
            s.image(1, 0, _png(segno.make_qr("x")), "x")
        sheets.append(s)
    page = _Page("Template", "x", "x", datetime(2000, 1, 1), "x", None, 1)
    data = _finish(sheets, [page] * len(sheets))
    col_px = tuple(xlsx_direct.column_pixels(sheets[0].ws, col) for col in range(len(WIDTHS)))
    return data, col_px, [s.xf for s in sheets]


@functools.lru_cache(maxsize=None)
def _template(langs: tuple[str, ...], with_image: bool, extras: tuple[str, ...] = ()) -> xlsx_direct.Template:
    data, col_px, _ = _template_book(langs, with_image, extras)
    return xlsx_direct.make_template(data, col_px)


def _style_indices(langs: tuple[str, ...], extras: tuple[str, ...] = ()) -> list[dict[str, int]]:
    return _template_book(langs, False, extras)[2]


@functools.lru_cache(maxsize=4096)
def _line_count(text: str, width: float) -> int:
    """Lines a text takes in cells ``width`` characters wide: a character of Arial 9 per unit of
    width (the text is narrower: an estimate that errs on the tall side, so that a wrapped text
    never runs over the row below).

    >>> _line_count("not covered by the agreement", 23), _line_count("virus", 23)
    (2, 1)
    >>> _line_count("overeenkomst nog niet gestart", 23)
    2
    """
    per_line = max(int(width), 8)
    return sum(max(1, len(textwrap.wrap(part, per_line))) for part in (text or "").split("\n"))


def _sheet_name(title: str, number: str | None, draft: str) -> str:
    """Worksheet name: the document title and number, within Excel's rules.

    >>> _sheet_name("Factuur", "2027-000001", "CONCEPT")
    'Factuur 2027-000001'
    >>> _sheet_name("Creditnota", "CN/2027:1", "CONCEPT")
    'Creditnota CN-2027-1'
    """
    name = f"{title} {number or draft}"
    for ch in "[]:*?/\\":
        name = name.replace(ch, "-")
    return name.strip("'")[:31]


def _footer_text(text: str) -> str:
    """Escape ``&`` for an Excel header/footer (``&`` starts a control code)."""
    return text.replace("&", "&&")


def _footer(seller: str, document: str, page: str) -> str:
    """The printed footer: seller left, document centre, page right; the seller's name is
    shortened when Excel's limit of 255 characters would drop the footer."""
    for cut in range(len(seller), -1, -1):
        name = seller[:cut] + ("…" if cut < len(seller) else "")
        text = f"&L&8{_footer_text(name)}&C&8{_footer_text(document)}&R&8{page}"
        if len(text.encode("utf-16-le")) // 2 <= 255:
            return text
    return f"&C&8{_footer_text(document)}"[:255]


# --- the writer -----------------------------------------------------------------------------------


def render_invoice_xlsx(invoice: Invoice, plain: bool = False) -> bytes:
    """The invoice or credit note as an xlsx workbook (bytes), laid out by :mod:`.invoice_layout`
    and written by :func:`render_layout_xlsx`.

    Raises ValueError when the structured reference fails its mod-97 check: such an invoice
    must never reach a customer.
    """
    return render_layout_xlsx(invoice_layout(invoice), plain)


def render_layout_xlsx(layout: InvoiceLayout, plain: bool = False) -> bytes:
    """Any document's layout as an xlsx workbook (bytes): a sheet per version, the legal version
    first (the active sheet), its translation (if any) second (SPEC §9 L1); the document's issue
    date as the workbook's creation date, its legal version's name as its title.

    Written directly from a template (:mod:`.xlsx_direct`); ``plain=True`` writes the same bytes
    through xlsxwriter, cell by cell (the reference the tests compare with).
    """
    created = datetime.combine(layout.issue_date, time())
    langs = tuple(version.lang for version in layout.versions)
    extras = layout_extras(layout)
    sheets: list[_Sheet] = []
    pages: list[_Page] = []
    for i, (version, name) in enumerate(zip(layout.versions, _sheet_names(layout))):
        first = sheets[0] if sheets else None
        s = (_PlainSheet(version.lang, name, first, extras) if plain
             else _DirectSheet(langs, i, name, first, extras))
        sheets.append(s)
        pages.append(_write_version(s, version, name, created))
    return _finish(sheets, pages)


def _sheet_names(layout) -> list[str]:
    """A sheet name per version: its title and number, unique within the workbook."""
    names: list[str] = []
    for version in layout.versions:
        name = _sheet_name(version.title, layout.number, version.draft)
        if name in names:  # two languages with the same title
            name = _sheet_name(f"{version.title} ({version.lang})", layout.number, version.draft)
        names.append(name)
    return names


# Printed pages: A4 with the margins of _PlainSheet.print_setup, at a fixed scale rather than
# "fit to one page wide" (Excel ignores manual page breaks when it fits a sheet to pages): the
# seven columns (840 pixels as xlsxwriter counts them, 630 points) fit the 523 points between
# the margins at 83 %, in Excel and LibreOffice alike. A page then holds 748 / 0.83 points of
# rows; the page breaks are set a little before that, so that no automatic break comes first.
PRINT_SCALE = 83
PAGE_POINTS = (841.9 - (0.55 + 0.75) * 72) / (PRINT_SCALE / 100) * 0.97
DEFAULT_ROW = 15.0  # points


def _write_version(s: _Sheet, version: Version, sheet_name: str, created: datetime) -> _Page:
    """Write the blocks of ``version`` one under the other, breaking the printed pages where the
    layout allows it: never inside a block that keeps together (totals, payment with its QR
    code), a line never apart from its description row, and a block's heading rows repeated on
    top of a new page (the lines table, the appendix: each its own heading, no print titles)."""
    placed: list[tuple[Block, int] | None] = []  # what each sheet row holds (None: an empty row)
    breaks: list[int] = []
    used = 0.0
    for block in version.blocks:
        heights = _row_heights(block)
        groups = _groups(block)
        need = (sum(heights) if block.keep_together else
                sum(heights[r] for r in range(block.header_rows))
                + sum(heights[r] for r in (groups[block.header_rows] if len(groups) > block.header_rows else [])))
        gap = block.gap_before * DEFAULT_ROW
        if used and block.rows and used + gap + need > PAGE_POINTS:
            breaks.append(len(placed))  # the block starts the next page, without its gap
            used = 0.0
        else:
            placed.extend([None] * block.gap_before)
            used += gap
        for group in groups:
            height = sum(heights[r] for r in group)
            if used and used + height > PAGE_POINTS and not block.keep_together and group[0] >= block.header_rows:
                breaks.append(len(placed))
                used = 0.0
                for r in range(block.header_rows):  # the block's heading again on the new page
                    placed.append((block, r))
                    used += heights[r]
            for r in group:
                placed.append((block, r))
                used += heights[r]
    rows_of: dict[tuple[int, int], list[int]] = {}
    for row, where in enumerate(placed):
        if where is not None:
            rows_of.setdefault((id(where[0]), where[1]), []).append(row)
    for block in version.blocks:
        _write_block(s, block, {r: rows_of.get((id(block), r), []) for r in range(block.rows)})
    return _Page(sheet_name=sheet_name, title=version.name, author=version.seller, created=created,
                 footer=_footer(version.seller, version.name, version.page_label),
                 repeat_row=None, last_row=len(placed) - 1, breaks=tuple(breaks))


def _groups(block: Block) -> list[list[int]]:
    """The block's rows in groups that stay on one page: a row with the description rows (or the
    rows continuing it) under it."""
    notes = {c.row for c in block.cells if c.col == 0 and c.style in ("note", "continued")}
    groups: list[list[int]] = []
    for r in range(block.rows):
        if r in notes and groups and r > block.header_rows:
            groups[-1].append(r)
        else:
            groups.append([r])
    return groups


def _write_block(s: _Sheet, block: Block, rows: dict[int, list[int]]) -> None:
    """Write ``block``'s cells on the sheet rows each of its rows was placed on (a heading row
    may be on several), then the heights of those rows."""
    for cell in block.cells:
        value = cell.value
        for row in rows[cell.row]:
            if cell.last_col is not None:
                s.merge(row, cell.col, cell.last_col, cell.style)
            if isinstance(value, str):
                s.string(row, cell.col, utf16_truncate(value), cell.style)
            elif value is None:
                s.blank(row, cell.col, cell.style)
            elif isinstance(value, Qr):
                s.image(row, cell.col, _png(value.code), value.description)
            elif isinstance(value, date):
                s.day(row, cell.col, value, cell.style)
            else:
                s.number(row, cell.col, value, cell.style)
    for r, points in _fixed_heights(block).items():
        for row in rows[r]:
            s.set_row(row, points)


def _fixed_heights(block: Block) -> dict[int, float]:
    """The rows of ``block`` whose height is set: fixed ones, and those of wrapped texts (Excel
    and LibreOffice do not grow a row for text wrapped in merged cells)."""
    out: dict[int, float] = {}
    for row, min_lines in block.fits:
        lines = min_lines
        for c in block.cells:
            if c.row == row and c.style in WRAPPING and isinstance(c.value, str):
                last = c.col if c.last_col is None else c.last_col
                lines = max(lines, _line_count(c.value, sum(WIDTHS[c.col:last + 1])))
        if lines > 1:
            out[row] = LINE_HEIGHT * lines + 3
    for row, points in block.heights:
        out[row] = points
    return out


def _row_heights(block: Block) -> list[float]:
    """The printed height of each row of ``block`` (points)."""
    heights = [DEFAULT_ROW] * block.rows
    for row, points in _fixed_heights(block).items():
        heights[row] = points
    return heights


def epc_qr_png(invoice: Invoice) -> bytes | None:
    """The EPC ("scan to pay") QR code of ``invoice`` as PNG, or None (see :func:`.invoice_layout.epc_qr`)."""
    qr = epc_qr(invoice)
    return None if qr is None else _png(qr)


def _png(qr, scale: int = 4, border: int = 4) -> bytes:
    """The QR code as segno's own PNG writer writes it (1-bit greyscale, each module ``scale``
    pixels, ``border`` modules of quiet zone, zlib level 9) — the same bytes, ten times faster:
    a module row becomes its scanline in one string operation instead of a loop per pixel.
    ``tests/test_invoice_xlsx.py`` compares the two."""
    width = (len(qr.matrix[0]) + 2 * border) * scale
    size = (width + 7) // 8
    pad = "0" * (size * 8 - width)
    quiet = "1" * (border * scale)
    light = b"\0" + int("1" * width + pad, 2).to_bytes(size, "big")
    repeat_above = (b"\2" + bytes(size)) * (scale - 1)  # PNG filter "Up" on a row of zeros
    modules = {0: "1" * scale, 1: "0" * scale}  # light is 1, dark is 0 in greyscale
    idat = bytearray(light * (border * scale))
    for row in qr.matrix:
        bits = quiet + bytes(row).decode("latin-1").translate(modules) + quiet + pad
        idat += b"\0" + int(bits, 2).to_bytes(size, "big")
        idat += repeat_above
    idat += light * (border * scale)

    def chunk(name: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + name + data + struct.pack(">I", zlib.crc32(name + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">2I5B", width, width, 1, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(bytes(idat), 9)) + chunk(b"IEND", b""))
