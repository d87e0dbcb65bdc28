"""The Scrapy project: one spider per funding source, items, pipelines and mirror mode."""
