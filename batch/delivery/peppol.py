"""Peppol delivery through an access point's REST API (SPEC §11 D2).

Only a certified access point may send on the Peppol network; bijstand hands each UBL document
to the vendor's access point over HTTPS and records the provider's message id. Providers:

``generic``
    POST the UBL to ``url`` with ``Content-Type: application/xml`` and
    ``Authorization: Bearer <secret>``. Any 2xx is accepted; the JSON ``id`` of the answer (else
    its ``Location`` header) is the provider's message id. bijstand also sends
    ``Idempotency-Key: <number>`` so that an access point which honours it never files a
    repeated request twice.
``billit``
    Billit's documented "Send UBL to Peppol" call (docs.billit.be, *Send UBL to Peppol*,
    *Header values*, *Possible Errors*): ``POST {url}/v1/peppol/sendxml`` (``url`` =
    ``https://api.billit.be``, or ``https://api.sandbox.billit.be`` to test) with the headers
    ``ApiKey: <secret>`` and ``PartyID: <your company's party id>``, the JSON body
    ``{"XML": "<the UBL as text>"}`` and ``Idempotent-Key: <number>``. 200 answers the
    ``InboxItemID`` (the message id); 400 lists ``errors`` of ``{"Code", "Description"}``
    (Peppol validation, unknown receiver): the document is not sent.

Either way: 429 and 5xx are retried with bounded backoff (``Retry-After`` honoured, a cap on the
total wait, ``sleep`` injectable); another 4xx stops that document (``failed``, the provider's
words in ``detail``); a network error or a timeout leaves it ``pending``. The secret comes from
the environment variable named by ``[delivery.peppol] api_key_env`` and appears in no result,
log line or exception text.
"""

from __future__ import annotations

import email.utils
import hashlib
import json
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import httpx

from .. import __version__
from . import FAILED, PENDING, SENT, Attempt, DeliveryConfigError, scrub, secret_from_env, shorten

log = logging.getLogger("bijstand.delivery.peppol")

PROVIDERS = ("generic", "billit")
BILLIT_SEND_PATH = "/v1/peppol/sendxml"
USER_AGENT = f"bijstand/{__version__}"


@dataclass(frozen=True)
class PeppolRequest:
    """One request to the access point, exactly as it goes out (the outbox describes it)."""

    number: str
    provider: str
    method: str
    url: str
    headers: dict[str, str] = field(repr=False)  # holds the secret: never print it
    body: bytes = field(repr=False)
    secrets: tuple[str, ...] = field(default=(), repr=False)

    def redacted_headers(self) -> dict[str, str]:
        """The headers with every secret replaced by ``***`` (``Authorization: Bearer ***``)."""
        return {name: scrub(value, self.secrets) for name, value in self.headers.items()}

    def describe(self) -> dict:
        """The request for a human or a file: method, url, headers without the secret, body size and hash."""
        return {"document": self.number, "provider": self.provider, "method": self.method,
                "url": scrub(self.url, self.secrets), "headers": self.redacted_headers(),
                "body": {"size": len(self.body), "sha256": hashlib.sha256(self.body).hexdigest()}}


def idempotency_key(number: str, resend: int = 0) -> str:
    """The key that makes a repeated request recognisable; a resend is a new request.

    >>> idempotency_key("F2027-00001"), idempotency_key("F2027-00001", 1)
    ('F2027-00001', 'F2027-00001.resend-1')
    """
    return f"{number}.resend-{resend}" if resend else number


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """``Retry-After`` in seconds: a number of seconds or an HTTP date; None when absent or unreadable.

    >>> retry_after_seconds("7"), retry_after_seconds(" 1.5 "), retry_after_seconds("soon")
    (7.0, 1.5, None)
    >>> retry_after_seconds("Fri, 01 Jan 2027 00:00:30 GMT", now=1798761600.0)
    30.0
    """
    if not value or not value.strip():
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def _json(response: httpx.Response):
    try:
        return response.json()
    except ValueError:
        return None


def _text_of(value) -> str:
    """Readable words from a JSON error value (string, list, or object of message fields)."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "; ".join(t for t in (_text_of(v) for v in value) if t)
    if isinstance(value, dict):
        code = value.get("Code") or value.get("code") or ""
        for key in ("Description", "description", "message", "Message", "detail", "title", "error", "msg"):
            if isinstance(value.get(key), str) and value[key]:
                return f"{code}: {value[key]}" if code and code != value[key] else value[key]
        if code:
            return str(code)
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return "" if value is None else str(value)


def provider_words(response: httpx.Response) -> str:
    """What the provider said, in its own words: JSON messages and error lists, else the text.

    >>> r = httpx.Response(400, json={"errors": [{"Code": "GenericError",
    ...     "Description": "A buyer reference or purchase order MUST be provided"}]})
    >>> provider_words(r)
    'GenericError: A buyer reference or purchase order MUST be provided'
    >>> provider_words(httpx.Response(400, json={"message": "validation failed",
    ...                                          "errors": ["[BR-16] at least one line"]}))
    'validation failed: [BR-16] at least one line'
    >>> provider_words(httpx.Response(503, text="<html><body>Service Unavailable</body></html>"))
    '<html><body>Service Unavailable</body></html>'
    """
    data = _json(response)
    if isinstance(data, dict):
        head = ""
        for key in ("message", "Message", "error", "title", "detail", "Description"):
            if isinstance(data.get(key), str) and data[key]:
                head = data[key]
                break
        errors = data.get("errors") or data.get("Errors") or data.get("details") or data.get("violations")
        tail = _text_of(errors) if errors else ""
        words = ": ".join(t for t in (head, tail) if t)
        if words:
            return words
    if data is not None and not isinstance(data, dict):
        words = _text_of(data)
        if words:
            return words
    return response.text.strip()


def _message_id_generic(response: httpx.Response) -> str | None:
    data = _json(response)
    if isinstance(data, dict) and data.get("id") not in (None, ""):
        return str(data["id"])
    return response.headers.get("location") or None


def _message_id_billit(response: httpx.Response) -> str | None:
    data = _json(response)
    if isinstance(data, dict):
        for key, value in data.items():
            if key.lower() == "inboxitemid" and value not in (None, ""):
                return str(value)
        return None
    if isinstance(data, (int, str)) and str(data):
        return str(data)
    return None


class PeppolClient:
    """Sends UBL documents to one access point; one HTTP connection is kept for the batch.

    ``max_tries`` bounds the requests per document, ``max_wait`` the seconds slept between them
    (a longer ``Retry-After`` ends the document's turn: ``pending`` with ``retry_after`` set);
    ``timeout`` bounds each request. Use it as a context manager.
    """

    def __init__(self, provider: str, url: str, api_key: str, *, party_id: str = "", timeout: float = 30.0,
                 max_tries: int = 4, max_wait: float = 60.0, backoff: float = 1.0,
                 sleep: Callable[[float], None] = time.sleep):
        if provider not in PROVIDERS:
            raise DeliveryConfigError(f"[delivery.peppol] provider = {provider!r} is not known; "
                                      f"choose one of {', '.join(PROVIDERS)}")
        if not url.startswith(("http://", "https://")):
            raise DeliveryConfigError(f"[delivery.peppol] url = {url!r} is not an http(s) address")
        if provider == "billit" and not str(party_id).strip():
            raise DeliveryConfigError(
                "[delivery.peppol] party_id is empty: Billit needs the PartyID of your company "
                "(MyBillit: My company, the number in the address bar; sandbox and production differ)")
        if not api_key:
            raise DeliveryConfigError("the access point's API key is empty")
        self.provider, self.url = provider, url
        self.party_id = str(party_id).strip()
        self._key = api_key
        self.max_tries, self.max_wait, self.backoff = max(1, max_tries), max(0.0, max_wait), backoff
        self._sleep = sleep
        self._http = httpx.Client(timeout=timeout, follow_redirects=False)

    def __repr__(self) -> str:
        return f"PeppolClient({self.provider}, {self.url})"

    @classmethod
    def from_settings(cls, settings, environ: Mapping[str, str] | None = None, *, party_id: str | None = None,
                      **kwargs) -> "PeppolClient":
        """The client of ``[delivery.peppol]`` (:class:`batch.settings.PeppolDelivery`); the key from
        the environment variable named by ``api_key_env``, Billit's PartyID from ``party_id``."""
        if not settings.provider:
            raise DeliveryConfigError("[delivery.peppol] provider is empty: Peppol delivery is not configured")
        key = secret_from_env(settings.api_key_env, "the access point's API key", "delivery.peppol",
                              "api_key_env", environ)
        party = party_id if party_id is not None else getattr(settings, "party_id", "")
        return cls(settings.provider, settings.url, key, party_id=party, **kwargs)

    def __enter__(self) -> "PeppolClient":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    # --- the request ----------------------------------------------------------------------

    def request_for(self, number: str, ubl: bytes, *, resend: int = 0) -> PeppolRequest:
        """The request that delivers ``ubl`` (the document ``number``), per the provider's contract."""
        common = {"User-Agent": USER_AGENT, "Accept": "application/json"}
        if self.provider == "billit":
            base = self.url.rstrip("/")
            url = base if base.lower().endswith(BILLIT_SEND_PATH) else base + BILLIT_SEND_PATH
            body = json.dumps({"XML": ubl.decode("utf-8")}, ensure_ascii=False).encode("utf-8")
            headers = {**common, "Content-Type": "application/json", "ApiKey": self._key,
                       "PartyID": self.party_id, "Idempotent-Key": idempotency_key(number, resend)}
        else:
            url, body = self.url, ubl
            headers = {**common, "Content-Type": "application/xml", "Authorization": f"Bearer {self._key}",
                       "Idempotency-Key": idempotency_key(number, resend)}
        return PeppolRequest(number, self.provider, "POST", url, headers, body, (self._key,))

    def _message_id(self, response: httpx.Response) -> str | None:
        return (_message_id_billit if self.provider == "billit" else _message_id_generic)(response)

    def _say(self, text: str) -> str:
        return shorten(scrub(text, (self._key,)))

    # --- sending --------------------------------------------------------------------------

    def send(self, number: str, ubl: bytes, *, resend: int = 0) -> Attempt:
        """Deliver ``ubl`` to the access point; never raises for what the network or provider does."""
        return self.send_request(self.request_for(number, ubl, resend=resend))

    def send_request(self, request: PeppolRequest) -> Attempt:
        tries, waited = 0, 0.0
        while True:
            tries += 1
            try:
                response = self._http.request(request.method, request.url, headers=request.headers,
                                              content=request.body)
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.WriteError,
                    httpx.WriteTimeout, httpx.UnsupportedProtocol) as exc:
                return self._done(request, Attempt(PENDING, None, self._say(
                    f"the access point was not reached ({type(exc).__name__}: {exc})"), tries=tries))
            except (httpx.ReadTimeout, httpx.RemoteProtocolError, httpx.ReadError) as exc:
                return self._done(request, Attempt(PENDING, None, self._say(
                    f"no answer from the access point after the document was sent ({type(exc).__name__}: "
                    f"{exc}): it may have accepted it"), tries=tries, maybe_delivered=True))
            except httpx.HTTPError as exc:
                return self._done(request, Attempt(PENDING, None, self._say(f"{type(exc).__name__}: {exc}"),
                                                   tries=tries))
            status = response.status_code
            said = f"HTTP {status} {response.reason_phrase}".strip()
            if 200 <= status < 300:
                mid = self._message_id(response)
                detail = f"{said}: accepted" + (f" as {mid}" if mid else " (the answer named no message id)")
                return self._done(request, Attempt(SENT, mid, self._say(detail), tries=tries))
            words = provider_words(response)
            detail = self._say(f"{said}: {words}" if words else said)
            if status == 429 or status >= 500:
                asked = retry_after_seconds(response.headers.get("retry-after"))
                delay = asked if asked is not None else self.backoff * 2 ** (tries - 1)
                if tries >= self.max_tries or waited + delay > self.max_wait:
                    return self._done(request, Attempt(PENDING, None, detail, retry_after=delay, tries=tries))
                log.info("%s: %s; retrying in %.1f s", request.number, detail, delay)
                self._sleep(delay)
                waited += delay
                continue
            return self._done(request, Attempt(FAILED, None, detail, tries=tries))

    def _done(self, request: PeppolRequest, attempt: Attempt) -> Attempt:
        log.info("%s %s after %d request(s): %s", request.number, attempt.state, attempt.tries, attempt.detail)
        return attempt


__all__ = ["BILLIT_SEND_PATH", "PROVIDERS", "PeppolClient", "PeppolRequest", "idempotency_key",
           "provider_words", "retry_after_seconds"]
