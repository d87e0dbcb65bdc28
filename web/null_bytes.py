"""Refusing addresses that carry a NUL character.

PostgreSQL stores no NUL in text and its driver fails on one in any query parameter, so a
"%00" in a calendar token, a message link or a review filter was a server error there (and
nothing on SQLite). No page of ours makes such an address, and no one types one: it is
refused before any handler reads it. Forms are not refused: what a user pasted is cleaned
field by field, as the profile's text is.
"""

from __future__ import annotations

from fastapi import HTTPException, Request

NUL = "\x00"


async def refuse_nul(request: Request) -> None:
    """An app-wide dependency: a path with NUL names no page (404); a query string holding
    one is a bad request (400)."""
    if NUL in request.scope["path"]:
        raise HTTPException(404)
    if any(NUL in key or NUL in value for key, value in request.query_params.multi_items()):
        raise HTTPException(400)
