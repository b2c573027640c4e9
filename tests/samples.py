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


def partial_month_and_upgrade() -> Invoice:
    """A fee for a partial month (SPEC §7 example B) and an upgrade (example C)."""
    import dataclasses

    base = sample_invoice("S", "nl")
    partial = InvoiceLine(kind="fee", amount=D("24.00"), quantity=D("1"), unit_price=D("24.00"),
                          vat_category="S", vat_rate=D("21"), gl_account="700000", module="JUW",
                          module_description="Juwelierspakket", period_start=date(2026, 11, 16),
                          period_end=date(2026, 11, 30), days=16, days_in_month=30,
                          monthly_fee=D("45.00"))
    upgrade = InvoiceLine(kind="upgrade", amount=D("88.33"), quantity=D("1"), unit_price=D("88.33"),
                          vat_category="S", vat_rate=D("21"), gl_account="700200",
                          date=date(2026, 12, 9), licence_value=D("5300.00"), months=1)
    net = D("112.33")
    return dataclasses.replace(base, lines=(partial, upgrade), net=net, vat=D("23.59"), total=D("135.92"),
                               vat_breakdown=(VatSubtotal("S", D("21"), net, D("23.59")),))


def awkward_invoice(lang: str) -> Invoice:
    """Texts that test every escape: markup, quotes, control characters, Excel's own _xHHHH_
    escape, leading and trailing spaces, astral characters, an over-long cell and seller name."""
    import dataclasses

    invoice = sample_invoice("S", lang)
    seller_ = dataclasses.replace(invoice.seller, name="Goud & Zilver <\"Smid\"> '" + "Ω" * 300)
    buyer = dataclasses.replace(invoice.buyer, name="  _x0041_ Juwelier\x01\x1f Émile  ",
                                street="Rue d'Arlon 5\nboîte 2", city="💎" * 20)
    lines = list(invoice.lines)
    lines[2] = dataclasses.replace(lines[2], description="💍" * 20000 + "x" * 10)
    lines[3] = dataclasses.replace(lines[3], description="\ttab\r\nline\ufffe\uffff end ")
    return dataclasses.replace(invoice, seller=seller_, buyer=buyer, lines=tuple(lines))


def sample_set() -> dict[str, Invoice]:
    """Every sample document by a stable name: each VAT regime × language × kind (invoice,
    credit note, draft), the partial month with an upgrade, and the awkward texts."""
    out: dict[str, Invoice] = {}
    for cat in ("S", "AE", "O"):
        for lang in ("nl", "fr", "en"):
            for number, kind in (("2027-000001", "invoice"), ("2027-000009", "credit_note"), (None, "invoice")):
                out[f"{cat}-{lang}-{kind}-{number}"] = sample_invoice(cat, lang, number, kind)
    out["partial-upgrade-nl"] = partial_month_and_upgrade()
    for lang in ("nl", "fr", "en"):
        out[f"awkward-{lang}"] = awkward_invoice(lang)
    return out
