"""What a request for a whole interactive video names on top of the recipe: "... with a Learn
more button and a choice at the end between Watch again and Finish".

``extras(message, draft, end_screen_ms, lang)`` reads named buttons and an end choice from the
person's own words (their capitalisation kept) and returns the operations that add them plus
the sentences that tell the person about them, including a question when a button has nowhere
to lead yet (no link given): nothing is added that would do nothing when clicked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from reelwright.draft import interactive
from reelwright.draft.model import Draft

Op = tuple[str, dict[str, Any]]
URL = re.compile(r"https?://[^\s\"'<>，。）)]+", re.IGNORECASE)
_BUTTON = re.compile(r"\b(?:an?|the)\s+[\"“']?(?P<label>[A-Za-z][\w' -]{0,38}?)[\"”']?\s+"
                     r"button\b", re.IGNORECASE)
_CHOICE = re.compile(r"\bchoice\b(?P<where>\s+at the end)?\s+between\s+[\"“']?(?P<a>[^,.;!?\"”]+?)"
                     r"[\"”']?\s+(?:and|or)\s+[\"“']?(?P<b>[^,.;!?\"”]+?)[\"”']?"
                     r"(?=\s+at the end|\s*[,.;!?]|\s+and\b|\s*$)", re.IGNORECASE)
_GENERIC = re.compile(r"^(?:clickable|interactive|skip|some|few|a few|\d+)$", re.IGNORECASE)
_AGAIN = re.compile(r"again|replay|restart|start over|from the start|rewatch|重看|再看|从头",
                    re.IGNORECASE)
_CONTINUE = re.compile(r"^(?:continue|keep watching|go on|play)$", re.IGNORECASE)


@dataclass
class Extras:
    ops: list[Op] = field(default_factory=list)
    said: list[str] = field(default_factory=list)
    asked: list[str] = field(default_factory=list)

    @property
    def sentences(self) -> list[str]:
        """What to tell the person: what was added, then what is still needed."""
        return self.said + self.asked


def button_label(message: str) -> str | None:
    """The name a message gives a button without quotes: "the Learn more button" ->
    "Learn more"; None for "clickable buttons" and the like."""
    for found in _BUTTON.finditer(message):
        label = found.group("label").strip()
        if not _GENERIC.match(label):
            return (label[:1].upper() + label[1:])[:interactive.MAX_LABEL_CHARS]
    return None


def _say(lang: str, en: str, zh: str) -> str:
    return zh if lang == "zh" else en


def _answer(label: str) -> dict[str, Any]:
    label = label.strip()[:interactive.MAX_LABEL_CHARS]
    if _AGAIN.search(label):
        return {"label": label, "do": "jump", "t": 0}
    if _CONTINUE.match(label):
        return {"label": label, "do": "play"}
    return {"label": label, "do": "end"}


def extras(message: str, draft: Draft, end_screen_ms: int, lang: str = "en") -> Extras:
    """Operations and sentences for the buttons and end choice ``message`` names."""
    out = Extras()
    clock = interactive.clock
    url = URL.search(message)
    label = button_label(message)
    if label is not None and url is None:
        out.asked.append(_say(
            lang, f"Which link should the \u201c{label}\u201d button open? Say for example "
                  f"\u201cthe {label} button links to https://example.com\u201d.",
            f"“{label}”按钮要打开哪个链接？例如可以说“{label}按钮链接到 https://example.com”。"))
    elif label is not None and url is not None:
        link = url.group(0).rstrip(".,;")
        start = max(0, min(end_screen_ms - 1000, draft.d // 2))
        out.ops.append(("add_button", {"label": label, "start_ms": start,
                                       "end_ms": max(start + 500, end_screen_ms),
                                       "pos": "top-right", "action": {"do": "url", "url": link}}))
        out.said.append(_say(lang, f"A \u201c{label}\u201d button opens {link} from "
                                   f"{clock(start)}.",
                             f"从{clock(start)}起有“{label}”按钮，点击打开 {link}。"))
    choice = _CHOICE.search(message)
    if choice is not None:
        answers = [_answer(choice.group("a")), _answer(choice.group("b"))]
        at = max(0, end_screen_ms - 300)
        out.ops.append(("add_choice", {"question": _say(lang, "What next?", "接下来呢？"),
                                       "at_ms": at, "choices": answers}))
        where = {"jump": _say(lang, "plays it again from the start", "从头再看"),
                 "end": _say(lang, "goes to the end screen", "进入结尾画面"),
                 "play": _say(lang, "keeps playing", "继续播放")}
        parts = [f"\u201c{a['label']}\u201d {where[a['do']]}" for a in answers]
        out.said.append(_say(lang, f"At {clock(at)}, just before the end, the video asks what "
                                   f"next: {' and '.join(parts)}.",
                             f"在{clock(at)}（结尾前）视频会问接下来做什么：{'，'.join(parts)}。"))
    return out


__all__ = ["URL", "Extras", "button_label", "extras"]
