"""``python -m newsvault.demosite [--port P] [--log FILE]``: serve the demo site.

Prints the base URL on the first line of stdout once it is listening.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

from newsvault.demosite.server import SiteServer
from newsvault.demosite.site import build_site


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m newsvault.demosite")
    parser.add_argument("--bind", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--log", type=Path)
    args = parser.parse_args(argv)
    server = SiteServer(None, args.bind, args.port, args.log)
    server.site = build_site(server.base_url)
    print(server.base_url, flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
