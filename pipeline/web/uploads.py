"""What staff send the web app: an article file or pasted text, recognised by its content, made into an article.

An upload's name is never used as a path: the article is stored under a slug
made from its title. A file is taken for what its bytes are, whatever it is
called: text (Markdown or plain), or a Word document once it is a zip that
holds ``word/document.xml``. Anything else is refused with what it looks
like and what to do.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from ..errors import ArticleError
from ..languages import languages
from ..readers.encoding import NotText, decode_text
from ..readers.markdown import MAX_SOURCE_BYTES
from .jobs import Job, Library
from .options import Options
from .pictures import picture_list

# Bytes a file starts with, for the kinds staff most often send by mistake.
SIGNATURES = (
    (b"%PDF", "a PDF file", "open the article in Word and save it as .docx, or copy its text into the box"),
    (b"\xd0\xcf\x11\xe0", "an old Word file (.doc) or another Office file",
     "open it in Word and save it as .docx (File > Save As > Word Document)"),
    (b"{\\rtf", "a Rich Text file (.rtf)", "open it in Word and save it as .docx"),
    (b"\x89PNG", "a picture (PNG)", "upload the article's text, not a picture of it"),
    (b"\xff\xd8\xff", "a picture (JPEG)", "upload the article's text, not a picture of it"),
    (b"GIF8", "a picture (GIF)", "upload the article's text, not a picture of it"),
)
WORD_KIND = "docx"
TEXT_KIND = "text"
# How every zip, and so every Word document, starts.
ZIP_START = b"PK\x03\x04"


class UploadProblem(Exception):
    """An upload that cannot become an article: which field, what is wrong and what to do."""

    def __init__(self, field: str, problem: str, fix: str):
        super().__init__(f"{problem}. {fix}")
        self.field, self.problem, self.fix = field, problem, fix


MARKDOWN_HEADING = re.compile(r"^ {0,3}#{1,6}(\s|$)", re.MULTILINE)
# A line that reads as a heading in text typed without Markdown: short, alone, not a sentence.
HEADING_LIKE = re.compile(r"^[A-Z0-9\u00c0-\u024f¿¡][^\n]{0,78}[^.,;:\s]$")
DISCLAIMER_START = re.compile(r"^(disclaimer|aviso|descargo)", re.IGNORECASE)


def plain_text_headings(body: str, first_line: int) -> tuple[str, list[str]]:
    """Text typed without Markdown, with the lines that stand alone like headings made headings.

    Each one made a heading is named in a warning, with its line in the text
    as sent (``first_line`` is where ``body`` starts there), so staff can mark
    it in their own copy. A lone line before any of the article's text is not
    made a heading (it is often a web page's leftover, such as "Skip to main
    content"): it is named so staff can delete it. Text that already has a
    Markdown heading is left exactly as it is.
    """
    lines = [("" if not line.strip() else line) for line in body.split("\n")]
    if MARKDOWN_HEADING.search("\n".join(lines)):
        return body, []
    warnings: list[str] = []
    paragraphs: list[tuple[int, int]] = []  # (first line index, line count)
    index = 0
    while index < len(lines):
        if not lines[index]:
            index += 1
            continue
        start = index
        while index < len(lines) and lines[index]:
            index += 1
        paragraphs.append((start, index - start))
    for number, (start, count) in enumerate(paragraphs):
        text = lines[start].strip()
        if count != 1 or number == len(paragraphs) - 1 or len(text.split()) > 12:
            continue
        if not HEADING_LIKE.match(text) or DISCLAIMER_START.match(text) or re.match(r"^\d+[.)]\s", text):
            continue
        following = paragraphs[number + 1]
        if len(" ".join(lines[following[0]: following[0] + following[1]])) <= len(text):
            continue
        where = f"line {first_line + start}"
        if number == 0:
            warnings.append(f"{where}: '{text}' stands alone before the article's text; if it is not part of the "
                            "article (a web page's menu, say), delete it")
            continue
        lines[start] = f"## {text}"
        warnings.append(f"{where}: '{text}' looks like a heading, so it is made one; start the line with ## in "
                        "your text so every reader finds it")
    return "\n".join(lines), warnings


@dataclass(frozen=True)
class Article:
    """An article ready to be stored: its slug, file name and bytes, and what it says of itself."""

    slug: str
    title: str
    lang: str
    file_name: str
    data: bytes
    received_as: str
    # Lines the stored file has before the body, less those the text as sent had:
    # an error's line number minus this is the line staff see in their own text.
    line_offset: int = 0
    warnings: tuple[str, ...] = ()


def recognise(data: bytes) -> str:
    """``text`` or ``docx``, from the bytes alone; raises UploadProblem for anything else."""
    if not data.strip():
        raise UploadProblem("article", "The file is empty", "choose the file that holds the article")
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
                mimetype = archive.read("mimetype").decode("ascii", "replace") if "mimetype" in names else ""
        except (zipfile.BadZipFile, KeyError, OSError):
            raise UploadProblem("article", "The file looks like a damaged Word document or zip",
                                "open it in Word, save it again as .docx, and upload that") from None
        if "word/document.xml" in names:
            return WORD_KIND
        if "opendocument" in mimetype:
            raise UploadProblem("article", "The file is an OpenDocument file (.odt)",
                                "open it in Word or LibreOffice and save it as .docx")
        raise UploadProblem("article", "The file is a zip archive, not an article",
                            "upload the article itself: a Word document (.docx) or a text file (.md, .txt)")
    for signature, what, fix in SIGNATURES:
        if data.startswith(signature):
            raise UploadProblem("article", f"The file is {what}, not an article's text", fix)
    try:
        decode_text(data)
    except NotText as error:
        if not error.binary:
            raise UploadProblem("article", f"The file says it is UTF-8 text, but line {error.line} has a byte "
                                "saved in another encoding",
                                "retype that line, or save the whole file as UTF-8 again") from None
        raise UploadProblem("article", f"The file holds binary data, not text (line {error.line} has a byte "
                            "no text encoding uses)",
                            "upload a Word document (.docx) or a text file (.md, .txt) saved as UTF-8") from None
    return TEXT_KIND


def slug_for(title: str) -> str:
    """A file-safe name from a title: ``"Ketamine for PTSD: New Hope"`` → ``ketamine-for-ptsd-new-hope``."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^A-Za-z0-9]+", "-", ascii_title).strip("-").lower()
    slug = slug[:60].rstrip("-")
    return slug or "handout"


def text_article(text: str, title: str, lang: str, disclaimer: str, received_as: str) -> Article:
    """An article from text: the form's title, language and disclaimer win over the file's front matter.

    Text without front matter may give its title as a first line ``# Title``.
    The reader checks everything else (disclaimer, headings) when the job is
    accepted, so its errors reach the form with their line numbers.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    front: dict[str, object] = {}
    body = text
    body_line = 1  # where the body starts in the text as sent
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end != -1:
            try:
                loaded = yaml.safe_load(text[4:end]) or {}
            except yaml.YAMLError as error:
                mark = getattr(error, "problem_mark", None)
                line = f" (line {mark.line + 2})" if mark is not None else ""
                raise UploadProblem("article", f"The front matter at the top of the file is not valid{line}",
                                    "write each setting as 'key: value', or leave the front matter out and "
                                    "fill in the boxes") from None
            if not isinstance(loaded, dict):
                raise UploadProblem("article", "The front matter at the top of the file is not a list of settings",
                                    "write each setting as 'key: value'")
            front = loaded
            body = text[end + 4:].split("\n", 1)[1] if "\n" in text[end + 4:] else ""
            body_line = text[: end + 4].count("\n") + 2
    if not title.strip() and not front.get("title"):
        stripped = body.lstrip("\n")
        first = stripped.split("\n", 1)
        if first[0].startswith("# ") and first[0][2:].strip():
            title = first[0][2:].strip()
            body_line += len(body) - len(stripped) + 1
            body = first[1] if len(first) > 1 else ""
    if title.strip():
        front["title"] = title.strip()
    if not front.get("title"):
        raise UploadProblem("title", "The handout has no title",
                            "type the title in the Title box (or start the text with a line '# Title')")
    if lang.strip():
        front["lang"] = lang.strip()
    front.setdefault("lang", "en")
    if disclaimer.strip():
        front["disclaimer"] = " ".join(disclaimer.split())
    if not body.strip():
        raise UploadProblem("article", "The article has no text", "choose the article's file or paste its text")
    body, warnings = plain_text_headings(body, body_line)
    header = yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=1_000_000)
    slug = slug_for(str(front["title"]))
    data = f"---\n{header}---\n{body}".encode()
    stored_body_line = header.count("\n") + 3
    return Article(slug=slug, title=str(front["title"]), lang=str(front["lang"]), file_name=f"{slug}.md",
                   data=data, received_as=received_as, line_offset=stored_body_line - body_line,
                   warnings=tuple(warnings))


def word_article(data: bytes, title: str, received_as: str) -> Article:
    """A Word document, stored as it came; its title is read from it when it is built."""
    slug = slug_for(title) if title.strip() else "handout"
    return Article(slug=slug, title=title.strip(), lang="", file_name=f"{slug}.docx", data=data,
                   received_as=received_as)


# ---------------------------------------------------------------- from a request to a stored job

SAMPLE_SENTENCES = {code: language.sample_sentence for code, language in languages().items()
                    if language.sample_sentence}


def upload_size(upload: Any) -> int:
    """An uploaded file's size, as its part declares it or as it was received, whichever is larger; unread."""
    stream = upload.stream
    here = stream.tell()
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(here)
    return max(size, upload.content_length or 0)


def refuse_long_text(upload: Any) -> None:
    """Refuse a text file over the article limit from its size alone, before it is read whole or decoded.

    The request is already received (the web server and the form parser keep
    large files on disk), so a refusal costs no memory. A Word document is left
    to its own limits, which the reader applies.
    """
    stream = upload.stream
    here = stream.tell()
    start = stream.read(len(ZIP_START))
    stream.seek(here)
    if start == ZIP_START:
        return
    size = upload_size(upload)
    if size > MAX_SOURCE_BYTES:
        raise UploadProblem("article", f"The file {upload.filename} is {size:,} bytes, over the "
                            f"{MAX_SOURCE_BYTES:,}-byte limit for an article's text",
                            "split it into shorter articles, or check that this is the article's file")


def article_from_request(req: Any) -> Article:
    """The article sent as a file (field ``article``) or pasted text (field ``text``)."""
    upload = req.files.get("article")
    pasted = (req.form.get("text") or "").strip()
    title, lang = req.form.get("title", ""), req.form.get("lang", "")
    disclaimer = req.form.get("disclaimer", "")
    if upload is not None and upload.filename and pasted:
        raise UploadProblem("text", "Both a file and pasted text were given",
                            "keep one: clear the pasted text, or choose no file")
    if upload is not None and upload.filename:
        refuse_long_text(upload)
        data = upload.read()
        if recognise(data) == WORD_KIND:
            return word_article(data, title, "Word document")
        decoded = decode_text(data)
        article = text_article(decoded.text, title, lang, disclaimer, "text file")
        if decoded.encoding is not None:
            article = replace(article, warnings=(decoded.warning(upload.filename), *article.warnings))
        return article
    if pasted:
        return text_article(pasted, title, lang, disclaimer, "pasted text")
    raise UploadProblem("article", "No article was given",
                        "choose the article's file, or paste its text in the box below")


def accept(library: Library, article: Article, options: Options, word_lists: Path, made_by: str | None,
           read: Callable[[Path], Any] | None = None) -> Job:
    """Read the article as a build would (its errors reach the form, by field), then store the job.

    ``read`` reads it (the app's reading workers); by default, here.
    """
    from ..readers import read_article

    read = read or read_article
    lists = read_word_lists(word_lists)
    with tempfile.TemporaryDirectory(prefix="handout-upload-") as scratch:
        folder = Path(scratch)
        (folder / article.file_name).write_bytes(article.data)
        for name, data in lists.items():
            (folder / name).write_bytes(data)
        try:
            document = read(folder / article.file_name)
        except ArticleError as error:
            # Lines are counted in the text as staff sent it, before the front matter added here.
            line = error.line - article.line_offset if error.line else None
            raise ArticleError(Path(article.file_name), error.problem, error.fix,
                               line if line and line > 0 else None, field=error.field) from None
    # A Word document sent without a title is named after the title inside it.
    slug = slug_for(document.title) if article.slug == "handout" else article.slug
    file_name = f"{slug}{Path(article.file_name).suffix}"
    pictures, copies = picture_list(document)
    job = Job(id=library.new_id(slug), title=document.title, slug=slug, lang=document.lang, article=file_name,
              received_as=article.received_as,
              options=options.to_dict(), made_by=made_by,
              warnings=[*article.warnings, *(str(w) for w in getattr(document, "warnings", ()))],
              sample=sample_sentence(_first_text(document), document.lang), pictures=pictures)
    return library.create(job, article.data, lists, pictures=copies)


def read_word_lists(folder: Path) -> dict[str, bytes]:
    """The glossary, plain-words lists and lexicons every uploaded article is read with."""
    found: dict[str, bytes] = {}
    if not folder.is_dir():
        return found
    for path in sorted(folder.iterdir()):
        name = path.name
        if path.is_file() and (name.startswith(("glossary", "plain-words")) and name.endswith(".yml")
                               or name.startswith("lexicon") and name.endswith(".txt")):
            found[name] = path.read_bytes()
    return found


def _first_text(document: Any) -> str:
    from ..model import section_texts

    return next((text for text in section_texts(document.sections) if text.strip()), document.title)


def sample_sentence(text: str, lang: str) -> str:
    """A sentence of the article for a voice sample: its first, at most about 25 words."""
    from ..text.words import split_sentences

    sentences = split_sentences(" ".join(text.split())[:2000], lang) if text.strip() else []
    sentence = next((s for s in sentences if len(s.split()) >= 4), sentences[0] if sentences else "")
    words = sentence.split()
    if len(words) > 25:
        sentence = " ".join(words[:25])
    return sentence or SAMPLE_SENTENCES.get(lang.split("-")[0].lower(), SAMPLE_SENTENCES["en"])


def field_for(error: ArticleError) -> str:
    """The form field an article's error is shown beside."""
    return error.field or "article"


def article_message(error: ArticleError) -> str:
    """An article's error as a sentence for the form: where, what is wrong, and what to do."""
    where = f"Line {error.line}: " if error.line else ""
    problem = error.problem[:1].upper() + error.problem[1:] if not where else error.problem
    return f"{where}{problem}. {error.fix[:1].upper() + error.fix[1:]}"
