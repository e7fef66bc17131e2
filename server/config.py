"""Settings read once from the environment (``GLOSS_*``) and validated.

Everything an operator can change is here, so the README's configuration table and the
code cannot drift apart: each field's description is the documentation.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

REPO_NOTES_DIR = Path(__file__).resolve().parent.parent / "notes"


class Settings(BaseModel):
    """Server settings; field names map to ``GLOSS_<NAME>`` environment variables."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    database_url: str = Field(
        default="sqlite:///data/gloss.db",
        description=(
            "SQLAlchemy URL. SQLite file by default; postgresql+psycopg://… for several instances."
        ),
    )
    seed_notes_dir: str = Field(
        default=str(REPO_NOTES_DIR),
        description=(
            "Notes loaded on first start when the database holds no notes; empty to disable."
        ),
    )
    max_body_bytes: int = Field(
        default=2 * 1024 * 1024, ge=1024, description="Largest request body."
    )
    cors_origins: str = Field(
        default="",
        description="Comma-separated origins allowed to call write endpoints from a browser.",
    )
    ratelimit_storage: str = Field(
        default="memory://",
        description="flask-limiter storage: memory:// (per worker) or redis://host:6379/0.",
    )
    ratelimit_enabled: bool = Field(default=True, description="Turn rate limits on or off.")
    ratelimit_match: str = Field(default="120/minute", description="Match requests per client.")
    ratelimit_feedback: str = Field(default="20/minute", description="Feedback posts per client.")
    ratelimit_writes: str = Field(default="120/minute", description="Curator writes per client.")
    proxy_hops: int = Field(
        default=0,
        ge=0,
        le=5,
        description="Reverse proxies in front whose X-Forwarded-For is trusted (for rate limits).",
    )
    publisher_name: str = Field(
        default="Gloss", description="The organisation named as author in ClaimReview exports."
    )
    log_level: str = Field(default="INFO", description="Python logging level name.")
    ratelimit_export: str = Field(default="30/minute", description="Exports per client.")
    cache_dir: str = Field(
        default="",
        description=(
            "Directory for export snapshots, shared by the workers of a host; empty: a private "
            "directory under the system's temporary directory."
        ),
    )
    database_timeout: float = Field(
        default=5.0,
        gt=0,
        le=300,
        description=(
            "Seconds the server waits for the database (to connect, for a lock, for one "
            "statement) before answering 503 with Retry-After."
        ),
    )
    secret_key: str = Field(
        default="",
        description=(
            "Signs the console's session cookies and CSRF tokens; every worker and instance must "
            "share it. Empty: a random key is generated once and kept in the database."
        ),
    )
    console_fetch: bool = Field(
        default=False,
        description="Let the console's 'try it' box fetch a page by URL (an outbound request).",
    )
    ratelimit_match_chars: str = Field(
        default="6000000/minute",
        description="Characters of match bodies per client (work, not requests).",
    )
    match_budget_ms: int = Field(
        default=1000,
        ge=1,
        le=60_000,
        description="CPU milliseconds one match may spend before it answers what it found.",
    )
    heavy_match_bytes: int = Field(
        default=256 * 1024,
        ge=1024,
        description=(
            "Match bodies of at least this many bytes are heavy: each needs one of the "
            "server's heavy-match slots (else 503 with Retry-After), gets "
            "GLOSS_HEAVY_MATCH_BUDGET_MS and runs at a third of a core."
        ),
    )
    heavy_matches: int = Field(
        default=1,
        ge=1,
        le=64,
        description="Heavy matches a server runs at once (shared by its workers, one per worker).",
    )
    heavy_match_budget_ms: int = Field(
        default=250,
        ge=1,
        le=60_000,
        description="CPU milliseconds one heavy match may spend (at most GLOSS_MATCH_BUDGET_MS).",
    )
    reworded: bool = Field(
        default=True,
        description=(
            "The reworded tier: claim notes also match page sentences that say the same in "
            "other words. false turns it off server-wide (and never loads the model)."
        ),
    )
    reworded_cache_bytes: int = Field(
        default=32 * 1024 * 1024,
        ge=0,
        description="Memory for page-sentence vectors per worker (keyed by hash, no text).",
    )

    @classmethod
    def from_env(cls, environ: os._Environ[str] | dict[str, str] | None = None) -> Settings:
        """Build settings from ``GLOSS_*`` variables; unknown ``GLOSS_*`` names are ignored."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for name in cls.model_fields:
            raw = env.get(f"GLOSS_{name.upper()}")
            if raw is not None:
                values[name] = raw
        try:
            return cls(**values)
        except ValidationError as exc:
            problems = "; ".join(
                f"GLOSS_{'_'.join(str(p) for p in e['loc']).upper()}: {e['msg']}"
                for e in exc.errors()
            )
            raise SystemExit(f"gloss: invalid configuration: {problems}") from None
