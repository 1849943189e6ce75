"""Hearing a voice before choosing it: a sentence of the article, spoken as the audio edition would."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request, send_file, session

from ...errors import HandoutError
from ..previews import SamplerBusy
from ..security import local_path
from ..services import services
from ..uploads import sample_sentence

bp = Blueprint("voices", __name__, url_prefix="/voices")

# The most text a sample is asked for: what the form sends (the article's first 600 characters).
SAMPLE_TEXT_LIMIT = 600


def sample_text(value: str) -> str:
    """The text a sample is asked for, as the form or the article gives it; longer is refused."""
    if len(value) > SAMPLE_TEXT_LIMIT:
        abort(400, f"A sample reads one sentence of at most {SAMPLE_TEXT_LIMIT} characters. Choose a shorter one.")
    return value


@bp.route("/sample", methods=["GET", "POST"])
def sample_page() -> str:
    voice = request.values.get("voice", "")
    lang = request.values.get("lang", "") or "en"
    sent = request.values.get("text", "") or request.values.get("sample_text", "")
    # From the form, "text" is the whole pasted article: its start is enough for a sentence.
    text = sample_sentence(sample_text(sent[:SAMPLE_TEXT_LIMIT] if request.method == "POST" else sent), lang)
    back = request.values.get("back")
    return render_template("voice-sample.html", voice=voice, lang=lang, text=text, from_form=request.method == "POST",
                           voice_name=services().sampler.voice_name(voice, lang),
                           back=back if local_path(back) else "/")


@bp.get("/sample.mp3")
def sample() -> Response:
    lang = request.args.get("lang", "") or "en"
    text = sample_sentence(sample_text(request.args.get("text", "")), lang)
    who = session.get("csrf") or request.remote_addr or ""
    try:
        path = services().sampler.sample(request.args.get("voice", ""), lang, text, who)
    except HandoutError as error:
        return Response(str(error), status=422, mimetype="text/plain")
    except SamplerBusy as busy:
        return Response(busy.message, status=503, mimetype="text/plain", headers={"Retry-After": str(busy.retry_after)})
    return send_file(path, mimetype="audio/mpeg")
