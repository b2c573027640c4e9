"""Open items (SPEC §12 P3): per document what was paid and what is still open as of a date, its
state and days overdue; per customer the balance; the aged balance; the rows of ``openstaand.csv``.
Pure: the date comes in as an argument (§8 T6's "today" is the caller's).

States, decided in this order (SPEC §12 P3; ``partial`` as Odoo's ``payment_state``):

- ``credited``: a credit note cancels the invoice: nothing is owed (``open`` 0.00); ``paid`` is
  what was received for it all the same, and that is ``to_refund`` (we owe it to the customer);
- ``paid``: nothing is open any more (paid in full, or more: the rest is ``overpaid``);
- ``partial``: something was paid and something is still open, before or after the due date
  (``days_overdue`` says how late it is; reminders go by days overdue, for the open amount);
- ``overdue``: nothing paid and the due date has passed;
- ``open``: nothing paid, not yet due.

>>> from datetime import date
>>> from decimal import Decimal
>>> from batch.payments.matching import OpenItem
>>> item = OpenItem("2027-000001", "K1", "Peeters", "invoice", date(2027, 1, 2), date(2027, 2, 1),
...                 Decimal("121.00"), "+++202/7000/00122+++", already_paid=Decimal("21.00"))
>>> s, = item_statuses([item], date(2027, 3, 3))
>>> s.open, s.state, s.days_overdue, aged_bucket(s.days_overdue)
(Decimal('100.00'), 'partial', 30, '1-30')
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from batch.money import ZERO, fmt_plain
from batch.payments.matching import OpenItem

OPEN = "open"
PARTIAL = "partial"
PAID = "paid"
OVERDUE = "overdue"
CREDITED = "credited"
STATES = (OPEN, PARTIAL, PAID, OVERDUE, CREDITED)

# the aged balance's buckets, by days overdue: (code, lowest day, highest day or None)
AGE_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("not_due", -10**9, 0),
    ("1-30", 1, 30),
    ("31-60", 31, 60),
    ("61-90", 61, 90),
    ("over_90", 91, None),
)
BUCKET_CODES = tuple(code for code, _, _ in AGE_BUCKETS)


@dataclass(frozen=True)
class ItemStatus:
    """One document as of a date."""

    number: str
    customer_id: str
    customer_name: str
    document_type: str
    issue_date: date
    due_date: date
    total: Decimal
    paid: Decimal
    open: Decimal  # what is still owed (0 when paid or credited; never negative)
    days_overdue: int  # 0 when nothing is open or the due date has not passed
    state: str  # one of STATES
    credited_by: str | None = None
    overpaid: Decimal = ZERO  # paid beyond the total (belongs to the customer's credit)
    to_refund: Decimal = ZERO  # received for a credited invoice: to give back to the customer

    @property
    def late(self) -> bool:
        """Something is open and the due date has passed (state ``overdue`` or ``partial``)."""
        return self.days_overdue > 0


@dataclass(frozen=True)
class AgedBalance:
    """The open amounts of one customer (or of all: customer_id "") per age bucket."""

    customer_id: str
    customer_name: str
    buckets: Mapping[str, Decimal] = field(default_factory=dict)  # BUCKET_CODES → amount

    @property
    def total(self) -> Decimal:
        return sum(self.buckets.values(), ZERO)


def item_statuses(items: Iterable[OpenItem], as_of: date,
                  payments: Mapping[str, Decimal] | None = None) -> list[ItemStatus]:
    """The status of every invoice as of ``as_of``. ``payments`` (document → amount, e.g.
    :attr:`MatchResult.paid_by_document`) come on top of each item's ``already_paid``. Credit
    notes are not items of their own: the invoice they cancel carries ``credited_by``."""
    payments = payments or {}
    out = []
    for item in items:
        if item.document_type == "credit_note":
            continue
        paid = item.already_paid + payments.get(item.number, ZERO)
        refund = ZERO
        if item.credited_by is not None:
            open_, state, overpaid, refund = ZERO, CREDITED, ZERO, paid
        else:
            open_ = max(item.total - paid, ZERO)
            overpaid = max(paid - item.total, ZERO)
            if open_ == 0:
                state = PAID
            elif paid > 0:
                state = PARTIAL
            elif as_of > item.due_date:
                state = OVERDUE
            else:
                state = OPEN
        days = (as_of - item.due_date).days if open_ > 0 and as_of > item.due_date else 0
        out.append(ItemStatus(item.number, item.customer_id, item.customer_name, item.document_type,
                              item.issue_date, item.due_date, item.total, paid, open_, days, state,
                              item.credited_by, overpaid, refund))
    return out


def customer_balances(statuses: Iterable[ItemStatus],
                      credits: Mapping[str, Decimal] | None = None) -> dict[str, Decimal]:
    """Customer → what the customer owes: the open amounts less any credit on the customer
    (overpayments and payments to refund; ``credits`` adds credits known elsewhere, e.g. the
    register's). Negative: we owe the customer."""
    balance: dict[str, Decimal] = {}
    for s in statuses:
        balance[s.customer_id] = balance.get(s.customer_id, ZERO) + s.open - s.overpaid - s.to_refund
    for customer, credit in (credits or {}).items():
        balance[customer] = balance.get(customer, ZERO) - credit
    return balance


def aged_bucket(days_overdue: int) -> str:
    """The aged-balance bucket of a number of days overdue.

    >>> [aged_bucket(d) for d in (0, 1, 30, 31, 60, 61, 90, 91)]
    ['not_due', '1-30', '1-30', '31-60', '31-60', '61-90', '61-90', 'over_90']
    """
    for code, low, high in AGE_BUCKETS:
        if days_overdue >= low and (high is None or days_overdue <= high):
            return code
    raise AssertionError(days_overdue)  # the buckets cover every integer


def aged_balance(statuses: Iterable[ItemStatus]) -> list[AgedBalance]:
    """Per customer with something open (sorted by customer id), the open amounts by age. The
    total over all customers is :func:`aged_total` of the result."""
    per: dict[str, tuple[str, dict[str, Decimal]]] = {}
    for s in statuses:
        if s.open <= 0:
            continue
        name, buckets = per.setdefault(s.customer_id, (s.customer_name, {c: ZERO for c in BUCKET_CODES}))
        bucket = aged_bucket(s.days_overdue)
        buckets[bucket] += s.open
    return [AgedBalance(customer, name, buckets) for customer, (name, buckets) in sorted(per.items())]


def aged_total(rows: Iterable[AgedBalance]) -> AgedBalance:
    """All customers together (customer_id "")."""
    total = {c: ZERO for c in BUCKET_CODES}
    for row in rows:
        for code, amount in row.buckets.items():
            total[code] += amount
    return AgedBalance("", "", total)


# openstaand.csv (SPEC §12 P3): the one definition of its columns and how each is written
_CSV: tuple[tuple[str, Callable[[ItemStatus], str]], ...] = (
    ("number", lambda s: s.number),
    ("customer_id", lambda s: s.customer_id),
    ("customer_name", lambda s: s.customer_name),
    ("date", lambda s: s.issue_date.isoformat()),
    ("due_date", lambda s: s.due_date.isoformat()),
    ("total", lambda s: fmt_plain(s.total)),
    ("paid", lambda s: fmt_plain(s.paid)),
    ("open", lambda s: fmt_plain(s.open)),
    ("state", lambda s: s.state),
    ("days_overdue", lambda s: str(s.days_overdue)),
    # after SPEC's columns: what a credited invoice received and is to be given back
    ("to_refund", lambda s: fmt_plain(s.to_refund)),
)
SPEC_COLUMNS = ("number", "customer_id", "customer_name", "date", "due_date", "total", "paid", "open", "state",
                "days_overdue")  # SPEC §12 P3: these first, in this order
CSV_COLUMNS: list[str] = [name for name, _ in _CSV]
assert tuple(CSV_COLUMNS[:len(SPEC_COLUMNS)]) == SPEC_COLUMNS


def csv_rows(statuses: Iterable[ItemStatus]) -> list[list[str]]:
    """The rows of ``openstaand.csv`` under :data:`CSV_COLUMNS`, in the order given."""
    return [[write(s) for _, write in _CSV] for s in statuses]
