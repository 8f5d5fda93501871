"""The project's documents stand on their own and docs/protocol.md matches the service."""

import re
from pathlib import Path

from reelwright import errors
from reelwright.api import create_app
from reelwright.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
PROTOCOL = ROOT / "docs" / "protocol.md"
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
FRAMEWORK_PATHS = {"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"}


def _documents() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")),
            *sorted((ROOT / "skills").glob("*/SKILL.md"))]


def test_documents_link_only_inside_the_repository() -> None:
    problems = []
    for doc in _documents():
        text = doc.read_text(encoding="utf-8")
        if "DESIGN.md" in text or "../shared" in text:
            problems.append(f"{doc.relative_to(ROOT)}: points at a file outside the repository")
        for target in LINK.findall(text):
            if re.match(r"[a-z]+:", target):
                continue
            path = (doc.parent / target).resolve()
            if not path.is_relative_to(ROOT) or not path.exists():
                problems.append(f"{doc.relative_to(ROOT)}: broken link {target}")
    assert not problems, problems


def test_protocol_lists_every_route(tmp_path: Path) -> None:
    app = create_app(Settings({"data_dir": str(tmp_path)}))
    text = PROTOCOL.read_text(encoding="utf-8")
    missing = []
    for path, item in app.openapi()["paths"].items():
        if path in FRAMEWORK_PATHS:
            continue
        pattern = re.escape(path).replace(r"\{", "{").replace(r"\}", "}")
        pattern = re.sub(r"\{[^}]+\}", r"\\{[a-z_]+\\}", pattern)
        for method in item:
            row = re.compile(rf"^\|[^|\n]*\b{method.upper()}\b[^|\n]*\| `{pattern}[`?]",
                             re.MULTILINE)
            if not row.search(text):
                missing.append(f"{method.upper()} {path}")
    assert not missing, f"routes missing from docs/protocol.md: {missing}"


def _error_classes() -> list[type[errors.ReelwrightError]]:
    found, todo = [], [errors.ReelwrightError]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return [c for c in found if c is not errors.ReelwrightError]


def test_protocol_lists_every_error_code() -> None:
    text = PROTOCOL.read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    missing = []
    for cls in _error_classes():
        status = "—" if cls.code >= 5000 else str(cls.http_status)
        if not any(line.startswith(f"| {cls.code} | {status} |") and f"`{cls.__name__}`" in line
                   for line in rows):
            missing.append(f"{cls.__name__} ({cls.code}, HTTP {cls.http_status})")
    assert not missing, f"error classes missing from docs/protocol.md: {missing}"
