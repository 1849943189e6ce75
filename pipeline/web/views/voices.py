"""Hearing a voice before choosing it: a sentence of the article, spoken as the audio edition would."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request, send_file

from ...errors import HandoutError
from ..security import local_path
from ..services import services
from ..uploads import sample_sentence

bp = Blueprint("voices", __name__, url_prefix="/voices")


@bp.route("/sample", methods=["GET", "POST"])
def sample_page() -> str:
    voice = request.values.get("voice", "")
    lang = request.values.get("lang", "") or "en"
    text = sample_sentence(request.values.get("text", "") or request.values.get("sample_text", ""), lang)
    back = request.values.get("back")
    return render_template("voice-sample.html", voice=voice, lang=lang, text=text,
                           voice_name=services().sampler.voice_name(voice, lang),
                           back=back if local_path(back) else "/")


@bp.get("/sample.mp3")
def sample() -> Response:
    lang = request.args.get("lang", "") or "en"
    text = sample_sentence(request.args.get("text", ""), lang)
    try:
        path = services().sampler.sample(request.args.get("voice", ""), lang, text)
    except HandoutError as error:
        return Response(str(error), status=422, mimetype="text/plain")
    return send_file(path, mimetype="audio/mpeg")
