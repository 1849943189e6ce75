"""Chinese text as a Chinese speaker reads it aloud: numbers, doses, units and times in words.

The captions keep what the author wrote ("10 毫克"); the voice is given this
("十毫克"). Numbers with a unit or a measure word are said as amounts (cn2an,
which misaki's Chinese brings); a bare run of three or more digits (911, a
phone number, a year) is said digit by digit, as Chinese speakers say them.
"""

from __future__ import annotations

import re

DIGIT_WORDS = "零一二三四五六七八九"
UNITS = {
    "mg": "毫克", "mcg": "微克", "µg": "微克", "μg": "微克", "g": "克", "kg": "公斤", "ml": "毫升", "mL": "毫升",
    "l": "升", "L": "升", "°C": "摄氏度", "℃": "摄氏度", "°F": "华氏度", "°": "度", "%": "%", "cm": "厘米",
    "mm": "毫米", "mmHg": "毫米汞柱", "km": "公里", "h": "小时", "min": "分钟",
}
_UNIT = "|".join(sorted((re.escape(u) for u in UNITS), key=len, reverse=True))
NUMBER = r"\d+(?:\.\d+)?"
# What says a number is an amount: a unit, a measure word or a time word after it.
MEASURE = ("毫克|微克|克|公斤|千克|毫升|升|度|秒|分钟|分鐘|分|小时|小時|天|日|周|週|星期|个|個|月|年|"
           "次|片|粒|颗|顆|剂|劑|滴|喷|噴|杯|步|岁|歲|厘米|公分|毫米|磅|单位|單位|位|名|种|種|项|項|页|頁|倍|点|點|号|號|层|層|元|块|塊")


def _amount(number: str) -> str:
    import cn2an

    return cn2an.an2cn(number, "low")


def _amount_two(number: str) -> str:
    """An amount before a measure word: 2 is 两 there (两次, 两片), not 二."""
    return "两" if number == "2" else _amount(number)


def _digits(number: str) -> str:
    return "".join(DIGIT_WORDS[int(d)] if d.isdigit() else ("点" if d == "." else d) for d in number)


def spoken(text: str) -> str:
    """``text`` with its numbers and units as they are read aloud in Mandarin."""
    # Phone numbers, digit by digit: 1-800-273-8255.
    text = re.sub(r"(?<![\d.])\d+(?:[- ]\d+){2,}(?![\d.])", lambda m: _digits(re.sub(r"[- ]", "", m.group(0))), text)
    # Times of day: 8:30 -> 八点三十分; 8:00 -> 八点.
    text = re.sub(r"(?<!\d)(\d{1,2}):(\d{2})(?!\d)",
                  lambda m: _amount(m.group(1)) + "点" + ("" if m.group(2) == "00" else _amount(m.group(2)) + "分"),
                  text)
    # Ratios such as blood pressure 180/120: 一百八十比一百二十.
    text = re.sub(rf"({NUMBER})\s*/\s*({NUMBER})(?!\s*(?:{_UNIT}))",
                  lambda m: _amount(m.group(1)) + "比" + _amount(m.group(2)), text)
    # Percentages: 50% -> 百分之五十.
    text = re.sub(rf"({NUMBER})\s*%", lambda m: "百分之" + _amount(m.group(1)), text)
    # Years are said digit by digit: 2024年 -> 二零二四年.
    text = re.sub(r"(?<!\d)(\d{4})\s*年", lambda m: _digits(m.group(1)) + "年", text)
    # Ranges with a unit: 2-3 天 -> 两到三天.
    text = re.sub(rf"({NUMBER})\s*[-–~～]\s*({NUMBER})\s*(?=(?:{MEASURE}|{_UNIT}))",
                  lambda m: _amount_two(m.group(1)) + "到" + _amount_two(m.group(2)), text)
    # Amounts with a unit written in Latin letters or signs: 10 mg -> 十毫克.
    text = re.sub(rf"({NUMBER})\s*({_UNIT})(?![A-Za-z])",
                  lambda m: _amount_two(m.group(1)) + UNITS[m.group(2)], text)
    # Amounts before a measure word: 2 次 -> 两次, 38.5 度 -> 三十八点五度.
    text = re.sub(rf"({NUMBER})\s*(?=(?:{MEASURE}))", lambda m: _amount_two(m.group(1)), text)
    # What is left: three or more digits digit by digit (911, 988, phone numbers), others as amounts.
    text = re.sub(r"\d{3,}(?:[- ]\d+)*", lambda m: _digits(re.sub(r"[- ]", "", m.group(0))), text)
    return re.sub(NUMBER, lambda m: _amount(m.group(0)), text)
