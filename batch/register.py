"""The register: a small SQLite database that remembers what was issued.

It owns runs, issued documents (invoices and credit notes, never updated or deleted), their
lines, the billed coverage per customer and module (SPEC §3 R3), handled interventions with
their fingerprints (§8 T5), upgrades, each run's intervention outcomes, the input files read and
the billing start. Schema versions are recorded in a migrations table; every change happens
inside one transaction. Documents are chained by SHA-256 over every stored field of the document
and its lines (§8 T3); :meth:`Register.verify` recomputes the chain and the billed coverage and
handled interventions from the documents.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Callable

from stdnum.be import ogm_vcs

from . import faults
from .billing.calendar import months_between
from .billing.engine import Handled, Plan, RegisterState
from .identity import customer_key, key
from .model import Invoice, InterventionOutcome
from .problems import BijstandError
from .serialize import dumps, loads
from .settings import Settings, format_has_year, format_number

SCHEMA_1 = """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE runs (
        run_id INTEGER PRIMARY KEY,
        quarter TEXT NOT NULL,
        label TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,               -- run | credit
        started_at TEXT NOT NULL,
        invoice_date TEXT NOT NULL,
        state TEXT NOT NULL,              -- committed | written
        payload TEXT NOT NULL             -- JSON: problems, customers, files, settings
    );
    CREATE TABLE documents (
        number TEXT PRIMARY KEY,
        sequence TEXT NOT NULL,           -- invoice | credit
        year INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        document_type TEXT NOT NULL,      -- invoice | credit_note
        run_id INTEGER NOT NULL REFERENCES runs(run_id),
        customer_id TEXT NOT NULL,
        issue_date TEXT NOT NULL,
        net TEXT NOT NULL, vat TEXT NOT NULL, total TEXT NOT NULL,
        credited_number TEXT,
        payload TEXT NOT NULL,            -- JSON of the Invoice record
        payload_sha256 TEXT NOT NULL,
        chain_sha256 TEXT NOT NULL,       -- see _chain_rows
        UNIQUE (sequence, year, seq)
    );
    CREATE TABLE document_lines (
        number TEXT NOT NULL REFERENCES documents(number),
        line_no INTEGER NOT NULL,
        kind TEXT NOT NULL,
        licence_key TEXT, intervention_id TEXT,
        period_start TEXT, period_end TEXT,
        amount TEXT NOT NULL, gl_account TEXT NOT NULL, vat_category TEXT NOT NULL,
        PRIMARY KEY (number, line_no)
    );
    CREATE TABLE fee_moves (
        number TEXT NOT NULL REFERENCES documents(number),
        licence_key TEXT NOT NULL,
        old_through TEXT,
        new_through TEXT NOT NULL,
        PRIMARY KEY (number, licence_key)
    );
    CREATE TABLE billed_through (
        licence_key TEXT PRIMARY KEY,
        customer_id TEXT NOT NULL,
        through TEXT NOT NULL,
        number TEXT
    );
    CREATE TABLE handled (
        intervention_id TEXT PRIMARY KEY,
        customer_id TEXT NOT NULL,
        status TEXT NOT NULL,
        run_id INTEGER NOT NULL,
        number TEXT
    );
    CREATE TABLE upgrades (
        customer_id TEXT NOT NULL,
        upgrade_date TEXT NOT NULL,
        number TEXT NOT NULL,
        PRIMARY KEY (customer_id, number)
    );
    CREATE TABLE credits (
        number TEXT PRIMARY KEY REFERENCES documents(number),
        credit_number TEXT NOT NULL UNIQUE REFERENCES documents(number),
        reason TEXT NOT NULL
    );
    CREATE TABLE input_files (
        run_id INTEGER NOT NULL, path TEXT NOT NULL, sha256 TEXT NOT NULL, kind TEXT, rows INTEGER,
        PRIMARY KEY (run_id, path)
    );
    CREATE TABLE output_files (
        run_id INTEGER NOT NULL, path TEXT NOT NULL, sha256 TEXT NOT NULL,
        PRIMARY KEY (run_id, path)
    );
"""

DOCUMENT_TRIGGERS = """
    CREATE TRIGGER documents_no_update BEFORE UPDATE ON documents
        BEGIN SELECT RAISE(ABORT, 'issued documents cannot be changed'); END;
    CREATE TRIGGER documents_no_delete BEFORE DELETE ON documents
        BEGIN SELECT RAISE(ABORT, 'issued documents cannot be deleted'); END;
    CREATE TRIGGER lines_no_update BEFORE UPDATE ON document_lines
        BEGIN SELECT RAISE(ABORT, 'issued documents cannot be changed'); END;
    CREATE TRIGGER lines_no_delete BEFORE DELETE ON document_lines
        BEGIN SELECT RAISE(ABORT, 'issued documents cannot be deleted'); END;
"""

SCHEMA_2 = """
    CREATE TABLE coverage (               -- billed coverage (R3): one row per fee line of an invoice
        number TEXT NOT NULL REFERENCES documents(number),
        line_no INTEGER NOT NULL,
        customer_key TEXT NOT NULL,
        module_key TEXT NOT NULL,
        start TEXT NOT NULL,
        end TEXT NOT NULL,
        units INTEGER NOT NULL,
        PRIMARY KEY (number, line_no)
    );
    CREATE INDEX coverage_by_key ON coverage (customer_key, module_key);
    CREATE TABLE handled2 (
        key TEXT PRIMARY KEY,              -- batch.identity.key of the intervention number
        intervention_id TEXT NOT NULL,
        customer_id TEXT NOT NULL,
        status TEXT NOT NULL,              -- billed | included
        run_id INTEGER NOT NULL,
        number TEXT,
        fingerprint TEXT                   -- T5: customer, date, minutes, channel, kind, adapted
    );
    CREATE TABLE outcomes (                -- every input intervention row of a run, with its status
        run_id INTEGER NOT NULL REFERENCES runs(run_id),
        seq INTEGER NOT NULL,
        intervention_id TEXT NOT NULL, source TEXT NOT NULL, status TEXT NOT NULL,
        customer_id TEXT NOT NULL, date TEXT, number TEXT, amount TEXT, reason TEXT NOT NULL,
        fingerprint TEXT,                  -- billed and included rows: what decided their price (T5)
        PRIMARY KEY (run_id, seq)
    );
"""

SCHEMA_3 = """
    CREATE TABLE deliveries (             -- SPEC §11 D5: every delivery, before and after the network call
        delivery_id INTEGER PRIMARY KEY,
        number TEXT NOT NULL,              -- an invoice, credit note or reminder
        kind TEXT NOT NULL,                -- invoice | credit_note | reminder
        channel TEXT NOT NULL,             -- peppol | email | post
        address TEXT NOT NULL,             -- Peppol id, e-mail addresses, or the postal address
        state TEXT NOT NULL,               -- sending | sent | failed | pending | uncertain | post
        resend INTEGER NOT NULL DEFAULT 0, -- 0: the first delivery; N: the Nth explicit resend
        message_id TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        detail TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX deliveries_by_number ON deliveries (number);
"""

SCHEMA_4 = """
    CREATE TABLE bank_files (             -- SPEC §12 P1: every statement file imported, once
        sha256 TEXT PRIMARY KEY,
        path TEXT NOT NULL,
        format TEXT NOT NULL,              -- coda | camt053
        imported_at TEXT NOT NULL,
        movements INTEGER NOT NULL
    );
    CREATE TABLE movements (
        key TEXT PRIMARY KEY,              -- CODA: account, statement, sequence; camt: the entry reference
        file_sha256 TEXT NOT NULL REFERENCES bank_files(sha256),
        account_iban TEXT NOT NULL, statement TEXT NOT NULL, sequence TEXT NOT NULL,
        booking_date TEXT NOT NULL, value_date TEXT, amount TEXT NOT NULL,
        counterparty_name TEXT NOT NULL, counterparty_iban TEXT NOT NULL,
        structured_reference TEXT, communication TEXT NOT NULL, location TEXT NOT NULL
    );
    CREATE TABLE allocations (            -- what each movement paid (or why it paid nothing)
        movement_key TEXT NOT NULL REFERENCES movements(key),
        line_no INTEGER NOT NULL,
        code TEXT NOT NULL,                -- booked | suggestion | unmatched | to-refund | credit-on-customer | debit-ignored
        reason TEXT NOT NULL,
        via TEXT NOT NULL,
        customer_id TEXT,
        number TEXT,                       -- the document paid (booked, suggestion, to-refund)
        amount TEXT NOT NULL,
        PRIMARY KEY (movement_key, line_no)
    );
    CREATE INDEX allocations_by_number ON allocations (number);
    CREATE TABLE reminders (              -- SPEC §12 P4: its own number sequence
        number TEXT PRIMARY KEY,
        year INTEGER NOT NULL, seq INTEGER NOT NULL,
        customer_id TEXT NOT NULL,
        issue_date TEXT NOT NULL,
        level INTEGER NOT NULL,
        payload TEXT NOT NULL,             -- JSON of the Reminder record
        run_label TEXT NOT NULL,
        UNIQUE (year, seq)
    );
    CREATE TABLE reminder_items (
        number TEXT NOT NULL REFERENCES reminders(number),
        document TEXT NOT NULL,            -- the invoice reminded
        level INTEGER NOT NULL,
        open TEXT NOT NULL, interest TEXT NOT NULL, compensation TEXT NOT NULL,
        PRIMARY KEY (number, document)
    );
"""

GENESIS = "0" * 64
CHAIN_VERSION = "2"  # every stored field of a document and its lines (SPEC §8 T3)


def storage_error(path: Path, exc: Exception) -> BijstandError:
    """A register that cannot be read or written (full disk, read-only folder, I/O error)."""
    return BijstandError(
        f"the register {path} could not be read or updated ({exc}) — is the disk full or the folder "
        "read-only? What failed was rolled back; free disk space or fix the permissions, then run the "
        "same command again")


class DamagedRegister(BijstandError):
    """The register file is damaged: `bijstand repair` rebuilds it from output/."""


def damaged_error(path: Path, exc: Exception) -> BijstandError:
    """A register that is not a database any more (truncated, overwritten, a page damaged)."""
    return DamagedRegister(
        f"the register {path} is damaged ({exc}) — nothing was changed. Rebuild it from the run folders in "
        f"output/ with `bijstand repair` (the damaged file is kept beside it), or restore a copy from backups/")


def is_damage(exc: BaseException) -> bool:
    """Whether a SQLite error means the file itself is damaged (a malformed page, text that is not
    UTF-8 any more, not a database at all) rather than the disk refusing a write."""
    if not isinstance(exc, sqlite3.DatabaseError):
        return False
    if not isinstance(exc, sqlite3.OperationalError):
        return True
    text = str(exc).lower()
    return any(w in text for w in ("malformed", "decode", "not a database", "corrupt"))


def register_error(path: Path, exc: sqlite3.Error) -> BijstandError:
    """The message for any SQLite error met while using the register ``path``."""
    return damaged_error(path, exc) if is_damage(exc) else storage_error(path, exc)


def structured_reference(year: int, seq: int) -> str:
    """The Belgian structured payment reference (OGM/VCS) of a document.

    Ten digits (year and sequence) plus the mod-97 check digits:

    >>> structured_reference(2027, 1)
    '+++202/7000/00122+++'
    """
    base = f"{year % 10000:04d}{seq % 1000000:06d}"
    return "+++" + ogm_vcs.format(base + ogm_vcs.calc_check_digits(base)) + "+++"


def credit_note_of(inv: Invoice, number: str | None, credit_date: date, reason: str) -> Invoice:
    """The credit note of the whole invoice ``inv`` (``number`` None: the draft that ``bijstand credit``
    validates before numbering): no payment reference, no appendix of included interventions (SPEC §9 L5)."""
    return replace(inv, document_type="credit_note", number=number, issue_date=credit_date, due_date=credit_date,
                   structured_reference=None, credited_number=inv.number, credited_date=inv.issue_date,
                   credit_reason=reason, included=())


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def number_format_of(settings: Settings, sequence: str) -> str:
    if sequence == "credit" and settings.invoice.credit_number_format:
        return settings.invoice.credit_number_format
    if sequence == "reminder":
        return settings.reminders.number_format
    return settings.invoice.number_format


# --- rows ------------------------------------------------------------------------------------


def _line_rows(inv: Invoice):
    return [(inv.number, i, line.kind, line.licence_key, line.intervention_id,
             line.period_start.isoformat() if line.period_start else None,
             line.period_end.isoformat() if line.period_end else None,
             str(line.amount), line.gl_account, line.vat_category) for i, line in enumerate(inv.lines, 1)]


def _months(start: date, end: date) -> int:
    return sum(1 for _ in months_between(start, end))


def coverage_rows(inv: Invoice) -> list[tuple]:
    """The billed coverage an invoice adds: one row per fee line (number, line, customer key,
    module key, start, end, units). Credit notes add none (they release their invoice's)."""
    if inv.document_type != "invoice":
        return []
    rows = []
    for i, line in enumerate(inv.lines, 1):
        if line.kind != "fee" or not line.period_start or not line.period_end or not line.module:
            continue
        units = line.units
        if units is None:  # a line issued before units were recorded
            months = 1 if line.days else _months(line.period_start, line.period_end)
            units = int(line.quantity / months) if months else int(line.quantity)
        rows.append((inv.number, i, customer_key(inv.customer_id), key(line.module),
                     line.period_start.isoformat(), line.period_end.isoformat(), units))
    return rows


def _document_row(inv: Invoice, run_id: int, sequence: str, year: int, seq: int) -> tuple:
    payload = dumps(inv)
    return (inv.number, sequence, year, seq, inv.document_type, run_id, inv.customer_id,
            inv.issue_date.isoformat(), str(inv.net), str(inv.vat), str(inv.total), inv.credited_number,
            payload, _sha(payload))


def row_digest(doc_row: tuple, line_rows: list[tuple]) -> str:
    """SHA-256 of every stored field of a document (without its chain) and of its lines."""
    return _sha(json.dumps([list(doc_row), [list(r) for r in line_rows]], ensure_ascii=False,
                           separators=(",", ":")))


def _chained(rows: list[tuple], lines_of: Callable[[str], list[tuple]], chain: str):
    """Document rows with their chain value appended: chain = sha256(previous chain + digest)."""
    for row in rows:
        chain = _sha(chain + row_digest(row, lines_of(row[0])))
        yield (*row, chain)


def outcome_row(o: InterventionOutcome) -> tuple:
    """An outcome as stored (and as written in a run folder's register.jsonl)."""
    return (o.intervention_id, o.source, o.status, o.customer_id, o.date.isoformat() if o.date else None, o.number,
            None if o.amount is None else str(o.amount), o.reason, o.fingerprint)


def outcome_of(row) -> InterventionOutcome:
    """The inverse of :func:`outcome_row`."""
    iid, source, status, cid, day, number, amount, reason, fp = row
    return InterventionOutcome(iid, source, status, cid, date.fromisoformat(day) if day else None, number,
                               None if amount is None else Decimal(amount), reason, fp)


def _outcome_rows(run_id: int, outcomes: list[InterventionOutcome]):
    for i, o in enumerate(outcomes, 1):
        yield (run_id, i, *outcome_row(o))


def handled_rows(run_id: int, outcomes) -> list[tuple]:
    """The handled rows a run adds: its billed and included interventions (key, id, customer,
    status, run, invoice number, fingerprint)."""
    return [(key(o.intervention_id), o.intervention_id, o.customer_id, o.status, run_id,
             o.number if o.status == "billed" else None, o.fingerprint)
            for o in outcomes if o.status in ("billed", "included")]


def _numbered_outcomes(outcomes: list[InterventionOutcome], numbers: dict[str, str]) -> list[InterventionOutcome]:
    """The outcomes with the invoice number of every billed one filled in (the others as they are)."""
    return [replace(o, number=numbers.get(o.customer_id)) if o.status == "billed" else o for o in outcomes]


HANDLED_FIELDS = ("intervention number", "customer", "status", "run", "invoice", "fingerprint")


def _handled_difference(stored: tuple | None, expected: tuple | None) -> str:
    """One problem line for a handled intervention whose row differs from what its runs and credit
    notes make it (batch.register.Register.replayed_handled): the fields that differ, both ways.

    >>> _handled_difference(("I1", "A", "billed", 2, "2027-000001", "a|x"), ("I1", "A", "billed", 2, "2027-000001", "a|y"))
    "handled intervention I1 (invoice 2027-000001): fingerprint is 'a|x' in the register, its runs say 'a|y'"
    """
    shown = stored or expected
    if stored is None or expected is None:
        what = f"{shown[2]} {shown[4] or ''}".strip()
        return (f"handled intervention {shown[0]}: " + (f"the register holds nothing, its runs say {what}"
                if stored is None else f"the register holds {what}, its runs and credit notes say nothing"))
    diffs = [f"{name} is {a!r} in the register, its runs say {b!r}" for name, a, b in
             zip(HANDLED_FIELDS, stored, expected) if a != b]
    where = f" (invoice {expected[4]})" if expected[4] else ""
    return f"handled intervention {shown[0]}{where}: " + "; ".join(diffs)


# --- migrations ------------------------------------------------------------------------------


def _statements(sql: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies whole."""
    out, buf = [], []
    for line in sql.strip().splitlines():
        buf.append(line)
        joined = "\n".join(buf).strip()
        if joined.endswith(";") and sqlite3.complete_statement(joined):
            out.append(joined)
            buf = []
    if "\n".join(buf).strip():
        out.append("\n".join(buf))
    return out


def _run_sql(c: sqlite3.Connection, sql: str) -> None:
    for stmt in _statements(sql):
        c.execute(stmt)


def _migration_1(c: sqlite3.Connection) -> None:
    _run_sql(c, SCHEMA_1 + DOCUMENT_TRIGGERS)


def _migration_2(c: sqlite3.Connection) -> None:
    """Billed coverage per customer and module replaces billed-through per licence; handled
    interventions keyed by identity with a fingerprint; outcomes as rows; the chain re-sealed over
    every stored field (after checking the old one)."""
    _run_sql(c, SCHEMA_2)
    old_problems = []
    prev = GENESIS
    for r in c.execute("SELECT number, payload, payload_sha256, chain_sha256 FROM documents ORDER BY rowid"):
        if _sha(r[1]) != r[2] or _sha(prev + r[2]) != r[3]:
            old_problems.append(r[0])
        prev = r[3]
    if old_problems:
        c.execute("INSERT OR REPLACE INTO meta VALUES ('chain_broken_before_migration', ?)",
                  (", ".join(old_problems),))
    for number, payload, doc_type in c.execute("SELECT number, payload, document_type FROM documents").fetchall():
        if doc_type == "invoice":
            c.executemany("INSERT INTO coverage VALUES (?,?,?,?,?,?,?)", coverage_rows(loads(Invoice, payload)))
    c.executemany("INSERT OR REPLACE INTO handled2 (key, intervention_id, customer_id, status, run_id, number) "
                  "VALUES (?,?,?,?,?,?)",
                  [(key(r[0]), *r) for r in c.execute("SELECT intervention_id, customer_id, status, run_id, number "
                                                      "FROM handled ORDER BY rowid").fetchall()])
    c.execute("DROP TABLE handled")
    c.execute("ALTER TABLE handled2 RENAME TO handled")
    for run_id, text in c.execute("SELECT run_id, payload FROM runs").fetchall():
        payload = json.loads(text)
        outcomes = payload.pop("outcomes", None)
        if outcomes is not None:
            c.executemany("INSERT INTO outcomes VALUES (?,?,?,?,?,?,?,?,?,?,?)", (
                (run_id, i, o.get("intervention_id", ""), o.get("source", ""), o.get("status", ""),
                 o.get("customer_id", ""), o.get("date"), o.get("number"), o.get("amount"), o.get("reason", ""), None)
                for i, o in enumerate(outcomes, 1)))
            c.execute("UPDATE runs SET payload = ? WHERE run_id = ?", (json.dumps(payload, ensure_ascii=False), run_id))
    c.execute("DROP TABLE billed_through")
    c.execute("DROP TABLE fee_moves")
    _reseal(c)


def _reseal(c: sqlite3.Connection) -> None:
    """Recompute every document's chain value (the chain's definition changed)."""
    for name in ("documents_no_update", "documents_no_delete", "lines_no_update", "lines_no_delete"):
        c.execute(f"DROP TRIGGER IF EXISTS {name}")
    prev = GENESIS
    for row in c.execute(f"SELECT {DOC_COLUMNS}, rowid FROM documents ORDER BY rowid").fetchall():
        prev = _sha(prev + row_digest(tuple(row[:-1]), _lines_of(c, row[0])))
        c.execute("UPDATE documents SET chain_sha256 = ? WHERE rowid = ?", (prev, row[-1]))
    _run_sql(c, DOCUMENT_TRIGGERS)
    c.execute("INSERT OR REPLACE INTO meta VALUES ('chain_version', ?)", (CHAIN_VERSION,))


DOC_COLUMNS = ("number, sequence, year, seq, document_type, run_id, customer_id, issue_date, net, vat, total, "
               "credited_number, payload, payload_sha256")


def _lines_of(c: sqlite3.Connection, number: str) -> list[tuple]:
    return [tuple(r) for r in c.execute("SELECT * FROM document_lines WHERE number = ? ORDER BY line_no", (number,))]


def _migration_3(c: sqlite3.Connection) -> None:
    """The delivery log (SPEC §11 D5)."""
    _run_sql(c, SCHEMA_3)


def _migration_4(c: sqlite3.Connection) -> None:
    """Bank statements, what they paid, and reminders (SPEC §12)."""
    _run_sql(c, SCHEMA_4)


MIGRATIONS: list[tuple[int, Callable[[sqlite3.Connection], None]]] = [
    (1, _migration_1), (2, _migration_2), (3, _migration_3), (4, _migration_4)]


# --- the register ----------------------------------------------------------------------------


class Register:
    """One workspace's register. Use as a context manager; it closes the connection."""

    def __init__(self, path: Path, check: bool = False):
        """Open (and migrate) the register. ``check``: also run SQLite's ``quick_check`` over every
        page, so that a register damaged in the middle is refused before a command relies on it
        (SPEC §8 T11; every command that issues, reports or repairs opens it so)."""
        self.path = Path(path)
        self.conn = None
        try:
            self.conn = sqlite3.connect(self.path, isolation_level=None, timeout=30)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=FULL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            self._migrate()
            if check:
                found = [r[0] for r in self.conn.execute("PRAGMA quick_check(5)")]
                if found != ["ok"]:
                    raise sqlite3.DatabaseError("; ".join(found))
        except sqlite3.DatabaseError as exc:  # "file is not a database", a malformed image, a full disk
            self._close_quietly()
            raise register_error(self.path, exc) from None

    def _close_quietly(self):
        if self.conn is not None:
            try:
                self.conn.close()
            except sqlite3.Error:
                pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        self.conn.close()

    def _abort(self, exc: BaseException) -> None:
        """Roll back the open transaction (SQLite may already have rolled it back itself after a
        full disk or an I/O error) and turn a storage failure into a message for the user."""
        if self.conn.in_transaction:
            try:
                self.conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass
        if isinstance(exc, sqlite3.IntegrityError):
            raise BijstandError(f"the register refused the change ({exc}) — nothing was issued; "
                                "run `bijstand status` and report this if it says the register is intact") from None
        if isinstance(exc, sqlite3.DatabaseError):
            raise register_error(self.path, exc) from None

    @contextmanager
    def snapshot(self):
        """One read transaction: every SELECT inside sees the register as one moment (WAL snapshot),
        even while another command commits (``bijstand status`` during a run, SPEC §8 T3)."""
        c = self.conn
        if c.in_transaction:
            yield
            return
        c.execute("BEGIN")
        try:
            yield
        finally:
            if c.in_transaction:
                c.execute("COMMIT")

    # --- schema -------------------------------------------------------------------------

    def _migrate(self):
        c = self.conn
        c.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT)")
        done = {r[0] for r in c.execute("SELECT version FROM schema_migrations")}
        for version, step in MIGRATIONS:
            if version in done:
                continue
            c.execute("BEGIN IMMEDIATE")
            try:
                if version not in {r[0] for r in c.execute("SELECT version FROM schema_migrations")}:
                    step(c)
                    c.execute("INSERT INTO schema_migrations VALUES (?, ?)",
                              (version, datetime.now().isoformat(timespec="seconds")))
                c.execute("COMMIT")
            except BaseException:
                if c.in_transaction:
                    c.execute("ROLLBACK")
                raise

    def schema_version(self) -> int:
        return self.conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0] or 0

    # --- reading --------------------------------------------------------------------------

    def meta(self, name: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (name,)).fetchone()
        return row[0] if row else None

    def billing_start(self) -> date | None:
        v = self.meta("billing_start")
        return date.fromisoformat(v) if v else None

    def credited(self) -> set[str]:
        return {r[0] for r in self.conn.execute("SELECT number FROM credits")}

    def coverage(self) -> dict[tuple[str, str], tuple]:
        """The billed coverage of the standing invoices: (customer key, module key) → intervals."""
        out: dict[tuple[str, str], list] = defaultdict(list)
        for r in self.conn.execute("SELECT customer_key, module_key, start, end, units FROM coverage "
                                   "WHERE number NOT IN (SELECT number FROM credits) ORDER BY start, number, line_no"):
            out[(r[0], r[1])].append((date.fromisoformat(r[2]), date.fromisoformat(r[3]), r[4]))
        return {k: tuple(v) for k, v in out.items()}

    def state(self, billing_start: date) -> RegisterState:
        handled = {r["key"]: Handled(r["number"] or "", r["fingerprint"])
                   for r in self.conn.execute("SELECT key, number, fingerprint FROM handled")}
        ups: dict[str, date] = {}
        for r in self.conn.execute("SELECT customer_id, upgrade_date FROM upgrades u WHERE NOT EXISTS "
                                   "(SELECT 1 FROM credits c WHERE c.number = u.number)"):
            d = date.fromisoformat(r["upgrade_date"])
            ck = customer_key(r["customer_id"])
            if ck not in ups or d > ups[ck]:
                ups[ck] = d
        return RegisterState(billing_start, self.coverage(), handled, ups)

    def last_issue_date(self) -> date | None:
        row = self.conn.execute("SELECT MAX(issue_date) FROM documents").fetchone()
        return date.fromisoformat(row[0]) if row and row[0] else None

    def labels(self) -> set[str]:
        return {r[0] for r in self.conn.execute("SELECT label FROM runs")}

    RUN_COLUMNS = "run_id, quarter, label, kind, started_at, invoice_date, state"

    def runs(self, payload: bool = True) -> list[sqlite3.Row]:
        columns = "*" if payload else self.RUN_COLUMNS
        return list(self.conn.execute(f"SELECT {columns} FROM runs ORDER BY run_id"))

    def outcome_counts(self, run_id: int) -> Counter:
        """How many of a run's input interventions ended in each status."""
        return Counter({status: n for status, n in self.conn.execute(
            "SELECT status, COUNT(*) FROM outcomes WHERE run_id = ? GROUP BY status", (run_id,))})

    def outcomes(self, run_id: int) -> list[InterventionOutcome]:
        return [outcome_of(tuple(r)) for r in self.conn.execute(
            "SELECT intervention_id, source, status, customer_id, date, number, amount, reason, fingerprint "
            "FROM outcomes WHERE run_id = ? ORDER BY seq", (run_id,))]

    def run_row(self, run_id: int, payload: bool = True) -> sqlite3.Row:
        columns = "*" if payload else self.RUN_COLUMNS
        return self.conn.execute(f"SELECT {columns} FROM runs WHERE run_id = ?", (run_id,)).fetchone()

    def pending_runs(self) -> list[sqlite3.Row]:
        return list(self.conn.execute("SELECT * FROM runs WHERE state = 'committed' ORDER BY run_id"))

    def documents(self, run_id: int | None = None) -> list[Invoice]:
        sql = "SELECT payload FROM documents"
        args: tuple = ()
        if run_id is not None:
            sql += " WHERE run_id = ?"
            args = (run_id,)
        sql += " ORDER BY rowid"
        return [loads(Invoice, r[0]) for r in self.conn.execute(sql, args)]

    def document(self, number: str) -> Invoice | None:
        row = self.conn.execute("SELECT payload FROM documents WHERE number = ?", (number,)).fetchone()
        return loads(Invoice, row[0]) if row else None

    def numbers(self) -> set[str]:
        """Every number issued: invoices, credit notes and reminders."""
        return {r[0] for r in self.conn.execute("SELECT number FROM documents UNION ALL SELECT number FROM reminders")}

    def handled_rows(self, run_id: int | None = None) -> list[sqlite3.Row]:
        sql = "SELECT * FROM handled" + (" WHERE run_id = ?" if run_id is not None else "") + " ORDER BY key"
        return list(self.conn.execute(sql, () if run_id is None else (run_id,)))

    # --- T3: the register checked against itself ---------------------------------------------

    def verify_chain(self) -> list[str]:
        """Recompute the SHA-256 chain over every stored field of the issued documents."""
        problems = []
        prev = GENESIS
        lines: dict[str, list[tuple]] = defaultdict(list)
        for r in self.conn.execute("SELECT * FROM document_lines ORDER BY number, line_no"):
            lines[r[0]].append(tuple(r))
        for r in self.conn.execute(f"SELECT {DOC_COLUMNS}, chain_sha256 FROM documents ORDER BY rowid"):
            row = tuple(r)
            if _sha(row[12]) != row[13]:
                problems.append(f"document {row[0]}: its content does not match its SHA-256")
            if _sha(prev + row_digest(row[:-1], lines.get(row[0], []))) != row[-1]:
                problems.append(f"document {row[0]}: the SHA-256 chain is broken here (a stored field of the "
                                "document or of its lines was changed)")
            prev = row[-1]
        known = {r[0] for r in self.conn.execute("SELECT number FROM documents")}
        orphans = sorted(set(lines) - known)
        if orphans:
            problems.append(f"lines without their document: {', '.join(orphans[:5])}")
        broken = self.meta("chain_broken_before_migration")
        if broken:
            problems.append(f"the chain was already broken before the register was upgraded, at: {broken}")
        return problems

    def verify(self) -> list[str]:
        """SPEC §8 T3: the chain, then billed coverage, upgrades and handled interventions
        recomputed from the documents and compared with what the register holds — all read in one
        snapshot, so that a run committing meanwhile is seen whole or not at all. A register whose
        pages cannot be read raises the "damaged" message."""
        try:
            with self.snapshot():
                return self._verify()
        except sqlite3.DatabaseError as exc:
            raise register_error(self.path, exc) from None

    def _verify(self) -> list[str]:
        problems = self.verify_chain()
        credited = self.credited()
        expected_cov: set[tuple] = set()
        billed_ivs: dict[str, str] = {}
        expected_ups: set[tuple] = set()
        for r in self.conn.execute("SELECT payload FROM documents WHERE document_type = 'invoice'"):
            inv = loads(Invoice, r[0])
            for row in coverage_rows(inv):
                expected_cov.add(tuple(row))
            if inv.number in credited:
                continue
            for line in inv.lines:
                if line.kind == "regie" and line.intervention_id:
                    billed_ivs[key(line.intervention_id)] = inv.number
                if line.kind == "upgrade" and line.date:
                    expected_ups.add((inv.customer_id, line.date.isoformat(), inv.number))
        faults.point("verify-read")
        stored_cov = {tuple(r) for r in self.conn.execute("SELECT * FROM coverage")}
        for row in sorted(stored_cov - expected_cov)[:10]:
            problems.append(f"billed coverage {row[2]}/{row[3]} {row[4]}…{row[5]} ×{row[6]} (document {row[0]}) "
                            "does not match the document's lines")
        for row in sorted(expected_cov - stored_cov)[:10]:
            problems.append(f"billed coverage of document {row[0]} line {row[1]} is missing from the register")
        stored_ups = {(r[0], r[1], r[2]) for r in self.conn.execute("SELECT * FROM upgrades")
                      if r[2] not in credited}
        if stored_ups != expected_ups:
            problems.append("the upgrades do not match the upgrade lines of the standing invoices")
        stored = {r["key"]: (r["intervention_id"], r["customer_id"], r["status"], r["run_id"], r["number"],
                             r["fingerprint"]) for r in self.conn.execute("SELECT * FROM handled")}
        expected = self.replayed_handled()
        for k in sorted(set(stored) | set(expected)):
            if stored.get(k) != expected.get(k):
                problems.append(_handled_difference(stored.get(k), expected.get(k)))
        for k, number in sorted(billed_ivs.items()):
            if expected.get(k, (None,) * 5)[4] != number:
                problems.append(f"intervention {k} is on the standing invoice {number}, but no run billed it there")
        return problems

    def replayed_handled(self) -> dict[str, tuple]:
        """The handled interventions as the runs' outcomes and the credit notes make them: each run
        adds its billed and included rows; a credit note releases what its invoice billed and what
        that invoice's run included for the customer (SPEC §6)."""
        handled: dict[str, tuple] = {}
        doc_run = {r[0]: (r[1], r[2]) for r in self.conn.execute("SELECT number, run_id, customer_id FROM documents")}
        for run in self.conn.execute("SELECT run_id, kind, payload FROM runs ORDER BY run_id").fetchall():
            if run["kind"] == "credit":
                credited = json.loads(run["payload"]).get("credit_of")
                run_of, customer = doc_run.get(credited, (None, None))
                handled = {k: h for k, h in handled.items()
                           if h[4] != credited and not (h[3] == run_of and h[1] == customer and h[2] == "included")}
                continue
            for row in self.conn.execute("SELECT intervention_id, customer_id, status, number, fingerprint FROM outcomes "
                                         "WHERE run_id = ? AND status IN ('billed', 'included') ORDER BY seq",
                                         (run["run_id"],)):
                handled[key(row[0])] = (row[0], row[1], row[2], run["run_id"],
                                        row[3] if row[2] == "billed" else None, row[4])
        return handled

    # --- numbering -------------------------------------------------------------------------

    def _next_seq(self, sequence: str, year: int, per_year: bool) -> int:
        if per_year:
            row = self.conn.execute("SELECT MAX(seq) FROM documents WHERE sequence = ? AND year = ?",
                                    (sequence, year)).fetchone()
        else:  # a format without {year} never restarts its sequence
            row = self.conn.execute("SELECT MAX(seq) FROM documents WHERE sequence = ?", (sequence,)).fetchone()
        return (row[0] or 0) + 1

    def _last_chain(self) -> str:
        row = self.conn.execute("SELECT chain_sha256 FROM documents ORDER BY rowid DESC LIMIT 1").fetchone()
        return row[0] if row else GENESIS

    def check_invoice_date(self, invoice_date: date, what: str = "invoice date", option: str = "--invoice-date"):
        last = self.last_issue_date()
        if last is not None and invoice_date < last:
            raise BijstandError(
                f"{what} {invoice_date} is before the last issued document ({last}); invoice "
                f"numbers must follow the dates — use {option} {last} or later")

    def _numberer(self, settings: Settings, sequence: str):
        """A function giving (number, year, seq) for an issue date, continuing the register's sequence."""
        fmt = number_format_of(settings, sequence)
        per_year = format_has_year(fmt)
        taken = self.numbers()
        nxt: dict[int, int] = {}

        def number(issue: date) -> tuple[str, int, int]:
            slot = issue.year if per_year else 0
            seq = nxt.get(slot) or self._next_seq(sequence, issue.year, per_year)
            nxt[slot] = seq + 1
            text = format_number(fmt, issue.year, seq)
            if text in taken:
                raise BijstandError(
                    f"number {text} (format {fmt!r}) was already issued — the number format gives the same number "
                    "twice; give it {year} or another prefix in bijstand.toml")
            taken.add(text)
            return text, issue.year, seq

        return number

    def _insert_documents(self, documents: list[tuple[Invoice, str, int, int]], run_id: int) -> None:
        """Documents (invoice, sequence, year, seq) with their lines and coverage, chained."""
        c = self.conn
        rows = [_document_row(inv, run_id, sequence, year, seq) for inv, sequence, year, seq in documents]
        lines = {inv.number: _line_rows(inv) for inv, *_ in documents}
        c.executemany("INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                      _chained(rows, lines.__getitem__, self._last_chain()))
        c.executemany("INSERT INTO document_lines VALUES (?,?,?,?,?,?,?,?,?,?)",
                      (row for inv, *_ in documents for row in lines[inv.number]))
        c.executemany("INSERT INTO coverage VALUES (?,?,?,?,?,?,?)",
                      (row for inv, *_ in documents for row in coverage_rows(inv)))

    # --- writing --------------------------------------------------------------------------

    def changed_since(self, priced: RegisterState, plan: Plan) -> list[tuple[str, dict]]:
        """SPEC §8 T4: what differs now from the state ``plan`` was priced against — the billed
        coverage and the last upgrade of every customer it bills, and the handled row of every
        intervention it decided on. (text key, values) pairs for :mod:`batch.texts_trust`."""
        now = self.state(priced.billing_start)
        billed = {customer_key(inv.customer_id): inv.customer_id for inv in plan.invoices}
        found: list[tuple[str, dict]] = []
        for k in sorted(set(priced.coverage) | set(now.coverage)):
            if k[0] in billed and priced.coverage.get(k, ()) != now.coverage.get(k, ()):
                found.append(("t4.coverage", {"customer": billed[k[0]], "module": k[1].upper()}))
        for ck, cid in sorted(billed.items()):
            if priced.last_upgrade.get(ck) != now.last_upgrade.get(ck):
                found.append(("t4.upgrade", {"customer": cid}))
        for o in plan.outcomes:
            if priced.handled_of(o.intervention_id) != now.handled_of(o.intervention_id):
                found.append(("t4.handled", {"intervention": o.intervention_id}))
        return found

    def commit_run(self, plan: Plan, label: str, started_at: str, payload: dict, settings: Settings,
                   billing_start: date, input_files: list, priced: RegisterState | None = None,
                   ) -> tuple[int, list[Invoice], list[InterventionOutcome]]:
        """Number and record a whole run in one transaction; returns (run id, invoices, outcomes).

        ``priced`` is the register's state the plan was priced against (:meth:`state`): inside the
        transaction the billed coverage, upgrades and handled interventions the plan relies on are
        read again, and if another command changed them since, nothing is recorded (SPEC §8 T4).
        """
        from .texts_trust import text

        c = self.conn
        c.execute("BEGIN IMMEDIATE")
        try:
            if priced is not None:
                changed = self.changed_since(priced, plan)
                if changed:
                    lang = settings.ui.language
                    what = "; ".join(text(k, lang, **v) for k, v in changed[:3]) + (" …" if len(changed) > 3 else "")
                    raise BijstandError(text("t4.changed", lang, what=what))
            self.check_invoice_date(plan.invoice_date)
            if self.meta("billing_start") is None:
                c.execute("INSERT INTO meta VALUES ('billing_start', ?)", (billing_start.isoformat(),))
            number = self._numberer(settings, "invoice")
            numbered: list[Invoice] = []
            docs = []
            numbers: dict[str, str] = {}
            for draft in sorted(plan.invoices, key=lambda i: i.customer_id):
                text, year, seq = number(draft.issue_date)
                inv = replace(draft, number=text, structured_reference=structured_reference(year, seq))
                numbered.append(inv)
                docs.append((inv, "invoice", year, seq))
                numbers[draft.customer_id] = text
            outcomes = _numbered_outcomes(plan.outcomes, numbers)
            run_id = c.execute("INSERT INTO runs (quarter, label, kind, started_at, invoice_date, state, payload) "
                               "VALUES (?,?,?,?,?,?,?)",
                               (plan.quarter, label, "run", started_at, plan.invoice_date.isoformat(), "committed",
                                json.dumps(payload, ensure_ascii=False))).lastrowid
            self._insert_documents(docs, run_id)
            c.executemany("INSERT INTO upgrades VALUES (?,?,?)",
                          [(inv.customer_id, plan.upgrades[inv.customer_id].isoformat(), inv.number)
                           for inv in numbered if inv.customer_id in plan.upgrades])
            c.executemany("INSERT INTO handled VALUES (?,?,?,?,?,?,?)", handled_rows(run_id, outcomes))
            c.executemany("INSERT INTO outcomes VALUES (?,?,?,?,?,?,?,?,?,?,?)", _outcome_rows(run_id, outcomes))
            c.executemany("INSERT INTO input_files VALUES (?,?,?,?,?)",
                          [(run_id, f.path, f.sha256, f.kind, f.rows) for f in input_files])
            faults.point("in-commit")
            c.execute("COMMIT")
        except BaseException as exc:
            self._abort(exc)
            raise
        return run_id, numbered, outcomes

    def mark_written(self, run_id: int, files: dict[str, str]):
        c = self.conn
        c.execute("BEGIN IMMEDIATE")
        try:
            c.execute("DELETE FROM output_files WHERE run_id = ?", (run_id,))
            c.executemany("INSERT INTO output_files VALUES (?,?,?)",
                          [(run_id, path, sha) for path, sha in sorted(files.items())])
            c.execute("UPDATE runs SET state = 'written' WHERE run_id = ?", (run_id,))
            c.execute("COMMIT")
        except BaseException as exc:
            self._abort(exc)
            raise

    def output_files(self) -> list[sqlite3.Row]:
        return list(self.conn.execute(
            "SELECT r.label, o.path, o.sha256 FROM output_files o JOIN runs r USING (run_id) ORDER BY r.run_id, o.path"))

    # --- credit notes -----------------------------------------------------------------------

    def commit_credit(self, number: str, reason: str, credit_date: date, started_at: str, label: str,
                      settings: Settings, payload: dict | None = None) -> tuple[int, Invoice]:
        """Issue a credit note for the whole invoice ``number`` and release what it billed: its
        billed coverage (no longer standing), its interventions and its upgrade."""
        c = self.conn
        c.execute("BEGIN IMMEDIATE")
        try:
            row = c.execute("SELECT * FROM documents WHERE number = ?", (number,)).fetchone()
            if row is None:
                raise BijstandError(f"there is no invoice {number} in the register — see `bijstand status`")
            if row["document_type"] != "invoice":
                raise BijstandError(f"{number} is a credit note; only invoices can be credited")
            done = c.execute("SELECT credit_number FROM credits WHERE number = ?", (number,)).fetchone()
            if done:
                raise BijstandError(f"invoice {number} was already credited by {done[0]}")
            self.check_invoice_date(credit_date, "credit note date", "--date")
            inv = loads(Invoice, row["payload"])
            sequence = "credit" if settings.invoice.credit_number_format else "invoice"
            credit_no, year, seq = self._numberer(settings, sequence)(credit_date)
            run_id = c.execute("INSERT INTO runs (quarter, label, kind, started_at, invoice_date, state, payload) "
                               "VALUES (?,?,?,?,?,?,?)",
                               (inv.quarter, label, "credit", started_at, credit_date.isoformat(), "committed",
                                json.dumps({"credit_of": number, "reason": reason, **(payload or {})},
                                           ensure_ascii=False))).lastrowid
            credit = credit_note_of(inv, credit_no, credit_date, reason)
            self._insert_documents([(credit, sequence, year, seq)], run_id)
            c.execute("INSERT INTO credits VALUES (?,?,?)", (number, credit_no, reason))
            c.execute("DELETE FROM handled WHERE number = ?", (number,))
            # included interventions of the credited invoice's customer in that run are released too
            c.execute("DELETE FROM handled WHERE run_id = ? AND customer_id = ? AND status = 'included'",
                      (row["run_id"], inv.customer_id))
            c.execute("COMMIT")
        except BaseException as exc:
            self._abort(exc)
            raise
        return run_id, credit

    # --- backups (SPEC §8 T2) ---------------------------------------------------------------

    def backup(self, folder: Path, label: str, keep: int = 10) -> Path:
        """A consistent copy of the register (SQLite's backup API) in ``folder``; the oldest copies
        beyond ``keep`` are removed."""
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob(".bijstand-*.tmp"):  # a copy interrupted by a crash
            stale.unlink(missing_ok=True)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        target = folder / f"bijstand-{stamp}-{label}.sqlite"
        tmp = target.with_name("." + target.name + ".tmp")
        dest = sqlite3.connect(tmp)
        try:
            self.conn.backup(dest)
        finally:
            dest.close()
        tmp.replace(target)
        for old in sorted(folder.glob("bijstand-*.sqlite"))[:-keep]:
            old.unlink(missing_ok=True)
        return target
