"""The trail: every write through the services leaves who, when, what and why; nothing
in the application edits or deletes it."""

import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.test import RequestFactory

from secretariat.audit.models import AuditEntry, TrailIsPermanent
from secretariat.core.acting import acting_as, because
from secretariat.records import services as core
from secretariat.registry import services as registry
from secretariat.registry.models import Status

pytestmark = pytest.mark.django_db


def history(record):
    return list(AuditEntry.objects.for_record(record).order_by("id"))


def test_a_creation_records_the_values_set_readably(build):
    """A new status: partial dates as "2021-06", links as ids, bookkeeping left out."""
    actor = build.actor("alpha")
    status = build.status(actor, "observer", "2021-06")
    created = history(status)[0]
    assert created.action == "create"
    assert created.version == 1
    assert created.changes["start"] == [None, "2021-06"]
    assert created.changes["actor"] == [None, actor.pk]
    assert created.changes["kind"] == [None, "observer"]
    assert not {"created_at", "updated_at", "version", "id", "start_date"} & created.changes.keys()
    assert (created.who, created.via) == ("system", "system")


def test_an_update_records_before_and_after_and_the_new_version(build):
    actor = build.actor("alpha")
    status = build.status(actor, "observer", "2021-06")
    registry.status_upsert(
        actor=actor, kind="observer", start="2021-06", end="2023", sources=[build.source]
    )
    update = history(status)[-1]
    assert update.action == "update"
    assert update.changes == {"end": [None, "2023"]}
    assert update.version == 2
    status.refresh_from_db()
    assert status.version == 2


def test_an_unchanged_save_writes_nothing(build):
    """Saving a row as it is stored makes no version and no entry."""
    actor = build.actor("alpha")
    before = AuditEntry.objects.count()
    core.validated_save(actor)
    actor.refresh_from_db()
    assert actor.version == 1 and AuditEntry.objects.count() == before


def test_sources_and_links_are_changes_of_their_record(build):
    """Citations are recorded as the record's "sources", many-to-many as the field."""
    actor = build.actor("alpha")
    other, _ = core.source_upsert(key="other-source", title="Other")
    core.citations_set(record=actor, sources=[build.source, other])
    assert history(actor)[-1].changes == {
        "sources": [["test-source"], ["test-source", "other-source"]]
    }
    core.citations_set(record=actor, sources=[other])
    assert history(actor)[-1].changes == {
        "sources": [["test-source", "other-source"], ["other-source"]]
    }
    body = build.body("council")
    core.links_set(record=body, field="initiated_by", targets=[actor])
    assert history(body)[-1].changes == {"initiated_by": [[], [actor.pk]]}


def test_variants_are_one_change_of_their_record(build):
    actor = build.actor("alpha")
    core.variants_set(
        record=actor,
        variants=[{"field": "name_en", "value": "Alfa", "sources": [build.source]}],
    )
    change = history(actor)[-1].changes
    assert change == {
        "variants": [
            [],
            [{"field": "name_en", "value": "Alfa", "note": "", "sources": ["test-source"]}],
        ]
    }


def test_who_how_and_why_come_from_the_acting_context(build, django_user_model):
    user = django_user_model.objects.create_superuser("root", "", "a-long-password-1")
    actor = build.actor("alpha")
    with acting_as(user, via="admin"), because("typo in the name"):
        registry.actor_upsert(
            slug="alpha", kind="state", name_en="Alpha Republic", iso2=actor.iso2,
            iso3=actor.iso3, sources=[build.source],
        )  # fmt: skip
    entry = history(actor)[-1]
    assert (entry.user, entry.who, entry.via, entry.reason) == (
        user, "root", "admin", "typo in the name",
    )  # fmt: skip
    user.delete()
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert (entry.user, entry.who) == (None, "root")  # the name outlives the account


def test_one_transaction_is_one_batch(build):
    """The entries of one operation share a batch id; another operation has its own."""
    actor = build.actor("alpha")
    with transaction.atomic():
        status = build.status(actor, "member", "2000")
    batch = {e.batch for e in history(status)}
    assert len(batch) == 1  # the row and its sources


@pytest.mark.django_db(transaction=True)
def test_separate_transactions_are_separate_batches(build):
    actor = build.actor("alpha")
    first = build.status(actor, "observer", "1999")
    second = build.status(actor, "member", "2005")
    assert {e.batch for e in history(first)}.isdisjoint({e.batch for e in history(second)})


@pytest.mark.django_db(transaction=True)
def test_after_a_rolled_back_transaction_the_next_ones_are_still_separate_batches(build):
    """The act carries the batch: a transaction rolled back (its entries gone) must not
    leave its id to be shared by the act's next transactions."""
    actor = build.actor("alpha")
    with pytest.raises(RuntimeError), transaction.atomic():
        build.status(actor, "partner", "1995")
        raise RuntimeError("roll back")
    first = build.status(actor, "observer", "1999")
    second = build.status(actor, "member", "2005")
    assert {e.batch for e in history(first)}.isdisjoint({e.batch for e in history(second)})


def test_the_trail_cannot_be_edited_or_deleted(build):
    actor = build.actor("alpha")
    entry = history(actor)[0]
    entry.reason = "rewritten"
    for attempt in (
        entry.save,
        entry.delete,
        lambda: AuditEntry.objects.filter(pk=entry.pk).update(reason="x"),
        lambda: AuditEntry.objects.all().delete(),
        lambda: AuditEntry._base_manager.all().delete(),
        lambda: AuditEntry.objects.bulk_update([entry], ["reason"]),
    ):
        with pytest.raises(TrailIsPermanent):
            attempt()
    entry.refresh_from_db()
    assert entry.reason == ""
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_the_admin_shows_the_trail_read_only_to_everyone(django_user_model):
    root = django_user_model.objects.create_superuser("root", "", "a-long-password-1")
    request = RequestFactory().get("/")
    request.user = root
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label != "audit":
            continue
        assert model_admin.has_view_permission(request)
        assert not model_admin.has_add_permission(request)
        assert not model_admin.has_change_permission(request)
        assert not model_admin.has_delete_permission(request)


def test_a_refused_write_leaves_no_entry(build, team):
    """The policy refuses first; nothing is written, not even to the trail."""
    count = AuditEntry.objects.count()
    with acting_as(team.reader, via="web"), pytest.raises(PermissionDenied):
        build.actor("beta")
    assert AuditEntry.objects.count() == count
    assert not Status.objects.exists()
