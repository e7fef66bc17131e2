"""The counts every import ends with, and the refusals with their reasons."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

MAX_LISTED = 1000  # refusals and conflicts listed one by one; beyond that only counted


@dataclass
class Report:
    source: str
    dry_run: bool
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0
    conflicts: list[str] = field(default_factory=list)
    conflict_count: int = 0
    refused: list[dict[str, str]] = field(default_factory=list)
    refused_count: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    batches: int = 0
    complete: bool = False

    def refuse(self, entry_id: str, reason: str) -> None:
        self.refused_count += 1
        self.reasons[reason] += 1
        if len(self.refused) < MAX_LISTED:
            self.refused.append({"entry_id": entry_id, "reason": reason})

    def conflict(self, note_id: str) -> None:
        self.conflict_count += 1
        if len(self.conflicts) < MAX_LISTED:
            self.conflicts.append(note_id)

    def counts(self) -> str:
        """One line: created, updated, unchanged, retired, conflicts, refused."""
        return (
            f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.retired} retired, {self.conflict_count} conflicts, "
            f"{self.refused_count} refused"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "dry_run": self.dry_run,
            "complete": self.complete,
            "batches": self.batches,
            "counts": {
                "created": self.created,
                "updated": self.updated,
                "unchanged": self.unchanged,
                "retired": self.retired,
                "conflicts": self.conflict_count,
                "refused": self.refused_count,
            },
            "conflicts": self.conflicts,
            "refused": self.refused,
            "refusal_reasons": dict(self.reasons.most_common()),
        }
