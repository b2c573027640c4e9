"""End to end through the CLI on real xlsx files: SPEC §7's worked examples to the cent, reruns,
held customers, dry runs, credit notes, the lock and the register's integrity."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from batch.cli import main
from tests.workspaces import december, intervention, make_workspace, read_csv


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    """SPEC §7: tariffs, holidays, billing start 2026-10-01, the October snapshot."""
    return make_workspace(tmp_path)


def cli(ws: Path, *args, code=0, check_outputs=True):
    result = CliRunner().invoke(main, ["-w", str(ws), *args], catch_exceptions=False)
    assert result.exit_code == code, result.output
    if check_outputs:
        assert_outputs_match_register(ws)
    return result


def assert_outputs_match_register(ws: Path):
    """Every written run folder is exactly what the register alone renders (the recovery path)."""
    from batch.register import Register
    from batch.run import committed_files

    if not (ws / "bijstand.sqlite").exists():
        return
    with Register(ws / "bijstand.sqlite") as reg:
        for row in reg.runs():
            folder = ws / "output" / row["label"]
            if row["state"] != "written" or not folder.exists():
                continue
            files = dict(committed_files(reg, row))
            on_disk = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
            assert on_disk == set(files), row["label"]
            for rel, data in files.items():
                assert (folder / rel).read_bytes() == data, f"{row['label']}/{rel}"


def test_worked_examples_a_b_c_end_to_end(ws: Path):
    out = cli(ws, "run", "2026Q4", "--invoice-date", "2026-10-05").output
    assert "2 invoices" in out
    q4 = read_csv(ws / "output" / "2026Q4" / "journal.csv")
    assert [(r["number"], r["customer_id"], r["net"]) for r in q4] == [
        ("2026-000001", "A", "207.00"), ("2026-000002", "C", "150.00")]  # 3×45 + 6×12; 3×(45+5)

    december(ws)
    cli(ws, "run", "2027Q1", "--invoice-date", "2027-01-05")
    folder = ws / "output" / "2027Q1"
    journal = {r["customer_id"]: r for r in read_csv(folder / "journal.csv")}
    assert {k: (r["net"], r["vat"], r["total"]) for k, r in journal.items()} == {
        "A": ("309.75", "65.05", "374.80"),
        "B": ("213.00", "44.73", "257.73"),
        "C": ("257.08", "53.99", "311.07"),
    }
    assert [journal[k]["number"] for k in "ABC"] == ["2027-000001", "2027-000002", "2027-000003"]
    assert journal["A"]["structured_reference"] == "+++202/7000/00122+++"
    lines = read_csv(folder / "lines.csv")
    assert [(l["customer_id"], l["kind"], l["module"] or l["intervention_id"], l["amount"], l["gl_account"])
            for l in lines] == [
        ("A", "fee", "JUW", "144.00", "700000"), ("A", "fee", "KAS", "72.00", "700000"),
        ("A", "regie", "I2", "75.00", "700100"), ("A", "regie", "I3", "18.75", "700100"),
        ("B", "fee", "JUW", "24.00", "700000"), ("B", "fee", "JUW", "45.00", "700000"),
        ("B", "fee", "JUW", "144.00", "700000"),
        ("C", "regie", "I4", "75.00", "700100"), ("C", "regie", "I5", "93.75", "700100"),
        ("C", "upgrade", "I5", "88.33", "700200"),
    ]
    statuses = {r["intervention_id"]: (r["status"], r["number"]) for r in read_csv(folder / "interventions.csv")}
    assert statuses == {"I1": ("included", ""), "I2": ("billed", "2027-000001"), "I3": ("billed", "2027-000001"),
                        "I4": ("billed", "2027-000003"), "I5": ("billed", "2027-000003"), "I6": ("deferred", "")}
    for number in ("2027-000001", "2027-000002", "2027-000003"):
        assert (folder / "facturen" / f"{number}.xlsx").exists() and (folder / "pdf" / f"{number}.pdf").exists()
    # SPEC §9 L6: B and C have no VAT number nor peppol-id: no UBL file, delivered by e-mail or post
    assert (folder / "peppol" / "2027-000001.xml").exists()
    assert not (folder / "peppol" / "2027-000002.xml").exists()
    assert json.loads((folder / "manifest.json").read_text())["deliver_by_email_or_post"] == [
        "2027-000002", "2027-000003"]
    # the invoice workbook of B (a French customer of a seller in Antwerp, SPEC §9 L1): the legal
    # version in Dutch first, its French translation second, both with its total
    wb = openpyxl.load_workbook(folder / "facturen" / "2027-000002.xlsx")
    assert [sheet.title for sheet in wb.worksheets] == ["Factuur 2027-000002", "Facture 2027-000002"]
    texts = [str(c.value) for row in wb.worksheets[1].iter_rows() for c in row if c.value is not None]
    assert any("Facture" in t for t in texts) and texts[0].startswith("Traduction")
    for sheet in wb.worksheets:
        assert 257.73 in [c.value for row in sheet.iter_rows() for c in row]
    manifest = json.loads((folder / "manifest.json").read_text())
    assert {i["path"] for i in manifest["inputs"]} >= {"tarieven.xlsx", "inbox/2026-12/klanten.xlsx"}
    assert any(o["path"] == "overzicht.xlsx" for o in manifest["outputs"])

    # a rerun with nothing new issues nothing and says so
    out = cli(ws, "run", "2027Q1", "--invoice-date", "2027-01-05").output
    assert "nothing new to bill" in out
    assert not (ws / "output" / "2027Q1.2").exists()
    status = cli(ws, "status").output
    assert "Integrity: OK" in status and "2027-000003" in status
    assert "Not billed at the last run (2027Q1): 1 deferred" in status  # I6, dated in 2027Q1
    from collections import Counter

    from batch.register import Register

    with Register(ws / "bijstand.sqlite") as reg:  # counted by SQLite = counted from the outcome rows
        row = reg.runs()[-1]
        assert "payload" not in reg.runs(payload=False)[-1].keys()
        expected = Counter(o.status for o in reg.outcomes(row["run_id"]))
        assert reg.outcome_counts(row["run_id"]) == expected and expected["deferred"] == 1
        csv_rows = read_csv(ws / "output" / "2027Q1" / "interventions.csv")
        assert Counter(r["status"] for r in csv_rows) == expected


def test_held_customer_is_billed_after_the_fix_in_a_second_folder(ws: Path):
    cli(ws, "run", "2026Q4", "--invoice-date", "2026-10-05")
    december(ws, b_purchase="31/11/2026")  # impossible date: B is held back
    out = cli(ws, "run", "2027Q1", "--invoice-date", "2027-01-05").output
    assert "B" in out and "Tegengehouden" in out
    assert [r["customer_id"] for r in read_csv(ws / "output" / "2027Q1" / "journal.csv")] == ["A", "C"]
    cli(ws, "run", "2027Q1", "--invoice-date", "2027-01-05", "--strict", code=1)
    december(ws)  # the bookkeeper fixes the cell
    cli(ws, "run", "2027Q1", "--invoice-date", "2027-01-06")
    second = read_csv(ws / "output" / "2027Q1.2" / "journal.csv")
    assert [(r["number"], r["customer_id"], r["total"]) for r in second] == [("2027-000003", "B", "257.73")]
    statuses = {r["intervention_id"]: r["status"] for r in read_csv(ws / "output" / "2027Q1.2" / "interventions.csv")}
    assert statuses["I2"] == "already-billed" and statuses["I6"] == "deferred"


def test_every_intervention_row_gets_one_status(ws: Path):
    december(ws, extra_interventions=[
        intervention("I2", date(2026, 11, 3), "A", 50, "internet", "virus"),  # identical repeat
        intervention("I7", date(2026, 9, 20), "A", 30, "internet", "virus"),  # before start
        intervention("I8", date(2026, 11, 4), "A", -5, "internet", "virus"),  # invalid
    ])
    cli(ws, "run", "2027Q1", "--invoice-date", "2027-01-05")
    rows = read_csv(ws / "output" / "2027Q1" / "interventions.csv")
    assert len(rows) == 9
    got = sorted((r["intervention_id"], r["status"]) for r in rows)
    # the invalid row I8 holds back its customer A; C is billed
    assert got == [("I1", "held"), ("I2", "duplicate"), ("I2", "held"), ("I3", "held"),
                   ("I4", "billed"), ("I5", "billed"), ("I6", "deferred"), ("I7", "before-start"),
                   ("I8", "rejected")]
    assert all(r["source"].startswith("inbox/2026-12/interventies.xlsx!") for r in rows)


def test_dry_run_numbers_nothing(ws: Path):
    out = cli(ws, "run", "2026Q4", "--invoice-date", "2026-10-05", "--dry-run").output
    assert "drafts" in out
    concept = ws / "output" / "2026Q4-concept"
    assert [r["number"] for r in read_csv(concept / "journal.csv")] == ["", ""]
    assert not (ws / "output" / "2026Q4").exists()
    cli(ws, "run", "2026Q4", "--invoice-date", "2026-10-05")
    assert [r["number"] for r in read_csv(ws / "output" / "2026Q4" / "journal.csv")] == ["2026-000001", "2026-000002"]


def test_invoice_date_before_last_issued_is_refused(ws: Path):
    cli(ws, "run", "2026Q4", "--invoice-date", "2026-10-05")
    december(ws)
    out = cli(ws, "run", "2027Q1", "--invoice-date", "2026-10-04", code=1).output
    assert "before the last issued" in out


def test_usage_errors_exit_2(ws: Path):
    cli(ws, "run", "2027Q5", code=2)
    cli(ws, "run", "2027Q1", "--invoice-date", "31/02/2027", code=2)  # no such day
    cli(ws, "run", "2027Q1", "--invoice-date", "05/01/27", code=2)  # the year is written in full
    cli(ws, "credit", "2027-000001", code=2)  # --reason missing


def test_credit_note_releases_and_rebills(ws: Path):
    cli(ws, "run", "2026Q4", "--invoice-date", "2026-10-05")
    december(ws)
    cli(ws, "run", "2027Q1", "--invoice-date", "2027-01-05")
    out = cli(ws, "credit", "2027-000002", "--reason", "verkeerde aankoopdatum", "--date", "2027-01-10").output
    assert "2027-000004" in out
    cli(ws, "credit", "2027-000002", "--reason", "nog eens", "--date", "2027-01-10", code=1)
    credit_folder = ws / "output" / "credit-2027-000002"
    journal = read_csv(credit_folder / "journal.csv")
    assert [(r["document_type"], r["number"]) for r in journal] == [("credit_note", "2027-000004")]
    assert (credit_folder / "pdf" / "2027-000004.pdf").exists()  # B has no Peppol address (SPEC §9 L6)
    assert not (credit_folder / "peppol").exists()
    # B bought on the 20th instead of the 15th: rebilled from the corrected sheet
    december(ws, b_purchase=date(2026, 11, 20))
    cli(ws, "run", "2027Q1", "--invoice-date", "2027-01-10")
    again = read_csv(ws / "output" / "2027Q1.2" / "journal.csv")
    # Nov 20..30 = 11/30 × 45 = 16.50; Dec 45; Q1 144 → 205.50
    assert [(r["number"], r["customer_id"], r["net"]) for r in again] == [("2027-000005", "B", "205.50")]
    # an invoice whose periods were billed again cannot be credited... but the new one can
    cli(ws, "credit", "2027-000005", "--reason", "test", "--date", "2027-01-10")


def test_issued_documents_cannot_be_changed(ws: Path):
    cli(ws, "run", "2026Q4", "--invoice-date", "2026-10-05")
    con = sqlite3.connect(ws / "bijstand.sqlite")
    with pytest.raises(sqlite3.DatabaseError, match="cannot be changed"):
        con.execute("UPDATE documents SET total = '0' WHERE number = '2026-000001'")
    with pytest.raises(sqlite3.DatabaseError, match="cannot be deleted"):
        con.execute("DELETE FROM documents")
    con.close()


def test_changed_output_file_is_reported_by_status(ws: Path):
    cli(ws, "run", "2026Q4", "--invoice-date", "2026-10-05")
    (ws / "output" / "2026Q4" / "journal.csv").write_text("tampered")
    out = cli(ws, "status", code=1, check_outputs=False).output
    assert "was changed after it was written" in out


def test_second_run_while_one_is_busy_is_refused(ws: Path):
    """SPEC §8 T4: the lock is an OS lock held by a live process; a lock file left behind by a dead one
    (whatever it says) blocks nothing."""
    import json as _json

    from batch.lock import WorkspaceLock, busy

    with WorkspaceLock(ws, "run 2026Q4"):
        assert busy(ws)["what"] == "run 2026Q4"
        out = cli(ws, "run", "2026Q4", "--invoice-date", "2026-10-05", code=1, check_outputs=False).output
        assert "another bijstand command is busy in this workspace since" in out and "run 2026Q4" in out
        assert not (ws / "output" / "2026Q4").exists()
    assert busy(ws) is None
    (ws / ".bijstand.lock").write_text(_json.dumps({"pid": 999999999, "what": "run", "since": "x"}))
    cli(ws, "run", "2026Q4", "--invoice-date", "2026-10-05")  # a lock file nobody holds is no obstacle


def test_fatal_input_stops_before_numbering(ws: Path):
    (ws / "inbox" / "2026-10" / "kapot.xlsx").write_bytes(b"PK\x03\x04 truncated")
    out = cli(ws, "run", "2026Q4", "--invoice-date", "2026-10-05", code=1).output
    assert "kapot.xlsx" in out
    assert not (ws / "output" / "2026Q4").exists()


def test_annual_customer_listing_from_the_register(ws: Path):
    cli(ws, "run", "2026Q4", "--invoice-date", "2026-10-05")
    december(ws)
    cli(ws, "run", "2027Q1", "--invoice-date", "2027-01-05")
    out = cli(ws, "report", "2027").output
    assert "1 customers" in out  # only A has a Belgian VAT number
    from lxml import etree

    root = etree.fromstring((ws / "output" / "listing-2027" / "klantenlisting.xml").read_bytes())
    ns = {"c": "http://www.minfin.fgov.be/ClientListingConsignment"}
    clients = root.findall(".//c:Client", ns)
    assert [(c.findtext("c:CompanyVATNumber", namespaces=ns), c.findtext("c:TurnOver", namespaces=ns),
             c.findtext("c:VATAmount", namespaces=ns)) for c in clients] == [("0477472701", "309.75", "65.05")]


def test_check_quarter_previews_and_warns_about_missing_peppol_address(ws: Path):
    december(ws)
    result = CliRunner().invoke(main, ["-w", str(ws), "check", "2027Q1"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "2027Q1 would issue 3 invoices" in result.output
    # B and C have neither a peppol-id nor a VAT number
    assert result.output.count("geen Peppol-adres") == 2
    assert (ws / "output" / "problemen.xlsx").exists()
    assert not (ws / "bijstand.sqlite").exists() and not list((ws / "output").glob("2027Q1*"))


def test_template_copied_into_the_inbox_reads_without_warnings(ws: Path):
    """The bookkeeper fills a copy of the template (with its Instructies sheet) and drops it in."""
    import shutil

    import openpyxl as _xl

    src = Path(__file__).parent.parent / "input_templates" / "interventies.xlsx"
    target = ws / "inbox" / "2026-10" / "interventies-oktober.xlsx"
    shutil.copy(src, target)
    wb = _xl.load_workbook(target)
    sheet = wb["Interventies"]
    sheet.append(["T1", date(2026, 10, 2), "A", 30, "internet", "virus", "nee", "Koen", "test"])
    wb.save(target)
    result = CliRunner().invoke(main, ["-w", str(ws), "check"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "0 errors, 0 warnings" in result.output
    assert "1 intervention rows read" in result.output
