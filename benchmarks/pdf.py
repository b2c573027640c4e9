"""The invoice PDF's cost: milliseconds per document, warm (one typst compiler per process).

    python3 benchmarks/pdf.py [--rounds 5] [--demo]

Renders every sample document of ``tests/samples.py`` (each VAT regime, language and kind, a
partial month with an upgrade, the awkward texts), or with ``--demo`` every document of the
demo year (``bijstand demo`` into a temporary folder first, ~30 s), and prints per stage the
median milliseconds per document: the workbook, the UBL without attachment, the PDF with that
UBL attached, the final UBL with the PDF embedded, and the whole chain
(``render_invoice_files``). Speed is measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from batch.documents.invoice_pdf import render_invoice_files, render_invoice_pdf  # noqa: E402
from batch.documents.invoice_xlsx import render_invoice_xlsx  # noqa: E402
from batch.documents.ubl import render_ubl  # noqa: E402


def documents(demo: bool) -> list:
    if not demo:
        from tests.samples import sample_set

        return list(sample_set().values())
    from click.testing import CliRunner

    from batch.cli import main
    from batch.register import Register

    folder = Path(tempfile.mkdtemp(prefix="bijstand-pdf-bench-")) / "ws"
    result = CliRunner().invoke(main, ["demo", str(folder)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    with Register(folder / "bijstand.sqlite") as reg:
        return reg.documents()


def per_document(label: str, docs: list, fn, rounds: int) -> float:
    """Median wall and CPU milliseconds per document over ``rounds`` (the machine is shared: the
    CPU time is the steadier figure)."""
    wall, cpu = [], []
    for _ in range(rounds):
        start, start_cpu = time.perf_counter(), time.process_time()
        for doc in docs:
            fn(doc)
        wall.append((time.perf_counter() - start) / len(docs) * 1000)
        cpu.append((time.process_time() - start_cpu) / len(docs) * 1000)
    print(f"  {label:<34} {statistics.median(wall):7.2f} ms wall  {statistics.median(cpu):7.2f} ms CPU "
          f"per document")
    return statistics.median(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--demo", action="store_true", help="every document of the demo year")
    args = parser.parse_args()
    docs = documents(args.demo)
    start = time.perf_counter()
    render_invoice_pdf(docs[0], render_ubl(docs[0]))
    print(f"{len(docs)} documents; first PDF (compiler, template and fonts loaded): "
          f"{(time.perf_counter() - start) * 1000:.0f} ms")
    ubls = {id(d): render_ubl(d) for d in docs}
    pages = 0
    for doc in docs:
        import io

        import pypdf
        pages += len(pypdf.PdfReader(io.BytesIO(render_invoice_pdf(doc, ubls[id(doc)]))).pages)
    print(f"pages per document: {pages / len(docs):.2f}")
    per_document("workbook (render_invoice_xlsx)", docs, render_invoice_xlsx, args.rounds)
    per_document("UBL without attachment", docs, render_ubl, args.rounds)
    per_document("PDF (render_invoice_pdf)", docs, lambda d: render_invoice_pdf(d, ubls[id(d)]), args.rounds)
    per_document("all three (render_invoice_files)", docs, render_invoice_files, args.rounds)


if __name__ == "__main__":
    main()
