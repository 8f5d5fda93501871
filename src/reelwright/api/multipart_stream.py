"""Stream a multipart body straight into MediaSinks: memory stays flat whatever the size.

Starlette's ``request.form()`` would spool every file first; this reads ``request.stream()``
through python-multipart's push parser and hands each ``files`` part to its own sink.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from reelwright.api.intake import MediaSink
from reelwright.errors import BadRequest

MAX_FILES = 50
FIELD = "files"


class _Collector:
    def __init__(self, make_sink: Callable[[str | None], MediaSink]) -> None:
        self.make_sink = make_sink
        self.sinks: list[MediaSink] = []
        self.current: MediaSink | None = None
        self._field = b""
        self._value = b""
        self._headers: dict[bytes, bytes] = {}
        self.error: BadRequest | None = None

    def callbacks(self) -> dict[str, Any]:
        return {
            "on_part_begin": self.on_part_begin,
            "on_header_field": lambda d, s, e: self._add("_field", d[s:e]),
            "on_header_value": lambda d, s, e: self._add("_value", d[s:e]),
            "on_header_end": self.on_header_end,
            "on_headers_finished": self.on_headers_finished,
            "on_part_data": self.on_part_data,
            "on_part_end": self.on_part_end,
        }

    def _add(self, attr: str, data: bytes) -> None:
        setattr(self, attr, getattr(self, attr) + bytes(data))

    def on_part_begin(self) -> None:
        self._headers, self.current = {}, None

    def on_header_end(self) -> None:
        self._headers[self._field.lower()] = self._value
        self._field, self._value = b"", b""

    def on_headers_finished(self) -> None:
        _, params = parse_options_header(self._headers.get(b"content-disposition", b""))
        name = params.get(b"name", b"").decode("utf-8", "replace")
        filename = params.get(b"filename")
        if name != FIELD or filename is None:
            return  # other form fields are ignored (their bytes are dropped)
        if len(self.sinks) >= MAX_FILES:
            self.error = BadRequest(f"At most {MAX_FILES} files per upload")
            return
        self.current = self.make_sink(filename.decode("utf-8", "replace"))
        self.sinks.append(self.current)

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self.current is not None:
            self.current.write(bytes(data[start:end]))

    def on_part_end(self) -> None:
        if self.current is not None:
            self.current.finish()
        self.current = None


async def receive_files(request: Request,
                        make_sink: Callable[[str | None], MediaSink]) -> list[MediaSink]:
    """Every file of the ``files`` field, each sniffed, size-checked and on disk (or failed)."""
    _, params = parse_options_header(request.headers.get("content-type", ""))
    boundary = params.get(b"boundary")
    if not boundary:
        raise BadRequest("multipart/form-data body without a boundary")
    collector = _Collector(make_sink)
    parser = MultipartParser(boundary, collector.callbacks())  # type: ignore[arg-type]
    try:
        async for chunk in request.stream():
            parser.write(chunk)
            if collector.error is not None:
                raise collector.error
        parser.finalize()
    except BadRequest:
        _abort(collector.sinks)
        raise
    except Exception as exc:
        _abort(collector.sinks)
        raise BadRequest(f"Malformed multipart body: {exc}") from None
    unfinished = [s for s in collector.sinks if not s.done]
    if unfinished:
        _abort(collector.sinks)
        raise BadRequest("Malformed multipart body: a file part was cut off")
    return collector.sinks


def _abort(sinks: list[MediaSink]) -> None:
    for sink in sinks:
        sink.abort()
