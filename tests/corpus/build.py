"""Write the corpus to disk for inspection: ``python -m tests.corpus.build OUTDIR``.

The tests render pages in memory; this only helps a person look at them.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tests.corpus import pages


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0] if args else "corpus-pages")
    for page in pages():
        folder = out / page.outlet
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{page.slug}.html").write_text(page.html, encoding="utf-8")
        rows = ["label\tline", *(f"{label}\t{text}" for label, text in page.labels)]
        (folder / f"{page.slug}.labels.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
