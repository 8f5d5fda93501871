"""Big photos: accepted, measured and previewed without the server ever holding their pixels."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw
from tests.media import media_samples as samples

from reelwright.errors import CorruptMedia
from reelwright.media.ingest import ingest
from reelwright.media.thumbnails import make_thumbnail

SIDE = 9900  # 98 MP: the size of the report, 374 MB of RGBA pixels


@pytest.fixture(scope="module")
def huge_png(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("huge")
    return samples.big_png(folder / "original.png", SIDE, SIDE)


def is_red(rgb: tuple[int, ...]) -> bool:
    return rgb[0] > 180 and rgb[1] < 90 and rgb[2] < 90


def test_a_98_mp_png_is_accepted_measured_previewed_and_thumbnailed(huge_png: Path,
                                                                     tmp_path: Path) -> None:
    info = ingest(huge_png, media_id="med_big", name="holiday.png", out_dir=tmp_path)
    assert (info.kind, info.format, info.w, info.h) == ("image", "png", SIDE, SIDE)
    assert info.path == str(huge_png)  # an upright RGBA PNG is used as it is
    with Image.open(info.extra["preview"]) as preview:
        assert preview.size == (640, 640)
        assert is_red(preview.convert("RGB").getpixel((448, 224)))  # the disc, 70 % / 35 %
    box = info.focus[-1]
    assert box.kind == "saliency" and abs(box.cx - 0.7) < 0.05 and abs(box.cy - 0.35) < 0.05
    thumb = make_thumbnail(info, tmp_path / "thumb.jpg", max_side=320)
    with Image.open(thumb) as small:
        assert small.size == (320, 320)
        assert is_red(small.convert("RGB").getpixel((224, 112)))


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads Linux's VmHWM")
def test_ingesting_a_98_mp_png_never_holds_its_pixels(huge_png: Path, tmp_path: Path) -> None:
    # A fresh process, so its peak RSS is this upload's alone: ingest and the thumbnail
    # together must stay below one decoded copy of the image (they used to take ~1.5 GB).
    # VmHWM, not ru_maxrss: the latter starts from the RSS of whoever spawned the process.
    code = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from reelwright.media.ingest import ingest\n"
        "from reelwright.media.thumbnails import make_thumbnail\n"
        "out = Path(sys.argv[2])\n"
        "info = ingest(Path(sys.argv[1]), media_id='m', name='holiday.png', out_dir=out)\n"
        "make_thumbnail(info, out / 'thumb.jpg')\n"
        "status = Path('/proc/self/status').read_text()\n"
        "peak_kb = int(status.split('VmHWM:')[1].split()[0])\n"
        "print(json.dumps({'peak_mb': peak_kb / 1024, 'w': info.w}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(huge_png), str(tmp_path)],
                          capture_output=True, text=True, timeout=300, check=True)
    measured = json.loads(done.stdout.strip().splitlines()[-1])
    decoded_mb = SIDE * SIDE * 4 / 2**20
    assert measured["w"] == SIDE
    assert measured["peak_mb"] < decoded_mb, measured


def _marked(size: tuple[int, int]) -> Image.Image:
    image = Image.new("RGB", size, (120, 130, 140))
    ImageDraw.Draw(image).rectangle([0, 0, size[0] // 5, size[1] // 5], fill=samples.RED)
    return image


def test_a_big_jpeg_decodes_reduced_but_reports_its_full_size(tmp_path: Path) -> None:
    path = tmp_path / "original.jpg"
    _marked((6000, 4000)).save(path, format="JPEG", quality=85)
    info = ingest(path, media_id="med_j", name="beach.jpg", out_dir=tmp_path / "out")
    assert (info.w, info.h, info.path) == (6000, 4000, str(path))
    assert "preview" not in info.extra  # the decoder's own reduced scale: no worker needed
    assert info.focus
    thumb = make_thumbnail(info, tmp_path / "thumb.jpg", max_side=320)
    with Image.open(thumb) as small:
        assert small.size == (320, 213)
        assert is_red(small.convert("RGB").getpixel((10, 10)))


def test_a_big_rotated_jpeg_is_written_upright_at_full_size(tmp_path: Path) -> None:
    path = tmp_path / "original.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # turn 90 degrees clockwise to view
    _marked((6000, 4000)).save(path, format="JPEG", quality=85, exif=exif)
    info = ingest(path, media_id="med_r", name="portrait.jpg", out_dir=tmp_path / "out")
    assert (info.w, info.h, info.extra["orientation"]) == (4000, 6000, 6)
    with Image.open(info.path) as upright:
        assert upright.size == (4000, 6000)
        assert is_red(upright.getpixel((3990, 10)))  # the marker turned to the top right
    thumb = make_thumbnail(info, tmp_path / "thumb.jpg", max_side=320)
    with Image.open(thumb) as small:
        assert small.height == 320 and abs(small.width - 213) <= 1  # via the preview
        rgb = np.asarray(small.convert("RGB")).astype(int)[:10, -10:]
        assert (rgb[..., 0] - rgb[..., 1]).mean() > 100


def test_a_broken_big_png_is_corrupt_by_the_users_name(tmp_path: Path) -> None:
    whole = samples.big_png(tmp_path / "whole.png", 5000, 4000)
    path = tmp_path / "original.png"
    path.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    out = tmp_path / "out"
    with pytest.raises(CorruptMedia, match=r"^holiday\.png is a broken PNG image") as err:
        ingest(path, media_id="med_b", name="holiday.png", out_dir=out)
    assert "original" not in err.value.message and str(tmp_path) not in err.value.message
    assert not out.exists() or list(out.iterdir()) == []
