"""The crawl process: runs the named spiders together in one CrawlerProcess, then exits.

``crawlers.run.crawl`` starts it as a subprocess, because Twisted's reactor cannot be
started twice in one process (``ReactorNotRestartable``) and flows and tests crawl many
times. Mirror mode and the database come from callradar's settings (the environment).

    python -m crawlers.worker eu-portal=12 ncbr=13     # SOURCE=RUN_ID ...
"""

from __future__ import annotations

import gc
import os
import sys


def main(argv: list[str]) -> int:
    """Crawl each ``SOURCE=RUN_ID`` of ``argv``; the spiders record their own runs."""
    # Importing Scrapy, SQLAlchemy, pydantic and the project makes hundreds of thousands of
    # objects that live as long as the process: the garbage collector, which would walk
    # them all again and again while they are made, is off until they exist, and they are
    # then frozen out of its walks.
    gc.disable()
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawlers.settings")
    process = CrawlerProcess(get_project_settings())
    for pair in argv:
        name, _, run_id = pair.partition("=")
        process.crawl(name, run_id=int(run_id))
    gc.freeze()
    gc.enable()
    process.start()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
