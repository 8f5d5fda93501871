"""How often the chat agent does what people ask, in their own words.

Runs every case of the paraphrase set (tests/agent/paraphrases.py: English, Chinese and mixed
phrasings over the three workflows) through the real agent turn on real tiny uploads and judges
each only by the draft it leaves. Prints accuracy per class, per language, per workflow and
overall, for the cases the rules were tuned on and for the held-out cases separately.

    .venv/bin/python benchmarks/agent_accuracy.py              # the table
    .venv/bin/python benchmarks/agent_accuracy.py --failures   # and what went wrong (tuned)
    .venv/bin/python benchmarks/agent_accuracy.py --class removal --lang zh

Targets: overall >= 97 %, no class below 90 %.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.agent.paraphrase_harness import Verdict, judge, temporary_world  # noqa: E402
from tests.agent.paraphrases import cases  # noqa: E402
from tests.conftest import run_ffmpeg  # noqa: E402

TARGET_OVERALL = 0.97
TARGET_CLASS = 0.90


def _table(title: str, verdicts: Iterable[Verdict], key: str) -> None:
    groups: dict[str, list[bool]] = defaultdict(list)
    for v in verdicts:
        groups[str(v.case[key])].append(v.passed)
    print(f"  {title}")
    for name in sorted(groups):
        got = groups[name]
        print(f"    {name:<16} {sum(got):>4}/{len(got):<4} {sum(got) / len(got):7.1%}")


def report(verdicts: list[Verdict], label: str) -> tuple[float, float]:
    if not verdicts:
        return 1.0, 1.0
    passed = sum(v.passed for v in verdicts)
    overall = passed / len(verdicts)
    print(f"\n{label}: {passed}/{len(verdicts)} = {overall:.1%}")
    _table("by class", verdicts, "cls")
    _table("by language", verdicts, "lang")
    _table("by workflow", verdicts, "workflow")
    by_class: dict[str, list[bool]] = defaultdict(list)
    for v in verdicts:
        by_class[v.case["cls"]].append(v.passed)
    worst = min(sum(g) / len(g) for g in by_class.values())
    return overall, worst


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--failures", action="store_true",
                        help="list the tuned cases that failed, with the reply")
    parser.add_argument("--show-held-out", action="store_true",
                        help="list held-out failures too (do not tune on them)")
    parser.add_argument("--class", dest="cls", help="only this class")
    parser.add_argument("--lang", help="only this language (en, zh, mix)")
    parser.add_argument("--intent", help="only this intent id")
    args = parser.parse_args()
    chosen = [c for c in cases()
              if (args.cls is None or c["cls"] == args.cls)
              and (args.lang is None or c["lang"] == args.lang)
              and (args.intent is None or c["intent"] == args.intent)]
    began = time.perf_counter()
    world, clean = temporary_world(run_ffmpeg, {c["start"] for c in chosen})
    setup = time.perf_counter() - began
    try:
        verdicts = [judge(world, case) for case in chosen]
    finally:
        clean()
    spent = time.perf_counter() - began - setup
    print(f"{len(chosen)} cases ({sum(not c['held_out'] for c in chosen)} tuned, "
          f"{sum(c['held_out'] for c in chosen)} held out); start states in {setup:.1f} s, "
          f"turns in {spent:.1f} s (slowest {max(v.seconds for v in verdicts):.2f} s)")
    tuned = [v for v in verdicts if not v.case["held_out"]]
    held = [v for v in verdicts if v.case["held_out"]]
    report(verdicts, "ALL")
    report(tuned, "TUNED")
    report(held, "HELD OUT")
    for v in verdicts:
        if v.passed or (v.case["held_out"] and not args.show_held_out) or not (
                args.failures or args.show_held_out):
            continue
        print(f"  FAIL [{v.case['cls']}/{v.case['intent']}/{v.case['start']}] "
              f"{v.case['msg']!r}: {v.broken} | {v.reply[:160]!r}")
    classes = {v.case["cls"] for v in verdicts}
    overall = sum(v.passed for v in verdicts) / len(verdicts)
    worst = min(sum(v.passed for v in verdicts if v.case["cls"] == c) /
                sum(1 for v in verdicts if v.case["cls"] == c) for c in classes)
    ok = overall >= TARGET_OVERALL and worst >= TARGET_CLASS
    print(f"\ntarget overall >= {TARGET_OVERALL:.0%} and every class >= {TARGET_CLASS:.0%}: "
          f"{'met' if ok else 'NOT met'} (overall {overall:.1%}, worst class {worst:.1%})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
