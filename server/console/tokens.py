"""Token management for admins: create (the secret is shown once, on this response only), revoke."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from server.app_state import database
from server.console.blueprint import blueprint
from server.console.forms import errors_by_field
from server.console.session import requires
from server.errors import ApiError
from server.schemas import TokenIn, parse
from server.store import tokens as token_store


def _page(status: int = 200, **extra: object) -> tuple[str, int]:
    with database().session() as session:
        tokens = list(token_store.list_all(session))
    return render_template(
        "console/tokens.html", **{"tokens": tokens, "errors": {}, "created": None, **extra}
    ), status


@blueprint.get("/tokens")
@requires("admin")
def tokens() -> tuple[str, int]:
    return _page()


@blueprint.post("/tokens")
@requires("admin")
def create_token() -> tuple[str, int]:
    try:
        data = parse(
            TokenIn, {"name": request.form.get("name", ""), "role": request.form.get("role", "")}
        )
    except ApiError as exc:
        return _page(422, errors=errors_by_field(exc.extra.get("errors") or [], ("name", "role")))
    with database().transaction() as session:
        token, secret = token_store.create(session, data.name, data.role)
        created = {"id": token.id, "name": token.name, "role": token.role, "secret": secret}
    return _page(201, created=created)


@blueprint.post("/tokens/<id:token_id>/revoke")
@requires("admin")
def revoke_token(token_id: int) -> Response:
    with database().transaction() as session:
        token = token_store.get(session, token_id)
        if token is None:
            abort(404, f"No token has the id {token_id}.")
        token_store.revoke(session, token)
    return redirect(url_for("console.tokens"), code=303)
