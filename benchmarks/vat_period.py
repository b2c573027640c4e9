"""How long the VAT period takes (SPEC §10): the figures, the workbook, the Intervat listing and
the UBL zip, for a book of 10,000 and 40,000 documents dated in one quarter.

    python3 benchmarks/vat_period.py [--sizes 10000,40000] [--history 8]

The book is made here, deterministically (seed 7): four lines per document (two fees, a regie,
now and then an upgrade), 80 % S at 21 %, 12 % AE (to four member states, 300 customers), 3 % O,
5 % credit notes (half on an earlier quarter), a tenth of the interventions invoiced late. With
``--history N`` the register's history of N quarters of the same size is passed as well (as the
command will: every issued document, the period selects its own). The UBL zip is timed on
``--ubl`` documents rendered with render_ubl (rendering itself is not timed: the run wrote the
files). Wall and CPU seconds, and the peak RSS of this process, are printed.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import time
from datetime import date, timedelta
from decimal import Decimal

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from batch.documents.intervat import render_intervat_listing  # noqa: E402
from batch.documents.ubl import render_ubl  # noqa: E402
from batch.documents.ubl_zip import render_ubl_zip  # noqa: E402
from batch.documents.vat_workbook import render_vat_workbook  # noqa: E402
from batch.model import Invoice, InvoiceLine, Party, VatSubtotal  # noqa: E402
from batch.money import cents  # noqa: E402
from batch.settings import Settings  # noqa: E402
from batch.vat_period import VatPeriod, parse_vat_period, period_figures  # noqa: E402

D = Decimal
EU = [("FR", "FR40303265045"), ("NL", "NL004495445B01"), ("DE", "DE136695976"), ("LU", "LU26375245")]


def make_book(n: int, period: VatPeriod, seed: int = 7, start: int = 1) -> list[Invoice]:
    rnd = random.Random(seed)
    seller = Settings().seller.party()
    days = (period.last - period.first).days
    docs = []
    for i in range(n):
        issue = period.first + timedelta(days=rnd.randrange(days + 1))
        roll = rnd.random()
        category = "S" if roll < 0.80 else "AE" if roll < 0.92 else "O" if roll < 0.95 else "S"
        credit = rnd.random() < 0.05
        k = rnd.randrange(300 if category == "AE" else 3000)
        if category == "AE":
            country, vat = EU[k % 4]
            buyer = Party(name=f"Client {country} {k}", country=country, vat_number=f"{vat[:-3]}{k:03d}"[:14],
                          customer_id=f"E{k:04d}")
        elif category == "O":
            buyer = Party(name=f"Overseas {k}", country="CH", customer_id=f"O{k:04d}")
        else:
            buyer = Party(name=f"Klant {k}", country="BE", vat_number="BE0477472701", company_id="0477472701",
                          customer_id=f"K{k:04d}")
        rate = D("21") if category == "S" else D("0")
        service = issue - timedelta(days=rnd.randrange(20, 80))
        lines = [
            InvoiceLine(kind="fee", amount=D(rnd.randrange(2000, 30000)) / 100, quantity=D(3), unit_price=D("1"),
                        vat_category=category, vat_rate=rate, gl_account="700000", module="JUW",
                        period_start=period.first, period_end=period.last),
            InvoiceLine(kind="fee", amount=D(rnd.randrange(1000, 9000)) / 100, quantity=D(3), unit_price=D("1"),
                        vat_category=category, vat_rate=rate, gl_account="700000", module="KAS",
                        period_start=period.first, period_end=period.last),
            InvoiceLine(kind="regie", amount=D(rnd.choice([1875, 3750, 7500, 11250])) / 100, quantity=D(1),
                        unit_price=D("75.00"), vat_category=category, vat_rate=rate, gl_account="700100",
                        intervention_id=f"I-{start + i}", date=service if rnd.random() < 0.1 else issue - timedelta(days=3)),
        ]
        if rnd.random() < 0.2:
            lines.append(InvoiceLine(kind="upgrade", amount=D(rnd.randrange(5000, 40000)) / 100, quantity=D(1),
                                     unit_price=D(1), vat_category=category, vat_rate=rate, gl_account="700200",
                                     deadline=issue + timedelta(days=rnd.randrange(-20, 20))))
        net = sum((line.amount for line in lines), D("0.00"))
        vat = cents(net * rate / 100)
        credited = (issue - timedelta(days=rnd.randrange(1, 150))) if credit else None
        docs.append(Invoice(
            document_type="credit_note" if credit else "invoice", number=f"{issue.year}-{start + i:06d}",
            issue_date=issue, due_date=issue + timedelta(days=30), quarter=period.label, language="nl",
            seller=seller, buyer=buyer, customer_id=buyer.customer_id, lines=tuple(lines),
            vat_breakdown=(VatSubtotal(category, rate, net, vat),), net=net, vat=vat, total=net + vat,
            structured_reference=None, credited_number=f"X-{i}" if credit else None, credited_date=credited,
        ))
    return docs


def timed(label: str, fn):
    wall, cpu = time.perf_counter(), time.process_time()
    value = fn()
    print(f"  {label:<28} {time.perf_counter() - wall:8.2f} s wall {time.process_time() - cpu:8.2f} s CPU")
    return value


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,40000")
    ap.add_argument("--history", type=int, default=0, help="earlier quarters of the same size passed as well")
    ap.add_argument("--ubl", type=int, default=2000, help="documents in the timed UBL zip")
    args = ap.parse_args()
    period = parse_vat_period("2027Q1")
    seller = Settings().seller
    for n in (int(s) for s in args.sizes.split(",")):
        print(f"{n} documents in {period.label}" + (f", plus {args.history} earlier quarters" if args.history else ""))
        docs = make_book(n, period)
        q = period.first
        for h in range(args.history):
            q = (q - timedelta(days=1)).replace(day=1)
            q = VatPeriod.of(q, "quarter").first
            docs = make_book(n, VatPeriod.of(q, "quarter"), seed=100 + h, start=(h + 1) * n + 1) + docs
        figures = timed("figures (period_figures)", lambda: period_figures(period, docs))
        data = timed("btw-aangifte.xlsx", lambda: render_vat_workbook(figures, seller))
        xml = timed("intervat-listing.xml", lambda: render_intervat_listing(figures.listing, period, seller))
        files = [(f"{d.number}.xml", render_ubl(d)) for d in figures.documents[:args.ubl]]
        archive = timed(f"ubl zip ({len(files)} files)", lambda: render_ubl_zip(files))
        print(f"  grids: " + ", ".join(f"{g} {v}" for g, v in figures.grids.items()))
        print(f"  {len(figures.documents)} documents, {len(figures.late)} late lines, {len(figures.listing)} "
              f"listing lines; workbook {len(data) / 1e6:.1f} MB, listing {len(xml) / 1e3:.0f} kB, "
              f"zip {len(archive) / 1e6:.1f} MB")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
