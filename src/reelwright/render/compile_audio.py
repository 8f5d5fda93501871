"""Audio tracks and clip sound -> one stereo 48 kHz stream of exactly the draft's duration.

Music is looped (``-stream_loop``) or trimmed, faded and set to its volume; voice segments key a
``sidechaincompress`` that ducks the music under speech; the mix is loudness-normalised with
``loudnorm`` (EBU R128). A draft without any sound still gets a silent track.
"""

from __future__ import annotations

from collections.abc import Mapping

from reelwright.draft.media import MediaInfo
from reelwright.draft.model import Draft, Segment, TrackType
from reelwright.render.compile_graph import Graph

SAMPLE_RATE = 48000
NORMALISE = f"aresample={SAMPLE_RATE},aformat=sample_fmts=fltp:channel_layouts=stereo"
TRUE_PEAK_DB = -1.5  # below the -1 dBTP promise: AAC encoding adds a little overshoot
DUCK = "sidechaincompress=threshold=0.02:ratio=12:attack=20:release=400:makeup=1"


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


def audio_stream(g: Graph, draft: Draft, media: Mapping[str, MediaInfo], *,
                 quick: bool = False) -> str:
    """The final audio label: mixed, ducked, normalised, ``draft.d`` ms long. ``quick`` (the
    live preview) only limits peaks instead of ``loudnorm``, which works at 192 kHz and took
    longer than the whole 360p picture of a one-minute explainer."""
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

    seconds = _sec(draft.d)
    if not any(buses.values()):
        out = g.label("aout")
        g.chains.append(f"anullsrc=r={SAMPLE_RATE}:cl=stereo,atrim=duration={seconds}{out}")
        return out
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
    mixed = _mix(g, parts, "mx")
    lufs = float(draft.m.get("lufs", -14))
    level = QUICK_LIMIT if quick else f"loudnorm=I={lufs:g}:TP={TRUE_PEAK_DB:g}:LRA=11"
    return g.chain(mixed, [
        level, NORMALISE,
        "apad", f"atrim=duration={seconds}", "asetpts=PTS-STARTPTS"], "aout")
