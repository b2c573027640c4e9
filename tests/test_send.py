"""`bijstand send` (SPEC §11, issue 15) against real servers started by the tests: an SMTP server
(aiosmtpd) and an access point (http.server playing the generic contract) on 127.0.0.1.

The workspace: A has a Belgian VAT number (Peppol 0208), B an e-mail address and a cc (French, so the
e-mail is French with the legal Dutch sentence), C neither (post). Every test asserts what the servers
received, the register's delivery rows, and that the secrets appear nowhere.
"""

from __future__ import annotations

import email
import json
import random
import re
import signal
import socket
import sqlite3
import subprocess
import threading
import time
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from batch.cli import main
from batch.workspace import write_inbox_month
from tests.ap_server import API_KEY, PARTY_ID, AccessPoint, Answer
from tests.smtp_server import SmtpServer
from tests.workspaces import A, A_LICS, C, C_LICS, REPO, bijstand_cmd, child_env, customer, licence, make_workspace

SMTP_PASSWORD = "smtp-secret-0b94d1"
B = customer("B", "Bijouterie Bosmans", taal="fr", **{"e-mail": "info@bosmans.be", "e-mail facturen":
                                                       "facturen@bosmans.be", "cc": "boekhouder@bosmans.be"})
B_LIC = licence("B", "JUW", date(2026, 6, 1))


@pytest.fixture
def servers():
    smtp, ap = SmtpServer(), AccessPoint("generic")
    yield smtp, ap
    smtp.stop()
    ap.stop()


def configure(ws: Path, smtp: SmtpServer, ap: AccessPoint, **extra: str) -> None:
    text = (ws / "bijstand.toml").read_text()
    if extra.get("ui"):
        text = text.replace('[ui]\nlanguage = "nl"', f'[ui]\nlanguage = "{extra["ui"]}"')
        assert f'language = "{extra["ui"]}"' in text
    text += f'''
[delivery]
email_copy = {extra.get("email_copy", "false")}
attach_workbook = {extra.get("attach_workbook", "false")}

[delivery.email]
host = "127.0.0.1"
port = {smtp.port}
security = "none"
from = "facturen@juweelsoft.be"
reply_to = "boekhouding@juweelsoft.be"

[delivery.peppol]
provider = "{ap.provider}"
url = "{ap.url}"
api_key_env = "BIJSTAND_PEPPOL_KEY"
party_id = "{PARTY_ID if ap.provider == "billit" else ""}"
'''
    (ws / "bijstand.toml").write_text(text)


def edit_toml(ws: Path, old: str, new: str) -> None:
    path = ws / "bijstand.toml"
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new))


@pytest.fixture
def ws(tmp_path: Path, servers, monkeypatch) -> Path:
    smtp, ap = servers
    monkeypatch.setenv("BIJSTAND_PEPPOL_KEY", API_KEY)
    monkeypatch.setenv("BIJSTAND_SMTP_PASSWORD", SMTP_PASSWORD)
    ws = make_workspace(tmp_path / "ws")
    write_inbox_month(ws / "inbox" / "2026-10", [A, B, C], A_LICS + [B_LIC] + C_LICS, [])
    configure(ws, smtp, ap)
    cli(ws, "run", "2026Q4", "--invoice-date", "2026-10-05")
    return ws


def cli(ws: Path, *args, code=0) -> str:
    result = CliRunner().invoke(main, ["-w", str(ws), *args], catch_exceptions=False)
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    return result.output


def rows(ws: Path) -> list[tuple]:
    con = sqlite3.connect(f"file:{ws / 'bijstand.sqlite'}?mode=ro", uri=True)
    try:
        return [tuple(r) for r in con.execute(
            "SELECT number, channel, state, resend, message_id FROM deliveries ORDER BY delivery_id")]
    finally:
        con.close()


def assert_no_secret(ws: Path) -> None:
    for path in [*ws.rglob("*")]:
        if path.is_file():
            data = path.read_bytes()
            assert API_KEY.encode() not in data and SMTP_PASSWORD.encode() not in data, path


def journal(ws: Path) -> dict[int, list[str]]:
    """output/verzending.jsonl: the states each delivery row went through, in order."""
    seen: dict[int, list[str]] = {}
    for line in (ws / "output" / "verzending.jsonl").read_text().splitlines():
        row = json.loads(line)
        seen.setdefault(row["delivery_id"], []).append(row["state"])
    return seen


def doc_lines(out: str) -> list[str]:
    """The per-document lines of `bijstand send` (the progress bar's label, on stderr, left out)."""
    return [line for line in out.splitlines() if re.match(r"H?\d{4}-\d+  ", line)]


def run_line(status: str, label: str) -> str:
    """The status line of run ``label`` in the delivery part (its label, the count, the states)."""
    lines = [line.strip() for line in status.splitlines()
             if re.match(rf"\s*{re.escape(label)}\s+\d+ document(en|s) ?:", line)]
    assert len(lines) == 1, status
    return " ".join(lines[0].split())


def test_send_delivers_each_document_once_by_its_channel(ws: Path, servers):
    smtp, ap = servers
    out = cli(ws, "send")
    # A by Peppol, B by e-mail, C to post
    assert [(n, ch, st, rs) for n, ch, st, rs, _ in rows(ws)] == [
        ("2026-000001", "peppol", "sent", 0), ("2026-000002", "email", "sent", 0), ("2026-000003", "post", "post", 0)]
    lines = doc_lines(out)
    assert [line.split()[:3] for line in lines] == [["2026-000001", "Peppol", "verzonden"],
                                                        ["2026-000002", "e-mail", "verzonden"],
                                                        ["2026-000003", "post", "af"]]
    assert lines[2].startswith("2026-000003  post   af te drukken en te posten Juwelier Claes, Kerkstraat 1")
    assert "Verzending: 1 af te drukken en te posten, 2 verzonden." in out
    assert len(ap.requests) == 1 and ap.requests[0].headers["authorization"] == f"Bearer {API_KEY}"
    assert ap.requests[0].body == (ws / "output" / "2026Q4" / "peppol" / "2026-000001.xml").read_bytes()
    assert rows(ws)[0][4] == "msg-000001"
    # D5: each row pending (its own transaction), then sending just before the network call, then the outcome
    assert journal(ws) == {1: ["pending", "sending", "sent"], 2: ["pending", "sending", "sent"], 3: ["post"]}
    # the e-mail: to the invoice address with the cc, in French with the Dutch legal sentence, the PDF attached
    (msg,) = smtp.messages
    parsed = email.message_from_bytes(msg.data)
    assert sorted(msg.rcpt_tos) == ["boekhouder@bosmans.be", "facturen@bosmans.be"]
    assert parsed["To"] == "facturen@bosmans.be" and parsed["Cc"] == "boekhouder@bosmans.be"
    assert parsed["Subject"] == "Facture 2026-000002 de Juweelsoft BV"
    body = next(p for p in parsed.walk() if p.get_content_type() == "text/plain").get_payload(decode=True).decode()
    assert "Veuillez trouver ci-joint la facture 2026-000002" in body and "In bijlage vindt u factuur 2026-000002" in body
    files = {p.get_filename(): p for p in parsed.walk() if p.get_filename()}
    assert list(files) == ["2026-000002.pdf"]  # B has no Peppol address: no UBL file exists
    assert files["2026-000002.pdf"].get_payload(decode=True) == (ws / "output" / "2026Q4" / "pdf" / "2026-000002.pdf").read_bytes()
    assert rows(ws)[1][4] == parsed["Message-ID"]
    # a second send sends nothing
    assert "Niets te verzenden" in cli(ws, "send")
    assert len(ap.requests) == 1 and len(smtp.messages) == 1
    # status per run, and the summary's Verzending sheet (re-rendered by send)
    status = cli(ws, "status")
    assert run_line(status, "2026Q4") == "2026Q4 3 documenten: 2 afgeleverd, 0 wacht, 0 mislukt, 0 onzeker, 1 te posten"
    assert "Integrity: OK" in status and "onzeker (uncertain):" not in status and "wacht (pending):" not in status
    sheet = openpyxl.load_workbook(ws / "output" / "2026Q4" / "overzicht.xlsx")["Verzending"]
    texts = [c.value for row in sheet.iter_rows() for c in row if c.value]
    assert "msg-000001" in texts and "verzonden" in texts and "af te drukken en te posten" in texts
    assert_no_secret(ws)


def test_status_counts_documents_before_send_has_run_in_the_ui_language(tmp_path: Path, servers, monkeypatch):
    smtp, ap = servers
    monkeypatch.setenv("BIJSTAND_PEPPOL_KEY", API_KEY)
    ws = make_workspace(tmp_path / "ws")
    write_inbox_month(ws / "inbox" / "2026-10", [A, B, C], A_LICS + [B_LIC] + C_LICS, [])
    cli(ws, "run", "2026Q4", "--invoice-date", "2026-10-05")
    # nothing configured: every document goes by post (D1)
    assert run_line(cli(ws, "status"), "2026Q4") == \
        "2026Q4 3 documenten: 0 afgeleverd, 0 wacht, 0 mislukt, 0 onzeker, 3 te posten"
    configure(ws, smtp, ap, ui="en")
    status = cli(ws, "status")
    assert run_line(status, "2026Q4") == "2026Q4 3 documents: 0 delivered, 2 pending, 0 failed, 0 uncertain, 1 to post"
    assert "Delivery per run (each document once, by its latest delivery" in status
    pending = next(line for line in status.splitlines() if line.strip().startswith("pending:"))
    assert "2026-000001, 2026-000002 — not handed over yet" in pending and "DNS" in pending
    cli(ws, "send")
    assert run_line(cli(ws, "status"), "2026Q4") == \
        "2026Q4 3 documents: 2 delivered, 0 pending, 0 failed, 0 uncertain, 1 to post"


def test_refused_recipient_fails_with_the_servers_words_and_the_others_go(ws: Path, servers):
    smtp, ap = servers
    smtp.refuse["facturen@bosmans.be"] = "550 5.1.1 <facturen@bosmans.be>: user unknown"
    out = cli(ws, "send", code=1)
    assert "2026-000002  e-mail mislukt" in out and "user unknown" in out
    states = {(n, ch): st for n, ch, st, _, _ in rows(ws)}
    assert states == {("2026-000001", "peppol"): "sent", ("2026-000002", "email"): "failed",
                      ("2026-000003", "post"): "post"}
    assert smtp.messages == [] and len(ap.requests) == 1
    status = cli(ws, "status")
    assert run_line(status, "2026Q4") == "2026Q4 3 documenten: 1 afgeleverd, 0 wacht, 1 mislukt, 0 onzeker, 1 te posten"
    assert "mislukt (failed): 2026-000002 — definitief geweigerd" in status
    # a plain send does not repeat a failed one; --resend does, once the address is fixed
    cli(ws, "send")
    assert smtp.messages == []
    smtp.refuse.clear()
    out = cli(ws, "send", "--resend", "2026-000002")
    assert "2026-000002  e-mail (opnieuw 1) verzonden" in out
    assert len(smtp.messages) == 1 and rows(ws)[-1][:4] == ("2026-000002", "email", "sent", 1)
    assert email.message_from_bytes(smtp.messages[0].data)["References"]
    # status counts the document by its latest delivery: delivered now, no longer failed
    status = cli(ws, "status")
    assert run_line(status, "2026Q4") == "2026Q4 3 documenten: 2 afgeleverd, 0 wacht, 0 mislukt, 0 onzeker, 1 te posten"
    assert "mislukt (failed):" not in status


@pytest.mark.parametrize("answers, state, phrase", [
    ([Answer(400, {"message": "validation failed", "errors": ["BR-CO-15: VAT total mismatch"]})], "failed", "BR-CO-15"),
    ([Answer(401, {"message": "invalid or missing bearer token"})], "failed", "invalid or missing bearer token"),
    ([Answer(429, {"message": "slow down"}, {"Retry-After": "1"})], "sent", ""),
    ([Answer(500, "boom")] * 4, "pending", "500"),
    ([Answer(drop=True)], "uncertain", "it may have accepted it"),
])
def test_access_point_answers(ws: Path, servers, answers, state, phrase):
    smtp, ap = servers
    ap.answer(*answers)
    out = cli(ws, "send", code=1 if state == "failed" else 0)
    peppol = [r for r in rows(ws) if r[1] == "peppol"]
    assert peppol[0][2] == state, out
    assert phrase in out
    assert len(smtp.messages) == 1  # B's e-mail goes whatever the access point does
    if state == "pending":  # tried again by the next send, on the same row
        assert "wacht (pending): 2026-000001" in cli(ws, "status")
        cli(ws, "send")
        assert [r[2] for r in rows(ws) if r[1] == "peppol"] == ["sent"]
        assert journal(ws)[1] == ["pending", "sending", "pending", "sending", "sent"]
    if state == "uncertain":  # never repeated by itself; listed by status with what it means
        before = len(ap.requests)
        cli(ws, "send")
        assert len(ap.requests) == before
        status = cli(ws, "status")
        assert "onzeker (uncertain): 2026-000001 — het bericht ging" in status
        assert run_line(status, "2026Q4") == "2026Q4 3 documenten: 1 afgeleverd, 0 wacht, 0 mislukt, 1 onzeker, 1 te posten"
    assert_no_secret(ws)


def test_dry_run_writes_the_outbox_and_sends_nothing(ws: Path, servers):
    smtp, ap = servers
    out = cli(ws, "send", "--dry-run")
    outbox = ws / "output" / "outbox"
    assert sorted(p.name for p in outbox.iterdir()) == ["2026-000001.json", "2026-000001.xml", "2026-000002.eml"]
    request = json.loads((outbox / "2026-000001.json").read_text())
    assert "***" in json.dumps(request) and API_KEY not in json.dumps(request)
    assert smtp.messages == [] and ap.requests == [] and rows(ws) == []
    assert "outbox" in out
    assert_no_secret(ws)


def test_only_sends_one_document(ws: Path, servers):
    smtp, ap = servers
    cli(ws, "send", "--only", "2026-000002")
    assert [r[0] for r in rows(ws)] == ["2026-000002"] and len(smtp.messages) == 1 and ap.requests == []
    cli(ws, "send", "--only", "2026-999999", code=2)


def test_email_copy_beside_peppol_is_not_a_second_document(ws: Path, servers):
    smtp, ap = servers
    a = dict(A, **{"e-mail": "info@aerts.be"})
    write_inbox_month(ws / "inbox" / "2026-12", [a, B, C], A_LICS + [B_LIC] + C_LICS, [])
    edit_toml(ws, "email_copy = false", "email_copy = true")
    cli(ws, "run", "2027Q1", "--invoice-date", "2027-01-05")
    smtp.refuse["info@aerts.be"] = "550 5.1.1 <info@aerts.be>: user unknown"
    out = cli(ws, "send", code=1)
    assert "2027-000001  e-mail (kopie) mislukt" in out
    channels = {(n, ch): st for n, ch, st, *_ in rows(ws) if n.startswith("2027")}
    assert channels[("2027-000001", "peppol")] == "sent" and channels[("2027-000001", "email")] == "failed"
    # the document is counted once, by its own channel (Peppol): delivered; the copy is not a document
    assert run_line(cli(ws, "status"), "2027Q1") == \
        "2027Q1 3 documenten: 2 afgeleverd, 0 wacht, 0 mislukt, 0 onzeker, 1 te posten"
    smtp.refuse.clear()
    edit_toml(ws, "email_copy = true", "email_copy = false")
    # with the copy sent too, still one document
    with sqlite3.connect(ws / "bijstand.sqlite") as con:
        con.execute("UPDATE deliveries SET state = 'sent' WHERE number = '2027-000001' AND channel = 'email'")
    assert run_line(cli(ws, "status"), "2027Q1") == \
        "2027Q1 3 documenten: 2 afgeleverd, 0 wacht, 0 mislukt, 0 onzeker, 1 te posten"


def test_reminder_runs_are_shown_per_document(ws: Path, servers):
    smtp, ap = servers
    cli(ws, "send")
    cli(ws, "reminders", "--date", "2026-11-20")  # the three invoices, 16 days overdue: level 1
    status = cli(ws, "status")
    assert run_line(status, "herinneringen-2026-11-20") == \
        "herinneringen-2026-11-20 3 documenten: 0 afgeleverd, 1 wacht, 0 mislukt, 0 onzeker, 2 te posten"
    out = cli(ws, "send")
    assert [line.split()[:3] for line in doc_lines(out)] == [
        ["H2026-00001", "post", "af"], ["H2026-00002", "e-mail", "verzonden"], ["H2026-00003", "post", "af"]]
    (msg,) = smtp.messages[1:]
    parsed = email.message_from_bytes(msg.data)
    assert parsed["Subject"] == "Rappel de paiement H2026-00002 de Juweelsoft BV"
    assert [p.get_filename() for p in parsed.walk() if p.get_filename()] == ["H2026-00002.pdf"]
    assert len(ap.requests) == 1  # reminders never go over Peppol
    assert run_line(cli(ws, "status"), "herinneringen-2026-11-20") == \
        "herinneringen-2026-11-20 3 documenten: 1 afgeleverd, 0 wacht, 0 mislukt, 0 onzeker, 2 te posten"


# --- never without its files (a missing or changed PDF / UBL) ----------------------------------------


@pytest.mark.parametrize("damage", ["missing", "changed"])
def test_an_email_whose_pdf_is_missing_or_changed_is_not_sent_until_repaired(ws: Path, servers, damage):
    smtp, ap = servers
    pdf = ws / "output" / "2026Q4" / "pdf" / "2026-000002.pdf"
    issued = pdf.read_bytes()
    if damage == "missing":
        pdf.unlink()
    else:
        pdf.write_bytes(issued + b"%% edited by hand\n")
    out = cli(ws, "send", code=1)
    line = next(line for line in out.splitlines() if line.startswith("2026-000002"))
    assert line.startswith("2026-000002  e-mail wacht")
    assert "output/2026Q4/pdf/2026-000002.pdf" in line and "`bijstand repair`" in line
    assert ("ontbreekt" if damage == "missing" else "verschilt van het uitgereikte document") in line
    assert smtp.messages == []  # never an e-mail without its PDF, or with a PDF that is not the issued one
    assert len(ap.requests) == 1  # the others go
    assert [(n, ch, st) for n, ch, st, _, _ in rows(ws)] == [
        ("2026-000001", "peppol", "sent"), ("2026-000002", "email", "pending"), ("2026-000003", "post", "post")]
    detail = sqlite3.connect(ws / "bijstand.sqlite").execute(
        "SELECT detail, attempts FROM deliveries WHERE number = '2026-000002'").fetchone()
    assert "output/2026Q4/pdf/2026-000002.pdf" in detail[0] and detail[1] == 0
    assert "wacht (pending): 2026-000002" in cli(ws, "status", code=1)  # the integrity check names the file too
    cli(ws, "send", code=1)  # still not sent
    assert smtp.messages == []
    cli(ws, "repair")
    assert pdf.read_bytes() == issued
    out = cli(ws, "send")
    assert "2026-000002  e-mail verzonden" in out
    (msg,) = smtp.messages
    parts = {p.get_filename(): p.get_payload(decode=True) for p in email.message_from_bytes(msg.data).walk()
             if p.get_filename()}
    assert parts == {"2026-000002.pdf": issued}
    assert [(n, ch, st) for n, ch, st, _, _ in rows(ws)][1] == ("2026-000002", "email", "sent")  # the same row


@pytest.mark.parametrize("damage", ["missing", "changed"])
def test_a_peppol_document_whose_ubl_is_missing_or_changed_is_not_sent(ws: Path, servers, damage):
    smtp, ap = servers
    ubl = ws / "output" / "2026Q4" / "peppol" / "2026-000001.xml"
    issued = ubl.read_bytes()
    if damage == "missing":
        ubl.unlink()
    else:
        ubl.write_bytes(issued.replace(b"Juwelier Aerts", b"Juwelier Aarts"))
    out = cli(ws, "send", code=1)
    assert "2026-000001  Peppol wacht" in out and "output/2026Q4/peppol/2026-000001.xml" in out
    assert ap.requests == [] and len(smtp.messages) == 1  # B's e-mail still goes
    assert rows(ws)[0][:3] == ("2026-000001", "peppol", "pending")
    cli(ws, "repair")
    cli(ws, "send")
    assert [r.body for r in ap.requests] == [issued]
    assert rows(ws)[0][:3] == ("2026-000001", "peppol", "sent")


def test_an_email_with_a_changed_ubl_or_workbook_is_not_sent(ws: Path, servers):
    smtp, ap = servers
    a = dict(A, **{"e-mail": "info@aerts.be"})
    write_inbox_month(ws / "inbox" / "2026-12", [a, B, C], A_LICS + [B_LIC] + C_LICS, [])
    edit_toml(ws, 'provider = "generic"', 'provider = ""')  # no Peppol: A gets an e-mail with PDF and UBL
    edit_toml(ws, "attach_workbook = false", "attach_workbook = true")
    cli(ws, "run", "2027Q1", "--invoice-date", "2027-01-05")
    cli(ws, "send", "--only", "2026-000002")
    folder = ws / "output" / "2027Q1"
    (folder / "peppol" / "2027-000001.xml").write_bytes(b"<Invoice/>")
    (folder / "facturen" / "2027-000002.xlsx").unlink()
    out = cli(ws, "send", code=1)
    assert "output/2027Q1/peppol/2027-000001.xml" in out and "output/2027Q1/facturen/2027-000002.xlsx" in out
    assert [email.message_from_bytes(m.data)["Subject"].split()[1] for m in smtp.messages] == ["2026-000002"]
    cli(ws, "repair")
    cli(ws, "send")
    sent = {email.message_from_bytes(m.data)["Subject"].split()[1]: m for m in smtp.messages}
    names = sorted(p.get_filename() for p in email.message_from_bytes(sent["2027-000001"].data).walk()
                   if p.get_filename())
    assert names == ["2027-000001.pdf", "2027-000001.xlsx", "2027-000001.xml"]
    attached = {p.get_filename(): p.get_payload(decode=True)
                for p in email.message_from_bytes(sent["2027-000001"].data).walk() if p.get_filename()}
    assert attached["2027-000001.xml"] == (folder / "peppol" / "2027-000001.xml").read_bytes() != b"<Invoice/>"
    assert "2027-000002" in sent


# --- Billit through the command (its documented contract, played by tests/ap_server.py) --------------


@pytest.fixture
def billit_ws(tmp_path: Path, monkeypatch):
    smtp, ap = SmtpServer(), AccessPoint("billit")
    monkeypatch.setenv("BIJSTAND_PEPPOL_KEY", API_KEY)
    ws = make_workspace(tmp_path / "ws")
    write_inbox_month(ws / "inbox" / "2026-10", [A, B, C], A_LICS + [B_LIC] + C_LICS, [])
    configure(ws, smtp, ap)
    cli(ws, "run", "2026Q4", "--invoice-date", "2026-10-05")
    yield ws, smtp, ap
    smtp.stop()
    ap.stop()


def test_send_over_billit_end_to_end(billit_ws):
    ws, smtp, ap = billit_ws
    out = cli(ws, "send")
    assert "2026-000001  Peppol verzonden" in out
    (req,) = ap.requests
    assert (req.method, req.path) == ("POST", "/v1/peppol/sendxml")
    assert req.headers["apikey"] == API_KEY and req.headers["partyid"] == PARTY_ID
    assert req.headers["content-type"] == "application/json" and req.headers["idempotent-key"] == "2026-000001"
    assert "authorization" not in req.headers
    ubl = (ws / "output" / "2026Q4" / "peppol" / "2026-000001.xml").read_bytes()
    assert json.loads(req.body)["XML"].encode("utf-8") == ubl
    assert ap.filed == {"2026-000001": ("1", ubl)}
    assert rows(ws)[0] == ("2026-000001", "peppol", "sent", 0, "1")  # Billit's InboxItemID
    assert len(smtp.messages) == 1
    assert run_line(cli(ws, "status"), "2026Q4") == \
        "2026Q4 3 documenten: 2 afgeleverd, 0 wacht, 0 mislukt, 0 onzeker, 1 te posten"
    assert "Niets te verzenden" in cli(ws, "send") and len(ap.requests) == 1
    assert_no_secret(ws)


def test_billit_refuses_a_wrong_key_through_the_command(billit_ws, monkeypatch):
    ws, smtp, ap = billit_ws
    monkeypatch.setenv("BIJSTAND_PEPPOL_KEY", "not-the-billit-key")
    out = cli(ws, "send", code=1)
    line = next(line for line in out.splitlines() if line.startswith("2026-000001"))
    assert line.startswith("2026-000001  Peppol mislukt")
    assert "HTTP 401 Unauthorized: Authorization has been denied for this request." in line
    assert ap.filed == {} and len(smtp.messages) == 1
    con = sqlite3.connect(ws / "bijstand.sqlite")
    state, detail = con.execute("SELECT state, detail FROM deliveries WHERE number = '2026-000001'").fetchone()
    con.close()
    assert state == "failed" and "Authorization has been denied" in detail
    assert "mislukt (failed): 2026-000001" in cli(ws, "status")
    assert "not-the-billit-key" not in (ws / "output" / "verzending.jsonl").read_text()


# --- D2: no connection before anything was sent → pending, in every path -------------------------------


def _closed_port() -> int:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


@pytest.mark.parametrize("failure", ["refused", "dns", "tls"])
@pytest.mark.parametrize("channel", ["email", "peppol"])
def test_no_connection_before_anything_was_sent_leaves_it_pending(ws: Path, servers, monkeypatch, channel, failure):
    smtp, ap = servers
    real = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        if str(host).endswith(".invalid"):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    if channel == "email":
        good = f'host = "127.0.0.1"\nport = {smtp.port}\nsecurity = "none"'
        bad = {"refused": f'host = "127.0.0.1"\nport = {_closed_port()}\nsecurity = "none"',
               "dns": f'host = "smtp.juweelsoft.invalid"\nport = {smtp.port}\nsecurity = "none"',
               "tls": f'host = "127.0.0.1"\nport = {smtp.port}\nsecurity = "tls"'}[failure]
    else:
        good = f'url = "{ap.url}"'
        bad = {"refused": f'url = "http://127.0.0.1:{_closed_port()}/api/documents"',
               "dns": 'url = "http://ap.juweelsoft.invalid/api/documents"',
               "tls": f'url = "https://127.0.0.1:{ap.port}/api/documents"'}[failure]
    edit_toml(ws, good, bad)
    number = "2026-000002" if channel == "email" else "2026-000001"
    out = cli(ws, "send")  # nothing is wrong with the document: exit 0, the next send delivers it
    line = next(line for line in out.splitlines() if line.startswith(number))
    assert " wacht " in line
    words = {"email": {"refused": "ConnectionRefusedError", "dns": "Name or service not known", "tls": "SSL"},
             "peppol": {"refused": "the access point was not reached (ConnectError",
                        "dns": "Name or service not known", "tls": "SSL"}}[channel][failure]
    assert words in line, line
    state = {(n, ch): st for n, ch, st, _, _ in rows(ws)}
    assert state[(number, channel)] == "pending"
    assert (smtp.messages if channel == "email" else ap.requests) == []
    status = cli(ws, "status")
    assert f"wacht (pending): {number}" in status and "onzeker (uncertain)" not in status
    edit_toml(ws, bad, good)
    cli(ws, "send")
    assert {(n, ch): st for n, ch, st, _, _ in rows(ws)}[(number, channel)] == "sent"
    assert len(smtp.messages if channel == "email" else ap.requests) == 1


# --- D5: never twice, never lost, with kill -9 -------------------------------------------------------


def _send_proc(ws: Path, *args, fail_at: str | None = None) -> subprocess.Popen:
    env = child_env(fail_at)
    env["BIJSTAND_PEPPOL_KEY"] = API_KEY
    return subprocess.Popen(bijstand_cmd(ws, "send", *args), cwd=REPO, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _many(ws: Path, n: int) -> None:
    custs = [customer(f"M{i:02d}", f"Juwelier {i}", **({"btw-nummer": "BE0477472701"} if i % 2 else
                                                      {"e-mail": f"m{i}@example.be"})) for i in range(n)]
    write_inbox_month(ws / "inbox" / "2026-12", [A, B, C, *custs],
                      A_LICS + [B_LIC] + C_LICS + [licence(f"M{i:02d}", "JUW", date(2020, 1, 1)) for i in range(n)], [])


@pytest.mark.parametrize("point", ["send-before-network", "send-after-network"])
def test_killed_at_a_fail_point_nothing_twice_nothing_lost(ws: Path, servers, point):
    smtp, ap = servers
    killed = _send_proc(ws, fail_at=f"{point}@2:kill")
    out, err = killed.communicate(timeout=120)
    assert killed.returncode == -signal.SIGKILL, out + err
    # D6: the line of the first document was printed as it finished, before the kill
    assert out.startswith("2026-000001  Peppol verzonden") and "2026-000002" not in out
    done = _send_proc(ws)
    out, err = done.communicate(timeout=120)
    assert done.returncode == 0, out + err
    received = [m for m in smtp.messages] + ap.requests
    assert len(received) <= 2
    states = {n: st for n, ch, st, _, _ in rows(ws)}
    assert states["2026-000003"] == "post"
    interrupted = [n for n, st in states.items() if st == "uncertain"]
    assert interrupted == ["2026-000002"]  # the second delivery was killed between its two rows
    assert journal(ws)[2] == ["pending", "sending", "uncertain"]
    assert "onderbroken" in out and "2026-000002" in out
    status = cli(ws, "status")
    assert "onzeker (uncertain): 2026-000002" in status
    # the message was received when the kill came after the network call; never twice in any case
    assert len(smtp.messages) == (1 if point == "send-after-network" else 0)
    cli(ws, "send", "--resend", "2026-000002")
    assert len(smtp.messages) == (2 if point == "send-after-network" else 1)  # the explicit resend only
    assert "onzeker (uncertain)" not in cli(ws, "status")


def test_killed_after_the_pending_row_the_next_send_delivers_it_once(ws: Path, servers):
    smtp, ap = servers
    killed = _send_proc(ws, fail_at="send-pending@1:kill")
    killed.communicate(timeout=120)
    assert killed.returncode == -signal.SIGKILL
    assert rows(ws) == [("2026-000001", "peppol", "pending", 0, None)] and ap.requests == []
    assert "wacht (pending): 2026-000001, 2026-000002" in cli(ws, "status")  # nothing went: nothing uncertain
    done = _send_proc(ws)
    out, err = done.communicate(timeout=120)
    assert done.returncode == 0, out + err
    assert "onderbroken" not in out
    assert len(ap.requests) == 1 and len(smtp.messages) == 1
    assert [(n, ch, st) for n, ch, st, _, _ in rows(ws)] == [
        ("2026-000001", "peppol", "sent"), ("2026-000002", "email", "sent"), ("2026-000003", "post", "post")]
    assert journal(ws)[1] == ["pending", "sending", "sent"]


def _first_line(proc: subprocess.Popen, timeout: float = 60) -> str:
    """The first line the command prints (it prints each as its document finishes), or '' at its end."""
    found: list[str] = []
    reader = threading.Thread(target=lambda: found.append(proc.stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    return found[0] if found else ""


def test_random_kills_with_slow_servers(ws: Path, servers):
    """kill -9 at random moments while both servers answer slowly, then send until done: no document is
    received twice by either server except through --resend, none is lost (each is received and recorded
    sent, or listed uncertain by status, or to post), and the kills really landed during network calls."""
    smtp, ap = servers
    _many(ws, 24)
    cli(ws, "run", "2027Q1", "--invoice-date", "2027-01-05")
    smtp.recorder.delay = 0.15  # after the message was queued, before the answer
    ap.delay = 0.15  # after the request was read, before the answer
    rng = random.Random(2027)
    kills = landed = 0
    for _ in range(8):
        proc = _send_proc(ws)
        started = _first_line(proc)  # it is sending now (or finished: nothing left)
        time.sleep(rng.uniform(0.0, 0.45))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.communicate(timeout=120)
        if proc.returncode == -signal.SIGKILL:
            stuck = register_count(ws, "SELECT COUNT(*) FROM deliveries WHERE state = 'sending'")
            landed += stuck > 0  # killed between a row's 'sending' and its outcome: during the network call
        if not started:
            break
    final = _send_proc(ws)
    out, err = final.communicate(timeout=180)
    assert final.returncode == 0, out + err
    con = sqlite3.connect(ws / "bijstand.sqlite")
    con.row_factory = sqlite3.Row
    by_number: dict[str, list] = {}
    for r in con.execute("SELECT * FROM deliveries ORDER BY delivery_id"):
        by_number.setdefault(r["number"], []).append(r)
    numbers = [r[0] for r in con.execute("SELECT number FROM documents ORDER BY rowid")]
    con.close()
    from lxml import etree

    from batch.send import document_state

    received = {"email": [email.message_from_bytes(m.data)["Subject"].split()[1] for m in smtp.messages],
                "peppol": [etree.fromstring(r.body).findtext(
                    "{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}ID") for r in ap.requests]}
    duplicates = sum(len(got) - len(set(got)) for got in received.values())  # there was no --resend
    status = cli(ws, "status")
    listed = set(next((line for line in status.splitlines() if "onzeker (uncertain):" in line),
                      ":  —").split(":", 1)[1].split("—")[0].replace(",", " ").split())
    lost, uncertain = [], []
    for number in numbers:
        rows_ = by_number.get(number, [])
        state = document_state(rows_) if rows_ else "none"
        channel = rows_[-1]["channel"] if rows_ else ""
        if state == "delivered" and received[channel].count(number) == 1:
            continue
        if state == "post":
            continue
        if state == "uncertain" and number in listed:
            uncertain.append(number)
            continue
        lost.append((number, state))
    in_air = sum(n in received[by_number[n][-1]["channel"]] for n in uncertain)
    print(f"\ncrash test: documents {len(numbers)}, kills {kills}, landed during a network call {landed}, "
          f"uncertain {len(uncertain)} (of which received {in_air}), e-mails {len(received['email'])}, "
          f"peppol {len(received['peppol'])}, duplicates {duplicates}, lost {len(lost)}")
    assert kills >= 1 and landed >= 1
    assert duplicates == 0
    assert lost == []
    assert len(uncertain) == landed  # every kill during a network call left exactly that document uncertain
    # the explicit way out: --resend delivers each uncertain document once more
    for number in uncertain:
        cli(ws, "send", "--resend", number)
    final_received = [email.message_from_bytes(m.data)["Subject"].split()[1] for m in smtp.messages] + [
        etree.fromstring(r.body).findtext("{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}ID")
        for r in ap.requests]
    for number in uncertain:
        assert final_received.count(number) == 1 + (number in received["email"] + received["peppol"])
    assert "onzeker (uncertain)" not in cli(ws, "status")


def register_count(ws: Path, sql: str) -> int:
    con = sqlite3.connect(f"file:{ws / 'bijstand.sqlite'}?mode=ro", uri=True)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def test_repair_restores_the_delivery_log_so_nothing_goes_twice(ws: Path, servers):
    smtp, ap = servers
    cli(ws, "send")
    before = rows(ws)
    (ws / "bijstand.sqlite").unlink()
    for suffix in ("-wal", "-shm"):
        (ws / f"bijstand.sqlite{suffix}").unlink(missing_ok=True)
    cli(ws, "repair")
    assert rows(ws) == before
    assert "Niets te verzenden" in cli(ws, "send")
    assert len(smtp.messages) == 1 and len(ap.requests) == 1
    cli(ws, "btw", "2026Q4")
    sheet = openpyxl.load_workbook(ws / "output" / "btw-2026Q4" / "btw-aangifte.xlsx")["Verzending"]
    assert "msg-000001" in [c.value for row in sheet.iter_rows() for c in row]


def test_a_document_listed_to_post_is_not_emailed_when_email_is_configured_later(tmp_path: Path, servers,
                                                                                 monkeypatch):
    smtp, ap = servers
    monkeypatch.setenv("BIJSTAND_PEPPOL_KEY", API_KEY)
    ws = make_workspace(tmp_path / "ws")
    write_inbox_month(ws / "inbox" / "2026-10", [A, B, C], A_LICS + [B_LIC] + C_LICS, [])
    cli(ws, "run", "2026Q4", "--invoice-date", "2026-10-05")
    out = cli(ws, "send")  # nothing configured: all three to print and post
    assert "Verzending: 3 af te drukken en te posten." in out
    configure(ws, smtp, ap)
    assert "Niets te verzenden" in cli(ws, "send")  # printed and posted already: not e-mailed or Peppol'd too
    assert smtp.messages == [] and ap.requests == []
    assert run_line(cli(ws, "status"), "2026Q4") == \
        "2026Q4 3 documenten: 0 afgeleverd, 0 wacht, 0 mislukt, 0 onzeker, 3 te posten"
    # the explicit way: --resend sends it by today's channel
    cli(ws, "send", "--resend", "2026-000002")
    assert [email.message_from_bytes(m.data)["Subject"] for m in smtp.messages] == [
        "Facture 2026-000002 de Juweelsoft BV"]
    assert rows(ws)[-1][:4] == ("2026-000002", "email", "sent", 1)
    assert run_line(cli(ws, "status"), "2026Q4") == \
        "2026Q4 3 documenten: 1 afgeleverd, 0 wacht, 0 mislukt, 0 onzeker, 2 te posten"


def test_a_pending_delivery_goes_by_todays_channel(ws: Path, servers):
    smtp, ap = servers
    ap.answer(*[Answer(503, "busy", {"Retry-After": "0"})] * 4)
    cli(ws, "send")
    assert rows(ws)[0][:3] == ("2026-000001", "peppol", "pending")
    edit_toml(ws, 'provider = "generic"', 'provider = ""')  # Peppol switched off: A has no e-mail, so post
    out = cli(ws, "send")
    assert "2026-000001  post" in out
    assert rows(ws)[0][:3] == ("2026-000001", "post", "post") and len(rows(ws)) == 3  # the same row, rerouted


def test_lines_on_stdout_the_progress_bar_on_stderr_and_quiet_keeps_what_needs_a_fix(ws: Path, servers):
    smtp, ap = servers
    smtp.refuse["facturen@bosmans.be"] = "550 5.1.1 <facturen@bosmans.be>: user unknown"
    result = CliRunner().invoke(main, ["-w", str(ws), "send"], catch_exceptions=False)
    assert result.exit_code == 1
    assert [line.split()[:3] for line in doc_lines(result.stdout)] == [
        ["2026-000001", "Peppol", "verzonden"], ["2026-000002", "e-mail", "mislukt"], ["2026-000003", "post", "af"]]
    assert "Verzenden" in result.stderr and "Verzenden" not in result.stdout  # the bar's label, on stderr
    smtp.refuse.clear()
    (ws / "output" / "2026Q4" / "pdf" / "2026-000002.pdf").unlink()
    result = CliRunner().invoke(main, ["-w", str(ws), "-q", "send", "--resend", "2026-000002"],
                                catch_exceptions=False)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "2026-000002  e-mail (opnieuw 1) wacht        facturen@bosmans.be; cc boekhouder@bosmans.be — "
        "output/2026Q4/pdf/2026-000002.pdf ontbreekt: niet verzonden — `bijstand repair` schrijft het opnieuw "
        "uit het register, daarna `bijstand send`",
        "Verzending: 1 wacht."]
    assert smtp.messages == []
