"""`secretariat report`: a period's report written to a file; bad input refused with a message."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("report", *args, stdout=out)
    return out.getvalue()


def test_markdown_of_a_chairmanship(small, tmp_path):
    path = tmp_path / "beta.md"
    said = run("--chairmanship", "beta-2021-2023", "--format", "md", "-o", str(path))
    assert "Wrote" in said and "Chairmanship of Beta, 2021-2023" in said
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# EXO: Achievements 2021-2023")
    assert "[Open Declaration](http://127.0.0.1:8000/documents/open-declaration/)" in text
    assert "Zanzibarquartz" not in text


def test_html_in_russian_between_two_dates_with_the_sites_address(small, tmp_path):
    path = tmp_path / "report.html"
    run(
        "--from", "2022-01-01", "--to", "2022-12-31", "--lang", "ru", "--format", "html",
        "--base-url", "https://exo.example.org/", "-o", str(path),
    )  # fmt: skip
    text = path.read_text(encoding="utf-8")
    assert '<html lang="ru">' in text
    assert "Итоги саммитов" in text
    assert 'href="https://exo.example.org/documents/open-declaration/"' in text


def test_the_operator_may_have_the_internal_report(small, tmp_path):
    """The command's operator is trusted: restricted items are in, marked; never confidential."""
    path = tmp_path / "internal.md"
    run("--chairmanship", "beta-2021-2023", "--audience", "internal", "--format", "md",
        "-o", str(path))  # fmt: skip
    text = path.read_text(encoding="utf-8")
    assert "**\\[Restricted\\]** **10 May 2022** — [Zanzibarquartz Decision]" in text
    assert "Xylophonequill" not in text


def test_markdown_to_standard_output(small, capsys):
    run("--chairmanship", "beta-2021-2023", "--format", "md", "-o", "-")
    assert capsys.readouterr().out.startswith("# EXO: Achievements 2021-2023")


def test_the_list_of_chairmanships(small):
    said = run("--list")
    assert "beta-2021-2023" in said and "Beta (2021-2023)" in said


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--chairmanship", "nobody", "--format", "md", "-o", "x.md"], "no chairmanship “nobody”"),
        (["--from", "2024-01-01", "--to", "2023-01-01", "--format", "md", "-o", "x.md"],
         "comes after the end"),
        (["--chairmanship", "beta-2021-2023", "--from", "2021-01-01", "--format", "md",
          "-o", "x.md"], "not both"),
        (["--chairmanship", "beta-2021-2023"], "Give --format"),
        (["--format", "md", "-o", "/no/such/folder/x.md"], "There is no folder /no/such/folder"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_with_a_message(small, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
