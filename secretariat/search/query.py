"""What a user typed, turned into terms that every backend can search safely.

Nothing typed reaches a backend's query syntax: a term is a run of letters, digits
and marks (one word), or several such runs that must be adjacent (a "quoted
phrase", or a word written with inner punctuation such as e-mail or CICA/2021).
Operators and special characters of FTS5 or tsquery (OR, NEAR, *, ^, -, :, ...)
are dropped; an unbalanced quote is ignored; the input is capped in length and in
terms. Whatever comes in, a query comes out, possibly empty, with a note saying
what was changed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

MAX_CHARS = 500
MAX_TERMS = 32
QUOTES = frozenset('"“”„«»')  # typographic quotes are quotes too
OPERATORS = frozenset({"OR", "AND", "NOT", "NEAR"})
# Words too common to narrow a search: dropped when typed bare among other words
# (PostgreSQL drops them itself; FTS5 would otherwise demand them).
STOPWORDS = frozenset((
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "in", "into", "is",
    "it", "its", "of", "on", "or", "that", "the", "their", "this", "to", "was", "were", "will",
    "with", "и", "в", "во", "на", "с", "со", "по", "к", "о", "об", "от", "для", "из", "за", "не",
    "а", "но", "что", "как",
))  # fmt: skip


@dataclass(frozen=True)
class Term:
    """Words that must all match, adjacent and in order when there are several."""

    words: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.words)

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1


@dataclass(frozen=True)
class Query:
    """The terms to search for (all must match) and notes on what was changed."""

    terms: tuple[Term, ...] = ()
    notes: tuple[str, ...] = field(default=())

    def __bool__(self) -> bool:
        return bool(self.terms)

    @property
    def text(self) -> str:
        """What is actually searched, written back as a user would type it."""
        return " ".join(f'"{t.text}"' if t.is_phrase else t.text for t in self.terms)

    @property
    def note(self) -> str | None:
        return " ".join(self.notes) or None


# Control characters read as spaces; invisible format characters (soft hyphen, zero
# widths, bidirectional overrides, byte-order mark) as nothing; lone surrogates dropped.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\ud800-\udfff]")


def clean(value: object) -> str:
    """Text safe for any database and for the snippet markers: NFKC, no control,
    invisible or surrogate characters (the index and the queries both pass here)."""
    text = "" if value is None else str(value)
    text = _INVISIBLE.sub("", text)
    return _CONTROLS.sub(" ", unicodedata.normalize("NFKC", text))


def _is_word_char(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LNM"


def _runs(chunk: str) -> list[str]:
    """The runs of letters, digits and marks in a chunk (marks alone are no word)."""
    runs, current = [], []
    for ch in [*chunk, " "]:
        if _is_word_char(ch):
            current.append(ch)
            continue
        if any(unicodedata.category(c)[0] in "LN" for c in current):
            runs.append("".join(current))
        current = []
    return runs


def _segments(text: str) -> tuple[list[tuple[str, bool]], bool]:
    """Split on quotes: (segment, quoted) pairs, and whether a quote was left unmatched."""
    positions = [i for i, ch in enumerate(text) if ch in QUOTES]
    unbalanced = len(positions) % 2 == 1
    if unbalanced:  # the last, unmatched quote reads as a space
        last = positions.pop()
        text = text[:last] + " " + text[last + 1 :]
    segments, start, quoted = [], 0, False
    for i in positions:
        segments.append((text[start:i], quoted))
        start, quoted = i + 1, not quoted
    segments.append((text[start:], quoted))
    return segments, unbalanced


def parse(raw: object) -> Query:
    """The query to run for what the user typed; never raises."""
    notes: list[str] = []
    text = clean(raw)
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS]
        notes.append(f"Only the first {MAX_CHARS} characters were searched.")
    segments, unbalanced = _segments(text)
    if unbalanced:
        notes.append("An unmatched quotation mark was ignored.")
    bare: list[tuple[Term, bool]] = []  # (term, typed bare as a single word)
    dropped_operator = False
    for segment, quoted in segments:
        if quoted:
            words = _runs(segment)
            if words:
                bare.append((Term(tuple(words)), False))
            continue
        for chunk in segment.split():
            words = _runs(chunk)
            if any(w in OPERATORS for w in words):  # NEAR(, OR, AND...: not words here
                dropped_operator = True
                words = [w for w in words if w not in OPERATORS]
            if words:
                bare.append((Term(tuple(words)), len(words) == 1))
    if dropped_operator:
        notes.append("OR, AND, NOT and NEAR are not operators here: every word must match.")
    meaningful = [t for t, single in bare if not (single and t.words[0].casefold() in STOPWORDS)]
    if meaningful and len(meaningful) < len(bare):
        bare = [(t, False) for t in meaningful]
    terms: list[Term] = []
    seen: set[tuple[str, ...]] = set()
    for term, _ in bare:
        folded = tuple(w.casefold() for w in term.words)
        if folded not in seen:
            seen.add(folded)
            terms.append(term)
    if len(terms) > MAX_TERMS:
        terms = terms[:MAX_TERMS]
        notes.append(f"Only the first {MAX_TERMS} terms were searched.")
    if not terms:
        notes.append("Nothing to search for: type a word or a phrase.")
    return Query(terms=tuple(terms), notes=tuple(notes))
