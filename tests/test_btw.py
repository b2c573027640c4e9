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
from lxml import etree

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
    assert (folder / "btw-aangifte.xlsx").exists()
    # every non-zero grid of the period, hand-checked: 03 = A 291.00 + C 159.00; 44 = N 181.50 + 135.00 (rerun);
    # 47 = Z 144.00; 48 = the credit note of N's 2026 invoice; 54 = 61.11 + 33.39
    assert ("Btw-periode 2027Q1: 6 document(en), roosters 03 450.00, 44 316.50, 47 144.00, 48 135.00, 54 94.50 → "
            f"{folder}") in out
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
    assert workbook["48"] == D("135.00") and workbook["64"] == D("0.00")
    credit = read_csv(next((book / "output").glob("credit-*")) / "journal.csv")
    assert [(r["vat_grids"], r["net"], r["vat"]) for r in credit] == [("48", "-135.00", "0.00")]  # no VAT: not 64
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
    cli(book, "btw", "2027Q1")  # the same book filed quarterly
    quarter = grids_of_workbook(book / "output" / "btw-2027Q1" / "btw-aangifte.xlsx")
    total = {g: sum((m.get(g, D(0)) for m in months.values()), D(0)) for g in months["2027-01"]}
    assert {g: v for g, v in total.items() if v} == {g: v for g, v in quarter.items() if v}
    assert quarter["48"] == D("135.00") and months["2027-01"]["48"] == D("135.00")
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


def test_btw_credit_note_of_the_same_period_nets_to_zero(tmp_path: Path):
    """Issue 14: every invoice of 2026Q4 credited in 2026Q4 — the grids of the credit notes (49, 64, 48) equal
    those of the invoices (03, 54, 44), the period's net is zero, the listing nets to nothing (so no Intervat
    file), and the credit notes are in ubl-2026Q4.zip with the invoices."""
    ws = make_workspace(tmp_path / "ws")
    write_inbox_month(ws / "inbox" / "2026-10", [A, C, NL], A_LICS + C_LICS + [licence("N", "JUW", date(2019, 1, 14))],
                      [])
    cli(ws, "run", "2026Q4", "--invoice-date", "2026-10-05")
    invoices = read_csv(ws / "output" / "2026Q4" / "journal.csv")
    for r in invoices:
        cli(ws, "credit", r["number"], "--reason", "verkeerde klant", "--date", "2026-10-20")
    out = cli(ws, "btw", "2026Q4")
    folder = ws / "output" / "btw-2026Q4"
    # hand-checked: A 207.00 + C 150.00 at 21 % (43.47 + 31.50); N 3 × 45.00 reverse charged
    assert ("Btw-periode 2026Q4: 6 document(en), roosters 03 357.00, 44 135.00, 48 135.00, 49 357.00, 54 74.97, "
            "64 74.97 → ") in out
    workbook = grids_of_workbook(folder / "btw-aangifte.xlsx")
    assert workbook == {"03": D("357.00"), "44": D("135.00"), "47": D("0.00"), "48": D("135.00"), "49": D("357.00"),
                        "54": D("74.97"), "64": D("74.97")}
    book_ = openpyxl.load_workbook(folder / "btw-aangifte.xlsx", data_only=True)  # the totals' cached values
    docs = _table(book_["Documenten"], "Documenten")
    assert [D(str(docs[-1][c])).quantize(D("0.01")) for c in ("Excl. btw", "Btw", "Incl. btw")] == [D("0.00")] * 3
    assert [r["Nummer"] for r in _table(book_["Roosters"], "Rooster64")[:-1]] == ["2026-000004", "2026-000005"]
    listing_sheet = [c.value for row in book_["IC-opgave"].iter_rows() for c in row if isinstance(c.value, str)]
    assert any(v.startswith("Geen intracommunautaire opgave") and "intervat-listing.xml" in v for v in listing_sheet)
    assert not (folder / "intervat-listing.xml").exists()
    archive = zipfile.ZipFile(io.BytesIO((folder / "ubl-2026Q4.zip").read_bytes()))
    assert sorted(archive.namelist()) == [f"2026-{n:06d}.xml" for n in range(1, 7)]
    files = [(n, archive.read(n)) for n in archive.namelist()]
    roots = {n: etree.fromstring(data) for n, data in files}
    assert sorted(etree.QName(r).localname for r in roots.values()) == ["CreditNote"] * 3 + ["Invoice"] * 3
    grids, listing, numbers = _from_ubl(files, date(2026, 10, 1), date(2026, 12, 31), False)
    assert {g: v for g, v in workbook.items() if v} == {g: v for g, v in grids.items() if v}
    assert listing == {}  # 135.00 − 135.00
    assert grids["03"] == grids["49"] and grids["54"] == grids["64"] and grids["44"] == grids["48"]


def test_intervat_schema_takes_no_listing_without_clients():
    """Why a period without customers of grids 44 and 48 gets no intervat-listing.xml (README, SPEC §10): the
    official NewICO-in v0.9 schema refuses an IntraListing with ClientsNbr 0 and no IntraClient."""
    from batch.documents.intervat import render_intervat_listing
    from batch.settings import Seller
    from batch.vat_period import ListingRow, parse_vat_period

    xsd = Path(__file__).parent / "data" / "intervat" / "NewICO-in_v0_9.xsd"
    schema = etree.XMLSchema(etree.parse(str(xsd)))
    one = render_intervat_listing([ListingRow("NL", "004495445B01", "Juwelier Nederland", ("N",), D("135.00"))],
                                  parse_vat_period("2026Q4"), Seller())
    root = etree.fromstring(one)
    assert schema.validate(root), schema.error_log
    listing = root[0]
    for client in listing.findall("{http://www.minfin.fgov.be/IntraConsignment}IntraClient"):
        listing.remove(client)
    listing.set("ClientsNbr", "0")
    listing.set("AmountSum", "0.00")
    assert not schema.validate(root)
    assert {"ClientsNbr", "IntraClient"} & set(str(schema.error_log).replace("'", " ").split())


BOOK_FREE = [  # (id, day, customer, minutes, channel, kind): all included in the agreement (R6), 75.00/h in 2026
    ("F1", date(2026, 10, 12), "A", 20, "telefoon", "vraag"),        # 25.00
    ("F2", date(2026, 11, 9), "A", 45, "telefoon", "opleiding"),     # 56.25
    ("F3", date(2026, 10, 14), "K", 40, "telefoon", "vraag"),        # 50.00
    ("F4", date(2026, 11, 18), "K", 90, "telefoon", "opleiding"),    # 112.50
    ("F5", date(2026, 12, 1), "K", 25, "telefoon", "parameters"),    # 31.25
]


def test_trends_sheet_free_support_per_cause_and_the_costly_customer(tmp_path: Path):
    """Issue 14 Trends on a hand-checked book: A (JUW + 2 KAS) and K (one KAS, 12.00 a month) call for free;
    A also has a virus removed (billed, so not free). K's free time is worth more than K's fees."""
    ws = make_workspace(tmp_path / "ws")
    k = customer("K", "Juwelier Kleintjes")
    lics = A_LICS + [licence("K", "KAS", date(2020, 3, 1))]
    write_inbox_month(ws / "inbox" / "2026-10", [A, k], lics, [])
    cli(ws, "run", "2026Q4", "--invoice-date", "2026-10-05")
    ivs = [intervention(n, day, cid, minutes, channel, kind) for n, day, cid, minutes, channel, kind in BOOK_FREE]
    ivs.append(intervention("B1", date(2026, 11, 3), "A", 50, "telefoon", "virus"))
    write_inbox_month(ws / "inbox" / "2026-12", [A, k], lics, ivs)
    cli(ws, "run", "2027Q1", "--invoice-date", "2027-01-05")
    statuses = {r["intervention_id"]: r["status"] for r in read_csv(ws / "output" / "2027Q1" / "interventions.csv")}
    assert statuses == {"F1": "included", "F2": "included", "F3": "included", "F4": "included", "F5": "included",
                        "B1": "billed"}
    cli(ws, "btw", "2027Q1")
    sheet = openpyxl.load_workbook(ws / "output" / "btw-2027Q1" / "btw-aangifte.xlsx", data_only=True)["Trends"]

    def money(v):
        return D(str(v)).quantize(D("0.01"))

    free = _table(sheet, "GratisPerOorzaak")
    # per cause, most minutes first: opleiding 45 + 90; vraag 20 + 40; parameters 25 — at 75.00 an hour
    assert [(r["Oorzaak (soort)"], r["Interventies"], r["Minuten"], money(r["Uren"]), money(r["Waarde aan regietarief"]))
            for r in free[:-1]] == [("opleiding", 2, 135, D("2.25"), D("168.75")),
                                    ("vraag", 2, 60, D("1.00"), D("75.00")),
                                    ("parameters", 1, 25, D("0.42"), D("31.25"))]
    assert (free[-1]["Interventies"], free[-1]["Minuten"], money(free[-1]["Waarde aan regietarief"])) == (
        5, 220, D("275.00"))
    costly = _table(sheet, "DuurderDanAbonnement")
    # K: 155 free minutes worth 50.00 + 112.50 + 31.25 = 193.75; fees 2026Q4 3 × 12.00 + 2027Q1 3 × 12.00 = 72.00.
    # A is not listed: 81.25 of free time against 207.00 + 216.00 of fees.
    assert [(r["Klantnummer"], r["Naam"], r["Gratis minuten"], money(r["Waarde gratis tijd"]),
             money(r["Betaalde abonnementen"]), money(r["Verschil"])) for r in costly] == [
        ("K", "Juwelier Kleintjes", 155, D("193.75"), D("72.00"), D("121.75"))]
