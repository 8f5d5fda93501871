"""Latency of the state and credits routes under 50 concurrent clients, on a real server.

    python benchmarks/api_latency.py [--clients 50] [--requests 40]

Each client has its own token and session (with one photo) and alternates GET state and
GET credits; p50 and p99 per route are printed.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import signal
import statistics
import tempfile
import time
from pathlib import Path

import httpx
from bench_server import start_server
from PIL import Image


def photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (120, 80, 40)).save(out, format="JPEG")
    return out.getvalue()


async def prepare(http: httpx.AsyncClient, n: int) -> tuple[dict[str, str], str]:
    token = (await http.post("/api/auth/anonymous-token",
                             headers={"X-Client-Id": f"bench-{n}"})).json()["data"]["token"]
    auth = {"Authorization": f"Bearer {token}"}
    sid = (await http.post("/api/tasks/me/with-session/nemo_agent", headers=auth,
                           json={})).json()["data"]["session_id"]
    await http.post(f"/api/upload-video/nemo_agent/me/{sid}", headers=auth,
                    files=[("files", ("p.jpg", photo(), "image/jpeg"))])
    return auth, sid


async def client(http: httpx.AsyncClient, auth: dict[str, str], sid: str, requests: int,
                 timings: dict[str, list[float]]) -> None:
    for i in range(requests):
        route, url = (("state", f"/api/state/nemo_agent/me/{sid}/latest") if i % 2 == 0
                      else ("credits", "/api/credits/balance/simple"))
        started = time.perf_counter()
        r = await http.get(url, headers=auth)
        timings[route].append((time.perf_counter() - started) * 1000)
        assert r.status_code == 200 and r.json()["code"] == 0


async def run(base: str, clients: int, requests: int) -> None:
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as http:
        sessions = [await prepare(http, n) for n in range(clients)]
        timings: dict[str, list[float]] = {"state": [], "credits": []}
        started = time.perf_counter()
        await asyncio.gather(*(client(http, auth, sid, requests, timings)
                               for auth, sid in sessions))
        elapsed = time.perf_counter() - started
    total = sum(len(v) for v in timings.values())
    print(f"{clients} clients, {total} requests in {elapsed:.1f} s ({total / elapsed:.0f} req/s)")
    for route, values in timings.items():
        cuts = statistics.quantiles(values, n=100)
        print(f"{route:8s} p50 {cuts[49]:7.1f} ms   p99 {cuts[98]:7.1f} ms   (n={len(values)})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, open(Path(tmp) / "server.log", "wb") as log:
        proc, base = start_server(Path(tmp) / "data",
                                  {"REELWRIGHT_ANON_TOKENS_PER_IP": str(args.clients + 10)},
                                  log)
        try:
            asyncio.run(run(base, args.clients, args.requests))
        except Exception:
            print((Path(tmp) / "server.log").read_text()[-4000:])
            raise
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(30)


if __name__ == "__main__":
    main()
