"""Prefect flows: the daily pipeline, digests and source health, and their schedules."""

from flows.prefect_env import configure

configure()
