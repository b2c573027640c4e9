"""The fast path (invoice documents rendered by worker processes) gives byte-identical files."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from batch.documents.outputs import PARALLEL_MIN, render_run_files
from batch.model import RunResult
from batch.settings import Settings
from tests.samples import sample_invoice


def result_with(n: int) -> RunResult:
    invoices = []
    for i in range(n):
        cat = ("S", "AE", "O")[i % 3]
        lang = ("nl", "fr", "en")[i % 3]
        inv = sample_invoice(cat, lang, number=f"2027-{i + 1:06d}")
        invoices.append(replace(inv, customer_id=f"K{i:04d}", structured_reference=None))
    return RunResult("2027Q1", "2027Q1", False, "2027-01-05T09:00:00", date(2027, 1, 5), invoices, [], [], [], [],
                     Settings(), "test")


def test_parallel_rendering_is_byte_identical_to_serial():
    result = result_with(PARALLEL_MIN + 7)
    seen = []
    serial = render_run_files(result, n_workers=1)
    parallel = render_run_files(result, lambda step, done, total: seen.append(done), n_workers=2)
    assert serial.keys() == parallel.keys()
    assert len([k for k in serial if k.startswith("facturen/")]) == PARALLEL_MIN + 7
    for key in serial:
        assert serial[key] == parallel[key], key
    assert seen[-1] == PARALLEL_MIN + 7 and seen == sorted(seen)
