"""Ordinal numbers in words and figures, in English and Russian."""

_WORDS_EN = [
    "", "First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth",
    "Tenth", "Eleventh", "Twelfth", "Thirteenth", "Fourteenth", "Fifteenth", "Sixteenth",
    "Seventeenth", "Eighteenth", "Nineteenth", "Twentieth",
]  # fmt: skip


def ordinal_en(n: int) -> str:
    """28 -> "28th", 1 -> "1st", 12 -> "12th", 22 -> "22nd"."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def ordinal_ru(n: int) -> str:
    """Russian ordinal in figures, masculine/feminine neutral abbreviation: "28-й"."""
    return f"{n}-й"


def ordinal_word_en(n: int) -> str:
    """6 -> "Sixth"; beyond twenty, figures ("21st")."""
    return _WORDS_EN[n] if 0 < n < len(_WORDS_EN) else ordinal_en(n)
