"""The Belgian annual customer listing ("jaarlijkse klantenlisting", art. 53quinquies WBTW):
the selection of customers, a workbook for people and the Intervat XML
(ClientListingConsignment, schema NewLK-in v0.9) for the tax administration.

Who is listed: customers with a valid Belgian VAT number (buyer country BE) whose turnover
excl. VAT over the calendar year — invoices minus credit notes, by issue date — is **more
than** 250.00 EUR. The FPS Finance describes the listing as the customers supplied "voor
een totaalbedrag van meer dan 250 euro (excl. btw)", so exactly 250.00 is left out.
Customers sharing one VAT number are listed once, with their amounts added up.

>>> from decimal import Decimal as D
>>> is_listed(D("250.00")), is_listed(D("250.01"))
(False, True)
"""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

import xlsxwriter
from xlsxwriter.utility import xl_range
from lxml import etree
from stdnum.be import vat as be_vat

from batch.model import Invoice
from batch.money import ZERO, cents, fmt_plain
from batch.settings import Seller

THRESHOLD = Decimal("250.00")
NS = "http://www.minfin.fgov.be/ClientListingConsignment"
NS_COMMON = "http://www.minfin.fgov.be/InputCommon"


@dataclass(frozen=True)
class ListingRow:
    vat_number: str  # compact, without the BE prefix: 0477472701
    name: str
    turnover: Decimal  # excl. VAT, credit notes subtracted
    vat: Decimal
    customer_ids: tuple[str, ...] = ()


def is_listed(turnover: Decimal) -> bool:
    """The legal threshold: strictly more than 250 EUR excl. VAT."""
    return turnover > THRESHOLD


def belgian_vat(number: str | None) -> str | None:
    """The compact 10-digit Belgian VAT number, or None when it is not a valid one.

    >>> belgian_vat("BE 0477.472.701"), belgian_vat("BE0477472702"), belgian_vat("FR40303265045")
    ('0477472701', None, None)
    """
    if not number:
        return None
    try:
        return be_vat.validate(number)
    except Exception:  # stdnum raises a family of ValidationError subclasses; any means "not valid"
        return None


def build_listing(year: int, seller: Seller, invoices: list[Invoice]) -> list[ListingRow]:
    """The rows of the listing for ``year``, sorted by VAT number.

    Only documents dated in ``year`` count; a credit note subtracts its amounts. The
    seller's own VAT number is never listed.
    """
    own = belgian_vat(seller.vat_number)
    turnover: dict[str, Decimal] = defaultdict(lambda: ZERO)
    vat: dict[str, Decimal] = defaultdict(lambda: ZERO)
    names: dict[str, tuple] = {}
    ids: dict[str, set] = defaultdict(set)
    for inv in invoices:
        if inv.issue_date.year != year or (inv.buyer.country or "").upper() != "BE":
            continue
        number = belgian_vat(inv.buyer.vat_number)
        if number is None or number == own:
            continue
        s = Decimal(-1) if inv.document_type == "credit_note" else Decimal(1)
        turnover[number] += s * inv.net
        vat[number] += s * inv.vat
        ids[number].add(inv.customer_id)
        latest = (inv.issue_date, inv.number or "")
        if number not in names or latest >= names[number][0]:
            names[number] = (latest, inv.buyer.name)
    return [ListingRow(n, names[n][1], cents(turnover[n]), cents(vat[n]), tuple(sorted(ids[n])))
            for n in sorted(turnover) if is_listed(cents(turnover[n]))]


def render_listing_xlsx(rows: list[ListingRow], year: int, seller: Seller) -> bytes:
    """The listing as a workbook (Dutch, one A4 page wide), for the accountant to check."""
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                      "strings_to_urls": False, "strings_to_numbers": False})
    wb.set_properties({"title": f"Klantenlisting {year}", "author": seller.name,
                       "company": seller.name, "created": _fixed_created(year)})
    money = wb.add_format({"num_format": '#,##0.00 "€"_);[Red]-#,##0.00 "€"_)', "valign": "top"})
    left = wb.add_format({"align": "left", "valign": "top"})
    bold = wb.add_format({"bold": True})
    ws = wb.add_worksheet("Klantenlisting")
    ws.set_portrait()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.hide_gridlines(2)
    ws.set_footer(f"&L{_hf(seller.name)} — klantenlisting {year}&RPagina &P / &N")
    ws.write_string(0, 0, f"Jaarlijkse klantenlisting {year}", wb.add_format({"bold": True, "font_size": 14}))
    info = [("Aangever", seller.name), ("Btw-nummer", seller.vat_number),
            ("Adres", f"{seller.street}, {seller.postcode} {seller.city}"),
            ("Drempel", f"omzet excl. btw meer dan {fmt_plain(THRESHOLD)} EUR")]
    for i, (k, v) in enumerate(info, start=1):
        ws.write_string(i, 0, k, bold)
        ws.write_string(i, 1, v)
    top = len(info) + 2
    n = max(len(rows), 1)
    last = top + n + (1 if rows else 0)
    header = wb.add_format({"bold": True, "font_color": "#FFFFFF", "bg_color": "#1F4E78"})
    header_num = wb.add_format({"bold": True, "font_color": "#FFFFFF", "bg_color": "#1F4E78",
                                "align": "right"})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})

    def subtotal(col: int, value: Decimal) -> dict:
        # a plain range (LibreOffice cannot evaluate structured references to "Omzet excl. btw")
        return {"total_function": f"SUBTOTAL(109,{xl_range(top + 1, col, top + n, col)})",
                "total_value": float(value)}

    ws.add_table(top, 0, last, 5, {
        "name": "Klantenlisting", "style": "Table Style Medium 2", "total_row": bool(rows),
        "columns": [
            {"header": "Nr", "header_format": header, "total_string": "Totaal"},
            {"header": "Btw-nummer", "header_format": header},
            {"header": "Naam", "header_format": header, "format": wrap},
            {"header": "Klantnummer(s)", "header_format": header, "format": wrap},
            {"header": "Omzet excl. btw", "header_format": header_num, "format": money,
             **subtotal(4, sum((r.turnover for r in rows), ZERO))},
            {"header": "Btw", "header_format": header_num, "format": money,
             **subtotal(5, sum((r.vat for r in rows), ZERO))},
        ],
    })
    for i, r in enumerate(rows, start=top + 1):
        ws.write_number(i, 0, i - top, left)
        ws.write_string(i, 1, f"BE{r.vat_number}")
        ws.write_string(i, 2, r.name, wrap)
        ws.write_string(i, 3, ", ".join(r.customer_ids), wrap)
        ws.write_number(i, 4, float(r.turnover), money)
        ws.write_number(i, 5, float(r.vat), money)
    if not rows:
        ws.write_string(top + 1, 2, "Nihil: geen klanten boven de drempel")
    name_width = max([len(r.name) for r in rows] + [len(seller.name), 30])
    ws.set_column(0, 0, 12)
    ws.set_column(1, 1, 16)
    ws.set_column(2, 2, min(name_width + 2, 50))
    ws.set_column(3, 3, 20)
    ws.set_column(4, 5, 17)
    ws.freeze_panes(top + 1, 0)
    ws.repeat_rows(top)
    wb.close()
    return buffer.getvalue()


def _hf(text: str) -> str:
    return text.replace("&", "&&")


def _fixed_created(year: int):
    from datetime import datetime

    return datetime(year + 1, 1, 1)


def render_listing_xml(rows: list[ListingRow], year: int, seller: Seller) -> bytes:
    """The listing as Intervat XML (ClientListingConsignment), UTF-8, deterministic.

    One ClientListing, declared by the seller itself (no Representative);
    DeclarantReference = enterprise number + year. An empty ``rows`` gives a nihil listing
    (ClientsNbr 0, sums 0.00).
    """
    nsmap = {None: NS_COMMON, "ns2": NS}
    root = etree.Element(f"{{{NS}}}ClientListingConsignment", nsmap=nsmap, ClientListingsNbr="1")
    listing = etree.SubElement(root, f"{{{NS}}}ClientListing", {
        "SequenceNumber": "1",
        "ClientsNbr": str(len(rows)),
        "DeclarantReference": f"{seller.company_id}{year}",
        "TurnOverSum": fmt_plain(sum((r.turnover for r in rows), ZERO)),
        "VATAmountSum": fmt_plain(sum((r.vat for r in rows), ZERO)),
    })
    declarant = etree.SubElement(listing, f"{{{NS}}}Declarant")
    for tag, value in (("VATNumber", seller.company_id), ("Name", seller.name),
                       ("Street", seller.street), ("PostCode", seller.postcode),
                       ("City", seller.city), ("CountryCode", seller.country),
                       ("EmailAddress", seller.email), ("Phone", seller.phone)):
        if value:
            etree.SubElement(declarant, f"{{{NS_COMMON}}}{tag}").text = value
    etree.SubElement(listing, f"{{{NS}}}Period").text = str(year)
    for seq, r in enumerate(rows, start=1):
        client = etree.SubElement(listing, f"{{{NS}}}Client", SequenceNumber=str(seq))
        etree.SubElement(client, f"{{{NS}}}CompanyVATNumber", issuedBy="BE").text = r.vat_number
        etree.SubElement(client, f"{{{NS}}}TurnOver").text = fmt_plain(r.turnover)
        etree.SubElement(client, f"{{{NS}}}VATAmount").text = fmt_plain(r.vat)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
