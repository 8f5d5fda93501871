"""The decode worker's bounds: too much memory or time answers 4002 naming the file."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.media import media_samples as samples

from reelwright.errors import MediaTooLarge
from reelwright.media import still_worker
from reelwright.media.ingest import ingest


@pytest.fixture
def big(tmp_path: Path) -> Path:
    return samples.big_png(tmp_path / "original.png", 5000, 4000)  # 20 MP: a worker's job


def test_an_image_needing_more_memory_than_a_worker_may_have_is_too_large(
        big: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(still_worker, "WORKER_MEMORY", 64 << 20)  # its pixels need 76 MB
    with pytest.raises(MediaTooLarge, match=r"^wall\.png needs more memory") as err:
        ingest(big, media_id="med_m", name="wall.png", out_dir=tmp_path / "out")
    assert err.value.code == 4002 and "100 MP" in err.value.message
    assert not (tmp_path / "out").exists()


def test_an_image_taking_too_long_to_decode_is_too_large(
        big: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(still_worker, "WORKER_TIMEOUT_S", 0.05)
    with pytest.raises(MediaTooLarge, match=r"^wall\.png takes longer than 0.05 s"):
        ingest(big, media_id="med_t", name="wall.png", out_dir=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_with_room_enough_the_same_image_is_read(big: Path, tmp_path: Path) -> None:
    info = ingest(big, media_id="med_ok", name="wall.png", out_dir=tmp_path / "out")
    assert (info.w, info.h) == (5000, 4000)
    assert Path(info.extra["preview"]).parent == tmp_path / "out"
