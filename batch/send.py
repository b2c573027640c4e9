"""`bijstand send` (SPEC §11): every issued document reaches its customer once — over Peppol through
an access point, by e-mail, or listed to print and post.

The channel per document (D1): Peppol when the buyer has a Peppol address (SPEC §9 L6) and
``[delivery.peppol]`` is configured; else e-mail to the customer's invoice address (``e-mail facturen``,
else ``e-mail``) with its ``cc``, when ``[delivery.email]`` is configured; else post.
``delivery.email_copy`` also e-mails a copy to Peppol customers with an address. Reminders go by e-mail
or post, never Peppol.

Never twice, never lost (D5): every delivery is a row of the register's ``deliveries`` table whose
state goes pending → sending → sent | failed | uncertain, each step in its own transaction: the row
is written ``pending`` first, ``sending`` just before the network call, and its outcome after it —
``sent`` (the server or access point took it), ``failed`` (refused for good), ``pending`` (nothing was
handed over: a connection refused, unreachable, a DNS or TLS failure, a timeout while connecting, a
busy server; tried again by the next ``send``) or ``uncertain`` (the message went out and no answer
came back: a dropped connection or a read timeout after the request). A command killed during the
network call leaves ``sending``, which the next command turns into ``uncertain``: it is listed by
``status`` and never repeated by itself — ``--resend NUMBER`` is the explicit way; ``failed`` ones need
the cause fixed and ``--resend``. Post is recorded at once as ``post`` ("to print and post"). A
document whose PDF or UBL is missing or differs from the SHA-256 the register recorded is not sent: it
stays ``pending`` with a message naming the file (``bijstand repair`` writes it again). Every state
change is also appended to ``output/verzending.jsonl``, from which ``repair`` restores the table.

``--dry-run`` writes ``output/outbox/`` (an ``.eml`` per e-mail; per Peppol message the UBL and a
``.json`` of the request) and changes nothing. No secret is ever written: the settings only name the
environment variables that hold them.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable

from . import faults
from .lock import WorkspaceLock
from .model import Invoice
from .problems import UsageError
from .run import check_witnesses, open_register
from .settings import Settings, load_settings
from .workspace import OUTPUT

LOG_FILE = "verzending.jsonl"  # output/verzending.jsonl: every state change, appended
OUTBOX = "outbox"


@dataclass(frozen=True)
class Target:
    """Where one document goes: a channel and its address."""

    channel: str  # peppol | email | post
    address: str
    copy: bool = False  # an e-mail copy beside Peppol (delivery.email_copy)


@dataclass
class SendLine:
    number: str
    channel: str
    address: str
    state: str
    detail: str = ""
    message_id: str | None = None
    resend: int = 0
    copy: bool = False  # the e-mail copy beside Peppol
    blocked: bool = False  # not tried: a file of the document is missing or changed (`bijstand repair`)


@dataclass
class SendReport:
    lines: list[SendLine] = field(default_factory=list)
    dry_run: bool = False
    outbox: Path | None = None
    uncertain_before: list[str] = field(default_factory=list)  # rows found 'sending': a command was killed

    @property
    def totals(self) -> Counter:
        return Counter(line.state for line in self.lines)

    @property
    def needs_a_fix(self) -> bool:
        """A document failed or waits for a repair: the command exits 1."""
        return any(line.state == "failed" or line.blocked for line in self.lines)


def postal_address(inv: Invoice) -> str:
    b = inv.buyer
    return ", ".join(x for x in (b.name, b.street, f"{b.postcode} {b.city}".strip(), b.country) if x)


def targets(inv: Invoice, settings: Settings, kind: str = "") -> list[Target]:
    """D1: the channel(s) of one document under ``settings``."""
    from .documents.ubl import buyer_endpoint

    kind = kind or inv.document_type
    email_ok = bool(settings.delivery.email.host)
    address = inv.buyer.email or ""
    out: list[Target] = []
    endpoint = buyer_endpoint(inv.buyer) if kind != "reminder" else None
    if endpoint and settings.delivery.peppol.provider:
        out.append(Target("peppol", f"{endpoint[0]}:{endpoint[1]}"))
        if settings.delivery.email_copy and email_ok and address:
            out.append(Target("email", _email_address(inv), copy=True))
        return out
    if email_ok and address:
        return [Target("email", _email_address(inv))]
    return [Target("post", postal_address(inv))]


def _email_address(inv: Invoice) -> str:
    return inv.buyer.email + (f"; cc {inv.buyer.cc}" if inv.buyer.cc else "")


def planned_channels(invoices, settings: Settings) -> dict[str, str]:
    """number → the channel(s) a document will go by, for the summary's Verzending sheet."""
    return {inv.number: "+".join(t.channel for t in targets(inv, settings)) for inv in invoices if inv.number}


# --- the register's delivery log ---------------------------------------------------------------------


class Deliveries:
    """The ``deliveries`` table of an open register, and the witness log beside output/.

    Every state change is its own transaction, appended to output/verzending.jsonl once committed:
    :meth:`pending` (the row, before anything is tried), :meth:`sending` (just before the network
    call), :meth:`finish` (its outcome)."""

    def __init__(self, reg, workspace: Path):
        self.reg = reg
        self.c = reg.conn
        self.log = Path(workspace) / OUTPUT / LOG_FILE

    def rows(self, number: str | None = None) -> list:
        if number is None:
            return list(self.c.execute("SELECT * FROM deliveries ORDER BY delivery_id"))
        return list(self.c.execute("SELECT * FROM deliveries WHERE number = ? ORDER BY delivery_id", (number,)))

    def by_number(self) -> dict[str, list]:
        found: dict[str, list] = {}
        for row in self.c.execute("SELECT * FROM deliveries ORDER BY delivery_id"):
            found.setdefault(row["number"], []).append(row)
        return found

    def _write(self, sql: str, args: tuple) -> int:
        c = self.c
        c.execute("BEGIN IMMEDIATE")
        try:
            cur = c.execute(sql, args)
            c.execute("COMMIT")
        except BaseException as exc:
            self.reg._abort(exc)
            raise
        return cur.lastrowid

    def _append_log(self, delivery_id: int, sync: bool = True) -> None:
        """The row's new state appended to output/verzending.jsonl; ``sync=False`` leaves it to the next
        fsync of the file (a lost ``pending`` line restores as no row: the document is untried either way)."""
        row = self.c.execute("SELECT * FROM deliveries WHERE delivery_id = ?", (delivery_id,)).fetchone()
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(dict(row), ensure_ascii=False, sort_keys=True) + "\n")
            fh.flush()
            if sync:
                os.fsync(fh.fileno())

    def pending(self, number: str, kind: str, target: Target, resend: int, now: str, detail: str = "") -> int:
        """A new row in state ``pending`` (nothing tried yet), committed on its own."""
        delivery_id = self._write(
            "INSERT INTO deliveries (number, kind, channel, address, state, resend, attempts, detail, created_at, "
            "updated_at) VALUES (?,?,?,?,'pending',?,0,?,?,?)",
            (number, kind, target.channel, target.address, resend, detail, now, now))
        self._append_log(delivery_id, sync=bool(detail))  # the sending step that follows syncs the file
        return delivery_id

    def hold(self, delivery_id: int, target: Target, detail: str, now: str) -> None:
        """A pending row stays pending, with the reason it was not tried (e.g. a missing file)."""
        self._write("UPDATE deliveries SET state = 'pending', channel = ?, address = ?, detail = ?, updated_at = ? "
                    "WHERE delivery_id = ?", (target.channel, target.address, detail, now, delivery_id))
        self._append_log(delivery_id)

    def sending(self, delivery_id: int, target: Target, now: str) -> None:
        """State ``sending``, committed just before the network call; a kill from here on leaves it
        ``sending``, which the next command turns into ``uncertain``. A pending row retried goes by
        today's channel and address (nothing was handed over before)."""
        self._write("UPDATE deliveries SET state = 'sending', channel = ?, address = ?, attempts = attempts + 1, "
                    "updated_at = ? WHERE delivery_id = ?", (target.channel, target.address, now, delivery_id))
        self._append_log(delivery_id)

    def finish(self, delivery_id: int, state: str, message_id: str | None, detail: str, now: str) -> None:
        self._write("UPDATE deliveries SET state = ?, message_id = COALESCE(?, message_id), detail = ?, "
                    "updated_at = ? WHERE delivery_id = ?", (state, message_id, detail, now, delivery_id))
        self._append_log(delivery_id)

    def record_post(self, number: str, kind: str, target: Target, now: str) -> None:
        delivery_id = self._write(
            "INSERT INTO deliveries (number, kind, channel, address, state, resend, attempts, detail, created_at, "
            "updated_at) VALUES (?,?,?,?,'post',0,0,'',?,?)", (number, kind, "post", target.address, now, now))
        self._append_log(delivery_id)

    def interrupted(self, now: str, detail: str) -> list[str]:
        """Rows left ``sending`` by a killed command become ``uncertain`` (D5); their numbers."""
        stale = [(r["delivery_id"], r["number"]) for r in self.c.execute(
            "SELECT delivery_id, number FROM deliveries WHERE state = 'sending'")]
        for delivery_id, _ in stale:
            self.finish(delivery_id, "uncertain", None, detail, now)
        return [n for _, n in stale]


def restore_from_log(reg, workspace: Path) -> int:
    """``repair``: the deliveries table rebuilt from output/verzending.jsonl (the last state of every row)."""
    log = Path(workspace) / OUTPUT / LOG_FILE
    if not log.is_file():
        return 0
    last: dict[int, dict] = {}
    with open(log, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                try:
                    row = json.loads(line)
                except ValueError:
                    continue  # a line cut by a crash: the row before it stands
                last[row["delivery_id"]] = row
    c = reg.conn
    c.execute("BEGIN IMMEDIATE")
    try:
        c.execute("DELETE FROM deliveries")
        columns = [r[1] for r in c.execute("PRAGMA table_info(deliveries)")]
        c.executemany(f"INSERT INTO deliveries ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                      [tuple(row.get(col) for col in columns) for _, row in sorted(last.items())])
        c.execute("COMMIT")
    except BaseException as exc:
        reg._abort(exc)
        raise
    return len(last)


# --- sending -----------------------------------------------------------------------------------------


def kind_of(doc) -> str:
    """invoice | credit_note | reminder."""
    return getattr(doc, "document_type", None) or "reminder"


def reminders_of(reg) -> list:
    from .model import Reminder
    from .serialize import loads

    return [loads(Reminder, r[0]) for r in reg.conn.execute("SELECT payload FROM reminders ORDER BY issue_date, "
                                                            "year, seq")]


def document_of(doc):
    """What an e-mail says about ``doc`` (an invoice, a credit note or a reminder)."""
    from .delivery.email import Document, document_of_invoice

    if kind_of(doc) != "reminder":
        return document_of_invoice(doc)
    return Document("reminder", doc.number, doc.issue_date, doc.language, doc.legal_language, doc.seller.name,
                    doc.total, doc.due_date, doc.seller.iban or "", doc.structured_reference or "")


# the files of a document in its run folder: kind -> (subfolder, suffix)
FILES = {"pdf": ("pdf", "pdf"), "ubl": ("peppol", "xml"), "xlsx": ("facturen", "xlsx"),
         "reminder": ("herinneringen", "xlsx")}


def _text(lang: str, key: str, **fmt) -> str:
    from .texts_send import TEXTS

    entry = TEXTS[key]
    value = entry.get(lang) or entry["nl"]
    return value.format(**fmt) if fmt else value


def verified_files(workspace: Path, label: str, number: str, wanted: list[tuple[str, bool]],
                   recorded: dict[tuple[str, str], str], lang: str = "nl") -> tuple[dict[str, tuple[str, bytes]], list[str]]:
    """The files of ``number`` that a delivery carries, read once and checked against the SHA-256 the
    register recorded when the run was written: ``{kind: (file name, bytes)}`` and the problems.

    ``wanted`` lists (kind, required): a required file must exist; any file the register records must
    exist and be unchanged. A document with a problem is not sent (its file would be missing from the
    message, or differ from the issued document): ``bijstand repair`` writes the issued version again.
    """
    found: dict[str, tuple[str, bytes]] = {}
    problems: list[str] = []
    for kind, required in wanted:
        sub, ext = FILES[kind]
        rel = f"{sub}/{number}.{ext}"
        path = Path(workspace) / OUTPUT / label / rel
        sha = recorded.get((label, rel))
        shown = f"{OUTPUT}/{label}/{rel}"
        try:
            data = path.read_bytes() if path.is_file() else None
        except OSError:
            data = None
        if data is None:
            if required or sha is not None:
                problems.append(_text(lang, "send.file_missing", file=shown))
            continue
        if sha is not None and hashlib.sha256(data).hexdigest() != sha:
            problems.append(_text(lang, "send.file_changed", file=shown))
            continue
        found[kind] = (path.name, data)
    return found, problems


@dataclass
class Job:
    """One delivery to make: a document to one target; ``existing`` is a pending row to try again."""

    doc: object
    target: Target
    resend: int
    existing: int | None


def split_rows(rows) -> tuple[list, list]:
    """A document's delivery rows as (its own, the e-mail copies beside Peppol): once a document has a
    Peppol row, its e-mail rows are copies (``delivery.email_copy``).

    >>> own, copies = split_rows([{"channel": "peppol"}, {"channel": "email"}])
    >>> [r["channel"] for r in own], [r["channel"] for r in copies]
    (['peppol'], ['email'])
    """
    peppol = any(r["channel"] == "peppol" for r in rows)
    copies = [r for r in rows if peppol and r["channel"] == "email"]
    return [r for r in rows if not (peppol and r["channel"] == "email")], copies


def plan(docs, by_number: dict[str, list], settings: Settings, *, resend: bool) -> list[Job]:
    """What ``send`` does (D5). A document without a delivery of its own gets one by its channel (D1);
    its pending row is tried again (by today's channel: nothing was handed over); once sent, failed,
    uncertain or listed to post it is left alone — also when the settings now name another channel (a
    document listed to post is not e-mailed as well). The e-mail copy beside Peppol likewise. ``resend``:
    one new delivery by today's channel, except post and the copy (or the pending one, when one waits)."""
    work: list[Job] = []
    for doc in docs:
        own, copies = split_rows(by_number.get(doc.number, []))
        for target in targets(doc, settings, kind_of(doc)):
            if target.copy:
                mine = copies or [r for r in own if r["channel"] == "email"]  # e-mailed before: no copy too
            else:
                mine = own
            waiting = [r for r in mine if r["state"] == "pending"]
            if target.copy and not copies:
                waiting = []
            if resend:
                if target.channel == "post" or target.copy:
                    continue
                if waiting:
                    work.append(Job(doc, target, waiting[-1]["resend"], waiting[-1]["delivery_id"]))
                else:
                    work.append(Job(doc, target, max((r["resend"] for r in mine), default=0) + 1, None))
            elif not mine:
                work.append(Job(doc, target, 0, None))
            else:
                work += [Job(doc, target, r["resend"], r["delivery_id"]) for r in waiting]
    return work


def send(workspace: Path, *, dry_run: bool = False, only: str | None = None, resend: str | None = None,
         progress: Callable[[str, int, int], None] = lambda *a: None,
         on_start: Callable[["SendReport", int], None] = lambda *a: None,
         on_line: Callable[[SendLine], None] = lambda line: None, environ=None,
         now: Callable[[], datetime] = datetime.now) -> SendReport:
    """``bijstand send``: see the module docstring. ``on_start(report, n)`` is called once the work is
    known (``report.uncertain_before`` set), ``on_line(line)`` as soon as each delivery is recorded."""
    from .delivery.email import MIME_TYPES, AddressError, Attachment, build_message

    workspace = Path(workspace)
    settings = load_settings(workspace)
    lang = settings.ui.language
    report = SendReport(dry_run=dry_run)
    stamp = lambda: now().isoformat(timespec="seconds")  # noqa: E731
    with WorkspaceLock(workspace, "send"), open_register(workspace) as reg:
        check_witnesses(workspace, reg)
        log = Deliveries(reg, workspace)
        if not dry_run:
            report.uncertain_before = log.interrupted(stamp(), _text(lang, "send.interrupted_detail"))
        labels = {r[0]: r[1] for r in reg.conn.execute(
            "SELECT d.number, r.label FROM documents d JOIN runs r USING (run_id) ORDER BY d.rowid")}
        labels.update(reg.conn.execute("SELECT number, run_label FROM reminders"))
        wanted = resend or only
        if wanted and wanted not in labels:
            raise UsageError(f"there is no issued document {wanted} — see `bijstand status`")
        docs = [d for d in [*reg.documents(), *reminders_of(reg)] if not wanted or d.number == wanted]
        docs.sort(key=lambda d: d.issue_date)  # oldest first; stable: in the order of their numbers
        work = plan(docs, log.by_number(), settings, resend=bool(resend))
        recorded = {(r["label"], r["path"]): r["sha256"] for r in reg.output_files()}
        on_start(report, len(work))
        outbox = None
        if dry_run:
            from .delivery.outbox import Outbox

            outbox = Outbox(workspace / OUTPUT / OUTBOX)
            outbox.clear()
            report.outbox = outbox.folder
        smtp = peppol = None

        def deliver(job: Job, line: SendLine) -> None:
            """One delivery: its files checked, its row pending → sending → the outcome (D5)."""
            doc, target, n_resend = job.doc, job.target, job.resend
            number, kind = doc.number, kind_of(doc)
            if target.channel == "post":
                line.state = "post"
                if not dry_run:
                    if job.existing is None:
                        log.record_post(number, kind, target, stamp())
                    else:  # a pending e-mail or Peppol row whose channel is no longer configured
                        log.hold(job.existing, target, "", stamp())
                        log.finish(job.existing, "post", None, "", stamp())
                return
            if target.channel == "peppol":
                wanted_files = [("ubl", True)]
            else:
                wanted_files = [("pdf", True), ("ubl", False)]
                if settings.delivery.attach_workbook:
                    wanted_files.append(("reminder" if kind == "reminder" else "xlsx", True))
            files, problems = verified_files(workspace, labels[number], number, wanted_files, recorded, lang)
            if problems:  # never a message without its PDF or with a changed file: it waits for the repair
                line.state, line.detail, line.blocked = "pending", "; ".join(problems), True
                if not dry_run:
                    if job.existing is None:
                        log.pending(number, kind, target, n_resend, stamp(), line.detail)
                    else:
                        log.hold(job.existing, target, line.detail, stamp())
                return
            if target.channel == "peppol":
                ubl = files["ubl"][1]
                if dry_run:
                    from .delivery.peppol import PeppolClient

                    p = settings.delivery.peppol
                    with PeppolClient(p.provider, p.url, "dry-run-key", party_id=p.party_id or "-") as client:
                        outbox.add_peppol(client.request_for(number, ubl, resend=n_resend), ubl, resend=n_resend)
                    line.state = "outbox"
                    return
                transmit = lambda: peppol.send(number, ubl, resend=n_resend)  # noqa: E731
            else:
                em = settings.delivery.email
                attachments = [Attachment(files[k][0], files[k][1], MIME_TYPES[Path(files[k][0]).suffix])
                               for k in ("pdf", "ubl", "xlsx", "reminder") if k in files]
                try:
                    msg = build_message(document_of(doc), sender=em.sender, to=doc.buyer.email,
                                        cc=doc.buyer.cc or (), bcc=em.bcc or (), reply_to=em.reply_to,
                                        attachments=attachments, when=now().astimezone(), resend=n_resend)
                except AddressError as exc:
                    line.state, line.detail = "failed", str(exc)
                    if not dry_run:
                        delivery_id = job.existing
                        if delivery_id is None:
                            delivery_id = log.pending(number, kind, target, n_resend, stamp())
                        else:
                            log.hold(delivery_id, target, "", stamp())
                        log.finish(delivery_id, "failed", None, str(exc), stamp())
                    return
                if dry_run:
                    outbox.add_email(number, msg, resend=n_resend)
                    line.state = "outbox"
                    return
                transmit = lambda: smtp.send(msg)  # noqa: E731
            delivery_id = job.existing
            if delivery_id is None:
                delivery_id = log.pending(number, kind, target, n_resend, stamp())
            faults.point("send-pending")
            log.sending(delivery_id, target, stamp())
            faults.point("send-before-network")
            attempt = transmit()
            faults.point("send-after-network")
            state = attempt.state
            if state == "pending" and attempt.maybe_delivered:
                state = "uncertain"
            log.finish(delivery_id, state, attempt.message_id, attempt.detail, stamp())
            line.state, line.detail, line.message_id = state, attempt.detail, attempt.message_id

        try:
            # the clients first: a missing secret stops the command before anything goes out
            if not dry_run and any(j.target.channel == "peppol" for j in work):
                from .delivery.peppol import PeppolClient

                peppol = PeppolClient.from_settings(settings.delivery.peppol, environ)
            if not dry_run and any(j.target.channel == "email" for j in work):
                from .delivery.email import SmtpSender

                smtp = SmtpSender.from_settings(settings.delivery.email, environ)
            for i, job in enumerate(work, 1):
                line = SendLine(job.doc.number, job.target.channel, job.target.address, "", resend=job.resend,
                                copy=job.target.copy)
                deliver(job, line)
                report.lines.append(line)
                on_line(line)
                progress("send", i, len(work))
        finally:
            if smtp is not None:
                smtp.close()
            if peppol is not None:
                peppol.close()
        if not dry_run and report.lines:
            _rerender_summaries(workspace, reg, {labels[line.number] for line in report.lines})
    return report
def _rerender_summaries(workspace: Path, reg, labels: set[str]) -> None:
    """The overzicht.xlsx of every run touched, written again with its Verzending sheet (SPEC §11 D6); the
    manifest and the register's record of the folder follow."""
    import hashlib

    from .repair import _write
    from .run import result_from_register
    from .documents.summary import render_summary

    for row in reg.runs():
        if row["label"] not in labels or row["state"] != "written" or row["kind"] == "reminders":
            continue
        folder = Path(workspace) / OUTPUT / row["label"]
        manifest_path = folder / "manifest.json"
        if not manifest_path.is_file():
            continue
        data = render_summary(result_from_register(reg, row))
        _write(folder / "overzicht.xlsx", data)
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        outputs = {o["path"]: o["sha256"] for o in manifest.get("outputs", [])}
        outputs["overzicht.xlsx"] = hashlib.sha256(data).hexdigest()
        manifest["outputs"] = [{"path": p, "sha256": h} for p, h in sorted(outputs.items())]
        text = (json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()
        _write(manifest_path, text)
        recorded = {r["path"]: r["sha256"] for r in reg.output_files() if r["label"] == row["label"]}
        recorded["overzicht.xlsx"] = outputs["overzicht.xlsx"]
        recorded["manifest.json"] = hashlib.sha256(text).hexdigest()
        reg.mark_written(row["run_id"], recorded)


# --- what status shows (D6) --------------------------------------------------------------------------

# the state of a document by its latest delivery row; SPEC §11 D6's words in the status
OVERVIEW_STATES = ("delivered", "pending", "failed", "uncertain", "post")
_ROW_STATE = {"sent": "delivered", "pending": "pending", "failed": "failed", "uncertain": "uncertain",
              "post": "post", "sending": "sending"}


@dataclass
class RunDelivery:
    """One run's documents by delivery state (each document once)."""

    label: str
    kind: str
    documents: int = 0
    counts: Counter = field(default_factory=Counter)
    numbers: dict[str, list[str]] = field(default_factory=dict)  # state -> numbers, in order


def document_state(rows) -> str:
    """The delivery state of one document from its rows (in delivery order): the latest row of its own
    channel — an e-mail copy beside Peppol (``delivery.email_copy``) does not count — mapped to the
    words of status: delivered, pending, failed, uncertain, post ("to post"), sending.

    >>> document_state([{"channel": "peppol", "state": "sent"}, {"channel": "email", "state": "failed"}])
    'delivered'
    >>> document_state([{"channel": "email", "state": "failed"}, {"channel": "email", "state": "sent"}])
    'delivered'
    >>> document_state([{"channel": "post", "state": "post"}])
    'post'
    """
    own = split_rows(rows)[0] or list(rows)
    return _ROW_STATE.get(own[-1]["state"], "pending")


def delivery_overview(reg, settings: Settings | None, *, busy: bool = False) -> list[RunDelivery]:
    """SPEC §11 D6: per run, every document counted once by its latest state. A document never tried
    is ``pending``, or ``post`` when its channel (D1, under ``settings``) is post; without settings
    (an unreadable bijstand.toml) it is ``pending``. A row left ``sending`` is ``uncertain`` (a killed
    send) unless a send is ``busy`` now."""
    from .model import Reminder
    from .serialize import loads

    rows: dict[str, list] = {}
    for row in reg.conn.execute("SELECT number, channel, state FROM deliveries ORDER BY delivery_id"):
        rows.setdefault(row["number"], []).append(row)
    per_run: dict[str, RunDelivery] = {}
    order: list[tuple[str, str]] = []  # (label, number)
    for r in reg.runs(payload=False):
        per_run[r["label"]] = RunDelivery(r["label"], r["kind"])
    for label, number in reg.conn.execute(
            "SELECT r.label, d.number FROM documents d JOIN runs r USING (run_id) ORDER BY d.rowid"):
        order.append((label, number))
    for label, number in reg.conn.execute("SELECT run_label, number FROM reminders ORDER BY year, seq"):
        order.append((label, number))
    untried = {number for _, number in order if number not in rows}
    planned: dict[str, str] = {}
    if untried and settings is not None:
        for number, payload in reg.conn.execute("SELECT number, payload FROM documents"):
            if number in untried:
                planned[number] = targets(loads(Invoice, payload), settings)[0].channel
        for number, payload in reg.conn.execute("SELECT number, payload FROM reminders"):
            if number in untried:
                planned[number] = targets(loads(Reminder, payload), settings, "reminder")[0].channel
    for label, number in order:
        run = per_run.setdefault(label, RunDelivery(label, ""))
        if number in rows:
            state = document_state(rows[number])
            if state == "sending" and not busy:
                state = "uncertain"  # a send was killed during its network call
        else:
            state = "post" if planned.get(number) == "post" else "pending"
        run.documents += 1
        run.counts[state] += 1
        run.numbers.setdefault(state, []).append(number)
    return list(per_run.values())
