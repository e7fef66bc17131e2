"""Pydantic models at the edge: ``…In`` for what clients send, ``…Out`` for what they get.

The same ``NoteIn`` validates API writes and the files in ``notes/``, so a curated file that
loads is a note the API would accept, and the other way round.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime
from typing import Annotated, Any, Literal, Self, TypeVar
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    RootModel,
    StrictBool,
    StringConstraints,
    model_validator,
)
from pydantic_core import PydanticCustomError

from server.matching import quote_problem

Kind = Literal["publisher", "claim", "sourcing"]
Rating = Literal["false", "misleading", "disputed", "unproven", "needs-context", "accurate"]
Status = Literal["draft", "published", "retired"]

MAX_SUMMARY = 500
MIN_QUOTE, MAX_QUOTE, MAX_QUOTES = 20, 2000, 20
MAX_PASSAGES, MAX_PASSAGE_CHARS = 2000, 20000
MAX_VERSION = 1_000_000_000
"""Highest version an import may carry: stored as a 32-bit integer, it leaves room for a
billion more edits (PostgreSQL's ``integer`` ends at 2**31 - 1)."""

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_HOSTNAME = re.compile(r"^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$")
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
NOTE_ID_MIN, NOTE_ID_MAX = 3, 80
# What the document promises about URLs (ECMA-262, no inline flags); _http_url checks the rest.
HTTP_URL_PATTERN = r"^[Hh][Tt][Tt][Pp][Ss]?://[^\s/?#]+[^\s]*$"


def clean_text(value: Any) -> Any:
    """Strip control characters and lone surrogates, keep tabs and newlines, NFC-normalize."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", _CONTROL.sub("", value))
    return value


def _sent_at_most(limit: int) -> BeforeValidator:
    """A length limit on the string as sent, before cleaning or stripping shortens it.

    The OpenAPI document's ``maxLength`` speaks of what the client sends; the limit checked
    after cleaning alone would let a longer string through.
    """

    def check(value: Any) -> Any:
        if isinstance(value, str) and len(value) > limit:
            raise PydanticCustomError(
                "string_too_long",
                "String should have at most {max_length} characters",
                {"max_length": limit},
            )
        return value

    return BeforeValidator(check)


def _one_line(value: str) -> str:
    return " ".join(value.split())


def _http_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("must be an http or https URL with a host")
    if any(ch.isspace() for ch in value):
        raise ValueError("must not contain white space")
    if _CONTROL.search(value):
        raise ValueError("must not contain control characters")
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
NoteId = Annotated[
    str,
    StringConstraints(
        strip_whitespace=False, pattern=SLUG_PATTERN, min_length=NOTE_ID_MIN, max_length=NOTE_ID_MAX
    ),
]
HttpUrl = Annotated[
    str,
    StringConstraints(max_length=2048),
    AfterValidator(_http_url),
    _sent_at_most(2048),
    Field(json_schema_extra={"pattern": HTTP_URL_PATTERN}),
]
Quote = Annotated[
    Text,
    StringConstraints(strip_whitespace=True, min_length=MIN_QUOTE, max_length=MAX_QUOTE),
    AfterValidator(_quote),
    _sent_at_most(MAX_QUOTE),
]
Domain = Annotated[
    str, StringConstraints(max_length=253), AfterValidator(_hostname), _sent_at_most(253)
]
Alias = Annotated[Line, StringConstraints(min_length=3, max_length=120), _sent_at_most(120)]


def _query_integer(value: Any) -> Any:
    """A query's integer as the OpenAPI document gives it: decimal digits. Pydantic alone would
    also take " 5", "+5", "5.0" or "1_0", which a client checking the document calls invalid."""
    if isinstance(value, str) and not re.fullmatch(r"-?[0-9]+", value):
        raise PydanticCustomError(
            "int_parsing", "Input should be a valid integer, unable to parse string as an integer"
        )
    return value


def _query_boolean(value: Any) -> Any:
    """A query's boolean as the OpenAPI document gives it: ``true`` or ``false`` (pydantic
    alone would also take "1", "yes", "on" and others)."""
    if isinstance(value, str) and value not in ("true", "false"):
        raise PydanticCustomError("bool_parsing", "Input should be true or false")
    return value


QueryInt = Annotated[int, BeforeValidator(_query_integer)]
QueryBool = Annotated[bool, BeforeValidator(_query_boolean)]


class Strict(BaseModel):
    """Input models refuse unknown fields, so a typo is an error rather than silently ignored."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


# --- Imported data (server.importers): provenance, reliability status, rating sets ----------
ReliabilityStatus = Literal[
    "generally-reliable", "no-consensus", "generally-unreliable", "deprecated", "blacklisted"
]
ShortLine = Annotated[Line, StringConstraints(min_length=1, max_length=300), _sent_at_most(300)]


class ProvenanceIn(Strict):
    """Where an imported note comes from, and the credit its licence asks for."""

    dataset: ShortLine = Field(description="The importer and data set, e.g. `wikipedia-rsp`.")
    entry_id: Annotated[Line, StringConstraints(min_length=1, max_length=500)] = Field(
        description="The entry's own id in the source; the same entry always maps to one note."
    )
    licence: ShortLine
    licence_url: HttpUrl | None = None
    attribution: Annotated[Text, StringConstraints(min_length=1, max_length=500)] = Field(
        description="Credit to show with the text, as the licence asks."
    )
    attribution_url: HttpUrl | None = Field(default=None, description="Link to the entry.")
    imported_at: datetime = Field(description="When an import last wrote this note.")


class ReliabilityIn(Strict):
    """A source's verdict on a publisher (e.g. Wikipedia's perennial sources list)."""

    status: ReliabilityStatus
    label: ShortLine = Field(description="The status in the source's own words.")
    source: ShortLine = Field(description="Who gives this status.")
    outlet: ShortLine | None = Field(default=None, description="The outlet the status is for.")
    topic: ShortLine | None = Field(default=None, description="The topic it is limited to.")
    last_discussed: int | None = Field(default=None, ge=1900, le=2999)


class RatingIn(Strict):
    """One rating set's score or label for a publisher, or a fact-checker's own rating."""

    set: ShortLine = Field(description="The rating set, e.g. `Lin et al. 2023`.")
    value: float | None = None
    worst: float | None = None
    best: float | None = None
    label: ShortLine | None = None
    scale: ShortLine | None = Field(default=None, description="How to read the value.")
    citation: Annotated[Text, StringConstraints(max_length=500)] | None = None
    url: HttpUrl | None = None
    domain: Domain | None = Field(default=None, description="The domain the rating is for.")


class SourceIn(Strict):
    title: Annotated[Line, StringConstraints(min_length=1, max_length=300), _sent_at_most(300)]
    url: HttpUrl


class NoteFields(Strict):
    """The curated content of a note; the rules every write must satisfy."""

    kind: Kind
    title: Annotated[Line, StringConstraints(min_length=3, max_length=200), _sent_at_most(200)]
    summary: Annotated[
        Text, StringConstraints(min_length=10, max_length=MAX_SUMMARY), _sent_at_most(MAX_SUMMARY)
    ]
    body: Annotated[Text, StringConstraints(max_length=20000), _sent_at_most(20000)] | None = None
    rating: Rating | None = None
    quotes: Annotated[list[Quote], Field(max_length=MAX_QUOTES)] = []
    domains: Annotated[list[Domain], Field(max_length=50)] = []
    aliases: Annotated[list[Alias], Field(max_length=50)] = []
    sources: Annotated[list[SourceIn], Field(max_length=50)] = []
    status: Status = "draft"
    provenance: ProvenanceIn | None = None
    reliability: ReliabilityIn | None = None
    ratings: Annotated[list[RatingIn], Field(max_length=50)] = []
    reworded: StrictBool = Field(
        default=True,
        description=(
            "Claims only: also match page sentences that say what a quote says in other "
            "words (the reworded tier). false keeps the note to copies of its quotes."
        ),
    )

    @model_validator(mode="after")
    def _kind_rules(self) -> Self:
        if self.reliability is not None and self.kind != "publisher":
            raise ValueError("only publisher notes have a reliability status")
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


def _storable_time(value: datetime) -> datetime:
    """An aware time that still exists in UTC: the databases store UTC, years 1 to 9999."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("must carry a time zone (for example Z or +02:00)")
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError("is outside the years 1 to 9999 once converted to UTC") from None


StoredTime = Annotated[datetime, AfterValidator(_storable_time)]


class BundleNoteIn(NoteIn):
    """A note in an export bundle: the stored fields too, so a round trip is exact.

    Those fields are checked against what the database can hold, so an item that passes here
    cannot fail on insert (and ``dry_run`` tells the truth).
    """

    id: NoteId
    created_at: StoredTime | None = None
    updated_at: StoredTime | None = None
    version: int | None = Field(default=None, ge=1, le=MAX_VERSION)


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
    provenance: ProvenanceIn | None = None
    reliability: ReliabilityIn | None = None
    ratings: list[RatingIn] = []
    reworded: bool = True


def _replace_lone_surrogates(value: Any) -> Any:
    """U+FFFD for each lone surrogate: one code point (and one UTF-16 unit) for another.

    A page's text can hold a stray half of a surrogate pair (JavaScript strings are UTF-16);
    refusing the whole page for it would lose every card, and this keeps every offset.
    """
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    return value


class PassageIn(Strict):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)

    id: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    text: Annotated[
        str,
        StringConstraints(max_length=MAX_PASSAGE_CHARS),
        BeforeValidator(_replace_lone_surrogates),
    ]


Tier = Literal["quote", "reworded"]


class MatchIn(Strict):
    """``POST /v1/match``: the page URL and its passages, in page order."""

    url: HttpUrl
    passages: Annotated[list[PassageIn], Field(max_length=MAX_PASSAGES)]
    tiers: Annotated[list[Tier], Field(min_length=1, max_length=2)] = Field(
        default=["quote", "reworded"],
        description=(
            "Which cards to find: quote (copies of a note's quotes, publishers by host and "
            "name) and reworded (claim notes matched by meaning; slower). A client that "
            'draws quote cards first asks for ["quote"], then for ["reworded"]. A note '
            "found by its quote is never also a reworded card."
        ),
    )

    @model_validator(mode="after")
    def _unique_ids(self) -> Self:
        seen: set[str] = set()
        for passage in self.passages:
            if passage.id in seen:
                raise ValueError(f"passage id {passage.id!r} is used twice")
            seen.add(passage.id)
        return self


class TextQuoteSelectorOut(BaseModel):
    """W3C Web Annotation TextQuoteSelector, so clients can store the anchor and re-anchor it."""

    type: Literal["TextQuoteSelector"] = "TextQuoteSelector"
    exact: str
    prefix: str = Field(description="Up to 32 characters of the passage before the match.")
    suffix: str = Field(description="Up to 32 characters of the passage after the match.")


class AnchorOut(BaseModel):
    passage_id: str
    start: int = Field(description="Start offset in Unicode code points of the passage text.")
    end: int = Field(description="End offset (exclusive) in code points.")
    exact: str = Field(description="The passage text between start and end.")
    score: float = Field(ge=0, le=100)
    selector: TextQuoteSelectorOut


class CardViewOut(ReliabilityIn):
    """One source's view on a publisher card: its status and its own summary."""

    note_id: str
    summary: str


class CardOut(BaseModel):
    note_id: str
    kind: Kind
    title: str
    summary: str
    rating: Rating | None
    sources: list[SourceOut]
    anchors: list[AnchorOut]
    provenance: list[ProvenanceIn] = Field(
        default=[], description="Where the card's imported notes come from; show attribution."
    )
    reliability: list[CardViewOut] = Field(
        default=[], description="Each source's view of a publisher (one entry per note)."
    )
    ratings: list[RatingIn] = Field(default=[], description="Rating sets' scores or labels.")
    match: Literal["quote", "reworded"] = Field(
        default="quote",
        description=(
            "quote: the anchors copy the note's quote (or name the publisher); reworded: "
            "each anchor is a page sentence that says what the note's claim says in other "
            "words, and its score is the calibrated similarity (0-100)."
        ),
    )
    claim: str | None = Field(
        default=None,
        description="Reworded cards: the note's claim text (quote) the page sentence matched.",
    )


class MatchOut(BaseModel):
    cards: list[CardOut]
    partial: bool = Field(
        default=False,
        description=(
            "The server's work budget for one page ran out, or a heavy page (a body of"
            " GLOSS_HEAVY_MATCH_BYTES or more) was read only up to that many characters: the"
            " cards are those found until then. Sending fewer passages at a time finds the rest."
        ),
    )
    capped: bool = Field(
        default=False,
        description=(
            "Some anchors were left out: a card shows at most 50 anchors, an answer at most 500."
        ),
    )
    reworded_unread: int = Field(
        default=0,
        ge=0,
        description=(
            "Sentences that could match a claim note by meaning but were not read this time:"
            " the reworded tier reads at most 4 new sentences per request, the most promising"
            ' first. Sending the same passages again (tiers ["reworded"]) reads the next ones,'
            " at the cost of a request each time; the cards already found come back too, since"
            " read sentences are remembered (by keyed hash, never their text) by the worker"
            " that read them. 0 when the tier was not asked or read everything."
        ),
    )


class FeedbackCounts(BaseModel):
    helpful: int
    not_helpful: int
    reasons: dict[str, int]


class CuratorNoteOut(NoteOut):
    """A note as curators see it: with readers' feedback counts."""

    feedback: FeedbackCounts


class NoteListOut(BaseModel):
    notes: list[CuratorNoteOut | NoteOut]
    next_cursor: str | None = Field(
        description="Pass as ?cursor= for the next page; null at the end."
    )


class NotesQuery(Strict):
    kind: Kind | None = None
    status: Status | None = None
    # Text: stripped of NUL, control characters and lone surrogates, which the databases refuse.
    domain: Annotated[Text, StringConstraints(max_length=253), _sent_at_most(253)] | None = None
    q: (
        Annotated[Text, StringConstraints(min_length=1, max_length=200), _sent_at_most(200)] | None
    ) = Field(default=None, description="Text search over title, summary and quotes.")
    cursor: Annotated[str, StringConstraints(max_length=200), _sent_at_most(200)] | None = None
    limit: QueryInt = Field(default=50, ge=1, le=200)


class NotePatch(Strict):
    """JSON merge patch (RFC 7396) of a note: fields to replace, ``null`` to clear optional ones."""

    model_config = ConfigDict(extra="allow")


class DeleteQuery(Strict):
    purge: QueryBool = Field(default=False, description="Admins only: delete for good, not retire.")


class RevisionSummaryOut(BaseModel):
    number: int
    version: int
    author: str
    summary: str
    created_at: datetime


class RevisionOut(RevisionSummaryOut):
    note: NoteOut


class RevisionListOut(BaseModel):
    revisions: list[RevisionSummaryOut]


class TokenIn(Strict):
    name: Annotated[Line, StringConstraints(min_length=1, max_length=100), _sent_at_most(100)]
    role: Literal["curator", "admin"]


class TokenOut(BaseModel):
    id: int
    name: str
    role: Literal["curator", "admin"]
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreatedOut(TokenOut):
    token: str = Field(description="The secret; shown only in this response.")


class TokenListOut(BaseModel):
    tokens: list[TokenOut]


FeedbackReason = Literal[
    "wrong-passage", "inaccurate", "outdated", "unclear", "missing-sources", "other"
]


class FeedbackIn(Strict):
    helpful: StrictBool
    reason: FeedbackReason | None = None


class FeedbackOut(BaseModel):
    ok: Literal[True] = True


class ImportDocument(RootModel[dict[str, Any] | list[Any]]):
    """``POST /v1/import``: a Gloss bundle, ClaimReview JSON-LD (one or a list) or a W3C Web
    Annotation (one, a list or a page); the format is recognised from the document itself."""


class ImportQuery(Strict):
    dry_run: QueryBool = False
    source: Literal["wikipedia-rsp", "domain-ratings", "claimreview-feed"] | None = Field(
        default=None,
        description="Import open data instead of a bundle: the body is that source's file "
        "(wikitext or JSON Lines, a domain,score CSV, a ClaimReview DataFeed), as sent.",
    )
    rating_set: Annotated[str, StringConstraints(max_length=40)] | None = Field(
        default=None, description="With source=domain-ratings: the rating set (lin2023)."
    )


class ImportItemError(BaseModel):
    index: int
    id: str | None
    errors: list[dict[str, str]]


class ImportOut(BaseModel):
    dry_run: bool
    format: Literal["bundle", "claimreview", "webannotation"]
    created: list[str]
    updated: list[str]
    unchanged: list[str]


class ImportCountsOut(BaseModel):
    created: int
    updated: int
    unchanged: int
    retired: int
    conflicts: int
    refused: int


class ImportReportOut(BaseModel):
    """``POST /v1/import?source=…``: what an open-data import did (or would do)."""

    source: str
    dry_run: bool
    complete: bool
    batches: int
    counts: ImportCountsOut
    conflicts: list[str] = Field(description="Notes a curator edited, left as they are.")
    refused: list[dict[str, str]] = Field(description="`{entry_id, reason}`, the first 1,000.")
    refusal_reasons: dict[str, int]


class ImportResultOut(RootModel[ImportOut | ImportReportOut]):
    """A bundle import's lists of ids, or an open-data import's report (with ``source``)."""


class ExportQuery(Strict):
    format: Literal["bundle", "claimreview", "webannotation"] = "bundle"


class ProblemOut(BaseModel):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[dict[str, Any]] | None = None


class HealthOut(BaseModel):
    status: Literal["ok", "warming"] = Field(
        description="`warming` (with 503) while this worker is still loading its match index."
    )
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
