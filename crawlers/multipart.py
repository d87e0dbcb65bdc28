"""multipart/form-data bodies whose parts are JSON files, as the EU search API wants them."""

from __future__ import annotations

import hashlib


def json_parts_body(parts: dict[str, str]) -> tuple[bytes, str]:
    """A multipart body with each value a file part of type application/json.

    Returns (body, Content-Type header). The boundary is derived from the content rather
    than random, so the same query is the same request: the HTTP cache and Scrapy's
    duplicate filter key requests by their body.
    """
    digest = hashlib.sha1(repr(sorted(parts.items())).encode()).hexdigest()[:24]
    boundary = f"callradar{digest}"
    lines: list[bytes] = []
    for name, value in parts.items():
        lines += [
            f"--{boundary}".encode(),
            f'Content-Disposition: form-data; name="{name}"; filename="blob"'.encode(),
            b"Content-Type: application/json",
            b"",
            value.encode(),
        ]
    lines += [f"--{boundary}--".encode(), b""]
    return b"\r\n".join(lines), f"multipart/form-data; boundary={boundary}"
