"""A pasted or uploaded script -> title, language and scenes of readable length. Pure.

    script = parse_script("Aurora Lamp\n\nMeet Aurora. It glows. ...")
    script.title     # "Aurora Lamp"
    script.language  # "en"
    script.scenes    # (Scene(index=1, sentences=("Meet Aurora.", "It glows.")), ...)
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from reelwright.draft.text_clean import clean_text
from reelwright.errors import OperationInvalid

MAX_SCRIPT_CHARS = 20000
# A scene holds about as much as one caption card and one picture carry comfortably.
SCENE_MAX_WORDS = 28
SCENE_MAX_CJK_CHARS = 48
TITLE_MAX_WORDS = 12
TITLE_MAX_CJK_CHARS = 24

_EN_ABBREVIATIONS = ("Dr", "Mr", "Mrs", "Ms", "Prof", "St", "Jr", "Sr", "vs", "etc", "e.g",
                     "i.e", "approx", "Inc", "Ltd", "Co", "No", "Mt", "Jan", "Feb", "Aug",
                     "Sept", "Oct", "Nov", "Dec", "U.S", "a.m", "p.m")
_EN_END = re.compile(r"(?<=[.!?…])[\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9$€£¥\x00])")
_ZH_END = re.compile(r"(?<=[。！？!?；…])[”’」』)]*")
_STOPWORDS = frozenset(
    [
        "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "for", "with", "from",
        "by", "is", "are", "was", "were", "be", "been", "it", "its", "this", "that", "these",
        "those", "you", "your", "we", "our", "they", "their", "he", "she", "his", "her", "i", "my",
        "me", "as", "so", "if", "not", "no", "can", "will", "just", "than", "then", "into", "out",
        "up", "down", "over", "more", "most", "very", "all", "any", "each", "every", "also", "has",
        "have", "had", "do", "does", "did", "what", "which", "who", "how", "when", "where", "why"
    ])


@dataclass(frozen=True)
class Scene:
    """Consecutive sentences shown over one picture; ``index`` counts from 1."""

    index: int
    sentences: tuple[str, ...]

    @property
    def text(self) -> str:
        joiner = "" if any(_is_cjk(ch) for ch in "".join(self.sentences)) else " "
        return joiner.join(self.sentences)


@dataclass(frozen=True)
class Script:
    title: str | None
    language: str
    scenes: tuple[Scene, ...]

    @property
    def sentences(self) -> list[str]:
        return [sentence for scene in self.scenes for sentence in scene.sentences]

    @property
    def word_count(self) -> int:
        return sum(count_words(sentence) for sentence in self.sentences) + (
            count_words(self.title) if self.title else 0)


def _is_cjk(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F") and char.isalpha()


def detect_language(text: str) -> str:
    """"zh" when Chinese characters make up a fair share of the letters, else "en"."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return "en"
    cjk = sum(1 for ch in letters if _is_cjk(ch))
    return "zh" if cjk / len(letters) >= 0.3 else "en"


def count_words(text: str) -> int:
    """Words for English, characters for Chinese (what a reader or a voice gets through)."""
    cjk = sum(1 for ch in text if _is_cjk(ch))
    rest = re.sub(r"[^\W\d_]", lambda m: " " if _is_cjk(m.group(0)) else m.group(0), text)
    return cjk + len([token for token in rest.split() if any(ch.isalnum() for ch in token)])


def split_sentences(text: str, language: str) -> list[str]:
    """Sentences of ``text``; abbreviations like "Dr." and decimals like "5.99" do not end one."""
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        return []
    if language == "zh":
        parts = _ZH_END.split(text)
    else:
        guarded = text
        for i, abbreviation in enumerate(_EN_ABBREVIATIONS):
            guarded = re.sub(r"(?<![\w.])" + re.escape(abbreviation) + r"\.",
                             f"\x00{i}\x01", guarded)
        parts = [re.sub(r"\x00(\d+)\x01", lambda m: _EN_ABBREVIATIONS[int(m.group(1))] + ".",
                        part) for part in _EN_END.split(guarded)]
    return [part.strip() for part in parts if part and part.strip()]


def _title_of(lines: list[str], language: str) -> str | None:
    """The first line, when it reads like a headline: short, no sentence ending, text after it."""
    if len(lines) < 2:
        return None
    first = lines[0].strip()
    marked = first.startswith("#")
    first = first.lstrip("#").strip().strip("*_").strip()
    if not first:
        return None
    limit = TITLE_MAX_CJK_CHARS if language == "zh" else TITLE_MAX_WORDS
    if count_words(first) > limit:
        return None
    if not marked and first[-1] in ".。!！?？,，;；" and not first.endswith("?"):
        return None
    return first


def group_scenes(sentences: list[str], language: str) -> list[tuple[str, ...]]:
    """Consecutive sentences packed into scenes of at most ~28 words (48 Chinese characters)."""
    limit = SCENE_MAX_CJK_CHARS if language == "zh" else SCENE_MAX_WORDS
    scenes: list[list[str]] = []
    size = 0
    for sentence in sentences:
        words = count_words(sentence)
        if scenes and size + words <= limit and len(scenes[-1]) < 3:
            scenes[-1].append(sentence)
            size += words
        else:
            scenes.append([sentence])
            size = words
    return [tuple(scene) for scene in scenes]


_BULLET = re.compile(r"^\s*(?:[-*•·]|\d+[.)、])\s+")


def _paragraphs(body: str, language: str) -> list[str]:
    """Blank lines and bullets separate paragraphs; a hard-wrapped line continues its own."""
    out: list[str] = []
    joiner = "" if language == "zh" else " "
    current: list[str] = []
    for raw in body.split("\n"):
        line = raw.strip().lstrip("#").strip()
        bullet = _BULLET.match(raw)
        if not line or bullet:
            if current:
                out.append(joiner.join(current))
            current = []
        if bullet:
            line = raw[bullet.end():].strip()
        if line:
            current.append(line)
    if current:
        out.append(joiner.join(current))
    return out


def parse_script(text: str, language: str | None = None) -> Script:
    """Title, language and scenes of ``text``. Raises ``OperationInvalid`` for an empty or
    over-long script (the message says the limit)."""
    cleaned = clean_text(text).strip().lstrip("\ufeff")
    if not any(ch.isalnum() for ch in cleaned):
        raise OperationInvalid("the script is empty: paste a few sentences to turn into a video")
    if len(cleaned) > MAX_SCRIPT_CHARS:
        raise OperationInvalid(f"the script has {len(cleaned)} characters; the limit is "
                               f"{MAX_SCRIPT_CHARS} (about 3,000 words)")
    if language not in (None, "en", "zh"):
        raise OperationInvalid(f"unsupported language {language!r}; use en or zh")
    lang = language or detect_language(cleaned)
    lines = [line for line in cleaned.split("\n") if line.strip()]
    title = _title_of(lines, lang)
    body = cleaned.split("\n", 1)[1] if title else cleaned
    sentences: list[str] = []
    for paragraph in _paragraphs(body, lang):
        sentences += split_sentences(paragraph, lang)
    if not sentences:
        sentences, title = [title or cleaned], None
    scenes = tuple(Scene(i + 1, group)
                   for i, group in enumerate(group_scenes(sentences, lang)))
    return Script(title=title, language=lang, scenes=scenes)


def keywords(text: str, limit: int = 5) -> list[str]:
    """The scene's telling words (longest non-stopwords first, or CJK runs), lower-cased."""
    tokens = re.findall(r"[A-Za-z][A-Za-z'-]+|[\u4e00-\u9fff]{2,}", text)
    seen: dict[str, None] = {}
    for token in tokens:
        word = token.lower().strip("'-")
        if word not in _STOPWORDS and len(word) > 2 or _is_cjk(word[:1]):
            seen.setdefault(word, None)
    return sorted(seen, key=len, reverse=True)[:limit]
