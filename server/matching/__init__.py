"""TEMPORARY stand-in until the matching engine lands (exact, case-insensitive only)."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence

from server.matching.types import Mention, Passage, QuoteMatch, Span

__all__ = [
    "AliasIndex",
    "Mention",
    "Passage",
    "QuoteIndex",
    "QuoteMatch",
    "Span",
    "brute_force_match",
    "quote_problem",
]


def quote_problem(text: str) -> str | None:
    words = len(text.split())
    return None if words >= 6 else f"quote has {words} words; at least 6 are needed"


def brute_force_match(
    quotes: Mapping[Hashable, str], passages: Sequence[Passage]
) -> list[QuoteMatch]:
    out = []
    for key, q in quotes.items():
        for p in passages:
            i = p.text.lower().find(q.lower())
            if i >= 0:
                out.append(QuoteMatch(key, (Span(p.id, i, i + len(q)),), 100.0, 1.0))
    return out


class QuoteIndex:
    def __init__(self) -> None:
        self._q: dict[Hashable, str] = {}

    def add(self, key: Hashable, text: str) -> None:
        self._q[key] = text

    def remove(self, key: Hashable) -> None:
        self._q.pop(key, None)

    def __len__(self) -> int:
        return len(self._q)

    def __contains__(self, key: object) -> bool:
        return key in self._q

    def match(self, passages: Sequence[Passage]) -> list[QuoteMatch]:
        return brute_force_match(self._q, passages)


class AliasIndex:
    def __init__(self) -> None:
        self._names: dict[Hashable, list[str]] = {}

    def add(self, key: Hashable, name: str) -> None:
        self._names.setdefault(key, []).append(name)

    def remove(self, key: Hashable) -> None:
        self._names.pop(key, None)

    def match(self, passages: Sequence[Passage]) -> list[Mention]:
        out = []
        for key, names in self._names.items():
            for p in passages:
                for n in names:
                    i = p.text.lower().find(n.lower())
                    if i >= 0:
                        out.append(Mention(key, Span(p.id, i, i + len(n))))
        return out
