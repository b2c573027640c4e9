"""A book of issued documents around the first quarter of 2027, for the VAT-period tests:
invoices in every regime (S, AE to three member states, O), credit notes on invoices of this and
of an earlier period, a rerun, a 2027Q2 run dated in March, late interventions, documents just
outside the quarter and a draft. Amounts hand-checked in tests/test_vat_period.py.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

from batch.model import Invoice, InvoiceLine, Party, VatSubtotal
from batch.money import cents
from tests.samples import BUYERS, sample_invoice

D = Decimal

NL = Party(name="Juwelier de Vries BV", street="Kalverstraat 10", postcode="1012 NX", city="Amsterdam",
           country="NL", vat_number="NL004495445B01", email="info@devries.nl", customer_id="K0103")
DE = Party(name="Goldschmiede Schulz GmbH", street="Königsallee 5", postcode="40212", city="Düsseldorf",
           country="DE", vat_number="DE136695976", email="info@schulz.de", customer_id="K0104")
PARTIES = {"S": BUYERS["S"], "FR": BUYERS["AE"], "NL": NL, "DE": DE, "O": BUYERS["O"]}
CATEGORY = {"S": "S", "FR": "AE", "NL": "AE", "DE": "AE", "O": "O"}


def fee(amount: str, category: str) -> InvoiceLine:
    rate = D("21") if category == "S" else D("0")
    return InvoiceLine(kind="fee", amount=D(amount), quantity=D("1"), unit_price=D(amount), vat_category=category,
                       vat_rate=rate, gl_account="700000", module="JUW", module_description="Juwelierspakket",
                       period_start=date(2027, 1, 1), period_end=date(2027, 3, 31), monthly_fee=D(amount))


def regie(amount: str, category: str, day: date | None, ident: str, deadline: date | None = None) -> InvoiceLine:
    rate = D("21") if category == "S" else D("0")
    return InvoiceLine(kind="regie", amount=D(amount), quantity=D("1"), unit_price=D(amount),
                       vat_category=category, vat_rate=rate, gl_account="700100", intervention_id=ident,
                       date=day, minutes=60, billed_minutes=60, channel="internet", category="virus",
                       reason="not-covered", deadline=deadline)


def upgrade(amount: str, category: str, deadline: date | None) -> InvoiceLine:
    rate = D("21") if category == "S" else D("0")
    return InvoiceLine(kind="upgrade", amount=D(amount), quantity=D("1"), unit_price=D(amount),
                       vat_category=category, vat_rate=rate, gl_account="700200", licence_value=D("1200.00"),
                       months=1, deadline=deadline)


def document(number: str | None, issue: date, who: str, lines: tuple[InvoiceLine, ...] | str, *,
             credit_of: tuple[str, date] | None = None, quarter: str = "2027Q1") -> Invoice:
    """An issued document for customer ``who`` (S, FR, NL, DE, O); ``lines`` or one fee amount."""
    category = CATEGORY[who]
    if isinstance(lines, str):
        lines = (fee(lines, category),)
    net = sum((line.amount for line in lines), D("0.00"))
    rate = D("21") if category == "S" else D("0")
    vat = cents(net * rate / 100)
    buyer = PARTIES[who]
    kind = "credit_note" if credit_of else "invoice"
    base = sample_invoice(category, number=number, document_type=kind)
    return dataclasses.replace(
        base, number=number, issue_date=issue, due_date=issue, quarter=quarter, buyer=buyer,
        customer_id=buyer.customer_id, lines=lines, net=net, vat=vat, total=net + vat,
        vat_breakdown=(VatSubtotal(category, rate, net, vat),),
        structured_reference=None if credit_of or not number else base.structured_reference,
        included=(),
        credited_number=credit_of[0] if credit_of else None, credited_date=credit_of[1] if credit_of else None,
        credit_reason="Gecorrigeerd" if credit_of else None,
    )


def book() -> list[Invoice]:
    """Every document the register would hand over, in no particular order."""
    return [
        document("2027-000012", date(2027, 4, 1), "S", "400.00", quarter="2027Q2"),  # after the quarter
        document("2026-000090", date(2026, 12, 30), "S", "100.00", quarter="2026Q4"),  # before it
        sample_invoice("S", number="2027-000001"),  # 2027-01-05, 309.75 + 65.05, I-1002 late
        sample_invoice("AE", number="2027-000002"),  # FR, 309.75, I-1002 late
        sample_invoice("O", number="2027-000003"),  # GB, 309.75, I-1002 late
        # credits an FR invoice of November 2026: a correction of 2026Q4 (of 2026-11 monthly)
        document("2027-000004", date(2027, 1, 20), "FR", "200.00", credit_of=("2026-000050", date(2026, 11, 15))),
        document("2027-000005", date(2027, 2, 10), "NL", "1000.00"),
        # a rerun of the quarter: fee 450.00 and an upgrade whose deadline (carried) was 1 February
        document("2027-000006", date(2027, 2, 12), "S", (fee("450.00", "S"), upgrade("50.00", "S", date(2027, 2, 1)))),
        document("2027-000007", date(2027, 2, 20), "NL", "1000.00", credit_of=("2027-000005", date(2027, 2, 10))),
        # the corrected NL invoice, with an intervention of 10 January invoiced after 15 February
        document("2027-000008", date(2027, 2, 25), "NL", (fee("800.00", "AE"), regie("100.00", "AE", date(2027, 1, 10),
                                                                                   "I-2001"))),
        document("2027-000009", date(2027, 3, 1), "S", "100.00", credit_of=("2026-000040", date(2026, 12, 10))),
        document("2027-000010", date(2027, 3, 5), "O", sample_invoice("O").lines,
                 credit_of=("2027-000003", date(2027, 1, 5))),
        # a 2027Q2 run dated 28 March: in the Q1 return; an intervention on time (deadline 15 April)
        document("2027-000011", date(2027, 3, 28), "DE", (fee("200.00", "AE"), regie("50.00", "AE", date(2027, 3, 2),
                                                                                   "I-2002")), quarter="2027Q2"),
        document(None, date(2027, 2, 1), "S", "999.00"),  # a draft: never in a return
    ]
