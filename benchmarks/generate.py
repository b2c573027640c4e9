"""The large-book workspace of the benchmark (issue 7): seeded, written fast, outside the repository.

    python3 benchmarks/generate.py [--scale 1.0] [DIR]      # default DIR /tmp/bijstand-bench-<scale>

Scale 1.0 is 10,000 customers, 30,000 licences (three per customer) and three monthly
interventions sheets of 100,000 rows each (October, November and December 2026). The layout
is the one the real code reads: ``bijstand.toml`` (DEFAULT_TOML with ``billing.start =
2026-10-01`` and ``fee_timing = "arrears"``, so that ``bijstand run 2026Q4`` bills every
customer's fees for the quarter and every intervention of it), ``tarieven.xlsx`` written by
:func:`batch.workspace.write_tariffs`, and ``inbox/2026-10|11|12/interventies.xlsx`` with
``inbox/2026-12/klanten.xlsx`` and ``licenties.xlsx`` under the Dutch headers of
:mod:`batch.schema`: five workbooks.

Cells are written the way a bookkeeper's Excel holds them: real dates (number + date format),
numbers as numbers, identifiers as text. xlsxwriter's ``constant_memory`` mode streams the
rows; each row is written by ``write_string``/``write_number`` directly (no per-cell type
dispatch), and the three interventions sheets are written by worker processes.

The book is realistic enough to exercise every path of an invoice: 85 % Belgian customers
(21 %, a valid enterprise number, half of them with a Peppol id), Dutch, French and
Luxembourg customers with a valid VAT number (reverse charge), a few Swiss ones (outside the
EU), customers without agreement, cancellations during the quarter, licences bought or ended
inside the quarter (prorated lines), phone calls during the Christmas holiday, package
adaptations without agreement (upgrade lines).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date, timedelta
from pathlib import Path

import xlsxwriter

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from batch.demo import CATEGORY_WEIGHTS, DESCRIPTIONS, MINUTES, TECHNICIANS, _valid_vat  # noqa: E402
from batch.schema import INTERVENTIES, KLANTEN, LICENTIES  # noqa: E402
from batch.settings import DEFAULT_TOML, SETTINGS_FILE  # noqa: E402
from batch.workspace import EXAMPLE_MODULES, EXAMPLE_REGIE, EXAMPLE_VERLOF, write_tariffs  # noqa: E402

SEED = 2026
QUARTER = "2026Q4"
INVOICE_DATE = date(2027, 1, 5)
BILLING_START = date(2026, 10, 1)
MONTHS = ("2026-10", "2026-11", "2026-12")
SNAPSHOT_MONTH = "2026-12"
CUSTOMERS_PER_SCALE = 10_000
INTERVENTIONS_PER_MONTH_PER_SCALE = 100_000
EXTRA_MODULES = ("KAS", "COM", "HERSTEL", "VOORRAAD", "WEB")
EXCEL_EPOCH = date(1899, 12, 30)
CITIES = {"BE": (("2000", "Antwerpen"), ("9000", "Gent"), ("1000", "Brussel"), ("3000", "Leuven"),
                 ("4000", "Liège"), ("8000", "Brugge"), ("5000", "Namur")),
          "NL": (("1012 PX", "Amsterdam"), ("3011 AB", "Rotterdam")), "FR": (("59000", "Lille"),),
          "LU": (("L-1009", "Luxembourg"),), "CH": (("1204", "Genève"),)}
COUNTRY_WEIGHTS = (("BE", 85), ("NL", 7), ("FR", 3), ("LU", 3), ("CH", 2))


def settings_toml() -> str:
    """DEFAULT_TOML with the benchmark's billing start and fee timing.

    >>> 'start = "2026-10-01"' in settings_toml() and 'fee_timing = "arrears"' in settings_toml()
    True
    """
    toml = DEFAULT_TOML.replace('start = ""', f'start = "{BILLING_START.isoformat()}"', 1)
    toml = toml.replace('fee_timing = "advance"', 'fee_timing = "arrears"', 1)
    assert toml.count("2026-10-01") == 1 and 'fee_timing = "arrears"' in toml, "DEFAULT_TOML changed shape"
    return toml


def serial(day: date) -> int:
    """Excel's day number of a date (1900 date system).

    >>> serial(date(2026, 10, 1))
    46296
    """
    return (day - EXCEL_EPOCH).days


def counts(scale: float) -> tuple[int, int]:
    """(customers, interventions per month) at ``scale``.

    >>> counts(1.0), counts(0.5)
    ((10000, 100000), (5000, 50000))
    """
    return round(CUSTOMERS_PER_SCALE * scale), round(INTERVENTIONS_PER_MONTH_PER_SCALE * scale)


class _Book:
    """One streamed xlsx: header row from a SheetSpec, then rows written cell by cell."""

    def __init__(self, path: Path, spec, title: str):
        self.path = path
        self.tmp = path.with_name(path.name + ".tmp.xlsx")
        self.wb = xlsxwriter.Workbook(str(self.tmp), {"constant_memory": True, "strings_to_formulas": False,
                                                      "strings_to_urls": False, "strings_to_numbers": False})
        self.ws = self.wb.add_worksheet(title)
        self.datefmt = self.wb.add_format({"num_format": "dd/mm/yyyy"})
        self.columns = [c.name for c in spec.columns]
        for c, name in enumerate(self.columns):
            self.ws.write_string(0, c, name)
        self.row = 0

    def add(self, values: dict) -> None:
        """Write one row: str → text, int/float → number, date → date cell, None → nothing."""
        self.row += 1
        ws, r = self.ws, self.row
        for c, name in enumerate(self.columns):
            v = values.get(name)
            if v is None:
                continue
            if isinstance(v, str):
                ws.write_string(r, c, v)
            elif isinstance(v, date):
                ws.write_number(r, c, serial(v), self.datefmt)
            else:
                ws.write_number(r, c, v)

    def close(self) -> int:
        self.wb.close()  # raises on failure (xlsxwriter ≥ 3 reports I/O errors by exception here)
        self.tmp.replace(self.path)
        return self.row


def _customers(rng: random.Random, n: int) -> list[dict]:
    countries = [c for c, w in COUNTRY_WEIGHTS for _ in range(w)]
    taken: set[str] = set()
    rows = []
    for i in range(n):
        cid = f"{100001 + i}"
        country = rng.choice(countries)
        postcode, city = rng.choice(CITIES[country])
        vat = _valid_vat(country, rng, taken) if country != "CH" else None
        lang = ({"BE": rng.choice("nnnnnnffffe"), "FR": "f", "LU": "f"}.get(country, "n" if country == "NL" else "e"))
        lang = {"n": "nl", "f": "fr", "e": "en"}[lang]
        row = {"klantnummer": cid, "naam": f"Juwelier {city} {i + 1}", "straat": f"Markt {rng.randint(1, 200)}",
               "postcode": postcode, "gemeente": city, "land": country, "btw-nummer": vat, "taal": lang,
               "e-mail": f"info{i + 1}@juwelier.example", "overeenkomst": "ja"}
        if country == "BE" and rng.random() < 0.5:
            row["peppol-id"] = f"0208:{vat[2:]}"
        roll = rng.random()
        if roll < 0.05:
            row["overeenkomst"] = "nee"
        elif roll < 0.08:
            row["opgezegd op"] = date(2026, rng.choice((10, 11, 12)), rng.randint(2, 28))
            row["opzegging via"] = rng.choice(("brief", "e-mail", "fax"))
        elif roll < 0.10:
            row["overeenkomst vanaf"] = date(2026, rng.choice((8, 9, 10, 11)), 1)
        rows.append(row)
    return rows


def _licences(rng: random.Random, customers: list[dict]) -> list[dict]:
    rows = []
    for c in customers:
        bought = date(2010, 1, 1) + timedelta(days=rng.randrange(16 * 365))  # 2010 … 2025
        rows.append({"klantnummer": c["klantnummer"], "module": "JUW", "aantal": 1, "aankoopdatum": bought})
        for module in rng.sample(EXTRA_MODULES, 2):
            row = {"klantnummer": c["klantnummer"], "module": module, "aantal": rng.choice((1, 1, 1, 2, 3)),
                   "aankoopdatum": max(bought, date(2015, 1, 1) if module == "WEB" else bought)
                   + timedelta(days=rng.randrange(365))}
            roll = rng.random()
            if roll < 0.03:  # bought inside the quarter: a prorated first month
                row["aankoopdatum"] = date(2026, rng.choice((10, 11, 12)), rng.randint(2, 28))
            elif roll < 0.05:  # ended inside the quarter: a prorated last month
                end = date(2026, rng.choice((10, 11, 12)), rng.randint(1, 27))
                if end >= row["aankoopdatum"]:  # (drawn either way: the rest of the book stays the same)
                    row["einddatum"] = end
            rows.append(row)
    return rows


def _write_interventions(path: Path, month: str, first: int, n: int, customers: int, seed: int) -> int:
    """One month's interventies.xlsx of ``n`` rows, numbered from ``first`` (runs in a worker)."""
    rng = random.Random(seed)
    year, mon = map(int, month.split("-"))
    start = date(year, mon, 1)
    days = ((date(year + (mon == 12), mon % 12 + 1, 1)) - start).days
    cats = [c for c, w in CATEGORY_WEIGHTS.items() for _ in range(w)]
    channels = ("telefoon",) * 6 + ("internet",) * 3 + ("ter plaatse",)
    book = _Book(path, INTERVENTIES, INTERVENTIES.title)
    ws, fmt = book.ws, book.datefmt
    base = serial(start)
    for k in range(n):
        r = k + 1
        category = rng.choice(cats)
        ws.write_string(r, 0, f"{year}-{first + k:07d}")
        ws.write_number(r, 1, base + rng.randrange(days), fmt)
        ws.write_string(r, 2, f"{100001 + rng.randrange(customers)}")
        ws.write_number(r, 3, rng.choice(MINUTES))
        ws.write_string(r, 4, rng.choice(channels))
        ws.write_string(r, 5, category)
        ws.write_string(r, 6, "ja" if rng.random() < 0.02 else "nee")
        ws.write_string(r, 7, rng.choice(TECHNICIANS))
        ws.write_string(r, 8, rng.choice(DESCRIPTIONS[category]))
    book.row = n
    return book.close()


def generate(root: Path, scale: float = 1.0, seed: int = SEED, workers: int = 3) -> Path:
    """Write the workspace into ``root`` (created; an existing one is overwritten file by file)."""
    root = Path(root)
    n_customers, per_month = counts(scale)
    for month in MONTHS:
        (root / "inbox" / month).mkdir(parents=True, exist_ok=True)
    (root / SETTINGS_FILE).write_text(settings_toml(), encoding="utf-8")
    write_tariffs(root / "tarieven.xlsx", EXAMPLE_MODULES, EXAMPLE_REGIE, EXAMPLE_VERLOF)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        jobs = [pool.submit(_write_interventions, root / "inbox" / m / "interventies.xlsx", m,
                            1 + i * per_month, per_month, n_customers, seed * 100 + i)
                for i, m in enumerate(MONTHS)]
        rng = random.Random(seed)
        customers = _customers(rng, n_customers)
        licences = _licences(rng, customers)
        snapshot = root / "inbox" / SNAPSHOT_MONTH
        for spec, rows in ((KLANTEN, customers), (LICENTIES, licences)):
            book = _Book(snapshot / f"{spec.kind}.xlsx", spec, spec.title)
            for row in rows:
                book.add(row)
            book.close()
        for job in jobs:
            job.result()
    return root


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir", nargs="?", type=Path, help="default /tmp/bijstand-bench-<scale>")
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--seed", type=int, default=SEED)
    args = ap.parse_args(argv)
    root = args.dir or Path(f"/tmp/bijstand-bench-{args.scale:g}")
    t0 = time.perf_counter()
    generate(root, args.scale, args.seed)
    n_customers, per_month = counts(args.scale)
    print(f"{root}: {n_customers} customers, {3 * n_customers} licences, 3 × {per_month} interventions "
          f"in {time.perf_counter() - t0:.1f} s; run: bijstand --workspace {root} run {QUARTER} "
          f"--invoice-date {INVOICE_DATE.isoformat()}")


if __name__ == "__main__":
    main()
