"""Tests of the speech wrapper: voice choice, checked synthesis with retries, and the real engine."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.audio import engines as speech
from pipeline.audio.engines import Pyttsx3Engine, Voice, choose_voice, list_voices
from pipeline.cli import main
from pipeline.errors import ArticleError, RenderError

VOICES = [Voice("gmw/en", "English (Great Britain)", ("en-gb",)),
          Voice("gmw/en-us", "English (America)", ("en-us",)),
          Voice("roa/es", "Spanish (Spain)", ("es",)),
          Voice("roa/es-419", "Spanish (Latin America)", ("es-419",)),
          Voice("roa/fr-be", "French (Belgium)", ("fr-be",)),
          Voice("roa/fr", "French (France)", ("fr-fr",))]


@pytest.mark.parametrize("lang, expected", [("en", "gmw/en-us"), ("en-GB", "gmw/en"), ("en-AU", "gmw/en"),
                                            ("es", "roa/es-419"), ("es-ES", "roa/es"), ("es-MX", "roa/es-419"),
                                            ("es-US", "roa/es-419"), ("es-419", "roa/es-419"), ("fr-CA", "roa/fr"),
                                            ("fr-BE", "roa/fr-be")])
def test_the_articles_language_picks_a_voice(lang: str, expected: str) -> None:
    assert choose_voice(lang, None, VOICES, Path("a.md")).id == expected


def test_a_requested_voice_wins_and_an_unknown_one_is_an_error() -> None:
    assert choose_voice("en", "Spanish (Spain)", VOICES, Path("a.md")).id == "roa/es"
    with pytest.raises(ArticleError, match="no voice called 'robot'"):
        choose_voice("en", "robot", VOICES, Path("a.md"))


def test_an_unknown_language_is_an_error_naming_the_file() -> None:
    with pytest.raises(ArticleError) as raised:
        choose_voice("xx", None, VOICES, Path("source/a.md"))
    assert str(raised.value).startswith("source/a.md: no speech voice on this machine speaks lang 'xx'")
    assert raised.value.exit_code == 2


class FlakyPyttsx3:
    """Stands in for pyttsx3: writes no file for the first ``failures`` saves."""

    def __init__(self, failures: int, real: object):
        self.failures, self.real, self.saves = failures, real, 0

    def getProperty(self, name: str) -> object:  # noqa: N802 - pyttsx3's name
        return self.real.getProperty(name)  # type: ignore[attr-defined]

    def setProperty(self, name: str, value: object) -> None:  # noqa: N802 - pyttsx3's name
        self.real.setProperty(name, value)  # type: ignore[attr-defined]

    def save_to_file(self, text: str, path: str) -> None:
        self.saves += 1
        self.path = path if self.saves > self.failures else None
        if self.path:
            self.real.save_to_file(text, path)  # type: ignore[attr-defined]

    def runAndWait(self) -> None:  # noqa: N802
        if self.path:
            self.real.runAndWait()  # type: ignore[attr-defined]


@pytest.mark.engine
def test_a_missing_file_is_retried_and_never_taken_for_success(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = speech._engine()
    voice = choose_voice("en", "gmw/en-us", list_voices(), Path("a.md"))
    Pyttsx3Engine(voice, 150).speak("Warm up.", tmp_path)  # settle voice and rate on the real engine
    flaky = FlakyPyttsx3(failures=2, real=real)
    monkeypatch.setattr(speech, "_engine", lambda driver="espeak": flaky)
    result = Pyttsx3Engine(voice, 150).speak("Keep the wound clean and dry.", tmp_path)
    assert result.seconds > 1.0 and flaky.saves == 3
    monkeypatch.setattr(speech, "_engine", lambda driver="espeak": FlakyPyttsx3(failures=99, real=real))
    with pytest.raises(RenderError, match="no usable audio after 4 tries"):
        Pyttsx3Engine(voice, 150).speak("Keep the wound clean and dry.", tmp_path)


@pytest.mark.engine
def test_handout_voices_lists_english() -> None:
    result = CliRunner().invoke(main, ["voices"])
    assert result.exit_code == 0 and "en-us" in result.output


@pytest.mark.engine
def test_building_audio_for_an_unknown_language_exits_2_naming_the_file(tmp_path: Path) -> None:
    article = tmp_path / "odd.md"
    article.write_text("---\ntitle: Odd\nlang: xx\ndisclaimer: Ask your doctor.\n---\n\nText.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--format", "audio", "--out", str(tmp_path / "out"), str(article)])
    assert result.exit_code == 2
    assert f"{article}: no speech voice on this machine speaks lang 'xx'" in result.output


@pytest.mark.engine
def test_going_back_and_forth_between_rates_keeps_each_rate_exact(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    # A batch moves between rates as each article is paced: the same rate must
    # give the same length whenever it comes back (within 1%), and a new rate a new length.
    voice = choose_voice("en", "gmw/en-us", list_voices(), tmp_path / "a.md")
    sentence = "Ketamine may ease the signs of trauma within hours for some people."
    lengths: dict[int, list[float]] = {}
    for rate in (176, 130, 176, 250, 176, 180, 130, 450, 80, 176):
        speech_at_rate = Pyttsx3Engine(voice, rate).speak(sentence, tmp_path)
        lengths.setdefault(rate, []).append(speech_at_rate.seconds)
    for rate, seen in lengths.items():
        assert max(seen) - min(seen) <= 0.01 * max(seen), (rate, seen)
    assert lengths[130][0] > lengths[176][0] * 1.15 > lengths[250][0] * 1.15
    assert lengths[80][0] > lengths[450][0] * 3
    assert "Audio saved" not in capsys.readouterr().out


class FakeEspeak:
    """Stands in for pyttsx3 and eSpeak with the quirks seen here: a rate or voice set while
    eSpeak is still finishing the last sentence is lost (``drop`` decides which), and eSpeak
    reports itself busy for a few polls after every sentence."""

    def __init__(self, drop: list[bool]):
        self.drop = drop
        self.voice, self.rate, self.busy_polls = "gmw/en", 200, 0
        self.text = self.target = ""
        self.voices_set = 0

    # pyttsx3's _espeak binding
    def IsPlaying(self) -> bool:  # noqa: N802 - eSpeak's name
        self.busy_polls = max(0, self.busy_polls - 1)
        return self.busy_polls > 0

    # pyttsx3's engine
    def getProperty(self, name: str) -> object:  # noqa: N802 - pyttsx3's name
        return {"voice": self.voice, "rate": self.rate}[name]

    def setProperty(self, name: str, value: object) -> None:  # noqa: N802 - pyttsx3's name
        lost = self.drop.pop(0) if self.drop else False
        if lost or self.busy_polls > 0:
            return
        if name == "voice":
            self.voice, self.voices_set = str(value), self.voices_set + 1
        elif name == "rate":
            self.rate = int(value)  # type: ignore[call-overload]

    def save_to_file(self, text: str, target: str) -> None:
        self.text, self.target = text, target

    def runAndWait(self) -> None:  # noqa: N802 - pyttsx3's name
        import re
        import wave

        command = re.match(r"\x01(\d+)S ", self.text)
        rate = int(command.group(1)) if command else self.rate
        words = len(self.text[command.end() if command else 0:].split())
        with wave.open(self.target, "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(22050)
            out.writeframes(b"\x10\x00" * int(words / rate * 60 * 22050))
        self.busy_polls = 3


US_ENGLISH = Voice("gmw/en-us", "English (America)", ("en-us",))


def _fake_espeak(monkeypatch: pytest.MonkeyPatch, drop: list[bool]) -> FakeEspeak:
    fake = FakeEspeak(list(drop))
    monkeypatch.setattr(speech, "_engine", lambda driver="espeak": fake)
    monkeypatch.setattr(speech, "_espeak_library", lambda: fake)
    return fake


@pytest.mark.parametrize("drop", [[True, False, True, True, False, False, True, False] * 4, []])
def test_a_lost_rate_or_voice_change_never_reaches_the_recording(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 drop: list[bool]) -> None:
    fake = _fake_espeak(monkeypatch, drop)
    voice = US_ENGLISH
    sentence = "Take one tablet each morning with food and water."
    for rate in (176, 150, 176, 130, 176, 176, 300, 176):
        seconds = Pyttsx3Engine(voice, rate).speak(sentence, tmp_path).seconds
        assert seconds == pytest.approx(9 / rate * 60, rel=0.001), rate
        assert fake.voice == "gmw/en-us"
    # A control character in the text cannot smuggle in a command of its own.
    Pyttsx3Engine(voice, 150).speak("A\x01 90S sly command.", tmp_path)
    assert fake.text.startswith("\x01150S ") and fake.text.count("\x01") == 1


def test_a_voice_that_never_takes_is_an_error_not_a_recording_in_the_wrong_voice(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_espeak(monkeypatch, [True] * 40)
    with pytest.raises(RenderError, match="voice 'gmw/en', not 'gmw/en-us'"):
        Pyttsx3Engine(US_ENGLISH, 150).speak("Take one tablet each morning.", tmp_path)


def test_a_setting_reads_a_bare_es_in_spains_accent(tmp_path: Path) -> None:
    from pipeline.errors import ArticleError
    from pipeline.settings import load_settings

    toml = tmp_path / "handout.toml"
    assert load_settings(toml if toml.exists() else None).spoken_lang("es") == "es-419"
    toml.write_text('spanish_accent = "spain"\n', encoding="utf-8")
    settings = load_settings(toml)
    assert choose_voice(settings.spoken_lang("es"), None, VOICES, Path("a.md")).id == "roa/es"
    assert choose_voice(settings.spoken_lang("es-MX"), None, VOICES, Path("a.md")).id == "roa/es-419"
    toml.write_text('spanish_accent = "mexico"\n', encoding="utf-8")
    with pytest.raises(ArticleError, match="spanish_accent = 'mexico'"):
        load_settings(toml)
