"""Tests of the speech wrapper: voice choice, checked synthesis with retries, and the real engine."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline import speech
from pipeline.cli import main
from pipeline.errors import ArticleError, RenderError
from pipeline.speech import Pyttsx3Engine, Voice, choose_voice, list_voices

VOICES = [Voice("gmw/en", "English (Great Britain)", ("en-gb",)),
          Voice("gmw/en-us", "English (America)", ("en-us",)),
          Voice("roa/es", "Spanish (Spain)", ("es",))]


@pytest.mark.parametrize("lang, expected", [("en", "gmw/en-us"), ("en-GB", "gmw/en"), ("en-AU", "gmw/en"),
                                            ("es-MX", "roa/es")])
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
    voice = choose_voice("en", None, list_voices(), Path("a.md"))
    Pyttsx3Engine(voice, 150).speak("Warm up.", tmp_path)  # settle voice and rate on the real engine
    flaky = FlakyPyttsx3(failures=2, real=real)
    monkeypatch.setattr(speech, "_engine", lambda: flaky)
    result = Pyttsx3Engine(voice, 150).speak("Keep the wound clean and dry.", tmp_path)
    assert result.seconds > 1.0 and flaky.saves == 3
    monkeypatch.setattr(speech, "_engine", lambda: FlakyPyttsx3(failures=99, real=real))
    with pytest.raises(RenderError, match="no usable audio after 4 tries"):
        Pyttsx3Engine(voice, 150).speak("Keep the wound clean and dry.", tmp_path)


@pytest.mark.engine
def test_the_real_engine_speaks_at_the_rate_set_every_time(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    voice = choose_voice("en", None, list_voices(), Path("a.md"))
    text = "Always ask your own doctor about your care."
    lengths: dict[int, list[int]] = {120: [], 200: []}
    for _ in range(6):
        for rate in lengths:
            lengths[rate].append(len(Pyttsx3Engine(voice, rate).speak(text, tmp_path).samples))
    # Each rate always gives the same length (within 1%), and the slower rate is much longer.
    for found in lengths.values():
        assert max(found) - min(found) <= 0.01 * max(found), lengths
    assert min(lengths[120]) > 1.3 * max(lengths[200])
    assert "Audio saved" not in capsys.readouterr().out


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
def test_going_back_and_forth_between_rates_keeps_each_rate_exact(tmp_path: Path) -> None:
    # A batch moves between rates as each article is paced: the same rate must
    # give the same length whenever it comes back, and a new rate a new length.
    voice = choose_voice("en", None, list_voices(), tmp_path / "a.md")
    sentence = "Ketamine may ease the signs of trauma within hours for some people."
    lengths: dict[int, list[float]] = {}
    for rate in (176, 130, 176, 250, 176, 180, 130, 450, 80, 176):
        speech_at_rate = Pyttsx3Engine(voice, rate).speak(sentence, tmp_path)
        lengths.setdefault(rate, []).append(speech_at_rate.seconds)
    for rate, seen in lengths.items():
        assert max(seen) - min(seen) <= 0.02 * max(seen), (rate, seen)
    assert lengths[130][0] > lengths[176][0] * 1.15 > lengths[250][0] * 1.15
    assert lengths[80][0] > lengths[450][0] * 3


class LaggingEngine:
    """Stands in for pyttsx3 with eSpeak's quirk: a new rate takes hold only some utterances later."""

    def __init__(self, lags: list[int]):
        self.lags = lags
        self.applied = 200  # pyttsx3 starts eSpeak at 200
        self.pending: tuple[int, int] | None = None
        self.text = ""
        self.target = ""

    def setProperty(self, name: str, value: object) -> None:  # noqa: N802 - pyttsx3's name
        if name == "rate" and value != self.applied and (self.pending is None or self.pending[0] != value):
            self.pending = (int(value), self.lags.pop(0) if self.lags else 0)  # type: ignore[call-overload]

    def save_to_file(self, text: str, target: str) -> None:
        self.text, self.target = text, target

    def runAndWait(self) -> None:  # noqa: N802 - pyttsx3's name
        import wave

        if self.pending is not None:
            rate, lag = self.pending
            if lag == 0:
                self.applied, self.pending = rate, None
            else:
                self.pending = (rate, lag - 1)
        frames = int(len(self.text.split()) / self.applied * 60 * 22050)
        with wave.open(self.target, "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(22050)
            out.writeframes(b"\x10\x00" * frames)


@pytest.mark.parametrize("lags", [[2, 0, 3, 1, 0, 2, 1, 0, 0, 3], [3, 3, 3, 3, 3, 3, 3, 3, 3], [0, 0, 0, 0, 0, 0]])
def test_a_late_rate_change_is_waited_for_not_recorded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       lags: list[int]) -> None:
    engine = LaggingEngine(list(lags))
    monkeypatch.setattr(speech, "_engine", lambda: engine)
    monkeypatch.setattr(speech, "_CURRENT", {})
    voice = Voice("gmw/en-us", "English (America)", ("en-us",))
    sentence = "Take one tablet each morning with food and water."
    for rate in (176, 150, 176, 130, 176, 176, 300, 176):
        seconds = Pyttsx3Engine(voice, rate).speak(sentence, tmp_path).seconds
        assert seconds == pytest.approx(9 / rate * 60, rel=0.001), rate
