"""Kokoro's Chinese voice reads the Chinese test article so that Whisper hears at least 0.80 of its characters."""

from __future__ import annotations

import pytest
from hearing import heard_at_its_target, needs_kokoro


@needs_kokoro
@pytest.mark.engine
def test_zf_xiaobei_reads_the_zh_test_article_so_whisper_hears_it_at_its_target() -> None:
    heard_at_its_target("zh/xueya.md", "zf_xiaobei", 0.80)
