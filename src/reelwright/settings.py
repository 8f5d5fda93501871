"""One table of settings: environment variables (``REELWRIGHT_<NAME>``), CLI flags and docs.

Nothing here is read at import time: ``Settings.from_env()`` reads the environment when the
app, CLI or worker is built, and ``Settings(overrides)`` builds one for tests.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PREFIX = "REELWRIGHT_"


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str

    @property
    def env(self) -> str:
        return PREFIX + self.name.upper()


SETTINGS: tuple[Setting, ...] = (
    # --- paths and binaries
    Setting("data_dir", "./data", "Folder for the database, uploads, outputs and caches."),
    Setting("ffmpeg", "", "Path to an ffmpeg binary; empty uses the imageio-ffmpeg wheel's. "
            "Found and run once (`-version`) at start-up: without one that runs, the service "
            "and workers stop there, saying what was tried."),
    Setting("font", "", "Path to a TTF/OTF font for text; empty uses the bundled Noto Sans CJK."),
    Setting("face_model", "", "YuNet ONNX face model file; empty uses the Haar cascades."),
    # --- service
    Setting("database_url", "", "SQLAlchemy URL; empty means SQLite at <data_dir>/reelwright.db."),
    Setting("host", "127.0.0.1", "Address `reelwright serve` binds to."),
    Setting("port", 8000, "Port `reelwright serve` listens on."),
    Setting("public_url", "", "Base URL used in download links; empty uses the request's."),
    Setting("secret_key", "", "Key that signs download URLs; empty generates one in data_dir."),
    Setting("app_names", "nemo_agent,reelwright", "Agent app names accepted in {app} routes."),
    Setting("signed_url_ttl", 86400, "Seconds a signed download URL stays valid (at least)."),
    Setting("signed_url_window", 3600,
            "Download links expire on a grid of this many seconds (at most a tenth of "
            "signed_url_ttl), so answers inside one window carry the same link and caches can "
            "reuse it: a link lives between signed_url_ttl and signed_url_ttl + this window. "
            "1 gives a new expiry every second."),
    Setting("require_attribution", True, "Refuse exports without X-Skill-* attribution headers."),
    Setting("anon_credits", 100, "Free credits on a new anonymous token."),
    Setting("anon_token_days", 7, "Days an anonymous token lives (and the per-client-id window)."),
    Setting("anon_tokens_per_ip", 20,
            "New anonymous tokens one IP may get per 24 hours; 0 means no limit."),
    Setting("anon_ip_exempt", "127.0.0.0/8,::1",
            "Addresses and CIDR networks, comma-separated, that anon_tokens_per_ip does not "
            "apply to (a test harness, a school network); empty exempts nothing. The address "
            "is the connection's: behind a reverse proxy on the same machine every client can "
            "look like loopback (uvicorn only takes X-Forwarded-For from FORWARDED_ALLOW_IPS), "
            "so set this empty behind a proxy."),
    Setting("register_url", "http://localhost:8000/register", "Where the 2001 hint sends people."),
    Setting("prices", "chat_turn=1,generate_tts=2,generate_music=1",
            "Credits per chargeable action, name=credits comma-separated; export is free."),
    # --- uploads
    Setting("max_video_mb", 500, "Largest accepted video upload in MB."),
    Setting("max_image_mb", 200, "Largest accepted image upload in MB."),
    Setting("max_audio_mb", 200, "Largest accepted audio upload in MB."),
    Setting("max_text_mb", 2, "Largest accepted text script in MB."),
    Setting("max_json_mb", 8, "Largest request body in MB that is not a multipart upload (an "
            "export draft, a chat turn, a URL list); larger ones answer 400 unread."),
    Setting("url_allow_hosts", "", "Hosts URL import may fetch even on private networks (tests)."),
    Setting("url_timeout", 30, "Seconds one URL import may take, all of it (look-up, "
            "connection and every byte), however slowly the upstream sends; the URLs of one "
            "request download side by side, so the request is bounded by it too."),
    Setting("url_imports_per_token", 20, "URL downloads one token may run at once (all its "
            "requests together); a request that would go over answers 429."),
    Setting("url_imports_max", 200, "URL downloads the server runs at once, all tokens "
            "together; a request that would go over answers 429."),
    # --- jobs and rendering
    Setting("workers", 1, "Render worker threads in the local queue."),
    Setting("queue_backend", "local", "Job queue: 'local' (in-process, durable) or 'celery'."),
    Setting("redis_url", "redis://localhost:6379/0",
            "Redis for the Celery queue (broker, results, leases) when queue_backend=celery."),
    Setting("visibility_timeout", 3600,
            "Seconds before a job a dead Celery worker held is handed to another worker."),
    Setting("job_retries", 3,
            "Times a Celery job is retried (with backoff) on infrastructure errors."),
    Setting("chunk_parts", 1, "Split long mp4 renders into up to this many chunks rendered in "
            "parallel (Celery: on several workers); 1 renders in one pass."),
    Setting("chunk_min_s", 60, "Timelines shorter than this many seconds are never chunked."),
    Setting("log_format", "text", "Log lines as 'text' or 'json' (one JSON object a line)."),
    Setting("render_timeout", 1800, "Seconds one render may run before it is stopped."),
    Setting("ffmpeg_threads", 0, "Threads ffmpeg's encoder may use; 0 lets x264 decide."),
    Setting("ffmpeg_nice", 5, "Niceness (0-19) ffmpeg runs at, so renders yield the CPU to "
            "the API and to the Ken Burns lane writers that feed them. Runs beside the picture "
            "(sound, still preparation) are 5 nicer and `SCHED_IDLE`; pacing makes the "
            "picture's threads other than x264's critical one 5 nicer (docs/render.md, "
            "*Priorities*)."),
    Setting("session_lease_s", 30,
            "Seconds a chat turn's hold on its session (one turn per session at a time, across "
            "replicas) lasts without renewal; a running turn renews it every third of this. A "
            "turn whose server died frees the session at once on PostgreSQL (its connection "
            "drops) and on SQLite once the server is back (its process is gone); a server that "
            "hangs frees it after this long (docs/scale.md, *Sessions*)."),
    Setting("hold_expiry_s", 120,
            "Seconds a chat turn's credit hold lives without renewal; the reaper releases holds "
            "whose owner stopped renewing them (a dead server) after this long."),
    Setting("reaper_interval_s", 60,
            "Seconds between two rounds of the reaper, which releases credit holds whose owner "
            "is gone (every server and worker runs one, and one round at start-up)."),
    Setting("retention_days", 30, "Days sessions, uploads and outputs are kept; 0 keeps forever."),
    # --- agent
    Setting("llm_base_url", "", "OpenAI-compatible base URL for the LLM planner; empty = offline."),
    Setting("llm_model", "", "Model name for the LLM planner."),
    Setting("llm_api_key", "", "API key for the LLM planner."),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def _coerce(default: Any, raw: str) -> Any:
    if isinstance(default, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    return raw


class Settings:
    """Resolved settings; attribute access by setting name (``settings.data_dir``)."""

    def __init__(self, values: Mapping[str, Any] | None = None) -> None:
        resolved = {s.name: s.default for s in SETTINGS}
        for key, value in (values or {}).items():
            if key not in _BY_NAME:
                raise KeyError(f"unknown setting {key!r}")
            default = _BY_NAME[key].default
            resolved[key] = _coerce(default, value) if isinstance(value, str) else value
        self._values = resolved

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, **overrides: Any
    ) -> Settings:
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {s.name: env[s.env] for s in SETTINGS if s.env in env}
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(values)

    def __getattr__(self, name: str) -> Any:
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None

    def replace(self, **changes: Any) -> Settings:
        return Settings({**self._values, **changes})

    @property
    def data_path(self) -> Path:
        return Path(self._values["data_dir"]).expanduser().resolve()

    def as_dict(self) -> dict[str, Any]:
        return dict(self._values)


def markdown_table() -> str:
    """The settings table as Markdown (docs/settings.md is generated from this)."""
    lines = ["| environment variable | default | what it does |", "|---|---|---|"]
    for s in SETTINGS:
        default = "" if s.default == "" else f"`{s.default}`"
        lines.append(f"| `{s.env}` | {default} | {s.help} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print("# Settings\n\nEvery setting is an environment variable (`REELWRIGHT_` + name); "
          "`reelwright serve` flags override them.\nRegenerate with "
          "`python -m reelwright.settings > docs/settings.md`.\n")
    print(markdown_table())
