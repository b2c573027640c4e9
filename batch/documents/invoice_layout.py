"""Where every part of an invoice or credit note goes: the one layout of the document, computed
from an :class:`~batch.model.Invoice`'s figures with labels from the translation table, and
rendered by the writers (the workbook through :mod:`.invoice_xlsx`, plain or direct, and the
PDF through :mod:`.invoice_pdf`).

A document has one :class:`Version` per language, the legal version first (in the language of
the seller's seat, SPEC §9 L1) and, when the customer reads another language, its translation,
marked as such on top. A version is a grid of seven columns (A period/date, B reference,
C description, D details, E quantity, F price, G amount) cut into blocks, top to bottom: the
header (seller with its legal mentions, document details), the buyer, the credit note's
references, the lines table in sections, the VAT breakdown and totals, the legal mentions, the
payment block with the EPC QR code and the appendix of included interventions. A block is a list
of :class:`Cell` in writing order, each on a row of its own block, with the row heights a
spreadsheet needs; it says whether it must stay on one page and which of its rows head it
(repeated on top of a new page). Where the pages break is the writers' business.

Values stay what they are: texts, :class:`~decimal.Decimal` amounts and quantities, dates,
``None`` for a formatted empty cell, and :class:`Qr` for the code. A cell's ``style`` names
its role (``cell_money``, ``total``, ``mention``, …); each writer renders a style its own way.
A line shows the quantity and price the UBL states (quantity × price = amount, R120).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import segno.helpers
from stdnum import iban as stdnum_iban
from stdnum.be import ogm_vcs

from ..model import Invoice, InvoiceLine, Party
from .i18n import (
    category_name,
    channel_name,
    country_name,
    format_date,
    format_money,
    format_period,
    format_quantity,
    language,
    language_name,
    reason_text,
    t,
)
from ..money import cents

# UNECE Rec 20 unit codes
UNIT_MONTH, UNIT_HOUR, UNIT_ONE = "MON", "HUR", "C62"

# Column widths in characters of the default font (Arial 9 in the workbook).
WIDTHS = (19, 11, 24, 23, 11, 14, 13)
LAST_COL = len(WIDTHS) - 1
# Styles whose text wraps inside its cells: a row holding one is as high as its longest text.
WRAPPING = frozenset({"cell_wrap", "note", "wrap", "mention"})


@dataclass(frozen=True)
class Qr:
    """The EPC QR code (a segno code) and what it says to a screen reader."""

    code: object  # segno.QRCode
    description: str


@dataclass(frozen=True)
class Cell:
    """One cell: ``value`` at ``row`` (within its block) and ``col``, merged through
    ``last_col`` when given. A str, a Decimal, a date, None (an empty formatted cell) or a Qr."""

    row: int
    col: int
    value: object
    style: str
    last_col: int | None = None


@dataclass(frozen=True)
class Block:
    """A part of the page: its cells in writing order and its rows.

    ``gap_before`` empty rows separate it from the block above; ``heights`` fixes the height
    (points) of a row, ``fits`` sizes a row to its wrapped texts with at least so many lines;
    ``keep_together`` keeps it on one page; the first ``header_rows`` rows head it.
    """

    name: str
    rows: int
    cells: tuple[Cell, ...]
    gap_before: int = 0
    heights: tuple[tuple[int, float], ...] = ()
    fits: tuple[tuple[int, int], ...] = ()
    keep_together: bool = False
    header_rows: int = 0


@dataclass(frozen=True)
class Version:
    """The document in one language: its blocks and the texts around them."""

    lang: str
    title: str  # "Factuur"
    name: str  # "Factuur 2027-000001": the document's title and number (or the draft word)
    draft: str  # the draft word of this language ("CONCEPT")
    seller: str  # the seller's name (document author, footer)
    page_label: str  # "Pagina &P van &N": &P the page, &N the pages
    blocks: tuple[Block, ...]
    translation_of: str | None = None  # the legal version's language, on a translation


@dataclass(frozen=True)
class InvoiceLayout:
    """The whole document: its versions in order (the legal version first)."""

    number: str | None
    issue_date: date
    versions: tuple[Version, ...]


class _Builder:
    """Records the cells of one block in the order they are written."""

    def __init__(self, name: str, gap_before: int = 0, keep_together: bool = False, header_rows: int = 0):
        self.name, self.gap_before = name, gap_before
        self.keep_together, self.header_rows = keep_together, header_rows
        self.cells: list[Cell] = []
        self.heights: dict[int, float] = {}
        self.fits: dict[int, int] = {}

    def put(self, row: int, col: int, value: object, style: str, last_col: int | None = None) -> None:
        self.cells.append(Cell(row, col, value, style, last_col if last_col is not None and last_col > col
                               else None))

    def text(self, row: int, col: int, value: str | None, style: str = "text", last_col: int | None = None):
        self.put(row, col, value or "", style, last_col)

    def wrapped(self, row: int, col: int, last_col: int, value: str, style: str, min_lines: int = 1):
        self.text(row, col, value, style, last_col)
        self.fits[row] = min_lines

    def fit(self, row: int) -> None:
        self.fits[row] = 1

    def height(self, row: int, points: float) -> None:
        self.heights[row] = points

    def build(self, rows: int) -> Block:
        return Block(self.name, rows, tuple(self.cells), self.gap_before, tuple(self.heights.items()),
                     tuple(self.fits.items()), self.keep_together, self.header_rows)


# --- small formatting helpers ------------------------------------------------------------------


def company_id(value: str | None) -> str:
    """Belgian enterprise number in its usual dotted form.

    >>> company_id("0403170701")
    '0403.170.701'
    """
    if not value:
        return ""
    digits = "".join(ch for ch in value if ch.isdigit())
    if len(digits) == 9:
        digits = "0" + digits
    return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}" if len(digits) == 10 else value


def iban_text(value: str | None) -> str:
    """IBAN in groups of four.

    >>> iban_text("BE71096123456769")
    'BE71 0961 2345 6769'
    """
    if not value:
        return ""
    try:
        return stdnum_iban.format(value)
    except Exception:  # noqa: BLE001 - display only: show what we were given
        return value


def _address_lines(party: Party, lang: str, other: Party) -> list[str]:
    """Street, postcode and city, and the country when it differs from the ``other`` party's."""
    lines = [party.street, " ".join(x for x in (party.postcode, party.city) if x)]
    if (party.country or "BE").upper() != (other.country or "BE").upper():
        lines.append(country_name(party.country or "BE", lang))
    return [line for line in lines if line]


def seller_title(seller: Party) -> str:
    """The seller's name with its legal form, unless the name already ends with it.

    >>> seller_title(Party(name="Juweelsoft BV", legal_form="BV"))
    'Juweelsoft BV'
    >>> seller_title(Party(name="Juweelsoft", legal_form="SRL"))
    'Juweelsoft SRL'
    """
    form = (seller.legal_form or "").strip()
    name = seller.name.strip()
    if not form or name.upper().replace(".", "").endswith(" " + form.upper().replace(".", "")):
        return seller.name
    return f"{name} {form}"


def module_name(line: InvoiceLine, lang: str) -> str:
    """A fee line's module in ``lang`` (SPEC §9 L1), the Dutch name when no translation is given."""
    return dict(line.module_names).get(lang) or line.module_description or line.module or ""


def minutes_text(minutes: int, billed: int, lang: str) -> str:
    """An intervention's duration, and what it was rounded to when that differs.

    >>> minutes_text(50, 60, "nl"), minutes_text(90, 90, "fr"), minutes_text(120, 120, "en")
    ('50 → 60 min', '90 min', '120 min')
    """
    if minutes == billed:
        return f"{minutes} {t('unit.min', lang)}"
    return t("regie.minutes", lang, minutes=minutes, billed=billed)


def _months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1


# --- figures of a line ---------------------------------------------------------------------


def unit_code(line: InvoiceLine) -> str:
    """Unit of the quantity: hours for regie, months for whole-month fees, else pieces."""
    if line.kind == "regie":
        return UNIT_HOUR
    if line.kind == "fee" and not line.days:
        return UNIT_MONTH
    return UNIT_ONE


def line_pricing(line: InvoiceLine) -> tuple[Decimal, str, Decimal]:
    """(quantity, unit code, price) with quantity × price equal to the line amount exactly
    (PEPPOL-EN16931-R120; no BaseQuantity is written, so the base quantity is 1).

    The line's own quantity and unit price when they multiply to its amount; else the
    quantity with the amount divided by it, when that is a finite decimal of at most six
    places; else one unit (C62) at the line amount, the quantity going to the item description.

    >>> L = lambda q, p, a, **kw: InvoiceLine(kind="fee", amount=Decimal(a), quantity=Decimal(q),
    ...     unit_price=Decimal(p), vat_category="S", vat_rate=Decimal(21), gl_account="700000", **kw)
    >>> line_pricing(L("3", "48.00", "144.00"))
    (Decimal('3'), 'MON', Decimal('48.00'))
    >>> line_pricing(L("2", "24.00", "48.00", days=16, days_in_month=30))
    (Decimal('2'), 'C62', Decimal('24.00'))
    >>> line_pricing(L("2", "24.677", "49.35", days=17, days_in_month=31))
    (Decimal('2'), 'C62', Decimal('24.675'))
    >>> line_pricing(L("3", "24.677", "74.03", days=17, days_in_month=31))
    (Decimal('1'), 'C62', Decimal('74.03'))
    """
    qty, price, total = line.quantity, line.unit_price, cents(line.amount)
    unit = unit_code(line)
    if qty > 0 and qty * price == total:
        return qty, unit, price
    if qty > 0:
        per_unit = (total / qty).quantize(Decimal("0.000001"))
        if per_unit * qty == total:
            return qty, unit, _trim(per_unit)
    return Decimal(1), UNIT_ONE, total


def _trim(value: Decimal) -> Decimal:
    """Drop trailing zeros beyond the second decimal.

    >>> _trim(Decimal("24.675000")), _trim(Decimal("24.000000"))
    (Decimal('24.675'), Decimal('24.00'))
    """
    two = value.quantize(Decimal("0.01"))
    return two if two == value else value.normalize()


# --- the EPC QR code ----------------------------------------------------------------------------

QR_MASK = 2  # a fixed mask pattern: choosing the "best" of 8 costs 3x the time of the whole code


def _epc_qr(args: dict):
    """The EPC QR code with segno's EPC payload (error level M, as the EPC standard demands)."""
    make_data = getattr(segno.helpers, "_make_epc_qr_data", None)
    if make_data is None:  # a segno without the payload helper: let it choose the mask itself
        return segno.helpers.make_epc_qr(**args)
    data = make_data(args["name"], args["iban"], args["amount"], None, args["reference"], args["bic"], None, None)
    return segno.make_qr(data, error="m", boost_error=False, mask=QR_MASK)


def epc_qr(invoice: Invoice):
    """The EPC ("scan to pay") QR code (a segno code), or None when there is nothing to pay by it.

    The Belgian structured reference goes, as its 12 digits, into the EPC reference field
    (≤ 35 characters). Credit notes, drafts and invoices without an IBAN get no code.
    """
    if invoice.document_type != "invoice":
        return None
    return payment_qr(invoice.seller, invoice.total, invoice.structured_reference)


def payment_qr(seller, total: Decimal, reference: str | None):
    """The EPC QR code paying ``total`` to ``seller``'s account with the structured ``reference``, or
    None without a reference or an IBAN, or with an amount the EPC standard does not take (an invoice's
    and a reminder's alike)."""
    if not reference or not seller.iban or not Decimal("0.01") <= total <= Decimal("999999999.99"):
        return None
    args = dict(name=seller.name.strip()[:70], iban=stdnum_iban.compact(seller.iban), amount=total,
                reference=ogm_vcs.compact(reference), bic=seller.bic or None)
    try:
        return _epc_qr(args)
    except ValueError:  # e.g. no seller name, a BIC of the wrong length: print without the code
        return None


# --- the document -------------------------------------------------------------------------------


def invoice_layout(invoice: Invoice) -> InvoiceLayout:
    """The layout of ``invoice``: one version, in ``invoice.language``.

    Raises ValueError when the structured reference fails its mod-97 check: such an invoice
    must never reach a customer.
    """
    if invoice.structured_reference and not ogm_vcs.is_valid(invoice.structured_reference):
        raise ValueError(f"structured reference {invoice.structured_reference!r} of invoice "
                         f"{invoice.number} fails the mod-97 check")
    legal, customer = languages(invoice)
    qr = epc_qr(invoice)
    versions = [_version(invoice, legal, qr)]
    if customer != legal:
        versions.append(_version(invoice, customer, qr, translation_of=legal))
    return InvoiceLayout(invoice.number, invoice.issue_date, tuple(versions))


def languages(invoice: Invoice) -> tuple[str, str]:
    """(legal language, customer's language) of a document (SPEC §9 L1)."""
    customer = language(invoice.language)
    return (language(invoice.legal_language) if invoice.legal_language else customer), customer


def _version(inv: Invoice, lang: str, qr, translation_of: str | None = None) -> Version:
    credit = inv.document_type == "credit_note"
    title = t("doc.credit_note" if credit else "doc.invoice", lang)
    draft = t("doc.draft", lang)
    blocks = []
    if translation_of:
        blocks.append(_translation(lang, translation_of))
    blocks += [
        _header(inv, lang, title, draft, credit),
        _buyer(inv, lang, credit),
    ]
    if credit:
        blocks.append(_credit(inv, lang))
    blocks += [
        _lines(inv, lang, gap_before=1),
        _totals(inv, lang, credit),
        _mentions(inv, lang, credit),
        _payment(inv, lang, qr),
    ]
    appendix = None if credit else _appendix(inv, lang)  # SPEC §9 L5: no appendix on a credit note
    if appendix is not None:
        blocks.append(appendix)
    return Version(lang=lang, title=title, name=f"{title} {inv.number or draft}", draft=draft,
                   seller=inv.seller.name, page_label=t("footer.page", lang), blocks=tuple(blocks),
                   translation_of=translation_of)


def _translation(lang: str, legal: str) -> Block:
    """The mark on top of a translation: which version is the legal one."""
    b = _Builder("translation")
    b.wrapped(0, 0, LAST_COL, t("doc.translation", lang, language=language_name(legal, lang)), "mention")
    return b.build(2)


def _header(inv: Invoice, lang: str, title: str, draft: str, credit: bool) -> Block:
    """Seller (left) and document details (right), then the draft warning row."""
    b = _Builder("header")
    seller = inv.seller
    b.height(0, 24)
    b.text(0, 0, seller_title(seller), "seller", 2)
    b.text(0, 3, title, "title", LAST_COL)
    seller_lines = seller_mentions(seller, inv.buyer, lang)
    for i, line in enumerate(seller_lines, start=1):
        b.text(i, 0, line, "text", 2)

    details: list[tuple[str, object]] = [(t("label.number", lang), inv.number or draft)]
    details.append((t("label.credit_date" if credit else "label.invoice_date", lang), inv.issue_date))
    if not credit:
        details.append((t("label.due_date", lang), inv.due_date))
    details.append((t("label.customer_id", lang), inv.buyer.customer_id or inv.customer_id))
    if inv.period_start and inv.period_end:
        details.append((t("label.agreement_period", lang), format_period(inv.period_start, inv.period_end, lang)))
    for i, (label, value) in enumerate(details, start=1):
        b.text(i, 3, label, "label", 4)
        if isinstance(value, date):
            b.put(i, 5, value, "value_date", LAST_COL)
        else:
            b.text(i, 5, str(value), "value", LAST_COL)
    row = max(len(seller_lines), len(details)) + 1
    if inv.number is None:
        b.text(row, 3, t("doc.draft_note", lang), "draft", LAST_COL)
    return b.build(row + 1)


def seller_mentions(seller: Party, buyer: Party, lang: str) -> list[str]:
    """The seller block under its name (WVV art. 2:20, SPEC §9 L2): the registered seat's
    address (with the country on a cross-border document), VAT and enterprise numbers with the
    register (RPR/RPM and court division), the bank account, e-mail, website and phone."""
    lines = _address_lines(seller, lang, buyer)
    if seller.vat_number:
        lines.append(f"{t('label.vat_number', lang)} {seller.vat_number}")
    if seller.company_id:
        lines.append(f"{t('label.company_id', lang)} {company_id(seller.company_id)}")
    if seller.register:
        lines.append(seller.register)
    if seller.iban:
        bic = f" · {t('label.bic', lang)} {seller.bic}" if seller.bic else ""
        lines.append(f"{t('label.iban', lang)} {iban_text(seller.iban)}{bic}")
    contact = [x for x in (seller.email, seller.website) if x]
    if contact:
        lines.append(" · ".join(contact))
    if seller.phone:
        lines.append(f"{t('label.phone', lang)} {seller.phone}")
    return lines


def _buyer(inv: Invoice, lang: str, credit: bool) -> Block:
    b = _Builder("buyer")
    buyer = inv.buyer
    b.text(0, 0, t("label.credit_to" if credit else "label.bill_to", lang), "label", 2)
    b.text(1, 0, buyer.name, "bold", 3)
    lines = _address_lines(buyer, lang, inv.seller)
    if buyer.vat_number:
        lines.append(f"{t('label.vat_number', lang)} {buyer.vat_number}")
    elif buyer.company_id:
        lines.append(f"{t('label.company_id', lang)} {company_id(buyer.company_id)}")
    for i, line in enumerate(lines, start=2):
        b.text(i, 0, line, "text", 3)
    return b.build(2 + len(lines))


def _credit(inv: Invoice, lang: str) -> Block:
    """The invoice a credit note refers to and why."""
    b = _Builder("credit", gap_before=1)
    row = 0
    if inv.credited_number:
        refers = t("credit.refers_to", lang, number=inv.credited_number,
                   date=format_date(inv.credited_date, lang) if inv.credited_date else "")
        b.text(row, 0, refers.rstrip(), "bold", LAST_COL)
        row += 1
    if inv.credit_reason:
        b.wrapped(row, 0, LAST_COL, t("credit.reason", lang, reason=inv.credit_reason), "wrap")
        row += 1
    return b.build(row)


def _lines(inv: Invoice, lang: str, gap_before: int) -> Block:
    """The lines table: one header row (repeated on every printed page), then a section per kind."""
    b = _Builder("lines", gap_before=gap_before, header_rows=1)
    heads = ("col.period_date", "col.reference", "col.description", "col.detail", "col.quantity",
             "col.unit_price", "col.amount")
    for col, key in enumerate(heads):
        b.text(0, col, t(key, lang), "head_r" if col >= 4 else "head")
    row = 1
    for kind in ("fee", "regie", "upgrade"):
        lines = [line for line in inv.lines if line.kind == kind]
        if not lines:
            continue
        b.text(row, 0, t(f"section.{kind}", lang), "band", LAST_COL)
        row += 1
        for line in lines:
            row = {"fee": _fee_line, "regie": _regie_line, "upgrade": _upgrade_line}[kind](b, lang, line, row)
    return b.build(row)


def _fee_line(b: _Builder, lang: str, line: InvoiceLine, row: int) -> int:
    if line.period_start and line.period_end:
        b.text(row, 0, format_period(line.period_start, line.period_end, lang), "cell")
    else:
        b.put(row, 0, None, "cell")
    b.text(row, 1, line.module or "", "cell")
    b.text(row, 2, module_name(line, lang), "cell_wrap")
    detail = ""
    if line.days is not None and line.days_in_month:
        detail = partial_month_text(line, lang)
    elif line.period_start and line.period_end:
        months = _months_between(line.period_start, line.period_end)
        if months > 0 and line.quantity % months == 0:
            per = line.quantity / months
            unit = t("unit.month" if months == 1 else "unit.months", lang)
            detail = f"{months} {unit}" + (f" × {format_quantity(per, lang)}" if per != 1 else "")
    b.text(row, 3, detail, "cell_wrap")
    b.fit(row)
    return _quantity_price_amount(b, line, row)


def partial_month_text(line: InvoiceLine, lang: str) -> str:
    """A partial month's proration, read as quantity × price = amount.

    >>> from decimal import Decimal as D
    >>> line = InvoiceLine(kind="fee", amount=D("48.00"), quantity=D("2"), unit_price=D("45.00"),
    ...     vat_category="S", vat_rate=D("21"), gl_account="700000", days=16, days_in_month=30,
    ...     monthly_fee=D("45.00"))
    >>> partial_month_text(line, "nl")
    '16/30 × 45,00\xa0€ × 2 = 48,00\xa0€'
    """
    fee = line.monthly_fee if line.monthly_fee is not None else line.unit_price
    text = f"{line.days}/{line.days_in_month} × {format_money(fee, lang)}"
    if line.quantity != 1:
        text += f" × {format_quantity(line.quantity, lang)}"
    return f"{text} = {format_money(line.amount, lang)}"


def _quantity_price_amount(b: _Builder, line: InvoiceLine, row: int) -> int:
    """Quantity, unit price and amount of a line as the UBL states them (quantity × price =
    amount, PEPPOL-EN16931-R120), then the line's description row if any."""
    quantity, unit, price = line_pricing(line)
    b.put(row, 4, quantity, "cell_qty")
    b.put(row, 5, price, {"MON": "cell_month", "HUR": "cell_hour"}.get(unit, "cell_money"))
    b.put(row, 6, line.amount, "cell_money")
    row += 1
    if line.description:
        row = _description_row(b, line.description, row)
    return row


def _line_date(b: _Builder, line: InvoiceLine, row: int) -> None:
    """The first column of an intervention or upgrade line: its date, or an empty bordered cell."""
    if line.date:
        b.put(row, 0, line.date, "cell_date")
    else:
        b.put(row, 0, None, "cell")


def _regie_line(b: _Builder, lang: str, line: InvoiceLine, row: int) -> int:
    _line_date(b, line, row)
    b.text(row, 1, line.intervention_id or "", "cell")
    kind = " · ".join(x for x in (channel_name(line.channel, lang), category_name(line.category, lang)) if x)
    b.text(row, 2, kind, "cell_wrap")
    detail = reason_text(line.reason, lang)
    if line.minutes is not None and line.billed_minutes is not None:
        detail = "\n".join(x for x in (detail, minutes_text(line.minutes, line.billed_minutes, lang)) if x)
    b.text(row, 3, detail, "cell_wrap")
    b.fit(row)
    return _quantity_price_amount(b, line, row)


def _upgrade_line(b: _Builder, lang: str, line: InvoiceLine, row: int) -> int:
    if line.period_start and line.period_end:
        b.text(row, 0, format_period(line.period_start, line.period_end, lang), "cell")
    else:
        _line_date(b, line, row)
    b.text(row, 1, t("kind.upgrade", lang), "cell")
    if line.licence_value is not None and line.months is not None:
        unit = t("unit.month" if line.months == 1 else "unit.months", lang)
        formula = t("upgrade.formula", lang, value=format_money(line.licence_value, lang),
                    months=line.months, unit=unit)
        b.text(row, 2, f"{formula} = {format_money(line.amount, lang)}", "cell", 3)
    else:
        b.text(row, 2, t("item.upgrade", lang), "cell", 3)
    quantity, _, price = line_pricing(line)
    b.put(row, 4, quantity, "cell_qty")
    b.put(row, 5, price, "cell_money")
    b.put(row, 6, line.amount, "cell_money")
    row += 1
    note = t("upgrade.detail", lang)
    if line.period_start and line.period_end and line.months is not None:
        unit = t("unit.month" if line.months == 1 else "unit.months", lang)
        note += " — " + t("upgrade.period", lang, period=format_period(line.period_start, line.period_end, lang),
                          months=line.months, unit=unit)
    if line.description:
        note += "\n" + line.description
    return _description_row(b, note, row)


def _description_row(b: _Builder, text: str, row: int) -> int:
    b.put(row, 0, None, "note")
    b.put(row, 1, None, "note")
    b.wrapped(row, 2, LAST_COL, text, "note")
    return row + 1


_KNOWN_CATEGORIES = frozenset({"S", "AE", "G", "O"})


def _totals(inv: Invoice, lang: str, credit: bool) -> Block:
    """VAT breakdown per category, then net, VAT and the total (right-hand columns)."""
    b = _Builder("totals", gap_before=1, keep_together=True)
    b.text(0, 3, t("total.vat_category", lang), "head")
    b.text(0, 4, t("total.vat_rate", lang), "head_r")
    b.text(0, 5, t("total.vat_base", lang), "head_r")
    b.text(0, 6, t("total.vat", lang), "head_r")
    row = 1
    for sub in inv.vat_breakdown:
        b.text(row, 3, f"{sub.category} — {t(f'vat.category.{sub.category}', lang)}"
               if sub.category in _KNOWN_CATEGORIES else sub.category, "text")
        b.put(row, 4, sub.rate, "rate")
        b.put(row, 5, sub.base, "money")
        b.put(row, 6, sub.vat, "money")
        row += 1
    row += 1
    b.text(row, 3, t("total.net", lang), "right", 5)
    b.put(row, 6, inv.net, "money")
    row += 1
    b.text(row, 3, t("total.vat", lang), "right", 5)
    b.put(row, 6, inv.vat, "money")
    row += 1
    b.height(row, 18)
    b.text(row, 3, t("total.credited" if credit else "total.to_pay", lang), "total_label", 5)
    b.put(row, 6, inv.total, "total")
    return b.build(row + 1)


def _mentions(inv: Invoice, lang: str, credit: bool) -> Block:
    """Legal mentions: reverse charge (AE), outside the EU (O), VAT repayment on a credit note."""
    b = _Builder("mentions", gap_before=1)
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
    for row, text in enumerate(mentions):
        b.wrapped(row, 0, LAST_COL, text, "mention")
    return b.build(len(mentions))


def _payment(inv: Invoice, lang: str, qr) -> Block:
    """Payment instructions, structured reference and the EPC QR code (invoices only)."""
    b = _Builder("payment", gap_before=1, keep_together=True)
    if inv.document_type != "invoice" or inv.number is None:
        return b.build(0)
    seller = inv.seller
    b.text(0, 0, t("pay.title", lang), "band", LAST_COL)
    row = first = 1
    instruction = t("pay.instruction", lang, amount=format_money(inv.total, lang),
                    due=format_date(inv.due_date, lang), iban=iban_text(seller.iban), bic=seller.bic or "—")
    b.wrapped(row, 0, 3, instruction, "wrap", min_lines=2)
    row += 1
    if inv.structured_reference:
        b.text(row, 0, t("pay.reference", lang), "label", 3)
        row += 1
        b.height(row, 20)
        b.text(row, 0, "+++" + ogm_vcs.format(ogm_vcs.compact(inv.structured_reference)) + "+++", "reference", 3)
        row += 1
    if qr is not None:
        # Caption above, code below it in columns F:G: sharp on paper, easy for a banking app.
        b.text(first, 5, t("pay.scan", lang), "scan", LAST_COL)
        b.put(first + 1, 5, Qr(qr, t("pay.scan", lang)), "qr")
        row = max(row, first + 7)
    return b.build(row)


def _appendix(inv: Invoice, lang: str) -> Block | None:
    """The interventions covered by the agreement this quarter, at no charge."""
    if not inv.included:
        return None
    b = _Builder("appendix", gap_before=1, header_rows=3)
    b.text(0, 0, t("appendix.title", lang), "band", LAST_COL)
    b.text(1, 0, t("appendix.note", lang), "label", LAST_COL)
    heads = ("col.date", "col.intervention", "col.channel", "col.category", "col.minutes")
    for col, key in enumerate(heads):
        b.text(2, col, t(key, lang), "head_r" if col == 4 else "head")
    row = 3
    for item in sorted(inv.included, key=lambda i: (i.date, i.intervention_id)):
        b.put(row, 0, item.date, "cell_date")
        b.text(row, 1, item.intervention_id, "cell")
        b.text(row, 2, channel_name(item.channel, lang), "cell_wrap")
        b.text(row, 3, category_name(item.category, lang), "cell_wrap")
        b.fit(row)
        b.text(row, 4, f"{item.minutes} {t('unit.min', lang)}", "cell_r")
        row += 1
        if item.description:
            row = _description_row(b, item.description, row)
    return b.build(row)
