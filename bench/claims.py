"""The reworded tier on CLEF CheckThat! 2020: quality on the test split, cost, memory, start-up.

Usage: ``python bench/claims.py [--json] [--skip-100k]`` (``make bench`` runs it). Needs
``../shared/external/claim-retrieval/clef2020`` and ``republished-bbc`` beside the checkout.

1. All 10,375 verified claims become claim notes through ``POST /v1/import`` (a Gloss
   bundle, the server's own code path: validation, note rows, revisions, stored vectors).
   A claim whose text is not a valid quote (fewer than six words) uses its title.
2. Each test tweet is a page: its text is one passage, the "— Name (@handle) date" line
   under an embedded tweet another. Ranking quality is the tier's own order (best relevance,
   cosine plus shared rare words, over the tweet's sentences among the lexical candidates,
   no threshold); card recall is
   what ``POST /v1/match`` returns at the shipped threshold.
3. Held-out precision: the gold claims of every second test tweet are purged; those tweets
   must then get no card at all.
4. BBC: the 160 republished-BBC pages against the CLEF claims (every card false), and the
   republished set's own labelled quotes loaded as claim notes with the tier on: its 317
   negatives must match nothing.
5. Cost: 1,000- and 5,000-word pages of BBC text, quote tier alone against both tiers with
   an empty sentence cache (a first visit) and a warm one, at 10k claims and at 100k (the
   10k real claims plus Markov claims with random unit vectors: the tier's cost does not
   depend on what the vectors hold). Start-up: a worker's first refresh with and without the
   tier, and the embedding time that stored vectors save (measured on 1,000 claims).

Only figures are printed, never page or tweet text.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import EXTERNAL, MarkovChain  # noqa: E402
from server import create_app  # noqa: E402
from server.matching import Passage  # noqa: E402
from server.schemas import NoteIn  # noqa: E402
from server.semantic import VectorCache, calibration, shared_embedder  # noqa: E402
from server.semantic.sentences import units  # noqa: E402
from server.services import note_vectors  # noqa: E402
from server.services import notes as note_service  # noqa: E402
from server.services.catalog import Catalog  # noqa: E402
from server.store import Database  # noqa: E402
from server.store import notes as note_store  # noqa: E402
from server.store import tokens as token_store  # noqa: E402
from server.store.models import Note, NoteVector, utcnow  # noqa: E402

# ../shared/external beside the checkout; GLOSS_EXTERNAL names another place (a worktree).
EXTERNAL_DIR = Path(os.environ.get("GLOSS_EXTERNAL", str(EXTERNAL)))
CLEF = EXTERNAL_DIR / "claim-retrieval" / "clef2020"
SHARED = EXTERNAL_DIR / "republished-bbc"
SIGNATURE = re.compile(r"\s*—\s*[^—\n]{0,80}?\(@\w+\)\s+[A-Z][a-z]+ \d{1,2}, \d{4}")
URL = "https://social.example.com/post"
PAGES = 5
SEED = 20261203


def clef_claims() -> list[tuple[int, str, str]]:
    rows = csv.reader(
        (CLEF / "v3.0" / "verified_claims.docs.tsv").open(encoding="utf-8"), delimiter="\t"
    )
    next(rows)
    return [(int(r[0]), r[1], r[2]) for r in rows]


def test_tweets() -> list[tuple[str, str, set[str]]]:
    gold: dict[str, set[str]] = {}
    for line in (CLEF / "test" / "tweet-vclaim-pairs.qrels").open():
        tweet, _, claim, _ = line.split()
        gold.setdefault(tweet, set()).add(f"clef-{claim}")
    rows = csv.reader((CLEF / "test" / "tweets.queries.tsv").open(encoding="utf-8"), delimiter="\t")
    next(rows)
    return [(r[0], r[1], gold.get(r[0], set())) for r in rows]


def tweet_passages(text: str) -> list[dict[str, str]]:
    """The tweet's text, and the signature line under an embedded tweet, as passages."""
    parts: list[str] = []
    position = 0
    for m in SIGNATURE.finditer(text):
        parts += [text[position : m.start()], m.group().strip()]
        position = m.end()
    parts.append(text[position:])
    return [{"id": f"p{i}", "text": p} for i, p in enumerate(parts) if p.strip()]


def claim_note(claim_id: int, claim: str, title: str) -> dict[str, Any] | None:
    """The claim as a claim note; a claim too short to be a quote takes its title along."""
    quote = next((q for q in (claim, f"{claim} ({title})") if _valid_quote(q)), None)
    if quote is None:
        return None
    return {
        "id": f"clef-{claim_id}",
        "kind": "claim",
        "title": (title or claim)[:200]
        if len((title or claim).strip()) >= 3
        else f"Claim {claim_id}",
        "summary": "Fact-checked by Snopes (CLEF CheckThat! 2020 verified claim).",
        "rating": "disputed",
        "status": "published",
        "quotes": [quote],
        "sources": [{"title": "Snopes", "url": "https://www.snopes.com/"}],
    }


def _valid_quote(text: str) -> bool:
    try:
        NoteIn.model_validate(
            {"kind": "sourcing", "title": "x" * 3, "summary": "x" * 10, "quotes": [text]}
        )
    except ValueError:
        return False
    return True


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[\"'“”‘’`]", "", text).lower().split())


def _median_ms(values: list[float]) -> float:
    return round(1000 * statistics.median(values), 1)


class Bench:
    def __init__(self, directory: Path) -> None:
        self.url = f"sqlite:///{directory / 'claims.db'}"
        self.app = create_app(
            {
                "database_url": self.url,
                "seed_notes_dir": "",
                "ratelimit_enabled": False,
                "max_body_bytes": 64 << 20,
            }
        )
        self.client = self.app.test_client()
        self.database: Database = self.app.extensions["gloss.database"]
        self.catalog: Catalog = self.app.extensions["gloss.catalog"]
        with self.database.transaction() as session:
            _, secret = token_store.create(session, "bench", "curator")
        self.auth = {"Authorization": f"Bearer {secret}"}

    def import_claims(self, claims: list[tuple[int, str, str]]) -> float:
        notes = [n for n in (claim_note(*c) for c in claims) if n is not None]
        bundle = {"format": "gloss-bundle", "version": 1, "notes": notes}
        started = time.perf_counter()
        response = self.client.post("/v1/import", json=bundle, headers=self.auth)
        assert response.status_code == 200, response.get_json()
        self.loaded = len(notes)
        self.loaded_ids = {n["id"] for n in notes}
        return time.perf_counter() - started

    def match(self, passages: list[dict[str, str]], tiers: list[str] | None = None) -> list[Any]:
        body: dict[str, Any] = {"url": URL, "passages": passages}
        if tiers:
            body["tiers"] = tiers
        response = self.client.post("/v1/match", json=body)
        assert response.status_code == 200, response.get_json()
        cards: list[Any] = response.get_json()["cards"]
        return cards

    def ranking(self, passages: list[dict[str, str]]) -> list[str]:
        """Notes in the tier's order for a page: best relevance (cosine and shared rare words)
        over its units among their lexical candidates, no threshold."""
        tier = self.catalog.reworded
        assert tier is not None
        embedder = shared_embedder()
        best: dict[str, float] = {}
        found = [u for p in passages for u in units(p["id"], p["text"])]
        vectors = embedder.embed([u.text for u in found])
        for unit, vector in zip(found, vectors, strict=True):
            rows, lexicals = tier._index.ranked(unit.terms, tier._settings.top)
            entries, matrix = tier._index.take(rows)
            relevance = calibration.relevance((matrix @ vector).astype(np.float64), lexicals)
            for entry, value in zip(entries, relevance, strict=True):
                best[entry.note_id] = max(best.get(entry.note_id, -1.0), float(value))
        return sorted(best, key=lambda n: -best[n])

    def twins(self, note_ids: set[str]) -> set[str]:
        """Loaded claims whose text equals one of ``note_ids``' but for quotation marks and case."""
        texts = {f"clef-{i}": _plain(c) for i, c, _ in clef_claims()}
        wanted = {texts[n] for n in note_ids if n in texts}
        return {n for n, t in texts.items() if t in wanted and n in self.loaded_ids}

    def purge(self, note_ids: set[str]) -> None:
        with self.database.transaction() as session:
            for note_id in sorted(note_ids):
                if note_store.get(session, note_id) is not None:
                    note_service.purge(session, note_id)


def quality(bench: Bench) -> dict[str, Any]:
    # Tweets whose claim is loaded (a few claims are too short to be a note's quote).
    tweets = [t for t in test_tweets() if t[2] & bench.loaded_ids]
    first = top5 = carded = 0
    for _, text, gold in tweets:
        passages = tweet_passages(text)
        ranked = bench.ranking(passages)
        first += bool(ranked) and ranked[0] in gold
        top5 += any(n in gold for n in ranked[:5])
        carded += any(c["note_id"] in gold for c in bench.match(passages))
    held_out = tweets[1::2]
    purged = set().union(*(gold for _, _, gold in held_out))
    bench.purge(purged)
    any_card, reworded_card = _held_out_cards(bench, held_out)
    # The claim file holds some claims twice under two ids (other quotation marks only): a
    # card for the gold claim's twin is a right card, so a second figure removes twins too.
    twins = bench.twins(purged) - purged
    bench.purge(twins)
    twin_free, _ = _held_out_cards(bench, held_out)
    n = len(tweets)
    return {
        "test_tweets": n,
        "right_first": round(first / n, 3),
        "right_in_top5": round(top5 / n, 3),
        "right_card": round(carded / n, 3),
        "held_out_tweets": len(held_out),
        "held_out_any_card": round(any_card / len(held_out), 3),
        "held_out_reworded_card": round(reworded_card / len(held_out), 3),
        "held_out_twins_purged": len(twins),
        "held_out_any_card_twins_purged_too": round(twin_free / len(held_out), 3),
    }


def _held_out_cards(bench: Bench, held_out: list[tuple[str, str, set[str]]]) -> tuple[int, int]:
    """Held-out tweets with any card, and with a reworded card."""
    any_card = reworded_card = 0
    for _, text, _ in held_out:
        cards = bench.match(tweet_passages(text))
        any_card += bool(cards)
        reworded_card += any(c["match"] == "reworded" for c in cards)
    return any_card, reworded_card


def bbc_pages() -> list[dict[str, Any]]:
    return [json.loads(line) for line in (SHARED / "pages.jsonl").open(encoding="utf-8")]


def bbc_false_cards(bench: Bench) -> dict[str, Any]:
    """Reworded cards the CLEF claims get on 160 BBC pages: every one is false."""
    pages = bbc_pages()
    cards = 0
    for page in pages:
        passages = [{"id": str(i), "text": t} for i, t in enumerate(page["paragraphs"])]
        cards += len(bench.match(passages, ["reworded"]))
    return {"bbc_pages": len(pages), "reworded_cards_on_bbc_pages": cards}


def bbc_negatives(directory: Path) -> dict[str, Any]:
    """The republished set's labelled quotes as claim notes, tier on: negatives matched."""
    quotes = [json.loads(line) for line in (SHARED / "quotes.jsonl").open(encoding="utf-8")]
    bench = Bench(directory / "bbc")
    claims = [
        {
            "id": q["quote_id"].lower(),
            "kind": "claim",
            "title": f"Quote {q['quote_id']}",
            "summary": "A labelled quote of the republished-news set.",
            "rating": "disputed",
            "status": "published",
            "quotes": [q["text"]],
            "sources": [{"title": "Set", "url": "https://example.org/set"}],
        }
        for q in quotes
        if _valid_quote(q["text"])
    ]
    bundle = {"format": "gloss-bundle", "version": 1, "notes": claims}
    assert bench.client.post("/v1/import", json=bundle, headers=bench.auth).status_code == 200
    by_page: dict[str, list[dict[str, Any]]] = {}
    for q in quotes:
        by_page.setdefault(q["page_id"], []).append(q)
    matched = {"quote": 0, "reworded": 0}
    negatives = 0
    for page in bbc_pages():
        passages = [{"id": str(i), "text": t} for i, t in enumerate(page["paragraphs"])]
        found = {c["note_id"]: c["match"] for c in bench.match(passages)}
        for q in by_page.get(page["page_id"], []):
            if q["label"] == "negative":
                negatives += 1
                how = found.get(q["quote_id"].lower())
                if how:
                    matched[how] += 1
    return {
        "bbc_negatives": negatives,
        "bbc_negatives_matched_quote_tier": matched["quote"],
        "bbc_negatives_matched_reworded_tier": matched["reworded"],
    }


def pages(words: int, count: int, rng: random.Random) -> Iterator[list[Passage]]:
    paragraphs = [p for page in bbc_pages() for p in page["paragraphs"]]
    for _ in range(count):
        start = rng.randrange(len(paragraphs))
        chosen: list[str] = []
        total = 0
        while total < words:
            chosen.append(paragraphs[(start + len(chosen)) % len(paragraphs)])
            total += chosen[-1].count(" ") + 1
        yield [Passage(f"p{i}", t) for i, t in enumerate(chosen)]


def cost(bench: Bench, off: Catalog, claims: int) -> dict[str, Any]:
    """Per page: quote tier alone (tier off), quote answer with the tier on, both tiers."""
    tier = bench.catalog.reworded
    assert tier is not None
    rng = random.Random(SEED)
    result: dict[str, Any] = {"claims": claims}
    off.refresh()
    bench.catalog.refresh()
    for words in (1_000, 5_000):
        times: dict[str, list[float]] = {
            "off": [],
            "quote": [],
            "cold": [],
            "warm": [],
            "whole": [],
        }
        requests: list[int] = []
        for passages in pages(words, PAGES, rng):
            for name, run in (
                ("off", lambda p=passages: off.match(URL, p, ("quote",))),
                ("quote", lambda p=passages: bench.catalog.match(URL, p, ("quote",))),
            ):
                started = time.perf_counter()
                run()
                times[name].append(time.perf_counter() - started)
            tier._cache = VectorCache(32 << 20)
            for name in ("cold", "warm"):
                started = time.perf_counter()
                bench.catalog.match(URL, passages)
                times[name].append(time.perf_counter() - started)
            tier._cache = VectorCache(32 << 20)
            started = time.perf_counter()
            requests.append(_read_by_meaning(bench.catalog, passages))
            times["whole"].append(time.perf_counter() - started)
        off_ms = _median_ms(times["off"])
        result[f"{words}_words"] = {
            "quote_tier_only_ms": off_ms,
            "quote_answer_tier_on_ms": _median_ms(times["quote"]),
            "both_tiers_first_visit_ms": _median_ms(times["cold"]),
            "both_tiers_cached_ms": _median_ms(times["warm"]),
            "ratio_first_visit": round(_median_ms(times["cold"]) / off_ms, 1),
            "ratio_quote_answer": round(_median_ms(times["quote"]) / off_ms, 2),
            "whole_page_by_meaning_ms": _median_ms(times["whole"]),
            "whole_page_requests_median": int(np.median(requests)),
            "whole_page_requests_max": max(requests),
        }
    result["vector_bytes"] = tier.vector_bytes
    result["rows"] = tier.rows
    return result


def _read_by_meaning(catalog: Catalog, passages: list[Passage]) -> int:
    """Ask for reworded cards until no sentence is left unread (what reading a whole page by
    meaning would cost; the extension asks once per check); returns how many requests."""
    asked = 1
    while catalog.match_page(URL, passages, tiers=("reworded",)).reworded_unread:
        asked += 1
    return asked


def grow_to(bench: Bench, total: int) -> None:
    """Markov claims with random unit vectors, bulk-inserted, up to ``total`` published notes."""
    with bench.database.session() as session:
        have = note_store.count(session, "published")
    chain = MarkovChain([c for _, c, _ in clef_claims()], order=1)
    texts = chain.sentences(total - have, np.random.default_rng(SEED))
    rng = np.random.default_rng(SEED)
    model = shared_embedder().model
    now = utcnow()
    batch = 5_000
    for first in range(0, len(texts), batch):
        with bench.database.transaction() as session:
            seq = note_store.next_generation(session)
            chunk = texts[first : first + batch]
            vectors = rng.standard_normal((len(chunk), 384)).astype(np.float32)
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
            for i, text in enumerate(chunk):
                note_id = f"synthetic-{first + i}"
                session.add(
                    Note(
                        id=note_id, kind="claim", title=f"Synthetic {first + i}",
                        summary="A synthetic claim.", body=None, rating="disputed",
                        quotes=[text], domains=[], aliases=[], sources=[], status="published",
                        created_at=now, updated_at=now, version=1, seq=seq, reworded=True,
                    )
                )  # fmt: skip
            session.flush()
            session.add_all(
                NoteVector(
                    note_id=f"synthetic-{first + i}", number=0, model_name=model.name,
                    model_version=model.version, text_sha256=note_vectors.digest(text),
                    vector=note_vectors.to_bytes(vector),
                )
                for i, (text, vector) in enumerate(zip(chunk, vectors, strict=True))
            )  # fmt: skip


def startup(database: Database) -> dict[str, Any]:
    """A worker's first refresh, without the tier and with it (vectors read from the database)."""
    result: dict[str, Any] = {}
    for name, reworded in (("without_tier_s", False), ("with_stored_vectors_s", True)):
        catalog = Catalog(database, reworded=reworded)
        if reworded:
            shared_embedder().model  # noqa: B018  (the model loads once per process, as a worker's does)
        started = time.perf_counter()
        catalog.refresh()
        result[name] = round(time.perf_counter() - started, 1)
        result["notes"] = catalog.published_count
        del catalog
    claims = [c for _, c, _ in clef_claims()[:1000]]
    started = time.perf_counter()
    shared_embedder().embed(claims)
    per_claim = (time.perf_counter() - started) / len(claims)
    result["without_stored_vectors_s"] = round(
        result["with_stored_vectors_s"] + per_claim * result["notes"], 1
    )
    result["embedding_ms_per_claim"] = round(1000 * per_claim, 1)
    result["ratio_with_stored_vectors"] = round(
        result["with_stored_vectors_s"] / result["without_tier_s"], 2
    )
    return result


def report(figures: dict[str, Any]) -> list[str]:
    q = figures["quality"]
    lines = [
        f"CLEF 2020 test ({q['test_tweets']} tweets, {figures['loaded']} of {figures['claims']} "
        f"claims loaded in "
        f"{figures['import_s']} s through POST /v1/import)",
        f"  ranking: right claim first {q['right_first']}, in top 5 {q['right_in_top5']}",
        f"  right card shown (threshold {figures['threshold']}): {q['right_card']}",
        f"  held-out ({q['held_out_tweets']} tweets, gold claims purged): any card "
        f"{q['held_out_any_card']}, reworded card {q['held_out_reworded_card']}; "
        f"with their {q['held_out_twins_purged']} twin claims (same text) purged too: any card "
        f"{q['held_out_any_card_twins_purged_too']}",
        f"BBC: {figures['bbc']['reworded_cards_on_bbc_pages']} reworded cards of CLEF claims on "
        f"{figures['bbc']['bbc_pages']} pages; labelled negatives matched "
        f"{figures['negatives']['bbc_negatives_matched_quote_tier']} (quote) + "
        f"{figures['negatives']['bbc_negatives_matched_reworded_tier']} (reworded) of "
        f"{figures['negatives']['bbc_negatives']}",
    ]
    for c in figures["cost"]:
        for words in ("1000_words", "5000_words"):
            w = c[words]
            lines.append(
                f"{c['claims']:>7} claims, {words.replace('_', ' ')}: quote tier alone "
                f"{w['quote_tier_only_ms']} ms, quote answer with tier on "
                f"{w['quote_answer_tier_on_ms']} ms ({w['ratio_quote_answer']}x), both tiers "
                f"first visit {w['both_tiers_first_visit_ms']} ms ({w['ratio_first_visit']}x), "
                f"cached {w['both_tiers_cached_ms']} ms; every sentence read by meaning "
                f"{w['whole_page_by_meaning_ms']} ms over {w['whole_page_requests_median']} "
                f"requests (at most {w['whole_page_requests_max']})"
            )
        lines.append(
            f"{c['claims']:>7} claims: vectors {c['vector_bytes'] / 1e6:.1f} MB, {c['rows']} rows"
        )
    if "startup" in figures:
        s = figures["startup"]
        lines.append(
            f"worker ready with {s['notes']} notes: without the tier {s['without_tier_s']} s, "
            f"with stored vectors {s['with_stored_vectors_s']} s "
            f"({s['ratio_with_stored_vectors']}x), without stored vectors about "
            f"{s['without_stored_vectors_s']} s ({s['embedding_ms_per_claim']} ms per claim)"
        )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--skip-100k", action="store_true", help="stop after 10k claims")
    args = parser.parse_args()
    if not (CLEF / "test").is_dir() or not SHARED.is_dir():
        print(f"bench/claims.py: {CLEF} or {SHARED} is missing", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        (directory / "bbc").mkdir()
        bench = Bench(directory)
        claims = clef_claims()
        figures: dict[str, Any] = {"claims": len(claims), "threshold": calibration.THRESHOLD}
        figures["import_s"] = round(bench.import_claims(claims), 1)
        figures["loaded"] = bench.loaded
        off = Catalog(bench.database, reworded=False)
        figures["cost"] = [cost(bench, off, len(claims))]
        figures["bbc"] = bbc_false_cards(bench)
        figures["quality"] = quality(bench)
        figures["negatives"] = bbc_negatives(directory)
        if not args.skip_100k:
            grow_to(bench, 100_000)
            figures["cost"].append(cost(bench, off, 100_000))
            figures["startup"] = startup(bench.database)
        bench.database.dispose()
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print("\n".join(report(figures)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
