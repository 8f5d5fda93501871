"""Control characters never reach a video: ``clean_text`` and ``clean_meta``.

C0 controls (U+0000-U+001F), DEL and C1 controls (U+0080-U+009F) are invisible at best and
break subtitle files, ffmpeg filter text and players at worst. Every string that can become
text in a video (titles, captions, labels, choices, names) is cleaned where a draft is read
or written (``draft.codec``), where a script is parsed and where text is drawn:

- a line break (``\\n``; ``\\r\\n`` and ``\\r`` count as one) is kept where text may have
  lines (``text``, ``q``; a script), and is a space elsewhere;
- a tab, vertical tab or form feed is a space;
- a terminal escape sequence (``ESC [ 1 m``, ``ESC ] ... BEL``) goes whole, not only its
  ``ESC`` (which would leave ``[1m`` on screen);
- every other control character is dropped.
"""

from __future__ import annotations

import re
from typing import Any

_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROLS_BUT_LF = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
_BREAKS = re.compile(r"\r\n?")
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?")
_SPACES = str.maketrans({"\t": " ", "\x0b": " ", "\x0c": " "})
# keys of ``m`` whose text may run over several lines
MULTILINE_KEYS = frozenset({"text", "q"})


def clean_text(value: str, *, newlines: bool = True) -> str:
    """``value`` without control characters; ``newlines=False`` turns line breaks into spaces."""
    if (_CONTROLS_BUT_LF if newlines else _CONTROLS).search(value) is None:
        return value
    value = _BREAKS.sub("\n", _ESCAPES.sub("", value)).translate(_SPACES)
    if newlines:
        return _CONTROLS_BUT_LF.sub("", value)
    return _CONTROLS.sub("", value.replace("\n", " "))


def clean_meta(value: Any, key: str | None = None) -> Any:
    """Every string inside ``value`` (an ``m`` object, its lists and objects) cleaned; keys
    too. Returns ``value`` itself when nothing needed cleaning."""
    if isinstance(value, str):
        return clean_text(value, newlines=key in MULTILINE_KEYS)
    if isinstance(value, dict):
        cleaned = {clean_text(k, newlines=False) if isinstance(k, str) else k:
                   clean_meta(v, k if isinstance(k, str) else key)
                   for k, v in value.items()}
        same = len(cleaned) == len(value) and all(
            a is b and c is d for (a, c), (b, d) in zip(value.items(), cleaned.items(),
                                                         strict=True))
        return value if same else cleaned
    if isinstance(value, list):
        items = [clean_meta(v, key) for v in value]
        return value if all(a is b for a, b in zip(value, items, strict=True)) else items
    return value
