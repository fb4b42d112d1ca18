"""Benchmark clean-text extraction on the labelled corpus.

Run ``.venv/bin/python bench/extraction.py``. For trafilatura alone (precision
mode) and for newsvault with each boilerplate part alone and all together, prints
the share of ``article`` lines kept and of ``boilerplate`` lines leaked, per
outlet and overall, and the throughput in pages per second.
"""

from __future__ import annotations

import logging
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipelines.cleaning import CleaningRules
from tests.corpus import CorpusPage, pages
from tests.corpus.score import Score, newsvault_blocks, trafilatura_blocks

OFF = CleaningRules(cta=False, link_lists=False, site_learning=False)
MODES: dict[str, CleaningRules | None] = {
    "trafilatura": None,
    "no parts": OFF,
    "cta only": CleaningRules(cta=True, link_lists=False, site_learning=False),
    "link lists only": CleaningRules(cta=False, link_lists=True, site_learning=False),
    "site learning only": CleaningRules(cta=False, link_lists=False, site_learning=True),
    "all": CleaningRules(),
}


def run(rules: CleaningRules | None, corpus: list[CorpusPage]) -> dict[str, list[str]]:
    if rules is None:
        return {p.url: trafilatura_blocks(p) for p in corpus}
    return newsvault_blocks(corpus, rules)


def measure(
    rules: CleaningRules | None, corpus: list[CorpusPage]
) -> tuple[dict[str, Score], float]:
    started = time.perf_counter()
    blocks = run(rules, corpus)
    rate = len(corpus) / (time.perf_counter() - started)
    scores: dict[str, Score] = defaultdict(Score)
    for page in corpus:
        scores[page.outlet].add(page, blocks[page.url])
        scores["ALL"].add(page, blocks[page.url])
    return scores, rate


def main(argv: list[str] | None = None, out: Callable[[str], None] = print) -> int:
    args = sys.argv[1:] if argv is None else argv
    logging.basicConfig(level=logging.ERROR)  # trafilatura warns on every empty page
    corpus = pages()
    outlets = [*sorted({p.outlet for p in corpus}), "ALL"]
    out(f"{len(corpus)} pages; cells: article kept % / boilerplate leaked %")
    out(f"{'mode':<20}" + "".join(f"{o:>15}" for o in outlets) + f"{'pages/s':>10}")
    for name, rules in MODES.items():
        scores, rate = measure(rules, corpus)
        cells = "".join(
            f"{100 * scores[o].kept_share:>7.1f}/{100 * scores[o].leaked_share:<7.1f}"
            for o in outlets
        )
        out(f"{name:<20}{cells}{rate:>10.1f}")
        if "-v" in args:
            for line in scores["ALL"].missing_lines + scores["ALL"].leaked_lines:
                out(f"    {line[:140]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
