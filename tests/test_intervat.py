"""intervat-listing.xml: the intra-community listing (form 723) in Intervat's XML, validated against
the official FPS Finance schema NewICO-in v0.9 (tests/data/intervat/, see its README), for a
quarterly and a monthly filer, with corrections of earlier periods; and what it refuses."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest
from lxml import etree

from batch.documents.intervat import NS, NS_COMMON, IntervatError, render_intervat_listing
from batch.settings import Seller
from batch.vat_period import ListingRow, parse_vat_period, period_figures
from tests.vat_samples import book, document

SCHEMA = etree.XMLSchema(etree.parse(str(Path(__file__).parent / "data" / "intervat" / "NewICO-in_v0_9.xsd")))
SELLER = Seller()
N = {"i": NS, "c": NS_COMMON}


def _valid(data: bytes) -> etree._Element:
    root = etree.fromstring(data)
    if not SCHEMA.validate(root):
        raise AssertionError("\n".join(str(e) for e in SCHEMA.error_log))
    return root


def _listing(label: str):
    f = period_figures(parse_vat_period(label), book())
    return f, render_intervat_listing(f.listing, f.period, SELLER)


def _clients(root):
    return [(c.get("SequenceNumber"), c.find("i:CompanyVATNumber", N).get("issuedBy"),
             c.findtext("i:CompanyVATNumber", namespaces=N), c.findtext("i:Code", namespaces=N),
             c.findtext("i:Amount", namespaces=N),
             "".join(x.text for x in c.find("i:CorrectingPeriod", N)) if c.find("i:CorrectingPeriod", N) is not None
             else None)
            for c in root.iterfind("i:IntraListing/i:IntraClient", N)]


def test_quarterly_listing_is_valid_and_complete():
    f, data = _listing("2027Q1")
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    root = _valid(data)
    assert root.tag == f"{{{NS}}}IntraConsignment" and root.get("IntraListingsNbr") == "1"
    listing = root.find("i:IntraListing", N)
    assert (listing.get("SequenceNumber"), listing.get("ClientsNbr"), listing.get("DeclarantReference"),
            listing.get("AmountSum")) == ("1", "4", "IC2027Q1", "1259.75")
    assert [etree.QName(e).localname for e in listing] == ["Declarant", "Period"] + ["IntraClient"] * 4
    declarant = listing.find("i:Declarant", N)
    assert [(etree.QName(e).localname, e.text) for e in declarant] == [
        ("VATNumber", "0403170701"), ("Name", "Juweelsoft BV"), ("Street", "Meir 1"), ("PostCode", "2000"),
        ("City", "Antwerpen"), ("CountryCode", "BE"), ("EmailAddress", "facturen@juweelsoft.be")]
    assert all(etree.QName(e).namespace == NS_COMMON for e in declarant)  # the common namespace
    assert [(etree.QName(e).localname, e.text) for e in listing.find("i:Period", N)] == [("Quarter", "1"),
                                                                                         ("Year", "2027")]
    # hand-checked: DE 250.00, FR 309.75, NL 1000.00 − 1000.00 + 900.00, and the FR credit note on
    # an invoice of November 2026 as a correction of 2026Q4
    assert _clients(root) == [("1", "DE", "136695976", "S", "250.00", None),
                              ("2", "FR", "40303265045", "S", "309.75", None),
                              ("3", "NL", "004495445B01", "S", "900.00", None),
                              ("4", "FR", "40303265045", "S", "-200.00", "42026")]
    assert sum(D(c[4]) for c in _clients(root)) == D(listing.get("AmountSum")) == f.listing_total
    assert render_intervat_listing(f.listing, f.period, SELLER) == data  # deterministic


def test_monthly_listings_are_valid():
    f, data = _listing("2027-01")
    root = _valid(data)
    listing = root.find("i:IntraListing", N)
    assert listing.get("DeclarantReference") == "IC202701" and listing.get("AmountSum") == "109.75"
    assert [(etree.QName(e).localname, e.text) for e in listing.find("i:Period", N)] == [("Month", "1"),
                                                                                         ("Year", "2027")]
    corr = root.find("i:IntraListing/i:IntraClient[2]/i:CorrectingPeriod", N)
    assert [(etree.QName(e).localname, e.text) for e in corr] == [("Month", "11"), ("Year", "2026")]
    assert _clients(_valid(_listing("2027-02")[1])) == [("1", "NL", "004495445B01", "S", "900.00", None)]
    assert _clients(_valid(_listing("2027-03")[1])) == [("1", "DE", "136695976", "S", "250.00", None)]


def test_a_listing_of_only_corrections_sums_negative_and_is_valid():
    docs = [document("2027-000004", date(2027, 1, 20), "FR", "200.00", credit_of=("2026-000050", date(2026, 11, 15)))]
    f = period_figures(parse_vat_period("2027Q1"), docs)
    root = _valid(render_intervat_listing(f.listing, f.period, SELLER))
    assert root.find("i:IntraListing", N).get("AmountSum") == "-200.00"


def test_greek_customers_are_issued_by_EL_and_names_are_escaped():
    rows = [ListingRow("EL", "094259216", "Χρυσοχοΐα & Υιοί", ("K9",), D("10.00"), documents=("2027-000001",))]
    seller = dataclasses.replace(SELLER, name="Goud & Zilver <BV>", phone="+32 3 123 45 67")
    root = _valid(render_intervat_listing(rows, parse_vat_period("2027Q3"), seller))
    assert root.find(".//c:Name", N).text == "Goud & Zilver <BV>"
    assert root.find(".//c:Phone", N).text == "+32 3 123 45 67"
    assert _clients(root) == [("1", "EL", "094259216", "S", "10.00", None)]


def test_optional_contact_details_that_the_schema_refuses_are_left_out():
    seller = dataclasses.replace(SELLER, email="boekhouding+btw@juweelsoft.be", phone="03/123.45.67")
    f = period_figures(parse_vat_period("2027Q1"), book())
    root = _valid(render_intervat_listing(f.listing, f.period, seller))
    assert root.find(".//c:EmailAddress", N) is None and root.find(".//c:Phone", N) is None


def test_the_schema_itself_refuses_what_the_writer_refuses():
    """The checks in the writer are the schema's: an empty listing, BE as issuer."""
    f, data = _listing("2027Q1")
    root = etree.fromstring(data)
    for client in root.findall("i:IntraListing/i:IntraClient", N):
        client.getparent().remove(client)
    assert not SCHEMA.validate(root)  # at least one IntraClient
    root = etree.fromstring(data)
    root.find("i:IntraListing/i:IntraClient/i:CompanyVATNumber", N).set("issuedBy", "BE")
    assert not SCHEMA.validate(root)
    root = etree.fromstring(data)
    root.find("i:IntraListing/i:IntraClient/i:Code", N).text = "G"
    assert not SCHEMA.validate(root)


def test_an_empty_period_has_no_listing_to_file():
    f = period_figures(parse_vat_period("2031Q1"), book())
    with pytest.raises(IntervatError, match="2031Q1: no customer of grids 44 or 48"):
        render_intervat_listing(f.listing, f.period, SELLER)


def test_a_customer_without_vat_number_stops_the_listing_with_its_documents():
    doc = document("2027-000001", date(2027, 1, 10), "DE", "300.00")
    doc = dataclasses.replace(doc, buyer=dataclasses.replace(doc.buyer, vat_number=None))
    f = period_figures(parse_vat_period("2027Q1"), [doc])
    with pytest.raises(IntervatError, match=r"Goldschmiede Schulz GmbH \(K0104\).*2027-000001.*klanten.xlsx"):
        render_intervat_listing(f.listing, f.period, SELLER)
    with pytest.raises(IntervatError, match="BE 0477472701"):
        render_intervat_listing([ListingRow("BE", "0477472701", "X", ("K1",), D("1.00"))], f.period, SELLER)


def test_a_seller_without_belgian_vat_number_cannot_file():
    seller = dataclasses.replace(SELLER, vat_number="NL004495445B01")
    f = period_figures(parse_vat_period("2027Q1"), book())
    with pytest.raises(IntervatError, match="seller.vat_number 'NL004495445B01'"):
        render_intervat_listing(f.listing, f.period, seller)
