"""The sync SDK: one method per route of the wire contract, with the protocol's recovery rules.

Recovery, each applied at most once per call:

- 1001 (bad or expired token): ask for a new anonymous token and retry — only when this client
  manages its own anonymous token (it was not handed a fixed ``token``);
- 1002 (session not found): create a new session and retry — only with ``renew_session=True``,
  because the new session does not have the old one's uploads;
- 429 (rate limited): wait the server's Retry-After and retry, when that wait is at most
  ``max_retry_wait`` seconds; a longer wait is the caller's decision, so RateLimited is raised.
"""

from __future__ import annotations

import mimetypes
import os
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import IO, Any, TypeVar, cast
from urllib.parse import unquote, urlsplit

import httpx

from reelwright.client._errors import error_from_envelope, error_from_response
from reelwright.client._models import (
    Attribution,
    Balance,
    Media,
    RenderStatus,
    Session,
    SessionState,
    UploadResult,
)
from reelwright.client._sse import iter_messages
from reelwright.client._tokens import TokenFile
from reelwright.errors import (
    AuthFailed,
    BadRequest,
    RateLimited,
    RenderFailed,
    RenderTimeout,
    SessionNotFound,
)

T = TypeVar("T")

DEFAULT_URL = "http://127.0.0.1:8000"
DEFAULT_APP = "nemo_agent"

ByteProgress = Callable[[int, int], None]
"""Called with (bytes done, bytes total); total is 0 when the server did not say."""
FractionProgress = Callable[[float], None]
"""Called with a fraction 0..1."""


def default_base_url() -> str:
    """``REELWRIGHT_URL`` from the environment, else ``http://127.0.0.1:8000``."""
    return (os.environ.get("REELWRIGHT_URL") or DEFAULT_URL).rstrip("/")


class _CountingReader:
    """A file wrapper httpx can stream from, reporting each chunk it reads."""

    def __init__(self, fh: IO[bytes], on_read: Callable[[int], None]) -> None:
        self._fh = fh
        self._on_read = on_read

    def read(self, size: int = -1) -> bytes:
        chunk = self._fh.read(size)
        if chunk:
            self._on_read(len(chunk))
        return chunk

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._fh.seek(offset, whence)

    def tell(self) -> int:
        return self._fh.tell()

    def fileno(self) -> int:
        return self._fh.fileno()


class Client:
    """A Reelwright (or protocol-compatible) server.

    ``Client()`` with no token asks for an anonymous one on first use (and again on 1001);
    ``token_file`` keeps it, with its client id, between runs. Session-scoped calls use the
    current session (``session_id``), creating one on first use.
    """

    def __init__(
        self,
        base_url: str | None = None,
        *,
        token: str | None = None,
        client_id: str | None = None,
        app: str = DEFAULT_APP,
        attribution: Attribution | None = None,
        token_file: str | os.PathLike[str] | None = None,
        renew_session: bool = False,
        max_retry_wait: float = 60.0,
        timeout: float = 60.0,
        language: str = "en",
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = (base_url or default_base_url()).rstrip("/")
        self.app = app
        self.attribution = attribution if attribution is not None else Attribution()
        self.renew_session = renew_session
        self.max_retry_wait = max_retry_wait
        self.language = language
        self._sleep = sleep
        self._token_file = TokenFile(token_file) if token_file is not None else None
        saved_token, saved_client = (self._token_file.load(self.base_url)
                                     if self._token_file else (None, None))
        self.auto_token = token is None
        self.token = token or saved_token
        self.client_id = client_id or saved_client or f"rw-{uuid.uuid4().hex}"
        self.session: Session | None = None
        self._session_args = {"task_name": "Reelwright video", "language": language}
        self._http = httpx.Client(base_url=self.base_url, timeout=timeout, transport=transport,
                                  follow_redirects=True)

    # --- lifecycle
    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def session_id(self) -> str | None:
        return self.session.session_id if self.session else None

    def use_session(self, session_id: str, task_id: str = "") -> Session:
        """Work in an existing session (one this token owns)."""
        self.session = Session(session_id=session_id, task_id=task_id)
        return self.session

    # --- plumbing
    def _headers(self, *, auth: bool = True) -> dict[str, str]:
        headers = {"X-Client-Id": self.client_id, **self.attribution.headers()}
        if auth:
            headers["Authorization"] = f"Bearer {self.ensure_token()}"
        return headers

    def _recover(self, attempt: Callable[[], T], *, auth: bool = True,
                 session_route: bool = False) -> T:
        renewed_token = renewed_session = waited = False
        while True:
            try:
                return attempt()
            except AuthFailed:
                if not auth or not self.auto_token or renewed_token:
                    raise
                renewed_token = True
                self.anonymous_token()
            except SessionNotFound:
                if not session_route or not self.renew_session or renewed_session:
                    raise
                renewed_session = True
                self.create_session(**self._session_args)
            except RateLimited as exc:
                if waited or exc.retry_after > self.max_retry_wait:
                    raise
                waited = True
                self._sleep(max(0.0, float(exc.retry_after)))

    def _data(self, response: httpx.Response) -> Any:
        try:
            body = response.json()
        except ValueError:
            raise error_from_response(response) from None
        if not isinstance(body, dict) or not isinstance(body.get("code"), int):
            raise error_from_response(response)
        if body["code"] != 0 or response.is_error:
            raise error_from_envelope(body["code"], str(body.get("message") or ""),
                                      body.get("data"), http_status=response.status_code,
                                      headers=response.headers)
        return body.get("data")

    def _call(self, method: str, path: Callable[[], str] | str, *, auth: bool = True,
              session_route: bool = False, **kwargs: Any) -> Any:
        def attempt() -> Any:
            url = path() if callable(path) else path
            response = self._http.request(method, url, headers=self._headers(auth=auth),
                                          **kwargs)
            return self._data(response)

        return self._recover(attempt, auth=auth, session_route=session_route)

    def _sid(self, session_id: str | None) -> str:
        if session_id:
            return session_id
        if self.session is None:
            self.create_session(**self._session_args)
        assert self.session is not None
        return self.session.session_id

    # --- auth, sessions, credits
    def anonymous_token(self) -> str:
        """``POST /api/auth/anonymous-token``: a new anonymous token for this client id."""
        data = self._call("POST", "/api/auth/anonymous-token", auth=False)
        token = (data or {}).get("token") if isinstance(data, dict) else None
        if not token:
            raise BadRequest("the server answered without a token")
        self.token = str(token)
        self.auto_token = True
        if self._token_file is not None:
            self._token_file.save(self.base_url, token=self.token, client_id=self.client_id)
        return self.token

    def ensure_token(self) -> str:
        """The current token, asking for an anonymous one when there is none yet."""
        if self.token:
            return self.token
        return self.anonymous_token()

    def create_session(self, task_name: str = "Reelwright video",
                       language: str | None = None) -> Session:
        """``POST /api/tasks/me/with-session/{app}``; the new session becomes the current one."""
        self._session_args = {"task_name": task_name, "language": language or self.language}
        data = self._call("POST", f"/api/tasks/me/with-session/{self.app}",
                          json=dict(self._session_args))
        if not isinstance(data, dict) or not data.get("session_id"):
            raise BadRequest("the server answered without a session_id")
        self.session = Session(session_id=str(data["session_id"]),
                               task_id=str(data.get("task_id") or ""), raw=data)
        return self.session

    def balance(self) -> Balance:
        """``GET /api/credits/balance/simple``."""
        data = self._call("GET", "/api/credits/balance/simple") or {}
        return Balance(available=int(data.get("available", 0)), frozen=int(data.get("frozen", 0)),
                       total=int(data.get("total", 0)))

    # --- media
    def upload(self, paths: Sequence[str | os.PathLike[str]], *,
               progress: ByteProgress | None = None,
               session_id: str | None = None) -> UploadResult:
        """Upload files (multipart ``files``, all in one request), streamed from disk.

        Files the server refuses while keeping others come back in ``errors``; when it keeps
        none, the first refusal is raised (UnsupportedMedia, MediaTooLarge, ...)."""
        files = [Path(p) for p in paths]
        if not files:
            raise BadRequest("no files to upload")
        for path in files:
            if not path.is_file():
                raise BadRequest(f"not a file: {path}")
        total = sum(path.stat().st_size for path in files)

        def attempt() -> Any:
            sid = self._sid(session_id)
            sent = 0

            def on_read(n: int) -> None:
                nonlocal sent
                sent += n
                if progress is not None:
                    progress(min(sent, total), total)

            with ExitStack() as stack:
                parts: list[tuple[str, tuple[str, IO[bytes], str]]] = []
                for path in files:
                    fh = stack.enter_context(path.open("rb"))
                    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    reader = cast(IO[bytes], _CountingReader(fh, on_read))
                    parts.append(("files", (path.name, reader, kind)))
                response = self._http.post(f"/api/upload-video/{self.app}/me/{sid}",
                                           files=parts, headers=self._headers())
            return self._data(response)

        data = self._recover(attempt, session_route=session_id is None)
        return _upload_result(data)

    def import_urls(self, urls: Sequence[str], *,
                    session_id: str | None = None) -> UploadResult:
        """Ask the server to fetch media from URLs (``{"urls", "source_type": "url"}``)."""
        if not urls:
            raise BadRequest("no URLs to import")
        data = self._call("POST", lambda: f"/api/upload-video/{self.app}/me/"
                          f"{self._sid(session_id)}",
                          json={"urls": list(urls), "source_type": "url"},
                          session_route=session_id is None)
        return _upload_result(data)

    def state(self, session_id: str | None = None) -> SessionState:
        """``GET /api/state/{app}/me/{sid}/latest``."""
        data = self._call("GET", lambda: f"/api/state/{self.app}/me/{self._sid(session_id)}"
                          "/latest") or {}
        state: dict[str, Any] = data["state"] if isinstance(data.get("state"), dict) else data
        draft = state.get("draft")
        return SessionState(draft=draft if isinstance(draft, dict) and draft else None,
                            video_infos=state.get("video_infos"),
                            generated_media=state.get("generated_media"), raw=data)

    # --- the agent
    def _run_body(self, text: str, session_id: str | None) -> dict[str, Any]:
        return {"app_name": self.app, "user_id": "me", "session_id": self._sid(session_id),
                "new_message": {"role": "user", "parts": [{"text": text}]}}

    def run_sse(self, text: str, *, session_id: str | None = None,
                read_timeout: float | None = 600.0) -> Iterator[dict[str, Any]]:
        """One chat turn over ``POST /run_sse``: yields ADK event dicts as they arrive.

        Heartbeat comments are skipped; an ``event: error`` message is raised as its typed
        error. The iterator ends when the server closes the stream (the turn is over).
        """
        timeout = httpx.Timeout(self._http.timeout.connect, read=read_timeout,
                                write=self._http.timeout.write, pool=self._http.timeout.pool)

        def attempt() -> httpx.Response:
            request = self._http.build_request(
                "POST", "/run_sse", json=self._run_body(text, session_id), timeout=timeout,
                headers={**self._headers(), "Accept": "text/event-stream"})
            response = self._http.send(request, stream=True)
            kind = response.headers.get("content-type", "")
            if response.status_code == 200 and kind.startswith("text/event-stream"):
                return response
            try:
                response.read()
            finally:
                response.close()
            self._data(response)  # raises the envelope's error
            raise error_from_response(response)

        response = self._recover(attempt, session_route=session_id is None)
        try:
            for message in iter_messages(response.iter_lines()):
                try:
                    event = message.json()
                except ValueError:
                    continue
                if message.event == "error" or _is_error_envelope(event):
                    raise error_from_envelope(int(event.get("code", 500)),
                                              str(event.get("message") or "agent error"),
                                              event.get("data"))
                if isinstance(event, dict):
                    yield event
        finally:
            response.close()

    def run(self, text: str, *, session_id: str | None = None,
            read_timeout: float | None = 600.0) -> list[dict[str, Any]]:
        """One chat turn over ``POST /run``: the same events as ``run_sse``, as a list."""
        timeout = httpx.Timeout(self._http.timeout.connect, read=read_timeout,
                                write=self._http.timeout.write, pool=self._http.timeout.pool)

        def attempt() -> Any:
            response = self._http.post("/run", json=self._run_body(text, session_id),
                                       headers=self._headers(), timeout=timeout)
            try:
                body = response.json()
            except ValueError:
                raise error_from_response(response) from None
            if response.status_code == 200 and isinstance(body, list):
                return body
            return self._data(response)

        data = self._recover(attempt, session_route=session_id is None)
        return [e for e in data if isinstance(e, dict)] if isinstance(data, list) else []

    # --- export
    def start_render(self, draft: dict[str, Any], *, session_id: str | None = None,
                     format: str = "mp4", quality: str = "high",
                     render_id: str | None = None, **output: Any) -> RenderStatus:
        """``POST /api/render/proxy/lambda``: queue an export of ``draft``."""
        render_id = render_id or f"render_{int(time.time() * 1000)}"
        body = {"id": render_id, "sessionId": self._sid(session_id), "draft": draft,
                "output": {"format": format, "quality": quality, **output}}
        data = self._call("POST", "/api/render/proxy/lambda", json=body) or {}
        return RenderStatus.from_data(render_id, data if isinstance(data, dict) else {})

    def render_status(self, render_id: str) -> RenderStatus:
        """``GET /api/render/proxy/lambda/{id}``."""
        data = self._call("GET", f"/api/render/proxy/lambda/{render_id}") or {}
        return RenderStatus.from_data(render_id, data if isinstance(data, dict) else {})

    def wait_render(self, render_id: str, *, progress: FractionProgress | None = None,
                    poll_interval: float = 1.0, timeout: float = 3600.0) -> RenderStatus:
        """Poll until the export completes; RenderFailed when it fails, RenderTimeout when
        ``timeout`` seconds pass first."""
        deadline = time.monotonic() + timeout
        while True:
            status = self.render_status(render_id)
            if progress is not None:
                progress(1.0 if status.status == "completed" else status.progress)
            if status.status == "completed":
                return status
            if status.status == "failed":
                raise RenderFailed(f"export {render_id} failed: {status.error or 'unknown'}")
            if time.monotonic() >= deadline:
                raise RenderTimeout(f"export {render_id} still {status.status} "
                                    f"after {timeout:.0f} s")
            self._sleep(poll_interval)

    def download(self, url: str, dest: str | os.PathLike[str], *,
                 progress: ByteProgress | None = None) -> Path:
        """Stream ``url`` to ``dest`` (a folder keeps the server's file name). A partial file is
        never left under the final name."""
        target = Path(dest)
        absolute = httpx.URL(url) if urlsplit(url).scheme else httpx.URL(self.base_url + url)
        same_origin = absolute.host == httpx.URL(self.base_url).host and \
            absolute.port == httpx.URL(self.base_url).port
        headers = self._headers(auth=same_origin and bool(self.token))
        with self._http.stream("GET", absolute, headers=headers) as response:
            if response.is_error:
                response.read()
                raise error_from_response(response)
            if target.is_dir():
                target = target / _file_name(response, absolute)
            target.parent.mkdir(parents=True, exist_ok=True)
            total = int(response.headers.get("content-length") or 0)
            partial = target.with_name(target.name + ".part")
            done = 0
            try:
                with partial.open("wb") as fh:
                    for chunk in response.iter_bytes(1 << 16):
                        fh.write(chunk)
                        done += len(chunk)
                        if progress is not None:
                            progress(done, total)
                os.replace(partial, target)
            except BaseException:
                partial.unlink(missing_ok=True)
                raise
        return target

    def export(self, draft: dict[str, Any] | None = None, *,
               out_dir: str | os.PathLike[str] = ".", format: str = "mp4",
               quality: str = "high", session_id: str | None = None,
               progress: FractionProgress | None = None,
               download_progress: ByteProgress | None = None,
               poll_interval: float = 1.0, timeout: float = 3600.0) -> Path:
        """Render ``draft`` (default: the session's latest) and download it into ``out_dir``."""
        if draft is None:
            draft = self.state(session_id).draft
            if draft is None:
                raise BadRequest("nothing to export yet: the session has no draft")
        status = self.start_render(draft, session_id=session_id, format=format,
                                   quality=quality)
        final = self.wait_render(status.id, progress=progress, poll_interval=poll_interval,
                                 timeout=timeout)
        if not final.output_url:
            raise RenderFailed(f"export {status.id} completed without an output URL")
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        return self.download(final.output_url, out, progress=download_progress)


def _is_error_envelope(event: Any) -> bool:
    return (isinstance(event, dict) and isinstance(event.get("code"), int)
            and event["code"] != 0 and "message" in event and "content" not in event)


def _upload_result(data: Any) -> UploadResult:
    items: Any = data
    errors: list[dict[str, Any]] = []
    if isinstance(data, dict):
        errors = [e for e in data.get("errors") or [] if isinstance(e, dict)]
        for key in ("media", "video_infos", "files"):
            if isinstance(data.get(key), list):
                items = data[key]
                break
        else:
            items = [data] if data.get("id") or data.get("media_id") else []
    media = [Media.from_data(item) for item in items or [] if isinstance(item, dict)]
    return UploadResult(media=media, errors=errors)


def _file_name(response: httpx.Response, url: httpx.URL) -> str:
    disposition = response.headers.get("content-disposition", "")
    for part in disposition.split(";"):
        key, _, value = part.strip().partition("=")
        if key.lower() == "filename" and value:
            return Path(unquote(value.strip('"'))).name
    name = Path(unquote(url.path)).name
    return name if "." in name else f"{name or 'reelwright'}.mp4"
