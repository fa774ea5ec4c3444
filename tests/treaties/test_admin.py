"""The treaty admin: pages render, and saves and deletions obey the rules."""

from __future__ import annotations

import pytest
from django.urls import reverse

from secretariat.treaties.models import TreatyAction

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", "", "a-long-password-1")
    client.force_login(user)
    return client


def action_form(world, **fields) -> dict:
    data = {
        "treaty": world.treaty.pk,
        "actor": world.alpha.pk,
        "kind": "ratification",
        "date": "2011-01-10",
        "effective": "",
        "domestic_act_en": "",
        "domestic_act_ru": "",
        "domestic_act_date": "",
        "statement": "",
        "note": "",
        "core-citation-content_type-object_id-TOTAL_FORMS": "1",
        "core-citation-content_type-object_id-INITIAL_FORMS": "0",
        "core-citation-content_type-object_id-0-source": world.build.source.pk,
        "core-citation-content_type-object_id-0-locator": "",
        "core-variant-content_type-object_id-TOTAL_FORMS": "0",
        "core-variant-content_type-object_id-INITIAL_FORMS": "0",
    }
    return data | fields


def test_pages_render_with_actions_and_figures(officer, world):
    world.signed_and_ratified(world.alpha, "2010-06-08", "2011-01-10")
    figure = world.figure("parties", "2024-09", 10)
    page = officer.get(reverse("admin:treaties_treaty_change", args=[world.treaty.pk]))
    assert page.status_code == 200
    assert "Not in force. Signatories: 1, parties: 1." in page.content.decode()
    for name, obj in (
        ("treaties_treatyaction", TreatyAction.objects.first()),
        ("figures_reportedfigure", figure),
    ):
        assert officer.get(reverse(f"admin:{name}_change", args=[obj.pk])).status_code == 200


def test_an_action_is_refused_with_the_rule_message_and_saved_once_it_holds(officer, world):
    url = reverse("admin:treaties_treatyaction_add")
    page = officer.post(url, action_form(world, kind="reservation_withdrawal"))
    assert page.status_code == 200
    assert "made no reservation before it to withdraw" in page.content.decode()
    assert not TreatyAction.objects.exists()
    officer.post(url, action_form(world, kind="signature", date="2010-06"))
    officer.post(url, action_form(world))
    assert [(a.kind, str(a.date)) for a in TreatyAction.objects.order_by("date_date")] == [
        ("signature", "2010-06"),
        ("ratification", "2011-01-10"),
    ]
    assert TreatyAction.objects.get(kind="ratification").citations.count() == 1


def test_deleting_an_action_another_rests_on_is_refused_with_a_message(officer, world):
    world.act(world.alpha, "signature", "2010-06-08")
    world.act(world.alpha, "reservation", "2010-06-08", statement="Article 5.")
    world.act(world.alpha, "reservation_withdrawal", "2012-01-01")
    reservation = TreatyAction.objects.get(kind="reservation")
    url = reverse("admin:treaties_treatyaction_delete", args=[reservation.pk])
    page = officer.post(url, {"post": "yes"}, follow=True)
    assert page.status_code == 200
    assert "would leave the record inconsistent" in page.content.decode()
    assert TreatyAction.objects.count() == 3
