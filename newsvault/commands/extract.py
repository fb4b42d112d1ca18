"""``newsvault extract [--url URL] [--source NAME] FILE...``: clean saved pages."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from newsvault import app


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("extract", help="clean saved HTML pages, one JSON per file")
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    parser.add_argument(
        "--url", help="the URL the page came from (one file), for links and metadata"
    )
    parser.add_argument("--source", help="apply this source's rules and learned profile")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    # The cleaner (trafilatura) loads only for the commands that clean.
    from pipelines.cleaning import CleaningRules, SiteProfile, extractor_version
    from pipelines.cleaning.extract import extract

    rules = CleaningRules()
    profile = SiteProfile()
    if args.source:
        config = app.load(args)
        source = config.source(args.source)
        rules = CleaningRules(drop_selectors=source.drop_selectors)
        profile = SiteProfile.load(app.source_state_dir(config, source.key) / "profile.json")
    results = []
    status = 0
    for path in args.files:
        url = args.url or path.resolve().as_uri()
        try:
            html = path.read_bytes()
        except OSError as exc:
            print(f"newsvault extract: {path}: {exc.strerror}", file=sys.stderr)
            status = 1
            continue
        found = extract(html, url, rules)
        if found is not None:
            profile.observe(found.canonical_url or url, found.blocks, found.block_keys)
        results.append((path, url, found))
    for path, url, found in results:
        out: dict[str, object] = {"file": str(path), "url": url}
        if found is None:
            out.update(title=None, text=None)
        else:
            out.update(
                title=found.title,
                authors=found.authors,
                published=found.published,
                language=found.language,
                site_name=found.site_name,
                canonical_url=found.canonical_url,
                text="\n".join(profile.filter(found.blocks, found.block_keys)),
            )
        out["extractor"] = {
            "name": "newsvault",
            "version": extractor_version(),
            "config_hash": rules.config_hash(),
        }
        print(json.dumps(out, ensure_ascii=False))
    return status
