"""Benchmark of the inbox reader: a large interventions sheet, read and validated end to end.

    python3 benchmarks/read_inbox.py [--rows 300000] [--dir /tmp/bijstand-bench]

Writes a scratch workspace (outside the repository by default) with tarieven.xlsx, 2,000
customers, their licences and one interventions sheet of ``--rows`` rows (xlsxwriter in
constant_memory mode, rows written directly), then times ``read_inbox`` and reports rows per
second and the peak resident memory of the process (resource.getrusage).
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import xlsxwriter

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from batch.inbox.reader import read_inbox  # noqa: E402
from batch.model import CATEGORIES, CHANNELS  # noqa: E402
from batch.settings import Settings  # noqa: E402

CUSTOMERS = 2_000


def _sheet(path: Path, name: str, header: list[str], rows) -> None:
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False})
    ws = wb.add_worksheet(name)
    ws.write_row(0, 0, header)
    datefmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if isinstance(value, date):
                ws.write_datetime(r, c, value, datefmt)
            elif isinstance(value, str):
                ws.write_string(r, c, value)
            elif value is not None:
                ws.write_number(r, c, value)
    wb.close()


def generate(root: Path, rows: int, seed: int = 7) -> Path:
    rnd = random.Random(seed)
    inbox = root / "inbox" / "2026-12"
    inbox.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(root / "tarieven.xlsx"))
    m = wb.add_worksheet("Modules")
    m.write_row(0, 0, ["code", "omschrijving", "basispakket", "communicatiepakket", "licentieprijs", "maandbedrag",
                       "geldig vanaf"])
    m.write_row(1, 0, ["JUW", "Juwelierspakket", "ja", "nee", 4950, 45, "01/01/2010"])
    m.write_row(2, 0, ["KAS", "Kassa", "nee", "nee", 1200, 12, "01/01/2010"])
    g = wb.add_worksheet("Regie")
    g.write_row(0, 0, ["geldig vanaf", "uurtarief", "kanaal"])
    g.write_row(1, 0, ["01/01/2010", 75])
    v = wb.add_worksheet("Verlof")
    v.write_row(0, 0, ["van", "tot", "omschrijving"])
    wb.close()
    ids = [f"K{n:05d}" for n in range(1, CUSTOMERS + 1)]
    _sheet(inbox / "klanten.xlsx", "Klanten", ["klantnummer", "naam", "land", "btw-nummer"],
           ([cid, f"Juwelier {cid}", "BE", "BE0403170701"] for cid in ids))
    _sheet(inbox / "licenties.xlsx", "Licenties", ["klantnummer", "module", "aantal", "aankoopdatum"],
           ([cid, "JUW", 1, date(2015, 1, 1)] for cid in ids))
    start = date(2026, 1, 1)
    _sheet(inbox / "interventies.xlsx", "Interventies",
           ["interventienummer", "datum", "klantnummer", "duur", "kanaal", "soort", "aanpassing pakket",
            "technieker", "omschrijving"],
           ([f"I{n:07d}", start + timedelta(days=rnd.randrange(365)), rnd.choice(ids), rnd.choice((10, 20, 45, 90)),
             rnd.choice(CHANNELS), rnd.choice(CATEGORIES), rnd.choice(("ja", "nee", None)), "Els",
             "vraag over de kassa"] for n in range(1, rows + 1)))
    return root


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=300_000)
    ap.add_argument("--dir", type=Path, default=Path("/tmp/bijstand-bench"))
    args = ap.parse_args()
    t0 = time.perf_counter()
    root = generate(args.dir, args.rows)
    t1 = time.perf_counter()
    size = (root / "inbox" / "2026-12" / "interventies.xlsx").stat().st_size
    print(f"generated {args.rows} interventions ({size / 1e6:.1f} MB) in {t1 - t0:.1f} s")
    inbox = read_inbox(root, Settings())
    t2 = time.perf_counter()
    rows = len(inbox.interventions)
    assert rows == args.rows, rows
    bad = [p for p in inbox.problems if p.severity == "error"]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"read {rows} interventions + {len(inbox.customers)} customers in {t2 - t1:.2f} s: "
          f"{rows / (t2 - t1):,.0f} rows/s; errors {len(bad)}; peak RSS {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
