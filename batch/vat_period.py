"""The accountant's VAT period (SPEC §10), as pure figures: which documents a VAT return covers,
the grids our sales feed with the documents that make each up, the interventions invoiced late
(SPEC §9 L7) and the intra-community listing. No I/O, no clock: documents and the period come in
as arguments, :class:`decimal.Decimal` amounts come out.

A document belongs to the period of its **issue date**, whatever run, rerun or credit note issued
it. Credit notes carry positive amounts in the model (UBL semantics); the grids they feed (48, 49,
64) take them as positive amounts too, as the return form does. Where a signed amount is shown
(net effect of a credit note), a zero is 0.00, never -0.00 (:func:`negate`).

The rule per document is :func:`document_grids` (the same as :func:`batch.documents.summary.vat_grids`,
which a test holds it to):

- invoice, category S → base in 03 (00/01/02 for 0/6/12 %), VAT in 54;
- invoice, category AE (reverse-charged services to a VAT-registered customer in another member
  state) → base in 44;
- invoice, category O, G or E (outside the scope, exempt) → base in 47;
- credit note, category AE → base in 48; any other category → base in 49; its VAT → 64.

A subtotal without VAT feeds no VAT grid (54, 64): an AE credit note is coded ``48`` alone.

>>> p = parse_vat_period("2027Q1")
>>> (p.label, p.first, p.last)
('2027Q1', datetime.date(2027, 1, 1), datetime.date(2027, 3, 31))
>>> parse_vat_period("2027-02").last
datetime.date(2027, 2, 28)
>>> legal_deadline(date(2026, 11, 3)), legal_deadline(date(2026, 12, 28))
(datetime.date(2026, 12, 15), datetime.date(2027, 1, 15))
"""

from __future__ import annotations

import calendar
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .model import Invoice, InvoiceLine
from .money import ZERO, cents
from .problems import UsageError

QUARTER = "quarter"
MONTH = "month"
KINDS = (QUARTER, MONTH)

# The grids of the periodic return that the sales of bijstand can feed, in the form's order.
GRIDS = ("00", "01", "02", "03", "44", "47", "48", "49", "54", "64")
# The grids SPEC §10 always shows (with 0.00 when nothing feeds them).
SHOWN_GRIDS = ("03", "44", "47", "48", "49", "54", "64")
VAT_GRIDS = frozenset({"54", "64"})  # grids that take the VAT, not the base
_RATE_GRID = {Decimal("0"): "00", Decimal("6"): "01", Decimal("12"): "02", Decimal("21"): "03"}

LISTING_CODE = "S"  # services (form 723, category III)
LATE_KINDS = ("regie", "upgrade")  # SPEC §9 L7: interventions and upgrades

_QUARTER_RE = re.compile(r"^(\d{4})\s*-?\s*[Qq]([1-4])$")
_MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")


# --- the period ---------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class VatPeriod:
    """One VAT return period: a calendar quarter (``2027Q1``) or month (``2027-01``)."""

    first: date
    last: date
    kind: str  # QUARTER | MONTH
    year: int
    index: int  # quarter 1–4 or month 1–12

    @property
    def label(self) -> str:
        """``2027Q1`` or ``2027-01`` (also the folder suffix: ``output/btw-2027Q1``)."""
        return f"{self.year}Q{self.index}" if self.kind == QUARTER else f"{self.year}-{self.index:02d}"

    def __str__(self) -> str:
        return self.label

    @property
    def folder(self) -> str:
        """The output folder's name: ``btw-2027Q1`` / ``btw-2027-01``."""
        return f"btw-{self.label}"

    def contains(self, day: date) -> bool:
        return self.first <= day <= self.last

    @classmethod
    def of(cls, day: date, kind: str) -> "VatPeriod":
        """The period of ``kind`` that contains ``day``.

        >>> VatPeriod.of(date(2026, 11, 15), "quarter").label, VatPeriod.of(date(2026, 11, 15), "month").label
        ('2026Q4', '2026-11')
        """
        if kind == QUARTER:
            return _period(day.year, (day.month - 1) // 3 + 1, QUARTER)
        return _period(day.year, day.month, MONTH)


def _period(year: int, index: int, kind: str) -> VatPeriod:
    first_month = 3 * (index - 1) + 1 if kind == QUARTER else index
    last_month = first_month + 2 if kind == QUARTER else first_month
    last_day = calendar.monthrange(year, last_month)[1]
    return VatPeriod(date(year, first_month, 1), date(year, last_month, last_day), kind, year, index)


def parse_vat_period(text: str, filer: str | None = None) -> VatPeriod:
    """``2027Q1`` (a quarterly filer) or ``2027-01`` (a monthly filer) → the period.

    ``filer`` is the setting ``vat.period`` ("quarter" | "month"); when given, a period of the
    other kind is refused, naming the setting. Anything else raises :class:`UsageError` (exit 2)
    with the form to write.

    >>> parse_vat_period(" 2027q4 ").label, parse_vat_period("2027-1").label
    ('2027Q4', '2027-01')
    >>> parse_vat_period("2027-13")
    Traceback (most recent call last):
    ...
    batch.problems.UsageError: '2027-13' is not a VAT period — write a quarter like 2027Q1 or a month like 2027-01
    >>> parse_vat_period("2027-01", filer="quarter")
    Traceback (most recent call last):
    ...
    batch.problems.UsageError: 2027-01 is a month, but you file quarterly (vat.period = "quarter" in bijstand.toml) — write the quarter, like 2027Q1, or set vat.period = "month"
    """
    raw = str(text).strip()
    m = _QUARTER_RE.match(raw)
    if m:
        year, index, kind = int(m.group(1)), int(m.group(2)), QUARTER
    else:
        m = _MONTH_RE.match(raw)
        if not m or not 1 <= int(m.group(2)) <= 12:
            raise UsageError(f"{text!r} is not a VAT period — write a quarter like 2027Q1 or a month like 2027-01")
        year, index, kind = int(m.group(1)), int(m.group(2)), MONTH
    if not 2000 <= year <= 2200:
        raise UsageError(f"{text!r}: year {year} is out of range — write a period like 2027Q1")
    period = _period(year, index, kind)
    if filer is not None and filer != kind:
        if filer == QUARTER:
            raise UsageError(f'{period.label} is a month, but you file quarterly (vat.period = "quarter" in '
                             f'bijstand.toml) — write the quarter, like {VatPeriod.of(period.first, QUARTER).label}, '
                             f'or set vat.period = "month"')
        raise UsageError(f'{period.label} is a quarter, but you file monthly (vat.period = "month" in '
                         f'bijstand.toml) — write a month, like {VatPeriod.of(period.first, MONTH).label}, '
                         f'or set vat.period = "quarter"')
    return period


# --- small rules --------------------------------------------------------------------------------


def negate(value: Decimal) -> Decimal:
    """``-value`` in cents, a zero always ``0.00`` (never ``-0.00``).

    >>> negate(Decimal("0.00")), negate(Decimal("12.5")), negate(Decimal("-3"))
    (Decimal('0.00'), Decimal('-12.50'), Decimal('3.00'))
    """
    return cents(-value) or ZERO


def signed(invoice: Invoice, value: Decimal) -> Decimal:
    """An amount of ``invoice`` with the sign of its effect on the books (credit notes negative)."""
    return negate(value) if is_credit(invoice) else cents(value)


def is_credit(invoice: Invoice) -> bool:
    return invoice.document_type == "credit_note"


def legal_deadline(service_date: date) -> date:
    """The 15th of the month after the service (art. 53 §2 WBTW, SPEC §9 L7)."""
    if service_date.month == 12:
        return date(service_date.year + 1, 1, 15)
    return date(service_date.year, service_date.month + 1, 15)


def line_deadline(line: InvoiceLine) -> date | None:
    """The deadline the line carries, else the legal one from its date; None without a date."""
    if line.deadline is not None:
        return line.deadline
    return legal_deadline(line.date) if line.date is not None else None


def grid_of(invoice: Invoice, category: str, rate: Decimal) -> tuple[str, str | None]:
    """(base grid, VAT grid or None) that one VAT subtotal of ``invoice`` feeds: an invoice's S
    subtotal 03 (or the grid of its rate) and 54, AE 44, O 47; a credit note's AE 48, others 49, with
    VAT grid 64 (tests/test_vat_period.py::test_grids_of_the_sample_documents)."""
    if is_credit(invoice):
        return ("48" if category == "AE" else "49"), "64"
    if category == "AE":
        return "44", None
    if category == "S":
        return _RATE_GRID.get(rate.normalize() if rate else Decimal("0"), "03"), "54"
    return "47", None


def document_grids(invoice: Invoice) -> dict[str, tuple[Decimal, Decimal]]:
    """grid → (base, VAT) of ``invoice``'s subtotals feeding it (both positive, in cents).

    A base grid holds its base; a VAT grid (54, 64) holds the VAT (its base is that of the
    subtotals whose VAT it takes). The grid's amount is :func:`grid_amount`. A subtotal without
    VAT feeds no VAT grid: a reverse-charged credit note (AE, 0.00 VAT) is coded ``48``, not
    ``48+64`` — grid 64 is the VAT to be repaid on credit notes, and there is none.
    """
    out: dict[str, list[Decimal]] = {}
    for sub in invoice.vat_breakdown:
        base_grid, vat_grid = grid_of(invoice, sub.category, sub.rate)
        acc = out.setdefault(base_grid, [ZERO, ZERO])
        acc[0] += sub.base
        acc[1] += sub.vat
        if vat_grid is not None and cents(sub.vat):
            acc = out.setdefault(vat_grid, [ZERO, ZERO])
            acc[0] += sub.base
            acc[1] += sub.vat
    return {g: (cents(b), cents(v)) for g, (b, v) in out.items()}


def grid_codes(invoice: Invoice) -> str:
    """The grids a document feeds, in the form's order, joined by ``+`` (for journal.csv): ``03+54``
    for a Belgian invoice, ``49+64`` for its credit note, ``48`` for a reverse-charged credit note
    (no VAT, nothing in grid 64)."""
    return _joined(document_grids(invoice))


def _joined(grids) -> str:
    return "+".join(sorted(grids, key=GRIDS.index))


def periods_of(days: Iterable[date], kind: str) -> list[VatPeriod]:
    """The VAT periods (of the filer's ``kind``) that ``days`` fall in, in order — for a run's
    summary title, which names the VAT periods of its documents' dates.

    >>> [p.label for p in periods_of([date(2027, 3, 28), date(2027, 1, 5), date(2027, 3, 1)], "quarter")]
    ['2027Q1']
    >>> [p.label for p in periods_of([date(2027, 3, 28), date(2027, 1, 5)], "month")]
    ['2027-01', '2027-03']
    """
    return sorted({VatPeriod.of(day, kind) for day in days})


def grid_amount(grid: str, base: Decimal, vat: Decimal) -> Decimal:
    """What a grid takes from an entry: the VAT for 54 and 64, the base otherwise."""
    return vat if grid in VAT_GRIDS else base


# --- the figures --------------------------------------------------------------------------------


@dataclass(frozen=True)
class GridEntry:
    """One document's part in one grid."""

    grid: str
    number: str
    document_type: str  # invoice | credit_note
    date: date
    customer_id: str
    customer_name: str
    vat_number: str
    categories: str  # "AE", "S+O", …
    base: Decimal  # positive, as the grid takes it
    vat: Decimal

    @property
    def amount(self) -> Decimal:
        return grid_amount(self.grid, self.base, self.vat)


@dataclass(frozen=True)
class LateLine:
    """An intervention or upgrade line invoiced after its legal deadline (SPEC §9 L7)."""

    number: str
    date: date  # the invoice's issue date
    customer_id: str
    customer_name: str
    kind: str  # regie | upgrade
    intervention_id: str
    service_date: date | None
    deadline: date
    amount: Decimal  # excl. VAT
    vat_rate: Decimal
    vat: Decimal  # the line's VAT, rounded on the line

    @property
    def days_late(self) -> int:
        return (self.date - self.deadline).days


@dataclass(frozen=True)
class ListingRow:
    """One line of the intra-community listing (form 723): a customer, per corrected period."""

    country: str  # the member state that issued the VAT number (EL for Greece), never BE
    vat_number: str  # without its country prefix; "" when the customer has none (see problems)
    customer_name: str
    customer_ids: tuple[str, ...]
    amount: Decimal  # invoices minus credit notes (bases of grids 44 and 48), in cents
    corrects: VatPeriod | None = None  # a credit note on an earlier period's invoice: that period
    documents: tuple[str, ...] = ()
    code: str = LISTING_CODE


@dataclass(frozen=True)
class PeriodProblem:
    """Something the accountant must fix before filing; ``code`` keys ``vat.problem.<code>``."""

    code: str
    number: str
    customer_id: str
    customer_name: str = ""


@dataclass(frozen=True)
class DocumentRow:
    """A document of the period as the accountant's list shows it (signed amounts)."""

    number: str
    document_type: str
    date: date
    customer_id: str
    customer_name: str
    vat_number: str
    country: str
    categories: str
    net: Decimal  # signed: a credit note negative, zero 0.00
    vat: Decimal
    total: Decimal
    credited_number: str
    credited_date: date | None
    grids: str  # "03+54"


@dataclass(frozen=True)
class PeriodFigures:
    """Everything ``btw-aangifte.xlsx`` and ``intervat-listing.xml`` show for one period."""

    period: VatPeriod
    documents: tuple[Invoice, ...]  # dated in the period, by (date, number)
    grids: dict[str, Decimal]  # every grid of SHOWN_GRIDS, plus 00/01/02 when fed
    entries: dict[str, tuple[GridEntry, ...]]  # grid → the documents that make it up
    late: tuple[LateLine, ...]
    listing: tuple[ListingRow, ...]
    problems: tuple[PeriodProblem, ...] = ()
    rows: tuple[DocumentRow, ...] = ()

    @property
    def is_empty(self) -> bool:
        """No document dated in the period (the workbook says so; nothing is an error)."""
        return not self.documents

    @property
    def invoices(self) -> tuple[Invoice, ...]:
        return tuple(d for d in self.documents if not is_credit(d))

    @property
    def credit_notes(self) -> tuple[Invoice, ...]:
        return tuple(d for d in self.documents if is_credit(d))

    @property
    def listing_total(self) -> Decimal:
        return cents(sum((r.amount for r in self.listing), ZERO))


def vat_categories(invoice: Invoice) -> str:
    """The VAT categories of a document, in the order of its subtotals (of its lines when it has
    none), joined by ``+`` (journal.csv, the VAT-period sheets)."""
    cats: list[str] = []
    for sub in invoice.vat_breakdown:
        if sub.category not in cats:
            cats.append(sub.category)
    if not cats:
        for line in invoice.lines:
            if line.vat_category not in cats:
                cats.append(line.vat_category)
    return "+".join(cats)


def documents_in(period: VatPeriod, documents: Iterable[Invoice]) -> list[Invoice]:
    """The issued documents dated in ``period`` (drafts, without a number, are left out), in the
    order of their date and number."""
    chosen = [d for d in documents if d.number and period.first <= d.issue_date <= period.last]
    chosen.sort(key=lambda d: (d.issue_date, d.number))
    return chosen


def late_lines(invoice: Invoice) -> list[LateLine]:
    """The intervention and upgrade lines of an invoice issued after their deadline.

    A credit note has none (it cancels, it does not invoice); a line with neither a deadline nor
    a date cannot be judged and is not listed.
    """
    if is_credit(invoice):
        return []
    out = []
    for line in invoice.lines:
        if line.kind not in LATE_KINDS:
            continue
        deadline = line_deadline(line)
        if deadline is None or deadline >= invoice.issue_date:
            continue
        out.append(LateLine(
            number=invoice.number or "", date=invoice.issue_date, customer_id=invoice.customer_id,
            customer_name=invoice.buyer.name, kind=line.kind, intervention_id=line.intervention_id or "",
            service_date=line.date, deadline=deadline, amount=cents(line.amount), vat_rate=line.vat_rate,
            vat=cents(line.amount * line.vat_rate / Decimal(100)),
        ))
    return out


def split_vat_number(vat_number: str | None, country: str) -> tuple[str, str]:
    """(issuing member state, number without prefix) of a customer's VAT number, as the listing
    wants them: Greece is EL, a number without prefix takes the customer's country.

    >>> split_vat_number("FR40303265045", "FR"), split_vat_number("EL 094259216", "GR")
    (('FR', '40303265045'), ('EL', '094259216'))
    >>> split_vat_number("094259216", "GR"), split_vat_number(None, "DE")
    (('EL', '094259216'), ('DE', ''))
    """
    compact = re.sub(r"[\s.\-/]", "", vat_number or "").upper()
    if len(compact) >= 2 and compact[:2].isalpha():
        prefix, number = compact[:2], compact[2:]
    else:
        prefix, number = (country or "").upper(), compact
    if prefix == "GR":
        prefix = "EL"
    return prefix, number


def period_figures(period: VatPeriod, documents: Iterable[Invoice]) -> PeriodFigures:
    """The figures of ``period`` over every issued document given (the register's whole history
    may be passed: only documents dated in the period count)."""
    docs = documents_in(period, documents)
    entries: dict[str, list[GridEntry]] = defaultdict(list)
    late: list[LateLine] = []
    rows: list[DocumentRow] = []
    listing: dict[tuple[str, str, VatPeriod | None], dict] = {}
    problems: list[PeriodProblem] = []
    for doc in docs:
        cats = vat_categories(doc)
        grids = document_grids(doc)
        for grid in sorted(grids, key=GRIDS.index):
            base, vat = grids[grid]
            entries[grid].append(GridEntry(grid, doc.number or "", doc.document_type, doc.issue_date,
                                           doc.customer_id, doc.buyer.name, doc.buyer.vat_number or "",
                                           cats, base, vat))
        late.extend(late_lines(doc))
        rows.append(DocumentRow(
            number=doc.number or "", document_type=doc.document_type, date=doc.issue_date,
            customer_id=doc.customer_id, customer_name=doc.buyer.name, vat_number=doc.buyer.vat_number or "",
            country=doc.buyer.country, categories=cats, net=signed(doc, doc.net), vat=signed(doc, doc.vat),
            total=signed(doc, doc.total), credited_number=doc.credited_number or "",
            credited_date=doc.credited_date, grids=_joined(grids),
        ))
        _add_to_listing(listing, problems, period, doc)
    totals = {g: cents(sum((e.amount for e in entries.get(g, ())), ZERO)) for g in GRIDS}
    shown = {g: totals[g] for g in GRIDS if g in SHOWN_GRIDS or entries.get(g)}
    listing_rows = [
        ListingRow(country=c, vat_number=v, customer_name=acc["name"][1], customer_ids=tuple(sorted(acc["ids"])),
                   amount=cents(acc["amount"]), corrects=corrects, documents=tuple(acc["documents"]))
        for (c, v, corrects), acc in listing.items() if cents(acc["amount"]) != 0
    ]
    listing_rows.sort(key=lambda r: (r.corrects is not None, r.corrects or period, r.country, r.vat_number))
    return PeriodFigures(period=period, documents=tuple(docs), grids=shown,
                         entries={g: tuple(entries[g]) for g in GRIDS if entries.get(g)},
                         late=tuple(late), listing=tuple(listing_rows), problems=tuple(problems), rows=tuple(rows))


def _add_to_listing(listing: dict, problems: list, period: VatPeriod, doc: Invoice) -> None:
    """Add the AE bases of ``doc`` to the intra-community listing: an invoice adds, a credit note
    subtracts — from this period's line when it credits an invoice of this period (or says no
    date), else from a correction line of the credited invoice's period."""
    reverse_charged = [sub.base for sub in doc.vat_breakdown if sub.category == "AE"]
    if not reverse_charged:
        return
    base = sum(reverse_charged, ZERO)
    country, number = split_vat_number(doc.buyer.vat_number, doc.buyer.country)
    if not number or country == "BE":
        problems.append(PeriodProblem("no_vat_number", doc.number or "", doc.customer_id, doc.buyer.name))
    corrects = None
    if is_credit(doc):
        base = -base
        credited = doc.credited_date
        if credited is not None and credited < period.first:
            corrects = VatPeriod.of(credited, period.kind)
    acc = listing.setdefault((country, number, corrects), {"amount": ZERO, "ids": set(), "documents": [],
                                                          "name": ((date.min, ""), "")})
    acc["amount"] += base
    acc["ids"].add(doc.customer_id)
    acc["documents"].append(doc.number or "")
    latest = (doc.issue_date, doc.number or "")
    if latest >= acc["name"][0]:
        acc["name"] = (latest, doc.buyer.name)
