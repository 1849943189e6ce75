"""Tests of the listening checks: the figures they read from a file, and the disclaimer heard or not."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from conftest import DISCLAIMER_TEXT, ToneEngine, short_document

from pipeline.audio import listening, recording
from pipeline.audio.listening import (
    Listener,
    _speaking_seconds,
    caption_cues,
    check_disclaimer,
    content_words,
    frame_bitrates,
    heard_recall,
    noise_floor,
)
from pipeline.audio.script import Chapter, listening_script
from pipeline.renderers import audio
from pipeline.renderers.audio import AudioRenderer
from pipeline.settings import Settings


def test_content_words_drop_small_and_common_words() -> None:
    assert content_words(DISCLAIMER_TEXT) == ("handout", "information", "always", "ask", "doctor", "care")


def test_recall_counts_words_split_in_two_by_the_recogniser() -> None:
    recall, missed = heard_recall(("healthcare", "advice", "options"), "the health care advice")
    assert recall == pytest.approx(2 / 3) and missed == ("options",)


def test_speaking_time_bridges_short_pauses_only() -> None:
    frames = np.array([1] * 100 + [0] * 20 + [1] * 100 + [0] * 50 + [1] * 10, dtype=bool)
    assert _speaking_seconds(frames, 0.01) == pytest.approx(2.2 + 0.1)


def test_noise_floor_is_the_quietest_half_second() -> None:
    rate = 1000
    samples = np.concatenate([np.full(2000, 0.1), np.full(600, 0.001), np.full(2000, 0.1)])
    assert noise_floor(samples, rate) == pytest.approx(-60, abs=0.1)


def test_frame_walk_and_cue_reading_from_a_rendered_file(tmp_path: Path) -> None:
    AudioRenderer(engine=ToneEngine()).render(short_document(tmp_path), Settings(), tmp_path)
    assert set(frame_bitrates(tmp_path / "knee.mp3")) == {96}
    cues = caption_cues(tmp_path / "knee.vtt")
    assert cues[0][2] == "Caring for Your Knee After Surgery" and cues[0][0] == pytest.approx(recording.LEAD_IN_S)


# ---------------------------------------------------------------- the recogniser on real speech


def _build(folder: Path, fake_script: bool, replace_with_text: bool = False) -> Path:
    document = short_document(folder)
    if fake_script:
        # The model requires a disclaimer, so the script is faked: the
        # disclaimer's sentences are dropped (or replaced by other text),
        # and everything else, including the chapters, stays as it is.
        def script_without_disclaimer(doc):  # type: ignore[no-untyped-def]
            chapters = listening_script(doc)
            filler = chapters[2].paragraphs[1:] if replace_with_text else ()
            return ([Chapter(chapters[0].title, chapters[0].paragraphs[:1] + tuple(filler))] + chapters[1:-1]
                    + [Chapter(chapters[-1].title, chapters[-1].paragraphs[:1] + tuple(filler))])
        patch = pytest.MonkeyPatch()
        patch.setattr(audio, "listening_script", script_without_disclaimer)
        try:
            AudioRenderer().render(document, Settings(), folder)
        finally:
            patch.undo()
    else:
        AudioRenderer().render(document, Settings(), folder)
    return folder / "knee.mp3"


@pytest.mark.engine
def test_the_disclaimer_is_heard_where_it_should_be(tmp_path: Path) -> None:
    result = check_disclaimer(_build(tmp_path, fake_script=False), DISCLAIMER_TEXT)
    assert result.passed, result.findings()
    assert result.control is not None and result.control.words_heard < listening.MIN_WORDS_HEARD


@pytest.mark.engine
@pytest.mark.parametrize("replace_with_text", [False, True], ids=["removed", "replaced"])
def test_the_check_fails_when_the_disclaimer_is_not_spoken(tmp_path: Path, replace_with_text: bool) -> None:
    mp3 = _build(tmp_path, fake_script=True, replace_with_text=replace_with_text)
    assert "information only" not in (tmp_path / "knee.vtt").read_text(encoding="utf-8")
    # The recogniser still knows the disclaimer's words: they are in its language model.
    result = check_disclaimer(mp3, DISCLAIMER_TEXT, control=False)
    assert not result.passed
    assert len(result.findings()) == 2


def test_the_recogniser_needs_some_text_to_listen_for() -> None:
    with pytest.raises(ValueError, match="no text"):
        Listener(["", "1. 2."])
