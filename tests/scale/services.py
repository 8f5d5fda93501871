"""Real redis-server and PostgreSQL for the scale tests, started in temp dirs, stopped after.

Binaries missing: the tests skip locally and fail under CI=true (``need``). PostgreSQL refuses
to run as root, so as root the cluster belongs to the ``postgres`` user (``runuser``).
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import need


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_port(port: int, proc: subprocess.Popen[bytes], what: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)
    raise RuntimeError(f"{what} did not listen on {port}")


@contextlib.contextmanager
def redis_server() -> Iterator[str]:
    """A throwaway redis-server (no persistence) on a free port; yields its URL."""
    binary = shutil.which("redis-server")
    need(binary is not None, "redis-server is not installed (apt-get install redis-server)")
    assert binary is not None
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="rw-redis-") as folder:
        proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1",
                                 "--save", "", "--appendonly", "no", "--dir", folder],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            _wait_port(port, proc, "redis-server")
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


@dataclass
class Postgres:
    """A running cluster; ``new_database()`` hands each test its own empty database."""

    port: int
    admin_url: str

    def url(self, name: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"

    def new_database(self) -> str:
        import psycopg

        name = "rw_" + secrets.token_hex(6)
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


@contextlib.contextmanager
def postgres_server() -> Iterator[Postgres]:
    """initdb into a temp dir and run ``postgres`` on a free port (fsync off: tests only)."""
    bindir = _pg_bin()
    need(bindir is not None, "PostgreSQL is not installed (apt-get install postgresql)")
    assert bindir is not None
    as_root = os.geteuid() == 0
    prefix: list[str] = []
    if as_root:
        runuser = shutil.which("runuser")
        need(runuser is not None, "runuser is needed to run PostgreSQL as root")
        prefix = [str(runuser), "-u", "postgres", "--"]
    folder = Path(tempfile.mkdtemp(prefix="rw-pg-"))
    data = folder / "data"
    if as_root:
        entry = pwd.getpwnam("postgres")
        os.chown(folder, entry.pw_uid, entry.pw_gid)
    port = free_port()
    subprocess.run([*prefix, str(bindir / "initdb"), "-D", str(data), "-U", "postgres",
                    "--auth=trust", "-E", "UTF8", "--no-sync"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    proc = subprocess.Popen([*prefix, str(bindir / "postgres"), "-D", str(data), "-p", str(port),
                             "-k", str(folder), "-c", "listen_addresses=127.0.0.1",
                             "-c", "fsync=off", "-c", "synchronous_commit=off",
                             "-c", "full_page_writes=off", "-c", "max_connections=200"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_port(port, proc, "postgres", timeout=30)
        admin = f"postgresql://postgres@127.0.0.1:{port}/postgres"
        _wait_ready(admin)
        yield Postgres(port, admin)
    finally:
        proc.terminate()  # runuser passes SIGTERM on: a smart shutdown of postgres
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(folder, ignore_errors=True)


def _wait_ready(url: str, timeout: float = 20) -> None:
    import psycopg

    deadline = time.monotonic() + timeout
    while True:
        try:
            with psycopg.connect(url, connect_timeout=2):
                return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
