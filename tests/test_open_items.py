"""Open items as of a date (SPEC §12 P3): states, days overdue, customer balances, the aged
balance and the rows of openstaand.csv."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

from batch.payments.matching import OpenItem, match
from batch.payments.open_items import (
    AGE_BUCKETS,
    CSV_COLUMNS,
    aged_balance,
    aged_bucket,
    aged_total,
    csv_rows,
    customer_balances,
    item_statuses,
)
from batch.payments.statements import Movement

D = Decimal
AS_OF = date(2027, 5, 15)


def item(number: str, customer: str, total: str, due: date, paid: str = "0.00",
         credited_by: str | None = None, kind: str = "invoice") -> OpenItem:
    return OpenItem(number, customer, f"Klant {customer}", kind, date(2027, 1, 1), due, D(total), None,
                    credited_by, D(paid))


ITEMS = [
    item("2027-000001", "K1", "100.00", date(2027, 6, 1)),                   # not due: open
    item("2027-000002", "K1", "200.00", date(2027, 6, 1), paid="50.00"),     # not due, partly paid: partial
    item("2027-000003", "K1", "300.00", date(2027, 5, 1), paid="300.00"),    # paid
    item("2027-000004", "K2", "400.00", date(2027, 5, 14)),                  # 1 day overdue
    item("2027-000005", "K2", "500.00", date(2027, 4, 15), paid="100.00"),   # 30 days, partly paid: partial
    item("2027-000006", "K2", "600.00", date(2027, 4, 14)),                  # 31 days
    item("2027-000007", "K3", "700.00", date(2027, 2, 14)),                  # 90 days
    item("2027-000008", "K3", "800.00", date(2027, 2, 13)),                  # 91 days
    item("2027-000009", "K3", "900.00", date(2027, 1, 1), credited_by="2027-000010"),
    item("2027-000010", "K3", "900.00", date(2027, 1, 1), kind="credit_note"),
    item("2027-000011", "K4", "50.00", date(2027, 5, 1), paid="60.00"),      # overpaid by 10
]


def test_states_and_days_overdue():
    statuses = {s.number[-2:]: s for s in item_statuses(ITEMS, AS_OF)}
    assert "10" not in statuses  # a credit note is not an open item of its own
    assert [(n, s.state, s.open, s.days_overdue) for n, s in sorted(statuses.items())] == [
        ("01", "open", D("100.00"), 0),
        ("02", "partial", D("150.00"), 0),
        ("03", "paid", D("0.00"), 0),
        ("04", "overdue", D("400.00"), 1),
        ("05", "partial", D("400.00"), 30),  # partly paid: partial, also past its due date
        ("06", "overdue", D("600.00"), 31),
        ("07", "overdue", D("700.00"), 90),
        ("08", "overdue", D("800.00"), 91),
        ("09", "credited", D("0.00"), 0),
        ("11", "paid", D("0.00"), 0),
    ]
    assert statuses["11"].overpaid == D("10.00")
    assert [n for n, s in sorted(statuses.items()) if s.late] == ["04", "05", "06", "07", "08"]
    # on the due date itself nothing is overdue yet
    (due_day,) = item_statuses([ITEMS[3]], date(2027, 5, 14))
    assert (due_day.state, due_day.days_overdue) == ("open", 0)


def test_payments_from_a_match_come_on_top_of_what_was_paid():
    movement = Movement("k", "BE68539007547034", "2027/001", "0001", AS_OF, AS_OF, D("150.00"), "", "", None,
                        "factuur 2027-000002", "test")
    paid = match([movement], ITEMS).paid_by_document
    (s,) = [s for s in item_statuses(ITEMS, AS_OF, paid) if s.number == "2027-000002"]
    assert (s.paid, s.open, s.state) == (D("200.00"), D("0.00"), "paid")


def test_partial_is_paid_and_open_whatever_the_due_date():
    """SPEC §12 P3 (as Odoo's payment_state): partial = something paid and something open, before
    or after the due date; overdue = nothing paid and past due; days_overdue says how late."""
    due = date(2027, 5, 1)
    rows = [item("P1", "K", "100.00", due, paid="40.00"), item("P2", "K", "100.00", due),
            item("P3", "K", "100.00", due, paid="100.00"), item("P4", "K", "100.00", due, paid="40.00",
                                                               credited_by="C4")]
    before = [(s.state, s.paid, s.open, s.days_overdue, s.to_refund) for s in item_statuses(rows, date(2027, 4, 30))]
    after = [(s.state, s.paid, s.open, s.days_overdue, s.to_refund) for s in item_statuses(rows, date(2027, 5, 31))]
    assert before == [("partial", D("40.00"), D("60.00"), 0, D("0.00")), ("open", D("0.00"), D("100.00"), 0, D("0.00")),
                      ("paid", D("100.00"), D("0.00"), 0, D("0.00")), ("credited", D("40.00"), D("0.00"), 0, D("40.00"))]
    assert after == [("partial", D("40.00"), D("60.00"), 30, D("0.00")),
                     ("overdue", D("0.00"), D("100.00"), 30, D("0.00")),
                     ("paid", D("100.00"), D("0.00"), 0, D("0.00")), ("credited", D("40.00"), D("0.00"), 0, D("40.00"))]
    # what was received for the credited invoice is owed back: the customer's balance counts it
    assert customer_balances(item_statuses(rows, date(2027, 5, 31))) == {"K": D("120.00")}  # 60 + 100 - 40


def test_customer_balances():
    statuses = item_statuses(ITEMS, AS_OF)
    assert customer_balances(statuses) == {"K1": D("250.00"), "K2": D("1400.00"), "K3": D("1500.00"),
                                           "K4": D("-10.00")}
    assert customer_balances(statuses, {"K1": D("20.00"), "K9": D("5.00")})["K1"] == D("230.00")
    assert customer_balances(statuses, {"K9": D("5.00")})["K9"] == D("-5.00")


def test_aged_balance_buckets():
    assert [code for code, _, _ in AGE_BUCKETS] == ["not_due", "1-30", "31-60", "61-90", "over_90"]
    rows = aged_balance(item_statuses(ITEMS, AS_OF))
    assert [(r.customer_id, dict(r.buckets)) for r in rows] == [
        ("K1", {"not_due": D("250.00"), "1-30": D("0.00"), "31-60": D("0.00"), "61-90": D("0.00"),
                "over_90": D("0.00")}),
        ("K2", {"not_due": D("0.00"), "1-30": D("800.00"), "31-60": D("600.00"), "61-90": D("0.00"),
                "over_90": D("0.00")}),
        ("K3", {"not_due": D("0.00"), "1-30": D("0.00"), "31-60": D("0.00"), "61-90": D("700.00"),
                "over_90": D("800.00")}),
    ]
    total = aged_total(rows)
    assert total.total == D("3150.00") == sum(r.total for r in rows)
    assert total.buckets["1-30"] == D("800.00")


def test_bucket_edges():
    assert [aged_bucket(d) for d in (0, 1, 30, 31, 60, 61, 90, 91, 5000)] == [
        "not_due", "1-30", "1-30", "31-60", "31-60", "61-90", "61-90", "over_90", "over_90"]


def test_csv_columns_and_rows():
    assert CSV_COLUMNS == ["number", "customer_id", "customer_name", "date", "due_date", "total", "paid", "open",
                           "state", "days_overdue", "to_refund"]  # SPEC §12 P3's ten first, in its order
    statuses = item_statuses(ITEMS, AS_OF)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(csv_rows(statuses))
    lines = out.getvalue().splitlines()
    assert lines[0] == "number,customer_id,customer_name,date,due_date,total,paid,open,state,days_overdue,to_refund"
    assert lines[5] == "2027-000005,K2,Klant K2,2027-01-01,2027-04-15,500.00,100.00,400.00,partial,30,0.00"
    assert all(len(row) == len(CSV_COLUMNS) for row in csv_rows(statuses))


def test_every_code_has_its_text_in_three_languages():
    from batch.payments.matching import CODES, REASONS
    from batch.payments.open_items import BUCKET_CODES, STATES
    from batch.texts_payments import TEXTS

    keys = ([f"payments.state.{s}" for s in STATES] + [f"payments.code.{c}" for c in CODES]
            + [f"payments.reason.{r}" for r in REASONS] + [f"payments.bucket.{b}" for b in BUCKET_CODES]
            + [f"payments.column.{c}" for c in CSV_COLUMNS] + [f"reminders.level.{n}" for n in (1, 2, 3)])
    assert not [k for k in keys if k not in TEXTS]
    assert all(set(texts) == {"nl", "fr", "en"} and all(texts.values()) for texts in TEXTS.values())
