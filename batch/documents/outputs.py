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
from ..money import cents, fmt_plain
from .safe_text import csv_text

from .figures import EXACT_COLUMNS, INTERVENTION_COLUMNS, JOURNAL_COLUMNS, LINE_COLUMNS  # noqa: E402  (once, there)


# columns whose text bijstand generates itself: written as they are (SPEC §8 T10)
GENERATED = frozenset({"structured_reference"})


def _csv(rows: list[dict], columns: list[str]) -> bytes:
    """A header and one line per row (the ``columns`` of each dict, other keys ignored); every text
    from the inbox or the settings made safe for a spreadsheet (:func:`csv_text`)."""
    plain = [(k, _plain if k in GENERATED else _exact if k in EXACT_COLUMNS else _safe) for k in columns]
    return _csv_lines(([f(row.get(k)) for k, f in plain] for row in rows), columns)


def _plain(v) -> str:
    if v is None:
        return ""
    if isinstance(v, Decimal):
        return fmt_plain(v)
    return str(v)


def _exact(v) -> str:
    """A quantity or unit price with every decimal it has, at least two (``2.00``, ``24.675``)."""
    if isinstance(v, Decimal) and cents(v) != v:
        return format(v.normalize(), "f")
    return _safe(v)


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


def _process_stamp(pid: int) -> str | None:
    """The start time of a live process (None when it is gone or a zombie): a pid may be reused,
    a (pid, start time) pair is not."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            fields = fh.read().rsplit(b")", 1)[1].split()
    except OSError:
        try:
            os.kill(pid, 0)  # no /proc: alive or not, at least
        except ProcessLookupError:
            return None
        except PermissionError:
            pass
        return "?"
    return None if fields[0] in (b"Z", b"X") else fields[19].decode()


def _watch_run(run: int, stamp: str | None, interval: float = 0.2) -> None:
    """In a worker process: end it as soon as the run that started it is gone (SPEC §8 T4). Workers
    come from multiprocessing's fork server, which lives as long as its workers do; a worker of a
    run that is killed (``kill -9``) would otherwise wait forever on the pool's pipes."""
    import threading
    import time

    def watch() -> None:
        while _process_stamp(run) == stamp:
            time.sleep(interval)
        os._exit(1)

    threading.Thread(target=watch, name="bijstand-run-watch", daemon=True).start()


def _context():
    """The workers' start method: a fork server, i.e. fresh processes forked from a clean server that
    has imported the renderers. Forking the run itself is not safe: once a PDF was rendered in it,
    typst's own threads hold locks that a forked child inherits and waits on forever."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["batch.documents.outputs", "batch.documents.invoice_pdf",
                                "batch.documents.invoice_xlsx", "batch.documents.ubl"])
    return ctx


def render_invoice_documents(invoices) -> list:
    """The files of each invoice (:class:`~batch.documents.invoice_pdf.InvoiceFiles`: stem, workbook,
    PDF, UBL or None), in order. Pure; runs in worker processes."""
    from .invoice_pdf import render_invoice_files

    return [render_invoice_files(inv) for inv in invoices]


def validate_documents(invoices) -> list[tuple[str, list]]:
    """(customer id, fatal findings) of every draft whose UBL (rendered without attachment) breaks the
    UBL 2.1 schema or the CEN/Peppol rules (SPEC §9 L4). Pure; runs in worker processes."""
    from .ubl import has_peppol_address, render_ubl
    from .validate import fatal, validate_ubl

    out = []
    for inv in invoices:
        if has_peppol_address(inv):
            found = fatal(validate_ubl(render_ubl(inv)))
            if found:
                out.append((inv.customer_id, found))
    return out


def validate_drafts(invoices, progress=lambda *a: None, n_workers: int | None = None) -> list[tuple[str, list]]:
    """:func:`validate_documents` over a whole run, in the worker processes when it is large."""
    invoices = list(invoices)
    n_workers = workers() if n_workers is None else n_workers
    total = len(invoices)
    chunks = [invoices[i:i + CHUNK] for i in range(0, total, CHUNK)]
    found: list[tuple[str, list]] = []
    done = 0
    if n_workers <= 1 or total < PARALLEL_MIN or "forkserver" not in multiprocessing.get_all_start_methods():
        for chunk in chunks:
            found += validate_documents(chunk)
            done += len(chunk)
            progress("validate", done, total)
        return found
    with ProcessPoolExecutor(n_workers, mp_context=_context(), initializer=_watch_run,
                             initargs=(os.getpid(), _process_stamp(os.getpid()))) as pool:
        for chunk, part in zip(chunks, pool.map(validate_documents, chunks)):
            found += part
            done += len(chunk)
            progress("validate", done, total)
    return found


def _documents(invoices, progress, n_workers: int, meanwhile):
    """Yield the invoice documents (InvoiceFiles) in order, one chunk at a time, and call
    ``meanwhile()`` (the summary) while worker processes render them; yields its result last, as
    ``(None, result)``. Only the chunks not yet written are held in memory."""
    total = len(invoices)
    done = 0
    if n_workers <= 1 or total < PARALLEL_MIN or "forkserver" not in multiprocessing.get_all_start_methods():
        for i in range(0, total, CHUNK):
            part = render_invoice_documents(invoices[i:i + CHUNK])
            done += len(part)
            progress("write", done, total)
            yield from part
        yield None, meanwhile()
        return
    chunks = [invoices[i:i + CHUNK] for i in range(0, total, CHUNK)]
    with ProcessPoolExecutor(n_workers, mp_context=_context(), initializer=_watch_run,
                             initargs=(os.getpid(), _process_stamp(os.getpid()))) as pool:
        futures = [pool.submit(render_invoice_documents, chunk) for chunk in chunks]
        other = meanwhile()  # the parent renders the summary while the workers render invoices
        futures.reverse()
        while futures:  # in submission order: the output order never depends on timing
            part = futures.pop().result()
            done += len(part)
            progress("write", done, total)
            yield from part
    yield None, other


def iter_run_files(result: RunResult, progress=lambda *a: None, n_workers: int | None = None, extra=()):
    """Every file of a run folder as (relative path, bytes), rendered deterministically from ``result``;
    manifest.json (with the SHA-256 of every other file) comes last. A generator, so that a large run
    is written file by file instead of being held in memory whole."""
    from .figures import journal_rows, line_rows
    from .summary import render_summary

    hashes: dict[str, str] = {}

    def emit(rel: str, data: bytes):
        hashes[rel] = hashlib.sha256(data).hexdigest()
        return rel, data

    by_post: list[str] = []  # SPEC §9 L6: no Peppol address, no UBL file
    for files in _documents(list(result.invoices), progress, workers() if n_workers is None else n_workers,
                            lambda: render_summary(result)):
        if isinstance(files, tuple):  # (None, the summary)
            yield emit("overzicht.xlsx", files[1])
            continue
        yield emit(f"facturen/{files.stem}.xlsx", files.xlsx)
        yield emit(f"pdf/{files.stem}.pdf", files.pdf)
        if files.ubl is not None:
            yield emit(f"peppol/{files.stem}.xml", files.ubl)
        else:
            by_post.append(files.stem)
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
        "deliver_by_email_or_post": by_post,
        "settings": result.settings.as_dict() if hasattr(result.settings, "as_dict") else {},
    }
    if result.extra:
        manifest["credit"] = result.extra
    yield "manifest.json", (json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def render_run_files(result: RunResult, progress=lambda *a: None, n_workers: int | None = None) -> dict[str, bytes]:
    """The run folder's files as a dict (all in memory: for tests and small runs)."""
    return dict(iter_run_files(result, progress, n_workers))
