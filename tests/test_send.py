"""`bijstand send` (SPEC §11, issue 15) against real servers started by the tests: an SMTP server
(aiosmtpd) and an access point (http.server playing the generic contract) on 127.0.0.1.

The workspace: A has a Belgian VAT number (Peppol 0208), B an e-mail address and a cc (French, so the
e-mail is French with the legal Dutch sentence), C neither (post). Every test asserts what the servers
received, the register's delivery rows, and that the secrets appear nowhere.
"""

from __future__ import annotations

import email
import json
import os
import random
import signal
import sqlite3
import subprocess
import time
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from batch.cli import main
from batch.workspace import write_inbox_month
from tests.ap_server import API_KEY, AccessPoint, Answer
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
    text += f'''
[delivery]
email_copy = {extra.get("email_copy", "false")}
attach_workbook = false

[delivery.email]
host = "127.0.0.1"
port = {smtp.port}
security = "none"
from = "facturen@juweelsoft.be"
reply_to = "boekhouding@juweelsoft.be"

[delivery.peppol]
provider = "generic"
url = "{ap.url}"
api_key_env = "BIJSTAND_PEPPOL_KEY"
'''
    (ws / "bijstand.toml").write_text(text)


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


def test_send_delivers_each_document_once_by_its_channel(ws: Path, servers):
    smtp, ap = servers
    out = cli(ws, "send")
    # A by Peppol, B by e-mail, C to post
    assert [(n, ch, st, rs) for n, ch, st, rs, _ in rows(ws)] == [
        ("2026-000001", "peppol", "sent", 0), ("2026-000002", "email", "sent", 0), ("2026-000003", "post", "post", 0)]
    assert "Verzending: 1 af te drukken en te posten, 2 verzonden." in out
    assert len(ap.requests) == 1 and ap.requests[0].headers["authorization"] == f"Bearer {API_KEY}"
    assert ap.requests[0].body == (ws / "output" / "2026Q4" / "peppol" / "2026-000001.xml").read_bytes()
    assert rows(ws)[0][4] == "msg-000001"
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
    assert "Delivery 2026Q4: 2 sent, 1 to post" in status and "Integrity: OK" in status
    sheet = openpyxl.load_workbook(ws / "output" / "2026Q4" / "overzicht.xlsx")["Verzending"]
    texts = [c.value for row in sheet.iter_rows() for c in row if c.value]
    assert "msg-000001" in texts and "verzonden" in texts and "af te drukken en te posten" in texts
    assert_no_secret(ws)


def test_refused_recipient_fails_with_the_servers_words_and_the_others_go(ws: Path, servers):
    smtp, ap = servers
    smtp.refuse["facturen@bosmans.be"] = "550 5.1.1 <facturen@bosmans.be>: user unknown"
    out = cli(ws, "send", code=1)
    assert "user unknown" in out
    states = {(n, ch): st for n, ch, st, _, _ in rows(ws)}
    assert states == {("2026-000001", "peppol"): "sent", ("2026-000002", "email"): "failed",
                      ("2026-000003", "post"): "post"}
    assert smtp.messages == [] and len(ap.requests) == 1
    # a plain send does not repeat a failed one; --resend does, once the address is fixed
    cli(ws, "send")
    assert smtp.messages == []
    smtp.refuse.clear()
    cli(ws, "send", "--resend", "2026-000002")
    assert len(smtp.messages) == 1 and rows(ws)[-1][:4] == ("2026-000002", "email", "sent", 1)
    assert email.message_from_bytes(smtp.messages[0].data)["References"]


@pytest.mark.parametrize("answers, state, phrase", [
    ([Answer(400, {"message": "validation failed", "errors": ["BR-CO-15: VAT total mismatch"]})], "failed", "BR-CO-15"),
    ([Answer(401, {"message": "invalid or missing bearer token"})], "failed", "invalid or missing bearer token"),
    ([Answer(429, {"message": "slow down"}, {"Retry-After": "1"})], "sent", ""),
    ([Answer(500, "boom")] * 4, "pending", "500"),
    ([Answer(drop=True)], "uncertain", ""),
])
def test_access_point_answers(ws: Path, servers, answers, state, phrase):
    smtp, ap = servers
    ap.answer(*answers)
    out = cli(ws, "send", code=1 if state == "failed" else 0)
    peppol = [r for r in rows(ws) if r[1] == "peppol"]
    assert peppol[0][2] == state, out
    assert phrase in out
    if state == "pending":  # tried again by the next send
        cli(ws, "send")
        assert [r[2] for r in rows(ws) if r[1] == "peppol"] == ["sent"]
    if state == "uncertain":  # never repeated by itself; listed by status
        before = len(ap.requests)
        cli(ws, "send")
        assert len(ap.requests) == before
        assert "uncertain: 2026-000001" in cli(ws, "status")
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


def test_email_copy_beside_peppol(ws: Path, servers):
    smtp, ap = servers
    a = dict(A, **{"e-mail": "info@aerts.be"})
    write_inbox_month(ws / "inbox" / "2026-12", [a, B, C], A_LICS + [B_LIC] + C_LICS, [])
    path = ws / "bijstand.toml"
    path.write_text(path.read_text().replace("email_copy = false", "email_copy = true"))
    cli(ws, "run", "2027Q1", "--invoice-date", "2027-01-05")
    cli(ws, "send")
    channels = [(n, ch) for n, ch, *_ in rows(ws) if n.startswith("2027")]
    assert ("2027-000001", "peppol") in channels and ("2027-000001", "email") in channels
    assert any("info@aerts.be" in m.rcpt_tos for m in smtp.messages)


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
    done = _send_proc(ws)
    out, err = done.communicate(timeout=120)
    assert done.returncode == 0, out + err
    received = [m for m in smtp.messages] + ap.requests
    assert len(received) <= 2
    states = {n: st for n, ch, st, _, _ in rows(ws)}
    assert states["2026-000003"] == "post"
    interrupted = [n for n, st in states.items() if st == "uncertain"]
    assert interrupted == ["2026-000002"]  # the second delivery was killed between its two rows
    assert "onderbroken" in out and "2026-000002" in out
    status = cli(ws, "status")
    assert "uncertain: 2026-000002" in status
    # the message was received when the kill came after the network call; never twice in any case
    assert len(smtp.messages) == (1 if point == "send-after-network" else 0)
    cli(ws, "send", "--resend", "2026-000002")
    assert len(smtp.messages) == (2 if point == "send-after-network" else 1)  # the explicit resend only


def test_random_kills_with_slow_servers(ws: Path, servers):
    """kill -9 at random moments while the servers answer slowly; then send until done: no document is
    received twice except through --resend, none is lost (every one is received once or listed uncertain)."""
    smtp, ap = servers
    _many(ws, 16)
    cli(ws, "run", "2027Q1", "--invoice-date", "2027-01-05")
    smtp.recorder.delay = 0.05
    rng = random.Random(2027)
    kills = 0
    for _ in range(6):
        proc = _send_proc(ws)
        time.sleep(rng.uniform(0.3, 1.5))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.communicate(timeout=120)
    final = _send_proc(ws)
    out, err = final.communicate(timeout=180)
    assert final.returncode == 0, out + err
    assert kills >= 1
    con = sqlite3.connect(ws / "bijstand.sqlite")
    states = dict(con.execute("SELECT number || '/' || channel, state FROM deliveries WHERE resend = 0"))
    numbers = [r[0] for r in con.execute("SELECT number FROM documents ORDER BY rowid")]
    con.close()
    from lxml import etree

    received = {"email": [email.message_from_bytes(m.data)["Subject"].split()[1] for m in smtp.messages],
                "peppol": [etree.fromstring(r.body).findtext(
                    "{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}ID") for r in ap.requests]}
    for channel, got in received.items():  # never twice (there was no --resend)
        assert len(got) == len(set(got)), (channel, sorted(got))
    lost = []
    for key, state in states.items():
        number, channel = key.split("/")
        if state == "sent":
            assert number in received[channel], key  # a delivery recorded sent was received
        elif state == "uncertain":
            pass  # listed by status (below); received or not, only --resend repeats it
        else:
            assert state == "post", key
    for number in numbers:  # every document has its delivery: none lost
        if not any(k.startswith(number + "/") for k in states):
            lost.append(number)
    assert lost == []
    status = cli(ws, "status")
    for key in sorted(k for k, st in states.items() if st == "uncertain"):
        assert key.split("/")[0] in status
    print(f"kills {kills}, uncertain {sum(st == 'uncertain' for st in states.values())}, "
          f"e-mails {len(received['email'])}, peppol {len(received['peppol'])}, duplicates 0, lost 0")


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
