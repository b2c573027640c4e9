"""The annual customer listing: selection, threshold, workbook and Intervat XML."""

from __future__ import annotations

import dataclasses
import io
from datetime import date
from decimal import Decimal as D

import openpyxl
from lxml import etree

from batch.documents.listing import (
    NS, NS_COMMON, ListingRow, build_listing, render_listing_xlsx, render_listing_xml,
)
from batch.model import Party, VatSubtotal
from batch.settings import Seller
from tests.samples import BUYERS, sample_invoice

SELLER = Seller()


def invoice_for(net: str, vat_number: str = "BE0477472701", *, name: str = "Juwelier Peeters BV",
                customer_id: str = "K0001", number: str = "2026-000001", issue: date = date(2026, 3, 5),
                country: str = "BE", document_type: str = "invoice"):
    """A sample invoice re-priced to ``net`` excl. VAT (21 %) for one buyer."""
    base = sample_invoice("S", number=number, document_type=document_type)
    net_d = D(net)
    vat = (net_d * D("0.21")).quantize(D("0.01"))
    buyer = dataclasses.replace(BUYERS["S"], name=name, vat_number=vat_number, country=country,
                                customer_id=customer_id)
    return dataclasses.replace(base, buyer=buyer, customer_id=customer_id, issue_date=issue, net=net_d,
                               vat=vat, total=net_d + vat,
                               vat_breakdown=(VatSubtotal("S", D("21"), net_d, vat),))


def test_threshold_is_strictly_more_than_250():
    invoices = [
        invoice_for("249.99", "BE0477472701", customer_id="K1"),
        invoice_for("250.00", "BE0403019261", customer_id="K2"),
        invoice_for("250.01", "BE0202239951", customer_id="K3", name="Goudsmid Janssens"),
    ]
    rows = build_listing(2026, SELLER, invoices)
    assert rows == [ListingRow("0202239951", "Goudsmid Janssens", D("250.01"), D("52.50"), ("K3",))]


def test_credit_notes_subtract_and_only_the_year_counts():
    invoices = [
        invoice_for("400.00", number="2026-000001"),
        invoice_for("100.00", number="2026-000002", document_type="credit_note"),
        invoice_for("900.00", number="2025-000009", issue=date(2025, 12, 31)),
        invoice_for("900.00", number="2027-000001", issue=date(2027, 1, 1)),
    ]
    (row,) = build_listing(2026, SELLER, invoices)
    assert (row.turnover, row.vat) == (D("300.00"), D("63.00"))
    credit_below = invoices[:1] + [invoice_for("150.00", number="2026-000003", document_type="credit_note")]
    assert build_listing(2026, SELLER, credit_below) == []  # 250.00 left: not more than 250


def test_only_belgian_customers_with_a_valid_belgian_vat_number():
    invoices = [
        invoice_for("1000.00", "BE0477472702", customer_id="bad-checksum"),
        invoice_for("1000.00", None, customer_id="no-vat"),
        invoice_for("1000.00", "FR40303265045", country="FR", customer_id="french"),
        invoice_for("1000.00", "BE0403170701", customer_id="seller-itself"),
        invoice_for("1000.00", "BE 0477.472.701", customer_id="K0001"),
        invoice_for("500.00", "BE0477472701", customer_id="K0001b", number="2026-000002",
                    name="Juwelier Peeters BV (filiaal)", issue=date(2026, 6, 1)),
    ]
    (row,) = build_listing(2026, SELLER, invoices)
    # two customer ids sharing one VAT number: one row, amounts added, the latest name
    assert row == ListingRow("0477472701", "Juwelier Peeters BV (filiaal)", D("1500.00"), D("315.00"),
                             ("K0001", "K0001b"))


def test_xml_is_well_formed_with_the_right_totals():
    rows = [ListingRow("0202239951", "Goudsmid Janssens", D("250.01"), D("52.50")),
            ListingRow("0477472701", "Juwelier Peeters BV", D("1500.00"), D("315.00"))]
    data = render_listing_xml(rows, 2026, SELLER)
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    root = etree.fromstring(data)
    ns = {"c": NS, "i": NS_COMMON}
    assert root.tag == f"{{{NS}}}ClientListingConsignment" and root.get("ClientListingsNbr") == "1"
    listing = root.find("c:ClientListing", ns)
    assert (listing.get("ClientsNbr"), listing.get("TurnOverSum"), listing.get("VATAmountSum")) == \
        ("2", "1750.01", "367.50")
    assert listing.get("DeclarantReference") == "04031707012026"
    assert listing.find("c:Declarant/i:VATNumber", ns).text == "0403170701"
    assert listing.find("c:Declarant/i:Name", ns).text == SELLER.name
    assert listing.find("c:Period", ns).text == "2026"
    # element order of the schema: Declarant, Period, then the clients
    assert [etree.QName(e).localname for e in listing] == ["Declarant", "Period", "Client", "Client"]
    clients = listing.findall("c:Client", ns)
    assert [c.get("SequenceNumber") for c in clients] == ["1", "2"]
    vat_el = clients[1].find("c:CompanyVATNumber", ns)
    assert (vat_el.get("issuedBy"), vat_el.text) == ("BE", "0477472701")
    assert clients[1].find("c:TurnOver", ns).text == "1500.00"
    assert clients[1].find("c:VATAmount", ns).text == "315.00"
    assert sum(D(c.find("c:TurnOver", ns).text) for c in clients) == D(listing.get("TurnOverSum"))
    assert render_listing_xml(rows, 2026, SELLER) == data  # deterministic


def test_xml_nihil_listing():
    listing = etree.fromstring(render_listing_xml([], 2026, SELLER)).find(f"{{{NS}}}ClientListing")
    assert (listing.get("ClientsNbr"), listing.get("TurnOverSum"), listing.get("VATAmountSum")) == \
        ("0", "0.00", "0.00")


def test_xml_escapes_names():
    seller = dataclasses.replace(SELLER, name="Goud & Zilver <BV>")
    root = etree.fromstring(render_listing_xml([], 2026, seller))
    assert root.find(f".//{{{NS_COMMON}}}Name").text == "Goud & Zilver <BV>"


def test_workbook_lists_the_rows_with_totals():
    rows = [ListingRow("0202239951", "=Goudsmid Janssens", D("250.01"), D("52.50"), ("K3",)),
            ListingRow("0477472701", "Juwelier Peeters BV", D("1500.00"), D("315.00"), ("K1", "K2"))]
    data = render_listing_xlsx(rows, 2026, SELLER)
    assert data == render_listing_xlsx(rows, 2026, SELLER)
    wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    ws = wb["Klantenlisting"]
    table = ws.tables["Klantenlisting"]
    cells = ws[table.ref]
    headers = [c.value for c in cells[0]]
    body = [dict(zip(headers, (c.value for c in r))) for r in cells[1:-1]]
    total = dict(zip(headers, (c.value for c in cells[-1])))
    assert [(r["Btw-nummer"], r["Naam"], r["Klantnummer(s)"]) for r in body] == [
        ("BE0202239951", "=Goudsmid Janssens", "K3"), ("BE0477472701", "Juwelier Peeters BV", "K1, K2")]
    assert D(str(total["Omzet excl. btw"])) == D("1750.01") and D(str(total["Btw"])) == D("367.5")
    assert ws.freeze_panes is not None
    formulas = openpyxl.load_workbook(io.BytesIO(data))["Klantenlisting"]
    assert all(not str(c.value).startswith("=") or str(c.value).startswith("=SUBTOTAL")
               for row in formulas.iter_rows() for c in row if c.data_type == "f")
    assert formulas["C8"].value == "=Goudsmid Janssens" and formulas["C8"].data_type == "s"  # a name starting with '=' stays text
