"""The bodies' answers under the names the other apps still call (until they build their
own answers with core.answers too)."""

from __future__ import annotations

from typing import Any

from .answers import BodyOut, BodyRef
from .selectors import BodyAt


def body_ref(body) -> dict[str, Any]:
    return BodyRef.build(body)


def body_dict(item: BodyAt) -> dict[str, Any]:
    return BodyOut.build(item)
