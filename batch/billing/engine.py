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
from typing import Iterable, Mapping

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
    Tariffs,
    VatSubtotal,
)
from ..money import ZERO, cents
from ..problems import ERROR, WARNING, Problem
from ..settings import Settings
from .calendar import days_in_month, months_between, quarter_bounds, started_months

EU_COUNTRIES = frozenset(
    "AT BE BG CY CZ DE DK EE ES FI FR GR EL HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split()
)

# reasons why an intervention is billable (InvoiceLine.reason)
NOT_COVERED = "not-covered"
HOLIDAY_PHONE = "holiday-phone"
NO_AGREEMENT = "no-agreement"
CANCELLED = "cancelled"
NOT_STARTED = "not-started"


@dataclass(frozen=True)
class RegisterState:
    """What earlier runs left in the register, as the pricing core needs it."""

    billing_start: date
    billed_through: Mapping[str, date] = field(default_factory=dict)  # licence key → last day invoiced
    handled: Mapping[str, str] = field(default_factory=dict)  # intervention id → number ("" = included)
    last_upgrade: Mapping[str, date] = field(default_factory=dict)  # customer id → date of last upgrade


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


@dataclass
class CustomerPlan:
    customer: Customer
    agreement: Agreement
    lines: list[InvoiceLine] = field(default_factory=list)
    included: list[IncludedIntervention] = field(default_factory=list)
    billed_through: dict[str, tuple[date | None, date]] = field(default_factory=dict)  # key → (old, new)
    upgrade_date: date | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class Plan:
    """The outcome of pricing one quarter, before numbering."""

    quarter: str
    invoice_date: date
    invoices: list[Invoice]
    outcomes: list[InterventionOutcome]
    customers: list[CustomerSummary]
    problems: list[Problem]
    billed_through: dict[str, dict[str, tuple[date | None, date]]]  # customer → key → (old, new)
    upgrades: dict[str, date]  # customer → date of the upgrade billed
    handled: list[tuple[str, str, str]]  # (intervention id, customer id, BILLED|INCLUDED)

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


def fee_lines(
    customer: Customer,
    licences: list[Licence],
    agr: Agreement,
    tariffs: Tariffs,
    settings: Settings,
    state: RegisterState,
    through: date,
) -> tuple[list[InvoiceLine], dict[str, tuple[date | None, date]]]:
    """R2–R4: the fee lines of one customer up to ``through``, and the new billed-through dates."""
    lines: list[InvoiceLine] = []
    moved: dict[str, tuple[date | None, date]] = {}
    rate, category = vat_regime(customer, settings)
    account = settings.accounts.fee
    daily = settings.billing.proration == "daily"
    for lic in sorted(licences, key=lambda l: (l.module, l.purchase_date, l.key)):
        active = licence_active_range(lic, agr)
        if active is None:
            continue
        first, last = active
        old = state.billed_through.get(lic.key)
        start = max(first, state.billing_start)
        if old is not None:
            start = max(start, old + timedelta(days=1))
        end = through if last is None else min(last, through)
        if start > end:
            continue
        # (segment start, segment end, whole?, monthly fee) per month
        segments = []
        for seg_start, seg_end in months_between(start, end):
            days = (seg_end - seg_start).days + 1
            dim = days_in_month(seg_start)
            # R4: the fee in force on the first *active* day of the month
            price = tariffs.module_price(lic.module, max(first, seg_start.replace(day=1)))
            fee = price.monthly_fee if price else ZERO
            whole = days == dim or not daily
            segments.append((seg_start, seg_end, whole, fee, days, dim))
        module = tariffs.module(lic.module)
        desc = module.description if module else lic.module
        names = module.names if module else ()
        qty = Decimal(lic.quantity)
        i = 0
        while i < len(segments):
            seg_start, seg_end, whole, fee, days, dim = segments[i]
            if not whole:
                amount = cents(fee * qty * days / dim)
                lines.append(InvoiceLine(
                    kind="fee", amount=amount, quantity=qty, unit_price=fee, vat_category=category,
                    vat_rate=rate, gl_account=account, module=lic.module, module_description=desc,
                    period_start=seg_start, period_end=seg_end, days=days, days_in_month=dim,
                    monthly_fee=fee, licence_key=lic.key, module_names=names,
                ))
                i += 1
                continue
            j = i
            while (j + 1 < len(segments) and segments[j + 1][2] and segments[j + 1][3] == fee
                   and segments[j + 1][0] == segments[j][1] + timedelta(days=1)):
                j += 1
            months = j - i + 1
            lines.append(InvoiceLine(
                kind="fee", amount=cents(fee * qty * months), quantity=qty * months, unit_price=fee,
                vat_category=category, vat_rate=rate, gl_account=account, module=lic.module,
                module_description=desc, period_start=seg_start, period_end=segments[j][1],
                monthly_fee=fee, licence_key=lic.key, module_names=names,
            ))
            i = j + 1
        moved[lic.key] = (old, end)
    return lines, moved


# --- R5–R8 ---------------------------------------------------------------------------------


def intervention_cutoff(quarter: str, settings: Settings) -> date:
    """R5: the last intervention date a run for ``quarter`` bills."""
    q_start, q_end = quarter_bounds(quarter)
    if settings.billing.fee_timing == "arrears":
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
) -> tuple[InvoiceLine | None, date | None]:
    """R8: one upgrade at the date of the latest adapting intervention without agreement."""
    if not adapting:
        return None, None
    latest = max(adapting, key=lambda iv: (iv.date, iv.intervention_id))
    day = latest.date
    if agr.start is not None and agr.end is not None and day >= agr.end:
        since = agr.end  # cancelled
    else:
        since = base_purchase(licences, tariffs) or day  # never had one, or before its start
    last = state.last_upgrade.get(customer.customer_id)
    if last is not None and last > since:
        since = last
    months = started_months(since, day)
    value = ZERO
    for lic in licences:
        if lic.purchase_date <= day and (lic.end_date is None or day <= lic.end_date):
            price = tariffs.module_price(lic.module, day)
            if price is not None:
                value += price.licence_price * lic.quantity
    if value == 0:
        return None, None
    amount = cents(value * months / 60)
    rate, category = vat_regime(customer, settings)
    line = InvoiceLine(
        kind="upgrade", amount=amount, quantity=Decimal(1), unit_price=amount, vat_category=category,
        vat_rate=rate, gl_account=settings.accounts.upgrade, intervention_id=latest.intervention_id,
        date=day, licence_value=value, months=months, period_start=since, period_end=day,
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
        email=customer.email, peppol_id=customer.peppol_id, customer_id=customer.customer_id,
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


def _warn(iv: Intervention, message: str, code: str, fix: str = "") -> Problem:
    src = iv.source
    return Problem(WARNING, message, fix=fix, file=src.file if src else "", sheet=src.sheet if src else "",
                   row=src.row if src else None, value=iv.intervention_id, code=code,
                   customer_id=None)


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
) -> Plan:
    """Price one quarter. ``held`` customers (id → problems) are left out and their rows held.

    ``progress(step, done, total)`` is told how far the pricing of customers is."""
    progress = progress or (lambda step, done, total: None)
    held = held or {}
    q_start, q_end = quarter_bounds(quarter)
    cutoff = intervention_cutoff(quarter, settings)
    by_customer: dict[str, list[Licence]] = defaultdict(list)
    for lic in licences:
        by_customer[lic.customer_id].append(lic)

    first_purchase = {cid: min(l.purchase_date for l in lics) for cid, lics in by_customer.items()}
    communication: dict[str, list[tuple[date, date | None]]] = {}  # filled when first needed
    through_by_customer: dict[str, list[tuple[str, date]]] = defaultdict(list)
    for key, through in state.billed_through.items():
        through_by_customer[key.rsplit("|", 2)[0]].append((key, through))  # customer|module|date
    plans: dict[str, CustomerPlan] = {}
    for cid in sorted(customers):
        if cid in held:
            continue
        c = customers[cid]
        plans[cid] = CustomerPlan(c, agreement_of(c, by_customer.get(cid, []), tariffs))

    outcomes: list[InterventionOutcome] = []
    problems: list[Problem] = []
    handled: list[tuple[str, str, str]] = []
    adapting: dict[str, list[Intervention]] = defaultdict(list)
    billed_rows: dict[str, list[tuple[int, InterventionRow]]] = defaultdict(list)

    for row in rows:
        base = dict(intervention_id=row.intervention_id, source=str(row.source), customer_id=row.customer_id)
        if row.status is not None:  # rejected or duplicate, decided by the reader
            outcomes.append(InterventionOutcome(**base, status=row.status, reason=row.reason,
                                                date=row.record.date if row.record else None))
            continue
        iv = row.record
        base["date"] = iv.date
        if iv.intervention_id in state.handled:
            number = state.handled[iv.intervention_id] or None
            outcomes.append(InterventionOutcome(**base, status=ALREADY_BILLED, number=number,
                                                reason="billed or included by an earlier run"))
            continue
        if iv.date < state.billing_start:
            outcomes.append(InterventionOutcome(**base, status=BEFORE_START,
                                                reason=f"dated before the billing start {state.billing_start}"))
            continue
        if iv.date > cutoff:
            outcomes.append(InterventionOutcome(**base, status=DEFERRED,
                                                reason=f"dated after this run's cut-off {cutoff}"))
            continue
        if iv.customer_id in held or iv.customer_id not in plans:
            outcomes.append(InterventionOutcome(**base, status=HELD,
                                                reason="its customer has errors in this run"))
            continue
        plan = plans[iv.customer_id]
        lics = by_customer.get(iv.customer_id, [])
        # R10 warnings
        if iv.channel == "internet":
            periods = communication.get(iv.customer_id)
            if periods is None:
                periods = communication[iv.customer_id] = _communication_periods(lics, tariffs)
        if iv.channel == "internet" and not _has_communication(periods, iv.date):
            problems.append(_warn(iv, f"interventie {iv.intervention_id} via internet, maar klant "
                                  f"{iv.customer_id} heeft geen communicatiepakket", "r10.no-communication",
                                  "controleer het kanaal of de licenties van de klant"))
        first = first_purchase.get(iv.customer_id)
        if first is None or iv.date < first:
            problems.append(_warn(iv, f"interventie {iv.intervention_id} van {iv.date} ligt vóór de eerste "
                                  f"aankoop van klant {iv.customer_id}", "r10.before-purchase",
                                  "controleer de datum van de interventie en de aankoopdata"))
        is_covered, reason = covered(iv, plan.agreement, tariffs, settings)
        if is_covered:
            plan.included.append(IncludedIntervention(iv.intervention_id, iv.date, iv.minutes, iv.channel,
                                                      iv.category, iv.description))
            outcomes.append(InterventionOutcome(**base, status=INCLUDED, amount=ZERO,
                                                reason=f"covered by the agreement ({iv.category})"))
            handled.append((iv.intervention_id, iv.customer_id, INCLUDED))
            continue
        with_agreement = plan.agreement.active_on(iv.date)
        minutes = billable_minutes(iv.minutes, with_agreement, settings)
        rate_row = tariffs.regie_rate(iv.channel, iv.date)
        if rate_row is None:
            problems.append(Problem(
                ERROR, f"geen regietarief in voege op {iv.date} voor kanaal {iv.channel}",
                fix="voeg in tarieven.xlsx (blad Regie) een tarief toe dat op die datum geldt",
                file=iv.source.file if iv.source else "", sheet=iv.source.sheet if iv.source else "",
                row=iv.source.row if iv.source else None, value=iv.intervention_id,
                customer_id=iv.customer_id, code="regie.no-rate"))
            outcomes.append(InterventionOutcome(**base, status=HELD, reason="no regie rate in force"))
            held = {**held, iv.customer_id: []}
            continue
        hours = Decimal(minutes) / 60
        amount = cents(hours * rate_row.hourly_rate)
        hours = hours.quantize(Decimal("0.0001"))  # shown quantity; the amount uses the exact hours
        vrate, vcat = vat_regime(plan.customer, settings)
        line = InvoiceLine(
            kind="regie", amount=amount, quantity=hours,
            unit_price=rate_row.hourly_rate, vat_category=vcat, vat_rate=vrate,
            gl_account=settings.accounts.regie, intervention_id=iv.intervention_id, date=iv.date,
            minutes=iv.minutes, billed_minutes=minutes, channel=iv.channel, category=iv.category,
            reason=reason, description=iv.description,
        )
        plan.lines.append(line)
        billed_rows[iv.customer_id].append((len(outcomes), row))
        outcomes.append(InterventionOutcome(**base, status=BILLED, amount=line.amount,
                                            reason=_reason_text(reason)))
        handled.append((iv.intervention_id, iv.customer_id, BILLED))
        if iv.package_adapted and not with_agreement:
            adapting[iv.customer_id].append(iv)

    # customers that became held while pricing (missing regie rate): release what was planned
    for cid in [c for c in plans if c in held]:
        plan = plans.pop(cid)
        for idx, row in billed_rows.get(cid, []):
            outcomes[idx] = InterventionOutcome(row.intervention_id, str(row.source), HELD, cid,
                                                row.record.date, reason="its customer has errors in this run")
        for i, o in enumerate(outcomes):
            if o.customer_id == cid and o.status == INCLUDED:
                outcomes[i] = InterventionOutcome(o.intervention_id, o.source, HELD, cid, o.date,
                                                  reason="its customer has errors in this run")
        handled = [h for h in handled if h[1] != cid]

    invoices: list[Invoice] = []
    summaries: list[CustomerSummary] = []
    all_moved: dict[str, dict[str, tuple[date | None, date]]] = {}
    upgrades: dict[str, date] = {}
    for n, (cid, plan) in enumerate(plans.items(), 1):
        if n % 250 == 0 or n == len(plans):
            progress("price", n, len(plans))
        lics = by_customer.get(cid, [])
        fees, moved = fee_lines(plan.customer, lics, plan.agreement, tariffs, settings, state, q_end)
        up, up_date = upgrade_line(plan.customer, lics, plan.agreement, adapting.get(cid, []), tariffs,
                                   settings, state)
        lines = fees + sorted(plan.lines, key=lambda l: (l.date, l.intervention_id)) + ([up] if up else [])
        if moved:
            all_moved[cid] = moved
        if up_date:
            upgrades[cid] = up_date
        inv = build_invoice(plan.customer, lines, plan.included, quarter, invoice_date, settings)
        if inv is not None:
            # (an EU customer without a valid VAT number is warned about by the reader, at its cell)
            invoices.append(inv)
        summaries.append(_summary(plan, lines, inv, through_by_customer.get(cid, []), moved))
    for cid in sorted(held):
        if cid in customers:
            c = customers[cid]
            reasons = "; ".join(p.render() for p in held[cid][:3]) if held[cid] else "errors in its rows"
            summaries.append(CustomerSummary(cid, c.name, _agreement_text(agreement_of(
                c, by_customer.get(cid, []), tariffs)), None, ZERO, ZERO, ZERO, ZERO, True, reasons))
    return Plan(quarter, invoice_date, invoices, outcomes, summaries, problems, all_moved, upgrades, handled)


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
             earlier: list[tuple[str, date]], moved: dict[str, tuple[date | None, date]]) -> CustomerSummary:
    """The customer's line in the summary; ``earlier`` = its licences' billed-through dates
    from the register (licence key, date)."""
    by_kind = defaultdict(lambda: ZERO)
    for l in lines:
        by_kind[l.kind] += l.amount
    through = [new for _, new in moved.values()]
    through += [d for k, d in earlier if k not in moved]
    return CustomerSummary(
        plan.customer.customer_id, plan.customer.name, _agreement_text(plan.agreement),
        max(through) if through else None, by_kind["fee"], by_kind["regie"], by_kind["upgrade"],
        inv.total if inv else ZERO,
    )
