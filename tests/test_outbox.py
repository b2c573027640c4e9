"""The dry-run outbox (SPEC §11 ``send --dry-run``): an .eml per e-mail with the exact bytes the
SMTP server receives, and per Peppol message the UBL and a .json of the request without the
secret; file names by document number, the same bytes every time."""

from __future__ import annotations

import hashlib
import json

from batch.delivery import SENT
from batch.delivery.email import SmtpSender
from batch.delivery.outbox import Outbox
from batch.delivery.peppol import PeppolClient
from tests.ap_server import API_KEY, PARTY_ID, AccessPoint
from tests.smtp_server import smtp_server  # noqa: F401 (fixture)
from tests.test_email import SENDER, invoice_mail
from tests.test_peppol import UBL


def test_an_eml_holds_exactly_the_bytes_the_server_receives(smtp_server, tmp_path):
    msg = invoice_mail("F2027-00001", cc="boekhouding@dubois.fr", bcc="archief@juweelsoft.be", workbook=True)
    entry = Outbox(tmp_path / "outbox").add_email("F2027-00001", msg)
    with SmtpSender(smtp_server.host, smtp_server.port, "none", timeout=5) as sender:
        assert sender.send(msg).state == SENT
    (path,) = entry.files
    assert path == tmp_path / "outbox" / "F2027-00001.eml"
    assert path.read_bytes() == smtp_server.messages[0].data
    assert entry.envelope == (SENDER, "contact@dubois.fr", "boekhouding@dubois.fr", "archief@juweelsoft.be")
    assert b"\r\nBcc:" not in path.read_bytes() and b"Message-ID: <F2027-00001@juweelsoft.be>\r\n" in path.read_bytes()


def test_a_peppol_message_is_its_ubl_and_its_request_without_the_secret(tmp_path):
    for provider in ("generic", "billit"):
        ap = AccessPoint(provider)
        try:
            with PeppolClient(provider, ap.url, API_KEY, party_id=PARTY_ID if provider == "billit" else "") as c:
                request = c.request_for("F2027-00002", UBL["F2027-00002"])
                entry = Outbox(tmp_path / provider).add_peppol(request, UBL["F2027-00002"])
                assert c.send_request(request).state == SENT
        finally:
            ap.stop()
        xml, js = entry.files
        assert (xml.name, js.name) == ("F2027-00002.xml", "F2027-00002.json")
        assert xml.read_bytes() == UBL["F2027-00002"]
        described = json.loads(js.read_text(encoding="utf-8"))
        sent = ap.requests[0].body
        assert described["body"] == {"size": len(sent), "sha256": hashlib.sha256(sent).hexdigest()}
        assert described["ubl"] == {"file": "F2027-00002.xml", "size": len(UBL["F2027-00002"]),
                                    "sha256": hashlib.sha256(UBL["F2027-00002"]).hexdigest()}
        assert (described["method"], described["document"], described["provider"]) == ("POST", "F2027-00002", provider)
        assert API_KEY not in js.read_text(encoding="utf-8")
        if provider == "generic":
            assert described["url"] == ap.url
            assert described["headers"]["Authorization"] == "Bearer ***"
            assert described["headers"]["Content-Type"] == "application/xml"
        else:
            assert described["url"] == ap.url + "/v1/peppol/sendxml"
            assert described["headers"]["ApiKey"] == "***" and described["headers"]["PartyID"] == PARTY_ID
            assert json.loads(sent)["XML"].encode("utf-8") == UBL["F2027-00002"]
        assert entry.envelope == ("POST", described["url"])


def test_names_by_number_the_same_bytes_again_and_a_clean_start(tmp_path):
    box = Outbox(tmp_path / "outbox")
    first = box.add_email("F2027-00001", invoice_mail("F2027-00001")).files[0].read_bytes()
    again = box.add_email("F2027-00001", invoice_mail("F2027-00001")).files[0].read_bytes()
    assert first == again
    resend = box.add_email("F2027-00001", invoice_mail("F2027-00001", resend=1), resend=1)
    assert resend.files[0].name == "F2027-00001.resend-1.eml"
    with PeppolClient("generic", "https://ap.example/api/documents", API_KEY) as c:
        box.add_peppol(c.request_for("F2027-00003", UBL["F2027-00003"]), UBL["F2027-00003"])
    (tmp_path / "outbox" / "LEESMIJ.txt").write_text("not ours")
    assert sorted(p.name for p in (tmp_path / "outbox").iterdir()) == [
        "F2027-00001.eml", "F2027-00001.resend-1.eml", "F2027-00003.json", "F2027-00003.xml", "LEESMIJ.txt"]
    assert box.clear() == 4
    assert [p.name for p in (tmp_path / "outbox").iterdir()] == ["LEESMIJ.txt"]
