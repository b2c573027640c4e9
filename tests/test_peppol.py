"""Peppol delivery through an access point (SPEC §11 D2) against a real HTTP server on 127.0.0.1
that plays each provider's documented contract (tests/ap_server.py): the request, the message
id, retries of 429/5xx within bounds, 4xx stopping the document with the provider's words,
network trouble leaving it pending — and the secret nowhere but in the request header."""

from __future__ import annotations

import json
import logging

import pytest

from batch.delivery import FAILED, PENDING, SENT, DeliveryConfigError
from batch.delivery.outbox import Outbox
from batch.delivery.peppol import PeppolClient
from batch.documents.invoice_xlsx import render_invoice_xlsx
from batch.documents.ubl import render_ubl
from batch.settings import PeppolDelivery
from tests.ap_server import API_KEY, PARTY_ID, AccessPoint, Answer, access_point, billit_access_point  # noqa: F401
from tests.samples import sample_invoice


def ubl_of(number: str) -> bytes:
    inv = sample_invoice("S", "nl", number)
    return render_ubl(inv, render_invoice_xlsx(inv), f"{number}.xlsx")


UBL = {n: ubl_of(n) for n in ("F2027-00001", "F2027-00002", "F2027-00003")}


class Sleeps(list):
    """An injectable sleep that only records."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def client(ap: AccessPoint, key: str = API_KEY, **kwargs) -> PeppolClient:
    kwargs.setdefault("sleep", Sleeps())
    kwargs.setdefault("timeout", 5.0)
    return PeppolClient(ap.provider, ap.url, key, party_id=PARTY_ID if ap.provider == "billit" else "", **kwargs)


# --- generic ----------------------------------------------------------------------------------


def test_generic_posts_the_ubl_with_a_bearer_token_and_records_the_id(access_point):
    with client(access_point) as c:
        attempts = [c.send(n, UBL[n]) for n in UBL]
    assert [(a.state, a.message_id, a.tries) for a in attempts] == [
        (SENT, "msg-000001", 1), (SENT, "msg-000002", 1), (SENT, "msg-000003", 1)]
    assert attempts[0].detail == "HTTP 201 Created: accepted as msg-000001"
    first = access_point.requests[0]
    assert (first.method, first.path) == ("POST", "/api/documents")
    assert first.headers["content-type"] == "application/xml"
    assert first.headers["authorization"] == f"Bearer {API_KEY}"
    assert first.headers["idempotency-key"] == "F2027-00001"
    assert first.body == UBL["F2027-00001"]
    assert [ubl for _, ubl in access_point.filed.values()] == list(UBL.values())


def test_generic_takes_the_location_header_when_the_answer_has_no_id(access_point):
    access_point.answer(Answer(202, "", {"Location": "https://ap.example/api/documents/7781"}),
                        Answer(204, b""))
    with client(access_point) as c:
        located = c.send("F2027-00001", UBL["F2027-00001"])
        anonymous = c.send("F2027-00002", UBL["F2027-00002"])
    assert (located.state, located.message_id) == (SENT, "https://ap.example/api/documents/7781")
    assert (anonymous.state, anonymous.message_id) == (SENT, None)
    assert anonymous.detail == "HTTP 204 No Content: accepted (the answer named no message id)"


def test_429_and_5xx_are_retried_honouring_retry_after(access_point):
    access_point.answer(Answer(503, "<html>Service Unavailable</html>"),
                        Answer(429, {"message": "rate limit exceeded"}, {"Retry-After": "7"}),
                        Answer(500, {"error": "internal error"}))
    sleeps = Sleeps()
    with client(access_point, sleep=sleeps) as c:
        attempt = c.send("F2027-00001", UBL["F2027-00001"])
    assert (attempt.state, attempt.message_id, attempt.tries) == (SENT, "msg-000001", 4)
    assert sleeps == [1.0, 7.0, 4.0]  # backoff 1 s, then the server's 7 s, then backoff 4 s
    assert len(access_point.requests) == 4 and len(access_point.filed) == 1


def test_retries_are_bounded_in_number_and_in_total_wait(access_point):
    access_point.answer(*[Answer(500, {"message": "database unavailable"})] * 3)
    sleeps = Sleeps()
    with client(access_point, sleep=sleeps, max_tries=3) as c:
        attempt = c.send("F2027-00001", UBL["F2027-00001"])
    assert (attempt.state, attempt.tries, attempt.retry_after) == (PENDING, 3, 4.0)
    assert attempt.detail == "HTTP 500 Internal Server Error: database unavailable"
    assert sleeps == [1.0, 2.0] and len(access_point.requests) == 3 and access_point.filed == {}

    access_point.answer(Answer(429, {"message": "quota exhausted"}, {"Retry-After": "3600"}))
    sleeps = Sleeps()
    with client(access_point, sleep=sleeps, max_wait=60) as c:
        attempt = c.send("F2027-00002", UBL["F2027-00002"])
    assert (attempt.state, attempt.tries, attempt.retry_after, sleeps) == (PENDING, 1, 3600.0, [])
    assert attempt.detail == "HTTP 429 Too Many Requests: quota exhausted"


def test_a_400_stops_that_document_with_the_validation_messages_and_the_next_one_goes(access_point):
    access_point.answer(Answer(400, {"message": "document rejected by Peppol validation", "errors": [
        {"rule": "BR-CO-15", "message": "Invoice total amount with VAT = total without VAT + VAT"},
        {"rule": "PEPPOL-EN16931-R010", "message": "Buyer electronic address MUST be provided"}]}))
    with client(access_point) as c:
        rejected = c.send("F2027-00001", UBL["F2027-00001"])
        next_one = c.send("F2027-00002", UBL["F2027-00002"])
    assert (rejected.state, rejected.tries, rejected.message_id) == (FAILED, 1, None)
    assert rejected.detail == ("HTTP 400 Bad Request: document rejected by Peppol validation: Invoice total amount "
                               "with VAT = total without VAT + VAT; Buyer electronic address MUST be provided")
    assert next_one.state == SENT and next_one.message_id == "msg-000001"


def test_a_wrong_key_is_refused_with_the_providers_words(access_point):
    with client(access_point, key="not-the-key") as c:
        attempt = c.send("F2027-00001", UBL["F2027-00001"])
    assert (attempt.state, attempt.tries) == (FAILED, 1)
    assert attempt.detail == "HTTP 401 Unauthorized: invalid or missing bearer token"


def test_a_slow_answer_or_a_dropped_connection_leaves_it_pending(access_point):
    access_point.answer(Answer(delay=1.5), Answer(drop=True))
    sleeps = Sleeps()
    with client(access_point, timeout=0.5, sleep=sleeps) as c:
        slow = c.send("F2027-00001", UBL["F2027-00001"])
        dropped = c.send("F2027-00002", UBL["F2027-00002"])
        fine = c.send("F2027-00003", UBL["F2027-00003"])
    assert (slow.state, slow.tries, slow.maybe_delivered) == (PENDING, 1, True)
    assert slow.detail.startswith("no answer from the access point after the document was sent (ReadTimeout")
    assert (dropped.state, dropped.maybe_delivered) == (PENDING, True)
    assert "RemoteProtocolError: Server disconnected without sending a response" in dropped.detail
    assert fine.state == SENT and sleeps == []  # network trouble is never retried blindly


def test_no_access_point_leaves_it_pending():
    ap = AccessPoint("generic")
    ap.stop()
    with client(ap) as c:
        attempt = c.send("F2027-00001", UBL["F2027-00001"])
    assert (attempt.state, attempt.tries, attempt.maybe_delivered) == (PENDING, 1, False)
    assert attempt.detail.startswith("the access point was not reached (ConnectError")


def test_a_retried_document_is_filed_once_by_an_access_point_that_honours_the_key(access_point):
    access_point.answer(Answer(502, "Bad Gateway"))
    with client(access_point) as c:
        c.send("F2027-00001", UBL["F2027-00001"])
        again = c.send("F2027-00001", UBL["F2027-00001"])  # e.g. the next `bijstand send`
        resend = c.send("F2027-00001", UBL["F2027-00001"], resend=1)
    assert again.message_id == "msg-000001" and resend.message_id == "msg-000002"
    assert [r.headers["idempotency-key"] for r in access_point.requests] == [
        "F2027-00001", "F2027-00001", "F2027-00001", "F2027-00001.resend-1"]


# --- Billit -------------------------------------------------------------------------------------


def test_billit_sendxml_with_apikey_and_partyid(billit_access_point):
    with client(billit_access_point) as c:
        attempts = [c.send(n, UBL[n]) for n in UBL]
    assert [(a.state, a.message_id) for a in attempts] == [(SENT, "1"), (SENT, "2"), (SENT, "3")]
    seen = billit_access_point.requests[0]
    assert seen.path == "/v1/peppol/sendxml"
    assert seen.headers["apikey"] == API_KEY and seen.headers["partyid"] == PARTY_ID
    assert seen.headers["content-type"] == "application/json" and "authorization" not in seen.headers
    assert seen.headers["idempotent-key"] == "F2027-00001"
    assert json.loads(seen.body) == {"XML": UBL["F2027-00001"].decode("utf-8")}


def test_billit_errors_are_the_documents_own(billit_access_point):
    billit_access_point.answer(
        Answer(400, {"errors": [{"Code": "TheCustomerDoesNotSupportPeppolForType_0",
                                 "Description": "De klant ondersteunt geen Peppol voor type Invoice"}]}),
        Answer(400, {"errors": [{"Code": "GenericError", "Description": "[BR-S-08] - For each different value of "
                                 "VAT category rate the VAT category taxable amount must equal the sum"}]}),
        Answer(429, {"Message": "Too many requests"}, {"Retry-After": "2"}))
    sleeps = Sleeps()
    with client(billit_access_point, sleep=sleeps) as c:
        unknown = c.send("F2027-00001", UBL["F2027-00001"])
        invalid = c.send("F2027-00002", UBL["F2027-00002"])
        later = c.send("F2027-00003", UBL["F2027-00003"])
    assert (unknown.state, unknown.detail) == (FAILED, "HTTP 400 Bad Request: TheCustomerDoesNotSupportPeppolForType_0: "
                                                       "De klant ondersteunt geen Peppol voor type Invoice")
    assert invalid.state == FAILED and invalid.detail.startswith("HTTP 400 Bad Request: GenericError: [BR-S-08]")
    assert (later.state, later.message_id, later.tries, sleeps) == (SENT, "1", 2, [2.0])
    with client(billit_access_point, key="wrong") as c:
        refused = c.send("F2027-00001", UBL["F2027-00001"])
    assert refused.detail == "HTTP 401 Unauthorized: Authorization has been denied for this request."


def test_billit_needs_a_party_id_and_accepts_the_full_endpoint_as_url(billit_access_point):
    with pytest.raises(DeliveryConfigError, match="party_id is empty: Billit needs the PartyID"):
        PeppolClient("billit", billit_access_point.url, API_KEY)
    with PeppolClient("billit", billit_access_point.url + "/v1/peppol/sendxml", API_KEY, party_id=PARTY_ID) as c:
        assert c.send("F2027-00001", UBL["F2027-00001"]).state == SENT


# --- settings and the secret -----------------------------------------------------------------


def test_from_settings_reads_the_key_from_the_environment(access_point):
    settings = PeppolDelivery(provider="generic", url=access_point.url, api_key_env="TEST_PEPPOL_KEY")
    with PeppolClient.from_settings(settings, {"TEST_PEPPOL_KEY": API_KEY}) as c:
        assert c.send("F2027-00001", UBL["F2027-00001"]).state == SENT
    with pytest.raises(DeliveryConfigError, match="environment variable TEST_PEPPOL_KEY is not set"):
        PeppolClient.from_settings(settings, {})
    with pytest.raises(DeliveryConfigError, match="provider is empty"):
        PeppolClient.from_settings(PeppolDelivery(), {"BIJSTAND_PEPPOL_KEY": API_KEY})
    billit = PeppolDelivery(provider="billit", url="https://api.sandbox.billit.be", api_key_env="K")
    with PeppolClient.from_settings(billit, {"K": API_KEY}, party_id="42") as c:
        request = c.request_for("F2027-00001", UBL["F2027-00001"])
    assert request.url == "https://api.sandbox.billit.be/v1/peppol/sendxml" and request.headers["PartyID"] == "42"


@pytest.mark.parametrize("provider", ["generic", "billit"])
def test_the_secret_appears_in_no_result_log_line_exception_or_file(provider, caplog, tmp_path):
    caplog.set_level(logging.DEBUG)  # httpx and httpcore log at DEBUG too
    ap = AccessPoint(provider)
    texts: list[str] = []
    try:
        # a provider that echoes the key back in its error must not make us repeat it
        ap.answer(Answer(500, {"message": f"upstream refused key {API_KEY}"}),
                  Answer(400, {"message": f"bad request for {API_KEY}", "errors": [f"key {API_KEY} is invalid"]}),
                  Answer(401, {"Message": f"denied: {API_KEY}"}),
                  Answer(429, {"message": "later"}, {"Retry-After": "600"}),
                  Answer(delay=1.5), Answer(drop=True))
        with client(ap, timeout=0.5) as c:
            attempts = [c.send(n, UBL["F2027-00001"]) for n in ("A1", "A2", "A3", "A4", "A5", "A6", "A7")]
            request = c.request_for("A8", UBL["F2027-00001"])
            entry = Outbox(tmp_path / "outbox").add_peppol(request, UBL["F2027-00001"])
            texts += [repr(c), repr(request), json.dumps(request.describe())]
            texts += [p.read_text(encoding="utf-8") for p in entry.files]
    finally:
        ap.stop()
    with pytest.raises(DeliveryConfigError) as missing:
        PeppolClient.from_settings(PeppolDelivery(provider=provider, url=ap.url, api_key_env="NOPE"), {})
    texts += [repr(a) for a in attempts] + [a.detail for a in attempts] + [caplog.text, str(missing.value)]
    assert [(a.state, a.tries) for a in attempts] == [(FAILED, 2), (FAILED, 1), (PENDING, 1), (PENDING, 1),
                                                      (PENDING, 1), (SENT, 1), (SENT, 1)]
    assert attempts[0].detail == "HTTP 400 Bad Request: bad request for ***: key *** is invalid"
    assert attempts[1].detail == "HTTP 401 Unauthorized: denied: ***"
    assert not [t for t in texts if API_KEY in t]
    # ... while the access point did receive it where it belongs
    header = "authorization" if provider == "generic" else "apikey"
    assert all(API_KEY in r.headers[header] for r in ap.requests)


# --- D2: no connection before anything was sent → pending, never uncertain ---------------------------


def test_connection_failures_before_the_request_leave_it_pending_not_uncertain(access_point, monkeypatch):
    """A connect timeout, a DNS failure, a refused port and a failed TLS handshake: nothing reached the
    access point, so the document is pending (the next send tries it) — not uncertain."""
    from tests.ap_server import silent_port, unknown_hosts

    closed = AccessPoint("generic")
    closed.stop()
    with silent_port() as port, unknown_hosts(monkeypatch):
        urls = {"connect timeout": (f"http://127.0.0.1:{port}/api/documents", "ConnectTimeout"),
                "dns": ("http://ap.juweelsoft.invalid/api/documents", "Name or service not known"),
                "refused": (closed.url, "ConnectError"),
                "tls handshake": (f"https://127.0.0.1:{access_point.port}/api/documents", "SSL")}
        got = {}
        for case, (url, _) in urls.items():
            with PeppolClient("generic", url, API_KEY, timeout=0.5, sleep=Sleeps()) as c:
                got[case] = c.send("F2027-00001", UBL["F2027-00001"])
    for case, (_, words) in urls.items():
        attempt = got[case]
        assert (attempt.state, attempt.maybe_delivered, attempt.tries) == (PENDING, False, 1), case
        assert attempt.detail.startswith("the access point was not reached"), (case, attempt.detail)
        assert words in attempt.detail, (case, attempt.detail)
        assert API_KEY not in attempt.detail
    assert access_point.requests == []  # the TLS hello is no request
