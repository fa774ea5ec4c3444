"""Admin for documents: every write goes through the documents services and rules.

Forms run the same rule functions as the services (`rules`, `lifecycle`, `uploads`),
so a refusal shows on the form with the services' words instead of failing on
save. Versions are made by `version_create`, texts by `text_upload`, feedback by
`feedback_add`; texts and feedback are never edited, and nothing is deleted.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models, transaction

from secretariat.checklists.admin import NextStepInline
from secretariat.records.admin import (
    RefusalOnFormMixin,
    ServiceAdmin,
    ServiceInline,
    SourcedAdmin,
)
from secretariat.records.forms import RecordForm, record_form
from secretariat.records.services import validated_save

from . import rules, services, uploads
from .models import (
    Document,
    DocumentEvent,
    DocumentRelation,
    DocumentText,
    DocumentVersion,
    Feedback,
    OfficialText,
    TextSearch,
)


class RuleForm(RecordForm):
    """A record form that also runs a documents rule on the instance it would save."""

    def rule(self, instance) -> None:  # overridden per model
        pass

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        try:
            self.rule(self.instance)
        except ValidationError as exc:
            self._update_errors(exc)


def _adopt(obj, saved) -> None:
    """Make the admin's unsaved `obj` the row a service saved (the admin goes on with it)."""
    obj.__dict__.update({k: v for k, v in saved.__dict__.items() if k != "_state"})
    obj._state.adding, obj._state.db = False, saved._state.db


def _saved_through(formset) -> None:
    """A formset saved by services, not formset.save(): start the lists the change log reads."""
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


class RuleAdminMixin:
    """Builds the form from `rule_form` (a RuleForm subclass) with the partial dates."""

    rule_form: type[RuleForm] = RuleForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form = record_form(self.partial_dates, base=self.rule_form)


# --- Documents -------------------------------------------------------------------------


class DocumentForm(RuleForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("symbol", "key"):
            if name in self.fields:
                self.fields[name].required = False
                self.fields[name].help_text += " Leave empty to make it from the pattern."

    def rule(self, instance):
        if instance.pk is not None:
            before = Document.objects.get(pk=instance.pk)
            rules.check_type_change(before, instance.type)


class VersionForm(RuleForm):
    def rule(self, instance):
        if instance.pk is not None and self.has_changed():
            rules.check_version_open(DocumentVersion.objects.get(pk=instance.pk))


class VersionInline(RuleAdminMixin, ServiceInline):
    model = DocumentVersion
    rule_form = VersionForm
    fields = ["number", "date", "note"]
    readonly_fields = ["number"]
    partial_dates = {"date": False}
    can_delete = False


class RelationInline(ServiceInline):
    model = DocumentRelation
    fk_name = "from_document"
    fields = ["kind", "to_document", "note", "editorial_note"]
    autocomplete_fields = ["to_document"]


class EventInline(admin.TabularInline):
    """The lifecycle, read only here: events are entered on their own page, with sources."""

    model = DocumentEvent
    fields = ["kind", "date", "version", "meeting", "actor", "deadline"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Document)
class DocumentAdmin(RuleAdminMixin, SourcedAdmin):
    rule_form = DocumentForm
    list_display = ["symbol", "title_en", "type", "access", "body"]
    list_filter = ["type", "access", "body"]
    search_fields = ["symbol", "key", "title_en", "title_ru"]
    autocomplete_fields = ["body", "meeting"]
    list_select_related = ["body"]
    inlines = [
        VersionInline,
        RelationInline,
        EventInline,
        NextStepInline,
        *SourcedAdmin.inlines,
    ]

    def get_readonly_fields(self, request, obj=None):
        # A document's identifiers never change.
        return ["symbol", "key"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        if not change:
            services.document_identify(obj)  # the symbol and key document_create would make
            validated_save(obj)  # its sources come with the citations inline
            return
        changes = {name: getattr(obj, name) for name in services.EDITABLE}
        services.document_update(document=Document.objects.get(pk=obj.pk), **changes)

    def save_formset(self, request, form, formset, change):
        if formset.model is not DocumentVersion:
            return super().save_formset(request, form, formset, change)
        _saved_through(formset)
        for version_form in formset.forms:
            if not version_form.has_changed():
                continue
            date, note = version_form.cleaned_data.get("date"), version_form.cleaned_data["note"]
            if version_form.instance.pk is None:
                made = services.version_create(document=form.instance, date=date, note=note)
                formset.new_objects.append(made)
            else:
                version = DocumentVersion.objects.get(pk=version_form.instance.pk)
                services.version_update(version=version, date=date, note=note)
                formset.changed_objects.append((version, version_form.changed_data))


# --- Versions and texts ----------------------------------------------------------------


class TextForm(forms.ModelForm):
    """A new text: a language and a file, checked as text_upload will check them."""

    language = forms.ChoiceField(choices=settings.LANGUAGES)
    file = forms.FileField(help_text="PDF, DOCX, ODT, HTML or plain text, by its content.")

    class Meta:
        model = DocumentText
        fields = ["version", "language", "file"]

    def clean(self):
        cleaned = super().clean()
        upload, language = cleaned.get("file"), cleaned.get("language")
        version = cleaned.get("version") or self.instance_version()
        if upload is not None:
            try:
                uploads.inspect(uploads.read_upload(upload), name=upload.name)
            except ValidationError as exc:
                self.add_error("file", exc.messages)
        if version is not None and language:
            try:
                if version.pk is None:  # added on this form: open, and without texts yet
                    rules.check_language(language)
                else:
                    rules.check_new_text(version, language)
            except ValidationError as exc:
                self.add_error("language" if hasattr(exc, "error_dict") else None, exc.messages)
        return cleaned

    def instance_version(self):
        return self.instance.version if self.instance.version_id else None

    def _post_clean(self):
        pass  # text_upload fills and validates the row


class TextInline(admin.TabularInline):
    """A version's texts: new ones are uploaded here; a text is never changed."""

    model = DocumentText
    form = TextForm
    fields = ["language", "file", "media_type", "size", "sha256"]
    readonly_fields = ["media_type", "size", "sha256"]
    extra = 0
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DocumentVersion)
class DocumentVersionAdmin(RuleAdminMixin, ServiceAdmin):
    rule_form = VersionForm
    list_display = ["__str__", "number", "date_date", "note"]
    search_fields = ["document__symbol", "document__title_en"]
    autocomplete_fields = ["document"]
    partial_dates = {"date": False}
    fields = ["document", "number", "date", "note"]
    readonly_fields = ["number"]
    inlines = [TextInline]
    list_select_related = ["document"]

    def get_readonly_fields(self, request, obj=None):
        return ["number", "document"] if obj is not None else ["number"]

    def save_model(self, request, obj, form, change):
        if change:
            version = DocumentVersion.objects.get(pk=obj.pk)
            services.version_update(version=version, date=obj.date, note=obj.note)
        else:
            saved = services.version_create(document=obj.document, date=obj.date, note=obj.note)
            _adopt(obj, saved)

    def save_formset(self, request, form, formset, change):
        _saved_through(formset)
        try:
            for text_form in formset.forms:
                if text_form.instance.pk is None and text_form.has_changed():
                    text = services.text_upload(
                        version=form.instance,
                        language=text_form.cleaned_data["language"],
                        uploaded_file=text_form.cleaned_data["file"],
                    )
                    formset.new_objects.append(text)
        except BaseException:
            # The admin's transaction rolls back the texts saved before; take their files too.
            for text in formset.new_objects:
                text.file.storage.delete(text.file.name)
            raise

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DocumentText)
class DocumentTextAdmin(RefusalOnFormMixin, admin.ModelAdmin):
    """Texts are uploaded (through text_upload) and then only read."""

    form = TextForm
    list_display = ["__str__", "media_type", "size", "created_at"]
    list_filter = ["language", "media_type"]
    search_fields = ["version__document__symbol", "text"]
    autocomplete_fields = ["version"]
    list_select_related = ["version__document"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["version", "language", "file"]
        return ["version", "language", "file", "media_type", "size", "sha256", "text"]

    def save_model(self, request, obj, form, change):
        saved = services.text_upload(
            version=form.cleaned_data["version"],
            language=form.cleaned_data["language"],
            uploaded_file=form.cleaned_data["file"],
        )
        _adopt(obj, saved)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- Lifecycle, relations, feedback ----------------------------------------------------


class EventForm(RuleForm):
    def rule(self, instance):
        if instance.document_id:
            rules.check_event(instance)


@admin.register(DocumentEvent)
class DocumentEventAdmin(RuleAdminMixin, SourcedAdmin):
    """A lifecycle event; the form refuses what `lifecycle` refuses, with its reason."""

    rule_form = EventForm
    list_display = ["document", "kind", "date_date", "meeting", "deadline"]
    list_filter = ["kind"]
    search_fields = ["document__symbol", "document__title_en"]
    autocomplete_fields = ["document", "version", "body", "meeting", "actor", "recipients"]
    partial_dates = {"date": True}
    list_select_related = ["document", "meeting"]

    def has_delete_permission(self, request, obj=None):
        return False

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        # As document_event_upsert does: judged under the document's lock.
        Document.objects.select_for_update().filter(pk=obj.document_id).first()
        rules.check_event(obj)
        validated_save(obj)


class RelationForm(RuleForm):
    def rule(self, instance):
        if instance.from_document_id and instance.from_document_id == instance.to_document_id:
            raise ValidationError({"to_document": "A document cannot relate to itself."})


@admin.register(DocumentRelation)
class DocumentRelationAdmin(RuleAdminMixin, SourcedAdmin):
    rule_form = RelationForm
    list_display = ["from_document", "kind", "to_document"]
    list_filter = ["kind"]
    autocomplete_fields = ["from_document", "to_document"]
    list_select_related = ["from_document", "to_document"]


class FeedbackForm(forms.ModelForm):
    class Meta:
        model = Feedback
        fields = ["circulation", "actor", "received_on", "text", "file"]

    def clean(self):
        cleaned = super().clean()
        circulation, actor = cleaned.get("circulation"), cleaned.get("actor")
        if circulation is None or actor is None or cleaned.get("received_on") is None:
            return cleaned
        upload = cleaned.get("file")
        try:
            rules.check_feedback(
                circulation=circulation, actor=actor, received_on=cleaned["received_on"],
                text=cleaned.get("text"), file=upload,
            )  # fmt: skip
            if upload:
                uploads.inspect(uploads.read_upload(upload), name=upload.name)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None
        return cleaned


@admin.register(Feedback)
class FeedbackAdmin(RefusalOnFormMixin, admin.ModelAdmin):
    """A state's feedback, entered through feedback_add and never changed after."""

    form = FeedbackForm
    list_display = ["actor", "circulation", "received_on", "entered_by"]
    list_filter = ["received_on"]
    autocomplete_fields = ["circulation", "actor"]
    readonly_fields = ["entered_by"]
    list_select_related = ["actor", "circulation__document"]

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = services.feedback_add(
            circulation=data["circulation"], actor=data["actor"],
            received_on=data["received_on"], text=data.get("text") or "",
            file=data.get("file") or None, entered_by=request.user,
        )  # fmt: skip
        _adopt(obj, saved)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- Official texts published elsewhere ------------------------------------------------


@admin.register(OfficialText)
class OfficialTextAdmin(SourcedAdmin):
    """Where a document's official text is published; recording one ends the finding that
    none was (services.text_search_end)."""

    list_display = ["document", "language", "url", "found_on"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_filter = ["language"]
    search_fields = ["document__symbol", "document__key", "url"]
    autocomplete_fields = ["document"]
    list_select_related = ["document"]

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            validated_save(obj)
            services.text_search_end(document=obj.document)


class TextSearchForm(RuleForm):
    def rule(self, instance):
        if instance.document_id:
            rules.check_no_official_text(instance.document)


@admin.register(TextSearch)
class TextSearchAdmin(RuleAdminMixin, SourcedAdmin):
    """That no published official text of a document was found: when, and where."""

    rule_form = TextSearchForm
    list_display = ["document", "searched_on"]
    search_fields = ["document__symbol", "document__key"]
    autocomplete_fields = ["document"]
    list_select_related = ["document"]
