"""Recordings streamed through the app: the browser never sees Twilio's
address or credentials, and nothing of a citizen's voice is cached."""
from __future__ import annotations

import requests
from flask import Response, current_app, make_response, render_template, request

from ..models import Recording
from ..senders import twilio

NO_STORE = "private, no-store"


def stream_recording(rec: Recording):
    try:
        content_type, data = twilio.fetch(rec.url + ".mp3")
    except (requests.RequestException, ValueError) as exc:
        current_app.logger.warning("recording %s not fetched: %s", rec.recording_sid, exc)
        response = make_response(
            render_template("staff/operator/recording_error.html", recording=rec), 502)
        response.headers["Cache-Control"] = NO_STORE
        return response
    if not content_type.startswith("audio/"):
        content_type = "audio/mpeg"
    response = Response(data, content_type=content_type)
    response.headers["Cache-Control"] = NO_STORE
    response.headers["Content-Disposition"] = f'inline; filename="{rec.recording_sid}.mp3"'
    # Range requests: Safari will not play audio from a server that ignores them.
    return response.make_conditional(request, accept_ranges=True, complete_length=len(data))
