"""Signed download URLs: stable within a window, valid at least ``ttl``, never forgeable."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from tests.api.api_helpers import Api

from reelwright.api.signing import UrlSigner
from reelwright.settings import Settings

KEY = b"k" * 32
REL = "outputs/job_0123456789abcdef.mp4"
HOUR = 3600
T0 = 1_700_000_000 // HOUR * HOUR  # the start of a window


def parts(url: str) -> tuple[str, int, str]:
    split = urlsplit(url)
    query = parse_qs(split.query)
    return split.path, int(query["exp"][0]), query["sig"][0]


def test_same_url_within_a_window_new_one_after_the_boundary() -> None:
    signer = UrlSigner(KEY, 86400)
    first = signer.sign(REL, now=T0)
    # Reads a second, a minute, or a hair short of an hour later give the same link
    for later in (T0 + 0.4, T0 + 1, T0 + 1.6, T0 + 60, T0 + HOUR - 0.001):
        assert signer.sign(REL, now=later) == first
    # The next window gives a new link that lives exactly one window longer
    after = signer.sign(REL, now=T0 + HOUR)
    assert after != first
    assert parts(after)[1] == parts(first)[1] + HOUR
    # Other files get other signatures in the same window
    assert parts(signer.sign("outputs/job_other.mp4", now=T0))[2] != parts(first)[2]


@pytest.mark.parametrize(("ttl", "window", "effective"), [
    (86400, 3600, 3600),  # the defaults: links live 24 to 25 hours
    (300, 3600, 30),      # a short ttl caps the window at a tenth of it
    (86400, 60, 60),      # an operator's smaller window wins
    (5, 3600, 1),         # never below a second
    (86400, 1, 1),        # 1 = a new expiry every second (no snapping)
])
def test_links_are_valid_at_least_ttl_and_at_most_ttl_plus_window(
        ttl: int, window: int, effective: int) -> None:
    signer = UrlSigner(KEY, ttl, window=window)
    assert signer.window == effective
    for offset in (0, 0.25, 0.999, 1, 17.5, effective - 0.5, effective, 7 * effective + 0.1):
        now = T0 + offset
        path, exp, sig = parts(signer.sign(REL, now=now))
        assert path == "/api/files/" + REL
        assert now + ttl <= exp <= now + ttl + effective
        assert exp % effective == ttl % effective  # snapped to the window grid
        assert signer.verify(REL, str(exp), sig, now=now + ttl)
        assert signer.verify(REL, str(exp), sig, now=exp)
        assert not signer.verify(REL, str(exp), sig, now=exp + 1)


def test_verify_rejects_tampered_and_expired_links() -> None:
    signer = UrlSigner(KEY, 86400)
    _, exp, sig = parts(signer.sign(REL, now=T0))
    assert signer.verify(REL, str(exp), sig, now=T0)
    flipped = sig[:-1] + ("0" if sig[-1] != "0" else "1")
    assert not signer.verify(REL, str(exp), flipped, now=T0)
    assert not signer.verify("outputs/job_other.mp4", str(exp), sig, now=T0)
    assert not signer.verify(REL, str(exp + HOUR), sig, now=T0)
    assert not signer.verify(REL, "soon", sig, now=T0)
    assert not signer.verify(REL, str(exp), sig, now=exp + 1)
    # Another key's link for the same path and expiry is refused
    other = UrlSigner(b"x" * 32, 86400)
    assert not signer.verify(REL, str(exp), parts(other.sign(REL, now=T0))[2], now=T0)


def test_a_negative_window_is_refused() -> None:
    with pytest.raises(ValueError, match="signed_url_window"):
        UrlSigner(KEY, 86400, window=-1)


def _store_output(settings: Settings) -> None:
    folder = settings.data_path / "blobs" / "outputs"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "job_0123456789abcdef.mp4").write_bytes(b"x" * 10)


def test_downloads_are_cached_only_while_the_link_is_valid(api: Api,
                                                          settings: Settings) -> None:
    # Given a stored output and a link to it signed with the app's settings
    _store_output(settings)
    signer: Any = api.client.app.state.ctx.signer  # type: ignore[attr-defined]
    url = signer.sign(REL)
    _, exp, _ = parts(url)
    # When the link is fetched (whole, or a range), Then the answer may be kept privately
    # for as long as the link itself stays valid, not longer
    for headers in ({}, {"Range": "bytes=0-3"}):
        before = time.time()
        r = api.client.get(url, headers=headers)
        assert r.status_code in (200, 206)
        cache = r.headers["Cache-Control"]
        assert cache.startswith("private, max-age=")
        max_age = int(cache.split("max-age=")[1])
        assert exp - before - 2 <= max_age <= exp - before
        assert max_age >= int(settings.signed_url_ttl) - 2

