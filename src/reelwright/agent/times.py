"""Times as people write them in chat: 0:45, 1:02:03, 12s, 1.5 minutes, 1分30秒, 1分半, 500ms."""

from __future__ import annotations

import re

_TIME = re.compile(
    r"(?P<h>\d+):(?P<m>\d{1,2}):(?P<s>\d{1,2})|(?P<mm>\d+):(?P<ss>\d{1,2})(?!\d)|"
    r"(?P<min>\d+(?:\.\d+)?)\s*(?:minutes?|mins?|m\b|分钟|分)\s*(?:(?P<sec2>\d+(?:\.\d+)?)\s*"
    r"(?:seconds?|secs?|s\b|秒)|(?P<half>半))?|"
    r"(?P<sec>\d+(?:\.\d+)?)\s*(?:ms\b|毫秒)(?P<isms>)|"
    r"(?P<sec1>\d+(?:\.\d+)?)\s*(?:seconds?|secs?|s\b|秒)")


def _ms(match: re.Match[str]) -> int:
    g = match.groupdict()
    if g["h"] is not None:
        return (int(g["h"]) * 3600 + int(g["m"]) * 60 + int(g["s"])) * 1000
    if g["mm"] is not None:
        return (int(g["mm"]) * 60 + int(g["ss"])) * 1000
    if g["min"] is not None:
        extra = 30.0 if g["half"] else float(g["sec2"] or 0)
        return int(round((float(g["min"]) * 60 + extra) * 1000))
    if g["sec"] is not None:
        return int(round(float(g["sec"])))
    return int(round(float(g["sec1"]) * 1000))


def find_times(text: str) -> list[tuple[int, int, int]]:
    """``(ms, start, end)`` for every time in ``text`` (0:45, 1:30, 12s, 1分钟, 1分30秒)."""
    return [(_ms(m), m.start(), m.end()) for m in _TIME.finditer(text)]


__all__ = ["find_times"]
