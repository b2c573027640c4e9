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
               country="GB", vat_number=None, email="accounts@goldsmith.co.uk", customer_id="K0201",
               peppol_id="0088:5060012349998"),
}


def sample_invoice(category: str = "S", language: str = "nl", number: str | None = "2027-000001",
                   document_type: str = "invoice", legal_language: str = "") -> Invoice:
    """Worked example A of SPEC §7 (fees 216.00, regie 93.75), in the given VAT regime."""
    rate = D("21") if category == "S" else D("0")
    acc = {"fee": "700000", "regie": "700100", "upgrade": "700200"}
    lines = (
        InvoiceLine(kind="fee", amount=D("144.00"), quantity=D("3"), unit_price=D("48.00"),
                    vat_category=category, vat_rate=rate, gl_account=acc["fee"], module="JUW",
                    module_description="Juwelierspakket", period_start=date(2027, 1, 1),
                    period_end=date(2027, 3, 31), monthly_fee=D("48.00"), licence_key="K0001|JUW|2015-01-10",
                    module_names=(("fr", "Progiciel bijouterie"), ("en", "Jeweller package"))),
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
        legal_language=legal_language,
    )


def partial_month_and_upgrade() -> Invoice:
    """A fee for a partial month (SPEC §7 example B) and an upgrade (example C)."""
    import dataclasses

    base = sample_invoice("S", "nl")
    partial = InvoiceLine(kind="fee", amount=D("24.00"), quantity=D("1"), unit_price=D("24.00"),
                          vat_category="S", vat_rate=D("21"), gl_account="700000", module="JUW",
                          module_description="Juwelierspakket", period_start=date(2026, 11, 15),
                          period_end=date(2026, 11, 30), days=16, days_in_month=30,
                          monthly_fee=D("45.00"))
    upgrade = InvoiceLine(kind="upgrade", amount=D("88.33"), quantity=D("1"), unit_price=D("88.33"),
                          vat_category="S", vat_rate=D("21"), gl_account="700200",
                          date=date(2026, 12, 9), licence_value=D("5300.00"), months=1,
                          period_start=date(2026, 11, 20), period_end=date(2026, 12, 9))
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
    # SPEC §9 L1: a seller in Flanders, customers in French and English: legal version in Dutch
    out["S-fr-legal-nl"] = sample_invoice("S", "fr", legal_language="nl")
    out["AE-en-legal-nl"] = sample_invoice("AE", "en", legal_language="nl")
    out["S-fr-legal-nl-credit_note"] = sample_invoice("S", "fr", "2027-000009", "credit_note", legal_language="nl")
    for lang in ("nl", "fr", "en"):
        out[f"awkward-{lang}"] = awkward_invoice(lang)
    out["long-nl"] = long_invoice("nl")
    out["long-fr-legal-nl"] = long_invoice("fr", legal_language="nl")
    return out


GOLDEN_SAMPLES = ("S-nl-invoice-2027-000001", "AE-fr-invoice-2027-000001", "O-en-invoice-2027-000001",
                  "S-nl-credit_note-2027-000009", "partial-upgrade-nl", "S-fr-legal-nl")


def workbook_dump(data: bytes) -> str:
    """A workbook as text for golden files: per sheet its name, print settings, footer, merged
    ranges, row heights, and every non-empty cell with its type, value and number format."""
    import io

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data))
    anchors = _image_anchors(data, [ws.title for ws in book.worksheets])
    out: list[str] = []
    for ws in book.worksheets:
        out.append(f"# sheet {ws.title!r}")
        area = ws.print_area if isinstance(ws.print_area, str) or ws.print_area is None else ws.print_area[0]
        out.append(f"print_area {area} titles {ws.print_title_rows} breaks "
                   f"{[b.id for b in ws.row_breaks.brk]}")
        out.append(f"footer {ws.oddFooter.left.text!r} | {ws.oddFooter.center.text!r} | {ws.oddFooter.right.text!r}")
        out.append("merged " + " ".join(sorted((str(r) for r in ws.merged_cells.ranges),
                                               key=lambda r: (int("".join(c for c in r.split(":")[0] if c.isdigit())), r))))
        heights = {r: d.height for r, d in ws.row_dimensions.items() if d.height is not None}
        out.append("heights " + " ".join(f"{r}:{h:g}" for r, h in sorted(heights.items())))
        out.append(f"images {anchors.get(ws.title, [])}")
        for row in ws.iter_rows():
            for c in row:
                if c.value is None:
                    continue
                fmt = "" if c.number_format == "General" else f"\t[{c.number_format}]"
                out.append(f"{c.coordinate}\t{c.data_type}\t{c.value!r}{fmt}")
    return "\n".join(out) + "\n"


def _image_anchors(data: bytes, titles: list[str]) -> dict[str, list[str]]:
    """Sheet title -> the top-left cells of its images (openpyxl drops images without Pillow)."""
    import io
    import posixpath
    import re
    import zipfile

    from openpyxl.utils import get_column_letter

    out: dict[str, list[str]] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = set(z.namelist())
        for i, title in enumerate(titles, start=1):
            rels = f"xl/worksheets/_rels/sheet{i}.xml.rels"
            if rels not in names:
                continue
            for target in re.findall(r'Target="([^"]*drawing[^"]*)"', z.read(rels).decode()):
                drawing = z.read(posixpath.normpath(posixpath.join("xl/worksheets", target))).decode()
                for col, row in re.findall(r"<xdr:from><xdr:col>(\d+)</xdr:col><xdr:colOff>-?\d+</xdr:colOff>"
                                           r"<xdr:row>(\d+)</xdr:row>", drawing):
                    out.setdefault(title, []).append(f"{get_column_letter(int(col) + 1)}{int(row) + 1}")
    return out


def ubl_canonical(xml: bytes) -> str:
    """A UBL document as canonical XML (C14N 1.0, indented), an embedded attachment replaced by
    its length and SHA-256, for golden files."""
    import base64
    import hashlib

    from lxml import etree

    root = etree.fromstring(xml)
    for el in root.iter("{*}EmbeddedDocumentBinaryObject"):
        body = base64.b64decode(el.text or "")
        el.text = f"[{len(body)} bytes, sha256 {hashlib.sha256(body).hexdigest()}]"
    etree.indent(root, space="  ")
    return etree.tostring(root, method="c14n").decode() + "\n"


def long_invoice(lang: str = "nl", legal_language: str = "") -> Invoice:
    """An invoice over several pages: forty interventions billed, thirty included ones, long
    French reasons and descriptions that wrap, durations of 100 minutes and more."""
    import dataclasses

    from batch.model import IncludedIntervention as Included
    from batch.money import cents

    base = sample_invoice("S", lang, legal_language=legal_language)
    regie = []
    for i in range(40):
        minutes = (35, 90, 100, 120, 135, 480)[i % 6]
        billed = -(-minutes // 15) * 15
        hours = D(billed) / D(60)
        regie.append(InvoiceLine(
            kind="regie", amount=cents(hours * D("75.00")), quantity=hours, unit_price=D("75.00"),
            vat_category="S", vat_rate=D("21"), gl_account="700100", intervention_id=f"I-{2000 + i}",
            date=date(2026, 10, 1 + i % 28), minutes=minutes, billed_minutes=billed,
            channel=("telefoon", "internet", "ter plaatse")[i % 3],
            category=("pc-probleem", "externe-oorzaak", "internetprobleem", "herinstallatie")[i % 4],
            reason=("not-covered", "holiday-phone", "not-started", "cancelled")[i % 4],
            description=("Kassa-pc opnieuw geïnstalleerd na een stroompanne; printerstuurprogramma's en "
                         "de koppeling met de weegschaal opnieuw ingesteld" if i % 5 == 0 else "")))
    lines = base.lines[:2] + tuple(regie)
    net = sum((l.amount for l in lines), D("0.00"))
    vat = cents(net * D("0.21"))
    included = tuple(Included(f"I-{3000 + i}", date(2026, 10, 1 + i % 28), (20, 45, 105, 120)[i % 4],
                              ("telefoon", "internet")[i % 2], ("vraag", "opleiding", "parameters")[i % 3],
                              "Vraag over de etiketprinter en de instellingen van de barcodelezer" if i % 4 == 0
                              else "") for i in range(30))
    return dataclasses.replace(base, lines=lines, net=net, vat=vat, total=net + vat,
                               vat_breakdown=(VatSubtotal("S", D("21"), net, vat),), included=included)
