"""A ceiling on request bodies, enforced before a route reads them.

The upload route counts the bytes it has read, but by then python-multipart has already spooled
the whole body to disk: a 5 GB POST would fill the temporary folder before any check ran. This
ASGI middleware refuses a declared ``Content-Length`` above the limit with 413 before reading a
byte, and cuts off a body that streams (chunked, or lying about its length) past the limit.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# The upload route's own limit (log.MAX_UPLOAD_BYTES), plus room for the multipart framing and
# the form token around the files.
MAX_BODY_BYTES = 200 * 1024 * 1024 + 1024 * 1024
TOO_LARGE = 413


def _too_large_message(limit: int) -> str:
    return f"that request is larger than {limit // (1024 * 1024) or 1} MB"


class BodySizeLimit:
    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await _refuse(scope, send, self.max_bytes)
            return
        seen = 0
        limit = self.max_bytes

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    # Raised inside the route's body parsing: FastAPI lets an HTTPException
                    # through unchanged, and the boundary renders it as a 413 page or JSON.
                    raise HTTPException(TOO_LARGE, _too_large_message(limit))
            return message

        await self.app(scope, counted, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None  # h11 refuses a malformed length before we see it
    return None


async def _refuse(scope: Scope, send: Send, limit: int) -> None:
    # Outside the app's exception handlers, so the answer is built here: JSON for the API, a
    # line of text for a browser (which shows it in place of the page).
    message = _too_large_message(limit)
    body: bytes
    if str(scope.get("path", "")).startswith("/api"):
        payload: dict[str, Any] = {"error": "TooLarge", "message": message, "hint": None}
        body, kind = json.dumps(payload).encode(), b"application/json"
    else:
        body, kind = message.encode(), b"text/plain; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": TOO_LARGE,
            "headers": [
                (b"content-type", kind),
                (b"content-length", str(len(body)).encode()),
                # The body was never read: the connection cannot carry another request.
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
