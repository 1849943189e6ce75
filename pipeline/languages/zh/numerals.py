"""Chinese numerals as digits, so the fact guard sees 十毫克 and 10 毫克 as the same dose."""

from __future__ import annotations

import re

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
          "八": 8, "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000}
BIG = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
NUMERAL = re.compile(r"[零〇一二两兩三四五六七八九十百千万萬亿億]+(?:[点點][零〇一二三四五六七八九]+)?")
# What may follow a lone numeral for it to be a number: units and measure words (十毫克, 两次, 三天).
COUNTED = re.compile(r"\s*(?:毫克|微克|克|公斤|千克|毫升|升|度|秒|分钟|分鐘|小时|小時|钟头|天|日|周|週|星期|个|個|"
                     r"月|年|"
                     r"次|片|粒|颗|顆|剂|劑|滴|喷|噴|杯|步|岁|歲|厘米|公分|毫米|磅|单位|單位|%|"
                     r"[到至~～-]\s*[零〇一二两兩三四五六七八九十百千\d])")


def value(numeral: str) -> float:
    """The value of a numeral: 三十八点五 -> 38.5, 两千 -> 2000, 九一一 -> 911 (said digit by digit)."""
    whole, fraction = (re.split(r"[点點]", numeral, maxsplit=1) + [""])[:2]
    if whole and all(ch in DIGITS for ch in whole) and len(whole) > 1:
        number = float("".join(str(DIGITS[ch]) for ch in whole))
    else:
        total, section, current = 0, 0, 0
        for ch in whole:
            if ch in DIGITS:
                current = DIGITS[ch]
            elif ch in UNITS:
                section += (current or 1) * UNITS[ch]
                current = 0
            elif ch in BIG:
                total += (section + current) * BIG[ch]
                section, current = 0, 0
        number = float(total + section + current)
    if fraction:
        number += float("0." + "".join(str(DIGITS[ch]) for ch in fraction))
    return number


def _digits(number: float) -> str:
    return str(int(number)) if number == int(number) else f"{number:g}"


def digits_for_numerals(text: str) -> str:
    """``text`` with each Chinese numeral that counts something written in digits ("一定" is left alone)."""
    def replace(match: re.Match[str]) -> str:
        numeral = match.group(0)
        counts = bool(COUNTED.match(text, match.end()))
        if len(numeral) < 2 and not counts:
            return numeral
        if not counts and not re.search(r"[十百千万萬亿億点點]", numeral) and \
                not all(ch in DIGITS for ch in numeral):
            return numeral
        return f" {_digits(value(numeral))} "
    return NUMERAL.sub(replace, text)
