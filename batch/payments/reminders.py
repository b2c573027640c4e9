"""`bijstand reminders` (SPEC §12 P4): one reminder per customer with overdue documents.

Levels by days overdue (``reminders.first_days``/``second_days``/``third_days``; level 3 is the formal
notice), each level once per document; from ``reminders.interest_from_level`` the statutory interest
(law of 2 August 2002) at the rate in force each day (tarieven.xlsx, sheet Intrest) and, once per
document, the flat compensation (``reminders.compensation``). A reminder is a document of its own
number sequence (``reminders.number_format``), with a workbook and a PDF in the legal language (and the
customer's), recorded in the register (``reminders``, ``reminder_items``) and delivered by
``bijstand send`` (e-mail or post, never Peppol). Written to ``output/herinneringen-<date>/`` with
``reminders.csv``. ``--dry-run`` numbers nothing and writes drafts to ``output/herinneringen-concept/``.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from ..model import InterestPeriod, Invoice, Reminder, ReminderItem
from ..money import ZERO
from ..problems import BijstandError
from ..serialize import dumps, loads
from .interest import REMINDER_CSV_COLUMNS, NoRateError, Rate, plan_reminders

PAY_WITHIN_DAYS = 14  # a reminder asks payment within two weeks
FOLDER = "herinneringen"


@dataclass
class RemindersReport:
    reminders: list[Reminder] = field(default_factory=list)
    folder: Path | None = None
    dry_run: bool = False
    language: str = "nl"  # the bookkeeper's ([ui] language)


def reminder_reference(year: int, seq: int) -> str:
    """The structured reference of a reminder: the year, a 9 and its sequence (5 digits), so that it
    never equals an invoice's (year and a 6-digit sequence below 900000).

    >>> reminder_reference(2027, 12)
    '+++202/7900/01267+++'
    """
    from stdnum.be import ogm_vcs

    base = f"{year % 10000:04d}9{seq % 100000:05d}"
    return "+++" + ogm_vcs.format(base + ogm_vcs.calc_check_digits(base)) + "+++"


def sent_levels(reg) -> dict[str, int]:
    return {doc: level for doc, level in reg.conn.execute(
        "SELECT document, MAX(level) FROM reminder_items GROUP BY document")}


def rates_of(workspace: Path, settings) -> tuple[Rate, ...]:
    from ..inbox.reader import read_tariffs

    tariffs, _ = read_tariffs(workspace, settings)
    return tuple(Rate(r.valid_from, r.rate) for r in tariffs.interest)


def build_reminders(reg, on: date, settings, rates) -> list[Reminder]:
    """The draft reminders (no number yet) of every customer with a document at a new level."""
    from .book import statuses

    found = statuses(reg, on)
    try:
        plans = plan_reminders(found, on, settings.reminders, rates, sent_levels(reg))
    except NoRateError as exc:
        raise BijstandError(f"{exc} (tarieven.xlsx, sheet Intrest: the statutory late-payment interest rate per "
                            "half-year, published in the Belgisch Staatsblad)") from None
    by_number = {s.number: s for s in found}
    invoices: dict[str, Invoice] = {}
    out = []
    for plan in plans:
        items = []
        for d in plan.documents:
            inv = invoices.get(d.number) or loads(Invoice, reg.conn.execute(
                "SELECT payload FROM documents WHERE number = ?", (d.number,)).fetchone()[0])
            invoices[d.number] = inv
            s = by_number[d.number]
            periods = tuple(InterestPeriod(l.start, l.end, l.days, l.percent, l.amount)
                            for l in (d.interest_detail.lines if d.interest_detail else ()))
            items.append(ReminderItem(d.number, inv.issue_date, d.due_date, inv.total, s.paid, d.open, d.days_overdue,
                                      d.level, d.interest, d.compensation, inv.structured_reference, periods))
        first = invoices[plan.documents[0].number]
        open_, interest, comp = plan.open, plan.interest, plan.compensation
        out.append(Reminder(None, on, on + timedelta(days=PAY_WITHIN_DAYS), plan.level, first.language,
                            first.legal_language or first.language, settings.seller.party(), first.buyer,
                            plan.customer_id, tuple(items), open_, interest, comp, open_ + interest + comp))
    return out


def reminders_csv(reminders: list[Reminder]) -> bytes:
    from ..documents.safe_text import csv_text
    from ..money import fmt_plain

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(REMINDER_CSV_COLUMNS)
    for r in reminders:
        w.writerow([csv_text(r.number or ""), csv_text(r.customer_id), str(r.level),
                    " ".join(i.number for i in r.items), fmt_plain(r.open), fmt_plain(r.interest),
                    fmt_plain(r.compensation)])
    return buf.getvalue().encode("utf-8")


def reminder_files(reminders: list[Reminder], label: str, run_at: str, extra: dict) -> dict[str, bytes]:
    """The files of a reminders folder: workbook and PDF per reminder, reminders.csv, the witness and the
    manifest (documents: none; reminders: their numbers)."""
    import hashlib

    from ..documents.reminder_documents import render_reminder_files

    files: dict[str, bytes] = {}
    for r in reminders:
        stem, xlsx, pdf = render_reminder_files(r)
        files[f"herinneringen/{stem}.xlsx"] = xlsx
        files[f"pdf/{stem}.pdf"] = pdf
    files["reminders.csv"] = reminders_csv(reminders)
    files.update(extra)
    manifest = {"label": label, "kind": "reminders", "run_at": run_at, "dry_run": label.endswith("-concept"),
                "documents": [], "reminders": [r.number for r in reminders if r.number],
                "outputs": [{"path": p, "sha256": hashlib.sha256(d).hexdigest()} for p, d in sorted(files.items())]}
    files["manifest.json"] = (json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()
    return files


def issue_reminders(workspace: Path, on: date | None = None, *, dry_run: bool = False,
                    now: datetime | None = None) -> RemindersReport:
    """``bijstand reminders``: see the module docstring."""
    from ..lock import WorkspaceLock
    from ..run import check_issue_date, check_witnesses, open_register, today, write_folder
    from ..settings import format_has_year, format_number, load_settings
    from ..workspace import OUTPUT

    workspace = Path(workspace)
    settings = load_settings(workspace)
    current = now.date() if now else today()  # ``now`` given: the demo's own calendar
    now = now or datetime.now()
    on = on or current
    report = RemindersReport(dry_run=dry_run, language=settings.ui.language)
    with WorkspaceLock(workspace, "reminders"), open_register(workspace) as reg:
        check_witnesses(workspace, reg)
        if on > current:
            raise BijstandError(f"reminder date {on:%d/%m/%Y} lies after today — a reminder cannot be dated in the future")
        drafts = build_reminders(reg, on, settings, rates_of(workspace, settings))
        report.reminders = drafts
        if not drafts:
            return report
        run_at = now.isoformat(timespec="seconds")
        if dry_run:
            label = f"{FOLDER}-concept"
            report.folder, _ = write_folder(workspace / OUTPUT, label, reminder_files(drafts, label, run_at, {}),
                                            replace_existing=True)
            return report
        last = reg.conn.execute("SELECT MAX(issue_date) FROM reminders").fetchone()[0]
        if last and on.isoformat() < last:
            raise BijstandError(f"reminder date {on:%d/%m/%Y} is before the last reminder ({last}) — reminders are "
                                "numbered in the order of their dates")
        fmt = settings.reminders.number_format
        per_year = format_has_year(fmt)
        label = f"{FOLDER}-{on.isoformat()}"
        n = 2
        while reg.conn.execute("SELECT 1 FROM runs WHERE label = ?", (label,)).fetchone() or (
                workspace / OUTPUT / label).exists():
            label = f"{FOLDER}-{on.isoformat()}.{n}"
            n += 1
        c = reg.conn
        c.execute("BEGIN IMMEDIATE")
        try:
            row = c.execute("SELECT MAX(seq) FROM reminders" + (" WHERE year = ?" if per_year else ""),
                            (on.year,) if per_year else ()).fetchone()
            seq = (row[0] or 0)
            numbered = []
            for draft in drafts:
                seq += 1
                number = format_number(fmt, on.year, seq)
                numbered.append((replace(draft, number=number, structured_reference=reminder_reference(on.year, seq)),
                                 seq))
            payload = json.dumps({"settings": settings.as_dict(), "reminders_on": on.isoformat()}, ensure_ascii=False)
            run_id = c.execute("INSERT INTO runs (quarter, label, kind, started_at, invoice_date, state, payload) "
                               "VALUES (?,?,?,?,?,?,?)", (on.isoformat(), label, "reminders", run_at, on.isoformat(),
                                                          "committed", payload)).lastrowid
            for r, s in numbered:
                c.execute("INSERT INTO reminders VALUES (?,?,?,?,?,?,?,?)",
                          (r.number, on.year, s, r.customer_id, on.isoformat(), r.level, dumps(r), label))
                c.executemany("INSERT INTO reminder_items VALUES (?,?,?,?,?,?)",
                              [(r.number, i.number, i.level, str(i.open), str(i.interest), str(i.compensation))
                               for i in r.items])
            c.execute("COMMIT")
        except BaseException as exc:
            reg._abort(exc)
            raise
        reminders = [r for r, _ in numbered]
        report.reminders = reminders
        report.folder = write_reminders_folder(workspace, reg, run_id)
    return report


def reminders_of_run(reg, label: str) -> list[Reminder]:
    return [loads(Reminder, r[0]) for r in reg.conn.execute(
        "SELECT payload FROM reminders WHERE run_label = ? ORDER BY year, seq", (label,))]


def write_reminders_folder(workspace: Path, reg, run_id: int) -> Path:
    """Write a committed reminders run's folder (again: the same bytes) and mark it written."""
    from ..run import write_folder
    from ..witness import WITNESS_FILE
    from ..workspace import OUTPUT

    row = reg.run_row(run_id)
    reminders = reminders_of_run(reg, row["label"])
    witness = [json.dumps({"record": "run", **{k: row[k] for k in ("run_id", "quarter", "label", "kind", "started_at",
                                                                  "invoice_date", "payload")},
                           "billing_start": None}, ensure_ascii=False, sort_keys=True)]
    for r, (year, seq) in zip(reminders, reg.conn.execute(
            "SELECT year, seq FROM reminders WHERE run_label = ? ORDER BY year, seq", (row["label"],))):
        witness.append(json.dumps({"record": "reminder", "number": r.number, "year": year, "seq": seq,
                                   "payload": dumps(r)}, ensure_ascii=False, sort_keys=True))
    extra = {WITNESS_FILE: ("\n".join(witness) + "\n").encode("utf-8")}
    folder, hashes = write_folder(Path(workspace) / OUTPUT, row["label"],
                                  reminder_files(reminders, row["label"], row["started_at"], extra),
                                  replace_existing=True)
    reg.mark_written(run_id, hashes)
    try:
        reg.backup(Path(workspace) / "backups", row["label"])
    except OSError:  # the reminders stand; only their safety copy is missing
        pass
    return folder
