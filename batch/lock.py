"""One command at a time (SPEC §8 T4): an OS lock (``fcntl.flock``) on a lock file in the workspace,
held for the life of the command and released by the operating system when the process ends, however
it ends (a crash, ``kill -9``): there is no stale lock to take over, and no race in taking one.

The lock file stays in the workspace; it holds who has (or last had) the lock, for the message that
a second command shows.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
from datetime import datetime
from pathlib import Path

from .problems import BijstandError

LOCK_FILE = ".bijstand.lock"


class WorkspaceLock:
    def __init__(self, workspace: Path, what: str):
        self.path = Path(workspace) / LOCK_FILE
        self.what = what
        self.fd: int | None = None

    def __enter__(self):
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as exc:  # a read-only or full workspace, a missing folder
            raise self._cannot(exc) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read(fd)
            os.close(fd)
            since = holder.get("since", "?")
            what = holder.get("what", "a command")
            raise BijstandError(
                f"another bijstand command is busy in this workspace since {since} ({what}, pid "
                f"{holder.get('pid', '?')}) — wait for it to finish, then run this command again") from None
        except OSError as exc:
            os.close(fd)
            raise self._cannot(exc) from None
        self.fd = fd
        info = json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "what": self.what,
                           "since": datetime.now().isoformat(timespec="seconds")}).encode()
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, info, 0)
        except OSError:
            pass  # the holder's note is informative only; the lock itself is held
        return self

    def _cannot(self, exc: OSError) -> BijstandError:
        return BijstandError(f"could not take the lock {self.path}: {exc.strerror or exc} — free disk space or "
                             "make the workspace writable, then run the same command again")

    def __exit__(self, *exc):
        if self.fd is not None:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_UN)
            finally:
                os.close(self.fd)
                self.fd = None


def _read(fd: int) -> dict:
    try:
        return json.loads(os.pread(fd, 4096, 0) or b"{}")
    except (OSError, ValueError):
        return {}


def busy(workspace: Path) -> dict | None:
    """Who holds the workspace lock right now (pid, what, since), or None when nobody does."""
    path = Path(workspace) / LOCK_FILE
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return _read(fd) or {"what": "a command"}
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)
