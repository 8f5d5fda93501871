"""Small JPEG previews for the media shelf: photos, clips (middle frame), sound, scripts."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import av
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from reelwright.draft.media import MediaInfo
from reelwright.errors import CorruptMedia
from reelwright.media.fonts import default_font
from reelwright.media.pcm import decode_mono
from reelwright.media.stills import read_still

_CARD_BG = (24, 26, 33)
_CARD_FG = (126, 200, 255)
_TEXT_FG = (230, 230, 230)
_WAVE_RATE = 4000
_WAVE_MAX_SECONDS = 600  # a waveform of the first ten minutes says enough
_JPEG_QUALITY = 85


def make_thumbnail(info: MediaInfo, dest: Path, max_side: int = 320) -> Path:
    """Write a JPEG no larger than ``max_side`` on either side to ``dest`` and return it.

    Photos come from the preview ingest kept for a big one, else from the photo decoded
    reduced (``reelwright.media.stills``): a thumbnail never holds a big image whole."""
    dest = Path(dest)
    source = Path(info.path)
    label = info.name or source.name
    if info.kind == "image" or info.animated:
        preview = Path(str(info.extra.get("preview") or ""))
        picture = _still(preview if preview.is_file() else source, label, max_side)
    elif info.kind == "video":
        picture = _video_frame(source, info, label)
    elif info.kind == "audio":
        picture = _waveform_card(source, max_side)
    else:
        picture = _text_card(source, max_side)
    picture = picture.convert("RGB")
    picture.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part")
    picture.save(tmp, format="JPEG", quality=_JPEG_QUALITY)
    tmp.replace(dest)
    return dest


def _still(source: Path, label: str, side: int) -> Image.Image:
    """The photo (an animation's middle frame), upright, no larger than ``side``."""
    frame = read_still(source, label, preview_side=side, every_frame=False).preview
    assert frame is not None
    if frame.mode == "RGBA":  # show transparency on the card colour, not black
        card = Image.new("RGB", frame.size, _CARD_BG)
        card.paste(frame, mask=frame.getchannel("A"))
        return card
    return frame


def _video_frame(source: Path, info: MediaInfo, label: str) -> Image.Image:
    middle_s = (info.duration_ms or 0) / 2000
    try:
        with av.open(str(source)) as container:
            stream = container.streams.video[0]
            stream.thread_type = "AUTO"
            if middle_s > 0:
                container.seek(int(middle_s * 1_000_000), backward=True, any_frame=False)
            frame = None
            for decoded in container.decode(stream):
                frame = decoded
                if decoded.time is None or decoded.time >= middle_s:
                    break
            if frame is None:
                raise CorruptMedia(f"{label}: no frame could be decoded for a thumbnail")
            picture: Image.Image = frame.to_image()  # type: ignore[no-untyped-call]
            rotation = int(round(getattr(frame, "rotation", 0) or 0)) % 360
    except av.FFmpegError as exc:
        reason = str(exc).replace(str(source), label)
        raise CorruptMedia(f"{label}: cannot decode a frame: {reason}") from exc
    # the display matrix turns counter-clockwise, as PIL's rotate does
    return picture.rotate(rotation, expand=True) if rotation else picture


def _waveform_card(source: Path, side: int) -> Image.Image:
    width, height = side, max(1, side * 9 // 16)
    card = Image.new("RGB", (width, height), _CARD_BG)
    draw = ImageDraw.Draw(card)
    samples = decode_mono(source, _WAVE_RATE, max_seconds=_WAVE_MAX_SECONDS)
    middle = height / 2
    if samples.size:
        columns = np.array_split(np.abs(samples), width)
        peaks = np.array([c.max() if c.size else 0.0 for c in columns], dtype=np.float32)
        peaks /= max(float(peaks.max()), 1e-6)
        for x, peak in enumerate(peaks):
            reach = max(1.0, float(peak) * (height * 0.42))
            draw.line([(x, middle - reach), (x, middle + reach)], fill=_CARD_FG)
    else:
        draw.line([(0, middle), (width, middle)], fill=_CARD_FG)
    return card


def _text_card(source: Path, side: int) -> Image.Image:
    """The script's first lines, drawn with the bundled Noto Sans CJK font so a Chinese,
    Japanese or Korean script shows its words, not missing-glyph boxes."""
    card = Image.new("RGB", (side, side * 9 // 16), _CARD_BG)
    with source.open("r", encoding="utf-8-sig", errors="replace") as fh:
        lines = [line.rstrip() for line in fh.read(2000).splitlines() if line.strip()]
    draw = ImageDraw.Draw(card)
    line_h = max(10, side // 20)
    font = _card_font(max(8, line_h - 2))
    room = card.width - 20
    for row, line in enumerate(lines[: (card.height - 16) // line_h]):
        shown = line[: max(8, side // 4)]
        while len(shown) > 1 and draw.textlength(shown, font=font) > room:
            shown = shown[:-1]  # cut at the card's edge, whatever the script's letters
        draw.text((10, 8 + row * line_h), shown, fill=_TEXT_FG, font=font)
    return card


@lru_cache(maxsize=4)
def _card_font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype(str(default_font()), size)
    except (FileNotFoundError, OSError):  # no font at all on this machine: Pillow's own
        return ImageFont.load_default()
