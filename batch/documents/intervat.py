"""The intra-community listing of a VAT period (form 723, "intracommunautaire opgave") as
Intervat XML: ``output/btw-PERIOD/intervat-listing.xml``.

Schema NewICO-in v0.9 of the FPS Finance (root ``IntraConsignment``, namespace
``http://www.minfin.fgov.be/IntraConsignment``; the declarant's details in the ``InputCommon``
namespace). ``tests/test_intervat.py`` validates the output against the official XSD kept in
``tests/data/intervat/``.

One ``IntraListing`` declared by the seller itself (no representative), for one quarter or one
month. One ``IntraClient`` per row of :attr:`batch.vat_period.PeriodFigures.listing`: code S
(services), the customer's VAT number without its prefix and the member state that issued it,
the amount (signed, two decimals); a credit note on an earlier period's invoice is a row of its
own with a negative amount and a ``CorrectingPeriod``. ``DeclarantReference`` is ``IC`` + the
period (``IC2027Q1``, ``IC202701``: at most 14 characters).

The schema wants at least one client: a period without customers of grids 44 and 48 has no
listing to file, and :func:`render_intervat_listing` refuses it (check ``figures.listing``
first). The optional e-mail and phone of the declarant are written only when they fit the
schema's patterns (an address with ``+`` does not), never to make the file invalid.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from lxml import etree
from stdnum.be import vat as be_vat

from ..money import ZERO, fmt_plain
from ..problems import BijstandError
from ..settings import Seller
from ..vat_period import MONTH, ListingRow, VatPeriod

NS = "http://www.minfin.fgov.be/IntraConsignment"
NS_COMMON = "http://www.minfin.fgov.be/InputCommon"
FILE_NAME = "intervat-listing.xml"

# the member states the schema accepts as issuer of a customer's VAT number (IntervatIsoTypes v0.9)
MEMBER_STATES = frozenset({"AT", "BG", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "EL", "HU", "IE", "IT", "LV",
                           "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "HR", "XI"})
_EMAIL = re.compile(r"^[a-zA-Z0-9_\-.]+@[a-zA-Z0-9_\-.]+\.[a-zA-Z]{2,5}$")
_PHONE = re.compile(r"^\+?[0-9 \-]{0,20}$")


class IntervatError(BijstandError):
    """The listing cannot be written as a valid Intervat file; the message says what to fix."""


def declarant_reference(period: VatPeriod) -> str:
    """``IC2027Q1`` / ``IC202701``.

    >>> from batch.vat_period import parse_vat_period
    >>> declarant_reference(parse_vat_period("2027Q1")), declarant_reference(parse_vat_period("2027-01"))
    ('IC2027Q1', 'IC202701')
    """
    return "IC" + period.label.replace("-", "")


def _check(rows: Sequence[ListingRow], period: VatPeriod, seller: Seller) -> str:
    """The declarant's 10-digit VAT number; IntervatError for anything the schema would refuse."""
    try:
        declarant = be_vat.validate(seller.vat_number)
    except Exception:  # stdnum's ValidationError family: any of them means not a Belgian VAT number
        raise IntervatError(f"seller.vat_number {seller.vat_number!r} is not a Belgian VAT number: only a Belgian "
                            f"VAT-registered seller files an intra-community listing — fix it in bijstand.toml") from None
    if not rows:
        raise IntervatError(f"{period.label}: no customer of grids 44 or 48, so there is no intra-community listing "
                            f"to file (Intervat takes no empty listing)")
    bad = [r for r in rows if not r.vat_number or r.country not in MEMBER_STATES or len(r.vat_number) > 12]
    if bad:
        listed = "; ".join(f"{r.customer_name} ({', '.join(r.customer_ids)}): "
                           f"{(r.country + ' ' + r.vat_number).strip() or 'no VAT number'}, documents "
                           f"{', '.join(r.documents)}" for r in bad)
        raise IntervatError(f"{period.label}: the intra-community listing needs each customer's VAT number from "
                            f"another EU member state — {listed} — fill it in in klanten.xlsx (column "
                            f"btw-nummer) and credit and reissue the documents")
    return declarant


def _period(parent, tag: str, period: VatPeriod) -> None:
    el = etree.SubElement(parent, f"{{{NS}}}{tag}")
    etree.SubElement(el, f"{{{NS}}}{'Month' if period.kind == MONTH else 'Quarter'}").text = str(period.index)
    etree.SubElement(el, f"{{{NS}}}Year").text = str(period.year)


def render_intervat_listing(rows: Sequence[ListingRow], period: VatPeriod, seller: Seller) -> bytes:
    """The listing ``rows`` of ``period`` as Intervat XML (UTF-8, deterministic).

    Raises :class:`IntervatError` for an empty listing, a row without a usable VAT number, or a
    seller without a Belgian VAT number.
    """
    declarant_vat = _check(rows, period, seller)
    total = sum((r.amount for r in rows), ZERO)
    root = etree.Element(f"{{{NS}}}IntraConsignment", nsmap={None: NS_COMMON, "ns2": NS}, IntraListingsNbr="1")
    listing = etree.SubElement(root, f"{{{NS}}}IntraListing", {
        "SequenceNumber": "1",
        "ClientsNbr": str(len(rows)),
        "DeclarantReference": declarant_reference(period),
        "AmountSum": fmt_plain(total),
    })
    declarant = etree.SubElement(listing, f"{{{NS}}}Declarant")
    details = (
        ("VATNumber", declarant_vat),
        ("Name", seller.name[:200]),
        ("Street", seller.street[:200]),
        ("PostCode", seller.postcode[:15]),
        ("City", seller.city[:184]),
        ("CountryCode", seller.country if seller.country in MEMBER_STATES | {"BE"} else ""),
        ("EmailAddress", seller.email if _EMAIL.match(seller.email or "") else ""),
        ("Phone", seller.phone if seller.phone and _PHONE.match(seller.phone) else ""),
    )
    for tag, value in details:
        if value:
            etree.SubElement(declarant, f"{{{NS_COMMON}}}{tag}").text = value
    _period(listing, "Period", period)
    for seq, row in enumerate(rows, start=1):
        client = etree.SubElement(listing, f"{{{NS}}}IntraClient", SequenceNumber=str(seq))
        etree.SubElement(client, f"{{{NS}}}CompanyVATNumber", issuedBy=row.country).text = row.vat_number
        etree.SubElement(client, f"{{{NS}}}Code").text = row.code
        etree.SubElement(client, f"{{{NS}}}Amount").text = fmt_plain(row.amount)
        if row.corrects is not None:
            _period(client, "CorrectingPeriod", row.corrects)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
