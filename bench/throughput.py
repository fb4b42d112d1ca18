"""Throughput and memory of a full crawl against its two limits.

Run ``.venv/bin/python bench/throughput.py [--pages N ...]`` (default: 1,000
and 10,000 pages; ``--pages 200`` for a quick run). For each N it serves the
benchmark site (``bench/bigsite.py``) from its own process and measures:

(a) fetch only: a minimal Scrapy spider, no pipelines, fetches every article
    listed in the sitemap (the fetch limit);
(b) clean only: ``pipelines.cleaning.extract`` over the same pages in a loop
    in ONE process (the extraction limit of one core);
(c) newsvault: ``newsvault crawl`` through the real CLI (feed and sitemap
    discovery, robots.txt, WARC, clean text, publish to file://);
(d) clean, one process per core: (b) in two processes at once, half the pages
    each: what this machine's cores deliver together, the ceiling for (c). On a
    shared or virtual machine two busy vCPUs are not always twice one.

Every phase runs as a subprocess. CPU seconds are user+sys of the phase's
whole process tree: this process becomes a child subreaper, so pool workers
and the forkserver are reaped here and ``RUSAGE_CHILDREN`` counts them. Peak
RSS is the largest sum of resident memory over the tree, sampled from /proc
every 200 ms (pages shared between processes count once per process). "main
CPU" is the phase's own process alone (for (c): the reactor, without the
extraction workers), read from /proc up to 200 ms before it exits. The site's
server process is not counted in any phase; "site CPU" shows what it spent
serving the phase, on the same cores. The site renders every page before the
phases start, so serving takes little of the CPU the phases share. Every phase
runs under the scheduling policy ``newsvault crawl`` takes (``SCHED_BATCH``,
newsvault/batchjob.py), so they differ in their work only.
"""

from __future__ import annotations

import argparse
import ctypes
import gzip
import json
import logging
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

PR_SET_CHILD_SUBREAPER = 36
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
CONCURRENCY = 16


@dataclass
class Measure:
    name: str
    pages: int
    wall: float
    cpu: float
    peak_rss_mb: float
    main_cpu: float = 0.0
    site_cpu: float = 0.0

    @property
    def rate(self) -> float:
        return self.pages / self.wall if self.wall > 0 else 0.0


# --- process-tree accounting -------------------------------------------------


def become_subreaper() -> None:
    """Orphaned descendants (pool workers, forkserver) are reparented to us."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER) failed")


def _parents() -> dict[int, int]:
    parents = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        # the command name may hold spaces and parentheses: split after the last ")"
        fields = stat.rsplit(b")", 1)[1].split()
        parents[int(entry.name)] = int(fields[1])
    return parents


def descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for pid, ppid in _parents().items():
        children.setdefault(ppid, []).append(pid)
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def cpu_seconds(pid: int) -> float:
    """user+sys of one live process so far."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            fields = fh.read().rsplit(b")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * PAGE_SIZE
    except (OSError, IndexError):
        return 0


class TreeSampler:
    """Peak summed RSS of a process and its descendants, sampled in a thread."""

    def __init__(self, root: int, exclude: set[int], interval: float = 0.2) -> None:
        self.root, self.exclude, self.interval = root, exclude, interval
        self.peak = 0
        self.root_cpu = 0.0  # the last reading before the root process exits
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            # orphans reparented to us belong to the phase too; the server never does
            pids = [p for p in descendants(self.root) if p not in self.exclude]
            self.peak = max(self.peak, sum(rss_bytes(p) for p in pids))
            self.root_cpu = max(self.root_cpu, cpu_seconds(self.root))
            self._stop.wait(self.interval)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def reap_orphans(keep: set[int], timeout: float = 30.0) -> None:
    """Wait for every descendant but ``keep`` to exit and reap it, so its CPU counts."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with suppress(ChildProcessError):  # no child left to wait for
            while True:
                pid, _ = os.waitpid(-1, os.WNOHANG)
                if pid == 0:
                    break
        alive = [p for p in descendants(os.getpid()) if p != os.getpid() and p not in keep]
        if not alive:
            return
        time.sleep(0.05)
    raise RuntimeError(f"processes left behind by a phase: {alive}")


def run_phase(name: str, pages: int, argv: list[str], server: int, cwd: Path) -> Measure:
    """Run one phase as a subprocess; its own report (JSON, last stdout line) may
    narrow pages, wall and cpu to the measured loop."""
    # the code of the tree this file is in, not whatever the venv has installed
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
    }
    cpu0, site0, started = children_cpu(), cpu_seconds(server), time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    with TreeSampler(proc.pid, exclude={os.getpid(), server}) as sampler:
        out, err = proc.communicate()
    wall = time.perf_counter() - started
    site_cpu = cpu_seconds(server) - site0
    reap_orphans(keep={server})
    cpu = children_cpu() - cpu0
    if proc.returncode != 0:
        raise RuntimeError(f"{name} exited {proc.returncode}: {err.decode()[-3000:]}")
    lines = out.decode().strip().splitlines()
    report: dict[str, Any] = json.loads(lines[-1]) if lines and lines[-1][:1] == "{" else {}
    return Measure(
        name,
        int(report.get("pages", pages)),
        float(report.get("wall", wall)),
        float(report.get("cpu", cpu)),
        sampler.peak / 2**20,
        sampler.root_cpu,
        site_cpu,
    )


# --- the phases' subprocess entry points ------------------------------------


def fetch_only(base: str) -> int:
    """(a): fetch every article in the sitemap; nothing else runs on a response."""
    import scrapy
    from scrapy.crawler import AsyncCrawlerProcess
    from scrapy.http import Request, Response

    class FetchSpider(scrapy.Spider):
        name = "fetch"

        async def start(self) -> AsyncIterator[Request]:
            yield Request(f"{base}/sitemap.xml", callback=self.parse_sitemap)

        def parse_sitemap(self, response: Response) -> Iterator[Request]:
            for url in re.findall(r"<loc>([^<]+)</loc>", response.text):
                yield Request(url, callback=self.parse_page)

        def parse_page(self, response: Response) -> None:
            self.crawler.stats.inc_value("bench/pages")

    settings = {
        "LOG_LEVEL": "WARNING",
        "ROBOTSTXT_OBEY": False,
        "TELNETCONSOLE_ENABLED": False,
        "REMOTE_CONTROL_ENABLED": False,
        "COOKIES_ENABLED": False,
        "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "CONCURRENT_REQUESTS": CONCURRENCY,
        "CONCURRENT_REQUESTS_PER_DOMAIN": CONCURRENCY,
    }
    process = AsyncCrawlerProcess(settings)
    crawler = process.create_crawler(FetchSpider)
    process.crawl(crawler)
    process.start()
    assert crawler.stats is not None
    print(json.dumps({"fetched": crawler.stats.get_value("bench/pages", 0)}))
    return 0


def clean_parallel(pages: int) -> int:
    """(d): (b) in one process per core at once; only the cleaning calls are timed,
    from the moment every process has its pages ready."""
    import multiprocessing

    import bigsite

    from pipelines.cleaning import CleaningRules
    from pipelines.cleaning.extract import extract

    cores = os.cpu_count() or 1
    ready = multiprocessing.get_context("fork").Barrier(cores)
    results = multiprocessing.get_context("fork").Queue()

    def clean(share: range) -> None:
        rules = CleaningRules()
        html = [(i, bigsite.article_html(i)) for i in share]
        ready.wait()
        w0, c0 = time.perf_counter(), time.process_time()
        for index, page in html:
            extract(page, f"http://127.0.0.1{bigsite.article_path(index)}", rules)
        results.put((time.perf_counter() - w0, time.process_time() - c0))

    procs = [
        multiprocessing.get_context("fork").Process(target=clean, args=(range(k, pages, cores),))
        for k in range(cores)
    ]
    for proc in procs:
        proc.start()
    done = [results.get() for _ in procs]
    for proc in procs:
        proc.join()
    wall, cpu = max(w for w, _ in done), sum(c for _, c in done)
    print(json.dumps({"pages": pages, "wall": wall, "cpu": cpu}))
    return 0


def clean_only(pages: int) -> int:
    """(b): the cleaner alone in this one process; page generation is not timed."""
    import bigsite

    from pipelines.cleaning import CleaningRules
    from pipelines.cleaning.extract import extract

    rules, wall, cpu, found = CleaningRules(), 0.0, 0.0, 0
    for index in range(pages):
        html = bigsite.article_html(index)
        w0, c0 = time.perf_counter(), time.process_time()
        result = extract(html, f"http://127.0.0.1{bigsite.article_path(index)}", rules)
        wall += time.perf_counter() - w0
        cpu += time.process_time() - c0
        found += result is not None
    print(json.dumps({"pages": pages, "wall": wall, "cpu": cpu, "found": found}))
    return 0


def count_output(work: Path) -> tuple[int, int]:
    """(text records, WARC files) published by phase (c), as a sanity check."""
    records = 0
    for path in (work / "archive" / "text").rglob("*.jsonl.gz"):
        with gzip.open(path, "rb") as fh:
            records += sum(1 for _ in fh)
    return records, len(list((work / "archive" / "warc").rglob("*.warc.gz")))


# --- the benchmark ------------------------------------------------------------


@contextmanager
def serve(pages: int) -> Iterator[tuple[str, int]]:
    proc = subprocess.Popen(
        [sys.executable, str(REPO / "bench" / "bigsite.py"), "--pages", str(pages), "--prerender"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        base = proc.stdout.readline().strip()
        if not base.startswith("http://127.0.0.1:"):
            raise RuntimeError(f"benchmark site did not start: {base!r}")
        yield base, proc.pid
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if proc.stdout:
            proc.stdout.close()


def bench(
    pages: int, work: Path, phases: str, out: Callable[[str], None], round_: int = 0
) -> list[Measure]:
    import bigsite

    me = [sys.executable, str(Path(__file__).resolve())]
    results: list[Measure] = []
    with serve(pages) as (base, server):
        if "a" in phases:
            argv = [*me, "--fetch-only", base]
            results.append(run_phase("(a) fetch only", pages, argv, server, work))
        if "b" in phases:
            argv = [*me, "--clean-only", str(pages)]
            results.append(run_phase("(b) clean, 1 process", pages, argv, server, work))
        if "d" in phases:
            argv = [*me, "--clean-parallel", str(pages)]
            name = f"(d) clean, {os.cpu_count()} procs"
            results.append(run_phase(name, pages, argv, server, work))
        if "c" in phases:
            crawl = work / f"crawl-{pages}-{round_}"
            crawl.mkdir()
            config = bigsite.crawl_config(base, CONCURRENCY)
            (crawl / "newsvault.toml").write_text(config)
            argv = [sys.executable, "-m", "newsvault", "--config", "newsvault.toml", "crawl", "big"]
            results.append(run_phase("(c) newsvault crawl", pages, argv, server, crawl))
            records, warcs = count_output(crawl)
            out(f"  (c) published {records} text records in {warcs} WARC file(s)")
    return results


def ratios(results: list[Measure]) -> dict[str, float]:
    by = {m.name[:3]: m for m in results}
    if "(c)" not in by:
        return {}
    found = {f"c/{k[1]}": by["(c)"].rate / by[k].rate for k in ("(a)", "(b)", "(d)") if k in by}
    if "(b)" in by and "(d)" in by:
        found["d/b"] = by["(d)"].rate / by["(b)"].rate
    return found


def table(pages: int, results: list[Measure], out: Callable[[str], None]) -> None:
    out(f"N = {pages:,}")
    head = f"  {'phase':<22}{'pages':>7}{'wall s':>9}{'pages/s':>9}{'CPU s':>9}"
    out(head + f"{'CPU ms/page':>13}{'main CPU ms/page':>18}{'peak RSS MB':>13}{'site CPU s':>12}")
    for m in results:
        out(
            f"  {m.name:<22}{m.pages:>7}{m.wall:>9.1f}{m.rate:>9.1f}{m.cpu:>9.1f}"
            f"{1000 * m.cpu / max(m.pages, 1):>13.1f}"
            f"{1000 * m.main_cpu / max(m.pages, 1):>18.1f}{m.peak_rss_mb:>13.0f}"
            f"{m.site_cpu:>12.1f}"
        )
    found = ratios(results)
    if found:
        out("  " + "   ".join(f"{k} = {v:.2f}" for k, v in found.items()))


def main(argv: list[str] | None = None, out: Callable[[str], None] = print) -> int:
    parser = argparse.ArgumentParser(prog="bench/throughput.py")
    parser.add_argument("--pages", type=int, nargs="+", default=[1000, 10_000])
    parser.add_argument("--phases", default="abdc", help="which of a, b, d, c to run")
    parser.add_argument("--workdir", type=Path, help="keep the crawl output here")
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="run the phases this many times, one after another, and print the median ratios"
        " (a shared machine's speed drifts between phases)",
    )
    parser.add_argument("--fetch-only", metavar="BASE", help=argparse.SUPPRESS)
    parser.add_argument("--clean-only", type=int, metavar="N", help=argparse.SUPPRESS)
    parser.add_argument("--clean-parallel", type=int, metavar="N", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)  # trafilatura warns about odd pages
    if args.fetch_only or args.clean_only is not None or args.clean_parallel is not None:
        # A phase runs as the batch job `newsvault crawl` makes itself, so that the
        # phases differ in their work, not in how the kernel schedules them.
        from newsvault.batchjob import become_batch_job

        become_batch_job()
    if args.fetch_only:
        return fetch_only(args.fetch_only)
    if args.clean_only is not None:
        return clean_only(args.clean_only)
    if args.clean_parallel is not None:
        return clean_parallel(args.clean_parallel)
    become_subreaper()
    with tempfile.TemporaryDirectory(prefix="nv-bench-") as tmp:
        work = args.workdir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        out(f"{os.cpu_count()} CPU(s); concurrency {CONCURRENCY}; pages ≥ 150 KB each")
        for pages in args.pages:
            found: dict[str, list[float]] = {}
            for round_ in range(args.rounds):
                results = bench(pages, work, args.phases, out, round_)
                table(pages, results, out)
                for key, value in ratios(results).items():
                    found.setdefault(key, []).append(value)
            if args.rounds > 1 and found:
                medians = "   ".join(f"{k} = {statistics.median(v):.2f}" for k, v in found.items())
                out(f"N = {pages:,}, median of {args.rounds} rounds: {medians}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
