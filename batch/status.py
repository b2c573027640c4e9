"""`bijstand status`: the register at a glance, and its integrity — the register against itself
(SPEC §8 T3), against output/ (T2), and which backup matches output/."""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path

from .lock import busy
from .problems import BijstandError
from .register import Register
from .witness import backup_documents, disagreements, folders
from .texts_trust import text, ui_language
from .workspace import BACKUPS, OUTPUT, REGISTER

REMINDER_PREFIX = "herinneringen-"


def status_report(workspace: Path) -> tuple[str, bool]:
    """The text to print, and whether every integrity check passed."""
    workspace = Path(workspace)
    path = workspace / REGISTER
    # output/ is read before the register's snapshot: a run committing meanwhile makes the register
    # know more than output/ (a run being written, not a problem), never less
    witnesses = folders(workspace)
    output_numbers = {n for w in witnesses for n in w.numbers}
    if not path.exists():
        if output_numbers:
            raise BijstandError(
                f"there is no register in {workspace}, but output/ holds {len(output_numbers)} issued documents — "
                f"restore the register from {BACKUPS}/ or rebuild it from output/ with `bijstand repair`")
        raise BijstandError(f"no register in {workspace} yet — run `bijstand run QUARTER` first")
    out: list[str] = []
    problems: list[str] = []
    holder = busy(workspace)
    with Register(path, check=True) as reg, reg.snapshot():
        runs = reg.runs(payload=False)
        out.append(f"Register: {path}")
        if holder:
            out.append(f"Busy: {holder.get('what', 'a command')} (pid {holder.get('pid', '?')}, since "
                       f"{holder.get('since', '?')}) — what it is writing is not checked now")
        out.append(f"Billing start: {reg.billing_start() or '(not set yet)'}")
        out.append(f"Runs: {len(runs)}")
        for r in runs:
            if r["kind"] == "reminders":
                n = reg.conn.execute("SELECT COUNT(*), COALESCE(MIN(number),''), COALESCE(MAX(number),'') "
                                     "FROM reminders WHERE run_label = ?", (r["label"],)).fetchone()
            else:
                n = reg.conn.execute("SELECT COUNT(*), COALESCE(MIN(number),''), COALESCE(MAX(number),'') "
                                     "FROM documents WHERE run_id = ?", (r["run_id"],)).fetchone()
            out.append(f"  {r['label']:<22} {r['kind']:<6} {r['invoice_date']}  {n[0]:>5} documents "
                       f"{n[1]}…{n[2]}  [{r['state']}]")
        last = reg.conn.execute("SELECT number, issue_date FROM documents ORDER BY rowid DESC LIMIT 1").fetchone()
        out.append(f"Last number: {last['number']} ({last['issue_date']})" if last else "Last number: none")
        kinds = Counter(r[0] for r in reg.conn.execute("SELECT document_type FROM documents"))
        out.append(f"Documents: {kinds.get('invoice', 0)} invoices, {kinds.get('credit_note', 0)} credit notes")
        through: dict[str, tuple] = {}
        for (ckey, mkey), intervals in reg.coverage().items():
            end = max(i[1] for i in intervals)
            lo, hi, n = through.get(ckey, (end, end, 0))
            through[ckey] = (min(lo, end), max(hi, end), n + 1)
        out.append(f"Customers billed: {len(through)}")
        for ckey in sorted(through)[:200]:
            lo, hi, n = through[ckey]
            span = hi if lo == hi else f"{lo} … {hi}"
            out.append(f"  {ckey:<12} billed through {span} ({n} modules)")
        if len(through) > 200:
            out.append(f"  … and {len(through) - 200} more")
        out += _delivery_lines(reg)
        handled = reg.conn.execute("SELECT status, COUNT(*) FROM handled GROUP BY status").fetchall()
        out.append("Interventions handled: " + (", ".join(f"{n} {s}" for s, n in handled) or "none"))
        last_run = next((r for r in reversed(runs) if r["kind"] == "run"), None)
        if last_run is not None:
            counts = reg.outcome_counts(last_run["run_id"])
            waiting = {s: n for s, n in counts.items() if s in ("deferred", "held", "rejected")}
            out.append(f"Not billed at the last run ({last_run['label']}): "
                       + (", ".join(f"{n} {s}" for s, n in sorted(waiting.items())) or "none")
                       + " — deferred ones are billed by a later quarter; held and rejected rows need a fix")
        problems += reg.verify()
        known = reg.numbers()
        unknown, unreadable = disagreements(workspace, known, witnesses)
        for u in unknown:
            problems.append(f"output/ holds documents the register does not know: {u} — restore the register "
                            f"from {BACKUPS}/ or rebuild it with `bijstand repair`")
        problems += [f"cannot read {u}" for u in unreadable]
        pending = {p["label"] for p in reg.pending_runs()}
        for r in reg.output_files():
            if r["label"] in pending:
                continue
            f = workspace / OUTPUT / r["label"] / r["path"]
            if not f.exists():
                problems.append(f"missing output file {f} — `bijstand repair` writes it again from the register")
            elif hashlib.sha256(f.read_bytes()).hexdigest() != r["sha256"]:
                problems.append(f"output file {f} was changed after it was written — `bijstand repair` writes the "
                                "issued version again")
        out.append(_backups_line(workspace, output_numbers, known))
        old = [w.label for w in witnesses if w.numbers and not w.has_witness]
        if old:
            out.append(f"Note: {len(old)} run folder(s) written by an older version lack register.jsonl "
                       f"({', '.join(old[:5])}{' …' if len(old) > 5 else ''}): `bijstand repair` adds it, so that the "
                       "register can be rebuilt from output/ if it is ever lost")
        no_pdf = [w.label for w in witnesses if w.numbers and w.outputs and not w.label.startswith(REMINDER_PREFIX)
                  and not any(p.startswith("pdf/") for p in w.outputs)]
        if no_pdf:
            out.append(text("status.no-pdf", ui_language(workspace), n=len(no_pdf),
                            labels=", ".join(no_pdf[:5]) + (" …" if len(no_pdf) > 5 else "")))
    if pending:  # committed in the snapshot: a problem only when it is still unwritten and nobody is writing it
        with Register(path) as reg:
            pending = {p["label"] for p in reg.pending_runs()}
        if pending and not (holder or busy(workspace)):
            problems.append(f"run(s) committed but not written yet: {', '.join(sorted(pending))} "
                            "— the next `bijstand run` (or `bijstand repair`) finishes them")
    if problems:
        out.append("Integrity: PROBLEMS")
        out += [f"  ! {p}" for p in problems]
    else:
        out.append("Integrity: OK (document chain, billed coverage, handled interventions, output files and "
                   "output/ against the register verified)")
    return "\n".join(out), not problems


def _delivery_lines(reg) -> list[str]:
    """SPEC §11 D6: per run, its documents by delivery state — each document once, by its latest delivery
    (an e-mail copy beside Peppol is not a second document), documents never tried included; then the
    uncertain, failed and pending ones by number, with what each state means. In ``[ui] language``."""
    from .send import OVERVIEW_STATES, delivery_overview
    from .settings import load_settings
    from .texts_send import TEXTS

    workspace = Path(reg.path).parent
    try:
        settings = load_settings(workspace)
    except BijstandError:  # bijstand.toml is unreadable: the run and check commands say why
        settings = None
    lang = settings.ui.language if settings is not None else "nl"
    T = lambda key, **f: (TEXTS[key].get(lang) or TEXTS[key]["nl"]).format(**f)  # noqa: E731
    runs = [r for r in delivery_overview(reg, settings, busy=busy(workspace) is not None) if r.documents]
    if not runs:
        return []
    out = [T("status.title")]
    for run in runs:
        parts = [f"{run.counts.get(state, 0)} {T(f'status.{state}')}" for state in OVERVIEW_STATES]
        if run.counts.get("sending"):
            parts.append(f"{run.counts['sending']} {T('status.sending')}")
        out.append(T("status.run", label=run.label, n=run.documents, parts=", ".join(parts)))
    for state, limit in (("uncertain", 100), ("failed", 100), ("pending", 12)):
        numbers = [n for run in runs for n in run.numbers.get(state, [])]
        if numbers:
            shown = ", ".join(numbers[:limit]) + (f" {T('status.more', n=len(numbers) - limit)}"
                                                  if len(numbers) > limit else "")
            out.append(T(f"status.list.{state}", numbers=shown))
    return out


def _backups_line(workspace: Path, output_numbers: set[str], known: set[str]) -> str:
    """Which backup of the register holds exactly the documents that output/ holds."""
    copies = sorted((workspace / BACKUPS).glob("bijstand-*.sqlite"), reverse=True)
    if not copies:
        return "Backups: none yet (one is made after every run and credit note)"
    for copy in copies:
        numbers = backup_documents(copy)
        if numbers is not None and numbers == output_numbers:
            return f"Backups: {len(copies)}; the newest matching output/ is {copy.relative_to(workspace)}"
    return f"Backups: {len(copies)}; none holds exactly the documents of output/"
