"""Render job states change in one place: store/jobs.py (``Jobs``, ``JobStatus``).

The live preview (jobs/preview.py) is no job: no row, no credits; its in-memory
``PreviewState`` is its own."""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "reelwright"
OWNER = SRC / "store" / "jobs.py"
# an assignment to a status attribute, or a bulk update that sets one
WRITES = re.compile(r"\.status\s*=(?!=)|\.values\([^)]*\bstatus\s*=")


def test_only_the_job_owner_changes_job_states() -> None:
    offenders = [f"{path.relative_to(SRC)}:{n}: {line.strip()}"
                 for path in sorted(SRC.rglob("*.py")) if path != OWNER
                 for n, line in enumerate(path.read_text().splitlines(), start=1)
                 if WRITES.search(line)]
    assert not offenders, offenders
    assert WRITES.search(OWNER.read_text())  # the pattern does find the owner's writes
