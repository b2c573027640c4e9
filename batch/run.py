"""The stages of a run, in order: read → validate → price → (dry run: stop) → number → write.

A run is all or nothing: the register records the whole run in one transaction, then the files
are written into a staging folder and renamed into place. A run that was committed but not
written (a crash) is rolled forward by the next command; staged files of a run that never
committed are removed.
"""

from __future__ import annotations

import gc
import json
import re
import logging
import os
import shutil
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Callable

from . import __version__, faults
from .billing.calendar import parse_month, parse_quarter, quarter_bounds, quarter_label
from .billing.engine import Plan, plan_quarter
from .lock import WorkspaceLock
from .model import CustomerSummary, InputFile, Invoice, InterventionOutcome, RunResult
from .problems import BijstandError, FatalInputError, Problem
from .register import Register
from .serialize import from_plain, to_plain
from .settings import Settings, load_settings, settings_from_dict
from .witness import WITNESS_FILE
from .workspace import BACKUPS, OUTPUT, REGISTER

log = logging.getLogger("bijstand")

STAGING_PREFIX = ".staging-"


@dataclass
class RunReport:
    """What a command tells the user: the outcome, and where the outputs are."""

    status: str  # issued | nothing | dry-run | errors | credited
    quarter: str = ""
    label: str = ""
    folder: Path | None = None
    invoices: list[Invoice] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    held: dict[str, list] = field(default_factory=dict)
    outcomes: list[InterventionOutcome] = field(default_factory=list)
    recovered: list[str] = field(default_factory=list)
    billing_start: dict | None = None  # a first run: the billing start it fixed (billing_start_report)


Progress = Callable[[str, int, int], None]


def _noop(step: str, done: int, total: int) -> None:
    pass


# --- outputs ---------------------------------------------------------------------------------


def render_outputs(result: RunResult, progress: Progress = _noop) -> dict[str, bytes]:
    """Every file of a run folder, by relative path, rendered deterministically from ``result``."""
    return dict(stream_outputs(result, progress))


def stream_outputs(result: RunResult, progress: Progress = _noop, extra=()):
    """The same files as :func:`render_outputs`, one (path, bytes) at a time, manifest last;
    ``extra`` (path, bytes) pairs are written before the manifest."""
    from .documents.outputs import iter_run_files

    return iter_run_files(result, progress, extra=extra)


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_folder(output: Path, label: str, files, replace_existing: bool = False) -> tuple[Path, dict[str, str]]:
    """Write ``files`` (a dict, or an iterable of (relative path, bytes) rendered one by one) into
    ``output/<label>/`` through a staging folder; all or nothing. Returns the folder and the SHA-256
    of every file written."""
    items = sorted(files.items()) if isinstance(files, dict) else files
    hashes: dict[str, str] = {}
    fail = faults.point
    staging = output / f"{STAGING_PREFIX}{label}"
    final = output / label
    try:
        output.mkdir(parents=True, exist_ok=True)
        if staging.exists():
            shutil.rmtree(staging)
        staging.mkdir()
        written = []
        for rel, data in items:
            hashes[rel] = _sha256(data)
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(target.name + ".tmp")
            with open(tmp, "wb") as fh:
                fh.write(data)
            written.append((tmp, target))
            fail("file-written")
        # fsync in parallel threads: the file system commits them together (one journal flush
        # instead of one per file: 300 files ~0.05 s instead of ~1.5 s here)
        with ThreadPoolExecutor(16) as pool:
            list(pool.map(lambda pair: _fsync_file(pair[0]), written))
        for tmp, target in written:
            os.replace(tmp, target)
        for sub in {staging / Path(rel).parent for rel in hashes}:
            _fsync_dir(sub)
        _fsync_dir(staging)
        fail("staged")
        if final.exists():
            if not replace_existing:
                raise BijstandError(f"{final} already exists and is not from this register — move it away")
            shutil.rmtree(final)
        os.replace(staging, final)
        _fsync_dir(output)
        fail("renamed")
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise BijstandError(f"could not write the run folder {final}: {exc.strerror or exc} — "
                            "free disk space or fix the folder's permissions, then run the same command "
                            "again (nothing is lost: the register finishes the writing)") from None
    return final, hashes


def _sha256(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def result_from_register(reg: Register, run_row) -> RunResult:
    payload = json.loads(run_row["payload"])
    invoices = reg.documents(run_row["run_id"])
    return RunResult(
        quarter=run_row["quarter"], label=run_row["label"], dry_run=False, run_at=run_row["started_at"],
        invoice_date=date.fromisoformat(run_row["invoice_date"]), invoices=invoices,
        interventions=reg.outcomes(run_row["run_id"]),
        problems=from_plain(list[Problem], payload.get("problems", [])),
        input_files=from_plain(list[InputFile], payload.get("files", [])),
        customers=from_plain(list[CustomerSummary], payload.get("customers", [])),
        settings=settings_from_dict(payload.get("settings", {}), validate=False) if payload.get("settings") else Settings(),
        version=payload.get("version", __version__),
        extra={k: v for k, v in payload.items() if k in ("credit_of", "reason")},
        billing_start=reg.billing_start(),
        deliveries=[dict(r) for r in reg.conn.execute(
            "SELECT v.* FROM deliveries v JOIN documents d USING (number) WHERE d.run_id = ? "
            "ORDER BY v.delivery_id", (run_row["run_id"],))],
    )


def witness_of(reg: Register, run_row, result: RunResult) -> bytes:
    """The run folder's register.jsonl (batch.witness), from the register's rows of the run."""
    from .witness import witness_bytes

    places = {r[0]: (r[1], r[2], r[3]) for r in reg.conn.execute(
        "SELECT number, sequence, year, seq FROM documents WHERE run_id = ?", (run_row["run_id"],))}
    run = {k: run_row[k] for k in ("run_id", "quarter", "label", "kind", "started_at", "invoice_date")}
    run["payload"] = reg.conn.execute("SELECT payload FROM runs WHERE run_id = ?", (run_row["run_id"],)).fetchone()[0]
    start = reg.billing_start()
    run["billing_start"] = start.isoformat() if start else None
    return witness_bytes(run, places, result.invoices, result.interventions)


def committed_files(reg: Register, run_row, progress: Progress = _noop, result: RunResult | None = None):
    """Every file of a committed run's folder, (path, bytes) one at a time: the documents, the summary,
    the CSVs, the witness register.jsonl and the manifest. From ``result`` when the run was just
    committed, else read back from the register: both give the same bytes."""
    result = result or result_from_register(reg, run_row)
    return stream_outputs(result, progress, extra=[(WITNESS_FILE, witness_of(reg, run_row, result))])


def write_committed(workspace: Path, reg: Register, run_row, progress: Progress = _noop,
                    result: RunResult | None = None) -> Path:
    """Render a committed run and write its folder; mark it written; back the register up.

    ``result`` is the run as it was just committed; without it (recovery) the run is read back from
    the register. Both give the same bytes (tests/test_cli_run.py proves it on every run it makes).
    """
    folder, hashes = write_folder(workspace / OUTPUT, run_row["label"],
                                  committed_files(reg, run_row, progress, result), replace_existing=True)
    reg.mark_written(run_row["run_id"], hashes)
    faults.point("written")
    try:
        reg.backup(workspace / BACKUPS, run_row["label"])
    except (OSError, sqlite3.Error) as exc:  # the run stands; only its safety copy is missing
        log.warning("no backup of the register after %s: %s", run_row["label"], exc)
    return folder


def recover(workspace: Path, reg: Register, progress: Progress = _noop) -> list[str]:
    """Roll forward committed-but-unwritten runs; remove staging left by runs that never committed."""
    done = []
    for row in reg.pending_runs():
        if row["kind"] == "reminders":
            from .payments.reminders import write_reminders_folder

            write_reminders_folder(workspace, reg, row["run_id"])
        else:
            write_committed(workspace, reg, row, progress)
        done.append(row["label"])
    out = workspace / OUTPUT
    if out.exists():
        for p in out.iterdir():
            if p.name.startswith(STAGING_PREFIX):
                shutil.rmtree(p, ignore_errors=True)
    return done


def today() -> date:
    """Today for SPEC §8 T6: the machine's date, or ``BIJSTAND_TODAY=YYYY-MM-DD`` (the demo, tests)."""
    text = os.environ.get("BIJSTAND_TODAY", "").strip()
    if text:
        try:
            return date.fromisoformat(text)
        except ValueError:
            from .problems import UsageError

            raise UsageError(f"BIJSTAND_TODAY={text!r} is not a date — write it as 2027-01-05") from None
    return date.today()


def check_issue_date(reg: Register, issue_date: date, what: str = "invoice date", now: date | None = None,
                     option: str = "--invoice-date") -> None:
    """SPEC §8 T6: an issue date may not lie after today (``now``, default :func:`today`) nor before
    the last issued document; the message names the command's own ``option``."""
    now = now or today()
    if issue_date > now:
        raise BijstandError(f"{what} {issue_date:%d/%m/%Y} lies after today ({now:%d/%m/%Y}) — an invoice cannot be "
                            "dated in the future; leave the date out for today, or correct the typo")
    reg.check_invoice_date(issue_date, what, option)


def open_register(workspace: Path) -> Register:
    """The workspace's register; refused (not created) when it is missing while output/ holds
    issued documents (SPEC §8 T2: a lost register must not start numbering again)."""
    from .witness import folders, refusal

    path = workspace / REGISTER
    if not path.exists():
        issued = [f"{', '.join(w.numbers[:3])}{' …' if len(w.numbers) > 3 else ''} (output/{w.label})"
                  for w in folders(workspace) if w.numbers]
        if issued:
            raise refusal(issued, workspace / BACKUPS)
    return Register(path, check=True)


def check_witnesses(workspace: Path, reg: Register, verify: bool = True) -> None:
    """SPEC §8 T2 and T3, before anything is issued: output/ holds no document the register does not
    know, and the register is consistent with itself."""
    from .witness import disagreements, refusal

    unknown, unreadable = disagreements(workspace, reg.numbers())
    if unknown:
        raise refusal(unknown, workspace / BACKUPS)
    if unreadable:
        raise BijstandError(f"cannot read {', '.join(unreadable)} — restore it from a copy of output/, or remove the "
                            "folder if it is not a real run; nothing was issued")
    if verify:
        problems = reg.verify()
        if problems:
            raise BijstandError("the register fails its integrity check: " + "; ".join(problems[:5])
                                + (f" (and {len(problems) - 5} more)" if len(problems) > 5 else "")
                                + " — nothing was issued. Run `bijstand status` for the details; restore the "
                                "register from backups/ or rebuild it from output/ with `bijstand repair`")


# --- the run ---------------------------------------------------------------------------------


def _label(reg: Register, output: Path, quarter: str) -> str:
    taken = reg.labels() | ({p.name for p in output.iterdir()} if output.exists() else set())
    if quarter not in taken:
        return quarter
    n = 2
    while f"{quarter}.{n}" in taken:
        n += 1
    return f"{quarter}.{n}"


def normalize_quarter(text: str, settings: Settings | None = None) -> str:
    """A run's period as written in labels: ``2027Q1``, or ``2027-01`` for the month runs of
    ``billing.intervention_billing = "monthly"`` (SPEC §9 L7)."""
    from .problems import UsageError

    text = str(text).strip()
    if re.match(r"^\d{4}-\d{1,2}$", text):
        if settings is not None and settings.billing.intervention_billing != "monthly":
            raise UsageError(f"{text} is a month: month runs bill interventions by the 15th of the next month and "
                             "need billing.intervention_billing = \"monthly\" in bijstand.toml; or run a quarter "
                             "like 2027Q1")
        try:
            return parse_month(text)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    try:
        return quarter_label(*parse_quarter(text))
    except ValueError as exc:
        raise UsageError(f"{exc} (or, with monthly intervention billing, a month like 2027-01)") from None


def read_and_plan(workspace: Path, quarter: str, invoice_date: date, settings: Settings, reg: Register,
                  progress: Progress = _noop):
    """Read the inbox and price the quarter. Returns (inbox, plan, billing start, the register's state
    the plan was priced against — :meth:`Register.commit_run` checks it again, SPEC §8 T4)."""
    from .inbox.reader import cell_locator, read_inbox

    billing_start = fixed_billing_start(reg, settings, quarter)
    inbox = read_inbox(workspace, settings, progress=progress)
    faults.point("read")
    fatal = [p for p in inbox.problems if p.fatal]
    if fatal:
        raise FatalInputError(fatal)
    with reg.snapshot():
        state = reg.state(billing_start)
    plan = plan_quarter(quarter, invoice_date, inbox.customers, inbox.licences, inbox.interventions,
                        inbox.tariffs, settings, state, held=inbox.held_customers(), progress=progress,
                        locate=cell_locator(inbox))
    plan.problems.extend(peppol_warnings(plan.invoices, inbox.customers))
    plan.problems.extend(ubl_problems(plan.invoices, inbox.customers, progress))
    return inbox, plan, billing_start, state


def fixed_billing_start(reg: Register, settings: Settings, quarter: str) -> date:
    """SPEC §3 R3: the billing start — fixed in the register by the first run (from ``billing.start``,
    else the first day of that run's quarter). A different ``billing.start`` afterwards is refused:
    moved earlier it would bill what the old system billed, moved later it would treat billed days
    differently."""
    from .texts_trust import text

    fixed = reg.billing_start()
    setting = settings.billing.start
    if fixed is not None and setting is not None and setting != fixed:
        lang = settings.ui.language
        raise BijstandError(text("start.changed", lang, setting=setting.isoformat(), fixed=fixed.isoformat(),
                                 what=text("start.earlier" if setting < fixed else "start.later", lang)))
    return fixed or setting or quarter_bounds(quarter)[0]


def ubl_problems(invoices: list[Invoice], customers: dict, progress: Progress = _noop) -> list[Problem]:
    """SPEC §9 L4: every draft's UBL checked against the UBL 2.1 schema and the CEN/Peppol rules before
    anything is numbered; a fatal finding is a fatal problem (the run stops), naming the customer, the
    rule and its text."""
    from .documents.outputs import validate_drafts

    out = []
    for cid, findings in validate_drafts(invoices, progress):
        src = customers[cid].source if cid in customers else None
        for f in findings:
            out.append(Problem(
                "error", f"de Peppol-factuur van klant {cid} voldoet niet aan regel {f.rule}: {f.text}",
                fix="meld dit met de regel en de klant; verbeter intussen de gegevens van de klant (adres, btw-nummer, "
                "peppol-id) als de regel daarover gaat", file=src.file if src else "", sheet=src.sheet if src else "",
                row=src.row if src else None, value=cid, customer_id=cid, code="ubl.invalid", fatal=True))
    return out


def held_customers(inbox, plan: Plan) -> dict[str, list[Problem]]:
    """The one list of customers held back in a run, with the problems that hold each: errors on
    their rows (the reader) and errors found while pricing (no regie rate, an implausible total)."""
    held = {cid: list(ps) for cid, ps in inbox.held_customers().items()}
    for cid, ps in plan.held.items():
        held.setdefault(cid, []).extend(p for p in ps if p not in held.get(cid, []))
    return held


def billing_start_report(inbox, plan: Plan, billing_start: date, settings: Settings) -> dict:
    """What a first run leaves to the old system when it fixes the billing start (issue 13): the
    interventions dated before it and the licence days before it."""
    from .billing.engine import agreement_of, licence_active_range

    before = sum(1 for o in plan.outcomes if o.status == "before-start")
    by_customer: dict[str, list] = {}
    for lic in inbox.licences:
        by_customer.setdefault(lic.customer_id, []).append(lic)
    days = 0
    for cid, lics in by_customer.items():
        customer = inbox.customers.get(cid)
        if customer is None:
            continue
        agr = agreement_of(customer, lics, inbox.tariffs)
        for lic in lics:
            rng = licence_active_range(lic, agr)
            if rng and rng[0] < billing_start:
                end = min(rng[1] or billing_start, billing_start - timedelta(days=1))
                days += max((end - rng[0]).days + 1, 0) * lic.quantity
    return {"billing_start": billing_start, "interventions_before": before, "licence_days_before": days,
            "from_settings": settings.billing.start is not None}


def peppol_warnings(invoices: list[Invoice], customers: dict) -> list[Problem]:
    """A warning per invoice whose buyer has no Peppol address (SPEC §9 L6): it gets no UBL file and
    is delivered by e-mail or post."""
    from .documents.ubl import has_peppol_address

    out = []
    for inv in invoices:
        if not has_peppol_address(inv):
            src = customers[inv.customer_id].source if inv.customer_id in customers else None
            out.append(Problem(
                "warning", f"klant {inv.customer_id} heeft geen Peppol-adres: er komt geen UBL-bestand; de factuur "
                "gaat per e-mail of post (pdf)", fix="vul de kolom peppol-id (bv. 0208:0123456749) of een geldig "
                "btw-nummer in als de klant via Peppol factureert",
                file=src.file if src else "", sheet=src.sheet if src else "", row=src.row if src else None,
                column="peppol-id", value=inv.customer_id, code="peppol.no-endpoint"))
    return out


@contextmanager
def paused_gc():
    """Python's cycle collector paused for a batch, the heap collected once after it.

    A run builds millions of long-lived records (rows, outcomes, lines) and next to no cyclic
    garbage; the collector would scan the growing heap again and again — a quarter of the
    reading time on a large book, more as it grows — and, in the forked workers, touch every
    inherited page. Freed records still go at once (reference counting); the rare cycles
    wait for the collection at the end.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
            gc.collect()


def run_quarter(workspace: Path, quarter: str, invoice_date: date | None = None, *, dry_run: bool = False,
                strict: bool = False, progress: Progress = _noop, now: datetime | None = None) -> RunReport:
    """``bijstand run``: price and issue one quarter (see module docstring)."""
    with paused_gc():
        return _run_quarter(workspace, quarter, invoice_date, dry_run=dry_run, strict=strict, progress=progress,
                            now=now)


def _run_quarter(workspace: Path, quarter: str, invoice_date: date | None, *, dry_run: bool, strict: bool,
                 progress: Progress, now: datetime | None) -> RunReport:
    workspace = Path(workspace)
    settings = load_settings(workspace)
    quarter = normalize_quarter(quarter, settings)
    current = now.date() if now else today()  # ``now`` given: the demo's own calendar
    now = now or datetime.now()
    invoice_date = invoice_date or current
    with WorkspaceLock(workspace, "run " + quarter), open_register(workspace) as reg:
        check_witnesses(workspace, reg)  # before anything is written from the register (T3)
        recovered = recover(workspace, reg, progress)
        if not dry_run:
            try:
                check_issue_date(reg, invoice_date, now=current)
                q_start, _ = quarter_bounds(quarter)
                if invoice_date < q_start - timedelta(days=92):
                    raise BijstandError(
                        f"invoice date {invoice_date:%d/%m/%Y} lies more than a quarter before {quarter} — a typo? "
                        f"Invoices for {quarter} are dated from {q_start - timedelta(days=92):%d/%m/%Y} on")
            except BijstandError as exc:
                if recovered:
                    raise BijstandError(f"finished writing the interrupted run(s) {', '.join(recovered)}; "
                                        f"then: {exc}") from None
                raise
        first_run = reg.billing_start() is None
        try:
            inbox, plan, billing_start, priced = read_and_plan(workspace, quarter, invoice_date, settings, reg,
                                                              progress)
        except FatalInputError as exc:
            return RunReport("errors", quarter, problems=exc.problems, recovered=recovered)
        faults.point("priced")
        problems = inbox.problems + plan.problems
        if any(p.fatal for p in plan.problems):  # SPEC §9 L4: a UBL the official rules reject
            return RunReport("errors", quarter, problems=problems, recovered=recovered)
        held = held_customers(inbox, plan)
        start_info = billing_start_report(inbox, plan, billing_start, settings) if first_run else None
        if strict and any(p.is_error for p in problems):
            return RunReport("errors", quarter, problems=problems, held=held, recovered=recovered)
        run_at = now.isoformat(timespec="seconds")
        if dry_run:
            label = f"{quarter}-concept"
            result = RunResult(quarter, label, True, run_at, invoice_date, plan.invoices, plan.outcomes,
                               problems, inbox.files, plan.customers, settings, __version__,
                               billing_start=billing_start)
            folder, _ = write_folder(workspace / OUTPUT, label, stream_outputs(result, progress),
                                     replace_existing=True)
            return RunReport("dry-run", quarter, label, folder, plan.invoices, problems, held, plan.outcomes,
                             recovered, start_info)
        if plan.is_empty:
            return RunReport("nothing", quarter, problems=problems, held=held, outcomes=plan.outcomes,
                             recovered=recovered)
        label = _label(reg, workspace / OUTPUT, quarter)
        # what the documents need of the inbox and the plan, then the rest let go before numbering and
        # rendering (a few hundred MB on a large book, and every forked worker would map them too)
        files, customers = inbox.files, plan.customers
        del inbox
        run_id, invoices, outcomes = reg.commit_run(
            plan, label, run_at, {"problems": to_plain(problems), "customers": to_plain(customers),
                                  "files": to_plain(files), "settings": settings.as_dict(), "version": __version__},
            settings, billing_start, files, priced)
        del plan
        faults.point("committed")
        row = reg.run_row(run_id, payload=False)  # the documents are rendered from ``result``
        result = RunResult(quarter, label, False, run_at, invoice_date, invoices, outcomes, problems, files,
                           customers, settings, __version__, billing_start=billing_start)
        folder = write_committed(workspace, reg, row, progress, result)
        return RunReport("issued", quarter, label, folder, invoices, problems, held, outcomes, recovered,
                         start_info)


def credit_invoice(workspace: Path, number: str, reason: str, credit_date: date | None = None, *,
                   now: datetime | None = None, progress: Progress = _noop) -> RunReport:
    """``bijstand credit``: a credit note for a whole invoice, releasing what it billed."""
    workspace = Path(workspace)
    current = now.date() if now else today()
    now = now or datetime.now()
    credit_date = credit_date or current
    if not reason.strip():
        from .problems import UsageError

        raise UsageError("--reason must say why the invoice is credited")
    settings = load_settings(workspace)
    with WorkspaceLock(workspace, "credit " + number), open_register(workspace) as reg:
        check_witnesses(workspace, reg)
        recovered = recover(workspace, reg, progress)
        check_issue_date(reg, credit_date, "credit note date", now=current, option="--date")
        check_credit_note(reg, number, reason, credit_date, settings.ui.language)
        label = f"credit-{number}"
        run_id, credit = reg.commit_credit(number, reason, credit_date, now.isoformat(timespec="seconds"),
                                           label, settings, {"settings": settings.as_dict(), "version": __version__})
        row = reg.run_row(run_id)
        folder = write_committed(workspace, reg, row, progress)
        return RunReport("credited", credit.quarter, label, folder, [credit], recovered=recovered)


def check_credit_note(reg: Register, number: str, reason: str, credit_date: date, language: str = "nl") -> None:
    """SPEC §9 L4 for ``bijstand credit``: the draft credit note's UBL checked against the UBL 2.1 schema and
    the CEN/Peppol rules (the check every run makes, :func:`batch.documents.outputs.validate_documents`)
    before it is numbered; a fatal finding refuses the credit note, naming the customer, the rules and their
    texts. An unknown or already credited number is left to the register, which says so."""
    from .documents.outputs import validate_documents
    from .register import credit_note_of
    from .texts_inbox import text

    invoice = reg.document(number)
    if invoice is None or invoice.document_type != "invoice":
        return
    draft = credit_note_of(invoice, None, credit_date, reason)
    for customer_id, findings in validate_documents([draft]):
        raise BijstandError(text("ubl.credit_refused", language, number=number, customer=customer_id,
                                 findings="; ".join(text("ubl.finding", language, rule=f.rule, text=f.text)
                                                    for f in findings)))


def totals_by_kind(invoices: list[Invoice]) -> dict[str, Decimal]:
    """Net amount per kind of line (fee, regie, upgrade), credit notes subtracted."""
    from .documents.figures import kind_totals

    return kind_totals(invoices)
