"""Watch the scheduling policy of every thread of a running process tree."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field


def _children() -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue  # exited meanwhile
        # the command name may hold spaces and parentheses: split after the last ")"
        ppid = int(stat.rsplit(b")", 1)[1].split()[1])
        found.setdefault(ppid, []).append(int(entry.name))
    return found


def tree(root: int) -> list[int]:
    """``root`` and its descendants (a forkserver's workers included)."""
    children, found, todo = _children(), [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


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
            for pid in tree(self.root):
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
