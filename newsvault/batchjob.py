"""Run a bulk command as what it is to the kernel: a batch job.

A crawl is one process that wakes for every network event (the reactor) and
worker processes that clean pages without pause. Under Linux's default policy
each wake-up of the reactor may preempt a cleaning worker at once, several
times a page, and both lose their caches. ``SCHED_BATCH`` asks the scheduler
not to preempt on wake-up: the reactor runs when a time slice ends and handles
what arrived meanwhile in one go. A 1,000-page crawl spent 8 % less CPU a page
(bench/README.md, round 8). Nobody waits on a crawl interactively, and other
programs on the machine keep their wake-up preference over it.
"""

from __future__ import annotations

import logging
import os

logger = logging.getLogger(__name__)


def become_batch_job() -> bool:
    """Schedule the calling thread, and the threads and processes it starts
    from now on, as a batch job (Linux ``SCHED_BATCH``); ``False`` where the
    system has no such policy or refuses it (the command runs as before).

    Call it before the command starts threads or worker processes: each takes
    its policy from whoever starts it.
    """
    policy = getattr(os, "SCHED_BATCH", None)
    if policy is None:
        return False
    try:
        os.sched_setscheduler(0, policy, os.sched_param(0))
    except OSError as exc:  # a seccomp profile or a kernel without the policy
        logger.debug("kept the default scheduling policy: %s", exc)
        return False
    return True
