"""Kokoro speaks Chinese, French and Portuguese: voices chosen by the article's language, Chinese said as it is read."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hearing import needs_kokoro

from pipeline.audio import kokoro_driver
from pipeline.audio.engines import choose_voice, list_voices
from pipeline.audio.script import listening_script
from pipeline.cli import main
from pipeline.languages.zh.spoken import spoken
from pipeline.readers import read_article

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@needs_kokoro
def test_handout_voices_lists_the_new_voices_as_neural() -> None:
    result = CliRunner().invoke(main, ["voices"])
    assert result.exit_code == 0, result.output
    for voice, language in (("zf_xiaobei", "zh-cn"), ("zm_yunxi", "zh-cn"), ("ff_siwis", "fr-fr"), ("pf_dora", "pt-br"),
                            ("pm_alex", "pt-br")):
        line = next(line for line in result.output.splitlines() if line.startswith(voice + " "))
        assert f" {language} " in line and "neural" in line, line


@needs_kokoro
@pytest.mark.parametrize("lang, voice", [("zh", "zf_xiaobei"), ("zh-CN", "zf_xiaobei"), ("zh-Hans", "zf_xiaobei"),
                                         ("zh-TW", "zf_xiaobei"), ("zh-HK", "zf_xiaobei"), ("zh-Hant", "zf_xiaobei"),
                                         ("fr", "ff_siwis"), ("fr-FR", "ff_siwis"), ("fr-CA", "ff_siwis"),
                                         ("pt", "pf_dora"), ("pt-BR", "pf_dora"), ("es-MX", "ef_dora")])
def test_each_language_gets_its_kokoro_voice(lang: str, voice: str) -> None:
    chosen = choose_voice(lang, None, list_voices(), Path("a.md"))
    assert (chosen.engine, chosen.id) == ("kokoro", voice)


@pytest.mark.parametrize("written, said", [
    ("每天服用10 mg。", "每天服用十毫克。"),
    ("体温38.5°C", "体温三十八点五摄氏度"),
    ("请拨打911", "请拨打九一一"),
    ("每天2次", "每天两次"),
    ("50%的人", "百分之五十的人"),
    ("2024年3月5日", "二零二四年三月五日"),
    ("8:30来", "八点三十分来"),
    ("2-3 天", "两到三天"),
    ("血压高于180/120", "血压高于一百八十比一百二十"),
    ("拨打 1-800-273-8255", "拨打 一八零零二七三八二五五"),
    ("每天喝5 ml", "每天喝五毫升"),
    ("体温38.5度", "体温三十八点五度"),
    # Dates, ordinals and clock hours keep 二; minutes under ten are said with 零.
    ("2月2日复诊", "二月二日复诊"),
    ("第2天", "第二天"),
    ("10:05", "十点零五分"),
    ("2:00", "两点"),
    # A fraction before a measure word; a blood pressure with its unit (the unit once read the 120 as 十二零).
    ("每次1/2片", "每次二分之一片"),
    ("血压180/120 mmHg", "血压一百八十比一百二十毫米汞柱"),
    ("10 mg/kg", "十毫克每公斤"),
    ("血糖7.0 mmol/L", "血糖七点零毫摩尔每升"),
    ("2次/天", "每天两次"),
])
def test_chinese_numbers_doses_and_units_are_said_as_a_chinese_speaker_says_them(written: str, said: str) -> None:
    pytest.importorskip("cn2an")
    assert spoken(written) == said


@needs_kokoro
def test_every_phoneme_misaki_gives_for_a_chinese_article_is_in_kokoros_vocabulary() -> None:
    from misaki import zh

    article = read_article(FIXTURES / "zh" / "xueya.md")
    g2p = zh.ZHG2P()
    vocabulary = kokoro_driver.vocabulary()
    for chapter in listening_script(article):
        for sentence in chapter.sentences:
            phones = g2p(spoken(sentence.spoken))[0]
            assert not {ch for ch in phones if ch not in vocabulary and not ch.isspace()}, sentence.spoken


def test_a_numbered_list_is_announced_in_the_articles_language() -> None:
    for path, lead in (("zh/xueya.md", "第 1 条："), ("fr/asthme.md", "Numéro 1 :"), ("pt/diabetes.md", "Número 1:")):
        script = listening_script(read_article(FIXTURES / path))
        spoken_text = " ".join(s.spoken for c in script for s in c.sentences)
        assert lead in spoken_text and "Number" not in spoken_text, path


@needs_kokoro
@pytest.mark.parametrize("simplified", ["保持皮肤干燥，头发要剪短。", "睡觉时躺着，不要吃太多药。",
                                        "只有医生才能开处方。", "如果血压高于180/120，请立即拨打911。"])
def test_traditional_characters_are_said_as_their_simplified_form(simplified: str) -> None:
    """misaki reads some Traditional words wrongly (乾燥 as qián zào, 睡覺 as shuì jué, 躺著 as tǎng zhù)."""
    import zhconv

    for region in ("zh-tw", "zh-hk"):
        traditional = zhconv.convert(simplified, region)
        assert traditional != simplified
        assert kokoro_driver.chinese_phonemes(traditional) == kokoro_driver.chinese_phonemes(simplified), traditional


def test_the_notice_names_every_shipped_voice_with_its_sha256() -> None:
    notice = (kokoro_driver.DATA / "NOTICE.txt").read_text(encoding="utf-8")
    listed = dict(re.findall(r"^\s+(\w+)\.bin\s+([0-9a-f]{64})$", notice, re.M))
    assert listed == kokoro_driver.VOICE_SHA256
    assert {path.stem for path in kokoro_driver.DATA.glob("*.bin")} == set(kokoro_driver.VOICE_SHA256)


@pytest.mark.parametrize("voice, unit", [("zf_xiaobei", "characters"), ("zm_yunxi", "characters"),
                                         ("ff_siwis", "words"), ("pf_dora", "words"), ("ef_dora-es", "words")])
def test_each_voice_states_its_pace_at_speed_1_in_its_languages_unit(voice: str, unit: str) -> None:
    pace, counted_in = kokoro_driver.pace(voice)
    assert counted_in == unit
    # Chinese is said at about 4 characters a second, the others at about 3 words.
    assert (200 <= pace <= 280) if unit == "characters" else (150 <= pace <= 200)


# Spanish as the Spanish voices said it before they were joined by Chinese, French and Portuguese: phonemes,
# and the SHA-256 of the samples at 150 words a minute on one thread (onnxruntime 1.32.0 on the build machine).
SPANISH_SAID = {
    "ef_dora": ("ˈaɣa ˌexeɾsˈisjo swˈaβe sˈinko βˈeses al ðˈia.",
                "ab9dd62b416df95abbdc4392a0639290dd58a686d3bb822963fd4a0dc7e6b010"),
    "em_santa-es": ("ˈaɣa ˌexeɾθˈiθjo swˈaβe θˈinko βˈeθes al ðˈia.",
                    "164a184e5a30c19105619f26657179b80a0cbb5d5e80b5ec660e045fae884965"),
}


@needs_kokoro
@pytest.mark.engine
@pytest.mark.parametrize("voice", sorted(SPANISH_SAID))
def test_spanish_is_said_exactly_as_before(voice: str) -> None:
    import hashlib

    import onnxruntime

    text = "Haga ejercicio suave cinco veces al día."
    info = {v.id: v for v in kokoro_driver.packaged_voices()}[voice]
    phonemes, digest = SPANISH_SAID[voice]
    assert kokoro_driver.phonemes(text, info.espeak_voice) == [phonemes]
    if onnxruntime.__version__ != "1.32.0":
        pytest.skip(f"the samples' SHA-256 was taken with onnxruntime 1.32.0, not {onnxruntime.__version__}")
    samples = kokoro_driver.synthesise(text, info, 150 / kokoro_driver.pace(voice)[0], 1)
    assert hashlib.sha256(samples.tobytes()).hexdigest() == digest
