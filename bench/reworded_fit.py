"""How the reworded tier's threshold was chosen: its trade-off on CLEF 2020 train and dev.

Usage: ``python bench/reworded_fit.py [--vectors FILE]`` by hand (not in ``make bench``):
reads ``../shared/external/claim-retrieval/clef2020`` (or ``GLOSS_EXTERNAL``), never the test
split. For each cosine threshold it prints the share of train+dev tweets shown the right
card and the share of held-out tweets (every second one, its gold claims removed) that
still get any card: plain, and with the gold claims' twins (the same claim text under
another id) removed too; then how often the right claim ranks first (by relevance: cosine
and shared rare words). ``--vectors`` keeps the sentence vectors between runs (embedding
the 10,375 claims and the tweets takes about ten minutes here). The figures are the ones
in ``server/semantic/calibration.py``'s docstring. Only figures are printed.
"""

from __future__ import annotations

import argparse
import csv
import math
import pickle
import sys
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.claims import CLEF, _plain, claim_note, clef_claims, tweet_passages  # noqa: E402
from server.semantic import calibration  # noqa: E402
from server.semantic.checks import disagreement  # noqa: E402
from server.semantic.embedder import Embedder, Vectors  # noqa: E402
from server.semantic.index import ClaimIndex  # noqa: E402
from server.semantic.sentences import units  # noqa: E402

Tweet = dict[str, Any]


def split_tweets(split: str) -> list[tuple[str, set[str]]]:
    base = CLEF / "v3.0" / split
    gold: dict[str, set[str]] = {}
    for line in (base / "tweet-vclaim-pairs.qrels").open():
        tweet, _, claim, _ = line.split()
        gold.setdefault(tweet, set()).add(f"clef-{claim}")
    rows = csv.reader((base / "tweets.queries.tsv").open(encoding="utf-8"), delimiter="\t")
    next(rows)
    return [(r[1], gold.get(r[0], set())) for r in rows]


def vectors(texts: list[str], path: Path | None) -> dict[str, Vectors]:
    known: dict[str, Vectors] = pickle.loads(path.read_bytes()) if path and path.exists() else {}
    todo = sorted(set(texts) - set(known))
    if todo:
        for text, vector in zip(todo, Embedder(threads=2).embed(todo), strict=True):
            known[text] = vector
        if path:
            path.write_bytes(pickle.dumps(known))
    return known


def collect(cache_file: Path | None) -> tuple[list[Tweet], dict[str, str]]:
    """Every train/dev tweet's units with their lexical candidates and cosines."""
    claims = {}
    for claim_id, claim, title in clef_claims():
        note = claim_note(claim_id, claim, title)
        if note is not None:
            claims[note["id"]] = note["quotes"][0]
    tweets = [(*t, s) for s in ("train", "dev") for t in split_tweets(s) if t[1] & set(claims)]
    found = [
        [u for p in tweet_passages(text) for u in units(p["id"], p["text"])]
        for text, _, _ in tweets
    ]
    known = vectors(list(claims.values()) + [u.text for f in found for u in f], cache_file)
    index = ClaimIndex()
    for note_id, claim in claims.items():
        index.add(note_id, [claim], known[claim][None, :])
    rarest = math.log(1 + (len(index) - 0.5) / 1.5)
    data = []
    for (_, gold, split), tweet_units in zip(tweets, found, strict=True):
        rows = []
        for unit in tweet_units:
            _, found_rows = index.candidates(unit.terms, calibration.CANDIDATES)
            entries, matrix = index.take(found_rows)
            idf = [
                sum(
                    math.log(1 + (len(index) - n + 0.5) / (n + 0.5))
                    for n in (len(index._postings[w]) for w in unit.terms & e.terms)
                )
                / rarest
                for e in entries
            ]
            cosines = matrix @ known[unit.text]
            rows.append(
                (
                    unit,
                    [
                        (e.note_id, float(c), x)
                        for e, c, x in zip(entries, cosines, idf, strict=True)
                    ],
                )
            )
        data.append({"gold": gold & set(claims), "units": rows, "split": split})
    return data, claims


def cards(tweet: Tweet, claims: dict[str, str], threshold: float, removed: set[str]) -> set[str]:
    """The notes carded for one tweet: each unit's most relevant candidate with a cosine of at
    least ``threshold`` that no check rejects, then the best of overlapping units (as
    ``server.semantic.tier`` does)."""
    found = []
    for unit, candidates in tweet["units"]:
        kept = [c for c in candidates if c[0] not in removed]
        if not kept or max(c[2] for c in kept) < calibration.MIN_LEXICAL:
            continue
        for note_id, cosine, _ in sorted(kept, key=lambda c: -calibration.relevance(c[1], c[2])):
            if cosine >= threshold and not disagreement(claims[note_id], unit.text):
                found.append((cosine, unit, note_id))
                break
    shown: list[tuple[float, Any, str]] = []
    for cosine, unit, note_id in sorted(found, key=lambda f: -f[0]):
        if not any(
            u.passage_id == unit.passage_id and u.start < unit.end and unit.start < u.end
            for _, u, _ in shown
        ):
            shown.append((cosine, unit, note_id))
    return {n for _, _, n in shown}


def ranking(tweet: Tweet) -> list[str]:
    """Notes by their best relevance over the tweet's units (no threshold): the tier's order."""
    best: dict[str, float] = {}
    for _, candidates in tweet["units"]:
        for note_id, cosine, lexical in candidates:
            relevance = calibration.relevance(cosine, lexical)
            best[note_id] = max(best.get(note_id, -1.0), relevance)
    return sorted(best, key=lambda n: -best[n])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vectors", type=Path, help="a file to keep sentence vectors in")
    args = parser.parse_args()
    data, claims = collect(args.vectors)
    twins: dict[str, set[str]] = {}
    for note_id, claim in claims.items():
        twins.setdefault(_plain(claim), set()).add(note_id)

    def with_twins(gold: set[str]) -> set[str]:
        return set().union(*(twins[_plain(claims[g])] for g in gold))

    print("split      threshold  right card  held-out any card (plain, twins removed too)")
    for split in ("train", "dev", "train+dev"):
        tweets = [t for t in data if t["split"] in split]
        held_out = tweets[1::2]
        for threshold in np.arange(0.58, 0.81, 0.01):
            right = np.mean(
                [bool(cards(t, claims, threshold, set()) & with_twins(t["gold"])) for t in tweets]
            )
            plain = np.mean([bool(cards(t, claims, threshold, t["gold"])) for t in held_out])
            twin_free = np.mean(
                [bool(cards(t, claims, threshold, with_twins(t["gold"]))) for t in held_out]
            )
            print(f"{split:9}  {threshold:9.2f}  {right:10.3f}  {plain:8.3f} {twin_free:8.3f}")
        first = np.mean([bool(set(ranking(t)[:1]) & with_twins(t["gold"])) for t in tweets])
        print(f"{split:9}  right claim ranked first: {first:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
