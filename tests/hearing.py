"""What Whisper hears of a test article in a new voice: shared by the one-language test files
(test_heard_zh.py, test_heard_fr.py, test_heard_pt.py), one file each so that the test processes hear
them side by side."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.audio import kokoro_driver
from pipeline.audio.script import listening_script
from pipeline.languages import speaking_rate
from pipeline.readers import read_article

FIXTURES = Path(__file__).resolve().parent / "fixtures"
needs_kokoro = pytest.mark.skipif(not kokoro_driver.kokoro_available() or not kokoro_driver.misaki_available(),
                                  reason="the Kokoro model or misaki is not installed")


def heard_at_its_target(article: str, voice: str, target: float) -> None:
    """Chinese: characters heard in order; French and Portuguese: content words heard."""
    pytest.importorskip("faster_whisper")
    import numpy as np

    from pipeline.audio import ear
    from pipeline.audio.listening import content_words, heard_recall

    document = read_article(FIXTURES / article)
    info = {v.id: v for v in kokoro_driver.packaged_voices()}[voice]
    sentences = [s for chapter in listening_script(document) for s in chapter.sentences]
    # At the edition's pace: 150 words (Chinese: 190 characters) a minute.
    rate, _ = speaking_rate(150, document.lang)
    speed = rate / kokoro_driver.LANGUAGE_PACE[document.lang.split("-")[0]]
    # With a pause between sentences, as the edition has them.
    pause = np.zeros(int(0.5 * kokoro_driver.MODEL_RATE), dtype=np.float32)
    samples = np.concatenate([part for s in sentences
                              for part in (kokoro_driver.synthesise(s.spoken, info, speed, 2), pause)])
    heard = ear.transcribe(samples, kokoro_driver.MODEL_RATE, document.lang)
    recall, missed = heard_recall(content_words(" ".join(s.text for s in sentences), document.lang), heard,
                                  document.lang)
    assert recall >= target, (recall, missed, heard)
