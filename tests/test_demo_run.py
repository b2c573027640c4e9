"""`bijstand demo` end to end: five quarters billed, every document valid, the register consistent."""

from __future__ import annotations

import csv
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from batch.cli import main
from batch.documents.validate import fatal, validate_ubl
from batch.register import Register


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[Path, str]:
    path = tmp_path_factory.mktemp("demo") / "ws"
    result = CliRunner().invoke(main, ["demo", str(path)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return path, result.output


def rows(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_demo_bills_five_quarters_and_holds_the_bad_row(demo):
    path, out = demo
    for q in ("2026Q1", "2026Q2", "2026Q3", "2026Q4", "2027Q1"):
        assert f"{q} (" in out and (path / "output" / q / "overzicht.xlsx").exists()
    assert "1 held back (1012)" in out
    last = rows(path / "output" / "2027Q1" / "interventions.csv")
    assert "1012" not in {r["customer_id"] for r in rows(path / "output" / "2027Q1" / "journal.csv")}
    assert all(r["status"] in ("held", "deferred", "already-billed", "before-start")
               for r in last if r["customer_id"] == "1012")


def test_demo_numbers_are_gapless_and_journals_add_up(demo):
    path, _ = demo
    with Register(path / "bijstand.sqlite") as reg:
        docs = reg.documents()
        assert reg.verify_chain() == []
    seqs = sorted((d.issue_date.year, int(d.number.split("-")[1])) for d in docs)
    by_year = {}
    for y, s in seqs:
        by_year.setdefault(y, []).append(s)
    for y, ss in by_year.items():
        assert ss == list(range(1, len(ss) + 1)), f"gap in {y}"
    for q in ("2026Q1", "2026Q4", "2027Q1"):
        journal = rows(path / "output" / q / "journal.csv")
        lines = rows(path / "output" / q / "lines.csv")
        assert sum(Decimal(r["net"]) for r in journal) == sum(Decimal(l["amount"]) for l in lines)
        for r in journal:
            assert Decimal(r["net"]) + Decimal(r["vat"]) == Decimal(r["total"])


def test_demo_shows_every_kind_of_line_and_status(demo):
    path, _ = demo
    kinds = Counter(l["kind"] for q in ("2026Q1", "2026Q2", "2026Q3", "2026Q4", "2027Q1")
                    for l in rows(path / "output" / q / "lines.csv"))
    assert kinds["fee"] > 500 and kinds["regie"] > 50 and kinds["upgrade"] >= 1
    statuses = Counter(r["status"] for q in ("2026Q2", "2027Q1")
                       for r in rows(path / "output" / q / "interventions.csv"))
    assert {"billed", "included", "already-billed", "before-start"} <= set(statuses)
    cats = Counter(r["vat_category"] for q in ("2026Q4",) for r in rows(path / "output" / q / "journal.csv"))
    assert cats["S"] > 100 and cats["AE"] >= 1


def test_demo_ubl_files_pass_the_official_rules(demo):
    path, _ = demo
    files = sorted((path / "output" / "2026Q4" / "peppol").glob("*.xml"))
    journal = {r["number"]: r["vat_category"] for r in rows(path / "output" / "2026Q4" / "journal.csv")}
    # every non-S invoice and every 15th S invoice
    chosen = [f for i, f in enumerate(files) if journal[f.stem] != "S" or i % 15 == 0]
    assert len(chosen) >= 10
    for f in chosen:
        assert fatal(validate_ubl(f.read_bytes())) == [], f.name


def test_demo_rerun_issues_nothing(demo):
    path, _ = demo
    result = CliRunner().invoke(main, ["-w", str(path), "run", "2027Q1", "--invoice-date", "2027-01-05"],
                                catch_exceptions=False)
    assert result.exit_code == 0 and "nothing new to bill" in result.output


def test_demo_invoice_workbooks_are_the_bytes_xlsxwriter_writes(demo):
    """The fast path (xlsx_direct) against the plain one (xlsxwriter cell by cell), on every
    document of the demo year, and against the files the runs wrote."""
    from batch.documents.invoice_xlsx import render_invoice_xlsx

    path, _ = demo
    with Register(path / "bijstand.sqlite") as reg:
        documents = reg.documents()
    written = {p.stem: p for p in (path / "output").glob("*/facturen/*.xlsx")}
    assert len(documents) > 500 and {d.document_type for d in documents} >= {"invoice"}
    for doc in documents:
        direct = render_invoice_xlsx(doc)
        assert direct == render_invoice_xlsx(doc, plain=True), doc.number
        assert direct == written[doc.number.replace("/", "-")].read_bytes(), doc.number


def test_demo_bank_payments_reminders_and_aged_balance(demo):
    """The demo's year of statements (SPEC §12): 688 movements imported from 14 files, one customer pays half
    of every invoice, one never pays, reminders at all three levels over two dates, and the aged balance of
    output/betalingen/openstaand.xlsx as of the statements' last day, 15/02/2027."""
    import openpyxl

    path, out = demo
    assert "betalingen (15/02/2027): 14 uittreksels, 688 bewegingen; 29 facturen over de vervaldag" in out
    assert "herinneringen (15/02/2027): 21 herinneringen, niveaus 1 en 3 →" in out
    assert "herinneringen (08/03/2027): 21 herinneringen, niveau 2 →" in out
    with Register(path / "bijstand.sqlite") as reg:
        assert tuple(reg.conn.execute("SELECT COUNT(*), COUNT(DISTINCT file_sha256) FROM movements").fetchone()) == (
            688, 14)
        levels = dict(reg.conn.execute("SELECT level, COUNT(*) FROM reminders GROUP BY level"))
    assert levels == {1: 19, 2: 21, 3: 2}
    roles = {}
    for line in (path / "LEESMIJ.txt").read_text(encoding="utf-8").splitlines():
        role, _, ids = line.strip().partition(": ")
        if role in ("never", "partial"):
            roles[role] = ids.split(", ")
    assert len(roles["never"]) == 1 and len(roles["partial"]) == 1
    items = rows(path / "output" / "betalingen" / "openstaand.csv")
    never = [r for r in items if r["customer_id"] == roles["never"][0]]
    partial = [r for r in items if r["customer_id"] == roles["partial"][0]]
    assert len(never) == 5 and {(r["state"], r["paid"]) for r in never} == {("overdue", "0.00")}
    assert len(partial) == 5 and {r["state"] for r in partial} == {"partial"}
    for r in partial:  # half of every invoice paid, the rest open
        assert Decimal(r["paid"]) == (Decimal(r["total"]) / 2).quantize(Decimal("0.01"))
        assert Decimal(r["paid"]) + Decimal(r["open"]) == Decimal(r["total"])
    assert Counter(r["state"] for r in items) == {"paid": 669, "overdue": 24, "partial": 5}
    # the aged balance on 15/02/2027, from the workbook's table (not due, 1–30, 31–60, 61–90, over 90)
    sheet = [list(r) for r in openpyxl.load_workbook(path / "output" / "betalingen" / "openstaand.xlsx")[
        "Openstaand"].iter_rows(values_only=True)]
    start = next(i for i, r in enumerate(sheet) if r[0] == "Ouderdom van de openstaande bedragen") + 2
    end = next(i for i in range(start, len(sheet)) if sheet[i][0] == "Totaal")
    totals = [sum((Decimal(str(r[c])) for r in sheet[start:end]), Decimal("0")) for c in range(2, 8)]
    assert totals == [Decimal("0"), Decimal("6847.97"), Decimal("0"), Decimal("0"), Decimal("1756.05"),
                      Decimal("8604.02")]
    assert end - start == 21  # customers with something open
    assert sum(Decimal(r["open"]) for r in items) == Decimal("8604.02")
