"""Reads about notices: a person's inbox, the bodies they may follow, a body's archive."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from secretariat.bodies.models import Body

from .models import Delivery, Follow, Notice

INBOX_PAGE = 50


def inbox(user, *, unread_only: bool = False) -> QuerySet[Delivery]:
    """The person's copies, newest first."""
    qs = Delivery.objects.filter(user=user).select_related("notice")
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def unread_count(user) -> int:
    return Delivery.objects.filter(user=user, read_at__isnull=True).count()


def delivery_get(user, delivery_id: int) -> Delivery | None:
    """One of the person's own copies (someone else's is not there, as far as they know)."""
    if not 0 < delivery_id < 2**63:
        return None
    return Delivery.objects.filter(user=user, pk=delivery_id).select_related("notice").first()


def follows_of(user) -> dict[int, str]:
    """body id -> mode, for the bodies the person chose a mode for."""
    return dict(Follow.objects.filter(user=user).values_list("body_id", "mode"))


def followable_bodies() -> list[Body]:
    return list(Body.objects.order_by("name_en"))


def archive(*, body: Body | None = None) -> QuerySet[Notice]:
    """The notices given out (of one body, or all), newest first, with how many were told
    and mailed."""
    qs = Notice.objects.select_related("body", "act", "content_type")
    if body is not None:
        qs = qs.filter(body=body)
    return qs.annotate(
        told=Count("deliveries"),
        mailed=Count("deliveries", filter=Q(deliveries__mailed_at__isnull=False)),
    ).order_by("-created_at", "-id")
