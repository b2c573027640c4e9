"""Statutory late-payment interest, compensation and reminder levels (SPEC §12 P4), computed by
hand in the comments: principal × rate × days ÷ 365 per rate period, summed, rounded half up."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from batch.payments.interest import (
    OFFICIAL_RATES,
    REMINDER_CSV_COLUMNS,
    NoRateError,
    Rate,
    compensation_due,
    late_interest,
    plan_reminders,
    rates_from_rows,
    reminder_csv_row,
    reminder_level,
)
from batch.payments.matching import OpenItem
from batch.payments.open_items import item_statuses
from batch.settings import Reminders

D = Decimal


def test_across_an_official_rate_change():
    # 1000.00 due 15 Dec 2024, reminder 20 Jan 2025:
    #   16 Dec – 31 Dec 2024: 16 days at 12.50 % = 1000 × 0.125 × 16 / 365 = 2000 / 365
    #    1 Jan – 20 Jan 2025: 20 days at 11.50 % = 1000 × 0.115 × 20 / 365 = 2300 / 365
    #   together 4300 / 365 = 11.780821… → 11.78
    r = late_interest(D("1000.00"), date(2024, 12, 15), date(2025, 1, 20), OFFICIAL_RATES)
    assert [(line.start, line.end, line.days, line.percent) for line in r.lines] == [
        (date(2024, 12, 16), date(2024, 12, 31), 16, D("12.50")),
        (date(2025, 1, 1), date(2025, 1, 20), 20, D("11.50"))]
    assert sum(line.amount for line in r.lines) == D(4300) / D(365)
    assert (r.days, r.interest) == (36, D("11.78"))


def test_across_29_february_2028():
    rates = (Rate(date(2028, 1, 1), D("10.50")), Rate(date(2028, 3, 1), D("9.00")))
    # 2500.00 due 20 Feb 2028, reminder 10 Mar 2028:
    #   21 Feb – 29 Feb 2028:  9 days at 10.50 % = 2500 × 0.105 × 9 / 365 = 2362.5 / 365
    #    1 Mar – 10 Mar 2028: 10 days at  9.00 % = 2500 × 0.09 × 10 / 365 = 2250 / 365
    #   together 4612.5 / 365 = 12.636986… → 12.64 (a leap day is one more day; the divisor stays 365)
    r = late_interest(D("2500.00"), date(2028, 2, 20), date(2028, 3, 10), rates)
    assert [(line.days, line.percent) for line in r.lines] == [(9, D("10.50")), (10, D("9.00"))]
    assert r.interest == D("12.64")
    # a whole leap year at one rate: 366 days ÷ 365
    # 1000.00 × 0.105 × 366 / 365 = 105.287671… → 105.29
    whole = late_interest(D("1000.00"), date(2027, 12, 31), date(2028, 12, 31), rates[:1])
    assert (whole.days, whole.interest) == (366, D("105.29"))


def test_rounding_is_half_up_once_per_document():
    # 1.00 × 0.5 % × 365 / 365 = 0.005 exactly → 0.01 (half up), not 0.00 (half even)
    r = late_interest(D("1.00"), date(2023, 1, 1), date(2024, 1, 1), (Rate(date(2000, 1, 1), D("0.5")),))
    assert r.interest == D("0.01")
    # the lines are summed unrounded: 3 lines of 0.004 each would be 0.00 rounded one by one
    rates = tuple(Rate(date(2027, 1, day), D("0.146")) for day in (1, 11, 21))
    # 100.00 × 0.146 % × 10 / 365 = 0.004 per line; 3 lines = 0.012 → 0.01
    r = late_interest(D("100.00"), date(2026, 12, 31), date(2027, 1, 30), rates)
    assert [line.amount for line in r.lines] == [D("0.004")] * 3 and r.interest == D("0.01")


def test_no_interest_before_or_on_the_due_date_and_a_missing_rate():
    assert late_interest(D("100.00"), date(2025, 3, 1), date(2025, 3, 1), OFFICIAL_RATES).interest == D("0.00")
    with pytest.raises(NoRateError, match="no interest rate for 2015-01-02"):
        late_interest(D("100.00"), date(2015, 1, 1), date(2016, 2, 1), OFFICIAL_RATES)


def test_official_rates_have_sources_and_are_in_order():
    assert all(rate.source for rate in OFFICIAL_RATES)
    assert [r.valid_from for r in OFFICIAL_RATES] == sorted(r.valid_from for r in OFFICIAL_RATES)
    assert {r.valid_from.month for r in OFFICIAL_RATES} == {1, 7} and {r.valid_from.day for r in OFFICIAL_RATES} == {1}
    # art. 5: rounded up to a half point
    assert all((r.percent * 2) == (r.percent * 2).to_integral_value() for r in OFFICIAL_RATES)


def test_reminder_levels_and_compensation():
    settings = Reminders()
    assert [reminder_level(d, settings) for d in (0, 9, 10, 29, 30, 59, 60, 400)] == [0, 0, 1, 1, 2, 2, 3, 3]
    assert compensation_due(2, 0, settings) == D("40.00")   # straight to level 2
    assert compensation_due(3, 1, settings) == D("40.00")
    assert compensation_due(3, 2, settings) == D("0.00")    # charged with level 2 already
    assert compensation_due(1, 0, settings) == D("0.00")    # level 1 carries none
    own = Reminders(first_days=5, second_days=15, third_days=45, interest_from_level=1, compensation=D("55.5"))
    assert reminder_level(5, own) == 1 and compensation_due(1, 0, own) == D("55.50")


def _item(number: str, customer: str, total: str, due: date) -> OpenItem:
    return OpenItem(number, customer, f"Klant {customer}", "invoice", date(2025, 1, 1), due, D(total), None)


def test_plan_reminders_each_level_once_per_document():
    on = date(2025, 3, 31)
    items = [
        _item("2025-000001", "K1", "1000.00", date(2025, 3, 21)),  # 10 days: level 1
        _item("2025-000002", "K1", "500.00", date(2025, 3, 1)),    # 30 days: level 2
        _item("2025-000003", "K2", "200.00", date(2025, 1, 30)),   # 60 days: level 3
        _item("2025-000004", "K2", "300.00", date(2025, 3, 25)),   # 6 days: nothing yet
    ]
    statuses = item_statuses(items, on)
    plans = plan_reminders(statuses, on, Reminders(), OFFICIAL_RATES, sent_levels={"2025-000003": 2})
    assert [(p.customer_id, p.level, [d.number for d in p.documents]) for p in plans] == [
        ("K1", 2, ["2025-000002", "2025-000001"]), ("K2", 3, ["2025-000003"])]
    k1, k2 = plans
    level2, level1 = k1.documents
    # level 1: no interest, no compensation
    assert (level1.level, level1.interest, level1.compensation) == (1, D("0.00"), D("0.00"))
    # level 2: 500.00 × 11.50 % × 30 / 365 (2 Mar – 31 Mar 2025) = 1725 / 365 = 4.726027… → 4.73, and 40.00
    assert (level2.level, level2.interest, level2.compensation) == (2, D("4.73"), D("40.00"))
    # level 3 after a level-2 reminder: interest again through the new date, no second compensation
    # 200.00 × 11.50 % × 60 / 365 (31 Jan – 31 Mar 2025) = 1380 / 365 = 3.780821… → 3.78
    (doc3,) = k2.documents
    assert (doc3.level, doc3.previous_level, doc3.interest, doc3.compensation) == (3, 2, D("3.78"), D("0.00"))
    assert (k1.open, k1.interest, k1.compensation, k1.total) == (D("1500.00"), D("4.73"), D("40.00"), D("1544.73"))
    # the same day again: every level was sent, no reminder
    sent = {"2025-000001": 1, "2025-000002": 2, "2025-000003": 3}
    assert plan_reminders(statuses, on, Reminders(), OFFICIAL_RATES, sent_levels=sent) == []
    assert REMINDER_CSV_COLUMNS == ["number", "customer_id", "level", "documents", "open", "interest",
                                    "compensation"]
    assert reminder_csv_row(k1, "H2025-00001") == ["H2025-00001", "K1", "2", "2025-000002 2025-000001", "1500.00",
                                                   "4.73", "40.00"]


def test_rates_from_sheet_rows():
    rates, problems = rates_from_rows([("2025-07-01", "10,50"), (date(2025, 1, 1), 11.5), ("gisteren", "8"),
                                       ("2024-01-01", "twaalf"), ("2025-01-01", "11.50")])
    assert [(r.valid_from, r.percent) for r in rates] == [(date(2025, 1, 1), D("11.5")), (date(2025, 7, 1), D("10.50"))]
    assert problems == ["row 3: geldig vanaf 'gisteren' is not a date (write e.g. 2025-07-01)",
                        "row 4: rentevoet 'twaalf' is not a number (write e.g. 10.50)",
                        "row 5: a second rate from 2025-01-01"]


def test_a_partly_paid_late_invoice_is_reminded_for_its_open_amount():
    """State ``partial`` (paid and open) after the due date: reminders go by days overdue, for what is
    still open; interest on the open amount."""
    on = date(2025, 3, 31)
    item = OpenItem("2025-000009", "K9", "Klant K9", "invoice", date(2025, 1, 1), date(2025, 3, 1), D("500.00"),
                    None, None, D("200.00"))
    (status,) = item_statuses([item], on)
    assert (status.state, status.open, status.days_overdue) == ("partial", D("300.00"), 30)
    (plan,) = plan_reminders([status], on, Reminders(), OFFICIAL_RATES)
    (doc,) = plan.documents
    # 300.00 × 11.50 % × 30 / 365 = 1035 / 365 = 2.835616… → 2.84
    assert (plan.level, doc.open, doc.interest, doc.compensation) == (2, D("300.00"), D("2.84"), D("40.00"))
    # credited or paid: never reminded, however late
    credited = OpenItem("2025-000010", "K9", "Klant K9", "invoice", date(2025, 1, 1), date(2025, 1, 2), D("50.00"),
                        None, "2025-000011", D("10.00"))
    assert plan_reminders(item_statuses([credited], on), on, Reminders(), OFFICIAL_RATES) == []


def test_init_writes_the_intrest_sheet_with_every_rate_and_its_source(tmp_path):
    """`bijstand init`: tarieven.xlsx, sheet Intrest: geldig vanaf, rentevoet and bron (the notice in the
    Belgisch Staatsblad) for each of the verified half-years; the reader takes the sheet without a warning."""
    from python_calamine import CalamineWorkbook

    from batch.inbox.reader import read_tariffs
    from batch.settings import load_settings
    from batch.workspace import init_workspace

    init_workspace(tmp_path)
    rows = CalamineWorkbook.from_path(str(tmp_path / "tarieven.xlsx")).get_sheet_by_name("Intrest").to_python()
    header = next(i for i, r in enumerate(rows) if r[0] == "geldig vanaf")
    assert rows[header][:3] == ["geldig vanaf", "rentevoet", "bron"]
    body = [r[:3] for r in rows[header + 1:] if r[0] != ""]
    assert [(r[0], D(str(r[1]))) for r in body] == [
        (date(2016, 1, 1), D("8.5")), (date(2016, 7, 1), D("8")), (date(2023, 1, 1), D("10.5")),
        (date(2023, 7, 1), D("12")), (date(2024, 1, 1), D("12.5")), (date(2024, 7, 1), D("12.5")),
        (date(2025, 1, 1), D("11.5")), (date(2025, 7, 1), D("10.5"))]
    assert all(r[2].startswith("Mededeling") and "FOD Financiën" in r[2] for r in body)
    assert "BS 17.03.2023" in body[2][2] and "BS 29.09.2023" in body[3][2]
    tariffs, problems = read_tariffs(tmp_path, load_settings(tmp_path))
    assert [p for p in problems if "Intrest" in (p.sheet or "") or "bron" in p.message] == []
    assert [(r.valid_from, r.rate, r.note) for r in tariffs.interest] == [
        (r.valid_from, r.percent, r.source) for r in OFFICIAL_RATES]
