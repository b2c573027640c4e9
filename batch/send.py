"""`bijstand send` (SPEC §11): every issued document reaches its customer once — over Peppol through
an access point, by e-mail, or listed to print and post.

The channel per document (D1): Peppol when the buyer has a Peppol address (SPEC §9 L6) and
``[delivery.peppol]`` is configured; else e-mail to the customer's invoice address (``e-mail facturen``,
else ``e-mail``) with its ``cc``, when ``[delivery.email]`` is configured; else post.
``delivery.email_copy`` also e-mails a copy to Peppol customers with an address. Reminders go by e-mail
or post, never Peppol.

Never twice, never lost (D5): every delivery is a row of the register's ``deliveries`` table, written
in its own transaction before the network call (``sending``) and after it (``sent``, ``failed``,
``pending``, or ``uncertain`` when the message went out and no answer came back). A command killed
between the two leaves ``sending``, which the next command turns into ``uncertain``: it is listed by
``status`` and never repeated by itself — ``--resend NUMBER`` is the explicit way. ``pending`` ones are
tried again by the next ``send``; ``failed`` ones need the cause fixed and ``--resend``. Every state
change is also appended to ``output/verzending.jsonl``, from which ``repair`` restores the table.

``--dry-run`` writes ``output/outbox/`` (an ``.eml`` per e-mail; per Peppol message the UBL and a
``.json`` of the request) and changes nothing. No secret is ever written: the settings only name the
environment variables that hold them.
"""

from __future__ import annotations

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
from .problems import BijstandError, UsageError
from .run import check_witnesses, open_register
from .settings import Settings, load_settings
from .workspace import OUTPUT

LOG_FILE = "verzending.jsonl"  # output/verzending.jsonl: every state change, appended
OUTBOX = "outbox"
DONE = frozenset({"sent", "failed", "uncertain", "post", "sending"})  # not tried again by a plain send


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


@dataclass
class SendReport:
    lines: list[SendLine] = field(default_factory=list)
    dry_run: bool = False
    outbox: Path | None = None
    uncertain_before: list[str] = field(default_factory=list)  # rows found 'sending': a command was killed

    @property
    def totals(self) -> Counter:
        return Counter(line.state for line in self.lines)


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
    """The ``deliveries`` table of an open register, and the witness log beside output/."""

    def __init__(self, reg, workspace: Path):
        self.reg = reg
        self.c = reg.conn
        self.log = Path(workspace) / OUTPUT / LOG_FILE

    def rows(self, number: str | None = None) -> list:
        if number is None:
            return list(self.c.execute("SELECT * FROM deliveries ORDER BY delivery_id"))
        return list(self.c.execute("SELECT * FROM deliveries WHERE number = ? ORDER BY delivery_id", (number,)))

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

    def _append_log(self, delivery_id: int) -> None:
        row = self.c.execute("SELECT * FROM deliveries WHERE delivery_id = ?", (delivery_id,)).fetchone()
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(dict(row), ensure_ascii=False, sort_keys=True) + "\n")
            fh.flush()
            os.fsync(fh.fileno())

    def start(self, number: str, kind: str, target: Target, resend: int, now: str, existing: int | None) -> int:
        """The row in state ``sending``, committed before the network call."""
        if existing is not None:
            self._write("UPDATE deliveries SET state = 'sending', attempts = attempts + 1, updated_at = ? "
                        "WHERE delivery_id = ?", (now, existing))
            delivery_id = existing
        else:
            delivery_id = self._write(
                "INSERT INTO deliveries (number, kind, channel, address, state, resend, attempts, detail, created_at, "
                "updated_at) VALUES (?,?,?,?,?,?,1,'',?,?)",
                (number, kind, target.channel, target.address, "sending", resend, now, now))
        self._append_log(delivery_id)
        return delivery_id

    def finish(self, delivery_id: int, state: str, message_id: str | None, detail: str, now: str) -> None:
        self._write("UPDATE deliveries SET state = ?, message_id = COALESCE(?, message_id), detail = ?, "
                    "updated_at = ? WHERE delivery_id = ?", (state, message_id, detail, now, delivery_id))
        self._append_log(delivery_id)

    def record_post(self, number: str, kind: str, target: Target, now: str) -> None:
        delivery_id = self._write(
            "INSERT INTO deliveries (number, kind, channel, address, state, resend, attempts, detail, created_at, "
            "updated_at) VALUES (?,?,?,?,'post',0,0,'',?,?)", (number, kind, "post", target.address, now, now))
        self._append_log(delivery_id)

    def interrupted(self, now: str) -> list[str]:
        """Rows left ``sending`` by a killed command become ``uncertain`` (D5); their numbers."""
        stale = [(r["delivery_id"], r["number"]) for r in self.c.execute(
            "SELECT delivery_id, number FROM deliveries WHERE state = 'sending'")]
        for delivery_id, _ in stale:
            self.finish(delivery_id, "uncertain", None, "the command was interrupted during the network call: the "
                        "customer may have received it — check, then --resend if not", now)
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


def _files_of(workspace: Path, label: str, number: str) -> dict[str, Path]:
    folder = Path(workspace) / OUTPUT / label
    found = {kind: folder / sub / f"{number}.{ext}" for kind, sub, ext in
             (("pdf", "pdf", "pdf"), ("ubl", "peppol", "xml"), ("xlsx", "facturen", "xlsx"),
              ("reminder", "herinneringen", "xlsx"))}
    return {k: p for k, p in found.items() if p.is_file()}


def send(workspace: Path, *, dry_run: bool = False, only: str | None = None, resend: str | None = None,
         progress: Callable[[str, int, int], None] = lambda *a: None, environ=None,
         now: Callable[[], datetime] = datetime.now) -> SendReport:
    """``bijstand send``: see the module docstring."""
    from .delivery import DeliveryConfigError
    from .delivery.email import Attachment, AddressError, build_message

    workspace = Path(workspace)
    settings = load_settings(workspace)
    report = SendReport(dry_run=dry_run)
    stamp = lambda: now().isoformat(timespec="seconds")  # noqa: E731
    with WorkspaceLock(workspace, "send"), open_register(workspace) as reg:
        check_witnesses(workspace, reg)
        log = Deliveries(reg, workspace)
        if not dry_run:
            report.uncertain_before = log.interrupted(stamp())
        labels = {r[0]: r[1] for r in reg.conn.execute(
            "SELECT d.number, r.label FROM documents d JOIN runs r USING (run_id) ORDER BY d.rowid")}
        labels.update(reg.conn.execute("SELECT number, run_label FROM reminders"))
        wanted = resend or only
        if wanted and wanted not in labels:
            raise UsageError(f"there is no issued document {wanted} — see `bijstand status`")
        work: list[tuple[Invoice, Target, int, int | None]] = []  # (document, target, resend, existing row)
        for inv in [*reg.documents(), *reminders_of(reg)]:
            if wanted and inv.number != wanted:
                continue
            rows = log.rows(inv.number)
            for target in targets(inv, settings, kind_of(inv)):
                mine = [r for r in rows if r["channel"] == target.channel]
                if resend:
                    if target.channel == "post" or target.copy:
                        continue
                    work.append((inv, target, max((r["resend"] for r in mine), default=0) + 1, None))
                    continue
                first = next((r for r in mine if r["resend"] == 0), None)
                if first is not None and first["state"] in DONE:
                    continue
                work.append((inv, target, 0, first["delivery_id"] if first is not None else None))
        outbox = None
        if dry_run:
            from .delivery.outbox import Outbox

            outbox = Outbox(workspace / OUTPUT / OUTBOX)
            outbox.clear()
            report.outbox = outbox.folder if hasattr(outbox, "folder") else workspace / OUTPUT / OUTBOX
        smtp = peppol = None
        try:
            for i, (inv, target, n_resend, existing) in enumerate(work, 1):
                progress("send", i, len(work))
                files = _files_of(workspace, labels[inv.number], inv.number)
                line = SendLine(inv.number, target.channel, target.address, "", resend=n_resend)
                report.lines.append(line)
                if target.channel == "post":
                    line.state = "post"
                    if not dry_run:
                        log.record_post(inv.number, kind_of(inv), target, stamp())
                    continue
                if target.channel == "peppol":
                    if "ubl" not in files:
                        raise BijstandError(f"the Peppol file of {inv.number} is missing from output/{labels[inv.number]}"
                                            " — `bijstand repair` writes it again")
                    ubl = files["ubl"].read_bytes()
                    if peppol is None and not dry_run:
                        from .delivery.peppol import PeppolClient

                        peppol = PeppolClient.from_settings(settings.delivery.peppol, environ)
                    if dry_run:
                        from .delivery.peppol import PeppolClient

                        client = PeppolClient(settings.delivery.peppol.provider, settings.delivery.peppol.url,
                                              "dry-run-key", party_id=settings.delivery.peppol.party_id or "-")
                        outbox.add_peppol(client.request_for(inv.number, ubl, resend=n_resend), ubl, resend=n_resend)
                        client.close()
                        line.state = "outbox"
                        continue
                    transmit = lambda: peppol.send(inv.number, ubl, resend=n_resend)  # noqa: E731
                else:
                    em = settings.delivery.email
                    attachments = [Attachment.from_path(files[k]) for k in ("pdf", "ubl") if k in files]
                    for k in ("xlsx", "reminder"):
                        if settings.delivery.attach_workbook and k in files:
                            attachments.append(Attachment.from_path(files[k]))
                    try:
                        msg = build_message(document_of(inv), sender=em.sender, to=inv.buyer.email,
                                            cc=inv.buyer.cc or (), bcc=em.bcc or (), reply_to=em.reply_to,
                                            attachments=attachments, when=now().astimezone(), resend=n_resend)
                    except AddressError as exc:
                        line.state, line.detail = "failed", str(exc)
                        if not dry_run:
                            delivery_id = log.start(inv.number, kind_of(inv), target, n_resend, stamp(),
                                                    existing)
                            log.finish(delivery_id, "failed", None, str(exc), stamp())
                        continue
                    if dry_run:
                        outbox.add_email(inv.number, msg, resend=n_resend)
                        line.state = "outbox"
                        continue
                    if smtp is None:
                        from .delivery.email import SmtpSender

                        smtp = SmtpSender.from_settings(em, environ)
                        smtp.__enter__()
                    transmit = lambda: smtp.send(msg)  # noqa: E731
                delivery_id = log.start(inv.number, kind_of(inv), target, n_resend, stamp(), existing)
                faults.point("send-before-network")
                attempt = transmit()
                faults.point("send-after-network")
                state = attempt.state
                if state == "pending" and attempt.maybe_delivered:
                    state = "uncertain"
                log.finish(delivery_id, state, attempt.message_id, attempt.detail, stamp())
                line.state, line.detail, line.message_id = state, attempt.detail, attempt.message_id
        except DeliveryConfigError:
            raise
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
