"""Form pieces for the officers' pages: naming sources, naming records by their keys,
and the site's own edit form of any record the admin keeps.

The site's forms are plain server-rendered forms (they work without JavaScript); they
check what the services check and save through them.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.forms.models import modelform_factory
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from secretariat.core.models import Source
from secretariat.records.forms import PartialDateField
from secretariat.records.services import source_upsert

# How many sources the page offers to pick from (the most recent first); any other is
# named by its key.
SOURCE_CHOICES = 300
# A related record list longer than this is named by key in a text box, not a menu.
MENU_LIMIT = 300


class SourcesFields(forms.Form):
    """Where a fact comes from: sources already on record (by key), and/or a new one.

    `sources_required` is False where the write is an act of the Secretariat in the
    system, which is its own source (audit.acts); a historical fact needs one.
    """

    sources_required = True

    source_keys = forms.CharField(
        label=_("Sources on record"),
        required=False,
        max_length=2000,
        help_text=_("Keys of sources already on record, separated by commas."),
        widget=forms.TextInput(attrs={"list": "source-keys", "autocomplete": "off"}),
    )
    source_title = forms.CharField(label=_("New source: title"), required=False, max_length=500)
    source_url = forms.URLField(
        label=_("New source: address"), required=False, max_length=1000, assume_scheme="https"
    )
    source_publisher = forms.CharField(
        label=_("New source: publisher"), required=False, max_length=300
    )
    source_published = PartialDateField(label=_("New source: published"), required=False)

    def clean(self):
        cleaned = super().clean()
        keys = [k.strip() for k in (cleaned.get("source_keys") or "").split(",") if k.strip()]
        found = {s.key: s for s in Source.objects.filter(key__in=keys)}
        unknown = [k for k in keys if k not in found]
        if unknown:
            self.add_error(
                "source_keys",
                _("No source on record has the key %(keys)s.") % {"keys": ", ".join(unknown)},
            )
        self._existing = [found[k] for k in dict.fromkeys(keys) if k in found]
        described = any(cleaned.get(f"source_{n}") for n in ("url", "publisher", "published"))
        if described and not cleaned.get("source_title"):
            self.add_error("source_title", _("Give the new source its title."))
        if self.sources_required and not keys and not cleaned.get("source_title"):
            self.add_error(
                "source_keys",
                _("Name where this comes from: a source on record, or a new one below."),
            )
        return cleaned

    def sources(self) -> list[Source]:
        """The sources named, the new one made now (call inside the write's transaction)."""
        chosen = list(getattr(self, "_existing", []))
        title = self.cleaned_data.get("source_title")
        if title:
            chosen.append(self._new_source(title))
        return chosen

    def _new_source(self, title: str) -> Source:
        data = self.cleaned_data
        base = slugify(title)[:100].strip("-") or "source"
        key, n = base, 1
        while Source.objects.filter(key=key).exists():
            n += 1
            key = f"{base}-{n}"
        source, _ = source_upsert(
            key=key, title=title, url=data.get("source_url") or "",
            publisher=data.get("source_publisher") or "", published=data.get("source_published"),
        )  # fmt: skip
        return source

    def source_options(self) -> list[Source]:
        """Sources to pick from in the key box's list (a datalist: any key may be typed)."""
        external = Source.objects.filter(target_type__isnull=True)
        return list(external.order_by("-id")[:SOURCE_CHOICES])


def natural_key(model: type[models.Model]) -> str | None:
    """The unique field by which people name a record of this model, if it has one."""
    for name in ("key", "slug", "symbol"):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if field.unique:
            return name
    return None


class KeysInput(forms.TextInput):
    """Several records named by key, comma-separated, in one text box."""

    def format_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(str(v) for v in value)
        return super().format_value(value)

    def value_from_datadict(self, data, files, name):
        raw = data.get(name, "")
        if isinstance(raw, list | tuple):
            return raw
        return [part.strip() for part in raw.split(",") if part.strip()]


def _site_formfield(db_field: models.Field, **kwargs):
    """A plain widget for each field: a menu for short lists of records, a key box for long
    ones (thousands of meetings or documents), so the page stays light at any size."""
    if db_field.is_relation and not db_field.auto_created:
        related = db_field.related_model
        key = natural_key(related)
        if key is not None and related._default_manager.count() > MENU_LIMIT:
            help_text = _("Named by its key (%(field)s).") % {"field": key}
            if db_field.many_to_many:
                return forms.ModelMultipleChoiceField(
                    queryset=related._default_manager.all(), to_field_name=key,
                    required=not db_field.blank, label=db_field.verbose_name.capitalize(),
                    widget=KeysInput, help_text=help_text,
                )  # fmt: skip
            return forms.ModelChoiceField(
                queryset=related._default_manager.all(), to_field_name=key,
                required=not db_field.blank, label=db_field.verbose_name.capitalize(),
                widget=forms.TextInput, help_text=help_text,
            )  # fmt: skip
    return db_field.formfield(**kwargs)


def site_form(kind, *, with_sources: bool = True) -> type[forms.ModelForm]:
    """The site's edit form for a kind of record (records.kinds): the fields the admin
    lets an officer change, with the admin's own checks (its form class), plain widgets,
    and a source to add."""
    base = kind.admin.form
    bases = (SourcesFields, base) if with_sources else (base,)
    combined = type("SiteRecordForm", bases, {"sources_required": False})
    return modelform_factory(
        kind.model,
        form=combined,
        fields=list(kind.update_fields),
        formfield_callback=_site_formfield,
    )
