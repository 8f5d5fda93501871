"""Upload a large video to a real server and print how much the server's RSS grew.

    python benchmarks/upload_rss.py [--mb 500]

The file is a real 2 s clip (moov first) padded with zeros to the size asked for, streamed
from disk by the client. Target: RSS growth <= 50 MB whatever the size.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import imageio_ffmpeg
from bench_server import PeakRss, open_session, rss_mb, start_server


def make_file(path: Path, mb: int) -> None:
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-loglevel", "error", "-y", "-f", "lavfi",
                    "-i", "testsrc2=size=320x240:rate=25:duration=2", "-c:v", "libx264",
                    "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-movflags", "+faststart",
                    str(path)], check=True)
    with open(path, "ab") as fh:
        fh.truncate(mb * 1024 * 1024)  # sparse zero padding after the clip


def multipart(path: Path, boundary: str) -> Iterator[bytes]:
    yield (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; "
           f"filename=\"big.mp4\"\r\nContent-Type: video/mp4\r\n\r\n").encode()
    with open(path, "rb") as fh:
        while chunk := fh.read(1024 * 1024):
            yield chunk
    yield f"\r\n--{boundary}--\r\n".encode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        big = root / "big.mp4"
        make_file(big, args.mb)
        proc, base = start_server(root / "data", {"REELWRIGHT_MAX_VIDEO_MB": str(args.mb + 10)})
        try:
            with httpx.Client(base_url=base, timeout=600) as http:
                auth, sid = open_session(http)
                # Warm up: the first upload imports the media stack (PyAV, OpenCV), which is
                # memory the server keeps whatever the upload size.
                small = root / "small.mp4"
                make_file(small, 1)
                http.post(f"/api/upload-video/nemo_agent/me/{sid}", headers=auth,
                          files=[("files", ("small.mp4", small.read_bytes(), "video/mp4"))])
                time.sleep(0.5)
                baseline = rss_mb(proc.pid)
                with PeakRss(proc.pid) as rss:
                    started = time.monotonic()
                    r = http.post(f"/api/upload-video/nemo_agent/me/{sid}",
                                  headers={**auth,
                                           "Content-Type": "multipart/form-data; boundary=BENCH"},
                                  content=multipart(big, "BENCH"))
                    elapsed = time.monotonic() - started
                body = r.json()
                print(f"upload {args.mb} MB: HTTP {r.status_code} code {body['code']} "
                      f"in {elapsed:.1f} s ({args.mb / elapsed:.0f} MB/s)")
                print(f"server RSS: baseline {baseline:.1f} MB, peak {rss.peak:.1f} MB, "
                      f"growth {rss.peak - baseline:.1f} MB (target <= 50 MB)")
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(30)


if __name__ == "__main__":
    main()
