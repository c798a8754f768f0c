"""Accent- and case-insensitive forms of names, for search."""

import re
import unicodedata

_SEPARATORS = re.compile(r"[\s\-'’_.,/()]+")


def fold(text: str) -> str:
    """``"Châteauroux-les-Bains"`` → ``"chateauroux les bains"``; ``"Œuvre"`` → ``"oeuvre"``."""
    text = text.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SEPARATORS.sub(" ", stripped.lower()).strip()
