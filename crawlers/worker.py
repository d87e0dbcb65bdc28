"""The crawl process: runs the named spiders together in one CrawlerProcess, then exits.

``crawlers.run.crawl`` starts it as a subprocess, because Twisted's reactor cannot be
started twice in one process (``ReactorNotRestartable``) and flows and tests crawl many
times. Mirror mode and the database come from callradar's settings (the environment).

    python -m crawlers.worker eu-portal=12 ncbr=13     # SOURCE=RUN_ID ...
"""

from __future__ import annotations

import os
import sys

from scrapy.crawler import CrawlerProcess
from scrapy.utils.project import get_project_settings


def main(argv: list[str]) -> int:
    """Crawl each ``SOURCE=RUN_ID`` of ``argv``; the spiders record their own runs."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawlers.settings")
    process = CrawlerProcess(get_project_settings())
    for pair in argv:
        name, _, run_id = pair.partition("=")
        process.crawl(name, run_id=int(run_id))
    process.start()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
