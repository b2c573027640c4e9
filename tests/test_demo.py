"""The demo workspace: deterministic, realistic, valid — except its one deliberate error."""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook
from stdnum.eu import vat as eu_vat

from batch.demo import DEMO_VERLOF, DELIBERATE_ERROR, MONTHS, QUARTERS, build_demo
from batch.model import CANCEL_CHANNELS, CATEGORIES, CHANNELS
from batch.problems import BijstandError
from batch.schema import INTERVENTIES, KLANTEN, LICENTIES, normalize_header
from batch.settings import load_settings


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "ws"
    assert build_demo(path) == list(QUARTERS)
    return path


def _hashes(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def _records(path: Path, spec) -> list[dict]:
    """Rows of a demo sheet as dicts by canonical column name (header found below title rows)."""
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(spec.title).to_python()
    keys = {normalize_header(n): c.name for c in spec.columns for n in (c.name, *c.aliases)}
    for i, row in enumerate(rows):
        if normalize_header(row[0]) in keys and keys[normalize_header(row[0])] == spec.columns[0].name:
            names = [keys[normalize_header(h)] for h in row]
            return [dict(zip(names, r)) for r in rows[i + 1:]]
    raise AssertionError(f"no header in {path}")


def _day(value) -> date:
    if isinstance(value, date):
        return value
    if "/" in value:
        d, m, y = map(int, value.split("/"))
        return date(y, m, d)
    return date.fromisoformat(value)


def _minutes(value) -> int:
    if isinstance(value, str):
        h, m = value.split(":")
        return int(h) * 60 + int(m)
    assert value == int(value)
    return int(value)


@pytest.fixture(scope="module")
def interventions(demo) -> list[dict]:
    rows = []
    for month in MONTHS:
        for r in _records(demo / "inbox" / month / "interventies.xlsx", INTERVENTIES):
            rows.append({**r, "month": month, "datum": _day(r["datum"]), "klantnummer": str(int(float(r["klantnummer"])))
                         if not isinstance(r["klantnummer"], str) else r["klantnummer"]})
    return rows


def test_demo_is_deterministic(demo, tmp_path):
    again = tmp_path / "again"
    build_demo(again)
    first, second = _hashes(demo), _hashes(again)
    assert len(first) == 3 * len(MONTHS) + 4 + 1 + 1 + 1  # inbox, templates, tariffs, settings, LEESMIJ
    assert first == second
    other = tmp_path / "other"
    build_demo(other, seed=7)
    assert _hashes(other)["inbox/2026-11/klanten.xlsx"] != first["inbox/2026-11/klanten.xlsx"]


def test_demo_settings_and_folders(demo):
    settings = load_settings(demo)
    assert settings.billing.start == date(2026, 1, 1)
    assert (demo / "output").is_dir()
    assert sorted(p.name for p in (demo / "inbox").iterdir()) == list(MONTHS)
    assert MONTHS[0] == "2025-12" and MONTHS[-1] == "2026-11"
    assert QUARTERS[0] == ("2026Q1", date(2026, 1, 5)) and [q for q, _ in QUARTERS] == [
        "2026Q1", "2026Q2", "2026Q3", "2026Q4"]


def test_demo_refuses_a_non_empty_folder(tmp_path):
    (tmp_path / "x.txt").write_text("x")
    with pytest.raises(BijstandError, match="not empty"):
        build_demo(tmp_path)


def test_customers_are_many_and_have_valid_vat_numbers(demo):
    newest = _records(demo / "inbox" / MONTHS[-1] / "klanten.xlsx", KLANTEN)
    assert len(newest) >= 140
    assert len({c["klantnummer"] for c in newest}) == len(newest)
    assert len({c["naam"] for c in newest}) == len(newest)
    countries = Counter(c["land"] for c in newest)
    assert countries["BE"] >= 130 and countries["NL"] and countries["FR"] and countries["LU"]
    assert set(Counter(c["taal"] for c in newest)) == {"nl", "fr", "en"}
    for month in MONTHS:
        for c in _records(demo / "inbox" / month / "klanten.xlsx", KLANTEN):
            assert eu_vat.is_valid(c["btw-nummer"]), (month, c["klantnummer"], c["btw-nummer"])
            assert c["btw-nummer"].startswith(c["land"])
            assert "@" in c["e-mail"]
    assert any(c["peppol-id"].startswith("0208:") for c in newest)
    assert {c["opzegging via"] for c in newest if c["opgezegd op"]} == set(CANCEL_CHANNELS)
    assert sum(1 for c in newest if c["overeenkomst"] == "nee") >= 1
    assert sum(1 for c in newest if c["overeenkomst vanaf"]) >= 1


def test_snapshots_grow_and_never_lose_rows(demo):
    previous_customers: set[str] = set()
    previous_licences: set[tuple] = set()
    sizes = []
    for month in MONTHS:
        folder = demo / "inbox" / month
        customers = {c["klantnummer"] for c in _records(folder / "klanten.xlsx", KLANTEN)}
        licences = {(r["klantnummer"], r["module"], str(r["aankoopdatum"]) if r["aankoopdatum"] == DELIBERATE_ERROR["value"]
                     else _day(r["aankoopdatum"])) for r in _records(folder / "licenties.xlsx", LICENTIES)}
        assert previous_customers <= customers and previous_licences <= licences, month
        previous_customers, previous_licences = customers, licences
        sizes.append(len(customers))
    assert sizes[0] < sizes[-1]  # new customers during the year
    bought_2026 = {k for k in previous_licences if isinstance(k[2], date) and k[2].year == 2026}
    assert len(bought_2026) >= 25


def test_interventions_cover_every_kind(demo, interventions):
    assert 250 <= len(interventions) <= 600
    assert len({r["interventienummer"] for r in interventions}) == len(interventions)
    assert set(r["soort"] for r in interventions) == set(CATEGORIES)
    assert set(r["kanaal"] for r in interventions) == set(CHANNELS)
    minutes = [r["duur"] for r in interventions]
    assert any(isinstance(m, str) and ":" in m for m in minutes) and any(not isinstance(m, str) for m in minutes)
    assert all(_minutes(m) > 0 for m in minutes)
    # a few logged a month late
    assert any(f"{r['datum']:%Y-%m}" != r["month"] for r in interventions)


def test_holiday_phone_calls_and_support_after_cancellation(demo, interventions):
    holiday_calls = [r for r in interventions if r["kanaal"] == "telefoon"
                     and any(h.start <= r["datum"] <= h.end for h in DEMO_VERLOF)]
    assert len(holiday_calls) >= 6
    newest = {c["klantnummer"]: c for c in _records(demo / "inbox" / MONTHS[-1] / "klanten.xlsx", KLANTEN)}
    after = [r for r in interventions
             if newest[r["klantnummer"]]["opgezegd op"] and r["datum"] >= _day(newest[r["klantnummer"]]["opgezegd op"])]
    assert len(after) >= 6
    assert any(r["aanpassing pakket"] == "ja" for r in after)


def test_no_intervention_before_purchase_or_internet_without_communication(demo, interventions):
    licences = _records(demo / "inbox" / MONTHS[-1] / "licenties.xlsx", LICENTIES)
    first: dict[str, date] = {}
    comm: dict[str, list[tuple[date, date | None]]] = {}
    for r in licences:
        if r["aankoopdatum"] == DELIBERATE_ERROR["value"]:
            continue
        bought = _day(r["aankoopdatum"])
        first[r["klantnummer"]] = min(first.get(r["klantnummer"], bought), bought)
        if r["module"] == "COM":
            comm.setdefault(r["klantnummer"], []).append((bought, _day(r["einddatum"]) if r["einddatum"] else None))
    for r in interventions:
        assert r["datum"] >= first[r["klantnummer"]], r
        if r["kanaal"] == "internet":
            assert any(s <= r["datum"] and (e is None or r["datum"] <= e) for s, e in comm.get(r["klantnummer"], [])), r


def test_bookkeeper_variations(demo):
    def first_rows(month, name, sheet):
        return CalamineWorkbook.from_path(str(demo / "inbox" / month / name)).get_sheet_by_name(sheet).to_python()[:2]

    assert first_rows("2026-04", "interventies.xlsx", "Interventies")[0][0] == "Interventies april 2026"
    assert first_rows("2026-10", "interventies.xlsx", "Interventies")[0][0] == "intervention_id"
    assert isinstance(first_rows("2026-08", "interventies.xlsx", "Interventies")[1][2], float)
    text_dates = [c["overeenkomst vanaf"] for c in _records(demo / "inbox" / "2026-02" / "klanten.xlsx", KLANTEN)
                  if c["overeenkomst vanaf"]]
    assert text_dates and all(isinstance(d, str) and "/" in d for d in text_dates)


def test_the_one_deliberate_error_is_where_documented(demo):
    rows = _records(demo / DELIBERATE_ERROR["file"], LICENTIES)
    bad = [r for r in rows if r["aankoopdatum"] == DELIBERATE_ERROR["value"]]
    assert len(bad) == 1
    assert bad[0]["klantnummer"] == DELIBERATE_ERROR["customer_id"] and bad[0]["module"] == DELIBERATE_ERROR["module"]
    assert DELIBERATE_ERROR["file"] in (demo / "LEESMIJ.txt").read_text(encoding="utf-8")


def test_reader_finds_exactly_the_deliberate_error(demo):
    from batch.inbox.reader import read_inbox

    inbox = read_inbox(demo, load_settings(demo))
    errors = [p for p in inbox.problems if p.is_error]
    assert len(errors) == 1, [p.render() for p in errors]
    (error,) = errors
    assert error.file == DELIBERATE_ERROR["file"] and error.sheet == DELIBERATE_ERROR["sheet"]
    assert error.column == DELIBERATE_ERROR["column"] and error.value == DELIBERATE_ERROR["value"]
    assert error.customer_id == DELIBERATE_ERROR["customer_id"] and error.cell.startswith("D")
    assert not any(p.fatal for p in inbox.problems)
    assert inbox.snapshot_month == MONTHS[-1]
    assert len(inbox.customers) >= 140
    assert all(row.record is not None and row.status is None for row in inbox.interventions)
    assert set(inbox.held_customers()) == {DELIBERATE_ERROR["customer_id"]}
