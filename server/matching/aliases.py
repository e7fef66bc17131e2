"""AliasIndex: whole-word mentions of names (publishers, outlets) in page text.

Names are tokenized like quotes, so case, whitespace, quote styles and homoglyphs are
folded, and a mention always starts and ends on word boundaries. Glued digits are kept
("Channel4" is not "Channel"), unlike in quotes, where they are footnote markers.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

from server.matching.budget import Budget
from server.matching.page import Page, read_page
from server.matching.tokens import tokenize
from server.matching.types import Mention, Passage, Span


class AliasIndex:
    """Names by key, several per key. Not thread-safe."""

    def __init__(self) -> None:
        self._names: dict[Hashable, set[tuple[str, ...]]] = {}
        self._by_first: dict[str, dict[tuple[str, ...], set[Hashable]]] = {}
        self._frozen: FrozenAliases | None = None

    def __len__(self) -> int:
        return len(self._names)

    def __contains__(self, key: object) -> bool:
        return key in self._names

    def add(self, key: Hashable, name: str) -> None:
        """Add one more name for ``key``; a name without words is ignored."""
        words = tuple(tokenize(name, trusted=True).full)
        if not words:
            return
        self._frozen = None
        self._names.setdefault(key, set()).add(words)
        self._by_first.setdefault(words[0], {}).setdefault(words, set()).add(key)

    def remove(self, key: Hashable) -> None:
        """Forget every name of ``key``; no-op if absent."""
        self._frozen = None
        for words in self._names.pop(key, set()):
            by_name = self._by_first[words[0]]
            by_name[words].discard(key)
            if not by_name[words]:
                del by_name[words]
            if not by_name:
                del self._by_first[words[0]]

    def match(self, passages: Sequence[Passage]) -> list[Mention]:
        """Every mention in page order; a key's shorter name inside its longer one is dropped."""
        return self.frozen().match_page(read_page(passages))

    def frozen(self) -> FrozenAliases:
        """An immutable copy to match with outside the owner's lock (kept until a change)."""
        if self._frozen is None:
            self._frozen = FrozenAliases(
                {
                    first: tuple((words, tuple(keys)) for words, keys in names.items())
                    for first, names in self._by_first.items()
                }
            )
        return self._frozen


class FrozenAliases:
    """The names of an ``AliasIndex`` at one moment; safe to share between threads."""

    def __init__(
        self, by_first: dict[str, tuple[tuple[tuple[str, ...], tuple[Hashable, ...]], ...]]
    ) -> None:
        self._by_first = by_first

    def match_page(
        self, page: Page, budget: Budget | None = None, per_key: int | None = None
    ) -> list[Mention]:
        """Every mention in page order; a key's shorter name inside its longer one is dropped.

        At most ``per_key`` mentions of one key (the first ones); stops early, with what it
        found, once ``budget`` is spent.
        """
        found: list[tuple[int, int, Hashable]] = []
        by_first, full, passage = self._by_first, page.full, page.passage
        looked = 0
        for i, word in enumerate(full):
            names = by_first.get(word)
            if names is None:
                continue
            looked += 1
            if budget is not None and looked % 256 == 0 and budget.spent():
                break
            for words, keys in names:
                end = i + len(words)
                if tuple(full[i:end]) != words:
                    continue
                if passage[i] != passage[end - 1]:
                    continue
                found.extend((i, end, key) for key in keys)
        found.sort(key=lambda f: (f[0], -f[1]))
        mentions: list[Mention] = []
        covered: dict[Hashable, int] = {}
        counts: dict[Hashable, int] = {}
        for start, end, key in found:
            if covered.get(key, -1) >= end:
                continue
            covered[key] = end
            if per_key is not None:
                if counts.get(key, 0) >= per_key:
                    continue
                counts[key] = counts.get(key, 0) + 1
            pid = page.passage_ids[page.passage[start]]
            mentions.append(Mention(key, Span(pid, page.starts[start], page.full_ends[end - 1])))
        return mentions
