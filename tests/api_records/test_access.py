"""Who may read and write through the records API is the policy's call: officers write,
delegates and readers only read, the public reads public records; a restricted or
confidential paper, and every record resting on it, does not exist for those who may
not read it."""

from __future__ import annotations

import pytest

from secretariat.checklists.services import checklist_set
from secretariat.documents import services as documents
from secretariat.documents.models import Document
from secretariat.initiatives import services as initiatives
from secretariat.programme import services as programme
from secretariat.registry.models import Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def papers(world):
    """A restricted and a confidential paper, each with a version, an event and a next
    step, linked from public records (a relation, a review, an initiative's event)."""
    src = [world.source]
    made = {}
    for access in ("restricted", "confidential"):
        doc = documents.document_create(
            type="declaration", symbol=f"EXO/{access[:3].upper()}/1", key=f"{access}-paper",
            title_en=f"The {access} paper", access=access, sources=src,
        )  # fmt: skip
        documents.version_create(document=doc, date="2024-01-01")
        documents.document_event_upsert(document=doc, kind="drafted", date="2024-01", sources=src)
        checklist_set(subject=doc, steps=[{"title_en": f"Follow up the {access} paper",
                                           "sources": src}])  # fmt: skip
        documents.relation_add(
            from_document=world.agreement, kind="implements", to_document=doc, sources=src
        )
        made[access] = doc
    review, _ = programme.review_upsert(
        date="2024-05-01", sources=src, documents=[world.agreement, *made.values()]
    )
    initiative, _ = initiatives.initiative_upsert(slug="forum", title_en="Forum", sources=src)
    event, _ = initiatives.initiative_event_upsert(
        initiative=initiative, kind="proposed", date="2024-02", sources=src,
        document=made["confidential"],
    )  # fmt: skip
    made.update(review=review, initiative_event=event)
    return made


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.json()
    return {item["id"] for item in response.json()["items"]}


def test_the_public_and_readers_read_public_records_and_may_write_nothing(world):
    """Anonymous: reads answer, writes 401. A registered reader: writes 403, by the policy."""
    status = Status.objects.get(actor=world.alpha)
    path = f"/registry/status/{status.pk}"
    body = {"actor": world.omega.pk, "kind": "partner", "start": "2021",
            "sources": [world.source.key]}  # fmt: skip
    anonymous, reader = world.api(), world.api(world.reader)
    for api in (anonymous, reader):
        assert api.get(path).status_code == 200
        assert status.pk in _ids(api.get("/registry/status"))
    assert anonymous.post("/registry/status", body).status_code == 401
    assert anonymous.patch(path, {"note": "x"}, etag='"v1"').status_code == 401
    assert anonymous.delete(path, etag='"v1"').status_code == 401
    refused = reader.post("/registry/status", body)
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Your role may not change status records."
    assert reader.patch(path, {"note": "x"}, etag='"v1"').status_code == 403
    assert reader.delete(path, etag='"v1"').status_code == 403
    assert Status.objects.count() == 2 and Status.objects.get(pk=status.pk).version == 1


def test_a_delegate_is_refused_before_anything_is_checked_or_written(world):
    """A delegate writes its state's positions and feedback only: any record here is
    refused with 403, even with bad values or no If-Match, and nothing changes."""
    delegate = world.api(world.delegate)
    status = Status.objects.get(actor=world.alpha)
    path = f"/registry/status/{status.pk}"
    for response in (
        delegate.post("/registry/status", {"actor": world.alpha.pk, "kind": "member",
                                           "start": "2030", "sources": ["nope"]}),
        delegate.patch(path, {"note": "ours"}, etag='"v1"'),
        delegate.patch(path, {"note": "ours"}),
        delegate.delete(path),
    ):  # fmt: skip
        assert response.status_code == 403, response.json()
        assert response.json()["detail"] == "Your role may not change status records."
    assert Status.objects.filter(actor=world.alpha).count() == 1
    assert Status.objects.get(pk=status.pk).version == 1


@pytest.mark.parametrize(
    "role, readable",
    [
        (None, set()),
        ("reader", set()),
        ("observer", set()),
        ("delegate", {"restricted"}),
        ("officer", {"restricted", "confidential"}),
    ],
)
def test_restricted_papers_and_what_rests_on_them_exist_only_for_their_readers(
    world, papers, role, readable
):
    """Each kind resting on a paper (its versions, events, next steps, relations) lists
    and answers only what the caller may read; asking for the others answers exactly as
    asking for a record that does not exist."""
    api = world.api(getattr(world, role) if role else None)
    for access in ("restricted", "confidential"):
        doc = papers[access]
        resting = {
            "/documents/document": doc,
            "/documents/document-version": doc.versions.get(),
            "/documents/document-event": doc.events.get(),
            "/documents/document-relation": doc.related_from.get(),
            "/checklists/next-step": doc_steps(doc),
        }
        for path, record in resting.items():
            listed = record.pk in _ids(api.get(path))
            one = api.get(f"{path}/{record.pk}")
            assert listed == (access in readable), (path, access)
            if access in readable:
                assert one.status_code == 200
                continue
            missing = api.get(f"{path}/987654321")
            assert one.status_code == missing.status_code == 404
            assert one.json()["detail"].replace(str(record.pk), "N") == missing.json()[
                "detail"
            ].replace("987654321", "N")


def doc_steps(doc):
    from django.contrib.contenttypes.models import ContentType

    from secretariat.checklists.models import NextStep

    return NextStep.objects.get(subject_type=ContentType.objects.get_for_model(doc),
                                subject_id=doc.pk)  # fmt: skip


def test_links_to_unreadable_papers_are_left_out_or_null(world, papers):
    """A public review lists only the papers the caller may read; an initiative's event
    recorded by a confidential paper shows no document to the public, and shows it to
    officers."""
    review, event = papers["review"], papers["initiative_event"]
    public, officer = world.api(), world.api(world.officer)
    member = world.api(world.delegate)
    every = sorted(d.pk for d in review.documents.all())
    assert public.get(f"/programme/review/{review.pk}").json()["documents"] == [world.agreement.pk]
    assert sorted(member.get(f"/programme/review/{review.pk}").json()["documents"]) == sorted(
        [world.agreement.pk, papers["restricted"].pk]
    )
    assert officer.get(f"/programme/review/{review.pk}").json()["documents"] == every
    path = f"/initiatives/initiative-event/{event.pk}"
    assert public.get(path).json()["document"] is None
    assert public.get("/initiatives/initiative-event").json()["items"][0]["document"] is None
    assert officer.get(path).json()["document"] == papers["confidential"].pk


def test_a_paper_shared_with_an_observer_is_read_by_its_delegate(world, papers):
    doc = papers["restricted"]
    observer = world.api(world.observer)
    assert observer.get(f"/documents/document/{doc.pk}").status_code == 404
    documents.document_share_set(document=doc, actors=[world.omega])
    seen = observer.get(f"/documents/document/{doc.pk}")
    assert seen.status_code == 200 and seen.json()["shared_with"] == [world.omega.pk]
    assert doc.pk in _ids(observer.get("/documents/document"))
    assert Document.objects.get(pk=doc.pk).access == "restricted"
