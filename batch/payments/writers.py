"""Writers of bank statements: CODA 2.x (Febelfin's fixed 128-character records 0, 1,
2.1/2.2/2.3, 8 and 9) and ISO 20022 camt.053.001.02 (lxml). Used by the demo's bank folder, the
tests and the benchmark; what they write is read back by the independent parsers (febelfin-coda,
pycamt) and the camt files are validated against the official ISO 20022 schema in the tests.

Record layouts (positions 1-based, inclusive), from Febelfin's "Coded statement of account (CODA)"
version 2.x:

- 0 header: 1 ``0``, 2–5 zeros, 6–11 creation date DDMMYY, 12–14 bank id, 15–16 application
  code ``05``, 17 duplicate ``D``/blank, 25–34 file reference, 35–60 addressee, 61–71 BIC,
  72–82 company number, 84–88 separate application, 128 version ``2``.
- 1 old balance: 2 account structure (``2`` Belgian IBAN, ``3`` foreign IBAN), 3–5 statement
  number, 6–42 account (IBAN from 6) and currency (40–42), 43 sign (``0`` credit, ``1`` debit),
  44–58 balance (15 digits, 3 decimals), 59–64 date, 65–90 holder, 91–125 description,
  126–128 CODA sequence.
- 2.1 movement: 3–6 sequence, 7–10 detail number, 11–31 bank reference, 32 sign, 33–47 amount,
  48–53 value date, 54–61 transaction code (54 = type: 0 simple, 1/2 global, 5/6 detail, 3 with
  details 8), 62 communication type (``1`` structured), 63–115 communication (structured: 63–65
  the type, 101, and 66–77 the 12 digits), 116–121 entry date, 122–124 statement number,
  125 globalisation code, 126 next code (``1``: a 2.2/2.3 follows), 128 link code.
- 2.2: 11–63 communication (continued), 64–98 customer reference, 99–109 counterparty BIC,
  126 next code. 2.3: 11–47 counterparty account, 48–82 counterparty name, 83–125 communication
  (continued), 126 next code ``0``.
- 8 new balance: 2–4 statement number, 5–41 account and currency (as 6–42 of record 1), 42 sign,
  43–57 balance, 58–63 date.
- 9 trailer: 17–22 number of records 1, 2.x, 3.x and 8, 23–37 total debits, 38–52 total credits
  (of the movements, not of their details), 128 ``2`` (last file) or ``1`` (another follows).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from lxml import etree
from stdnum.be import ogm_vcs

CAMT_NS = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"
D = Decimal


@dataclass
class Mv:
    """One movement to write. ``details`` make it a global movement (CODA type 1 with type-5
    details; camt: one entry with several transactions)."""

    amount: Decimal
    structured: str | None = None  # "+++202/7000/00122+++" or the 12 digits
    communication: str = ""
    name: str = ""
    iban: str = ""
    booking: date | None = None
    value: date | None = None
    reference: str = ""  # bank reference (CODA 11–31; camt AcctSvcrRef); generated when empty
    details: list["Mv"] = field(default_factory=list)


@dataclass
class Stmt:
    account: str  # IBAN
    number: int
    day: date
    old_balance: Decimal
    movements: list[Mv]
    holder: str = "Bijstand Software BV"
    new_balance: Decimal | None = None  # None: old balance + the movements (a statement that adds up)
    previous_day: date | None = None


# --- CODA ----------------------------------------------------------------------------------------


def _put(line: list[str], start: int, text: str) -> None:
    """Write ``text`` at 1-based position ``start`` of a 128-character record."""
    for offset, char in enumerate(text):
        line[start - 1 + offset] = char


def _record(*parts: tuple[int, str]) -> str:
    line = [" "] * 128
    for start, text in parts:
        _put(line, start, text)
    record = "".join(line)
    assert len(record) == 128, record
    return record


def _amount15(value: Decimal) -> str:
    return f"{int((abs(value) * 1000).to_integral_value()):015d}"


def _sign(value: Decimal) -> str:
    return "1" if value < 0 else "0"


def _ddmmyy(day: date) -> str:
    return day.strftime("%d%m%y")


def _account37(iban: str) -> str:
    field_ = [" "] * 37
    for i, c in enumerate(iban[:34]):
        field_[i] = c
    field_[34:37] = list("EUR")
    return "".join(field_)


def coda_records(statement: Stmt, *, created: date | None = None, bank_id: str = "539",
                 last_file: bool = True, trailer_count: int | None = None) -> list[str]:
    """The records (0 … 9) of one statement (at most 9,999 movements: record 2.1 numbers them in
    positions 3–6)."""
    if len(statement.movements) > 9_999:
        raise ValueError(f"a CODA statement holds at most 9,999 movements, not {len(statement.movements):,}: "
                         "split them over several statements")
    created = created or statement.day
    previous = statement.previous_day or statement.day
    structure = "2" if statement.account.startswith("BE") else "3"
    number = f"{statement.number:03d}"
    account = _account37(statement.account)
    out = [_record((1, "00000"), (6, _ddmmyy(created)), (12, bank_id[:3].rjust(3, "0")), (15, "05"),
                   (25, f"{statement.number:010d}"), (35, statement.holder[:26]), (61, "GKCCBEBB"),
                   (72, "00123456749"), (84, "00000"), (128, "2")),
           _record((1, "1"), (2, structure), (3, number), (6, account), (43, _sign(statement.old_balance)),
                   (44, _amount15(statement.old_balance)), (59, _ddmmyy(previous)), (65, statement.holder[:26]),
                   (91, "Zichtrekening"), (126, number))]
    credit = debit = D("0")
    seq = 0
    for mv in statement.movements:
        seq += 1
        if mv.details:
            out += _coda_movement(mv, seq, 0, "1", number, statement.day)
            for n, detail in enumerate(mv.details, start=1):
                out += _coda_movement(detail, seq, n, "5", number, statement.day)
        else:
            out += _coda_movement(mv, seq, 0, "0", number, statement.day)
        if mv.amount < 0:
            debit -= mv.amount
        else:
            credit += mv.amount
    new = statement.new_balance if statement.new_balance is not None else statement.old_balance + credit - debit
    out.append(_record((1, "8"), (2, number), (5, account), (42, _sign(new)), (43, _amount15(new)),
                       (58, _ddmmyy(statement.day)), (128, "0")))
    count = len(out) - 1  # records 1 … 8
    out.append(_record((1, "9"), (17, f"{trailer_count if trailer_count is not None else count:06d}"),
                       (23, _amount15(debit)), (38, _amount15(credit)), (128, "2" if last_file else "1")))
    return out


def _coda_movement(mv: Mv, seq: int, detail: int, kind: str, number: str, day: date) -> list[str]:
    code = f"{kind}0150000" if mv.amount >= 0 else f"{kind}0101000"
    reference = (mv.reference or f"REF{seq:05d}{detail:04d}")[:21]
    if mv.structured:
        digits = ogm_vcs.compact(mv.structured)
        comm_type, comm = "1", "101" + digits
    else:
        comm_type, comm = "0", mv.communication
    parts21, rest = comm[:53], comm[53:]
    parts22, rest = rest[:53], rest[53:]
    parts23 = rest[:43]
    need22 = bool(parts22)
    need23 = bool(parts23 or mv.name or mv.iban)
    head = (3, f"{seq:04d}"), (7, f"{detail:04d}")
    records = [_record((1, "21"), *head, (11, reference), (32, _sign(mv.amount)), (33, _amount15(mv.amount)),
                       (48, _ddmmyy(mv.value or mv.booking or day)), (54, code), (62, comm_type),
                       (63, parts21), (116, _ddmmyy(mv.booking or day)), (122, number), (125, "0"),
                       (126, "1" if need22 or need23 else "0"), (128, "0"))]
    if need22:
        records.append(_record((1, "22"), *head, (11, parts22), (126, "1" if need23 else "0"), (128, "0")))
    if need23:
        records.append(_record((1, "23"), *head, (11, mv.iban[:34]), (48, mv.name[:35]), (83, parts23),
                               (126, "0"), (128, "0")))
    return records


def coda_file(statements: list[Stmt], *, encoding: str = "cp1252", newline: str = "\r\n",
              trailer_count: int | None = None) -> bytes:
    """A CODA file of one or more statements (each from record 0 to record 9)."""
    records: list[str] = []
    for n, statement in enumerate(statements):
        records += coda_records(statement, last_file=n == len(statements) - 1, trailer_count=trailer_count)
    return (newline.join(records) + newline).encode(encoding)


# --- camt.053.001.02 -----------------------------------------------------------------------------


def _e(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{CAMT_NS}}}{tag}", **attrs)
    if text is not None:
        element.text = text
    return element


def _amt(value: Decimal) -> str:
    return f"{abs(value):.2f}"


def _balance(stmt_el: etree._Element, code: str, amount: Decimal, day: date) -> None:
    bal = _e(stmt_el, "Bal")
    _e(_e(_e(bal, "Tp"), "CdOrPrtry"), "Cd", code)
    _e(bal, "Amt", _amt(amount), Ccy="EUR")
    _e(bal, "CdtDbtInd", "DBIT" if amount < 0 else "CRDT")
    _e(_e(bal, "Dt"), "Dt", day.isoformat())


def _party(tx: etree._Element, mv: Mv) -> None:
    if not (mv.name or mv.iban):
        return
    parties = _e(tx, "RltdPties")
    role, account = ("Dbtr", "DbtrAcct") if mv.amount >= 0 else ("Cdtr", "CdtrAcct")
    if mv.name:
        _e(_e(parties, role), "Nm", mv.name)
    if mv.iban:
        _e(_e(_e(parties, account), "Id"), "IBAN", mv.iban)


def _tx_details(parent: etree._Element, mv: Mv, reference: str, with_amount: bool) -> None:
    tx = _e(parent, "TxDtls")
    _e(_e(tx, "Refs"), "EndToEndId", reference)
    if with_amount:
        _e(_e(_e(tx, "AmtDtls"), "TxAmt"), "Amt", _amt(mv.amount), Ccy="EUR")
    _party(tx, mv)
    if mv.structured or mv.communication:
        rmt = _e(tx, "RmtInf")
        if mv.communication:
            _e(rmt, "Ustrd", mv.communication[:140])
        if mv.structured:
            ref_info = _e(_e(rmt, "Strd"), "CdtrRefInf")
            tp = _e(ref_info, "Tp")
            _e(_e(tp, "CdOrPrtry"), "Cd", "SCOR")
            _e(tp, "Issr", "BBA")
            _e(ref_info, "Ref", ogm_vcs.compact(mv.structured))


def camt_document(statements: list[Stmt], *, message_id: str = "MSG-1",
                  created: datetime | None = None, summary: bool = True,
                  summary_count: int | None = None) -> etree._Element:
    """A camt.053.001.02 Document element with the given statements."""
    document = etree.Element(f"{{{CAMT_NS}}}Document", nsmap={None: CAMT_NS})
    body = _e(document, "BkToCstmrStmt")
    header = _e(body, "GrpHdr")
    _e(header, "MsgId", message_id)
    created = created or datetime.combine(statements[0].day, datetime.min.time())
    _e(header, "CreDtTm", created.isoformat(timespec="seconds"))
    for statement in statements:
        stmt = _e(body, "Stmt")
        _e(stmt, "Id", f"{statement.account}-{statement.day.year}-{statement.number:03d}")
        _e(stmt, "ElctrncSeqNb", str(statement.number))
        _e(stmt, "CreDtTm", created.isoformat(timespec="seconds"))
        acct = _e(stmt, "Acct")
        _e(_e(acct, "Id"), "IBAN", statement.account)
        _e(acct, "Ccy", "EUR")
        total = sum((mv.amount for mv in statement.movements), D("0"))
        new = statement.new_balance if statement.new_balance is not None else statement.old_balance + total
        _balance(stmt, "OPBD", statement.old_balance, statement.previous_day or statement.day)
        _balance(stmt, "CLBD", new, statement.day)
        if summary:
            credits = [mv.amount for mv in statement.movements if mv.amount >= 0]
            debits = [-mv.amount for mv in statement.movements if mv.amount < 0]
            summ = _e(stmt, "TxsSummry")
            ttl = _e(summ, "TtlNtries")
            _e(ttl, "NbOfNtries", str(summary_count if summary_count is not None else len(statement.movements)))
            _e(ttl, "Sum", _amt(sum(credits, D("0")) + sum(debits, D("0"))))
            _e(ttl, "TtlNetNtryAmt", _amt(total))
            _e(ttl, "CdtDbtInd", "DBIT" if total < 0 else "CRDT")
            for tag, values in (("TtlCdtNtries", credits), ("TtlDbtNtries", debits)):
                part = _e(summ, tag)
                _e(part, "NbOfNtries", str(len(values)))
                _e(part, "Sum", _amt(sum(values, D("0"))))
        for n, mv in enumerate(statement.movements, start=1):
            entry = _e(stmt, "Ntry")
            reference = mv.reference or f"{statement.day:%Y%m%d}{statement.number:03d}{n:05d}"
            _e(entry, "NtryRef", f"{n}")
            _e(entry, "Amt", _amt(mv.amount), Ccy="EUR")
            _e(entry, "CdtDbtInd", "DBIT" if mv.amount < 0 else "CRDT")
            _e(entry, "Sts", "BOOK")
            _e(_e(entry, "BookgDt"), "Dt", (mv.booking or statement.day).isoformat())
            _e(_e(entry, "ValDt"), "Dt", (mv.value or mv.booking or statement.day).isoformat())
            _e(entry, "AcctSvcrRef", reference)
            family = _e(_e(_e(entry, "BkTxCd"), "Domn"), "Cd", "PMNT").getparent()
            fmly = _e(family, "Fmly")
            _e(fmly, "Cd", "RCDT" if mv.amount >= 0 else "ICDT")
            _e(fmly, "SubFmlyCd", "ESCT")
            details = _e(entry, "NtryDtls")
            if mv.details:
                batch = _e(details, "Btch")
                _e(batch, "NbOfTxs", str(len(mv.details)))
                for k, detail in enumerate(mv.details, start=1):
                    _tx_details(details, detail, f"{reference}-{k}", with_amount=True)
            else:
                _tx_details(details, mv, reference, with_amount=False)
    return document


def camt_file(statements: list[Stmt], **options) -> bytes:
    return etree.tostring(camt_document(statements, **options), xml_declaration=True, encoding="UTF-8",
                          pretty_print=True)
