"""Benchmark of delivery (SPEC §11): messages per second over SMTP to a local aiosmtpd server and
over HTTP to the local test access point (generic and Billit contracts), plus building the e-mails
and writing the dry-run outbox; with ``--demo``, also `bijstand send` itself (a subprocess, start-up
included) on the demo's 2027Q1 quarter with its real PDFs, per channel set-up, and a second `send`
with nothing pending.

    python3 benchmarks/delivery.py [--messages 500] [--demo] [--raw-only]

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
    parser.add_argument("--demo", action="store_true", help="also time `bijstand send` on the demo's 2027Q1")
    parser.add_argument("--no-raw", action="store_true", help="skip the transport-only figures")
    args = parser.parse_args()
    if not args.no_raw:
        raw(args.messages)
    if args.demo:
        demo()


def raw(n: int) -> None:

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


# --- `bijstand send` on the demo's 2027Q1 ---------------------------------------------------------------


def demo_quarter(folder: Path) -> Path:
    """The demo's workspace up to 2027Q1 (no payments, no reminders), the four quarters of 2026 already
    recorded as posted (a `send` with nothing configured): only 2027Q1's invoices are waiting."""
    from batch.demo import run_demo
    from batch.send import send

    ws = folder / "demo"
    for quarter, _, _ in run_demo(ws):
        if quarter == "2026Q4":
            send(ws)  # no [delivery.*] yet: every 2026 document is recorded "to print and post"
        if quarter == "2027Q1":
            break
    return ws


def configure(ws: Path, smtp: SmtpServer | None, ap: AccessPoint | None, attach_workbook: bool = False) -> None:
    text = (ws / "bijstand.toml").read_text()
    text += f"\n[delivery]\nemail_copy = false\nattach_workbook = {str(attach_workbook).lower()}\n"
    if smtp is not None:
        text += (f'\n[delivery.email]\nhost = "127.0.0.1"\nport = {smtp.port}\nsecurity = "none"\n'
                 f'from = "facturen@juweelsoft.be"\n')
    if ap is not None:
        text += (f'\n[delivery.peppol]\nprovider = "{ap.provider}"\nurl = "{ap.url}"\n'
                 f'api_key_env = "BIJSTAND_PEPPOL_KEY"\nparty_id = "{PARTY_ID if ap.provider == "billit" else ""}"\n')
    (ws / "bijstand.toml").write_text(text)


def timed_send(ws: Path) -> tuple[float, str]:
    import os
    import subprocess

    env = dict(os.environ, BIJSTAND_PEPPOL_KEY=API_KEY,
               PYTHONPATH=str(Path(__file__).resolve().parent.parent) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    t = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "batch.cli", "-q", "-w", str(ws), "send"], env=env,
                          capture_output=True, text=True)
    elapsed = time.perf_counter() - t
    if done.returncode != 0:
        raise SystemExit(f"send failed ({done.returncode}): {done.stdout[-2000:]}{done.stderr[-2000:]}")
    return elapsed, done.stdout.strip().splitlines()[-1]


def demo() -> None:
    import shutil

    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        base = demo_quarter(Path(tmp))
        print(f"\n`bijstand send` on the demo's 2027Q1 (built in {time.perf_counter() - t:.1f} s; each figure a "
              f"subprocess, start-up, lock, register checks and the overzicht.xlsx re-render included)")
        for i, (name, channels, workbook) in enumerate((("e-mail only (PDF + UBL)", ("smtp",), False),
                                         ("e-mail only (PDF + UBL + xlsx)", ("smtp",), True),
                                         ("Peppol generic + e-mail", ("smtp", "generic"), False),
                                         ("Peppol Billit + e-mail", ("smtp", "billit"), False))):
            ws = Path(tmp) / f"case-{i}" / "ws"
            shutil.copytree(base, ws)
            smtp = SmtpServer()
            ap = AccessPoint(channels[1]) if len(channels) > 1 else None
            try:
                configure(ws, smtp, ap, workbook)
                elapsed, total = timed_send(ws)
                mails, posts = len(smtp.messages), len(ap.requests) if ap else 0
                size = sum(len(m.data) for m in smtp.messages) / max(1, mails) / 1024
                rate(name, mails + posts, elapsed, f"  ({mails} e-mails of {size:.0f} KiB, {posts} Peppol; "
                                                   f"{total})")
                again, total = timed_send(ws)
                assert len(smtp.messages) == mails and (ap is None or len(ap.requests) == posts)
                print(f"  {'  … again, nothing pending':<34} {again:7.3f} s  ({total})")
            finally:
                smtp.stop()
                if ap is not None:
                    ap.stop()


if __name__ == "__main__":
    main()
