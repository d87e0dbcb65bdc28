"""Scrapy settings of the callradar crawlers (``scrapy list``, ``scrapy crawl eu-portal``).

Mirror mode is switched on by ``CALLRADAR_MIRROR`` (the environment, ``.env`` or
``-s CALLRADAR_MIRROR=URL``); the ``MirrorMode`` add-on then turns throttling and the HTTP
cache off. The database is callradar's (``CALLRADAR_DATABASE_URL`` or the SQLite file in
the data folder).
"""

from __future__ import annotations

from callradar.settings import get_settings

BOT_NAME = "callradar"
SPIDER_MODULES = ["crawlers.spiders"]
NEWSPIDER_MODULE = "crawlers.spiders"

# An honest User-Agent naming the project; robots.txt names it "callradar".
USER_AGENT = "callradar/0.1 (funding-call radar of a Polish electronics and photonics cluster)"
ROBOTSTXT_OBEY = True
ROBOTSTXT_USER_AGENT = "callradar"

# One request at a time per site, at least a second apart, slower when a site slows down.
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 60
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
# Scrapy 2.19's remote control runs Python sent to a local HTTP port (its token in a file
# of the user's profile); an unattended crawl has no use for it, as for the telnet console.
REMOTE_CONTROL_ENABLED = False

# Retries with back-off on 5xx, 429, 408 and timeouts (crawlers.middlewares).
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_BACKOFF_BASE = 1.0
RETRY_BACKOFF_MAX = 30.0
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawlers.middlewares.BackoffRetryMiddleware": 550,
    # On the decompressed body (590), before anything reads its text.
    "crawlers.middlewares.PolishCharsetMiddleware": 585,
    # After robots.txt and the cache (lower numbers), so that both see the real URL.
    "crawlers.middlewares.MirrorMiddleware": 950,
}

# Conditional requests: the RFC 2616 policy stores ETag / Last-Modified and revalidates,
# and serves a page again only while the site says it is fresh.
HTTPCACHE_ENABLED = True
HTTPCACHE_POLICY = "scrapy.extensions.httpcache.RFC2616Policy"
HTTPCACHE_DIR = str(get_settings().data_dir / "httpcache")
HTTPCACHE_IGNORE_HTTP_CODES = [408, 429, 500, 502, 503, 504]

ITEM_PIPELINES = {
    "crawlers.pipelines.NormalisePipeline": 100,
    "crawlers.pipelines.StorePipeline": 900,
}
ADDONS = {"crawlers.middlewares.MirrorMode": 0}
EXTENSIONS = {"crawlers.extensions.CollectorTuning": 0}
# New objects between two collections of the youngest generation while crawling (Python's
# default is 700); 0 leaves the collector alone (crawlers.extensions).
CALLRADAR_GC_THRESHOLD = 10_000

CALLRADAR_MIRROR = get_settings().mirror
# A mirror on loopback answers at once; waiting long for it only slows down the fault tests.
CALLRADAR_MIRROR_TIMEOUT = get_settings().mirror_timeout
# None: the database of callradar's settings.
CALLRADAR_DATABASE_URL: str | None = None
# Stop a crawl that runs this long (seconds), so one hung source cannot hold the others.
CLOSESPIDER_TIMEOUT = 3600

# Scrapy reads a callback's source and parses it on every response to warn about a
# ``return`` in a generator (a development aid; ours are tested): a third of a mirror
# crawl's parsing time.
WARN_ON_GENERATOR_RETURN_VALUE = False

LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"
# No DEBUG record per scraped item unless DEBUG is shown (crawlers.logformatter).
LOG_FORMATTER = "crawlers.logformatter.CallLogFormatter"
