"""How long the offline planner takes to read one chat message (no LLM, no rendering).

Routes every message of the prompt suite (tests/agent/prompt_suite.json) against a started
slideshow and prints the median, p95 and max, with the p95 as a ratio of the 100 ms target.
A timing, so it lives here and not in the tests (machines are shared and noisy).

    .venv/bin/python benchmarks/planning_latency.py
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.agent.agent_fixtures import start_state  # noqa: E402
from tests.agent.suite import cases  # noqa: E402

from reelwright.agent.intents import intent_index, route  # noqa: E402
from reelwright.agent.plan import Ctx  # noqa: E402

TARGET_P95_S = 0.1


def main() -> None:
    intent_index()  # the model loads once per process, at app start in the service
    state = start_state("show")
    ctx = Ctx(state.draft, state.media)
    timings = []
    for case in cases():
        began = time.perf_counter()
        route(ctx, case["msg"])
        timings.append(time.perf_counter() - began)
    timings.sort()
    p95 = timings[int(len(timings) * 0.95)]
    print(f"planning {len(timings)} messages: median {statistics.median(timings) * 1000:.1f} ms, "
          f"p95 {p95 * 1000:.1f} ms, max {timings[-1] * 1000:.1f} ms")
    print(f"p95 / target ({TARGET_P95_S * 1000:.0f} ms): {p95 / TARGET_P95_S:.2f}"
          f" ({'met' if p95 < TARGET_P95_S else 'MISSED'})")


if __name__ == "__main__":
    main()
