"""Audio tracks and clip sound -> one stereo 48 kHz stream of exactly the draft's duration.

Music is looped (``-stream_loop``) or trimmed, faded and set to its volume; voice segments key a
``sidechaincompress`` that ducks the music under speech. The mix is brought to the draft's
loudness target by one linear gain measured beforehand (``render.loudness``: two passes, so the
ducked music is never pumped back up between phrases the way single-pass dynamic ``loudnorm``
did), then a true-peak limiter (run at 4x the sample rate) keeps the peaks under -1 dBTP.
A draft without any sound still gets a silent track.
"""

from __future__ import annotations

from collections.abc import Mapping

from reelwright.draft.media import MediaInfo
from reelwright.draft.model import Draft, Segment, TrackType
from reelwright.render.compile_graph import Graph

SAMPLE_RATE = 48000
NORMALISE = f"aresample={SAMPLE_RATE},aformat=sample_fmts=fltp:channel_layouts=stereo"
TRUE_PEAK_DB = -1.5  # below the -1 dBTP promise: AAC encoding adds a little overshoot
DEFAULT_LUFS = -14.0
DUCK = "sidechaincompress=threshold=0.02:ratio=12:attack=20:release=400:makeup=1"
OVERSAMPLE = 4  # the limiter sees inter-sample peaks at 4x the rate


def _sec(ms: float) -> str:
    return f"{ms / 1000:.3f}".rstrip("0").rstrip(".") or "0"


def _atempo(speed: float) -> list[str]:
    """``atempo`` steps (each within 0.5..2) whose product is ``speed``."""
    steps: list[str] = []
    while speed > 2.0:
        steps.append("atempo=2")
        speed /= 2.0
    while speed < 0.5:
        steps.append("atempo=0.5")
        speed /= 0.5
    if abs(speed - 1.0) > 1e-9:
        steps.append(f"atempo={speed:.6g}")
    return steps


def _shape(seg: Segment, vol: float) -> list[str]:
    """Volume, fades and placement on the timeline for a segment of ``seg.d`` ms."""
    out = [f"volume={vol:.4g}"] if vol != 1 else []
    fade_in, fade_out = int(seg.m.get("fi", 0)), int(seg.m.get("fo", 0))
    if fade_in:
        out.append(f"afade=t=in:st=0:d={_sec(fade_in)}")
    if fade_out:
        out.append(f"afade=t=out:st={_sec(seg.d - fade_out)}:d={_sec(fade_out)}")
    if seg.st:
        out.append(f"adelay=delays={seg.st}:all=1")
    return out


def _mix(g: Graph, labels: list[str], prefix: str) -> str:
    if len(labels) == 1:
        return labels[0]
    return g.chain(labels, [f"amix=inputs={len(labels)}:duration=longest:normalize=0"], prefix)


QUICK_LIMIT = "alimiter=limit=0.84:level=false"  # about -1.5 dBFS peaks, no loudness pass


def mix_stream(g: Graph, draft: Draft, media: Mapping[str, MediaInfo]) -> str | None:
    """The raw mix (ducked, not yet normalised, any length) or None for a silent draft."""
    buses: dict[str, list[str]] = {"music": [], "voice": [], "sfx": []}
    for track in draft.tracks_of(TrackType.AUDIO):
        for seg in track.sg:
            info = media.get(seg.src or "")
            if info is None or not info.has_audio:
                continue
            role = str(seg.m.get("role", track.m.get("role", "music")))
            loop = bool(seg.m.get("loop", track.m.get("loop", role == "music")))
            index = g.add_input(info.path, *(["-stream_loop", "-1"] if loop else []))
            vol = float(seg.m.get("vol", track.m.get("vol", 1)))
            filters = [NORMALISE, f"atrim=start={_sec(seg.in_)}:duration={_sec(seg.d)}",
                       "asetpts=PTS-STARTPTS", *_shape(seg, vol)]
            buses.get(role, buses["sfx"]).append(g.chain(f"[{index}:a]", filters, "au"))
    for track in draft.tracks_of(TrackType.VISUAL):
        for seg in track.sg:
            info = media.get(seg.src or "")
            vol = float(seg.m.get("vol", 1))
            if info is None or info.kind != "video" or not info.has_audio:
                continue
            if seg.m.get("mute") or vol <= 0:
                continue
            speed = float(seg.m.get("speed", 1))
            index = g.add_input(info.path, *(["-ss", _sec(seg.in_)] if seg.in_ else []))
            filters = [NORMALISE, f"atrim=duration={_sec(seg.d * speed)}",
                       "asetpts=PTS-STARTPTS", *_atempo(speed), *_shape(seg, vol)]
            buses["sfx"].append(g.chain(f"[{index}:a]", filters, "ca"))

    if not any(buses.values()):
        return None
    parts: list[str] = []
    music = _mix(g, buses["music"], "mm") if buses["music"] else None
    voice = _mix(g, buses["voice"], "vm") if buses["voice"] else None
    if music and voice and draft.m.get("duck", True):
        raw_key, spoken = g.label("vk"), g.label("vs")
        g.chains.append(f"{voice}asplit=2{raw_key}{spoken}")
        # The key is padded with silence: the compressor stops when either input ends.
        key = g.chain(raw_key, ["apad"], "vp")
        music = g.chain([music, key], [DUCK], "dk")
        voice = spoken
    parts += [label for label in (music, voice) if label]
    parts += buses["sfx"]
    return _mix(g, parts, "mx")


def target_lufs(draft: Draft) -> float:
    """The integrated loudness the draft asks for (``m.lufs``), -14 LUFS by default."""
    return float(draft.m.get("lufs", DEFAULT_LUFS))


def limiter() -> list[str]:
    """A look-ahead limiter at ``TRUE_PEAK_DB``, run oversampled so it catches inter-sample
    peaks; it only touches peaks (1 ms attack), never the level of whole phrases. The
    ``NORMALISE`` after it brings the rate back to 48 kHz."""
    ceiling = 10 ** (TRUE_PEAK_DB / 20)
    return [f"aresample={SAMPLE_RATE * OVERSAMPLE}",
            f"alimiter=limit={ceiling:.4f}:attack=1:release=50:level=0:latency=1"]


def audio_stream(g: Graph, draft: Draft, media: Mapping[str, MediaInfo],
                 gain_db: float = 0.0, *, quick: bool = False) -> str:
    """The final audio label: mixed, ducked, raised or lowered by ``gain_db`` (what
    ``render.loudness`` measured), peak-limited, ``draft.d`` ms long. ``quick`` (the live
    preview) skips the gain and the oversampled limiter: a plain peak limit at 48 kHz."""
    seconds = _sec(draft.d)
    mixed = mix_stream(g, draft, media)
    if mixed is None:
        out = g.label("aout")
        g.chains.append(f"anullsrc=r={SAMPLE_RATE}:cl=stereo,atrim=duration={seconds}{out}")
        return out
    level = [QUICK_LIMIT] if quick else [f"volume={gain_db:.2f}dB", *limiter()]
    return g.chain(mixed, [
        *level, NORMALISE,
        "apad", f"atrim=duration={seconds}", "asetpts=PTS-STARTPTS"], "aout")
