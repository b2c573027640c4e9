"""Benchmark of `bijstand payments` (SPEC §12 P1–P3, issue 16): ``--movements`` movements (default
100,000) in ONE file, as camt.053 (one statement) and as CODA (one file of statements of 9,999
movements, the most a CODA statement can number), imported end to end into the register of a real
workspace: read, match against its issued invoices, book (one transaction), write the open items.

    python3 benchmarks/bank_import.py [--movements 100000] [--scale 0.2] [--dir /tmp/bijstand-bank-bench]

The workspace is the large book of ``benchmarks/generate.py`` at ``--scale`` (0.2: 2,000 customers),
billed once (`bijstand run 2026Q4`), kept between runs. Its register is copied aside and put back
before each measurement, so each import starts from the same register. Every measurement runs in a
fresh child process: wall seconds per stage (read / match / book = the register's transaction /
open items = openstaand.xlsx and .csv), movements per second, and the child's peak resident memory
(VmHWM), next to the size of the file.

The statement pays the book's invoices as customers do: 60 % structured references (each invoice once
in full or in part, then again: credits on the customer), 25 % free text naming an invoice (some over
CODA records 2.2/2.3), 10 % debits, 5 % globals of three details (CODA type 1 + 5, a camt batch entry).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

ACCOUNT = "BE71096123456769"  # DEFAULT_TOML's seller
STATEMENT_DAY = date(2027, 2, 26)
TODAY = "2027-02-26"
CODA_MAX = 9_999  # movements a CODA statement can number  # BIJSTAND_TODAY of every step: the same open items each time


def _env() -> dict:
    return {**os.environ, "BIJSTAND_TODAY": TODAY, "PYTHONPATH": str(HERE.parent)}


def ensure_book(root: Path, scale: float) -> Path:
    """The billed workspace at ``root`` for ``scale`` (generated and run once, then reused)."""
    import generate as gen

    marker = root / ".bank-bench.json"
    want = {"scale": scale, "generator": (HERE / "generate.py").stat().st_mtime}
    if marker.exists() and json.loads(marker.read_text()) == want:
        return root
    shutil.rmtree(root, ignore_errors=True)
    t0 = time.perf_counter()
    gen.generate(root, scale)
    run = subprocess.run([sys.executable, "-m", "batch.cli", "-q", "-w", str(root), "run", gen.QUARTER,
                          "--invoice-date", gen.INVOICE_DATE.isoformat()], cwd=HERE.parent, env=_env(),
                         capture_output=True, text=True)
    if run.returncode != 0:
        raise SystemExit(f"bijstand run failed:\n{run.stdout[-2000:]}\n{run.stderr[-2000:]}")
    shutil.copy2(root / "bijstand.sqlite", root / "bijstand.sqlite.bench")
    marker.write_text(json.dumps(want))
    print(f"book at scale {scale:g} generated and billed in {time.perf_counter() - t0:.0f} s")
    return root


def reset(root: Path) -> None:
    """The register as it was after the run; no payments output, no backups of earlier imports."""
    for suffix in ("-wal", "-shm"):
        (root / f"bijstand.sqlite{suffix}").unlink(missing_ok=True)
    shutil.copy2(root / "bijstand.sqlite.bench", root / "bijstand.sqlite")
    shutil.rmtree(root / "output" / "betalingen", ignore_errors=True)
    for p in (root / "backups").glob("*payments*") if (root / "backups").exists() else ():
        p.unlink()


def invoices(root: Path) -> list[tuple[str, str, Decimal]]:
    import sqlite3

    with sqlite3.connect(f"file:{root / 'bijstand.sqlite.bench'}?mode=ro", uri=True) as c:
        return [(n, r, Decimal(t)) for n, r, t in c.execute(
            "SELECT number, json_extract(payload, '$.structured_reference'), total FROM documents "
            "WHERE document_type = 'invoice' ORDER BY rowid")]


def movements(count: int, book: list[tuple[str, str, Decimal]], rng: random.Random):
    from batch.payments.writers import Mv

    names = ["Juwelier Peeters BV", "Bijouterie Dubois SARL", "Café Noël", "Horlogerie Françoise"]
    out, written, turn = [], 0, 0
    while written < count:
        number, reference, total = book[turn % len(book)] if rng.random() < 0.7 else rng.choice(book)
        turn += 1
        amount = total if rng.random() < 0.8 else (total / 2).quantize(Decimal("0.01"))
        roll = rng.random()
        name, iban = rng.choice(names), f"BE{rng.randint(10, 99)}{rng.randint(10**11, 10**12 - 1)}"
        if roll < 0.60:
            out.append(Mv(amount, structured=reference, name=name, iban=iban))
        elif roll < 0.85:
            text = f"factuur {number}" + (" betaling van de onderhoudsovereenkomst voor het vierde kwartaal"
                                          if rng.random() < 0.3 else "")
            out.append(Mv(amount, communication=text, name=name, iban=iban))
        elif roll < 0.95:
            out.append(Mv(-amount, communication="leverancier", name="Leverancier NV", iban=iban))
        else:
            parts = [rng.choice(book) for _ in range(3)]
            out.append(Mv(sum(p[2] for p in parts), details=[Mv(p[2], structured=p[1]) for p in parts]))
        written += len(out[-1].details) or 1
    return out


def _peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM; ru_maxrss would include the parent's peak from
    before the fork)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(mode: str, workspace: str, path: str) -> None:
    """One measurement in this (fresh) process; prints its figures as JSON."""
    from batch.payments import book
    from batch.payments.statements import read_statement_file

    if mode == "baseline":  # the same imports, nothing read
        print(json.dumps({"peak_rss_mb": _peak_rss_mb()}))
        return
    if mode == "read":
        t0 = time.perf_counter()
        result = read_statement_file(Path(path))
        print(json.dumps({"movements": len(result.movements), "problems": len(result.problems),
                          "seconds": time.perf_counter() - t0, "peak_rss_mb": _peak_rss_mb()}))
        return
    stages: dict[str, float] = {}

    def timed(name, fn):
        def wrapper(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                stages[name] = stages.get(name, 0.0) + time.perf_counter() - t0
        return wrapper

    book.read_statement_file = timed("read", book.read_statement_file)
    book.match = timed("match", book.match)
    book.import_file = timed("import_file", book.import_file)
    book.write_open_items = timed("open items", book.write_open_items)
    t0 = time.perf_counter()
    report = book.import_statements(Path(workspace), [Path(path)])
    total = time.perf_counter() - t0
    (f,) = report.files
    stages["book"] = stages.pop("import_file") - stages.get("read", 0.0) - stages.get("match", 0.0)
    stages["other"] = total - sum(stages.values())  # settings, lock, witness and integrity checks, backup
    print(json.dumps({"state": f.state, "movements": f.movements, "codes": dict(f.codes), "seconds": total,
                      "stages": stages, "peak_rss_mb": _peak_rss_mb()}))


def run_child(*args: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True, text=True,
                         cwd=HERE.parent, env=_env())
    if out.returncode != 0:
        raise SystemExit(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--movements", type=int, default=100_000)
    parser.add_argument("--scale", type=float, default=0.2, help="the book of benchmarks/generate.py")
    parser.add_argument("--dir", type=Path, default=Path("/tmp/bijstand-bank-bench"))
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    from batch.payments.writers import Stmt, camt_file, coda_file

    args.dir.mkdir(parents=True, exist_ok=True)
    root = ensure_book(args.dir / f"book-{args.scale:g}", args.scale)
    book = invoices(root)
    t0 = time.perf_counter()
    moves = movements(args.movements, book, random.Random(20270226))
    statement = Stmt(ACCOUNT, 1, STATEMENT_DAY, Decimal("10000.00"), moves,
                     previous_day=STATEMENT_DAY - timedelta(days=1))
    # CODA numbers a statement's movements in 4 digits (record 2.1, positions 3–6): the same movements
    # as one file of statements of at most 9,999 movements each
    parts, balance = [], statement.old_balance
    for n, start in enumerate(range(0, len(moves), CODA_MAX), start=1):
        chunk = moves[start:start + CODA_MAX]
        parts.append(Stmt(ACCOUNT, n, STATEMENT_DAY, balance, chunk, previous_day=STATEMENT_DAY - timedelta(days=1)))
        balance += sum((m.amount for m in chunk), Decimal("0"))
    files = {"CODA": args.dir / "bank.cod", "camt.053": args.dir / "bank.xml"}
    files["CODA"].write_bytes(coda_file(parts))
    files["camt.053"].write_bytes(camt_file([statement]))
    print(f"{args.movements:,} movements ({len(moves):,} entries) against {len(book):,} invoices: camt.053 one "
          f"statement, CODA one file of {len(parts)} statements; written in {time.perf_counter() - t0:.1f} s")
    baseline = run_child("baseline", "-", "-")["peak_rss_mb"]
    print(f"(the imports alone: {baseline:.0f} MB)")
    for kind, path in files.items():
        size = path.stat().st_size / 1e6
        read = run_child("read", "-", str(path))
        print(f"{kind:9} {size:6.1f} MB  reader alone: {read['movements']:,} movements in {read['seconds']:.2f} s "
              f"= {read['movements'] / read['seconds']:,.0f} movements/s, peak RSS {read['peak_rss_mb']:.0f} MB")
        reset(root)
        full = run_child("import", str(root), str(path))
        stages = ", ".join(f"{k} {v:.2f} s" for k, v in full["stages"].items())
        print(f"{kind:9} {size:6.1f} MB  import end to end: {full['movements']:,} movements in {full['seconds']:.2f} s "
              f"= {full['movements'] / full['seconds']:,.0f} movements/s, peak RSS {full['peak_rss_mb']:.0f} MB "
              f"({stages}); {full['state']}: {full['codes']}")
    reset(root)


if __name__ == "__main__":
    main()
