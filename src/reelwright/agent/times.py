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



_UNIT = r"(?:seconds?|secs?|s(?![a-z])|秒钟?|minutes?|mins?(?![a-z])|分钟)"
_TOKEN = (r"(?:\d+:\d{1,2}(?::\d{1,2})?(?!\d)|\d+(?:\.\d+)?\s*" + _UNIT + r"?)")
_FIRST = re.compile(r"(?:\bfirst|\bopening|\bbeginning|\bstart|前|开头的?|开始的?|头)\s*"
                    r"(\d+(?:\.\d+)?)\s*(" + _UNIT + ")")
_LAST = re.compile(r"(?:\blast|\bfinal|\bclosing|最后的?|结尾的?|末尾的?|最后)\s*"
                   r"(\d+(?:\.\d+)?)\s*(" + _UNIT + ")")
_RANGE = re.compile(r"(?:\bfrom|\bbetween|从|在)?\s*(?P<a>" + _TOKEN + r")\s*"
                    r"(?:\bto\b|\buntil\b|\btill\b|\band\b|-|–|~|到|至)\s*(?P<b>" + _TOKEN + ")")


def _token_ms(token: str, unit: str) -> int | None:
    token = token.strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", token):
        if not unit:
            return None
        token += unit
    found = find_times(token)
    return found[0][0] if found else None


def find_span(text: str, total_ms: int | None = None) -> tuple[int, int] | None:
    """A stretch of time: "the first 5 seconds" (0-5 s), "the last 3 seconds" (needs
    ``total_ms``), "from 0:05 to 0:10", "between 5s and 8s", "5 to 8 seconds", "前5秒",
    "最后3秒", "从5秒到8秒", "0:05到0:08之间"; None when ``text`` names no stretch.
    ``text`` is normalised (``numbers.normalize``)."""
    first = _FIRST.search(text)
    if first:
        return 0, _token_ms(first.group(1), first.group(2)) or 0
    last = _LAST.search(text)
    if last and total_ms:
        length = _token_ms(last.group(1), last.group(2)) or 0
        return max(0, total_ms - length), total_ms
    for match in _RANGE.finditer(text):
        a, b = match.group("a"), match.group("b")
        unit_b = re.search(_UNIT + "$", b.strip())
        unit_a = re.search(_UNIT + "$", a.strip())
        if ":" not in a + b and not unit_b and not unit_a:
            continue  # "1 to 3" alone is no time
        start = _token_ms(a, unit_b.group(0) if unit_b else unit_a.group(0) if unit_a else "")
        end = _token_ms(b, unit_a.group(0) if unit_a and not unit_b else
                        unit_b.group(0) if unit_b else "")
        if start is not None and end is not None and end > start:
            return start, end
    return None


__all__ = ["find_span", "find_times"]
