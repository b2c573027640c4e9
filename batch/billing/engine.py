"""The pricing core: rules R1–R10 of SPEC §3 over validated records → a plan of draft invoices.

Pure: no I/O, no clock. Everything it needs comes in as arguments (records, tariffs, settings,
the register's state, the quarter and the invoice date), so the same inputs always give the
same plan.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Callable, Iterable, Mapping, NamedTuple

from ..model import (
    ALREADY_BILLED,
    BEFORE_START,
    BILLED,
    COVERED_CATEGORIES,
    DEFERRED,
    HELD,
    INCLUDED,
    Customer,
    CustomerSummary,
    IncludedIntervention,
    Intervention,
    InterventionOutcome,
    InterventionRow,
    Invoice,
    InvoiceLine,
    Licence,
    Party,
    Source,
    Tariffs,
    VatSubtotal,
)
from ..identity import customer_key, key
from ..money import ZERO, cents
from ..problems import ERROR, WARNING, Problem
from ..settings import Settings
from .calendar import days_in_month, is_month, quarter_bounds, started_months
from .coverage import Interval, first_active_day, over_billed_periods, segments

EU_COUNTRIES = frozenset(
    "AT BE BG CY CZ DE DK EE ES FI FR GR EL HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split()
)

# reasons why an intervention is billable (InvoiceLine.reason)
NOT_COVERED = "not-covered"
HOLIDAY_PHONE = "holiday-phone"
NO_AGREEMENT = "no-agreement"
CANCELLED = "cancelled"
NOT_STARTED = "not-started"


Locate = Callable[[Source, str], str]  # (row's source, column name) → its cell, e.g. "C17" ("" unknown)


def _no_cells(source: Source, column: str) -> str:
    return ""


class Handled(NamedTuple):
    """An intervention an earlier run billed or included (the register's ``handled`` row)."""

    number: str  # the invoice that billed it; "" when included for free
    fingerprint: str | None = None  # its content then (:func:`fingerprint`); None: not recorded


@dataclass(frozen=True)
class RegisterState:
    """What earlier runs left in the register, as the pricing core needs it. Every mapping is keyed
    by identity keys (:mod:`batch.identity`): the same customer or module written differently in a
    later month is the same."""

    billing_start: date
    # (customer key, module key) → intervals (start, end, units) invoiced by standing documents
    coverage: Mapping[tuple[str, str], tuple[Interval, ...]] = field(default_factory=dict)
    handled: Mapping[str, Handled | str] = field(default_factory=dict)  # intervention key → Handled
    last_upgrade: Mapping[str, date] = field(default_factory=dict)  # customer key → date of last upgrade

    def handled_of(self, intervention_id: str) -> Handled | None:
        h = self.handled.get(key(intervention_id))
        if h is None or isinstance(h, Handled):
            return h
        return Handled(h)  # a bare number (tests, older callers)


@dataclass(frozen=True)
class Agreement:
    """R1: the agreement of one customer. Active on ``day`` iff start ≤ day < end (end exclusive)."""

    start: date | None  # None: no agreement at all
    end: date | None  # cancellation date (exclusive), None: open

    def active_on(self, day: date) -> bool:
        return self.start is not None and self.start <= day and (self.end is None or day < self.end)

    def reason_without(self, day: date) -> str:
        """Why there is no agreement on ``day``."""
        if self.start is None:
            return NO_AGREEMENT
        if self.end is not None and day >= self.end:
            return CANCELLED
        return NOT_STARTED


class HandledRow(NamedTuple):
    """An intervention this run bills or includes: the register's ``handled`` row to be."""

    intervention_id: str
    customer_id: str
    status: str  # BILLED | INCLUDED
    fingerprint: str


@dataclass
class CustomerPlan:
    customer: Customer
    agreement: Agreement
    lines: list[InvoiceLine] = field(default_factory=list)  # regie lines
    included: list[IncludedIntervention] = field(default_factory=list)
    adapting: list[Intervention] = field(default_factory=list)  # R8 candidates
    handled: list[HandledRow] = field(default_factory=list)
    missing_rates: list[Intervention] = field(default_factory=list)  # billable, but no regie rate in force
    flawed: list = field(default_factory=list)  # T7: tariff problems of the rows its invoice would use


@dataclass
class Plan:
    """The outcome of pricing one quarter, before numbering."""

    quarter: str
    invoice_date: date
    invoices: list[Invoice]
    outcomes: list[InterventionOutcome]
    customers: list[CustomerSummary]
    problems: list[Problem]
    upgrades: dict[str, date]  # customer → date of the upgrade billed
    handled: list[HandledRow]
    held: dict[str, list[Problem]] = field(default_factory=dict)  # customers held while pricing

    @property
    def is_empty(self) -> bool:
        return not self.invoices and not self.handled


# --- R1 ------------------------------------------------------------------------------------


def base_purchase(licences: Iterable[Licence], tariffs: Tariffs) -> date | None:
    """Purchase date of the earliest base-package licence, else of the earliest licence."""
    licences = list(licences)
    base = [l.purchase_date for l in licences if (m := tariffs.module(l.module)) and m.is_base]
    if base:
        return min(base)
    return min((l.purchase_date for l in licences), default=None)


def agreement_of(customer: Customer, licences: Iterable[Licence], tariffs: Tariffs) -> Agreement:
    if not customer.agreement:
        return Agreement(None, None)
    start = customer.agreement_start or base_purchase(licences, tariffs)
    if start is None:
        return Agreement(None, None)
    end = customer.cancelled_on
    if end is not None and end <= start:
        # cancelled before it ever began: never active, but remember it was cancelled
        return Agreement(start, start)
    return Agreement(start, end)


# --- R2–R4 ---------------------------------------------------------------------------------


def licence_active_range(lic: Licence, agr: Agreement) -> tuple[date, date | None] | None:
    """R2: first and last active day (inclusive; last None = open), or None if never active."""
    if agr.start is None:
        return None
    first = max(lic.purchase_date, agr.start)
    last = lic.end_date
    if agr.end is not None:
        day_before = agr.end - timedelta(days=1)
        last = day_before if last is None else min(last, day_before)
    if last is not None and last < first:
        return None
    return first, last


def licence_nominal_range(lic: Licence, agr: Agreement) -> tuple[date, None] | None:
    """R3: the days a licence counts as bought, whatever its end or the agreement's cancellation — an
    invoiced day that is no longer active only because the licence ended or the agreement was
    cancelled gives no credit (seed: invoiced periods remain due); fewer units on such a day is a
    correction downwards."""
    if agr.start is None:
        return None
    return max(lic.purchase_date, agr.start), None


class _Piece(NamedTuple):
    """Days of one month to bill for one module: (start, end, units, whole month?, monthly fee)."""

    start: date
    end: date
    units: int
    whole: bool
    fee: Decimal


def module_pieces(module: str, active: list[Interval], billed: tuple[Interval, ...], first: date, last: date,
                  tariffs: Tariffs, daily: bool, flawed: list | None = None,
                  ) -> tuple[list[_Piece], list[tuple[date, date, int]]]:
    """R2–R4 for one customer's module: the pieces to bill between ``first`` and ``last`` (the
    active units minus the billed coverage, month by month), and the periods invoiced beyond what
    is active now. ``flawed`` collects the T7 problems of the price rows whose monthly fee is used."""
    segs = segments(active, billed, first, last)
    pieces: list[_Piece] = []
    by_month: dict[date, list] = defaultdict(list)
    for seg in segs:
        if seg.to_bill:
            by_month[seg.start.replace(day=1)].append(seg)
    for month_start in sorted(by_month):
        month = by_month[month_start]
        # R4: the fee in force on the first active day of the month
        price = tariffs.module_price(module, first_active_day(active, month_start) or month_start)
        fee = price.monthly_fee if price else ZERO
        if price is not None and price.flaws and flawed is not None:
            flawed.extend(p for name, p in price.flaws if name == "maandbedrag" and p not in flawed)
        dim = days_in_month(month_start)
        if len(month) == 1 and (month[0].end - month[0].start).days + 1 == dim:
            pieces.append(_Piece(month[0].start, month[0].end, month[0].to_bill, True, fee))
        elif not daily:  # "none": a partial month costs a whole one, at its largest number of units
            pieces.append(_Piece(month[0].start, month[-1].end, max(x.to_bill for x in month), True, fee))
        else:
            pieces += [_Piece(x.start, x.end, x.to_bill, False, fee) for x in month]
    return pieces, over_billed_periods(segs)


def fee_lines(
    customer: Customer,
    licences: list[Licence],
    agr: Agreement,
    tariffs: Tariffs,
    settings: Settings,
    state: RegisterState,
    through: date,
    flawed: list | None = None,
) -> tuple[list[InvoiceLine], list[tuple[str, date, date, int]]]:
    """R2–R4 of one customer up to ``through``: the fee lines, and the corrections downwards
    (module, start, end, units invoiced beyond what is active) that need a credit note.

    Billing is per module: the units of every licence of that module active on a day, minus the
    units the register's billed coverage holds for that day (R3). Consecutive whole months at one
    price and one number of units are one line; each partial month is its own line, rounded to the
    cent.
    """
    lines: list[InvoiceLine] = []
    corrections: list[tuple[str, date, date, int]] = []
    rate, category = vat_regime(customer, settings)
    account = settings.accounts.fee
    daily = settings.billing.proration == "daily"
    ckey = customer_key(customer.customer_id)
    by_module: dict[str, list[Licence]] = defaultdict(list)
    for lic in licences:
        by_module[lic.module].append(lic)
    for code in sorted(by_module):
        active = [(r[0], r[1], lic.quantity) for lic in by_module[code]
                  if (r := licence_active_range(lic, agr)) is not None]
        billed = state.coverage.get((ckey, key(code)), ())
        pieces, over = module_pieces(code, active, billed, state.billing_start, through, tariffs, daily, flawed)
        if over:  # R3: only days fewer units count as bought on than were billed need a credit note
            nominal = [(r[0], r[1], lic.quantity) for lic in by_module[code]
                       if (r := licence_nominal_range(lic, agr)) is not None]
            over = over_billed_periods(segments(nominal, billed, state.billing_start, through))
        corrections += [(code, lo, hi, units) for lo, hi, units in over]
        module = tariffs.module(code)
        desc = module.description if module else code
        names = module.names if module else ()
        common = dict(vat_category=category, vat_rate=rate, gl_account=account, module=code,
                      module_description=desc, module_names=names, licence_key=f"{customer.customer_id}|{code}")
        i = 0
        while i < len(pieces):
            p = pieces[i]
            if not p.whole:
                dim = days_in_month(p.start)
                days = (p.end - p.start).days + 1
                qty = Decimal(p.units)
                lines.append(InvoiceLine(
                    kind="fee", amount=cents(p.fee * qty * days / dim), quantity=qty, unit_price=p.fee,
                    period_start=p.start, period_end=p.end, days=days, days_in_month=dim, monthly_fee=p.fee,
                    units=p.units, **common))
                i += 1
                continue
            j = i
            while (j + 1 < len(pieces) and pieces[j + 1].whole and pieces[j + 1].fee == p.fee
                   and pieces[j + 1].units == p.units and pieces[j + 1].start == pieces[j].end + timedelta(days=1)):
                j += 1
            months = j - i + 1
            lines.append(InvoiceLine(
                kind="fee", amount=cents(p.fee * p.units * months), quantity=Decimal(p.units * months),
                unit_price=p.fee, period_start=p.start, period_end=pieces[j].end, monthly_fee=p.fee,
                units=p.units, **common))
            i = j + 1
    present = {key(code) for code in by_module}
    for code in tariffs.modules:  # R3: a module billed before whose licence rows are gone (no end date)
        billed = state.coverage.get((ckey, key(code)))
        if billed and key(code) not in present:
            over = over_billed_periods(segments([], billed, state.billing_start, through))
            corrections += [(code, lo, hi, units) for lo, hi, units in over]
    return lines, corrections


def deadline_of(day: date) -> date:
    """SPEC §9 L7: a service must be invoiced by the 15th of the month after it (art. 53 § 2 WBTW).

    >>> deadline_of(date(2027, 1, 31)), deadline_of(date(2026, 12, 2))
    (datetime.date(2027, 2, 15), datetime.date(2027, 1, 15))
    """
    return (day.replace(day=1) + timedelta(days=32)).replace(day=15)


# --- R5–R8 ---------------------------------------------------------------------------------


def intervention_cutoff(quarter: str, settings: Settings) -> date:
    """R5: the last intervention date a run for ``quarter`` bills; a month run (SPEC §9 L7) bills
    the interventions through the end of its month."""
    q_start, q_end = quarter_bounds(quarter)
    if settings.billing.fee_timing == "arrears" or is_month(quarter):
        return q_end
    return q_start - timedelta(days=1)


def billable_minutes(minutes: int, with_agreement: bool, settings: Settings) -> int:
    """R7: round up to the increment; without agreement at least the minimum.

    >>> billable_minutes(50, True, Settings()), billable_minutes(10, False, Settings())
    (60, 60)
    >>> billable_minutes(70, False, Settings()), billable_minutes(10, True, Settings())
    (75, 15)
    """
    inc = settings.billing.increment_minutes
    billed = -(-minutes // inc) * inc if inc > 0 else minutes
    if not with_agreement:
        billed = max(billed, settings.billing.minimum_minutes_without_agreement)
    return billed


def regie_line(iv: Intervention, with_agreement: bool, reason: str, customer: Customer, tariffs: Tariffs,
               settings: Settings) -> InvoiceLine | None:
    """R7: the invoice line of a billable intervention, or None when no regie rate is in force on
    its date for its channel (nor for every channel)."""
    rate_row = tariffs.regie_rate(iv.channel, iv.date)
    if rate_row is None:
        return None
    minutes = billable_minutes(iv.minutes, with_agreement, settings)
    hours = Decimal(minutes) / 60
    vrate, vcat = vat_regime(customer, settings)
    return InvoiceLine(
        kind="regie", amount=cents(hours * rate_row.hourly_rate),
        quantity=hours.quantize(Decimal("0.0001")),  # shown quantity; the amount uses the exact hours
        unit_price=rate_row.hourly_rate, vat_category=vcat, vat_rate=vrate, gl_account=settings.accounts.regie,
        intervention_id=iv.intervention_id, date=iv.date, minutes=iv.minutes, billed_minutes=minutes,
        channel=iv.channel, category=iv.category, reason=reason, description=iv.description,
        deadline=deadline_of(iv.date),
    )


def covered(iv: Intervention, agr: Agreement, tariffs: Tariffs, settings: Settings) -> tuple[bool, str]:
    """R6: (included?, reason code when billable)."""
    if not agr.active_on(iv.date):
        return False, agr.reason_without(iv.date)
    if (iv.channel == "telefoon" and settings.billing.holiday_phone == "billable"
            and tariffs.holiday_on(iv.date) is not None):
        return False, HOLIDAY_PHONE
    if iv.category in COVERED_CATEGORIES:
        return True, ""
    return False, NOT_COVERED


def upgrade_line(
    customer: Customer,
    licences: list[Licence],
    agr: Agreement,
    adapting: list[Intervention],
    tariffs: Tariffs,
    settings: Settings,
    state: RegisterState,
    flawed: list | None = None,
) -> tuple[InvoiceLine | None, date | None]:
    """R8: one upgrade at the date of the latest adapting intervention without agreement. ``flawed``
    collects the T7 problems of the licence prices it uses."""
    if not adapting:
        return None, None
    latest = max(adapting, key=lambda iv: (iv.date, iv.intervention_id))
    day = latest.date
    if agr.start is not None and agr.end is not None and day >= agr.end:
        since = agr.end  # cancelled
    else:
        since = base_purchase(licences, tariffs) or day  # never had one, or before its start
    last = state.last_upgrade.get(customer_key(customer.customer_id))
    if last is not None and last > since:
        since = last
    months = started_months(since, day)
    value = ZERO
    for lic in licences:
        if lic.purchase_date <= day and (lic.end_date is None or day <= lic.end_date):
            price = tariffs.module_price(lic.module, day)
            if price is not None:
                value += price.licence_price * lic.quantity
                if price.flaws and flawed is not None:
                    flawed.extend(p for name, p in price.flaws if name == "licentieprijs" and p not in flawed)
    if value == 0:
        return None, None
    amount = cents(value * months / 60)
    rate, category = vat_regime(customer, settings)
    line = InvoiceLine(
        kind="upgrade", amount=amount, quantity=Decimal(1), unit_price=amount, vat_category=category,
        vat_rate=rate, gl_account=settings.accounts.upgrade, intervention_id=latest.intervention_id,
        date=day, licence_value=value, months=months, period_start=since, period_end=day,
        deadline=deadline_of(day),
    )
    return line, day


# --- R9 ------------------------------------------------------------------------------------


def vat_regime(customer: Customer, settings: Settings) -> tuple[Decimal, str]:
    """R9: (rate, UBL category) for a customer.

    BE → S 21 %; other EU with a valid VAT number → AE 0 % (reverse charge); other EU without
    → S 21 %; outside the EU → O (not subject to Belgian VAT).
    """
    country = (customer.country or "BE").upper()
    if country == "BE":
        return settings.invoice.vat_rate, "S"
    if country in EU_COUNTRIES:
        if customer.vat_number and customer.vat_valid:
            return Decimal(0), "AE"
        return settings.invoice.vat_rate, "S"
    return Decimal(0), "O"


def vat_breakdown(lines: Iterable[InvoiceLine]) -> tuple[VatSubtotal, ...]:
    """VAT per category on the sum of its line amounts, rounded half up to the cent."""
    bases: dict[tuple[str, Decimal], Decimal] = defaultdict(lambda: ZERO)
    for line in lines:
        bases[(line.vat_category, line.vat_rate)] += line.amount
    return tuple(
        VatSubtotal(cat, rate, base, cents(base * rate / 100))
        for (cat, rate), base in sorted(bases.items())
    )


def buyer_party(customer: Customer) -> Party:
    company_id = None
    if customer.country == "BE" and customer.vat_number and customer.vat_valid:
        company_id = customer.vat_number[2:]
    return Party(
        name=customer.name, street=customer.street, postcode=customer.postcode, city=customer.city,
        country=customer.country, vat_number=customer.vat_number, company_id=company_id,
        email=customer.invoice_email or customer.email, peppol_id=customer.peppol_id,
        customer_id=customer.customer_id, cc=customer.cc,
    )


# --- R10 and the whole plan ----------------------------------------------------------------


def _communication_periods(licences: list[Licence], tariffs: Tariffs) -> list[tuple[date, date | None]]:
    """(purchase, end) of a customer's communication licences (R10)."""
    periods = []
    for lic in licences:
        m = tariffs.module(lic.module)
        if m and m.is_communication:
            periods.append((lic.purchase_date, lic.end_date))
    return periods


def _has_communication(periods: list[tuple[date, date | None]], day: date) -> bool:
    return any(start <= day and (end is None or day <= end) for start, end in periods)


def _warn(iv: Intervention, message: str, code: str, fix: str = "", column: str = "") -> Problem:
    src = iv.source
    return Problem(WARNING, message, fix=fix, file=src.file if src else "", sheet=src.sheet if src else "",
                   row=src.row if src else None, value=iv.intervention_id, code=code,
                   customer_id=None, column=column)


# the input columns of an intervention's fingerprint (T5), in the order they are compared
FINGERPRINT_FIELDS = (("customer", "klantnummer"), ("date", "datum"), ("minutes", "duur"), ("channel", "kanaal"),
                      ("category", "soort"), ("adapted", "aanpassing pakket"))


def fingerprint(iv: Intervention) -> str:
    """SPEC §8 T5: what of an intervention decides its price, as one text.

    >>> fingerprint(Intervention("I1", date(2027, 1, 4), "K01", 30, "telefoon", "vraag"))
    'k01|2027-01-04|30|telefoon|vraag|0'
    """
    return "|".join((customer_key(iv.customer_id), iv.date.isoformat(), str(iv.minutes), iv.channel, iv.category,
                     "1" if iv.package_adapted else "0"))


def fingerprint_changes(before: str, iv: Intervention) -> list[tuple[str, str, str]]:
    """(column, before, now) for every field of a handled intervention that differs now."""
    now = fingerprint(iv).split("|")
    old = before.split("|")
    if len(old) != len(now):
        return []
    return [(column, o, n) for (_, column), o, n in zip(FINGERPRINT_FIELDS, old, now) if o != n]


class _Decision(NamedTuple):
    """The status of one input row, decided before pricing; a customer held while pricing turns
    its billed and included rows into held ones when the outcomes are written."""

    row: InterventionRow
    status: str
    reason: str = ""
    number: str | None = None
    amount: Decimal | None = None
    fingerprint: str | None = None


HELD_REASON = "its customer has errors in this run"


def plan_quarter(
    quarter: str,
    invoice_date: date,
    customers: Mapping[str, Customer],
    licences: Iterable[Licence],
    rows: Iterable[InterventionRow],
    tariffs: Tariffs,
    settings: Settings,
    state: RegisterState,
    held: Mapping[str, list] | None = None,
    progress=None,
    locate: Locate | None = None,
) -> Plan:
    """Price one quarter. ``held`` customers (id → problems) are left out and their rows held.

    Three phases: every intervention row gets its status (:func:`_classify`); every customer is
    priced — fees, regie, upgrade — into a draft invoice (:func:`_price_customer`), which may hold
    the customer (no regie rate, an implausible total); then the outcomes are written, one per row.
    ``progress(step, done, total)`` is told how far the pricing of customers is. ``locate`` names
    the cell of a row's column, for warnings found while pricing (T5, R3).
    """
    locate = locate or _no_cells
    progress = progress or (lambda step, done, total: None)
    held = dict(held or {})
    _, q_end = quarter_bounds(quarter)
    fees_through = None if is_month(quarter) else q_end  # a month run bills no fees (SPEC §9 L7)
    by_customer: dict[str, list[Licence]] = defaultdict(list)
    for lic in licences:
        by_customer[lic.customer_id].append(lic)
    plans = {cid: CustomerPlan(customers[cid], agreement_of(customers[cid], by_customer.get(cid, []), tariffs))
             for cid in sorted(customers) if cid not in held}
    problems: list[Problem] = []
    decisions = _classify(rows, plans, by_customer, tariffs, settings, state, held,
                          min(intervention_cutoff(quarter, settings), invoice_date), invoice_date, problems, locate)

    covered_through: dict[str, date] = {}  # customer key → last day of its billed coverage
    for (ckey, _), intervals in state.coverage.items():
        for interval in intervals:
            if interval[1] and (ckey not in covered_through or interval[1] > covered_through[ckey]):
                covered_through[ckey] = interval[1]
    invoices: list[Invoice] = []
    summaries: list[CustomerSummary] = []
    upgrades: dict[str, date] = {}
    newly_held: dict[str, list[Problem]] = {}
    for n, (cid, plan) in enumerate(plans.items(), 1):
        if n % 250 == 0 or n == len(plans):
            progress("price", n, len(plans))
        priced = _price_customer(plan, by_customer.get(cid, []), tariffs, settings, state, fees_through, quarter,
                                 invoice_date, problems, locate)
        if isinstance(priced, list):  # errors: the customer is held
            newly_held[cid] = priced
            problems.extend(priced)
            continue
        inv, lines, up_date = priced
        if inv is not None:
            invoices.append(inv)
        if up_date:
            upgrades[cid] = up_date
        summaries.append(_summary(plan, lines, inv, covered_through.get(customer_key(cid))))
    held.update(newly_held)
    for cid in sorted(held):  # every held customer, in the one list the terminal shows too
        reasons = "; ".join(p.render() for p in held[cid][:3]) if held[cid] else "errors in its rows"
        c = customers.get(cid)
        agreement = _agreement_text(agreement_of(c, by_customer.get(cid, []), tariffs)) if c else ""
        summaries.append(CustomerSummary(cid, c.name if c else "", agreement, None, ZERO, ZERO, ZERO, ZERO, True,
                                         reasons))
    summaries.sort(key=lambda c: (c.held, c.customer_id))
    outcomes = [_outcome(d, newly_held) for d in decisions]
    handled = [h for cid, plan in plans.items() if cid not in newly_held for h in plan.handled]
    return Plan(quarter, invoice_date, invoices, outcomes, summaries, problems, upgrades, handled, newly_held)


def _outcome(d: _Decision, newly_held: Mapping[str, list]) -> InterventionOutcome:
    row = d.row
    record = row.record
    status, reason, amount, fp = d.status, d.reason, d.amount, d.fingerprint
    if status in (BILLED, INCLUDED) and row.customer_id in newly_held:
        status, reason, amount, fp = HELD, HELD_REASON, None, None
    return InterventionOutcome(row.intervention_id, str(row.source), status, row.customer_id,
                               record.date if record else None, d.number, amount, reason, fp)


def _classify(rows, plans: dict[str, CustomerPlan], by_customer, tariffs: Tariffs, settings: Settings,
              state: RegisterState, held: Mapping[str, list], cutoff: date, invoice_date: date,
              problems: list[Problem], locate: Locate = _no_cells) -> list[_Decision]:
    """R5, R6, R10, T5, T6: the status of every input row; billable rows become regie lines of
    their customer's plan, covered ones its included interventions."""
    decisions: list[_Decision] = []
    first_purchase = {cid: min(l.purchase_date for l in lics) for cid, lics in by_customer.items() if lics}
    communication: dict[str, list[tuple[date, date | None]]] = {}  # filled when first needed
    for row in rows:
        if row.status is not None:  # rejected or duplicate, decided by the reader
            decisions.append(_Decision(row, row.status, row.reason))
            continue
        iv = row.record
        done = state.handled_of(iv.intervention_id)
        if done is not None:
            if done.fingerprint and done.fingerprint != fingerprint(iv):
                problems.append(_edited_warning(iv, done, locate))
            decisions.append(_Decision(row, ALREADY_BILLED, "billed or included by an earlier run",
                                       done.number or None))
            continue
        if iv.date < state.billing_start:
            decisions.append(_Decision(row, BEFORE_START, f"dated before the billing start {state.billing_start}"))
            continue
        if iv.date > cutoff:
            why = (f"dated after the invoice date {invoice_date}" if cutoff == invoice_date and iv.date > invoice_date
                   else f"dated after this run's cut-off {cutoff}")
            decisions.append(_Decision(row, DEFERRED, why))
            continue
        plan = plans.get(iv.customer_id)
        if plan is None or iv.customer_id in held:
            decisions.append(_Decision(row, HELD, HELD_REASON))
            continue
        lics = by_customer.get(iv.customer_id, [])
        if iv.channel == "internet":  # R10 warnings
            periods = communication.get(iv.customer_id)
            if periods is None:
                periods = communication[iv.customer_id] = _communication_periods(lics, tariffs)
            if not _has_communication(periods, iv.date):
                problems.append(_warn(iv, f"interventie {iv.intervention_id} via internet, maar klant "
                                      f"{iv.customer_id} heeft geen communicatiepakket", "r10.no-communication",
                                      "controleer het kanaal of de licenties van de klant", "kanaal"))
        first = first_purchase.get(iv.customer_id)
        if first is None or iv.date < first:
            problems.append(_warn(iv, f"interventie {iv.intervention_id} van {iv.date} ligt vóór de eerste "
                                  f"aankoop van klant {iv.customer_id}", "r10.before-purchase",
                                  "controleer de datum van de interventie en de aankoopdata", "datum"))
        is_covered, reason = covered(iv, plan.agreement, tariffs, settings)
        if is_covered:
            plan.included.append(IncludedIntervention(iv.intervention_id, iv.date, iv.minutes, iv.channel,
                                                      iv.category, iv.description))
            fp = fingerprint(iv)
            plan.handled.append(HandledRow(iv.intervention_id, iv.customer_id, INCLUDED, fp))
            decisions.append(_Decision(row, INCLUDED, f"covered by the agreement ({iv.category})", amount=ZERO,
                                       fingerprint=fp))
            continue
        with_agreement = plan.agreement.active_on(iv.date)
        line = regie_line(iv, with_agreement, reason, plan.customer, tariffs, settings)
        if line is None:
            decisions.append(_Decision(row, HELD, "no regie rate in force"))  # its customer is held when priced
            plan.missing_rates.append(iv)
            continue
        plan.lines.append(line)
        rate_row = tariffs.regie_rate(iv.channel, iv.date)
        if rate_row is not None and rate_row.flaws:
            plan.flawed.extend(p for _, p in rate_row.flaws if p not in plan.flawed)
        fp = fingerprint(iv)
        plan.handled.append(HandledRow(iv.intervention_id, iv.customer_id, BILLED, fp))
        decisions.append(_Decision(row, BILLED, _reason_text(reason), amount=line.amount, fingerprint=fp))
        if iv.package_adapted and not with_agreement:
            plan.adapting.append(iv)
    return decisions


def _edited_warning(iv: Intervention, done: Handled, locate: Locate = _no_cells) -> Problem:
    """T5: a handled intervention whose content changed in a later sheet, naming every changed cell."""
    changes = fingerprint_changes(done.fingerprint or "", iv)
    src = iv.source
    cells = [locate(src, col) if src else "" for col, _, _ in changes]
    what = ", ".join(f"{col} {old} → {new}" + (f" ({cell})" if cell else "")
                     for (col, old, new), cell in zip(changes, cells)) or "its content"
    where = f"factuur {done.number}" if done.number else "een eerdere run (inbegrepen)"
    src = iv.source
    return Problem(WARNING, f"interventie {iv.intervention_id} werd al verwerkt door {where}, maar is sindsdien "
                   f"gewijzigd: {what}", fix="de wijziging wordt niet gefactureerd; maak een creditnota voor "
                   f"{done.number} als ze opnieuw gefactureerd moet worden" if done.number else
                   "de wijziging wordt niet gefactureerd", file=src.file if src else "",
                   sheet=src.sheet if src else "", row=src.row if src else None,
                   column=changes[0][0] if changes else "", cell="/".join(c for c in cells if c),
                   value=iv.intervention_id, code="t5.handled-edited")


def _correction_place(c: Customer, agr: Agreement, lics: list[Licence], module: str, lo: date
                      ) -> tuple[Source | None, str]:
    """R3: the cell that makes a billed day over-billed (a correction downwards): the agreement (no
    agreement any more, or a later agreed start), a purchase date moved after ``lo``, else the
    quantity of a licence of the module (lowered), else the customer's row (its licence row removed)."""
    if agr.start is None:
        return c.source, "overeenkomst"
    mine = [l for l in lics if l.module == module]
    if agr.start > lo and c.agreement_start is not None and all(l.purchase_date <= lo for l in mine):
        return c.source, "overeenkomst vanaf"
    later = [l for l in mine if l.purchase_date > lo]
    if later:
        return min(later, key=lambda l: l.purchase_date).source, "aankoopdatum"
    if mine:
        return mine[0].source, "aantal"
    return c.source, "klantnummer"


def _price_customer(plan: CustomerPlan, lics: list[Licence], tariffs: Tariffs, settings: Settings,
                    state: RegisterState, through: date | None, quarter: str, invoice_date: date,
                    problems: list[Problem], locate: Locate = _no_cells):
    """Fees, regie and upgrade of one customer → (draft invoice or None, its lines, upgrade date),
    or the errors that hold the customer back (a missing regie rate, an implausible total)."""
    c = plan.customer
    missing = plan.missing_rates
    if missing:
        return [Problem(ERROR, f"geen regietarief in voege op {iv.date} voor kanaal {iv.channel}",
                        fix="voeg in tarieven.xlsx (blad Regie) een tarief toe dat op die datum geldt",
                        file=iv.source.file if iv.source else "", sheet=iv.source.sheet if iv.source else "",
                        row=iv.source.row if iv.source else None, column="datum", value=iv.intervention_id,
                        customer_id=c.customer_id, code="regie.no-rate") for iv in missing]
    if through is None:  # a month run bills interventions and upgrades only (SPEC §9 L7)
        fees, corrections = [], []
    else:
        fees, corrections = fee_lines(c, lics, plan.agreement, tariffs, settings, state, through, plan.flawed)
    for module, lo, hi, units in corrections:
        src, column = _correction_place(c, plan.agreement, lics, module, lo)
        problems.append(Problem(
            WARNING, f"klant {c.customer_id}, module {module}: van {lo:%d/%m/%Y} tot {hi:%d/%m/%Y} werden "
            f"{units} licentie(s) meer gefactureerd dan er nu actief zijn", fix="een creditnota is nodig "
            "(bijstand credit NUMMER); de volgende run factureert dan opnieuw wat klopt",
            file=src.file if src else "", sheet=src.sheet if src else "", row=src.row if src else None,
            column=column, cell=locate(src, column) if src else "", value=module, code="r3.credit-needed"))
    up, up_date = upgrade_line(c, lics, plan.agreement, plan.adapting, tariffs, settings, state, plan.flawed)
    if plan.flawed:  # SPEC §8 T7: a tariff with more than two decimals holds the customers it would bill
        from ..texts_trust import text

        lang = settings.ui.language
        return [Problem(ERROR, text("t7.tariff.held", lang, customer=c.customer_id, header=p.column, value=p.value),
                        fix=text("t7.tariff.held.fix", lang), file=p.file, sheet=p.sheet, row=p.row, column=p.column,
                        cell=p.cell, value=p.value, customer_id=c.customer_id, code="t7.tariff-held")
                for p in plan.flawed]
    lines = fees + sorted(plan.lines, key=lambda l: (l.date, l.intervention_id)) + ([up] if up else [])
    if up is not None and up.licence_value is not None and up.amount > up.licence_value:
        problems.append(Problem(
            WARNING, f"klant {c.customer_id}: de upgrade ({up.amount}) is hoger dan de prijs van de licenties "
            f"({up.licence_value}): {up.months} maanden zonder overeenkomst", fix="controleer de opzegging en de "
            "aankoopdata; een klant zal dit bedrag in vraag stellen", file=c.source.file if c.source else "",
            sheet=c.source.sheet if c.source else "", row=c.source.row if c.source else None,
            value=c.customer_id, code="r8.upgrade-above-value"))
    inv = build_invoice(c, lines, plan.included, quarter, invoice_date, settings)
    if inv is not None and inv.net > settings.invoice.max_total:
        largest = sorted(inv.lines, key=lambda l: l.amount, reverse=True)[:3]
        shown = "; ".join(f"{l.module or l.intervention_id or l.kind} {l.amount}" for l in largest)
        return [Problem(ERROR, f"factuur voor klant {c.customer_id} zou {inv.net} excl. btw bedragen, meer dan "
                        f"invoice.max_total {cents(settings.invoice.max_total)} (grootste lijnen: {shown})",
                        fix="controleer aantallen, duur en tarieven; klopt het bedrag, verhoog dan invoice.max_total "
                        "in bijstand.toml", file=c.source.file if c.source else "",
                        sheet=c.source.sheet if c.source else "", row=c.source.row if c.source else None,
                        value=c.customer_id, customer_id=c.customer_id, code="t7.max-total")]
    return inv, lines, up_date


def build_invoice(customer: Customer, lines: list[InvoiceLine], included: list[IncludedIntervention],
                  quarter: str, invoice_date: date, settings: Settings) -> Invoice | None:
    """A draft invoice (no number yet), or None when there is nothing to bill."""
    if not lines:
        return None
    breakdown = vat_breakdown(lines)
    net = sum((l.amount for l in lines), ZERO)
    vat = sum((v.vat for v in breakdown), ZERO)
    fee_periods = [(l.period_start, l.period_end) for l in lines if l.kind == "fee"]
    return Invoice(
        document_type="invoice", number=None, issue_date=invoice_date,
        due_date=invoice_date + timedelta(days=settings.invoice.payment_days), quarter=quarter,
        language=customer.language or settings.invoice.language, seller=settings.seller.party(),
        legal_language=settings.seller.legal_language(customer.language or settings.invoice.language),
        buyer=buyer_party(customer), customer_id=customer.customer_id, lines=tuple(lines),
        vat_breakdown=breakdown, net=net, vat=vat, total=net + vat, structured_reference=None,
        period_start=min((p[0] for p in fee_periods), default=None),
        period_end=max((p[1] for p in fee_periods), default=None),
        included=tuple(sorted(included, key=lambda i: (i.date, i.intervention_id))),
    )


_REASONS = {
    NOT_COVERED: "not covered by the agreement",
    HOLIDAY_PHONE: "telephone support during a holiday period",
    NO_AGREEMENT: "no agreement",
    CANCELLED: "agreement cancelled",
    NOT_STARTED: "agreement not started yet",
}


def _reason_text(code: str) -> str:
    return _REASONS.get(code, code)


def _agreement_text(agr: Agreement) -> str:
    if agr.start is None:
        return "geen"
    if agr.end is not None:
        return f"van {agr.start} tot opzegging op {agr.end}"
    return f"sinds {agr.start}"


def _summary(plan: CustomerPlan, lines: list[InvoiceLine], inv: Invoice | None,
             earlier: date | None) -> CustomerSummary:
    """The customer's line in the summary; billed through = the last day of fee coverage, the
    register's (``earlier``) and this invoice's together."""
    by_kind = defaultdict(lambda: ZERO)
    for l in lines:
        by_kind[l.kind] += l.amount
    ends = [earlier] if earlier else []
    ends += [l.period_end for l in lines if l.kind == "fee" and l.period_end]
    return CustomerSummary(
        plan.customer.customer_id, plan.customer.name, _agreement_text(plan.agreement),
        max(ends) if ends else None, by_kind["fee"], by_kind["regie"], by_kind["upgrade"],
        inv.total if inv else ZERO,
    )
