"""The reminder documents' cost: milliseconds per reminder, warm (one typst compiler per process).

    python3 benchmarks/reminders.py [--rounds 5]

Renders every sample reminder of ``tests/reminder_samples.py`` (each level in each language, a
legal version with its translation, a draft) and prints the median milliseconds per reminder of
the layout, the workbook (direct writer and xlsxwriter's plain one), the PDF and the whole
(``render_reminder_files``: laid out once, both files). Speed is measured here, never asserted.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from batch.documents.reminder_documents import (  # noqa: E402
    render_reminder_files,
    render_reminder_pdf,
    render_reminder_xlsx,
)
from batch.documents.reminder_layout import reminder_layout  # noqa: E402
from tests.reminder_samples import reminder_set  # noqa: E402


def per_reminder(label: str, docs: list, fn, rounds: int) -> None:
    """Median wall and CPU milliseconds per reminder over ``rounds``."""
    wall, cpu = [], []
    for _ in range(rounds):
        start, start_cpu = time.perf_counter(), time.process_time()
        for doc in docs:
            fn(doc)
        wall.append((time.perf_counter() - start) / len(docs) * 1000)
        cpu.append((time.process_time() - start_cpu) / len(docs) * 1000)
    print(f"  {label:<30} {statistics.median(wall):7.2f} ms wall  {statistics.median(cpu):7.2f} ms CPU per reminder")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    docs = list(reminder_set().values())
    for doc in docs:  # warm up: templates, fonts, the compiler
        render_reminder_files(doc)
    print(f"{len(docs)} sample reminders, {args.rounds} rounds")
    per_reminder("layout", docs, reminder_layout, args.rounds)
    per_reminder("workbook (direct)", docs, render_reminder_xlsx, args.rounds)
    per_reminder("workbook (xlsxwriter)", docs, lambda d: render_reminder_xlsx(d, plain=True), args.rounds)
    per_reminder("PDF", docs, render_reminder_pdf, args.rounds)
    per_reminder("files (workbook + PDF)", docs, render_reminder_files, args.rounds)


if __name__ == "__main__":
    main()
