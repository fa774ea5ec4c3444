"""Reported figures on pages."""

from __future__ import annotations

from typing import Any

from .answers import ReportedFigureOut


def page_items(items) -> list[dict[str, Any]]:
    """The figures for a page: their answers with the figure itself as "record" (for its
    sources and, for officers, its editorial note); never for the API or exports."""
    return [{**ReportedFigureOut.build(c), "record": c.figure} for c in items]
