from pathlib import Path

import pytest

from reelwright.settings import SETTINGS, Settings, markdown_table

DOCS = Path(__file__).resolve().parents[1] / "docs" / "settings.md"


def test_every_setting_is_documented() -> None:
    text = DOCS.read_text()
    missing = [s.env for s in SETTINGS if f"`{s.env}`" not in text]
    assert not missing, f"regenerate docs/settings.md; undocumented: {missing}"
    assert markdown_table() in text


def test_environment_overrides_are_typed() -> None:
    settings = Settings.from_env({"REELWRIGHT_PORT": "9001", "REELWRIGHT_REQUIRE_ATTRIBUTION": "no",
                                  "REELWRIGHT_DATA_DIR": "/tmp/x"})
    assert settings.port == 9001
    assert settings.require_attribution is False
    assert settings.data_dir == "/tmp/x"
    assert Settings.from_env({}).port == 8000


def test_unknown_setting_is_refused() -> None:
    with pytest.raises(KeyError):
        Settings({"no_such_setting": 1})
