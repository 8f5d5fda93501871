"""Users, bearer tokens (stored as sha256), anonymous tokens, registered keys and binding."""

from __future__ import annotations

import hashlib
import ipaddress
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select, update

from reelwright.errors import AuthFailed, BadRequest, NotFound, RateLimited
from reelwright.store.credits import Ledger
from reelwright.store.db import Database, as_utc, new_id, utcnow
from reelwright.store.models import Client, RenderJob, Token, User, WorkSession

MAX_CLIENT_ID = 200
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(text: str, setting: str = "anon_ip_exempt") -> tuple[Network, ...]:
    """``"127.0.0.0/8,::1"`` -> networks (a bare address is a network of one); empty -> none.

    A ValueError names the setting and the entry that is neither an address nor a network.
    """
    networks: list[Network] = []
    for entry in str(text).split(","):
        entry = entry.strip()
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ValueError(
                f"{setting} (REELWRIGHT_{setting.upper()}): {entry!r} is not an IP address or "
                "CIDR network; use a comma-separated list such as 127.0.0.0/8,::1") from None
    return tuple(networks)


def address_in(ip: str, networks: tuple[Network, ...]) -> bool:
    """Whether a client address (as the server saw it) lies in one of ``networks``.

    An IPv4 client on a dual-stack socket (``::ffff:127.0.0.1``) counts as its IPv4 address;
    anything that is not an address (``unknown``) is in no network.
    """
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return False
    candidates: list[ipaddress.IPv4Address | ipaddress.IPv6Address] = [address]
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        candidates.append(address.ipv4_mapped)
    return any(a.version == n.version and a in n for a in candidates for n in networks)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Caller:
    """Who a request acts for (``me`` in routes)."""

    user_id: str
    kind: str
    client_id: str | None


class Accounts:
    def __init__(self, db: Database, ledger: Ledger) -> None:
        self.db = db
        self.ledger = ledger
        self.settings = ledger.settings
        self.tokens_per_ip = int(self.settings.anon_tokens_per_ip)
        if self.tokens_per_ip < 0:
            raise ValueError("anon_tokens_per_ip must be 0 (no limit) or more, not "
                             f"{self.tokens_per_ip}")
        self.ip_exempt = parse_networks(self.settings.anon_ip_exempt)

    def ip_limited(self, ip: str) -> bool:
        """Whether ``anon_tokens_per_ip`` applies to this address (0 = no limit; exempt list)."""
        return self.tokens_per_ip > 0 and not address_in(ip, self.ip_exempt)

    def issue_anonymous(self, client_id: str, ip: str) -> tuple[str, Caller]:
        """A new anonymous token with free credits; 429 inside the window or over the IP cap.

        The per-address cap skips addresses in ``anon_ip_exempt`` and is off at 0.
        """
        client_id = client_id.strip()
        if not client_id:
            raise BadRequest("X-Client-Id header is required")
        if len(client_id) > MAX_CLIENT_ID:
            raise BadRequest(f"X-Client-Id must be at most {MAX_CLIENT_ID} characters")
        now = utcnow()
        window = timedelta(days=self.settings.anon_token_days)
        token = "rwa_" + secrets.token_urlsafe(32)
        with self.db.write() as s:
            client = s.get(Client, client_id, with_for_update=True)
            if client is not None:
                ends = as_utc(client.last_token_at) + window
                if ends > now:
                    retry = max(1, int((ends - now).total_seconds()))
                    raise RateLimited("This client already has an anonymous token; one per "
                                      f"{self.settings.anon_token_days} days", retry_after=retry)
            day_ago = now - timedelta(days=1)
            if self.ip_limited(ip):
                issued_today = s.execute(select(func.count()).select_from(Token).where(
                    Token.ip == ip, Token.kind == "anonymous", Token.created_at > day_ago)
                ).scalar()
                if (issued_today or 0) >= self.tokens_per_ip:
                    oldest = s.execute(select(func.min(Token.created_at)).where(
                        Token.ip == ip, Token.kind == "anonymous", Token.created_at > day_ago)
                    ).scalar()
                    retry = int((as_utc(oldest) + timedelta(days=1) - now).total_seconds()) \
                        if oldest else 86400
                    raise RateLimited("Too many anonymous tokens from this address today",
                                      retry_after=max(1, retry))
            if client is None:
                user = User(id=new_id("usr"), kind="anonymous", plan="free", created_at=now)
                s.add(user)
                s.flush()
                client = Client(id=client_id, user_id=user.id, last_token_at=now,
                                created_at=now)
                s.add(client)
            else:
                client.last_token_at = now
            s.add(Token(hash=hash_token(token), user_id=client.user_id, kind="anonymous",
                        client_id=client_id, ip=ip, created_at=now, expires_at=now + window))
            s.flush()
            self.ledger.grant(client.user_id, self.settings.anon_credits,
                              ref=f"anonymous:{client_id}", session=s)
            return token, Caller(client.user_id, "anonymous", client_id)

    def create_key(self, credits: int, plan: str) -> tuple[str, str]:
        """A registered key (never expires). Returns (key, user id); the key is shown once."""
        now = utcnow()
        key = "rwk_" + secrets.token_urlsafe(32)
        with self.db.write() as s:
            user = User(id=new_id("usr"), kind="key", plan=plan, created_at=now)
            s.add(user)
            s.flush()
            s.add(Token(hash=hash_token(key), user_id=user.id, kind="key", created_at=now))
            s.flush()
            if credits > 0:
                self.ledger.grant(user.id, credits, ref="create-key", session=s)
        return key, user.id

    def resolve(self, token: str) -> Caller:
        """The caller behind a bearer token; AuthFailed (1001) when unknown or expired."""
        if not token:
            raise AuthFailed("Missing bearer token")
        with self.db.read() as s:
            row = s.get(Token, hash_token(token))
            if row is None:
                raise AuthFailed("Invalid token")
            if row.expires_at is not None and as_utc(row.expires_at) <= utcnow():
                raise AuthFailed("Token expired; ask for a new one")
            return Caller(row.user_id, row.kind, row.client_id)

    def user_for(self, token_or_client: str) -> str:
        """A user id from a token, a key or an anonymous client id (admin commands)."""
        with self.db.read() as s:
            row = s.get(Token, hash_token(token_or_client))
            if row is not None:
                return row.user_id
            client = s.get(Client, token_or_client)
            if client is not None:
                return client.user_id
            if s.get(User, token_or_client) is not None:
                return token_or_client
        raise NotFound(f"no token, key or client id {token_or_client!r}")

    def bind(self, client_id: str, key: str) -> dict[str, int]:
        """Move an anonymous client's sessions, jobs and available credits onto a key."""
        with self.db.write() as s:
            client = s.get(Client, client_id)
            if client is None:
                raise NotFound(f"no client id {client_id!r}")
            key_row = s.get(Token, hash_token(key))
            if key_row is None or key_row.kind != "key":
                raise NotFound("no such registered key")
            old, new = client.user_id, key_row.user_id
            if old == new:
                return {"sessions": 0, "credits": 0}
            moved = len(list(s.execute(select(WorkSession.id)
                                       .where(WorkSession.user_id == old)).scalars()))
            s.execute(update(WorkSession).where(WorkSession.user_id == old).values(user_id=new))
            s.execute(update(RenderJob).where(RenderJob.user_id == old).values(user_id=new))
            credits = self.ledger.move_all(s, old, new)
            # The anonymous token keeps working and now acts for the key's account.
            s.execute(update(Token).where(Token.user_id == old).values(user_id=new))
            client.user_id = new
        return {"sessions": moved, "credits": credits}
