"""The Peppol file of an invoice: UBL 2.1 Invoice (380) or CreditNote (381) following
Peppol BIS Billing 3.0 (``peppol/<number>.xml``).

Built with lxml from a :class:`batch.model.Invoice`; deterministic (same invoice, same bytes:
no timestamps, fixed element order), UTF-8 with an XML declaration, control characters
stripped from every text. Every line satisfies PEPPOL-EN16931-R120 exactly: line amount =
quantity × price ÷ base quantity (see :func:`line_pricing`).

Choices where the BIS leaves room (they are in the README):

- Seller endpoint: ``seller.peppol_id`` ("scheme:id"), else 0208 + enterprise number.
- Buyer endpoint (BT-49, mandatory): ``buyer.peppol_id``; else a Belgian buyer's 0208 +
  enterprise number; else the EAS VAT scheme of the buyer's VAT number in compact form
  (9957 FR, 9944 NL, 9938 LU, ...), when python-stdnum finds that number valid. A buyer with
  none of them gets no UBL file at all (SPEC §9 L6; :func:`has_peppol_address`), never a
  placeholder address; an invalid VAT number is neither an address nor a CompanyID.
- Texts (notes, item names and descriptions, payment terms) are in the document's legal
  language (SPEC §9 L1), module names in that language.
- Seller's additional legal information (BT-33): legal form, register, website (SPEC §9 L2).
- A credit note carries the VAT repayment mention as its note when it credits VAT (§9 L5).
- The visual representation embedded is the document's PDF (SPEC §11 D4).
- Payment: means code 58 (SEPA credit transfer), PaymentID = the Belgian structured
  reference as printed (+++123/4567/89012+++), IBAN and BIC. A credit note carries no
  payment means (the buyer pays nothing).
- VAT category O (customer outside the EU): no VAT identifier of seller or buyer (BR-O-02),
  no rate (BR-O-05), the seller stays identified by its enterprise number (BR-CO-26).
"""

from __future__ import annotations

import base64
import re
from datetime import date
from decimal import Decimal

from lxml import etree
from stdnum import get_cc_module
from stdnum.eu import vat as eu_vat

from ..model import Invoice, InvoiceLine, Party
from ..money import cents
from . import i18n
from .invoice_layout import (UNIT_HOUR, UNIT_MONTH, UNIT_ONE, line_pricing, minutes_text,  # noqa: F401
                             module_name, partial_month_text, unit_code)

CUSTOMIZATION_ID = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PROFILE_ID = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
CURRENCY = "EUR"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_MIME = "application/pdf"
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
PAYMENT_MEANS_CODE = "58"  # SEPA credit transfer (UNCL 4461)

NS_INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
NS_CREDIT_NOTE = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"

# EAS codes (Peppol code list, May 2026 release) for a VAT number, by its country prefix.
# Italy (0211), Sweden (0007) and Denmark (0184) use a registry number derived from the VAT
# number; Finland's former VAT scheme 0213 was withdrawn in May 2026 and has no successor here.
VAT_EAS = {
    "AT": "9914", "BE": "9925", "BG": "9926", "CY": "9928", "CZ": "9929", "DE": "9930",
    "EE": "9931", "EL": "9933", "GR": "9933", "ES": "9920", "FR": "9957", "HR": "9934",
    "HU": "9910", "IE": "9935", "LT": "9937", "LU": "9938", "LV": "9939", "MT": "9943",
    "NL": "9944", "PL": "9945", "PT": "9946", "RO": "9947", "SI": "9949", "SK": "9950",
    "GB": "9932", "CH": "9927", "SM": "9951", "MC": "9940", "LI": "9936",
}

# VAT exemption reason codes (VATEX) per category that needs one
EXEMPTION_CODE = {"AE": "VATEX-EU-AE", "O": "VATEX-EU-O", "G": "VATEX-EU-G"}
EXEMPTION_TEXT_KEY = {"AE": "mention.reverse_charge", "O": "mention.outside_eu",
                      "G": "vat.category.G"}

# C0/C1 control characters (tab, LF and CR stay), surrogates and the non-characters XML forbids
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean(text: object) -> str:
    """Text safe for XML: control characters removed, surrounding space trimmed.

    >>> clean("Juwelier\\x00 Peeters\\x1b ")
    'Juwelier Peeters'
    >>> clean("a\\tb\\nc")
    'a\\tb\\nc'
    """
    return _CONTROL.sub("", str(text)).strip()


def amount(value: Decimal) -> str:
    """An amount with exactly two decimals.

    >>> amount(Decimal("374.8")), amount(Decimal("-0.005"))
    ('374.80', '-0.01')
    """
    return f"{cents(value):.2f}"


def number(value: Decimal) -> str:
    """A quantity in plain notation: no exponent, no useless trailing zeros.

    >>> number(Decimal("3")), number(Decimal("0.250")), number(Decimal("1E+1"))
    ('3', '0.25', '10')
    """
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def enterprise_number(party: Party) -> str | None:
    """The Belgian enterprise number (10 digits) of a party, from company_id or a BE VAT.

    >>> enterprise_number(Party(name="x", vat_number="BE0477472701"))
    '0477472701'
    >>> enterprise_number(Party(name="x", country="FR", vat_number="FR40303265045")) is None
    True
    """
    if party.company_id:
        digits = re.sub(r"\D", "", party.company_id)
        if digits:
            return digits.zfill(10)
    vat = (party.vat_number or "").replace(" ", "").upper()
    if vat.startswith("BE"):
        return re.sub(r"\D", "", vat).zfill(10)
    return None


def _split_peppol_id(peppol_id: str | None) -> tuple[str, str] | None:
    """("0208", "0477472701") from "0208:0477472701" or "iso6523-actorid-upis::0208:0477472701".

    >>> _split_peppol_id("iso6523-actorid-upis::0009:12345678200077")
    ('0009', '12345678200077')
    >>> _split_peppol_id("0477472701") is None
    True
    """
    text = (peppol_id or "").strip()
    if "::" in text:  # full participant identifier with its scheme
        text = text.split("::", 1)[1]
    scheme, _, ident = text.partition(":")
    scheme, ident = scheme.strip(), ident.strip()
    return (scheme, ident) if scheme and ident else None


def seller_endpoint(seller: Party) -> tuple[str, str]:
    """(schemeID, id) of the seller's electronic address.

    >>> seller_endpoint(Party(name="x", vat_number="BE0403170701", company_id="0403170701"))
    ('0208', '0403170701')
    """
    given = _split_peppol_id(seller.peppol_id)
    if given:
        return given
    ent = enterprise_number(seller)
    if ent:
        return "0208", ent
    vat = (seller.vat_number or "").replace(" ", "").upper()
    if vat[:2] in VAT_EAS:
        return VAT_EAS[vat[:2]], vat
    raise ValueError(f"seller {seller.name!r} has no Peppol id, enterprise number or VAT number")


class NoPeppolAddress(ValueError):
    """The buyer has no Peppol address: no UBL file may be written for it (SPEC §9 L6)."""


def compact_vat(vat: str | None) -> str:
    """A VAT number in its compact form: upper case, no spaces or punctuation.

    >>> compact_vat("CHE-100.000.006 MWST"), compact_vat("nl 1234.56.789.b12")
    ('CHE100000006MWST', 'NL123456789B12')
    """
    return re.sub(r"[^0-9A-Z]", "", (vat or "").upper())


def valid_vat(vat: str | None) -> bool:
    """Whether ``vat`` is a valid VAT number by python-stdnum (the EU's rules per member state, or the
    country's own module for CH, GB, …). An invalid number is no Peppol address and no CompanyID
    (SPEC §9 L6): a UBL never carries an identifier the tax administration would not recognise.

    >>> valid_vat("NL004495445B01"), valid_vat("nl 1234.56.789.b12"), valid_vat("CHE-100.000.006 MWST")
    (True, False, True)
    >>> valid_vat(""), valid_vat("XX123"), valid_vat("€")
    (False, False, False)
    """
    vat = compact_vat(vat)
    if len(vat) < 3 or not vat[:2].isalpha():
        return False
    prefix = vat[:2]
    try:
        if prefix.lower() in eu_vat.MEMBER_STATES:
            return bool(eu_vat.is_valid(vat))
        module = get_cc_module(prefix.lower(), "vat")
        return bool(module is not None and module.is_valid(vat))
    except Exception:  # stdnum is robust; never let a stored number crash a document
        return False


def buyer_endpoint(buyer: Party) -> tuple[str, str] | None:
    """(schemeID, id) of the buyer's Peppol address (BT-49), or None when it has none (SPEC §9 L6).

    The buyer's ``peppol-id``; else a Belgian buyer's 0208 + enterprise number; else the EAS
    scheme of its VAT number when that number is valid (:func:`valid_vat`; 9957 FR, 9944 NL, 9938 LU, …, or the registry scheme Italy,
    Denmark and Sweden use), in compact form. Never a placeholder: a buyer without any of them
    gets no UBL file (the run lists its document for delivery by e-mail or post).

    >>> buyer_endpoint(Party(name="x", country="FR", vat_number="FR 40 303 265 045"))
    ('9957', 'FR40303265045')
    >>> buyer_endpoint(Party(name="x", country="CH", vat_number="CHE-100.000.006 MWST"))
    ('9927', 'CHE100000006MWST')
    >>> buyer_endpoint(Party(name="x", country="GB")) is None
    True
    >>> buyer_endpoint(Party(name="x", country="NL", vat_number="nl 1234.56.789.b12")) is None
    True
    """
    return _buyer_endpoint(buyer)


def _buyer_endpoint(buyer: Party) -> tuple[str, str] | None:
    given = _split_peppol_id(buyer.peppol_id)
    if given:
        return given
    if (buyer.country or "BE").upper() == "BE":
        ent = enterprise_number(buyer)
        if ent:
            return "0208", ent
    vat = compact_vat(buyer.vat_number)
    prefix = vat[:2]
    if len(vat) > 2 and valid_vat(vat):  # an invalid VAT number is no address (SPEC §9 L6)
        if prefix == "BE":
            return "0208", enterprise_number(buyer) or vat[2:]
        if prefix == "IT":
            return "0211", vat[2:]
        if prefix == "DK":
            return "0184", vat[2:]
        if prefix == "SE" and len(vat) == 14:
            return "0007", vat[2:12]
        if prefix in VAT_EAS:
            return VAT_EAS[prefix], vat
    return None


def has_peppol_address(invoice: Invoice) -> bool:
    """Whether a UBL file can be written for ``invoice``: its buyer has a Peppol address (SPEC §9 L6)."""
    return _buyer_endpoint(invoice.buyer) is not None


def seller_legal_information(seller: Party) -> str:
    """BT-33, the seller's additional legal information (WVV art. 2:20, SPEC §9 L2): legal
    form, register with its court division, website.

    >>> seller_legal_information(Party(name="x", legal_form="BV", register="RPR Antwerpen, afdeling Antwerpen"))
    'BV · RPR Antwerpen, afdeling Antwerpen'
    """
    return " · ".join(x.strip() for x in (seller.legal_form, seller.register, seller.website) if x and x.strip())


# --- lines --------------------------------------------------------------------------------


def price_text(price: Decimal) -> str:
    """A unit price: two decimals, more only when the price has them.

    >>> price_text(Decimal("75")), price_text(Decimal("24.675"))
    ('75.00', '24.675')
    """
    return f"{price:.2f}" if price == price.quantize(Decimal("0.01")) else number(price)


def _item_name(line: InvoiceLine, lang: str) -> str:
    if line.kind == "fee":
        return i18n.t("item.fee", lang, module=module_name(line, lang))
    if line.kind == "regie":
        return i18n.t("item.regie", lang, id=line.intervention_id or "")
    return i18n.t("item.upgrade", lang)


def _item_description(line: InvoiceLine, lang: str, qty: Decimal) -> str:
    parts: list[str] = []
    if line.kind == "fee":
        if line.period_start and line.period_end:
            parts.append(i18n.format_period(line.period_start, line.period_end, lang))
        if line.days and line.days_in_month:
            parts.append(partial_month_text(line, lang))
        elif line.monthly_fee is not None:
            parts.append(f"{i18n.format_money(line.monthly_fee, lang)}{i18n.t('unit.per_month', lang)}")
    elif line.kind == "regie":
        if line.date:
            parts.append(i18n.format_date(line.date, lang))
        parts.append(" — ".join(p for p in (i18n.channel_name(line.channel, lang),
                                             i18n.category_name(line.category, lang)) if p))
        if line.minutes is not None and line.billed_minutes is not None:
            parts.append(minutes_text(line.minutes, line.billed_minutes, lang))
        if line.reason:
            parts.append(i18n.reason_text(line.reason, lang))
    elif line.kind == "upgrade":
        if line.licence_value is not None and line.months is not None:
            unit = i18n.t("unit.month" if line.months == 1 else "unit.months", lang)
            parts.append(i18n.t("upgrade.formula", lang, value=i18n.format_money(line.licence_value, lang),
                                months=line.months, unit=unit))
            if line.period_start and line.period_end:
                parts.append(i18n.t("upgrade.period", lang, months=line.months, unit=unit,
                                    period=i18n.format_period(line.period_start, line.period_end, lang)))
    if qty != line.quantity:  # quantity folded into one unit by line_pricing
        parts.append(f"{i18n.t('col.quantity', lang)}: {i18n.format_quantity(line.quantity, lang)}")
    if line.description:
        parts.append(line.description)
    return "; ".join(clean(p) for p in parts if p and clean(p))


# --- builder ------------------------------------------------------------------------------


class _Builder:
    def __init__(self, root_ns: str, root_name: str):
        self.root = etree.Element(f"{{{root_ns}}}{root_name}",
                                  nsmap={None: root_ns, "cac": CAC, "cbc": CBC})

    @staticmethod
    def cbc(parent, name: str, text: object, **attrs) -> etree._Element:
        el = etree.SubElement(parent, f"{{{CBC}}}{name}")
        el.text = clean(text)
        for key, value in attrs.items():
            el.set(key, clean(value))
        return el

    @staticmethod
    def cac(parent, name: str) -> etree._Element:
        return etree.SubElement(parent, f"{{{CAC}}}{name}")

    def money(self, parent, name: str, value: Decimal) -> etree._Element:
        return self.cbc(parent, name, amount(value), currencyID=CURRENCY)


def document_period(invoice: Invoice) -> tuple[date | None, date | None]:
    """The invoice period (BG-14): the agreement period billed, widened to every fee line's
    period so that each line period lies inside it (PEPPOL-EN16931-R110/R111). Regie and
    upgrade lines carry no line period (their dates are in the item description): the
    interventions of the previous quarter would otherwise fall outside it.
    """
    starts = [d for d in [invoice.period_start] + [l.period_start for l in invoice.lines
                                                     if l.kind == "fee"] if d]
    ends = [d for d in [invoice.period_end] + [l.period_end for l in invoice.lines
                                               if l.kind == "fee"] if d]
    return (min(starts) if starts else None, max(ends) if ends else None)


def _iso(d: date) -> str:
    return d.isoformat()


def _party(b: _Builder, parent, party: Party, endpoint: tuple[str, str] | None, with_vat: bool,
           legal_id: str | None, legal_information: str = "") -> None:
    p = b.cac(parent, "Party")
    if endpoint is not None:
        b.cbc(p, "EndpointID", endpoint[1], schemeID=endpoint[0])
    if party.customer_id:
        b.cbc(b.cac(p, "PartyIdentification"), "ID", party.customer_id)
    b.cbc(b.cac(p, "PartyName"), "Name", party.name)
    addr = b.cac(p, "PostalAddress")
    if party.street:
        b.cbc(addr, "StreetName", party.street)
    if party.city:
        b.cbc(addr, "CityName", party.city)
    if party.postcode:
        b.cbc(addr, "PostalZone", party.postcode)
    b.cbc(b.cac(addr, "Country"), "IdentificationCode", (party.country or "BE").upper())
    if with_vat and party.vat_number and valid_vat(party.vat_number):  # never an invalid CompanyID
        pts = b.cac(p, "PartyTaxScheme")
        b.cbc(pts, "CompanyID", compact_vat(party.vat_number))
        b.cbc(b.cac(pts, "TaxScheme"), "ID", "VAT")
    ple = b.cac(p, "PartyLegalEntity")
    b.cbc(ple, "RegistrationName", party.name)
    if legal_id:
        b.cbc(ple, "CompanyID", legal_id, schemeID="0208")
    if legal_information:
        b.cbc(ple, "CompanyLegalForm", legal_information)
    if party.email or party.phone:
        contact = b.cac(p, "Contact")
        if party.phone:
            b.cbc(contact, "Telephone", party.phone)
        if party.email:
            b.cbc(contact, "ElectronicMail", party.email)


def _tax_category(b: _Builder, parent, name: str, category: str, rate: Decimal, lang: str,
                  with_reason: bool) -> None:
    tc = b.cac(parent, name)
    b.cbc(tc, "ID", category)
    if category != "O":  # BR-O-05 / BR-O-09: no rate for "not subject to VAT"
        b.cbc(tc, "Percent", number(rate) if rate else "0")
    if with_reason and category in EXEMPTION_CODE:
        b.cbc(tc, "TaxExemptionReasonCode", EXEMPTION_CODE[category])
        b.cbc(tc, "TaxExemptionReason", i18n.t(EXEMPTION_TEXT_KEY[category], lang))
    b.cbc(b.cac(tc, "TaxScheme"), "ID", "VAT")


def attachment_mime(data: bytes) -> str:
    """The mime code of an embedded document: a PDF or an xlsx workbook (by its first bytes).

    >>> attachment_mime(b"%PDF-1.7"), attachment_mime(b"PK\\x03\\x04")
    ('application/pdf', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    """
    if data.startswith(b"%PDF"):
        return PDF_MIME
    if data.startswith(b"PK"):
        return XLSX_MIME
    raise ValueError("the UBL can embed a PDF or an xlsx workbook only")


def render_ubl(invoice: Invoice, attachment: bytes | None = None,
               attachment_name: str | None = None, *, for_peppol: bool = True) -> bytes:
    """The UBL document of ``invoice`` as UTF-8 bytes with an XML declaration.

    ``for_peppol=False`` is the copy for the accounting package only (the VAT period's zip, SPEC §10):
    a buyer without a Peppol address then has no electronic address (BT-49, optional in EN 16931,
    mandatory in Peppol) instead of a refusal; it is never sent over Peppol.

    ``attachment``, the document's visual representation — its PDF (SPEC §11 D4) — is embedded
    as an AdditionalDocumentReference (base64) under ``attachment_name`` (default
    ``<number>.pdf``), with the mime code of what it is (a PDF, or an xlsx workbook).
    A draft (``number`` None) is rendered with the ID ``CONCEPT``.
    """
    credit = invoice.document_type == "credit_note"
    lang = i18n.language(invoice.legal_language or invoice.language)  # SPEC §9 L1: the legal language
    endpoint = _buyer_endpoint(invoice.buyer)
    if endpoint is None and for_peppol:
        raise NoPeppolAddress(f"buyer {invoice.buyer.name!r} ({invoice.customer_id}) has no Peppol address "
                              "(peppol-id, Belgian enterprise number or VAT number): no UBL file for it")
    root_ns, root_name = (NS_CREDIT_NOTE, "CreditNote") if credit else (NS_INVOICE, "Invoice")
    b = _Builder(root_ns, root_name)
    r = b.root
    number_text = invoice.number or "CONCEPT"
    categories = {s.category for s in invoice.vat_breakdown} | {l.vat_category for l in invoice.lines}
    not_subject = "O" in categories  # BR-O-02: no VAT identifiers at all

    b.cbc(r, "CustomizationID", CUSTOMIZATION_ID)
    b.cbc(r, "ProfileID", PROFILE_ID)
    b.cbc(r, "ID", number_text)
    b.cbc(r, "IssueDate", _iso(invoice.issue_date))
    if not credit:
        b.cbc(r, "DueDate", _iso(invoice.due_date))
        b.cbc(r, "InvoiceTypeCode", "380")
    else:
        b.cbc(r, "CreditNoteTypeCode", "381")
    notes = []
    if credit and invoice.credited_number:
        notes.append(i18n.t("credit.refers_to", lang, number=invoice.credited_number,
                            date=i18n.format_date(invoice.credited_date, lang)
                            if invoice.credited_date else ""))
    if credit and invoice.credit_reason:
        notes.append(i18n.t("credit.reason", lang, reason=invoice.credit_reason))
    if credit and invoice.vat:
        notes.append(i18n.t("mention.vat_repayment", lang))
    if notes:
        b.cbc(r, "Note", " — ".join(notes))
    b.cbc(r, "DocumentCurrencyCode", CURRENCY)
    b.cbc(r, "BuyerReference", invoice.customer_id)
    period_start, period_end = document_period(invoice)
    if period_start or period_end:
        period = b.cac(r, "InvoicePeriod")
        if period_start:
            b.cbc(period, "StartDate", _iso(period_start))
        if period_end:
            b.cbc(period, "EndDate", _iso(period_end))
    if credit and invoice.credited_number:
        ref = b.cac(b.cac(r, "BillingReference"), "InvoiceDocumentReference")
        b.cbc(ref, "ID", invoice.credited_number)
        if invoice.credited_date:
            b.cbc(ref, "IssueDate", _iso(invoice.credited_date))
    if attachment is not None:
        mime = attachment_mime(attachment)
        name = attachment_name or f"{number_text}.{'pdf' if mime == PDF_MIME else 'xlsx'}"
        adr = b.cac(r, "AdditionalDocumentReference")
        b.cbc(adr, "ID", number_text)
        b.cbc(adr, "DocumentDescription", i18n.t("doc.credit_note" if credit else "doc.invoice", lang))
        att = b.cac(adr, "Attachment")
        b.cbc(att, "EmbeddedDocumentBinaryObject", base64.b64encode(attachment).decode("ascii"),
              mimeCode=mime, filename=name)

    seller, buyer = invoice.seller, invoice.buyer
    s_end = seller_endpoint(seller)
    _party(b, b.cac(r, "AccountingSupplierParty"), seller, s_end, with_vat=not not_subject,
           legal_id=enterprise_number(seller), legal_information=seller_legal_information(seller))
    buyer_legal = enterprise_number(buyer) if buyer.country.upper() == "BE" else None
    _party(b, b.cac(r, "AccountingCustomerParty"), buyer, endpoint,
           with_vat=not not_subject, legal_id=buyer_legal)

    if not credit:
        pm = b.cac(r, "PaymentMeans")
        b.cbc(pm, "PaymentMeansCode", PAYMENT_MEANS_CODE)
        if invoice.structured_reference:
            b.cbc(pm, "PaymentID", invoice.structured_reference)
        if seller.iban:
            acct = b.cac(pm, "PayeeFinancialAccount")
            b.cbc(acct, "ID", seller.iban.replace(" ", "").upper())
            b.cbc(acct, "Name", seller.name)
            if seller.bic:
                b.cbc(b.cac(acct, "FinancialInstitutionBranch"), "ID", seller.bic.replace(" ", "").upper())
        terms = i18n.t("pay.instruction", lang, amount=i18n.format_money(invoice.total, lang),
                       due=i18n.format_date(invoice.due_date, lang), iban=seller.iban or "",
                       bic=seller.bic or "")
        b.cbc(b.cac(r, "PaymentTerms"), "Note", terms)
    else:
        b.cbc(b.cac(r, "PaymentTerms"), "Note", i18n.t("credit.no_payment", lang))

    tax_total = b.cac(r, "TaxTotal")
    b.money(tax_total, "TaxAmount", invoice.vat)
    for sub in invoice.vat_breakdown:
        st = b.cac(tax_total, "TaxSubtotal")
        b.money(st, "TaxableAmount", sub.base)
        b.money(st, "TaxAmount", sub.vat)
        _tax_category(b, st, "TaxCategory", sub.category, sub.rate, lang, with_reason=True)

    lmt = b.cac(r, "LegalMonetaryTotal")
    b.money(lmt, "LineExtensionAmount", invoice.net)
    b.money(lmt, "TaxExclusiveAmount", invoice.net)
    b.money(lmt, "TaxInclusiveAmount", invoice.total)
    b.money(lmt, "PayableAmount", invoice.total)

    line_tag, qty_tag = ("CreditNoteLine", "CreditedQuantity") if credit else ("InvoiceLine", "InvoicedQuantity")
    for i, line in enumerate(invoice.lines, start=1):
        qty, unit, price = line_pricing(line)
        el = b.cac(r, line_tag)
        b.cbc(el, "ID", i)
        b.cbc(el, qty_tag, number(qty), unitCode=unit)
        b.money(el, "LineExtensionAmount", line.amount)
        if line.kind == "fee" and line.period_start and line.period_end:
            lp = b.cac(el, "InvoicePeriod")
            b.cbc(lp, "StartDate", _iso(line.period_start))
            b.cbc(lp, "EndDate", _iso(line.period_end))
        item = b.cac(el, "Item")
        description = _item_description(line, lang, qty)
        if description:
            b.cbc(item, "Description", description)
        b.cbc(item, "Name", _item_name(line, lang))
        sellers_id = line.module if line.kind == "fee" else line.intervention_id
        if sellers_id:
            b.cbc(b.cac(item, "SellersItemIdentification"), "ID", sellers_id)
        _tax_category(b, item, "ClassifiedTaxCategory", line.vat_category, line.vat_rate, lang,
                      with_reason=False)
        pr = b.cac(el, "Price")
        b.cbc(pr, "PriceAmount", price_text(price), currencyID=CURRENCY)

    return XML_DECLARATION + etree.tostring(r, encoding="UTF-8", pretty_print=True)
