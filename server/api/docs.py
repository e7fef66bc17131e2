"""Describing operations for the OpenAPI document, next to the views themselves.

``@operation(...)`` records what a view takes and returns (pydantic models); the document is
built from those records and from Flask's URL map, so there is no second, hand-written copy.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal, TypeVar

from pydantic import BaseModel

F = TypeVar("F", bound=Callable[..., object])
Auth = Literal["none", "optional", "curator", "admin"]


@dataclass(frozen=True)
class Operation:
    summary: str
    description: str = ""
    body: type[BaseModel] | None = None
    body_types: tuple[str, ...] = ("application/json",)
    query: type[BaseModel] | None = None
    responses: Mapping[int, type[BaseModel] | None] = field(default_factory=lambda: {200: None})
    errors: tuple[int, ...] = ()
    auth: Auth = "none"
    headers: Mapping[str, str] = field(default_factory=dict)
    tag: str = ""


def operation(**kwargs: object) -> Callable[[F], F]:
    """Attach an ``Operation`` to a view function for the OpenAPI document."""
    op = Operation(**kwargs)  # type: ignore[arg-type]

    def decorate(view: F) -> F:
        view.gloss_operation = op  # type: ignore[attr-defined]
        return view

    return decorate
