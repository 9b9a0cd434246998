"""``DaemonFleet``: N real daemons (``python -m monitor run`` subprocesses) on one config and one database,
and ``ChaosMonkey``, which SIGKILLs and restarts them at seeded random moments.

Each daemon runs in its own session (process group), so a SIGKILL takes its parse workers and resource
tracker with it, as a machine losing power would; its output goes to ``<workdir>/daemon-<i>.log``
(appended across restarts). The subprocesses import this checkout's ``monitor`` (``PYTHONPATH`` is set to
the repository root), whichever directory the caller runs from.

Example::

    with DaemonFleet(config_path, count=3, workdir=tmp_path) as fleet:
        fleet.upgrade()                      # newsmon db upgrade, once
        fleet.start_all()
        monkey = ChaosMonkey(fleet, seed=12)
        monkey.run(kills=3, restarts=2, gap_s=(3, 6))
        ...                                  # wait for the receiver to have everything
    assert not fleet.crashed()               # no daemon exited on its own
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

REPO = Path(__file__).resolve().parents[2]
STARTED = "daemon started"  # the daemon's log line once its scheduler runs


@dataclass(frozen=True)
class Crash:
    """A daemon that exited without being told to: its index, exit code and the end of its log."""

    index: int
    returncode: int
    log_tail: str


@dataclass(frozen=True)
class ChaosEvent:
    at: float  # time.monotonic()
    action: str  # "kill" or "restart"
    index: int


class DaemonFleet:
    def __init__(self, config: Path, count: int, workdir: Path) -> None:
        self.config = config
        self.count = count
        self.workdir = workdir
        self._procs: list[subprocess.Popen[bytes] | None] = [None] * count
        self._stopped: set[int] = set()  # killed or stopped by us: their exit is not a crash
        self._crashes: list[Crash] = []
        self._starts = [0] * count  # one STARTED line per start is expected in the daemon's log
        self.env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONUNBUFFERED": "1"}

    def __enter__(self) -> DaemonFleet:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop_all()

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "monitor", "--config", str(self.config), *args]

    def upgrade(self) -> None:
        """``newsmon db upgrade`` on the fleet's database (idempotent); AssertionError with its output."""
        done = subprocess.run(
            self.command("db", "upgrade"), capture_output=True, text=True, env=self.env, timeout=120
        )
        assert done.returncode == 0, f"db upgrade failed:\n{done.stdout}\n{done.stderr}"

    def log_path(self, index: int) -> Path:
        return self.workdir / f"daemon-{index}.log"

    def start(self, index: int) -> None:
        assert not self.alive(index), f"daemon {index} is already running"
        self._note_exit(index)
        with self.log_path(index).open("ab") as log:
            self._procs[index] = subprocess.Popen(
                self.command("run"),
                stdout=log,
                stderr=subprocess.STDOUT,
                env=self.env,
                cwd=self.workdir,
                start_new_session=True,
            )
        self._stopped.discard(index)
        self._starts[index] += 1

    def start_all(self) -> None:
        """Start every daemon at once (no waiting in between: concurrent starts are part of the test)."""
        for index in range(self.count):
            self.start(index)

    def wait_started(self, timeout_s: float = 60.0) -> None:
        """Wait until every running daemon has logged that it started (or one has exited)."""
        deadline = time.monotonic() + timeout_s
        for index in range(self.count):
            while (
                self.alive(index)
                and self.log_path(index).read_text(errors="replace").count(STARTED) < self._starts[index]
            ):
                assert time.monotonic() < deadline, f"daemon {index} did not start in {timeout_s} s"
                time.sleep(0.1)

    def alive(self, index: int) -> bool:
        proc = self._procs[index]
        return proc is not None and proc.poll() is None

    def alive_indexes(self) -> list[int]:
        return [index for index in range(self.count) if self.alive(index)]

    def kill(self, index: int) -> None:
        """SIGKILL the daemon and everything in its process group, and reap it."""
        proc = self._procs[index]
        assert proc is not None
        self._stopped.add(index)
        _kill_group(proc.pid)
        proc.wait(timeout=30)

    def stop_all(self, timeout_s: float = 30.0) -> None:
        """SIGTERM every running daemon (a clean stop), SIGKILL those still running after ``timeout_s``."""
        running = self.alive_indexes()
        for index in running:
            self._note_exit(index)
            self._stopped.add(index)
            proc = self._procs[index]
            assert proc is not None
            proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout_s
        for index in running:
            proc = self._procs[index]
            assert proc is not None
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.kill(index)
            else:  # a clean stop: the group's stragglers (a stuck worker) go too
                _kill_group(proc.pid)

    def crashed(self) -> list[Crash]:
        """Daemons that exited without being killed or stopped by the fleet (start-up races, tracebacks)."""
        for index in range(self.count):
            self._note_exit(index)
        return list(self._crashes)

    def log_text(self) -> str:
        return "".join(
            f"--- daemon {index} ---\n{self.log_path(index).read_text(errors='replace')}"
            for index in range(self.count)
            if self.log_path(index).exists()
        )

    def _note_exit(self, index: int) -> None:
        proc = self._procs[index]
        if proc is None or proc.poll() is None or index in self._stopped:
            return
        tail = self.log_path(index).read_text(errors="replace")[-2000:]
        self._crashes.append(Crash(index, proc.returncode, tail))
        self._stopped.add(index)


def _kill_group(pid: int) -> None:
    """SIGKILL the process group led by ``pid`` (the daemon's session), if anything of it is left."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


class ChaosMonkey:
    """SIGKILLs random running daemons of a fleet at random moments, restarting some; seeded, so a run
    kills the same daemons at the same offsets every time (the machine's timing still varies)."""

    def __init__(self, fleet: DaemonFleet, seed: int) -> None:
        self.fleet = fleet
        self.random = random.Random(seed)
        self.events: list[ChaosEvent] = []

    def run(
        self, kills: int, restarts: int, gap_s: tuple[float, float], restart_after_s: float = 0.5
    ) -> None:
        """``kills`` SIGKILLs ``gap_s`` apart (uniformly drawn); the first ``restarts`` of them are followed
        by a restart of the killed daemon after ``restart_after_s``, and the next gap counts from when it
        has started (a daemon killed while still importing would test nothing). The last running daemon
        is never killed without a restart to follow, so the fleet never ends empty."""
        assert restarts <= kills
        for number in range(kills):
            time.sleep(self.random.uniform(*gap_s))
            alive = self.fleet.alive_indexes()
            will_restart = number < restarts
            if not alive or (len(alive) == 1 and not will_restart):
                continue
            victim = self.random.choice(alive)
            self.fleet.kill(victim)
            self.events.append(ChaosEvent(time.monotonic(), "kill", victim))
            if will_restart:
                time.sleep(restart_after_s)
                self.fleet.start(victim)
                self.fleet.wait_started()
                self.events.append(ChaosEvent(time.monotonic(), "restart", victim))
