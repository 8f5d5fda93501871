"""Text: wrapping inside the safe area, ASS styling, karaoke highlight, CJK font, real pixels."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from tests import probe
from tests.render.render_helpers import changed_fraction, do_render, draft, image_info, visual

from reelwright.draft import MediaInfo
from reelwright.render import resolve_font
from reelwright.render.compile_text import ass_color, ass_document, wrap
from reelwright.render.fontname import postscript_name
from reelwright.render.plan import Canvas


def test_wrap_breaks_latin_at_spaces_and_chinese_anywhere() -> None:
    assert wrap("one two three four", 5) == ["one two", "three", "four"]
    title = "这是一段很长的中文标题需要换行"
    lines = wrap(title, 5)
    assert all(len(line) <= 5 for line in lines) and "".join(lines) == title
    assert wrap("a\nb", 10) == ["a", "b"]


def test_ass_colours_count_alpha_as_transparency() -> None:
    assert ass_color("#FF8800") == "&H000088FF"
    assert ass_color("#00000099") == "&H66000000"


def test_ass_document_scales_size_and_places_text() -> None:
    d = draft(1080, 1920, 2000, [{"id": "t", "tt": 7, "sg": [{"id": "a", "st": 0, "d": 2000, "m": {
        "text": "Hi", "style": {"size": 100, "bg": "#000000AA"}, "pos": "top-left",
        "fi": 0, "fo": 0}}]}])
    text = ass_document(d, Canvas(1080, 1920, 30), "Font")
    assert text is not None
    style = next(line for line in text.splitlines() if line.startswith("Style:"))
    assert ",Font,177.8," in style and ",3," in style  # scaled to 1920 px height, box border
    assert "{\\an7}Hi" in text and "\\fad" not in text


def test_bundled_font_is_found_by_its_postscript_name() -> None:
    font = resolve_font()
    assert Path(font).is_file()
    assert postscript_name(font) == "NotoSansCJKtc-Bold"


@pytest.fixture(scope="module")
def photo(make_photo) -> MediaInfo:  # type: ignore[no-untyped-def]
    return image_info("p", make_photo("t_p.jpg", (640, 360), seed=5))


def _with_text(photo: MediaInfo, tmp: Path, name: str, **m: object) -> np.ndarray:
    tracks = [visual({"id": "a", "src": "p", "st": 0, "d": 1000})]
    if m:
        tracks.append({"id": "t", "tt": 7, "sg": [{"id": "s", "st": 0, "d": 1000,
                                                  "m": {"fi": 0, "fo": 0, **m}}]})
    out = do_render(draft(640, 360, 1000, tracks), {"p": photo}, tmp / f"{name}.mp4",
                    quality="max")
    return probe.frame_at(out.path, 0.6)


def test_long_chinese_text_wraps_inside_the_safe_area(photo: MediaInfo, tmp_path: Path) -> None:
    plain = _with_text(photo, tmp_path, "plain")
    text = "这是一段非常非常长的中文字幕，它必须在画面的安全区域之内自动换行，不能超出左右边缘。"
    drawn = _with_text(photo, tmp_path, "zh", text=text, role="caption")
    # text is drawn (a wide band at the bottom changes) ...
    assert changed_fraction(drawn, plain, (0.1, 0.6, 0.8, 0.35)) > 0.2
    # ... but never in the 4 % margins left and right
    assert changed_fraction(drawn, plain, (0.0, 0.0, 0.04, 1.0)) < 0.01
    assert changed_fraction(drawn, plain, (0.96, 0.0, 0.04, 1.0)) < 0.01


def test_karaoke_highlights_the_word_being_spoken(photo: MediaInfo, tmp_path: Path) -> None:
    words = [[0, 500, "first"], [500, 1000, "second"]]
    frame = _with_text(photo, tmp_path, "karaoke", text="first second", role="caption",
                       words=words, hl="#FF0000", style={"bg": None, "outline": 0})
    band = frame[int(0.7 * 360):].astype(np.int16)
    red = (band[..., 0] > 200) & (band[..., 1] < 60) & (band[..., 2] < 60)
    assert red.sum() > 50, "the spoken word should be drawn in the highlight colour"
    # the highlighted word is the second one (right half), at 0.6 s
    cols = np.nonzero(red.any(axis=0))[0]
    assert cols.mean() > 320


def test_style_size_is_the_em_size_whatever_the_fonts_line_height(tmp_path: Path) -> None:
    # Given a black canvas with "HHH" at size 108 (px at 1080 high), i.e. an em of 36 px at 360
    d = draft(640, 360, 400, [{"id": "x", "tt": 7, "sg": [
        {"id": "t", "st": 0, "d": 400, "m": {"text": "HHH", "role": "title", "fi": 0, "fo": 0,
                                             "style": {"size": 108, "outline": 0}}}]}])
    d.m["bg"] = "#000000"
    # When rendered
    out = do_render(d, {}, tmp_path / "em.mp4", quality="max").path
    rows = np.nonzero((probe.frame_at(out, 0.2)[..., 0] > 128).any(axis=1))[0]
    # Then a capital H is about as tall as a cap height (~0.73 em for Noto Sans CJK), not the
    # ~0.5 em that libass gives when the font's tall line metrics are left uncorrected
    cap = rows.max() - rows.min() + 1
    assert 0.62 * 36 <= cap <= 0.85 * 36, cap
