"""Write out what a voice would otherwise misread: numbers, money, percentages, ordinals,
years and common abbreviations, in English and Chinese.

The written-out text is both what the voice speaks and what the captions show, so a caption
never says "$5.99" while the voice says "five dollars and ninety-nine cents".

    normalize("It costs $5.99.", "en") == "It costs five dollars and ninety-nine cents."
    normalize("售价¥30", "zh") == "售价三十元"
"""

from __future__ import annotations

import re
from collections.abc import Callable

_ONES = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"
]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_SCALES = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"), (1000, "thousand"))
_ORDINAL_IRREGULAR = {"one": "first", "two": "second", "three": "third", "five": "fifth",
                      "eight": "eighth", "nine": "ninth", "twelve": "twelfth"}

# Spoken forms of abbreviations; the key is matched case-sensitively with its dot.
_EN_ABBREVIATIONS = {
    "Dr.": "Doctor", "Mr.": "Mister", "Mrs.": "Missus", "Ms.": "Miz", "Prof.": "Professor",
    "St.": "Saint", "Jr.": "Junior", "Sr.": "Senior", "vs.": "versus", "etc.": "et cetera",
    "e.g.": "for example", "i.e.": "that is", "approx.": "approximately", "Inc.": "Incorporated",
    "Ltd.": "Limited", "Co.": "Company", "No.": "number", "Mt.": "Mount", "min.": "minutes",
    "hrs.": "hours", "Jan.": "January", "Feb.": "February", "Aug.": "August",
    "Sept.": "September", "Oct.": "October", "Nov.": "November", "Dec.": "December",
}
_EN_UNITS = {"km": "kilometres", "kg": "kilograms", "cm": "centimetres", "mm": "millimetres",
             "GB": "gigabytes", "MB": "megabytes", "TB": "terabytes", "mph": "miles per hour",
             "h": "hours", "hr": "hours", "min": "minutes", "s": "seconds", "ms": "milliseconds",
             "lb": "pounds", "lbs": "pounds", "ft": "feet", "m": "metres", "W": "watts",
             "kW": "kilowatts", "mAh": "milliamp hours", "Hz": "hertz"}
_EN_CURRENCIES = {"$": ("dollar", "dollars", "cent", "cents"),
                  "€": ("euro", "euros", "cent", "cents"),
                  "£": ("pound", "pounds", "penny", "pence"),
                  "¥": ("yuan", "yuan", "fen", "fen")}
_EN_SUFFIX_SCALE = {"k": "thousand", "K": "thousand", "m": "million", "M": "million",
                    "bn": "billion", "B": "billion"}

_ZH_DIGITS = "零一二三四五六七八九"
_ZH_SMALL_UNITS = ("", "十", "百", "千")
_ZH_BIG_UNITS = ("", "万", "亿", "万亿")
_ZH_CURRENCIES = {"¥": "元", "￥": "元", "$": "美元", "€": "欧元", "£": "英镑"}


def number_words(n: int) -> str:
    """An integer in English words: 1234 -> "one thousand two hundred thirty-four"."""
    if n < 0:
        return "minus " + number_words(-n)
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return f"{_ONES[hundreds]} hundred" + (f" {number_words(rest)}" if rest else "")
    for scale, name in _SCALES:
        if n >= scale:
            high, rest = divmod(n, scale)
            return f"{number_words(high)} {name}" + (f" {number_words(rest)}" if rest else "")
    raise AssertionError("unreachable")  # pragma: no cover


def ordinal_words(n: int) -> str:
    """3 -> "third", 21 -> "twenty-first", 100 -> "one hundredth"."""
    words = number_words(n)
    cut = max(words.rfind(" "), words.rfind("-")) + 1
    head, last = words[:cut], words[cut:]
    if last in _ORDINAL_IRREGULAR:
        last = _ORDINAL_IRREGULAR[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last += "th"
    return head + last


def year_words(n: int) -> str:
    """A year as people say it: 1999 -> "nineteen ninety-nine", 2024 -> "twenty twenty-four"."""
    if 2000 <= n <= 2009:
        return number_words(n)
    high, low = divmod(n, 100)
    if low == 0:
        return f"{number_words(high)} hundred"
    if low < 10:
        return f"{number_words(high)} oh {number_words(low)}"
    return f"{number_words(high)} {number_words(low)}"


def _digits_words(digits: str) -> str:
    return " ".join(_ONES[int(d)] for d in digits)


def _decimal_words(text: str) -> str:
    whole, _, frac = text.partition(".")
    words = number_words(int(whole or "0"))
    return f"{words} point {_digits_words(frac)}" if frac else words


def _money_en(symbol: str, amount: str, scale: str | None) -> str:
    one, many, cent_one, cent_many = _EN_CURRENCIES[symbol]
    if scale:
        return f"{_decimal_words(amount)} {_EN_SUFFIX_SCALE[scale]} {many}"
    whole_text, _, frac = amount.partition(".")
    whole = int(whole_text or "0")
    cents = int((frac + "00")[:2]) if frac else 0
    parts = []
    if whole or not cents:
        parts.append(f"{number_words(whole)} {one if whole == 1 else many}")
    if cents:
        parts.append(f"{number_words(cents)} {cent_one if cents == 1 else cent_many}")
    return " and ".join(parts)


def _plain_number_en(match: re.Match[str]) -> str:
    text = match.group(0).replace(",", "")
    if "." not in text and len(text) == 4 and 1100 <= int(text) <= 2099:
        return year_words(int(text))
    if "." not in text and len(text) > 1 and text.startswith("0"):
        return _digits_words(text)  # codes and phone-like digits are read one by one
    return _decimal_words(text)


_EN_RULES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r"([$€£¥])\s?(\d[\d,]*(?:\.\d+)?)(?:\s?(bn|[kKmMB])\b)?"),
     lambda m: _money_en(m.group(1), m.group(2).replace(",", ""), m.group(3))),
    (re.compile(r"(\d[\d,]*(?:\.\d+)?)\s?%"),
     lambda m: f"{_decimal_words(m.group(1).replace(',', ''))} percent"),
    (re.compile(r"\b(\d+)(st|nd|rd|th)\b"), lambda m: ordinal_words(int(m.group(1)))),
    (re.compile(r"\b(\d+(?:\.\d+)?)\s?(" + "|".join(sorted(_EN_UNITS, key=len, reverse=True))
                + r")\b"),
     lambda m: f"{_decimal_words(m.group(1))} {_EN_UNITS[m.group(2)]}"),
    (re.compile(r"\b(\d{1,2}):(\d{2})\b"),
     lambda m: number_words(int(m.group(1))) + (
         "" if m.group(2) == "00" else
         (" oh " if m.group(2).startswith("0") else " ") + number_words(int(m.group(2))))),
    (re.compile(r"(?<![\d.])\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"), _plain_number_en),
    (re.compile(r"\s&\s"), lambda m: " and "),
    (re.compile(r"(?<=\w)\s?\+\s?(?=\w)"), lambda m: " plus "),
)


def normalize_en(text: str) -> str:
    """English text with numbers, money, percentages and abbreviations in words."""
    for abbreviation, spoken in _EN_ABBREVIATIONS.items():
        text = re.sub(r"(?<![\w.])" + re.escape(abbreviation), spoken, text)
    for pattern, spell in _EN_RULES:
        text = pattern.sub(spell, text)
    return re.sub(r"[ \t]+", " ", text).strip()


def zh_number(n: int) -> str:
    """An integer in Chinese numerals: 30 -> "三十", 10086 -> "一万零八十六", 12 -> "十二"."""
    if n == 0:
        return _ZH_DIGITS[0]
    if n < 0:
        return "负" + zh_number(-n)
    groups: list[int] = []
    while n:
        n, group = divmod(n, 10000)
        groups.append(group)
    out = ""
    zero_pending = False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            zero_pending = bool(out)
            continue
        if out and (zero_pending or group < 1000):
            out += "零"
        out += _zh_group(group) + _ZH_BIG_UNITS[index]
        zero_pending = False
    if out.startswith("一十"):
        out = out[1:]  # 十二, not 一十二
    return out


def _zh_group(n: int) -> str:
    out = ""
    zero = False
    for power in range(3, -1, -1):
        digit = n // 10**power % 10
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += _ZH_DIGITS[digit] + _ZH_SMALL_UNITS[power]
    return out


def _zh_decimal(text: str) -> str:
    whole, _, frac = text.partition(".")
    spoken = zh_number(int(whole or "0"))
    return spoken + ("点" + "".join(_ZH_DIGITS[int(d)] for d in frac) if frac else "")


def _zh_money(symbol: str, amount: str) -> str:
    unit = _ZH_CURRENCIES[symbol]
    whole, _, frac = amount.partition(".")
    spoken = zh_number(int(whole or "0")) + unit
    cents = (frac + "00")[:2] if frac else "00"
    if unit == "元" and cents != "00":
        jiao, fen = int(cents[0]), int(cents[1])
        spoken += (_ZH_DIGITS[jiao] + "角" if jiao else "零") + (
            _ZH_DIGITS[fen] + "分" if fen else "")
        return spoken.removesuffix("零")
    if cents != "00":
        spoken = _zh_decimal(f"{whole}.{frac}") + unit
    return spoken


_ZH_RULES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r"([¥￥$€£])\s?(\d[\d,]*(?:\.\d+)?)"),
     lambda m: _zh_money(m.group(1), m.group(2).replace(",", ""))),
    (re.compile(r"(\d[\d,]*(?:\.\d+)?)\s?元"),
     lambda m: _zh_decimal(m.group(1).replace(",", "")) + "元"),
    (re.compile(r"(\d+(?:\.\d+)?)\s?[%％]"), lambda m: "百分之" + _zh_decimal(m.group(1))),
    (re.compile(r"(\d{4})\s?年"), lambda m: "".join(_ZH_DIGITS[int(d)] for d in m.group(1)) + "年"),
    (re.compile(r"第\s?(\d+)"), lambda m: "第" + zh_number(int(m.group(1)))),
    (re.compile(r"\d[\d,]*(?:\.\d+)?"), lambda m: _zh_decimal(m.group(0).replace(",", ""))),
)


def normalize_zh(text: str) -> str:
    """Chinese text with Arabic numerals, money and percentages in Chinese words."""
    for pattern, spell in _ZH_RULES:
        text = pattern.sub(spell, text)
    return text.strip()


def normalize(text: str, language: str) -> str:
    """``text`` written out for speaking in ``language`` ("en" or "zh"; others pass through)."""
    if language.startswith("zh"):
        return normalize_zh(text)
    if language.startswith("en"):
        return normalize_en(text)
    return text.strip()
