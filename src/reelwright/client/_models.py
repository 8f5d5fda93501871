"""Typed results of the SDK's calls. Each keeps the server's ``raw`` data for fields it adds."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from reelwright import __version__


@dataclass(frozen=True)
class Attribution:
    """Who is calling: sent as X-Skill-Source / X-Skill-Version / X-Skill-Platform."""

    source: str = "reelwright-sdk"
    version: str = __version__
    platform: str = "python"

    def headers(self) -> dict[str, str]:
        return {"X-Skill-Source": self.source, "X-Skill-Version": self.version,
                "X-Skill-Platform": self.platform}


@dataclass(frozen=True)
class Session:
    """A work session (``sid`` in routes) and the task it belongs to."""

    session_id: str
    task_id: str
    raw: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass(frozen=True)
class Balance:
    """Credits: ``total == available + frozen``."""

    available: int
    frozen: int
    total: int


@dataclass(frozen=True)
class Media:
    """One uploaded or imported file as the server recorded it."""

    id: str
    name: str
    kind: str
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_data(cls, item: dict[str, Any]) -> Media:
        media_id = item.get("id") or item.get("media_id") or ""
        return cls(id=str(media_id), name=str(item.get("name") or ""),
                   kind=str(item.get("kind") or item.get("type") or ""), raw=item)


@dataclass(frozen=True)
class UploadResult:
    """What one upload request kept (``media``) and refused (``errors``: name, code, message).

    Iterating it iterates the kept media.
    """

    media: list[Media]
    errors: list[dict[str, Any]] = field(default_factory=list)

    def __iter__(self) -> Iterator[Media]:
        return iter(self.media)

    def __len__(self) -> int:
        return len(self.media)

    @property
    def ids(self) -> list[str]:
        return [m.id for m in self.media]


@dataclass(frozen=True)
class SessionState:
    """``GET /api/state/...``: the latest draft (``None`` before the first turn) and media."""

    draft: dict[str, Any] | None
    video_infos: Any
    generated_media: Any
    raw: dict[str, Any] = field(default_factory=dict, repr=False)


RENDER_DONE = frozenset({"completed", "failed"})


@dataclass(frozen=True)
class RenderStatus:
    """One look at an export: ``status`` queued / rendering / completed / failed."""

    id: str
    status: str
    progress: float
    output_url: str | None
    error: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def done(self) -> bool:
        return self.status in RENDER_DONE

    @classmethod
    def from_data(cls, render_id: str, data: dict[str, Any]) -> RenderStatus:
        output = data.get("output") if isinstance(data.get("output"), dict) else {}
        error = data.get("error") or data.get("message")
        return cls(id=str(data.get("id") or render_id), status=str(data.get("status") or ""),
                   progress=_fraction(data.get("progress")),
                   output_url=(output or {}).get("url") or None,
                   error=str(error) if error else None, raw=data)


def _fraction(value: Any) -> float:
    """The wire's ``progress`` is a percentage (0..100); the SDK reports a fraction 0..1."""
    try:
        number = float(value) / 100.0
    except (TypeError, ValueError):
        return 0.0
    return max(0.0, min(1.0, number))


def event_text(event: dict[str, Any]) -> str:
    """The text parts of one ADK event, joined (thoughts excluded)."""
    parts = (event.get("content") or {}).get("parts") or []
    return "".join(str(p["text"]) for p in parts
                   if isinstance(p, dict) and p.get("text") and not p.get("thought"))


def event_function_calls(event: dict[str, Any]) -> list[dict[str, Any]]:
    """The ``functionCall`` parts of one ADK event (``{"name", "args"}`` each)."""
    parts = (event.get("content") or {}).get("parts") or []
    return [p["functionCall"] for p in parts
            if isinstance(p, dict) and isinstance(p.get("functionCall"), dict)]


def event_function_responses(event: dict[str, Any]) -> list[dict[str, Any]]:
    """The ``functionResponse`` parts of one ADK event (``{"name", "response"}`` each)."""
    parts = (event.get("content") or {}).get("parts") or []
    return [p["functionResponse"] for p in parts
            if isinstance(p, dict) and isinstance(p.get("functionResponse"), dict)]
