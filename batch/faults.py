"""Named fail points, for the crash-injection tests: a run can be killed (or made to hit a full
disk) at any named step, through the environment variable ``BIJSTAND_FAIL_AT``.

``BIJSTAND_FAIL_AT="file-written@3:kill"`` kills the process with SIGKILL the third time the point
``file-written`` is reached; ``:enospc`` raises "No space left on device" instead; without ``@N`` the
first time counts. Unset (always, outside tests), :func:`point` does nothing.

Points, in the order a run reaches them: ``read``, ``priced``, ``in-commit`` (inside the register
transaction, before COMMIT), ``committed``, ``file-written`` (each file in the staging folder),
``staged``, ``renamed``, ``written``.
"""

from __future__ import annotations

import errno
import os
import signal

ENV = "BIJSTAND_FAIL_AT"
_seen: dict[str, int] = {}


def point(name: str) -> None:
    spec = os.environ.get(ENV)
    if not spec:
        return
    where, _, action = spec.partition(":")
    target, _, nth = where.partition("@")
    if target != name:
        return
    _seen[name] = _seen.get(name, 0) + 1
    if _seen[name] != int(nth or 1):
        return
    if action == "enospc":
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    if action == "eacces":
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
    os.kill(os.getpid(), signal.SIGKILL)
