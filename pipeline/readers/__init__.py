"""The readers: each turns one kind of source file into the one Document every renderer reads.

Other code asks this package, never a reader module, for an article:
``find_articles`` says which files under some paths are articles, and
``read_article`` reads one of them.
"""

from __future__ import annotations

from .markdown import find_articles, read_article

__all__ = ["find_articles", "read_article"]
