"""The browser page: ``/`` serves ``web/index.html`` and ``/static/*`` the files beside it.

Everything the page needs ships inside the package (no CDN, no web fonts), and a
Content-Security-Policy keeps the browser from reaching any other host.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse

from reelwright import __version__
from reelwright.errors import NotFound

WEB_DIR = Path(__file__).resolve().parents[2] / "web"
STATIC_DIR = WEB_DIR / "static"
PREFERRED_APP = "reelwright"
_NO_STORE = {"Cache-Control": "no-cache"}

router = APIRouter(include_in_schema=False)


def _app_name(request: Request) -> str:
    """The agent app name the page puts in ``{app}`` routes: ours if configured, else the first."""
    ctx = getattr(request.app.state, "ctx", None)
    names = sorted(getattr(ctx, "app_names", None) or {PREFERRED_APP})
    return PREFERRED_APP if PREFERRED_APP in names else names[0]


def _media_origin(request: Request) -> str:
    """Download links may point at ``public_url`` (a proxy in front of us); allow that origin."""
    ctx = getattr(request.app.state, "ctx", None)
    public = str(getattr(getattr(ctx, "settings", None), "public_url", "") or "")
    parts = urlsplit(public)
    return f" {parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def content_security_policy(media_origin: str = "") -> str:
    return ("default-src 'self'; script-src 'self'; style-src 'self'; "
            f"img-src 'self' data: blob:{media_origin}; media-src 'self' blob:{media_origin}; "
            "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
            "frame-ancestors 'self'; form-action 'self'")


@router.get("/")
def index(request: Request) -> HTMLResponse:
    """The single page; the app name and version are filled in for the page's API calls."""
    html = (WEB_DIR / "index.html").read_text(encoding="utf-8")
    html = html.replace("{{APP_NAME}}", _app_name(request)).replace("{{VERSION}}", __version__)
    headers = {**_NO_STORE, "Content-Security-Policy": content_security_policy(
        _media_origin(request)), "X-Content-Type-Options": "nosniff"}
    return HTMLResponse(html, headers=headers)


@router.get("/static/fonts/cjk.otf")
def cjk_font(request: Request) -> FileResponse:
    """The text font (bundled Noto Sans CJK unless ``font`` is set), for screens without a
    Chinese font of their own; the stylesheet names it last, so others never fetch it."""
    from reelwright.render.pipeline import resolve_font  # heavy; only when a browser asks

    ctx = getattr(request.app.state, "ctx", None)
    configured = str(getattr(getattr(ctx, "settings", None), "font", "") or "")
    path = Path(resolve_font(configured or None))
    if not path.is_file():
        raise NotFound("No CJK font is installed")
    return FileResponse(path, media_type="font/otf",
                        headers={"Cache-Control": "public, max-age=604800"})


@router.get("/static/{name:path}")
def static_file(name: str) -> FileResponse:
    """A file from ``web/static``; anything outside that folder is simply not found."""
    path = (STATIC_DIR / name).resolve()
    if not path.is_relative_to(STATIC_DIR) or not path.is_file():
        raise NotFound(f"No such file: /static/{name}")
    return FileResponse(path, headers={**_NO_STORE, "X-Content-Type-Options": "nosniff"})
