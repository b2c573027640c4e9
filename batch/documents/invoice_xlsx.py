"""The invoice workbook (``facturen/<number>.xlsx``): one invoice or credit note, on one
printable sheet, in the customer's language.

The sheet is laid out for A4 portrait, one page wide: seller and document details, buyer,
the lines in sections (agreement fees, interventions at the regie rate, upgrade), the VAT
breakdown and totals, the legal mentions, the payment instructions with the Belgian
structured reference and an EPC ("scan to pay") QR code, and an appendix with the
interventions the agreement covered for free.

Rules kept here:

- every user text (names, addresses, descriptions) is written with ``write_string``: a text
  starting with ``=``, ``+``, ``-`` or ``@`` stays text, never a formula or a link;
- amounts are written as numbers: ``float(Decimal)`` at the cell boundary only. An amount
  with two decimals converts to the nearest double, which xlsxwriter writes back as the same
  shortest decimal text (``374.8``), so the file holds the exact amount;
- the same invoice renders to the same bytes (fixed document properties, deterministic QR).
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

import segno.helpers
import xlsxwriter
from stdnum import iban as stdnum_iban
from stdnum.be import ogm_vcs

from ..model import Invoice, InvoiceLine, Party
from . import xlsx_direct
from .xlsx_direct import utf16_truncate
from .i18n import (
    category_name,
    channel_name,
    country_name,
    format_date,
    format_money,
    format_period,
    format_quantity,
    language,
    reason_text,
    t,
)

# Columns of the sheet: A period/date, B reference, C description, D details, E quantity,
# F price, G amount. Widths in characters of the default font (Arial 9).
WIDTHS = (19, 11, 24, 23, 11, 14, 13)
LAST_COL = len(WIDTHS) - 1
LINE_HEIGHT = 12.0  # points per text line at 9 pt
GREY = "#666666"
BAND = "#E8EEF4"
RULE = "#B7C3D0"


def _format_specs(lang: str) -> dict[str, dict]:
    """The sheet's formats (xlsxwriter properties) by name, in the order their styles are numbered."""
    # The locale tag makes LibreOffice show the reader's separators (Excel uses the
    # system's); the euro sign sits where the reader expects it.
    money = {"nl": '[$-813]#,##0.00 "€"', "fr": '[$-80C]#,##0.00 "€"',
             "en": '[$-1809]"€"#,##0.00'}[lang]
    per_month = t("unit.per_month", lang)
    per_hour = t("unit.per_hour", lang)
    base = {"valign": "top"}
    line = {**base, "bottom": 4, "bottom_color": RULE}
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
        "cell_qty": {**line, "align": "right", "num_format": "General"},
        "cell_money": {**line, "num_format": money},
        "cell_month": {**line, "num_format": f'{money}"{per_month}"'},
        "cell_hour": {**line, "num_format": f'{money}"{per_hour}"'},
        "note": {**line, "italic": True, "font_color": GREY, "text_wrap": True},
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
    }


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
    repeat_row: int
    last_row: int


class _Sheet:
    """What the layout writes to: texts, numbers, dates, blanks, merged ranges, row heights and
    one image. Two writers implement it with the same result: :class:`_PlainSheet` through
    xlsxwriter (the reference), :class:`_DirectSheet` through :mod:`.xlsx_direct` (fast)."""

    lang: str

    def text(self, row: int, col: int, value: str | None, fmt: str = "text", last_col: int | None = None):
        """A text cell (merged over ``col..last_col`` when given): always a string, never a formula."""
        value = utf16_truncate(value or "")  # Excel's limit for one cell
        if last_col is not None and last_col > col:
            self.merge(row, col, last_col, fmt)
        self.string(row, col, value, fmt)

    def wrapped(self, row: int, col: int, last_col: int, value: str, fmt: str, min_lines: int = 1):
        """Merged, wrapped text with a row height that fits it (merged cells do not autofit)."""
        self.text(row, col, value, fmt, last_col)
        self.fit_row(row, [(col, last_col, value)], min_lines)

    def fit_row(self, row: int, cells: list[tuple[int, int, str]], min_lines: int = 1):
        """Set the height of ``row`` to the most wrapped of ``cells`` (first col, last col, text).

        Neither Excel nor LibreOffice reliably grows a row for wrapped text written by
        xlsxwriter, so the number of lines is estimated here by word-wrapping the text at the
        width of its cells.
        """
        lines = min_lines
        for first, last, value in cells:
            lines = max(lines, _line_count(value, sum(WIDTHS[first:last + 1])))
        if lines > 1:
            self.set_row(row, LINE_HEIGHT * lines + 3)

    # implemented by the writers
    def string(self, row: int, col: int, value: str, fmt: str): ...
    def merge(self, row: int, first_col: int, last_col: int, fmt: str): ...
    def number(self, row: int, col: int, value: Decimal | int, fmt: str): ...
    def day(self, row: int, col: int, value: date, fmt: str): ...
    def blank(self, row: int, col: int, fmt: str): ...
    def set_row(self, row: int, points: float): ...
    def image(self, row: int, col: int, png: bytes, description: str): ...
    def finish(self, page: _Page) -> bytes: ...


# The QR code: 4 px per module shown at 60 % (about 2.5 cm wide), beside its caption.
IMAGE = {"x_scale": 0.6, "y_scale": 0.6, "x_offset": 45, "y_offset": 2}


class _PlainSheet(_Sheet):
    """The sheet written through xlsxwriter; every write checks its return code."""

    def __init__(self, lang: str, sheet_name: str):
        self.lang = lang
        self.buffer = io.BytesIO()
        self.wb = xlsxwriter.Workbook(self.buffer, _workbook_options())
        self.ws = self.wb.add_worksheet(sheet_name)
        self.fmt = {name: self.wb.add_format(props) for name, props in _format_specs(lang).items()}
        # Number every style now, in a fixed order, rather than in the order of first use: then
        # styles.xml is the same for every invoice in a language (xlsx_direct needs it). Formats
        # with equal properties share a number.
        self.xf = {name: fmt._get_xf_index() for name, fmt in self.fmt.items()}
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
        ws = self.ws
        ws.hide_gridlines(2)
        ws.set_paper(9)  # A4
        ws.set_portrait()
        ws.fit_to_pages(1, 0)
        ws.center_horizontally()
        ws.set_margins(left=0.5, right=0.5, top=0.55, bottom=0.75)
        ws.repeat_rows(page.repeat_row)
        ws.print_area(0, 0, page.last_row, LAST_COL)
        ws.set_footer(page.footer)
        ws.activate()
        self.wb.close()
        return self.buffer.getvalue()


class _DirectSheet(_Sheet):
    """The sheet recorded in an :class:`xlsx_direct.SheetModel` and written from a template."""

    def __init__(self, lang: str, sheet_name: str):
        self.lang = lang
        self.model = xlsx_direct.SheetModel(sheet_name)
        self.xf = _style_indices(lang)

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

    def finish(self, page: _Page) -> bytes:
        m = self.model
        m.footer = page.footer
        m.print_area = (0, 0, page.last_row, LAST_COL)
        m.repeat_row = page.repeat_row
        return xlsx_direct.write_package(m, _template(self.lang, m.image is not None), title=page.title,
                                         author=page.author, company=page.author, created=page.created)


EXCEL_EPOCH = date(1899, 12, 30)  # day 0 of Excel's 1900 date system, as seen from 1900-03-01 on


@functools.lru_cache(maxsize=None)
def _template_sheet(lang: str, with_image: bool) -> tuple[bytes, tuple[int, ...], dict[str, int]]:
    """A workbook written by xlsxwriter with every format, a merge, a footer and print ranges
    (and the QR image): the fixed parts of every invoice of this language and kind."""
    s = _PlainSheet(lang, "Template")
    s.text(0, 0, "x", "text", 1)
    if with_image:
        s.image(1, 0, _png(segno.make_qr("x")), "x")
    data = s.finish(_Page("Template", "x", "x", datetime(2000, 1, 1), "x", 0, 1))
    col_px = tuple(s.ws._size_col(col) for col in range(len(WIDTHS)))
    return data, col_px, s.xf


@functools.lru_cache(maxsize=None)
def _template(lang: str, with_image: bool) -> xlsx_direct.Template:
    data, col_px, _ = _template_sheet(lang, with_image)
    return xlsx_direct.make_template(data, col_px)


def _style_indices(lang: str) -> dict[str, int]:
    return _template_sheet(lang, False)[2]


@functools.lru_cache(maxsize=4096)
def _line_count(text: str, width: float) -> int:
    """Lines a text takes in cells ``width`` characters wide (Arial 9 is narrower than the
    width unit, hence the factor).

    >>> _line_count("not covered by the agreement", 23), _line_count("virus", 23)
    (2, 1)
    """
    per_line = max(int(width * 1.2), 8)
    return sum(max(1, len(textwrap.wrap(part, per_line))) for part in (text or "").split("\n"))


# --- small formatting helpers -----------------------------------------------------------------


def _company_id(value: str | None) -> str:
    """Belgian enterprise number in its usual dotted form.

    >>> _company_id("0403170701")
    '0403.170.701'
    """
    if not value:
        return ""
    digits = "".join(ch for ch in value if ch.isdigit())
    if len(digits) == 9:
        digits = "0" + digits
    return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}" if len(digits) == 10 else value


def _iban(value: str | None) -> str:
    """IBAN in groups of four.

    >>> _iban("BE71096123456769")
    'BE71 0961 2345 6769'
    """
    if not value:
        return ""
    try:
        return stdnum_iban.format(value)
    except Exception:  # noqa: BLE001 - display only: show what we were given
        return value


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


def _address_lines(party: Party, lang: str) -> list[str]:
    lines = [party.street, " ".join(x for x in (party.postcode, party.city) if x)]
    if party.country and party.country.upper() != "BE":
        lines.append(country_name(party.country, lang))
    return [line for line in lines if line]


def _months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1


def _footer_text(text: str) -> str:
    """Escape ``&`` for an Excel header/footer (``&`` starts a control code)."""
    return text.replace("&", "&&")


QR_MASK = 2  # a fixed mask pattern: choosing the "best" of 8 costs 3x the time of the whole code


def _epc_qr(args: dict):
    """The EPC QR code with segno's EPC payload (error level M, as the EPC standard demands)."""
    make_data = getattr(segno.helpers, "_make_epc_qr_data", None)
    if make_data is None:  # a segno without the payload helper: let it choose the mask itself
        return segno.helpers.make_epc_qr(**args)
    data = make_data(args["name"], args["iban"], args["amount"], None, args["reference"], args["bic"], None, None)
    return segno.make_qr(data, error="m", boost_error=False, mask=QR_MASK)


def epc_qr_png(invoice: Invoice) -> bytes | None:
    """The EPC ("scan to pay") QR code as PNG, or None when there is nothing to pay by it.

    The Belgian structured reference goes, as its 12 digits, into the EPC reference field
    (≤ 35 characters). Credit notes, drafts and invoices without an IBAN get no code.
    """
    seller = invoice.seller
    if (invoice.document_type != "invoice" or not invoice.structured_reference or not seller.iban
            or not Decimal("0.01") <= invoice.total <= Decimal("999999999.99")):
        return None
    args = dict(name=seller.name.strip()[:70], iban=stdnum_iban.compact(seller.iban), amount=invoice.total,
                reference=ogm_vcs.compact(invoice.structured_reference), bic=seller.bic or None)
    try:
        qr = _epc_qr(args)
    except ValueError:  # e.g. no seller name, a BIC of the wrong length: print without the code
        return None
    return _png(qr)


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


# --- the document -------------------------------------------------------------------------------


def render_invoice_xlsx(invoice: Invoice, plain: bool = False) -> bytes:
    """The invoice or credit note as an xlsx workbook (bytes), in ``invoice.language``.

    Written directly from a template (:mod:`.xlsx_direct`); ``plain=True`` writes the same
    bytes through xlsxwriter, cell by cell (the reference the tests compare with).
    Raises ValueError when the structured reference fails its mod-97 check: such an invoice
    must never reach a customer.
    """
    if invoice.structured_reference and not ogm_vcs.is_valid(invoice.structured_reference):
        raise ValueError(f"structured reference {invoice.structured_reference!r} of invoice "
                         f"{invoice.number} fails the mod-97 check")
    lang = language(invoice.language)
    credit = invoice.document_type == "credit_note"
    title = t("doc.credit_note" if credit else "doc.invoice", lang)
    draft = t("doc.draft", lang)
    sheet_name = _sheet_name(title, invoice.number, draft)
    s = (_PlainSheet if plain else _DirectSheet)(lang, sheet_name)

    row = _header(s, invoice, title, draft, credit)
    header_row = row
    row = _lines(s, invoice, row)
    row = _totals(s, invoice, row + 1, credit)
    row = _mentions(s, invoice, row + 1, credit)
    row = _payment(s, invoice, row + 1)
    row = _appendix(s, invoice, row)

    document = " ".join(x for x in (title, invoice.number or draft) if x)
    return s.finish(_Page(
        sheet_name=sheet_name, title=f"{title} {invoice.number or draft}", author=invoice.seller.name,
        created=datetime.combine(invoice.issue_date, time()),
        footer=_footer(invoice.seller.name, document, t("footer.page", lang)),
        repeat_row=header_row, last_row=row - 1))


def _footer(seller: str, document: str, page: str) -> str:
    """The printed footer: seller left, document centre, page right; the seller's name is
    shortened when Excel's limit of 255 characters would drop the footer."""
    for cut in range(len(seller), -1, -1):
        name = seller[:cut] + ("…" if cut < len(seller) else "")
        text = f"&L&8{_footer_text(name)}&C&8{_footer_text(document)}&R&8{page}"
        if len(text.encode("utf-16-le")) // 2 <= 255:
            return text
    return f"&C&8{_footer_text(document)}"[:255]


def _header(s: _Sheet, inv: Invoice, title: str, draft: str, credit: bool) -> int:
    """Seller (left), document details (right), buyer; returns the next free row."""
    lang = s.lang
    seller = inv.seller
    s.set_row(0, 24)
    s.text(0, 0, seller.name, "seller", 2)
    s.text(0, 3, title, "title", LAST_COL)
    seller_lines = _address_lines(seller, lang)
    if seller.vat_number:
        seller_lines.append(f"{t('label.vat_number', lang)} {seller.vat_number}")
    if seller.company_id:
        seller_lines.append(f"{t('label.company_id', lang)} {_company_id(seller.company_id)}")
    if seller.iban:
        bic = f" · {t('label.bic', lang)} {seller.bic}" if seller.bic else ""
        seller_lines.append(f"{t('label.iban', lang)} {_iban(seller.iban)}{bic}")
    if seller.email:
        seller_lines.append(seller.email)
    if seller.phone:
        seller_lines.append(f"{t('label.phone', lang)} {seller.phone}")
    for i, line in enumerate(seller_lines, start=1):
        s.text(i, 0, line, "text", 2)

    details: list[tuple[str, object]] = [(t("label.number", lang), inv.number or draft)]
    details.append((t("label.credit_date" if credit else "label.invoice_date", lang), inv.issue_date))
    if not credit:
        details.append((t("label.due_date", lang), inv.due_date))
    details.append((t("label.customer_id", lang), inv.buyer.customer_id or inv.customer_id))
    if inv.period_start and inv.period_end:
        details.append((t("label.agreement_period", lang),
                        format_period(inv.period_start, inv.period_end, lang)))
    for i, (label, value) in enumerate(details, start=1):
        s.text(i, 3, label, "label", 4)
        if isinstance(value, date):
            s.merge(i, 5, LAST_COL, "value_date")
            s.day(i, 5, value, "value_date")
        else:
            s.text(i, 5, str(value), "value", LAST_COL)
    row = max(len(seller_lines), len(details)) + 1
    if inv.number is None:
        s.text(row, 3, t("doc.draft_note", lang), "draft", LAST_COL)
    row += 1

    buyer = inv.buyer
    s.text(row, 0, t("label.credit_to" if credit else "label.bill_to", lang), "label", 2)
    s.text(row + 1, 0, buyer.name, "bold", 3)
    row += 2
    buyer_lines = _address_lines(buyer, lang)
    if buyer.vat_number:
        buyer_lines.append(f"{t('label.vat_number', lang)} {buyer.vat_number}")
    elif buyer.company_id:
        buyer_lines.append(f"{t('label.company_id', lang)} {_company_id(buyer.company_id)}")
    for line in buyer_lines:
        s.text(row, 0, line, "text", 3)
        row += 1
    row += 1
    if credit:
        if inv.credited_number:
            refers = t("credit.refers_to", lang, number=inv.credited_number,
                       date=format_date(inv.credited_date, lang) if inv.credited_date else "")
            s.text(row, 0, refers.rstrip(), "bold", LAST_COL)
            row += 1
        if inv.credit_reason:
            s.wrapped(row, 0, LAST_COL, t("credit.reason", lang, reason=inv.credit_reason), "wrap")
            row += 1
        row += 1
    return row


def _lines(s: _Sheet, inv: Invoice, row: int) -> int:
    """The lines table: one header row (repeated on every printed page), then a section per kind."""
    lang = s.lang
    heads = ("col.period_date", "col.reference", "col.description", "col.detail", "col.quantity",
             "col.unit_price", "col.amount")
    for col, key in enumerate(heads):
        s.text(row, col, t(key, lang), "head_r" if col >= 4 else "head")
    row += 1
    for kind in ("fee", "regie", "upgrade"):
        lines = [line for line in inv.lines if line.kind == kind]
        if not lines:
            continue
        s.text(row, 0, t(f"section.{kind}", lang), "band", LAST_COL)
        row += 1
        for line in lines:
            row = {"fee": _fee_line, "regie": _regie_line, "upgrade": _upgrade_line}[kind](s, line, row)
    return row


def _fee_line(s: _Sheet, line: InvoiceLine, row: int) -> int:
    lang = s.lang
    if line.period_start and line.period_end:
        s.text(row, 0, format_period(line.period_start, line.period_end, lang), "cell")
    else:
        s.blank(row, 0, "cell")
    s.text(row, 1, line.module or "", "cell")
    description = line.module_description or line.module or ""
    s.text(row, 2, description, "cell_wrap")
    detail = ""
    if line.days is not None and line.days_in_month:
        detail = t("fee.partial", lang, days=line.days, days_in_month=line.days_in_month)
        if line.monthly_fee is not None:
            detail += f" × {format_money(line.monthly_fee, lang)}"
    elif line.period_start and line.period_end:
        months = _months_between(line.period_start, line.period_end)
        if months > 0 and line.quantity % months == 0:
            per = line.quantity / months
            unit = t("unit.month" if months == 1 else "unit.months", lang)
            detail = f"{months} {unit}" + (f" × {format_quantity(per, lang)}" if per != 1 else "")
    s.text(row, 3, detail, "cell_wrap")
    s.fit_row(row, [(2, 2, description), (3, 3, detail)])
    s.number(row, 4, line.quantity, "cell_qty")
    return _price_and_amount(s, line, row, "cell_money" if line.days is not None else "cell_month")


def _price_and_amount(s: _Sheet, line: InvoiceLine, row: int, price_fmt: str) -> int:
    """The unit price and amount of a fee or intervention line, then its description row if any."""
    s.number(row, 5, line.unit_price, price_fmt)
    s.number(row, 6, line.amount, "cell_money")
    row += 1
    if line.description:
        row = _description_row(s, line.description, row)
    return row


def _line_date(s: _Sheet, line: InvoiceLine, row: int) -> None:
    """The first column of an intervention or upgrade line: its date, or an empty bordered cell."""
    if line.date:
        s.day(row, 0, line.date, "cell_date")
    else:
        s.blank(row, 0, "cell")


def _regie_line(s: _Sheet, line: InvoiceLine, row: int) -> int:
    lang = s.lang
    _line_date(s, line, row)
    s.text(row, 1, line.intervention_id or "", "cell")
    kind = " · ".join(x for x in (channel_name(line.channel, lang), category_name(line.category, lang)) if x)
    reason = reason_text(line.reason, lang)
    s.text(row, 2, kind, "cell_wrap")
    s.text(row, 3, reason, "cell_wrap")
    s.fit_row(row, [(2, 2, kind), (3, 3, reason)])
    if line.minutes is not None and line.billed_minutes is not None:
        s.text(row, 4, t("regie.minutes", lang, minutes=line.minutes, billed=line.billed_minutes), "cell_r")
    else:
        s.number(row, 4, line.quantity, "cell_qty")
    return _price_and_amount(s, line, row, "cell_hour")


def _upgrade_line(s: _Sheet, line: InvoiceLine, row: int) -> int:
    lang = s.lang
    _line_date(s, line, row)
    s.text(row, 1, t("kind.upgrade", lang), "cell")
    if line.licence_value is not None and line.months is not None:
        unit = t("unit.month" if line.months == 1 else "unit.months", lang)
        formula = t("upgrade.formula", lang, value=format_money(line.licence_value, lang),
                    months=line.months, unit=unit)
        s.text(row, 2, f"{formula} = {format_money(line.amount, lang)}", "cell", 3)
    else:
        s.text(row, 2, t("item.upgrade", lang), "cell", 3)
    s.number(row, 4, line.quantity, "cell_qty")
    s.number(row, 5, line.unit_price, "cell_money")
    s.number(row, 6, line.amount, "cell_money")
    row += 1
    note = t("upgrade.detail", lang)
    if line.description:
        note += "\n" + line.description
    return _description_row(s, note, row)


def _description_row(s: _Sheet, text: str, row: int) -> int:
    s.blank(row, 0, "note")
    s.blank(row, 1, "note")
    s.wrapped(row, 2, LAST_COL, text, "note")
    return row + 1


def _totals(s: _Sheet, inv: Invoice, row: int, credit: bool) -> int:
    """VAT breakdown per category, then net, VAT and the total (right-hand columns)."""
    lang = s.lang
    s.text(row, 3, t("total.vat_category", lang), "head")
    s.text(row, 4, t("total.vat_rate", lang), "head_r")
    s.text(row, 5, t("total.vat_base", lang), "head_r")
    s.text(row, 6, t("total.vat", lang), "head_r")
    row += 1
    for sub in inv.vat_breakdown:
        s.text(row, 3, f"{sub.category} — {t(f'vat.category.{sub.category}', lang)}"
               if f"vat.category.{sub.category}" in _KNOWN_CATEGORIES else sub.category, "text")
        s.number(row, 4, sub.rate, "rate")
        s.number(row, 5, sub.base, "money")
        s.number(row, 6, sub.vat, "money")
        row += 1
    row += 1
    s.text(row, 3, t("total.net", lang), "right", 5)
    s.number(row, 6, inv.net, "money")
    row += 1
    s.text(row, 3, t("total.vat", lang), "right", 5)
    s.number(row, 6, inv.vat, "money")
    row += 1
    s.set_row(row, 18)
    s.text(row, 3, t("total.credited" if credit else "total.to_pay", lang), "total_label", 5)
    s.number(row, 6, inv.total, "total")
    return row + 1


_KNOWN_CATEGORIES = {"vat.category.S", "vat.category.AE", "vat.category.G", "vat.category.O"}


def _mentions(s: _Sheet, inv: Invoice, row: int, credit: bool) -> int:
    """Legal mentions: reverse charge (AE), outside the EU (O), VAT repayment on a credit note."""
    lang = s.lang
    categories = {sub.category for sub in inv.vat_breakdown} | {line.vat_category for line in inv.lines}
    mentions = []
    if "AE" in categories:
        mentions.append(t("mention.reverse_charge", lang))
    if "O" in categories or "G" in categories:
        mentions.append(t("mention.outside_eu", lang))
    if credit:
        if inv.vat:
            mentions.append(t("mention.vat_repayment", lang))
        mentions.append(t("credit.no_payment", lang))
    for text in mentions:
        s.wrapped(row, 0, LAST_COL, text, "mention")
        row += 1
    return row


def _payment(s: _Sheet, inv: Invoice, row: int) -> int:
    """Payment instructions, structured reference and the EPC QR code (invoices only)."""
    if inv.document_type != "invoice" or inv.number is None:
        return row
    lang = s.lang
    seller = inv.seller
    s.text(row, 0, t("pay.title", lang), "band", LAST_COL)
    row += 1
    first = row
    instruction = t("pay.instruction", lang, amount=format_money(inv.total, lang),
                    due=format_date(inv.due_date, lang), iban=_iban(seller.iban), bic=seller.bic or "—")
    s.wrapped(row, 0, 3, instruction, "wrap", min_lines=2)
    row += 1
    if inv.structured_reference:
        s.text(row, 0, t("pay.reference", lang), "label", 3)
        row += 1
        s.set_row(row, 20)
        s.text(row, 0, "+++" + ogm_vcs.format(ogm_vcs.compact(inv.structured_reference)) + "+++",
               "reference", 3)
        row += 1
    png = epc_qr_png(inv)
    if png:
        # Caption above, code below it in columns F:G (see IMAGE): sharp on paper, easy for
        # a banking app.
        s.text(first, 5, t("pay.scan", lang), "scan", LAST_COL)
        s.image(first + 1, 5, png, t("pay.scan", lang))
        row = max(row, first + 7)
    return row


def _appendix(s: _Sheet, inv: Invoice, row: int) -> int:
    """The interventions covered by the agreement this quarter, at no charge."""
    if not inv.included:
        return row
    lang = s.lang
    row += 1
    s.text(row, 0, t("appendix.title", lang), "band", LAST_COL)
    row += 1
    s.text(row, 0, t("appendix.note", lang), "label", LAST_COL)
    row += 1
    heads = ("col.date", "col.intervention", "col.channel", "col.category", "col.minutes")
    for col, key in enumerate(heads):
        s.text(row, col, t(key, lang), "head_r" if col == 4 else "head")
    row += 1
    for item in sorted(inv.included, key=lambda i: (i.date, i.intervention_id)):
        s.day(row, 0, item.date, "cell_date")
        s.text(row, 1, item.intervention_id, "cell")
        channel, category = channel_name(item.channel, lang), category_name(item.category, lang)
        s.text(row, 2, channel, "cell_wrap")
        s.text(row, 3, category, "cell_wrap")
        s.fit_row(row, [(2, 2, channel), (3, 3, category)])
        s.text(row, 4, f"{item.minutes} {t('unit.min', lang)}", "cell_r")
        row += 1
        if item.description:
            row = _description_row(s, item.description, row)
    return row
