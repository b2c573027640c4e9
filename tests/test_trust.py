"""Trust (SPEC §8, issue 11): what an ordinary office does to a workspace never bills twice, never
reuses a number and never blocks the workspace. One test per item the issue saw, each reproducing
the mistake end to end through the CLI and asserting: no day billed twice, no number reused, a clear
message naming what to do, and the workspace still usable.

The invariant :func:`assert_nothing_twice` is the issue's own: fee periods per customer and module
never overlap across standing documents (counting units), an intervention is on at most one standing
invoice, and every number is used once.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from batch.cli import main
from batch.identity import customer_key
from batch.register import Register
from tests.workspaces import (A, A_LICS, B, C, C_LICS, customer, december, intervention, licence, make_workspace,
                              read_csv, register_rows)
from batch.workspace import write_inbox_month

Q4 = ("run", "2026Q4", "--invoice-date", "2026-10-05")
Q1 = ("run", "2027Q1", "--invoice-date", "2027-01-05")
Q2 = ("run", "2027Q2", "--invoice-date", "2027-04-05")


def cli(ws: Path, *args, code=0) -> str:
    result = CliRunner().invoke(main, ["-w", str(ws), *args], catch_exceptions=False)
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    return result.output


def standing(ws: Path) -> set[str]:
    credited = {r[0] for r in register_rows(ws, "SELECT number FROM credits")}
    return {r[0] for r in register_rows(ws, "SELECT number FROM documents WHERE document_type = 'invoice'")} - credited


def all_lines(ws: Path) -> list[tuple[str, dict]]:
    return [(folder.name, row) for folder in sorted((ws / "output").iterdir())
            if (folder / "lines.csv").exists() and not folder.name.endswith("-concept")
            for row in read_csv(folder / "lines.csv")]


def assert_nothing_twice(ws: Path) -> None:
    """No number reused across output/, no day billed for more units than active, no intervention
    on two standing invoices."""
    numbers = Counter(r["number"] for folder in (ws / "output").iterdir() if (folder / "journal.csv").exists()
                      and not folder.name.endswith("-concept") for r in read_csv(folder / "journal.csv"))
    assert [n for n, c in numbers.items() if c > 1] == []
    live = standing(ws)
    units: dict[tuple, Counter] = defaultdict(Counter)
    regie = Counter()
    for _, line in all_lines(ws):
        if line["number"] not in live:
            continue
        if line["kind"] == "regie":
            regie[line["intervention_id"].casefold()] += 1
        if line["kind"] == "fee":
            day = date.fromisoformat(line["period_start"])
            end = date.fromisoformat(line["period_end"])
            while day <= end:
                units[(customer_key(line["customer_id"]), line["module"].casefold())][day] += 1
                day += timedelta(days=1)
    assert [iv for iv, n in regie.items() if n > 1] == []
    with Register(ws / "bijstand.sqlite") as reg:
        assert reg.verify() == []


@pytest.fixture
def q4(tmp_path: Path) -> Path:
    """SPEC §7's workspace, October and December sheets, 2026Q4 issued (2026-000001…3)."""
    ws = make_workspace(tmp_path / "ws")
    december(ws)
    cli(ws, *Q4)
    return ws


# --- 1. a lost or older register -------------------------------------------------------------------


def test_1_deleted_register_refuses_then_repair_rebuilds_it(q4: Path, tmp_path: Path):
    cli(q4, *Q1)
    intact = Path(shutil.copytree(q4, tmp_path / "intact"))
    (q4 / "bijstand.sqlite").unlink()
    out = cli(q4, *Q2, code=1)
    assert "output/ holds documents that the register does not know" in out
    assert "2026-000001" in out and "2027-000001" in out and "bijstand repair" in out
    assert not (q4 / "output" / "2027Q2").exists()
    out = cli(q4, "status", code=1)
    assert "there is no register" in out and "bijstand repair" in out
    out = cli(q4, "repair")
    assert "Register rebuilt from 2 run folder(s): 2026Q4, 2027Q1" in out
    assert "Integrity: OK" in cli(q4, "status")
    # the next run bills exactly what the intact register bills
    cli(q4, *Q2)
    cli(intact, *Q2)
    assert read_csv(q4 / "output" / "2027Q2" / "journal.csv") == read_csv(intact / "output" / "2027Q2" / "journal.csv")
    assert read_csv(q4 / "output" / "2027Q2" / "lines.csv") == read_csv(intact / "output" / "2027Q2" / "lines.csv")
    assert_nothing_twice(q4)


def test_1_register_restored_from_an_older_copy_is_refused_and_status_names_the_backup(q4: Path):
    old = q4 / "bijstand-old.sqlite"
    with Register(q4 / "bijstand.sqlite") as reg:
        reg.backup(q4 / "tmp-copy", "before-q1")
    copy = next((q4 / "tmp-copy").glob("*.sqlite"))
    cli(q4, *Q1)
    shutil.copy(copy, old)
    os.replace(old, q4 / "bijstand.sqlite")
    for suffix in ("-wal", "-shm"):
        (q4 / f"bijstand.sqlite{suffix}").unlink(missing_ok=True)
    out = cli(q4, *Q2, code=1)
    assert "2027-000001" in out and "(output/2027Q1)" in out and "backups/" in out
    status = cli(q4, "status", code=1)
    assert "the newest matching output/ is backups/bijstand-" in status and "-2027Q1.sqlite" in status
    assert "output/ holds documents the register does not know" in status
    out = cli(q4, "repair")
    assert "Register rebuilt" in out and "bijstand.sqlite.older-" in out
    assert "Integrity: OK" in cli(q4, "status")
    out = cli(q4, *Q2)
    assert "2027-000004" in out  # numbering continues after the documents in output/
    assert_nothing_twice(q4)


def test_1_backups_keep_the_last_ten(q4: Path):
    for i in range(12):
        with Register(q4 / "bijstand.sqlite") as reg:
            reg.backup(q4 / "backups", f"x{i:02d}")
    assert len(list((q4 / "backups").glob("bijstand-*.sqlite"))) == 10


def test_1_damaged_register_gives_a_message_and_repair_rebuilds_it(q4: Path):
    (q4 / "bijstand.sqlite").write_bytes(b"this is not a database" * 100)
    for suffix in ("-wal", "-shm"):
        (q4 / f"bijstand.sqlite{suffix}").unlink(missing_ok=True)
    for args in (Q1, ("status",), ("credit", "2026-000001", "--reason", "x")):
        out = cli(q4, *args, code=1)
        assert "is damaged" in out and "bijstand repair" in out
    out = cli(q4, "repair")
    assert "bijstand.sqlite.damaged-" in out
    cli(q4, *Q1)
    assert [r["number"] for r in read_csv(q4 / "output" / "2027Q1" / "journal.csv")] == [
        "2027-000001", "2027-000002", "2027-000003"]
    assert_nothing_twice(q4)


def test_1_deleted_output_file_is_reported_and_written_again(q4: Path):
    target = q4 / "output" / "2026Q4" / "facturen" / "2026-000001.xlsx"
    original = target.read_bytes()
    target.unlink()
    (q4 / "output" / "2026Q4" / "journal.csv").write_text("tampered")
    out = cli(q4, "status", code=1)
    assert "missing output file" in out and "was changed after it was written" in out
    out = cli(q4, "repair")
    assert "Written again: output/2026Q4/facturen/2026-000001.xlsx" in out
    assert target.read_bytes() == original
    assert "Integrity: OK" in cli(q4, "status")


# --- 2. a corrected purchase date --------------------------------------------------------------------


def test_2_corrected_purchase_date_bills_nothing_twice(q4: Path):
    lics = [licence("A", "JUW", date(2015, 3, 2)), *A_LICS[1:], licence("B", "JUW", date(2026, 11, 15)), *C_LICS]
    c = dict(C, **{"opgezegd op": date(2026, 11, 20), "opzegging via": "e-mail"})
    write_inbox_month(q4 / "inbox" / "2027-01", [A, B, c], lics, [])
    out = cli(q4, *Q1, "-v")
    assert "aankoopdatum" in out and "gewijzigd" in out
    lines = read_csv(q4 / "output" / "2027Q1" / "lines.csv")
    a_fees = [(l["module"], l["period_start"], l["period_end"], l["amount"]) for l in lines
              if l["customer_id"] == "A" and l["kind"] == "fee"]
    assert a_fees == [("JUW", "2027-01-01", "2027-03-31", "144.00"), ("KAS", "2027-01-01", "2027-03-31", "72.00")]
    assert_nothing_twice(q4)


def test_2_quantity_lowered_on_a_billed_day_warns_that_a_credit_note_is_needed(q4: Path):
    lics = [A_LICS[0], licence("A", "KAS", date(2018, 5, 1), qty=1), licence("B", "JUW", date(2026, 11, 15)),
            *C_LICS]
    write_inbox_month(q4 / "inbox" / "2027-01", [A, B, C], lics, [])
    out = cli(q4, *Q1, "-v")
    assert "klant A, module KAS" in out and "creditnota" in out and "01/10/2026" in out
    assert_nothing_twice(q4)


# --- 3. a customer number written another way ----------------------------------------------------------


@pytest.mark.parametrize("written", ["a", "Ａ"])
def test_3_customer_number_in_another_case_or_width_is_the_same_customer(q4: Path, written: str):
    a = dict(A, klantnummer=written)
    lics = [dict(l, klantnummer=written) for l in A_LICS] + [licence("B", "JUW", date(2026, 11, 15)), *C_LICS]
    write_inbox_month(q4 / "inbox" / "2027-01", [a, B, C], lics, [])
    cli(q4, *Q1)
    journal = read_csv(q4 / "output" / "2027Q1" / "journal.csv")
    a_row = next(r for r in journal if customer_key(r["customer_id"]) == "a")
    assert a_row["net"] == "309.75"  # as SPEC §7 A: Q1 fees and Q4 interventions, nothing of Q4 fees again
    assert_nothing_twice(q4)


def test_3_cyrillic_letter_is_an_error_on_its_cell(q4: Path):
    a = dict(A, klantnummer="А")  # Cyrillic A
    write_inbox_month(q4 / "inbox" / "2027-01", [a, B, C], [dict(l, klantnummer="А") for l in A_LICS] +
                      [licence("B", "JUW", date(2026, 11, 15)), *C_LICS], [])
    out = cli(q4, *Q1)
    assert "CYRILLIC CAPITAL LETTER A" in out and "klanten.xlsx:Klanten!A2" in out
    journal = read_csv(q4 / "output" / "2027Q1" / "journal.csv")
    assert all(customer_key(r["customer_id"]) != "a" for r in journal)
    assert_nothing_twice(q4)


def test_3_leading_zeros_dropped_by_excel_in_a_later_month(tmp_path: Path):
    ws = make_workspace(tmp_path / "ws")
    z = customer("01001", "Juwelier Nul")
    write_inbox_month(ws / "inbox" / "2026-10", [z], [licence("01001", "JUW", date(2015, 1, 1))], [])
    cli(ws, *Q4)
    write_inbox_month(ws / "inbox" / "2026-12", [dict(z, klantnummer=1001)],
                      [licence(1001, "JUW", date(2015, 1, 1))], [])
    out = cli(ws, *Q1, "-v")
    journal = read_csv(ws / "output" / "2027Q1" / "journal.csv")
    assert [(r["customer_id"], r["net"]) for r in journal] == [("1001", "144.00")]
    assert "01001" in out  # the change of form is reported
    assert_nothing_twice(ws)


# --- 4. init and templates on a live workspace --------------------------------------------------------


def test_4_init_and_templates_never_overwrite_real_sheets(q4: Path):
    before = {p: p.read_bytes() for p in (q4 / "inbox").rglob("*.xlsx")}
    settings = (q4 / "bijstand.toml").read_bytes()
    out = cli(q4, "init")
    assert "left alone (exists)" in out and "NOT billed" in out
    out = cli(q4, "templates", str(q4 / "inbox" / "2026-12"))
    assert out.count("left alone (exists)") == 3
    assert {p: p.read_bytes() for p in before} == before  # (an empty tarieven template was added beside them)
    assert (q4 / "bijstand.toml").read_bytes() == settings
    cli(q4, *Q1)
    assert [r["customer_id"] for r in read_csv(q4 / "output" / "2027Q1" / "journal.csv")] == ["A", "B", "C"]


# --- 5. invoice number formats --------------------------------------------------------------------------


@pytest.mark.parametrize("fmt, phrase", [
    ("{year}/{seq:04d}", "'/' is not allowed"),
    ("../../../../escaped-{year}-{seq}", "is not allowed"),
    ("{foo}", "'{foo}' is not a placeholder"),
    ("{year}", "it needs {seq}"),
])
def test_5_unsafe_number_formats_are_refused_with_key_and_line(q4: Path, fmt: str, phrase: str):
    path = q4 / "bijstand.toml"
    path.write_text(path.read_text().replace('number_format = "{year}-{seq:06d}"', f'number_format = "{fmt}"', 1))
    line = 1 + next(i for i, text in enumerate(path.read_text().splitlines()) if text.startswith("number_format ="))
    out = cli(q4, *Q1, code=1)
    assert "[invoice] number_format" in out and f"line {line}:" in out and phrase in out
    assert not (q4 / "output" / "2027Q1").exists() and not list(q4.parent.glob("escaped*"))


def test_5_format_without_year_continues_its_sequence_across_years(tmp_path: Path):
    ws = make_workspace(tmp_path / "ws")
    path = ws / "bijstand.toml"
    path.write_text(path.read_text().replace('number_format = "{year}-{seq:06d}"', 'number_format = "F{seq:05d}"', 1))
    december(ws)
    cli(ws, *Q4)
    cli(ws, "credit", "F00001", "--reason", "test", "--date", "2026-10-06")
    cli(ws, *Q1)
    numbers = [r[0] for r in register_rows(ws, "SELECT number FROM documents ORDER BY rowid")]
    assert numbers == ["F00001", "F00002", "F00003", "F00004", "F00005", "F00006", "F00007"]
    assert_nothing_twice(ws)


# --- 6. invoice dates -----------------------------------------------------------------------------------


def test_6_invoice_date_after_today_is_refused_and_locks_nothing(q4: Path, monkeypatch):
    monkeypatch.setenv("BIJSTAND_TODAY", "2027-01-10")
    for typo in ("2072-04-02", "9999-12-31"):
        out = cli(q4, "run", "2027Q1", "--invoice-date", typo, code=1)
        assert "lies after today (10/01/2027)" in out
    out = cli(q4, "run", "2027Q1", "--invoice-date", "2000-01-01", code=1)
    assert "before the last issued document" in out
    cli(q4, "run", "2027Q1", "--invoice-date", "06/01/2027")  # the real date still works
    assert_nothing_twice(q4)


def test_6_first_run_with_a_date_far_before_its_quarter_is_refused(tmp_path: Path):
    ws = make_workspace(tmp_path / "ws")
    out = cli(ws, "run", "2026Q4", "--invoice-date", "2000-01-01", code=1)
    assert "more than a quarter before 2026Q4" in out
    assert not (ws / "output" / "2026Q4").exists()


def test_6_no_line_is_dated_after_its_invoice(q4: Path, monkeypatch):
    """A run without --invoice-date on 2026-11-29 (arrears) does not bill an intervention of 2026-12-28."""
    path = q4 / "bijstand.toml"
    path.write_text(path.read_text().replace('fee_timing = "advance"', 'fee_timing = "arrears"', 1))
    monkeypatch.setenv("BIJSTAND_TODAY", "2026-11-29")
    cli(q4, "run", "2026Q4")
    rows = {r["intervention_id"]: r for r in read_csv(q4 / "output" / "2026Q4.2" / "interventions.csv")}
    assert rows["I3"]["status"] == "deferred" and "2026-11-29" in rows["I3"]["reason"]
    assert rows["I2"]["status"] == "billed"
    journal = read_csv(q4 / "output" / "2026Q4.2" / "journal.csv")
    assert {r["date"] for r in journal} == {"2026-11-29"}


# --- 7. plausibility --------------------------------------------------------------------------------------


def test_7_absurd_quantity_and_duration_hold_the_customer_and_a_large_total_too(q4: Path):
    lics = [A_LICS[0], licence("A", "KAS", date(2018, 5, 1), qty=1_000_000_000), licence("B", "JUW", date(2026, 11, 15)),
            *C_LICS]
    ivs = [intervention("I9", date(2026, 11, 4), "C", 10**12, "telefoon", "virus")]
    write_inbox_month(q4 / "inbox" / "2027-01", [A, B, C], lics, ivs)
    out = cli(q4, *Q1)
    assert "licenties.xlsx:Licenties!C3" in out and "billing.max_quantity" in out
    assert "interventies.xlsx:Interventies!D2" in out and "billing.max_minutes" in out
    assert [r["customer_id"] for r in read_csv(q4 / "output" / "2027Q1" / "journal.csv")] == ["B"]
    # a legitimate but large invoice: raising invoice.max_total lets it through
    path = q4 / "bijstand.toml"
    path.write_text(path.read_text().replace("max_total = 25000.00", "max_total = 250.00", 1))
    write_inbox_month(q4 / "inbox" / "2027-01", [A, B, C], [*A_LICS, licence("B", "JUW", date(2026, 11, 15)), *C_LICS], [])
    out = cli(q4, "run", "2027Q1", "--invoice-date", "2027-01-06")
    assert "invoice.max_total" in out and "Tegengehouden klanten (1): A" in out
    assert_nothing_twice(q4)


# --- 9. a billed intervention edited afterwards -------------------------------------------------------------


def test_9_edited_billed_intervention_warns_naming_invoice_and_cells(q4: Path):
    cli(q4, *Q1)
    # the bookkeeper edits the December sheet itself: I2 now says customer C, 240 minutes
    december(q4, extra_interventions=())
    path = q4 / "inbox" / "2026-12" / "interventies.xlsx"
    from batch.workspace import write_inbox_month as _w  # noqa: F401
    import openpyxl

    wb = openpyxl.load_workbook(path)
    ws = wb.active
    for row in ws.iter_rows(min_row=2):
        if row[0].value == "I2":
            row[2].value = "C"
            row[3].value = 240
    wb.save(path)
    out = cli(q4, "run", "2027Q1", "--invoice-date", "2027-02-02", "-v")
    assert "interventie I2 werd al verwerkt door factuur 2027-000001" in out
    assert "klantnummer a → c" in out and "duur 50 → 240" in out and "creditnota voor 2027-000001" in out
    # the cells that changed, not the row (gap 11 of the audit): I2 is on row 3
    assert "inbox/2026-12/interventies.xlsx:Interventies!C3/D3: interventie I2" in out
    assert "klantnummer a → c (C3), duur 50 → 240 (D3)" in out
    assert_nothing_twice(q4)


# --- 10. tampering ---------------------------------------------------------------------------------------


def _sql(ws: Path, *statements: str) -> None:
    con = sqlite3.connect(ws / "bijstand.sqlite")
    for s in statements:
        con.execute(s)
    con.commit()
    con.close()


@pytest.mark.parametrize("statements, phrase", [
    (["UPDATE coverage SET end = '2026-10-31' WHERE number = '2026-000001' AND line_no = 1"], "billed coverage"),
    (["DELETE FROM handled"], "handled intervention"),
    (["DROP TRIGGER documents_no_update", "UPDATE documents SET total = '1.00' WHERE number = '2026-000001'"],
     "chain is broken"),
])
def test_10_tampering_shows_and_blocks_run_credit_and_report(q4: Path, statements, phrase):
    cli(q4, *Q1)
    _sql(q4, *statements)
    out = cli(q4, "status", code=1)
    assert "Integrity: PROBLEMS" in out and phrase in out
    for args in (("run", "2027Q2", "--invoice-date", "2027-04-05"), ("credit", "2027-000001", "--reason", "x",
                                                                      "--date", "2027-01-06"), ("report", "2027")):
        out = cli(q4, *args, code=1)
        assert "integrity check" in out
    assert not (q4 / "output" / "2027Q2").exists()


def test_10_deleting_the_last_document_is_caught_by_output(q4: Path):
    cli(q4, *Q1)
    _sql(q4, "DROP TRIGGER documents_no_delete", "DROP TRIGGER lines_no_delete",
         "DELETE FROM coverage WHERE number = '2027-000003'", "DELETE FROM document_lines WHERE number = '2027-000003'",
         "DELETE FROM upgrades WHERE number = '2027-000003'", "DELETE FROM handled WHERE number = '2027-000003'",
         "DELETE FROM documents WHERE number = '2027-000003'")
    out = cli(q4, *Q2, code=1)
    assert "2027-000003" in out and "does not know" in out


# --- 12. CSV injection ---------------------------------------------------------------------------------------


def test_12_csv_fields_from_the_inbox_cannot_start_a_formula(tmp_path: Path):
    ws = make_workspace(tmp_path / "ws")
    evil = customer("A", '=HYPERLINK("http://evil","klik")', **{"btw-nummer": "BE0477472701"})
    ivs = [dict(intervention("@SUM(A1)", date(2026, 10, 12), "A", 50, "internet", "virus"),
                omschrijving="+1+cmd|' /C calc'!A0\x07")]
    write_inbox_month(ws / "inbox" / "2026-10", [evil, C], A_LICS + C_LICS, ivs)
    path = ws / "bijstand.toml"
    path.write_text(path.read_text().replace('fee_timing = "advance"', 'fee_timing = "arrears"', 1))
    cli(ws, "run", "2026Q4", "--invoice-date", "2027-01-05")
    journal = (ws / "output" / "2026Q4" / "journal.csv").read_text()
    assert "'=HYPERLINK" in journal and ",=HYPERLINK" not in journal and "+++" in journal
    interventions = read_csv(ws / "output" / "2026Q4" / "interventions.csv")
    assert interventions[0]["intervention_id"] == "'@SUM(A1)"
    assert "\x07" not in (ws / "output" / "2026Q4" / "lines.csv").read_text()


# --- 13. files and the register ----------------------------------------------------------------------------


def test_13_fifo_and_link_to_dev_zero_are_refused_by_name(q4: Path):
    os.mkfifo(q4 / "inbox" / "2026-12" / "pipe.xlsx")
    os.symlink("/dev/zero", q4 / "inbox" / "2026-12" / "zero.xlsx")
    out = cli(q4, *Q1, code=1)
    assert "pipe.xlsx" in out and "zero.xlsx" in out
    assert not (q4 / "output" / "2027Q1").exists()


def test_13_truncated_register(q4: Path):
    data = (q4 / "bijstand.sqlite").read_bytes()
    with Register(q4 / "bijstand.sqlite") as reg:
        reg.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = (q4 / "bijstand.sqlite").read_bytes()
    (q4 / "bijstand.sqlite").write_bytes(data[:len(data) // 3])
    for suffix in ("-wal", "-shm"):
        (q4 / f"bijstand.sqlite{suffix}").unlink(missing_ok=True)
    out = cli(q4, "status", code=1)
    assert "Traceback" not in out and ("damaged" in out or "could not be read" in out)


# --- 14. status while a run is busy -------------------------------------------------------------------------


def test_14_status_during_a_run_reports_it_busy_not_broken(q4: Path):
    from batch.lock import WorkspaceLock

    _sql(q4, "UPDATE runs SET state = 'committed' WHERE label = '2026Q4'")
    with WorkspaceLock(q4, "run 2027Q1"):
        out = cli(q4, "status")
        assert "Busy: run 2027Q1" in out and "Integrity: OK" in out
    out = cli(q4, "status", code=1)
    assert "committed but not written yet: 2026Q4" in out


# --- 11. one at a time: the commit checks that nothing was issued meanwhile --------------------------------


def test_11_commit_refuses_when_another_command_issued_meanwhile(q4: Path):
    from batch.problems import BijstandError
    from batch.run import read_and_plan
    from batch.settings import load_settings

    settings = load_settings(q4)
    with Register(q4 / "bijstand.sqlite") as reg:
        _, plan, start, priced = read_and_plan(q4, "2027Q1", date(2027, 1, 5), settings, reg)
        cli(q4, "credit", "2026-000001", "--reason", "meanwhile", "--date", "2027-01-05")
        with pytest.raises(BijstandError, match="veranderde het register terwijl deze run geprijsd werd "
                           r"\(gefactureerde dekking van klant A, module JUW; .*start hetzelfde commando opnieuw"):
            reg.commit_run(plan, "2027Q1", "2027-01-05T09:00:00", {}, settings, start, [], priced)
    assert_nothing_twice(q4)


# --- 11. no worker process outlives a killed run ------------------------------------------------------------


def _processes_mentioning(text: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            state = next((l for l in (entry / "status").read_text().splitlines() if l.startswith("State:")), "")
        except OSError:
            continue
        if text in cmdline and "Z" not in state.split(":", 1)[-1][:3]:
            found.append(int(entry.name))
    return found


def test_11_killed_run_leaves_no_worker_process_and_no_lock(tmp_path: Path):
    import time

    from batch.lock import busy
    from tests.workspaces import bijstand

    ws = make_workspace(tmp_path / "many")
    customers = [customer(f"K{i:03d}", f"Juwelier {i}") for i in range(60)]
    write_inbox_month(ws / "inbox" / "2026-10", customers, [licence(f"K{i:03d}", "JUW", date(2015, 1, 1))
                                                            for i in range(60)], [])
    before = set(_processes_mentioning("batch.documents.invoice_pdf"))
    env_workers = os.environ.get("BIJSTAND_WORKERS")
    os.environ["BIJSTAND_WORKERS"] = "2"
    try:
        killed = bijstand(ws, *Q4, fail_at="file-written@10:kill")
    finally:
        if env_workers is None:
            os.environ.pop("BIJSTAND_WORKERS")
        else:
            os.environ["BIJSTAND_WORKERS"] = env_workers
    assert killed.returncode == -9
    deadline = time.monotonic() + 10
    workers = lambda: _processes_mentioning(str(ws)) + [  # noqa: E731 (the run, and its fork server's workers)
        p for p in _processes_mentioning("batch.documents.invoice_pdf") if p not in before]
    while workers() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert workers() == []
    assert busy(ws) is None
    done = bijstand(ws, *Q4)
    assert done.returncode == 0 and "Finished writing interrupted run(s): 2026Q4" in done.stdout
    assert len(read_csv(ws / "output" / "2026Q4" / "journal.csv")) == 60


# === the audit's gaps (issue 11 T1–T11, issue 15 D4, issue 16 safety) =====================================
#
# Each test makes the mistake through the CLI, asserts the message and exit code, then that the workspace
# goes on billing exactly what an intact copy of it bills.


def _tariffs(ws: Path, *, kas_fee="12.00", juw_price="4950.00", regie_2027="80.00") -> None:
    """tarieven.xlsx of SPEC §7 (the tests' workspace), with an Intrest sheet and the amounts given."""
    from decimal import Decimal as D

    from batch.model import Holiday, InterestRate, ModulePrice, RegieRate
    from batch.workspace import write_tariffs

    write_tariffs(ws / "tarieven.xlsx",
                  [ModulePrice("JUW", "Juwelierspakket", True, False, D(juw_price), D("45.00"), date(2010, 1, 1)),
                   ModulePrice("JUW", "Juwelierspakket", True, False, D("4950.00"), D("48.00"), date(2027, 1, 1)),
                   ModulePrice("KAS", "Kassamodule", False, False, D("1200.00"), D(kas_fee), date(2010, 1, 1)),
                   ModulePrice("COM", "Communicatiepakket", False, True, D("350.00"), D("5.00"), date(2010, 1, 1))],
                  [RegieRate(date(2010, 1, 1), D("75.00"), None), RegieRate(date(2027, 1, 1), D(regie_2027), None)],
                  [Holiday(date(2026, 12, 24), date(2027, 1, 3), "Kerstverlof")],
                  [InterestRate(date(2026, 1, 1), D("10.50"))])


def _intact_copy(ws: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(ws, tmp_path / "intact"))


def _same_next_run(ws: Path, intact: Path, *run) -> None:
    """The next run bills on the repaired workspace exactly what it bills on the intact copy."""
    run = run or Q2
    cli(ws, *run)
    cli(intact, *run)
    label = run[1]
    for name in ("journal.csv", "lines.csv", "interventions.csv"):
        assert read_csv(ws / "output" / label / name) == read_csv(intact / "output" / label / name), name
    assert_nothing_twice(ws)


def _checkpointed(ws: Path) -> Path:
    """The register with its WAL folded in and no free pages (as a register on disk mostly is)."""
    path = ws / "bijstand.sqlite"
    con = sqlite3.connect(path)
    con.execute("VACUUM")
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    return path


COMMANDS_ON_A_REGISTER = [Q2, ("status",), ("status", "--open"), ("credit", "2027-000001", "--reason", "x"),
                          ("check", "2027Q2"), ("payments",), ("reminders", "--dry-run"), ("send", "--dry-run"),
                          ("report", "2027"), ("btw", "2027Q1")]


@pytest.mark.parametrize("where", [0.2, 0.5, 0.9])
def test_gap1_register_damaged_in_the_middle_gives_the_message_everywhere_and_repair_rebuilds_it(
        q4: Path, tmp_path: Path, monkeypatch, where: float):
    """`dd if=/dev/urandom of=bijstand.sqlite bs=4096 seek=<where> count=3 conv=notrunc`: every command says
    the register is damaged (exit 1, never a traceback), nothing is issued, repair rebuilds it."""
    import random

    monkeypatch.setenv("BIJSTAND_TODAY", "2027-04-05")
    cli(q4, *Q1)
    (q4 / "bank").mkdir()
    path = _checkpointed(q4)
    intact = _intact_copy(q4, tmp_path)
    pages = path.stat().st_size // 4096
    with open(path, "r+b") as fh:
        fh.seek(int(pages * where) * 4096)
        fh.write(random.Random(int(where * 10)).randbytes(3 * 4096))
    for args in COMMANDS_ON_A_REGISTER:
        out = cli(q4, *args, code=1)
        assert "is damaged" in out and "bijstand repair" in out, (args, out)
    assert not (q4 / "output" / "2027Q2").exists() and not (q4 / "output" / "credit-2027-000001").exists()
    out = cli(q4, "repair")
    assert "Register rebuilt from 2 run folder(s): 2026Q4, 2027Q1" in out and "bijstand.sqlite.damaged-" in out
    assert list(q4.glob("bijstand.sqlite.damaged-*"))  # the damaged file is kept
    assert "Integrity: OK" in cli(q4, "status")
    _same_next_run(q4, intact)


def test_gap1_text_that_is_not_utf8_any_more_is_damage_too(q4: Path, tmp_path: Path):
    """A page whose structure is intact but whose text is not UTF-8 any more (quick_check does not see
    it): `run` gave "sqlite3.OperationalError: Could not decode to UTF-8 column 'payload'"."""
    cli(q4, *Q1)
    path = _checkpointed(q4)
    intact = _intact_copy(q4, tmp_path)
    data = bytearray(path.read_bytes())
    at = data.find(b'"buyer":{')
    assert at > 0
    data[at + 2:at + 7] = b"\xff\xfe\xff\xfe\xff"
    path.write_bytes(bytes(data))
    for args in (Q2, ("status",), ("credit", "2027-000001", "--reason", "x")):
        out = cli(q4, *args, code=1)
        assert "is damaged" in out and "decode" in out and "bijstand repair" in out
    out = cli(q4, "repair")
    assert "bijstand.sqlite.damaged-" in out
    _same_next_run(q4, intact)


@pytest.mark.parametrize("statements, phrase", [
    (["UPDATE coverage SET end = '2026-10-31' WHERE number = '2026-000001' AND line_no = 1"],
     "billed coverage a/juw 2026-10-01…2026-10-31"),
    (["DELETE FROM handled"], "handled intervention I2: the register holds nothing, its runs say billed 2027-000001"),
    (["DELETE FROM outcomes WHERE run_id = 2"], "the register holds billed 2027-000001, its runs and credit notes say "
                                                "nothing"),
    (["UPDATE handled SET fingerprint = 'c|2026-11-03|240|internet|virus|0' WHERE intervention_id = 'I2'"],
     "handled intervention I2 (invoice 2027-000001): fingerprint is 'c|2026-11-03|240|internet|virus|0' in the "
     "register, its runs say 'a|2026-11-03|50|internet|virus|0'"),
    (["DROP TRIGGER documents_no_update", "UPDATE documents SET total = '1.00' WHERE number = '2026-000001'"],
     "document 2026-000001: the SHA-256 chain is broken here"),
])
def test_gap2_repair_rebuilds_a_tampered_register(q4: Path, tmp_path: Path, statements, phrase):
    cli(q4, *Q1)
    intact = _intact_copy(q4, tmp_path)
    _sql(q4, *statements)
    out = cli(q4, "status", code=1)
    assert "Integrity: PROBLEMS" in out and phrase in out
    assert "integrity check" in cli(q4, *Q2, code=1)
    out = cli(q4, "repair")
    assert "Het register faalde zijn integriteitscontrole en is opnieuw opgebouwd uit output/" in out and phrase in out
    assert "Register rebuilt from 2 run folder(s): 2026Q4, 2027Q1" in out and "bijstand.sqlite.tampered-" in out
    assert len(list(q4.glob("bijstand.sqlite.tampered-*"))) == 1
    assert "Integrity: OK" in cli(q4, "status")
    assert "Nothing to repair" in cli(q4, "repair")
    _same_next_run(q4, intact)


def test_gap2_a_tampered_register_that_holds_documents_output_lacks_is_not_rebuilt(q4: Path):
    cli(q4, *Q1)
    shutil.rmtree(q4 / "output" / "2027Q1")
    _sql(q4, "DELETE FROM handled")
    out = cli(q4, "repair", code=1)
    assert "would lose them" in out and "2027-000001" in out and "backups/" in out
    assert not list(q4.glob("bijstand.sqlite.tampered-*"))


# --- 3. payments and reminders survive a rebuild ------------------------------------------------------------


def _payment_state(ws: Path) -> dict:
    return {
        "allocations": register_rows(ws, "SELECT movement_key, line_no, code, reason, via, customer_id, number, amount "
                                         "FROM allocations ORDER BY movement_key, line_no"),
        "movements": register_rows(ws, "SELECT * FROM movements ORDER BY key"),
        "files": register_rows(ws, "SELECT sha256, format, imported_at, movements FROM bank_files ORDER BY sha256"),
        "reminders": register_rows(ws, "SELECT number, customer_id, issue_date, level, payload FROM reminders"),
        "deliveries": register_rows(ws, "SELECT number, channel, address, state FROM deliveries ORDER BY delivery_id"),
        "open": read_csv(ws / "output" / "betalingen" / "openstaand.csv"),
    }


@pytest.mark.parametrize("loss", ["deleted", "tampered", "damaged"])
def test_gap3_repair_rebuilds_payments_reminders_and_deliveries(q4: Path, tmp_path: Path, monkeypatch, loss: str):
    from decimal import Decimal as D

    from batch.payments.writers import Mv, Stmt, coda_file

    monkeypatch.setenv("BIJSTAND_TODAY", "2026-12-20")
    _tariffs(q4)
    refs = {r["customer_id"]: r["structured_reference"] for r in read_csv(q4 / "output" / "2026Q4" / "journal.csv")}
    (q4 / "bank").mkdir()
    account = "BE71096123456769"
    (q4 / "bank" / "1.cod").write_bytes(coda_file([Stmt(account, 1, date(2026, 11, 2), D("1000.00"), [
        Mv(D("250.47"), structured=refs["A"], name="Juwelier Aerts", iban="BE62510007547061")])]))
    elsewhere = tmp_path / "downloads"
    elsewhere.mkdir()
    second = elsewhere / "1.cod"  # the same name as a file of bank/, another content
    second.write_bytes(coda_file([Stmt(account, 2, date(2026, 11, 20), D("1250.47"), [
        Mv(D("83.49"), communication="factuur 2026-000002", name="Bosmans")])]))
    before = (second.read_bytes(), second.stat().st_mtime_ns)
    cli(q4, "payments")
    out = cli(q4, "payments", str(second))
    assert "1 nieuwe beweging —" in out
    assert (second.read_bytes(), second.stat().st_mtime_ns) == before  # the original only read
    assert (q4 / "bank" / "1-2.cod").read_bytes() == before[0]  # a copy that collides with nothing
    cli(q4, "payments", str(second))  # again: already imported, not copied twice
    assert sorted(p.name for p in (q4 / "bank").iterdir()) == ["1-2.cod", "1.cod"]
    # B's paid invoice credited after the payment: the payment stays booked as it was, not "to refund"
    cli(q4, "credit", "2026-000002", "--reason", "verkeerde klant", "--date", "2026-12-20")
    out = cli(q4, "reminders", "--date", "2026-12-20")
    assert "H2026-00001" in out and "C" in out
    cli(q4, "send")  # no channel configured: to print and post, logged in output/verzending.jsonl
    cli(q4, "status", "--open")
    before_state = _payment_state(q4)
    assert [(a[2], a[6], a[7]) for a in before_state["allocations"]] == [
        ("booked", "2026-000001", "250.47"), ("booked", "2026-000002", "83.49")]
    assert len(before_state["reminders"]) == 1 and len(before_state["deliveries"]) == 5  # 3 invoices, the credit note, the reminder
    path = q4 / "bijstand.sqlite"
    if loss == "deleted":
        path.unlink()
        for suffix in ("-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    elif loss == "tampered":
        _sql(q4, "UPDATE coverage SET units = 2 WHERE number = '2026-000001' AND line_no = 1")
    else:
        _checkpointed(q4)
        data = bytearray(path.read_bytes())
        data[:100] = bytes(100)  # the header: not a database any more (and its payment order unreadable)
        path.write_bytes(bytes(data))
    out = cli(q4, "repair")
    assert "Betalingen opnieuw ingelezen uit bank/: 2 rekeninguittreksel(s), 2 bewegingen" in out
    after = _payment_state(q4)
    assert after == before_state
    out = cli(q4, "status", "--open")
    assert "Integrity: OK" in out and "1 overdue" in out
    assert "Geen herinneringen" in cli(q4, "reminders", "--dry-run", "--date", "2026-12-20")


# --- 4. folders of an older version get their PDFs ---------------------------------------------------------


def test_gap4_repair_gives_folders_without_pdfs_their_pdfs_and_keeps_the_issued_ubl(tmp_path: Path):
    """SPEC §11 D4 "Existing folders get their PDFs with `bijstand repair`": the workspace of the previous
    version (tests/data/v1-workspace.tar.gz) has no pdf/ folders."""
    import hashlib
    import json
    import tarfile

    from batch.documents.invoice_pdf import render_invoice_files

    with tarfile.open(Path(__file__).parent / "data" / "v1-workspace.tar.gz") as tar:
        tar.extractall(tmp_path, filter="data")
    ws = tmp_path / "v1ws"
    toml = ws / "bijstand.toml"
    toml.write_text(toml.read_text().replace("BE68539007547034", "BE71096123456769"))
    ubl_before = {p: p.read_bytes() for p in (ws / "output").rglob("peppol/*.xml")}
    out = cli(ws, "status")
    assert "hebben geen pdf/ (2026Q4, 2027Q1, credit-2027-000002): `bijstand repair` voegt de pdf's toe" in out
    out = cli(ws, "repair")
    assert "Pdf's toegevoegd aan 2026Q4: 2 (de reeds uitgereikte UBL-bestanden blijven zoals ze zijn)" in out
    assert "Pdf's toegevoegd aan 2027Q1: 3" in out and "Pdf's toegevoegd aan credit-2027-000002: 1" in out
    with Register(ws / "bijstand.sqlite") as reg:
        documents = {inv.number: inv for inv in reg.documents()}
    for label, numbers in (("2026Q4", ["2026-000001", "2026-000002"]),
                           ("2027Q1", ["2027-000001", "2027-000002", "2027-000003"])):
        folder = ws / "output" / label
        manifest = {o["path"]: o["sha256"] for o in json.loads((folder / "manifest.json").read_text())["outputs"]}
        for number in numbers:
            pdf = (folder / "pdf" / f"{number}.pdf").read_bytes()
            assert pdf == render_invoice_files(documents[number]).pdf  # the bytes a run writes today
            assert manifest[f"pdf/{number}.pdf"] == hashlib.sha256(pdf).hexdigest()
    assert {p: p.read_bytes() for p in ubl_before} == ubl_before  # the UBL already issued stays as it is
    out = cli(ws, "status")
    assert "Integrity: OK" in out and "pdf/" not in out
    assert "Nothing to repair" in cli(ws, "repair")
    (ws / "bijstand.sqlite").unlink()  # and a register rebuilt from output/ knows the PDFs
    cli(ws, "repair")
    assert "Integrity: OK" in cli(ws, "status")
    (ws / "output" / "2027Q1" / "pdf" / "2027-000002.pdf").unlink()
    assert "Written again: output/2027Q1/pdf/2027-000002.pdf" in cli(ws, "repair")


# --- 5. status while a run commits ---------------------------------------------------------------------------


def test_gap5_status_reads_one_snapshot_while_a_run_commits(q4: Path, tmp_path: Path):
    """`status` polled during a live run said "billed coverage … does not match the document's lines"
    about one time in three: its reads saw the register before and after the run's commit. Here status
    stops between reading the documents and reading the coverage (a fail point) while a whole run
    commits and writes; it must see one moment."""
    import subprocess
    import time

    from tests.workspaces import bijstand_cmd, child_env

    flag = tmp_path / "pause"
    env = child_env("verify-read:pause")
    env["BIJSTAND_PAUSE_FILE"] = str(flag)
    status = subprocess.Popen(bijstand_cmd(q4, "status"), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)
    deadline = time.monotonic() + 60
    while not Path(str(flag) + ".reached").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert Path(str(flag) + ".reached").exists(), status.communicate()
    cli(q4, *Q1)  # a whole run commits and writes its folder meanwhile
    Path(str(flag) + ".go").touch()
    out, err = status.communicate(timeout=60)
    assert status.returncode == 0, out + err
    assert "Integrity: OK" in out and "Runs: 1" in out  # the register as it was when status began
    assert "Integrity: OK" in cli(q4, "status")


# --- 6. the commit re-reads the billed coverage -----------------------------------------------------------------


def test_gap6_the_commit_rereads_what_the_run_was_priced_against(q4: Path, tmp_path: Path):
    """A run stopped after pricing while the register's billed coverage changes (a second writer that
    did not take the workspace lock — an older version, another machine on a share): the commit
    refuses, naming what changed; nothing is issued. A change elsewhere (a delivery row) lets it pass."""
    import subprocess
    import time

    from tests.workspaces import bijstand_cmd, child_env

    def paused_run(change: str) -> subprocess.CompletedProcess:
        flag = tmp_path / f"pause-{len(list(tmp_path.iterdir()))}"
        env = child_env("priced:pause")
        env["BIJSTAND_PAUSE_FILE"] = str(flag)
        proc = subprocess.Popen(bijstand_cmd(q4, *Q1), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        deadline = time.monotonic() + 60
        while not Path(str(flag) + ".reached").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        _sql(q4, change)
        Path(str(flag) + ".go").touch()
        out, err = proc.communicate(timeout=120)
        return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)

    done = paused_run("UPDATE coverage SET end = '2027-01-31' WHERE number = '2026-000001' AND line_no = 1")
    assert done.returncode == 1
    assert ("een ander commando veranderde het register terwijl deze run geprijsd werd (gefactureerde dekking van "
            "klant A, module JUW)") in done.stderr and "start hetzelfde commando opnieuw" in done.stderr
    assert not (q4 / "output" / "2027Q1").exists()
    _sql(q4, "UPDATE coverage SET end = '2026-12-31' WHERE number = '2026-000001' AND line_no = 1")
    done = paused_run("INSERT INTO deliveries (number, kind, channel, address, state, created_at, updated_at) "
                      "VALUES ('2026-000001', 'invoice', 'post', 'x', 'post', 'now', 'now')")
    assert done.returncode == 0, done.stderr
    assert [r["number"] for r in read_csv(q4 / "output" / "2027Q1" / "journal.csv")] == [
        "2027-000001", "2027-000002", "2027-000003"]
    assert_nothing_twice(q4)


# --- 7. a tariff with more than two decimals holds the customers that would use it ------------------------------


def test_gap7_tariff_with_three_decimals_holds_only_the_customers_whose_invoice_uses_it(q4: Path):
    """KAS maandbedrag 12.345 (A has 2 × KAS), JUW licentieprijs 4950.001 (C's upgrade for I5 uses it),
    the 2027 regie rate 80.005 (used by no invoice of this run): A and C are held, naming the cell; B is
    billed; fixed, the next run bills A and C — nothing twice."""
    _tariffs(q4, kas_fee="12.345", juw_price="4950.001", regie_2027="80.005")
    out = cli(q4, *Q1)
    assert "Tegengehouden klanten (2): A, C" in out
    assert ('tarieven.xlsx:Modules!H4: klant A: de factuur zou maandbedrag "12.345" gebruiken, dat meer dan twee '
            "decimalen heeft") in out
    assert 'tarieven.xlsx:Modules!G2: klant C: de factuur zou licentieprijs "4950.001" gebruiken' in out
    assert "klant B" not in out
    journal = read_csv(q4 / "output" / "2027Q1" / "journal.csv")
    assert [(r["customer_id"], r["net"]) for r in journal] == [("B", "144.00")]
    out = cli(q4, "check", code=1)  # the cells themselves are errors (exit 1), in the check and every run
    assert 'tarieven.xlsx:Regie!B3: uurtarief "80.005" heeft meer dan twee decimalen' in out
    _tariffs(q4)
    cli(q4, "run", "2027Q1", "--invoice-date", "2027-01-06")
    again = {r["customer_id"]: r["net"] for r in read_csv(q4 / "output" / "2027Q1.2" / "journal.csv")}
    assert again == {"A": "309.75", "C": "257.08"}  # SPEC §7's A and C
    assert_nothing_twice(q4)


# --- 8. R3: no credit for a licence ended or an agreement cancelled after its period was invoiced --------------


def test_gap8_ended_licence_or_cancelled_agreement_after_invoicing_gives_no_credit_warning(tmp_path: Path):
    ws = make_workspace(tmp_path / "ws")  # October: A and C, no cancellation yet
    cli(ws, *Q4)  # Q4 invoiced in advance: A JUW + 2 KAS, C JUW + COM through 31/12
    c = dict(C, **{"opgezegd op": date(2026, 11, 20), "opzegging via": "e-mail"})
    lics = [A_LICS[0], licence("A", "KAS", date(2018, 5, 1), qty=2, end=date(2026, 11, 30)), *C_LICS]
    write_inbox_month(ws / "inbox" / "2026-12", [A, c], lics, [])
    out = cli(ws, *Q1, "-v")
    assert "meer gefactureerd" not in out and "creditnota" not in out
    journal = read_csv(ws / "output" / "2027Q1" / "journal.csv")
    assert [(r["customer_id"], r["net"]) for r in journal] == [("A", "144.00")]  # JUW only; C nothing, no credit
    assert_nothing_twice(ws)


@pytest.mark.parametrize("change, cell", [
    ("quantity", "licenties.xlsx:Licenties!C3"),  # aantal 2 → 1
    ("purchase", "licenties.xlsx:Licenties!D3"),  # aankoopdatum moved to 15/11/2026
    ("removed", "klanten.xlsx:Klanten!A2"),  # the KAS row gone, without an end date
])
def test_gap8_true_corrections_downwards_warn_naming_the_cell(q4: Path, change: str, cell: str):
    kas = {"quantity": [licence("A", "KAS", date(2018, 5, 1), qty=1)],
           "purchase": [licence("A", "KAS", date(2026, 11, 15), qty=2)], "removed": []}[change]
    write_inbox_month(q4 / "inbox" / "2027-01", [A, B, C], [A_LICS[0], *kas, licence("B", "JUW", date(2026, 11, 15)),
                                                          *C_LICS], [])
    out = cli(q4, *Q1, "-v")
    assert f"{cell}: klant A, module KAS: van 01/10/2026 tot" in out and "creditnota is nodig" in out
    assert out.count("meer gefactureerd") == 1
    assert_nothing_twice(q4)


# --- 9. billing.start is fixed by the first run ------------------------------------------------------------------


@pytest.mark.parametrize("start, what", [("2024-01-01", "periodes factureren die het oude systeem al factureerde"),
                                         ("2026-11-01", "anders behandelen")])
def test_gap9_a_different_billing_start_after_the_first_run_is_refused(q4: Path, start: str, what: str):
    path = q4 / "bijstand.toml"
    text_before = path.read_text()
    path.write_text(text_before.replace('start = "2026-10-01"', f'start = "{start}"', 1))
    for args in (Q1, ("check", "2027Q1"), ("run", "2027Q1", "--dry-run")):
        out = cli(q4, *args, code=1)
        assert (f"[billing] start in bijstand.toml is {start}, maar het register legde de facturatiestart vast op "
                "2026-10-01 bij de eerste run") in out and what in out and 'start = "2026-10-01" terug' in out
    assert not (q4 / "output" / "2027Q1").exists() and not (q4 / "output" / "2027Q1-concept").exists()
    path.write_text(text_before.replace('start = "2026-10-01"', 'start = ""', 1))  # empty: the register's
    cli(q4, *Q1)
    assert [r["net"] for r in read_csv(q4 / "output" / "2027Q1" / "journal.csv")] == ["309.75", "144.00", "257.08"]
    assert_nothing_twice(q4)


# --- 10. credit names its own option -------------------------------------------------------------------------------


def test_gap10_credit_date_before_the_last_document_names_date(q4: Path, monkeypatch):
    monkeypatch.setenv("BIJSTAND_TODAY", "2027-01-10")
    cli(q4, *Q1)
    out = cli(q4, "credit", "2027-000001", "--reason", "x", "--date", "2026-12-31", code=1)
    assert "credit note date 2026-12-31 is before the last issued document (2027-01-05)" in out
    assert "use --date 2027-01-05 or later" in out and "--invoice-date" not in out
