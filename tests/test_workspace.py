"""bijstand init: every file of the workspace, example content, refusal to overwrite."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from batch.model import InterestRate, Holiday, ModulePrice, RegieRate
from batch.money import to_decimal
from batch.problems import BijstandError
from batch.settings import DEFAULT_TOML, SETTINGS_FILE, Settings, load_settings
from batch.workspace import (
    EXAMPLE_MONTH,
    EXAMPLES,
    INBOX,
    OUTPUT,
    REGISTER,
    TARIFFS,
    TEMPLATES,
    init_workspace,
    write_tariffs,
)


def _rows(path: Path, sheet: str) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()


def test_init_creates_every_file(tmp_path):
    ws = tmp_path / "werk"
    written, left = init_workspace(ws)
    relative = sorted(str(p.relative_to(ws)) for p in written)
    assert relative == sorted([
        SETTINGS_FILE, TARIFFS,
        f"{EXAMPLES}/{EXAMPLE_MONTH}/klanten.xlsx", f"{EXAMPLES}/{EXAMPLE_MONTH}/licenties.xlsx",
        f"{EXAMPLES}/{EXAMPLE_MONTH}/interventies.xlsx",
        f"{TEMPLATES}/klanten.xlsx", f"{TEMPLATES}/licenties.xlsx", f"{TEMPLATES}/interventies.xlsx",
        f"{TEMPLATES}/tarieven.xlsx",
    ])
    assert left == []
    assert all(p.is_file() and p.stat().st_size > 0 for p in written)
    assert (ws / OUTPUT).is_dir() and (ws / INBOX).is_dir() and not any((ws / INBOX).iterdir())
    assert not (ws / REGISTER).exists()  # the register is made by the first run
    assert (ws / SETTINGS_FILE).read_text(encoding="utf-8") == DEFAULT_TOML
    assert load_settings(ws) == Settings()
    assert not list(ws.rglob(".*.tmp"))


def test_example_tariffs_are_spec_section_7(tmp_path):
    init_workspace(tmp_path)
    modules = {}
    names = {}
    for code, _, fr, en, base, comm, licence, fee, valid_from in _rows(tmp_path / TARIFFS, "Modules")[1:]:
        modules.setdefault(code, []).append((base, comm, to_decimal(licence), to_decimal(fee), valid_from))
        names[code] = (fr, en)
    assert names["KAS"] == ("Module caisse", "Till module")
    assert modules["JUW"] == [("ja", "nee", Decimal("4950"), Decimal("45"), date(2010, 1, 1)),
                              ("ja", "nee", Decimal("4950"), Decimal("48"), date(2027, 1, 1))]
    assert modules["KAS"] == [("nee", "nee", Decimal("1200"), Decimal("12"), date(2010, 1, 1))]
    assert modules["COM"] == [("nee", "ja", Decimal("350"), Decimal("5"), date(2010, 1, 1))]
    assert {"HERSTEL", "VOORRAAD", "WEB"} <= set(modules)
    regie = _rows(tmp_path / TARIFFS, "Regie")[1:]
    assert [(r[0], to_decimal(r[1]), r[2]) for r in regie] == [
        (date(2020, 1, 1), Decimal("75"), ""), (date(2027, 1, 1), Decimal("80"), "")]
    verlof = _rows(tmp_path / TARIFFS, "Verlof")[1:]
    assert (date(2026, 12, 24), date(2027, 1, 3)) in [(r[0], r[1]) for r in verlof]
    assert any("Paas" in r[2] for r in verlof) and any("Zomer" in r[2] for r in verlof)


def test_example_inbox_holds_spec_customers(tmp_path):
    init_workspace(tmp_path)
    month = tmp_path / EXAMPLES / EXAMPLE_MONTH
    customers = {r[0]: r for r in _rows(month / "klanten.xlsx", "Klanten")[1:]}
    assert set(customers) == {"1001", "1002", "1003", "1004", "1005"}
    assert customers["1003"][14] == date(2026, 11, 20) and customers["1003"][15] == "e-mail"
    assert customers["1005"][12] == "nee"
    interventions = _rows(month / "interventies.xlsx", "Interventies")[1:]
    assert ["2026-0105", date(2026, 12, 9), "1003", "1:10", "internet", "vraag", "ja"] == interventions[4][:7]


def test_example_inbox_reads_without_problems(tmp_path):
    from batch.inbox import reader

    init_workspace(tmp_path, examples_in_inbox=True)
    inbox = reader.read_inbox(tmp_path, load_settings(tmp_path))
    assert [p.render() for p in inbox.problems if p.is_error] == []
    assert len(inbox.customers) == 5 and len(inbox.licences) == 10 and len(inbox.interventions) == 7
    assert inbox.interventions[4].record.minutes == 70
    assert inbox.tariffs.module_price("JUW", date(2027, 1, 1)).monthly_fee == Decimal("48")
    assert inbox.tariffs.regie_rate("telefoon", date(2026, 12, 28)).hourly_rate == Decimal("75")


def test_init_never_overwrites_and_lists_what_it_left(tmp_path):
    """SPEC §8 T9 (issue 11 item 4): init on a live workspace writes only what is missing."""
    init_workspace(tmp_path)
    settings = tmp_path / SETTINGS_FILE
    settings.write_text(DEFAULT_TOML.replace('name = "Juweelsoft BV"', 'name = "Mijn Zaak"'), encoding="utf-8")
    tariffs = (tmp_path / TARIFFS).read_bytes()
    (tmp_path / TEMPLATES / "klanten.xlsx").unlink()
    written, left = init_workspace(tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in written] == [f"{TEMPLATES}/klanten.xlsx"]
    assert {p.relative_to(tmp_path).as_posix() for p in left} >= {SETTINGS_FILE, TARIFFS}
    assert "Mijn Zaak" in settings.read_text(encoding="utf-8")
    assert (tmp_path / TARIFFS).read_bytes() == tariffs


def test_init_with_examples_never_overwrites_a_real_month(tmp_path):
    real = tmp_path / INBOX / EXAMPLE_MONTH / "klanten.xlsx"
    real.parent.mkdir(parents=True)
    real.write_bytes(b"real sheet")
    written, left = init_workspace(tmp_path, examples_in_inbox=True)
    assert real.read_bytes() == b"real sheet" and real in left
    assert (tmp_path / INBOX / EXAMPLE_MONTH / "licenties.xlsx") in written


def test_templates_never_overwrite(tmp_path):
    from batch.templates import write_templates_safely

    (tmp_path / "klanten.xlsx").write_bytes(b"my sheet")
    written, left = write_templates_safely(tmp_path)
    assert left == [tmp_path / "klanten.xlsx"] and (tmp_path / "klanten.xlsx").read_bytes() == b"my sheet"
    assert len(written) == 3


def test_init_into_a_file_is_refused(tmp_path):
    target = tmp_path / "werk"
    target.write_text("x")
    with pytest.raises(BijstandError, match="is a file"):
        init_workspace(target)


def test_init_into_an_empty_existing_folder(tmp_path):
    assert len(init_workspace(tmp_path)[0]) == 9


def test_write_tariffs_round_trip(tmp_path):
    path = write_tariffs(
        tmp_path / "t.xlsx",
        [ModulePrice("X1", "Één module", True, False, Decimal("1234.56"), Decimal("12.34"), date(2026, 3, 1),
                     names=(("fr", "Un module"),))],
        [RegieRate(date(2026, 1, 1), Decimal("82.50"), "ter plaatse")],
        [Holiday(date(2026, 7, 20), date(2026, 8, 7), "Zomer")],
        [InterestRate(date(2026, 1, 1), Decimal("12.5")), InterestRate(date(2026, 7, 1), Decimal("10.5"), note="BS")],
    )
    assert _rows(path, "Modules")[1] == ["X1", "Één module", "Un module", "", "ja", "nee", 1234.56, 12.34,
                                         date(2026, 3, 1)]
    assert _rows(path, "Intrest")[1:] == [[date(2026, 1, 1), 12.5, ""], [date(2026, 7, 1), 10.5, "BS"]]
    assert _rows(path, "Regie")[1] == [date(2026, 1, 1), 82.5, "ter plaatse"]
    assert _rows(path, "Verlof")[1] == [date(2026, 7, 20), date(2026, 8, 7), "Zomer"]
