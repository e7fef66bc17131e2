"""Hostile input through HTTP, against a real gunicorn server on SQLite and on PostgreSQL.

Each case in the catalogue is one request as an attacker or a broken client might send it:
malformed or oversized bodies, wrong media types, deep nesting, NUL and control characters,
lone surrogates, invalid UTF-8, hostile URLs, markup, SQL-looking search strings and path
tricks. Every answer is either a 4xx problem document or, where the input is legitimately
acceptable, a 2xx; never a 5xx. Writes that are refused leave nothing in the database; writes
that are accepted store exactly what was sent, cleaned of what the rules strip.
"""

from __future__ import annotations

import http.client
import json
import re
import socket
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import pytest

from tests.conftest import NEW_CLAIM
from tests.reliability.conftest import BACKENDS, NewDatabase
from tests.reliability.servers import Reply, Server, dump_database, make_token, running_server

ARTICLE = "https://www.example.org/article"
MB = 1024 * 1024
SEED_NOTE = "global-research"


@dataclass
class Site:
    server: Server
    curator: dict[str, str]
    admin: dict[str, str]


@pytest.fixture(scope="module", params=BACKENDS)
def site(
    request: pytest.FixtureRequest,
    new_database: NewDatabase,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Site]:
    database_url = new_database(request.param)
    with running_server(database_url, tmp_path_factory.mktemp("hostile")) as server:
        _, curator = make_token(database_url, "curator", "Hostile Curator")
        _, admin = make_token(database_url, "admin", "Hostile Admin")
        yield Site(
            server,
            {"Authorization": f"Bearer {curator}"},
            {"Authorization": f"Bearer {admin}"},
        )


def j(value: Any) -> bytes:
    """JSON as Python writes it: lone surrogates become \\ud800 escapes, as a client may send."""
    return json.dumps(value).encode()


def claim(marker: str, **fields: Any) -> dict[str, Any]:
    """A valid claim note whose title carries ``marker``, with ``fields`` replaced."""
    return {**NEW_CLAIM, "title": f"Hostile {marker} note", **fields}


def passages(*texts: str) -> list[dict[str, str]]:
    return [{"id": f"p{i}", "text": t} for i, t in enumerate(texts)]


@dataclass
class Case:
    """One hostile request and what may come back."""

    method: str
    path: str
    body: bytes | None = None
    content_type: str | None = "application/json"
    expect: set[int] = field(default_factory=lambda: {422})
    auth: str | None = None  # "curator" or "admin"
    headers: dict[str, str] = field(default_factory=dict)
    refused_marker: str | None = None  # must not be anywhere in the database afterwards
    stored: dict[str, Any] | None = None  # fields the created note must hold exactly
    problem: bool = True  # gunicorn itself refuses some requests, in plain text


def _match(body: Any, **kwargs: Any) -> Case:
    return Case("POST", "/v1/match", j(body), **kwargs)


def _note(marker: str, body: Any, **kwargs: Any) -> Case:
    kwargs.setdefault("refused_marker", f"Hostile {marker} note")
    return Case("POST", "/v1/notes", j(body), auth="curator", **kwargs)


def _note_raw(marker: str, body: bytes, **kwargs: Any) -> Case:
    return Case("POST", "/v1/notes", body, auth="curator", refused_marker=marker, **kwargs)


def _stored_note(marker: str, sent: dict[str, Any], cleaned: dict[str, Any]) -> Case:
    return Case(
        "POST", "/v1/notes", j(claim(marker, **sent)), auth="curator", expect={201}, stored=cleaned
    )


BIG = b'{"url": "' + ARTICLE.encode() + b'", "passages": [{"id": "p0", "text": "' + b"a" * (10 * MB)
HUGE_ID = "a" * 4000

CASES: dict[str, Case] = {
    # malformed JSON
    "match_truncated_json": Case(
        "POST", "/v1/match", b'{"url": "https://a.example/", "pas', expect={400}
    ),
    "match_trailing_garbage": Case(
        "POST", "/v1/match", j({"url": ARTICLE, "passages": []}) + b" }{", expect={400}
    ),
    "match_empty_body": Case("POST", "/v1/match", b"", expect={400}),
    "match_nan_and_infinity": Case(
        "POST", "/v1/match", b'{"url": NaN, "passages": Infinity}', expect={400, 422}
    ),
    "match_json_array": Case("POST", "/v1/match", b"[]"),
    "match_json_string": Case("POST", "/v1/match", b'"https://a.example/"'),
    "match_json_null": Case("POST", "/v1/match", b"null"),
    "note_truncated_json": _note_raw("TRUNC", b'{"kind": "claim", "title": "TRUNC', expect={400}),
    "patch_json_array": Case(
        "PATCH",
        f"/v1/notes/{SEED_NOTE}",
        b"[]",
        "application/merge-patch+json",
        auth="curator",
        headers={"If-Match": "*"},
    ),
    "import_truncated_json": Case(
        "POST", "/v1/import", b'{"gloss_bundle": 1, "notes": [', auth="curator", expect={400}
    ),
    "feedback_truncated_json": Case(
        "POST", f"/v1/cards/{SEED_NOTE}/feedback", b'{"helpful": tr', expect={400}
    ),
    # wrong content type
    "match_text_plain": Case(
        "POST", "/v1/match", j({"url": ARTICLE, "passages": []}), "text/plain", expect={415}
    ),
    "match_no_content_type": Case(
        "POST", "/v1/match", j({"url": ARTICLE, "passages": []}), None, expect={415}
    ),
    "match_form_encoded": Case(
        "POST",
        "/v1/match",
        b"url=https%3A%2F%2Fa.example",
        "application/x-www-form-urlencoded",
        expect={415},
    ),
    "note_multipart": _note_raw(
        "MULTI",
        b"--x\r\n\r\nMULTI\r\n--x--",
        content_type="multipart/form-data; boundary=x",
        expect={415},
    ),
    "patch_xml": Case(
        "PATCH",
        f"/v1/notes/{SEED_NOTE}",
        b"<note/>",
        "application/xml",
        auth="curator",
        headers={"If-Match": "*"},
        expect={415},
    ),
    "import_csv": Case(
        "POST", "/v1/import", b"id,title\nx,y", "text/csv", auth="curator", expect={415}
    ),
    "match_json_with_charset": Case(
        "POST",
        "/v1/match",
        j({"url": ARTICLE, "passages": passages("hello")}),
        "application/json; charset=utf-8",
        expect={200},
    ),
    # sizes
    "match_10mb_body": Case("POST", "/v1/match", BIG, expect={413}),
    "note_10mb_body": _note_raw(
        "TENMB", b'{"title": "TENMB' + b"x" * (10 * MB) + b'"}', expect={413}
    ),
    "import_10mb_body": Case("POST", "/v1/import", BIG, auth="curator", expect={413}),
    "feedback_10mb_body": Case("POST", f"/v1/cards/{SEED_NOTE}/feedback", BIG, expect={413}),
    "match_10000_passages": _match({"url": ARTICLE, "passages": passages(*["word"] * 10_000)}),
    "match_2000_passages_is_the_limit": _match(
        {"url": ARTICLE, "passages": passages(*["a sentence of a page"] * 2000)}, expect={200}
    ),
    "match_one_20000_char_passage": _match(
        {"url": ARTICLE, "passages": passages("lorem ipsum " * 1666 + "abcdefgh")}, expect={200}
    ),
    "match_one_20001_char_passage": _match({"url": ARTICLE, "passages": passages("x" * 20_001)}),
    "match_one_1_9mb_passage": _match(
        {"url": ARTICLE, "passages": passages("y" * (19 * MB // 10))}
    ),
    "note_21_quotes": _note(
        "QUOTES",
        claim(
            "QUOTES", quotes=[f"quote number {i} about a claim made on a page" for i in range(21)]
        ),
    ),
    "note_summary_too_long": _note("LONG", claim("LONG", summary="s" * 501)),
    # deep nesting
    "match_100k_nested_arrays": Case(
        "POST", "/v1/match", b"[" * 100_000 + b"]" * 100_000, expect={400}
    ),
    "match_100k_nested_objects": Case(
        "POST", "/v1/match", b'{"a":' * 100_000 + b"1" + b"}" * 100_000, expect={400}
    ),
    "match_nested_passages": Case(
        "POST",
        "/v1/match",
        b'{"url": "https://a.example/", "passages": ' + b"[" * 500 + b"]" * 500 + b"}",
    ),
    "note_nested_sources": _note_raw(
        "NEST",
        b'{"title": "NEST", "sources": ' + b"[" * 50_000 + b"]" * 50_000 + b"}",
        expect={400},
    ),
    "import_nested": Case(
        "POST",
        "/v1/import",
        b'{"@graph": ' + b"[" * 50_000 + b"]" * 50_000 + b"}",
        auth="curator",
        expect={400},
    ),
    # NUL and control characters
    "match_nul_and_controls_in_text": _match(
        {"url": ARTICLE, "passages": passages("a\x00b\x01c\x1b[31m\x7f\x9f")}, expect={200}
    ),
    "match_nul_in_passage_id": _match(
        {"url": ARTICLE, "passages": [{"id": "\x00", "text": "t"}]}, expect={200}
    ),
    "match_nul_in_url": _match({"url": "https://a.example/\x00", "passages": []}),
    "note_controls_are_stripped": _stored_note(
        "CTRL",
        {"title": "Hostile CTRL\x00\x07 note", "summary": "A summary\x00 with\x1b controls\x7f."},
        {"title": "Hostile CTRL note", "summary": "A summary with controls."},
    ),
    "note_nul_in_id": _note("NULID", claim("NULID", id="bad\x00id")),
    "note_nul_in_source_url": _note(
        "NULURL", claim("NULURL", sources=[{"title": "S", "url": "https://a.example/\x00x"}])
    ),
    "search_nul": Case("GET", "/v1/notes?q=%00", None, None, expect={422}),
    "search_nul_inside_text": Case("GET", "/v1/notes?q=isis%00", None, None, expect={200}),
    "search_nul_domain": Case(
        "GET", "/v1/notes?domain=%00globalresearch.ca", None, None, expect={200}
    ),
    "path_nul_note": Case("GET", "/v1/notes/%00", None, None, expect={404}),
    "path_nul_patch": Case(
        "PATCH",
        "/v1/notes/a%00b",
        j({}),
        "application/merge-patch+json",
        auth="curator",
        headers={"If-Match": "*"},
        expect={404},
    ),
    "path_nul_feedback": Case("POST", "/v1/cards/%00/feedback", j({"helpful": True}), expect={404}),
    "path_nul_revisions": Case(
        "GET", "/v1/notes/%00/revisions", None, None, auth="curator", expect={404}
    ),
    "token_name_controls_stripped": Case(
        "POST",
        "/v1/tokens",
        j({"name": "bot\x00\x1b", "role": "curator"}),
        auth="admin",
        expect={201},
    ),
    # lone surrogates
    "match_lone_surrogate_text": _match(
        {"url": ARTICLE, "passages": passages("\ud800 lone \udfff")}, expect={200}
    ),
    "match_lone_surrogate_id": _match(
        {"url": ARTICLE, "passages": [{"id": "\udc00", "text": "t"}]}
    ),
    "match_lone_surrogate_url": _match(
        {"url": "https://a.example/\ud800", "passages": passages("t")}, expect={200, 422}
    ),
    "note_lone_surrogates_are_stripped": _stored_note(
        "SURR",
        {"title": "Hostile SURR\ud800 note", "summary": "A summary with \udfffa lone surrogate."},
        {"title": "Hostile SURR note", "summary": "A summary with a lone surrogate."},
    ),
    "note_lone_surrogate_in_source_url": _note(
        "SURRURL", claim("SURRURL", sources=[{"title": "S", "url": "https://a.example/\ud800"}])
    ),
    "search_lone_surrogate": Case("GET", "/v1/notes?q=%ED%A0%80", None, None, expect={200}),
    "search_lone_surrogate_escape": Case(
        "GET", "/v1/notes?q=" + quote("\ud800", errors="surrogatepass"), None, None, expect={200}
    ),
    "feedback_lone_surrogate_reason": Case(
        "POST", f"/v1/cards/{SEED_NOTE}/feedback", j({"helpful": False, "reason": "\ud800"})
    ),
    "token_lone_surrogate_name": Case(
        "POST", "/v1/tokens", j({"name": "\ud800", "role": "curator"}), auth="admin"
    ),
    # invalid UTF-8
    "match_invalid_utf8": Case(
        "POST",
        "/v1/match",
        b'{"url": "https://a.example/", "passages": [{"id": "p", "text": "\xff\xfe\xc0"}]}',
        expect={400},
    ),
    "note_invalid_utf8": _note_raw("BADUTF", b'{"title": "BADUTF \xed\xa0\x80"}', expect={400}),
    "match_utf16_body": Case(
        "POST",
        "/v1/match",
        json.dumps({"url": ARTICLE, "passages": []}).encode("utf-16"),
        expect={400},
    ),
    "path_invalid_utf8": Case("GET", "/v1/notes/%FF%FE", None, None, expect={404}),
    # one enormous passage with a real quote in it still anchors exactly
    "match_enormous_passage_with_a_quote": _match(
        {
            "url": ARTICLE,
            "passages": passages("filler " * 2500 + NEW_CLAIM["quotes"][0] + " filler" * 200),
        },
        expect={200},
    ),
    # hostile URLs
    "match_javascript_url": _match({"url": "javascript:alert(1)", "passages": []}),
    "match_data_url": _match({"url": "data:text/html,<script>alert(1)</script>", "passages": []}),
    "match_file_url": _match({"url": "file:///etc/passwd", "passages": []}),
    "match_url_without_host": _match({"url": "https://", "passages": []}),
    "match_url_with_spaces": _match({"url": "https://a.example/a b", "passages": []}),
    "match_url_3000_chars": _match({"url": "https://a.example/" + "a" * 3000, "passages": []}),
    "note_javascript_source": _note(
        "JS", claim("JS", sources=[{"title": "S", "url": "javascript:alert(document.cookie)"}])
    ),
    "note_mixed_case_javascript_source": _note(
        "JSCASE", claim("JSCASE", sources=[{"title": "S", "url": "JaVaScRiPt:alert(1)"}])
    ),
    "note_data_source": _note(
        "DATA", claim("DATA", sources=[{"title": "S", "url": "data:text/html;base64,PHNjcmlwdD4="}])
    ),
    "note_space_then_javascript_source": _note(
        "SPJS", claim("SPJS", sources=[{"title": "S", "url": " javascript:alert(1)"}])
    ),
    "note_vbscript_source": _note(
        "VBS", claim("VBS", sources=[{"title": "S", "url": "vbscript:msgbox(1)"}])
    ),
    # markup is text: stored exactly as sent, never interpreted
    "note_html_and_script_stored_as_text": _stored_note(
        "HTML",
        {
            "title": "Hostile HTML note <script>alert(1)</script>",
            "summary": '<img src=x onerror="alert(1)"> & <b>bold</b> &amp; </textarea>',
            "body": "<iframe src=javascript:alert(1)></iframe>{{7*7}}${7*7}",
        },
        {
            "title": "Hostile HTML note <script>alert(1)</script>",
            "summary": '<img src=x onerror="alert(1)"> & <b>bold</b> &amp; </textarea>',
            "body": "<iframe src=javascript:alert(1)></iframe>{{7*7}}${7*7}",
        },
    ),
    "match_html_in_passages": _match(
        {"url": ARTICLE, "passages": passages("<script>alert(1)</script>")}, expect={200}
    ),
    # SQL-looking strings are plain text to search (what they find is checked below)
    "search_sql_or": Case("GET", "/v1/notes?q=" + quote("' OR '1'='1"), None, None, expect={200}),
    "search_sql_drop": Case(
        "GET", "/v1/notes?q=" + quote("'; DROP TABLE notes; --"), None, None, expect={200}
    ),
    "search_sql_domain": Case(
        "GET", "/v1/notes?domain=" + quote('x" OR 1=1 --'), None, None, expect={200}
    ),
    "search_sql_kind": Case("GET", "/v1/notes?kind=" + quote("claim' OR '1'='1"), None, None),
    "search_sql_cursor": Case("GET", "/v1/notes?cursor=" + quote("' OR 1=1 --"), None, None),
    "search_sql_limit": Case("GET", "/v1/notes?limit=" + quote("1; DELETE FROM notes"), None, None),
    "note_sql_in_id": _note("SQLID", claim("SQLID", id="x'); DROP TABLE notes; --")),
    # path tricks in ids
    "path_dot_dot": Case("GET", "/v1/notes/../tokens", None, None, expect={401, 404}),
    "path_encoded_dot_dot": Case("GET", "/v1/notes/%2e%2e", None, None, expect={404}),
    "path_encoded_traversal": Case(
        "GET", "/v1/notes/..%2f..%2fetc%2fpasswd", None, None, expect={404}
    ),
    "path_double_encoded": Case("GET", "/v1/notes/%252e%252e%252ftokens", None, None, expect={404}),
    "path_backslashes": Case("GET", "/v1/notes/..%5c..%5cwindows", None, None, expect={404}),
    "path_4000_char_id": Case("GET", f"/v1/notes/{HUGE_ID}", None, None, expect={404}),
    "path_4000_char_feedback": Case(
        "POST", f"/v1/cards/{HUGE_ID}/feedback", j({"helpful": True}), expect={404}
    ),
    "path_beyond_request_line_limit": Case(
        "GET", "/v1/notes/" + "b" * 9000, None, None, expect={400, 414}, problem=False
    ),
    "path_81_char_id_delete": Case(
        "DELETE", "/v1/notes/" + "a" * 81, None, None, auth="admin", expect={404}
    ),
    "path_81_char_id_patch": Case(
        "PATCH",
        "/v1/notes/" + "a" * 81,
        j({}),
        "application/merge-patch+json",
        auth="curator",
        headers={"If-Match": "*"},
        expect={404},
    ),
    "path_unicode_id": Case("GET", "/v1/notes/" + quote("été"), None, None, expect={404}),
    "path_emoji_id": Case("GET", "/v1/notes/" + quote("\U0001f4a9"), None, None, expect={404}),
    "path_fullwidth_id": Case(
        "GET", "/v1/notes/" + quote("ｇｌｏｂａｌ-research"), None, None, expect={404}
    ),
    "path_uppercase_id": Case("GET", "/v1/notes/GLOBAL-RESEARCH", None, None, expect={404}),
    "path_unicode_patch": Case(
        "PATCH",
        "/v1/notes/" + quote("été"),
        j({}),
        "application/merge-patch+json",
        auth="curator",
        headers={"If-Match": "*"},
        expect={404},
    ),
    "path_token_id_too_wide": Case(
        "DELETE", "/v1/tokens/99999999999999999999999", None, None, auth="admin", expect={404}
    ),
    "path_token_id_negative": Case(
        "DELETE", "/v1/tokens/-1", None, None, auth="admin", expect={404}
    ),
    "path_revision_too_wide": Case(
        "GET",
        f"/v1/notes/{SEED_NOTE}/revisions/18446744073709551616",
        None,
        None,
        auth="curator",
        expect={404},
    ),
    "path_revision_zero": Case(
        "GET", f"/v1/notes/{SEED_NOTE}/revisions/0", None, None, auth="curator", expect={404}
    ),
    "note_unicode_id": _note("UNID", claim("UNID", id="été-note")),
    "note_traversal_id": _note("TRAV", claim("TRAV", id="../../etc/passwd")),
    "note_81_char_id": _note("LONGID", claim("LONGID", id="a" * 81)),
    "note_padded_id": _note("PADID", claim("PADID", id=" padded-id ")),
}


def _send(site: Site, case: Case) -> Reply:
    headers = dict(case.headers)
    if case.content_type:
        headers["Content-Type"] = case.content_type
    if case.auth:
        headers.update(site.curator if case.auth == "curator" else site.admin)
    return site.server.call(case.method, case.path, body=case.body, headers=headers, timeout=120)


def _created_note(site: Site, reply: Reply) -> dict[str, Any]:
    location = str(reply.header("Location"))
    return site.server.call("GET", location, headers=site.curator).json()  # type: ignore[no-any-return]


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_request_gets_a_problem_or_a_clean_success(site: Site, name: str) -> None:
    case = CASES[name]

    reply = _send(site, case)

    assert reply.status in case.expect, (reply.status, reply.text[:500])
    if reply.status >= 400 and case.problem:
        assert reply.header("Content-Type") == "application/problem+json"
        problem = reply.json()
        assert problem["status"] == reply.status
        assert {"type", "title", "detail"} <= problem.keys()
        assert len(reply.body) < 20_000, "an error body never echoes a large input"
    if case.refused_marker:
        assert case.refused_marker not in dump_database(site.server.database_url)
    if case.stored is not None:
        note = _created_note(site, reply)
        assert {k: note[k] for k in case.stored} == case.stored
    assert "Traceback" not in site.server.error_log.read_text()


def test_a_10mb_body_sent_in_chunks_without_a_length_is_refused(site: Site) -> None:
    host, port = site.server.base_url.removeprefix("http://").split(":")
    head = (
        "POST /v1/match HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    )
    chunks = [b'{"url": "https://a.example/", "passages": [{"id": "p", "text": "']
    chunks += [b"z" * MB] * 10

    with socket.create_connection((host, int(port)), timeout=60) as sock:
        with suppress(BrokenPipeError, ConnectionResetError):  # refused before the end
            sock.sendall(head.encode())
            for chunk in chunks:
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            sock.sendall(b"0\r\n\r\n")
        response = http.client.HTTPResponse(sock, method="POST")
        response.begin()
        status, body = response.status, response.read()

    assert status == 413
    assert json.loads(body)["status"] == 413


@pytest.mark.parametrize(
    "text", ["' OR '1'='1", "%", "_", "\\", "'; DROP TABLE notes; --", '" OR ""="', "%%", "[a-z]"]
)
def test_search_finds_only_notes_that_literally_contain_the_text(site: Site, text: str) -> None:
    every = site.server.call("GET", "/v1/notes?limit=200", headers=site.curator).json()["notes"]

    found = site.server.call(
        "GET", "/v1/notes?limit=200&q=" + quote(text), headers=site.curator
    ).json()["notes"]

    def contains(note: dict[str, Any]) -> bool:
        haystack = " ".join([note["title"], note["summary"], *note["quotes"]]).lower()
        return text.lower() in haystack

    assert [n["id"] for n in found] == [n["id"] for n in every if contains(n)]
    assert site.server.call("GET", "/v1/health").json()["notes"] > 0  # the notes table stands


def test_markup_in_a_note_comes_back_unchanged_in_cards_and_exports(site: Site) -> None:
    markup = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    note = claim(
        "MARKUP",
        summary=f"Summary with markup {markup} in it.",
        quotes=["a distinctive hostile sentence about marmalade volcanoes erupting at noon"],
    )
    created = site.server.call("POST", "/v1/notes", json_body=note, headers=site.curator)
    page = passages(
        "Witnesses said a distinctive hostile sentence about marmalade volcanoes erupting at noon."
    )

    cards = site.server.call("POST", "/v1/match", json_body={"url": ARTICLE, "passages": page})
    exported = site.server.call("GET", "/v1/export?format=bundle")

    assert created.status == 201
    card = next(c for c in cards.json()["cards"] if c["note_id"] == created.json()["id"])
    assert card["summary"] == note["summary"]
    assert cards.header("Content-Type") == "application/json"
    assert any(n["summary"] == note["summary"] for n in json.loads(exported.body)["notes"])


# The console's forms (server/console): the same catalogue, through a signed-in browser session.
HOSTILE_FORM_VALUES = {
    "markup": "<script>alert('x')</script><img src=x onerror=alert(1)>",
    "nul_and_controls": "Title\x00with\x07controls",
    "invalid_utf8": b"\xed\xa0\x80\xff lone surrogate bytes",
    "sql": "x' OR '1'='1'; DROP TABLE notes; --",
    "huge": "a" * (300 * 1024),
    "bidi": "\u202eevil\u202c title text",
}
NOTE_FORM_FIELDS = ("kind", "title", "summary", "body", "rating", "status", "quotes", "sources")


def _form(fields: dict[str, str | bytes]) -> bytes:
    return b"&".join(
        quote(k).encode()
        + b"="
        + quote(v if isinstance(v, bytes) else v.encode("utf-8", "surrogatepass")).encode()
        for k, v in fields.items()
    )


class _Session:
    """A browser's cookie and CSRF token against the running server."""

    def __init__(self, site: Site) -> None:
        self.site, self.cookie, self.csrf = site, "", ""

    def send(self, method: str, path: str, fields: dict[str, str | bytes] | None = None) -> Reply:
        headers = {"Cookie": self.cookie} if self.cookie else {}
        body = None
        if fields is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            body = _form({"csrf_token": self.csrf, **fields} if self.csrf else fields)
        reply = self.site.server.call(method, path, body=body, headers=headers, timeout=120)
        cookie = reply.header("Set-Cookie")
        if cookie:
            self.cookie = str(cookie).split(";", 1)[0]
        found = re.search(r'name="csrf_token" value="([^"]+)"', reply.text)
        if found:
            self.csrf = found.group(1)
        return reply


@pytest.fixture(scope="module")
def console(site: Site) -> _Session:
    session = _Session(site)
    session.send("GET", "/console/sign-in")
    secret = site.curator["Authorization"].removeprefix("Bearer ")
    assert session.send("POST", "/console/sign-in", {"token": secret}).status == 303
    return session


@pytest.mark.parametrize("field_name", NOTE_FORM_FIELDS)
@pytest.mark.parametrize("value", sorted(HOSTILE_FORM_VALUES))
def test_hostile_console_form_fields_are_refused_or_rendered_inert(
    console: _Session, site: Site, field_name: str, value: str
) -> None:
    console.send("GET", "/console/notes/new")
    form: dict[str, str | bytes] = {
        **{k: str(v) for k, v in NEW_CLAIM.items() if isinstance(v, str)},
        "quotes": NEW_CLAIM["quotes"][0],
        "sources": "NASA | https://www.nasa.gov/",
        "title": "Hostile console note",
        field_name: HOSTILE_FORM_VALUES[value],
        "action": "preview",
    }

    preview = console.send("POST", "/console/notes/new", form)
    saved = console.send("POST", "/console/notes/new", {**form, "action": "save"})

    assert preview.status == 200, preview.text[:300]
    assert saved.status in (303, 409, 413, 422), saved.text[:300]
    for reply in (preview, saved):
        assert "<script>alert" not in reply.text
        assert "<img src=x" not in reply.text
    assert "Traceback" not in site.server.error_log.read_text()


def test_console_forms_without_csrf_are_403_on_the_real_server(console: _Session) -> None:
    token, console.csrf = console.csrf, ""
    try:
        reply = console.send("POST", "/console/notes/new", {"title": "no token"})
    finally:
        console.csrf = token

    assert reply.status == 403
