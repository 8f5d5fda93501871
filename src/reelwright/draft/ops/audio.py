"""Operations on sound: add music / voice / effects, volume, replace the music."""

from __future__ import annotations

from reelwright.draft import vocab
from reelwright.draft.model import Draft, Segment, TrackType
from reelwright.draft.ops.address import TARGET_OR_ALL, resolve, role_of
from reelwright.draft.ops.common import Media, lookup, one_of, seconds, track_for_role
from reelwright.draft.ops.registry import Args, boolean, integer, number, obj, register, string
from reelwright.errors import OperationInvalid

VOLUME_ROLES: tuple[str, ...] = vocab.AUDIO_ROLES + ("clips",)


@register("add_audio", "Add background music (fills the whole video, loops), a voice-over or a "
          "sound effect.", obj(
              ("media",),
              media=string("media id of an uploaded sound or clip", max_length=64),
              role=string("music, voice or sfx (default music)", enum=vocab.AUDIO_ROLES),
              volume=number("0..2, 1 = as recorded (music defaults to 0.35)", 0, 2),
              fade_in_ms=integer("fade-in length", 0, 60000),
              fade_out_ms=integer("fade-out length", 0, 60000),
              loop=boolean("loop the sound to fill its time (music: default true)"),
              start_ms=integer("when it starts in the video", 0, vocab.MAX_DURATION_MS),
              duration_ms=integer("how long it plays; music defaults to the rest of the video",
                                  100, vocab.MAX_DURATION_MS),
              name=string("label used in summaries", max_length=200)))
def add_audio(draft: Draft, args: Args, media: Media) -> None:
    info = lookup(media, args["media"])
    if info is not None and not info.has_audio:
        raise OperationInvalid(f"{info.name or args['media']} has no sound")
    role = str(args.get("role", "music"))
    start = int(args.get("start_ms", 0))
    is_music = role == "music"
    if "duration_ms" in args:
        d = int(args["duration_ms"])
    elif is_music:
        d = draft.d - start
    elif info is not None and info.duration_ms:
        d = info.duration_ms
    else:
        raise OperationInvalid("say how long it plays (duration_ms)")
    if draft.d <= 0 and is_music:
        raise OperationInvalid("add photos or clips first; the music fills the video's length")
    if start >= draft.d > 0:
        raise OperationInvalid(f"the video is only {seconds(draft.d)} long")
    m: dict[str, object] = {"vol": float(args.get("volume", 0.35 if is_music else 1.0))}
    name = args.get("name") or (info.name if info is not None else "")
    if name:
        m["name"] = name
    if is_music:
        m.update(fi=int(args.get("fade_in_ms", 1000)), fo=int(args.get("fade_out_ms", 2000)),
                 loop=bool(args.get("loop", True)))
        if "duration_ms" not in args:
            m["fill"] = True
    else:
        for arg, key in (("fade_in_ms", "fi"), ("fade_out_ms", "fo"), ("loop", "loop")):
            if arg in args:
                m[key] = args[arg]
    track = track_for_role(draft, TrackType.AUDIO, role)
    seg = Segment(id=draft.new_id("s"), src=args["media"], st=start,
                  d=min(d, draft.d - start) if draft.d > 0 else d, m=m)
    track.sg.append(seg)
    track.sg.sort(key=lambda s: s.st)


@register("set_volume", "Set the volume of one sound, or of every sound with a role (music, "
          "voice, sfx, or the clips' own sound): absolute or relative.", obj(
              (), target=TARGET_OR_ALL,
              role=string("which sounds, instead of target", enum=VOLUME_ROLES),
              volume=number("0..2, 0.35 = 35 %, 1 = as recorded", 0, 2),
              factor=number("multiply the current volume (0.5 = half as loud)", 0, 4)))
def set_volume(draft: Draft, args: Args, media: Media) -> None:
    key = one_of(args, "volume", "factor")
    pick = one_of(args, "target", "role")
    if pick == "role" and args["role"] == "clips":
        found = resolve(draft, "all", media, default_group="visual")
    elif pick == "role":
        found = resolve(draft, "all", media, default_group=str(args["role"]))
    else:
        found = resolve(draft, args["target"], media, default_group="audio")
    for track, seg in found:
        if track.tt not in (TrackType.AUDIO, TrackType.VISUAL):
            raise OperationInvalid("only sounds and clips have a volume")
        default = 0.35 if role_of(track, seg) == "music" else 1.0
        old = float(seg.m.get("vol", default))
        new = float(args["volume"]) if key == "volume" else old * float(args["factor"])
        seg.m["vol"] = round(min(2.0, max(0.0, new)), 3)


@register("replace_music", "Swap the background music for another track, keeping its volume and "
          "fades.", obj(("media",),
                        media=string("media id of the new music", max_length=64),
                        name=string("label used in summaries", max_length=200)))
def replace_music(draft: Draft, args: Args, media: Media) -> None:
    info = lookup(media, args["media"])
    if info is not None and not info.has_audio:
        raise OperationInvalid(f"{info.name or args['media']} has no sound")
    found = [(t, s) for t, s in resolve(draft, "all", media, default_group="music")]
    name = args.get("name") or (info.name if info is not None else "")
    for _, seg in found:
        seg.src = str(args["media"])
        seg.in_ = 0
        if name:
            seg.m["name"] = name
        else:
            seg.m.pop("name", None)
