"""Checks of a finished read-along EPUB: its package, its sync with the audio, the disclaimer, two validators."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from ..model import Document
from ..settings import Settings
from . import Finding, Recorder

EPUBCHECK_JAR = Path("/usr/share/java/epubcheck.jar")
# Ace by DAISY, installed by `make` into the project's .tools/ folder (see the Makefile).
PROJECT_TOOLS = Path(__file__).resolve().parent.parent.parent / ".tools"
CHROMIUM = ("/usr/bin/chromium", "chromium", "chromium-browser")
VALIDATOR_TIMEOUT_S = 300
REQUIRED_METADATA = ("schema:accessMode", "schema:accessModeSufficient", "schema:accessibilityFeature",
                     "schema:accessibilityHazard", "schema:accessibilitySummary", "dcterms:conformsTo",
                     "media:duration", "media:active-class")
NS = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/",
      "smil": "http://www.w3.org/ns/SMIL", "xhtml": "http://www.w3.org/1999/xhtml"}


@dataclass(frozen=True)
class Clip:
    """One Media Overlay ``par``: the text it highlights and the stretch of audio it plays."""

    text_ref: str
    audio: str
    begin: float
    end: float


@dataclass(frozen=True)
class Package:
    """What a finished EPUB holds, read from the file."""

    names: tuple[str, ...]
    mimetype_first_and_stored: bool
    metadata: dict[str, tuple[str, ...]]
    overlays: dict[str, str]  # content document -> its SMIL
    clips: tuple[Clip, ...]
    text: str


def read_package(epub: Path) -> Package:
    """The parts of ``epub`` the checks and tests look at."""
    with zipfile.ZipFile(epub) as archive:
        infos = archive.infolist()
        first = infos[0]
        container = ElementTree.fromstring(archive.read("META-INF/container.xml"))
        opf_path = container.find(".//{urn:oasis:names:tc:opendocument:xmlns:container}rootfile").get("full-path")
        base = opf_path.rsplit("/", 1)[0] + "/" if "/" in opf_path else ""
        opf = ElementTree.fromstring(archive.read(opf_path))
        metadata: dict[str, list[str]] = {}
        for element in opf.find("opf:metadata", NS):
            tag = element.tag.split("}")[1]
            key = element.get("property") if tag == "meta" else f"dc:{tag}"
            if key:
                metadata.setdefault(key, []).append((element.text or "").strip())
        items = {item.get("id"): item for item in opf.find("opf:manifest", NS)}
        overlays, clips, texts = {}, [], []
        for itemref in opf.find("opf:spine", NS):
            item = items[itemref.get("idref")]
            href = item.get("href")
            texts.append("".join(ElementTree.fromstring(archive.read(base + href)).itertext()))
            overlay = item.get("media-overlay")
            if overlay:
                smil_href = items[overlay].get("href")
                overlays[href] = smil_href
                smil = ElementTree.fromstring(archive.read(base + smil_href))
                for par in smil.iter(f"{{{NS['smil']}}}par"):
                    text = par.find("smil:text", NS)
                    audio = par.find("smil:audio", NS)
                    clips.append(Clip(text.get("src"), audio.get("src"), clock_seconds(audio.get("clipBegin")),
                                      clock_seconds(audio.get("clipEnd"))))
    return Package(
        names=tuple(info.filename for info in infos),
        mimetype_first_and_stored=(first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
                                   and archive_bytes(epub, "mimetype") == b"application/epub+zip"),
        metadata={key: tuple(values) for key, values in metadata.items()},
        overlays=overlays, clips=tuple(clips), text=" ".join(texts))


def archive_bytes(epub: Path, name: str) -> bytes:
    with zipfile.ZipFile(epub) as archive:
        return archive.read(name)


def clock_seconds(value: str) -> float:
    """Seconds in a SMIL clock value: "12.5s", "1:02.5", "0:01:02.500", "250ms"."""
    value = value.strip()
    if value.endswith("ms"):
        return float(value[:-2]) / 1000
    if value.endswith("s") and ":" not in value:
        return float(value[:-1])
    if value.endswith("min"):
        return float(value[:-3]) * 60
    if value.endswith("h"):
        return float(value[:-1]) * 3600
    parts = [float(p) for p in value.split(":")]
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + part
    return seconds


# ---------------------------------------------------------------- the validators


def epubcheck_missing() -> str | None:
    if shutil.which("java") is None:
        return "no Java runtime on this machine (apt-get install epubcheck)"
    if not EPUBCHECK_JAR.is_file():
        return f"epubcheck is not installed ({EPUBCHECK_JAR}; apt-get install epubcheck)"
    return None


def run_epubcheck(epub: Path) -> tuple[int, int, list[str]]:
    """(errors and fatal errors, warnings, their messages) from epubcheck."""
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "epubcheck.json"
        subprocess.run(["java", "-jar", str(EPUBCHECK_JAR), str(epub), "--json", str(out)],
                       capture_output=True, timeout=VALIDATOR_TIMEOUT_S, check=False)
        result = json.loads(out.read_text(encoding="utf-8"))
    checker = result["checker"]
    messages = [f"{m['severity']} {m['ID']}: {m['message']} "
                f"({', '.join(str(place.get('path')) for place in m['locations'])})" for m in result["messages"]]
    return checker["nError"] + checker.get("nFatal", 0), checker["nWarning"], messages


def ace_command() -> str | None:
    """Ace by DAISY's command: the project's own install, else one on the PATH."""
    local = PROJECT_TOOLS / "node_modules" / ".bin" / "ace-cli"
    return str(local) if local.is_file() else shutil.which("ace-cli") or shutil.which("ace")


def chromium() -> str | None:
    return next((found for name in CHROMIUM if (found := shutil.which(name))), None)


def ace_missing() -> str | None:
    if shutil.which("node") is None:
        return "no Node.js on this machine, which Ace by DAISY runs on"
    if ace_command() is None:
        return "Ace by DAISY is not installed (make installs it into .tools/)"
    if chromium() is None:
        return "no Chromium on this machine (apt-get install chromium), which Ace by DAISY runs the EPUB in"
    return None


def run_ace(epub: Path) -> tuple[str, list[str]]:
    """(Ace's overall outcome, one line per violation) for ``epub``."""
    with tempfile.TemporaryDirectory() as scratch:
        env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": chromium() or ""}
        process = subprocess.run([ace_command() or "ace-cli", "-f", "-s", "-o", scratch, str(epub)],
                                 capture_output=True, text=True, timeout=VALIDATOR_TIMEOUT_S, env=env, check=False)
        report = Path(scratch) / "report.json"
        if not report.is_file():
            raise RuntimeError(f"Ace by DAISY wrote no report: {process.stderr.strip()[-500:]}")
        data = json.loads(report.read_text(encoding="utf-8"))
    violations = []
    for document in data.get("assertions", []):
        for assertion in document.get("assertions", []):
            test = assertion["earl:test"]
            violations.append(f"{document['earl:testSubject']['url']}: {test['dct:title']} ({test['earl:impact']}): "
                              f"{assertion['earl:result'].get('dct:description', '')}")
    return data["earl:result"]["earl:outcome"], violations


# ---------------------------------------------------------------- the checks


def check_epub(document: Document, folder: Path, settings: Settings) -> list[Finding]:
    """Every check of ``folder/SLUG.epub``."""
    epub = folder / f"{document.slug}.epub"
    record = Recorder("epub", epub)
    if not record.file_present():
        return record.findings
    try:
        package = read_package(epub)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, AttributeError, TypeError) as error:
        record.add("package", False, "damaged", "a readable EPUB", f"{type(error).__name__}: {error}")
        return record.findings
    record.add("container", package.mimetype_first_and_stored, "mimetype first, stored" if
               package.mimetype_first_and_stored else "mimetype misplaced", "mimetype first, stored")
    missing = [key for key in REQUIRED_METADATA if not package.metadata.get(key)]
    record.add("accessibility metadata", not missing, "complete" if not missing else f"missing {', '.join(missing)}",
               "EPUB Accessibility 1.1 metadata and Media Overlay durations")
    languages = package.metadata.get("dc:language", ())
    record.add("language", languages[:1] == (document.lang,), ", ".join(languages) or "none", document.lang)
    record.disclaimer(document, package.text)
    _pictures(record, document, epub)
    vtt = folder / f"{document.slug}.vtt"
    if vtt.is_file():
        from ..audio.listening import caption_cues

        cues = caption_cues(vtt)
        in_order = all(a.end <= b.begin + 1e-3 for a, b in zip(package.clips, package.clips[1:], strict=False))
        record.add("read-along", len(package.clips) == len(cues) and in_order and bool(package.clips),
                   f"{len(package.clips)} clips for {len(cues)} captions", "one clip per caption, in order")
    else:
        record.not_run("read-along", "one clip per caption, in order", f"no {vtt.name} beside the book")
    _validators(epub, record)
    return record.findings


def _pictures(record: Recorder, document: Document, epub: Path) -> None:
    """Every picture in the book's XHTML described (WCAG 1.1.1), and inside the book."""
    from .pictures import image_alternates, judge_pictures

    alternates: list[str | None] = []
    with zipfile.ZipFile(epub) as archive:
        names = set(archive.namelist())
        outside = []
        for name in sorted(names):
            if name.endswith(".xhtml"):
                found, sources = image_alternates(archive.read(name).decode("utf-8"))
                alternates += found
                folder = name.rsplit("/", 1)[0] + "/" if "/" in name else ""
                outside += [src for src in sources if f"{folder}{src}" not in names]
    judge_pictures(record, document, alternates, "pictures described (WCAG 1.1.1)")
    if outside:
        record.add("pictures inside the book", False, f"{len(outside)} missing", "every picture a file of the book",
                   "; ".join(outside[:3]))


def _validators(epub: Path, record: Recorder) -> None:
    why = epubcheck_missing()
    if why is not None:
        record.not_run("epubcheck", "0 errors, 0 warnings", why)
    else:
        errors, warnings, messages = run_epubcheck(epub)
        record.add("epubcheck", errors == 0 and warnings == 0, f"{errors} errors, {warnings} warnings",
                   "0 errors, 0 warnings", "; ".join(messages[:5]))
    why = ace_missing()
    if why is not None:
        record.not_run("Ace by DAISY", "0 violations", why)
        return
    try:
        outcome, violations = run_ace(epub)
    except (RuntimeError, subprocess.TimeoutExpired, ValueError) as error:
        record.add("Ace by DAISY", False, "did not finish", "0 violations", str(error))
        return
    record.add("Ace by DAISY", not violations and outcome == "pass", f"{len(violations)} violations",
               "0 violations", "; ".join(violations[:5]))

