"""Reading bank statements (SPEC §12 P1): the parser packages' own samples, generated CODA and
camt.053 files for every case the matcher meets, and files that must be refused whole."""

from __future__ import annotations

import os
from datetime import date
from decimal import Decimal
from pathlib import Path

import coda
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from batch.payments.statements import CAMT053, CODA, read_statement_file, sniff
from tests.bankfiles import CAMT_NS, Mv, Stmt, camt_document, camt_file, coda_file, coda_records

D = Decimal
ACCOUNT = "BE68539007547034"
PEETERS = "BE71096123456769"
SAMPLES = Path(os.path.dirname(coda.__file__))
XSD = Path(__file__).parent / "data" / "camt.053.001.02.xsd"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / "bank" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def both(tmp_path: Path, statements: list[Stmt]):
    """The same statements read from a CODA file and from a camt.053 file."""
    out = []
    for name, data in (("s.cod", coda_file(statements)), ("s.xml", camt_file(statements))):
        result = read_statement_file(write(tmp_path, name, data), tmp_path)
        assert not result.problems, [p.render() for p in result.problems]
        out.append(result)
    return out


def day(n: int) -> date:
    return date(2027, 2, n)


# --- the samples shipped with the parser packages ------------------------------------------------


def test_febelfin_coda_sample_gives_its_documented_movements():
    result = read_statement_file(SAMPLES / "CODA.txt")
    assert result.format == CODA and not result.problems
    (statement,) = result.statements
    # as febelfin-coda's README documents them
    assert statement.account_iban == "435000000080"
    assert (statement.old_balance, statement.new_balance) == (D("0.00"), D("9405296.99"))
    assert statement.date == date(2006, 12, 7)
    first = statement.movements[0]
    assert first.amount == D("-2578.25")
    assert first.booking_date == first.value_date == date(2006, 12, 6)
    assert first.communication == "BORDEREAU DE DECOMPTE AVANCES 015 NUMERO D'OPERATION 495953"
    assert first.key == "coda:435000000080:2006/001:0001"
    assert first.location.endswith("CODA.txt:3")
    # 59 movements of their own; the customer's globals 0007 (3 payments) and 0008 (…) count by
    # their details, each once; details of simple amounts (type 8) never count
    keys = [m.key.rsplit(":", 1)[1] for m in statement.movements]
    assert "0007" not in keys and ["0007/0001", "0007/0003", "0007/0005"] == [k for k in keys if k.startswith("0007")]
    assert sum(m.amount for m in statement.movements if m.sequence.startswith("0007/")) == D("-128000.00")
    assert "0002/0001" not in keys and "0002" in keys
    assert len(statement.movements) == 67
    assert sum(m.amount for m in statement.movements) == statement.new_balance - statement.old_balance
    olgerdin = next(m for m in statement.movements if m.sequence == "0003")
    assert (olgerdin.amount, olgerdin.counterparty_name, olgerdin.counterparty_iban, olgerdin.communication) == (
        D("1075.00"), "Olgerdin Egill Skallagrims", "LU037050522702273100", "/INV/2061260")


def test_febelfin_empty_sample_is_a_statement_without_movements():
    result = read_statement_file(SAMPLES / "CODA-empty.txt")
    assert not result.problems
    (statement,) = result.statements
    assert statement.movements == () and statement.old_balance == statement.new_balance == D("0.00")


PYCAMT_SAMPLE = f"""<Document xmlns="{CAMT_NS}"><BkToCstmrStmt>
<GrpHdr><MsgId>ABC123</MsgId><CreDtTm>2020-06-23T18:56:25.64Z</CreDtTm></GrpHdr>
<Stmt><Acct><Id><IBAN>GB33BUKB20201555555555</IBAN></Id></Acct>
<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Dt><Dt>2025-07-31</Dt></Dt><Amt Ccy="EUR">1000.00</Amt></Bal>
{{closing}}
<Ntry><Amt Ccy="EUR">500.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2020-06-23</Dt></BookgDt>
<ValDt><Dt>2020-06-23</Dt></ValDt><AcctSvcrRef>123</AcctSvcrRef><NtryDtls><TxDtls>
<Refs><EndToEndId>ENDTOENDID123</EndToEndId></Refs><AmtDtls><TxAmt><Amt Ccy="EUR">500.00</Amt></TxAmt></AmtDtls>
</TxDtls></NtryDtls></Ntry></Stmt></BkToCstmrStmt></Document>"""


def test_pycamt_test_sample(tmp_path):
    """pycamt's own test statement (re-typed from its tests): no closing balance and no status, so
    it is refused; with them it gives the movement pycamt's test documents."""
    bare = read_statement_file(write(tmp_path, "p.xml", PYCAMT_SAMPLE.replace("{closing}", "").encode()),
                               language="en")
    assert bare.refused and bare.statements == ()
    assert "closing balance" in bare.problems[0].message
    closing = ('<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">1500.00</Amt>'
               '<CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2020-06-23</Dt></Dt></Bal>')
    data = PYCAMT_SAMPLE.replace("{closing}", closing).replace("<BookgDt>", "<Sts>BOOK</Sts><BookgDt>")
    result = read_statement_file(write(tmp_path, "p2.xml", data.encode()))
    assert not result.problems
    (m,) = result.movements
    assert (m.amount, m.booking_date, m.value_date, m.key) == (
        D("500.00"), date(2020, 6, 23), date(2020, 6, 23), "camt:GB33BUKB20201555555555:123")


# --- generated statements ------------------------------------------------------------------------


def test_full_payment_by_structured_reference(tmp_path):
    s = Stmt(ACCOUNT, 1, day(10), D("1000.00"), [
        Mv(D("121.00"), structured="+++202/7000/00122+++", name="Juwelier Peeters BV", iban=PEETERS)])
    for result in both(tmp_path, [s]):
        (m,) = result.movements
        assert (m.amount, m.structured_reference, m.communication) == (D("121.00"), "202700000122", "")
        assert (m.counterparty_name, m.counterparty_iban) == ("Juwelier Peeters BV", PEETERS)
        assert result.statements[0].new_balance == D("1121.00")


def test_invoice_number_in_long_free_text_continues_over_records_22_and_23(tmp_path):
    text = ("Betaling factuur 2027-000002 voor het onderhoud van de kassa's in de winkel te Antwerpen, "
            "zie ook onze mail van 3 februari")
    assert len(text) > 106  # crosses 2.1 (53), 2.2 (53) into 2.3
    s = Stmt(ACCOUNT, 1, day(10), D("0.00"), [Mv(D("50.00"), communication=text, name="Peeters", iban=PEETERS)])
    coda_result, camt_result = both(tmp_path, [s])
    assert coda_result.movements[0].communication == text
    assert camt_result.movements[0].communication == text
    assert coda_result.movements[0].structured_reference is None


def test_debit_is_kept_negative_and_counts_in_the_balance(tmp_path):
    s = Stmt(ACCOUNT, 1, day(10), D("500.00"), [Mv(D("-20.50"), communication="huur februari"),
                                                 Mv(D("100.00"), structured="202700000122")])
    for result in both(tmp_path, [s]):
        debit, credit = result.movements
        assert (debit.amount, credit.amount) == (D("-20.50"), D("100.00"))
        assert result.statements[0].new_balance == D("579.50")


def test_same_file_twice_gives_the_same_keys_and_hash(tmp_path):
    s = Stmt(ACCOUNT, 7, day(10), D("0.00"), [Mv(D("1.00"), structured="202700000122"), Mv(D("2.00"))])
    for name, data in (("a.cod", coda_file([s])), ("a.xml", camt_file([s]))):
        one = read_statement_file(write(tmp_path, name, data), tmp_path)
        two = read_statement_file(write(tmp_path, "copy-" + name, data), tmp_path)
        assert one.sha256 == two.sha256
        assert [m.key for m in one.movements] == [m.key for m in two.movements]
        assert len({m.key for m in one.movements}) == 2
    assert [m.key for m in read_statement_file(tmp_path / "bank" / "a.cod").movements] == [
        f"coda:{ACCOUNT}:2027/007:0001", f"coda:{ACCOUNT}:2027/007:0002"]


def test_cp1252_names_are_read_correctly(tmp_path):
    names = ["Café Noël", "Françoise Brël", "Société Générale Ça Va"]
    s = Stmt(ACCOUNT, 1, day(10), D("0.00"),
             [Mv(D("10.00"), communication=f"merci {n}", name=n, iban=PEETERS) for n in names])
    data = coda_file([s])
    assert "é".encode("cp1252") in data and "é".encode("utf-8") not in data
    result = read_statement_file(write(tmp_path, "accents.cod", data))
    assert [m.counterparty_name for m in result.movements] == names
    assert [m.communication for m in result.movements] == [f"merci {n}" for n in names]
    # the same file written by a tool in UTF-8 reads the same
    utf8 = read_statement_file(write(tmp_path, "accents-utf8.cod", coda_file([s], encoding="utf-8")))
    assert [m.counterparty_name for m in utf8.movements] == names


def test_two_statements_in_one_file(tmp_path):
    first = Stmt(ACCOUNT, 12, day(10), D("100.00"), [Mv(D("10.00"), structured="202700000122")])
    second = Stmt(ACCOUNT, 13, day(11), D("110.00"), [Mv(D("-5.00")), Mv(D("20.00"))], previous_day=day(10))
    for result in both(tmp_path, [first, second]):
        assert [len(s.movements) for s in result.statements] == [1, 2]
        assert [(s.old_balance, s.new_balance) for s in result.statements] == [
            (D("100.00"), D("110.00")), (D("110.00"), D("125.00"))]
        assert len({m.key for m in result.movements}) == 3
    coda_result = read_statement_file(tmp_path / "bank" / "s.cod")
    assert [s.number for s in coda_result.statements] == ["2027/012", "2027/013"]


def test_a_global_movement_counts_once_by_its_details(tmp_path):
    s = Stmt(ACCOUNT, 1, day(10), D("0.00"), [
        Mv(D("300.00"), details=[Mv(D("100.00"), structured="202700000122", name="Peeters", iban=PEETERS),
                                 Mv(D("200.00"), communication="factuur 2027-000003", name="Dubois")]),
        Mv(D("5.00"))])
    for result in both(tmp_path, [s]):
        amounts = [m.amount for m in result.movements]
        assert amounts == [D("100.00"), D("200.00"), D("5.00")]  # not the 300.00 global as well
        assert result.movements[0].structured_reference == "202700000122"
        assert result.movements[1].communication == "factuur 2027-000003"
        assert result.movements[1].counterparty_name == "Dubois"
    coda_keys = [m.key.rsplit(":", 1)[1] for m in read_statement_file(tmp_path / "bank" / "s.cod").movements]
    assert coda_keys == ["0001/0001", "0001/0002", "0002"]


def test_a_global_with_type_7_and_9_details(tmp_path):
    """A bank-globalised amount (type 2) with a detail (6) and a detail (7) that has its own
    detail (9): counted as 6 + 7. febelfin-coda 0.5.0 cannot read a type-9 record by itself."""
    s = Stmt(ACCOUNT, 1, day(10), D("0.00"), [Mv(D("300.00"), details=[Mv(D("100.00")), Mv(D("200.00"))])])
    records = coda_records(s)
    records[2] = records[2][:53] + "2" + records[2][54:]  # global: type 1 → 2
    records[3] = records[3][:53] + "6" + records[3][54:]  # detail 1: type 5 → 6
    records[4] = records[4][:53] + "7" + records[4][54:]  # detail 2: type 5 → 7
    nine = records[4][:6] + "0003" + records[4][10:53] + "9" + records[4][54:]
    records.insert(5, nine)
    trailer = records[-1]
    records[-1] = trailer[:16] + f"{int(trailer[16:22]) + 1:06d}" + trailer[22:]
    result = read_statement_file(write(tmp_path, "t9.cod", ("\r\n".join(records) + "\r\n").encode("cp1252")))
    assert not result.problems, [p.render() for p in result.problems]
    assert [(m.sequence, m.amount) for m in result.movements] == [
        ("0001/0001", D("100.00")), ("0001/0002", D("200.00"))]


def test_structured_reference_with_a_wrong_check_is_free_text_with_a_warning(tmp_path):
    s = Stmt(ACCOUNT, 1, day(10), D("0.00"), [Mv(D("10.00"), structured="202700000123")])
    result = read_statement_file(write(tmp_path, "bad.cod", coda_file([s])), language="en")
    (m,) = result.movements
    assert m.structured_reference is None and m.communication == "202700000123"
    (warning,) = result.problems
    assert not warning.fatal and "check digits" in warning.message and warning.row == 3


# --- refused whole -------------------------------------------------------------------------------


def test_coda_balances_that_do_not_add_up_refuse_the_whole_file(tmp_path):
    good = Stmt(ACCOUNT, 1, day(10), D("0.00"), [Mv(D("10.00"))])
    bad = Stmt(ACCOUNT, 2, day(11), D("10.00"), [Mv(D("5.00"))], new_balance=D("16.00"))
    result = read_statement_file(write(tmp_path, "x.cod", coda_file([good, bad])), tmp_path, language="en")
    assert result.refused and result.statements == () and result.movements == ()
    (problem,) = result.problems
    assert problem.file == "bank/x.cod" and problem.code == "statement.balance" and problem.fatal
    assert problem.row == 10  # record 9 of the second statement
    assert "line 10 (record 9): statement 002 (lines 6–10) does not add up" in problem.message
    assert "new balance is 16.00" in problem.message
    assert problem.render().startswith("bank/x.cod: line 10 (record 9)")


def test_camt_balances_that_do_not_add_up_refuse_the_whole_file(tmp_path):
    good = Stmt(ACCOUNT, 1, day(10), D("0.00"), [Mv(D("10.00"))])
    bad = Stmt(ACCOUNT, 2, day(11), D("10.00"), [Mv(D("5.00"))], new_balance=D("16.00"))
    result = read_statement_file(write(tmp_path, "x.xml", camt_file([good, bad])), tmp_path, language="en")
    assert result.refused and result.statements == ()
    (problem,) = result.problems
    assert problem.code == "statement.balance" and problem.file == "bank/x.xml"
    assert "statement 2 (/Document/BkToCstmrStmt/Stmt[2]) does not add up" in problem.message


@pytest.mark.parametrize("language, coda_text, camt_text, fix", [
    ("nl", "regel 10 (record 9): uittreksel 002 (regels 6–10) klopt niet: oud saldo 10.00 + credit 5.00 − debet "
           "0.00 = 15.00, maar het nieuwe saldo is 16.00",
     "uittreksel 2 (/Document/BkToCstmrStmt/Stmt[2]) klopt niet: beginsaldo 10.00 + geboekte bewegingen 5.00 = "
     "15.00, maar het eindsaldo is 16.00", "het bestand is beschadigd of werd bewerkt"),
    ("fr", "ligne 10 (enregistrement 9) : extrait 002 (lignes 6–10) ne correspond pas : ancien solde 10.00 + "
           "crédits 5.00 − débits 0.00 = 15.00, mais le nouveau solde est 16.00",
     "extrait 2 (/Document/BkToCstmrStmt/Stmt[2]) ne correspond pas : solde d'ouverture 10.00 + écritures "
     "comptabilisées 5.00 = 15.00, mais le solde de clôture est 16.00", "le fichier est endommagé"),
    ("en", "line 10 (record 9): statement 002 (lines 6–10) does not add up: old balance 10.00 + credits 5.00 − "
           "debits 0.00 = 15.00, but the new balance is 16.00",
     "statement 2 (/Document/BkToCstmrStmt/Stmt[2]) does not add up: opening balance 10.00 + booked entries "
     "5.00 = 15.00, but the closing balance is 16.00", "the file is damaged or was edited"),
])
def test_refusals_speak_the_bookkeepers_language(tmp_path, language, coda_text, camt_text, fix):
    good = Stmt(ACCOUNT, 1, day(10), D("0.00"), [Mv(D("10.00"))])
    bad = Stmt(ACCOUNT, 2, day(11), D("10.00"), [Mv(D("5.00"))], new_balance=D("16.00"))
    for name, data, expected in (("x.cod", coda_file([good, bad]), coda_text),
                                 ("x.xml", camt_file([good, bad]), camt_text)):
        (problem,) = read_statement_file(write(tmp_path, name, data), tmp_path, language).problems
        assert (problem.message, problem.code) == (expected, "statement.balance")
        assert problem.fix.startswith(fix)


def test_every_statement_text_has_three_languages_and_the_same_placeholders():
    import string

    from batch.texts_payments import TEXTS

    for key, entry in TEXTS.items():
        assert set(entry) == {"nl", "fr", "en"} and all(entry.values()), key
        fields = {lang: {f for _, f, _, _ in string.Formatter().parse(t) if f} for lang, t in entry.items()}
        assert fields["nl"] == fields["fr"] == fields["en"], key


def test_coda_record_count_in_the_trailer_must_match(tmp_path):
    s = Stmt(ACCOUNT, 1, day(10), D("0.00"), [Mv(D("10.00"))])
    result = read_statement_file(write(tmp_path, "c.cod", coda_file([s], trailer_count=7)), language="en")
    assert result.refused
    (problem,) = result.problems
    assert problem.code == "coda.record_count" and problem.row == 5 and "the trailer says 000007" in problem.message


def test_coda_trailer_totals_must_match(tmp_path):
    s = Stmt(ACCOUNT, 1, day(10), D("0.00"), [Mv(D("10.00"))])
    records = coda_records(s)
    records[-1] = records[-1][:37] + "000000000011000" + records[-1][52:]  # credits 11.00 instead of 10.00
    result = read_statement_file(write(tmp_path, "t.cod", "\n".join(records).encode()))
    assert result.refused and {p.code for p in result.problems} >= {"coda.trailer_totals"}


def test_camt_summary_count_must_match(tmp_path):
    s = Stmt(ACCOUNT, 1, day(10), D("0.00"), [Mv(D("10.00")), Mv(D("2.00"))])
    result = read_statement_file(write(tmp_path, "s.xml", camt_file([s], summary_count=3)))
    assert result.refused and result.problems[0].code == "camt.summary"


@pytest.mark.parametrize("data, code", [
    (b"", "statement.format"),
    (b"PK\x03\x04 a zip file", "statement.format"),
    (b"<?xml version='1.0'?><Document><unclosed>", "camt.kind"),  # no camt.053 namespace: refused at its root
    (f"<?xml version='1.0'?><Document xmlns='{CAMT_NS}'><BkToCstmrStmt><unclosed>".encode(), "camt.xml"),
    (b"<?xml version='1.0'?><Document xmlns='urn:iso:std:iso:20022:tech:xsd:camt.054.001.02'/>", "camt.kind"),
    ("0000010022753905".ljust(128).encode() + b"\n", "coda.version"),
])
def test_junk_is_refused_with_a_problem(tmp_path, data, code):
    result = read_statement_file(write(tmp_path, "junk.dat", data))
    assert result.refused and result.problems[0].code == code and result.statements == ()


def test_truncated_and_overlong_coda(tmp_path):
    records = coda_records(Stmt(ACCOUNT, 1, day(10), D("0.00"), [Mv(D("10.00"))]))
    cut = read_statement_file(write(tmp_path, "cut.cod", "\n".join(records[:-2]).encode()))
    assert cut.refused and cut.problems[0].code == "coda.truncated"
    long = list(records)
    long[2] += "X"
    over = read_statement_file(write(tmp_path, "long.cod", "\n".join(long).encode()))
    assert over.refused and over.problems[0].code == "coda.record_length" and over.problems[0].row == 3


def test_missing_file_is_a_problem_not_an_exception(tmp_path):
    result = read_statement_file(tmp_path / "nope.cod")
    assert result.refused and result.problems[0].code == "statement.unreadable"


def test_sniff():
    assert sniff(coda_file([Stmt(ACCOUNT, 1, day(10), D("0"), [])])) == CODA
    assert sniff(camt_file([Stmt(ACCOUNT, 1, day(10), D("0"), [])])) == CAMT053


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(position=st.integers(min_value=0, max_value=10_000), char=st.sampled_from(list("0129 X-\x00é\n")))
def test_a_damaged_coda_file_never_raises(tmp_path, position, char):
    data = bytearray(coda_file([Stmt(ACCOUNT, 1, day(10), D("10.00"), [
        Mv(D("121.00"), structured="202700000122", name="Peeters", iban=PEETERS), Mv(D("-3.00")),
        Mv(D("9.00"), details=[Mv(D("4.00")), Mv(D("5.00"))])])]))
    data[position % len(data):position % len(data) + 1] = char.encode("cp1252")
    result = read_statement_file(write(tmp_path, "damaged.cod", bytes(data)))
    assert result.refused or sum(m.amount for m in result.movements) == sum(
        s.new_balance - s.old_balance for s in result.statements)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400))
def test_random_bytes_never_raise(tmp_path, data):
    result = read_statement_file(write(tmp_path, "random.bin", data))
    assert result.refused or result.statements or not result.problems


# --- the writers' camt.053 against the official schema ---------------------------------------------


def test_generated_camt_is_valid_against_the_iso_20022_schema():
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    s = Stmt(ACCOUNT, 1, day(10), D("1000.00"), [
        Mv(D("121.00"), structured="+++202/7000/00122+++", name="Juwelier Peeters BV", iban=PEETERS),
        Mv(D("50.00"), communication="factuur 2027-000002", name="Café Françoise", iban=PEETERS),
        Mv(D("-20.00"), communication="huur", name="Verhuurder NV", iban="BE62510007547061"),
        Mv(D("300.00"), details=[Mv(D("100.00"), structured="202700000122"), Mv(D("200.00"), communication="x")])])
    document = camt_document([s, Stmt(ACCOUNT, 2, day(11), D("1451.00"), [])])
    assert schema.validate(document), schema.error_log


def test_camt_is_read_as_it_streams_the_same_in_small_chunks(tmp_path, monkeypatch):
    """camt.053 is parsed while it is read (an entry at a time, then let go): chunks of 97 bytes,
    cutting elements and multi-byte characters anywhere, give the same movements and hash."""
    import hashlib

    from batch.payments import statements

    s1 = Stmt(ACCOUNT, 1, day(10), D("1000.00"), [
        Mv(D("121.00"), structured="+++202/7000/00122+++", name="Café Françoise", iban=PEETERS),
        Mv(D("-20.00"), communication="huur"),
        Mv(D("300.00"), details=[Mv(D("100.00"), structured="202700000122"), Mv(D("200.00"), communication="x")])])
    s2 = Stmt(ACCOUNT, 2, day(11), D("1401.00"), [Mv(D("9.99"), communication="factuur 2027-000009 Sœur")])
    path = write(tmp_path, "s.xml", camt_file([s1, s2]))
    whole = read_statement_file(path)
    monkeypatch.setattr(statements, "CHUNK", 97)
    chunked = read_statement_file(path)
    assert chunked == whole and not whole.problems
    assert whole.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert [(m.sequence, m.amount, m.counterparty_name) for m in chunked.movements] == [
        ("20270210001" "00001", D("121.00"), "Café Françoise"), ("2027021000100002", D("-20.00"), ""),
        ("2027021000100003/1", D("100.00"), ""), ("2027021000100003/2", D("200.00"), ""),
        ("2027021100200001", D("9.99"), "")]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(position=st.integers(min_value=0, max_value=20_000), char=st.sampled_from(list("<>/&0 X\x00é")))
def test_a_damaged_camt_file_never_raises(tmp_path, position, char):
    data = bytearray(camt_file([Stmt(ACCOUNT, 1, day(10), D("10.00"), [
        Mv(D("121.00"), structured="202700000122", name="Peeters", iban=PEETERS), Mv(D("-3.00")),
        Mv(D("9.00"), details=[Mv(D("4.00")), Mv(D("5.00"))])])]))
    data[position % len(data):position % len(data) + 1] = char.encode("utf-8")
    result = read_statement_file(write(tmp_path, "damaged.xml", bytes(data)))
    assert result.refused or sum(m.amount for m in result.movements) == sum(
        s.new_balance - s.old_balance for s in result.statements)


def test_a_movement_twice_in_one_file_refuses_it_naming_both_places(tmp_path):
    s = Stmt(ACCOUNT, 1, day(10), D("0.00"), [Mv(D("10.00"), reference="BANKREF1"), Mv(D("5.00"), reference="BANKREF1")])
    result = read_statement_file(write(tmp_path, "twice.xml", camt_file([s])), tmp_path, language="en")
    (problem,) = result.problems
    assert result.refused and problem.code == "statement.duplicate"
    assert problem.message == ("the movement camt:BE68539007547034:BANKREF1 occurs twice in this file "
                               "(bank/twice.xml:/Document/BkToCstmrStmt/Stmt[1]/Ntry[1] and "
                               "bank/twice.xml:/Document/BkToCstmrStmt/Stmt[1]/Ntry[2])")
    nl = read_statement_file(write(tmp_path, "twice.xml", camt_file([s])), tmp_path).problems[0]
    assert nl.message.startswith("de beweging camt:BE68539007547034:BANKREF1 staat twee keer in dit bestand")


def test_the_coda_writer_refuses_more_movements_than_a_statement_can_number():
    with pytest.raises(ValueError, match="9,999"):
        coda_file([Stmt(ACCOUNT, 1, day(10), D("0.00"), [Mv(D("1.00"))] * 10_000)])
