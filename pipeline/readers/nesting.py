"""How deep an article may nest: emphasis, quotes and lists, measured before anything recurses into them.

markdown-it builds emphasis without recursion, but the tree built from its
tokens, and the reader after it, recurse once for each level. A line of
200,000 ``*`` around one word is 100,000 levels of bold: seconds of work,
gigabytes of memory and then a RecursionError. No handout needs more than a
few levels, so an article past ``MAX_NESTING`` is refused with the line to
fix, in milliseconds: first by a linear scan of the text (emphasis and ``>``
runs), then, exactly, by the depth of markdown-it's flat token stream.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from markdown_it.token import Token

from ..errors import ArticleError

# Levels of emphasis, quotes and lists that an article may nest. Real handouts use two or three.
MAX_NESTING = 12
# markdown-it stops parsing blocks (silently) at this depth of its own tokens; kept well above what
# MAX_NESTING allows (a list item is two tokens deep), so a deeper article is seen and refused first.
PARSER_MAX_NESTING = 4 * MAX_NESTING
# Open emphasis marks one line may hold: ** is one level of bold, so twice the levels.
MAX_EMPHASIS_MARKS = 2 * MAX_NESTING

EMPHASIS_RUN = re.compile(r"\*+|_+")
QUOTE_RUN = re.compile(r"^[ \t]*(?:>[ \t]*)+")
TOO_DEEP_FIX = ("use at most {limit} levels: remove the extra {marks} (a handout reads best with one or two "
                "levels)")


def check_text(path: Path, body: str, first_line: int) -> None:
    """Refuse a body whose emphasis or quotes nest past the limit, by a scan that never recurses.

    ``first_line`` is the line of the file where ``body`` starts; the error names the line to fix.
    """
    for number, line in enumerate(body.split("\n")):
        quotes = QUOTE_RUN.match(line)
        if quotes and quotes.group(0).count(">") > MAX_NESTING:
            raise ArticleError(path, f"this line is quoted more than {MAX_NESTING} levels deep",
                               TOO_DEEP_FIX.format(limit=MAX_NESTING, marks="'>' marks"), first_line + number)
    offset = _emphasis_too_deep(body)
    if offset is not None:
        raise ArticleError(path, f"emphasis (* or _) is nested more than {MAX_NESTING} levels deep",
                           TOO_DEEP_FIX.format(limit=MAX_NESTING, marks="'*' and '_' marks"),
                           first_line + body.count("\n", 0, offset))


def check_tokens(path: Path, tokens: Sequence[Token], first_line: int) -> None:
    """Refuse markdown-it's tokens when quotes, lists or emphasis nest past the limit (exact, no recursion)."""
    depth = 0
    for token in tokens:
        line = first_line + (token.map[0] if token.map else 0)
        if token.type in ("blockquote_open", "list_item_open"):
            depth += 1
            if depth > MAX_NESTING:
                raise ArticleError(path, f"quotes and lists are nested more than {MAX_NESTING} levels deep",
                                   TOO_DEEP_FIX.format(limit=MAX_NESTING, marks="'>' marks or list levels"), line)
        elif token.type in ("blockquote_close", "list_item_close"):
            depth -= 1
        elif token.type == "inline" and token.children:
            inner = max(child.level + max(child.nesting, 0) for child in token.children)
            if inner > MAX_NESTING:
                raise ArticleError(path, f"emphasis or links are nested more than {MAX_NESTING} levels deep",
                                   TOO_DEEP_FIX.format(limit=MAX_NESTING, marks="'*', '_' and '[' marks"), line)


def _emphasis_too_deep(text: str) -> int | None:
    """Where the emphasis of ``text`` first nests past ``MAX_EMPHASIS_MARKS`` open marks (None: it never does).

    Delimiter runs are matched as CommonMark matches them (closers take the
    nearest opener of the same mark; openers of the other mark between are
    dropped), paragraph by paragraph. A first pass learns how many marks of
    each opener are ever closed; the second counts only those as open, so
    marks left unclosed ("*required", "5*") never count as nesting.
    """
    runs = _runs(text)
    closed, _ = _match(runs, None)
    return _match(runs, closed)[1]


def _runs(text: str) -> list[tuple[int, str, int, bool, bool]]:
    """(offset, mark, length, can open, can close) for each run of * or _; a blank line is a run of length 0."""
    runs: list[tuple[int, str, int, bool, bool]] = []
    paragraph_breaks = iter(match.start() for match in re.finditer(r"\n[ \t]*\n", text))
    next_break = next(paragraph_breaks, len(text) + 1)
    for match in EMPHASIS_RUN.finditer(text):
        start, end = match.span()
        while next_break < start:
            runs.append((next_break, "", 0, False, False))
            next_break = next(paragraph_breaks, len(text) + 1)
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        left = not after.isspace() and (not _punctuation(after) or before.isspace() or _punctuation(before))
        right = not before.isspace() and (not _punctuation(before) or after.isspace() or _punctuation(after))
        mark = match.group(0)[0]
        if mark == "*":
            opens, closes = left, right
        else:
            opens = left and (not right or _punctuation(before))
            closes = right and (not left or _punctuation(after))
        runs.append((start, mark, end - start, opens, closes))
    return runs


def _punctuation(char: str) -> bool:
    return unicodedata.category(char)[0] in "PS"


def _match(runs: list[tuple[int, str, int, bool, bool]], closed: list[int] | None) -> tuple[list[int], int | None]:
    """The marks of each opener that are closed, and where (given those) the open marks first pass the limit."""
    stack: list[list[int]] = []  # [run index, marks still open, mark is '*' (1) or '_' (0)]
    open_of = {"*": 0, "_": 0}  # openers with marks still open, by mark
    consumed = [0] * len(runs)
    depth = 0
    for index, (offset, mark, length, opens, closes) in enumerate(runs):
        if not mark:  # a blank line: no emphasis crosses it
            stack.clear()
            open_of = {"*": 0, "_": 0}
            depth = 0
            continue
        remaining = length
        while closes and remaining and open_of[mark]:
            while (stack[-1][2] == 1) != (mark == "*"):
                dropped = stack.pop()  # an opener of the other mark inside: it stays text
                open_of["*" if dropped[2] else "_"] -= 1
            opener = stack[-1]
            taken = min(remaining, opener[1])
            opener[1] -= taken
            remaining -= taken
            consumed[opener[0]] += taken
            depth -= taken
            if not opener[1]:
                stack.pop()
                open_of[mark] -= 1
        if opens and remaining:
            stack.append([index, remaining, 1 if mark == "*" else 0])
            open_of[mark] += 1
            if closed is not None:
                depth += closed[index]
                if depth > MAX_EMPHASIS_MARKS:
                    return consumed, offset
    return consumed, None
