"""Starting and stopping real server processes in tests (one place for the waiting and the clean-up)."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from typing import Callable


def wait_until(ready: Callable[[], bool], process: subprocess.Popen, *, timeout_s: float = 60.0) -> bool:
    """Poll `ready()` until it is true; False if the process exits or the time runs out."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if ready():
                return True
        except OSError:
            pass
        if process.poll() is not None:
            return False
        time.sleep(0.3)
    return False


def stop(process: subprocess.Popen, *, grace_s: float = 15.0) -> None:
    """Stop a process group started with start_new_session=True: TERM, then KILL if it lingers."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
