"""Sample records for tests of documents and summaries: realistic invoices in every VAT regime."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from batch.model import IncludedIntervention, Invoice, InvoiceLine, Party, VatSubtotal
from batch.settings import Settings

D = Decimal


def seller() -> Party:
    return Settings().seller.party()


BUYERS = {
    "S": Party(name="Juwelier Peeters BV", street="Kerkstraat 12", postcode="2000", city="Antwerpen",
               country="BE", vat_number="BE0477472701", company_id="0477472701",
               email="info@peeters.be", peppol_id="0208:0477472701", customer_id="K0001"),
    "AE": Party(name="Bijouterie Dubois SARL", street="Rue de la Paix 3", postcode="75002", city="Paris",
                country="FR", vat_number="FR40303265045", email="contact@dubois.fr", customer_id="K0102"),
    "O": Party(name="Goldsmith Ltd", street="1 Hatton Garden", postcode="EC1N 8LE", city="London",
               country="GB", vat_number=None, email="accounts@goldsmith.co.uk", customer_id="K0201"),
}


def sample_invoice(category: str = "S", language: str = "nl", number: str | None = "2027-000001",
                   document_type: str = "invoice") -> Invoice:
    """Worked example A of SPEC §7 (fees 216.00, regie 93.75), in the given VAT regime."""
    rate = D("21") if category == "S" else D("0")
    acc = {"fee": "700000", "regie": "700100", "upgrade": "700200"}
    lines = (
        InvoiceLine(kind="fee", amount=D("144.00"), quantity=D("3"), unit_price=D("48.00"),
                    vat_category=category, vat_rate=rate, gl_account=acc["fee"], module="JUW",
                    module_description="Juwelierspakket", period_start=date(2027, 1, 1),
                    period_end=date(2027, 3, 31), monthly_fee=D("48.00"), licence_key="K0001|JUW|2015-01-10"),
        InvoiceLine(kind="fee", amount=D("72.00"), quantity=D("6"), unit_price=D("12.00"),
                    vat_category=category, vat_rate=rate, gl_account=acc["fee"], module="KAS",
                    module_description="Kassamodule", period_start=date(2027, 1, 1),
                    period_end=date(2027, 3, 31), monthly_fee=D("12.00"), licence_key="K0001|KAS|2018-05-02"),
        InvoiceLine(kind="regie", amount=D("75.00"), quantity=D("1"), unit_price=D("75.00"),
                    vat_category=category, vat_rate=rate, gl_account=acc["regie"],
                    intervention_id="I-1002", date=date(2026, 11, 3), minutes=50, billed_minutes=60,
                    channel="internet", category="virus", reason="not-covered",
                    description="Virus verwijderd van kassa-pc"),
        InvoiceLine(kind="regie", amount=D("18.75"), quantity=D("0.25"), unit_price=D("75.00"),
                    vat_category=category, vat_rate=rate, gl_account=acc["regie"],
                    intervention_id="I-1003", date=date(2026, 12, 28), minutes=10, billed_minutes=15,
                    channel="telefoon", category="vraag", reason="holiday-phone",
                    description="=HYPERLINK(\"http://evil\")"),
    )
    net = sum((l.amount for l in lines), D("0.00"))
    vat = D("65.05") if category == "S" else D("0.00")
    return Invoice(
        document_type=document_type, number=number, issue_date=date(2027, 1, 5),
        due_date=date(2027, 2, 4), quarter="2027Q1", language=language, seller=seller(),
        buyer=BUYERS[category], customer_id=BUYERS[category].customer_id or "K0001", lines=lines,
        vat_breakdown=(VatSubtotal(category, rate, net, vat),), net=net, vat=vat, total=net + vat,
        structured_reference="+++202/7000/00122+++" if number else None,
        period_start=date(2027, 1, 1), period_end=date(2027, 3, 31),
        included=(IncludedIntervention("I-1001", date(2026, 10, 12), 20, "telefoon", "vraag",
                                       "Vraag over etiketten"),),
        credited_number="2026-000007" if document_type == "credit_note" else None,
        credited_date=date(2026, 10, 5) if document_type == "credit_note" else None,
        credit_reason="Foute module aangerekend" if document_type == "credit_note" else None,
    )
