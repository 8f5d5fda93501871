"""Measure a media file by reading and decoding it: PyAV for clips and sound, Pillow for images.

``probe(path)`` returns plain facts as a dict (what ``ingest`` turns into ``MediaInfo``)::

    kind, format, size_bytes,            # from sniffing the content
    w, h,                                # as displayed: rotation / EXIF orientation applied
    stored_w, stored_h,                  # as encoded
    rotation,                            # clips: degrees counter-clockwise to show upright
    orientation,                         # photos: the EXIF orientation tag (1..8)
    duration_ms, fps, frames, vfr,
    has_video, has_audio, vcodec, acodec, sample_rate, channels,
    animated, taken_at,                  # ISO 8601 or None
    chars, lines,                        # text
    still,                               # images: the ``Still`` their decode made

It decodes enough to trust the file: every frame of an image (in bounded memory, see
``reelwright.media.stills``), the first frame of a clip and a packet near its end (so a
truncated MP4 is caught), the whole of a text file. Anything broken raises ``CorruptMedia``
naming what is wrong; anything we do not accept raises ``UnsupportedMedia`` listing the
formats we do; an image over the pixel limit raises ``MediaTooLarge``. Messages name the
file by the ``name`` given (the user's), never by the stored path.
"""

from __future__ import annotations

import codecs
from datetime import datetime
from fractions import Fraction
from pathlib import Path
from typing import Any

import av

from reelwright.errors import CorruptMedia, UnsupportedMedia
from reelwright.media.sniff import (
    HEAD_BYTES,
    Sniffed,
    markup_found,
    markup_in_head,
    markup_message,
    sniff,
    supported_formats_message,
)
from reelwright.media.stills import StillOut, read_still

_VFR_SAMPLE_PACKETS = 240
_TEXT_CHUNK = 1 << 16
_TAG_OVERLAP = 32
_TIME_BASE_US = 1_000_000


def probe(path: Path, *, name: str | None = None,
          still: StillOut | None = None) -> dict[str, Any]:
    """Facts about the file at ``path``; raises UnsupportedMedia, CorruptMedia or
    MediaTooLarge (an image over the pixel limit).

    Messages call the file ``name`` (the user's name for it), never the stored path. For an
    image, ``still`` asks the one decode to also write an upright copy where one is needed
    and make a preview; what it made is ``facts["still"]`` (``reelwright.media.stills``).
    """
    path = Path(path)
    label = name or path.name
    size = path.stat().st_size
    if size == 0:
        raise UnsupportedMedia(f"{label} is empty. {supported_formats_message()}")
    with path.open("rb") as fh:
        head = fh.read(HEAD_BYTES)
    sniffed = sniff(head)
    if sniffed is None:
        found = markup_in_head(head)
        if found is not None:
            raise UnsupportedMedia(markup_message(label, found))
        raise UnsupportedMedia(
            f"{label} is not a file type we accept. {supported_formats_message()}"
        )
    facts: dict[str, Any] = {
        "kind": sniffed.kind, "format": sniffed.format, "size_bytes": size,
        "w": 0, "h": 0, "stored_w": 0, "stored_h": 0, "rotation": 0, "orientation": 1,
        "duration_ms": None, "fps": None, "frames": None, "vfr": False,
        "has_video": False, "has_audio": False, "vcodec": None, "acodec": None,
        "sample_rate": None, "channels": None, "animated": False, "taken_at": None,
    }
    if sniffed.kind == "image":
        facts.update(_probe_image(path, sniffed, label, still))
    elif sniffed.kind == "text":
        facts.update(_probe_text(path, label))
    else:
        facts.update(_probe_av(path, sniffed, label))
    return facts


# --- images -----------------------------------------------------------------------------

def _probe_image(path: Path, sniffed: Sniffed, label: str, still: StillOut | None
                 ) -> dict[str, Any]:
    read = read_still(path, label, fmt=sniffed.format, out=still,
                      preview_side=still.preview_side if still else 0)
    return {**read.facts, "still": read}


# --- text -------------------------------------------------------------------------------

def _probe_text(path: Path, label: str) -> dict[str, Any]:
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    chars = lines = 0
    offset = 0
    last = tail = ""
    with path.open("rb") as fh:
        while True:
            chunk = fh.read(_TEXT_CHUNK)
            try:
                text = decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:
                raise CorruptMedia(
                    f"{label} is not valid UTF-8 text (bad byte near offset "
                    f"{offset + exc.start})"
                ) from exc
            if "\x00" in text:
                raise CorruptMedia(f"{label} contains NUL bytes, so it is not a text script")
            # the head was checked by sniff(); a tag may still hide further in, or straddle
            # two chunks (hence the overlap)
            found = markup_found(tail + text, at_start=False)
            if found is not None:
                raise UnsupportedMedia(markup_message(label, found))
            tail = text[-_TAG_OVERLAP:]
            chars += len(text)
            lines += text.count("\n")
            last = text[-1:] or last
            offset += len(chunk)
            if not chunk:
                break
    if chars and last != "\n":
        lines += 1
    return {"chars": chars, "lines": lines}


# --- clips and sound --------------------------------------------------------------------

def _probe_av(path: Path, sniffed: Sniffed, label: str) -> dict[str, Any]:
    what = sniffed.format.upper()
    try:
        container = av.open(str(path), metadata_errors="ignore")
    except av.FFmpegError as exc:
        raise CorruptMedia(f"{label} is a broken {what} file: {_reason(exc, path, label)}"
                           ) from exc
    try:
        with container:
            return _measure(container, label, sniffed)
    except av.FFmpegError as exc:
        raise CorruptMedia(f"{label} is a broken {what} file: {_reason(exc, path, label)}"
                           ) from exc


def _measure(container: Any, label: str, sniffed: Sniffed) -> dict[str, Any]:
    what = sniffed.format.upper()
    attached = int(av.stream.Disposition.attached_pic)
    video = [s for s in container.streams.video if not int(s.disposition) & attached]
    audio = list(container.streams.audio)
    if sniffed.kind == "audio":
        video = []  # cover art or a stray picture track does not make a song a clip
    if not video and not audio:
        raise CorruptMedia(f"{label} is a {what} file with no audio or video in it")

    facts: dict[str, Any] = {"has_video": bool(video), "has_audio": bool(audio)}
    if audio:
        a = audio[0]
        facts.update(acodec=_codec_name(a), sample_rate=a.codec_context.sample_rate,
                     channels=a.codec_context.channels)
    main = video[0] if video else audio[0]
    first_frame, vfr = _read_head(container, main)
    if first_frame is None:
        raise CorruptMedia(f"{label}: no {main.type} frame could be decoded")

    if video:
        v = video[0]
        rotation = int(round(getattr(first_frame, "rotation", 0) or 0)) % 360
        stored_w, stored_h = v.codec_context.width, v.codec_context.height
        turned = rotation in (90, 270)
        rate = v.average_rate or v.guessed_rate or v.base_rate
        facts.update(
            vcodec=_codec_name(v), stored_w=stored_w, stored_h=stored_h,
            w=stored_h if turned else stored_w, h=stored_w if turned else stored_h,
            rotation=rotation, vfr=vfr, fps=round(float(rate), 3) if rate else None,
            frames=v.frames or None,
        )
    else:
        facts["kind"] = "audio"

    duration_s = _duration_s(container, main)
    if sniffed.format in ("mp3", "aac") or duration_s is None:
        # no index to trust: the length is the sum of the packets actually there
        duration_s = _demuxed_length_s(container, main)
    else:
        _check_tail(container, main, duration_s, label, what)
    if not duration_s or duration_s <= 0:
        raise CorruptMedia(f"{label}: the {what} file has no playable length")
    facts["duration_ms"] = int(round(duration_s * 1000))
    facts["taken_at"] = _creation_time(container, main)
    return facts


def _read_head(container: Any, stream: Any) -> tuple[Any, bool]:
    """Decode the first frame; sample packet timestamps to tell variable frame rate."""
    first = None
    stamps: list[int] = []
    container.seek(0)
    for packet in container.demux(stream):
        if packet.pts is not None and stream.type == "video":
            stamps.append(packet.pts)
        if first is None:
            for frame in packet.decode():
                first = frame
                break
        if first is not None and (stream.type != "video" or len(stamps) >= _VFR_SAMPLE_PACKETS):
            break
    return first, _is_vfr(stamps)


def _is_vfr(stamps: list[int]) -> bool:
    ordered = sorted(set(stamps))
    gaps = sorted(b - a for a, b in zip(ordered, ordered[1:], strict=False))
    if len(gaps) < 4:
        return False
    median = gaps[len(gaps) // 2]
    # one long gap can be a dropped frame; VFR means gaps that differ throughout
    spread = gaps[int(len(gaps) * 0.9)] - gaps[int(len(gaps) * 0.1)]
    return median > 0 and spread / median > 0.25


def _duration_s(container: Any, stream: Any) -> float | None:
    if container.duration:
        return float(container.duration) / _TIME_BASE_US
    if stream.duration and stream.time_base:
        return float(stream.duration * stream.time_base)
    return None


def _demuxed_length_s(container: Any, stream: Any) -> float:
    container.seek(0)
    start: Fraction | None = None
    end = Fraction(0)
    for packet in container.demux(stream):
        if packet.pts is None or packet.time_base is None:
            continue
        at = packet.pts * packet.time_base
        start = at if start is None else min(start, at)
        end = max(end, at + (packet.duration or 0) * packet.time_base)
    return float(end - (start or 0))


def _check_tail(container: Any, stream: Any, duration_s: float, label: str, what: str) -> None:
    """Seek near the end and decode: a file cut short has no packets (or frames) there."""
    target_s = max(0.0, duration_s - 1.0) if duration_s > 2 else duration_s / 2
    container.seek(int(target_s * _TIME_BASE_US), backward=True, any_frame=False)
    last_s = None
    decoded = False
    for packet in container.demux(stream):
        if packet.pts is not None and packet.time_base is not None:
            end = (packet.pts + (packet.duration or 0)) * packet.time_base
            last_s = float(end) if last_s is None else max(last_s, float(end))
        if not decoded:
            decoded = bool(packet.decode())
    start_s = float(stream.start_time * stream.time_base) if stream.start_time else 0.0
    slack = max(0.5, duration_s * 0.05)
    if not decoded or last_s is None or last_s - start_s < duration_s - slack:
        found = "nothing" if last_s is None else f"{last_s - start_s:.1f} s"
        raise CorruptMedia(
            f"{label} is cut short: the {what} says {duration_s:.1f} s but its data ends "
            f"at {found} (an incomplete upload or copy?)"
        )


def _creation_time(container: Any, stream: Any) -> str | None:
    raw = container.metadata.get("creation_time") or stream.metadata.get("creation_time")
    if not raw:
        return None
    try:
        stamp = datetime.fromisoformat(raw.strip())
    except ValueError:
        return None
    if stamp.year < 1971:  # QuickTime's zero date (1904) means "not set"
        return None
    return stamp.replace(microsecond=0).isoformat()


def _codec_name(stream: Any) -> str:
    """The format's name (``mp3``), not the decoder's (``mp3float``)."""
    codec = stream.codec_context.codec
    return str(getattr(codec, "canonical_name", None) or codec.name)


def _reason(exc: Exception, path: Path, label: str) -> str:
    text = str(getattr(exc, "strerror", None) or exc).replace(str(path), label)
    return text.strip() or type(exc).__name__
