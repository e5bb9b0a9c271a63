"""Query isolation: a small pool of pre-started worker processes, each killed and replaced at its deadline.

Neither engine can be stopped from Python mid-query, and Oxigraph aborts or segfaults its whole process on some
queries, so user queries never run in the web server's process. Workers are started once and reused (a query costs
a pipe round trip, not a process start); results come back as serialized bytes.
"""

from __future__ import annotations

import os
import pickle
import selectors
import signal
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

_HEADER = struct.Struct(">I")
_PACKAGE_ROOT = str(Path(__file__).resolve().parent.parent)


class IsolationError(RuntimeError):
    """A query could not be answered by a worker; the message is safe to show."""

    retry_after = 5


class QueryTimeout(IsolationError):
    """The query ran past its deadline; its worker was killed."""


class WorkerCrashed(IsolationError):
    """The worker died during the query (memory limit, abort, segfault)."""


class PoolBusy(IsolationError):
    """Every worker stayed busy for as long as the request could wait."""

    retry_after = 2


class Worker:
    """One query worker process and the pipes to it."""

    def __init__(self, memory_mb: int):
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (_PACKAGE_ROOT, env.get("PYTHONPATH")) if p)
        env["MALLOC_ARENA_MAX"] = "2"  # fewer malloc arenas: less address space under the memory cap
        self.process = subprocess.Popen(
            [sys.executable, "-m", "server.qworker", str(int(memory_mb))],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, close_fds=True,
        )
        self.pid = self.process.pid
        self.ready = False
        self.queries = 0

    def alive(self) -> bool:
        """Whether the process is still running."""
        return self.process.poll() is None

    def call(self, request: dict, timeout: float, startup_timeout: float = 60.0) -> tuple:
        """Send one request and wait for its answer; raises QueryTimeout or WorkerCrashed."""
        if not self.ready:
            hello = self._read(time.monotonic() + startup_timeout, starting=True)
            if not (isinstance(hello, tuple) and hello[0] == "ready"):
                raise WorkerCrashed("a query worker failed to start")
            self.ready = True
        data = pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            self.process.stdin.write(_HEADER.pack(len(data)) + data)
            self.process.stdin.flush()
        except (BrokenPipeError, OSError):
            raise self._crashed() from None
        self.queries += 1
        return self._read(time.monotonic() + timeout)

    def _read(self, deadline: float, starting: bool = False):
        header = self._read_exactly(_HEADER.size, deadline, starting)
        (size,) = _HEADER.unpack(header)
        return pickle.loads(self._read_exactly(size, deadline, starting))

    def _read_exactly(self, size: int, deadline: float, starting: bool) -> bytes:
        fd = self.process.stdout.fileno()
        chunks, remaining = [], size
        with selectors.DefaultSelector() as selector:
            selector.register(fd, selectors.EVENT_READ)
            while remaining:
                left = deadline - time.monotonic()
                if left <= 0 or not selector.select(left):
                    if starting:
                        raise WorkerCrashed("a query worker did not start in time")
                    raise QueryTimeout("the query ran past the time limit and was stopped")
                chunk = os.read(fd, min(remaining, 1 << 20))
                if not chunk:
                    raise self._crashed()
                chunks.append(chunk)
                remaining -= len(chunk)
        return b"".join(chunks)

    def _crashed(self) -> WorkerCrashed:
        try:
            code = self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            code = None
        if code is not None and code < 0:
            name = signal.Signals(-code).name if -code in signal.valid_signals() else str(-code)
            how = {"SIGABRT": "the engine aborted (usually: out of memory)", "SIGSEGV": "the engine crashed",
                   "SIGKILL": "it was killed", "SIGXCPU": "it used too much CPU time"}.get(name, "")
            return WorkerCrashed(f"the query stopped its worker process ({name}{': ' + how if how else ''})")
        return WorkerCrashed(f"the query worker exited (status {code})")

    def kill(self) -> None:
        """SIGKILL the process and reap it (the only way to stop a query inside the engine)."""
        if self.alive():
            try:
                self.process.kill()
            except ProcessLookupError:
                pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except OSError:
                pass


class QueryPool:
    """Up to `size` workers; a request borrows an idle one, or waits for one."""

    def __init__(self, size: int = 2, memory_mb: int = 0):
        self.size = max(1, int(size))
        self.memory_mb = int(memory_mb)
        self._cond = threading.Condition()
        self._idle: list[Worker] = []
        self._busy: set[Worker] = set()
        self.owner_pid = os.getpid()
        self.stats = {"queries": 0, "timeouts": 0, "crashes": 0, "started": 0}
        self._closed = False

    def start(self) -> "QueryPool":
        """Start every worker now (they load their libraries while the server waits for requests)."""
        with self._cond:
            while len(self._idle) + len(self._busy) < self.size:
                self._idle.append(self._spawn())
        return self

    def _spawn(self) -> Worker:
        self.stats["started"] += 1
        return Worker(self.memory_mb)

    def pids(self) -> list[int]:
        """The process ids of the workers (for /-/health and tests)."""
        with self._cond:
            return sorted(w.pid for w in [*self._idle, *self._busy])

    def run(self, request: dict, *, timeout: float, wait: float | None = None) -> tuple:
        """Answer `request` in a worker within `timeout` seconds; raises an IsolationError otherwise."""
        worker = self._acquire(timeout if wait is None else wait)
        try:
            answer = worker.call(dict(request, timeout=timeout), timeout)
        except IsolationError as err:
            worker.kill()
            with self._cond:
                self.stats["timeouts" if isinstance(err, QueryTimeout) else "crashes"] += 1
                self._busy.discard(worker)
                if not self._closed:
                    self._idle.append(self._spawn())  # the replacement starts loading at once
                self._cond.notify()
            raise
        with self._cond:
            self.stats["queries"] += 1
            self._busy.discard(worker)
            self._idle.append(worker)
            self._cond.notify()
        return answer

    def _acquire(self, wait: float) -> Worker:
        deadline = time.monotonic() + wait
        with self._cond:
            while True:
                if self._closed:
                    raise PoolBusy("the server is shutting down")
                # Prefer a worker that has finished starting (a fresh replacement may still be loading).
                self._idle.sort(key=lambda w: not w.ready)
                while self._idle:
                    worker = self._idle.pop(0)
                    if worker.alive():
                        self._busy.add(worker)
                        return worker
                    worker.kill()  # died while idle (e.g. killed from outside): replace it
                if len(self._busy) < self.size:
                    worker = self._spawn()
                    self._busy.add(worker)
                    return worker
                left = deadline - time.monotonic()
                if left <= 0:
                    raise PoolBusy("every query worker is busy; try again shortly")
                self._cond.wait(left)

    def close(self) -> None:
        """Kill every worker (at shutdown)."""
        with self._cond:
            self._closed = True
            workers = [*self._idle, *self._busy]
            self._idle.clear()
            self._busy.clear()
        for worker in workers:
            worker.kill()
