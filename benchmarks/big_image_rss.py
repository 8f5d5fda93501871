"""Upload one huge but small-on-disk photo to a real server and print the server's RSS.

    python benchmarks/big_image_rss.py [--side 9900]

The photo is a side x side RGBA PNG (flat colour and a disc, so it compresses to a few
hundred KB: 9900 px is ~400 KB on disk, 392 MB of pixels), written row by row so this
script never holds it either. The server's RSS is sampled before, during (peak) and after
the upload; the decode worker's own peak is printed beside it. Target: growth < 100 MB.
"""

from __future__ import annotations

import argparse
import io
import os
import signal
import struct
import tempfile
import time
import zlib
from pathlib import Path

import httpx
from bench_server import PeakRss, open_session, rss_mb, start_server
from PIL import Image


def write_png(path: Path, side: int) -> None:
    """A flat blue RGBA square with a red disc, streamed row by row."""
    pack = zlib.compressobj(9)
    blue, red = bytes((40, 90, 160, 255)), bytes((230, 40, 30, 255))
    cx, cy, r = side * 0.7, side * 0.35, side * 0.12
    with path.open("wb") as fh:
        def chunk(tag: bytes, data: bytes) -> None:
            fh.write(struct.pack(">I", len(data)) + tag + data
                     + struct.pack(">I", zlib.crc32(tag + data)))

        fh.write(b"\x89PNG\r\n\x1a\n")
        chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 6, 0, 0, 0))
        for y in range(side):
            half = (r * r - (y - cy) ** 2) ** 0.5 if abs(y - cy) < r else 0.0
            x0, x1 = int(cx - half), int(cx + half)
            row = b"\x00" + blue * x0 + red * (x1 - x0) + blue * (side - x1)
            if data := pack.compress(row):
                chunk(b"IDAT", data)
        chunk(b"IDAT", pack.flush())
        chunk(b"IEND", b"")


def small_png() -> bytes:
    """A 640x480 photo-like PNG: warming up with it runs every analysis step once."""
    gradient = Image.linear_gradient("L").resize((640, 480))
    noise = Image.effect_noise((640, 480), 40)
    photo = Image.merge("RGB", (gradient, noise, gradient.transpose(Image.Transpose.ROTATE_180)))
    out = io.BytesIO()
    photo.save(out, format="PNG")
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--side", type=int, default=9900)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        big = root / "huge.png"
        write_png(big, args.side)
        kb = big.stat().st_size / 1024
        proc, base = start_server(root / "data", {})
        try:
            with httpx.Client(base_url=base, timeout=600) as http:
                auth, sid = open_session(http)
                url = f"/api/upload-video/nemo_agent/me/{sid}"
                # Warm up: the first upload imports the media stack (PyAV, OpenCV), which is
                # memory the server keeps whatever it is sent.
                http.post(url, headers=auth, files=[("files", ("warm.png", small_png()))])
                time.sleep(0.5)
                before = rss_mb(proc.pid)
                with PeakRss(proc.pid, every=0.02) as rss:
                    started = time.monotonic()
                    r = http.post(url, headers=auth,
                                  files=[("files", ("huge.png", big.read_bytes(), "image/png"))])
                    elapsed = time.monotonic() - started
                    time.sleep(1.0)
                after = rss_mb(proc.pid)
                body = r.json()
                media = (body.get("data") or {}).get("media") or [{}]
                print(f"upload {args.side}x{args.side} RGBA PNG ({kb:.0f} KB on disk, "
                      f"{args.side ** 2 * 4 / 2**20:.0f} MB of pixels): HTTP {r.status_code} "
                      f"code {body['code']} in {elapsed:.1f} s; width {media[0].get('width')} "
                      f"height {media[0].get('height')}")
                print(f"server RSS: before {before:.1f} MB, peak {rss.peak:.1f} MB, after "
                      f"{after:.1f} MB; growth {rss.peak - before:.1f} MB (target < 100 MB), "
                      f"kept {after - before:.1f} MB")
                print(f"decode worker peak RSS (a separate process, gone after): "
                      f"{rss.child_peak:.1f} MB")
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(30)


if __name__ == "__main__":
    main()
