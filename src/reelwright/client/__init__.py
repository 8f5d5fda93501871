"""The Reelwright SDK: a small httpx client for every route of the wire contract.

    from reelwright.client import Client

    with Client("http://127.0.0.1:8000", token_file="~/.config/reelwright/token.json") as rw:
        rw.create_session("Holiday", language="en")
        rw.upload(["a.jpg", "b.jpg"])
        for event in rw.run_sse("turn my photos into a slideshow video with music"):
            print(event_text(event), end="")
        path = rw.export(out_dir=".")

Errors are the classes of ``reelwright.errors`` (re-exported here), chosen by the envelope's code.
"""

from reelwright.client._client import (
    DEFAULT_APP,
    DEFAULT_URL,
    ByteProgress,
    Client,
    FractionProgress,
    default_base_url,
)
from reelwright.client._errors import error_from_envelope, error_from_response
from reelwright.client._models import (
    Attribution,
    Balance,
    Media,
    RenderStatus,
    Session,
    SessionState,
    UploadResult,
    event_function_calls,
    event_function_responses,
    event_text,
)
from reelwright.client._sse import SseMessage, iter_messages
from reelwright.client._tokens import TokenFile
from reelwright.errors import (
    AuthFailed,
    BadRequest,
    Busy,
    DraftInvalid,
    Forbidden,
    MediaError,
    MediaTooLarge,
    NoCredits,
    NotFound,
    PlanBlocked,
    RateLimited,
    ReelwrightError,
    RenderCancelled,
    RenderError,
    RenderFailed,
    RenderTimeout,
    SessionNotFound,
    UnsupportedMedia,
)

__all__ = [
    "DEFAULT_APP",
    "DEFAULT_URL",
    "Attribution",
    "AuthFailed",
    "BadRequest",
    "Balance",
    "Busy",
    "ByteProgress",
    "Client",
    "DraftInvalid",
    "Forbidden",
    "FractionProgress",
    "Media",
    "MediaError",
    "MediaTooLarge",
    "NoCredits",
    "NotFound",
    "PlanBlocked",
    "RateLimited",
    "ReelwrightError",
    "RenderCancelled",
    "RenderError",
    "RenderFailed",
    "RenderStatus",
    "RenderTimeout",
    "Session",
    "SessionNotFound",
    "SessionState",
    "SseMessage",
    "TokenFile",
    "UnsupportedMedia",
    "UploadResult",
    "default_base_url",
    "error_from_envelope",
    "error_from_response",
    "event_function_calls",
    "event_function_responses",
    "event_text",
    "iter_messages",
]
