"""Choosing the text font, and checking it has glyphs for what we draw."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from reelwright.media import fonts
from reelwright.media.fonts import covers, default_font, missing_chars


def test_default_font_is_the_bundled_noto_cjk_and_covers_latin_and_chinese() -> None:
    path = default_font()
    assert path.is_file()
    assert path.name == "NotoSansCJKtc-Bold.otf"
    assert covers(path, "Hello 你好 世界")
    assert covers(path, "こんにちは 안녕하세요 0123456789 !?,.")


def test_default_font_actually_draws_chinese(tmp_path: Path) -> None:
    font = ImageFont.truetype(str(default_font()), 48)
    image = Image.new("L", (200, 80), 0)
    ImageDraw.Draw(image).text((10, 10), "你好", font=font, fill=255)
    assert image.getbbox() is not None
    assert sum(1 for value in image.getdata() if value > 128) > 300


def test_covers_reports_the_characters_a_font_lacks() -> None:
    path = default_font()
    assert not covers(path, "Party 🎉")
    assert missing_chars(path, "Party 🎉 🎉") == ["🎉"]
    assert covers(path, "   \n\t")  # whitespace never counts as missing


def test_latin_only_font_does_not_cover_chinese() -> None:
    latin = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if not latin.is_file():
        pytest.skip("DejaVu Sans is not installed")
    assert covers(latin, "Hello")
    assert missing_chars(latin, "Hi 你好") == ["你", "好"]


def test_configured_font_wins_when_it_exists(tmp_path: Path) -> None:
    copy = tmp_path / "Brand.otf"
    shutil.copyfile(default_font(), copy)
    assert default_font(str(copy)) == copy.resolve()


def test_configured_font_that_is_missing_is_a_clear_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope.ttf"
    with pytest.raises(FileNotFoundError) as info:
        default_font(str(missing))
    assert "nope.ttf" in str(info.value) and "REELWRIGHT_FONT" in str(info.value)


def test_configured_file_that_is_not_a_font_is_a_clear_error(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.ttf"
    bogus.write_text("not a font")
    with pytest.raises(ValueError, match="not a TrueType/OpenType font"):
        default_font(str(bogus))


def test_falls_back_to_a_system_font_without_the_bundled_one(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    system = tmp_path / "SystemSans.otf"
    shutil.copyfile(default_font(), system)
    monkeypatch.setattr(fonts, "bundled_font", lambda: None)
    monkeypatch.setattr(fonts, "SYSTEM_FONTS", (str(tmp_path / "absent.ttc"), str(system)))
    assert default_font() == system
    monkeypatch.setattr(fonts, "SYSTEM_FONTS", (str(tmp_path / "absent.ttc"),))
    with pytest.raises(FileNotFoundError, match="cvttf-notosanscjk-bold"):
        default_font()
