"""Chinese: Mandarin, in Simplified characters (mainland) or Traditional (Taiwan, Hong Kong).

Chinese has no spaces between words: words are found by jieba's
segmentation (its dictionary ships in the package), sentences end at 。！？；
and the speaking pace is counted in characters a minute. Numbers written in
Chinese numerals (十, 两, 三十八点五) are the same facts as digits.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

from .. import N_, Braille, FactWords, Language, Reading, ReadingScore
from .numerals import digits_for_numerals

# A sentence ends at a full-width full stop, exclamation or question mark or semicolon (or their
# half-width forms before a space), with any closing quote or bracket kept on it.
SENTENCE_END = re.compile(r"[。！？；!?;][”’」』）)》]*|[.](?=\s)")
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
PUNCTUATION = re.compile(r"^[\W_]+$")


def split_sentences(text: str) -> list[str]:
    sentences, start = [], 0
    for end in SENTENCE_END.finditer(text):
        sentence = text[start:end.end()].strip()
        if sentence:
            sentences.append(sentence)
        start = end.end()
    rest = text[start:].strip()
    if rest:
        sentences.append(rest)
    return sentences


@lru_cache(maxsize=1)
def _jieba():  # type: ignore[no-untyped-def]
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


@lru_cache(maxsize=4096)
def segment(text: str) -> list[str]:
    """A Chinese text cut into words and punctuation marks (spaces left out)."""
    return [w for w in _jieba().lcut(text) if w.strip()]


@lru_cache(maxsize=4096)
def words(text: str) -> list[str]:
    """The words of a Chinese text (jieba's precise mode), punctuation and spaces left out."""
    return [w for w in _jieba().lcut(text) if w.strip() and not PUNCTUATION.match(w)]


def characters(text: str) -> int:
    """Chinese characters in a text: what pace and sentence length are counted in."""
    return len(HAN.findall(text))


# Wang et al. (BMJ Open 2020;10:e038091), measuring Chinese patient education materials: more than 10
# sentences per hundred words is "simple" material, 6-10 "primary", under 6 intermediate or difficult.
SIMPLE_SENTENCES_PER_HUNDRED_WORDS = 10.0
# A word less common than this (wordfreq's Zipf, from its Chinese corpus) is counted as uncommon: a
# stand-in for "beyond HSK levels 1-4", whose list is not shipped here.
COMMON_ZIPF = 4.0


def score(sentences: list[str]) -> ReadingScore:
    from wordfreq import zipf_frequency

    counted = [words(sentence) for sentence in sentences]
    counted = [found for found in counted if found]
    total = sum(len(found) for found in counted)
    if not total:
        return ReadingScore("sentences per 100 words", float("nan"), f">= {SIMPLE_SENTENCES_PER_HUNDRED_WORDS:g}",
                            False)
    per_hundred = 100 * len(counted) / total
    han_words = [w for found in counted for w in found if HAN.search(w)]
    uncommon = sum(1 for w in han_words if zipf_frequency(w, "zh") < COMMON_ZIPF)
    band = "simple" if per_hundred > SIMPLE_SENTENCES_PER_HUNDRED_WORDS else \
        "primary" if per_hundred >= 6 else "intermediate or difficult"
    return ReadingScore(
        "sentences per 100 words", per_hundred, f">= {SIMPLE_SENTENCES_PER_HUNDRED_WORDS:g}",
        per_hundred >= SIMPLE_SENTENCES_PER_HUNDRED_WORDS, band,
        {"characters_per_sentence": round(sum(characters(s) for s in sentences) / len(counted), 1),
         "uncommon_words_percent": round(100 * uncommon / max(1, len(han_words)), 1)})


FACTS = FactWords(
    units={
        "mg": "毫克", "mcg": "微克", "g": "克", "kg": "公斤 千克", "ml": "毫升", "l": "升", "unit": "单位 單位",
        "°": "度", "second": "秒", "minute": "分钟 分鐘", "hour": "小时 小時 钟头 鐘頭", "day": "天 日",
        "week": "周 週 星期 礼拜 禮拜", "month": "月 个月 個月", "year": "年", "time": "次",
        "pill": "片 粒 颗 顆 药片 藥片 胶囊 膠囊", "dose": "剂 劑", "drop": "滴", "puff": "喷 噴",
        "cup": "杯", "step": "步", "cm": "厘米 公分", "mm": "毫米", "pound": "磅", "calorie": "卡路里 千卡",
    },
    phrase_units={("摄氏", "度"): "°c", ("攝氏", "度"): "°c", ("华氏", "度"): "°f", ("華氏", "度"): "°f",
                  ("百分之",): "%"},
    periods={"天": "day", "日": "day", "晚": "night", "周": "week", "星期": "week", "月": "month",
             "小时": "hour", "年": "year", "早上": "morning"},
    per_words=frozenset({"每", "每个", "每個"}),
    period_adverbs={"每天": "day", "每日": "day", "每晚": "night", "每周": "week", "每週": "week",
                    "每月": "month", "每年": "year"},
    range_words={"到": "-", "至": "-", "-": "-", "–": "-", "—": "-", "~": "-", "或": "or"},
    between=("", ""),
    negation_cues=r"不要|别|別|请勿|請勿|勿|不能|不可以|不可|禁止|不得|不|没有|沒有|未|切勿",
    lead_ins=frozenset({"请", "請", "您", "你", "也", "还", "還", "就", "千万", "千萬", "一定"}),
    not_the_verb=frozenset({"再", "要", "会", "會", "能", "应该", "應該", "得", "用", "太", "自行", "自己", "擅自",
                            "随便", "隨便", "随意", "隨意"}),
    verb_endings=(),
    clause_breaks=(),
    class_heads=frozenset({"抑制剂", "抑制劑", "阻滞剂", "阻滯劑", "激动剂", "激動劑", "拮抗剂", "拮抗劑", "药", "藥",
                           "药物", "藥物"}),
    take_words=frozenset({"服用", "吃", "用", "使用", "注射", "开", "開"}),
)

LANGUAGE = Language(
    code="zh",
    name="Chinese",
    native="中文",
    offered=(("zh-CN", "Chinese, Simplified (Mandarin)"), ("zh-TW", "Chinese, Traditional (Mandarin audio)")),
    # eSpeak NG reads Mandarin as "cmn" when no neural voice is installed.
    espeak={"": ("cmn",), "*": ("cmn",)},
    disclaimer_words=r"免责声明|免責聲明|声明|聲明|注意",
    closing_marks="。！？；",
    pace_unit="characters",
    # Mandarin read aloud runs at 5.18 syllables (characters) a second, English at 6.19 (Pellegrino,
    # Coupé and Marsico, Language 87(3), 2011). The English edition's 150 words a minute is about 3.75
    # syllables a second, 0.61 of that; the same share of Mandarin's is 190 characters a minute.
    pace=190,
    # Whisper base must hear 0.80 of the characters in order (it heard 0.81 of a first passage; the
    # target set when Chinese joined).
    heard_target=0.80,
    reading=Reading(
        measure="sentences per 100 words (jieba's words), with characters a sentence and uncommon words",
        target="more than 10 sentences per 100 words ('simple' material)",
        source="Wang Q, Xie L, et al. Readability in printed education materials for Chinese patients. "
               "BMJ Open 2020;10:e038091",
        score=score),
    # Mainland readers: the national common braille scheme (国家通用盲文方案, GF 0019-2018), which
    # liblouis's zhcn-cbs table implements forward only. Taiwan's and Hong Kong's readers use their own.
    braille=Braille(tables=("zhcn-cbs.ctb", "zhcn-cbs.ctb"), grade=1, code_name=N_("Chinese common braille"),
                    unreliable_backward={"zhcn-cbs.ctb": "liblouis's zhcn-cbs table translates forward only, "
                                                         "so its braille cannot be read back to check it"},
                    regions={"zh-tw": "zh-tw.ctb", "zh-hant": "zh-tw.ctb", "zh-hk": "zh-hk.ctb"},
                    source="GF 0019-2018 国家通用盲文方案 (China Disabled Persons' Federation, 2018)"),
    fonts=("Noto Sans CJK SC",),
    regional_fonts={"zh-tw": ("Noto Sans CJK TC",), "zh-hant": ("Noto Sans CJK TC",),
                    "zh-hk": ("Noto Sans CJK TC",)},
    font_package="fonts-noto-cjk",
    italics=False,
    stopwords=frozenset("的 了 是 在 和 与 與 或 也 就 都 而 及 等 这 這 那 你 您 我 他 她 它 们 們 请 請 吧 吗 嗎 "
                        "呢".split()),
    sample_sentence="这是您的健康资料朗读出来的声音。",
    everyday_zipf=4.0,
    facts=FACTS,
    splitter=split_sentences,
    tokenize=words,
    segment=segment,
    numerals=digits_for_numerals,
)
