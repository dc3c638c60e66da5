"""The demo's own processes: each child leads a process group of its own, dies with its parent,
and is found again through a pid file, so that Ctrl-C, `make stop` or a killed `make` ends them
all, and nothing else.

A pid file holds the pid and the process's start time; a stop acts only when both still match,
so a pid reused by an unrelated process after a crash is left alone.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

# prctl(2) option: the signal the kernel sends when the parent exits.
PR_SET_PDEATHSIG = 1


def parent_death_signal(sig: int = signal.SIGTERM) -> None:
    """Have Linux send `sig` to this process when its parent dies; elsewhere nothing."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, int(sig))


def child_start(
    args: list[str], *, stdout: IO | int | None = None, cwd: Path | None = None
) -> subprocess.Popen:
    """`args` in a new process group (its own children with it) that gets SIGTERM when this
    process dies, however it dies."""
    parent = os.getpid()

    def tie_to_parent() -> None:
        parent_death_signal()
        if os.getppid() != parent:  # the parent died before the signal was asked for
            os._exit(1)

    return subprocess.Popen(
        args,
        stdout=stdout,
        stderr=subprocess.STDOUT if stdout is not None else None,
        cwd=cwd,
        start_new_session=True,
        preexec_fn=tie_to_parent,
    )


def _stat(pid: int) -> list[str] | None:
    """/proc/<pid>/stat after the command name; None when the process is gone or a zombie, []
    where there is no /proc (then only its existence is known)."""
    if not Path("/proc/self").exists():
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            pass
        return []
    try:
        fields = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return None
    return None if fields[0] == "Z" else fields


def _identity(pid: int) -> str | None:
    """The process's start time since boot: with the pid, it names one process for good (a
    command line does not: a worker retitles itself)."""
    fields = _stat(pid)
    return None if fields is None else (fields[19] if fields else "")


def pid_file_write(path: Path, pid: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"pid": pid, "started": _identity(pid)}))


def pid_file_read(path: Path) -> int | None:
    """The recorded process if it still runs; None otherwise (a stale file is removed)."""
    try:
        recorded = json.loads(path.read_text())
        pid, started = int(recorded["pid"]), recorded["started"]
    except (FileNotFoundError, ValueError, KeyError, TypeError):
        return None
    if _identity(pid) is None or _identity(pid) != started:
        path.unlink(missing_ok=True)
        return None
    return pid


def _reap(pid: int) -> None:
    """Collect our own exited child, so that it stops counting as alive."""
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def _alive(pid: int, *, group: bool) -> bool:
    _reap(pid)
    if not group:
        return _stat(pid) is not None
    try:
        os.killpg(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    if not Path("/proc/self").exists():
        return True
    # Members that exited but are not yet reaped still count for killpg: look at each one.
    for entry in Path("/proc").glob("[0-9]*"):
        fields = _stat(int(entry.name))
        if fields and int(fields[2]) == pid:
            return True
    return False


def _gone(pid: int, *, group: bool, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while _alive(pid, group=group):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def process_stop(pid: int, *, group: bool = False, timeout: float = 20.0) -> None:
    """SIGTERM to the process (or its whole group), SIGKILL to what is left after `timeout`."""
    send = os.killpg if group else os.kill
    for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 5.0)):
        try:
            send(pid, sig)
        except ProcessLookupError:
            return
        if _gone(pid, group=group, timeout=wait):
            return


def pid_file_stop(path: Path, *, group: bool = False, timeout: float = 20.0) -> bool:
    """Stop the process a pid file records; False when none was running."""
    pid = pid_file_read(path)
    if pid is None:
        return False
    process_stop(pid, group=group, timeout=timeout)
    path.unlink(missing_ok=True)
    return True
