"""Crash injection: a real ``bijstand`` subprocess is killed (SIGKILL) at every named fail point of a
run and of a credit note, at several files of the staging folder, during the recovery itself, and at
seeded random moments; the next ``bijstand run`` must leave a state identical to an uninterrupted run.

Invariants checked after recovery (SPEC §6, issue 6): numbers 1..N per sequence and year with no gap
or duplicate; every invoice has its workbook and UBL file in exactly one run folder; no staging
folder, temporary file or lock left; ``bijstand status`` says "Integrity: OK"; no intervention billed
twice and no licence's fee period billed twice; and the same documents, billed-through dates,
handled interventions and CSV outputs as a reference workspace that never crashed.

The scenarios run two at a time (each is a chain of subprocesses) in a module fixture; one test per
scenario then checks its invariants.
"""

from __future__ import annotations

import json
import random
import shutil
import signal
import subprocess
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest

from tests.workspaces import (REPO, bijstand, bijstand_cmd, child_env, read_csv, register_rows,
                              two_quarter_workspace)

Q4 = ("run", "2026Q4", "--invoice-date", "2026-10-05")
Q1 = ("run", "2027Q1", "--invoice-date", "2027-01-05")
Q1_AGAIN = ("run", "2027Q1", "--invoice-date", "2027-01-10")
CREDIT = ("credit", "2027-000002", "--reason", "verkeerde aankoopdatum", "--date", "2027-01-10")
N_FILES = 11  # per run folder: 3 workbooks, 3 UBL files, overzicht.xlsx, 3 CSV files, manifest.json


@dataclass
class Scenario:
    """Start from ``start`` (fresh | q4 | q1), run ``crashes`` (each killed), then ``finish``."""

    name: str
    start: str
    crashes: list[tuple[tuple, str | float]]  # (command, fail point spec or delay in seconds)
    finish: list[tuple]
    reference: str  # which uninterrupted workspace the end state must equal: q1 | credit
    killed: list[int | None] = field(default_factory=list)  # return codes of the crashed commands
    finished: list[subprocess.CompletedProcess] = field(default_factory=list)
    status: subprocess.CompletedProcess | None = None
    ws: Path | None = None


def _named(point: str) -> Scenario:
    return Scenario(f"q1-{point}", "q4", [(Q1, f"{point}:kill")], [Q1], "q1")


SCENARIOS: list[Scenario] = [
    *[_named(p) for p in ("read", "priced", "in-commit", "committed")],
    *[_named(f"file-written@{n}") for n in (1, 3, 6, 9, N_FILES)],
    *[_named(p) for p in ("staged", "renamed", "written")],
    # the first run of a new register (schema just created)
    Scenario("q4-in-commit", "fresh", [(Q4, "in-commit:kill")], [Q4, Q1], "q1"),
    Scenario("q4-file-written@4", "fresh", [(Q4, "file-written@4:kill")], [Q4, Q1], "q1"),
    # the recovery itself is killed, then a third command finishes
    Scenario("q1-committed-then-recovery-file-written@5", "q4",
             [(Q1, "committed:kill"), (Q1, "file-written@5:kill")], [Q1], "q1"),
    Scenario("q1-renamed-then-recovery-staged", "q4",
             [(Q1, "renamed:kill"), (Q1, "staged:kill")], [Q1], "q1"),
    # a credit note killed after its commit: the next run writes it and bills B again
    *[Scenario(f"credit-{p}", "q1", [(CREDIT, f"{p}:kill")], [Q1_AGAIN], "credit")
      for p in ("file-written@2", "staged", "renamed")],
]
_rng = random.Random(20270105)
SCENARIOS += [Scenario(f"q1-random-{i}-{d:.2f}s", "q4", [(Q1, d)], [Q1], "q1")
              for i, d in enumerate(round(_rng.uniform(0, 1.5), 2) for _ in range(4))]


def _kill_after(ws: Path, args: tuple, delay: float) -> int | None:
    proc = subprocess.Popen(bijstand_cmd(ws, *args), cwd=REPO, env=child_env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)  # a no-op if the run already finished
    return proc.wait(timeout=120)


def _play(sc: Scenario, bases: dict[str, Path], root: Path) -> Scenario:
    sc.ws = root / sc.name
    shutil.copytree(bases[sc.start], sc.ws)
    for args, how in sc.crashes:
        if isinstance(how, str):
            sc.killed.append(bijstand(sc.ws, *args, fail_at=how).returncode)
        else:
            sc.killed.append(_kill_after(sc.ws, args, how))
    sc.finished = [bijstand(sc.ws, *args) for args in sc.finish]
    sc.status = bijstand(sc.ws, "status")
    return sc


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> dict:
    """The uninterrupted reference workspaces and every scenario, played two at a time."""
    root = tmp_path_factory.mktemp("crash")
    fresh = two_quarter_workspace(root / "base-fresh")
    q4 = root / "base-q4"
    shutil.copytree(fresh, q4)
    assert bijstand(q4, *Q4).returncode == 0
    q1 = root / "reference-q1"
    shutil.copytree(q4, q1)
    assert bijstand(q1, *Q1).returncode == 0
    credit = root / "reference-credit"
    shutil.copytree(q1, credit)
    assert bijstand(credit, *CREDIT).returncode == 0
    assert bijstand(credit, *Q1_AGAIN).returncode == 0
    bases = {"fresh": fresh, "q4": q4, "q1": q1}
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=4) as pool:
        played = list(pool.map(lambda sc: _play(sc, bases, root), SCENARIOS))
    return {"scenarios": {sc.name: sc for sc in played}, "reference": {"q1": q1, "credit": credit},
            "seconds": time.monotonic() - started}


# --- what a workspace holds --------------------------------------------------------------------


def _documents(ws: Path) -> list[tuple]:
    return register_rows(ws, "SELECT number, sequence, year, seq, document_type, customer_id, issue_date, net, "
                             "vat, total, credited_number, payload_sha256, chain_sha256 FROM documents ORDER BY rowid")


def _folders(ws: Path) -> dict[str, Path]:
    return {p.name: p for p in sorted((ws / "output").iterdir()) if p.is_dir()}


def _csv_rows(ws: Path, name: str) -> list[tuple[str, dict]]:
    return [(label, row) for label, folder in _folders(ws).items() for row in read_csv(folder / name)]


def _state(ws: Path) -> dict:
    """Everything that must not depend on whether the workspace crashed on the way."""
    return {
        "documents": _documents(ws),
        "coverage": register_rows(ws, "SELECT * FROM coverage ORDER BY number, line_no"),
        "handled": register_rows(ws, "SELECT key, intervention_id, customer_id, status, number, fingerprint "
                                     "FROM handled ORDER BY key"),
        "outcomes": register_rows(ws, "SELECT r.label, o.seq, o.intervention_id, o.status, o.number, o.fingerprint "
                                      "FROM outcomes o JOIN runs r USING (run_id) ORDER BY r.label, o.seq"),
        "credits": register_rows(ws, "SELECT * FROM credits"),
        "runs": register_rows(ws, "SELECT label, kind, quarter, invoice_date, state FROM runs ORDER BY run_id"),
        "folders": sorted(_folders(ws)),
        "csv": {(label, name): (folder / name).read_bytes() for label, folder in _folders(ws).items()
                for name in ("journal.csv", "lines.csv", "interventions.csv")},
        "files": sorted(str(p.relative_to(ws / "output")) for p in (ws / "output").rglob("*") if p.is_file()),
    }


# --- the invariants ------------------------------------------------------------------------------


def check_invariants(ws: Path) -> None:
    docs = _documents(ws)
    # numbers 1..N per sequence and year, no gap, no duplicate
    by_seq: dict[tuple, list[int]] = defaultdict(list)
    for number, sequence, year, seq, *_ in docs:
        by_seq[(sequence, year)].append(seq)
    for key, seqs in by_seq.items():
        assert sorted(seqs) == list(range(1, len(seqs) + 1)), (key, seqs)
    numbers = [d[0] for d in docs]
    assert len(numbers) == len(set(numbers))

    # every document in the journal of exactly one run folder, with its workbook and UBL file
    journal = _csv_rows(ws, "journal.csv")
    assert sorted(r["number"] for _, r in journal) == sorted(numbers)
    folders = _folders(ws)
    for number in numbers:
        xlsx = [label for label, f in folders.items() if (f / "facturen" / f"{number}.xlsx").is_file()]
        pdf = [label for label, f in folders.items() if (f / "pdf" / f"{number}.pdf").is_file()]
        xml = [label for label, f in folders.items() if (f / "peppol" / f"{number}.xml").is_file()]
        by_post = [label for label, f in folders.items()
                   if number in json.loads((f / "manifest.json").read_text()).get("deliver_by_email_or_post", [])]
        assert len(xlsx) == 1 and pdf == xlsx and (xml or by_post) == xlsx, (number, xlsx, pdf, xml, by_post)

    # nothing half-done anywhere
    leftovers = [p for p in (ws / "output").rglob("*")
                 if p.name.startswith(".staging-") or p.name.endswith(".tmp")]
    assert leftovers == []
    from batch.lock import busy

    assert busy(ws) is None
    assert register_rows(ws, "SELECT label FROM runs WHERE state != 'written'") == []

    # nothing billed twice (a credited invoice and its credit note cancel each other out)
    credited = {r[0] for r in register_rows(ws, "SELECT number FROM credits")}
    credit_notes = {d[0] for d in docs if d[4] == "credit_note"}
    void = credited | credit_notes
    billed = Counter(r["intervention_id"] for _, r in _csv_rows(ws, "interventions.csv")
                     if r["status"] == "billed" and r["number"] not in void)
    assert [iv for iv, n in billed.items() if n > 1] == []
    periods: dict[tuple, list[tuple[date, date]]] = defaultdict(list)
    for _, line in _csv_rows(ws, "lines.csv"):
        if line["kind"] == "fee" and line["number"] not in void:
            periods[(line["customer_id"], line["module"])].append(
                (date.fromisoformat(line["period_start"]), date.fromisoformat(line["period_end"])))
    for key, spans in periods.items():
        spans.sort()
        for (_, end), (start, _) in zip(spans, spans[1:]):
            assert start > end, (key, spans)


def test_reference_workspaces_hold_what_spec_says(world):
    """The references themselves: SPEC §7's 2027Q1 invoices; the credited B billed again."""
    q1 = world["reference"]["q1"]
    check_invariants(q1)
    assert [(r["number"], r["customer_id"], r["total"]) for r in read_csv(q1 / "output" / "2027Q1" / "journal.csv")] \
        == [("2027-000001", "A", "374.80"), ("2027-000002", "B", "174.24"), ("2027-000003", "C", "311.07")]
    credit = world["reference"]["credit"]
    check_invariants(credit)
    assert [(r["document_type"], r["number"], r["total"])
            for r in read_csv(credit / "output" / "credit-2027-000002" / "journal.csv")] \
        == [("credit_note", "2027-000004", "-174.24")]
    assert [(r["number"], r["customer_id"], r["total"])
            for r in read_csv(credit / "output" / "2027Q1.2" / "journal.csv")] == [("2027-000005", "B", "174.24")]


@pytest.mark.parametrize("name", [sc.name for sc in SCENARIOS])
def test_crash_then_recovery_equals_uninterrupted_run(world, name):
    sc = world["scenarios"][name]
    for (args, how), code in zip(sc.crashes, sc.killed):
        if isinstance(how, str):  # a named fail point must really have fired
            assert code == -signal.SIGKILL, (args, how, code)
        else:
            assert code in (0, -signal.SIGKILL), (args, how, code)
    for args, done in zip(sc.finish, sc.finished):
        assert done.returncode == 0, (args, done.stdout, done.stderr)
        assert "Traceback" not in done.stdout + done.stderr
    assert sc.status.returncode == 0, sc.status.stdout
    assert "Integrity: OK" in sc.status.stdout
    check_invariants(sc.ws)
    assert _state(sc.ws) == _state(world["reference"][sc.reference])


def test_recovery_says_what_it_finished(world):
    """A run killed after its commit is finished by the next command, which says so."""
    sc = world["scenarios"]["q1-committed"]
    assert "Finished writing interrupted run(s): 2027Q1" in sc.finished[0].stdout
    assert "nothing new to bill" in sc.finished[0].stdout
    sc = world["scenarios"]["q1-priced"]  # killed before the commit: the next run is a plain run
    assert "Finished writing" not in sc.finished[0].stdout
    assert "2027Q1: 3 invoices 2027-000001 … 2027-000003" in sc.finished[0].stdout


def test_crash_scenarios_fit_the_time_budget(world):
    def phase(sc: Scenario) -> str:
        out = sc.finished[0].stdout
        if "Finished writing" in out:
            return "after commit"
        return "after written" if "nothing new" in out else "before commit"

    random_kills = [(sc.name, sc.killed[0], phase(sc)) for sc in world["scenarios"].values()
                    if sc.name.startswith("q1-random")]
    print(f"{len(SCENARIOS)} crash scenarios in {world['seconds']:.1f} s; random kills: {random_kills}")
    assert world["seconds"] < 120
