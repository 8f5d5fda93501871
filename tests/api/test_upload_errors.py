"""Uploads that are broken or huge: the answer names the user's file, and says the limit."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from tests.api.api_helpers import Api, jpeg_bytes
from tests.media import media_samples as samples

from reelwright.settings import Settings

GARBAGE = bytes(range(256))[::7] * 200
# Each starts like its format (so it is sniffed as one) and is garbage after that.
BROKEN = {
    "holiday.jpg": b"\xff\xd8\xff\xe0" + GARBAGE,
    "trip.mp4": b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + GARBAGE,
    "song.mp3": b"ID3\x03\x00\x00\x00\x00\x00\x10" + GARBAGE,
}


def nothing_stored(settings: Settings) -> bool:
    blobs = settings.data_path / "blobs"
    return list((blobs / "media").iterdir()) == [] and list((blobs / "tmp").iterdir()) == []


def names_only_the_users_file(message: str, name: str) -> bool:
    return name in message and "original" not in message and "med_" not in message


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_a_broken_file_is_named_as_the_user_named_it(api: Api, settings: Settings,
                                                     name: str) -> None:
    auth = api.token()
    sid = api.session(auth)
    r = api.upload(auth, sid, [(name, BROKEN[name])])
    body = r.json()
    assert (r.status_code, body["code"]) == (415, 4001), body
    assert names_only_the_users_file(body["message"], name), body["message"]
    assert nothing_stored(settings)


def test_broken_files_in_a_batch_are_each_named(api: Api, settings: Settings) -> None:
    auth = api.token()
    sid = api.session(auth)
    r = api.upload(auth, sid, [("good.jpg", jpeg_bytes()), *BROKEN.items()])
    body = r.json()
    assert body["code"] == 0 and [m["name"] for m in body["data"]["media"]] == ["good.jpg"]
    errors = {e["name"]: e for e in body["data"]["errors"]}
    assert sorted(errors) == sorted(BROKEN)
    for name, error in errors.items():
        assert error["code"] == 4001
        assert names_only_the_users_file(error["message"], name), error


def test_a_batch_of_only_broken_files_names_each(api: Api, settings: Settings) -> None:
    auth = api.token()
    sid = api.session(auth)
    r = api.upload(auth, sid, list(BROKEN.items()))
    body = r.json()
    assert (r.status_code, body["code"]) == (415, 4001)
    first = next(iter(BROKEN))
    assert names_only_the_users_file(body["message"], first), body["message"]
    for error in body["data"]["errors"]:
        assert names_only_the_users_file(error["message"], error["name"]), error
    assert nothing_stored(settings)


def test_a_98_mp_png_is_accepted_with_its_size_and_a_small_thumbnail(api: Api,
                                                                     tmp_path: Path) -> None:
    png = samples.big_png(tmp_path / "huge.png", 9900, 9900).read_bytes()
    auth = api.token()
    sid = api.session(auth)
    body = api.upload(auth, sid, [("poster.png", png)]).json()
    assert body["code"] == 0, body
    info = api.state(auth, sid).json()["data"]["state"]["video_infos"][0]
    assert (info["name"], info["kind"], info["width"], info["height"]) == (
        "poster.png", "image", 9900, 9900)
    thumb = api.client.get(info["thumbnail"].replace("http://testserver", ""))
    assert thumb.status_code == 200
    thumb_file = tmp_path / "thumb.jpg"
    thumb_file.write_bytes(thumb.content)
    with Image.open(thumb_file) as small:
        assert (small.format, small.size) == ("JPEG", (320, 320))


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_an_image_over_the_pixel_limit_says_the_limit_and_leaves_nothing(
        api: Api, settings: Settings, tmp_path: Path) -> None:
    bomb = samples.huge_png_header(tmp_path / "bomb.png", 12000, 9000).read_bytes()
    auth = api.token()
    sid = api.session(auth)
    r = api.upload(auth, sid, [("panorama.png", bomb)])
    body = r.json()
    assert (r.status_code, body["code"]) == (413, 4002), body
    assert body["message"].startswith("panorama.png is too large")
    assert "12000x9000" in body["message"] and "at most 100 MP" in body["message"]
    assert api.state(auth, sid).json()["data"]["state"]["video_infos"] == []
    assert nothing_stored(settings)


def _gif_of_many_huge_frames(side: int, frames: int) -> bytes:
    """A tiny GIF whose screen is ``side`` square and that holds ``frames`` 1x1 pictures:
    decoders paint every frame at the full screen size."""
    out = b"GIF89a" + side.to_bytes(2, "little") * 2 + b"\x80\x00\x00"
    out += b"\x00\x00\x00\xff\xff\xff"  # a two-colour palette
    for _ in range(frames):
        out += b"\x21\xf9\x04\x00\x04\x00\x00\x00"  # 40 ms a frame
        out += b"\x2c\x00\x00\x00\x00\x01\x00\x01\x00\x00"  # a 1x1 picture at 0,0
        out += b"\x02\x02\x44\x01\x00"  # its LZW data
    return out + b"\x3b"


def test_an_animation_too_big_to_decode_is_refused_at_once(api: Api,
                                                           settings: Settings) -> None:
    # Given a 3 KB GIF of 300 frames of 4000x4000 (4800 MP to decode, a minute of CPU)
    bomb = _gif_of_many_huge_frames(4000, 300)
    assert len(bomb) < 10_000
    auth = api.token()
    sid = api.session(auth)
    # When it is uploaded, Then it is refused from its header, naming the limit
    r = api.upload(auth, sid, [("party.gif", bomb)])
    body = r.json()
    assert (r.status_code, body["code"]) == (413, 4002), body
    assert "party.gif" in body["message"] and "600 MP" in body["message"]
    assert body["data"]["limit_mp"] == 600 and nothing_stored(settings)
    # And a small animation is still a clip
    small = api.upload(auth, sid, [("wave.gif", _gif_of_many_huge_frames(64, 30))]).json()
    assert small["code"] == 0 and small["data"]["media"][0]["kind"] == "video"


MARKUP = {
    "photo.jpg": (b"<!DOCTYPE html>\n<html><head><title>x</title></head>"
                  b"<body><script>alert(1)</script></body></html>\n", "HTML page"),
    "logo.png": (b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
                 b"<script>fetch('/api')</script><rect width='10' height='10'/></svg>",
                 "SVG image with a <script>"),
    "notes.txt": (b"\xef\xbb\xbf  <?xml version='1.0'?>\n<svg><circle r='3'/></svg>",
                  "SVG image"),
    "script.txt": (b"Welcome to the tour.\nToday we learn <script>steal()</script> nothing.",
                   "with a <script>"),
}


@pytest.mark.parametrize("name", sorted(MARKUP))
def test_markup_under_any_name_is_not_a_text_script(api: Api, settings: Settings,
                                                    name: str) -> None:
    # Given an HTML page or an SVG that was named like a photo or a script
    data, found = MARKUP[name]
    auth = api.token()
    sid = api.session(auth)
    # When it is uploaded
    r = api.upload(auth, sid, [(name, data)])
    # Then it is refused with 4001 saying what was found, and nothing is kept
    body = r.json()
    assert (r.status_code, body["code"]) == (415, 4001), body
    assert name in body["message"] and found in body["message"], body["message"]
    assert "plain-text script" in body["message"]
    assert api.state(auth, sid).json()["data"]["state"]["video_infos"] == []
    assert nothing_stored(settings)


def test_plain_text_with_angle_brackets_is_still_a_script(api: Api) -> None:
    auth = api.token()
    sid = api.session(auth)
    text = b"Why 3 < 4 matters.\nKids <3 maths, and a->b is an arrow.\n"
    body = api.upload(auth, sid, [("lesson.txt", text)]).json()
    assert body["code"] == 0 and body["data"]["media"][0]["kind"] == "text", body
