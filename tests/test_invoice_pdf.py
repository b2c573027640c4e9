"""The invoice PDF: PDF/A-3b with the UBL attached, the same figures as the workbook, the same
bytes for the same document; and the UBL that embeds it passes the official rules."""

from __future__ import annotations

import base64
import dataclasses
import doctest
import io
import re

import pypdf
import pytest
from lxml import etree

from batch.documents import invoice_pdf
from batch.documents.i18n import format_money, t
from batch.documents.invoice_pdf import render_invoice_files, render_invoice_pdf
from batch.documents.ubl import has_peppol_address, render_ubl
from batch.documents.validate import fatal, validate_ubl
from tests.samples import sample_invoice, sample_set

SAMPLES = sample_set()
NS = {"cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
      "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"}


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def xmp(pdf: bytes) -> str:
    return pypdf.PdfReader(io.BytesIO(pdf)).xmp_metadata.stream.get_data().decode()


@pytest.fixture(scope="module")
def rendered() -> dict[str, tuple[bytes, bytes]]:
    """name -> (UBL without attachment, PDF with that UBL attached), for every sample."""
    out = {}
    for name, invoice in SAMPLES.items():
        ubl = render_ubl(invoice) if has_peppol_address(invoice) else None
        out[name] = ubl, render_invoice_pdf(invoice, ubl)
    return out


@pytest.mark.parametrize("name", list(SAMPLES))
def test_every_pdf_opens_and_shows_number_totals_and_reference(name, rendered):
    invoice = SAMPLES[name]
    ubl, pdf = rendered[name]
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 1
    text = text_of(pdf)
    lang = invoice.language
    assert (invoice.number or t("doc.draft", lang)) in text
    for amount in (invoice.net, invoice.vat, invoice.total):
        assert format_money(amount, lang) in text, (amount, lang)
    if invoice.document_type == "invoice" and invoice.number:
        assert invoice.structured_reference in text
    else:
        assert "+++" not in text


@pytest.mark.parametrize("name", list(SAMPLES))
def test_pdf_a_3b_with_the_ubl_attached(name, rendered):
    ubl, pdf = rendered[name]
    meta = xmp(pdf)
    assert re.search(r"<pdfaid:part>3</pdfaid:part>", meta)
    assert re.search(r"<pdfaid:conformance>B</pdfaid:conformance>", meta)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    stem = (SAMPLES[name].number or f"concept-{SAMPLES[name].customer_id}")
    assert dict(reader.attachments) == {f"{stem}.xml": [ubl]}
    # an associated file of the document (PDF/A-3), described as the UBL
    assert reader.trailer["/Root"]["/AF"]


def test_same_document_same_bytes_and_the_issue_date_as_creation_date(rendered):
    invoice = SAMPLES["AE-fr-invoice-2027-000001"]
    ubl, first = rendered["AE-fr-invoice-2027-000001"]
    assert render_invoice_pdf(invoice, ubl) == first
    info = pypdf.PdfReader(io.BytesIO(first)).metadata
    assert info["/CreationDate"].startswith("D:20270105")
    later = dataclasses.replace(invoice, issue_date=invoice.issue_date.replace(day=6))
    assert render_invoice_pdf(later, ubl) != first


def test_only_the_shipped_fonts_are_embedded(rendered):
    _, pdf = rendered["S-nl-invoice-2027-000001"]
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    fonts = {f.get_object()["/BaseFont"].split("+")[-1] for page in reader.pages
             for f in page["/Resources"]["/Font"].values()}
    assert fonts <= {"LiberationSans", "LiberationSans-Bold", "LiberationSans-Italic"}, fonts
    for page in reader.pages:
        for f in page["/Resources"]["/Font"].values():
            descendant = f.get_object().get("/DescendantFonts")
            font = descendant[0].get_object() if descendant else f.get_object()
            assert "/FontFile2" in font["/FontDescriptor"] or "/FontFile3" in font["/FontDescriptor"]


def test_texts_the_font_cannot_show_do_not_break_the_pdf(rendered):
    _, pdf = rendered["awkward-nl"]
    text = text_of(pdf)
    assert "Goud & Zilver <\"Smid\">" in text
    assert "Juwelier Émile" in text
    assert "💎" not in text and "?" in text


def test_final_ubl_embeds_the_pdf_and_passes_the_official_rules():
    for name in ("S-nl-invoice-2027-000001", "AE-fr-invoice-2027-000001", "S-fr-credit_note-2027-000009",
                 "O-en-invoice-2027-000001", "S-fr-legal-nl", "partial-upgrade-nl", "awkward-nl", "long-nl"):
        files = render_invoice_files(SAMPLES[name])
        assert files.pdf.startswith(b"%PDF") and files.xlsx.startswith(b"PK")
        root = etree.fromstring(files.ubl)
        obj = root.xpath("//cac:AdditionalDocumentReference/cac:Attachment/cbc:EmbeddedDocumentBinaryObject",
                         namespaces=NS)
        assert len(obj) == 1
        assert obj[0].get("mimeCode") == "application/pdf"
        assert obj[0].get("filename") == f"{SAMPLES[name].number}.pdf"
        assert base64.b64decode(obj[0].text) == files.pdf
        assert fatal(validate_ubl(files.ubl)) == [], name
        # the PDF carries the UBL without attachment: the same document but for the embedded PDF
        attached = pypdf.PdfReader(io.BytesIO(files.pdf)).attachments[f"{files.stem}.xml"][0]
        assert attached == render_ubl(SAMPLES[name])


def test_printable_replaces_what_the_font_lacks():
    assert invoice_pdf.printable("a\x00b\x1fc") == "abc"
    assert invoice_pdf.printable("日本") == "??"
    long = invoice_pdf.printable("x" * 100)
    assert long.replace("\u200b", "") == "x" * 100 and long.count("\u200b") == 2
    assert len(invoice_pdf.printable("y " * 5000)) == invoice_pdf.MAX_TEXT
    cover = invoice_pdf.font_coverage()
    assert all(ord(ch) in cover for ch in "€→×÷–—·éèçàüöëï\u00a0\u202fΩ")


def test_doctests():
    result = doctest.testmod(invoice_pdf)
    assert result.failed == 0 and result.attempted > 0


def pages_of(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def test_legal_version_first_then_the_marked_translation():
    """SPEC §9 L1 / §11 D4: the Dutch legal version, then its French translation, each with its
    own page numbers; the attached UBL speaks the legal language."""
    invoice = SAMPLES["S-fr-legal-nl"]
    ubl = render_ubl(invoice)
    pages = pages_of(render_invoice_pdf(invoice, ubl))
    assert len(pages) == 2
    assert "Factuur" in pages[0] and "Totaal te betalen" in pages[0] and "Pagina 1 van 1" in pages[0]
    assert pages[1].startswith("Traduction — la version légale de ce document est celle en néerlandais")
    assert "Total à payer" in pages[1] and "Page 1 de 1" in pages[1]
    assert "Progiciel bijouterie" in pages[1] and "Juwelierspakket" in pages[0]
    assert b"Gelieve" in ubl and b"Veuillez" not in ubl
    assert "<dc:language><rdf:Bag><rdf:li>nl</rdf:li>" in xmp(render_invoice_pdf(invoice, ubl))


def test_multi_page_pdf_keeps_the_payment_block_and_gives_each_page_a_heading():
    invoice = SAMPLES["long-nl"]
    pages = pages_of(render_invoice_pdf(invoice, render_ubl(invoice)))
    assert len(pages) >= 3
    payment = [i for i, text in enumerate(pages) if "Betaling" in text]
    assert len(payment) == 1
    text = pages[payment[0]]
    assert "+++202/7000/00122+++" in text and "Scan om te betalen" in text and "Gestructureerde mededeling" in text
    for i, text in enumerate(pages[1:], start=1):
        assert text.startswith(("Periode / datum", "Inbegrepen in uw bijstandsovereenkomst")), (i, text[:80])
        assert text.rstrip().endswith(f"Pagina {i + 1} van {len(pages)}")
    appendix = [i for i, text in enumerate(pages) if "Inbegrepen in uw bijstandsovereenkomst" in text]
    assert all("Periode / datum" not in pages[i].split("Inbegrepen")[1] for i in appendix)
    for minutes in ("100 → 105 min", "120 min", "90 min"):
        assert minutes in "\n".join(pages)
    assert "120 → 120" not in "\n".join(pages) and "90 → 90" not in "\n".join(pages)
