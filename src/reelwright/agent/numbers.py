"""Numbers as people type them in English and Chinese: "three", "两", "2.5", "百分之二十".

``normalize`` rewrites number words into digits ("第二张" -> "第2张", "three seconds" ->
"3 seconds") so the finders below need only look for digits. Finders return None when the
message holds no such quantity.
"""

from __future__ import annotations

import re

ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
             "七": 7, "八": 8, "九": 9}
ZH_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
_ZH_RUN = re.compile(r"[零〇一二两三四五六七八九十百千万]+")
# "一点" (a bit), "一下" (once), "一些" (some), "统一" (uniform), "一起" are not numbers.
_ZH_NOT_NUMBER_AFTER = ("点", "下", "些", "起", "样", "直", "般", "致")
_ZH_NOT_NUMBER_BEFORE = ("统", "唯", "万", "上", "下")  # "上一步" = the previous step

EN_NUMBERS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
}
EN_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "last": -1,
}
_EN_WORD = re.compile(r"\b(" + "|".join(sorted(EN_NUMBERS, key=len, reverse=True)) +
                      r")(?:[ -](one|two|three|four|five|six|seven|eight|nine))?\b", re.I)
_NUM = r"(\d+(?:\.\d+)?)"


def zh_to_int(run: str) -> int | None:
    """A Chinese numeral ("二十五", "两", "一百零三", "十") as an int; None if malformed."""
    if not run:
        return None
    if all(ch in ZH_DIGITS for ch in run) and len(run) > 1:
        return int("".join(str(ZH_DIGITS[ch]) for ch in run))  # "二〇二五"
    total, section, digit = 0, 0, None
    for ch in run:
        if ch in ZH_DIGITS:
            digit = ZH_DIGITS[ch]
        elif ch == "万":
            section = (section + (digit or 0)) * 10000
            total += section
            section, digit = 0, None
        else:
            section += (1 if digit is None else digit) * ZH_UNITS[ch]
            digit = None
    return total + section + (digit or 0)


def _zh_sub(match: re.Match[str]) -> str:
    run, text, start, end = match.group(0), match.string, match.start(), match.end()
    after = text[end:end + 1]
    before = text[start - 1:start] if start else ""
    if run == "一" and (after in _ZH_NOT_NUMBER_AFTER or before in _ZH_NOT_NUMBER_BEFORE):
        return run
    if run == "万" or (run == "一" and after == "首" and before == "换"):
        return run  # "换一首" = "another song", not a count
    value = zh_to_int(run)
    return run if value is None else str(value)


def _en_sub(match: re.Match[str]) -> str:
    value = EN_NUMBERS[match.group(1).lower()]
    if match.group(2):
        value += EN_NUMBERS[match.group(2).lower()]
    return str(value)


def normalize(text: str) -> str:
    """Lower-cased text with number words as digits and full-width forms folded."""
    out = text.replace("％", "%").replace("：", ":").replace("，", ",").replace("。", ".")
    out = out.translate({ord(c): ord("0") + i for i, c in enumerate("０１２３４５６７８９")})
    out = re.sub(r"(\d)\s*点\s*(\d)", r"\1.\2", out)  # "1点5秒" = 1.5 s
    out = out.replace("百分之", "%之")  # keep "百" from reading as 100 in "百分之二十"
    out = _ZH_RUN.sub(_zh_sub, out)
    out = out.replace("%之", "百分之")
    out = re.sub(r"(\d+)\s*秒半", lambda m: f"{int(m.group(1)) + 0.5:g}秒", out)  # "三秒半"
    out = re.sub(r"(\d)\.(?=[^\d]|$)", r"\1 ", out)  # a sentence-ending full stop
    out = out.lower()
    # Mixed English and Chinese ("把music去掉"): a space between scripts, so words stay words.
    out = re.sub(r"(?<=[\u4e00-\u9fff])(?=[a-z])|(?<=[a-z])(?=[\u4e00-\u9fff])", " ", out)
    out = re.sub(r"\b(?:a|one) (minute|second|hour) and a half\b", r"1.5 \1s", out)
    out = re.sub(r"\b(an?|one) and a half\b", "1.5", out)
    out = re.sub(r"\bhalf[- ](?:a[- ])?minute\b", "30 seconds", out)
    out = re.sub(r"\ba half\b|\bhalf an?\b", "0.5", out)
    out = re.sub(r"\ba (second|minute)\b(?! (?:photo|picture|image|clip|one|item|slide|song|"
                 r"track|title|video|music|look|time))", r"1 \1", out)
    out = _EN_WORD.sub(_en_sub, out)
    out = re.sub(r"(\d+)\s+and\s+(?:a\s+half\b|0\.5)", lambda m: f"{int(m.group(1)) + 0.5:g}",
                 out)
    return out


_DURATION_PARTS = (
    (re.compile(_NUM + r"[\s-]*(?:hours?|hrs?|小时|个小时)"), 3_600_000),
    (re.compile(_NUM + r"[\s-]*(?:minutes?|mins?(?![a-z])|分钟|分(?!之))"), 60_000),
    (re.compile(_NUM + r"[\s-]*(?:seconds?|secs?(?![a-z])|s(?![a-z])|秒钟|秒)"), 1000),
    (re.compile(_NUM + r"[\s-]*(?:milliseconds?|ms(?![a-z])|毫秒)"), 1),
)
_MINUTE_WORD = re.compile(r"\bone minute\b|一分钟")


def find_duration_ms(text: str) -> int | None:
    """The first length in ``text`` in ms: "3 seconds", "2.5s", "1 min 30 s", "3秒", "两分钟",
    "1分30秒", "半分钟". Adjacent parts add up; None when there is none."""
    norm = normalize(text)
    norm = norm.replace("半分钟", "30秒").replace("半小时", "30分钟")
    norm = re.sub(r"(\d+(?:\.\d+)?)\s*分半", lambda m: f"{float(m.group(1)) + 0.5:g}分钟", norm)
    norm = _MINUTE_WORD.sub("1 minute", norm)
    hits: list[tuple[int, int, int]] = []
    for pattern, unit in _DURATION_PARTS:
        for match in pattern.finditer(norm):
            if unit == 1000 and norm[match.end(1):match.end()].strip() == "s" and \
                    norm[match.end():match.end() + 1] == "%":
                continue
            hits.append((match.start(), match.end(), round(float(match.group(1)) * unit)))
    if not hits:
        return None
    hits.sort()
    total, end = hits[0][2], hits[0][1]
    for start, stop, value in hits[1:]:
        if norm[end:start].strip(" ,and和又零") == "":
            total += value
            end = stop
        else:
            break
    return total


_ITEM = (r"(?:photos?|pictures?|pics?|images?|slides?|clips?|shots?|items?|ones?|scenes?|"
         r"照片|图片|相片|图|张|幅|段|页)")
_DUR = r"(\d+(?:\.\d+)?)\s*(?:seconds?|secs?|s(?![a-z])|秒钟?)"
_PER_ITEM = (
    re.compile(_DUR + r"\s*(?:each|apiece|a piece|per\b|a (?:photo|picture|pic|image|slide)|"
                      r"an (?:image|item)|for each|for every|every)"),
    re.compile(r"(?:\beach|\bevery|\bper|\ball)\s+(?:single\s+|1 of the\s+)?(?:" + _ITEM +
               r"|1)\b[^.;]{0,30}?" + _DUR),
    re.compile(r"(?:每1?\s*(?:张|幅|段|页|个)|(?<![第\d.后前这那])1\s*(?:张|幅|页))\s*"
               r"(?:照片|图片|相片|图|片段)?\D{0,6}?" + _DUR),
    re.compile(_DUR + r"\s*(?:(?<![第\d.后前这那])1张|每张)"),
)


def find_per_item_ms(text: str) -> int | None:
    """A length for every item: "3 seconds per photo", "each slide 2s", "4 secs apiece",
    "every picture stays 3 seconds", "每张3秒", "一张三秒"; None when the length is for the
    whole video or there is none."""
    norm = normalize(text)
    for pattern in _PER_ITEM:
        match = pattern.search(norm)
        if match:
            return round(float(match.group(1)) * 1000)
    return None


def find_all_durations_ms(text: str) -> list[int]:
    """Every separate length in ``text`` ("from 3s to 5s" -> [3000, 5000])."""
    norm = normalize(text)
    out: list[int] = []
    for pattern, unit in _DURATION_PARTS:
        out.extend(round(float(m.group(1)) * unit) for m in pattern.finditer(norm))
    return out


_PERCENT = (re.compile(_NUM + r"\s*(?:%|percent|per cent|pct)"),
            re.compile(r"百分之\s*" + _NUM))


def find_percent(text: str) -> float | None:
    """A percentage as a fraction: "20%", "twenty percent", "百分之二十" -> 0.2."""
    norm = normalize(text)
    for pattern in _PERCENT:
        match = pattern.search(norm)
        if match:
            return float(match.group(1)) / 100
    match = re.search(r"(\d+)\s*成", norm)  # "八成" = 80 %
    if match and 1 <= int(match.group(1)) <= 10:
        return int(match.group(1)) / 10
    return None


def find_numbers(text: str) -> list[float]:
    """Every plain number in ``text`` after normalising words to digits."""
    return [float(m) for m in re.findall(r"(?<![\d.a-z])\d+(?:\.\d+)?", normalize(text))]


_NOT_A_UNIT = r"(?!\.?\d|\s*(?:s\b|secs?\b|seconds?|ms\b|minutes?|mins?\b|%|x\b|p\b|秒|分|毫秒|倍))"
_ORDINAL_PATTERNS = (
    re.compile(r"第\s*(\d+)\s*(?:张|个|段|幅|条|首|个片段|项|部分|节)?"),
    re.compile(r"\b(\d+)(?:st|nd|rd|th)\b"),
    re.compile(r"(?:#|no\.?\s*|number\s+)(\d+)\b"),
    re.compile(r"\b(?:photo|picture|pic|image|clip|video|slide|shot|item|segment|scene)s?\s+"
               r"(\d+)\b" + _NOT_A_UNIT),
    re.compile(r"(?:照片|图片|图|片段|视频|镜头)\s*(\d+)" + _NOT_A_UNIT),
)
_JOINED = re.compile(r"(?:\band\b|&|和|与|跟|,)\s*(?:the\s+)?(?:第\s*)?(\d+)(?:st|nd|rd|th)?"
                     + _NOT_A_UNIT)
_EN_ORDINAL = re.compile(r"\b(" + "|".join(EN_ORDINALS) + r")\b")
_ZH_LAST = re.compile(r"最后(?!\s*\d+(?:\.\d+)?\s*(?:秒|分|s\b|seconds?))"  # not "最后3秒"
                      r"(?:一|1)?(?:张|个|段|幅|条)?")


def find_ordinals(text: str) -> list[int]:
    """1-based positions named in ``text`` in order of appearance; -1 means "the last".

    "the second photo" -> [2]; "第二张" -> [2]; "photo 3" -> [3]; "最后一张" -> [-1];
    "swap the first and third" -> [1, 3].
    """
    norm = normalize(text)
    hits: list[tuple[int, int]] = []
    for pattern in _ORDINAL_PATTERNS:
        hits.extend((m.start(), int(m.group(1))) for m in pattern.finditer(norm))
    for m in _EN_ORDINAL.finditer(norm):
        if m.group(1) == "second" and (re.match(r"\s*(?:s\b|long|longer|shorter)",
                                                 norm[m.end():]) or
                                        re.search(r"\d\s*-?\s*$", norm[:m.start()])):
            continue  # "12 second video" is a length, not the 2nd item
        if m.group(1) == "last" and re.match(r"\s*(?:\d+(?:\.\d+)?\s*(?:s\b|secs?\b|seconds?|"
                                                r"mins?\b|minutes?)|few|couple)", norm[m.end():]):
            continue  # "the last 3 seconds" is a time
        hits.append((m.start(), EN_ORDINALS[m.group(1)]))
    for m in re.finditer(r"\b(?:final|very last|closing)\s+(?:photo|picture|pic|image|clip|"
                         r"slide|shot|item|one)\b", norm):
        hits.append((m.start(), -1))
    hits.extend((m.start(), -1) for m in _ZH_LAST.finditer(norm))
    if hits:
        # "photos 2 and 3", "第二张和第四张": a bare number joined to a named position.
        hits.extend((m.start(), int(m.group(1))) for m in _JOINED.finditer(norm))
    hits.sort()
    out: list[int] = []
    for _, value in hits:
        if value != 0 and value not in out:
            out.append(value)
    return out


def find_resolution(text: str) -> int | None:
    """A short-side resolution: "1080p", "720p", "4k", "2160p", "480p", "全高清"."""
    norm = normalize(text)
    match = re.search(r"(?<![\d.])(480|720|1080|2160)\s*p(?![a-z])", norm)
    if match:
        return int(match.group(1))
    if re.search(r"(?<![\d.])4\s*k(?![a-z])|超高清|uhd", norm):
        return 2160
    if re.search(r"\bfull ?hd\b|\bfhd\b|全高清|蓝光|超清", norm):
        return 1080
    if re.search(r"(?<!全)高清|\bhd\b", norm):
        return 720
    return None


def find_fps(text: str) -> int | None:
    match = re.search(r"(\d+)\s*(?:fps|帧每秒|帧/秒|帧)", normalize(text))
    return int(match.group(1)) if match else None
