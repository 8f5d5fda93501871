"""The SDK's public surface is exactly ``__all__`` (httpx style)."""

from __future__ import annotations

import reelwright.client as client


def test_all_lists_every_public_name() -> None:
    public = {name for name in dir(client)
              if not name.startswith("_") and name not in {"annotations"}}
    # submodules are private (_client, _models, ...) and so are not public names
    assert public == set(client.__all__)


def test_all_names_resolve() -> None:
    for name in client.__all__:
        assert getattr(client, name) is not None, name
