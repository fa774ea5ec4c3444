"""Loading documents from a dataset: versions, texts, relations and lifecycles."""

import pytest

from secretariat.datasets.loader import Loader
from secretariat.datasets.yamlfile import DatasetError
from secretariat.documents.models import Document, DocumentText
from secretariat.documents.transitions import status_on

from .conftest import edit

pytestmark = pytest.mark.django_db


def test_documents_load_with_texts_relations_and_lifecycle(folder):
    """Documents come in with their symbols, texts (extracted), relations and status."""
    counts = Loader(folder).load()
    assert counts["documents"]["created"] == 3
    assert counts["texts"]["created"] == 2
    charter = Document.objects.get(key="charter")
    assert charter.symbol == "EXO/CHARTER/1990"
    ru = DocumentText.objects.get(version__document=charter, language="ru")
    assert "Статья 1" in ru.text
    assert ru.media_type == "text/plain"
    statute = Document.objects.get(key="fund-statute")
    assert statute.symbol == "EXO/FUND/2002/1"  # made from the pattern: no symbol given
    assert [r.to_document.key for r in statute.relations.all()] == ["charter"]
    events = list(statute.events.all())
    assert status_on(events) == "adopted"
    circulated = statute.events.get(kind="circulated")
    assert sorted(a.slug for a in circulated.recipients.all()) == ["alpha", "gamma"]
    assert str(circulated.deadline) == "2002-05-01"


def test_reloading_documents_changes_nothing(folder):
    """A second load leaves documents, made symbols, texts and events unchanged."""
    Loader(folder).load()
    symbols = dict(Document.objects.values_list("key", "symbol"))
    again = Loader(folder).load()
    changed = {k: c for k, c in again.items() if c["created"] or c["updated"]}
    assert changed == {}
    assert dict(Document.objects.values_list("key", "symbol")) == symbols


def test_a_changed_text_is_refused_not_replaced(folder):
    """Editing a text file already loaded is refused: texts are never overwritten."""
    Loader(folder).load()
    (folder / "texts" / "charter-en.txt").write_text("Another text\n")
    with pytest.raises(DatasetError, match="a text is never replaced"):
        Loader(folder).load()


def test_an_impossible_lifecycle_is_refused_with_its_line(folder):
    """Withdrawing an adopted document is refused, naming the file and line."""
    edit(
        folder,
        "documents.yaml",
        '    - kind: drafted\n      date: "2003-01-15"',
        '    - kind: adopted\n      date: "2003-01-10"\n      sources: [minutes]\n'
        '    - kind: withdrawn\n      date: "2003-01-15"',
    )
    with pytest.raises(DatasetError) as caught:
        Loader(folder).load()
    assert str(caught.value).startswith("documents.yaml:")
    assert "cannot be withdrawn" in str(caught.value)
    assert not Document.objects.exists()


def test_a_text_outside_the_dataset_is_refused(folder):
    """A text path that leaves the dataset folder is refused."""
    edit(folder, "documents.yaml", "file: texts/charter-en.txt", "file: ../../etc/passwd")
    with pytest.raises(DatasetError, match=r"no file '\.\./\.\./etc/passwd' in the dataset"):
        Loader(folder).load()


def test_checklists_load_in_order_and_reload_unchanged(folder, client):
    """A document's next steps come in order with their status; a reload changes nothing."""
    counts = Loader(folder).load()
    assert counts["next steps"]["created"] == 2
    data = client.get("/api/v1/documents/fund-statute/next-steps").json()
    assert [(s["title"], s["status"]) for s in data["steps"]] == [
        ("Translation into Russian", "done"),
        ("Publication", "pending"),
    ]
    assert data["progress"] == "1 of 2 steps done"
    again = Loader(folder).load()
    assert again["next steps"]["unchanged"] == 2


def test_a_step_done_without_being_done_is_refused(folder):
    """A pending step with a date it was done is refused, naming the line."""
    edit(folder, "checklists.yaml", "status: done", "status: pending")
    with pytest.raises(DatasetError) as caught:
        Loader(folder).load()
    assert str(caught.value).startswith("checklists.yaml:")
    assert "Only a step that is done" in str(caught.value)
