"""The recorded-site server of mirror mode: which file answers which request."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

import pytest

from crawlers.mirror_server import MirrorServer


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_query_specific_file_then_the_paths_own_then_404(tmp_path: Path) -> None:
    site = tmp_path / "example.org" / "calls"
    site.mkdir(parents=True)
    (site / "list.html").write_text("any page")
    (site / "list.html@page=2").write_text("page two")
    (tmp_path / "secret.txt").write_text("outside")
    server = MirrorServer(tmp_path / "example.org").start()
    try:
        base = f"{server.url}"
        assert fetch(f"{base}/calls/list.html?page=2") == (200, b"page two")
        # Recorded without its query string: the path's own file answers.
        assert fetch(f"{base}/calls/list.html?page=3") == (200, b"any page")
        assert fetch(f"{base}/calls/list.html") == (200, b"any page")
        assert fetch(f"{base}/calls/other.html?page=2")[0] == 404
        # Nothing outside the recorded folder is served.
        assert fetch(f"{base}/../secret.txt")[0] == 404
        assert fetch(f"{base}/%2e%2e/secret.txt")[0] == 404
    finally:
        server.stop()


@pytest.mark.parametrize("path", ["/calls/", "/calls/?page=1"])
def test_a_folder_reads_its_index(tmp_path: Path, path: str) -> None:
    (tmp_path / "calls").mkdir()
    (tmp_path / "calls" / "index.html").write_text("<ul></ul>")
    server = MirrorServer(tmp_path).start()
    try:
        assert fetch(f"{server.url}{path}") == (200, b"<ul></ul>")
    finally:
        server.stop()
