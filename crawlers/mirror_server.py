"""A recorded-site server on loopback for mirror mode: serves a folder tree HOST/PATH.

A request ``GET|POST /HOST/PATH?QUERY`` is answered with the file ``ROOT/HOST/PATH``; with
a query string, with ``ROOT/HOST/PATH@QUERY`` where QUERY is the request's parameters sorted
by name (``search@apiKey=SEDIA&pageNumber=2&pageSize=50&text=***``), or when that file is
not there, with the path's own file (a site recorded without its query strings); a path
ending in ``/`` reads ``index.html`` there. Request bodies are not part of the key (the
sources page by query string); every request is logged with its body so tests can check
what was sent.
Faults (a status, a delay, a body) can be set per path prefix to test failing sources.

Run ``python -m crawlers.mirror_server tests/fixtures --port 8765`` for the demo.
"""

from __future__ import annotations

import argparse
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, quote, unquote, urlsplit

TYPES = {
    ".json": "application/json",
    ".html": "text/html; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
}


@dataclass(frozen=True, slots=True)
class Fault:
    """What to answer instead of the recorded file."""

    status: int = 500
    body: bytes = b""
    delay: float = 0.0
    content_type: str = "text/plain; charset=utf-8"
    # Answer this many requests so, then the recorded files again (None: every request).
    times: int | None = None


@dataclass(frozen=True, slots=True)
class LoggedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


def file_key(path_and_query: str) -> str:
    """The relative file name that answers ``/HOST/PATH?QUERY``."""
    parts = urlsplit(path_and_query)
    path = unquote(parts.path).lstrip("/")
    if not path or path.endswith("/"):
        path += "index.html"
    if parts.query:
        pairs = sorted(parse_qsl(parts.query, keep_blank_values=True))
        path += "@" + "&".join(f"{quote(k, safe='*')}={quote(v, safe='*')}" for k, v in pairs)
    return path


class MirrorServer(ThreadingHTTPServer):
    """Serves ``root`` on 127.0.0.1; ``start()`` runs it in a thread, ``url`` is its address."""

    daemon_threads = True

    def __init__(self, root: Path, port: int = 0) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.root = root.resolve()
        self.faults: dict[str, Fault] = {}
        self.log: list[LoggedRequest] = []
        self._thread: threading.Thread | None = None
        # Requests answered by each Fault object (a fault set anew starts again from 0).
        self._fault_hits: dict[int, int] = {}
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def start(self) -> MirrorServer:
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    def answer(self, path_and_query: str) -> tuple[int, str, bytes, float]:
        """(status, content type, body, delay) for a request path."""
        for prefix, fault in self.faults.items():
            if path_and_query.startswith(prefix) and self._fault_applies(fault):
                return fault.status, fault.content_type, fault.body, fault.delay
        for key in dict.fromkeys(
            [file_key(path_and_query), file_key(path_and_query.split("?")[0])]
        ):
            target = (self.root / key).resolve()
            if target.is_relative_to(self.root) and target.is_file():
                body = target.read_bytes()
                return 200, _content_type(target, body), body, 0.0
        return 404, "text/plain; charset=utf-8", b"not recorded", 0.0

    def _fault_applies(self, fault: Fault) -> bool:
        with self._lock:
            hits = self._fault_hits.get(id(fault), 0)
            if fault.times is not None and hits >= fault.times:
                return False
            self._fault_hits[id(fault)] = hits + 1
            return True


def _content_type(target: Path, body: bytes) -> str:
    suffix = Path(target.name.split("@", 1)[0]).suffix
    if suffix in TYPES:
        return TYPES[suffix]
    if body.lstrip()[:1] in (b"{", b"["):
        return "application/json"
    return "text/html; charset=utf-8"


class _Handler(BaseHTTPRequestHandler):
    server: MirrorServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._serve()

    def do_POST(self) -> None:  # noqa: N802
        self._serve()

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve(head=True)

    def _serve(self, head: bool = False) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.server.log.append(LoggedRequest(self.command, self.path, dict(self.headers), body))
        status, content_type, payload, delay = self.server.answer(self.path)
        if delay:
            time.sleep(delay)
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if not head:
                self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up waiting (a timeout fault): nothing left to answer.
            pass

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Quiet: the request log is kept in ``server.log``."""


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve recorded sites for mirror mode.")
    parser.add_argument("root", type=Path, nargs="?", default=Path("tests/fixtures"))
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    server = MirrorServer(args.root, args.port)
    print(f"Serving {server.root} at {server.url} (CALLRADAR_MIRROR={server.url})", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        server.server_close()


if __name__ == "__main__":
    main()
