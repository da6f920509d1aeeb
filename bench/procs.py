"""Run a command as a child process and measure what the whole process tree used.

`statements add` may start worker processes (Whoosh's multiprocessing writer),
so the memory a user's machine must have is the sum over the tree, not the
peak of one process. Two figures are kept because neither alone is the truth:

- the sum of VmRSS over every process of the child's process group, sampled
  every `interval` seconds from /proc (counts pages that forked workers share
  with their parent once per process, so it can overstate; a short peak between
  two samples can be missed);
- the sum of Pss from /proc/<pid>/smaps_rollup in the same samples (shared pages
  split between the processes that map them: what the tree costs the machine);
- `ru_maxrss` from wait4(): the largest single process of the tree (the
  kernel's own peak, never missed, but blind to workers running side by side).

CPU time is the child's user + system time including its waited-for workers:
on a shared machine it holds where wall time does not.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")


@dataclass(frozen=True)
class Usage:
    """What one child process tree used."""

    returncode: int
    wall_s: float
    cpu_s: float  # user + system, the child and the workers it waited for
    peak_rss_mb: float  # sum of VmRSS over the process group, sampled
    peak_pss_mb: float  # sum of Pss over the process group, sampled
    maxrss_mb: float  # ru_maxrss of wait4: the largest single process
    processes: int  # most processes seen in the group at once
    stdout: str
    stderr: str


def _group(pgid: int) -> list[int]:
    """The pids whose process group is `pgid` (the child started a new session)."""
    pids = []
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # the process ended between listing and reading
            continue
        fields = stat[stat.rfind(")") + 2 :].split()
        if int(fields[2]) == pgid:  # state, ppid, pgrp
            pids.append(int(entry.name))
    return pids


def _kb(path: Path, key: str) -> int:
    try:
        for line in path.read_text().splitlines():
            if line.startswith(key):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def tree_memory(pgid: int) -> tuple[int, int, int]:
    """(sum of VmRSS kB, sum of Pss kB, process count) over the process group now."""
    pids = _group(pgid)
    rss = sum(_kb(PROC / str(p) / "status", "VmRSS:") for p in pids)
    pss = sum(_kb(PROC / str(p) / "smaps_rollup", "Pss:") for p in pids)
    return rss, pss, len(pids)


def run_measured(cmd: list[str], env: dict[str, str] | None = None, interval: float = 0.2) -> Usage:
    """Run `cmd` to its end in a new process group, sampling the group's memory."""
    peak = {"rss": 0, "pss": 0, "procs": 0}
    done = threading.Event()
    start = time.perf_counter()
    child = subprocess.Popen(
        cmd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        start_new_session=True,  # its own process group: the workers are found by pgid
    )

    def sample() -> None:
        while not done.is_set():
            rss, pss, n = tree_memory(child.pid)
            peak["rss"] = max(peak["rss"], rss)
            peak["pss"] = max(peak["pss"], pss)
            peak["procs"] = max(peak["procs"], n)
            done.wait(interval)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    # Read the pipes in threads so a chatty child cannot block on a full pipe while
    # this process sits in wait4 (communicate() would reap the child without rusage).
    out: dict[str, str] = {}

    def drain(name: str, stream: object) -> None:
        out[name] = stream.read()  # type: ignore[attr-defined]

    readers = [
        threading.Thread(target=drain, args=("stdout", child.stdout), daemon=True),
        threading.Thread(target=drain, args=("stderr", child.stderr), daemon=True),
    ]
    for r in readers:
        r.start()
    try:
        _, status, rusage = os.wait4(child.pid, 0)
    except BaseException:  # Ctrl-C or SIGTERM: its own session would outlive the bench
        os.killpg(child.pid, signal.SIGTERM)
        os.wait4(child.pid, 0)
        done.set()
        raise
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    done.set()
    sampler.join()
    for r in readers:
        r.join()
    return Usage(
        returncode=child.returncode,
        wall_s=wall,
        cpu_s=rusage.ru_utime + rusage.ru_stime,
        peak_rss_mb=peak["rss"] / 1024,
        peak_pss_mb=peak["pss"] / 1024,
        maxrss_mb=rusage.ru_maxrss / 1024,  # kB on Linux
        processes=peak["procs"],
        stdout=out.get("stdout", ""),
        stderr=out.get("stderr", ""),
    )
