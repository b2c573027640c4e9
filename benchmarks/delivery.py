"""Benchmark of the delivery transport (SPEC §11): messages per second over SMTP to a local
aiosmtpd server and over HTTP to the local test access point (generic and Billit contracts),
plus building the e-mails and writing the dry-run outbox.

    python3 benchmarks/delivery.py [--messages 500]

Every message is a real one: the sample invoice's workbook and UBL (batch.documents), a one-page
PDF, the e-mail as `bijstand send` builds it. The servers are the test servers of tests/ (on
127.0.0.1, so the figures are the client's and the local stack's cost, not a provider's).
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pypdf import PdfWriter  # noqa: E402

from batch.delivery.email import Attachment, SmtpSender, build_message, document_of_invoice, wire_bytes  # noqa: E402
from batch.delivery.outbox import Outbox  # noqa: E402
from batch.delivery.peppol import PeppolClient  # noqa: E402
from batch.documents.invoice_xlsx import render_invoice_xlsx  # noqa: E402
from batch.documents.ubl import render_ubl  # noqa: E402
from tests.ap_server import API_KEY, PARTY_ID, AccessPoint  # noqa: E402
from tests.samples import sample_invoice  # noqa: E402
from tests.smtp_server import SmtpServer  # noqa: E402

WHEN = datetime(2027, 1, 6, 9, 30, tzinfo=timezone.utc)


def pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def rate(label: str, count: int, seconds: float, extra: str = "") -> None:
    print(f"  {label:<34} {count:>6} in {seconds:7.3f} s  = {count / seconds:9.1f} /s{extra}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=500)
    n = parser.parse_args().messages

    base = sample_invoice("S", "fr", "F2027-00001")
    invoices = [dataclasses.replace(base, number=f"F2027-{i:05d}", legal_language="nl") for i in range(1, n + 1)]
    pdf_bytes = pdf()
    xlsx = render_invoice_xlsx(base)
    ubls = {inv.number: render_ubl(inv, xlsx, f"{inv.number}.xlsx") for inv in invoices}
    print(f"delivery benchmark: {n} documents (UBL {len(next(iter(ubls.values()))):,} bytes, "
          f"PDF {len(pdf_bytes):,} bytes)")

    t = time.perf_counter()
    msgs = [build_message(document_of_invoice(inv), sender="facturen@juweelsoft.be", to="contact@dubois.fr",
                          bcc="archief@juweelsoft.be",
                          attachments=[Attachment(f"{inv.number}.pdf", pdf_bytes, "application/pdf"),
                                       Attachment(f"{inv.number}.xml", ubls[inv.number], "application/xml")],
                          when=WHEN) for inv in invoices]
    rate("build e-mails", n, time.perf_counter() - t)
    t = time.perf_counter()
    size = sum(len(wire_bytes(m)) for m in msgs)
    rate("serialise (wire bytes)", n, time.perf_counter() - t, f"  ({size / n / 1024:.1f} KiB each)")

    with tempfile.TemporaryDirectory() as tmp:
        box = Outbox(Path(tmp) / "outbox")
        t = time.perf_counter()
        for inv, m in zip(invoices, msgs):
            box.add_email(inv.number, m)
        rate("dry-run outbox: .eml", n, time.perf_counter() - t)

    server = SmtpServer()
    try:
        with SmtpSender(server.host, server.port, "none") as sender:
            t = time.perf_counter()
            states = [sender.send(m).state for m in msgs]
            elapsed = time.perf_counter() - t
        assert states.count("sent") == n and len(server.messages) == n, states[:3]
        rate("SMTP to local aiosmtpd (1 session)", n, elapsed)
    finally:
        server.stop()

    for provider in ("generic", "billit"):
        ap = AccessPoint(provider)
        try:
            with PeppolClient(provider, ap.url, API_KEY, party_id=PARTY_ID if provider == "billit" else "") as c:
                t = time.perf_counter()
                states = [c.send(number, ubl).state for number, ubl in ubls.items()]
                elapsed = time.perf_counter() - t
            assert states.count("sent") == n and len(ap.filed) == n, states[:3]
            rate(f"Peppol HTTP, {provider} contract", n, elapsed)
        finally:
            ap.stop()


if __name__ == "__main__":
    main()
