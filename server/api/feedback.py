"""``POST /v1/cards/{note_id}/feedback``: readers say whether a card helped. No account needed."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from server.api.docs import operation
from server.api.requests import body_as
from server.app_state import database
from server.errors import NotFound
from server.limits import feedback_limit, limiter
from server.schemas import FeedbackIn, FeedbackOut
from server.store import feedback as feedback_store
from server.store import notes as note_store

blueprint = Blueprint("feedback", __name__)


@blueprint.post("/cards/<note_id>/feedback")
@limiter.limit(feedback_limit)
@operation(
    summary="Reader feedback on a card",
    tag="cards",
    body=FeedbackIn,
    responses={201: FeedbackOut},
    errors=(404, 429),
)
def post_feedback(note_id: str) -> Response:
    data = body_as(FeedbackIn)
    with database().transaction() as session:
        note = note_store.get(session, note_id)
        if note is None or note.status != "published":
            raise NotFound(f"No published card has the id {note_id!r}.")
        feedback_store.add(session, note_id, data.helpful, data.reason)
    response = jsonify(FeedbackOut().model_dump())
    response.status_code = 201
    return response
