"""Reminders' figures (SPEC §12 P4): reminder levels by days overdue, the statutory late-payment
interest between businesses (Belgian law of 2 August 2002 on combating late payment in commercial
transactions, art. 5) and the flat compensation (art. 6). Pure: dates and settings come in.

The interest is simple interest on the open amount from the day after the due date through the
reminder date, actual days ÷ 365 (also in a leap year: 29 February is one more day, the divisor
stays 365), at the rate in force on each day, summed unrounded and rounded half up to the cent
once per document:

>>> from datetime import date
>>> rates = (Rate(date(2024, 7, 1), Decimal("12.50")), Rate(date(2025, 1, 1), Decimal("11.50")))
>>> r = late_interest(Decimal("1000.00"), date(2024, 12, 15), date(2025, 1, 20), rates)
>>> [(line.days, line.percent) for line in r.lines], r.interest
([(16, Decimal('12.50')), (20, Decimal('11.50'))], Decimal('11.78'))

The rate (art. 5) is the European Central Bank's reference rate plus eight percentage points,
rounded up to the next half point; the Minister of Finance publishes it each half-year in the
Belgian Official Journal (Belgisch Staatsblad / Moniteur belge). The workspace's own table
(``tarieven.xlsx``, sheet ``Intrest``: ``geldig vanaf``, ``rentevoet``) is the one a run uses;
:data:`OFFICIAL_RATES` is the table we could verify, with the source of each row, to fill the
template and the demo.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from batch.money import ZERO, cents, fmt_plain
from batch.payments.open_items import CREDITED, ItemStatus
from batch.settings import Reminders

DAYS_PER_YEAR = Decimal(365)
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Rate:
    """A yearly interest rate in percent, in force from ``valid_from`` until the next row."""

    valid_from: date
    percent: Decimal
    source: str = ""


D = Decimal
# The half-yearly rates of art. 5 of the law of 2 August 2002 we could verify, each with its source:
# the notice of the FOD Financiën / SPF Finances in the Belgisch Staatsblad / Moniteur belge (BS)
# where its date was found, and where the figure was checked. A row stays in force until the next
# one (2016-H2 … 2022-H2 were all 8 %). Each also agrees with art. 5 itself: the ECB's main
# refinancing rate on the first day of the half-year + 8 points, rounded up to a half point
# (2023-H1 2.50 → 10.50; 2023-H2 4.00 → 12.00; 2024-H1 4.50 → 12.50; 2024-H2 4.25 → 12.50;
# 2025-H1 3.15 → 11.50; 2025-H2 2.15 → 10.50). One secondary source (fidelium.eu) gave 8.5 % for
# 2019-H2; the notice (BS 18.07.2019, quoted by vanostaeyen.eu and exago.be) says 8 %.
# Not included, because not verifiable when this table was made: 2026-H1 (a trade federation
# wrote it "stays at 10.50 %" before its publication) and later half-years. Add them to the
# workspace's tarieven.xlsx (sheet Intrest) from the notice in the Belgisch Staatsblad.
# ``source`` is Dutch: it is the ``bron`` column `bijstand init` writes into that sheet.
OFFICIAL_RATES: tuple[Rate, ...] = (
    Rate(date(2016, 1, 1), D("8.50"), "Mededeling FOD Financiën, 1e semester 2016: 8,50 % (overzicht van de "
         "mededelingen op vanostaeyen.eu)"),
    Rate(date(2016, 7, 1), D("8.00"), "Mededelingen FOD Financiën, 2e semester 2016 t/m 2e semester 2022: telkens "
         "8 % (o.a. BS 27.01.2017 voor 2017-1, BS 18.07.2019 voor 2019-2; fidunews.com, carbofisc.be, "
         "vanostaeyen.eu)"),
    Rate(date(2023, 1, 1), D("10.50"), "Mededeling FOD Financiën, BS 17.03.2023: 1e semester 2023 10,5 % "
         "(etaamb.openjustice.be n2023041019)"),
    Rate(date(2023, 7, 1), D("12.00"), "Mededeling FOD Financiën, BS 29.09.2023: 2e semester 2023 12 % "
         "(schoups.be, bouwunielimburg.be)"),
    Rate(date(2024, 1, 1), D("12.50"), "Mededeling FOD Financiën, 1e semester 2024: 12,5 % (medenam.be; ECB 4,50 % "
         "+ 8)"),
    Rate(date(2024, 7, 1), D("12.50"), "Mededeling FOD Financiën, BS 30.07.2024: 2e semester 2024 ongewijzigd "
         "12,5 % (trendstop.levif.be, leuropeinfo.eu)"),
    Rate(date(2025, 1, 1), D("11.50"), "Mededeling FOD Financiën, 1e semester 2025: 11,5 % (leuropeinfo.eu; ECB "
         "3,15 % + 8, naar boven afgerond)"),
    Rate(date(2025, 7, 1), D("10.50"), "Mededeling FOD Financiën, 2e semester 2025: 10,50 % (embuild.be; ECB "
         "2,15 % + 8 = 10,15 %, naar boven afgerond)"),
)


class NoRateError(ValueError):
    """A day to charge interest for lies before the first row of the rates table."""


@dataclass(frozen=True)
class InterestLine:
    """The days charged at one rate (unrounded amount)."""

    start: date
    end: date  # inclusive
    days: int
    percent: Decimal
    amount: Decimal


@dataclass(frozen=True)
class InterestResult:
    principal: Decimal
    start: date  # the day after the due date
    end: date  # the reminder date (inclusive)
    lines: tuple[InterestLine, ...]
    interest: Decimal  # the sum of the lines, rounded half up to the cent

    @property
    def days(self) -> int:
        return sum(line.days for line in self.lines)


def late_interest(principal: Decimal, due_date: date, until: date, rates: Sequence[Rate]) -> InterestResult:
    """The statutory interest on ``principal`` from the day after ``due_date`` through ``until``.

    Raises :class:`NoRateError` when a day falls before the first rate.

    >>> half_percent = (Rate(date(2000, 1, 1), Decimal("0.5")),)
    >>> late_interest(Decimal("1.00"), date(2023, 1, 1), date(2024, 1, 1), half_percent).interest
    Decimal('0.01')
    """
    start = due_date + timedelta(days=1)
    if until < start or principal <= 0:
        return InterestResult(principal, start, until, (), ZERO)
    table = sorted(rates, key=lambda r: r.valid_from)
    if not table or table[0].valid_from > start:
        first = table[0].valid_from.isoformat() if table else "none"
        raise NoRateError(f"no interest rate for {start.isoformat()} (the rates table starts at {first}): add the "
                          "rate in force then to tarieven.xlsx, sheet Intrest")
    lines = []
    for index, rate in enumerate(table):
        following = table[index + 1].valid_from if index + 1 < len(table) else None
        period_start = max(start, rate.valid_from)
        period_end = min(until, following - timedelta(days=1)) if following else until
        if period_end < period_start:
            continue
        days = (period_end - period_start).days + 1
        amount = principal * rate.percent / HUNDRED * days / DAYS_PER_YEAR
        lines.append(InterestLine(period_start, period_end, days, rate.percent, amount))
    total = sum((line.amount for line in lines), ZERO)
    return InterestResult(principal, start, until, tuple(lines), cents(total))


def reminder_level(days_overdue: int, settings: Reminders) -> int:
    """The reminder level a document has reached: 0 (none yet), 1, 2 or 3 (formal notice).

    >>> [reminder_level(d, Reminders()) for d in (9, 10, 29, 30, 59, 60)]
    [0, 1, 1, 2, 2, 3]
    """
    if days_overdue >= settings.third_days:
        return 3
    if days_overdue >= settings.second_days:
        return 2
    if days_overdue >= settings.first_days:
        return 1
    return 0


def compensation_due(new_level: int, previous_level: int, settings: Reminders) -> Decimal:
    """The flat compensation (art. 6), charged once per document: on the first reminder at or above
    ``reminders.interest_from_level``.

    >>> compensation_due(2, 1, Reminders()), compensation_due(3, 2, Reminders()), compensation_due(1, 0, Reminders())
    (Decimal('40.00'), Decimal('0.00'), Decimal('0.00'))
    """
    threshold = settings.interest_from_level
    if new_level >= threshold > previous_level:
        return cents(settings.compensation)
    return ZERO


@dataclass(frozen=True)
class ReminderDocument:
    """One document on a reminder."""

    number: str
    due_date: date
    open: Decimal
    days_overdue: int
    level: int
    previous_level: int
    interest: Decimal
    compensation: Decimal
    interest_detail: InterestResult | None = None


@dataclass(frozen=True)
class ReminderPlan:
    """The reminder one customer gets: the documents that reached a new level, and the totals."""

    customer_id: str
    customer_name: str
    date: date
    level: int  # the highest level of its documents (3 = formal notice)
    documents: tuple[ReminderDocument, ...]

    @property
    def open(self) -> Decimal:
        return sum((d.open for d in self.documents), ZERO)

    @property
    def interest(self) -> Decimal:
        return sum((d.interest for d in self.documents), ZERO)

    @property
    def compensation(self) -> Decimal:
        return sum((d.compensation for d in self.documents), ZERO)

    @property
    def total(self) -> Decimal:
        return self.open + self.interest + self.compensation


def plan_reminders(statuses: Iterable[ItemStatus], on: date, settings: Reminders, rates: Sequence[Rate],
                   sent_levels: Mapping[str, int] | None = None) -> list[ReminderPlan]:
    """One reminder per customer with late documents (something open past the due date: state
    ``overdue``, or ``partial`` for its open amount) that reached a level not sent before
    (``sent_levels``: document → the highest level already sent). ``statuses`` must be as of
    ``on``. From ``settings.interest_from_level`` on, a document carries the statutory interest
    through ``on`` and, once, the flat compensation. Sorted by customer id.

    Raises :class:`NoRateError` when the rates table does not reach back far enough."""
    sent_levels = sent_levels or {}
    per: dict[str, tuple[str, list[ReminderDocument]]] = {}
    for s in statuses:
        if s.state == CREDITED or s.open <= 0 or s.days_overdue <= 0:  # overdue, or partial and late
            continue
        level = reminder_level(s.days_overdue, settings)
        previous = sent_levels.get(s.number, 0)
        if level <= previous:
            continue
        detail = None
        interest = ZERO
        if level >= settings.interest_from_level:
            detail = late_interest(s.open, s.due_date, on, rates)
            interest = detail.interest
        doc = ReminderDocument(s.number, s.due_date, s.open, s.days_overdue, level, previous, interest,
                               compensation_due(level, previous, settings), detail)
        per.setdefault(s.customer_id, (s.customer_name, []))[1].append(doc)
    plans = []
    for customer, (name, docs) in sorted(per.items()):
        docs.sort(key=lambda d: (d.due_date, d.number))
        plans.append(ReminderPlan(customer, name, on, max(d.level for d in docs), tuple(docs)))
    return plans


# reminders.csv (SPEC §12 P4): the one definition of its columns
REMINDER_CSV_COLUMNS = ["number", "customer_id", "level", "documents", "open", "interest", "compensation"]


def reminder_csv_row(plan: ReminderPlan, number: str) -> list[str]:
    """The row of ``reminders.csv`` for a reminder numbered ``number`` (documents joined by a space)."""
    return [number, plan.customer_id, str(plan.level), " ".join(d.number for d in plan.documents),
            fmt_plain(plan.open), fmt_plain(plan.interest), fmt_plain(plan.compensation)]


def rates_from_rows(rows: Iterable[tuple[object, object]]) -> tuple[tuple[Rate, ...], list[str]]:
    """Rates from the ``Intrest`` sheet's (geldig vanaf, rentevoet) cells: the table, sorted, and a
    message per bad row (``row N: ...``, N counting from 1 after the header)."""
    rates, problems = [], []
    seen: set[date] = set()
    for n, (when, percent) in enumerate(rows, start=1):
        if isinstance(when, datetime):
            day = when.date()
        elif isinstance(when, date):
            day = when
        else:
            try:
                day = date.fromisoformat(str(when).strip())
            except ValueError:
                problems.append(f"row {n}: geldig vanaf {when!r} is not a date (write e.g. 2025-07-01)")
                continue
        try:
            value = Decimal(str(percent).strip().replace(",", "."))
        except ArithmeticError:
            problems.append(f"row {n}: rentevoet {percent!r} is not a number (write e.g. 10.50)")
            continue
        if not value.is_finite() or value < 0 or value > 100:
            problems.append(f"row {n}: rentevoet {percent!r} is not a percentage between 0 and 100")
            continue
        if day in seen:
            problems.append(f"row {n}: a second rate from {day.isoformat()}")
            continue
        seen.add(day)
        rates.append(Rate(day, value))
    return tuple(sorted(rates, key=lambda r: r.valid_from)), problems
