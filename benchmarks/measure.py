"""Measuring a child process: wall time, peak memory of its whole process tree, a time limit.

Memory is sampled from /proc every ``interval`` seconds over the child and all its descendants
(validation runs in a process pool): the sum of PSS (proportional set size, so pages shared by
forked workers are counted once) and the sum of RSS.  The samples are kept with their clock
times, so a caller can take the peak over part of the run (the build, not the queries after it).

>>> m = run_measured([sys.executable, "-c", "x = bytearray(50_000_000)"], timeout=60)
>>> m.returncode, m.timed_out, m.peak_pss() > 40 * 2**20
(0, False, True)
"""

from __future__ import annotations

import os
import platform
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

MIB = 2**20


def _children_map() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        ppid = int(stat[stat.rfind(b")") + 2:].split()[1])
        kids.setdefault(ppid, []).append(int(entry.name))
    return kids


def tree(pid: int) -> list[int]:
    """The process and all its descendants."""
    kids, out, todo = _children_map(), [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, ()))
    return out


def memory(pid: int) -> tuple[int, int]:
    """(PSS, RSS) in bytes of one process; (0, 0) when it is gone."""
    pss = rss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    pss = int(line.split()[1]) * 1024
                elif line.startswith("Rss:"):
                    rss = int(line.split()[1]) * 1024
    except OSError:
        try:
            with open(f"/proc/{pid}/status") as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        rss = pss = int(line.split()[1]) * 1024
        except OSError:
            pass
    return pss, rss


@dataclass
class Measured:
    returncode: int | None
    wall: float
    timed_out: bool
    started: float  # time.time() at start
    samples: list[tuple[float, int, int]] = field(default_factory=list)  # (time.time(), pss, rss)
    stdout: str = ""
    stderr: str = ""

    def peak_pss(self, start: float | None = None, end: float | None = None) -> int:
        return max((p for t, p, _ in self._window(start, end)), default=0)

    def peak_rss(self, start: float | None = None, end: float | None = None) -> int:
        return max((r for t, _, r in self._window(start, end)), default=0)

    def _window(self, start, end):
        return [s for s in self.samples if (start is None or s[0] >= start) and (end is None or s[0] <= end)]


def run_measured(cmd: list[str], *, timeout: float | None = None, interval: float = 0.2,
                 cwd: Path | None = None, env: dict | None = None, stop_when=None) -> Measured:
    """Run ``cmd``, sampling the memory of its process tree; kill the tree after ``timeout``
    seconds, or as soon as ``stop_when()`` (polled about once a second) returns true."""
    started = time.time()
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    samples: list[tuple[float, int, int]] = []
    stop = threading.Event()
    stopped = threading.Event()

    def sample() -> None:
        polled = 0.0
        while not stop.is_set():
            pss = rss = 0
            for pid in tree(proc.pid):
                p, r = memory(pid)
                pss, rss = pss + p, rss + r
            samples.append((time.time(), pss, rss))
            if stop_when is not None and time.time() - polled >= 1.0:
                polled = time.time()
                if stop_when():
                    stopped.set()
                    _kill(proc.pid)
                    return
            stop.wait(interval)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    timed_out = False
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        _kill(proc.pid)
        out, err = proc.communicate()
    finally:
        stop.set()
        sampler.join()
    return Measured(proc.returncode, time.perf_counter() - t0, timed_out or stopped.is_set(), started,
                    samples, out, err)


def _kill(pgid: int) -> None:
    """Kill the child's process group (it was started in a session of its own)."""
    try:
        os.killpg(pgid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def machine() -> dict:
    """What the numbers were measured on."""
    info = {"cores": os.cpu_count(), "python": platform.python_version(), "system": platform.platform()}
    if hasattr(os, "sched_getaffinity"):
        info["cores_available"] = len(os.sched_getaffinity(0))
    try:
        meminfo = Path("/proc/meminfo").read_text()
        total = next(l for l in meminfo.splitlines() if l.startswith("MemTotal:"))
        info["memory_gib"] = round(int(total.split()[1]) / 2**20, 1)
        model = next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines()
                      if l.startswith("model name")), None)
        info["cpu"] = model
        info["load_average"] = [round(x, 2) for x in os.getloadavg()]
    except (OSError, StopIteration):
        pass
    for module in ("pyoxigraph", "rdflib", "pyshacl"):
        try:
            from importlib.metadata import version
            info[module] = version(module)
        except Exception:  # noqa: BLE001 - informative only
            pass
    return info


if __name__ == "__main__":  # pragma: no cover
    print(machine())
