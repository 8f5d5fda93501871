"""Follow a SKILL.md literally: read its workflow's curl commands and replay them with plain httpx
(not the SDK), substituting the shell variables the skill tells the agent to keep."""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

SKILLS = Path(__file__).resolve().parents[2] / "skills"
_CURL_PATH = re.compile(r'"\$REELWRIGHT_URL(/[^"]*)"')
_METHOD = re.compile(r"-X\s+([A-Z]+)")
_BODY = re.compile(r"-d '(.*)'\s*$")


@dataclass(frozen=True)
class Step:
    method: str
    path: str
    line: str

    def body(self, **shell: str) -> Any:
        """The ``-d '...'`` JSON body with the skill's ``'"$VAR"'`` splices filled in."""
        match = _BODY.search(self.line)
        assert match, f"no JSON body in {self.line}"
        text = re.sub(r"'\"\$(\w+)\"'", lambda m: shell[m.group(1)], match.group(1))
        # DRAFT stands for the draft read in the state step; the caller puts it in.
        return json.loads(re.sub(r"\bDRAFT\w*", "null", text))


@dataclass(frozen=True)
class Skill:
    name: str
    meta: dict[str, Any]
    text: str

    @classmethod
    def load(cls, folder: str) -> Skill:
        text = (SKILLS / folder / "SKILL.md").read_text(encoding="utf-8")
        _, front, _ = text.split("---", 2)
        # Front matter here is flat `key: value` lines; no YAML library needed to read it.
        meta = {key.strip(): value.strip() for key, _, value in
                (line.partition(":") for line in front.strip().splitlines())}
        return cls(name=folder, meta=meta, text=text)

    def section(self, title: str) -> str:
        start = self.text.index(f"## {title}")
        end = self.text.find("\n## ", start + 3)
        return self.text[start:end if end > 0 else None]

    def steps(self) -> list[Step]:
        out = []
        for line in self.section("Workflow").splitlines():
            path = _CURL_PATH.search(line)
            if "curl " in line and path:
                method = _METHOD.search(line)
                out.append(Step(method.group(1) if method else "GET", path.group(1),
                                line.strip()))
        return out

    def attribution(self) -> dict[str, str]:
        block = self.section("Attribution headers (send them with every request)")
        line = next(x for x in block.splitlines() if x.startswith("ATTR=("))
        line += next(x for x in block.splitlines() if "X-Skill-Platform:" in x and '"' in x)
        return dict(h.split(": ", 1) for h in re.findall(r'-H "([^"]+)"', line))


@dataclass
class SkillRun:
    """One replay: ``shell`` holds the variables the skill keeps (TOKEN, SESSION_ID, ...)."""

    skill: Skill
    base_url: str
    shell: dict[str, str] = field(default_factory=dict)
    done: list[tuple[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.http = httpx.Client(timeout=httpx.Timeout(30, read=600))
        self.shell.setdefault("APP", "nemo_agent")
        self.shell.setdefault("CLIENT_ID", f"skill-test-{time.time_ns()}")
        self.steps = self.skill.steps()

    def close(self) -> None:
        self.http.close()

    def step(self, route: str) -> Step:
        """The workflow's next curl, checked to be the route the caller expects."""
        step = self.steps[len(self.done)]
        assert step.path.startswith(route), f"step {len(self.done) + 1} is {step.path}"
        self.done.append((step.method, step.path))
        return step

    def url(self, step: Step) -> str:
        path = re.sub(r"\$(\w+)", lambda m: self.shell[m.group(1)], step.path)
        path = re.sub(r"render_\d+", self.shell.get("RENDER_ID", "render_0"), path)
        return self.base_url + path

    def headers(self, step: Step) -> dict[str, str]:
        headers = dict(self.skill.attribution())
        for name, value in re.findall(r'-H "([^:"]+): ([^"]+)"', step.line):
            headers[name] = re.sub(r"\$(\w+)", lambda m: self.shell[m.group(1)], value)
        return headers

    def call(self, step: Step, **kwargs: Any) -> Any:
        response = self.http.request(step.method, self.url(step), headers=self.headers(step),
                                     **kwargs)
        body = response.json()
        assert body["code"] == 0, (step.path, response.status_code, body)
        return body["data"]

    def stream_turn(self, step: Step) -> list[dict[str, Any]]:
        """POST /run_sse and collect its events by hand: ``data:`` lines, ``:`` heartbeats."""
        events: list[dict[str, Any]] = []
        data: list[str] = []
        with self.http.stream(step.method, self.url(step), headers=self.headers(step),
                              json=step.body(**self.shell)) as response:
            if response.status_code != 200:
                response.read()
                raise AssertionError(f"/run_sse answered {response.status_code}: "
                                     f"{response.text[:300]}")
            for line in response.iter_lines():
                if line.startswith(":"):
                    continue
                if line.startswith("data:"):
                    data.append(line[5:].strip())
                elif not line and data:
                    events.append(json.loads("\n".join(data)))
                    data = []
        if data:
            events.append(json.loads("\n".join(data)))
        return events

    def render(self, export: Step, poll: Step, draft: dict[str, Any],
               deadline_s: float = 420) -> dict[str, Any]:
        self.shell["RENDER_ID"] = f"render_{int(time.time() * 1000)}"
        body = export.body(**self.shell)
        body["id"], body["draft"] = self.shell["RENDER_ID"], draft
        self.call(export, json=body)
        ends = time.monotonic() + deadline_s
        while True:
            status = self.call(poll)
            if status["status"] in ("completed", "failed"):
                return dict(status)
            assert time.monotonic() < ends, f"render still {status['status']}"
            time.sleep(1)


def texts(events: list[dict[str, Any]]) -> str:
    return " ".join(p["text"] for e in events for p in (e.get("content") or {}).get("parts", [])
                    if isinstance(p, dict) and p.get("text"))
