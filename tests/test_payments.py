"""`bijstand payments` end to end (SPEC §12, issue 16): bank statements in (CODA and camt.053, written by
batch.payments.writers from the published layouts and read by febelfin-coda and pycamt), open items out.
Every case asserts the states and amounts of output/betalingen/openstaand.csv as the CLI wrote it.

The workspace: SPEC §7's, 2026Q4 issued on 2026-10-05 (due 2026-11-04): A 250.47, B 83.49, C 98.82;
today is 2026-11-20 (16 days after the due date).
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
OPEN_CSV = Path("output") / "betalingen" / "openstaand.csv"
OPEN_XLSX = Path("output") / "betalingen" / "openstaand.xlsx"

# openstaand.csv before any payment: (state, paid, open, days_overdue, to_refund)
NOTHING_PAID = {"2026-000001": ("overdue", "0.00", "250.47", "16", "0.00"),
                "2026-000002": ("overdue", "0.00", "83.49", "16", "0.00"),
                "2026-000003": ("overdue", "0.00", "98.82", "16", "0.00")}


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
    """openstaand.csv as the CLI wrote it: number → (state, paid, open, days_overdue, to_refund)."""
    rows = read_csv(ws / OPEN_CSV)
    assert list(rows[0])[:10] == ["number", "customer_id", "customer_name", "date", "due_date", "total", "paid",
                                  "open", "state", "days_overdue"]
    return {r["number"]: (r["state"], r["paid"], r["open"], r["days_overdue"], r["to_refund"]) for r in rows}


def sheet_table(path: Path, sheet: str, title: str) -> list[dict]:
    """The rows of the table under the section ``title`` of a sheet (header row below it, up to the
    totals row), values as text/Decimal."""
    rows = [list(r) for r in openpyxl.load_workbook(path)[sheet].iter_rows(values_only=True)]
    start = next(i for i, r in enumerate(rows) if r[0] == title)
    header = [h for h in rows[start + 1] if h is not None]
    out = []
    for r in rows[start + 2:]:
        if r[0] in ("Totaal", None):
            break
        out.append({h: D(str(v)) if isinstance(v, (int, float)) and not isinstance(v, bool) else v
                    for h, v in zip(header, r)})
    return out


def review(ws: Path) -> list[tuple]:
    """The Na te kijken list: (what, why, customer, number, amount)."""
    rows = [list(r) for r in openpyxl.load_workbook(ws / OPEN_XLSX)["Na te kijken"].iter_rows(values_only=True)]
    start = next(i for i, r in enumerate(rows) if r[0] == "Datum")
    return [(r[1], r[2], r[3], r[4], D(str(r[5]))) for r in rows[start + 1:] if r[0] not in ("Totaal", None)]


def statement(*movements: Mv, number: int = 1, day: date = date(2026, 10, 20), old: str = "1000.00", **kw) -> Stmt:
    return Stmt(ACCOUNT, number, day, D(old), list(movements), **kw)


def drop(ws: Path, name: str, *statements: Stmt, fmt: str = "coda") -> Path:
    path = ws / "bank" / name
    path.write_bytes(coda_file(list(statements)) if fmt == "coda" else camt_file(list(statements)))
    return path


@pytest.mark.parametrize("fmt", ["coda", "camt"])
def test_full_payment_by_structured_reference(ws: Path, fmt: str):
    j = journal(ws)
    drop(ws, "1.cod" if fmt == "coda" else "1.xml",
         statement(Mv(D("250.47"), structured=j["A"]["structured_reference"], name="Juwelier Aerts", iban=AERTS_IBAN)),
         fmt=fmt)
    out = cli(ws, "payments")
    assert "1 nieuwe beweging — 1 Geboekt" in out
    assert "Openstaand: 182.31 €, 2 facturen over de vervaldag" in out
    assert open_items(ws) == {**NOTHING_PAID, "2026-000001": ("paid", "250.47", "0.00", "0", "0.00")}


def test_invoice_number_in_free_text_partial_and_two_in_one(ws: Path):
    drop(ws, "1.cod", statement(
        Mv(D("83.49"), communication="Betaling factuur 2026-000002, dank u", name="Bosmans"),
        Mv(D("50.00"), communication="voorschot 2026-000003", name="Claes"),
        number=1))
    cli(ws, "payments")
    assert open_items(ws) == {"2026-000001": ("overdue", "0.00", "250.47", "16", "0.00"),
                              "2026-000002": ("paid", "83.49", "0.00", "0", "0.00"),
                              # partly paid, past its due date: partial, 16 days late for the rest
                              "2026-000003": ("partial", "50.00", "48.82", "16", "0.00")}
    drop(ws, "2.cod", statement(Mv(D("250.47") + D("48.82"), communication="2026-000001 + 2026-000003"),
                                number=2, old="1133.49"))
    out = cli(ws, "payments")
    assert "Openstaand: 0.00 €, 0 facturen over de vervaldag" in out
    assert open_items(ws) == {"2026-000001": ("paid", "250.47", "0.00", "0", "0.00"),
                              "2026-000002": ("paid", "83.49", "0.00", "0", "0.00"),
                              "2026-000003": ("paid", "98.82", "0.00", "0", "0.00")}
    assert register_rows(ws, "SELECT number, amount FROM allocations WHERE movement_key LIKE '%2026/002%' "
                             "ORDER BY line_no") == [("2026-000001", "250.47"), ("2026-000003", "48.82")]


def test_overpayment_leaves_a_credit_on_the_customer(ws: Path):
    j = journal(ws)
    drop(ws, "1.cod", statement(Mv(D("300.00"), structured=j["A"]["structured_reference"], iban=AERTS_IBAN)))
    cli(ws, "payments")
    assert open_items(ws) == {**NOTHING_PAID, "2026-000001": ("paid", "250.47", "0.00", "0", "0.00")}
    codes = register_rows(ws, "SELECT code, number, customer_id, amount FROM allocations ORDER BY line_no")
    assert codes == [("booked", "2026-000001", "A", "250.47"), ("credit-on-customer", None, "A", "49.53")]
    balance = {r["Klantnummer"]: r for r in sheet_table(ws / OPEN_XLSX, "Openstaand", "Saldo per klant")}
    assert (balance["A"]["Open"], balance["A"]["Tegoed van de klant"], balance["A"]["Saldo"]) == (
        D("0"), D("49.53"), D("-49.53"))
    assert [r[:2] + r[4:] for r in review(ws)] == [("Tegoed van de klant", "Meer betaald dan verschuldigd",
                                                    D("49.53"))]


def test_payment_for_a_credited_invoice_is_to_refund(ws: Path):
    """Presentation of "to refund": the CSV's paid shows what was received, open 0.00, state credited, and
    to_refund the amount to give back; openstaand.xlsx lists it under "Terug te betalen", counts it in the
    customer's balance, and Na te kijken lists the movement with the amount."""
    j = journal(ws)
    cli(ws, "credit", "2026-000002", "--reason", "fout", "--date", "2026-10-10")
    drop(ws, "1.cod", statement(Mv(D("83.49"), structured=j["B"]["structured_reference"], name="Bosmans")))
    out = cli(ws, "payments")
    assert "1 Terug te betalen" in out
    assert open_items(ws) == {**NOTHING_PAID, "2026-000002": ("credited", "83.49", "0.00", "0", "83.49")}
    assert register_rows(ws, "SELECT code, number, amount FROM allocations") == [("to-refund", "2026-000002", "83.49")]
    assert review(ws) == [("Terug te betalen", "Het document is gecrediteerd", "B", "2026-000002", D("83.49"))]
    (refund,) = sheet_table(ws / OPEN_XLSX, "Openstaand", "Terug te betalen: betaald voor gecrediteerde facturen")
    assert (refund["Nummer"], refund["Creditnota"], refund["Terug te betalen"]) == ("2026-000002", "2026-000004",
                                                                                     D("83.49"))
    balance = {r["Klantnummer"]: r for r in sheet_table(ws / OPEN_XLSX, "Openstaand", "Saldo per klant")}
    assert (balance["B"]["Terug te betalen"], balance["B"]["Saldo"]) == (D("83.49"), D("-83.49"))


def test_unknown_reference_and_a_debit(ws: Path):
    drop(ws, "1.cod", statement(Mv(D("12.34"), structured="+++090/9337/55493+++", name="Iemand"),
                                Mv(D("-20.00"), communication="bankkosten")))
    out = cli(ws, "payments")
    assert "bank/1.cod: 2 nieuwe bewegingen — 1 Uitgaande betaling (genegeerd), 1 Niet gekoppeld" in out
    assert register_rows(ws, "SELECT code, reason, amount FROM allocations ORDER BY movement_key") == [
        ("unmatched", "unknown-reference", "12.34"), ("debit-ignored", "debit", "20.00")]
    assert open_items(ws) == NOTHING_PAID
    # the unmatched credit is listed with its reason; the debit is not (counted only)
    assert review(ws) == [("Niet gekoppeld", "Onbekende gestructureerde mededeling", None, None, D("12.34"))]


def test_a_statement_that_does_not_add_up_is_refused_whole(ws: Path):
    j = journal(ws)
    good = statement(Mv(D("250.47"), structured=j["A"]["structured_reference"]))
    bad = statement(Mv(D("83.49"), communication="2026-000002"), number=2, old="1250.47", new_balance=D("9999.99"))
    drop(ws, "2.cod", good, bad)  # one file: a good statement, then one whose balances do not add up
    cli(ws, "status", "--open")
    before = (ws / OPEN_CSV).read_bytes()
    out = cli(ws, "payments", code=1)
    assert ("bank/2.cod: regel 10 (record 9): uittreksel 002 (regels 6–10) klopt niet: oud saldo 1250.47 + credit "
            "83.49 − debet 0.00 = 1333.96, maar het nieuwe saldo is 9999.99") in out
    assert "bank/2.cod: geweigerd, niets ingelezen" in out
    assert register_rows(ws, "SELECT COUNT(*) FROM movements") == [(0,)]
    assert register_rows(ws, "SELECT COUNT(*) FROM bank_files") == [(0,)]
    assert open_items(ws) == NOTHING_PAID  # the good statement's payment is not booked either
    assert (ws / OPEN_CSV).read_bytes() == before


def test_the_same_file_imported_twice_changes_nothing(ws: Path):
    j = journal(ws)
    drop(ws, "1.cod", statement(Mv(D("250.47"), structured=j["A"]["structured_reference"]),
                                Mv(D("40.00"), communication="2026-000003")))
    cli(ws, "payments")
    expected = {"2026-000001": ("paid", "250.47", "0.00", "0", "0.00"),
                "2026-000002": ("overdue", "0.00", "83.49", "16", "0.00"),
                "2026-000003": ("partial", "40.00", "58.82", "16", "0.00")}
    assert open_items(ws) == expected
    before = (ws / OPEN_CSV).read_bytes()
    allocations = register_rows(ws, "SELECT * FROM allocations")
    out = cli(ws, "payments")
    assert "bank/1.cod: al ingelezen: niets gewijzigd" in out
    assert (ws / OPEN_CSV).read_bytes() == before
    assert register_rows(ws, "SELECT * FROM allocations") == allocations
    # the same statement in another file (a renamed copy with another line ending): known, not booked twice
    (ws / "bank" / "copy.cod").write_bytes((ws / "bank" / "1.cod").read_bytes().replace(b"\r\n", b"\n"))
    out = cli(ws, "payments")
    assert "bank/copy.cod: 0 nieuwe bewegingen (2 al bekend uit een ander bestand)" in out
    assert (ws / OPEN_CSV).read_bytes() == before
    assert register_rows(ws, "SELECT COUNT(*) FROM movements") == [(2,)]


def test_cp1252_file_with_accented_names(ws: Path):
    j = journal(ws)
    drop(ws, "1.cod", statement(Mv(D("83.49"), structured=j["B"]["structured_reference"],
                                   name="Bijouterie Sœur Élodie & Françoise"),
                                Mv(D("98.82"), communication="Règlement facture 2026-000003 — merci, Noël",
                                   name="Claes Frère")))
    raw = (ws / "bank" / "1.cod").read_bytes()
    assert "ç".encode("cp1252") in raw and "œ".encode("cp1252") in raw  # cp1252, as Belgian banks write it
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    cli(ws, "payments")
    assert register_rows(ws, "SELECT counterparty_name, communication FROM movements ORDER BY key") == [
        ("Bijouterie Sœur Élodie & Françoise", ""), ("Claes Frère", "Règlement facture 2026-000003 — merci, Noël")]
    assert open_items(ws) == {"2026-000001": ("overdue", "0.00", "250.47", "16", "0.00"),
                              "2026-000002": ("paid", "83.49", "0.00", "0", "0.00"),
                              "2026-000003": ("paid", "98.82", "0.00", "0", "0.00")}


def test_camt053_payments(ws: Path):
    j = journal(ws)
    drop(ws, "1.xml", statement(Mv(D("250.47"), structured=j["A"]["structured_reference"], name="Aerts"),
                                Mv(D("98.82"), communication="factuur 2026-000003")), fmt="camt")
    cli(ws, "payments")
    assert open_items(ws) == {"2026-000001": ("paid", "250.47", "0.00", "0", "0.00"),
                              "2026-000002": ("overdue", "0.00", "83.49", "16", "0.00"),
                              "2026-000003": ("paid", "98.82", "0.00", "0", "0.00")}
    assert register_rows(ws, "SELECT format FROM bank_files") == [("camt053",)]


def test_aged_balance_and_balance_per_customer_in_openstaand_xlsx(ws: Path, monkeypatch):
    """The aged balance (not due, 1–30, 31–60, 61–90, over 90) and the balance per customer, with values,
    over two quarters: 2026Q4 due 2026-11-04, 2027Q1 (issued 2027-01-05) due 2027-02-04."""
    monkeypatch.setenv("BIJSTAND_TODAY", "2027-02-10")  # Q4: 98 days late; Q1: 6 days
    cli(ws, "run", "2027Q1", "--invoice-date", "2027-01-05")
    q1 = {r["customer_id"]: r for r in read_csv(ws / "output" / "2027Q1" / "journal.csv")}
    drop(ws, "1.cod", statement(Mv(D("50.00"), communication="2026-000001"), day=date(2026, 12, 1)))
    cli(ws, "payments")
    items = open_items(ws)
    assert items["2026-000001"] == ("partial", "50.00", "200.47", "98", "0.00")
    aged = {r["Klantnummer"]: r for r in sheet_table(ws / OPEN_XLSX, "Openstaand",
                                                     "Ouderdom van de openstaande bedragen")}
    buckets = ("Niet vervallen", "1–30 dagen", "31–60 dagen", "61–90 dagen", "Meer dan 90 dagen", "Totaal")
    expected = {cid: {b: D("0") for b in buckets} for cid in aged}
    for cid, q4_open in (("A", D("200.47")), ("B", D("83.49")), ("C", D("98.82"))):
        expected[cid]["Meer dan 90 dagen"] = q4_open
    for cid, r in q1.items():
        expected[cid]["1–30 dagen"] = D(r["total"])
    for cid in expected:
        expected[cid]["Totaal"] = sum((expected[cid][b] for b in buckets[:-1]), D("0"))
    assert {cid: {b: r[b] for b in buckets} for cid, r in aged.items()} == expected
    assert set(aged) == {"A", "B", "C"}
    balance = {r["Klantnummer"]: r["Saldo"] for r in sheet_table(ws / OPEN_XLSX, "Openstaand", "Saldo per klant")}
    assert balance == {cid: expected[cid]["Totaal"] for cid in expected}
    csv_open = {}
    for r in read_csv(ws / OPEN_CSV):
        csv_open[r["customer_id"]] = csv_open.get(r["customer_id"], D("0")) + D(r["open"])
    assert balance == csv_open


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
    assert open_items(ws) == {**NOTHING_PAID, "2026-000001": ("paid", "250.47", "0.00", "0", "0.00"),
                              "2026-000002": ("paid", "83.49", "0.00", "0", "0.00")}


def test_status_open_writes_the_open_items(ws: Path):
    out = cli(ws, "status", "--open")
    assert "openstaand" in out
    assert open_items(ws) == NOTHING_PAID


@pytest.mark.parametrize("language, refused, summary", [
    ("fr", "bank/2.cod: refusé, rien importé", "Ouvert : 432.78 €, 3 factures échues"),
    ("en", "bank/2.cod: refused, nothing imported", "Open: €432.78, 3 invoices overdue"),
])
def test_payments_speaks_the_ui_language(ws: Path, language: str, refused: str, summary: str):
    toml = ws / "bijstand.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('[ui]\nlanguage = "nl"', f'[ui]\nlanguage = "{language}"'),
                    encoding="utf-8")
    drop(ws, "2.cod", statement(Mv(D("1.00")), new_balance=D("5.00")))
    out = cli(ws, "payments", code=1)
    assert refused in out and summary in out
    line = {"fr": "ligne 5 (enregistrement 9) : extrait 001 (lignes 1–5) ne correspond pas",
            "en": "line 5 (record 9): statement 001 (lines 1–5) does not add up"}[language]
    assert line in out


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
