"""The quote tier's copy-paste tolerances, planted in real text, with their near misses.

The republished-news set has no glued footnotes, transliterated names or names missing a
word, so this plants them: for every labelled positive quote that lies in one paragraph,
its paragraph is edited inside the quote's span in one of these ways (each where the span
allows it) and matched against the whole database (distractors and labelled quotes):

* ``footnote``: a digit glued after a thousands group ("2,000" -> "2,0003");
* ``transliteration``: one name of five letters or more respelled as another system
  would (H -> G, u -> ou, i <-> y next to a vowel, kh -> h);
* ``name_drop``: the middle word of three or more Title-case words joined by spaces.

Each has a near miss that the tolerances must not accept: ``other_number`` (the group's
first digit changed), ``other_name`` (a five- or six-letter name's first letter changed to
one no transliteration uses: longer names with one letter changed pass as typos),
``name_drop_other_name`` (the word dropped and the name's next word replaced). A near miss
may still be accepted by older rules (a changed word near a quote's end reads as a
truncated excerpt): compare with the same run before a change.
Usage: ``python bench/variants.py [--json]``. Found = accepted at span IoU >= 0.8.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import SHARED, shared_available  # noqa: E402
from server.matching import Passage, QuoteIndex  # noqa: E402

# An edit of the text inside a quote's span: (new text, new span end) or None.
Edit = Callable[[str, int, int], tuple[str, int] | None]

_GROUP = re.compile(r"(?<![\d,.])\d{1,3},(\d{3})(?![\d,])")
_NAME = re.compile(r"(?<=[a-z,;:] )[A-Z][a-z]{4,}\b")
# Longer names with one letter changed already pass as typos (rapidfuzz ratio >= 85).
_SHORT_NAME = re.compile(r"(?<=[a-z,;:] )[A-Z][a-z]{4,5}\b")
_NAME_RUN = re.compile(r"[A-Z][a-z]+(?: [A-Z][a-z]+){2,}")
_RESPELLINGS = (
    (re.compile(r"^H"), "G"),
    (re.compile(r"kh"), "h"),
    (re.compile(r"(?<=[aeo])u"), "ou"),
    (re.compile(r"(?<=[aeou])i|i(?=[aeou])"), "y"),
    (re.compile(r"(?<=[aeou])y|y(?=[aeou])"), "i"),
)


def _replace(text: str, end: int, a: int, b: int, new: str) -> tuple[str, int]:
    """``text[a:b]`` replaced by ``new``; where a span that ended at ``end`` ends now."""
    return text[:a] + new + text[b:], end + len(new) - (b - a)


def _first(pattern: re.Pattern[str], text: str, start: int, end: int) -> re.Match[str] | None:
    return next((m for m in pattern.finditer(text, start, end) if m.end() <= end), None)


def footnote(text: str, start: int, end: int) -> tuple[str, int] | None:
    m = _first(_GROUP, text, start, end)
    return _replace(text, end, m.end(), m.end(), "3") if m else None


def other_number(text: str, start: int, end: int) -> tuple[str, int] | None:
    m = _first(_GROUP, text, start, end)
    if m is None:
        return None
    digit = str((int(text[m.start()]) % 9) + 1)
    return _replace(text, end, m.start(), m.start() + 1, digit)


def _respelled(word: str) -> str | None:
    for pattern, new in _RESPELLINGS:
        changed = pattern.sub(new, word, count=1)
        if changed != word:
            return changed
    return None


def transliteration(text: str, start: int, end: int) -> tuple[str, int] | None:
    for m in _NAME.finditer(text, start, end):
        new = _respelled(m.group())
        if new and m.end() <= end:
            return _replace(text, end, m.start(), m.end(), new)
    return None


def other_name(text: str, start: int, end: int) -> tuple[str, int] | None:
    for m in _SHORT_NAME.finditer(text, start, end):
        if _respelled(m.group()) and m.end() <= end:
            letter = "B" if m.group()[0] != "B" else "D"
            return _replace(text, end, m.start(), m.start() + 1, letter)
    return None


def _run(text: str, start: int, end: int) -> re.Match[str] | None:
    m = _first(_NAME_RUN, text, start, end)
    return m if m and m.start() > start else None


def name_drop(text: str, start: int, end: int) -> tuple[str, int] | None:
    m = _run(text, start, end)
    if m is None:
        return None
    words = m.group().split(" ")
    return _replace(text, end, m.start(), m.end(), " ".join(words[:1] + words[2:]))


def name_drop_other_name(text: str, start: int, end: int) -> tuple[str, int] | None:
    m = _run(text, start, end)
    if m is None:
        return None
    words = m.group().split(" ")
    words[1:3] = ["Bxyzzy" if words[2] != "Bxyzzy" else "Dxyzzy"]
    return _replace(text, end, m.start(), m.end(), " ".join(words))


PLANTS: dict[str, Edit] = {"footnote": footnote, "transliteration": transliteration}
PLANTS["name_drop"] = name_drop
NEAR_MISSES: dict[str, Edit] = {"other_number": other_number, "other_name": other_name}
NEAR_MISSES["name_drop_other_name"] = name_drop_other_name


def _iou(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    return inter / max(1, max(a[1], b[1]) - min(a[0], b[0]))


def evaluate() -> dict[str, Any]:
    """Planted and near-miss counts per kind, and how many were accepted."""
    pages = {
        page["page_id"]: page
        for page in map(json.loads, (SHARED / "pages.jsonl").open(encoding="utf-8"))
    }
    quotes = [json.loads(line) for line in (SHARED / "quotes.jsonl").open(encoding="utf-8")]
    distractors = (SHARED / "distractor_quotes.txt").read_text(encoding="utf-8").splitlines()
    index = QuoteIndex()
    index.add_many((("distractor", n), text) for n, text in enumerate(distractors))
    index.add_many((quote["quote_id"], quote["text"]) for quote in quotes)
    counts: Counter[str] = Counter()
    for quote in quotes:
        if quote["label"] != "positive" or len(quote["expected"]) != 1:
            continue
        paragraph, start, end = quote["expected"][0]
        text = pages[quote["page_id"]]["paragraphs"][paragraph]
        for kind, edit in (PLANTS | NEAR_MISSES).items():
            edited = edit(text, start, end)
            if edited is None:
                continue
            new_text, new_end = edited
            counts[f"{kind}_planted"] += 1
            accepted = [
                m
                for m in index.match([Passage("p", new_text)])
                if m.key == quote["quote_id"] and not m.partial
            ]
            spans = [(m.spans[0].start, m.spans[-1].end) for m in accepted]
            if kind in NEAR_MISSES:
                counts[f"{kind}_accepted"] += bool(spans)
            else:
                counts[f"{kind}_found"] += any(_iou(s, (start, new_end)) >= 0.8 for s in spans)
    return dict(sorted(counts.items()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="one JSON object")
    args = parser.parse_args()
    if not shared_available():
        print("variants: ../shared/external/republished-bbc not found (GLOSS_EXTERNAL)")
        return 2
    counts = evaluate()
    if args.json:
        print(json.dumps(counts))
        return 0
    for kind in PLANTS:
        print(f"{kind:22} found {counts[kind + '_found']:4} of {counts[kind + '_planted']:4}")
    for kind in NEAR_MISSES:
        accepted, planted = counts[kind + "_accepted"], counts[kind + "_planted"]
        print(f"{kind:22} accepted {accepted:4} of {planted:4}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
