"""The one access rule: the SQL condition and the in-hand check agree, at every edge."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from secretariat.accounts import policy, services
from secretariat.accounts.models import Role
from secretariat.core.acting import acting_as
from secretariat.documents import services as documents
from secretariat.documents.models import Document
from tests.conftest import Build
from tests.decisions.world import World, at
from tests.helpers import PASSWORD

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 28)


def _readers(people):
    return {
        "public": AnonymousUser(),
        "reader": people.reader,
        "member delegate": people.delegate,
        "observer delegate": people.observer,
        "officer": people.officer,
        "administrator": people.admin,
    }


def _visible(user, doc, day=TODAY) -> bool:
    return Document.objects.filter(policy.documents_q(user, day=day), pk=doc.pk).exists()


def test_who_reads_which_level(people, world):
    doc = world.document
    expected = {
        "public": {"public"},
        "reader": {"public"},
        "member delegate": {"public", "restricted"},
        "observer delegate": {"public"},
        "officer": {"public", "restricted", "confidential"},
        "administrator": {"public", "restricted", "confidential"},
    }
    for name, user in _readers(people).items():
        for level in ("public", "restricted", "confidential"):
            documents.document_update(document=doc, access=level)
            want = level in expected[name]
            assert _visible(user, doc) is want, (name, level)
            assert policy.can_read_document(user, doc, day=TODAY) is want, (name, level)


def test_sharing_opens_restricted_papers_to_an_observer_but_never_confidential(people, world):
    doc = world.document
    documents.document_share_set(document=doc, actors=[world.observer])
    documents.document_update(document=doc, access="restricted")
    assert _visible(people.observer, doc) and policy.can_read_document(people.observer, doc)
    assert not _visible(people.reader, doc)
    documents.document_update(document=doc, access="confidential")
    assert not _visible(people.observer, doc)
    assert not policy.can_read_document(people.observer, doc)


def test_an_embargo_makes_a_paper_public_on_its_day_and_not_before(people, world):
    doc = world.document
    documents.document_update(document=doc, access="confidential", public_from=TODAY)
    public = AnonymousUser()
    assert not _visible(public, doc, day=TODAY - dt.timedelta(days=1))
    assert _visible(public, doc, day=TODAY)
    assert policy.effective_access(doc, day=TODAY) == "public"
    assert policy.effective_access(doc, day=TODAY - dt.timedelta(days=1)) == "confidential"


def test_a_former_member_delegate_no_longer_reads_restricted_papers(build, people, world):
    doc = world.document
    documents.document_update(document=doc, access="restricted")
    gone = build.actor("gone", name_en="Gone")
    build.status(gone, "member", "2000-01-01", "2020-06-30")
    user = services.account_create(
        username="gone-delegate", password=PASSWORD, role="delegate", actor=gone
    ).user
    assert _visible(user, doc, day=dt.date(2020, 6, 29))
    assert not _visible(user, doc, day=dt.date(2020, 6, 30))


def test_a_state_whose_membership_is_only_possible_reads_no_restricted_paper(build, people):
    """Membership known only as "2024" is not certain on 1 March 2024: no restricted access."""
    state = build.actor("vague", name_en="Vague")
    build.status(state, "member", "2024")
    user = services.account_create(
        username="vague-delegate", password=PASSWORD, role="delegate", actor=state
    ).user
    doc = people.world.document
    documents.document_update(document=doc, access="restricted")
    assert not _visible(user, doc, day=dt.date(2024, 3, 1))
    assert _visible(user, doc, day=dt.date(2025, 1, 1))


def test_staff_without_an_account_is_an_officer_and_inactive_users_are_the_public(
    django_user_model,
):
    staff = django_user_model.objects.create_user("s", password="x", is_staff=True)
    assert policy.role_of(staff) is Role.OFFICER
    staff.is_active = False
    assert policy.role_of(staff) is Role.PUBLIC


def test_writes_follow_the_role(people, world):
    procedure = world.silence()
    with acting_as(people.delegate, via="api"):
        world.position(procedure, world.alpha, "support", at(hours=1))
        with pytest.raises(PermissionDenied, match="its own state"):
            world.position(procedure, world.beta, "objection", at(hours=2))
        with pytest.raises(PermissionDenied, match="may not change"):
            world.build.actor("sneaky")
    with acting_as(people.reader, via="web"), pytest.raises(PermissionDenied):
        world.build.actor("sneaky")
    with acting_as(AnonymousUser(), via="web"), pytest.raises(PermissionDenied, match="Sign in"):
        world.build.actor("sneaky")
    with acting_as(people.officer, via="admin"):
        assert world.build.actor("welcome").pk
    with acting_as(people.officer, via="admin"), pytest.raises(PermissionDenied):
        services.account_role_set(user=people.reader, role="officer")
    with acting_as(people.admin, via="admin"):
        services.account_role_set(user=people.reader, role="officer")
    people.reader.refresh_from_db()
    assert people.reader.is_staff and not people.reader.is_superuser


@pytest.mark.raw_writes("sets each generated case's level, embargo and sharing on the row")
class TestSqlAndInHandAgree(TestCase):
    """Hypothesis: for any role, level, embargo, sharing and day, both forms of the rule agree."""

    @classmethod
    def setUpTestData(cls):
        from tests.accounts.conftest import People

        cls.world = World(Build())
        cls.people = People(cls.world)

    @settings(max_examples=60, deadline=None)
    @given(
        reader=st.sampled_from(
            ["public", "reader", "member delegate", "observer delegate", "officer"]
        ),
        level=st.sampled_from(["public", "restricted", "confidential"]),
        embargo=st.one_of(st.none(), st.integers(-3, 3)),
        shared=st.booleans(),
        day=st.dates(dt.date(1995, 1, 1), dt.date(2030, 1, 1)),
    )
    def test_agree(self, reader, level, embargo, shared, day):
        doc = self.world.document
        public_from = None if embargo is None else day + dt.timedelta(days=embargo)
        Document.objects.filter(pk=doc.pk).update(access=level, public_from=public_from)
        if shared:
            doc.shared_with.set([self.world.observer])
        else:
            doc.shared_with.clear()
        doc.refresh_from_db()
        user = _readers(self.people)[reader]
        user.__dict__.pop("_member_on", None)
        assert _visible(user, doc, day) == policy.can_read_document(user, doc, day=day)
