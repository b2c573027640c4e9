"""The reminder's workbook and PDF (SPEC §12 P4): laid out on the invoice's grid and written by
the invoice's writers; read back with openpyxl and pypdf, the figures checked against amounts
computed by hand; the invoice's bytes unchanged by the writers' generalisation."""

from __future__ import annotations

import dataclasses
import doctest
import hashlib
import io
import re
import string
import zipfile
from datetime import date, datetime, timedelta
from decimal import Decimal

import openpyxl
import pypdf
import pytest
import segno
from stdnum.be import ogm_vcs

from batch import texts_reminders
from batch.documents import i18n, invoice_pdf, invoice_xlsx, reminder_documents, reminder_layout
from batch.documents.i18n import format_date, format_money
from batch.documents.invoice_layout import invoice_layout
from batch.documents.invoice_xlsx import _png, render_invoice_xlsx, render_layout_xlsx
from batch.documents.reminder_documents import (render_reminder_files, render_reminder_pdf, render_reminder_xlsx,
                                                reminder_stem)
from batch.documents.reminder_layout import reminder_layout as layout_of, reminder_qr
from batch.payments.interest import OFFICIAL_RATES, plan_reminders
from batch.settings import Reminders
from tests.goldens import GOLDEN, check_golden
from tests.reminder_samples import _status, reminder_set, sample_reminder, to_reminder
from tests.samples import sample_set, workbook_dump

D = Decimal
SAMPLES = reminder_set()
LANGS = ("nl", "fr", "en")

# Figures computed by hand (simple interest, actual days ÷ 365, rounded once per document):
# level 2, reminder of 20/01/2025 — 2024-000210: 1000.00 due 05/12/2024:
#   06/12–31/12/2024 26 days at 12.50 %: 1000 × 0.125 × 26/365 = 8.9041
#   01/01–20/01/2025 20 days at 11.50 %: 1000 × 0.115 × 20/365 = 6.3014   → 15.2055 → 15.21
# 2024-000230: 275.80 open (375.80 − 100.00) due 20/12/2024:
#   21/12–31/12/2024 11 days at 12.50 %: 275.80 × 0.125 × 11/365 = 1.0390
#   01/01–20/01/2025 20 days at 11.50 %: 275.80 × 0.115 × 20/365 = 1.7379  → 2.7769 → 2.78
# level 3, reminder of 15/07/2025 — 2025-000044: 726.00 due 01/05/2025:
#   02/05–30/06/2025 60 days at 11.50 %: 13.7244; 01/07–15/07/2025 15 days at 10.50 %: 3.1327 → 16.86
# 2025-000058: 145.20 due 04/06/2025: 26 days at 11.50 % 1.1894 + 15 days at 10.50 % 0.6266 → 1.82
EXPECTED = {
    1: dict(number="H2025-00001", open=D("446.80"), interest=D("0.00"), compensation=D("0.00"), total=D("446.80"),
            reference="+++900/0000/00116+++", periods=[]),
    2: dict(number="H2025-00002", open=D("1275.80"), interest=D("17.99"), compensation=D("80.00"),
            total=D("1373.79"), reference="+++900/0000/00217+++",
            # (from, to, days, rate, amount shown: the running sum rounded, less the one before)
            periods=[(date(2024, 12, 6), date(2024, 12, 31), 26, D("12.50"), D("8.90")),
                     (date(2025, 1, 1), date(2025, 1, 20), 20, D("11.50"), D("6.31")),
                     (date(2024, 12, 21), date(2024, 12, 31), 11, D("12.50"), D("1.04")),
                     (date(2025, 1, 1), date(2025, 1, 20), 20, D("11.50"), D("1.74"))],
            per_document=[D("15.21"), D("2.78")]),
    3: dict(number="H2025-00003", open=D("871.20"), interest=D("18.68"), compensation=D("80.00"),
            total=D("969.88"), reference="+++900/0000/00318+++",
            periods=[(date(2025, 5, 2), date(2025, 6, 30), 60, D("11.50"), D("13.72")),
                     (date(2025, 7, 1), date(2025, 7, 15), 15, D("10.50"), D("3.14")),
                     (date(2025, 6, 5), date(2025, 6, 30), 26, D("11.50"), D("1.19")),
                     (date(2025, 7, 1), date(2025, 7, 15), 15, D("10.50"), D("0.63"))],
            per_document=[D("16.86"), D("1.82")]),
}
TITLES = {1: {"nl": "Herinnering", "fr": "Rappel", "en": "Reminder"},
          2: {"nl": "Tweede herinnering", "fr": "Deuxième rappel", "en": "Second reminder"},
          3: {"nl": "Ingebrekestelling", "fr": "Mise en demeure", "en": "Formal notice"}}
LAW = {"nl": "wet van 2 augustus 2002 betreffende de bestrijding van de betalingsachterstand bij handelstransacties",
       "fr": "loi du 2 août 2002 concernant la lutte contre le retard de paiement dans les transactions commerciales",
       "en": "Act of 2 August 2002 on combating late payment in commercial transactions"}
FORMAL = {"nl": "stellen wij u formeel in gebreke", "fr": "nous vous mettons formellement en demeure",
          "en": "we give you formal notice"}
IGNORE = {"nl": "Hebt u intussen betaald", "fr": "Si vous avez payé entre-temps", "en": "If you have paid meanwhile"}


@pytest.fixture(scope="module")
def rendered() -> dict[str, tuple[bytes, bytes]]:
    return {name: (render_reminder_xlsx(r), render_reminder_pdf(r)) for name, r in SAMPLES.items()}


def cells(ws) -> dict[str, object]:
    return {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None}


def amount(value) -> Decimal:
    assert isinstance(value, (int, float)) and not isinstance(value, bool), f"{value!r} is not a number"
    return D(repr(value)).quantize(D("0.01"))


def row_values(ws, row: int) -> list[object]:
    return [ws.cell(row, col).value for col in range(1, 8)]


def find_row(ws, col: int, value) -> int:
    rows = [r for r in range(1, ws.max_row + 1) if ws.cell(r, col).value == value]
    assert len(rows) == 1, f"{value!r} in column {col}: rows {rows}"
    return rows[0]


def label_amount(ws, label: str) -> Decimal:
    """The amount in column G beside a totals label (merged D:F)."""
    return amount(ws.cell(find_row(ws, 4, label), 7).value)


def pdf_pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    """Extracted PDF text with its line breaks as spaces (a paragraph wraps where the page says)."""
    return re.sub(r"\s+", " ", text.replace("\xa0", " "))


# --- the texts ---------------------------------------------------------------------------------------


def test_every_reminder_text_in_nl_fr_en_with_the_same_placeholders():
    fields = string.Formatter()
    assert texts_reminders.TEXTS
    for key, entry in texts_reminders.TEXTS.items():
        assert set(entry) == {"nl", "fr", "en"}, key
        assert all(entry[lang].strip() for lang in entry), key
        names = {lang: {f for _, f, _, _ in fields.parse(text) if f} for lang, text in entry.items()}
        assert names["nl"] == names["fr"] == names["en"], key


def test_the_fragment_merges_into_the_one_table_without_a_clash():
    """The lead merges the fragment into batch/documents/i18n.py: no key may be there already."""
    assert not set(texts_reminders.TEXTS) & set(i18n.TEXTS)
    assert all(key.startswith("reminder.") for key in texts_reminders.TEXTS)


def test_every_text_key_the_layout_uses_exists():
    source = open(reminder_layout.__file__, encoding="utf-8").read()
    used = set(re.findall(r'"((?:reminder|label|pay|doc|footer)\.[a-z_.]+)"', source))
    used |= {f"reminder.title.{level}" for level in (1, 2, 3)} | {f"reminder.letter.{level}" for level in (1, 2, 3)}
    missing = {key for key in used if key not in texts_reminders.TEXTS and key not in i18n.TEXTS}
    assert not missing


# --- every level in every language, read back ---------------------------------------------------------


@pytest.mark.parametrize("level", (1, 2, 3))
@pytest.mark.parametrize("lang", LANGS)
def test_workbook_shows_number_documents_totals_interest_and_reference(level, lang, rendered):
    exp = EXPECTED[level]
    reminder = SAMPLES[f"L{level}-{lang}"]
    book = openpyxl.load_workbook(io.BytesIO(rendered[f"L{level}-{lang}"][0]))
    assert len(book.worksheets) == 1
    ws = book.active
    title = TITLES[level][lang]
    assert ws.title == f"{title} {exp['number']}"
    assert ws["D1"].value == title
    values = cells(ws)
    assert exp["number"] in values.values()
    assert ws.cell(find_row(ws, 6, exp["number"]), 4).value == i18n.t("label.number", lang)
    # the dates of the header are real dates: the reminder's and the pay-by date
    dates = {v for v in values.values() if isinstance(v, datetime)}
    assert {datetime.combine(reminder.issue_date, datetime.min.time()),
            datetime.combine(reminder.due_date, datetime.min.time())} <= dates
    # the overdue documents: number, dates, total, paid, open, days overdue
    for item in reminder.items:
        row = row_values(ws, find_row(ws, 1, item.number) if level == 1 else _first_row(ws, item.number))
        assert row[0] == item.number
        assert row[1].date() == item.issue_date and row[2].date() == item.due_date
        assert [amount(v) for v in row[3:6]] == [item.total, item.paid, item.open]
        assert row[6] == item.days_overdue
    # totals
    t = texts_reminders.TEXTS
    assert label_amount(ws, t["reminder.total.open"][lang]) == exp["open"]
    assert label_amount(ws, t["reminder.total.to_pay"][lang]) == exp["total"]
    labels = [v for v in values.values() if isinstance(v, str)]
    if level == 1:
        assert t["reminder.total.interest"][lang] not in labels
        assert t["reminder.interest.title"][lang] not in labels
    else:
        assert label_amount(ws, t["reminder.total.interest"][lang]) == exp["interest"]
        assert label_amount(ws, t["reminder.total.compensation"][lang]) == exp["compensation"]
        assert _interest_lines(ws, lang) == exp["periods"]
        # the document's interest beside its last period, the compensation on its own row
        assert [amount(ws.cell(r, 7).value) for r in range(1, ws.max_row + 1)
                if isinstance(ws.cell(r, 5).value, (int, float)) and "–" in str(ws.cell(r, 3).value)
                and ws.cell(r, 7).value is not None] == exp["per_document"]
        comp = t["reminder.compensation.invoice"][lang]
        assert [amount(ws.cell(r, 7).value) for r in range(1, ws.max_row + 1)
                if ws.cell(r, 3).value == comp] == [D("40.00"), D("40.00")]
    # the payment block: the reminder's own structured reference, valid mod-97, and the ignore line
    refs = [v for v in labels if re.fullmatch(r"\+\+\+\d{3}/\d{4}/\d{5}\+\+\+", v)]
    assert refs == [exp["reference"]] and ogm_vcs.is_valid(refs[0])
    assert any(v.startswith(IGNORE[lang]) for v in labels)
    instruction = [v for v in labels if format_money(exp["total"], lang) in v and "BE71 0961 2345 6769" in v]
    assert instruction, "the payment instruction names the total and the account"
    # level 3: the formal notice citing the law; levels 1–2 never say so
    text = " ".join(labels)
    assert (FORMAL[lang] in text) == (level == 3)
    assert (LAW[lang] in text) == (level >= 2)


def _first_row(ws, number: str) -> int:
    """The row of a document in the overdue table (the interest table names it again below)."""
    rows = [r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == number]
    assert len(rows) == 2, rows
    return rows[0]


def _interest_lines(ws, lang: str) -> list[tuple]:
    """(from, to, days, rate, amount) of every rate period row of the interest table."""
    out = []
    for r in range(1, ws.max_row + 1):
        period, days, rate, value = (ws.cell(r, c).value for c in (3, 4, 5, 6))
        if isinstance(period, str) and "–" in period and isinstance(rate, (int, float)):
            start, end = (datetime.strptime(x, "%d/%m/%Y").date() for x in period.split("–"))
            out.append((start, end, days, D(repr(rate)).quantize(D("0.01")), amount(value)))
            assert ws.cell(r, 5).number_format.endswith('0.00" %"')
    return out


@pytest.mark.parametrize("level", (1, 2, 3))
@pytest.mark.parametrize("lang", LANGS)
def test_pdf_shows_the_same_figures(level, lang, rendered):
    exp = EXPECTED[level]
    reminder = SAMPLES[f"L{level}-{lang}"]
    pdf = rendered[f"L{level}-{lang}"][1]
    pages = pdf_pages(pdf)
    assert len(pages) == 1
    text = flat(pages[0])
    money = lambda value: format_money(value, lang).replace("\xa0", " ")  # noqa: E731
    assert f"{TITLES[level][lang]} {exp['number']}" in text  # the footer
    assert TITLES[level][lang] in text and exp["number"] in text and exp["reference"] in text
    for item in reminder.items:
        assert f"{item.number} {format_date(item.issue_date, lang)} {format_date(item.due_date, lang)}" in text
        assert money(item.open) in text
    assert money(exp["total"]) in text and money(exp["open"]) in text
    for start, end, days, rate, value in exp["periods"]:
        rate_text = f"{rate:.2f}".replace(".", "," if lang != "en" else ".")
        assert f"{format_date(start, lang)}–{format_date(end, lang)} {days} {rate_text} % {money(value)}" in text
    for value in exp.get("per_document", []):
        assert money(value) in text
    if level > 1:
        assert money(exp["interest"]) in text and money(exp["compensation"]) in text
    assert (FORMAL[lang] in text) == (level == 3)
    assert (LAW[lang] in text) == (level >= 2)
    assert IGNORE[lang] in text
    meta = pypdf.PdfReader(io.BytesIO(pdf)).xmp_metadata.stream.get_data().decode()
    assert "<pdfaid:part>3</pdfaid:part>" in meta and "<pdfaid:conformance>B</pdfaid:conformance>" in meta


def test_level_3_formal_notice_wording(rendered):
    """The formal notice: in gebreke gesteld, the law of 2 August 2002, interest at the statutory
    rate until full payment (art. 5), the flat compensation due (art. 6), the pay-by date."""
    for lang in LANGS:
        text = flat(pdf_pages(rendered[f"L3-{lang}"][1])[0])
        notice = texts_reminders.TEXTS["reminder.formal_notice"][lang].format(due=format_date(date(2025, 7, 25), lang,
                                                                                              long=True))
        assert notice.replace("\xa0", " ") in text
    nl = flat(pdf_pages(rendered["L3-nl"][1])[0])
    assert "Ingebrekestelling — Overeenkomstig de wet van 2 augustus 2002" in nl
    assert "verwijlintrest aan de wettelijke rentevoet" in nl and "forfaitaire schadevergoeding" in nl
    assert "uiterlijk op 25 juli 2025" in nl


# --- the legal version and its translation ------------------------------------------------------------


def test_dutch_legal_reminder_with_its_french_translation(rendered):
    xlsx, pdf = rendered["L3-fr-legal-nl"]
    book = openpyxl.load_workbook(io.BytesIO(xlsx))
    assert [ws.title for ws in book.worksheets] == ["Ingebrekestelling H2025-00003", "Mise en demeure H2025-00003"]
    assert book.active.title == "Ingebrekestelling H2025-00003"
    legal, translation = book.worksheets
    assert legal["A1"].value == "Juweelsoft BV" and legal["D1"].value == "Ingebrekestelling"
    assert translation["A1"].value.startswith("Traduction — la version légale de ce document est celle en néerlandais")
    for ws, lang in ((legal, "nl"), (translation, "fr")):
        t = texts_reminders.TEXTS
        assert label_amount(ws, t["reminder.total.to_pay"][lang]) == D("969.88")
        assert label_amount(ws, t["reminder.total.interest"][lang]) == D("18.68")
        assert _interest_lines(ws, lang) == EXPECTED[3]["periods"]
    pages = pdf_pages(pdf)
    assert len(pages) == 2
    assert "Ingebrekestelling" in pages[0] and "Pagina 1 van 1" in pages[0] and "Traduction" not in pages[0]
    assert pages[1].startswith("Traduction — la version légale de ce document est celle en néerlandais")
    assert "Mise en demeure" in pages[1] and "Page 1 de 1" in pages[1]
    meta = pypdf.PdfReader(io.BytesIO(pdf)).xmp_metadata.stream.get_data().decode()
    assert "<rdf:li>nl</rdf:li>" in meta


def test_english_customer_of_a_walloon_seller_gets_the_french_legal_version_first(rendered):
    book = openpyxl.load_workbook(io.BytesIO(rendered["L2-en-legal-fr"][0]))
    assert [ws.title for ws in book.worksheets] == ["Deuxième rappel H2025-00002", "Second reminder H2025-00002"]
    assert book.worksheets[1]["A1"].value.startswith("Translation — the legal version of this document is the one "
                                                     "in French")


# --- the same bytes, the creation date, the QR code ---------------------------------------------------


def test_same_reminder_same_bytes_and_the_issue_date_as_creation_date(rendered):
    reminder = SAMPLES["L2-nl"]
    xlsx, pdf = rendered["L2-nl"]
    assert render_reminder_xlsx(reminder) == xlsx and render_reminder_pdf(reminder) == pdf
    files = render_reminder_files(reminder)
    assert files == ("H2025-00002", xlsx, pdf)
    assert pypdf.PdfReader(io.BytesIO(pdf)).metadata["/CreationDate"].startswith("D:20250120")
    with zipfile.ZipFile(io.BytesIO(xlsx)) as z:
        assert "<dcterms:created xsi:type=\"dcterms:W3CDTF\">2025-01-20T00:00:00Z" in z.read("docProps/core.xml").decode()
    later = dataclasses.replace(reminder, issue_date=reminder.issue_date + timedelta(days=1))
    assert render_reminder_pdf(later) != pdf


@pytest.mark.parametrize("name", list(SAMPLES))
def test_direct_writer_gives_the_bytes_of_xlsxwriter(name, rendered):
    assert render_reminder_xlsx(SAMPLES[name], plain=True) == rendered[name][0]


def test_epc_qr_code_for_the_total_with_the_reminders_reference(rendered):
    with zipfile.ZipFile(io.BytesIO(rendered["L2-nl"][0])) as z:
        (png,) = [z.read(n) for n in z.namelist() if n.startswith("xl/media/")]
    # EPC069-12 by hand: service tag, version, charset, SCT, BIC, name, IBAN, amount, purpose, reference
    payload = b"BCD\n002\n2\nSCT\nGKCCBEBB\nJuweelsoft BV\nBE71096123456769\nEUR1373.79\n\n900000000217"
    expected = segno.make_qr(payload, error="m", boost_error=False, mask=2)
    assert png == _png(expected)
    assert reminder_qr(dataclasses.replace(SAMPLES["L2-nl"], structured_reference=None)) is None


def test_a_draft_has_no_number_reference_nor_code(rendered):
    xlsx, pdf = rendered["L1-nl-draft"]
    ws = openpyxl.load_workbook(io.BytesIO(xlsx)).active
    values = [v for v in cells(ws).values() if isinstance(v, str)]
    assert ws.title == "Herinnering CONCEPT" and "CONCEPT" in values
    assert "Concept — geen geldige herinnering, niet versturen" in values
    assert not any("+++" in v for v in values)
    with zipfile.ZipFile(io.BytesIO(xlsx)) as z:
        assert not [n for n in z.namelist() if n.startswith("xl/media/")]
    assert reminder_stem(SAMPLES["L1-nl-draft"]) == "concept-K0001"
    assert "CONCEPT" in pdf_pages(pdf)[0]


# --- figures that must never reach a customer ---------------------------------------------------------


@pytest.mark.parametrize("change, message", [
    (dict(structured_reference="+++900/0000/00218+++"), "mod-97"),
    (dict(total=D("1373.78")), "not open \\+ interest \\+ compensation"),
    (dict(interest=D("18.00"), total=D("1373.80")), "interest 18.00 is not the sum of its documents"),
    (dict(level=4), "level 4"),
    (dict(items=(), open=D("0"), interest=D("0"), compensation=D("0"), total=D("0")), "no overdue documents"),
])
def test_inconsistent_reminders_are_refused(change, message):
    bad = dataclasses.replace(SAMPLES["L2-nl"], **change)
    with pytest.raises(ValueError, match=message):
        render_reminder_xlsx(bad)
    with pytest.raises(ValueError, match=message):
        render_reminder_pdf(bad)


def test_an_interest_that_is_not_the_rounded_sum_of_its_periods_is_refused():
    reminder = SAMPLES["L2-nl"]
    item = dataclasses.replace(reminder.items[0], interest=D("15.20"))
    bad = dataclasses.replace(reminder, items=(item,) + reminder.items[1:], interest=D("17.98"), total=D("1373.78"))
    with pytest.raises(ValueError, match="rate periods rounded to the cent"):
        layout_of(bad)


def test_hostile_texts_stay_text():
    reminder = SAMPLES["L1-fr"]
    evil = dataclasses.replace(reminder, buyer=dataclasses.replace(reminder.buyer, name="=HYPERLINK(\"http://x\")",
                                                                    street="Rue d'Arlon 5\nboîte 2 💎"))
    xlsx = render_reminder_xlsx(evil)
    ws = openpyxl.load_workbook(io.BytesIO(xlsx)).active
    assert "=HYPERLINK(\"http://x\")" in cells(ws).values()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as z:
        assert "<f>" not in z.read("xl/worksheets/sheet1.xml").decode()
    assert "=HYPERLINK" in pdf_pages(render_reminder_pdf(evil))[0]


# --- a long reminder: the writers break its pages -----------------------------------------------------


def test_many_documents_break_pages_with_headings_and_keep_the_payment_block_whole():
    on = date(2025, 1, 20)
    statuses = [_status(f"2024-{n:06d}", date(2024, 11, 1) + timedelta(days=n % 15), "121.00", "0.00", on)
                for n in range(1, 41)]
    (plan,) = plan_reminders(statuses, on, Reminders(), OFFICIAL_RATES)
    reminder = to_reminder(plan, statuses, "H2025-00099", "nl", "nl", seq=99)
    assert len(reminder.items) == 40 and reminder.level == 2
    xlsx, pdf = render_reminder_xlsx(reminder), render_reminder_pdf(reminder)
    assert render_reminder_xlsx(reminder, plain=True) == xlsx
    ws = openpyxl.load_workbook(io.BytesIO(xlsx)).active
    breaks = [b.id for b in ws.row_breaks.brk]
    assert breaks
    for first in breaks:  # a new page opens with a table's heading row or a whole block
        assert ws.cell(first + 1, 1).value in ("Factuur", "Verwijlintrest en forfaitaire schadevergoeding", "Betaling",
                                               None) or ws.cell(first + 1, 4).value == "Openstaand bedrag"
    pages = pdf_pages(pdf)
    assert len(pages) >= 3
    assert sum("Factuur Datum Vervaldag" in flat(p) for p in pages) >= 2  # the heading repeated
    interest_pages = [p[p.index("Periode (van–tot)"):] for p in pages if "Periode (van–tot)" in p]
    assert len(interest_pages) >= 2
    for part in interest_pages:  # a document's periods and compensation never torn over two pages
        numbers = re.findall(r"2024-\d{6}", part)
        assert numbers and len(numbers) == part.count("Forfaitaire schadevergoeding (art. 6)")
        assert len(re.findall(r"\d\d/\d\d/\d{4}–\d\d/\d\d/\d{4}", part)) == 2 * len(numbers)
    (pay,) = [p for p in pages if "Gestructureerde mededeling" in p]
    assert reminder.structured_reference in pay and "Scan om te betalen" in pay
    assert format_money(reminder.total, "nl").replace("\xa0", " ") in flat(pay)


# --- golden files ------------------------------------------------------------------------------------------

GOLDEN_REMINDERS = ("L1-en", "L2-nl", "L3-fr", "L3-fr-legal-nl")


@pytest.mark.parametrize("name", GOLDEN_REMINDERS)
def test_reminder_workbook_cells_match_the_golden_dump(name, rendered):
    check_golden(f"reminder-workbook-{name}.txt", workbook_dump(rendered[name][0]))


def test_reminder_workbook_bytes(rendered):
    text = "".join(f"{name} {hashlib.sha256(rendered[name][0]).hexdigest()}\n" for name in SAMPLES)
    check_golden("reminder-workbook-sha256.txt", text)


# --- the invoice's bytes are what they were ----------------------------------------------------------------


def test_invoice_workbooks_are_unchanged_by_the_generic_writer():
    """The golden hashes of the invoice samples (tests/golden/workbook-sha256.txt, written before
    the writers rendered any layout) still hold, through both entry points and both writers."""
    expected = dict(line.split() for line in (GOLDEN / "workbook-sha256.txt").read_text().splitlines())
    for name, invoice in sample_set().items():
        if name not in expected:
            continue
        layout = invoice_layout(invoice)
        assert invoice_xlsx.layout_extras(layout) == ()
        data = render_invoice_xlsx(invoice)
        assert hashlib.sha256(data).hexdigest() == expected[name], name
        assert render_layout_xlsx(layout) == data == render_invoice_xlsx(invoice, plain=True)


def test_both_writers_know_every_style_of_both_layouts():
    styles = set(invoice_xlsx._format_specs("nl", invoice_xlsx.EXTRA_STYLES))
    assert set(invoice_pdf.STYLES) | set(invoice_pdf.EXTRA_STYLES) == styles | {"qr"}
    assert set(invoice_pdf.EXTRA_STYLES) == set(invoice_xlsx.EXTRA_STYLES)
    used = {c.style for r in SAMPLES.values() for v in layout_of(r).versions for b in v.blocks for c in b.cells}
    assert used <= styles | {"qr"}


def test_doctests():
    for module in (reminder_layout, reminder_documents, invoice_pdf):
        result = doctest.testmod(module)
        assert result.failed == 0 and result.attempted > 0, module.__name__
