"""The one table of allowed moves: an initiative's status pipeline, a partnership's stages.

History may start at any stage (a record often begins with "adopted"); after that,
each event must be an allowed move from the one before it, in date order.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from django.core.exceptions import ValidationError

# Initiative statuses, in pipeline order.
STATUSES = (
    "proposed",
    "under_discussion",
    "concept_circulated",
    "draft_agreed",
    "adopted",
    "established",
    "closed",
    "dropped",
)
_OPEN = {"under_discussion", "concept_circulated", "draft_agreed", "adopted", "established"}
ALLOWED: dict[str, set[str]] = {
    "proposed": _OPEN | {"proposed", "dropped"},
    "under_discussion": _OPEN | {"dropped"},
    "concept_circulated": _OPEN | {"dropped"},
    "draft_agreed": {"under_discussion", "draft_agreed", "adopted", "established", "dropped"},
    "adopted": {"established", "closed", "dropped"},
    "established": {"closed"},
    # Only a re-proposal follows an end.
    "closed": {"proposed"},
    "dropped": {"proposed"},
}

# Partnership stages, in the order they usually come.
STAGES = (
    "contacts",
    "partnership_approved",
    "mou_under_consideration",
    "mou_approved",
    "mou_signed",
    "partner",
    "dialogue",
    "suspended",
    "ended",
)
STAGES_ALLOWED: dict[str, set[str]] = {
    **{stage: set(STAGES) for stage in STAGES},
    # An ended partnership starts again from contacts or an approval.
    "ended": {"contacts", "partnership_approved"},
}


def rank(kind: str, order: tuple[str, ...] = STATUSES) -> int:
    return order.index(kind) if kind in order else len(order)


def check_sequence(
    events: Iterable[tuple[object, str]],
    *,
    allowed: dict[str, set[str]] = ALLOWED,
    what: str = "an initiative",
) -> None:
    """Refuse a history of (sort key, kind) pairs with an impossible move, saying which."""
    ordered = sorted(events, key=lambda e: e[0])
    for (_, before), (_, after) in itertools.pairwise(ordered):
        if after not in allowed[before]:
            raise ValidationError(
                f"In {what}, '{after.replace('_', ' ')}' cannot follow "
                f"'{before.replace('_', ' ')}'.",
                code="transition",
            )
