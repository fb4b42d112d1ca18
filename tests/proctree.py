"""Watch the scheduling policy of every thread of a running process tree."""

from __future__ import annotations

import os
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

# the benchmark's walk over /proc: a process and its descendants, workers included
from throughput import descendants


@dataclass
class PolicyWatch:
    """Polls, in a thread, the policy of each thread of ``root``'s tree until stopped."""

    root: int
    interval: float = 0.01
    # (pid, tid) -> every policy seen for that thread, in order
    seen: dict[tuple[int, int], list[int]] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def __enter__(self) -> PolicyWatch:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        assert self._thread is not None
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            for pid in descendants(self.root):
                try:
                    tids = [int(t) for t in os.listdir(f"/proc/{pid}/task")]
                except OSError:
                    continue
                for tid in tids:
                    try:
                        policy = os.sched_getscheduler(tid)
                    except OSError:
                        continue
                    self.seen.setdefault((pid, tid), []).append(policy)
            self._stop.wait(self.interval)

    def processes(self) -> set[int]:
        return {pid for pid, _ in self.seen}

    def not_batch(self) -> dict[tuple[int, int], list[int]]:
        """Threads seen under another policy than SCHED_BATCH, except the root's
        main thread before it switched (it starts under the default)."""
        odd = {}
        for (pid, tid), policies in self.seen.items():
            judged = policies[-1:] if (pid, tid) == (self.root, self.root) else policies
            if set(judged) != {os.SCHED_BATCH}:
                odd[(pid, tid)] = policies
        return odd
