"""Pydantic models at the edge: ``…In`` for what clients send, ``…Out`` for what they get.

The same ``NoteIn`` validates API writes and the files in ``notes/``, so a curated file that
loads is a note the API would accept, and the other way round.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from typing import Annotated, Any, Literal, Self, TypeVar
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from server.matching import quote_problem

Kind = Literal["publisher", "claim", "sourcing"]
Rating = Literal["false", "misleading", "disputed", "unproven", "needs-context", "accurate"]
Status = Literal["draft", "published", "retired"]

MAX_SUMMARY = 500
MIN_QUOTE, MAX_QUOTE, MAX_QUOTES = 20, 2000, 20
MAX_PASSAGES, MAX_PASSAGE_CHARS = 2000, 20000

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_HOSTNAME = re.compile(r"^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$")
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


def clean_text(value: Any) -> Any:
    """Strip control characters and lone surrogates, keep tabs and newlines, NFC-normalize."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", _CONTROL.sub("", value))
    return value


def _one_line(value: str) -> str:
    return " ".join(value.split())


def _http_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("must be an http or https URL with a host")
    if any(ch.isspace() for ch in value):
        raise ValueError("must not contain white space")
    return value


def _quote(value: str) -> str:
    problem = quote_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def _hostname(value: str) -> str:
    host = value.strip().lower().rstrip(".")
    host = host.removeprefix("www.")
    if not _HOSTNAME.match(host):
        raise ValueError("must be a bare host name such as example.org")
    return host


Text = Annotated[str, BeforeValidator(clean_text)]
Line = Annotated[str, BeforeValidator(clean_text), AfterValidator(_one_line)]
NoteId = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, min_length=3, max_length=80)]
HttpUrl = Annotated[str, StringConstraints(max_length=2048), AfterValidator(_http_url)]
Quote = Annotated[
    Text,
    StringConstraints(strip_whitespace=True, min_length=MIN_QUOTE, max_length=MAX_QUOTE),
    AfterValidator(_quote),
]
Domain = Annotated[str, StringConstraints(max_length=253), AfterValidator(_hostname)]
Alias = Annotated[Line, StringConstraints(min_length=3, max_length=120)]


class Strict(BaseModel):
    """Input models refuse unknown fields, so a typo is an error rather than silently ignored."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class SourceIn(Strict):
    title: Annotated[Line, StringConstraints(min_length=1, max_length=300)]
    url: HttpUrl


class NoteFields(Strict):
    """The curated content of a note; the rules every write must satisfy."""

    kind: Kind
    title: Annotated[Line, StringConstraints(min_length=3, max_length=200)]
    summary: Annotated[Text, StringConstraints(min_length=10, max_length=MAX_SUMMARY)]
    body: Annotated[Text, StringConstraints(max_length=20000)] | None = None
    rating: Rating | None = None
    quotes: Annotated[list[Quote], Field(max_length=MAX_QUOTES)] = []
    domains: Annotated[list[Domain], Field(max_length=50)] = []
    aliases: Annotated[list[Alias], Field(max_length=50)] = []
    sources: Annotated[list[SourceIn], Field(max_length=50)] = []
    status: Status = "draft"

    @model_validator(mode="after")
    def _kind_rules(self) -> Self:
        if self.kind == "publisher":
            if self.quotes:
                raise ValueError("publisher notes have no quotes; use domains and aliases")
            if self.rating is not None:
                raise ValueError("only claim notes have a rating")
            if not (self.domains or self.aliases):
                raise ValueError("a publisher note needs at least one domain or alias")
        else:
            if not self.quotes:
                raise ValueError(f"a {self.kind} note needs 1 to {MAX_QUOTES} quotes")
            if self.domains or self.aliases:
                raise ValueError("only publisher notes have domains and aliases")
            if self.kind == "claim":
                if self.rating is None:
                    raise ValueError("a claim note needs a rating")
                if not self.sources:
                    raise ValueError("a claim note needs at least one source")
            elif self.rating is not None:
                raise ValueError("only claim notes have a rating")
        self.domains = list(dict.fromkeys(self.domains))
        self.aliases = list(dict.fromkeys(self.aliases))
        return self


class NoteIn(NoteFields):
    """A note as a curator writes it (API body or a file in ``notes/``)."""

    id: NoteId | None = None


class SourceOut(BaseModel):
    title: str
    url: str


class NoteOut(BaseModel):
    """A stored note as the API returns it."""

    id: str
    kind: Kind
    title: str
    summary: str
    body: str | None
    rating: Rating | None
    quotes: list[str]
    domains: list[str]
    aliases: list[str]
    sources: list[SourceOut]
    status: Status
    created_at: datetime
    updated_at: datetime
    version: int


class PassageIn(Strict):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)

    id: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    text: Annotated[str, StringConstraints(max_length=MAX_PASSAGE_CHARS)]


class MatchIn(Strict):
    """``POST /v1/match``: the page URL and its passages, in page order."""

    url: HttpUrl
    passages: Annotated[list[PassageIn], Field(max_length=MAX_PASSAGES)]

    @model_validator(mode="after")
    def _unique_ids(self) -> Self:
        seen: set[str] = set()
        for passage in self.passages:
            if passage.id in seen:
                raise ValueError(f"passage id {passage.id!r} is used twice")
            seen.add(passage.id)
        return self


class AnchorOut(BaseModel):
    passage_id: str
    start: int = Field(description="Start offset in Unicode code points of the passage text.")
    end: int = Field(description="End offset (exclusive) in code points.")
    exact: str = Field(description="The passage text between start and end.")
    score: float = Field(ge=0, le=100)


class CardOut(BaseModel):
    note_id: str
    kind: Kind
    title: str
    summary: str
    rating: Rating | None
    sources: list[SourceOut]
    anchors: list[AnchorOut]


class MatchOut(BaseModel):
    cards: list[CardOut]


class HealthOut(BaseModel):
    status: Literal["ok"]
    version: str
    notes: int = Field(description="Published notes this worker matches against.")
    features: list[str]


M = TypeVar("M", bound=BaseModel)


def parse(model: type[M], data: Any) -> M:
    """Validate ``data`` with ``model``; raises the API's 422 on failure."""
    from pydantic import ValidationError

    from server.errors import invalid

    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise invalid(exc) from None
