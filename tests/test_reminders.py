"""`bijstand reminders` end to end (SPEC §12 P4, issue 16): levels by days overdue, each once per document,
the statutory interest from level 2 at the rates of tarieven.xlsx (sheet Intrest) and the flat compensation,
their own number sequence and structured reference, the register, --dry-run numbers nothing, delivered by
`bijstand send` (e-mail or post, never Peppol).

SPEC §7's workspace: 2026Q4 issued 2026-10-05, due 2026-11-04; A 250.47 (Peppol), B 83.49, C 98.82.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest
from click.testing import CliRunner

from batch.cli import main
from batch.model import InterestRate
from batch.workspace import write_tariffs
from tests.workspaces import read_csv, register_rows, two_quarter_workspace


def cli(ws: Path, *args, code=0) -> str:
    result = CliRunner().invoke(main, ["-w", str(ws), *args], catch_exceptions=False)
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    return result.output


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    ws = two_quarter_workspace(tmp_path / "ws")
    # the tariffs of tests/workspaces, plus an Intrest sheet: 10.50 % a year, 12.00 % from 1 December 2026
    from batch.model import Holiday, ModulePrice, RegieRate

    write_tariffs(ws / "tarieven.xlsx",
                  [ModulePrice("JUW", "Juwelierspakket", True, False, D("4950.00"), D("45.00"), date(2010, 1, 1)),
                   ModulePrice("JUW", "Juwelierspakket", True, False, D("4950.00"), D("48.00"), date(2027, 1, 1)),
                   ModulePrice("KAS", "Kassamodule", False, False, D("1200.00"), D("12.00"), date(2010, 1, 1)),
                   ModulePrice("COM", "Communicatiepakket", False, True, D("350.00"), D("5.00"), date(2010, 1, 1))],
                  [RegieRate(date(2010, 1, 1), D("75.00"), None), RegieRate(date(2027, 1, 1), D("80.00"), None)],
                  [Holiday(date(2026, 12, 24), date(2027, 1, 3), "Kerstverlof")],
                  [InterestRate(date(2026, 1, 1), D("10.50")), InterestRate(date(2026, 12, 1), D("12.00"))])
    cli(ws, "run", "2026Q4", "--invoice-date", "2026-10-05")
    return ws


def test_levels_interest_and_compensation_then_each_level_once(ws: Path):
    out = cli(ws, "reminders", "--date", "2026-11-20")  # 16 days overdue: level 1, no interest
    rows = read_csv(ws / "output" / "herinneringen-2026-11-20" / "reminders.csv")
    assert [(r["number"], r["customer_id"], r["level"], r["open"], r["interest"], r["compensation"]) for r in rows] == [
        ("H2026-00001", "A", "1", "250.47", "0.00", "0.00"),
        ("H2026-00002", "B", "1", "83.49", "0.00", "0.00"),
        ("H2026-00003", "C", "1", "98.82", "0.00", "0.00")]
    assert "H2026-00001" in out
    # the same day again: nothing new (a level is sent once per document)
    assert "Geen herinneringen" in cli(ws, "reminders", "--date", "2026-11-20")
    # 2026-12-10: 36 days overdue → level 2 with interest across the rate change of 1 December:
    # A: 250.47 × 10.50 % × 26/365 (5–30 Nov) + 250.47 × 12 % × 10/365 (1–10 Dec) = 1.8734… + 0.8234… = 2.70
    cli(ws, "reminders", "--date", "2026-12-10")
    rows = read_csv(ws / "output" / "herinneringen-2026-12-10" / "reminders.csv")
    a = next(r for r in rows if r["customer_id"] == "A")
    expected = (D("250.47") * D("10.50") / 100 * 26 / 365 + D("250.47") * D("12.00") / 100 * 10 / 365).quantize(D("0.01"))
    assert (a["level"], a["interest"], a["compensation"]) == ("2", str(expected), "40.00")
    assert expected == D("2.70")
    # 2027-01-10: 67 days → the formal notice; the compensation was charged at level 2, not again
    cli(ws, "reminders", "--date", "2027-01-10")
    rows = read_csv(ws / "output" / "herinneringen-2027-01-10" / "reminders.csv")
    assert {r["level"] for r in rows} == {"3"} and {r["compensation"] for r in rows} == {"0.00"}
    assert register_rows(ws, "SELECT number, level FROM reminders ORDER BY year, seq")[-3:] == [
        ("H2027-00001", 3), ("H2027-00002", 3), ("H2027-00003", 3)]
    assert "Integrity: OK" in cli(ws, "status")


def test_paid_invoices_get_no_reminder_and_dry_run_numbers_nothing(ws: Path):
    from batch.payments.writers import Mv, Stmt, coda_file

    journal = {r["customer_id"]: r for r in read_csv(ws / "output" / "2026Q4" / "journal.csv")}
    (ws / "bank").mkdir()
    (ws / "bank" / "1.cod").write_bytes(coda_file([Stmt("BE71096123456769", 1, date(2026, 11, 1), D("0.00"), [
        Mv(D("250.47"), structured=journal["A"]["structured_reference"])])]))
    cli(ws, "payments")
    out = cli(ws, "reminders", "--date", "2026-11-20", "--dry-run")
    assert "(concept)" in out and "klant A" not in out
    assert register_rows(ws, "SELECT COUNT(*) FROM reminders") == [(0,)]
    assert (ws / "output" / "herinneringen-concept" / "reminders.csv").exists()
    cli(ws, "reminders", "--date", "2026-11-20")
    assert [r[0] for r in register_rows(ws, "SELECT customer_id FROM reminders ORDER BY seq")] == ["B", "C"]


def test_reminders_are_delivered_by_send_never_over_peppol(ws: Path):
    cli(ws, "reminders", "--date", "2026-11-20")
    out = cli(ws, "send", "--dry-run")
    lines = [l for l in out.splitlines() if l.startswith("H2026")]
    assert len(lines) == 3 and all("Peppol" not in l for l in lines)  # A has a Peppol address; still post/e-mail


def test_a_reminder_date_in_the_future_is_refused(ws: Path, monkeypatch):
    monkeypatch.setenv("BIJSTAND_TODAY", "2026-11-20")
    out = cli(ws, "reminders", "--date", "2026-12-01", code=1)
    assert "after today" in out


SPEC_SECTIONS = ("seller", "billing", "invoice", "accounts", "vat", "delivery", "delivery.peppol", "delivery.email",
                 "reminders", "ui")


def uncommented(toml: str) -> str:
    """bijstand.toml with every commented-out section and key of `bijstand init` switched on."""
    import re

    return re.sub(r"(?m)^# (?=\[[a-z.]+\]$|[a-z_]+ = )", "", toml)


def test_init_writes_every_section_with_every_key_and_its_default(tmp_path):
    """`bijstand init`'s bijstand.toml names every section SPEC names and every key each one knows, with its
    default (delivery and reminders commented out); switched on, it loads to exactly the defaults."""
    import re
    import tomllib
    import typing
    from dataclasses import fields, is_dataclass

    from batch.settings import _TOML_NAME, SECTIONS, Settings, load_settings
    from batch.workspace import init_workspace

    init_workspace(tmp_path / "ws")
    text = (tmp_path / "ws" / "bijstand.toml").read_text(encoding="utf-8")
    assert load_settings(tmp_path / "ws") == Settings()  # as written
    on = uncommented(text)
    data = tomllib.loads(on)
    tables = re.findall(r"(?m)^\[([a-z.]+)\]$", on)
    assert sorted(tables) == sorted(SPEC_SECTIONS)
    for section, cls in SECTIONS.items():
        hints = typing.get_type_hints(cls)
        for f in fields(cls):
            if is_dataclass(hints[f.name]):
                sub = f"{section}.{f.name}"
                assert {_TOML_NAME.get((sub, g.name), g.name) for g in fields(hints[f.name])} == set(
                    k for k, v in data[section][f.name].items()), sub
            else:
                assert _TOML_NAME.get((section, f.name), f.name) in data[section], (section, f.name)
    (tmp_path / "ws" / "bijstand.toml").write_text(on, encoding="utf-8")
    assert load_settings(tmp_path / "ws") == Settings()
    assert data["reminders"] == {"first_days": 10, "second_days": 30, "third_days": 60, "interest_from_level": 2,
                                 "compensation": 40.0, "number_format": "H{year}-{seq:05d}"}


def test_reminders_settings_in_bijstand_toml_change_the_reminders(ws: Path):
    """[reminders] set in bijstand.toml (as `bijstand init` writes it, switched on and changed): 16 days overdue
    is level 2 from second_days = 15, interest from level 1, a compensation of 55.00, R-numbers."""
    toml = ws / "bijstand.toml"
    text = toml.read_text(encoding="utf-8")
    for key, value in (("first_days", "5"), ("second_days", "15"), ("third_days", "20"),
                       ("interest_from_level", "1"), ("compensation", "55.00"),
                       ("number_format", '"R{year}.{seq:03d}"')):
        text, n = re.subn(rf"(?m)^# {key} = \S+", f"{key} = {value}", text)
        assert n == 1, key
    text, n = re.subn(r"(?m)^# \[reminders\]$", "[reminders]", text)
    assert n == 1
    toml.write_text(text, encoding="utf-8")
    cli(ws, "reminders", "--date", "2026-11-20")  # due 2026-11-04: 16 days overdue
    rows = read_csv(ws / "output" / "herinneringen-2026-11-20" / "reminders.csv")
    # A: 250.47 × 10.50 % × 16 / 365 (5–20 November) = 420.7896 / 365 = 1.15285… → 1.15
    # B: 83.49 × 10.50 % × 16 / 365 = 140.2632 / 365 = 0.38428… → 0.38
    # C: 98.82 × 10.50 % × 16 / 365 = 166.0176 / 365 = 0.45484… → 0.45
    assert [(r["number"], r["customer_id"], r["level"], r["open"], r["interest"], r["compensation"]) for r in rows] == [
        ("R2026.001", "A", "2", "250.47", "1.15", "55.00"),
        ("R2026.002", "B", "2", "83.49", "0.38", "55.00"),
        ("R2026.003", "C", "2", "98.82", "0.45", "55.00")]
    # 20 days from third_days = 20: the formal notice four days later, no second compensation
    cli(ws, "reminders", "--date", "2026-11-24")
    rows = read_csv(ws / "output" / "herinneringen-2026-11-24" / "reminders.csv")
    assert [(r["number"], r["level"], r["compensation"]) for r in rows] == [
        ("R2026.004", "3", "0.00"), ("R2026.005", "3", "0.00"), ("R2026.006", "3", "0.00")]


def test_a_wrong_reminders_setting_names_its_line(ws: Path):
    toml = ws / "bijstand.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "\n[reminders]\nfirst_days = 40\n", encoding="utf-8")
    out = cli(ws, "reminders", "--date", "2026-11-20", code=1)
    assert "[reminders] second_days must lie between first_days and third_days" in out
