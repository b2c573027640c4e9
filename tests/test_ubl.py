"""The Peppol UBL file: every rendered document passes the UBL 2.1 XSD and the CEN + Peppol
schematron rules with no fatal finding, and carries the right values."""

from __future__ import annotations

import base64
import dataclasses
import time
from datetime import date
from decimal import Decimal

import pytest
from lxml import etree

from batch.documents.i18n import t
from batch.documents.ubl import NoPeppolAddress, buyer_endpoint, has_peppol_address, line_pricing, render_ubl
from batch.documents.validate import Finding, fatal, validate_ubl
from batch.model import InvoiceLine, Party, VatSubtotal
from batch.money import cents
from tests.goldens import check_golden
from tests.samples import GOLDEN_SAMPLES, BUYERS, sample_invoice, sample_set, seller, ubl_canonical

D = Decimal
NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "inv": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "cn": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
}
WORKBOOK = b"PK\x03\x04 not really a workbook \x00\xff"


def xp(xml: bytes, path: str) -> list[str]:
    """Text of every node matched by ``path`` (attributes as strings)."""
    result = etree.fromstring(xml).xpath(path, namespaces=NS)
    return [r if isinstance(r, str) else (r.text or "") for r in result]


def one(xml: bytes, path: str) -> str:
    values = xp(xml, path)
    assert len(values) == 1, f"{path}: {values}"
    return values[0]


def assert_valid(xml: bytes) -> list[Finding]:
    findings = validate_ubl(xml)
    assert fatal(findings) == [], "\n".join(map(str, fatal(findings)))
    warnings = sorted({f.rule for f in findings})
    if warnings:
        print("warnings:", ", ".join(warnings))
    return findings


def assert_r120(xml: bytes) -> None:
    """Every line: amount = quantity × price exactly (PEPPOL-EN16931-R120, no base quantity)."""
    root = etree.fromstring(xml)
    lines = root.xpath("cac:InvoiceLine | cac:CreditNoteLine", namespaces=NS)
    assert lines
    for line in lines:
        qty = D(line.xpath("cbc:InvoicedQuantity | cbc:CreditedQuantity", namespaces=NS)[0].text)
        price = D(line.xpath("cac:Price/cbc:PriceAmount", namespaces=NS)[0].text)
        assert line.xpath("cac:Price/cbc:BaseQuantity", namespaces=NS) == []
        total = D(line.xpath("cbc:LineExtensionAmount", namespaces=NS)[0].text)
        assert qty * price == total


def with_lines(lines: tuple[InvoiceLine, ...], category: str = "S", **changes):
    """Sample invoice of ``category`` with other lines and recomputed totals."""
    base = sample_invoice(category)
    net = sum((l.amount for l in lines), D("0.00"))
    rate = D("21") if category == "S" else D("0")
    vat = cents(net * rate / 100)
    return dataclasses.replace(base, lines=lines, net=net, vat=vat, total=net + vat,
                               vat_breakdown=(VatSubtotal(category, rate, net, vat),), **changes)


# --- every regime, language and document type validates -----------------------------------


@pytest.mark.parametrize("document_type", ["invoice", "credit_note"])
@pytest.mark.parametrize("language", ["nl", "fr", "en"])
@pytest.mark.parametrize("category", ["S", "AE", "O"])
def test_sample_documents_pass_xsd_and_schematron(category, language, document_type):
    inv = sample_invoice(category, language, document_type=document_type)
    xml = render_ubl(inv, WORKBOOK, "2027-000001.xlsx")
    assert_valid(xml)
    assert_r120(xml)
    root = "cn:CreditNote" if document_type == "credit_note" else "inv:Invoice"
    assert one(xml, f"/{root}/cbc:ID") == "2027-000001"
    assert one(xml, f"/{root}/cbc:BuyerReference") == BUYERS[category].customer_id
    assert one(xml, f"/{root}/cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:ID") == category


# --- key values ------------------------------------------------------------------------------


def test_standard_rate_invoice_values():
    xml = render_ubl(sample_invoice("S"))
    assert one(xml, "/inv:Invoice/cbc:CustomizationID") == (
        "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0")
    assert one(xml, "/inv:Invoice/cbc:ProfileID") == "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
    assert one(xml, "/inv:Invoice/cbc:InvoiceTypeCode") == "380"
    assert one(xml, "/inv:Invoice/cbc:IssueDate") == "2027-01-05"
    assert one(xml, "/inv:Invoice/cbc:DueDate") == "2027-02-04"
    assert one(xml, "//cac:InvoicePeriod[parent::inv:Invoice]/cbc:StartDate") == "2027-01-01"
    lmt = "/inv:Invoice/cac:LegalMonetaryTotal/cbc:"
    assert one(xml, lmt + "LineExtensionAmount") == "309.75"
    assert one(xml, lmt + "TaxExclusiveAmount") == "309.75"
    assert one(xml, lmt + "TaxInclusiveAmount") == "374.80"
    assert one(xml, lmt + "PayableAmount") == "374.80"
    assert one(xml, "/inv:Invoice/cac:TaxTotal/cbc:TaxAmount") == "65.05"
    assert one(xml, "//cac:TaxSubtotal/cac:TaxCategory/cbc:Percent") == "21"
    assert xp(xml, "//cac:ClassifiedTaxCategory/cbc:ID") == ["S"] * 4
    # endpoints: seller 0208 + enterprise number, buyer from its peppol-id
    assert one(xml, "//cac:AccountingSupplierParty//cbc:EndpointID/@schemeID") == "0208"
    assert one(xml, "//cac:AccountingSupplierParty//cbc:EndpointID") == "0403170701"
    assert one(xml, "//cac:AccountingCustomerParty//cbc:EndpointID/@schemeID") == "0208"
    assert one(xml, "//cac:AccountingCustomerParty//cbc:EndpointID") == "0477472701"
    assert one(xml, "//cac:AccountingSupplierParty//cac:PartyTaxScheme/cbc:CompanyID") == "BE0403170701"
    assert one(xml, "//cac:AccountingCustomerParty//cac:PartyLegalEntity/cbc:CompanyID") == "0477472701"
    # payment
    assert one(xml, "//cac:PaymentMeans/cbc:PaymentMeansCode") == "58"
    assert one(xml, "//cac:PaymentMeans/cbc:PaymentID") == "+++202/7000/00122+++"
    assert one(xml, "//cac:PayeeFinancialAccount/cbc:ID") == "BE71096123456769"
    assert one(xml, "//cac:FinancialInstitutionBranch/cbc:ID") == "GKCCBEBB"
    # lines: quantity, unit, price, amount
    assert xp(xml, "//cac:InvoiceLine/cbc:InvoicedQuantity") == ["3", "6", "1", "0.25"]
    assert xp(xml, "//cac:InvoiceLine/cbc:InvoicedQuantity/@unitCode") == ["MON", "MON", "HUR", "HUR"]
    assert xp(xml, "//cac:InvoiceLine/cac:Price/cbc:PriceAmount") == ["48.00", "12.00", "75.00", "75.00"]
    assert xp(xml, "//cac:InvoiceLine/cbc:LineExtensionAmount") == ["144.00", "72.00", "75.00", "18.75"]
    assert xp(xml, "//cac:InvoiceLine/cac:Item/cbc:Name") == [
        "Bijstandsovereenkomst Juwelierspakket", "Bijstandsovereenkomst Kassamodule",
        "Interventie I-1002", "Interventie I-1003"]
    # fee lines carry their period; interventions of the previous quarter do not (R110)
    assert xp(xml, "//cac:InvoiceLine/cac:InvoicePeriod/cbc:EndDate") == ["2027-03-31", "2027-03-31"]
    # user text stays text, even when it looks like a formula
    assert '=HYPERLINK("http://evil")' in one(xml, "//cac:InvoiceLine[4]/cac:Item/cbc:Description")


def test_item_names_follow_the_language():
    xml = render_ubl(sample_invoice("S", "fr"))
    assert xp(xml, "//cac:InvoiceLine/cac:Item/cbc:Name")[2] == "Intervention I-1002"
    # module names per language (SPEC §9 L1), the Dutch one where no translation is given
    assert xp(xml, "//cac:InvoiceLine/cac:Item/cbc:Name")[:2] == [
        "Contrat d'assistance Progiciel bijouterie", "Contrat d'assistance Kassamodule"]


def test_reverse_charge_values():
    xml = render_ubl(sample_invoice("AE", "fr"))
    sub = "//cac:TaxSubtotal/cac:TaxCategory/cbc:"
    assert one(xml, sub + "ID") == "AE"
    assert one(xml, sub + "Percent") == "0"
    assert one(xml, sub + "TaxExemptionReasonCode") == "VATEX-EU-AE"
    assert one(xml, sub + "TaxExemptionReason").startswith("Autoliquidation")
    assert one(xml, "/inv:Invoice/cac:TaxTotal/cbc:TaxAmount") == "0.00"
    assert one(xml, "//cac:LegalMonetaryTotal/cbc:PayableAmount") == "309.75"
    assert one(xml, "//cac:AccountingCustomerParty//cbc:EndpointID/@schemeID") == "9957"
    assert one(xml, "//cac:AccountingCustomerParty//cbc:EndpointID") == "FR40303265045"
    # BR-AE-02: both VAT identifiers present
    assert one(xml, "//cac:AccountingCustomerParty//cac:PartyTaxScheme/cbc:CompanyID") == "FR40303265045"
    assert one(xml, "//cac:AccountingSupplierParty//cac:PartyTaxScheme/cbc:CompanyID") == "BE0403170701"


def test_not_subject_outside_eu_carries_no_vat_identifiers():
    xml = render_ubl(sample_invoice("O", "en"))
    assert one(xml, "//cac:TaxSubtotal/cac:TaxCategory/cbc:ID") == "O"
    assert one(xml, "//cac:TaxSubtotal/cac:TaxCategory/cbc:TaxExemptionReasonCode") == "VATEX-EU-O"
    assert xp(xml, "//cbc:Percent") == []  # BR-O-05, BR-O-09
    assert xp(xml, "//cac:PartyTaxScheme") == []  # BR-O-02
    # the seller stays identified by its enterprise number (BR-CO-26)
    assert one(xml, "//cac:AccountingSupplierParty//cac:PartyLegalEntity/cbc:CompanyID") == "0403170701"
    assert one(xml, "//cac:AccountingCustomerParty//cbc:EndpointID") == "5060012349998"


def test_credit_note_values():
    xml = render_ubl(sample_invoice("S", "nl", "2027-000009", "credit_note"))
    assert etree.fromstring(xml).tag == "{%s}CreditNote" % NS["cn"]
    assert one(xml, "/cn:CreditNote/cbc:CreditNoteTypeCode") == "381"
    assert one(xml, "//cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID") == "2026-000007"
    assert one(xml, "//cac:BillingReference/cac:InvoiceDocumentReference/cbc:IssueDate") == "2026-10-05"
    assert xp(xml, "//cbc:DueDate") == []  # no DueDate in a UBL CreditNote
    assert xp(xml, "//cac:PaymentMeans") == []  # the buyer pays nothing
    assert "Foute module aangerekend" in one(xml, "/cn:CreditNote/cbc:Note")
    # amounts stay positive: the document type says it is a credit
    assert one(xml, "//cac:LegalMonetaryTotal/cbc:PayableAmount") == "374.80"
    assert xp(xml, "//cac:CreditNoteLine/cbc:CreditedQuantity") == ["3", "6", "1", "0.25"]


def test_embedded_workbook_decodes_to_the_given_bytes():
    xml = render_ubl(sample_invoice("S"), WORKBOOK, "2027-000001.xlsx")
    obj = "//cac:AdditionalDocumentReference/cac:Attachment/cbc:EmbeddedDocumentBinaryObject"
    assert base64.b64decode(one(xml, obj)) == WORKBOOK
    assert one(xml, obj + "/@mimeCode") == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert one(xml, obj + "/@filename") == "2027-000001.xlsx"
    assert xp(render_ubl(sample_invoice("S")), "//cac:AdditionalDocumentReference") == []


def test_draft_has_no_number_and_no_reference():
    xml = render_ubl(sample_invoice("S", number=None))
    assert_valid(xml)
    assert one(xml, "/inv:Invoice/cbc:ID") == "CONCEPT"
    assert xp(xml, "//cbc:PaymentID") == []


# --- the validator really runs ----------------------------------------------------------------


def test_tampered_total_is_fatal():
    xml = render_ubl(sample_invoice("S"))
    bad = xml.replace(b'<cbc:PayableAmount currencyID="EUR">374.80<',
                      b'<cbc:PayableAmount currencyID="EUR">370.00<')
    assert bad != xml
    rules = {f.rule for f in fatal(validate_ubl(bad))}
    assert "BR-CO-16" in rules


def test_tampered_line_amount_breaks_r120():
    xml = render_ubl(sample_invoice("S"))
    bad = xml.replace(b'<cbc:PriceAmount currencyID="EUR">12.00<', b'<cbc:PriceAmount currencyID="EUR">13.00<')
    assert "PEPPOL-EN16931-R120" in {f.rule for f in fatal(validate_ubl(bad))}


def test_schema_violation_is_fatal():
    xml = render_ubl(sample_invoice("S"))
    bad = xml.replace(b"<cbc:DueDate>2027-02-04</cbc:DueDate>", b"").replace(
        b"<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>",
        b"<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode><cbc:DueDate>2027-02-04</cbc:DueDate>")
    findings = fatal(validate_ubl(bad))
    assert [f.rule for f in findings if f.rule == "UBL-XSD"] == ["UBL-XSD"]
    assert "DueDate" in findings[0].text


def test_unusable_input_gives_a_finding_not_a_traceback():
    assert [f.rule for f in validate_ubl(b"<Invoice>")] == ["XML"]
    assert [f.rule for f in validate_ubl(b"<Order/>")] == ["XML"]


# --- deterministic and clean -----------------------------------------------------------------


def test_deterministic_bytes():
    first = render_ubl(sample_invoice("AE", "en"), WORKBOOK, "a.xlsx")
    second = render_ubl(sample_invoice("AE", "en"), WORKBOOK, "a.xlsx")
    assert first == second
    assert first.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<Invoice ')


def test_control_characters_are_stripped():
    dirty = dataclasses.replace(BUYERS["S"], name="Juwelier\x00 Peeters\x1b BV", street="Kerk\x07straat 12")
    base = sample_invoice("S")
    lines = (dataclasses.replace(base.lines[0], description="Vraag\x0b over\x1f etiketten"),) + base.lines[1:]
    inv = dataclasses.replace(base, buyer=dirty, lines=lines)
    xml = render_ubl(inv)
    for ch in (b"\x00", b"\x1b", b"\x07", b"\x0b", b"\x1f"):
        assert ch not in xml
    assert one(xml, "//cac:AccountingCustomerParty//cac:PartyName/cbc:Name") == "Juwelier Peeters BV"
    assert "Vraag over etiketten" in xp(xml, "//cac:InvoiceLine[1]/cac:Item/cbc:Description")[0]
    assert_valid(xml)


# --- R120 with awkward lines -------------------------------------------------------------------


def fee(amount, quantity, unit_price, start, end, days=None, days_in_month=None):
    return InvoiceLine(kind="fee", amount=D(amount), quantity=D(quantity), unit_price=D(unit_price),
                       vat_category="S", vat_rate=D("21"), gl_account="700000", module="JUW",
                       module_description="Juwelierspakket", period_start=start, period_end=end,
                       days=days, days_in_month=days_in_month, monthly_fee=D("45.00"))


def test_prorated_fee_line_satisfies_r120():
    # 16/30 × 45.00 = 24.00 per licence, aantal 2 → 48.00 (SPEC §7, customer B with two licences)
    line = fee("48.00", "2", "24.00", date(2026, 11, 15), date(2026, 11, 30), 16, 30)
    inv = with_lines((line, fee("90.00", "2", "45.00", date(2026, 12, 1), date(2026, 12, 31))),
                     period_start=date(2026, 11, 15))
    xml = render_ubl(inv)
    assert_valid(xml)
    assert_r120(xml)
    assert xp(xml, "//cac:InvoiceLine[1]/cbc:InvoicedQuantity") == ["2"]
    assert xp(xml, "//cac:InvoiceLine[1]/cbc:InvoicedQuantity/@unitCode") == ["C62"]
    assert xp(xml, "//cac:InvoiceLine[1]/cac:Price/cbc:PriceAmount") == ["24.00"]
    assert "16/30" in xp(xml, "//cac:InvoiceLine[1]/cac:Item/cbc:Description")[0]
    assert one(xml, "/inv:Invoice/cac:InvoicePeriod/cbc:StartDate") == "2026-11-15"


def test_prorated_fee_that_does_not_divide_is_one_unit():
    # 17/31 × 45.00 = 24.677… per licence; 3 licences billed 74.03: no exact price per licence
    line = fee("74.03", "3", "24.677", date(2027, 1, 15), date(2027, 1, 31), 17, 31)
    assert line_pricing(line) == (D("1"), "C62", D("74.03"))
    xml = render_ubl(with_lines((line,)))
    assert_valid(xml)
    assert_r120(xml)
    assert "Aantal: 3" in one(xml, "//cac:InvoiceLine/cac:Item/cbc:Description")


def test_upgrade_invoice_of_three_lines():
    # SPEC §7 customer C: 75.00 + 93.75 + upgrade 88.33 = 257.08, VAT 53.99, total 311.07
    common = dict(vat_category="S", vat_rate=D("21"))
    lines = (
        InvoiceLine(kind="regie", amount=D("75.00"), quantity=D("1"), unit_price=D("75.00"),
                    gl_account="700100", intervention_id="I-2001", date=date(2026, 12, 2), minutes=10,
                    billed_minutes=60, channel="telefoon", category="vraag", reason="cancelled", **common),
        InvoiceLine(kind="regie", amount=D("93.75"), quantity=D("1.25"), unit_price=D("75.00"),
                    gl_account="700100", intervention_id="I-2002", date=date(2026, 12, 9), minutes=70,
                    billed_minutes=75, channel="internet", category="vraag", reason="cancelled", **common),
        InvoiceLine(kind="upgrade", amount=D("88.33"), quantity=D("1"), unit_price=D("88.33"),
                    gl_account="700200", licence_value=D("5300.00"), months=1, date=date(2026, 12, 9),
                    **common),
    )
    inv = with_lines(lines, period_start=None, period_end=None)
    assert (inv.net, inv.vat, inv.total) == (D("257.08"), D("53.99"), D("311.07"))
    xml = render_ubl(inv)
    assert_valid(xml)
    assert_r120(xml)
    assert xp(xml, "//cac:InvoiceLine/cbc:InvoicedQuantity") == ["1", "1.25", "1"]
    assert xp(xml, "//cac:InvoiceLine/cbc:LineExtensionAmount") == ["75.00", "93.75", "88.33"]
    assert one(xml, "//cac:LegalMonetaryTotal/cbc:PayableAmount") == "311.07"
    assert xp(xml, "/inv:Invoice/cac:InvoicePeriod") == []
    assert "5.300,00" in one(xml, "//cac:InvoiceLine[3]/cac:Item/cbc:Description")


def test_regie_rate_with_cents_that_do_not_multiply():
    # 0.25 h × 75.10 = 18.775 → billed 18.78: the price becomes 75.12 per hour exactly
    line = InvoiceLine(kind="regie", amount=D("18.78"), quantity=D("0.25"), unit_price=D("75.10"),
                       vat_category="S", vat_rate=D("21"), gl_account="700100", intervention_id="I-9")
    assert line_pricing(line) == (D("0.25"), "HUR", D("75.12"))
    xml = render_ubl(with_lines((line,)))
    assert_valid(xml)
    assert_r120(xml)


# --- endpoints -------------------------------------------------------------------------------


@pytest.mark.parametrize("buyer, expected", [
    (Party(name="b", country="BE", vat_number="BE0477472701"), ("0208", "0477472701", False)),
    (Party(name="b", country="NL", vat_number="NL004495445B01"), ("9944", "NL004495445B01", False)),
    (Party(name="b", country="LU", vat_number="LU15027442"), ("9938", "LU15027442", False)),
    (Party(name="b", country="IT", vat_number="IT00743110157"), ("0211", "00743110157", False)),
    (Party(name="b", country="DK", vat_number="DK13585628"), ("0184", "13585628", False)),
    (Party(name="b", country="FR", peppol_id="iso6523-actorid-upis::0009:12345678200077"),
     ("0009", "12345678200077", False)),
    (Party(name="b", country="CH", vat_number="CHE-100.000.006 MWST"), ("9927", "CHE100000006MWST")),
    (Party(name="b", country="NL", vat_number="nl 0044.95.445.b01"), ("9944", "NL004495445B01")),
    # SPEC §9 L6: a VAT number python-stdnum rejects is no Peppol address (the run bills 21 % and warns)
    (Party(name="b", country="NL", vat_number="nl 1234.56.789.b12"), None),
    (Party(name="b", country="FR", vat_number="FR40303265046"), None),
    (Party(name="b", country="US"), None),
    (Party(name="b", country="BE"), None),  # a private person in Belgium
    (Party(name="b", country="US", vat_number="US123456789"), None),  # a scheme Peppol does not define
])
def test_buyer_endpoint(buyer, expected):
    """SPEC §9 L6: the buyer's own address, compact, or none: never the seller's as placeholder."""
    expected = expected[:2] if expected and len(expected) == 3 else expected
    assert buyer_endpoint(buyer) == expected


def test_validation_time(capsys):
    xml = render_ubl(sample_invoice("S"), WORKBOOK)
    validate_ubl(xml)  # warm: compiled stylesheets are cached per process
    start = time.perf_counter()
    for _ in range(5):
        assert fatal(validate_ubl(xml)) == []
    per_call = (time.perf_counter() - start) / 5
    with capsys.disabled():
        print(f"\nvalidate_ubl: {per_call * 1000:.0f} ms per document (warm)")
    assert per_call < 5


def test_withdrawn_eas_code_of_the_current_release_is_fatal():
    # 0037 (Finnish LY-tunnus) passes the bundled 2024 rules but was withdrawn in May 2026
    buyer = dataclasses.replace(BUYERS["AE"], country="FI", vat_number="FI20774740",
                                peppol_id="0037:20774740")
    xml = render_ubl(dataclasses.replace(sample_invoice("AE"), buyer=buyer))
    findings = fatal(validate_ubl(xml))
    assert [(f.rule, f.location) for f in findings] == [
        ("PEPPOL-2026.5-EAS", "/*/cac:AccountingCustomerParty/cac:Party/cbc:EndpointID")]


def test_dutch_reverse_charge_customer_validates_without_warnings():
    buyer = Party(name="Juwelier de Vries BV", street="Kalverstraat 1", postcode="1012 NX",
                  city="Amsterdam", country="NL", vat_number="NL004495445B01", customer_id="K0301")
    xml = render_ubl(dataclasses.replace(sample_invoice("AE", "en"), buyer=buyer, customer_id="K0301"))
    assert validate_ubl(xml) == []
    assert one(xml, "//cac:AccountingCustomerParty//cbc:EndpointID/@schemeID") == "9944"


@pytest.mark.parametrize("name", GOLDEN_SAMPLES)
def test_ubl_matches_the_golden_canonical_xml(name):
    xml = render_ubl(sample_set()[name], WORKBOOK, f"{name}.xlsx")
    check_golden(f"ubl-{name}.xml", ubl_canonical(xml))


# --- SPEC §9 L1, L2, L5, L6 ----------------------------------------------------------------


def test_no_ubl_for_a_buyer_without_a_peppol_address():
    private = Party(name="Mevrouw Janssens", street="Markt 1", postcode="9000", city="Gent", country="BE",
                    customer_id="K0900")
    invoice = dataclasses.replace(sample_invoice("S"), buyer=private, customer_id="K0900")
    assert buyer_endpoint(private) is None and not has_peppol_address(invoice)
    with pytest.raises(NoPeppolAddress, match="K0900"):
        render_ubl(invoice)
    from batch.documents.invoice_pdf import render_invoice_files

    files = render_invoice_files(invoice)
    assert files.ubl is None and files.pdf.startswith(b"%PDF") and files.xlsx.startswith(b"PK")
    with pytest.raises(NoPeppolAddress):  # not even with a workbook attached: never a placeholder address
        render_ubl(invoice, files.xlsx, "K0900.xlsx")


def test_seller_legal_information_bt33():
    xml = render_ubl(sample_invoice("S"))
    assert one(xml, "//cac:AccountingSupplierParty//cac:PartyLegalEntity/cbc:CompanyLegalForm") == (
        "BV · RPR Antwerpen, afdeling Antwerpen")
    assert xp(xml, "//cac:AccountingCustomerParty//cbc:CompanyLegalForm") == []
    with_site = dataclasses.replace(sample_invoice("S"), seller=dataclasses.replace(
        seller(), website="www.juweelsoft.be"))
    xml = render_ubl(with_site)
    assert one(xml, "//cbc:CompanyLegalForm").endswith("· www.juweelsoft.be")
    assert_valid(xml)


@pytest.mark.parametrize("postcode, city, expected", [
    ("2000", "Antwerpen", {"nl": "nl", "fr": "nl", "en": "nl"}),  # Flanders: Dutch
    ("5000", "Namur", {"nl": "fr", "fr": "fr", "en": "fr"}),  # Wallonia: French
    ("1000", "Brussel", {"nl": "nl", "fr": "fr", "en": "en"}),  # Brussels: the customer's language
])
def test_legal_language_per_seller_region_in_workbook_and_ubl(postcode, city, expected):
    """SPEC §9 L1: the legal version in the language of the seller's seat, first; a marked
    translation in the customer's language second; the UBL's texts in the legal language."""
    import io

    import openpyxl

    from batch.documents.invoice_xlsx import render_invoice_xlsx
    from batch.settings import Seller

    region_seller = Seller(postcode=postcode, city=city)
    for customer, legal in expected.items():
        assert region_seller.legal_language(customer) == legal
        invoice = dataclasses.replace(sample_invoice("S", customer), seller=region_seller.party(),
                                      legal_language=region_seller.legal_language(customer))
        book = openpyxl.load_workbook(io.BytesIO(render_invoice_xlsx(invoice)))
        titles = [ws.title.split(" ")[0] for ws in book.worksheets]
        word = {"nl": "Factuur", "fr": "Facture", "en": "Invoice"}
        assert titles == [word[legal]] + ([word[customer]] if customer != legal else [])
        if customer != legal:
            note = book.worksheets[1]["A1"].value
            assert note.startswith({"nl": "Vertaling", "fr": "Traduction", "en": "Translation"}[customer])
        xml = render_ubl(invoice)
        terms = one(xml, "//cac:PaymentTerms/cbc:Note")
        assert terms.startswith({"nl": "Gelieve", "fr": "Veuillez", "en": "Please"}[legal]), terms
        assert xp(xml, "//cac:InvoiceLine/cac:Item/cbc:Name")[0] == {
            "nl": "Bijstandsovereenkomst Juwelierspakket", "fr": "Contrat d'assistance Progiciel bijouterie",
            "en": "Support agreement Jeweller package"}[legal]
        assert_valid(xml)


def test_credit_note_repayment_mention_in_the_legal_language_in_both_documents():
    import io

    import openpyxl

    from batch.documents.invoice_xlsx import render_invoice_xlsx

    credit = sample_invoice("S", "en", "2027-000009", "credit_note", legal_language="nl")
    xml = render_ubl(credit)
    assert t("mention.vat_repayment", "nl") in one(xml, "/cn:CreditNote/cbc:Note")
    assert_valid(xml)
    book = openpyxl.load_workbook(io.BytesIO(render_invoice_xlsx(credit)))
    legal, translation = book.worksheets
    legal_texts = [c.value for row in legal.iter_rows() for c in row if isinstance(c.value, str)]
    assert t("mention.vat_repayment", "nl") in legal_texts
    assert t("mention.vat_repayment", "en") in [c.value for row in translation.iter_rows() for c in row]
    # no structured reference and no appendix of included interventions on a credit note (L5)
    for ws in book.worksheets:
        values = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
        assert not any("+++" in v for v in values)
        assert t("appendix.title", "nl") not in values and t("appendix.title", "en") not in values
    assert xp(xml, "//cbc:PaymentID") == []
