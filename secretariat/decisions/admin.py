"""Admin for procedures: opened and decisions recorded through the services.

A procedure's terms are fixed once it is open. Positions are recorded by the states'
delegates alone (accounts.policy.DELEGATES_ONLY), never by officers, and never edited
or deleted: the change page shows them read-only, beside who sees them (editable)
and, for a decision at a meeting, the moment the decision was taken.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import ValidationError
from django.utils import timezone

from secretariat.core.models import Source
from secretariat.records.services import record_delete

from . import rules, selectors, services
from .models import Position, Procedure

TERMS = ["version", "body", "kind", "meeting", "opened_at", "deadline"]
VISIBILITY = "positions_visibility"
SHOWN = ["note", "sources_on_record", "outcome_now", "participation", "closing_on_record"]


class ProcedureForm(forms.ModelForm):
    sources = forms.ModelMultipleChoiceField(
        queryset=Source.objects.all(),
        required=False,
        widget=admin.widgets.FilteredSelectMultiple("sources", is_stacked=False),
        help_text="Where the procedure is recorded (at least one).",
    )
    decided_at = forms.SplitDateTimeField(
        required=False,
        widget=AdminSplitDateTime,
        label="Decision taken at",
        help_text="Record the meeting's decision: adopted unless an eligible state's "
        "objection stands at that moment.",
    )

    class Meta:
        model = Procedure
        fields = [*TERMS, VISIBILITY, "note"]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None and not cleaned.get("sources"):
            self.add_error("sources", "Every record needs at least one source.")
        return cleaned

    def clean_decided_at(self):
        value = self.cleaned_data.get("decided_at")
        if value is not None and self.instance.pk is not None:
            try:
                rules.check_decision(self.instance, value, now=timezone.now())
            except ValidationError as exc:
                raise ValidationError(exc.messages) from None
        return value


class PositionsOnRecord(admin.TabularInline):
    """The positions stated so far: read-only, never deleted."""

    model = Position
    verbose_name_plural = "positions on record (in the order stated)"
    fields = ["actor", "kind", "stated_at", "statement", "entered_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor", "entered_by")


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    form = ProcedureForm
    list_display = ["__str__", "body", "kind", "opened_at", "deadline", "closing_outcome"]
    list_filter = ["kind", "body"]
    list_select_related = ["version__document", "body", "closing"]
    search_fields = ["version__document__symbol", "version__document__title_en"]
    date_hierarchy = "opened_at"
    raw_id_fields = ["version"]
    autocomplete_fields = ["body", "meeting"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return [*TERMS, VISIBILITY, "note", "sources"]
        fields = [*TERMS, VISIBILITY, *SHOWN]
        if obj.kind == Procedure.Kind.MEETING and selectors.closing_of(obj) is None:
            fields.append("decided_at")
        return fields

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [*TERMS, *SHOWN]

    def get_inlines(self, request, obj):
        return [] if obj is None else [PositionsOnRecord]

    def has_delete_permission(self, request, obj=None):
        # A procedure with positions or a close is part of the record.
        if obj is not None and (obj.positions.exists() or selectors.closing_of(obj)):
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:  # the terms are read-only; who sees the positions may change
            if VISIBILITY in form.changed_data:
                services.procedure_visibility_set(procedure=obj, visibility=data[VISIBILITY])
            return
        procedure = services.procedure_open(
            **{name: data.get(name) for name in TERMS},
            positions_visibility=data[VISIBILITY],
            note=data.get("note", ""),
            sources=data["sources"],
        )
        obj.pk = procedure.pk
        obj._state.adding = False
        obj._state.db = procedure._state.db

    def save_related(self, request, form, formsets, change):
        for formset in formsets:
            self.save_formset(request, form, formset, change)
        decided_at = form.cleaned_data.get("decided_at")
        if change and decided_at:
            closed = services.procedure_decide(procedure=form.instance, decided_at=decided_at)
            self.message_user(request, _closed_message(closed), messages.SUCCESS)

    def save_formset(self, request, form, formset, change):
        # Positions on record are shown, never changed, and none is added here (only a
        # state's delegates record its positions): nothing to save, nothing to note.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def delete_model(self, request, obj):
        record_delete(obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            record_delete(obj)

    @admin.display(description="closed")
    def closing_outcome(self, obj):
        closing = selectors.closing_of(obj)
        return f"{closing.outcome} ({rules.when(closing.closed_at)})" if closing else "-"

    @admin.display(description="sources")
    def sources_on_record(self, obj):
        return "; ".join(c.source.title for c in obj.citations.select_related("source")) or "-"

    @admin.display(description="outcome now")
    def outcome_now(self, obj):
        verdict = selectors.procedure_state(obj).verdict
        text = f"{verdict.state} since {rules.when(verdict.since)}"
        if verdict.broken_by is not None:
            text += f"; silence broken by {verdict.broken_by.ref.actor}"
            if verdict.withdrawn_at:
                text += f" (objection withdrawn at {rules.when(verdict.withdrawn_at)}: "
                text += "silence stays broken)"
        if verdict.blocked_by:
            text += "; blocked by " + ", ".join(str(s.ref.actor) for s in verdict.blocked_by)
        return text

    @admin.display(description="who takes part")
    def participation(self, obj):
        state = selectors.procedure_state(obj)
        elig = state.eligibility

        def names(actors):
            return ", ".join(a.name_en for a in actors) or "none"

        return (
            f"Eligible (members on {elig.day}): {names(elig.eligible)}. "
            f"Membership uncertain, cannot block: {names(elig.uncertain)}. "
            f"Pending: {names(state.pending)}."
        )

    @admin.display(description="closing on record")
    def closing_on_record(self, obj):
        closing = selectors.closing_of(obj)
        if closing is None:
            return "-"
        text = f"{closing.outcome} at {rules.when(closing.closed_at)}"
        if closing.adoption_refused:
            text += f"; the document's lifecycle refused the adoption: {closing.adoption_refused}"
        elif closing.event_id:
            text += "; the document's adopted event was written"
        return text


def _closed_message(closed: services.Closed) -> str:
    text = f"The decision is recorded: {closed.outcome} at {rules.when(closed.closed_at)}."
    if closed.refusal:
        text += f" The document's lifecycle refused the adoption: {closed.refusal}"
    return text
