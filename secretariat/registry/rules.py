"""The rules a status or a term of office must obey, checked before every save.

Model.clean() delegates here, so the admin, the services, the API and the
dataset loader all refuse the same things with the same messages.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from secretariat.core.partial_dates import PartialDate, certainly_overlap

from .models import Chairmanship, SecretariatHead, Status


def check_span(start: PartialDate | None, end: PartialDate | None) -> None:
    """An end must come after the start (windows compared conservatively)."""
    if start is None:
        raise ValidationError({"start": "A start date is required."})
    if end is not None and end.latest <= start.earliest:
        raise ValidationError({"end": f"The end ({end}) must come after the start ({start})."})


def check_actor(actor) -> None:
    """A state has ISO codes; an organization has none; existence runs forward."""
    if actor.kind == actor.Kind.STATE and not actor.iso2:
        raise ValidationError({"iso2": "A state needs its ISO 3166-1 alpha-2 code."})
    if actor.kind == actor.Kind.ORGANIZATION and (actor.iso2 or actor.iso3):
        raise ValidationError({"iso2": "An organization has no ISO 3166 country code."})
    if actor.exists_from and actor.exists_until:
        check_span(actor.exists_from, actor.exists_until)


def check_status(status) -> None:

    check_span(status.start, status.end)
    actor = status.actor if status.actor_id else None
    if actor is None:
        return
    if actor.exists_from and status.start.latest < actor.exists_from.earliest:
        raise ValidationError(
            {
                "start": f"{actor} did not exist on {status.start} "
                f"(it exists from {actor.exists_from})."
            }
        )
    if actor.exists_until and status.start.earliest >= actor.exists_until.latest:
        raise ValidationError(
            {
                "start": f"{actor} no longer existed on {status.start} "
                f"(it ceased on {actor.exists_until})."
            }
        )
    if status.kind == Status.Kind.APPLICANT:
        if not status.applied_for or status.applied_for == Status.Kind.APPLICANT:
            raise ValidationError({"applied_for": "Say which status the applicant applied for."})
        if not status.outcome:
            raise ValidationError({"outcome": "Give the application's outcome (or pending)."})
    elif status.applied_for or status.outcome:
        raise ValidationError("Only an applicant has 'applied for' and an outcome.")
    if status.kind == Status.Kind.MEMBER and actor.kind != actor.Kind.STATE:
        raise ValidationError({"kind": f"{actor} is not a state and cannot be a Member State."})
    others = Status.objects.filter(actor_id=actor.pk, kind=status.kind).exclude(pk=status.pk)
    for other in others:
        if certainly_overlap(status.start, status.end, other.start, other.end):
            until = f" until {other.end}" if other.end else ""
            raise ValidationError(
                f"{actor} already holds the status {other.get_kind_display()} "
                f"from {other.start}{until}, which overlaps this one."
            )


def check_chairmanship(chair) -> None:

    check_span(chair.start, chair.end)
    if chair.actor_id and chair.actor.kind != chair.actor.Kind.STATE:
        raise ValidationError({"actor": "Only a state can chair."})
    for other in Chairmanship.objects.exclude(pk=chair.pk).select_related("actor"):
        if certainly_overlap(chair.start, chair.end, other.start, other.end):
            raise ValidationError(
                f"The term overlaps the chairmanship of {other.actor} from {other.start}"
                + (f" to {other.end}." if other.end else ".")
            )


def check_head(head) -> None:

    check_span(head.start, head.end)
    for other in SecretariatHead.objects.exclude(pk=head.pk).select_related("person"):
        if certainly_overlap(head.start, head.end, other.start, other.end):
            raise ValidationError(
                f"The term overlaps that of {other.person} from {other.start}"
                + (f" to {other.end}." if other.end else ".")
            )
