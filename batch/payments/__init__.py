"""Payments (SPEC §12): bank statements in, payments matched to issued documents, open items,
reminders' statutory interest out.

The stages, each a pure function except the reader:

- :mod:`.statements` reads CODA 2.x and camt.053 files into frozen :class:`~.statements.Movement`
  records (the only I/O here; it never raises on bad input);
- :mod:`.matching` allocates credit movements to open documents (P2);
- :mod:`.open_items` ages what is still open as of a date (P3);
- :mod:`.interest` computes the late-payment interest, compensation and reminder levels (P4).
"""

from __future__ import annotations

from .interest import (
    OFFICIAL_RATES,
    REMINDER_CSV_COLUMNS,
    InterestLine,
    InterestResult,
    NoRateError,
    Rate,
    ReminderDocument,
    ReminderPlan,
    compensation_due,
    late_interest,
    plan_reminders,
    rates_from_rows,
    reminder_csv_row,
    reminder_level,
)
from .matching import (
    Allocation,
    Known,
    MatchLine,
    MatchResult,
    OpenItem,
    match,
)
from .open_items import (
    AGE_BUCKETS,
    CSV_COLUMNS,
    AgedBalance,
    ItemStatus,
    aged_balance,
    aged_total,
    csv_rows,
    customer_balances,
    item_statuses,
)
from .statements import Movement, Statement, StatementFile, read_statement_file


__all__ = [
    "AGE_BUCKETS", "CSV_COLUMNS", "OFFICIAL_RATES", "REMINDER_CSV_COLUMNS", "AgedBalance", "Allocation",
    "InterestLine", "InterestResult", "ItemStatus", "Known", "MatchLine", "MatchResult", "Movement",
    "NoRateError", "OpenItem", "Rate", "ReminderDocument", "ReminderPlan", "Statement", "StatementFile",
    "aged_balance", "aged_total", "compensation_due", "csv_rows", "customer_balances", "item_statuses",
    "late_interest", "match", "plan_reminders", "rates_from_rows", "read_statement_file", "reminder_csv_row",
    "reminder_level",
]
