"""Which records of a kind a user may read, and how each is shown: the policy's rule on
documents (accounts.policy.documents_q), carried to every record that rests on one.

A record that cannot be without a document (a document's event, a treaty, a road
map's cluster) is read only by those who may read that document: for the others it
does not exist. An optional link to a document they may not read is shown as null,
and such documents are left out of lists of links. A record that points at another
record generically (a next step's subject, a source standing for a record) is
hidden when that record would be.
"""

from __future__ import annotations

from functools import cache

from django.apps import apps
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import BooleanField, Case, Prefetch, Q, QuerySet, Value, When

from secretariat.accounts.policy import documents_q, is_secretariat
from secretariat.core.models import Citation
from secretariat.core.prefetch import CITED, citations_of

from .kinds import OFFICERS_ONLY, RecordKind


def _document_model() -> type[models.Model]:
    return apps.get_model("documents", "Document")


@cache
def document_paths(model: type[models.Model]) -> tuple[str, ...]:
    """Lookups from `model` to each document a row cannot be without ("" for a document
    itself, "version__document__" for a version's event)."""
    document = _document_model()
    if model is document:
        return ("",)
    paths: list[str] = []
    for field in model._meta.concrete_fields:
        target = field.related_model if field.is_relation else None
        if target is None or field.null or target is model:
            continue
        paths += [f"{field.name}__{path}" for path in document_paths(target)]
    return tuple(paths)


def readable_q(model: type[models.Model], user, prefix: str = "") -> Q:
    """Rows of `model` (reached through `prefix`) whose documents the user may read."""
    condition = Q()
    for path in document_paths(model):
        condition &= documents_q(user, prefix + path)
    return condition


@cache
def _resting_on_documents() -> tuple[type[models.Model], ...]:
    """Every model of ours whose rows cannot be without a document."""
    return tuple(
        m for m in apps.get_models()
        if m._meta.app_config.name.startswith("secretariat.") and document_paths(m)
    )  # fmt: skip


def _generic_hidden(model: type[models.Model], user) -> Q:
    """Rows pointing generically (GenericForeignKey) at a record the user may not read."""
    hidden = Q()
    links = [f for f in model._meta.get_fields() if isinstance(f, GenericForeignKey)]
    if not links or not documents_q(user):
        return hidden  # nothing to hide from this reader
    types = ContentType.objects.get_for_models(*_resting_on_documents())  # one query, cached
    for link in links:
        # Only the kinds of record pointed at (one small query), not every kind there is.
        pointed = model._base_manager.order_by().values_list(link.ct_field, flat=True)
        present = set(pointed.distinct())
        for target, ct in types.items():
            if ct.pk not in present:
                continue
            ids = target._base_manager.filter(readable_q(target, user)).values("pk")
            hidden |= Q(**{link.ct_field: ct.pk}) & ~Q(**{f"{link.fk_field}__in": ids})
    return hidden


def _optional_links(kind: RecordKind) -> list[models.Field]:
    """The record's nullable links to rows that rest on documents."""
    return [
        f for name in kind.shown_fields if (f := kind.field(name)) is not None
        and f.is_relation and not f.many_to_many and f.null and document_paths(f.related_model)
    ]  # fmt: skip


def visible(kind: RecordKind, user) -> QuerySet:
    """The kind's records the user may read, by id, with what showing them needs."""
    model = kind.model
    qs = model._default_manager.filter(readable_q(model, user)).order_by("pk")
    hidden = _generic_hidden(model, user)
    if hidden:
        qs = qs.exclude(hidden)
    for field in _optional_links(kind):
        readable = readable_q(field.related_model, user, prefix=f"{field.name}__")
        if readable:
            shown = Q(**{f"{field.name}__isnull": True}) | readable
            flag = Case(When(shown, then=Value(True)), default=Value(False),
                        output_field=BooleanField())  # fmt: skip
            qs = qs.annotate(**{_flag(field): flag})
    for name in kind.m2m():
        target = model._meta.get_field(name).related_model
        links = target._default_manager.filter(readable_q(target, user)).only("pk")
        qs = qs.prefetch_related(Prefetch(name, queryset=links))
    if kind.sourced:
        cited = Citation.objects.select_related("source").order_by("id")
        qs = qs.prefetch_related(Prefetch("citations", queryset=cited, to_attr=CITED))
    return qs


def _flag(field: models.Field) -> str:
    return f"records_shows_{field.name}"


def record_get(kind: RecordKind, pk: int, user) -> models.Model | None:
    """The record with this id if the user may read it (None: missing or not readable,
    told apart by no one)."""
    return visible(kind, user).filter(pk=pk).first()


def shows_editorial(user) -> bool:
    """Whether the user reads the fields only the Secretariat reads (OFFICERS_ONLY)."""
    return user is not None and is_secretariat(user)


def record_dict(kind: RecordKind, record: models.Model, *, officer: bool) -> dict:
    """The record as the API shows it (from a row of `visible`); the editorial note is
    null unless the reader is an `officer`."""
    data: dict = {"id": record.pk}
    if kind.versioned:
        data["version"] = record.version
    for name in kind.shown_fields:
        field = kind.field(name)
        if field is None:
            value = getattr(record, name)
            data[name] = value.isoformat() if value is not None else None
        elif field.many_to_many:
            data[name] = sorted(t.pk for t in getattr(record, name).all())
        elif field.is_relation:
            shown = getattr(record, _flag(field), True)
            data[name] = getattr(record, field.attname) if shown else None
        elif (field.choices and getattr(record, name) == "") or (
            name in OFFICERS_ONLY and not officer  # the Secretariat's only
        ):
            data[name] = None
        else:
            data[name] = getattr(record, name)
    if kind.sourced:
        data["sources"] = [c.source.key for c in citations_of(record)]
    if kind.timestamped:
        data["created_at"], data["updated_at"] = record.created_at, record.updated_at
    return data
