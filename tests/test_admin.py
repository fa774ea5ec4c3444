"""The admin edits everything, and its saves obey the same rules as the services."""

import pytest
from django.contrib import admin
from django.urls import reverse

from secretariat.registry.models import Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", "", "a-long-password-1")
    client.force_login(user)
    client.user = user
    return client


def test_every_admin_page_renders(officer, minimal):
    """The changelist, the add form and a change form of every model open without error."""
    for model in admin.site._registry:
        meta = model._meta
        base = f"admin:{meta.app_label}_{meta.model_name}"
        assert officer.get(reverse(f"{base}_changelist")).status_code == 200, meta.label
        request = type("R", (), {"user": officer.user})()
        if admin.site._registry[model].has_add_permission(request):
            assert officer.get(reverse(f"{base}_add")).status_code == 200, meta.label
        obj = model._default_manager.first()
        if obj is not None:
            page = officer.get(reverse(f"{base}_change", args=[obj.pk]))
            assert page.status_code == 200, meta.label


def _status_form(actor, source, **fields):
    data = {
        "actor": actor.pk,
        "kind": "observer",
        "start": "2021-06",
        "end": "",
        "applied_for": "",
        "outcome": "",
        "note": "",
        "core-citation-content_type-object_id-TOTAL_FORMS": "1",
        "core-citation-content_type-object_id-INITIAL_FORMS": "0",
        "core-citation-content_type-object_id-0-source": source.pk,
        "core-citation-content_type-object_id-0-locator": "",
        "core-variant-content_type-object_id-TOTAL_FORMS": "0",
        "core-variant-content_type-object_id-INITIAL_FORMS": "0",
    }
    data.update(fields)
    return data


def test_admin_saves_a_partial_date_through_the_services(officer, build):
    """A status entered with start "2021-06" is stored as June 2021 with its source."""
    actor = build.actor("zeta")
    response = officer.post(
        reverse("admin:registry_status_add"), _status_form(actor, build.source), follow=True
    )
    assert response.status_code == 200
    status = Status.objects.get(actor=actor)
    assert str(status.start) == "2021-06"
    assert [c.source.key for c in status.citations.all()] == ["test-source"]


def test_admin_refuses_an_overlap_with_the_rule_message(officer, build):
    """An overlapping status is refused on the form with the services' message, not saved."""
    actor = build.actor("zeta")
    build.status(actor, "observer", "2020")
    response = officer.post(reverse("admin:registry_status_add"), _status_form(actor, build.source))
    assert response.status_code == 200
    assert "overlaps this one" in response.content.decode()
    assert Status.objects.filter(actor=actor).count() == 1


def test_admin_refuses_a_bad_partial_date(officer, build):
    """A malformed date is refused with a message saying how to write it."""
    actor = build.actor("zeta")
    response = officer.post(
        reverse("admin:registry_status_add"), _status_form(actor, build.source, start="June 2021")
    )
    assert "write YYYY, YYYY-MM or YYYY-MM-DD" in response.content.decode()
    assert not Status.objects.filter(actor=actor).exists()


def test_admin_inline_statuses_under_an_actor(officer, minimal):
    """The actor page lists its statuses inline with their dates as text."""
    from secretariat.registry.models import Actor

    gamma = Actor.objects.get(slug="gamma")
    page = officer.get(reverse("admin:registry_actor_change", args=[gamma.pk])).content.decode()
    assert 'value="2002-06-10"' in page
    assert 'value="1995"' in page


def test_admin_requires_sign_in(client):
    """Anonymous visitors are sent to the sign-in page."""
    response = client.get(reverse("admin:registry_actor_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
