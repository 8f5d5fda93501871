"""URL import with SSRF protection.

Only http/https; every address a host resolves to must be public (no loopback, private,
link-local (169.254.169.254 metadata), multicast, reserved, unspecified, shared or their IPv6
and IPv4-mapped forms) unless the host is in ``url_allow_hosts``. The connection goes to the
address that was checked (the URL is rewritten to the IP, Host header and TLS SNI keep the
name), so DNS rebinding between check and connect cannot redirect it. Redirects are followed
by hand, at most five, each hop checked again. The body streams into a MediaSink, so the size
limit applies while downloading.

``url_timeout`` bounds the whole import by the clock: from the DNS look-up to the last byte,
however the upstream dribbles its bytes (one byte every half second never fills a read buffer,
so a per-read or per-chunk check cannot see it). The fetch is asynchronous: a slow upstream
holds a socket and a file, not one of the request worker threads, so it cannot starve the
other requests. :class:`ImportSlots` caps how many downloads run at once, per token and in
all; ``docs/api.md`` (*URL import*) has the numbers.
"""

from __future__ import annotations

import functools
import ipaddress
import socket
import ssl
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email.message import Message
from urllib.parse import unquote

import anyio
import anyio.to_thread
import httpx

from reelwright.api.intake import MediaSink
from reelwright.errors import RateLimited, UrlRejected

MAX_REDIRECTS = 5
REDIRECTS = {301, 302, 303, 307, 308}
IP = ipaddress.IPv4Address | ipaddress.IPv6Address


def is_public(ip: IP) -> bool:
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None and not is_public(embedded):
            return False
    return ip.is_global and not (ip.is_loopback or ip.is_private or ip.is_link_local
                                 or ip.is_multicast or ip.is_reserved or ip.is_unspecified)


def parse_allow_list(text: str) -> set[str]:
    return {h.strip().lower() for h in text.split(",") if h.strip()}


def host_allowed(host: str, port: int, allow: set[str]) -> bool:
    """An entry ``host`` allows any port; ``host:port`` only that port."""
    host = host.lower().strip("[]")
    return host in allow or f"{host}:{port}" in allow or f"[{host}]:{port}" in allow


def resolve(host: str, port: int) -> list[IP]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise UrlRejected(f"Cannot resolve host {host!r}") from None
    seen: list[IP] = []
    for info in infos:
        ip = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if ip not in seen:
            seen.append(ip)
    if not seen:
        raise UrlRejected(f"Cannot resolve host {host!r}")
    return seen


def _filename(response: httpx.Response, url: httpx.URL) -> str:
    disposition = response.headers.get("content-disposition")
    if disposition:
        msg = Message()
        msg["content-disposition"] = disposition
        name = msg.get_filename()
        if name:
            return name
    return unquote(url.path.rsplit("/", 1)[-1]) or url.host


@functools.cache
def tls_context() -> ssl.SSLContext:
    """One certificate store for every import: loading it costs ~0.1 s of CPU, which forty
    imports starting at once would otherwise spend on the event loop."""
    return httpx.create_ssl_context()


class ImportSlots:
    """How many URL downloads may run at once: ``per_token`` for one token, ``total`` in all.

    Used from the event loop only (no await between the check and the claim), so it needs no
    lock. A request that would go over either cap is refused whole with 429, before anything
    is fetched.
    """

    def __init__(self, per_token: int = 20, total: int = 200) -> None:
        self.per_token = max(1, per_token)
        self.total = max(1, total)
        self._by_token: dict[str, int] = {}
        self._running = 0

    def running(self, token: str | None = None) -> int:
        return self._running if token is None else self._by_token.get(token, 0)

    @contextmanager
    def claim(self, token: str, count: int, retry_after: int) -> Iterator[None]:
        mine = self._by_token.get(token, 0)
        if mine + count > self.per_token:
            raise RateLimited(
                f"Too many URL imports at once for this token: {mine} running, {count} asked, "
                f"at most {self.per_token} (url_imports_per_token); try again when they "
                f"finish", retry_after=retry_after)
        if self._running + count > self.total:
            raise RateLimited(
                f"The server is busy with {self._running} URL imports (at most {self.total}, "
                f"url_imports_max); try again shortly", retry_after=retry_after)
        self._by_token[token] = mine + count
        self._running += count
        try:
            yield
        finally:
            left = self._by_token[token] - count
            if left:
                self._by_token[token] = left
            else:
                del self._by_token[token]
            self._running -= count


async def fetch_to_sink(url: str, make_sink: Callable[[str | None], MediaSink], *,
                        allow: set[str], timeout: float,
                        transport: httpx.AsyncBaseTransport | None = None) -> MediaSink:
    """Download ``url`` into a new sink within ``timeout`` seconds, all of it.

    UrlRejected when refused, unreachable or too slow (the message names ``url_timeout``);
    a sink that was started is aborted then, so nothing is left on disk.
    """
    started: list[MediaSink] = []

    def sink_for(name: str | None) -> MediaSink:
        started.append(make_sink(name))
        return started[-1]

    try:
        with anyio.fail_after(timeout):
            return await _fetch(url, sink_for, allow, timeout, transport)
    except TimeoutError:
        for sink in started:
            sink.abort()
        raise UrlRejected(f"{url[:200]}: the download took longer than url_timeout "
                          f"({timeout:g} s) and was stopped",
                          data={"url_timeout_s": timeout}) from None
    except BaseException:
        for sink in started:
            sink.abort()
        raise


async def _fetch(url: str, make_sink: Callable[[str | None], MediaSink], allow: set[str],
                 timeout: float, transport: httpx.AsyncBaseTransport | None) -> MediaSink:
    current = url
    async with httpx.AsyncClient(timeout=httpx.Timeout(timeout, connect=min(10.0, timeout)),
                                 follow_redirects=False, transport=transport,
                                 trust_env=False, verify=tls_context()) as client:
        for _hop in range(MAX_REDIRECTS + 1):
            try:
                target = httpx.URL(current)
            except httpx.InvalidURL:
                raise UrlRejected(f"Not a valid URL: {current[:200]!r}") from None
            if target.scheme not in ("http", "https") or not target.host:
                raise UrlRejected(f"Only http and https URLs can be imported: {current[:200]!r}")
            port = target.port or (443 if target.scheme == "https" else 80)
            # getaddrinfo blocks; a thread the deadline may abandon keeps the loop free
            ips = await anyio.to_thread.run_sync(resolve, target.host, port,
                                                 abandon_on_cancel=True)
            if not host_allowed(target.host, port, allow):
                bad = [ip for ip in ips if not is_public(ip)]
                if bad:
                    raise UrlRejected(f"{target.host} resolves to a private or reserved "
                                      f"address ({bad[0]}); refused")
            host_header = target.host if target.port is None else f"{target.host}:{port}"
            if ":" in target.host and target.port is None:
                host_header = f"[{target.host}]"
            pinned = target.copy_with(host=str(ips[0]))
            ext = {"sni_hostname": target.host} if target.scheme == "https" else {}
            try:
                async with client.stream("GET", pinned, headers={"Host": host_header},
                                         extensions=ext) as response:
                    if response.status_code in REDIRECTS:
                        location = response.headers.get("location")
                        if not location:
                            raise UrlRejected(f"{current[:200]} redirected without a Location")
                        current = str(target.join(location))
                        continue
                    if response.status_code != 200:
                        raise UrlRejected(f"{current[:200]} answered HTTP {response.status_code}")
                    sink = make_sink(_filename(response, target))
                    async for chunk in response.aiter_bytes():
                        sink.write(chunk)
                        if sink.error is not None:
                            return sink
                    sink.finish()
                    return sink
            except httpx.HTTPError as exc:
                raise UrlRejected(f"Could not fetch {current[:200]}: "
                                  f"{type(exc).__name__}") from None
    raise UrlRejected(f"Too many redirects (more than {MAX_REDIRECTS})")
