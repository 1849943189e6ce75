"""The ``handout`` command: thin Click commands that call the build."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import click

from .errors import HandoutError
from .settings import FORMATS, PAPER_SIZES, PRINT_SIZES

log = logging.getLogger("pipeline")

BUILD_HELP = """Turn articles into handouts: large-print PDF, plain-language web page,
audio, read-along EPUB, DAISY talking book and braille.

PATHS are article files or folders of them (default: source/): Markdown
(SLUG.md) or Word (.docx, named by its file name made safe). Each article is
written to OUT/SLUG/ as SLUG.pdf, SLUG.html, SLUG.mp3 with SLUG.vtt,
SLUG.epub, SLUG.daisy.zip, and SLUG.brf with its preview SLUG.braille.html. What the reader
changed or left out of a Word file is printed as a warning.

Only what is out of date is built: a first pass finds the articles whose
handouts are all current and leaves them be. With --scheduler the others are
built by the workers of a Dask cluster, which must see the output folder and
the articles at the same paths as this machine.
"""
CHECK_HELP = """Check built handouts and write output/SLUG/report.json and report.html.

Reads the finished files (not the article's model): the disclaimer in each
output, PDF/UA-1 and large-print measurements, the page's reading level, its
facts against the article's (numbers, drugs, "do not"s) and axe-core in
Chromium, the audio's loudness, pace, chapters, LAME/Info header and intelligibility,
the EPUB's sync, epubcheck and Ace, the DAISY book's links, clips and length, the braille's layout and back-translation.
A check that cannot run here is reported as "not run", never as passed; a
figure reported but not judged is "info". Exit status: 0 all passed, 1
something failed, 2 bad input.
"""
PLAIN_HELP = """Check an article's plain-language edition: its reading level and its facts.

Reads ARTICLE and its plain edition (SLUG.plain.md beside it, or else the
automatic draft the page would show, labelled as such) and prints the page's
reading level with its formula and target, each sentence above the target with
its grade and hard words (and the plain word where plain-words.yml has one),
and every number, drug and "do not" of the article that the plain edition
drops, or adds that the article never says. Exit status: 0 at the target and
keeping every fact, 1 not, 2 bad input.
"""
IMPORT_HELP = """Turn Word documents into Markdown articles: TO/SLUG.md, pictures in TO/SLUG.assets/.

FILES are .docx files. Building the Markdown makes the same handouts as
building the Word file, so a clinic can keep its library as text and edit it
there. What could not be carried over is printed as a warning. An existing
SLUG.md is replaced only with --force. Exit status: 0 imported, 2 bad input.
"""
VOICES_HELP = """List the speech voices on this machine: id, engine, language and quality.

Piper voices are neural and sound natural; eSpeak NG voices are formant
synthesis and sound robotic. Give an id to 'handout build --voice', or the
path of a Piper voice you downloaded (its .onnx with the .onnx.json beside it).
"""


@click.group()
@click.version_option(package_name="handout")
@click.option("-v", "--verbose", is_flag=True, help="Say what is being done.")
def main(verbose: bool) -> None:
    """Accessible patient handouts from one source article."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s: %(message)s", stream=sys.stderr)


def handout_options(paths: bool = True):  # type: ignore[no-untyped-def]
    """The options that ``build``, ``check`` and ``serve`` share: what the handouts are and where."""
    options = [
        click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
                     help="Folder of the handouts (default: output/)."),
        click.option("--format", "formats", multiple=True, type=click.Choice(FORMATS),
                     help="Only this format; repeat for several (default: all)."),
        click.option("--paper", type=click.Choice(PAPER_SIZES), default=None,
                     help="Paper size of the large-print PDF (default: letter)."),
        click.option("--print-size", type=click.Choice([str(s) for s in PRINT_SIZES]), default=None,
                     help="Text size of the large-print PDF in points (default: 18)."),
        click.option("--rate", type=int, default=None, help="Speaking rate in words per minute (default: 150)."),
        click.option("--braille-cells", type=int, default=None, help="Braille cells a line (default: 40)."),
        click.option("--braille-lines", type=int, default=None, help="Braille lines a page (default: 25)."),
        click.option("--braille-grade", type=click.IntRange(1, 2), default=None,
                     help="Braille grade: 2 contracted, 1 uncontracted (default: 1 for Spanish, 2 otherwise)."),
        click.option("--config", "config", type=click.Path(dir_okay=False, path_type=Path), default=None,
                     help="Settings file (default: handout.toml if present)."),
    ]
    if paths:
        options.insert(0, click.argument("paths", nargs=-1, type=click.Path(path_type=Path)))

    def decorate(command):  # type: ignore[no-untyped-def]
        for option in reversed(options):
            command = option(command)
        return command
    return decorate


def engine_options(command):  # type: ignore[no-untyped-def]
    """The options that say how ``build`` and ``serve`` make handouts: voice, templates, jobs, cluster."""
    options = [
        click.option("--voice", default=None,
                     help="Speech voice: an id from 'handout voices', or the path of a Piper voice's .onnx file."),
        click.option("--templates", "template_dir", type=click.Path(file_okay=False, exists=True, path_type=Path),
                     default=None, help="Folder of templates and stylesheets that override the built-in ones."),
        click.option("--jobs", "-j", type=int, default=None, help="Articles built at once (default: 1)."),
        click.option("--scheduler", default=None, metavar="tcp://HOST:PORT",
                     help="Build on this Dask cluster's workers instead of here (README: 'Running on a cluster')."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@main.command(help=BUILD_HELP)
@handout_options()
@engine_options
@click.option("--force", is_flag=True, default=None, help="Rebuild even the handouts that are up to date.")
@click.option("--check", "then_check", is_flag=True, help="Check the handouts once they are built.")
def build(paths: tuple[Path, ...], config: Path | None, print_size: str | None, then_check: bool,
          **options: object) -> None:
    from .batch import build as run_build

    settings = _settings(config, print_size, options)
    try:
        with _progress() as progress:
            result = run_build(paths or (Path("source"),), settings, feedback=progress)
    except HandoutError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(error.exit_code)
    if not result.articles:
        click.echo("error: no articles found (looked for *.md and *.docx files)", err=True)
        sys.exit(2)
    _summarise(result)
    if result.exit_code or not then_check:
        sys.exit(result.exit_code)
    sys.exit(_run_checks(paths, settings))


@main.command(help=CHECK_HELP)
@handout_options()
def check(paths: tuple[Path, ...], config: Path | None, print_size: str | None, **options: object) -> None:
    sys.exit(_run_checks(paths, _settings(config, print_size, options)))


def _settings(config: Path | None, print_size: str | None, options: dict[str, object]):  # type: ignore[no-untyped-def]
    """The settings from the defaults, the settings file and the options given; exits 2 if they are bad."""
    from .settings import load_settings

    try:
        return load_settings(config, print_size=int(print_size) if print_size else None, **options)
    except HandoutError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(error.exit_code)


def _run_checks(paths: tuple[Path, ...], settings) -> int:  # type: ignore[no-untyped-def]
    from .checking import check as run_check
    from .report import table

    try:
        results = run_check(list(paths or (Path("source"),)), settings)
    except HandoutError as error:
        click.echo(f"error: {error}", err=True)
        return error.exit_code
    if not results:
        click.echo("error: no articles found (looked for *.md and *.docx files)", err=True)
        return 2
    for result in results:
        if result.error is not None:
            click.echo(f"error: {result.error}", err=True)
            continue
        click.echo(table(result.slug or "", result.findings or []))
        click.echo(f"  report: {', '.join(str(p) for p in result.reports or [])}")
    if any(r.error is not None for r in results):
        return 2
    return 1 if any(r.failed for r in results) else 0


class _progress:
    """A progress bar on a terminal; one line per article when logging to a file or CI."""

    def __enter__(self):  # type: ignore[no-untyped-def]
        self.done_count = 0
        self.bar = None
        return self

    def planned(self, total: int, to_build: int, failed: int = 0) -> None:
        if total > 1 and to_build + failed < total:
            click.echo(f"{total - to_build - failed} of {total} articles are up to date; building {to_build}"
                       + (f"; {failed} cannot be read" if failed else ""), err=True)
        if sys.stderr.isatty():
            self.bar = click.progressbar(length=total, label="Building", file=sys.stderr,
                                         item_show_func=lambda slug: slug or "")

    def note(self, text: str) -> None:
        click.echo(text, err=True)

    def done(self, article) -> None:  # type: ignore[no-untyped-def]
        self.done_count += 1
        name = article.slug or article.source.name
        if self.bar is not None:
            self.bar.update(1, name)
            return
        state = "failed" if article.errors else "built" if article.written else "up to date"
        where = f" on {article.worker}" if article.worker else ""
        click.echo(f"[{self.done_count}] {name}: {state}{where}"
                   + (f" ({', '.join(p.name for p in article.written)})" if article.written else ""))

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.render_finish()


def _summarise(result) -> None:  # type: ignore[no-untyped-def]
    for article in result.failed:
        where = f" (built on worker {article.worker})" if article.worker else ""
        for error in article.errors:
            click.echo(f"error: {error}{where}", err=True)
    if len(result.articles) > 1:
        click.echo(summary_line(result), err=bool(result.failed))


def summary_line(result) -> str:  # type: ignore[no-untyped-def]
    """What a build of several articles did, as the plan line counts it: ``20 of 20 up to date, 0 built``."""
    up_to_date = sum(1 for a in result.articles if a.ok and not a.written)
    built = sum(1 for a in result.articles if a.ok and a.written)
    line = f"{up_to_date} of {len(result.articles)} up to date, {built} built"
    if result.failed:
        line += f", {len(result.failed)} failed: {', '.join(a.source.name for a in result.failed)}"
    return line


@main.command(help=PLAIN_HELP)
@click.argument("article", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the analysis as JSON.")
@click.option("--accept", "accept", multiple=True, metavar="FACT-ID",
              help="Record that you checked this flagged fact and the plain edition says the same (with --by).")
@click.option("--by", "by", default="", metavar="NAME", help="Your name, recorded with --accept.")
@click.option("--note", "note", default="", help="A note kept with --accept.")
def plain(article: Path, as_json: bool, accept: tuple[str, ...], by: str, note: str) -> None:
    from .readers import read_article
    from .text.workbench import accept_facts, analyse, describe

    if accept and not by.strip():
        click.echo("error: --accept needs --by NAME: the name of the person who checked the fact", err=True)
        sys.exit(2)
    try:
        document = read_article(article)
        if accept:
            document = read_article(accept_facts(document, accept, by, note))
        analysis = analyse(document)
    except HandoutError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(error.exit_code)
    click.echo(json.dumps(analysis.to_dict(), indent=2, ensure_ascii=False) if as_json else describe(analysis))
    sys.exit(0 if analysis.ok else 1)


@main.command(name="import", help=IMPORT_HELP)
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--to", "to", type=click.Path(file_okay=False, path_type=Path), default=Path("source"),
              show_default=True, help="Folder to write the Markdown articles into.")
@click.option("--force", is_flag=True, help="Replace articles that are already there.")
def import_(files: tuple[Path, ...], to: Path, force: bool) -> None:
    from .importer import import_article

    status = 0
    for file in files:
        try:
            imported = import_article(file, to, force=force)
        except HandoutError as error:
            click.echo(f"error: {error}", err=True)
            status = max(status, error.exit_code)
            continue
        for warning in imported.document.warnings:
            log.warning("%s: %s", file, warning)
        pictures = f" and {len(imported.pictures)} picture(s) in {imported.pictures[0].parent}" \
            if imported.pictures else ""
        click.echo(f"{file}: wrote {imported.markdown}{pictures}")
    sys.exit(status)


@main.command(help=VOICES_HELP)
def voices() -> None:
    from .audio.engines import list_voices

    try:
        found = list_voices()
    except HandoutError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(error.exit_code)
    click.echo(f"{'ID':24} {'ENGINE':10} {'LANGUAGE':12} {'QUALITY':9} NAME")
    for voice in found:
        languages = ", ".join(voice.languages)
        click.echo(f"{voice.id:24} {voice.engine_name:10} {languages:12} {voice.quality:9} {voice.name}")


LANGUAGES_HELP = """List the languages handout knows, and what each has.

For each: its default voice and whether it sounds natural or robotic, its
braille code and grade, its reading measure and target, whether the
handouts' own labels are in it, and what its speaking pace is counted in.
An article in any other language still builds, read by eSpeak NG if it
speaks the language, with one warning naming what is missing.
--markdown prints the table the README shows.
"""


@main.command(help=LANGUAGES_HELP)
@click.option("--markdown", "as_markdown", is_flag=True, help="Print a Markdown table.")
def languages(as_markdown: bool) -> None:
    from .language_list import markdown, rows

    if as_markdown:
        click.echo(markdown(), nl=False)
        return
    for row in rows():
        click.echo(f"{row.code:4} {row.name}")
        click.echo(f"     voice: {row.voice} ({row.sound})")
        click.echo(f"     braille: {row.braille}")
        click.echo(f"     reading: {row.reading}")
        click.echo(f"     labels: {row.labels}; pace in {row.pace}")


SERVE_HELP = """Start the web app where clinic staff make, preview and download handouts.

It listens on 127.0.0.1:8000 unless told otherwise and prints the address to
open. Handouts made there are kept in OUT/library/, one folder each, and
survive a restart. To let other machines reach it, set a staff password first
('handout password'), then give --host 0.0.0.0 (or the machine's address).
The build options below are the form's defaults; the app's library is
OUT/library. Its own settings may also go in handout.toml under [serve].
"""
PASSWORD_HELP = """Set the staff password of the web app (asked for twice, never shown).

Only its scrypt hash is kept, in handout-staff.json (or --staff-file).
A new password signs out everyone signed in with the old one;
--sign-out-everyone does that without changing the password.
"""
TOKEN_HELP = """Make an API token called NAME for another system (a patient portal, a script).

The token is printed once; only its hash is kept. Send it as
'Authorization: Bearer TOKEN'. --revoke removes the token called NAME.
"""


@main.command(help=SERVE_HELP)
@click.option("--host", default=None, help="Address to listen on (default: 127.0.0.1, this machine only).")
@click.option("--port", type=int, default=None, help="Port to listen on (default: 8000).")
@click.option("--word-lists", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder whose glossary, plain words and lexicon uploaded articles use (default: source/).")
@click.option("--staff-file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where the staff password's and tokens' hashes are kept (default: handout-staff.json).")
@click.option("--upload-limit", "upload_limit_mb", type=int, default=None, help="Largest upload in MB (default: 20).")
@click.option("--behind-proxy", is_flag=True, default=None,
              help="Served through a TLS proxy: trust one hop of X-Forwarded-For, -Proto and -Host from its address "
                   "([serve] trusted_proxy, default 127.0.0.1).")
@click.option("--public-url", default=None,
              help="The address staff open (https://handouts.clinic.example): links and the API use it "
                   "([serve] public_url). Without it, only the address listened on and [serve] hosts are answered.")
@handout_options(paths=False)
@engine_options
def serve(config: Path | None, host: str | None, port: int | None, word_lists: Path | None,
          staff_file: Path | None, upload_limit_mb: int | None, behind_proxy: bool | None, public_url: str | None,
          print_size: str | None, **options: object) -> None:
    from .settings import load_serve_settings
    from .web.serve import serve as run_server

    settings = _settings(config, print_size, options)
    try:
        serve_settings = load_serve_settings(config, host=host, port=port, word_lists=word_lists,
                                             staff_file=staff_file, upload_limit_mb=upload_limit_mb,
                                             behind_proxy=behind_proxy, public_url=public_url)
        run_server(settings, serve_settings, announce=lambda text: click.echo(text, err=True))
    except HandoutError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(error.exit_code)
    except OSError as error:
        click.echo(f"error: the app cannot listen on that address ({error.strerror}). Fix: choose another "
                   "--port, or stop the program that uses it", err=True)
        sys.exit(2)


@main.command(help=PASSWORD_HELP)
@click.option("--staff-file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where the hash is kept (default: handout-staff.json).")
@click.option("--config", "config", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Settings file (default: handout.toml if present).")
@click.option("--sign-out-everyone", is_flag=True,
              help="End every staff session now, in a running 'handout serve' too; the password stays.")
def password(staff_file: Path | None, config: Path | None, sign_out_everyone: bool) -> None:
    from .settings import load_serve_settings
    from .web.staff import MIN_PASSWORD_LENGTH, Staff

    try:
        path = load_serve_settings(config, staff_file=staff_file).staff_file
        staff = Staff.load(path)
    except HandoutError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(error.exit_code)
    if sign_out_everyone:
        staff.sign_out_everyone()
        staff.save()
        click.echo("Every staff session has ended, in a running 'handout serve' too; staff sign in again.")
        return
    new = click.prompt(f"New staff password (at least {MIN_PASSWORD_LENGTH} characters)", hide_input=True,
                       confirmation_prompt="The same password again")
    try:
        staff.set_password(new)
    except ValueError as error:
        click.echo(f"error: the password is too short. Fix: {error}", err=True)
        sys.exit(2)
    staff.save()
    click.echo(f"The staff password is set (its hash is in {path}). A running 'handout serve' uses it from now on; "
               "staff signed in with the old one sign in again.")


@main.command(help=TOKEN_HELP)
@click.argument("name")
@click.option("--revoke", is_flag=True, help="Remove the token called NAME.")
@click.option("--staff-file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where the hashes are kept (default: handout-staff.json).")
@click.option("--config", "config", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Settings file (default: handout.toml if present).")
def token(name: str, revoke: bool, staff_file: Path | None, config: Path | None) -> None:
    from .settings import load_serve_settings
    from .web.staff import Staff

    try:
        path = load_serve_settings(config, staff_file=staff_file).staff_file
        staff = Staff.load(path)
    except HandoutError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(error.exit_code)
    if revoke:
        if staff.tokens.pop(name, None) is None:
            click.echo(f"error: there is no token called {name!r}. Fix: use one of: "
                       f"{', '.join(sorted(staff.tokens)) or '(none yet)'}", err=True)
            sys.exit(2)
        staff.save()
        click.echo(f"The token {name!r} no longer works, in a running 'handout serve' too.")
        return
    secret = staff.new_token(name)
    staff.save()
    click.echo(secret)
    click.echo(f"This is the API token {name!r}; it is not shown again. A running 'handout serve' takes it at once.",
               err=True)
