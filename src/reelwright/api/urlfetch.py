"""URL import with SSRF protection.

Only http/https; every address a host resolves to must be public (no loopback, private,
link-local (169.254.169.254 metadata), multicast, reserved, unspecified, shared or their IPv6
and IPv4-mapped forms) unless the host is in ``url_allow_hosts``. The connection goes to the
address that was checked (the URL is rewritten to the IP, Host header and TLS SNI keep the
name), so DNS rebinding between check and connect cannot redirect it. Redirects are followed
by hand, at most five, each hop checked again. The body streams into a MediaSink, so the size
limit applies while downloading.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable
from email.message import Message
from urllib.parse import unquote

import httpx

from reelwright.api.intake import MediaSink
from reelwright.errors import UrlRejected

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


def fetch_to_sink(url: str, make_sink: Callable[[str | None], MediaSink], *,
                  allow: set[str], timeout: float,
                  transport: httpx.BaseTransport | None = None) -> MediaSink:
    """Download ``url`` into a new sink (blocking). UrlRejected when refused or unreachable."""
    deadline = time.monotonic() + timeout
    current = url
    with httpx.Client(timeout=httpx.Timeout(timeout, connect=min(10.0, timeout)),
                      follow_redirects=False, transport=transport, trust_env=False) as client:
        for _hop in range(MAX_REDIRECTS + 1):
            try:
                target = httpx.URL(current)
            except httpx.InvalidURL:
                raise UrlRejected(f"Not a valid URL: {current[:200]!r}") from None
            if target.scheme not in ("http", "https") or not target.host:
                raise UrlRejected(f"Only http and https URLs can be imported: {current[:200]!r}")
            port = target.port or (443 if target.scheme == "https" else 80)
            ips = resolve(target.host, port)
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
                with client.stream("GET", pinned, headers={"Host": host_header},
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
                    for chunk in response.iter_bytes(65536):
                        sink.write(chunk)
                        if sink.error is not None:
                            break
                        if time.monotonic() > deadline:
                            sink.abort()
                            raise UrlRejected(f"{current[:200]} took longer than {timeout:g} s")
                    if sink.error is None:
                        sink.finish()
                    return sink
            except httpx.HTTPError as exc:
                raise UrlRejected(f"Could not fetch {current[:200]}: "
                                  f"{type(exc).__name__}") from None
    raise UrlRejected(f"Too many redirects (more than {MAX_REDIRECTS})")
