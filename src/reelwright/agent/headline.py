"""A scene card's headline: the scene's point in at most six words (twelve Chinese characters).

Pure. Every word of a headline is taken, in order, from one sentence of the scene, so the card
never says something the voice does not. Candidates are the clauses of the scene's sentences
(split at punctuation and at words that start a new clause: "so", "which", "because", ...),
stripped of leading fillers ("it also", "and", "所以"), and, for a clause with a number, the
window around that number ("up to 40 hours of light", "survives 2 m drops"). The best
candidate keeps a number when the scene has one (the key fact), then covers most of the scene's
keywords, then comes earliest.

    headline(["The battery lasts up to 40 hours of light on one charge."], "en")
    # -> "Lasts up to 40 hours of light"
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from reelwright.agent.script import keywords

MAX_WORDS = 6
MAX_CHARS_ZH = 12

_NUMBER_WORDS = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                 "eleven", "twelve", "fifteen", "twenty", "thirty", "forty", "fifty", "hundred",
                 "thousand", "million", "billion", "half", "dozen", "once", "twice"}
_NUMBER = re.compile(r"^[$€£¥]?\d[\d.,:]*(%|x|k|m|h|s|mm|cm|km|kg|g|mb|gb|tb)?$", re.I)
# Words that may stand just before a number in a key fact ("up to 40 hours", "under $5").
_QUALIFIERS = {"up", "to", "about", "around", "over", "under", "only", "just", "nearly",
               "almost", "less", "more", "than", "at", "least", "most", "every", "per",
               "within", "in", "for"}
_FILLERS = {"and", "but", "so", "or", "then", "also", "it", "its", "it's", "this", "that",
            "these", "those", "they", "we", "you", "he", "she", "there", "which", "who",
            "while", "because", "as", "now", "plus", "even", "still", "too", "here", "is",
            "are", "was", "a", "an", "the", "just", "really", "simply"}
# Words a headline should not end on.
_DANGLING = {"a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "for", "with",
             "by", "from", "your", "our", "its", "their", "his", "her", "my", "that", "which",
             "than", "as", "is", "are", "be", "it", "you", "so", "every", "each", "per", "into",
             "up", "less", "more", "about", "over", "under", "single", "after", "before",
             "onto", "through", "just", "only", "very", "can", "will", "lets", "let", "helps",
             "makes", "gives", "takes", "get", "gets", "built-in", "how", "what", "when"}
# Words a window does not start on (it would begin mid-phrase).
_LEADING = {"of", "to", "in", "on", "at", "for", "with", "by", "from", "into", "onto", "through",
            "after", "before", "than", "your", "our", "their", "his", "her", "my", "you", "me",
            "us", "them", "him", "yours", "ours", "mine", "be", "been", "has", "have", "had",
            "did", "does", "do"}
_PARTICLES = {"up", "out", "off", "down", "away", "back"}
_CLAUSE_WORDS = {"so", "which", "because", "while", "but", "although", "though", "whereas",
                 "that", "who", "where", "when", "and"}
_ZH_FILLERS = ("它的", "我们的", "你的", "而且", "并且", "所以", "因此", "然后", "同时", "另外",
               "还能", "它还", "它", "这款", "我们", "你", "还", "并", "也", "就", "而", "但")
_ZH_NUMBER = re.compile(r"[\d０-９]+[\d.,%％]*"
                        r"|[一二两三四五六七八九十百千万亿半]+(?=[个分秒小时天年月周倍元度米克%％次])")
_SPLIT_ZH = re.compile(r"[，,、；;：:。！？!?（）()“”\"—…]+")
_SPLIT_EN = re.compile(r"\s*(?:[,;:!?()\"“”]|—|–|\.(?!\d)|\s-\s)\s*")


@dataclass(frozen=True)
class _Candidate:
    text: str
    has_number: int  # 2: digits ("40%", "$5.99"), 1: number words ("two years"), 0: none
    cover: int
    order: int


def _bare(word: str) -> str:
    return word.strip(".,;:!?\"'“”()[]").lower()


def _is_number(word: str) -> bool:
    bare = _bare(word)
    return bool(_NUMBER.match(bare)) or bare in _NUMBER_WORDS or (
        "-" in bare and all(part in _NUMBER_WORDS for part in bare.split("-")))


def _clauses_en(sentence: str) -> list[list[str]]:
    out: list[list[str]] = []
    for part in _SPLIT_EN.split(sentence):
        words = part.split()
        current: list[str] = []
        for i, word in enumerate(words):
            starts_clause = _bare(word) in _CLAUSE_WORDS and len(current) >= 2 and (
                _bare(word) != "and" or (i + 1 < len(words) and _bare(words[i + 1]) in
                                         {"it", "you", "we", "they", "your", "the", "then"}))
            if starts_clause:
                out.append(current)
                current = []
            current.append(word.strip(".,;:!?\"“”()"))
        if current:
            out.append(current)
    return [clause for clause in out if clause]


def _trim(words: list[str]) -> list[str]:
    start = 0
    while start < len(words) - 1 and _bare(words[start]) in _FILLERS:
        start += 1
    words = words[start:]
    while len(words) > 1 and _bare(words[-1]) in _DANGLING:
        words = words[:-1]
    return words


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def _numbers(words: list[str]) -> list[int]:
    """How much each word is a number: 2 digits, 1 number words ("one" only when a word
    follows it: "one tip", not "the last one"), 0 not a number."""
    out = []
    for i, word in enumerate(words):
        bare = _bare(word)
        if bare in ("one", "once"):
            nxt = _bare(words[i + 1]) if i + 1 < len(words) else ""
            out.append(int(bool(nxt) and nxt not in _DANGLING | _FILLERS))
        elif _is_number(word):
            out.append(2 if any(ch.isdigit() for ch in bare) else 1)
        else:
            out.append(0)
    return out


def _boundary(word: str) -> bool:
    bare = _bare(word)
    return bare in _LEADING or bare in _CLAUSE_WORDS or bare in _FILLERS


def _candidates_en(sentences: Sequence[str], keys: set[str]) -> list[_Candidate]:
    """Every window of 2..6 words of a clause that starts on a content word and ends on one."""
    out: list[_Candidate] = []
    for sentence in sentences:
        for clause in _clauses_en(sentence):
            clause = _trim(clause)
            numbers = _numbers(clause)
            n = len(clause)
            for a in range(n):
                if _bare(clause[a]) in _FILLERS | _LEADING and a > 0:
                    continue
                for b in range(a + 1, min(n, a + MAX_WORDS) + 1):
                    words = clause[a:b]
                    last = _bare(words[-1])
                    if last in _DANGLING or (numbers[b - 1] and b < n) or (
                            len(words) < 2 and n > 1):
                        continue
                    if b < n and _bare(clause[b]) in _PARTICLES:
                        continue  # "wake | up" splits a phrasal verb
                    if max(numbers[a:b]) and b < n and not _boundary(clause[b]):
                        continue  # a fact is not cut before its noun ("one simple | tip")
                    cover = sum(1 for w in words if _bare(w) in keys)
                    # a complete phrase reads better than one cut mid-way
                    whole = (a == 0 or _boundary(clause[a - 1])) + (
                        b == n or _boundary(clause[b]))
                    out.append(_Candidate(_capital(" ".join(words)), max(numbers[a:b]),
                                          2 * cover + whole, len(out)))
    return out


def _candidates_zh(sentences: Sequence[str], keys: set[str]) -> list[_Candidate]:
    out: list[_Candidate] = []
    for sentence in sentences:
        for clause in _SPLIT_ZH.split(sentence):
            clause = clause.strip()
            changed = True
            while changed:
                changed = False
                for filler in _ZH_FILLERS:
                    if clause.startswith(filler) and len(clause) > len(filler) + 1:
                        clause, changed = clause[len(filler):], True
            if not clause:
                continue
            number = _ZH_NUMBER.search(clause)
            text = clause
            if len(text) > MAX_CHARS_ZH:
                begin = max(0, number.start() - 2) if number else 0
                text = text[begin:begin + MAX_CHARS_ZH]
            cover = sum(1 for key in keys if key in text)
            found = [m.group() for m in _ZH_NUMBER.finditer(text)]
            level = 2 if any(f not in ("一", "两", "半") for f in found) else int(bool(found))
            out.append(_Candidate(text, level, cover, len(out)))
    return out


def headline(sentences: Sequence[str], language: str) -> str:
    """The scene's point in a few words taken from ``sentences`` (see the module docstring)."""
    text = " ".join(sentences)
    keys = {key.lower() for key in keywords(text, limit=8)}
    found = (_candidates_zh(sentences, keys) if language == "zh"
             else _candidates_en(sentences, keys))
    if not found:
        return ""
    best = max(found, key=lambda c: (c.has_number, c.cover, len(c.text.split()) <= 5,
                                     -c.order))
    return best.text


def word_count(text: str) -> int:
    """Words of a headline (Chinese: characters count, two to a word)."""
    wide = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    return len(text.split()) if not wide else (wide + 1) // 2
