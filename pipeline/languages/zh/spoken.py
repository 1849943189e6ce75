"""Chinese text as a Chinese speaker reads it aloud: numbers, doses, units and times in words.

The captions keep what the author wrote ("10 毫克"); the voice is given this
("十毫克"). Numbers with a unit or a measure word are said as amounts (cn2an,
which misaki's Chinese brings), with 两 for 2 before a measure word (两次,
两片); a bare run of three or more digits (911, a phone number, a year) is
said digit by digit, as Chinese speakers say them, with 1 as 一 (not 幺).
Dates, ordinals and clock hours keep their own readings: 二月二日, 第二天,
两点零五分; a fraction is 二分之一, a blood pressure 一百八十比一百二十.
"""

from __future__ import annotations

import re

DIGIT_WORDS = "零一二三四五六七八九"
UNITS = {
    "mg": "毫克", "mcg": "微克", "µg": "微克", "μg": "微克", "g": "克", "kg": "公斤", "ml": "毫升", "mL": "毫升",
    "l": "升", "L": "升", "dl": "分升", "dL": "分升", "mmol": "毫摩尔", "IU": "国际单位", "°C": "摄氏度",
    "℃": "摄氏度", "°F": "华氏度", "°": "度", "%": "%", "cm": "厘米", "mm": "毫米", "mmHg": "毫米汞柱",
    "km": "公里", "h": "小时", "min": "分钟",
}
_UNIT = "|".join(sorted((re.escape(u) for u in UNITS), key=len, reverse=True))
NUMBER = r"\d+(?:\.\d+)?"
# What says a number is an amount: a unit, a measure word or a time word after it.
MEASURE = ("毫克|微克|克|公斤|千克|毫升|升|度|秒|分钟|分鐘|分|小时|小時|天|日|周|週|星期|个|個|月|年|"
           "次|片|粒|颗|顆|剂|劑|滴|喷|噴|杯|步|岁|歲|厘米|公分|毫米|磅|单位|單位|位|名|种|種|项|項|页|頁|倍|点|點|号|號|层|層|元|块|塊|"
           + "|".join(sorted({name for name in UNITS.values() if name != "%"}, key=len, reverse=True)))
# What a unit may be given per (10 mg/kg, 5 mmol/L).
PER = rf"{_UNIT}|天|日|次|小时|小時|周|週"
# How often, written after a slash: 2 次/天 is said 每天两次.
PERIOD = "天|日|周|週|小时|小時|月"


def _amount(number: str) -> str:
    import cn2an

    return cn2an.an2cn(number, "low")


def _amount_two(number: str) -> str:
    """An amount before a measure word: 2 is 两 there (两次, 两片), not 二."""
    return "两" if number == "2" else _amount(number)


def _digits(number: str) -> str:
    return "".join(DIGIT_WORDS[int(d)] if d.isdigit() else ("点" if d == "." else d) for d in number)


def _clock(match: re.Match[str]) -> str:
    """8:30 -> 八点三十分, 2:00 -> 两点, 10:05 -> 十点零五分."""
    hour, minutes = match.group(1), match.group(2)
    said = _amount_two(str(int(hour))) + "点"
    if minutes == "00":
        return said
    return said + ("零" if minutes.startswith("0") else "") + _amount(str(int(minutes))) + "分"


def _per(match: re.Match[str]) -> str:
    """mg/kg -> 毫克每公斤, 次/天 -> 次每天."""
    return UNITS.get(match.group(1), match.group(1)) + "每" + UNITS.get(match.group(2), match.group(2))


def _ratio(match: re.Match[str]) -> str:
    """1/2 -> 二分之一 (a fraction: smaller over larger whole numbers), 180/120 -> 一百八十比一百二十."""
    top, bottom = match.group(1), match.group(2)
    if top.isdigit() and bottom.isdigit() and 0 < int(top) < int(bottom):
        return _amount(bottom) + "分之" + _amount(top)
    return _amount(top) + "比" + _amount(bottom)


def spoken(text: str) -> str:
    """``text`` with its numbers and units as they are read aloud in Mandarin."""
    # Phone numbers, digit by digit: 1-800-273-8255.
    text = re.sub(r"(?<![\d.])\d+(?:[- ]\d+){2,}(?![\d.])", lambda m: _digits(re.sub(r"[- ]", "", m.group(0))), text)
    # Times of day: 8:30 -> 八点三十分; 8:00 -> 八点.
    text = re.sub(r"(?<!\d)(\d{1,2}):(\d{2})(?!\d)", _clock, text)
    # How often: 2 次/天 -> 每天两次, 1 片/日 -> 每日一片.
    text = re.sub(rf"({NUMBER})\s*(次|片|粒|颗|顆|滴|喷|噴)\s*/\s*({PERIOD})",
                  lambda m: "每" + m.group(3) + _amount_two(m.group(1)) + m.group(2), text)
    # A unit per another: 10 mg/kg -> 10 毫克每公斤, 2 次/天 -> 2 次每天.
    text = re.sub(rf"(?<![A-Za-z])({_UNIT}|次|片|粒)\s*/\s*({PER})(?![A-Za-z])", _per, text)
    # Fractions and ratios: 1/2 片 -> 二分之一片; blood pressure 180/120 -> 一百八十比一百二十.
    text = re.sub(rf"(?<![\d.])({NUMBER})\s*/\s*({NUMBER})(?![\d.])", _ratio, text)
    # Percentages: 50% -> 百分之五十.
    text = re.sub(rf"({NUMBER})\s*%", lambda m: "百分之" + _amount(m.group(1)), text)
    # Years are said digit by digit: 2024年 -> 二零二四年.
    text = re.sub(r"(?<!\d)(\d{4})\s*年", lambda m: _digits(m.group(1)) + "年", text)
    # Months, days of the month and ordinals are names, said with 二: 2月2日 -> 二月二日, 2号, 第2天 -> 第二天.
    text = re.sub(r"(?<![\d.])(\d{1,2})\s*(?=月)", lambda m: _amount(m.group(1)), text)
    text = re.sub(r"(?<=月)\s*(\d{1,2})\s*(?=[日号號])", lambda m: _amount(m.group(1)), text)
    text = re.sub(r"(?<![\d.])(\d{1,2})\s*(?=[号號])", lambda m: _amount(m.group(1)), text)
    text = re.sub(rf"第\s*({NUMBER})\s*", lambda m: "第" + _amount(m.group(1)), text)
    # Ranges with a unit: 2-3 天 -> 两到三天.
    text = re.sub(rf"({NUMBER})\s*[-–~～]\s*({NUMBER})\s*(?=(?:{MEASURE}|{_UNIT}))",
                  lambda m: _amount_two(m.group(1)) + "到" + _amount_two(m.group(2)), text)
    # Amounts with a unit written in Latin letters or signs: 10 mg -> 十毫克.
    text = re.sub(rf"({NUMBER})\s*({_UNIT})(?![A-Za-z])",
                  lambda m: _amount_two(m.group(1)) + UNITS[m.group(2)], text)
    # Units left without a number before them: mmHg after a blood pressure.
    text = re.sub(rf"(?<=[\u3400-\u9fff])\s*({_UNIT})(?![A-Za-z])", lambda m: UNITS[m.group(1)], text)
    # Amounts before a measure word: 2 次 -> 两次, 38.5 度 -> 三十八点五度.
    text = re.sub(rf"({NUMBER})\s*(?=(?:{MEASURE}))", lambda m: _amount_two(m.group(1)), text)
    # What is left: three or more digits digit by digit (911, 988, phone numbers), others as amounts.
    text = re.sub(r"\d{3,}(?:[- ]\d+)*", lambda m: _digits(re.sub(r"[- ]", "", m.group(0))), text)
    return re.sub(NUMBER, lambda m: _amount(m.group(0)), text)
