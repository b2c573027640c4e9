"""Operations (issue 6): a full disk and a read-only output folder, injected and real (tmpfs), the lock
between two real processes, refused credit notes, and the register's protection of issued documents
(triggers, SHA-256 chain).

Every failure must end with exit 1, a clear message and no traceback, no partial file in place, and a
register that the next command finishes or that is unchanged."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import sqlite3
import subprocess
import time
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from batch.cli import main
from batch.lock import LOCK_FILE, WorkspaceLock, busy
from batch.register import Register
from tests.workspaces import (REPO, bijstand, bijstand_cmd, child_env, december, make_workspace, read_csv,
                              register_rows, two_quarter_workspace)

Q4 = ("run", "2026Q4", "--invoice-date", "2026-10-05")
Q1 = ("run", "2027Q1", "--invoice-date", "2027-01-05")
Q1_TOTALS = [("2027-000001", "A", "374.80"), ("2027-000002", "B", "174.24"), ("2027-000003", "C", "311.07")]


@pytest.fixture(scope="module")
def after_q4(tmp_path_factory) -> Path:
    """October and December sheets in the inbox, 2026Q4 issued (3 invoices)."""
    ws = two_quarter_workspace(tmp_path_factory.mktemp("ops") / "q4")
    assert bijstand(ws, *Q4).returncode == 0
    return ws


@pytest.fixture
def ws(after_q4: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(after_q4, tmp_path / "ws"))


def journal(ws: Path, label: str = "2027Q1") -> list[tuple]:
    return [(r["number"], r["customer_id"], r["total"]) for r in read_csv(ws / "output" / label / "journal.csv")]


def output_entries(ws: Path) -> list[str]:
    return sorted(str(p.relative_to(ws / "output")) for p in (ws / "output").rglob("*"))


def assert_clean_failure(proc: subprocess.CompletedProcess, *phrases: str) -> None:
    text = proc.stdout + proc.stderr
    assert proc.returncode == 1, text
    assert "Traceback" not in text, text
    for phrase in phrases:
        assert phrase in text, text


def assert_recovers(ws: Path, *, finished: bool) -> None:
    """The next run finishes (or simply makes) 2027Q1; the register and the files then agree."""
    again = bijstand(ws, *Q1)
    assert again.returncode == 0, again.stdout + again.stderr
    assert ("Finished writing interrupted run(s): 2027Q1" in again.stdout) == finished
    assert journal(ws) == Q1_TOTALS
    status = bijstand(ws, "status")
    assert status.returncode == 0 and "Integrity: OK" in status.stdout, status.stdout
    assert [e for e in output_entries(ws) if ".staging-" in e or e.endswith(".tmp")] == []


# --- injected: disk full and permission denied while writing the run folder ---------------------


@pytest.mark.parametrize("fault, message", [
    ("file-written:enospc", "No space left on device"),
    ("file-written@5:enospc", "No space left on device"),
    ("staged:enospc", "No space left on device"),
    ("file-written@2:eacces", "Permission denied"),
    ("staged:eacces", "Permission denied"),
])
def test_write_failure_leaves_nothing_in_place_and_the_next_run_finishes(ws: Path, fault: str, message: str):
    before = output_entries(ws)
    failed = bijstand(ws, *Q1, fail_at=fault)
    assert_clean_failure(failed, "could not write the run folder", message, "run the same command again")
    assert output_entries(ws) == before  # no 2027Q1/, no staging folder, no .tmp
    # the register holds the committed run; status points at it
    assert register_rows(ws, "SELECT label, state FROM runs ORDER BY run_id") == [
        ("2026Q4", "written"), ("2027Q1", "committed")]
    status = bijstand(ws, "status")
    assert status.returncode == 1 and "committed but not written yet: 2027Q1" in status.stdout
    assert_recovers(ws, finished=True)


@pytest.mark.parametrize("fault, committed", [("in-commit:enospc", False), ("written:enospc", True)])
def test_disk_full_in_the_register_gives_a_message_not_a_traceback(ws: Path, fault: str, committed: bool):
    failed = bijstand(ws, *Q1, fail_at=fault)
    assert_clean_failure(failed, "No space left on device", "run the same command again")
    labels = register_rows(ws, "SELECT label FROM runs ORDER BY run_id")
    assert labels == ([("2026Q4",), ("2027Q1",)] if committed else [("2026Q4",)])
    again = bijstand(ws, *Q1)
    assert again.returncode == 0, again.stdout + again.stderr
    assert journal(ws) == Q1_TOTALS


# --- real: a tmpfs that is full or read-only ------------------------------------------------------


@contextlib.contextmanager
def tmpfs(where: Path, size: str):
    where.mkdir(parents=True, exist_ok=True)
    try:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                              capture_output=True, text=True)
    except FileNotFoundError:
        pytest.skip("no mount command")
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", str(where)], capture_output=True)
        if os.path.ismount(where):
            subprocess.run(["umount", "-l", str(where)], capture_output=True)


def remount(where: Path, options: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{options}", str(where)], check=True, capture_output=True)


def test_output_folder_on_a_genuinely_full_disk(ws: Path):
    shutil.move(ws / "output", ws / "output-q4")
    with tmpfs(ws / "output", "650k"):  # 2026Q4 (~430 kB with its PDFs) fits; 2027Q1 (~480 kB) does not
        shutil.copytree(ws / "output-q4", ws / "output", dirs_exist_ok=True)
        failed = bijstand(ws, *Q1)
        assert_clean_failure(failed, "could not write the run folder", "No space left on device")
        assert output_entries(ws) == sorted(str(p.relative_to(ws / "output-q4"))
                                            for p in (ws / "output-q4").rglob("*"))
        remount(ws / "output", "size=2m")  # the bookkeeper frees space
        assert_recovers(ws, finished=True)


def test_read_only_output_folder(ws: Path):
    shutil.move(ws / "output", ws / "output-q4")
    with tmpfs(ws / "output", "2m"):
        shutil.copytree(ws / "output-q4", ws / "output", dirs_exist_ok=True)
        remount(ws / "output", "ro")
        failed = bijstand(ws, *Q1)
        assert_clean_failure(failed, "could not write the run folder", "Read-only file system")
        remount(ws / "output", "rw")
        assert not (ws / "output" / "2027Q1").exists()
        assert_recovers(ws, finished=True)


@pytest.mark.parametrize("free_kb", [0, 8, 64])
def test_workspace_on_a_full_disk_changes_nothing(after_q4: Path, tmp_path: Path, free_kb: int):
    """The lock or the register itself cannot be written: a clear error, the register unchanged."""
    with tmpfs(tmp_path / "disk", "2m") as disk:
        ws = Path(shutil.copytree(after_q4, disk / "ws"))
        stat = os.statvfs(disk)
        with open(disk / "filler", "wb") as fh:
            fh.write(b"\0" * max(0, stat.f_bavail * stat.f_frsize - free_kb * 1024))
        failed = bijstand(ws, *Q1)
        assert_clean_failure(failed, "run the same command again")
        assert "could not take the lock" in failed.stderr or "register" in failed.stderr
        (disk / "filler").unlink()
        assert busy(ws) is None  # the OS released the lock with the process
        assert register_rows(ws, "SELECT COUNT(*) FROM documents") == [(3,)]
        assert_recovers(ws, finished=False)


# --- one run at a time -----------------------------------------------------------------------------


def test_second_process_is_refused_while_the_first_holds_the_lock(ws: Path):
    first = subprocess.Popen(bijstand_cmd(ws, *Q1), cwd=REPO, env=child_env(), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    lock = ws / LOCK_FILE
    deadline = time.monotonic() + 30
    while f'"pid": {first.pid}' not in (lock.read_text() if lock.exists() else ""):
        assert first.poll() is None and time.monotonic() < deadline, "the first run never took the lock"
        time.sleep(0.002)
    os.kill(first.pid, signal.SIGSTOP)  # freeze it while it holds the lock
    try:
        second = bijstand(ws, *Q1)
        credit = bijstand(ws, "credit", "2026-000001", "--reason", "test", "--date", "2027-01-05")
    finally:
        os.kill(first.pid, signal.SIGCONT)
    out, err = first.communicate(timeout=120)
    assert first.returncode == 0, out + err
    for refused in (second, credit):
        assert_clean_failure(refused, "another bijstand command is busy", f"pid {first.pid}", "run 2027Q1")
    assert journal(ws) == Q1_TOTALS
    assert register_rows(ws, "SELECT COUNT(*), COUNT(DISTINCT number) FROM documents") == [(6, 6)]
    assert busy(ws) is None
    status = bijstand(ws, "status")
    assert status.returncode == 0 and "Integrity: OK" in status.stdout


def test_lock_held_by_this_process_refuses_a_run_until_released(ws: Path):
    with WorkspaceLock(ws, "credit 2026-000001"):
        refused = bijstand(ws, *Q1)
        assert_clean_failure(refused, "another bijstand command is busy", "credit 2026-000001", f"pid {os.getpid()}")
        assert register_rows(ws, "SELECT COUNT(*) FROM documents") == [(3,)]
    assert busy(ws) is None
    assert_recovers(ws, finished=False)


# --- credit notes that must be refused ----------------------------------------------------------------


def cli(ws: Path, *args, code=0) -> str:
    result = CliRunner().invoke(main, ["-w", str(ws), *args], catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result.output


def document_count(ws: Path) -> int:
    return register_rows(ws, "SELECT COUNT(*) FROM documents")[0][0]


def test_credit_of_an_older_invoice_releases_only_its_own_days(tmp_path: Path):
    """R3 billed coverage: crediting an invoice whose periods were followed by a later invoice releases
    only the days it billed; the next run bills them again and nothing of the later one."""
    ws = make_workspace(tmp_path / "ws")
    cli(ws, "run", "2026Q4", "--invoice-date", "2026-10-05")  # A: 2026-000001, Q4 fees
    december(ws)
    cli(ws, "run", "2027Q1", "--invoice-date", "2027-01-05")  # A: 2027-000001, Q1 fees and I2, I3
    assert "Credit note 2027-000004 for invoice 2026-000001" in cli(
        ws, "credit", "2026-000001", "--reason", "fout", "--date", "2027-01-10")
    assert register_rows(ws, "SELECT number, start, end, units FROM coverage WHERE customer_key = 'a' AND number "
                             "NOT IN (SELECT number FROM credits) ORDER BY module_key") == [
        ("2027-000001", "2027-01-01", "2027-03-31", 1), ("2027-000001", "2027-01-01", "2027-03-31", 2)]
    # the next run bills A's Q4 again (3 × 45.00 + 3 × 2 × 12.00), nothing of Q1
    cli(ws, "run", "2027Q1", "--invoice-date", "2027-01-10")
    again = read_csv(ws / "output" / "2027Q1.2" / "journal.csv")
    assert [(r["number"], r["customer_id"], r["net"]) for r in again] == [("2027-000005", "A", "207.00")]
    lines = read_csv(ws / "output" / "2027Q1.2" / "lines.csv")
    assert {(l["module"], l["period_start"], l["period_end"]) for l in lines} == {
        ("JUW", "2026-10-01", "2026-12-31"), ("KAS", "2026-10-01", "2026-12-31")}
    # crediting the Q1 invoice too: the next run bills Q1's fees and its interventions again
    cli(ws, "credit", "2027-000001", "--reason", "fout", "--date", "2027-01-10")
    cli(ws, "run", "2027Q1", "--invoice-date", "2027-01-10")
    third = read_csv(ws / "output" / "2027Q1.3" / "journal.csv")
    assert [(r["customer_id"], r["net"]) for r in third] == [("A", "309.75")]
    assert "Integrity: OK" in cli(ws, "status")


def test_credit_of_a_credit_note_and_of_an_unknown_number_are_refused(tmp_path: Path):
    ws = make_workspace(tmp_path / "ws")
    cli(ws, "run", "2026Q4", "--invoice-date", "2026-10-05")
    cli(ws, "credit", "2026-000002", "--reason", "opgezegd", "--date", "2026-10-06")  # → 2026-000003
    out = cli(ws, "credit", "2026-000003", "--reason", "x", "--date", "2026-10-06", code=1)
    assert "2026-000003 is a credit note; only invoices can be credited" in out
    out = cli(ws, "credit", "2026-999999", "--reason", "x", "--date", "2026-10-06", code=1)
    assert "there is no invoice 2026-999999 in the register" in out
    out = cli(ws, "credit", "2026-000002", "--reason", "x", "--date", "2026-10-06", code=1)
    assert "invoice 2026-000002 was already credited by 2026-000003" in out
    assert document_count(ws) == 3
    assert register_rows(ws, "SELECT label, kind, state FROM runs ORDER BY run_id") == [
        ("2026Q4", "run", "written"), ("credit-2026-000002", "credit", "written")]
    assert "Traceback" not in out


# --- the register protects what it issued -------------------------------------------------------------


@pytest.fixture(scope="module")
def issued(after_q4: Path, tmp_path_factory) -> Path:
    ws = Path(shutil.copytree(after_q4, tmp_path_factory.mktemp("issued") / "ws"))
    assert bijstand(ws, *Q1).returncode == 0
    return ws


@pytest.mark.parametrize("sql, refusal", [
    ("UPDATE document_lines SET amount = '0.00' WHERE number = '2027-000001'", "cannot be changed"),
    ("DELETE FROM document_lines WHERE number = '2027-000001'", "cannot be deleted"),
    ("UPDATE documents SET payload = '{}' WHERE number = '2027-000001'", "cannot be changed"),
    ("DELETE FROM documents WHERE number = '2027-000003'", "cannot be deleted"),
])
def test_issued_documents_and_their_lines_cannot_be_changed(issued: Path, sql: str, refusal: str):
    con = sqlite3.connect(issued / "bijstand.sqlite")
    try:
        before = list(con.execute("SELECT * FROM document_lines ORDER BY number, line_no"))
        with pytest.raises(sqlite3.DatabaseError, match=refusal):
            con.execute(sql)
        assert list(con.execute("SELECT * FROM document_lines ORDER BY number, line_no")) == before
        assert len(before) == 16  # 2026Q4: A 2, B 2, C 4 fee lines; 2027Q1: A 4, B 1, C 3
    finally:
        con.close()


def tampered_copy(issued: Path, tmp_path: Path, fix_hash: bool) -> Path:
    """A copy of the workspace whose invoice 2027-000001 now says 9.75 instead of 309.75."""
    ws = Path(shutil.copytree(issued, tmp_path / "tampered"))
    con = sqlite3.connect(ws / "bijstand.sqlite")
    con.execute("DROP TRIGGER documents_no_update")
    payload = con.execute("SELECT payload FROM documents WHERE number = '2027-000001'").fetchone()[0]
    assert '"309.75"' in payload
    forged = payload.replace('"309.75"', '"9.75"')
    con.execute("UPDATE documents SET payload = ? WHERE number = '2027-000001'", (forged,))
    if fix_hash:  # a smarter forger also updates the document's own hash, not the chain after it
        con.execute("UPDATE documents SET payload_sha256 = ? WHERE number = '2027-000001'",
                    (hashlib.sha256(forged.encode()).hexdigest(),))
    con.commit()
    con.close()
    return ws


@pytest.mark.parametrize("fix_hash, found", [
    (False, "document 2027-000001: its content does not match its SHA-256"),
    (True, "document 2027-000001: the SHA-256 chain is broken here"),
])
def test_the_chain_detects_a_tampered_payload(issued: Path, tmp_path: Path, fix_hash: bool, found: str):
    ws = tampered_copy(issued, tmp_path, fix_hash)
    with Register(ws / "bijstand.sqlite") as reg:
        problems = reg.verify_chain()
        assert [p for p in problems if p.startswith(found)] and all("2027-000001" in p for p in problems)
    out = cli(ws, "status", code=1)
    assert "Integrity: PROBLEMS" in out and found in out
    with Register(issued / "bijstand.sqlite") as reg:  # the original is untouched and verifies
        assert reg.verify_chain() == []
