"""The kinds of record officers keep, found from the admin: what the records API serves.

Every model the admin edits with a ServiceAdmin (saved through records.services) is a
kind. Its fields are the ones the admin's form edits, as an officer gets that form;
what each operation does is what the admin does (`save_model`, `save_related`,
`delete_model`, `has_delete_permission`), so the API and the admin stay one door
with two handles. Nothing here is a hand list: a new ServiceAdmin is a new kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.utils.text import slugify

from secretariat.core.models import Sourced, TimeStamped, is_versioned

from .admin import ServiceAdmin

# Fields the API adds to a kind's own: they must not be a model's field name ("version"
# only where it is the edit version: a document event's names a document version).
RESERVED = frozenset({"id", "sources", "reason", "created_at", "updated_at"})
# Fields only the Secretariat reads: for everyone else the API answers them as null.
OFFICERS_ONLY = frozenset({"editorial_note"})


class _AnyOfficer:
    """Stands for any officer when asking the admin what its form holds: the form's shape
    is the same for everyone; who may write is the policy's call, made in the services."""

    is_active = is_staff = is_authenticated = True
    is_superuser = False
    is_anonymous = False
    pk = None

    def has_perm(self, perm, obj=None) -> bool:
        return True

    def has_perms(self, perms, obj=None) -> bool:
        return True

    def has_module_perms(self, app_label) -> bool:
        return True


def officer_view() -> HttpRequest:
    """A request for asking the admin about its forms (never used to save anything)."""
    request = HttpRequest()
    request.user = _AnyOfficer()
    return request


@dataclass(frozen=True)
class RecordKind:
    """One kind of record: its model, its admin and the API's view of its fields."""

    model: type[models.Model]
    admin: admin.ModelAdmin
    slug: str  # in paths: "document-event"
    create_fields: tuple[str, ...]  # API names: model fields and partial dates
    update_fields: tuple[str, ...]
    shown_fields: tuple[str, ...]
    required: frozenset[str]  # on create
    partial_dates: frozenset[str]
    deletable: bool

    @property
    def app(self) -> str:
        return self.model._meta.app_label

    @property
    def path(self) -> str:
        return f"/records/{self.app}/{self.slug}"

    @property
    def param(self) -> str:
        """The id's name in the path, e.g. "document_event_id": one name per kind, so a
        route's parameter says what it names."""
        return f"{self.slug.replace('-', '_')}_id"

    @property
    def name(self) -> str:
        return str(self.model._meta.verbose_name)

    @property
    def plural(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    @property
    def versioned(self) -> bool:
        return is_versioned(self.model)

    @property
    def sourced(self) -> bool:
        return issubclass(self.model, Sourced)

    @property
    def timestamped(self) -> bool:
        return issubclass(self.model, TimeStamped)

    def field(self, name: str) -> models.Field | None:
        """The model field behind an API name (None for a partial date)."""
        return None if name in self.partial_dates else self.model._meta.get_field(name)

    def m2m(self) -> list[str]:
        return [n for n in self.shown_fields if n not in self.partial_dates
                and self.model._meta.get_field(n).many_to_many]  # fmt: skip


def _model_names(model: type[models.Model], names) -> list[str]:
    """The names that are model fields (or partial dates), in the form's order."""
    own = {f.name for f in model._meta.get_fields()}
    partial = set(getattr(admin.site._registry[model], "partial_dates", {}))
    return [n for n in names if n in own or n in partial]


def _has_default(model: type[models.Model], name: str) -> bool:
    field = next((f for f in model._meta.get_fields() if f.name == name), None)
    return field is not None and getattr(field, "has_default", lambda: False)()


def _kind(model: type[models.Model], model_admin: ServiceAdmin) -> RecordKind:
    probe = officer_view()
    blank = model()
    partial = frozenset(model_admin.partial_dates)

    def editable(obj) -> list[str]:
        readonly = set(model_admin.get_readonly_fields(probe, obj))
        names = model_admin.get_fields(probe, obj)
        return _model_names(model, [n for n in names if n not in readonly])

    create, update = editable(None), editable(blank)
    readonly = _model_names(model, model_admin.get_readonly_fields(probe, blank))
    shown = list(dict.fromkeys([*create, *update, *readonly]))
    clash = (RESERVED | ({"version"} if is_versioned(model) else set())) & set(shown)
    assert not clash, f"{model._meta.label}: fields {clash} clash with the records API's own"
    # Required on create as the admin's form says (a form may relax the model, e.g.
    # a document's symbol, made from the pattern when left out), unless the model has a
    # default to fill in.
    form = model_admin.get_form(probe, None, change=False)(instance=model())
    required = frozenset(
        n for n in create
        if n in form.fields and form.fields[n].required and not _has_default(model, n)
    )  # fmt: skip
    return RecordKind(
        model=model,
        admin=model_admin,
        slug=slugify(str(model._meta.verbose_name)),
        create_fields=tuple(create),
        update_fields=tuple(update),
        shown_fields=tuple(shown),
        required=required,
        partial_dates=partial,
        deletable=model_admin.has_delete_permission(probe),
    )


@cache
def kinds() -> tuple[RecordKind, ...]:
    """Every kind, by app and name (needs the admin loaded: call after apps are ready)."""
    found = [
        _kind(model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, ServiceAdmin)
    ]
    found.sort(key=lambda k: (k.app, k.slug))
    paths = [k.path for k in found]
    assert len(paths) == len(set(paths)), f"two kinds share a path: {paths}"
    return tuple(found)
