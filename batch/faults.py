"""Named fail points, for the crash-injection tests: a run can be killed (or made to hit a full
disk) at any named step, through the environment variable ``BIJSTAND_FAIL_AT``.

``BIJSTAND_FAIL_AT="file-written@3:kill"`` kills the process with SIGKILL the third time the point
``file-written`` is reached; ``:enospc`` raises "No space left on device" instead; without ``@N`` the
first time counts. Unset (always, outside tests), :func:`point` does nothing.

Points, in the order a run reaches them: ``read``, ``priced``, ``in-commit`` (inside the register
transaction, before COMMIT), ``committed``, ``file-written`` (each file in the staging folder),
``staged``, ``renamed``, ``written``; ``verify-read`` inside the register's integrity check, between
reading the documents and reading the billed coverage.

``:pause`` stops there until the test lets it go on: it creates ``$BIJSTAND_PAUSE_FILE.reached`` and
waits (at most a minute) for ``$BIJSTAND_PAUSE_FILE.go`` to exist — to run another command at exactly
that moment.
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
    if action == "pause":
        import time

        flag = os.environ.get("BIJSTAND_PAUSE_FILE", "bijstand-pause")
        open(flag + ".reached", "w").close()
        deadline = time.monotonic() + 60
        while not os.path.exists(flag + ".go") and time.monotonic() < deadline:
            time.sleep(0.05)
        return
    if action == "enospc":
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    if action == "eacces":
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
    os.kill(os.getpid(), signal.SIGKILL)
