"""Sample reminders for the reminder documents' tests, benchmark and pictures: open items as of a
date, planned by :func:`batch.payments.interest.plan_reminders` with the official rates (levels,
interest per rate period, compensation), then made into :class:`~batch.model.Reminder` records.

- level 1: two invoices 25 and 10 days overdue (one partly paid), no interest;
- level 2: interest across the rate change of 1 January 2025 (12.50 % → 11.50 %), compensation;
- level 3: the formal notice, interest across 1 July 2025 (11.50 % → 10.50 %) on a document
  reminded before (level 1), beside one reaching level 2.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from stdnum.be import ogm_vcs

from batch.model import InterestPeriod, Reminder, ReminderItem
from batch.payments.interest import OFFICIAL_RATES, ReminderPlan, plan_reminders
from batch.payments.open_items import OVERDUE, ItemStatus
from batch.settings import Reminders
from tests.samples import BUYERS, seller

D = Decimal


def _status(number: str, issued: date, total: str, paid: str, on: date, customer: str = "K0001") -> ItemStatus:
    due = issued + timedelta(days=30)
    open_ = D(total) - D(paid)
    return ItemStatus(number=number, customer_id=customer, customer_name=BUYERS["S"].name, document_type="invoice",
                      issue_date=issued, due_date=due, total=D(total), paid=D(paid), open=open_,
                      days_overdue=(on - due).days, state=OVERDUE)


def reference(seq: int) -> str:
    """A valid Belgian structured reference of the reminder (900 + sequence, mod-97)."""
    base = f"900{seq:07d}"
    return "+++" + ogm_vcs.format(base + ogm_vcs.calc_check_digits(base)) + "+++"


def to_reminder(plan: ReminderPlan, statuses: list[ItemStatus], number: str | None, language: str,
                legal_language: str, seq: int = 1) -> Reminder:
    by_number = {s.number: s for s in statuses}
    items = []
    for doc in plan.documents:
        s = by_number[doc.number]
        periods = tuple(InterestPeriod(line.start, line.end, line.days, line.percent, line.amount)
                        for line in (doc.interest_detail.lines if doc.interest_detail else ()))
        items.append(ReminderItem(number=doc.number, issue_date=s.issue_date, due_date=doc.due_date, total=s.total,
                                  paid=s.paid, open=doc.open, days_overdue=doc.days_overdue, level=doc.level,
                                  interest=doc.interest, compensation=doc.compensation, interest_periods=periods))
    buyer = BUYERS["S"]
    return Reminder(number=number, issue_date=plan.date, due_date=plan.date + timedelta(days=10), level=plan.level,
                    language=language, legal_language=legal_language, seller=seller(), buyer=buyer,
                    customer_id=plan.customer_id, items=tuple(items), open=plan.open, interest=plan.interest,
                    compensation=plan.compensation, total=plan.total,
                    structured_reference=reference(seq) if number else None)


SCENARIOS = {
    # level: (reminder date, [(number, issued, total, paid)], levels already sent)
    1: (date(2025, 3, 1), [("2025-000012", date(2025, 1, 5), "375.80", "0.00"),
                           ("2025-000031", date(2025, 1, 20), "121.00", "50.00")], {}),
    2: (date(2025, 1, 20), [("2024-000210", date(2024, 11, 5), "1000.00", "0.00"),
                            ("2024-000230", date(2024, 11, 20), "375.80", "100.00")], {"2024-000210": 1}),
    3: (date(2025, 7, 15), [("2025-000044", date(2025, 4, 1), "726.00", "0.00"),
                            ("2025-000058", date(2025, 5, 5), "145.20", "0.00")], {"2025-000044": 1}),
}


def sample_reminder(level: int, language: str = "nl", legal_language: str | None = None,
                    number: str | None = "auto") -> Reminder:
    """The reminder of ``SCENARIOS[level]`` in ``language`` (legal version in ``legal_language``,
    the same by default), numbered ``H<year>-0000<level>`` unless ``number`` says otherwise."""
    on, docs, sent = SCENARIOS[level]
    statuses = [_status(n, issued, total, paid, on) for n, issued, total, paid in docs]
    (plan,) = plan_reminders(statuses, on, Reminders(), OFFICIAL_RATES, sent)
    assert plan.level == level, (plan.level, level)
    if number == "auto":
        number = f"H{on.year}-{level:05d}"
    return to_reminder(plan, statuses, number, language, legal_language or language, seq=level)


def reminder_set() -> dict[str, Reminder]:
    """Every sample reminder by a stable name: each level in each language, a Dutch legal
    version with its French translation (level 3 and 2), a draft."""
    out = {f"L{level}-{lang}": sample_reminder(level, lang) for level in (1, 2, 3) for lang in ("nl", "fr", "en")}
    out["L3-fr-legal-nl"] = sample_reminder(3, "fr", "nl")
    out["L2-en-legal-fr"] = sample_reminder(2, "en", "fr")
    out["L1-nl-draft"] = sample_reminder(1, "nl", number=None)
    return out


def with_buyer(reminder: Reminder, **changes) -> Reminder:
    return replace(reminder, buyer=replace(reminder.buyer, **changes))
