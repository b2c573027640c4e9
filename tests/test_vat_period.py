"""The accountant's VAT period (SPEC §10): period parsing, the grids with their documents, the late
interventions, the intra-community listing, the workbook and the UBL archive.

The central test recomputes the grids and the listing INDEPENDENTLY from the UBL files alone
(parsed with lxml: Invoice or CreditNote, IssueDate, TaxSubtotal categories and amounts, the
credited invoice's date) and holds the figures to them to the cent; the totals are also written
out by hand from tests/vat_samples.py.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from collections import defaultdict
from datetime import date
from decimal import Decimal as D

import openpyxl
import pytest
from hypothesis import given, settings as hsettings, strategies as st
from lxml import etree

from batch.documents.figures import intra_community_rows, vat_grids
from batch.documents.summary import _result
from batch.documents.ubl import render_ubl
from batch.documents.ubl_zip import render_ubl_zip, zip_name
from batch.documents.vat_workbook import render_vat_workbook
from batch.problems import UsageError
from batch.settings import Seller
from batch.texts_vat import TEXTS
from batch.vat_period import (
    GRIDS, SHOWN_GRIDS, VatPeriod, document_grids, legal_deadline, negate, parse_vat_period, period_figures,
)
from tests.vat_samples import PARTIES, book, document

SELLER = Seller()
NS = {"cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
      "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"}

# hand-checked from tests/vat_samples.py
Q1_GRIDS = {"03": D("809.75"),   # 309.75 (2027-000001) + 500.00 (000006)
            "44": D("2459.75"),  # 309.75 FR + 1000.00 NL + 900.00 NL + 250.00 DE
            "47": D("309.75"),   # 000003, GB
            "48": D("1200.00"),  # 200.00 (credits an FR invoice of 2026) + 1000.00 (credits 000005)
            "49": D("409.75"),   # 100.00 (S, credits 2026-000040) + 309.75 (O, credits 000003)
            "54": D("170.05"),   # 65.05 + 105.00
            "64": D("21.00")}    # 21.00 + 0.00
Q1_LISTING = [("DE", "136695976", D("250.00"), None),
              ("FR", "40303265045", D("309.75"), None),
              ("NL", "004495445B01", D("900.00"), None),  # 1000.00 − 1000.00 + 900.00
              ("FR", "40303265045", D("-200.00"), "2026Q4")]


# --- the period ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text, label, first, last, kind", [
    ("2027Q1", "2027Q1", date(2027, 1, 1), date(2027, 3, 31), "quarter"),
    ("2027q4", "2027Q4", date(2027, 10, 1), date(2027, 12, 31), "quarter"),
    ("2027-Q2", "2027Q2", date(2027, 4, 1), date(2027, 6, 30), "quarter"),
    ("2027-01", "2027-01", date(2027, 1, 1), date(2027, 1, 31), "month"),
    ("2028-2", "2028-02", date(2028, 2, 1), date(2028, 2, 29), "month"),
    (" 2027-12 ", "2027-12", date(2027, 12, 1), date(2027, 12, 31), "month"),
])
def test_parse_period(text, label, first, last, kind):
    p = parse_vat_period(text)
    assert (p.label, p.first, p.last, p.kind) == (label, first, last, kind)
    assert parse_vat_period(p.label) == p


@pytest.mark.parametrize("text", ["", "2027", "2027Q5", "2027Q0", "2027-00", "2027-13", "27Q1", "Q1 2027",
                                  "2027-01-01", "1999Q1", "januari", None, "2027/01"])
def test_parse_period_refuses_with_the_form_to_write(text):
    with pytest.raises(UsageError, match="2027Q1") as info:
        parse_vat_period(text)
    assert info.value.exit_code == 2


def test_parse_period_follows_the_filer_setting():
    assert parse_vat_period("2027Q1", filer="quarter").label == "2027Q1"
    assert parse_vat_period("2027-03", filer="month").label == "2027-03"
    with pytest.raises(UsageError, match=r'vat.period = "quarter".*2027Q1'):
        parse_vat_period("2027-03", filer="quarter")
    with pytest.raises(UsageError, match=r'vat.period = "month".*2027-01'):
        parse_vat_period("2027Q1", filer="month")


def test_legal_deadline_is_the_15th_of_the_next_month():
    assert legal_deadline(date(2027, 1, 31)) == date(2027, 2, 15)
    assert legal_deadline(date(2026, 12, 1)) == date(2027, 1, 15)
    assert VatPeriod.of(date(2026, 12, 31), "month").label == "2026-12"


def test_negate_never_gives_minus_zero():
    assert str(negate(D("0.00"))) == "0.00" and str(negate(D("-0"))) == "0.00"
    assert str(negate(D("0.004"))) == "0.00"


# --- the figures, hand-checked ------------------------------------------------------------------


def test_quarter_figures_hand_checked():
    f = period_figures(parse_vat_period("2027Q1"), book())
    assert f.grids == Q1_GRIDS
    assert [d.number for d in f.documents] == [f"2027-{n:06d}" for n in range(1, 12)]
    assert (len(f.invoices), len(f.credit_notes)) == (7, 4)
    # the Q2 run dated 28 March is in the Q1 return; 31 Dec and 1 April and the draft are not
    assert "2027-000011" in {d.number for d in f.documents}
    assert [(r.country, r.vat_number, r.amount, r.corrects.label if r.corrects else None)
            for r in f.listing] == Q1_LISTING
    assert f.listing_total == D("1259.75")
    assert f.listing[2].documents == ("2027-000005", "2027-000007", "2027-000008")
    assert not f.problems and not f.is_empty


def test_each_grid_lists_the_documents_that_make_it_up():
    f = period_figures(parse_vat_period("2027Q1"), book())
    assert {g: [e.number for e in es] for g, es in f.entries.items()} == {
        "03": ["2027-000001", "2027-000006"],
        "44": ["2027-000002", "2027-000005", "2027-000008", "2027-000011"],
        "47": ["2027-000003"],
        "48": ["2027-000004", "2027-000007"],
        "49": ["2027-000009", "2027-000010"],
        "54": ["2027-000001", "2027-000006"],
        "64": ["2027-000009"],  # the credit notes without VAT do not make it up
    }
    for grid, entries in f.entries.items():
        assert sum((e.amount for e in entries), D("0.00")) == f.grids[grid]
    e = f.entries["54"][1]
    assert (e.customer_name, e.date, e.base, e.vat, e.amount) == ("Juwelier Peeters BV", date(2027, 2, 12),
                                                                  D("500.00"), D("105.00"), D("105.00"))


def test_late_interventions_hand_checked():
    f = period_figures(parse_vat_period("2027Q1"), book())
    assert [(x.number, x.kind, x.intervention_id, x.deadline, x.days_late, x.amount, x.vat) for x in f.late] == [
        ("2027-000001", "regie", "I-1002", date(2026, 12, 15), 21, D("75.00"), D("15.75")),
        ("2027-000002", "regie", "I-1002", date(2026, 12, 15), 21, D("75.00"), D("0.00")),
        ("2027-000003", "regie", "I-1002", date(2026, 12, 15), 21, D("75.00"), D("0.00")),
        ("2027-000006", "upgrade", "", date(2027, 2, 1), 11, D("50.00"), D("10.50")),  # deadline carried
        ("2027-000008", "regie", "I-2001", date(2027, 2, 15), 10, D("100.00"), D("0.00")),
    ]
    # I-1003 (28/12, due 15/01, invoiced 05/01), I-2002 (due 15/04) and the credit note's lines: not late


def test_monthly_filer_hand_checked_and_months_add_up_to_the_quarter():
    months = {m: period_figures(parse_vat_period(m), book()) for m in ("2027-01", "2027-02", "2027-03")}
    jan = months["2027-01"]
    assert jan.grids == {"03": D("309.75"), "44": D("309.75"), "47": D("309.75"), "48": D("200.00"),
                         "49": D("0.00"), "54": D("65.05"), "64": D("0.00")}
    assert [(r.country, r.amount, r.corrects.label if r.corrects else None) for r in jan.listing] == [
        ("FR", D("309.75"), None), ("FR", D("-200.00"), "2026-11")]  # the month of the credited invoice
    assert months["2027-02"].grids["44"] == D("1900.00") and months["2027-02"].grids["48"] == D("1000.00")
    assert [(r.country, r.amount) for r in months["2027-02"].listing] == [("NL", D("900.00"))]
    assert months["2027-03"].grids["49"] == D("409.75")
    quarter = period_figures(parse_vat_period("2027Q1"), book())
    for g in GRIDS:
        assert sum((m.grids.get(g, D("0")) for m in months.values()), D("0.00")) == quarter.grids.get(g, D("0.00"))


def test_a_credit_note_on_an_earlier_month_of_the_same_quarter():
    docs = [document("2027-000001", date(2027, 1, 10), "DE", "300.00"),
            document("2027-000002", date(2027, 3, 3), "DE", "300.00", credit_of=("2027-000001", date(2027, 1, 10)))]
    quarter = period_figures(parse_vat_period("2027Q1"), docs)
    assert quarter.listing == ()  # nets to 0.00 within the quarter: not listed
    assert (quarter.grids["44"], quarter.grids["48"]) == (D("300.00"), D("300.00"))
    march = period_figures(parse_vat_period("2027-03"), docs)
    (row,) = march.listing
    assert (row.amount, row.corrects.label, row.documents) == (D("-300.00"), "2027-01", ("2027-000002",))


def test_zero_vat_on_a_credit_note_is_plain_zero():
    f = period_figures(parse_vat_period("2027Q1"), book())
    row = next(r for r in f.rows if r.number == "2027-000010")
    assert (str(row.net), str(row.vat), str(row.total)) == ("-309.75", "0.00", "-309.75")
    assert all(not (x.is_zero() and x.is_signed()) for r in f.rows for x in (r.net, r.vat, r.total))
    assert str(f.entries["49"][1].vat) == "0.00" and str(f.grids["64"]) == "21.00"


def test_empty_period_is_a_result_not_an_error():
    f = period_figures(parse_vat_period("2031Q2"), book())
    assert f.is_empty and f.documents == () and f.listing == () and f.late == ()
    assert f.grids == {g: D("0.00") for g in SHOWN_GRIDS}


def test_ae_customer_without_vat_number_is_a_problem():
    from dataclasses import replace
    doc = document("2027-000001", date(2027, 1, 10), "DE", "300.00")
    doc = replace(doc, buyer=replace(doc.buyer, vat_number=None))
    f = period_figures(parse_vat_period("2027Q1"), [doc])
    (problem,) = f.problems
    assert (problem.code, problem.number, problem.customer_id) == ("no_vat_number", "2027-000001", "K0104")
    assert f.listing[0].vat_number == "" and f.grids["44"] == D("300.00")


def test_same_rule_as_the_run_summary():
    """summary.vat_grids (per run) and this module agree on every document and every period."""
    docs = book()
    for doc in docs:
        mine = {g: amount for g, (base, vat) in document_grids(doc).items()
                for amount in [vat if g in ("54", "64") else base]}
        # the run's grid table shows a VAT grid it touched with 0.00; a document without VAT feeds none here
        theirs = vat_grids(_result([doc]))
        assert {g: v for g, v in theirs.items() if v or g not in ("54", "64")} == mine
    f = period_figures(parse_vat_period("2027Q1"), docs)
    theirs = vat_grids(_result(list(f.documents)))
    assert {g: f.grids[g] for g in theirs} == theirs
    assert all(v == 0 for g, v in f.grids.items() if g not in theirs)
    # the run's listing nets every AE document per customer; ours splits out the corrections
    run_rows = {r["vat_number"]: r["base"] for r in intra_community_rows(_result(list(f.documents)))}
    ours = defaultdict(lambda: D("0.00"))
    for r in f.listing:
        ours[r.country + r.vat_number] += r.amount
    assert run_rows == dict(ours)


# --- independently from the UBL files -----------------------------------------------------------


def _ubl_files(docs) -> list[tuple[str, bytes]]:
    return [(f"{d.number or 'CONCEPT'}.xml", render_ubl(d)) for d in docs]


def _from_ubl(files: list[tuple[str, bytes]], first: date, last: date, monthly: bool):
    """Grids and listing computed from nothing but UBL XML."""
    grids: dict[str, D] = defaultdict(lambda: D("0.00"))
    listing: dict[tuple, D] = defaultdict(lambda: D("0.00"))
    numbers = []
    for _, data in files:
        root = etree.fromstring(data)
        number = root.findtext("cbc:ID", namespaces=NS)
        issued = date.fromisoformat(root.findtext("cbc:IssueDate", namespaces=NS))
        if number == "CONCEPT" or not first <= issued <= last:
            continue
        numbers.append(number)
        credit = etree.QName(root).localname == "CreditNote"
        buyer_vat = root.findtext("cac:AccountingCustomerParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID",
                                  namespaces=NS)
        credited = root.findtext("cac:BillingReference/cac:InvoiceDocumentReference/cbc:IssueDate", namespaces=NS)
        for sub in root.iterfind("cac:TaxTotal/cac:TaxSubtotal", namespaces=NS):
            base = D(sub.findtext("cbc:TaxableAmount", namespaces=NS))
            vat = D(sub.findtext("cbc:TaxAmount", namespaces=NS))
            category = sub.findtext("cac:TaxCategory/cbc:ID", namespaces=NS)
            percent = D(sub.findtext("cac:TaxCategory/cbc:Percent", default="0", namespaces=NS))
            if credit:
                grids["48" if category == "AE" else "49"] += base
                grids["64"] += vat
            elif category == "S":
                grids[{D(0): "00", D(6): "01", D(12): "02", D(21): "03"}[percent]] += base
                grids["54"] += vat
            elif category == "AE":
                grids["44"] += base
            else:
                grids["47"] += base
            if category == "AE":
                corrects = None
                if credit and credited and date.fromisoformat(credited) < first:
                    c = date.fromisoformat(credited)
                    corrects = f"{c.year}-{c.month:02d}" if monthly else f"{c.year}Q{(c.month - 1) // 3 + 1}"
                listing[(buyer_vat[:2], buyer_vat[2:], corrects)] += -base if credit else base
    return dict(grids), {k: v for k, v in listing.items() if v}, numbers


@pytest.mark.parametrize("label", ["2027Q1", "2027-01", "2027-02", "2027-03", "2026Q4", "2027Q2"])
def test_grids_and_listing_recomputed_from_the_ubl_files(label):
    docs = book()
    period = parse_vat_period(label)
    f = period_figures(period, docs)
    grids, listing, numbers = _from_ubl(_ubl_files(docs), period.first, period.last, period.kind == "month")
    assert sorted(numbers) == [d.number for d in f.documents]
    assert {g: v for g, v in f.grids.items() if v} == {g: v for g, v in grids.items() if v}
    assert {(r.country, r.vat_number, r.corrects.label if r.corrects else None): r.amount
            for r in f.listing} == listing


def test_the_period_zip_holds_the_ubl_files_and_gives_the_same_grids():
    docs = book()
    period = parse_vat_period("2027Q1")
    f = period_figures(period, docs)
    files = _ubl_files(f.documents)
    data = render_ubl_zip(reversed(files))
    assert zip_name(period) == "ubl-2027Q1.zip"
    assert data == render_ubl_zip(files)  # the same files in any order: the same bytes
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.namelist() == [f"2027-{n:06d}.xml" for n in range(1, 12)]
    assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in archive.infolist())
    unpacked = [(n, archive.read(n)) for n in archive.namelist()]
    assert unpacked == sorted(files)
    grids, listing, _ = _from_ubl(unpacked, period.first, period.last, False)
    assert {g: v for g, v in grids.items() if v} == Q1_GRIDS
    assert sum(listing.values()) == D("1259.75")


def test_zip_refuses_duplicate_and_unsafe_names():
    with pytest.raises(ValueError, match="two UBL files named a.xml"):
        render_ubl_zip([("a.xml", b"1"), ("a.xml", b"2")])
    for name in ("../a.xml", "sub/a.xml", ""):
        with pytest.raises(ValueError, match="plain file name"):
            render_ubl_zip([(name, b"1")])
    assert zipfile.ZipFile(io.BytesIO(render_ubl_zip([]))).namelist() == []


amounts = st.decimals(min_value=D("0.01"), max_value=D("5000"), places=2)


@hsettings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["S", "FR", "NL", "DE", "O"]), amounts,
                          st.dates(date(2026, 10, 1), date(2027, 6, 30)), st.booleans(),
                          st.dates(date(2026, 7, 1), date(2027, 6, 30))), max_size=25))
def test_months_add_up_to_quarters_and_the_summary_agrees(specs):
    docs = []
    for i, (who, amount, issued, credit, credited) in enumerate(specs, start=1):
        credit_of = (f"X-{i}", min(credited, issued)) if credit else None
        docs.append(document(f"2027-{i:06d}", issued, who, str(amount), credit_of=credit_of))
    for q in ("2026Q4", "2027Q1", "2027Q2"):
        quarter = period_figures(parse_vat_period(q), docs)
        months = [period_figures(VatPeriod.of(quarter.period.first.replace(month=quarter.period.first.month + k),
                                              "month"), docs) for k in range(3)]
        for g in GRIDS:
            assert sum((m.grids.get(g, D(0)) for m in months), D("0.00")) == quarter.grids.get(g, D("0.00"))
        theirs = vat_grids(_result(list(quarter.documents)))
        assert {g: quarter.grids[g] for g in theirs} == theirs
        # the listing is the AE part of 44 − 48, whether the credit notes correct an earlier period or not
        assert quarter.listing_total == quarter.grids["44"] - quarter.grids["48"]


# --- the workbook -------------------------------------------------------------------------------


def _table(ws, name):
    ref = ws.tables[name].ref
    cells = ws[ref]
    headers = [c.value for c in cells[0]]
    return [dict(zip(headers, (c.value for c in row))) for row in cells[1:]]


def test_workbook_shows_the_grids_documents_late_lines_and_listing():
    f = period_figures(parse_vat_period("2027Q1"), book())
    data = render_vat_workbook(f, SELLER)
    assert data == render_vat_workbook(f, SELLER)  # same figures, same bytes
    wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    assert wb.sheetnames == ["Overzicht", "Roosters", "Documenten", "Laattijdig", "IC-opgave"]
    overview = wb["Overzicht"]
    grids = {r["Rooster"]: (D(str(r["Bedrag"])).quantize(D("0.01")), r["Documenten"])
             for r in _table(overview, "Roostertotalen")}
    assert {g: v[0] for g, v in grids.items()} == Q1_GRIDS and grids["44"][1] == 4
    texts = [c.value for row in overview.iter_rows() for c in row if isinstance(c.value, str)]
    assert any("59, 81 tot 88" in t for t in texts)  # purchase grids: not computed here
    facts = {r["Omschrijving"]: r["Waarde"] for r in _table(overview, "Periode")}
    assert facts["Aantal facturen"] == 7 and facts["Aantal creditnota's"] == 4
    assert D(str(facts["Omzet excl. btw (creditnota's afgetrokken)"])).quantize(D("0.01")) == D("1969.50")
    assert D(str(facts["Btw (creditnota's afgetrokken)"])).quantize(D("0.01")) == D("149.05")
    roosters = wb["Roosters"]
    for grid, total in Q1_GRIDS.items():
        rows = _table(roosters, f"Rooster{grid}")
        column = "Btw" if grid in ("54", "64") else "Maatstaf"
        assert D(str(rows[-1][column])).quantize(D("0.01")) == total  # the total row is the grid
        assert len(rows) - 1 == len(f.entries[grid])
    docs = _table(wb["Documenten"], "Documenten")
    assert [r["Nummer"] for r in docs[:-1]] == [d.number for d in f.documents]
    assert docs[9]["Soort"] == "creditnota" and docs[9]["Btw"] == 0
    # grid 64 is the VAT to repay on credit notes: a credit note without VAT (AE, O) is not coded 64,
    # the same in the Documenten sheet, the grid's list and journal.csv (batch.vat_period.grid_codes)
    assert {r["Nummer"]: r["Roosters"] for r in docs[:-1] if r["Soort"] == "creditnota"} == {
        "2027-000004": "48", "2027-000007": "48", "2027-000009": "49+64", "2027-000010": "49"}
    assert [r["Nummer"] for r in _table(roosters, "Rooster64")[:-1]] == ["2027-000009"]
    late = _table(wb["Laattijdig"], "Laattijdig")
    assert [(r["Nummer"], r["Dagen te laat"]) for r in late[:-1]] == [
        ("2027-000001", 21), ("2027-000002", 21), ("2027-000003", 21), ("2027-000006", 11), ("2027-000008", 10)]
    assert D(str(late[-1]["Btw"])).quantize(D("0.01")) == D("26.25")
    listing = _table(wb["IC-opgave"], "ICopgave")
    assert [(r["Land"], r["Btw-nummer"], r["Verbetert periode"]) for r in listing[:-1]] == [
        ("DE", "136695976", None), ("FR", "40303265045", None), ("NL", "004495445B01", None),
        ("FR", "40303265045", "2026Q4")]
    assert D(str(listing[-1]["Bedrag"])).quantize(D("0.01")) == D("1259.75")
    for ws in wb.worksheets:
        assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "landscape"
        assert ws.sheet_properties.pageSetUpPr.fitToPage


def test_workbook_totals_are_formulas_with_cached_values():
    f = period_figures(parse_vat_period("2027Q1"), book())
    ws = openpyxl.load_workbook(io.BytesIO(render_vat_workbook(f, SELLER)))["Roosters"]
    formulas = [c.value for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert formulas and all(v.startswith("=SUBTOTAL(109,") for v in formulas)


@pytest.mark.parametrize("language, sheet_title, grid_text", [
    ("fr", "Déclaration TVA 2027-02", "Services à des assujettis UE (autoliquidation)"),
    ("en", "VAT return 2027-02", "Services to EU VAT-registered customers (reverse charge)"),
])
def test_workbook_in_french_and_english_keeps_dutch_sheet_names(language, sheet_title, grid_text):
    f = period_figures(parse_vat_period("2027-02"), book())
    wb = openpyxl.load_workbook(io.BytesIO(render_vat_workbook(f, SELLER, language=language)))
    assert wb.sheetnames[0] == "Overzicht"
    assert wb["Overzicht"]["A1"].value.startswith(sheet_title)
    values = [c.value for row in wb["Overzicht"].iter_rows() for c in row]
    assert grid_text in values


def test_empty_period_workbook_says_so():
    f = period_figures(parse_vat_period("2031-05"), book())
    wb = openpyxl.load_workbook(io.BytesIO(render_vat_workbook(f, SELLER)), data_only=True)
    values = [c.value for row in wb["Overzicht"].iter_rows() for c in row]
    assert TEXTS["vat.empty"]["nl"] in values
    assert TEXTS["vat.no_listing"]["nl"] in [c.value for row in wb["IC-opgave"].iter_rows() for c in row]
    assert {r["Rooster"]: r["Bedrag"] for r in _table(wb["Overzicht"], "Roostertotalen")} == {g: 0 for g in SHOWN_GRIDS}


def test_more_sheets_can_be_added():
    f = period_figures(parse_vat_period("2027Q1"), book())

    def trends(book_, figures, L):
        ws = book_.sheet("Trends", "Trends")
        ws.write_string(3, 0, f"{len(figures.documents)} {L('vat.n_documents').lower()} — {book_.seller.name}")

    wb = openpyxl.load_workbook(io.BytesIO(render_vat_workbook(f, SELLER, extra_sheets=[trends])))
    assert wb.sheetnames[-1] == "Trends" and wb["Trends"]["A4"].value == "11 documenten — Juweelsoft BV"


def test_workbook_texts_exist_in_every_language():
    for key, texts in TEXTS.items():
        assert set(texts) == {"nl", "fr", "en"}, key
        assert all(texts.values()), key


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_the_workbook(tmp_path):
    f = period_figures(parse_vat_period("2027Q1"), book())
    path = tmp_path / "btw-aangifte.xlsx"
    path.write_bytes(render_vat_workbook(f, SELLER))
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to",
                    "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
                    "--outdir", str(tmp_path), str(path)], check=True, capture_output=True, timeout=180)
    overview = (tmp_path / "btw-aangifte-Overzicht.csv").read_text(encoding="utf-8")
    assert "2459.75" in overview.replace(",", "") or "2,459.75" in overview
    roosters = (tmp_path / "btw-aangifte-Roosters.csv").read_text(encoding="utf-8")
    assert "1200" in roosters.replace(",", "")  # the SUBTOTAL of grid 48, recomputed by LibreOffice


def test_buyers_of_the_sample_book():
    assert {p.country for p in PARTIES.values()} == {"BE", "FR", "NL", "DE", "GB"}


def test_grids_of_the_sample_documents():
    """The grids each kind of subtotal feeds (once the doctests of batch.vat_period)."""
    from batch.vat_period import grid_codes, grid_of
    from tests.samples import sample_invoice

    assert grid_of(sample_invoice("S"), "S", D("21")) == ("03", "54")
    assert grid_of(sample_invoice("AE"), "AE", D("0")) == ("44", None)
    assert grid_of(sample_invoice("O"), "O", D("0")) == ("47", None)
    assert grid_of(sample_invoice("AE", document_type="credit_note"), "AE", D("0")) == ("48", "64")
    assert grid_codes(sample_invoice("S")) == "03+54"
    assert grid_codes(sample_invoice("S", document_type="credit_note")) == "49+64"
    assert grid_codes(sample_invoice("AE", document_type="credit_note")) == "48"
