"""Errors are problem JSON with the right status, and a 500 never leaks a traceback."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient


def test_unknown_route_is_404_problem(client: FlaskClient) -> None:
    response = client.get("/v1/nowhere")

    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["title"] == "Not Found"


def test_unexpected_error_is_500_without_traceback(app: Flask) -> None:
    @app.get("/v1/boom")
    def boom() -> str:
        raise RuntimeError("secret internals")

    response = app.test_client().get("/v1/boom")

    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "secret internals" not in body
    assert "Traceback" not in body
    assert response.get_json()["status"] == 500
