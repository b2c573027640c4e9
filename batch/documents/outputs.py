"""A run folder's files: invoices (xlsx + UBL), the summary, the CSVs and the manifest.

:func:`render_run_files` is pure: the same :class:`RunResult` always gives the same bytes.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal

from .. import __version__
from ..model import RunResult
from ..money import fmt_plain
from .safe_text import csv_text

JOURNAL_COLUMNS = ["document_type", "number", "date", "due_date", "customer_id", "customer_name", "vat_number",
                   "country", "vat_category", "net", "vat", "total", "structured_reference"]
LINE_COLUMNS = ["number", "customer_id", "kind", "module", "intervention_id", "period_start", "period_end",
                "quantity", "unit_price", "amount", "gl_account", "vat_category"]
INTERVENTION_COLUMNS = ["intervention_id", "source", "status", "number", "amount", "reason", "customer_id", "date"]


# columns whose text bijstand generates itself: written as they are (SPEC §8 T10)
GENERATED = frozenset({"structured_reference"})


def _csv(rows: list[dict], columns: list[str]) -> bytes:
    """A header and one line per row (the ``columns`` of each dict, other keys ignored); every text
    from the inbox or the settings made safe for a spreadsheet (:func:`csv_text`)."""
    plain = [(k, _plain if k in GENERATED else _safe) for k in columns]
    return _csv_lines(([f(row.get(k)) for k, f in plain] for row in rows), columns)


def _plain(v) -> str:
    if v is None:
        return ""
    if isinstance(v, Decimal):
        return fmt_plain(v)
    return str(v)


def _safe(v) -> str:
    """A CSV field: amounts and dates as :func:`_plain`, texts through :func:`csv_text`."""
    if type(v) is str:
        return csv_text(v)
    return _plain(v)


def intervention_lines(result: RunResult):
    """interventions.csv's rows as lists of texts in INTERVENTION_COLUMNS order, one per input row
    (built straight from the outcomes: a large book has hundreds of thousands)."""
    plain, safe = _plain, csv_text
    for o in result.interventions:
        yield [safe(o.intervention_id), safe(o.source), o.status, safe(o.number or ""), plain(o.amount),
               safe(o.reason), safe(o.customer_id), plain(o.date)]


def _csv_lines(lines, columns: list[str]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    w.writerows(lines)
    return buf.getvalue().encode("utf-8")


PARALLEL_MIN = 40  # below this many invoices, starting worker processes costs more than it saves
CHUNK = 25


def workers() -> int:
    """Worker processes for invoice documents: ``BIJSTAND_WORKERS``, else the number of cores."""
    env = os.environ.get("BIJSTAND_WORKERS", "")
    if env.isdigit() and int(env) > 0:
        return int(env)
    return max(1, min(os.cpu_count() or 1, 8))


def _watch_parent(parent: int, interval: float = 0.2) -> None:
    """In a worker process: end it as soon as the run that started it is gone (SPEC §8 T4). A worker
    forked by a run that is killed (``kill -9``) is adopted by another process; without this it
    would wait forever on the pool's pipes, and keep the workspace lock it inherited."""
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval)
        os._exit(1)

    threading.Thread(target=watch, name="bijstand-parent-watch", daemon=True).start()


def render_invoice_documents(invoices) -> list[tuple[str, bytes, bytes]]:
    """(file stem, invoice workbook, UBL) per invoice, in order. Pure; runs in worker processes."""
    from .invoice_xlsx import render_invoice_xlsx
    from .ubl import render_ubl

    out = []
    for inv in invoices:
        name = inv.number or f"concept-{inv.customer_id}"
        xlsx = render_invoice_xlsx(inv)
        out.append((name, xlsx, render_ubl(inv, xlsx, f"{name}.xlsx")))
    return out


def _documents(invoices, progress, n_workers: int, meanwhile):
    """Yield the invoice documents (file stem, workbook, UBL) in order, one chunk at a time, and
    call ``meanwhile()`` (the summary) while worker processes render them; yields its result last,
    as ``(None, result, None)``. Only the chunks not yet written are held in memory."""
    total = len(invoices)
    done = 0
    if n_workers <= 1 or total < PARALLEL_MIN or "fork" not in multiprocessing.get_all_start_methods():
        for i in range(0, total, CHUNK):
            part = render_invoice_documents(invoices[i:i + CHUNK])
            done += len(part)
            progress("write", done, total)
            yield from part
        yield None, meanwhile(), None
        return
    chunks = [invoices[i:i + CHUNK] for i in range(0, total, CHUNK)]
    with ProcessPoolExecutor(n_workers, mp_context=multiprocessing.get_context("fork"),
                             initializer=_watch_parent, initargs=(os.getpid(),)) as pool:
        futures = [pool.submit(render_invoice_documents, chunk) for chunk in chunks]
        other = meanwhile()  # the parent renders the summary while the workers render invoices
        futures.reverse()
        while futures:  # in submission order: the output order never depends on timing
            part = futures.pop().result()
            done += len(part)
            progress("write", done, total)
            yield from part
    yield None, other, None


def iter_run_files(result: RunResult, progress=lambda *a: None, n_workers: int | None = None, extra=()):
    """Every file of a run folder as (relative path, bytes), rendered deterministically from ``result``;
    manifest.json (with the SHA-256 of every other file) comes last. A generator, so that a large run
    is written file by file instead of being held in memory whole."""
    from .summary import journal_rows, line_rows, render_summary

    hashes: dict[str, str] = {}

    def emit(rel: str, data: bytes):
        hashes[rel] = hashlib.sha256(data).hexdigest()
        return rel, data

    for name, xlsx, xml in _documents(list(result.invoices), progress,
                                      workers() if n_workers is None else n_workers, lambda: render_summary(result)):
        if name is None:
            yield emit("overzicht.xlsx", xlsx)
            continue
        yield emit(f"facturen/{name}.xlsx", xlsx)
        yield emit(f"peppol/{name}.xml", xml)
    yield emit("journal.csv", _csv(journal_rows(result), JOURNAL_COLUMNS))
    yield emit("lines.csv", _csv(line_rows(result), LINE_COLUMNS))
    yield emit("interventions.csv", _csv_lines(intervention_lines(result), INTERVENTION_COLUMNS))
    for rel, data in extra:
        yield emit(rel, data)
    manifest = {
        "bijstand_version": result.version or __version__,
        "quarter": result.quarter,
        "label": result.label,
        "dry_run": result.dry_run,
        "run_at": result.run_at,
        "invoice_date": result.invoice_date.isoformat(),
        "inputs": [{"path": f.path, "sha256": f.sha256, "kind": f.kind, "rows": f.rows}
                   for f in result.input_files],
        "outputs": [{"path": p, "sha256": h} for p, h in sorted(hashes.items())],
        "documents": [inv.number for inv in result.invoices if inv.number],
        "settings": result.settings.as_dict() if hasattr(result.settings, "as_dict") else {},
    }
    if result.extra:
        manifest["credit"] = result.extra
    yield "manifest.json", (json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def render_run_files(result: RunResult, progress=lambda *a: None, n_workers: int | None = None) -> dict[str, bytes]:
    """The run folder's files as a dict (all in memory: for tests and small runs)."""
    return dict(iter_run_files(result, progress, n_workers))
