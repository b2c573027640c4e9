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
import itertools
import re
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
from batch.texts_payments import text

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


class _Say:
    """The problems of one file, in the bookkeeper's language (``TEXTS["statement.*"]`` of
    batch/texts_payments.py): every message and fix is a key and its values."""

    def __init__(self, shown: str, language: str):
        self.shown = shown
        self.language = language
        self.problems: list[Problem] = []

    def __call__(self, key: str, /, **values: object) -> str:
        return text(f"statement.{key}", self.language, **values)

    def fatal(self, key: str, fix: str, code: str, /, row: int | None = None, value: str = "", **values) -> None:
        self.problems.append(Problem(ERROR, self(key, **values), self(f"fix.{fix}"), file=self.shown, row=row,
                                     value=value, code=code, fatal=True))

    def warning(self, key: str, code: str, /, row: int | None = None, value: str = "", **values) -> None:
        self.problems.append(Problem(WARNING, self(key, **values), "", file=self.shown, row=row, value=value,
                                     code=code))

    @property
    def refused(self) -> bool:
        return any(p.fatal for p in self.problems)


CHUNK = 1 << 20  # camt.053 is parsed as it is read, a megabyte at a time


def read_statement_file(path: Path, workspace: Path | None = None, language: str = "nl") -> StatementFile:
    """Read one CODA or camt.053 file. Never raises on bad input: what is wrong comes back as
    problems (in ``language``: nl, fr or en), and a file with a fatal problem gives no statements
    at all. A camt.053 file is parsed while it is read (never held whole, nor its tree); its
    SHA-256 is of the same bytes."""
    path = Path(path)
    say = _Say(_shown(path, workspace), language)
    try:
        with open(path, "rb") as fh:
            head = fh.read(CHUNK)
            digest = hashlib.sha256(head)
            kind = sniff(head)
            statements: list[Statement] = []
            try:
                if kind == CODA:
                    rest = fh.read()
                    digest.update(rest)
                    statements = _read_coda(head + rest, say)
                elif kind == CAMT053:
                    statements = _read_camt(_chunks(fh, head, digest), say)
                else:
                    for chunk in iter(lambda: fh.read(CHUNK), b""):
                        digest.update(chunk)
                    say.fatal("format", "format", "statement.format")
            except OSError:
                raise
            except Exception as exc:  # a reader bug must not hide the file's other problems as a traceback
                say.problems.append(Problem(ERROR, say("internal", error=f"{type(exc).__name__}: {exc}"),
                                            say("fix.support"), file=say.shown, code="statement.internal",
                                            fatal=True))
    except OSError as exc:
        say.fatal("unreadable", "unreadable", "statement.unreadable", error=exc.strerror or exc)
        return StatementFile(say.shown, "", None, problems=tuple(say.problems))
    if say.refused:
        statements = []
    return StatementFile(say.shown, digest.hexdigest(), kind, tuple(statements), tuple(say.problems))


def _chunks(fh, head: bytes, digest) -> Iterator[bytes]:
    """The file's bytes a chunk at a time (the first one already read), hashed as they go."""
    yield head
    for chunk in iter(lambda: fh.read(CHUNK), b""):
        digest.update(chunk)
        yield chunk


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


def _read_coda(data: bytes, say: _Say) -> list[Statement]:
    lines = _decode(data).splitlines()
    records: list[str] = []  # padded to 128 characters; index = line number - 1
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r\n")
        if len(line) > RECORD_LENGTH:
            say.fatal("coda.record_length", "coda_editor", "coda.record_length", row=number, line=number,
                      expected=RECORD_LENGTH, length=len(line))
        records.append(line.ljust(RECORD_LENGTH))
    while records and not records[-1].strip():
        records.pop()
    if say.refused:
        return []
    checks = _check_coda(records, say)
    if say.refused:
        return []

    position = _Position()
    try:
        parsed = coda.CODA(_tracked(records, position))
    except Exception as exc:  # the library reports bad records with assert/ValueError/KeyError
        detail = f" ({exc})" if str(exc) else ""
        record = records[position.line - 1][:2] if position.line else ""
        say.fatal("coda.record", "coda_again", "coda.record", row=position.line or None, line=position.line,
                  record=_record_name(record), detail=detail)
        return []
    if len(parsed.statements) != len(checks):
        say.fatal("coda.statements", "support", "coda.statements", found=len(parsed.statements),
                  expected=len(checks))
        return []

    statements = [_coda_statement(st, check, say) for st, check in zip(parsed.statements, checks)]
    _refuse_duplicate_keys(statements, say)
    return statements


class _Position:
    line = 0


def _tracked(records: list[str], position: _Position) -> Iterator[str]:
    """The records one by one, remembering the line number of the one being parsed."""
    for number, record in enumerate(records, start=1):
        position.line = number
        yield record


def _record_name(record: str) -> str:
    return f"{record[0]}.{record[1]}" if record[:1] in ("2", "3") else record[:1]


def _check_coda(records: list[str], say: _Say) -> list[_CodaCheck]:
    """Record order, record count, trailer totals and balances of every statement, with the line
    that is wrong; also the line of every movement record for the movements' locations."""
    checks: list[_CodaCheck] = []
    current: _CodaCheck | None = None
    state = "header"  # header → old → body → trailer (after record 8)

    def out_of_place(line: int, record: str) -> None:
        say.fatal("coda.order", "coda_again", "coda.order", row=line, line=line, record=record)

    for number, rec in enumerate(records, start=1):
        kind = rec[0]
        name = _record_name(rec)
        try:
            if kind == "0":
                if state not in ("header",):
                    say.fatal("coda.new_before_end", "coda_again", "coda.order", row=number, line=number)
                    return checks
                if rec[127] != "2":
                    say.fatal("coda.version", "coda_version", "coda.version", row=number, line=number,
                              version=repr(rec[127]))
                    return checks
                current = _CodaCheck(first_line=number)
                state = "old"
            elif kind == "1":
                if state != "old" or current is None:
                    out_of_place(number, say("record.1"))
                    return checks
                current.old_balance = _coda_amount(rec[42], rec[43:58])
                current.number = rec[2:5]
                current.records += 1
                state = "body"
            elif kind in ("2", "3"):
                if state != "body" or current is None or rec[1] not in "123":
                    out_of_place(number, name)
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
                    out_of_place(number, say("record.4"))
                    return checks
            elif kind == "8":
                if state != "body" or current is None:
                    out_of_place(number, say("record.8"))
                    return checks
                current.new_balance = _coda_amount(rec[41], rec[42:57])
                current.records += 1
                state = "trailer"
            elif kind == "9":
                if state not in ("body", "trailer") or current is None:
                    out_of_place(number, say("record.9"))
                    return checks
                _check_trailer(rec, number, current, say)
                checks.append(current)
                current, state = None, "header"
            else:
                say.fatal("coda.record_type", "coda_again", "coda.record_type", row=number, line=number,
                          kind=repr(kind))
                return checks
        except ValueError:
            say.fatal("coda.amount", "coda_again", "coda.amount", row=number, line=number, record=name)
            return checks
    if current is not None or not checks:
        where = len(records) or 1
        say.fatal("coda.truncated" if current is not None else "coda.empty", "coda_cut", "coda.truncated",
                  row=where, line=where)
    return checks


def _check_trailer(rec: str, number: int, check: _CodaCheck, say: _Say) -> None:
    statement = say("coda.statement", number=check.number, first=check.first_line, last=number)
    counted = rec[16:22]
    if not counted.isdigit() or int(counted) != check.records:
        say.fatal("coda.record_count", "coda_damaged", "coda.record_count", row=number, value=counted,
                  line=number, statement=statement, records=check.records,
                  said=counted.strip() or say("coda.nothing"))
    debit = _coda_amount("0", rec[22:37])
    credit = _coda_amount("0", rec[37:52])
    if debit != check.debit or credit != check.credit:
        say.fatal("coda.trailer_totals", "coda_damaged", "coda.trailer_totals", row=number, line=number,
                  statement=statement, debit=check.debit, credit=check.credit, said_debit=debit, said_credit=credit)
    old = check.old_balance or ZERO
    new = check.new_balance if check.new_balance is not None else old
    if old + check.credit - check.debit != new:
        say.fatal("coda.balance", "coda_damaged", "statement.balance", row=number, line=number, statement=statement,
                  old=old, credit=check.credit, debit=check.debit, computed=old + check.credit - check.debit, new=new)


def _coda_statement(st: coda.Statement, check: _CodaCheck, say: _Say) -> Statement:
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
            movements.append(_coda_movement(m, account, number, check, say))
    return Statement(account, number, when, _money(st.old_balance), _money(st.new_balance), tuple(movements),
                     say.shown, CODA)


def _coda_movement(m: coda.Move, account: str, number: str, check: _CodaCheck, say: _Say) -> Movement:
    sequence = m.sequence if m.detail_sequence == "0000" else f"{m.sequence}/{m.detail_sequence}"
    line = check.lines.get((m.sequence, m.detail_sequence), check.first_line)
    reference, free = None, ""
    kind = m.communication_type
    if kind in ("101", "102"):
        digits = m.communication or ""
        reference = _ogm(digits)
        if reference is None:
            free = digits
            say.warning("coda.structured_invalid", "coda.structured_invalid", row=line, value=digits, line=line,
                        digits=repr(digits))
    elif kind is None:
        free = m.communication or ""
    else:  # another structured communication (e.g. 127, SEPA direct debit): keep its text
        try:
            free = m.communication or ""
        except (IndexError, TypeError):
            free = ""
    counterparty = (m.counterparty_account or "").split()
    return Movement(
        key=f"coda:{account}:{number}:{sequence}", account_iban=account, statement=number, sequence=sequence,
        booking_date=m.entry_date, value_date=m.value_date, amount=_money(m.amount),
        counterparty_name=" ".join((m.counterparty_name or "").split()),
        counterparty_iban=_account(counterparty[0] if counterparty else ""),
        structured_reference=reference, communication=" ".join(free.split()), location=f"{say.shown}:{line}")


# --- camt.053 ------------------------------------------------------------------------------------

_CAMT053 = re.compile(r"camt\.053\.001\.\d+")


@dataclass
class _CamtStatement:
    """A camt.053 statement while its entries stream by: its identity (read from the elements
    before the first entry, as the schema orders them) and running totals."""

    element: etree._Element
    index: int
    where: str
    failed: bool = False
    known: bool = False  # identity read
    account: str = ""
    number: str = ""
    stmt_id: str = ""
    label: str = ""
    entries: int = 0
    booked_total: Decimal = ZERO
    credit_count: int = 0
    debit_count: int = 0
    credit_sum: Decimal = ZERO
    debit_sum: Decimal = ZERO
    opening: tuple[Decimal, date | None] | None = None
    closing: tuple[Decimal, date | None] | None = None
    movements: list[Movement] = field(default_factory=list)


class _Camt:
    """Paths in the file's namespace and pycamt's per-transaction reader."""

    def __init__(self, namespace: str):
        self.ns = {"c": namespace} if namespace else {}
        self.namespace = namespace
        self._paths: dict[str, str] = {}
        # pycamt reads a transaction (TxDtls) on its own; its reader only needs the namespaces, so it
        # is made on an empty document of the same namespace instead of on the whole file
        empty = f'<Document xmlns="{namespace}"/>' if namespace else "<Document/>"
        self.pycamt = Camt053Parser(empty.encode())

    def q(self, path: str) -> str:
        found = self._paths.get(path)
        if found is None:
            found = "/".join(f"c:{p}" for p in path.split("/")) if self.namespace else path
            self._paths[path] = found
        return found

    def text(self, element: etree._Element | None, path: str) -> str:
        if element is None:
            return ""
        found = element.find(self.q(path), self.ns)
        return (found.text or "").strip() if found is not None else ""

    def local(self, element: etree._Element) -> str:
        return etree.QName(element).localname


def _root_tag(head: bytes) -> str | None:
    """The tag of the document's root element, from the file's first bytes (None: not found there;
    the parse itself then says what is wrong)."""
    for size in (1 << 16, len(head)):
        probe = etree.XMLPullParser(events=("start",), resolve_entities=False, no_network=True, load_dtd=False)
        try:
            probe.feed(head[:size])
            for _, element in probe.read_events():
                return element.tag
        except etree.XMLSyntaxError:
            return None
    return None


def _read_camt(chunks: Iterator[bytes], say: _Say) -> list[Statement]:
    """A camt.053 file parsed as it streams in: each entry (``Ntry``) is read when it ends and then
    dropped, each statement checked when it ends, so memory holds one entry, not the file."""
    head = b""
    for chunk in chunks:  # enough of the file to see its root element (the first megabyte)
        head += chunk
        if len(head) >= 1 << 20 or _root_tag(head) is not None:
            break
    root = _root_tag(head)
    if root is not None:
        qname = etree.QName(root)
        if qname.localname != "Document" or not _CAMT053.search(qname.namespace or ""):
            say.fatal("camt.kind", "camt_kind", "camt.kind", root=root)
            return []
    camt = _Camt(etree.QName(root).namespace or "") if root else None
    # only the ends of entries and statements come back to Python; lxml builds the rest
    parser = etree.XMLPullParser(events=("end",), tag=("{*}Ntry", "{*}Stmt"), resolve_entities=False,
                                 no_network=True, load_dtd=False, remove_comments=True, remove_pis=True)
    statements: list[Statement] = []
    current: _CamtStatement | None = None
    seen_stmts = 0

    def statement_of(stmt) -> _CamtStatement | None:
        """The running statement of a ``Stmt`` element (a new one at its first entry), or None when
        the element is not /Document/BkToCstmrStmt/Stmt."""
        nonlocal current, seen_stmts
        if current is not None and current.element is stmt:
            return current
        parent = stmt.getparent()
        if (etree.QName(stmt).namespace or "") != camt.namespace or parent is None \
                or camt.local(parent) != "BkToCstmrStmt" or parent.getparent() is None \
                or parent.getparent().getparent() is not None:
            return None
        seen_stmts += 1
        current = _CamtStatement(stmt, seen_stmts, f"/Document/BkToCstmrStmt/Stmt[{seen_stmts}]")
        return current

    try:
        for chunk in itertools.chain([head], chunks, [None]):  # (the rest of the file, then its end)
            if chunk is None:
                parser.close()
            else:
                parser.feed(chunk)
            if camt is None:
                continue
            for _, element in parser.read_events():
                if camt.local(element) == "Ntry":
                    parent = element.getparent()
                    st = statement_of(parent) if parent is not None and camt.local(parent) == "Stmt" else None
                    if st is None:
                        continue
                    st.entries += 1
                    if not st.failed:
                        _camt_entry(camt, st, element, say)
                    parent.remove(element)  # read: let it go
                else:
                    st = statement_of(element)
                    if st is None:
                        continue
                    if not st.failed:
                        statement = _camt_statement(camt, st, say)
                        if statement is not None:
                            statements.append(statement)
                    element.getparent().remove(element)
                    current = None
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or None
        say.fatal("camt.xml", "again", "camt.xml", row=line, line=line, error=exc.msg)
        return []
    if camt is None:
        say.fatal("camt.kind", "camt_kind", "camt.kind", root="?")
        return []
    if not seen_stmts:
        say.fatal("camt.empty", "again", "camt.empty")
        return []
    _refuse_duplicate_keys(statements, say)
    return statements


def _camt_amount(value: str) -> Decimal:
    amount = Decimal(value)
    if not amount.is_finite() or amount < 0:
        raise InvalidOperation(value)
    return _money(amount)


def _identify(camt: _Camt, st: _CamtStatement, say: _Say) -> bool:
    """The statement's account, number and balances, from the elements read so far (the schema puts
    them before the entries)."""
    if st.known:
        return not st.failed
    st.known = True
    stmt = st.element
    st.stmt_id = camt.text(stmt, "Id")
    st.number = camt.text(stmt, "ElctrncSeqNb") or camt.text(stmt, "LglSeqNb") or st.stmt_id
    st.label = say("camt.label", number=st.number or st.stmt_id or "?", where=st.where)
    st.account = _account(camt.text(stmt, "Acct/Id/IBAN") or camt.text(stmt, "Acct/Id/Othr/Id"))
    if not st.account:
        say.fatal("camt.account", "camt_damaged", "camt.account", label=st.label)
        st.failed = True
        return False
    balances: dict[str, tuple[Decimal, date | None]] = {}
    for bal in stmt.findall(camt.q("Bal"), camt.ns):
        code = camt.text(bal, "Tp/CdOrPrtry/Cd") or camt.text(bal, "Tp/CdOrPrtry/Prtry")
        try:
            amount = _camt_amount(camt.text(bal, "Amt"))
        except (InvalidOperation, ValueError):
            say.fatal("camt.balance_amount", "camt_damaged", "camt.amount", label=st.label, code=code)
            st.failed = True
            return False
        if camt.text(bal, "CdtDbtInd") == "DBIT":
            amount = -amount
        day = _date(camt.text(bal, "Dt/Dt") or camt.text(bal, "Dt/DtTm")[:10])
        balances.setdefault(code, (amount, day))
    opening = balances.get("OPBD") or balances.get("PRCD")
    closing = balances.get("CLBD")
    if opening is None or closing is None:
        missing = say("camt.and").join(say(name) for name, value in (("camt.opening", opening),
                                                                     ("camt.closing", closing)) if value is None)
        say.fatal("camt.balances", "camt_damaged", "camt.balances", label=st.label, missing=missing)
        st.failed = True
        return False
    st.opening, st.closing = opening, closing
    return True


def _camt_entry(camt: _Camt, st: _CamtStatement, entry: etree._Element, say: _Say) -> None:
    """One entry (``Ntry``) of a statement: its movements, or a fatal problem that fails the statement."""
    if not _identify(camt, st, say):
        return
    e_where = f"{st.where}/Ntry[{st.entries}]"
    status = camt.text(entry, "Sts") or camt.text(entry, "Sts/Cd")
    try:
        amount = _camt_amount(camt.text(entry, "Amt"))
    except (InvalidOperation, ValueError):
        say.fatal("camt.entry_amount", "camt_damaged", "camt.amount", where=e_where)
        st.failed = True
        return
    indicator = camt.text(entry, "CdtDbtInd")
    if indicator not in ("CRDT", "DBIT"):
        say.fatal("camt.indicator", "camt_damaged", "camt.amount", where=e_where)
        st.failed = True
        return
    signed = amount if indicator == "CRDT" else -amount
    if indicator == "CRDT":
        st.credit_count, st.credit_sum = st.credit_count + 1, st.credit_sum + amount
    else:
        st.debit_count, st.debit_sum = st.debit_count + 1, st.debit_sum + amount
    if status != "BOOK":
        say.warning("camt.not_booked", "camt.not_booked", where=e_where, status=status or "?")
        return
    st.booked_total += signed
    reference = camt.text(entry, "AcctSvcrRef") or camt.text(entry, "NtryRef")
    if not reference:
        reference = f"{st.stmt_id}#{st.entries}"
        say.warning("camt.no_reference", "camt.no_reference", where=e_where, reference=reference)
    details = entry.findall(camt.q("NtryDtls/TxDtls"), camt.ns)
    try:
        txs = _transactions(camt, details)
    except Exception as exc:  # pycamt: a transaction it cannot read
        say.fatal("camt.structure", "camt_damaged", "camt.structure", where=e_where, error=exc or type(exc).__name__)
        st.failed = True
        return
    st.movements.extend(_camt_movements(camt, entry, details, txs, signed, st, reference, e_where, say))


def _transactions(camt: _Camt, details: list) -> list[dict]:
    """pycamt's reading of each transaction (parties, remittance, amount), with the transaction's
    own credit/debit indicator when it has one.

    pycamt's public ``get_transactions()`` needs the whole tree and looks the statement's IBAN up
    again for every entry with a descendant search over the whole statement (n² for n entries); its
    per-transaction reader (``_extract_transaction_details``, pycamt 1.1, pinned) is used instead."""
    out = []
    for detail in details:
        tx = camt.pycamt._extract_transaction_details(detail)
        indicator = detail.find(camt.q("CdtDbtInd"), camt.ns)
        if indicator is not None and indicator.text:
            tx["CreditDebitIndicator"] = indicator.text.strip()
        out.append(tx)
    return out


def _camt_statement(camt: _Camt, st: _CamtStatement, say: _Say) -> Statement | None:
    """The statement, once all its entries are read: balances, and its summary if it has one."""
    if not _identify(camt, st, say):
        return None
    opening, closing = st.opening, st.closing
    if opening[0] + st.booked_total != closing[0]:
        say.fatal("camt.balance", "camt_damaged", "statement.balance", label=st.label, opening=opening[0],
                  booked=st.booked_total, computed=opening[0] + st.booked_total, closing=closing[0])
        return None
    summary = st.element.find(camt.q("TxsSummry"), camt.ns)
    if summary is not None:
        for part, count, total in (("TtlNtries", st.entries, None), ("TtlCdtNtries", st.credit_count, st.credit_sum),
                                   ("TtlDbtNtries", st.debit_count, st.debit_sum)):
            said_count = camt.text(summary, f"{part}/NbOfNtries")
            said_sum = camt.text(summary, f"{part}/Sum")
            if said_count and said_count != str(count):
                say.fatal("camt.summary_count", "camt_damaged", "camt.summary", label=st.label, count=count,
                          part=part, said=said_count)
                return None
            if said_sum and total is not None and _decimal(said_sum) != total:
                say.fatal("camt.summary_sum", "camt_damaged", "camt.summary", label=st.label, part=part, total=total,
                          said=said_sum)
                return None
    return Statement(st.account, st.number, closing[1], opening[0], closing[0], tuple(st.movements), say.shown,
                     CAMT053)


def _camt_movements(camt: _Camt, entry, details, txs, signed: Decimal, st: _CamtStatement, reference: str,
                    e_where: str, say: _Say) -> list[Movement]:
    """One movement per entry, or one per transaction of a batch entry when their amounts add up
    to the entry's."""
    booking = _date(camt.text(entry, "BookgDt/Dt") or camt.text(entry, "BookgDt/DtTm")[:10])
    value = _date(camt.text(entry, "ValDt/Dt") or camt.text(entry, "ValDt/DtTm")[:10])
    credit = signed > 0

    def movement(tx: dict, detail, amount: Decimal, key: str, where: str) -> Movement:
        name = tx.get("DebtorName") if credit else tx.get("CreditorName")
        iban = tx.get("DebtorIBAN") if credit else tx.get("CreditorIBAN")
        ref_text = camt.text(detail, "RmtInf/Strd/CdtrRefInf/Ref") if detail is not None else ""
        free = tx.get("RemittanceInformationFull") or ""
        structured = None
        if ref_text:
            structured = _ogm(ref_text)
            if structured is None:
                free = f"{ref_text} {free}".strip()
        if not free and detail is None:
            free = camt.text(entry, "AddtlNtryInf")
        return Movement(
            key=f"camt:{st.account}:{key}", account_iban=st.account, statement=st.number, sequence=key,
            booking_date=booking, value_date=value, amount=amount,
            counterparty_name=" ".join((name or "").split()), counterparty_iban=_account(iban or ""),
            structured_reference=structured, communication=" ".join(free.split()), location=f"{say.shown}:{where}")

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
    say.warning("camt.batch", "camt.batch", where=e_where, n=len(details))
    merged = {"RemittanceInformationFull": " ".join(t.get("RemittanceInformationFull") or "" for t in txs)}
    return [movement(merged, None, signed, reference, e_where)]


# --- shared --------------------------------------------------------------------------------------


def _refuse_duplicate_keys(statements: list[Statement], say: _Say) -> None:
    seen: dict[str, str] = {}
    for statement in statements:
        for m in statement.movements:
            if m.key in seen:
                say.fatal("duplicate", "again", "statement.duplicate", key=m.key, first=seen[m.key],
                          second=m.location)
                return
            seen[m.key] = m.location


def _ogm(text: str) -> str | None:
    """The 12 digits of a valid Belgian structured reference (OGM/VCS), else None: python-stdnum's
    rule (``be.ogm_vcs``), checked directly when the bank gives the bare 12 digits (as CODA type 101
    and camt ``CdtrRefInf/Ref`` do; the same result, without stdnum's per-character cleaning).

    >>> _ogm("+++202/7000/00122+++"), _ogm("202700000122"), _ogm("202700000123"), _ogm("000000000000")
    ('202700000122', '202700000122', None, None)
    """
    if len(text) == 12 and text.isdigit() and text.isascii():
        base = int(text[:10])
        return text if int(text) > 0 and (base % 97 or 97) == int(text[10:]) else None
    return ogm_vcs.compact(text) if ogm_vcs.is_valid(text) else None


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
