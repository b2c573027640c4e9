"""`bijstand payments` end to end (SPEC §12, issue 16): bank statements in (CODA and camt.053, written by
batch.payments.writers from the published layouts and read by febelfin-coda and pycamt), open items out.
Every case asserts the states and amounts of output/betalingen/openstaand.csv.

The workspace: SPEC §7's, 2026Q4 issued on 2026-10-05 (due 2026-11-04): A 250.47, B 83.49, C 98.82.
"""

from __future__ import annotations

import signal
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from batch.cli import main
from batch.payments.writers import Mv, Stmt, camt_file, coda_file
from tests.workspaces import bijstand, read_csv, register_rows, two_quarter_workspace

ACCOUNT = "BE71096123456769"
AERTS_IBAN = "BE62510007547061"


def cli(ws: Path, *args, code=0) -> str:
    result = CliRunner().invoke(main, ["-w", str(ws), *args], catch_exceptions=False)
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    return result.output


@pytest.fixture
def ws(tmp_path: Path, monkeypatch) -> Path:
    ws = two_quarter_workspace(tmp_path / "ws")
    cli(ws, "run", "2026Q4", "--invoice-date", "2026-10-05")
    (ws / "bank").mkdir()
    monkeypatch.setenv("BIJSTAND_TODAY", "2026-11-20")
    return ws


def journal(ws: Path) -> dict[str, dict]:
    return {r["customer_id"]: r for r in read_csv(ws / "output" / "2026Q4" / "journal.csv")}


def open_items(ws: Path) -> dict[str, tuple]:
    return {r["number"]: (r["state"], r["paid"], r["open"], r["days_overdue"])
            for r in read_csv(ws / "output" / "betalingen" / "openstaand.csv")}


def statement(*movements: Mv, number: int = 1, day: date = date(2026, 10, 20), old: str = "1000.00", **kw) -> Stmt:
    return Stmt(ACCOUNT, number, day, D(old), list(movements), **kw)


def drop(ws: Path, name: str, *statements: Stmt, fmt: str = "coda") -> Path:
    path = ws / "bank" / name
    path.write_bytes(coda_file(list(statements)) if fmt == "coda" else camt_file(list(statements)))
    return path


def test_full_payment_by_structured_reference(ws: Path):
    j = journal(ws)
    drop(ws, "1.cod", statement(Mv(D("250.47"), structured=j["A"]["structured_reference"], name="Juwelier Aerts",
                                   iban=AERTS_IBAN)))
    out = cli(ws, "payments")
    assert "1 nieuwe bewegingen" in out
    assert open_items(ws) == {"2026-000001": ("paid", "250.47", "0.00", "0"),
                              "2026-000002": ("overdue", "0.00", "83.49", "16"),
                              "2026-000003": ("overdue", "0.00", "98.82", "16")}


def test_invoice_number_in_free_text_partial_and_two_in_one(ws: Path):
    drop(ws, "1.cod", statement(
        Mv(D("83.49"), communication="Betaling factuur 2026-000002, dank u", name="Bosmans"),
        Mv(D("50.00"), communication="voorschot 2026-000003", name="Claes"),
        number=1))
    cli(ws, "payments")
    items = open_items(ws)
    assert items["2026-000002"] == ("paid", "83.49", "0.00", "0")
    assert items["2026-000003"] == ("overdue", "50.00", "48.82", "16")  # partial, and past its due date
    drop(ws, "2.cod", statement(Mv(D("250.47") + D("48.82"), communication="2026-000001 + 2026-000003"),
                                number=2, old="1133.49"))
    cli(ws, "payments")
    items = open_items(ws)
    assert items["2026-000001"][:3] == ("paid", "250.47", "0.00") and items["2026-000003"][:3] == ("paid", "98.82", "0.00")


def test_overpayment_leaves_a_credit_on_the_customer(ws: Path):
    j = journal(ws)
    drop(ws, "1.cod", statement(Mv(D("300.00"), structured=j["A"]["structured_reference"], iban=AERTS_IBAN)))
    cli(ws, "payments")
    assert open_items(ws)["2026-000001"] == ("paid", "250.47", "0.00", "0")
    codes = register_rows(ws, "SELECT code, number, customer_id, amount FROM allocations ORDER BY line_no")
    assert codes == [("booked", "2026-000001", "A", "250.47"), ("credit-on-customer", None, "A", "49.53")]
    sheet = openpyxl.load_workbook(ws / "output" / "betalingen" / "openstaand.xlsx")["Openstaand"]
    values = [c.value for row in sheet.iter_rows() for c in row if c.value is not None]
    assert 49.53 in values or -49.53 in values


def test_payment_for_a_credited_invoice_is_to_refund(ws: Path):
    j = journal(ws)
    cli(ws, "credit", "2026-000002", "--reason", "fout", "--date", "2026-10-10")
    drop(ws, "1.cod", statement(Mv(D("83.49"), structured=j["B"]["structured_reference"], name="Bosmans")))
    cli(ws, "payments")
    assert open_items(ws)["2026-000002"][0] == "credited"
    assert register_rows(ws, "SELECT code, number FROM allocations") == [("to-refund", "2026-000002")]
    review = openpyxl.load_workbook(ws / "output" / "betalingen" / "openstaand.xlsx")["Na te kijken"]
    assert "Terug te betalen" in [c.value for row in review.iter_rows() for c in row]


def test_unknown_reference_and_a_debit(ws: Path):
    drop(ws, "1.cod", statement(Mv(D("12.34"), structured="+++090/9337/55493+++", name="Iemand"),
                                Mv(D("-20.00"), communication="bankkosten")))
    out = cli(ws, "payments")
    assert "Niet gekoppeld" in out and "Uitgaande betaling" in out or "genegeerd" in out
    assert register_rows(ws, "SELECT code, reason FROM allocations ORDER BY movement_key") == [
        ("unmatched", "unknown-reference"), ("debit-ignored", "debit")]
    assert all(state == "overdue" for state, *_ in open_items(ws).values())


def test_the_same_file_twice_changes_nothing_and_a_bad_balance_refuses_the_file(ws: Path):
    j = journal(ws)
    st = statement(Mv(D("250.47"), structured=j["A"]["structured_reference"]))
    drop(ws, "1.cod", st)
    cli(ws, "payments")
    before = register_rows(ws, "SELECT * FROM allocations")
    out = cli(ws, "payments")
    assert "al ingelezen: niets gewijzigd" in out
    assert register_rows(ws, "SELECT * FROM allocations") == before
    # the same statement in another file (renamed copy): its movements are known, nothing booked twice
    (ws / "bank" / "copy.cod").write_bytes((ws / "bank" / "1.cod").read_bytes() + b"")
    bad = statement(Mv(D("83.49"), communication="2026-000002"), number=2, old="1250.47", new_balance=D("9999.99"))
    drop(ws, "2.cod", bad)
    out = cli(ws, "payments", code=1)
    assert "2.cod" in out and "geweigerd" in out
    assert register_rows(ws, "SELECT COUNT(*) FROM movements") == [(1,)]
    assert open_items(ws)["2026-000002"][0] == "overdue"


def test_cp1252_file_with_accented_names(ws: Path):
    j = journal(ws)
    drop(ws, "1.cod", statement(Mv(D("83.49"), structured=j["B"]["structured_reference"],
                                   name="Bijouterie Sœur Élodie & Françoise")))
    raw = (ws / "bank" / "1.cod").read_bytes()
    assert "ç".encode("cp1252") in raw and "œ".encode("cp1252") in raw  # cp1252, as Belgian banks write it
    cli(ws, "payments")
    assert register_rows(ws, "SELECT counterparty_name FROM movements") == [("Bijouterie Sœur Élodie & Françoise",)]
    assert open_items(ws)["2026-000002"][0] == "paid"


def test_camt053_payments(ws: Path):
    j = journal(ws)
    drop(ws, "1.xml", statement(Mv(D("250.47"), structured=j["A"]["structured_reference"], name="Aerts"),
                                Mv(D("98.82"), communication="factuur 2026-000003")), fmt="camt")
    cli(ws, "payments")
    items = open_items(ws)
    assert items["2026-000001"][0] == "paid" and items["2026-000003"][0] == "paid"
    assert register_rows(ws, "SELECT format FROM bank_files") == [("camt053",)]


def test_a_killed_import_is_imported_whole_or_not_at_all(ws: Path):
    j = journal(ws)
    drop(ws, "1.cod", statement(Mv(D("250.47"), structured=j["A"]["structured_reference"]),
                                Mv(D("83.49"), structured=j["B"]["structured_reference"])))
    killed = bijstand(ws, "payments", fail_at="payments-in-commit:kill")
    assert killed.returncode == -signal.SIGKILL
    assert register_rows(ws, "SELECT COUNT(*) FROM movements") == [(0,)]
    assert register_rows(ws, "SELECT COUNT(*) FROM bank_files") == [(0,)]
    done = bijstand(ws, "payments")
    assert done.returncode == 0, done.stdout + done.stderr
    assert register_rows(ws, "SELECT COUNT(*) FROM movements") == [(2,)]


def test_status_open_writes_the_open_items(ws: Path):
    out = cli(ws, "status", "--open")
    assert "openstaand" in out
    assert open_items(ws)["2026-000001"] == ("overdue", "0.00", "250.47", "16")


def test_vat_period_workbook_and_frames_show_the_payments(ws: Path, monkeypatch):
    j = journal(ws)
    drop(ws, "1.cod", statement(Mv(D("250.47"), structured=j["A"]["structured_reference"], booking=date(2026, 10, 20))))
    cli(ws, "payments")
    monkeypatch.setenv("BIJSTAND_TODAY", "2029-12-31")
    cli(ws, "btw", "2026Q4")
    wb = openpyxl.load_workbook(ws / "output" / "btw-2026Q4" / "btw-aangifte.xlsx")
    assert {"Betalingen", "Openstaand"} <= set(wb.sheetnames)
    paid = [c.value for row in wb["Betalingen"].iter_rows() for c in row]
    assert "2026-000001" in paid and 250.47 in paid
    still = [c.value for row in wb["Openstaand"].iter_rows() for c in row]
    assert "2026-000002" in still and "2026-000001" not in still
    from batch import frames

    pay = frames.register(ws)["payments"]
    assert list(pay.number) == ["2026-000001"] and pay.amount.sum() == D("250.47")
