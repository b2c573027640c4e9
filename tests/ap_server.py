"""A real HTTP access point for tests: a threaded http.server on 127.0.0.1 that plays each
provider's documented contract, with scriptable answers.

Contracts (what it does when nothing is scripted):

``generic`` (SPEC §11 D2)
    ``POST /api/documents`` with ``Authorization: Bearer <key>`` and ``Content-Type:
    application/xml`` and a well-formed XML body → ``201 {"id": "msg-000001"}`` with a
    ``Location``; a wrong token → 401; another content type → 415; a body that is not XML → 400.
``billit`` (docs.billit.be: Send UBL to Peppol, Header values, Possible Errors, 401)
    ``POST /v1/peppol/sendxml`` with ``ApiKey`` and ``PartyID`` headers and the JSON body
    ``{"XML": "<ubl>"}`` → ``200 {"InboxItemID": 1}``; a wrong key or party → 401; a body
    without a well-formed UBL → ``400 {"errors": [{"Code": "GenericError", "Description": …}]}``.

Both file a repeated idempotency key (``Idempotency-Key`` / ``Idempotent-Key``) once and answer
it with the same id. Scripted answers (:class:`Answer`) are used first, one per request: any
status and body, a ``Retry-After``, a delay (beyond the client's timeout), or a dropped connection;
``.delay`` slows every answer (the crash test's slow access point).
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from lxml import etree

API_KEY = "test-key-7f3a9c1e5b"
PARTY_ID = "865999"


@dataclass
class Answer:
    status: int = 200
    body: object = None  # dict/list → JSON; str/bytes as is; None → contract default for 2xx, empty else
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering
    drop: bool = False  # close the connection without answering


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]  # lower-cased names
    body: bytes


class AccessPoint:
    """A started access point; ``.requests`` lists every request, ``.filed`` every document it took."""

    def __init__(self, provider: str = "generic", api_key: str = API_KEY, party_id: str = PARTY_ID):
        self.provider, self.api_key, self.party_id = provider, api_key, party_id
        self.script: list[Answer] = []
        self.delay = 0.0  # seconds before answering every request (a slow access point), beside scripted delays
        self.requests: list[Seen] = []
        self.filed: dict[str, tuple[str, bytes]] = {}  # idempotency key -> (id, UBL bytes)
        self.lock = threading.Lock()
        ap = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # answers go out at once, as from a real server

            def log_message(self, *args):  # quiet
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                seen = Seen("POST", self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                with ap.lock:
                    ap.requests.append(seen)
                    answer = ap.script.pop(0) if ap.script else None
                if answer is not None and answer.delay:
                    time.sleep(answer.delay)
                if ap.delay:
                    time.sleep(ap.delay)  # after the request was read, before the answer: as a slow real one
                if answer is not None and answer.drop:
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                if answer is None or (200 <= answer.status < 300 and answer.body is None):
                    status, payload, headers = ap.contract(seen)
                    if answer is not None:
                        headers = {**headers, **answer.headers}
                else:
                    status, payload, headers = answer.status, answer.body, answer.headers
                self._reply(status, payload, headers)

            def _reply(self, status, payload, headers):
                if isinstance(payload, (dict, list)):
                    data, ctype = json.dumps(payload).encode(), "application/json; charset=utf-8"
                elif isinstance(payload, str):
                    data, ctype = payload.encode(), "text/plain; charset=utf-8"
                else:
                    data, ctype = payload or b"", "application/octet-stream"
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", headers.get("Content-Type", ctype))
                    self.send_header("Content-Length", str(len(data)))
                    for name, value in headers.items():
                        if name != "Content-Type":
                            self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (its timeout)
                    self.close_connection = True

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        """What a vendor writes in ``[delivery.peppol] url``."""
        base = f"http://127.0.0.1:{self.port}"
        return base + "/api/documents" if self.provider == "generic" else base

    def answer(self, *answers: Answer) -> None:
        with self.lock:
            self.script.extend(answers)

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    # --- the providers' contracts -------------------------------------------------------------

    def contract(self, seen: Seen) -> tuple[int, object, dict[str, str]]:
        return self._generic(seen) if self.provider == "generic" else self._billit(seen)

    def _file(self, key: str, ubl: bytes, prefix: str) -> str:
        with self.lock:
            if key and key in self.filed:
                return self.filed[key][0]
            ident = f"{prefix}{len(self.filed) + 1:06d}" if prefix else str(len(self.filed) + 1)
            self.filed[key or f"#{len(self.filed)}"] = (ident, ubl)
            return ident

    def _generic(self, seen: Seen):
        if seen.path != "/api/documents":
            return 404, {"message": f"no such endpoint: {seen.path}"}, {}
        if seen.headers.get("authorization") != f"Bearer {self.api_key}":
            return 401, {"message": "invalid or missing bearer token"}, {}
        if seen.headers.get("content-type", "").split(";")[0].strip() != "application/xml":
            return 415, {"message": "expected Content-Type application/xml"}, {}
        try:
            etree.fromstring(seen.body)
        except etree.XMLSyntaxError as exc:
            return 400, {"message": "not a UBL document", "errors": [str(exc)]}, {}
        ident = self._file(seen.headers.get("idempotency-key", ""), seen.body, "msg-")
        return 201, {"id": ident, "status": "queued"}, {"Location": f"/api/documents/{ident}"}

    def _billit(self, seen: Seen):
        if seen.path.lower() != "/v1/peppol/sendxml":
            return 404, "Not Found", {}
        if seen.headers.get("apikey") != self.api_key or seen.headers.get("partyid") != self.party_id:
            return 401, {"Message": "Authorization has been denied for this request."}, {}
        try:
            ubl = json.loads(seen.body)["XML"].encode("utf-8")
            etree.fromstring(ubl)
        except (ValueError, KeyError, TypeError, etree.XMLSyntaxError):
            return 400, {"errors": [{"Code": "GenericError", "Description": "Data is Required"}]}, {}
        ident = self._file(seen.headers.get("idempotent-key", ""), ubl, "")
        return 200, {"InboxItemID": int(ident)}, {}


@contextlib.contextmanager
def silent_port():
    """A port on 127.0.0.1 that never completes a connection: its listen queue is full, so the SYN of a
    new connection is dropped (as by a host that does not answer, or a firewall). Yields the port."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(0)
    port = server.getsockname()[1]
    fillers = []
    for _ in range(3):
        c = socket.socket()
        c.setblocking(False)
        try:
            c.connect(("127.0.0.1", port))
        except BlockingIOError:
            pass
        fillers.append(c)
    time.sleep(0.1)
    try:
        yield port
    finally:
        for c in fillers:
            c.close()
        server.close()


@contextlib.contextmanager
def unknown_hosts(monkeypatch):
    """Names ending in ``.invalid`` do not resolve (socket.gaierror, as a DNS failure), without a network."""
    real = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        if str(host).endswith(".invalid"):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield


@pytest.fixture
def access_point():
    ap = AccessPoint("generic")
    yield ap
    ap.stop()


@pytest.fixture
def billit_access_point():
    ap = AccessPoint("billit")
    yield ap
    ap.stop()
