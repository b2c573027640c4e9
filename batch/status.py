"""`bijstand status`: the register at a glance, with an integrity check of the chain and the files."""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path

from .problems import BijstandError
from .register import Register
from .workspace import OUTPUT, REGISTER


def status_report(workspace: Path) -> tuple[str, bool]:
    """The text to print, and whether every integrity check passed."""
    workspace = Path(workspace)
    path = workspace / REGISTER
    if not path.exists():
        raise BijstandError(f"no register in {workspace} yet — run `bijstand run QUARTER` first")
    out: list[str] = []
    ok = True
    with Register(path) as reg:
        runs = reg.runs(payload=False)
        out.append(f"Register: {path}")
        out.append(f"Billing start: {reg.billing_start() or '(not set yet)'}")
        out.append(f"Runs: {len(runs)}")
        for r in runs:
            n = reg.conn.execute("SELECT COUNT(*), COALESCE(MIN(number),''), COALESCE(MAX(number),'') "
                                 "FROM documents WHERE run_id = ?", (r["run_id"],)).fetchone()
            out.append(f"  {r['label']:<22} {r['kind']:<6} {r['invoice_date']}  {n[0]:>5} documents "
                       f"{n[1]}…{n[2]}  [{r['state']}]")
        last = reg.conn.execute("SELECT number, issue_date FROM documents ORDER BY rowid DESC LIMIT 1").fetchone()
        out.append(f"Last number: {last['number']} ({last['issue_date']})" if last else "Last number: none")
        kinds = Counter(r[0] for r in reg.conn.execute("SELECT document_type FROM documents"))
        out.append(f"Documents: {kinds.get('invoice', 0)} invoices, {kinds.get('credit_note', 0)} credit notes")
        rows = list(reg.conn.execute(
            "SELECT customer_id, MIN(through) AS lo, MAX(through) AS hi, COUNT(*) AS n FROM billed_through "
            "GROUP BY customer_id ORDER BY customer_id"))
        out.append(f"Customers billed: {len(rows)}")
        for r in rows[:200]:
            span = r["hi"] if r["lo"] == r["hi"] else f"{r['lo']} … {r['hi']}"
            out.append(f"  {r['customer_id']:<12} billed through {span} ({r['n']} licences)")
        if len(rows) > 200:
            out.append(f"  … and {len(rows) - 200} more")
        handled = reg.conn.execute("SELECT status, COUNT(*) FROM handled GROUP BY status").fetchall()
        out.append("Interventions handled: " + (", ".join(f"{n} {s}" for s, n in handled) or "none"))
        last_run = next((r for r in reversed(runs) if r["kind"] == "run"), None)
        if last_run is not None:
            counts = reg.outcome_counts(last_run["run_id"])
            waiting = {s: n for s, n in counts.items() if s in ("deferred", "held", "rejected")}
            out.append(f"Not billed at the last run ({last_run['label']}): "
                       + (", ".join(f"{n} {s}" for s, n in sorted(waiting.items())) or "none")
                       + " — deferred ones are billed by a later quarter; held and rejected rows need a fix")
        problems = reg.verify_chain()
        for r in reg.output_files():
            f = workspace / OUTPUT / r["label"] / r["path"]
            if not f.exists():
                problems.append(f"missing output file {f}")
            elif hashlib.sha256(f.read_bytes()).hexdigest() != r["sha256"]:
                problems.append(f"output file {f} was changed after it was written")
        pending = reg.pending_runs()
        if pending:
            problems.append(f"run(s) committed but not written yet: {', '.join(p['label'] for p in pending)} "
                            "— the next `bijstand run` finishes them")
        if problems:
            ok = False
            out.append("Integrity: PROBLEMS")
            out += [f"  ! {p}" for p in problems]
        else:
            out.append("Integrity: OK (document chain and output files verified)")
    return "\n".join(out), ok
