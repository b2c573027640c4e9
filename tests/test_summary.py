"""The accountant's summary workbook: figures in Decimal, the workbook read back with openpyxl."""

from __future__ import annotations

import dataclasses
import io
import zipfile
from datetime import date, datetime
from decimal import Decimal as D

import openpyxl
import pytest

from batch.documents.figures import (
    JOURNAL_COLUMNS, LINE_COLUMNS, is_balanced, journal_entry, journal_rows, line_rows, status_counts, vat_grids,
)
from batch.documents.summary import SHEETS, render_summary
from batch.model import STATUSES, CustomerSummary, InputFile, InterventionOutcome, RunResult
from batch.problems import ERROR, WARNING, Problem
from batch.settings import InvoiceSettings, Settings
from tests.samples import sample_invoice

SRC = "inbox/2026-12/interventies.xlsx!Interventies!"


def make_invoices():
    return [
        sample_invoice("S", "nl", "2027-000001"),
        sample_invoice("AE", "fr", "2027-000002"),
        sample_invoice("O", "en", "2027-000003"),
        sample_invoice("S", "nl", "2027-000004", document_type="credit_note"),
    ]


def make_result(language: str = "nl", invoices=None, dry_run: bool = False) -> RunResult:
    outcomes = [
        InterventionOutcome("I-1001", SRC + "2", "included", "K0001", date(2026, 10, 12), "2027-000001"),
        InterventionOutcome("I-1002", SRC + "3", "billed", "K0001", date(2026, 11, 3), "2027-000001", D("75.00")),
        InterventionOutcome("I-1003", SRC + "4", "billed", "K0001", date(2026, 12, 28), "2027-000001", D("18.75")),
        InterventionOutcome("I-1004", SRC + "5", "deferred", "K0001", date(2027, 1, 3), reason="na 2026-12-31"),
        InterventionOutcome("I-0900", SRC + "6", "before-start", "K0102", date(2026, 9, 1)),
        InterventionOutcome("I-1005", SRC + "7", "held", "K0300", date(2026, 11, 9),
                            reason="klant K0300 heeft een fout in licenties.xlsx"),
        InterventionOutcome("", SRC + "8", "rejected", "K0001", reason="interventienummer ontbreekt"),
        InterventionOutcome("I-1002", "inbox/2026-11/interventies.xlsx!Interventies!3", "duplicate", "K0001"),
        InterventionOutcome("I-0950", SRC + "9", "already-billed", "K0001", date(2026, 10, 2), "2026-000007"),
    ]
    problems = [
        Problem(ERROR, 'aankoopdatum "31/02/2026" is geen datum', fix="schrijf de datum als 28/02/2026",
                file="inbox/2026-12/licenties.xlsx", sheet="Licenties", row=14, column="aankoopdatum",
                cell="C14", value="31/02/2026", customer_id="K0300", code="date.invalid"),
        Problem(WARNING, "klant zonder communicatiepakket kreeg internetondersteuning",
                file="inbox/2026-12/interventies.xlsx", sheet="Interventies", row=3, column="kanaal",
                cell="E3", value="internet", customer_id="K0001"),
        Problem(WARNING, "=1+1 is geen geldige waarde", file="inbox/2026-12/klanten.xlsx",
                sheet="Klanten", row=5, cell="B5", value="=1+1"),
    ]
    files = [
        InputFile("inbox/2026-12/klanten.xlsx", "a" * 64, "klanten", ("Klanten",), 12, "2026-12"),
        InputFile("inbox/2026-12/licenties.xlsx", "b" * 64, "licenties", ("Licenties",), 30, "2026-12"),
        InputFile("inbox/2026-12/interventies.xlsx", "c" * 64, "interventies", ("Interventies",), 8),
        InputFile("tarieven.xlsx", "d" * 64, "tarieven", ("Modules", "Regie", "Verlof"), 9),
    ]
    customers = [
        CustomerSummary("K0001", "Juwelier Peeters BV", "actief", date(2027, 3, 31), D("0.00"), D("0.00"),
                        D("0.00"), D("0.00")),
        CustomerSummary("K0102", "Bijouterie Dubois SARL", "actief", date(2027, 3, 31), D("216.00"),
                        D("93.75"), D("0.00"), D("309.75")),
        CustomerSummary("K0201", "Goldsmith Ltd", "opgezegd op 2026-11-20", date(2026, 11, 19), D("216.00"),
                        D("93.75"), D("0.00"), D("309.75")),
        CustomerSummary("K0300", "Goudsmid Janssens", "actief", date(2026, 12, 31), D("0.00"), D("0.00"),
                        D("0.00"), D("0.00"), held=True, held_reason="fout in licenties.xlsx C14"),
    ]
    settings = Settings(invoice=InvoiceSettings(language=language))
    return RunResult(
        quarter="2027Q1", label="2027Q1-concept" if dry_run else "2027Q1", dry_run=dry_run,
        run_at="2027-01-05T10:15:00", invoice_date=date(2027, 1, 5),
        invoices=make_invoices() if invoices is None else invoices, interventions=outcomes,
        problems=problems, input_files=files, customers=customers, settings=settings, version="0.1.0",
    )


@pytest.fixture(scope="module")
def book():
    data = render_summary(make_result())
    return data, openpyxl.load_workbook(io.BytesIO(data)), openpyxl.load_workbook(io.BytesIO(data), data_only=True)


def table_rows(ws, name):
    """The rows of table ``name`` as dicts keyed by its headers (total row excluded)."""
    table = ws.tables[name]
    cells = ws[table.ref]
    headers = [c.value for c in cells[0]]
    body = cells[1:-1] if table.totalsRowCount else cells[1:]
    return [dict(zip(headers, (c.value for c in row))) for row in body], \
        (dict(zip(headers, (c.value for c in cells[-1]))) if table.totalsRowCount else None)


def money(x) -> D:
    return D(str(x)).quantize(D("0.01"))


# --- the figures -----------------------------------------------------------------------------


def test_journal_rows_have_exactly_the_csv_columns_and_signed_amounts():
    rows = journal_rows(make_result())
    assert [tuple(r) for r in rows] == [JOURNAL_COLUMNS] * 4
    s, ae, o, cn = rows
    assert (s["net"], s["vat"], s["total"], s["vat_category"]) == (D("309.75"), D("65.05"), D("374.80"), "S")
    assert (ae["vat"], ae["vat_category"], ae["country"]) == (D("0.00"), "AE", "FR")
    assert o["vat_number"] == "" and o["vat_category"] == "O"
    assert (cn["document_type"], cn["net"], cn["vat"], cn["total"]) == ("credit_note", D("-309.75"),
                                                                          D("-65.05"), D("-374.80"))
    assert s["date"] == "2027-01-05" and s["due_date"] == "2027-02-04"
    assert s["structured_reference"] == "+++202/7000/00122+++"
    assert sum(r["total"] for r in rows) == D("619.50")


def test_journal_joins_several_vat_categories():
    inv = sample_invoice("S")
    extra = dataclasses.replace(inv.vat_breakdown[0], category="AE", rate=D("0"), base=D("0.00"), vat=D("0.00"))
    mixed = dataclasses.replace(inv, vat_breakdown=inv.vat_breakdown + (extra,))
    assert journal_rows(make_result(invoices=[mixed]))[0]["vat_category"] == "S+AE"


def test_line_rows_have_exactly_the_csv_columns_and_credit_lines_are_negative():
    rows = line_rows(make_result())
    assert len(rows) == 16 and all(tuple(r) == LINE_COLUMNS for r in rows)
    first = rows[0]
    assert (first["number"], first["kind"], first["module"], first["period_start"], first["period_end"],
            first["quantity"], first["unit_price"], first["amount"], first["gl_account"]) == \
        ("2027-000001", "fee", "JUW", "2027-01-01", "2027-03-31", D("3"), D("48.00"), D("144.00"), "700000")
    regie = rows[3]
    assert (regie["intervention_id"], regie["period_start"], regie["gl_account"], regie["quantity"]) == \
        ("I-1003", "2026-12-28", "700100", D("0.25"))
    credit = [r for r in rows if r["number"] == "2027-000004"]
    assert [r["amount"] for r in credit] == [D("-144.00"), D("-72.00"), D("-75.00"), D("-18.75")]
    assert all(r["quantity"] * r["unit_price"] == r["amount"] for r in rows)


def test_journal_entry_is_balanced_and_credit_notes_reverse():
    entry = journal_entry(make_result())
    assert is_balanced(entry)
    debit = {(e.account, e.side_key): e.debit for e in entry if e.debit}
    credit = {(e.account, e.side_key): e.credit for e in entry if e.credit}
    assert debit[("400000", "on_invoices")] == D("994.30")
    assert credit[("700000", "on_invoices")] == D("648.00")
    assert credit[("700100", "on_invoices")] == D("281.25")
    assert credit[("451000", "on_invoices")] == D("65.05")
    assert credit[("400000", "on_credit_notes")] == D("374.80")
    assert debit[("700000", "on_credit_notes")] == D("216.00")
    assert debit[("451000", "on_credit_notes")] == D("65.05")
    assert sum(e.debit for e in entry) == D("1369.10")


def test_unbalanced_invoice_is_reported_not_hidden():
    inv = sample_invoice("S")
    wrong = dataclasses.replace(inv, total=inv.total + D("0.01"))
    assert not is_balanced(journal_entry(make_result(invoices=[wrong])))


def test_vat_grids_are_the_sums_of_their_invoices():
    assert vat_grids(make_result()) == {
        "03": D("309.75"), "44": D("309.75"), "47": D("309.75"), "49": D("309.75"),
        "54": D("65.05"), "64": D("65.05"),
    }
    ae_credit = sample_invoice("AE", number="2027-000009", document_type="credit_note")
    assert vat_grids(make_result(invoices=[ae_credit])) == {"48": D("309.75"), "64": D("0.00")}


def test_status_counts_cover_every_status_and_add_up():
    result = make_result()
    counts = status_counts(result)
    assert tuple(counts) == STATUSES
    assert sum(counts.values()) == len(result.interventions) == 9
    assert counts["billed"] == 2 and counts["duplicate"] == 1


# --- the workbook ----------------------------------------------------------------------------


def test_sheets_in_order_each_a_table_with_frozen_header(book):
    _, wb, _ = book
    assert wb.sheetnames == list(SHEETS)
    for ws in wb.worksheets:
        assert ws.tables, ws.title
        assert ws.freeze_panes is not None, ws.title
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0  # 1 = default


def test_journal_sheet_total_equals_the_invoices(book):
    _, _, values = book
    rows, total = table_rows(values["Verkoopdagboek"], "Verkoopdagboek")
    assert [r["Nummer"] for r in rows] == ["2027-000001", "2027-000002", "2027-000003", "2027-000004"]
    assert [money(r["Incl. btw"]) for r in rows] == [D("374.80"), D("309.75"), D("309.75"), D("-374.80")]
    assert money(total["Incl. btw"]) == D("619.50") == sum(money(r["Incl. btw"]) for r in rows)
    assert money(total["Excl. btw"]) == D("619.50") and money(total["Btw"]) == D("0.00")
    assert rows[3]["Soort document"] == "creditnota" and rows[3]["Crediteert factuur"] == "2026-000007"


def test_journal_links_to_the_invoice_files(book):
    _, wb, _ = book
    ws = wb["Verkoopdagboek"]
    # xlsxwriter stores relative file links with Windows separators, as Excel does
    links = {c.hyperlink.target.replace("\\", "/") for row in ws.iter_rows() for c in row if c.hyperlink}
    assert links == {f"facturen/2027-00000{i}.xlsx" for i in range(1, 5)}


def test_ledger_sheet_entry_balanced_to_the_cent(book):
    _, _, values = book
    ws = values["Grootboek"]
    rows, total = table_rows(ws, "Boeking")
    assert money(total["Debet"]) == money(total["Credit"]) == D("1369.10")
    assert sum(money(r["Debet"] or 0) for r in rows) == sum(money(r["Credit"] or 0) for r in rows)
    per_account, _ = table_rows(ws, "PerRekening")
    assert {(r["Rekening"], r["Btw-categorie"]): money(r["Excl. btw"]) for r in per_account} == {
        ("700000", "AE"): D("216.00"), ("700000", "O"): D("216.00"), ("700000", "S"): D("0.00"),
        ("700100", "AE"): D("93.75"), ("700100", "O"): D("93.75"), ("700100", "S"): D("0.00"),
    }


def test_vat_sheet_grids_and_intra_community_listing(book):
    _, _, values = book
    ws = values["BTW-aangifte"]
    grids, _ = table_rows(ws, "Roosters")
    assert {r["Rooster"]: money(r["Bedrag"]) for r in grids} == {
        "03": D("309.75"), "44": D("309.75"), "47": D("309.75"), "49": D("309.75"),
        "54": D("65.05"), "64": D("65.05"),
    }
    intra, total = table_rows(ws, "IntraListing")
    assert [(r["Btw-nummer"], money(r["Maatstaf"])) for r in intra] == [("FR40303265045", D("309.75"))]


def test_reconciliation_counts_add_up_to_the_rows(book):
    _, _, values = book
    ws = values["Interventies"]
    counts, total = table_rows(ws, "PerStatus")
    detail, _ = table_rows(ws, "Interventies")
    assert len(detail) == 9
    assert total["Aantal"] == sum(r["Aantal"] for r in counts) == len(detail)
    assert {r["Status"]: r["Aantal"] for r in counts}["billed"] == 2
    assert [r["Status"] for r in detail].count("held") == 1


def test_customers_problems_and_inputs(book):
    _, _, values = book
    customers, total = table_rows(values["Klanten"], "Klanten")
    held = [r for r in customers if r["Tegengehouden"] == "ja"]
    assert [(r["Klantnummer"], r["Reden"]) for r in held] == [("K0300", "fout in licenties.xlsx C14")]
    assert money(total["Totaal incl. btw"]) == D("619.50")
    problems, _ = table_rows(values["Problemen"], "Problemen")
    assert problems[0]["Ernst"] == "fout"
    assert problems[0]["Plaats"] == "inbox/2026-12/licenties.xlsx:Licenties!C14"
    assert problems[0]["Oplossing"] == "schrijf de datum als 28/02/2026"
    inputs, _ = table_rows(values["Invoer"], "Invoerbestanden")
    assert [r["SHA-256"] for r in inputs] == ["c" * 64, "a" * 64, "b" * 64, "d" * 64]  # sorted by path
    settings, _ = table_rows(values["Invoer"], "Instellingen")
    assert {r["Instelling"]: r["Waarde"] for r in settings}["accounts.receivables"] == "400000"


def test_charts_exist(book):
    data, _, _ = book
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    charts = sorted(n for n in names if n.startswith("xl/charts/"))
    assert charts == ["xl/charts/chart1.xml", "xl/charts/chart2.xml", "xl/charts/chart3.xml"]


def test_no_formula_from_user_text(book):
    _, wb, _ = book
    formulas = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f":
                    formulas.append((ws.title, c.coordinate, c.value))
    # the only formulas are the SUBTOTALs of table total rows, which we write ourselves
    assert formulas and all(str(v).startswith("=SUBTOTAL(109,") for _, _, v in formulas)
    lines = wb["Lijnen"]
    texts = [c.value for row in lines.iter_rows() for c in row if isinstance(c.value, str)]
    assert '=HYPERLINK("http://evil")' in texts
    problems = wb["Problemen"]
    assert "=1+1" in [c.value for row in problems.iter_rows() for c in row]


def test_amount_cells_have_a_money_format_and_dates_a_date_format(book):
    _, wb, _ = book
    ws = wb["Verkoopdagboek"]
    ref = ws.tables["Verkoopdagboek"].ref
    first = ws[ref][1]
    by_header = dict(zip([c.value for c in ws[ref][0]], first))
    assert "€" in by_header["Incl. btw"].number_format
    assert by_header["Datum"].number_format == "dd/mm/yyyy"
    assert by_header["Datum"].value.date() == date(2027, 1, 5)


def test_deterministic_bytes():
    assert render_summary(make_result()) == render_summary(make_result())


def test_language_translates_headers_not_sheet_names():
    wb = openpyxl.load_workbook(io.BytesIO(render_summary(make_result(language="fr"))))
    assert wb.sheetnames == list(SHEETS)
    ws = wb["Verkoopdagboek"]
    headers = [c.value for c in ws[ws.tables["Verkoopdagboek"].ref][0]]
    assert headers[:3] == ["Numéro", "Type de document", "Date"]


def test_dry_run_has_no_numbers_and_no_links():
    invoices = [dataclasses.replace(i, number=None, structured_reference=None) for i in make_invoices()]
    wb = openpyxl.load_workbook(io.BytesIO(render_summary(make_result(invoices=invoices, dry_run=True))))
    ws = wb["Verkoopdagboek"]
    rows, _ = table_rows(ws, "Verkoopdagboek")
    assert {r["Nummer"] for r in rows} == {"(concept)"}
    assert not [c for row in ws.iter_rows() for c in row if c.hyperlink]


def test_an_empty_run_still_renders():
    result = make_result(invoices=[])
    result.interventions = []
    result.problems = []
    wb = openpyxl.load_workbook(io.BytesIO(render_summary(result)), data_only=True)
    facts, _ = table_rows(wb["Overzicht"], "Kerncijfers")
    values = {r["Omschrijving"]: r["Waarde"] for r in facts}
    assert values["Aantal facturen"] == 0 and values["Totaal incl. btw"] == 0
    assert values["Boeking in evenwicht"] == "ja"
    assert wb["Problemen"]["A5"].value == "Geen problemen"


def test_large_streamed_sheets_keep_every_row_and_their_tables():
    """The big sheets are streamed (constant_memory): no row may be dropped, and the tables with
    their total rows must still cover exactly the data."""
    base = make_result()
    n = 4321  # more than the rows measured for widths, to cover both paths
    outcomes = [InterventionOutcome(f"I{i:05d}", f"inbox/x.xlsx!Interventies!{i + 2}",
                                    "billed" if i % 3 else "included", f"K{i % 50:03d}", date(2026, 11, 1 + i % 28),
                                    "2027-000001" if i % 3 else None, D("18.75") if i % 3 else D("0.00"),
                                    "reden " * (i % 4)) for i in range(n)]
    result = dataclasses.replace(base, interventions=outcomes)
    wb = openpyxl.load_workbook(io.BytesIO(render_summary(result)))
    ws = wb["Interventies"]
    table = ws.tables["Interventies"]
    first, last = table.ref.split(":")
    header_row = int("".join(ch for ch in first if ch.isdigit()))
    last_row = int("".join(ch for ch in last if ch.isdigit()))
    assert last_row - header_row == n + 1  # data rows and the total row
    ids = [ws.cell(r, 1).value for r in range(header_row + 1, header_row + 1 + n)]
    assert ids == [o.intervention_id for o in outcomes]
    assert ws.cell(header_row, 1).value and ws.cell(last_row, 1).value  # header and total label
    amounts = [ws.cell(r, 6).value for r in range(header_row + 1, header_row + 1 + n)]
    assert sum(D(str(a)) for a in amounts) == sum(o.amount for o in outcomes)
    total = ws.cell(last_row, 6).value
    assert str(total).startswith("=SUBTOTAL(109,")
    per_status = wb["Interventies"].tables["PerStatus"]
    assert per_status.totalsRowCount == 1


def _sheet_xml_without_widths(data: bytes) -> dict[str, bytes]:
    """Each worksheet's XML with its column widths (<cols>) left out."""
    import re

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: re.sub(rb"<cols>.*?</cols>", b"", z.read(n)) for n in z.namelist()
                if n.startswith("xl/worksheets/sheet")}


def test_rows_past_the_width_sample_are_written_like_the_measured_rows(monkeypatch):
    """Past the first rows a table is written by per-column writers that skip measuring: every
    cell (value, type, format, blank, link) must be the one the measured path writes, also for
    values a column does not normally hold."""
    from datetime import datetime

    import batch.documents.xlsx_tables as tables

    base = make_result()
    drafts = [dataclasses.replace(i, number=None, structured_reference=None) for i in make_invoices()]
    odd = [  # None date and amount, a datetime, multi-line and formula-like text, a space, an int amount
        InterventionOutcome("I-1", SRC + "2", "rejected"),
        InterventionOutcome("I-2", SRC + "3", "billed", "K1", datetime(2026, 11, 3, 9, 30), "2027-000001",
                            D("-0.00"), "regel 1\nregel 2"),
        InterventionOutcome("=1+1", SRC + "4", "deferred", "K1", date(2026, 12, 1), "", 7, " "),
    ]
    result = dataclasses.replace(base, invoices=make_invoices() + drafts, interventions=base.interventions + odd)
    monkeypatch.setattr(tables, "WIDTH_SAMPLE_ROWS", 10**9)
    measured = render_summary(result)
    monkeypatch.setattr(tables, "WIDTH_SAMPLE_ROWS", 0)
    fast = render_summary(result)
    measured_xml, fast_xml = _sheet_xml_without_widths(measured), _sheet_xml_without_widths(fast)
    assert len(fast_xml) == len(SHEETS)
    assert fast_xml == measured_xml
    wb = openpyxl.load_workbook(io.BytesIO(fast))
    rows, _ = table_rows(wb["Interventies"], "Interventies")
    assert [r["Interventie"] for r in rows[-3:]] == ["I-1", "I-2", "=1+1"]
    assert rows[-1]["Bedrag"] == 7 and rows[-2]["Datum"] == datetime(2026, 11, 3, 9, 30)


def test_direct_rows_give_the_bytes_of_the_cell_writers(monkeypatch):
    """Streamed tables write plain rows as XML at once (xlsx_direct.streamed_row_writer); the workbook
    must be byte for byte the one xlsxwriter writes cell by cell — with texts that need escaping,
    leading spaces, xlsxwriter's rich-string form, an over-long text, links, None and odd types."""
    import batch.documents.xlsx_tables as tables

    base = make_result()
    drafts = [dataclasses.replace(i, number=None, structured_reference=None) for i in make_invoices()]
    odd = [
        InterventionOutcome("I-1", SRC + "2", "rejected", reason=" leading & <trailing> "),
        InterventionOutcome("I-2\x01_x0041_", SRC + "3", "billed", "K1", date(2026, 11, 3), "2027-000001",
                            D("18.75"), "<r>rich</r>"),
        InterventionOutcome("I-3", SRC + "4", "deferred", "K1", datetime(2026, 12, 1, 8, 0), "", 7, "x" * 9000),
        InterventionOutcome("I-4", SRC + "5", "included", "K2", date(2026, 12, 2), None, D("0.00"), "\u00a0nbsp"),
        InterventionOutcome("I-5", SRC + "6", "included", "K2", date(2026, 12, 2), None, D("-0.00"), ""),
    ]
    result = dataclasses.replace(base, invoices=make_invoices() + drafts, interventions=base.interventions + odd)
    monkeypatch.setattr(tables, "WIDTH_SAMPLE_ROWS", 1)
    monkeypatch.setattr(tables, "DIRECT_ROWS", False)
    cells = render_summary(result)
    monkeypatch.setattr(tables, "DIRECT_ROWS", True)
    used = []
    original = tables.TableBook._direct_row_writer

    def counting(self, ws, first_col, cols):
        write = original(self, ws, first_col, cols)
        return lambda row, values, height=None: used.append((write(row, values, height), height)) or used[-1][0]

    monkeypatch.setattr(tables.TableBook, "_direct_row_writer", counting)
    direct = render_summary(result)
    assert direct == cells
    written = [ok for ok, _ in used]
    assert written.count(True) > 10 and written.count(False) >= 2  # both paths were taken
    assert any(ok and height for ok, height in used)  # a tall row (a wrapped text) written at once too


# --- end to end through the CLI (SPEC §7's workspace) ---------------------------------------------


def _cli(ws, *args):
    from click.testing import CliRunner

    from batch.cli import main

    result = CliRunner().invoke(main, ["-w", str(ws), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def worked(tmp_path_factory):
    """SPEC §7: 2026Q4 on 2026-10-05, 2027Q1 on 2027-01-05 (A, B, C), the Q4 invoice of A credited on
    2027-01-13 (a credit note of a 2026Q4 invoice in the 2027Q1 return), 2027Q2 billed on 2027-03-28."""
    from tests.workspaces import december, make_workspace

    ws = make_workspace(tmp_path_factory.mktemp("worked") / "ws")
    _cli(ws, "run", "2026Q4", "--invoice-date", "2026-10-05")
    december(ws)
    _cli(ws, "run", "2027Q1", "--invoice-date", "2027-01-05")
    _cli(ws, "credit", "2026-000001", "--reason", "verkeerde module", "--date", "2027-01-13")
    _cli(ws, "run", "2027Q2", "--invoice-date", "2027-03-28")
    return ws


def _xml_texts(data: bytes) -> str:
    """Every part of an xlsx package as one text (cells, shared strings, headers, charts, properties)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "\n".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))


def _facts(wb) -> dict:
    rows, _ = table_rows(wb["Overzicht"], "Kerncijfers")
    return {r["Omschrijving"]: r["Waarde"] for r in rows}


def test_worked_examples_csv_files_equal_their_golden_file(worked):
    """journal.csv, lines.csv and interventions.csv of SPEC §7's 2027Q1 run, as text (STYLE 8):
    BIJSTAND_REGENERATE=1 rewrites tests/golden/worked-examples-2027Q1-csv.txt."""
    from tests.goldens import check_golden

    folder = worked / "output" / "2027Q1"
    text = "".join(f"== {name} ==\n{(folder / name).read_text(encoding='utf-8')}"
                   for name in ("journal.csv", "lines.csv", "interventions.csv"))
    check_golden("worked-examples-2027Q1-csv.txt", text)


def test_a_runs_summary_names_the_vat_period_of_its_documents_dates_not_its_quarter(worked):
    """SPEC §10: a 2027Q2 run dated 28/03/2027 goes into the 2027Q1 return, and says so."""
    data = (worked / "output" / "2027Q2" / "overzicht.xlsx").read_bytes()
    wb = openpyxl.load_workbook(io.BytesIO(data))
    for ws in wb.worksheets:
        assert ws["B2"].value is None and "btw-periode 2027Q1 — run 2027Q2" in ws["A2"].value, ws.title
        assert "btw-periode 2027Q1" in ws.oddHeader.right.text
    facts = _facts(wb)
    assert facts["Btw-periode"] == "2027Q1" and facts["Kwartaal"] == "2027Q2"
    assert wb["Overzicht"]["A1"].value == "Overzicht van de facturatierun 2027Q2"
    assert "btw-periode 2027Q2" not in _xml_texts(data)


def test_a_credit_notes_summary_is_titled_as_one_and_names_its_vat_period(worked):
    """Issue 14/13: the credit note of a 2026Q4 invoice dated 13/01/2027 is in the 2027Q1 return; its
    summary is the credit note's, not a billing run's, and says nothing of a quarter."""
    folder = worked / "output" / "credit-2026-000001"
    data = (folder / "overzicht.xlsx").read_bytes()
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb["Overzicht"]["A1"].value == "Overzicht van creditnota 2027-000004"
    seller = wb.properties.creator
    assert wb["Overzicht"]["A2"].value == f"{seller} — btw-periode 2027Q1 — creditnota 2027-000004 op factuur 2026-000001"
    facts = _facts(wb)
    assert facts["Crediteert factuur"] == "2026-000001" and facts["Reden"] == "verkeerde module"
    assert facts["Btw-periode"] == "2027Q1" and "Kwartaal" not in facts
    texts = _xml_texts(data)
    assert "facturatierun" not in texts and "kwartaal" not in texts.lower() and "2026Q4" not in texts
    assert wb.properties.title == "Overzicht van creditnota 2027-000004" and wb.properties.subject == "2027Q1"


_ANCHOR = (r"<xdr:from><xdr:col>\d+</xdr:col><xdr:colOff>\d+</xdr:colOff><xdr:row>(\d+)</xdr:row>"
           r"<xdr:rowOff>(\d+)</xdr:rowOff></xdr:from><xdr:to><xdr:col>\d+</xdr:col><xdr:colOff>\d+</xdr:colOff>"
           r"<xdr:row>(\d+)</xdr:row><xdr:rowOff>(\d+)</xdr:rowOff></xdr:to>")


def _charts(data: bytes) -> list[tuple[str, str, int, int]]:
    """(kind, title, top row, height in pixels) of every chart on the Overzicht sheet, in order (rows of
    20 pixels: the sheet's default)."""
    import re

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
        if "xl/drawings/drawing1.xml" not in names:
            return []
        anchors = [tuple(map(int, a)) for a in re.findall(_ANCHOR, z.read("xl/drawings/drawing1.xml").decode())]
        out = []
        charts = sorted((n for n in names if re.fullmatch(r"xl/charts/chart\d+\.xml", n)),
                        key=lambda n: int(re.search(r"\d+", n).group()))
        for name, (top, top_off, bottom, bottom_off) in zip(charts, anchors):
            xml = z.read(name).decode()
            kind = "pie" if "<c:pieChart>" in xml else re.search(r'<c:barDir val="(\w+)"/>', xml).group(1)
            title = re.search(r"<a:t>([^<]*)</a:t>", xml).group(1)
            out.append((kind, title, top, (bottom - top) * 20 + round((bottom_off - top_off) / 9525)))
        assert len(out) == len(charts) == len(anchors)
        return out


def test_a_credit_note_draws_no_pie_of_negative_amounts(worked):
    data = (worked / "output" / "credit-2026-000001" / "overzicht.xlsx").read_bytes()
    charts = _charts(data)
    assert [(k, t) for k, t, _, _ in charts] == [("bar", "Omzet per soort"), ("bar", "Abonnementen per module"),
                                              ("bar", "Top 10 klanten")]
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        by_kind = z.read("xl/charts/chart1.xml").decode()
    assert "<c:v>-207</c:v>" in by_kind and "<c:pieChart>" not in by_kind  # fees of A's Q4 invoice, the credit's sign kept


def test_fees_by_module_are_horizontal_bars_as_tall_as_their_categories():
    """'Abonnementen per module' was a column chart squashed by rotated long labels."""
    data = render_summary(make_result())
    charts = _charts(data)
    assert [k for k, _, _, _ in charts] == ["pie", "bar", "bar"]
    rows, _ = table_rows(openpyxl.load_workbook(io.BytesIO(data))["Overzicht"], "PerModule")
    assert charts[1][1] == "Abonnementen per module" and charts[1][3] == 70 + 26 * len(rows)
    many = [sample_invoice("S", "nl", f"2027-{i:06d}") for i in range(1, 4)]
    many = [dataclasses.replace(inv, lines=tuple(dataclasses.replace(line, module=f"M{i}{j}")
                                               for j, line in enumerate(inv.lines)))
            for i, inv in enumerate(many)]
    taller = _charts(render_summary(make_result(invoices=many)))[1][3]
    assert taller == 70 + 26 * 6 > charts[1][3]
    # the charts stand one below the other, none over the next
    for (_, _, top, height), (_, _, below, _) in zip(charts, charts[1:]):
        assert below * 20 >= top * 20 + height


def test_documents_without_a_ubl_file_are_listed_for_e_mail_or_post(worked):
    """SPEC §9 L6: B and C have no Peppol address — the summary lists them as to deliver by e-mail or
    post (a column of the journal and a count on the overview), as the manifest does."""
    import json

    folder = worked / "output" / "2027Q1"
    wb = openpyxl.load_workbook(folder / "overzicht.xlsx")
    rows, _ = table_rows(wb["Verkoopdagboek"], "Verkoopdagboek")
    assert {r["Nummer"]: r["Levering"] for r in rows} == {
        "2027-000001": "Peppol", "2027-000002": "per e-mail of post", "2027-000003": "per e-mail of post"}
    facts = _facts(wb)
    assert facts["Te leveren via Peppol (UBL)"] == 1
    assert facts["Te leveren per e-mail of post (geen Peppol-adres, geen UBL)"] == 2
    manifest = json.loads((folder / "manifest.json").read_text())
    listed = sorted(r["Nummer"] for r in rows if r["Levering"] == "per e-mail of post")
    assert manifest["deliver_by_email_or_post"] == listed
    assert sorted(p.stem for p in (folder / "peppol").iterdir()) == ["2027-000001"]


def test_a_monthly_filer_s_summaries_name_months(tmp_path):
    from tests.workspaces import make_workspace

    ws = make_workspace(tmp_path / "ws")
    toml = ws / "bijstand.toml"
    assert 'period = "quarter"' in toml.read_text()
    toml.write_text(toml.read_text().replace('period = "quarter"', 'period = "month"', 1))
    _cli(ws, "run", "2026Q4", "--invoice-date", "2026-10-05")
    _cli(ws, "credit", "2026-000002", "--reason", "dubbel", "--date", "2026-11-03")
    run = openpyxl.load_workbook(ws / "output" / "2026Q4" / "overzicht.xlsx")
    assert "btw-periode 2026-10 — run 2026Q4" in run["Lijnen"]["A2"].value and _facts(run)["Btw-periode"] == "2026-10"
    credit = openpyxl.load_workbook(ws / "output" / "credit-2026-000002" / "overzicht.xlsx")
    assert "btw-periode 2026-11 — creditnota 2026-000003" in credit["Overzicht"]["A2"].value


def _wrapped_cells_fit_their_rows(data: bytes) -> int:
    """Assert that every wrapped text's row is at least as tall as its lines (wrapped at the column's
    width less the indent: a count that is never more than bijstand's own); returns how many wrapped
    texts needed more than one line."""
    import textwrap

    wb = openpyxl.load_workbook(io.BytesIO(data))
    tall = 0
    for ws in wb.worksheets:
        widths = {}
        for dim in ws.column_dimensions.values():
            for col in range(dim.min, dim.max + 1):
                widths[col] = dim.width
        for row in ws.iter_rows():
            for c in row:
                if not (isinstance(c.value, str) and c.alignment.wrap_text):
                    continue
                per_line = int(widths[c.column]) - 3
                lines = sum(max(1, len(textwrap.wrap(part, per_line, break_on_hyphens=False)))
                            for part in c.value.split("\n"))
                if lines > 1:
                    tall += 1
                    height = ws.row_dimensions[c.row].height
                    assert height is not None and height >= min(15 * lines, 409), \
                        (ws.title, c.coordinate, len(c.value), widths[c.column], lines, height)
    return tall


def test_wrapped_texts_never_run_over_the_next_row():
    """Issue 13: Problemen E7 (114 characters at width 52), Klanten J16 (168), Lijnen: each wrapped
    text's row is as tall as its lines."""
    base = make_result()
    long_message = ("de klant heeft internetondersteuning gekregen zonder communicatiepakket: "
                    "controleer het pakket, factureer de regie")
    assert len(long_message) == 114
    problems = base.problems + [Problem(WARNING, long_message, fix="voeg het communicatiepakket toe in "
                                        "licenties.xlsx of laat de interventie als regie factureren (zie tarieven)",
                                        file="inbox/2026-12/interventies.xlsx", sheet="Interventies", row=7,
                                        cell="E7", value="internet", customer_id="K0001")]
    reason = ("fout in licenties.xlsx C14: de aankoopdatum 31/02/2026 bestaat niet; de klant wordt "
              "tegengehouden tot de datum verbeterd is; dan factureert een nieuwe run het kwartaal.")
    assert len(reason) == 168
    customers = base.customers + [dataclasses.replace(base.customers[-1], customer_id="K0400", held_reason=reason)]
    inv = sample_invoice("S", "nl", "2027-000001")
    described = dataclasses.replace(inv, lines=tuple(dataclasses.replace(
        line, description="interventie op afstand: kassasysteem herstart, printerstuurprogramma opnieuw "
                          "geïnstalleerd en de dagafsluiting van gisteren alsnog verwerkt") for line in inv.lines))
    result = dataclasses.replace(base, problems=problems, customers=customers,
                                 invoices=[described] + make_invoices()[1:])
    data = render_summary(result)
    assert _wrapped_cells_fit_their_rows(data) >= 6
    wb = openpyxl.load_workbook(io.BytesIO(data))
    message = next(c for row in wb["Problemen"].iter_rows() for c in row if c.value == long_message)
    assert wb["Problemen"].row_dimensions[message.row].height >= 45  # three lines at least
    held = next(c for row in wb["Klanten"].iter_rows() for c in row if c.value == reason)
    assert wb["Klanten"].row_dimensions[held.row].height >= 60
    short = next(c for row in wb["Problemen"].iter_rows() for c in row if c.value == "=1+1 is geen geldige waarde")
    assert wb["Problemen"].row_dimensions[short.row].height is None  # a short row keeps its height


def test_wrapped_texts_fit_their_rows_in_the_worked_examples(worked):
    for folder in ("2027Q1", "credit-2026-000001", "2027Q2"):
        _wrapped_cells_fit_their_rows((worked / "output" / folder / "overzicht.xlsx").read_bytes())


def test_lines_carry_the_quantity_and_unit_price_of_the_invoice_line(worked):
    """Issue 12/13 (R120): lines.csv and the Lijnen sheet show the quantity and unit price of the
    invoice and UBL line, so that quantity × unit price = amount on every line (a partial month:
    1 × 24.00, not 1 × 45.00 = 24.00); the monthly fee stays visible in its own column."""
    from batch.documents.figures import LINE_COLUMNS
    from batch.documents.outputs import _csv
    from batch.documents.ubl import render_ubl
    from batch.model import InvoiceLine
    from tests.workspaces import read_csv

    odd = [  # 2 licences × 17/31 of 45.00: 49.35 = 2 × 24.675; 3 licences: no exact price per unit, 1 × 74.03
        InvoiceLine(kind="fee", amount=D(a), quantity=D(q), unit_price=D("24.677"), vat_category="S",
                    vat_rate=D("21"), gl_account="700000", module="KAS", period_start=date(2027, 1, 15),
                    period_end=date(2027, 1, 31), days=17, days_in_month=31, monthly_fee=D("45.00"))
        for q, a in (("2", "49.35"), ("3", "74.03"))]
    inv = sample_invoice("S", "nl", "2027-000001")
    inv = dataclasses.replace(inv, lines=inv.lines + tuple(odd))
    result = make_result(invoices=[inv, sample_invoice("S", "nl", "2027-000004", document_type="credit_note")])
    text = _csv(line_rows(result), LINE_COLUMNS).decode()
    assert "2.00,24.675,49.35" in text and "1.00,74.03,74.03" in text and ",45.00\n" in text
    rows = list(__import__("csv").DictReader(io.StringIO(text)))
    for lines in (rows, read_csv(worked / "output" / "2027Q1" / "lines.csv"),
                  read_csv(worked / "output" / "credit-2026-000001" / "lines.csv")):
        assert lines and all(D(r["quantity"]) * D(r["unit_price"]) == D(r["amount"]) for r in lines), lines
    b = [r for r in read_csv(worked / "output" / "2027Q1" / "lines.csv") if r["customer_id"] == "B"]
    assert [(r["quantity"], r["unit_price"], r["amount"], r["monthly_fee"]) for r in b] == [
        ("1.00", "24.00", "24.00", "45.00"), ("1.00", "45.00", "45.00", "45.00"), ("3.00", "48.00", "144.00", "48.00")]
    # the same quantity and price as the UBL line
    ubl = render_ubl(inv).decode()
    assert '<cbc:InvoicedQuantity unitCode="C62">2</cbc:InvoicedQuantity>' in ubl and ">24.675<" in ubl
    # the Lijnen sheet: the same numbers, the unit price with its decimals
    wb = openpyxl.load_workbook(io.BytesIO(render_summary(result)))
    sheet_rows, _ = table_rows(wb["Lijnen"], "Lijnen")
    assert len(sheet_rows) == len(rows)
    for r in sheet_rows:
        assert round(D(str(r["Aantal"])) * D(str(r["Eenheidsprijs"])), 2) == money(r["Bedrag"]), r
    assert [(r["Aantal"], r["Eenheidsprijs"], r["Maandbedrag"]) for r in sheet_rows
            if r["Module"] == "KAS" and r["Nummer"] == "2027-000001"][-2:] == [(2, 24.675, 45), (1, 74.03, 45)]
    ref = wb["Lijnen"].tables["Lijnen"].ref
    header = [c.value for c in wb["Lijnen"][ref][0]]
    price = wb["Lijnen"][ref][1][header.index("Eenheidsprijs")]
    assert price.number_format.startswith("#,##0.00####")
