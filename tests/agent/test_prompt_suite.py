"""The prompt suite through the offline planner: >= 95 % of turns must do what they should.

Each case starts from a named state (agent_fixtures.start_state), runs one real turn
(planner + operations + validation) and checks the properties in prompt_suite.json.
"""

from __future__ import annotations

import re
import time

from tests.agent.agent_fixtures import start_state, turn
from tests.agent.suite import Observed, cases, failures

from reelwright.draft.validate import problems

REQUIRED_PASS_RATE = 0.95


def test_suite_is_big_and_bilingual() -> None:
    all_cases = cases()
    chinese = [c for c in all_cases if re.search(r"[\u4e00-\u9fff]", c["msg"])]
    assert len(all_cases) >= 80
    assert 0.4 <= len(chinese) / len(all_cases) <= 0.6
    assert sum(1 for c in all_cases if c.get("api")) >= 10


def test_prompt_suite_pass_rate() -> None:
    # Given every case's start state, When the offline planner runs the turn,
    # Then the result has the expected properties and is always a valid draft.
    failed: list[str] = []
    slowest = 0.0
    all_cases = cases()
    for case in all_cases:
        start = start_state(case["start"])
        began = time.perf_counter()
        result = turn(start, case["msg"])
        slowest = max(slowest, time.perf_counter() - began)
        obs = Observed(result.plan.kind, start.draft, result.draft, result.changed,
                       result.charged_action is not None, result.reply)
        broken = failures(case, obs)
        if result.draft is not None and result.changed:
            invalid = problems(result.draft, {**start.media,
                                              **{g.id: g for g in result.generated}})
            broken += [f"invalid draft: {p}" for p in invalid[:3]]
        if broken:
            failed.append(f"{case['msg']!r} [{case['start']}] -> {result.plan.kind}/"
                          f"{result.plan.intent} {[c.name for c in result.plan.calls]}: "
                          f"{broken} | {result.reply[:120]}")
    rate = 1 - len(failed) / len(all_cases)
    print(f"\nprompt suite: {len(all_cases) - len(failed)}/{len(all_cases)} passed "
          f"({rate:.1%}); slowest turn {slowest * 1000:.0f} ms")
    for line in failed:
        print("  FAIL", line)
    assert rate >= REQUIRED_PASS_RATE, "\n".join(failed)
