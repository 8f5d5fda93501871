"""A short English script through TTS, cards, music and a real render (480p, ultrafast)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from tests.render.render_helpers import ebur128_integrated, true_peak

from probe import audio_samples, frame_at, probe, rms_db
from reelwright.agent.explainer_make import ExplainerResult, make_explainer
from reelwright.agent.recipes.explainer import HIGHLIGHT
from reelwright.draft.media import MediaInfo
from reelwright.draft.model import Draft, TrackType
from reelwright.render import OutputSpec, render

pytestmark = pytest.mark.slow

SCRIPT = """Aurora Smart Lamp

Meet Aurora, the lamp that wakes you gently with a soft sunrise glow. It costs $5.99 a month,
less than one coffee. Order yours today and wake up happier."""
RATE = 48000


@dataclass
class Made:
    result: ExplainerResult
    media: Mapping[str, MediaInfo]
    video: Path
    plain: Path  # the same draft without captions
    voice_only: Path  # the same draft without its music


def _without_captions(draft: Draft) -> Draft:
    bare = draft.copy()
    bare.t = [t for t in bare.t if not (t.tt == TrackType.TEXT and t.m.get("role") == "caption")]
    return bare


def _without_music(draft: Draft) -> Draft:
    bare = draft.copy()
    bare.t = [t for t in bare.t if not (t.tt == TrackType.AUDIO and t.m.get("role") == "music")]
    return bare


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Made:
    root = tmp_path_factory.mktemp("explainer")
    result = make_explainer(SCRIPT, workdir=root / "work", cache_dir=root / "cache",
                            resolution=480, caption_style="highlight")
    media = {item.id: item for item in result.generated}
    video = root / "explainer.mp4"
    plain = root / "plain.mp4"
    render(result.draft, media, OutputSpec(path=str(video), quality="draft"))
    render(_without_captions(result.draft), media, OutputSpec(path=str(plain), quality="draft"))
    voice_only = root / "voice.mp4"
    render(_without_music(result.draft), media, OutputSpec(path=str(voice_only),
                                                           quality="draft"))
    return Made(result, media, video, plain, voice_only)


def _voice(draft: Draft) -> list[tuple[int, int]]:
    track = next(t for t in draft.tracks_of(TrackType.AUDIO) if t.m.get("role") == "voice")
    return [(seg.st, seg.end) for seg in track.sg]


def _captions(draft: Draft) -> list[tuple[int, int, list[list[object]]]]:
    track = next(t for t in draft.tracks_of(TrackType.TEXT) if t.m.get("role") == "caption")
    return [(seg.st, seg.end, seg.m["words"]) for seg in track.sg]


def _window(samples: np.ndarray, a_ms: int, b_ms: int) -> np.ndarray:
    return samples[a_ms * RATE // 1000:b_ms * RATE // 1000]


def test_output_is_a_postable_mp4_of_the_draft_length(made: Made) -> None:
    facts = probe(made.video, count_frames=False)
    assert facts.vcodec == "h264" and facts.acodec == "aac"
    assert facts.pix_fmt == "yuv420p"
    assert (facts.width, facts.height) == (854, 480)
    assert abs(facts.duration - made.result.draft.d / 1000) < 0.1
    assert 8 < made.result.draft.d / 1000 < 30
    assert all(item.id.startswith("gen_") for item in made.result.generated)


def test_voice_is_heard_over_every_sentence(made: Made) -> None:
    samples = audio_samples(made.video, RATE)
    for start, end in _voice(made.result.draft):
        for a in range(start, end - 250, 500):
            # every half second of every sentence is clearly audible
            assert rms_db(_window(samples, a, min(end, a + 500))) > -35, (start, a)
    assert _voice(made.result.draft)[0][0] < 500  # the title is spoken right away


def test_music_stays_well_below_the_voice(made: Made) -> None:
    """Speech windows against the music on its own in the pauses between scenes.

    Ducking only lowers music under speech, so music alone in a pause is an upper bound for
    the music level while the voice speaks."""
    samples = audio_samples(made.video, RATE)
    voice = _voice(made.result.draft)
    speech = np.concatenate([_window(samples, a, b) for a, b in voice])
    pauses = [(end + 500, nxt - 50) for (_, end), (nxt, _) in zip(voice, voice[1:],
                                                                     strict=False)
              if nxt - end >= 800]
    assert pauses, "the timeline should pause between scenes"
    music = np.concatenate([_window(samples, a, b) for a, b in pauses])
    assert rms_db(music) > -60, "music should be audible between scenes"
    assert rms_db(speech) - rms_db(music) >= 8


def test_music_fades_out_at_the_end(made: Made) -> None:
    samples = audio_samples(made.video, RATE)
    d = made.result.draft.d
    assert rms_db(_window(samples, d - 150, d)) < rms_db(_window(samples, d - 1400, d - 900)) - 6


def test_captions_are_visible_and_highlight_the_spoken_word(made: Made) -> None:
    draft = made.result.draft
    h = draft.h
    checked = 0
    for start, _, words in _captions(draft)[:3]:
        a, b, _ = words[len(words) // 2]
        t = (start + (int(a) + int(b)) / 2) / 1000  # in the middle of a spoken word
        with_text = frame_at(made.video, t).astype(np.int16)
        without = frame_at(made.plain, t).astype(np.int16)
        region = slice(int(h * 0.7), h)  # the caption band at the bottom
        changed = (np.abs(with_text[region] - without[region]).max(axis=2) > 60).mean()
        assert changed > 0.01, f"no caption drawn at {t:.2f}s"
        r, g, bl = (int(HIGHLIGHT[i:i + 2], 16) for i in (1, 3, 5))
        band = with_text[region]
        yellow = ((np.abs(band[..., 0] - r) < 40) & (np.abs(band[..., 1] - g) < 40)
                  & (np.abs(band[..., 2] - bl) < 60)).sum()
        assert yellow > 30, f"no highlighted word at {t:.2f}s"
        checked += 1
    assert checked >= 2


def test_frames_are_never_black(made: Made) -> None:
    for t in np.linspace(0.2, made.result.draft.d / 1000 - 0.2, 6):
        frame = frame_at(made.plain, float(t))
        assert frame.mean() > 25 and frame.std() > 3, f"flat frame at {t:.2f}s"


def test_caption_words_start_with_the_spoken_words(made: Made) -> None:
    """Caption word onsets against the TTS alignment of the voice segment that speaks them."""
    draft = made.result.draft
    media = made.media
    voice_track = next(t for t in draft.tracks_of(TrackType.AUDIO)
                       if t.m.get("role") == "voice")
    from json import loads

    spoken: list[tuple[int, str]] = []
    for seg in voice_track.sg[1:]:  # the first is the spoken title
        meta = Path(media[seg.src or ""].path).with_suffix(".json")
        spoken += [(seg.st + a, w) for a, _, w in loads(meta.read_text())["words"]]
    shown = [(st + int(a), str(w)) for st, _, words in _captions(draft) for a, _, w in words]
    assert [w for _, w in shown] == [w for _, w in spoken]
    assert "five" in [w for _, w in shown]  # captions say what the voice says, not "$5.99"
    assert max(abs(a - b) for (a, _), (b, _) in zip(shown, spoken, strict=True)) <= 150


def test_mix_is_at_the_streaming_loudness_with_headroom(made: Made, ffmpeg_exe: str) -> None:
    """-14 LUFS integrated and at most -1 dBTP, as ffmpeg's ebur128 measures the MP4."""
    assert ebur128_integrated(ffmpeg_exe, made.video) == pytest.approx(-14, abs=1.0)
    assert true_peak(ffmpeg_exe, made.video) <= -1.0


def test_music_is_12_db_under_the_voice_while_it_speaks(made: Made) -> None:
    """The mix minus the voice (rendered alone, scaled by least squares) is the music as the
    listener hears it; in every spoken stretch it stays at least 12 dB under the voice."""
    mix = audio_samples(made.video, RATE).astype(np.float64)
    voice = audio_samples(made.voice_only, RATE).astype(np.float64)
    n = min(mix.size, voice.size)
    mix, voice = mix[:n], voice[:n]
    spans = _voice(made.result.draft)
    speech = np.concatenate([np.arange(a * RATE // 1000, b * RATE // 1000) for a, b in spans])
    scale = float(mix[speech] @ voice[speech] / (voice[speech] @ voice[speech]))
    music = mix - scale * voice
    assert rms_db(music) > -60, "the music should be there at all"
    for a, b in spans:
        window = slice(a * RATE // 1000, b * RATE // 1000)
        under = rms_db(scale * voice[window]) - rms_db(music[window])
        assert under >= 12, f"music only {under:.1f} dB under the voice at {a / 1000:.1f}s"


def test_cards_say_their_point_in_a_few_of_the_scene_words(made: Made) -> None:
    result = made.result
    assert len(result.headlines) == len(result.script.scenes) >= 2
    for scene, line in zip(result.script.scenes, result.headlines, strict=True):
        said = " ".join(scene.sentences).lower()
        assert 1 <= len(line.split()) <= 6 and "·" not in line
        assert all(word.lower().strip(",.") in said for word in line.split()), line
        if "$5.99" in said:
            assert "$5.99" in line  # the key fact keeps its number


def _rank(text: str, stem: str) -> float:
    """Where the drawing ``stem`` ranks for ``text`` by e5 similarity alone (0: the best)."""
    from reelwright.agent.embeddings import load_model
    from reelwright.media.illustrations import _index

    index = _index()
    query = np.asarray(load_model().query([text]), dtype=np.float32)[0]
    scores = index.vectors @ (query / np.linalg.norm(query))
    return float((scores > scores[index.stems.index(stem)]).mean())


def test_each_card_shows_its_own_related_illustration(made: Made) -> None:
    """Different drawings per scene, related to what the scene says, visible in the video,
    and credited (CC BY-SA) in the file's metadata."""
    import av

    from reelwright.media.cards import illustration_box
    from reelwright.media.illustrations import _tokens

    result = made.result
    pictures = result.illustrations
    assert all(pictures) and len({p.stem for p in pictures if p}) == len(pictures)
    for scene, picture in zip(result.script.scenes, pictures, strict=True):
        assert picture is not None
        text = " ".join(scene.sentences)
        # related: a word in common ("lamp"), or among the closest 1 % of all drawings in meaning
        assert (_tokens(text) & _tokens(" ".join(picture.keywords))
                or _rank(text, picture.stem) < 0.01), picture
    draft = result.draft
    cx, cy, side = illustration_box(draft.w, draft.h)
    crops = []
    for seg in draft.t[0].sg[1:]:  # the scene cards after the title
        frame = frame_at(made.plain, (seg.st + seg.d / 2) / 1000).astype(np.int16)
        crop = frame[cy - side // 3: cy + side // 3, cx - side // 3: cx + side // 3]
        assert crop.std() > 30, "no drawing where the illustration goes"
        crops.append(crop)
    assert np.abs(crops[0] - crops[1]).mean() > 20, "the two scenes show the same drawing"
    with av.open(str(made.video)) as container:
        tags = {k.lower(): v for k, v in container.metadata.items()}
    assert "OpenMoji" in tags.get("copyright", "") and "CC BY-SA 4.0" in tags["copyright"]


def test_headline_and_illustration_move_in_and_out(made: Made) -> None:
    """Frames of the first card: just after the headline starts its words are still fading in
    and the illustration is still sliding in from the right; a second later both have
    settled; just before the scene ends they are fading out again."""
    draft = made.result.draft
    heads = next(t for t in draft.tracks_of(TrackType.TEXT) if t.id == "x_headline").sg
    arts = next(t for t in draft.tracks_of(TrackType.VISUAL) if t.id == "v_art").sg
    head, art = heads[0], arts[0]
    h, w = draft.h, draft.w
    top = int(head.m["pos"]["y"] * h)
    rows = slice(top, min(h, top + int(h * 0.3)))
    x0, y0, bw, bh = art.m["box"]

    def text_pixels(t_ms: int) -> int:
        frame = frame_at(made.plain, t_ms / 1000)
        white = (frame[rows, : int(w * 0.55)] > 225).all(axis=2)
        return int(white.sum())

    def disc(t_ms: int) -> tuple[int, float]:
        frame = frame_at(made.plain, t_ms / 1000)
        band = frame[int(y0 * h): int((y0 + bh) * h), int(w * 0.5):]
        bright = (band > 215).all(axis=2)
        xs = np.nonzero(bright)[1]
        return int(bright.sum()), float(xs.mean()) if xs.size else 0.0

    early, settled, late = head.st + 70, head.st + 1300, head.end - 70
    assert settled < late - 200
    assert text_pixels(early) < 0.5 * text_pixels(settled), "words should fade in"
    assert text_pixels(late) < 0.8 * text_pixels(settled), "the headline should fade out"
    entering, still = disc(art.st + 100), disc(art.st + 1300)
    assert still[0] > 500
    assert entering[0] < 0.7 * still[0] or entering[1] - still[1] > w * 0.01, (entering, still)
