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
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import imageio_ffmpeg
from bench_server import start_server

ATTRIBUTION = {"X-Skill-Source": "bench", "X-Skill-Version": "1", "X-Skill-Platform": "cli"}


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


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
                token = http.post("/api/auth/anonymous-token",
                                  headers={"X-Client-Id": "bench"}).json()["data"]["token"]
                auth = {"Authorization": f"Bearer {token}", **ATTRIBUTION}
                sid = http.post("/api/tasks/me/with-session/nemo_agent", headers=auth,
                                json={}).json()["data"]["session_id"]
                # Warm up: the first upload imports the media stack (PyAV, OpenCV), which is
                # memory the server keeps whatever the upload size.
                small = root / "small.mp4"
                make_file(small, 1)
                http.post(f"/api/upload-video/nemo_agent/me/{sid}", headers=auth,
                          files=[("files", ("small.mp4", small.read_bytes(), "video/mp4"))])
                time.sleep(0.5)
                baseline = rss_mb(proc.pid)
                peak = [baseline]
                done = threading.Event()

                def sample() -> None:
                    while not done.is_set():
                        peak[0] = max(peak[0], rss_mb(proc.pid))
                        time.sleep(0.05)

                sampler = threading.Thread(target=sample)
                sampler.start()
                started = time.monotonic()
                r = http.post(f"/api/upload-video/nemo_agent/me/{sid}",
                              headers={**auth,
                                       "Content-Type": "multipart/form-data; boundary=BENCH"},
                              content=multipart(big, "BENCH"))
                elapsed = time.monotonic() - started
                done.set()
                sampler.join()
                body = r.json()
                print(f"upload {args.mb} MB: HTTP {r.status_code} code {body['code']} "
                      f"in {elapsed:.1f} s ({args.mb / elapsed:.0f} MB/s)")
                print(f"server RSS: baseline {baseline:.1f} MB, peak {peak[0]:.1f} MB, "
                      f"growth {peak[0] - baseline:.1f} MB (target <= 50 MB)")
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(30)


if __name__ == "__main__":
    main()
