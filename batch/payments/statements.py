"""Bank statements: CODA 2.x and ISO 20022 camt.053 files → frozen statements and movements
(SPEC §12 P1), with every problem located in the file. The one module of §12 that does I/O.

:func:`read_statement_file` never raises on bad input. A file either gives all its statements or,
when anything in it does not add up, none: a wrong record count, trailer total or balance
(old balance + movements ≠ new balance) refuses the WHOLE file with a problem naming the file and
the record line (CODA) or the statement (camt).

Identity of a movement (P1), the :attr:`Movement.key`:

- CODA: ``coda:<account>:<year>/<statement number>:<sequence>``. The statement number of record 1
  (positions 3–5) restarts every year, so the year of the statement's new-balance date goes with
  it. A detail of a global movement carries ``<sequence>/<detail number>``.
- camt.053: ``camt:<account>:<entry reference>``, the entry's ``AcctSvcrRef`` (the bank's own,
  unique reference) or, when the bank gives none, its ``NtryRef``; an entry with several
  transactions adds ``/<n>``. An entry with neither reference falls back to
  ``<statement Id>#<entry position>`` with a warning.

Global movements (CODA transaction types 1 and 2; camt entries with several ``TxDtls``) count
once: by their details when the details add up to the global amount (each detail is then one
customer's payment with its own reference), else as the global alone. Details of a simple amount
(CODA types 3 → 8: principal and charges of one transfer) are never counted.

Libraries: febelfin-coda (``coda``, Tryton) parses CODA records; we check the record order,
record count, trailer totals and balances ourselves first, with line numbers, because the library
does so with bare ``assert`` statements (no location, skipped under ``python -O``). pycamt parses
camt.053 with a hardened XML parser (no entities, no network), detects the version and reads each
transaction's parties, amount and remittance text; lxml (which pycamt is built on) gives what
pycamt lacks or gets wrong: statement identity and sequence numbers, balances as exact Decimals
(pycamt turns debit balances into floats), the entries' own amounts, dates, status and references
(pycamt searches descendants, so an entry without its own ``AcctSvcrRef`` would get a
transaction's), the transaction summary, and whether the remittance is structured.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

import coda
from lxml import etree
from pycamt.parser import Camt053Parser
from stdnum import iban as std_iban
from stdnum.exceptions import ValidationError
from stdnum.be import ogm_vcs

from batch.money import CENT, ZERO
from batch.problems import ERROR, WARNING, Problem

CODA = "coda"
CAMT053 = "camt053"
FORMATS = (CODA, CAMT053)

RECORD_LENGTH = 128

# febelfin-coda 0.5.0 calls ``parent.append(move)`` for a CODA type-9 detail (a detail of a
# type-7 detail), a method its Move class lacks, so any file with such a record would fail with
# AttributeError. Give Move that one method, the way the library's own code means it.
if not hasattr(coda.Move, "append"):
    def _append_detail(self: coda.Move, move: coda.Move) -> None:
        self.moves.append(move)

    coda.Move.append = _append_detail  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Movement:
    """One movement on a bank account, as the bank booked it. Credits are positive, debits
    negative."""

    key: str  # identity across imports (see the module docstring)
    account_iban: str
    statement: str  # "2027/001" (CODA) or the camt statement's sequence number / Id
    sequence: str  # "0003", "0003/0001" (CODA detail), camt entry reference
    booking_date: date | None
    value_date: date | None
    amount: Decimal  # + credit, - debit
    counterparty_name: str
    counterparty_iban: str  # compact IBAN, or the account number as given, or ""
    structured_reference: str | None  # the 12 digits of a valid Belgian OGM/VCS, else None
    communication: str  # free text (whitespace runs made one), or ""
    location: str  # "bank/x.cod:17" or "bank/x.xml:/Document/BkToCstmrStmt/Stmt[1]/Ntry[3]"

    @property
    def is_credit(self) -> bool:
        return self.amount > 0


@dataclass(frozen=True)
class Statement:
    """One account statement: balances and the movements between them."""

    account_iban: str
    number: str
    date: date | None  # the date of the new (closing) balance
    old_balance: Decimal
    new_balance: Decimal
    movements: tuple[Movement, ...]
    file: str
    format: str  # CODA | CAMT053


@dataclass(frozen=True)
class StatementFile:
    """What one file gave: its hash (to recognise the same file again), format, statements and
    problems. A refused file has no statements and at least one fatal problem."""

    file: str
    sha256: str
    format: str | None  # CODA | CAMT053 | None when not recognised
    statements: tuple[Statement, ...] = ()
    problems: tuple[Problem, ...] = ()

    @property
    def refused(self) -> bool:
        return any(p.fatal for p in self.problems)

    @property
    def movements(self) -> tuple[Movement, ...]:
        return tuple(m for s in self.statements for m in s.movements)


def read_statement_file(path: Path, workspace: Path | None = None) -> StatementFile:
    """Read one CODA or camt.053 file. Never raises on bad input: what is wrong comes back as
    problems, and a file with a fatal problem gives no statements at all."""
    path = Path(path)
    shown = _shown(path, workspace)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return StatementFile(shown, "", None, problems=(_fatal(
            shown, f"the file cannot be read ({exc.strerror or exc})",
            "check that it exists and is not open in another program", "statement.unreadable"),))
    digest = hashlib.sha256(data).hexdigest()
    kind = sniff(data)
    if kind is None:
        return StatementFile(shown, digest, None, problems=(_fatal(
            shown, "this is neither a CODA file (128-character records starting with record 0) nor "
            "a camt.053 XML statement", "download the statement from the bank again as CODA or as "
            "camt.053 (XML), or move the file out of the bank folder", "statement.format"),))
    try:
        if kind == CODA:
            statements, problems = _read_coda(data, shown)
        else:
            statements, problems = _read_camt(data, shown)
    except Exception as exc:  # a reader bug must not hide the file's other problems as a traceback
        statements, problems = [], [_fatal(shown, f"the file could not be read ({type(exc).__name__}: "
                                           f"{exc})", "send the file to support", "statement.internal")]
    if any(p.fatal for p in problems):
        statements = []
    return StatementFile(shown, digest, kind, tuple(statements), tuple(problems))


def sniff(data: bytes) -> str | None:
    """The format of a file by its content: ``coda``, ``camt053`` or None.

    >>> sniff(b"0000001012..."), sniff(b'\\xef\\xbb\\xbf<?xml version="1.0"?><Document/>'), sniff(b"PK")
    ('coda', 'camt053', None)
    """
    head = data[:512].lstrip(b"\xef\xbb\xbf").lstrip()
    if head.startswith(b"<"):
        return CAMT053
    if head[:1] == b"0" and head[1:5] == b"0000":
        return CODA
    return None


# --- CODA ----------------------------------------------------------------------------------------


@dataclass
class _CodaCheck:
    """The running figures of one statement while checking a CODA file's records."""

    first_line: int
    number: str = ""
    records: int = 0  # records 1, 2.x, 3.x and 8, as record 9 counts them
    credit: Decimal = ZERO
    debit: Decimal = ZERO
    old_balance: Decimal | None = None
    new_balance: Decimal | None = None
    lines: dict[tuple[str, str], int] = field(default_factory=dict)  # (sequence, detail) → line


def _decode(data: bytes) -> str:
    """CODA text: UTF-8 when the bytes are valid UTF-8 (a few banks and tools write it), else
    Windows-1252, the standard's code page. Plain ASCII reads the same either way."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _coda_amount(sign: str, digits: str) -> Decimal:
    """Sign ``0`` (credit) or ``1`` (debit) and 15 digits with 3 decimals.

    >>> _coda_amount("1", "000000001210000")
    Decimal('-1210.00')
    """
    if sign not in "01" or len(digits) != 15 or not digits.isdigit():
        raise ValueError(f"{sign}{digits}")
    value = _money(Decimal(digits) / 1000)
    return -value if sign == "1" else value


def _money(value: Decimal) -> Decimal:
    """An amount with cents when it has no more (all EUR amounts), else as it is."""
    quantized = value.quantize(CENT)
    return quantized if quantized == value else value


def _read_coda(data: bytes, shown: str) -> tuple[list[Statement], list[Problem]]:
    lines = _decode(data).splitlines()
    problems: list[Problem] = []
    records: list[str] = []  # padded to 128 characters; index = line number - 1
    for number, raw in enumerate(lines, start=1):
        text = raw.rstrip("\r\n")
        if len(text) > RECORD_LENGTH:
            problems.append(_fatal(shown, f"line {number}: a CODA record has {RECORD_LENGTH} characters, "
                            f"this one {len(text)}", "download the CODA file again from the bank; do not "
                            "open and save it in a text editor", "coda.record_length", row=number))
        records.append(text.ljust(RECORD_LENGTH))
    while records and not records[-1].strip():
        records.pop()
    if problems:
        return [], problems
    checks = _check_coda(records, shown, problems)
    if problems and any(p.fatal for p in problems):
        return [], problems

    position = _Position()
    try:
        parsed = coda.CODA(_tracked(records, position))
    except Exception as exc:  # the library reports bad records with assert/ValueError/KeyError
        detail = f" ({exc})" if str(exc) else ""
        record = records[position.line - 1][:2] if position.line else ""
        problems.append(_fatal(
            shown, f"line {position.line} (record {_record_name(record)}): the CODA reader could not read "
            f"this record{detail}", "download the CODA file again from the bank", "coda.record",
            row=position.line or None))
        return [], problems
    if len(parsed.statements) != len(checks):
        problems.append(_fatal(shown, f"the CODA reader found {len(parsed.statements)} statements, the "
                               f"records {len(checks)}", "send the file to support", "coda.statements"))
        return [], problems

    statements = [_coda_statement(st, check, shown, problems) for st, check in zip(parsed.statements, checks)]
    _refuse_duplicate_keys(statements, shown, problems)
    return statements, problems


class _Position:
    line = 0


def _tracked(records: list[str], position: _Position) -> Iterator[str]:
    """The records one by one, remembering the line number of the one being parsed."""
    for number, record in enumerate(records, start=1):
        position.line = number
        yield record


def _record_name(record: str) -> str:
    return f"{record[0]}.{record[1]}" if record[:1] in ("2", "3") else record[:1]


def _check_coda(records: list[str], shown: str, problems: list[Problem]) -> list[_CodaCheck]:
    """Record order, record count, trailer totals and balances of every statement, with the line
    that is wrong; also the line of every movement record for the movements' locations."""
    checks: list[_CodaCheck] = []
    current: _CodaCheck | None = None
    state = "header"  # header → old → body → trailer (after record 8)

    def fail(line: int, message: str, fix: str, code: str) -> None:
        problems.append(_fatal(shown, f"line {line}: {message}", fix, code, row=line))

    again = "download the CODA file again from the bank"
    for number, rec in enumerate(records, start=1):
        kind = rec[0]
        name = _record_name(rec)
        try:
            if kind == "0":
                if state not in ("header",):
                    fail(number, "a new statement (record 0) starts before the previous one ended with "
                         "record 9", again, "coda.order")
                    return checks
                if rec[127] != "2":
                    fail(number, f"CODA version {rec[127]!r} is not supported, only version 2",
                         "ask the bank for CODA version 2 (the standard since 2008)", "coda.version")
                    return checks
                current = _CodaCheck(first_line=number)
                state = "old"
            elif kind == "1":
                if state != "old" or current is None:
                    fail(number, "record 1 (old balance) out of place", again, "coda.order")
                    return checks
                current.old_balance = _coda_amount(rec[42], rec[43:58])
                current.number = rec[2:5]
                current.records += 1
                state = "body"
            elif kind in ("2", "3"):
                if state != "body" or current is None or rec[1] not in "123":
                    fail(number, f"record {name} out of place", again, "coda.order")
                    return checks
                current.records += 1
                if kind == "2" and rec[1] == "1":
                    amount = _coda_amount(rec[31], rec[32:47])
                    current.lines[(rec[2:6], rec[6:10])] = number
                    if rec[53] in "0123":  # a movement of its own, not a detail: counts in the totals
                        if amount >= 0:
                            current.credit += amount
                        else:
                            current.debit -= amount
            elif kind == "4":
                if state not in ("body", "trailer"):
                    fail(number, "record 4 (free communication) out of place", again, "coda.order")
                    return checks
            elif kind == "8":
                if state != "body" or current is None:
                    fail(number, "record 8 (new balance) out of place", again, "coda.order")
                    return checks
                current.new_balance = _coda_amount(rec[41], rec[42:57])
                current.records += 1
                state = "trailer"
            elif kind == "9":
                if state not in ("body", "trailer") or current is None:
                    fail(number, "record 9 (trailer) out of place", again, "coda.order")
                    return checks
                _check_trailer(rec, number, current, shown, problems)
                checks.append(current)
                current, state = None, "header"
            else:
                fail(number, f"unknown record type {kind!r}", again, "coda.record_type")
                return checks
        except ValueError:
            fail(number, f"record {name} holds an amount that is not a number", again, "coda.amount")
            return checks
    if current is not None or not checks:
        where = len(records) or 1
        fail(where, "the file ends before the statement's trailer (record 9)" if current is not None
             else "the file holds no statement", "the download was cut off: " + again, "coda.truncated")
    return checks


def _check_trailer(rec: str, number: int, check: _CodaCheck, shown: str, problems: list[Problem]) -> None:
    statement = f"statement {check.number} (lines {check.first_line}–{number})"
    fix = "the file is damaged or was edited: download the CODA file again from the bank"
    counted = rec[16:22]
    if not counted.isdigit() or int(counted) != check.records:
        problems.append(_fatal(shown, f"line {number} (record 9): {statement} has {check.records} records, "
                               f"the trailer says {counted.strip() or 'nothing'}", fix, "coda.record_count",
                               row=number, value=counted))
    debit = _coda_amount("0", rec[22:37])
    credit = _coda_amount("0", rec[37:52])
    if debit != check.debit or credit != check.credit:
        problems.append(_fatal(shown, f"line {number} (record 9): {statement} has debits {check.debit} and "
                               f"credits {check.credit}, the trailer says debits {debit} and credits {credit}",
                               fix, "coda.trailer_totals", row=number))
    old = check.old_balance or ZERO
    new = check.new_balance if check.new_balance is not None else old
    if old + check.credit - check.debit != new:
        problems.append(_fatal(shown, f"line {number} (record 9): {statement} does not add up: old balance "
                               f"{old} + credits {check.credit} − debits {check.debit} = "
                               f"{old + check.credit - check.debit}, but the new balance is {new}", fix,
                               "statement.balance", row=number))


def _coda_statement(st: coda.Statement, check: _CodaCheck, shown: str, problems: list[Problem]) -> Statement:
    account = _account(st.account)
    when = st.new_balance_date or st.old_balance_date
    number = f"{when.year}/{st.old_sequence}" if when else st.old_sequence
    movements: list[Movement] = []
    for move in st.moves:
        details = [d for d in move.moves if d.transaction_type in ("5", "6", "7")]
        if move.transaction_type in ("1", "2") and details and sum(d.amount for d in details) == move.amount:
            chosen = details  # a global and its details: count the details, each once
        else:
            chosen = [move]
        for m in chosen:
            movements.append(_coda_movement(m, account, number, check, shown, problems))
    return Statement(account, number, when, _money(st.old_balance), _money(st.new_balance), tuple(movements),
                     shown, CODA)


def _coda_movement(m: coda.Move, account: str, number: str, check: _CodaCheck, shown: str,
                   problems: list[Problem]) -> Movement:
    sequence = m.sequence if m.detail_sequence == "0000" else f"{m.sequence}/{m.detail_sequence}"
    line = check.lines.get((m.sequence, m.detail_sequence), check.first_line)
    reference, text = None, ""
    kind = m.communication_type
    if kind in ("101", "102"):
        digits = m.communication or ""
        if ogm_vcs.is_valid(digits):
            reference = ogm_vcs.compact(digits)
        else:
            text = digits
            problems.append(Problem(WARNING, f"line {line}: the structured reference {digits!r} fails its check "
                                    "digits; it is treated as free text", "", file=shown, row=line,
                                    value=digits, code="coda.structured_invalid"))
    elif kind is None:
        text = m.communication or ""
    else:  # another structured communication (e.g. 127, SEPA direct debit): keep its text
        try:
            text = m.communication or ""
        except (IndexError, TypeError):
            text = ""
    return Movement(
        key=f"coda:{account}:{number}:{sequence}", account_iban=account, statement=number, sequence=sequence,
        booking_date=m.entry_date, value_date=m.value_date, amount=_money(m.amount),
        counterparty_name=" ".join((m.counterparty_name or "").split()),
        counterparty_iban=_account((m.counterparty_account or "").split()[0] if (m.counterparty_account or "").split()
                                   else ""),
        structured_reference=reference, communication=" ".join(text.split()), location=f"{shown}:{line}")


# --- camt.053 ------------------------------------------------------------------------------------


def _read_camt(data: bytes, shown: str) -> tuple[list[Statement], list[Problem]]:
    problems: list[Problem] = []
    try:
        parser = Camt053Parser(data)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or None
        return [], [_fatal(shown, f"line {line}: not well-formed XML ({exc.msg})", "download the statement "
                           "from the bank again", "camt.xml", row=line)]
    root = parser.tree
    namespace = etree.QName(root).namespace or ""
    if not parser.version.startswith("camt.053") or etree.QName(root).localname != "Document":
        return [], [_fatal(shown, f"this XML is not a camt.053 bank statement (root element {root.tag})",
                           "download the account statement as camt.053 (not camt.052 or camt.054)",
                           "camt.kind")]
    ns = {"c": namespace} if namespace else {}
    q = (lambda path: "/".join(f"c:{p}" for p in path.split("/"))) if namespace else (lambda path: path)
    stmts = root.findall(q("BkToCstmrStmt/Stmt"), ns)
    if not stmts:
        return [], [_fatal(shown, "the camt.053 file holds no statement (Stmt)", "download the statement "
                           "from the bank again", "camt.empty")]
    statements: list[Statement] = []
    for s_index, stmt in enumerate(stmts, start=1):
        where = f"/Document/BkToCstmrStmt/Stmt[{s_index}]"
        statement = _camt_statement(parser, stmt, where, shown, q, ns, problems)
        if statement is not None:
            statements.append(statement)
    _refuse_duplicate_keys(statements, shown, problems)
    return statements, problems


def _text(element: etree._Element | None, path: str, q, ns) -> str:
    if element is None:
        return ""
    found = element.find(q(path), ns)
    return (found.text or "").strip() if found is not None else ""


def _camt_amount(text: str) -> Decimal:
    value = Decimal(text)
    if not value.is_finite() or value < 0:
        raise InvalidOperation(text)
    return _money(value)


def _transactions(parser: Camt053Parser, details: list, q, ns) -> list[dict]:
    """pycamt's reading of each transaction (parties, remittance, amount), with the transaction's
    own credit/debit indicator when it has one.

    pycamt's public ``get_transactions()`` looks the statement's IBAN up again for every entry with
    a descendant search over the whole statement, which makes a statement of n entries cost n²;
    its per-transaction reader (``_extract_transaction_details``, pycamt 1.1) is used instead."""
    out = []
    for detail in details:
        tx = parser._extract_transaction_details(detail)
        indicator = detail.find(q("CdtDbtInd"), ns)
        if indicator is not None and indicator.text:
            tx["CreditDebitIndicator"] = indicator.text.strip()
        out.append(tx)
    return out


def _camt_statement(parser: Camt053Parser, stmt, where: str, shown: str, q, ns,
                    problems: list[Problem]) -> Statement | None:
    stmt_id = _text(stmt, "Id", q, ns)
    number = _text(stmt, "ElctrncSeqNb", q, ns) or _text(stmt, "LglSeqNb", q, ns) or stmt_id
    label = f"statement {number or stmt_id or '?'} ({where})"
    fix = "the file is damaged or was edited: download the statement from the bank again"
    account = _account(_text(stmt, "Acct/Id/IBAN", q, ns) or _text(stmt, "Acct/Id/Othr/Id", q, ns))
    if not account:
        problems.append(_fatal(shown, f"{label} names no account (Acct/Id)", fix, "camt.account"))
        return None

    balances: dict[str, tuple[Decimal, date | None]] = {}
    for bal in stmt.findall(q("Bal"), ns):
        code = _text(bal, "Tp/CdOrPrtry/Cd", q, ns) or _text(bal, "Tp/CdOrPrtry/Prtry", q, ns)
        try:
            amount = _camt_amount(_text(bal, "Amt", q, ns))
        except (InvalidOperation, ValueError):
            problems.append(_fatal(shown, f"{label}: balance {code} has no valid amount", fix, "camt.amount"))
            return None
        if _text(bal, "CdtDbtInd", q, ns) == "DBIT":
            amount = -amount
        day = _date(_text(bal, "Dt/Dt", q, ns) or _text(bal, "Dt/DtTm", q, ns)[:10])
        balances.setdefault(code, (amount, day))
    opening = balances.get("OPBD") or balances.get("PRCD")
    closing = balances.get("CLBD")
    if opening is None or closing is None:
        missing = " and ".join(name for name, value in (("opening balance (OPBD)", opening),
                                                        ("closing balance (CLBD)", closing)) if value is None)
        problems.append(_fatal(shown, f"{label} lacks its {missing}", fix, "camt.balances"))
        return None

    movements: list[Movement] = []
    booked_total = ZERO
    credit_count = debit_count = 0
    credit_sum = debit_sum = ZERO
    entries = stmt.findall(q("Ntry"), ns)
    for e_index, entry in enumerate(entries, start=1):
        e_where = f"{where}/Ntry[{e_index}]"
        status = _text(entry, "Sts", q, ns) or _text(entry, "Sts/Cd", q, ns)
        try:
            amount = _camt_amount(_text(entry, "Amt", q, ns))
        except (InvalidOperation, ValueError):
            problems.append(_fatal(shown, f"{e_where}: the entry has no valid amount", fix, "camt.amount"))
            return None
        indicator = _text(entry, "CdtDbtInd", q, ns)
        if indicator not in ("CRDT", "DBIT"):
            problems.append(_fatal(shown, f"{e_where}: credit or debit (CdtDbtInd) is missing", fix, "camt.amount"))
            return None
        signed = amount if indicator == "CRDT" else -amount
        if indicator == "CRDT":
            credit_count, credit_sum = credit_count + 1, credit_sum + amount
        else:
            debit_count, debit_sum = debit_count + 1, debit_sum + amount
        if status != "BOOK":
            problems.append(Problem(WARNING, f"{e_where}: entry with status {status or '?'} (not booked) is "
                                    "skipped", "", file=shown, code="camt.not_booked"))
            continue
        booked_total += signed
        reference = _text(entry, "AcctSvcrRef", q, ns) or _text(entry, "NtryRef", q, ns)
        if not reference:
            reference = f"{stmt_id}#{e_index}"
            problems.append(Problem(WARNING, f"{e_where}: the entry has no reference (AcctSvcrRef or NtryRef); "
                                    f"it is known as {reference}, which only recognises this same file "
                                    "again", "", file=shown, code="camt.no_reference"))
        details = entry.findall(q("NtryDtls/TxDtls"), ns)
        try:
            txs = _transactions(parser, details, q, ns)
        except Exception as exc:  # pycamt: a transaction it cannot read
            problems.append(_fatal(shown, f"{e_where}: the camt.053 reader could not read this entry "
                                   f"({exc or type(exc).__name__})", fix, "camt.structure"))
            return None
        movements.extend(_camt_movements(entry, details, txs, signed, account, number, reference, e_where,
                                         shown, q, ns, problems))

    if opening[0] + booked_total != closing[0]:
        problems.append(_fatal(shown, f"{label} does not add up: opening balance {opening[0]} + booked entries "
                               f"{booked_total} = {opening[0] + booked_total}, but the closing balance is "
                               f"{closing[0]}", fix, "statement.balance"))
        return None
    summary = stmt.find(q("TxsSummry"), ns)
    if summary is not None:
        for path, count, total in (("TtlNtries", len(entries), None), ("TtlCdtNtries", credit_count, credit_sum),
                                   ("TtlDbtNtries", debit_count, debit_sum)):
            said_count = _text(summary, f"{path}/NbOfNtries", q, ns)
            said_sum = _text(summary, f"{path}/Sum", q, ns)
            if said_count and said_count != str(count):
                problems.append(_fatal(shown, f"{label} has {count} entries in {path}, its summary (TxsSummry) "
                                       f"says {said_count}", fix, "camt.summary"))
                return None
            if said_sum and total is not None and _decimal(said_sum) != total:
                problems.append(_fatal(shown, f"{label}: the {path} add up to {total}, its summary (TxsSummry) "
                                       f"says {said_sum}", fix, "camt.summary"))
                return None
    return Statement(account, number, closing[1], opening[0], closing[0], tuple(movements), shown, CAMT053)


def _camt_movements(entry, details, txs, signed: Decimal, account: str, number: str, reference: str,
                    e_where: str, shown: str, q, ns, problems: list[Problem]) -> list[Movement]:
    """One movement per entry, or one per transaction of a batch entry when their amounts add up
    to the entry's."""
    booking = _date(_text(entry, "BookgDt/Dt", q, ns) or _text(entry, "BookgDt/DtTm", q, ns)[:10])
    value = _date(_text(entry, "ValDt/Dt", q, ns) or _text(entry, "ValDt/DtTm", q, ns)[:10])
    credit = signed > 0

    def movement(tx: dict, detail, amount: Decimal, key: str, where: str) -> Movement:
        name = tx.get("DebtorName") if credit else tx.get("CreditorName")
        iban = tx.get("DebtorIBAN") if credit else tx.get("CreditorIBAN")
        ref_text = _text(detail, "RmtInf/Strd/CdtrRefInf/Ref", q, ns) if detail is not None else ""
        free = tx.get("RemittanceInformationFull") or ""
        structured = None
        if ref_text:
            if ogm_vcs.is_valid(ref_text):
                structured = ogm_vcs.compact(ref_text)
            else:
                free = f"{ref_text} {free}".strip()
        if not free and detail is None:
            free = _text(entry, "AddtlNtryInf", q, ns)
        return Movement(
            key=f"camt:{account}:{key}", account_iban=account, statement=number, sequence=key,
            booking_date=booking, value_date=value, amount=amount,
            counterparty_name=" ".join((name or "").split()), counterparty_iban=_account(iban or ""),
            structured_reference=structured, communication=" ".join(free.split()), location=f"{shown}:{where}")

    if len(details) <= 1:
        return [movement(txs[0] if txs else {}, details[0] if details else None, signed, reference, e_where)]
    amounts: list[Decimal] = []
    for tx in txs:
        try:
            part = _camt_amount(tx.get("Amount") or "")
        except (InvalidOperation, ValueError):
            break
        amounts.append(part if tx.get("CreditDebitIndicator", "CRDT") == "CRDT" else -part)
    if len(amounts) == len(details) and sum(amounts) == signed:
        return [movement(tx, detail, part, f"{reference}/{n}", f"{e_where}/NtryDtls/TxDtls[{n}]")
                for n, (tx, detail, part) in enumerate(zip(txs, details, amounts), start=1)]
    problems.append(Problem(WARNING, f"{e_where}: the {len(details)} transactions of this batch entry do not "
                            "add up to its amount; the entry is taken as one movement", "", file=shown,
                            code="camt.batch"))
    merged = {"RemittanceInformationFull": " ".join(t.get("RemittanceInformationFull") or "" for t in txs)}
    return [movement(merged, None, signed, reference, e_where)]


# --- shared --------------------------------------------------------------------------------------


def _refuse_duplicate_keys(statements: list[Statement], shown: str, problems: list[Problem]) -> None:
    seen: dict[str, str] = {}
    for statement in statements:
        for m in statement.movements:
            if m.key in seen:
                problems.append(_fatal(shown, f"the movement {m.key} occurs twice in this file ({seen[m.key]} and "
                                       f"{m.location})", "download the statement from the bank again",
                                       "statement.duplicate"))
                return
            seen[m.key] = m.location


@lru_cache(maxsize=65536)
def _account(text: str) -> str:
    """A compact IBAN when the text is one (format and check digits; the country's own bank-code
    tables are not consulted, which would cost a millisecond per movement), else the account
    number as written; an all-zero account (a bank's "none") is "".

    >>> _account("BE68 5390 0754 7034"), _account("435000000080"), _account("000000000000")
    ('BE68539007547034', '435000000080', '')
    """
    text = text.strip()
    try:
        return std_iban.validate(text, check_country=False)
    except ValidationError:
        return "" if text and not text.strip("0") else text


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _shown(path: Path, workspace: Path | None) -> str:
    if workspace is not None:
        try:
            return path.resolve().relative_to(Path(workspace).resolve()).as_posix()
        except ValueError:
            pass
    return path.as_posix()


def _fatal(file: str, message: str, fix: str, code: str, row: int | None = None, value: str = "") -> Problem:
    return Problem(ERROR, message, fix, file=file, row=row, value=value, code=code, fatal=True)
