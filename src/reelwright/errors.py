"""Every error Reelwright raises on purpose, each knowing its protocol code and HTTP status.

    ReelwrightError                      code   HTTP
    ├── BadRequest                        400    400   malformed request, missing X-Client-Id
    │   ├── DraftInvalid                  400    400   draft fails validation (lists problems)
    │   └── OperationInvalid              400    400   an edit operation cannot apply
    ├── AuthFailed                       1001    401   bad or expired token
    ├── SessionNotFound                  1002    404   unknown session, or someone else's
    ├── NotFound                          404    404   any other missing resource
    ├── Forbidden                         403    403   bad, tampered or expired signed URL
    ├── NoCredits                        2001    402   not enough credits (message has ?bind=<id>)
    ├── PlanBlocked                       402    402   export blocked by plan / attribution missing
    ├── Busy                              409    409   the session is already running a turn
    ├── MediaError                       4001    415
    │   ├── UnsupportedMedia             4001    415   not a format we accept (lists formats)
    │   ├── CorruptMedia                 4001    415   looks like a known format but is broken
    │   └── MediaTooLarge                4002    413   over the size limit (says the limit)
    ├── UrlRejected                       400    400   URL import refused (scheme, private net)
    ├── RateLimited                       429    429   carries retry_after seconds
    └── RenderError                      5001    500
        ├── RenderFailed                 5001    500   keeps the ffmpeg command and stderr tail
        ├── RenderCancelled              5002    500
        ├── RenderTimeout                5003    500
        └── FfmpegMissing                5001    500   no ffmpeg that runs (stops start-up)

One handler in ``api/`` turns any of these into ``{"code", "message", "data"}``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

ECHO_LIMIT = 64  # characters of a caller's value an error message repeats


def echo(value: object, limit: int = ECHO_LIMIT) -> str:
    """``value`` as an error message may repeat it: quoted, escaped and at most ``limit``
    characters of it (a 5000-character session id is not sent back whole)."""
    text = str(value)
    if len(text) <= limit:
        return repr(text)
    return f"{text[:limit]!r}... ({len(text)} characters)"


class ReelwrightError(Exception):
    code: ClassVar[int] = 500
    http_status: ClassVar[int] = 500

    def __init__(self, message: str, *, data: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.data = data


class BadRequest(ReelwrightError):
    code = 400
    http_status = 400


class DraftInvalid(BadRequest):
    """The draft breaks a rule; ``problems`` names each offending field."""

    MAX_LISTED: ClassVar[int] = 100  # a draft with a million bad segments gets a short answer

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        shown = "; ".join(self.problems[:5])
        more = f" (+{len(self.problems) - 5} more)" if len(self.problems) > 5 else ""
        super().__init__(f"invalid draft: {shown}{more}",
                         data={"problems": self.problems[:self.MAX_LISTED],
                               "count": len(self.problems)})


class OperationInvalid(BadRequest):
    pass


class AuthFailed(ReelwrightError):
    code = 1001
    http_status = 401


class SessionNotFound(ReelwrightError):
    code = 1002
    http_status = 404


class NotFound(ReelwrightError):
    code = 404
    http_status = 404


class Forbidden(ReelwrightError):
    code = 403
    http_status = 403


class NoCredits(ReelwrightError):
    code = 2001
    http_status = 402


class PlanBlocked(ReelwrightError):
    code = 402
    http_status = 402


class Busy(ReelwrightError):
    code = 409
    http_status = 409


class MediaError(ReelwrightError):
    code = 4001
    http_status = 415


class UnsupportedMedia(MediaError):
    pass


class CorruptMedia(MediaError):
    pass


class MediaTooLarge(MediaError):
    code = 4002
    http_status = 413


class UrlRejected(BadRequest):
    pass


class RateLimited(ReelwrightError):
    code = 429
    http_status = 429

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message, data={"retry_after": retry_after})
        self.retry_after = retry_after


class RenderError(ReelwrightError):
    code = 5001
    http_status = 500


class RenderFailed(RenderError):
    """ffmpeg exited non-zero; keeps the command line and the tail of its stderr."""

    def __init__(self, message: str, *, command: Sequence[str] = (), stderr_tail: str = "") -> None:
        super().__init__(message)
        self.command = list(command)
        self.stderr_tail = stderr_tail


class RenderCancelled(RenderError):
    code = 5002


class RenderTimeout(RenderError):
    code = 5003


class FfmpegMissing(RenderError):
    """No ffmpeg binary that runs: raised at start-up (and by a render that looks it up)."""
