"""The initiatives' answers under the names the other apps still call (until they build
their own answers with core.answers too)."""

from __future__ import annotations

from typing import Any

from . import selectors
from .answers import InitiativeOut


def initiative_dict(item: selectors.InitiativeAt) -> dict[str, Any]:
    return InitiativeOut.build(item)
