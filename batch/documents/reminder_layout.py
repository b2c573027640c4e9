"""Where every part of a reminder goes (SPEC §12 P4): the layout of a
:class:`~batch.model.Reminder` on the invoice's grid, with the invoice's classes
(:class:`~.invoice_layout.InvoiceLayout`, :class:`~.invoice_layout.Version`,
:class:`~.invoice_layout.Block`, :class:`~.invoice_layout.Cell`), so that the one pair of
writers renders it: :func:`.invoice_xlsx.render_layout_xlsx` and
:func:`.invoice_pdf.render_layout_pdf`.

The figures (levels, days overdue, the statutory interest per rate period, the flat
compensation) come computed in the reminder (:mod:`batch.payments.interest`); this module only
places them. A reminder has a version per language, the legal one first (the seller's seat,
SPEC §9 L1) and, when the customer reads another language, its translation marked as such.
Blocks, top to bottom: the header (seller with its legal mentions; title by level, number, date,
pay-by date, customer number), the buyer, the letter (courteous on levels 1 and 2, the formal
notice on level 3 citing the law of 2 August 2002), the overdue documents, the interest per
rate period and the compensation per document, the totals, the payment block (IBAN, BIC, the
reminder's structured reference and its EPC QR code for the total) and the line saying that a
payment made meanwhile settles it.

Texts come from :mod:`batch.texts_reminders` (this document's own) and the one translation
table (:mod:`.i18n`, the labels shared with the invoice); money and dates are formatted by
:mod:`.i18n` per language.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from stdnum.be import ogm_vcs

from .. import texts_reminders
from ..model import Reminder, ReminderItem
from ..money import ZERO, cents
from . import i18n
from .i18n import format_date, format_money, format_period, language
from .invoice_layout import (
    LAST_COL,
    Block,
    InvoiceLayout,
    Qr,
    Version,
    _address_lines,
    _Builder,
    payment_qr,
    _translation,
    company_id,
    iban_text,
    languages,
    seller_mentions,
    seller_title,
)

LEVELS = (1, 2, 3)  # 3: the formal notice (ingebrekestelling, mise en demeure)
HEAD_TWO_LINES = 27.0  # points: a heading row whose labels may wrap onto a second line


def t(key: str, lang: str, **fmt: object) -> str:
    """A reminder text (:mod:`batch.texts_reminders`), else a label of the one translation table.

    >>> t("reminder.title.3", "fr"), t("label.number", "en")
    ('Mise en demeure', 'Number')
    """
    entry = texts_reminders.TEXTS.get(key)
    if entry is None:
        return i18n.t(key, lang, **fmt)
    text = entry[language(lang)]
    return text.format(**fmt) if fmt else text


def reminder_title(level: int, lang: str) -> str:
    """The document's title by the level it reached.

    >>> [reminder_title(level, "nl") for level in LEVELS]
    ['Herinnering', 'Tweede herinnering', 'Ingebrekestelling']
    """
    return t(f"reminder.title.{level}", lang)


# --- checks ------------------------------------------------------------------------------------


def check_reminder(reminder: Reminder) -> None:
    """Raise ValueError when the reminder must not reach a customer: a level other than 1–3, no
    documents, a structured reference failing its mod-97 check, or figures that do not add up
    (the totals are the sums of the documents', the total is open + interest + compensation, a
    document's interest is the sum of its rate periods rounded half up to the cent)."""
    name = f"reminder {reminder.number or '(draft)'} of customer {reminder.customer_id}"
    if reminder.level not in LEVELS:
        raise ValueError(f"{name}: level {reminder.level!r} is not 1, 2 or 3")
    if not reminder.items:
        raise ValueError(f"{name}: no overdue documents")
    if reminder.structured_reference and not ogm_vcs.is_valid(reminder.structured_reference):
        raise ValueError(f"{name}: structured reference {reminder.structured_reference!r} fails the mod-97 check")
    for field in ("open", "interest", "compensation"):
        total = sum((getattr(item, field) for item in reminder.items), ZERO)
        if total != getattr(reminder, field):
            raise ValueError(f"{name}: {field} {getattr(reminder, field)} is not the sum of its documents' ({total})")
    if reminder.open + reminder.interest + reminder.compensation != reminder.total:
        raise ValueError(f"{name}: total {reminder.total} is not open + interest + compensation "
                         f"({reminder.open} + {reminder.interest} + {reminder.compensation})")
    for item in reminder.items:
        if item.interest_periods:
            summed = cents(sum((p.amount for p in item.interest_periods), ZERO))
            if summed != item.interest:
                raise ValueError(f"{name}: the interest on {item.number} ({item.interest}) is not the sum of "
                                 f"its rate periods rounded to the cent ({summed})")


# --- the EPC QR code ---------------------------------------------------------------------------


def reminder_qr(reminder: Reminder):
    """The EPC ("scan to pay") QR code for the reminder's total with its structured reference (a
    segno code, made as the invoice's), or None: a draft, no reference, no IBAN, nothing to pay."""
    if reminder.number is None:
        return None
    return payment_qr(reminder.seller, reminder.total, reminder.structured_reference)


# --- the document ------------------------------------------------------------------------------


def reminder_layout(reminder: Reminder) -> InvoiceLayout:
    """The layout of ``reminder``: the legal version first, then the translation into the
    customer's language when it differs (SPEC §9 L1). Raises ValueError as :func:`check_reminder`."""
    check_reminder(reminder)
    legal, customer = languages(reminder)
    qr = reminder_qr(reminder)
    versions = [_version(reminder, legal, qr)]
    if customer != legal:
        versions.append(_version(reminder, customer, qr, translation_of=legal))
    return InvoiceLayout(reminder.number, reminder.issue_date, tuple(versions))


def _charges(item: ReminderItem) -> bool:
    """Whether the document carries interest or the compensation on this reminder."""
    return bool(item.interest_periods) or item.interest != 0 or item.compensation != 0


def _version(rem: Reminder, lang: str, qr, translation_of: str | None = None) -> Version:
    title = reminder_title(rem.level, lang)
    draft = i18n.t("doc.draft", lang)
    blocks: list[Block] = []
    if translation_of:
        blocks.append(_translation(lang, translation_of))
    blocks += [_header(rem, lang, title, draft), _buyer(rem, lang), _letter(rem, lang), _items(rem, lang)]
    if any(_charges(item) for item in rem.items):
        blocks.append(_interest(rem, lang))
    blocks += [_totals(rem, lang), _payment(rem, lang, qr)]
    return Version(lang=lang, title=title, name=f"{title} {rem.number or draft}", draft=draft,
                   seller=rem.seller.name, page_label=i18n.t("footer.page", lang), blocks=tuple(blocks),
                   translation_of=translation_of)


def _header(rem: Reminder, lang: str, title: str, draft: str) -> Block:
    """Seller with its legal mentions (left), title and the reminder's details (right)."""
    b = _Builder("header")
    b.height(0, 24)
    b.text(0, 0, seller_title(rem.seller), "seller", 2)
    b.text(0, 3, title, "title", LAST_COL)
    seller_lines = seller_mentions(rem.seller, rem.buyer, lang)
    for i, line in enumerate(seller_lines, start=1):
        b.text(i, 0, line, "text", 2)
    details: list[tuple[str, object]] = [
        (t("label.number", lang), rem.number or draft),
        (t("reminder.date", lang), rem.issue_date),
        (t("reminder.pay_by", lang), rem.due_date),
        (t("label.customer_id", lang), rem.buyer.customer_id or rem.customer_id),
    ]
    for i, (label, value) in enumerate(details, start=1):
        b.text(i, 3, label, "label", 4)
        if isinstance(value, date):
            b.put(i, 5, value, "value_date", LAST_COL)
        else:
            b.text(i, 5, str(value), "value", LAST_COL)
    row = max(len(seller_lines), len(details)) + 1
    if rem.number is None:
        b.text(row, 3, t("reminder.draft_note", lang), "draft", LAST_COL)
        row += 1
    return b.build(row)


def _buyer(rem: Reminder, lang: str) -> Block:
    b = _Builder("buyer", gap_before=1)
    buyer = rem.buyer
    b.text(0, 0, t("reminder.to", lang), "label", 2)
    b.text(1, 0, buyer.name, "bold", 3)
    lines = _address_lines(buyer, lang, rem.seller)
    if buyer.vat_number:
        lines.append(f"{t('label.vat_number', lang)} {buyer.vat_number}")
    elif buyer.company_id:
        lines.append(f"{t('label.company_id', lang)} {company_id(buyer.company_id)}")
    for i, line in enumerate(lines, start=2):
        b.text(i, 0, line, "text", 3)
    return b.build(2 + len(lines))


def _letter(rem: Reminder, lang: str) -> Block:
    """The letter by level; on level 3 the formal notice (boxed), on levels 1 and 2 the legal
    basis of the interest and compensation when the reminder charges them."""
    b = _Builder("letter", gap_before=1)
    due = format_date(rem.due_date, lang, long=True)
    b.wrapped(0, 0, LAST_COL, t(f"reminder.letter.{rem.level}", lang, amount=format_money(rem.total, lang),
                                due=due), "wrap", min_lines=2)
    rows = 1
    if rem.level == 3:
        b.wrapped(1, 0, LAST_COL, t("reminder.formal_notice", lang, due=due), "mention")
        rows = 2
    elif any(_charges(item) for item in rem.items):
        b.wrapped(1, 0, LAST_COL, t("reminder.interest_note", lang), "wrap")
        rows = 2
    return b.build(rows)


def _items(rem: Reminder, lang: str) -> Block:
    """The overdue documents: number, dates, total, paid, open and days overdue."""
    b = _Builder("items", gap_before=1, header_rows=1)
    heads = ("reminder.col.invoice", "reminder.col.date", "reminder.col.due_date", "reminder.col.total",
             "reminder.col.paid", "reminder.col.open", "reminder.col.days_overdue")
    for col, key in enumerate(heads):
        b.text(0, col, t(key, lang), "head_r" if col >= 3 else "head")
    b.height(0, HEAD_TWO_LINES)
    for row, item in enumerate(rem.items, start=1):
        b.text(row, 0, item.number, "cell")
        b.put(row, 1, item.issue_date, "cell_date")
        b.put(row, 2, item.due_date, "cell_date")
        b.put(row, 3, item.total, "cell_money")
        b.put(row, 4, item.paid, "cell_money")
        b.put(row, 5, item.open, "cell_money")
        b.put(row, 6, item.days_overdue, "cell_qty")
    return b.build(1 + len(rem.items))


def _interest(rem: Reminder, lang: str) -> Block:
    """Per document that carries them: its interest per rate period (from–to, days, rate a year,
    amount to the cent, see :func:`period_amounts`) with the document's interest in the last
    column, then the flat compensation. A document's rows stay on one page."""
    b = _Builder("interest", gap_before=1, header_rows=3)
    b.text(0, 0, t("reminder.interest.title", lang), "band", LAST_COL)
    b.wrapped(1, 0, LAST_COL, t("reminder.interest.method", lang), "wrap")
    heads = ("reminder.col.invoice", "reminder.col.principal", "reminder.col.period", "reminder.col.days",
             "reminder.col.rate", "reminder.col.interest", "reminder.col.charged")
    for col, key in enumerate(heads):
        b.text(2, col, t(key, lang), {0: "head", 2: "head_indent"}.get(col, "head_r"))
    b.height(2, HEAD_TWO_LINES)
    row = 3
    for item in rem.items:
        if not _charges(item):
            continue
        first = row
        amounts = period_amounts(item.interest_periods)
        for i, (period, amount) in enumerate(zip(item.interest_periods, amounts), start=1):
            b.text(row, 2, format_period(period.start, period.end, lang), "cell_indent")
            b.put(row, 3, period.days, "cell_qty")
            b.put(row, 4, period.percent, "cell_rate")
            b.put(row, 5, amount, "cell_money")
            if i == len(amounts):
                b.put(row, 6, item.interest, "cell_money")
            else:
                b.put(row, 6, None, "cell")
            row += 1
        if item.interest and not item.interest_periods:  # figures without their detail: the sum only
            row = _charge_row(b, row, t("reminder.interest.invoice", lang, number=item.number), item.interest)
        if item.compensation:
            row = _charge_row(b, row, t("reminder.compensation.invoice", lang), item.compensation)
        b.text(first, 0, item.number, "cell")
        b.put(first, 1, item.open, "cell_money")
        for r in range(first + 1, row):  # rows that continue the document's first, kept on its page
            b.put(r, 0, None, "continued")
            b.put(r, 1, None, "continued")
    return b.build(row)


def period_amounts(periods) -> list[Decimal]:
    """The rate periods' amounts to the cent, adding up to the document's interest (their sum
    rounded once): each is the rounded running sum less the one before, within a cent of its
    exact amount.

    >>> from batch.model import InterestPeriod as P
    >>> d = date(2025, 1, 1)
    >>> period_amounts((P(d, d, 60, Decimal("11.50"), Decimal("13.7243835616")),
    ...                 P(d, d, 15, Decimal("10.50"), Decimal("3.1327397260"))))
    [Decimal('13.72'), Decimal('3.14')]
    """
    out, running, shown = [], ZERO, ZERO
    for period in periods:
        running += period.amount
        out.append(cents(running) - shown)
        shown = cents(running)
    return out


def _charge_row(b: _Builder, row: int, label: str, amount: Decimal) -> int:
    """A document's charge without rate detail (the compensation): its label, the amount last."""
    b.text(row, 2, label, "cell_indent", 5)
    b.put(row, 6, amount, "cell_money")
    return row + 1


def _totals(rem: Reminder, lang: str) -> Block:
    """Open, interest and compensation (when charged), and the total to pay."""
    b = _Builder("totals", gap_before=1, keep_together=True)
    lines = [("reminder.total.open", rem.open)]
    if rem.interest or any(item.interest_periods for item in rem.items):
        lines.append(("reminder.total.interest", rem.interest))
    if rem.compensation:
        lines.append(("reminder.total.compensation", rem.compensation))
    for row, (key, value) in enumerate(lines):
        b.text(row, 3, t(key, lang), "right", 5)
        b.put(row, 6, value, "money")
    row = len(lines)
    b.height(row, 18)
    b.text(row, 3, t("reminder.total.to_pay", lang), "total_label", 5)
    b.put(row, 6, rem.total, "total")
    return b.build(row + 1)


def _payment(rem: Reminder, lang: str, qr) -> Block:
    """How to pay the total: account, the reminder's structured reference, the EPC QR code, and
    the courteous line that a payment made meanwhile settles the reminder (none on a draft)."""
    b = _Builder("payment", gap_before=1, keep_together=True)
    if rem.number is None:
        return b.build(0)
    seller = rem.seller
    b.text(0, 0, t("pay.title", lang), "band", LAST_COL)
    row = first = 1
    instruction = t("reminder.pay.instruction", lang, amount=format_money(rem.total, lang),
                    due=format_date(rem.due_date, lang, long=True), iban=iban_text(seller.iban),
                    bic=seller.bic or "—")
    b.wrapped(row, 0, 3, instruction, "wrap", min_lines=2)
    row += 1
    if rem.structured_reference:
        b.text(row, 0, t("pay.reference", lang), "label", 3)
        row += 1
        b.height(row, 20)
        b.text(row, 0, "+++" + ogm_vcs.format(ogm_vcs.compact(rem.structured_reference)) + "+++", "reference", 3)
        row += 1
    b.wrapped(row, 0, 3, t("reminder.pay.ignore", lang), "wrap")  # beside the code, under the reference
    row += 1
    if qr is not None:
        b.text(first, 5, t("pay.scan", lang), "scan", LAST_COL)
        b.put(first + 1, 5, Qr(qr, t("pay.scan", lang)), "qr")
        row = max(row, first + 7)
    return b.build(row)
