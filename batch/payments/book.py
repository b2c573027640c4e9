"""Payments in the register (SPEC §12): `bijstand payments` imports bank statements, books what they
paid, and writes the open items; the open items and the aged balance as of a day.

- P1 once: a file is imported whole or not at all, in one transaction (its SHA-256, every movement
  and what it paid); a file seen before changes nothing; a movement seen before (the same statement
  in another file) is not booked again; a statement whose balances do not add up is refused whole.
- P2 matching (batch.payments.matching), in the movements' order, against the open items as the
  register holds them; suggestions are recorded but never booked.
- P3 open items (batch.payments.open_items) as of today: output/betalingen/openstaand.xlsx and .csv.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from .. import faults
from ..money import ZERO
from ..problems import BijstandError, Problem
from ..texts_payments import text
from .matching import BOOKED, CREDIT_ON_CUSTOMER, TO_REFUND, OpenItem, match
from .open_items import ItemStatus, aged_balance, aged_total, customer_balances, item_statuses
from .statements import Movement, StatementFile, read_statement_file

BANK = "bank"
FOLDER = "betalingen"
STATEMENT_SUFFIXES = (".cod", ".coda", ".txt", ".xml", ".053")


# --- what the register holds ----------------------------------------------------------------------


def open_items(reg, documents: int | None = None) -> list[OpenItem]:
    """Every issued invoice as an :class:`OpenItem`, with what was received for it (booked movements;
    for a credited invoice also what came in after the credit note, to refund) and the credit note
    that cancels it (credit notes themselves are not items). ``documents``: only the first so many
    documents issued count (invoices and credit notes alike) — the register as a statement imported
    earlier saw it, when ``repair`` imports it again (SPEC §12 safety)."""
    known = None
    if documents is not None:
        known = {r[0] for r in reg.conn.execute("SELECT number FROM documents ORDER BY rowid LIMIT ?", (documents,))}
    credited = {number: credit for number, credit in reg.conn.execute("SELECT number, credit_number FROM credits")
                if known is None or credit in known}
    paid: dict[str, Decimal] = {}
    for number, amount in reg.conn.execute("SELECT number, amount FROM allocations WHERE code IN (?, ?) AND number "
                                           "IS NOT NULL", (BOOKED, TO_REFUND)):
        paid[number] = paid.get(number, ZERO) + Decimal(amount)
    items = []
    for number, cid, issued, total, due, ref, name in reg.conn.execute(
            "SELECT number, customer_id, issue_date, total, json_extract(payload, '$.due_date'), "
            "json_extract(payload, '$.structured_reference'), json_extract(payload, '$.buyer.name') "
            "FROM documents WHERE document_type = 'invoice' ORDER BY rowid"):
        if known is not None and number not in known:
            continue
        items.append(OpenItem(number, cid, name or "", "invoice", date.fromisoformat(issued), date.fromisoformat(due),
                              Decimal(total), ref, credited.get(number), paid.get(number, ZERO)))
    return items


def known_ibans(reg) -> dict[str, set[str]]:
    """Customer → the accounts it paid from (booked movements): for suggestions (P2)."""
    out: dict[str, set[str]] = {}
    for cid, iban in reg.conn.execute(
            "SELECT DISTINCT a.customer_id, m.counterparty_iban FROM allocations a JOIN movements m ON m.key = "
            "a.movement_key WHERE a.code = ? AND m.counterparty_iban != ''", (BOOKED,)):
        if cid:
            out.setdefault(cid, set()).add(iban)
    return out


def customer_credits(reg) -> dict[str, Decimal]:
    """Customer → overpayments left on the customer."""
    out: dict[str, Decimal] = {}
    for cid, amount in reg.conn.execute("SELECT customer_id, amount FROM allocations WHERE code = ?",
                                        (CREDIT_ON_CUSTOMER,)):
        out[cid] = out.get(cid, ZERO) + Decimal(amount)
    return out


def statuses(reg, as_of: date) -> list[ItemStatus]:
    return item_statuses(open_items(reg), as_of)


# --- importing ----------------------------------------------------------------------------------------


@dataclass
class FileResult:
    path: str
    state: str  # imported | already | refused | empty
    format: str | None = None
    movements: int = 0
    known: int = 0  # movements already in the register (the same statement in another file)
    codes: Counter = field(default_factory=Counter)  # match code → lines
    amounts: dict = field(default_factory=dict)  # match code → total
    problems: list[Problem] = field(default_factory=list)


@dataclass
class ImportReport:
    files: list[FileResult] = field(default_factory=list)
    as_of: date | None = None
    folder: Path | None = None
    statuses: list[ItemStatus] = field(default_factory=list)
    language: str = "nl"  # the bookkeeper's ([ui] language): of the problems and of the terminal


def statement_paths(workspace: Path, given: list[Path], language: str = "nl") -> list[Path]:
    """The files to import: those given (folders expanded), else every file in the workspace's bank/."""
    found: list[Path] = []
    for p in given or [Path(workspace) / BANK]:
        p = Path(p)
        if p.is_dir():
            found += sorted(q for q in p.rglob("*") if q.is_file() and not q.name.startswith("."))
        elif p.exists():
            found.append(p)
        else:
            raise BijstandError(text("payments.missing", language, path=p, bank=BANK))
    return found


def _movement_row(m: Movement, sha: str) -> tuple:
    return (m.key, sha, m.account_iban, m.statement, m.sequence, m.booking_date.isoformat(),
            m.value_date.isoformat() if m.value_date else None, str(m.amount), m.counterparty_name,
            m.counterparty_iban, m.structured_reference, m.communication, m.location)


def import_file(reg, path: Path, workspace: Path, now: datetime, documents: int | None = None,
                replay: bool = False, language: str = "nl") -> FileResult:
    """One statement file into the register, all or nothing (P1); problems in ``language``. A file from
    outside ``bank/`` is copied into it first (the original is never moved or changed), so that
    ``repair`` can import it again; every import is appended to output/betalingen.jsonl (its order,
    time and the number of documents issued then). ``replay`` (repair): the file is in bank/ already
    and logged; it is matched against the first ``documents`` documents only, as it was the first time."""
    sf: StatementFile = read_statement_file(path, workspace, language)
    result = FileResult(sf.file, "imported", sf.format)
    known = reg.conn.execute("SELECT 1 FROM bank_files WHERE sha256 = ?", (sf.sha256,)).fetchone()
    if sf.refused:
        result.state = "refused"
        result.problems = sf.problems
        return result
    kept = sf.file if replay else keep_in_bank(Path(workspace), Path(path), sf.sha256)
    if known:
        result.state = "already"
        return result
    movements = sf.movements
    if kept != sf.file:  # the register names the copy the workspace keeps (and repair imports again)
        import dataclasses

        movements = [dataclasses.replace(m, location=kept + m.location[len(sf.file):])
                     if m.location.startswith(sf.file + ":") else m for m in movements]
    seen: set[str] = set()
    keys = [m.key for m in movements]
    for start in range(0, len(keys), 900):  # below SQLite's limit of bound variables
        chunk = keys[start:start + 900]
        seen.update(r[0] for r in reg.conn.execute(
            f"SELECT key FROM movements WHERE key IN ({','.join('?' * len(chunk))})", chunk))
    fresh = [m for m in movements if m.key not in seen]
    result.movements, result.known = len(fresh), len(movements) - len(fresh)
    issued = reg.conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    outcome = match(fresh, open_items(reg, documents), known_ibans(reg))
    rows = []
    per_movement: Counter = Counter()
    for line in outcome.lines:
        if line.allocations:
            for alloc in line.allocations:
                per_movement[line.movement.key] += 1
                rows.append((line.movement.key, per_movement[line.movement.key], line.code, line.reason, line.via,
                             alloc.customer_id, alloc.number, str(alloc.amount)))
        else:
            per_movement[line.movement.key] += 1
            rows.append((line.movement.key, per_movement[line.movement.key], line.code, line.reason, line.via,
                         line.customer_id, None, str(line.amount)))
        result.codes[line.code] += 1
        result.amounts[line.code] = result.amounts.get(line.code, ZERO) + line.amount
    c = reg.conn
    c.execute("BEGIN IMMEDIATE")
    try:
        c.execute("INSERT INTO bank_files VALUES (?,?,?,?,?)",
                  (sf.sha256, kept, sf.format or "", now.isoformat(timespec="seconds"), len(fresh)))
        c.executemany("INSERT INTO movements VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                      [_movement_row(m, sf.sha256) for m in fresh])
        c.executemany("INSERT INTO allocations VALUES (?,?,?,?,?,?,?,?)", rows)
        faults.point("payments-in-commit")
        c.execute("COMMIT")
    except BaseException as exc:
        reg._abort(exc)
        raise
    if not replay:
        log_import(Path(workspace), {"sha256": sf.sha256, "path": kept, "given": sf.file, "format": sf.format or "",
                                     "imported_at": now.isoformat(timespec="seconds"), "documents": issued,
                                     "movements": len(fresh)})
    if not movements:
        result.state = "empty"
    return result


IMPORT_LOG = "betalingen.jsonl"  # output/betalingen.jsonl: every import, in order (repair replays it)


def log_import(workspace: Path, record: dict) -> None:
    """Append one import to output/betalingen.jsonl (flushed to disk)."""
    import json
    import os

    log = workspace / "output" / IMPORT_LOG
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
        fh.flush()
        os.fsync(fh.fileno())


def read_import_log(workspace: Path) -> list[dict]:
    """The imports of output/betalingen.jsonl, first import of each file only (a line cut by a crash
    is skipped)."""
    import json

    log = Path(workspace) / "output" / IMPORT_LOG
    seen: set[str] = set()
    out = []
    if not log.is_file():
        return out
    for line in log.read_text(encoding="utf-8").splitlines():
        try:
            rec = json.loads(line)
        except ValueError:
            continue
        if isinstance(rec, dict) and rec.get("sha256") and rec["sha256"] not in seen:
            seen.add(rec["sha256"])
            out.append(rec)
    return out


def keep_in_bank(workspace: Path, path: Path, sha256: str) -> str:
    """The statement's place in the workspace's bank/ (relative to the workspace): the file itself
    when it is there, else a copy made now under a name that collides with nothing — or the file
    already there with the same content. The original is only read."""
    import hashlib
    import os
    import shutil

    bank = workspace / BANK
    try:
        path.resolve().relative_to(bank.resolve())
        return path.resolve().relative_to(workspace.resolve()).as_posix()
    except ValueError:
        pass
    bank.mkdir(parents=True, exist_ok=True)
    for other in sorted(bank.rglob("*")):
        if other.is_file() and not other.name.startswith("."):
            try:
                if hashlib.sha256(other.read_bytes()).hexdigest() == sha256:
                    return other.relative_to(workspace).as_posix()
            except OSError:
                continue
    target = bank / path.name
    n = 2
    while target.exists():
        target = bank / f"{path.stem}-{n}{path.suffix}"
        n += 1
    tmp = bank / f".{target.name}.tmp"
    shutil.copyfile(path, tmp)
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, target)
    return target.relative_to(workspace).as_posix()


def import_statements(workspace: Path, paths: list[Path] | None = None, as_of: date | None = None,
                      now: datetime | None = None) -> ImportReport:
    """``bijstand payments``: import the statements, then write the open items as of ``as_of``."""
    from ..lock import WorkspaceLock
    from ..run import check_witnesses, open_register, today
    from ..settings import load_settings

    workspace = Path(workspace)
    language = load_settings(workspace).ui.language
    report = ImportReport(as_of=as_of or (now.date() if now else today()), language=language)
    now = now or datetime.now()
    with WorkspaceLock(workspace, "payments"), open_register(workspace) as reg:
        check_witnesses(workspace, reg)
        for path in statement_paths(workspace, list(paths or []), language):
            report.files.append(import_file(reg, path, workspace, now, language=language))
        if any(f.state == "imported" for f in report.files):
            try:
                reg.backup(workspace / "backups", "payments")
            except OSError:
                pass
        report.folder, report.statuses = write_open_items(workspace, reg, report.as_of)
    return report


# --- the open items --------------------------------------------------------------------------------


def write_open_items(workspace: Path, reg, as_of: date) -> tuple[Path, list[ItemStatus]]:
    """output/betalingen/openstaand.xlsx and openstaand.csv as of ``as_of`` (P3)."""
    from ..run import write_folder
    from ..settings import load_settings
    from .open_items_workbook import render_open_items, render_open_items_csv

    settings = load_settings(workspace)
    found = statuses(reg, as_of)
    review = review_lines(reg)
    files = {"openstaand.csv": render_open_items_csv(found),
             "openstaand.xlsx": render_open_items(found, customer_credits(reg), review, as_of, settings)}
    folder, _ = write_folder(Path(workspace) / "output", FOLDER, files, replace_existing=True)
    return folder, found


def review_lines(reg) -> list[dict]:
    """What needs a human: suggestions, unmatched credits, payments to refund, credits on customers."""
    out = []
    for row in reg.conn.execute(
            "SELECT a.code, a.reason, a.customer_id, a.number, a.amount, m.booking_date, m.counterparty_name, "
            "m.counterparty_iban, m.communication, m.structured_reference, m.key FROM allocations a JOIN movements m "
            "ON m.key = a.movement_key WHERE a.code NOT IN ('booked', 'debit-ignored') ORDER BY m.booking_date, m.key"):
        out.append(dict(zip(("code", "reason", "customer_id", "number", "amount", "date", "name", "iban",
                             "communication", "reference", "key"), row)))
    return out


def payments_in(reg, first: date, last: date) -> list[dict]:
    """Booked payments received between ``first`` and ``last`` and what they paid (for the VAT-period
    workbook's Betalingen sheet)."""
    rows = []
    for r in reg.conn.execute(
            "SELECT m.booking_date, m.counterparty_name, m.counterparty_iban, a.number, a.customer_id, a.amount, "
            "a.via, m.key FROM allocations a JOIN movements m ON m.key = a.movement_key WHERE a.code = 'booked' "
            "AND m.booking_date BETWEEN ? AND ? ORDER BY m.booking_date, m.key", (first.isoformat(), last.isoformat())):
        rows.append({"date": date.fromisoformat(r[0]), "name": r[1], "iban": r[2], "number": r[3], "customer_id": r[4],
                     "amount": Decimal(r[5]), "via": r[6], "movement": r[7]})
    return rows


def aged(found: list[ItemStatus]):
    rows = aged_balance(found)
    return rows, aged_total(rows)


def balances(found: list[ItemStatus], credits: dict[str, Decimal]) -> dict[str, Decimal]:
    return customer_balances(found, credits)

