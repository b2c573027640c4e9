"""An existing workspace upgrades in place (issue 11: "migration 2 moves the data; an existing workspace
upgrades in place, tested"). tests/data/v1-workspace.tar.gz was made by the previous version
(commit ff4077e) on SPEC §7's workspace: 2026Q4 and 2027Q1 issued, 2027-000002 (customer B) credited.
"""

from __future__ import annotations

import json
import tarfile
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from batch.cli import main
from batch.register import Register
from tests.workspaces import read_csv, register_rows

DATA = Path(__file__).parent / "data" / "v1-workspace.tar.gz"


@pytest.fixture
def v1(tmp_path: Path) -> Path:
    with tarfile.open(DATA) as tar:
        tar.extractall(tmp_path, filter="data")
    ws = tmp_path / "v1ws"
    # the old example IBAN fails SPEC §9 L3's check: the bookkeeper puts in a real one
    toml = ws / "bijstand.toml"
    toml.write_text(toml.read_text().replace("BE68539007547034", "BE71096123456769"))
    return ws


def cli(ws: Path, *args, code=0) -> str:
    result = CliRunner().invoke(main, ["-w", str(ws), *args], catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result.output


def test_old_register_upgrades_in_place(v1: Path):
    assert register_rows(v1, "SELECT MAX(version) FROM schema_migrations") == [(1,)]
    before = register_rows(v1, "SELECT number, payload FROM documents ORDER BY rowid")
    with Register(v1 / "bijstand.sqlite") as reg:
        from batch.register import MIGRATIONS

        assert reg.schema_version() == len(MIGRATIONS)
        assert reg.verify() == []
        # billed coverage from the fee lines of the invoices; B's (credited) no longer standing
        cov = reg.coverage()
        assert cov[("a", "juw")] == ((date(2026, 10, 1), date(2026, 12, 31), 1), (date(2027, 1, 1), date(2027, 3, 31), 1))
        assert cov[("a", "kas")][-1] == (date(2027, 1, 1), date(2027, 3, 31), 2)
        assert ("b", "juw") not in cov
        # the outcomes moved from the payload into rows
        assert sum(reg.outcome_counts(r["run_id"])["billed"] for r in reg.runs()) == 4  # I2, I3, I4, I5
        payload = reg.conn.execute("SELECT payload FROM runs WHERE run_id = ?", (reg.runs()[1]["run_id"],)).fetchone()[0]
        assert "outcomes" not in json.loads(payload)
    assert register_rows(v1, "SELECT number, payload FROM documents ORDER BY rowid") == before
    tables = {r[0] for r in register_rows(v1, "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"coverage", "outcomes", "handled"} <= tables and not {"billed_through", "fee_moves"} & tables


def test_upgraded_workspace_bills_on_and_repair_gives_old_folders_their_witness(v1: Path):
    out = cli(v1, "status")  # the old folders have no register.jsonl yet
    assert "lack register.jsonl (2026Q4, 2027Q1, credit-2027-000002): `bijstand repair` adds it" in out
    out = cli(v1, "repair")
    assert "register.jsonl added to: 2026Q4, 2027Q1, credit-2027-000002" in out
    assert "Integrity: OK" in cli(v1, "status")
    cli(v1, "run", "2027Q1", "--invoice-date", "2027-01-10")  # B is billed again after its credit note
    again = read_csv(v1 / "output" / "2027Q1.2" / "journal.csv")
    assert [(r["number"], r["customer_id"], r["total"]) for r in again] == [("2027-000005", "B", "257.73")]
    cli(v1, "run", "2027Q2", "--invoice-date", "2027-04-05")
    q2 = {r["customer_id"]: r["net"] for r in read_csv(v1 / "output" / "2027Q2" / "journal.csv")}
    assert q2 == {"A": "256.00", "B": "144.00"}  # Q2 fees (and I6 of January for A): nothing billed twice
    # the register can now be rebuilt from output/ alone
    (v1 / "bijstand.sqlite").unlink()
    assert "Register rebuilt from 5 run folder(s)" in cli(v1, "repair")
    assert "Integrity: OK" in cli(v1, "status")
