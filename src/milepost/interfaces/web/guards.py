"""What every request and answer passes through: ids checked before a route runs, the standard
security headers on every answer, and secrets kept out of the access log.

- Ids in paths (``/log/{activity_id}``, ``/api/athletes/{athlete_id}/…``) are 1 to 2³¹−1, the
  range of the id columns; anything else names nothing (404), without asking the database,
  which on PostgreSQL would fail on 2³¹ and on SQLite on 2⁶³.
- Headers: a Content-Security-Policy that allows only this site's scripts, no framing, no
  MIME sniffing, no Referer leaving the site (a feed or invite URL in the address bar must not
  travel to another site); ``Cache-Control: no-store`` on everything but static files, since
  pages and feeds carry health detail that a shared computer's cache must not keep.
- The access log sees ``/feeds/…/plan.ics`` with the secret replaced by ``…``: whoever reads
  the log must not be able to subscribe to the athlete's calendar (invites and password-reset
  links likewise).
"""

from __future__ import annotations

import logging
import re

from fastapi import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from milepost.bounds import MAX_ID
from milepost.errors import NotFoundError

CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        # htmx inserts its indicator styles as a <style> element; Chart.js sizes canvases inline.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
# FastAPI's Swagger page loads its bundle from jsDelivr and starts it with an inline script.
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; img-src 'self' data: "
    "https://fastapi.tiangolo.com; frame-ancestors 'none'"
)
DOCS_PATHS = ("/api/docs", "/api/docs/oauth2-redirect")
CACHEABLE_PREFIXES = ("/static/",)
SECRET_IN_PATH = re.compile(r"(/(?:feeds|invites|reset)/)[^/\s?\"]+")


async def check_path_ids(request: Request) -> None:
    """Every ``…_id`` path parameter is a whole number the id columns can hold."""
    for name, raw in request.path_params.items():
        if not name.endswith("_id"):
            continue
        text = str(raw)
        if not (text.isascii() and text.isdigit() and len(text) <= 10 and 1 <= int(text) <= MAX_ID):
            what = name.removesuffix("_id").replace("_", " ")
            shown = text if len(text) <= 24 else text[:24] + "…"
            raise NotFoundError(f"no {what} {shown}", hint="ids are whole numbers from 1")


class SecurityHeaders:
    """Adds the headers above to every HTTP answer (errors and 413s included)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        policy = DOCS_CSP if path in DOCS_PATHS else CSP
        cacheable = path.startswith(CACHEABLE_PREFIXES)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                present = {name.lower() for name, _ in headers}
                wanted = [
                    (b"content-security-policy", policy.encode()),
                    (b"x-frame-options", b"DENY"),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                ]
                if not cacheable:
                    wanted.append((b"cache-control", b"no-store"))
                headers += [(k, v) for k, v in wanted if k not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


def redact(text: str) -> str:
    """``/feeds/SECRET/plan.ics`` → ``/feeds/…/plan.ics`` (and the same for invites and
    reset links)."""
    return SECRET_IN_PATH.sub(r"\1…", text)


class RedactSecrets(logging.Filter):
    """A filter for uvicorn's access log (and any log that quotes a request path)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


def install_log_redaction() -> None:
    """Attach the filter to the loggers that print request paths (idempotent)."""
    for name in ("uvicorn.access", "uvicorn.error", "milepost.web"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactSecrets) for f in logger.filters):
            logger.addFilter(RedactSecrets())
