"""Scrapy settings every newsvault crawl starts from.

Scrapy's own defaults suit a one-off scrape; an archive that runs unattended
against hostile input needs tighter ones. Per-source and per-run values are
layered on top by :mod:`newsvault.crawlsettings`. Credentials never go here:
Scrapy logs its overridden settings in clear text.
"""

from __future__ import annotations

from typing import Any

MIB = 1024 * 1024

DEFAULTS: dict[str, Any] = {
    "BOT_NAME": "newsvault",
    "LOG_LEVEL": "INFO",
    # The CLI configures logging; Scrapy must not add a second root handler.
    "LOG_INSTALL_ROOT_HANDLER": False,
    # Politeness, as `scrapy startproject` suggests, throttled by observed latency.
    "ROBOTSTXT_OBEY": True,
    "DOWNLOAD_DELAY": 1.0,
    "CONCURRENT_REQUESTS": 16,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 2,
    "AUTOTHROTTLE_ENABLED": True,
    "AUTOTHROTTLE_TARGET_CONCURRENCY": 2.0,
    # 1 GiB and 180 s are Scrapy's defaults: far too generous for news pages.
    "DOWNLOAD_MAXSIZE": 20 * MIB,
    "DOWNLOAD_WARNSIZE": 5 * MIB,
    "DOWNLOAD_TIMEOUT": 30,
    "DNS_TIMEOUT": 15,
    "REDIRECT_MAX_TIMES": 5,
    "RETRY_TIMES": 2,
    "MEMUSAGE_ENABLED": True,
    "MEMUSAGE_LIMIT_MB": 2048,
    # Bounded queues, so a site of any size crawls in flat memory. The frontier
    # lives on disk: each run gets a JOBDIR of its own (see crawlsettings), which
    # makes the scheduler use disk queues; it is never resumed (a resumed JOBDIR
    # does not survive kill -9). Responses waiting for the item pipelines are
    # capped in bytes: past the cap the engine stops taking downloaded responses.
    "SCRAPER_SLOT_MAX_ACTIVE_SIZE": 8 * MIB,
    # Scrapy starts this many asyncio tasks for every response's output (150 us a
    # response at 16, 20 us at 1). An article yields one item and a discovery page
    # only requests, so more would never run at once; pages still clean in parallel.
    "CONCURRENT_ITEMS": 1,
    # A dropped ArticlePage would be logged with its whole body; stats count the reasons.
    "DEFAULT_DROPITEM_LOG_LEVEL": "INFO",
    # Anonymous fetching: no cookie jar, so no session cookies reach the archive.
    "COOKIES_ENABLED": False,
    # Both run an interactive endpoint inside the crawler; an archive needs neither.
    "TELNETCONSOLE_ENABLED": False,
    "REMOTE_CONTROL_ENABLED": False,
    "FEEDS": {},
    # News is on the web: file:, data:, s3: and ftp: URLs are refused by the egress
    # check anyway, so their handlers are not loaded (nor imported at start).
    "DOWNLOAD_HANDLERS": {"file": None, "data": None, "s3": None, "ftp": None},
    # Scrapy reads each callback's source to warn about generators that return a
    # value, per response; ours are checked by our linters, not at crawl time.
    "WARN_ON_GENERATOR_RETURN_VALUE": False,
    # Seen requests in SQLite in the run's JOBDIR, not in a set that grows with the site.
    "DUPEFILTER_CLASS": "spiders.dupefilter.DiskDupeFilter",
    # Scrapy's in-memory stats without a wrapper on every access (newsvault/stats.py).
    "STATS_CLASS": "newsvault.stats.DirectStatsCollector",
    # A development aid that looks at every request a callback yields for meta
    # keys copied from the response; our spiders build each request's meta afresh.
    "SPIDER_MIDDLEWARES": {"scrapy.spidermiddlewares.metacopy.MetaCopyDetectionMiddleware": None},
    "DOWNLOADER_MIDDLEWARES": {
        "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
        "spiders.egress.EgressCheckMiddleware": 40,
        "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
        "spiders.offsite.CountingOffsiteMiddleware": 50,
        "spiders.robots.StrictRobotsTxtMiddleware": 100,
        "spiders.conditional.ConditionalRequestMiddleware": 560,
        "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
        "spiders.metarefresh.HeadMetaRefreshMiddleware": 580,
    },
    # Scrapy's base extensions minus RemoteControl. Switched off, it is still
    # imported (with aiohttp, about 0.1 s at every crawl's start): Scrapy loads
    # every class listed in EXTENSIONS_BASE to merge the list with EXTENSIONS.
    # tests/test_startup.py keeps this list in step with Scrapy's.
    "EXTENSIONS_BASE": {
        "scrapy.extensions.corestats.CoreStats": 0,
        "scrapy.extensions.logcount.LogCount": 0,
        "scrapy.extensions.telnet.TelnetConsole": 0,
        "scrapy.extensions.memusage.MemoryUsage": 0,
        "scrapy.extensions.memdebug.MemoryDebugger": 0,
        "scrapy.extensions.closespider.CloseSpider": 0,
        "scrapy.extensions.feedexport.FeedExporter": 0,
        "scrapy.extensions.logstats.LogStats": 0,
        "scrapy.extensions.spiderstate.SpiderState": 0,
        "scrapy.extensions.throttle.AutoThrottle": 0,
    },
    "EXTENSIONS": {
        "scrapy.extensions.telnet.TelnetConsole": None,
        # With a JOBDIR it would replace the spider's own `state` (the archived set).
        "scrapy.extensions.spiderstate.SpiderState": None,
        "pipelines.warcrecorder.WarcRecorderExtension": 100,
        "pipelines.manifest.RunManifestExtension": 900,
    },
    "ITEM_PIPELINES": {
        "pipelines.extraction.ExtractionPipeline": 300,
        "pipelines.textwriter.TextWriterPipeline": 800,
    },
    # newsvault's own components, each with an _ENABLED switch.
    "NEWSVAULT_WARC_ENABLED": True,
    "NEWSVAULT_WARC_MAX_SIZE": 1024 * MIB,
    "NEWSVAULT_WARC_PREFIX": "newsvault",
    # Each record's gzip member: ISA-L is ~12x faster than zlib 6 (see pipelines/warcgzip.py).
    "NEWSVAULT_WARC_COMPRESSOR": "isal",
    "NEWSVAULT_WARC_GZIP_LEVEL": None,  # None: the compressor's default (isal 2, zlib 6)
    "NEWSVAULT_EXTRACT_ENABLED": True,
    "NEWSVAULT_EXTRACT_WORKERS": 0,  # one per core
    "NEWSVAULT_EXTRACT_TIMEOUT": 30.0,
    "NEWSVAULT_EXTRACT_MAX_BYTES": 5 * MIB,
    "NEWSVAULT_EXTRACT_MAX_IN_FLIGHT": 0,  # pages in or waiting for the pool; 0: 4 per worker
    "NEWSVAULT_TEXT_ENABLED": True,
    "NEWSVAULT_TEXT_BATCH": 500,
    "NEWSVAULT_EGRESS_CHECK_ENABLED": True,
    "NEWSVAULT_ALLOW_PRIVATE_HOSTS": [],
    "NEWSVAULT_MAX_SECTION_PAGES": 5,
}
