"""Every third-party import under src/, tests/, benchmarks/ and scripts/ is declared in
pyproject.toml, directly (in ``dependencies`` or an extra), not merely present on this machine.

A package that arrives only as another package's dependency, or only because the developer's
own Python happens to have it, breaks a clean install the day that changes: CI must catch it.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCANNED = ("src", "tests", "benchmarks", "scripts")


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared_distributions() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = list(project.get("dependencies", []))
    for extra in project.get("optional-dependencies", {}).values():
        requirements.extend(extra)
    return {_normalise(re.split(r"[\s\[<>=!~;]", req, maxsplit=1)[0]) for req in requirements}


def local_modules() -> set[str]:
    """Top-level names that resolve inside the repository (the package, test helpers...)."""
    names = {"reelwright", "tests"}
    for folder in SCANNED:
        for path in (ROOT / folder).rglob("*.py"):
            names.add(path.stem)
        names.update(p.name for p in (ROOT / folder).rglob("*") if p.is_dir())
    return names


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def undeclared_imports() -> dict[str, list[str]]:
    """Maps each third-party top-level import that no declared distribution provides to the
    files that import it."""
    declared = declared_distributions()
    providers = packages_distributions()
    local = local_modules()
    missing: dict[str, list[str]] = {}
    for folder in SCANNED:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if ".venv" in path.parts or "build" in path.parts:
                continue
            for module in imported_modules(path):
                if module in sys.stdlib_module_names or module in local or module == "__future__":
                    continue
                # not installed here: a declared distribution of the same name provides it
                dists = {_normalise(d) for d in providers.get(module, [_normalise(module)])}
                if not dists & declared:
                    missing.setdefault(module, []).append(str(path.relative_to(ROOT)))
    return missing


def test_every_third_party_import_is_declared() -> None:
    missing = undeclared_imports()
    assert not missing, (
        "imports that no dependency or extra in pyproject.toml declares "
        f"(add the distribution to pyproject.toml): {missing}")


def test_the_check_sees_an_undeclared_import(tmp_path: Path) -> None:
    # Given a file importing a module nothing provides, the scanner reports it.
    probe = tmp_path / "probe_import.py"
    probe.write_text("import numpy\nimport surely_not_a_declared_module\nfrom . import x\n")
    assert imported_modules(probe) == {"numpy", "surely_not_a_declared_module"}
    assert "surely-not-a-declared-module" not in declared_distributions()
    assert "numpy" in declared_distributions()
