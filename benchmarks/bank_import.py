"""Benchmark of the bank statement reader (SPEC §12 P1): a CODA file and a camt.053 file of
``--movements`` movements each, written by the test writers, then read by ``read_statement_file``.

    python3 benchmarks/bank_import.py [--movements 100000] [--dir /tmp/bijstand-bank-bench]

Each file is read in a fresh child process, so the figures are the reader's alone: movements per
second (wall clock) and the peak resident memory of that process (VmHWM), next to
the size of the file. The movements are realistic: 60 % structured references, 25 % free text
naming an invoice (some over records 2.2/2.3), 10 % debits, 5 % globals with three details.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from batch.payments.statements import read_statement_file  # noqa: E402
from batch.register import structured_reference  # noqa: E402
from tests.bankfiles import Mv, Stmt, camt_file, coda_file  # noqa: E402

PER_STATEMENT = 1_000  # movements per daily statement


def _movements(count: int, rng: random.Random) -> list[Mv]:
    out: list[Mv] = []
    written = 0
    while written < count:
        seq = rng.randint(1, 99_999)
        amount = Decimal(rng.randint(100, 500_000)) / 100
        roll = rng.random()
        name = rng.choice(["Juwelier Peeters BV", "Bijouterie Dubois SARL", "Café Noël", "Horlogerie Françoise"])
        iban = "BE71096123456769"
        if roll < 0.60:
            out.append(Mv(amount, structured=structured_reference(2027, seq), name=name, iban=iban))
        elif roll < 0.85:
            text = f"factuur 2027-{seq:06d}" + (" betaling van de onderhoudsovereenkomst voor het eerste kwartaal"
                                              if rng.random() < 0.3 else "")
            out.append(Mv(amount, communication=text, name=name, iban=iban))
        elif roll < 0.95:
            out.append(Mv(-amount, communication="leverancier"))
        else:
            parts = [Decimal(rng.randint(100, 50_000)) / 100 for _ in range(3)]
            out.append(Mv(sum(parts), details=[Mv(p, structured=structured_reference(2027, rng.randint(1, 99_999)))
                                               for p in parts]))
        written += len(out[-1].details) or 1
    return out


def _statements(count: int) -> list[Stmt]:
    rng = random.Random(20270210)
    movements = _movements(count, rng)
    statements, balance, day = [], Decimal("10000.00"), date(2027, 1, 4)
    for number, start in enumerate(range(0, len(movements), PER_STATEMENT), start=1):
        chunk = movements[start:start + PER_STATEMENT]
        statements.append(Stmt("BE68539007547034", number, day, balance, chunk, previous_day=day - timedelta(days=1)))
        balance += sum(m.amount for m in chunk)
        day += timedelta(days=1)
    return statements


def _child(path: str) -> None:
    if path == "-":  # the baseline: the same imports, no file
        print(json.dumps({"peak_rss_mb": _peak_rss_mb()}))
        return
    started = time.perf_counter()
    result = read_statement_file(Path(path))
    seconds = time.perf_counter() - started
    print(json.dumps({"movements": len(result.movements), "statements": len(result.statements),
                      "problems": len(result.problems), "seconds": seconds,
                      "peak_rss_mb": _peak_rss_mb()}))


def _peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM; ru_maxrss would include the parent's peak from
    before the fork)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--movements", type=int, default=100_000)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/bijstand-bank-bench"))
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child)
        return
    args.dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    statements = _statements(args.movements)
    files = {"coda": args.dir / "bank.cod", "camt053": args.dir / "bank.xml"}
    files["coda"].write_bytes(coda_file(statements))
    files["camt053"].write_bytes(camt_file(statements))
    print(f"generated {args.movements:,} movements in {len(statements)} statements "
          f"in {time.perf_counter() - started:.1f} s")
    baseline = json.loads(subprocess.run([sys.executable, __file__, "--child", "-"], capture_output=True,
                                         text=True, check=True).stdout)["peak_rss_mb"]
    for kind, path in files.items():
        out = subprocess.run([sys.executable, __file__, "--child", str(path)], capture_output=True, text=True,
                             check=True)
        figures = json.loads(out.stdout)
        rate = figures["movements"] / figures["seconds"]
        print(f"{kind:8} {path.stat().st_size / 1e6:7.1f} MB  {figures['movements']:,} movements "
              f"({figures['statements']} statements, {figures['problems']} problems)  "
              f"{figures['seconds']:.2f} s  {rate:,.0f} movements/s  peak RSS {figures['peak_rss_mb']:.0f} MB "
              f"(the reader's imports alone: {baseline:.0f} MB)")


if __name__ == "__main__":
    main()
