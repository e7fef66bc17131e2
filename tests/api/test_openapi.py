"""The OpenAPI document is valid, complete, and generated from the code; /docs needs no CDN."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from openapi_spec_validator import validate

UNDOCUMENTED = {"static", "docs.get_docs"}


def test_document_is_valid_openapi_3_1(client: FlaskClient) -> None:
    document = client.get("/v1/openapi.json").get_json()

    validate(document)
    assert document["openapi"] == "3.1.0"


def test_every_registered_route_is_documented(client: FlaskClient, app: Flask) -> None:
    paths = client.get("/v1/openapi.json").get_json()["paths"]

    for rule in app.url_map.iter_rules():
        if rule.endpoint in UNDOCUMENTED:
            continue
        if rule.endpoint.startswith("console."):  # HTML pages for people (README: Console)
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}:
            assert method.lower() in paths.get(path, {}), f"{method} {path} is undocumented"


def test_write_operations_declare_auth_and_errors(client: FlaskClient) -> None:
    patch = client.get("/v1/openapi.json").get_json()["paths"]["/v1/notes/{note_id}"]["patch"]

    assert patch["security"] == [{"bearer": []}]
    assert {"401", "403", "412", "422", "428"} <= set(patch["responses"])
    assert "application/merge-patch+json" in patch["requestBody"]["content"]


def test_docs_page_is_served_without_external_scripts(client: FlaskClient) -> None:
    response = client.get("/docs")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "/v1/match" in html
    assert not re.search(r"""(src|href)=["']https?://""", html)
