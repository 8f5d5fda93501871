from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from tests.interactive.interactive_helpers import clip_info

from reelwright.draft.media import MediaInfo


@pytest.fixture(scope="session")
def clip_media(make_clip: Callable[..., Path]) -> dict[str, MediaInfo]:
    return {"med_a": clip_info(make_clip("ia_main.mp4", seconds=3.0)),
            "med_b": clip_info(make_clip("ia_branch.mp4", seconds=1.0), "med_b", 1000)}
