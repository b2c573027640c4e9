"""Matching movements to documents (SPEC §12 P2), from statements read from generated CODA and
camt.053 files through to the allocations."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from batch.payments.matching import (
    BOOKED,
    CREDIT_ON_CUSTOMER,
    DEBIT_IGNORED,
    SUGGESTION,
    TO_REFUND,
    UNMATCHED,
    VIA_COMMUNICATION,
    VIA_IBAN_AMOUNT,
    VIA_STRUCTURED,
    Allocation,
    OpenItem,
    match,
)
from batch.payments.statements import Movement, read_statement_file
from batch.register import structured_reference
from tests.bankfiles import Mv, Stmt, camt_file, coda_file

D = Decimal
ACCOUNT = "BE68539007547034"
PEETERS_IBAN = "BE71096123456769"
DUBOIS_IBAN = "BE62510007547061"


def item(seq: int, total: str, customer: str = "K0001", *, paid: str = "0.00", credited_by: str | None = None,
         due: date = date(2027, 2, 1), kind: str = "invoice") -> OpenItem:
    return OpenItem(number=f"2027-{seq:06d}", customer_id=customer,
                    customer_name={"K0001": "Juwelier Peeters BV", "K0102": "Bijouterie Dubois"}[customer],
                    document_type=kind, issue_date=date(2027, 1, 2), due_date=due, total=D(total),
                    structured_reference=structured_reference(2027, seq), credited_by=credited_by,
                    already_paid=D(paid))


ITEMS = [
    item(1, "121.00"),                                   # +++202/7000/00122+++
    item(2, "242.00"),
    item(3, "60.50", "K0102"),
    item(4, "100.00", "K0102", credited_by="2027-000009"),
    item(5, "80.00", "K0102", due=date(2027, 3, 1)),
    item(6, "50.00", paid="50.00"),
]


def movements(tmp_path: Path, mvs: list[Mv], kind: str) -> list[Movement]:
    s = Stmt(ACCOUNT, 3, date(2027, 2, 10), D("5000.00"), mvs)
    data = coda_file([s]) if kind == "coda" else camt_file([s])
    result = read_statement_file(_write(tmp_path, f"m.{kind}", data))
    assert not result.problems, [p.render() for p in result.problems]
    return list(result.movements)


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.fixture(params=["coda", "camt"])
def kind(request):
    return request.param


def test_structured_reference_structured_items():
    assert ITEMS[0].structured_reference == "+++202/7000/00122+++"
    assert ITEMS[0].reference_digits == "202700000122"


def test_full_payment_by_structured_reference(tmp_path, kind):
    ms = movements(tmp_path, [Mv(D("121.00"), structured="+++202/7000/00122+++", name="Peeters",
                                 iban=PEETERS_IBAN)], kind)
    result = match(ms, ITEMS)
    (line,) = result.lines
    assert (line.code, line.reason, line.via, line.amount) == (BOOKED, "paid-in-full", VIA_STRUCTURED, D("121.00"))
    assert line.allocations == (Allocation("2027-000001", "K0001", D("121.00")),)
    assert result.paid_by_document == {"2027-000001": D("121.00")}


def test_invoice_number_in_free_text(tmp_path, kind):
    ms = movements(tmp_path, [Mv(D("242.00"), communication="Betaling factuur 2027-000002, dank u")], kind)
    (line,) = match(ms, ITEMS).lines
    assert (line.code, line.via, line.allocations) == (
        BOOKED, VIA_COMMUNICATION, (Allocation("2027-000002", "K0001", D("242.00")),))


def test_reference_digits_typed_in_free_text(tmp_path, kind):
    for typed in ("+++202/7000/00122+++", "202/7000/00122", "202700000122", "ref 202 7000 00122."):
        ms = movements(tmp_path, [Mv(D("121.00"), communication=typed)], kind)
        (line,) = match(ms, ITEMS).lines
        assert (line.code, line.allocations[0].number) == (BOOKED, "2027-000001"), typed


def test_number_inside_a_longer_number_is_not_a_match():
    m = _movement(D("121.00"), communication="order 2027-0000012 and 12027-000001")
    (line,) = match([m], ITEMS).lines
    assert (line.code, line.reason) == (UNMATCHED, "no-reference")


def test_partial_payment_leaves_the_rest_open(tmp_path, kind):
    ms = movements(tmp_path, [Mv(D("100.00"), structured="202700000223")], kind)  # 2027-000002 (242.00)
    assert ms[0].structured_reference == ITEMS[1].reference_digits
    result = match(ms, ITEMS)
    (line,) = result.lines
    assert (line.code, line.reason, line.amount) == (BOOKED, "paid-in-part", D("100.00"))
    assert result.paid_by_document == {"2027-000002": D("100.00")}


def test_two_invoices_in_one_payment_are_spread_when_they_add_up(tmp_path, kind):
    ms = movements(tmp_path, [Mv(D("363.00"), communication="facturen 2027-000001 + 2027-000002")], kind)
    (line,) = match(ms, ITEMS).lines
    assert (line.code, line.reason, line.amount) == (BOOKED, "several-documents", D("363.00"))
    assert line.allocations == (Allocation("2027-000001", "K0001", D("121.00")),
                                Allocation("2027-000002", "K0001", D("242.00")))


def test_two_invoices_with_too_little_money_is_only_a_suggestion():
    m = _movement(D("300.00"), communication="2027-000002 2027-000001")
    result = match([m], ITEMS)
    (line,) = result.lines
    assert (line.code, line.reason) == (SUGGESTION, "several-documents-short")
    # oldest due first (same due date: by number), never booked
    assert line.allocations == (Allocation("2027-000001", "K0001", D("121.00")),
                                Allocation("2027-000002", "K0001", D("179.00")))
    assert result.paid_by_document == {}


def test_overpayment_leaves_a_credit_on_the_customer(tmp_path, kind):
    ms = movements(tmp_path, [Mv(D("130.00"), structured="+++202/7000/00122+++")], kind)
    result = match(ms, ITEMS)
    booked, credit = result.lines
    assert (booked.code, booked.amount) == (BOOKED, D("121.00"))
    assert (credit.code, credit.reason, credit.amount, credit.customer_id) == (
        CREDIT_ON_CUSTOMER, "overpaid", D("9.00"), "K0001")
    assert result.credit_by_customer == {"K0001": D("9.00")}


def test_payment_for_an_already_paid_invoice_is_a_credit(tmp_path, kind):
    ref = ITEMS[5].structured_reference
    ms = movements(tmp_path, [Mv(D("50.00"), structured=ref)], kind)
    (line,) = match(ms, ITEMS).lines
    assert (line.code, line.reason, line.amount) == (CREDIT_ON_CUSTOMER, "already-paid", D("50.00"))
    assert line.allocations == (Allocation(ITEMS[5].number, ITEMS[5].customer_id, D("50.00")),)  # says for what


def test_payment_for_a_credited_invoice_is_to_refund(tmp_path, kind):
    ms = movements(tmp_path, [Mv(D("100.00"), structured=ITEMS[3].structured_reference, name="Dubois",
                                 iban=DUBOIS_IBAN)], kind)
    result = match(ms, ITEMS)
    (line,) = result.lines
    assert (line.code, line.reason, line.amount, line.customer_id) == (TO_REFUND, "credited", D("100.00"), "K0102")
    assert line.allocations == (Allocation("2027-000004", "K0102", D("100.00")),)  # the amount to give back
    assert result.paid_by_document == {}


def test_unknown_reference_is_unmatched_with_its_reason(tmp_path, kind):
    unknown = structured_reference(2026, 999)
    ms = movements(tmp_path, [Mv(D("75.00"), structured=unknown), Mv(D("12.00"), communication="gift")], kind)
    first, second = match(ms, ITEMS).lines
    assert (first.code, first.reason, first.amount) == (UNMATCHED, "unknown-reference", D("75.00"))
    assert (second.code, second.reason) == (UNMATCHED, "no-reference")


def test_debits_are_ignored_and_counted(tmp_path, kind):
    ms = movements(tmp_path, [Mv(D("-20.00"), communication="2027-000001"), Mv(D("-5.50")),
                              Mv(D("121.00"), structured="202700000122")], kind)
    result = match(ms, ITEMS)
    assert [line.code for line in result.lines] == [DEBIT_IGNORED, DEBIT_IGNORED, BOOKED]
    assert result.debits_ignored == (2, D("25.50"))
    assert result.totals()[DEBIT_IGNORED] == (2, D("25.50"))


def test_suggestion_from_a_known_iban_and_exact_open_amount_is_never_booked(tmp_path, kind):
    ms = movements(tmp_path, [Mv(D("60.50"), communication="betaling", name="Dubois", iban=DUBOIS_IBAN),
                              Mv(D("61.00"), communication="betaling", name="Dubois", iban=DUBOIS_IBAN)], kind)
    result = match(ms, ITEMS, {"K0102": [DUBOIS_IBAN]})
    exact, other = result.lines
    assert (exact.code, exact.reason, exact.via) == (SUGGESTION, "same-iban-and-amount", VIA_IBAN_AMOUNT)
    assert exact.allocations == (Allocation("2027-000003", "K0102", D("60.50")),)
    assert (other.code, other.reason) == (UNMATCHED, "no-reference")
    assert result.paid_by_document == {}
    # without the earlier payment's IBAN there is no suggestion
    assert match(ms[:1], ITEMS).lines[0].code == UNMATCHED


def test_two_payments_of_one_invoice_in_one_batch():
    first = _movement(D("100.00"), structured="202700000223", key="a")
    second = _movement(D("150.00"), structured="202700000223", key="b")
    result = match([first, second], ITEMS)
    assert [(line.code, line.amount) for line in result.lines] == [
        (BOOKED, D("100.00")), (BOOKED, D("142.00")), (CREDIT_ON_CUSTOMER, D("8.00"))]
    assert result.paid_by_document == {"2027-000002": D("242.00")}


def test_a_global_movement_with_details_pays_each_document(tmp_path, kind):
    ms = movements(tmp_path, [Mv(D("181.50"), details=[Mv(D("121.00"), structured="202700000122"),
                                                       Mv(D("60.50"), communication="factuur 2027-000003")])], kind)
    result = match(ms, ITEMS)
    assert result.paid_by_document == {"2027-000001": D("121.00"), "2027-000003": D("60.50")}


def test_match_is_pure():
    before = list(ITEMS)
    m = _movement(D("121.00"), structured="202700000122")
    assert match([m], ITEMS) == match([m], ITEMS)
    assert ITEMS == before


def _movement(amount: Decimal, *, structured: str | None = None, communication: str = "", iban: str = "",
              key: str = "k") -> Movement:
    return Movement(key=key, account_iban=ACCOUNT, statement="2027/001", sequence="0001",
                    booking_date=date(2027, 2, 10), value_date=date(2027, 2, 10), amount=amount,
                    counterparty_name="", counterparty_iban=iban, structured_reference=structured,
                    communication=communication, location="test")
