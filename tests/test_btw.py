"""`bijstand btw PERIOD` end to end (SPEC §10, issue 14) on a real workspace: runs, a rerun and a credit
note of an earlier period; customers in Belgium (S), the Netherlands (AE) and Switzerland (O). The grids
of the workbook are recomputed independently from the UBL files of the period's zip; the listing XML
validates against the official Intervat schema; running twice gives the same bytes. And `batch.frames`:
typed frames whose totals equal the journal; the Trends sheet on a hand-checked book.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from batch.cli import main
from batch.workspace import write_inbox_month
from tests.test_vat_period import _from_ubl, _table
from tests.workspaces import A, A_LICS, C, C_LICS, customer, intervention, licence, make_workspace, read_csv

NL = customer("N", "Juwelier Nederland", land="NL", **{"btw-nummer": "NL004495445B01"})
CH = customer("Z", "Bijouterie Genève", land="CH", taal="fr", **{"btw-nummer": "CHE-100.000.006 MWST"})
LICS = A_LICS + C_LICS + [licence("N", "JUW", date(2019, 1, 14)), licence("Z", "JUW", date(2020, 2, 1))]


def cli(ws: Path, *args, code=0) -> str:
    result = CliRunner().invoke(main, ["-w", str(ws), *args], catch_exceptions=False)
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    return result.output


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> Path:
    """2026Q4 (2026-10-05): A, C, N, Z billed. 2027Q1 (2027-01-05): again, with interventions; the NL
    invoice of 2026 credited on 2027-01-06; a rerun (2027-01-07) bills N again."""
    ws = make_workspace(tmp_path_factory.mktemp("btw") / "ws")
    write_inbox_month(ws / "inbox" / "2026-10", [A, C, NL, CH], LICS, [
        intervention("V1", date(2026, 10, 20), "A", 50, "internet", "virus"),
        intervention("V2", date(2026, 11, 5), "N", 30, "telefoon", "herinstallatie")])
    cli(ws, "run", "2026Q4", "--invoice-date", "2026-10-05")
    cli(ws, "run", "2027Q1", "--invoice-date", "2027-01-05")
    n_invoice = next(r["number"] for r in read_csv(ws / "output" / "2026Q4" / "journal.csv") if r["customer_id"] == "N")
    cli(ws, "credit", n_invoice, "--reason", "verkeerde module", "--date", "2027-01-06")
    cli(ws, "run", "2027Q1", "--invoice-date", "2027-01-07")
    return ws


def grids_of_workbook(path: Path) -> dict[str, D]:
    ws = openpyxl.load_workbook(path)["Overzicht"]
    return {r["Rooster"]: D(str(r["Bedrag"])).quantize(D("0.01")) for r in _table(ws, "Roostertotalen")}


def test_btw_grids_equal_the_ubl_files_of_the_period(book: Path):
    out = cli(book, "btw", "2027Q1")
    folder = book / "output" / "btw-2027Q1"
    assert "Btw-periode 2027Q1" in out and "btw-aangifte.xlsx" and (folder / "btw-aangifte.xlsx").exists()
    workbook = grids_of_workbook(folder / "btw-aangifte.xlsx")
    archive = zipfile.ZipFile(io.BytesIO((folder / "ubl-2027Q1.zip").read_bytes()))
    files = [(n, archive.read(n)) for n in archive.namelist()]
    grids, listing, numbers = _from_ubl(files, date(2027, 1, 1), date(2027, 3, 31), False)
    assert {g: v for g, v in workbook.items() if v} == {g: v for g, v in grids.items() if v}
    # every document of the period is in the zip; C (no Peppol address) as a copy for the accounts
    journal = [r for label in ("2027Q1", "2027Q1.2") for r in read_csv(book / "output" / label / "journal.csv")]
    journal += read_csv(next((book / "output").glob("credit-*")) / "journal.csv")
    assert sorted(numbers) == sorted(r["number"] for r in journal)
    from batch.documents.validate import fatal, validate_ubl

    c_number = next(r["number"] for r in journal if r["customer_id"] == "C")
    findings = {f.rule for f in fatal(validate_ubl(archive.read(f"{c_number}.xml")))}
    assert findings <= {"PEPPOL-EN16931-R010"}  # valid UBL and EN 16931; only Peppol's endpoint rule
    # hand-checked: the credit note of N's 2026 invoice (AE, 3 × 45.00) corrects 2026Q4 in the listing
    assert workbook["48"] == D("135.00")
    assert any(corrects == "2026Q4" and amount == D("-135.00") for (_, _, corrects), amount in listing.items())


def test_btw_twice_gives_the_same_bytes_and_the_listing_validates(book: Path):
    cli(book, "btw", "2027Q1")
    folder = book / "output" / "btw-2027Q1"
    first = {p.name: p.read_bytes() for p in folder.iterdir()}
    cli(book, "btw", "2027Q1")
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == first
    from lxml import etree

    xsd = Path(__file__).parent / "data" / "intervat" / "NewICO-in_v0_9.xsd"
    schema = etree.XMLSchema(etree.parse(str(xsd)))
    assert schema.validate(etree.fromstring(first["intervat-listing.xml"])), schema.error_log


def test_btw_of_an_empty_period_says_so(book: Path):
    out = cli(book, "btw", "2025Q1")
    assert "geen enkel document" in out
    assert not (book / "output" / "btw-2025Q1" / "intervat-listing.xml").exists()


def test_btw_monthly_filer(book: Path):
    path = book / "bijstand.toml"
    text = path.read_text()
    path.write_text(text.replace('period = "quarter"', 'period = "month"', 1))
    try:
        months = {}
        for m in ("2027-01", "2027-02", "2027-03"):
            cli(book, "btw", m)
            months[m] = grids_of_workbook(book / "output" / f"btw-{m}" / "btw-aangifte.xlsx")
        cli(book, "btw", "2027Q1", code=2)  # a monthly filer files months
    finally:
        path.write_text(text)
    quarter = grids_of_workbook(book / "output" / "btw-2027Q1" / "btw-aangifte.xlsx") if (
        book / "output" / "btw-2027Q1").exists() else None
    total = {g: sum((m.get(g, D(0)) for m in months.values()), D(0)) for g in months["2027-01"]}
    if quarter is not None:
        assert {g: v for g, v in total.items() if v} == {g: v for g, v in quarter.items() if v}
    assert months["2027-02"].get("03", D(0)) == D(0)  # nothing dated in February


def test_frames_are_typed_and_add_up_to_the_journal(book: Path):
    from batch import frames

    reg = frames.register(book)
    docs = reg["documents"]
    assert str(docs["number"].dtype) == "string" and str(docs["customer_id"].dtype) == "string"
    assert str(docs["date"].dtype).startswith("datetime64")
    assert all(isinstance(v, D) for v in docs["net"])
    journal = [r for p in (book / "output").iterdir() if (p / "journal.csv").exists() and p.name[:3] != "btw"
               for r in read_csv(p / "journal.csv")]
    assert docs["net"].sum() == sum(D(r["net"]) for r in journal)
    assert sorted(docs["number"]) == sorted(r["number"] for r in journal)
    lines = reg["lines"]
    assert lines.groupby("number")["amount"].sum().to_dict() == {
        n: v for n, v in docs.set_index("number")["net"].items()}
    cov = reg["coverage"]
    assert set(cov.columns) >= {"customer_key", "module", "start", "end", "units", "standing"}
    assert not cov[cov.number.isin(docs[docs.credited].number)].standing.any()
    inbox = frames.inbox(book, "2027Q2")
    ivs = inbox["interventions"]
    assert set(ivs.status) <= {"already-billed", "billed", "included", "deferred", "held", "rejected", "duplicate",
                               "before-start"}
    assert str(inbox["licences"]["purchase_date"].dtype).startswith("datetime64")
    assert str(inbox["customers"]["customer_id"].dtype) == "string"


def test_trends_hand_checked(book: Path):
    from batch import frames
    from batch.inbox.reader import read_tariffs
    from batch.settings import load_settings
    from batch.trends import trends

    tariffs, _ = read_tariffs(book, load_settings(book))
    t = trends(frames.register(book), tariffs, date(2027, 3, 31))
    assert t.quarters == ["2025Q2", "2025Q3", "2025Q4", "2026Q1", "2026Q2", "2026Q3", "2026Q4", "2027Q1"]
    q4 = next(r for r in t.by_kind if r["quarter"] == "2026Q4")
    # 2026Q4 documents: A 3×45 + 6×12 = 207.00; C 3×(45+5) = 150.00; N 135.00; Z 135.00
    assert q4 == {"quarter": "2026Q4", "fee": D("627.00"), "regie": D("0.00"), "upgrade": D("0.00"),
                  "total": D("627.00")}
    q1 = next(r for r in t.by_kind if r["quarter"] == "2027Q1")
    assert q1["regie"] == D("75.00") + D("37.50")  # V1 50 min → 60 at 75.00; V2 30 min at 75.00 (2026 rate)
    # fees: A 3×48 + 6×12 = 216.00, C 3×(48+5) = 159.00, N and Z 144.00 each; N's 2026 invoice credited
    # (−135.00) and billed again by the rerun (+135.00 for 2026Q4)
    assert q1["fee"] == D("216.00") + D("159.00") + D("144.00") * 2 - D("135.00") + D("135.00")
    assert t.modules == ["COM", "JUW", "KAS"]
    assert t.free_by_cause == [] and t.costly_customers == []
