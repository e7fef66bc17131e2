"""AliasIndex: whole-word mentions of names (publishers, outlets) in page text.

Names are tokenized like quotes, so case, whitespace, quote styles and homoglyphs are
folded, and a mention always starts and ends on word boundaries. Glued digits are kept
("Channel4" is not "Channel"), unlike in quotes, where they are footnote markers.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

from server.matching.page import read_page
from server.matching.tokens import tokenize
from server.matching.types import Mention, Passage, Span


class AliasIndex:
    """Names by key, several per key. Not thread-safe."""

    def __init__(self) -> None:
        self._names: dict[Hashable, set[tuple[str, ...]]] = {}
        self._by_first: dict[str, dict[tuple[str, ...], set[Hashable]]] = {}

    def __len__(self) -> int:
        return len(self._names)

    def __contains__(self, key: object) -> bool:
        return key in self._names

    def add(self, key: Hashable, name: str) -> None:
        """Add one more name for ``key``; a name without words is ignored."""
        words = tuple(tokenize(name).full)
        if not words:
            return
        self._names.setdefault(key, set()).add(words)
        self._by_first.setdefault(words[0], {}).setdefault(words, set()).add(key)

    def remove(self, key: Hashable) -> None:
        """Forget every name of ``key``; no-op if absent."""
        for words in self._names.pop(key, set()):
            by_name = self._by_first[words[0]]
            by_name[words].discard(key)
            if not by_name[words]:
                del by_name[words]
            if not by_name:
                del self._by_first[words[0]]

    def match(self, passages: Sequence[Passage]) -> list[Mention]:
        """Every mention in page order; a key's shorter name inside its longer one is dropped."""
        page = read_page(passages)
        found: list[tuple[int, int, Hashable]] = []
        for i, word in enumerate(page.full):
            for words, keys in self._by_first.get(word, {}).items():
                end = i + len(words)
                if tuple(page.full[i:end]) != words:
                    continue
                if len(set(page.passage[i:end])) != 1:
                    continue
                found.extend((i, end, key) for key in keys)
        found.sort(key=lambda f: (f[0], -f[1]))
        mentions: list[Mention] = []
        covered: dict[Hashable, int] = {}
        for start, end, key in found:
            if covered.get(key, -1) >= end:
                continue
            covered[key] = end
            pid = page.passage_ids[page.passage[start]]
            mentions.append(Mention(key, Span(pid, page.starts[start], page.full_ends[end - 1])))
        return mentions
