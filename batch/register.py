"""The register: a small SQLite database that remembers what was issued.

It owns runs, issued documents (invoices and credit notes, never updated or deleted), their
lines, billed-through dates per licence, handled interventions, upgrades, the input files read
and the billing start. Schema versions are recorded in a migrations table; every change
happens inside one transaction.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import operator
import sqlite3
from collections import Counter
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from stdnum.be import ogm_vcs

from . import faults
from .billing.engine import Plan, RegisterState
from .model import Invoice, InterventionOutcome
from .problems import BijstandError
from .serialize import dumps, dumps_joined, loads
from .settings import Settings

MIGRATIONS: list[tuple[int, str]] = [
    (1, """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE runs (
        run_id INTEGER PRIMARY KEY,
        quarter TEXT NOT NULL,
        label TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,               -- run | credit
        started_at TEXT NOT NULL,
        invoice_date TEXT NOT NULL,
        state TEXT NOT NULL,              -- committed | written
        payload TEXT NOT NULL             -- JSON: outcomes, problems, customers, files, settings
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
        chain_sha256 TEXT NOT NULL,       -- sha256(previous chain + payload sha256)
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
    CREATE TABLE fee_moves (              -- billed-through changes made by a document
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
        number TEXT                        -- the document that set it
    );
    CREATE TABLE handled (
        intervention_id TEXT PRIMARY KEY,
        customer_id TEXT NOT NULL,
        status TEXT NOT NULL,              -- billed | included
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
    CREATE TRIGGER documents_no_update BEFORE UPDATE ON documents
        BEGIN SELECT RAISE(ABORT, 'issued documents cannot be changed'); END;
    CREATE TRIGGER documents_no_delete BEFORE DELETE ON documents
        BEGIN SELECT RAISE(ABORT, 'issued documents cannot be deleted'); END;
    CREATE TRIGGER lines_no_update BEFORE UPDATE ON document_lines
        BEGIN SELECT RAISE(ABORT, 'issued documents cannot be changed'); END;
    CREATE TRIGGER lines_no_delete BEFORE DELETE ON document_lines
        BEGIN SELECT RAISE(ABORT, 'issued documents cannot be deleted'); END;
    """),
]

GENESIS = "0" * 64

# a run's row; the last parameter is the condition (see Register.commit_run)
_INSERT_RUN = ("INSERT INTO runs (quarter, label, kind, started_at, invoice_date, state, payload) "
               "SELECT ?,?,?,?,?,?,? WHERE ?")


def storage_error(path: Path, exc: Exception) -> BijstandError:
    """A register that cannot be read or written (full disk, read-only folder, I/O error)."""
    return BijstandError(
        f"the register {path} could not be read or updated ({exc}) — is the disk full or the folder "
        "read-only? What failed was rolled back; free disk space or fix the permissions, then run the "
        "same command again")


def structured_reference(year: int, seq: int) -> str:
    """The Belgian structured payment reference (OGM/VCS) of a document.

    Ten digits (year and sequence) plus the mod-97 check digits:

    >>> structured_reference(2027, 1)
    '+++202/7000/00122+++'
    """
    base = f"{year % 10000:04d}{seq % 1000000:06d}"
    return "+++" + ogm_vcs.format(base + ogm_vcs.calc_check_digits(base)) + "+++"


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _format_number(settings: Settings, sequence: str, year: int, seq: int) -> str:
    fmt = settings.invoice.number_format
    if sequence == "credit" and settings.invoice.credit_number_format:
        fmt = settings.invoice.credit_number_format
    return fmt.format(year=year, seq=seq)


def _document_rows(invoices, places, run_id: int, sequence: str, chain: str):
    """The documents rows of ``invoices``, each payload serialised when its row is inserted; the
    SHA-256 chain continues from ``chain`` (the register's last document)."""
    for inv, (year, seq) in zip(invoices, places):
        payload = dumps(inv)
        psha = _sha(payload)
        chain = _sha(chain + psha)
        yield (inv.number, sequence, year, seq, inv.document_type, run_id, inv.customer_id,
               inv.issue_date.isoformat(), str(inv.net), str(inv.vat), str(inv.total), inv.credited_number,
               payload, psha, chain)


def _line_rows(inv: Invoice):
    return [(inv.number, i, line.kind, line.licence_key, line.intervention_id,
             line.period_start.isoformat() if line.period_start else None,
             line.period_end.isoformat() if line.period_end else None,
             str(line.amount), line.gl_account, line.vat_category) for i, line in enumerate(inv.lines, 1)]


def _run_payload(payload: dict, outcomes: list[InterventionOutcome]) -> str:
    """A run's payload JSON: ``{…payload…, "outcomes": […]}`` — the payload's keys as json.dumps
    writes them, then every outcome as dumps writes it (the text the register always stored),
    joined once; nothing but the text outlives the call.

    >>> _run_payload({"version": "1"}, [])
    '{"version": "1","outcomes":[]}'
    """
    head = json.dumps(payload, ensure_ascii=False)
    return "".join([head[:-1], ("," if payload else "") + '"outcomes":[', *dumps_joined(outcomes), "]}"])


def _numbered_outcomes(outcomes: list[InterventionOutcome], numbers: dict[str, str]) -> list[InterventionOutcome]:
    """The outcomes with the invoice number of every billed one filled in (the others as they are).

    ``dataclasses.replace`` checks its arguments per call; a billed outcome is rebuilt here from
    its field values with the number put in its place (a run has 100,000 of them).
    """
    fields = dataclasses.fields(InterventionOutcome)
    at = [f.name for f in fields].index("number")
    values = operator.attrgetter(*(f.name for f in fields))
    out = []
    for o in outcomes:
        if o.status == "billed":
            v = values(o)
            o = InterventionOutcome(*v[:at], numbers.get(o.customer_id), *v[at + 1:])
        out.append(o)
    return out


class Register:
    """One workspace's register. Use as a context manager; it closes the connection."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.conn = None
        try:
            self.conn = sqlite3.connect(self.path, isolation_level=None, timeout=30)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=FULL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.OperationalError as exc:
            if self.conn is not None:
                self.conn.close()
            raise storage_error(self.path, exc) from None

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
        if isinstance(exc, sqlite3.OperationalError):
            raise storage_error(self.path, exc) from None

    # --- schema -------------------------------------------------------------------------

    def _migrate(self):
        c = self.conn
        c.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT)")
        done = {r[0] for r in c.execute("SELECT version FROM schema_migrations")}
        for version, sql in MIGRATIONS:
            if version in done:
                continue
            c.execute("BEGIN IMMEDIATE")
            try:
                for stmt in _statements(sql):
                    c.execute(stmt)
                c.execute("INSERT INTO schema_migrations VALUES (?, ?)",
                          (version, datetime.now().isoformat(timespec="seconds")))
                c.execute("COMMIT")
            except BaseException:
                if c.in_transaction:
                    c.execute("ROLLBACK")
                raise

    # --- reading --------------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def billing_start(self) -> date | None:
        v = self.meta("billing_start")
        return date.fromisoformat(v) if v else None

    def state(self, billing_start: date) -> RegisterState:
        bt = {r["licence_key"]: date.fromisoformat(r["through"])
              for r in self.conn.execute("SELECT licence_key, through FROM billed_through")}
        handled = {r["intervention_id"]: r["number"] or ""
                   for r in self.conn.execute("SELECT intervention_id, number FROM handled")}
        ups: dict[str, date] = {}
        for r in self.conn.execute("SELECT customer_id, upgrade_date FROM upgrades u WHERE NOT EXISTS "
                                   "(SELECT 1 FROM credits c WHERE c.number = u.number)"):
            d = date.fromisoformat(r["upgrade_date"])
            if r["customer_id"] not in ups or d > ups[r["customer_id"]]:
                ups[r["customer_id"]] = d
        return RegisterState(billing_start, bt, handled, ups)

    def last_issue_date(self) -> date | None:
        row = self.conn.execute("SELECT MAX(issue_date) FROM documents").fetchone()
        return date.fromisoformat(row[0]) if row and row[0] else None

    def labels(self) -> set[str]:
        return {r[0] for r in self.conn.execute("SELECT label FROM runs")}

    RUN_COLUMNS = "run_id, quarter, label, kind, started_at, invoice_date, state"

    def runs(self, payload: bool = True) -> list[sqlite3.Row]:
        """Every run's row, in order; ``payload=False`` leaves out the payloads (a large run's
        outcomes are a hundred MB of JSON)."""
        columns = "*" if payload else self.RUN_COLUMNS
        return list(self.conn.execute(f"SELECT {columns} FROM runs ORDER BY run_id"))

    def outcome_counts(self, run_id: int) -> Counter:
        """How many of a run's input interventions ended in each status, counted by SQLite in
        the stored payload (no 100 MB of JSON parsed into Python objects)."""
        try:
            rows = self.conn.execute(
                "SELECT json_extract(o.value, '$.status'), COUNT(*) FROM runs, json_each(runs.payload, "
                "'$.outcomes') AS o WHERE runs.run_id = ? GROUP BY 1", (run_id,)).fetchall()
            return Counter({status: n for status, n in rows})
        except sqlite3.OperationalError:  # an SQLite built without JSON functions
            payload = json.loads(self.run_row(run_id)["payload"])
            return Counter(o["status"] for o in payload.get("outcomes", []))

    def run_row(self, run_id: int, payload: bool = True) -> sqlite3.Row:
        """One run's row; without its payload (the outcomes of a large run are a hundred MB of JSON)
        when the caller needs only its label, dates and state."""
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
        sql += " ORDER BY sequence, year, seq"
        return [loads(Invoice, r[0]) for r in self.conn.execute(sql, args)]

    def document(self, number: str) -> Invoice | None:
        row = self.conn.execute("SELECT payload FROM documents WHERE number = ?", (number,)).fetchone()
        return loads(Invoice, row[0]) if row else None

    def run_payload(self, run_id: int) -> dict:
        row = self.conn.execute("SELECT payload FROM runs WHERE run_id = ?", (run_id,)).fetchone()
        return json.loads(row[0])

    def verify_chain(self) -> list[str]:
        """Recompute the SHA-256 chain over issued documents; returns the problems found."""
        problems = []
        prev = GENESIS
        for r in self.conn.execute("SELECT number, payload, payload_sha256, chain_sha256 FROM documents "
                                   "ORDER BY rowid"):
            if _sha(r["payload"]) != r["payload_sha256"]:
                problems.append(f"document {r['number']}: its content does not match its SHA-256")
            if _sha(prev + r["payload_sha256"]) != r["chain_sha256"]:
                problems.append(f"document {r['number']}: the SHA-256 chain is broken here")
            prev = r["chain_sha256"]
        return problems

    # --- writing --------------------------------------------------------------------------

    def _next_seq(self, sequence: str, year: int) -> int:
        row = self.conn.execute("SELECT MAX(seq) FROM documents WHERE sequence = ? AND year = ?",
                                (sequence, year)).fetchone()
        return (row[0] or 0) + 1

    def _last_chain(self) -> str:
        row = self.conn.execute("SELECT chain_sha256 FROM documents ORDER BY rowid DESC LIMIT 1").fetchone()
        return row[0] if row else GENESIS

    def _insert_document(self, inv: Invoice, run_id: int, sequence: str, year: int, seq: int):
        self.conn.executemany("INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                              _document_rows([inv], [(year, seq)], run_id, sequence, self._last_chain()))
        self.conn.executemany("INSERT INTO document_lines VALUES (?,?,?,?,?,?,?,?,?,?)", _line_rows(inv))

    def _number(self, settings: Settings, sequence: str, issue_date: date) -> tuple[str, int, int]:
        year = issue_date.year
        seq = self._next_seq(sequence, year)
        return _format_number(settings, sequence, year, seq), year, seq

    def check_invoice_date(self, invoice_date: date):
        last = self.last_issue_date()
        if last is not None and invoice_date < last:
            raise BijstandError(
                f"invoice date {invoice_date} is before the last issued document ({last}); invoice "
                f"numbers must follow the dates — use --invoice-date {last} or later")

    def commit_run(self, plan: Plan, label: str, started_at: str, payload: dict, settings: Settings,
                   billing_start: date, input_files: list) -> tuple[int, list[Invoice], list[InterventionOutcome]]:
        """Number and record a whole run in one transaction; returns (run id, invoices, outcomes).

        The invoices are numbered first (in customer order, continuing the register's sequence),
        so that the run's row is inserted once with its whole payload; then every table is filled
        with one ``executemany`` over a generator, parents before children (the foreign keys hold
        at every insert), each in the order the rows were always inserted in.
        """
        c = self.conn
        c.execute("BEGIN IMMEDIATE")
        try:
            self.check_invoice_date(plan.invoice_date)
            if self.meta("billing_start") is None:
                c.execute("INSERT INTO meta VALUES ('billing_start', ?)", (billing_start.isoformat(),))
            numbered: list[Invoice] = []
            numbers: dict[str, str] = {}
            places: list[tuple[int, int]] = []  # (year, seq) of each numbered invoice
            next_seq: dict[int, int] = {}
            for draft in sorted(plan.invoices, key=lambda i: i.customer_id):
                year = draft.issue_date.year
                seq = next_seq.get(year) or self._next_seq("invoice", year)
                next_seq[year] = seq + 1
                number = _format_number(settings, "invoice", year, seq)
                numbered.append(replace(draft, number=number, structured_reference=structured_reference(year, seq)))
                numbers[draft.customer_id] = number
                places.append((year, seq))
            outcomes = _numbered_outcomes(plan.outcomes, numbers)
            text = _run_payload(payload, outcomes)
            del payload  # the caller passes its plain values only for this text
            run_id = c.execute(_INSERT_RUN, (plan.quarter, label, "run", started_at, plan.invoice_date.isoformat(),
                                             "committed", text, True)).lastrowid
            del text  # before the documents are serialised: a large run's payload is ~100 MB
            # the connection's cached statement keeps its parameters bound, and SQLite holds a copy of
            # that text until they are bound again: executed with a false condition, it inserts nothing
            # and lets the copy go (else it stays for as long as the register is open)
            c.execute(_INSERT_RUN, (None,) * 7 + (False,))
            c.executemany("INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                          _document_rows(numbered, places, run_id, "invoice", self._last_chain()))
            c.executemany("INSERT INTO document_lines VALUES (?,?,?,?,?,?,?,?,?,?)",
                          (row for inv in numbered for row in _line_rows(inv)))
            moves = [(inv.number, inv.customer_id, key, old, new) for inv in numbered
                     for key, (old, new) in plan.billed_through.get(inv.customer_id, {}).items()
                     if any(l.licence_key == key for l in inv.lines)]
            c.executemany("INSERT INTO fee_moves VALUES (?,?,?,?)",
                          [(number, key, old.isoformat() if old else None, new.isoformat())
                           for number, _, key, old, new in moves])
            c.executemany("INSERT INTO billed_through VALUES (?,?,?,?) ON CONFLICT(licence_key) DO UPDATE "
                          "SET through = excluded.through, number = excluded.number",
                          [(key, cid, new.isoformat(), number) for number, cid, key, _, new in moves])
            c.executemany("INSERT INTO upgrades VALUES (?,?,?)",
                          [(inv.customer_id, plan.upgrades[inv.customer_id].isoformat(), inv.number)
                           for inv in numbered if inv.customer_id in plan.upgrades])
            c.executemany("INSERT INTO handled VALUES (?,?,?,?,?)",
                          ((iv_id, cid, status, run_id, numbers.get(cid) if status == "billed" else None)
                           for iv_id, cid, status in plan.handled))
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
            for path, sha in sorted(files.items()):
                c.execute("INSERT OR REPLACE INTO output_files VALUES (?,?,?)", (run_id, path, sha))
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
                      settings: Settings) -> tuple[int, Invoice]:
        """Issue a credit note for the whole invoice ``number`` and release what it billed."""
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
            # every licence it moved must still be billed through the date it set
            for m in c.execute("SELECT * FROM fee_moves WHERE number = ?", (number,)).fetchall():
                cur = c.execute("SELECT through, number FROM billed_through WHERE licence_key = ?",
                                (m["licence_key"],)).fetchone()
                if cur is None or cur["number"] != number:
                    raise BijstandError(
                        f"invoice {number} cannot be credited: the fees of {m['licence_key']} were billed "
                        f"again later by {cur['number'] if cur else '?'} — credit that invoice first")
            self.check_invoice_date(credit_date)
            inv = loads(Invoice, row["payload"])
            sequence = "credit" if settings.invoice.credit_number_format else "invoice"
            credit_no, year, seq = self._number(settings, sequence, credit_date)
            cur = c.execute("INSERT INTO runs (quarter, label, kind, started_at, invoice_date, state, payload) "
                            "VALUES (?,?,?,?,?,?,?)",
                            (inv.quarter, label, "credit", started_at, credit_date.isoformat(), "committed",
                             json.dumps({"credit_of": number, "reason": reason})))
            run_id = cur.lastrowid
            credit = replace(
                inv, document_type="credit_note", number=credit_no, issue_date=credit_date,
                due_date=credit_date, structured_reference=structured_reference(year, seq),
                credited_number=number, credited_date=inv.issue_date, credit_reason=reason,
            )
            self._insert_document(credit, run_id, sequence, year, seq)
            c.execute("INSERT INTO credits VALUES (?,?,?)", (number, credit_no, reason))
            for m in c.execute("SELECT * FROM fee_moves WHERE number = ?", (number,)).fetchall():
                if m["old_through"] is None:
                    c.execute("DELETE FROM billed_through WHERE licence_key = ?", (m["licence_key"],))
                else:
                    # the standing document that set the date restored (an earlier one with the same
                    # date may have been credited and billed again since)
                    prev = c.execute("SELECT number FROM fee_moves WHERE licence_key = ? AND new_through = ? "
                                     "AND number != ? AND number NOT IN (SELECT number FROM credits) "
                                     "ORDER BY rowid DESC",
                                     (m["licence_key"], m["old_through"], number)).fetchone()
                    c.execute("UPDATE billed_through SET through = ?, number = ? WHERE licence_key = ?",
                              (m["old_through"], prev[0] if prev else None, m["licence_key"]))
            run_of = row["run_id"]
            c.execute("DELETE FROM handled WHERE number = ?", (number,))
            # included interventions of the credited invoice's customer in that run are released too
            c.execute("DELETE FROM handled WHERE run_id = ? AND customer_id = ? AND status = 'included'",
                      (run_of, inv.customer_id))
            c.execute("COMMIT")
        except BaseException as exc:
            self._abort(exc)
            raise
        return run_id, credit


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


def decimal(text: str) -> Decimal:
    return Decimal(text)
