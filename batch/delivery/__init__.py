"""Delivery transport (SPEC §11): what one attempt to hand a document over came to, and the
rules every channel shares — secrets come from the environment and never leave it.

The channels live beside this module: :mod:`batch.delivery.email` (SMTP),
:mod:`batch.delivery.peppol` (an access point over HTTP) and :mod:`batch.delivery.outbox`
(``--dry-run``: the same bytes, written to a folder). They do no bookkeeping: the register's
delivery table (D5) records each :class:`Attempt` they return.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..problems import BijstandError

SENT = "sent"  # the server / access point accepted it
FAILED = "failed"  # refused for good: a human must look (wrong address, invalid document, …)
PENDING = "pending"  # not handed over (yet): the next `bijstand send` tries again
STATES = (SENT, FAILED, PENDING)

REDACTED = "***"


@dataclass(frozen=True)
class Attempt:
    """The outcome of one delivery attempt of one document.

    ``detail`` holds the server's or provider's own words (``550 5.1.1 <x@y>: user unknown``,
    a validation message of the access point), never a secret. ``message_id`` is the
    Message-ID of an accepted e-mail or the access point's id of an accepted Peppol message.
    ``retry_after`` (seconds) is set when the other side asked to come back later.
    ``tries`` counts the requests made (retries of 429/5xx included). ``maybe_delivered`` is
    True when the whole message went out and no answer came back (a timeout or a dropped
    connection after the last byte): the other side may have accepted it, so repeating it may
    deliver it twice — the register's ``uncertain`` (D5).
    """

    state: str  # sent | failed | pending
    message_id: str | None
    detail: str
    retry_after: float | None = None
    tries: int = 1
    maybe_delivered: bool = False

    @property
    def ok(self) -> bool:
        return self.state == SENT


class DeliveryConfigError(BijstandError):
    """Delivery cannot start: a setting or an environment variable is missing; the message says which."""

    exit_code = 2


def secret_from_env(name: str, what: str, table: str, key: str,
                    environ: Mapping[str, str] | None = None) -> str:
    """The secret held by environment variable ``name`` (SPEC §11 D2: never in bijstand.toml).

    >>> secret_from_env("K", "the API key", "delivery.peppol", "api_key_env", {"K": " s3cret "})
    's3cret'
    >>> secret_from_env("K", "the API key", "delivery.peppol", "api_key_env", {})
    Traceback (most recent call last):
    ...
    batch.delivery.DeliveryConfigError: environment variable K is not set: it must hold the API key ([delivery.peppol] api_key_env = "K"). Set it in the shell that runs bijstand (export K=...), never in bijstand.toml.
    """
    env = os.environ if environ is None else environ
    value = (env.get(name) or "").strip() if name else ""
    if not value:
        raise DeliveryConfigError(
            f"environment variable {name or '(none)'} is not set: it must hold {what} "
            f"([{table}] {key} = \"{name}\"). Set it in the shell that runs bijstand "
            f"(export {name or 'NAME'}=...), never in bijstand.toml.")
    return value


def scrub(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every occurrence of a secret replaced by ``***`` (a server may echo it).

    >>> scrub("bad key s3cret!", ["s3cret", ""])
    'bad key ***!'
    """
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    return text


def shorten(text: str, limit: int = 600) -> str:
    """One line of at most ``limit`` characters (server answers can be whole HTML pages).

    >>> shorten("a\\n  b\\r\\nc")
    'a b c'
    >>> shorten("x" * 10, 5)
    'xxxx…'
    """
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


__all__ = ["Attempt", "DeliveryConfigError", "FAILED", "PENDING", "REDACTED", "SENT", "STATES",
           "scrub", "secret_from_env", "shorten"]
