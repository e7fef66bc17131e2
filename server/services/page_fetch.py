"""Fetching a page's text for the console's "try it" box, only where the operator allowed it.

Off by default (``GLOSS_CONSOLE_FETCH``): fetching makes the server reach out to an address a
curator typed. Limits keep one fetch cheap: http(s) only, 10 seconds, 2 MB, text and HTML only.
The fetched text is used once and dropped; neither it nor the URL is logged.
"""

from __future__ import annotations

import urllib.error
import urllib.request

from server.errors import InvalidInput

TIMEOUT_SECONDS = 10
MAX_BYTES = 2 * 1024 * 1024
TEXT_TYPES = ("text/html", "text/plain", "application/xhtml+xml")


def fetch_text(url: str) -> str:
    """The body of ``url`` (already validated as http/https) as text; 422 when unusable."""
    request = urllib.request.Request(url, headers={"User-Agent": "Gloss console (try it)"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            kind = response.headers.get_content_type()
            if kind not in TEXT_TYPES:
                raise _refused(f"the page is {kind}, not text or HTML")
            body: bytes = response.read(MAX_BYTES + 1)
            charset = str(response.headers.get_content_charset() or "utf-8")
    except (urllib.error.URLError, TimeoutError, ValueError, OSError) as exc:
        raise _refused(f"could not fetch it ({type(exc).__name__})") from None
    if len(body) > MAX_BYTES:
        raise _refused("the page is larger than 2 MB")
    return body.decode(charset, errors="replace")


def _refused(why: str) -> InvalidInput:
    return InvalidInput(
        f"The page could not be used: {why}.", errors=[{"field": "url", "message": why}]
    )
