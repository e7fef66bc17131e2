"""``/v1/tokens``: admins create, list and revoke API tokens."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from server.api.docs import operation
from server.api.requests import body_as
from server.app_state import database
from server.auth import require
from server.errors import NotFound
from server.schemas import TokenCreatedOut, TokenIn, TokenListOut, TokenOut
from server.store import tokens as token_store

blueprint = Blueprint("tokens", __name__)


@blueprint.post("/tokens")
@operation(
    summary="Create a token (the secret is shown once)",
    tag="tokens",
    body=TokenIn,
    auth="admin",
    responses={201: TokenCreatedOut},
)
def create_token() -> Response:
    require("admin")
    data = body_as(TokenIn)
    with database().transaction() as session:
        token, secret = token_store.create(session, data.name, data.role)
        body = TokenOut.model_validate(token, from_attributes=True).model_dump(mode="json")
    response = jsonify({**body, "token": secret})
    response.status_code = 201
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.get("/tokens")
@operation(
    summary="List tokens (never their secrets)",
    tag="tokens",
    auth="admin",
    responses={200: TokenListOut},
)
def list_tokens() -> dict[str, object]:
    require("admin")
    with database().session() as session:
        tokens = token_store.list_all(session)
        return {
            "tokens": [
                TokenOut.model_validate(t, from_attributes=True).model_dump(mode="json")
                for t in tokens
            ]
        }


@blueprint.delete("/tokens/<int:token_id>")
@operation(
    summary="Revoke a token", tag="tokens", auth="admin", responses={204: None}, errors=(404,)
)
def revoke_token(token_id: int) -> Response:
    require("admin")
    with database().transaction() as session:
        token = token_store.get(session, token_id)
        if token is None:
            raise NotFound(f"No token has the id {token_id}.")
        token_store.revoke(session, token)
    return Response(status=204)
