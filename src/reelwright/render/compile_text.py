"""Text tracks -> one ASS subtitle document, drawn by libass (``ass`` filter).

libass gives outlines, boxes, fades and per-word karaoke highlight; text is wrapped here, inside
the safe area, because libass only breaks at spaces and Chinese has none. The safe area is a 5 %
margin, or on 9:16 the zone the short-video platforms leave free (``SAFE_ZONE_9_16``: clear of
the top bar, the bottom fifth and the right-hand button column).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from reelwright.draft.layout import SAFE_ZONE_9_16, is_vertical
from reelwright.draft.model import Draft, Segment, TrackType
from reelwright.draft.text_clean import clean_text
from reelwright.render.plan import Canvas

SAFE_MARGIN = 0.05
REFERENCE_HEIGHT = 1080
ROLE_STYLE: dict[str, dict[str, Any]] = {
    "title": {"size": 96, "color": "#FFFFFF", "bg": None, "bold": True, "outline": 4},
    "caption": {"size": 56, "color": "#FFFFFF", "bg": "#00000099", "bold": True, "outline": 0},
    "overlay": {"size": 48, "color": "#FFFFFF", "bg": None, "bold": False, "outline": 3},
}
ROLE_POS = {"title": "center", "caption": "bottom", "overlay": "top"}
ALIGNMENT = {"bottom-left": 1, "bottom": 2, "bottom-right": 3, "center": 5,
             "top-left": 7, "top": 8, "top-right": 9}
DEFAULT_FADE_MS = 300


@dataclass(frozen=True)
class TextStyle:
    size: float
    color: str
    bg: str | None
    bold: bool
    outline: float

    @classmethod
    def resolve(cls, role: str, style: Any) -> TextStyle:
        merged = dict(ROLE_STYLE.get(role, ROLE_STYLE["overlay"]))
        if isinstance(style, dict):
            merged.update({k: v for k, v in style.items() if k in merged})
        return cls(float(merged["size"]), str(merged["color"]),
                   None if merged["bg"] is None else str(merged["bg"]),
                   bool(merged["bold"]), float(merged["outline"]))


def ass_color(color: str) -> str:
    """``#RRGGBB[AA]`` as ASS ``&HAABBGGRR`` (ASS alpha counts transparency)."""
    hexes = color.lstrip("#")
    r, g, b = hexes[0:2], hexes[2:4], hexes[4:6]
    alpha = 255 - int(hexes[6:8], 16) if len(hexes) == 8 else 0
    return f"&H{alpha:02X}{b}{g}{r}".upper()


def ass_time(ms: int) -> str:
    cs = max(0, ms) // 10
    return f"{cs // 360000}:{cs // 6000 % 60:02d}:{cs // 100 % 60:02d}.{cs % 100:02d}"


def _char_em(char: str) -> float:
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 1.0
    if char.isspace():
        return 0.3
    return 0.62 if char.isupper() or char.isdigit() else 0.55


def wrap(text: str, max_em: float) -> list[str]:
    """Greedy wrap: break at spaces, or between wide (CJK) characters; ``\\n`` is kept."""
    lines: list[str] = []
    for para in text.split("\n"):
        line, width = "", 0.0
        tokens: list[str] = []
        word = ""
        for char in para:
            if char == " " or unicodedata.east_asian_width(char) in ("W", "F"):
                if word:
                    tokens.append(word)
                tokens.append(char)
                word = ""
            else:
                word += char
        if word:
            tokens.append(word)
        for token in tokens:
            token_w = sum(_char_em(c) for c in token)
            if line and width + token_w > max_em and token != " ":
                lines.append(line.rstrip())
                line, width = "", 0.0
            if not line and token == " ":
                continue
            line += token
            width += token_w
        lines.append(line.rstrip())
    return lines


def _escape(text: str) -> str:
    return text.replace("\\", "\u29f5").replace("{", "\uff5b").replace("}", "\uff5d")


def safe_area(canvas: Canvas) -> tuple[float, float, float, float]:
    """Where text may go (left, top, right, bottom as fractions of the frame)."""
    if is_vertical(canvas.w, canvas.h):
        return SAFE_ZONE_9_16
    return SAFE_MARGIN, SAFE_MARGIN, 1 - SAFE_MARGIN, 1 - SAFE_MARGIN


def edge_px(style: TextStyle, canvas: Canvas) -> float:
    """How far the outline or the backing box reaches beyond the glyphs, in pixels."""
    size = style.size * canvas.h / REFERENCE_HEIGHT
    outline = style.outline * canvas.h / REFERENCE_HEIGHT
    return max(outline, size * 0.25) if style.bg is not None else outline


def _placement(pos: Any, canvas: Canvas, pad: float = 0.0,
               anchor: str = "center") -> tuple[int, str, float]:
    """ASS alignment, position tag and the width (px) the text may wrap to, keeping the text
    and ``pad`` px around it (its outline or box) inside the safe area. ``anchor`` says which
    point of the text a ``{"x", "y"}`` position places: its centre or its top-left corner."""
    left, top, right, bottom = safe_area(canvas)
    if isinstance(pos, dict) and anchor == "top-left":
        x = min(max(float(pos["x"]), left), right - 0.1)
        y = min(max(float(pos["y"]), top), bottom - 0.05)
        return 7, f"\\pos({x * canvas.w:.0f},{y * canvas.h:.0f})", (right - x) * canvas.w
    if isinstance(pos, dict):
        x = min(max(float(pos["x"]), left + 0.05), right - 0.05)
        y = min(max(float(pos["y"]), top), bottom)
        room = 2 * min(x - left, right - x) * canvas.w
        return 5, f"\\pos({x * canvas.w:.0f},{y * canvas.h:.0f})", room
    alignment = ALIGNMENT.get(str(pos), 5)
    room = (right - left) * canvas.w
    if alignment in (2, 5, 8) and is_vertical(canvas.w, canvas.h):
        # centred text is centred in the safe zone, not the frame
        cx = (left + right) / 2 * canvas.w
        y = {2: bottom * canvas.h - pad, 5: (top + bottom) / 2 * canvas.h,
             8: top * canvas.h + pad}[alignment]
        return alignment, f"\\pos({cx:.0f},{y:.0f})", room
    return alignment, "", room


def _events(seg: Segment, role: str, canvas: Canvas, style_name: str) -> list[str]:
    m = seg.m
    style = TextStyle.resolve(role, m.get("style"))
    size = style.size * canvas.h / REFERENCE_HEIGHT
    pad = edge_px(style, canvas)
    alignment, pos, room = _placement(m.get("pos", ROLE_POS.get(role, "center")), canvas, pad,
                                      str(m.get("anchor", "center")))
    usable = room - 2 * pad
    lines = wrap(clean_text(str(m.get("text", ""))), max(usable / size, 1.0))
    fade_in, fade_out = int(m.get("fi", DEFAULT_FADE_MS)), int(m.get("fo", DEFAULT_FADE_MS))
    fade_in = min(fade_in, seg.d // 2)
    fade_out = min(fade_out, seg.d - fade_in)
    head = f"{{\\an{alignment}{pos}}}"
    if m.get("anim") == "rise" and pos:
        return [f"Dialogue: 0,{ass_time(seg.st)},{ass_time(seg.end)},{style_name},,0,0,0,,"
                + _rise(lines, alignment, pos, seg.d, size)]
    words = m.get("words")
    hl = m.get("hl")
    if not (isinstance(words, list) and words and isinstance(hl, str)):
        text = "\\N".join(_escape(line) for line in lines)
        fade = f"{{\\fad({fade_in},{fade_out})}}" if fade_in or fade_out else ""
        return [f"Dialogue: 0,{ass_time(seg.st)},{ass_time(seg.end)},{style_name},,0,0,0,,"
                f"{head}{fade}{text}"]
    return _karaoke(seg, lines, words, hl, head, style_name)


RISE_MS = 450  # the block slides up and grows into place
WORD_STAGGER_MS = 90  # each next word starts fading in this much later
WORD_FADE_MS = 260
LEAVE_MS = 300


def _rise(lines: list[str], alignment: int, pos: str, d: int, size: float) -> str:
    """The ``rise`` entrance and exit as ASS override tags: the block slides up ``size``/2 px
    and grows from 94 % while its words fade in one by one; at the end it fades out while
    shrinking back a little. libass draws it inside the one ffmpeg graph (``ass`` filter)."""
    x, y = (float(v) for v in pos[len("\\pos("):-1].split(","))
    rise = min(RISE_MS, d // 3)
    leave = min(LEAVE_MS, d // 4)
    drift = size / 2
    tags = (f"{{\\an{alignment}\\move({x:.0f},{y + drift:.0f},{x:.0f},{y:.0f},0,{rise})"
            f"\\fscx94\\fscy94\\t(0,{rise},\\fscx100\\fscy100)"
            f"\\t({d - leave},{d},\\fscx97\\fscy97)\\fad(0,{leave})}}")
    parts: list[str] = []
    n = 0
    for i, line in enumerate(lines):
        tokens = [t for t in line.split(" ") if t] if " " in line else list(line)
        spaced = " " in line
        for j, token in enumerate(tokens):
            start = min(n * WORD_STAGGER_MS, max(0, d - leave - WORD_FADE_MS))
            parts.append(f"{{\\alpha&HFF&\\t({start},{start + WORD_FADE_MS},\\alpha&H00&)}}"
                         + _escape(token) + (" " if spaced and j < len(tokens) - 1 else ""))
            n += 1 if spaced or j % 2 else 0  # Chinese: two characters a step
        if i < len(lines) - 1:
            parts.append("\\N")
    return tags + "".join(parts)


def _karaoke(seg: Segment, lines: list[str], words: list[Any], hl: str, head: str,
             style_name: str) -> list[str]:
    """One event per spoken word: the whole caption, with that word in the highlight colour."""
    out: list[str] = []
    cursor = 0
    spans: list[tuple[int, int]] = []
    flat = "\n".join(lines)
    for _, _, word in words:
        found = flat.find(str(word), cursor)
        spans.append((found, found + len(str(word))) if found >= 0 else (-1, -1))
        if found >= 0:
            cursor = found + len(str(word))
    times = [(int(a), int(b)) for a, b, _ in words]
    edges = sorted({0, seg.d, *[t for pair in times for t in pair]})
    for lo, hi in zip(edges, edges[1:], strict=False):
        if hi <= lo:
            continue
        current = next((i for i, (a, b) in enumerate(times) if a <= lo < b), None)
        if current is None or spans[current][0] < 0:
            body = _escape(flat)
        else:
            a, b = spans[current]
            body = (_escape(flat[:a]) + f"{{\\c{ass_color(hl)}}}" + _escape(flat[a:b])
                    + "{\\r}" + _escape(flat[b:]))
        body = body.replace("\n", "\\N")
        out.append(f"Dialogue: 0,{ass_time(seg.st + lo)},{ass_time(seg.st + hi)},{style_name},,"
                   f"0,0,0,,{head}{body}")
    return out


def ass_document(draft: Draft, canvas: Canvas, font_family: str,
                 text_scale: float = 1.0) -> str | None:
    """The ASS file for every text track, or None when the draft has no text.

    ``text_scale`` is the font's line height per em (``fontname.line_height``): libass fits the
    whole line height into ``Fontsize``, so the size is scaled up to make ``style.size`` the
    em size whatever the font's metrics.
    """
    styles: list[str] = []
    events: list[str] = []
    left, top, right, bottom = safe_area(canvas)
    margin_l = int(round(canvas.w * left))
    margin_r = int(round(canvas.w * (1 - right)))
    margin_y = int(round(canvas.h * max(top, 1 - bottom)))
    for track in draft.tracks_of(TrackType.TEXT):
        for seg in sorted(track.sg, key=lambda s: s.st):
            role = str(seg.m.get("role", track.m.get("role", "overlay")))
            style = TextStyle.resolve(role, seg.m.get("style"))
            name = f"s{len(styles)}"
            size = style.size * canvas.h / REFERENCE_HEIGHT
            outline = style.outline * canvas.h / REFERENCE_HEIGHT
            if style.bg is not None:
                border, outline_colour = 3, ass_color(style.bg)
                outline = max(outline, size * 0.25)
            else:
                border, outline_colour = 1, "&H00000000"
            pad = int(round(outline))  # the outline or box stays inside the safe area too
            styles.append(
                f"Style: {name},{font_family},{size * text_scale:.1f},{ass_color(style.color)},"
                f"{ass_color(style.color)},{outline_colour},{outline_colour},"
                f"{-1 if style.bold else 0},0,0,0,100,100,0,0,{border},{outline:.1f},0,5,"
                f"{margin_l + pad},{margin_r + pad},{margin_y + pad},1")
            events += _events(seg, role, canvas, name)
    if not events:
        return None
    return "\n".join([
        "[Script Info]", "ScriptType: v4.00+", f"PlayResX: {canvas.w}", f"PlayResY: {canvas.h}",
        "WrapStyle: 0", "ScaledBorderAndShadow: yes", "YCbCr Matrix: TV.709", "",
        "[V4+ Styles]",
        "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, "
        "BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, "
        "BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding",
        *styles, "", "[Events]",
        "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text",
        *events, ""])
