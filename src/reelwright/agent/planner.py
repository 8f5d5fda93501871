"""Planners turn one chat message into a ``Plan``. The offline planner is the default: rules
plus sentence embeddings, deterministic and fast (a few ms a turn once warm)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from reelwright.agent.intents import route
from reelwright.agent.plan import Ctx, DryRun, Plan


class Planner(Protocol):
    name: str

    async def plan(self, ctx: Ctx, message: str, *,
                   conversation: Sequence[Mapping[str, Any]] = (),
                   dry_run: DryRun | None = None) -> Plan:
        """The plan for ``message``; must not change anything itself."""
        ...


class OfflinePlanner:
    """Rules and embeddings (``reelwright.agent.intents``); needs no network."""

    name = "offline"

    async def plan(self, ctx: Ctx, message: str, *, conversation: Sequence[Mapping[str, Any]] = (),
                   dry_run: DryRun | None = None) -> Plan:
        return route(ctx, message, dry_run)
