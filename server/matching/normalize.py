"""Normalization of one word token, so that typographic variants compare equal.

Matching works on word tokens whose spans point into the original text, so punctuation,
quote and dash styles, ellipses and runs of whitespace never reach this module: they sit
between tokens. What remains to fold is inside a word: Unicode compatibility forms (NFKC),
case, accents, zero-width characters and soft hyphens, line-break hyphenation and letters
from other scripts that look Latin (homoglyphs). Both quotes and pages go through the same
function, so any folding here is symmetric by construction.
"""

from __future__ import annotations

import re
import unicodedata

NORMALIZER_VERSION = 2
"""Changes whenever normalization or tokenization changes what a stored quote holds (its
word ids or its words' flags), so that a saved index knows to rebuild. 2: digits after a
thousands separator are flagged ``GROUP`` and names joined by a space ``LINKED``."""

# Characters that are invisible in rendered text but split or pad words in the source.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)

# "terror-\nism": a hyphen (or soft hyphen) at a line end joins the two halves of a word.
_LINE_BREAK_HYPHEN = re.compile(r"[-\u2010\u00ad][^\S\n]*\r?\n\s*|(?<=\u00ad)[^\S\n]*\r?\n\s*")

# Uppercase homoglyphs are mapped before case folding, because folding can take them away
# from their Latin look-alike (Cyrillic "В" folds to "в", which looks nothing like "b").
_UPPER_HOMOGLYPHS = str.maketrans(
    "АВЕЅІЈКМНОРСТХУԌԚԜΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",  # look-alikes, in the same order as below
    "ABESIJKMHOPCTXYGQWABEZHIKMNOPTYX",
)
_LOWER_HOMOGLYPHS = str.maketrans(
    "аеорсухіјѕԁһӏԛԝкԍαικνορυχ",
    "aeopcyxijsdhlqwkgaikvopux",
)


def normalize_word(raw: str) -> str:
    """Fold one raw word token to the form quotes and pages are compared in."""
    if raw.isascii():
        if "\n" in raw:
            raw = _LINE_BREAK_HYPHEN.sub("", raw)
        return raw.lower()
    text = _LINE_BREAK_HYPHEN.sub("", raw).translate(_INVISIBLE)
    text = unicodedata.normalize("NFKC", text).translate(_UPPER_HOMOGLYPHS)
    text = text.casefold().translate(_LOWER_HOMOGLYPHS)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))
