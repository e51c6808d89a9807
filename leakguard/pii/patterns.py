"""Regular expressions shared by the Presidio recognizers and the cheap stage (no imports)."""

from __future__ import annotations

# Tussenvoegsels and other lowercase name particles.
PARTICLES = r"(?:van|de|der|den|ter|ten|te|het|'t|in|op|von|el|al|la|le|da|di|du|dos|das|bin|ben)"
CAPITAL_PARTICLES = r"(?:[Vv]an|[Dd]e|[Dd]er|[Dd]en|[Tt]er|[Tt]en|'t|[Ii]n|[Ee]l|[Aa]l)"
WORD = r"[A-ZÀ-Ý][a-zà-ÿ]+(?:['\u2019][a-zà-ÿ]+)?(?:-[A-ZÀ-Ý][a-zà-ÿ]+)?"
INITIALS = r"(?:[A-Z]\.\s?){1,4}"
NAME = rf"(?:{INITIALS}|{WORD}\s)?(?:{PARTICLES}\s)*{WORD}(?:\s(?:{PARTICLES}\s)*{WORD}){{0,2}}"
TITLES = r"(?:[Dd]hr\.?|[Mm]evr\.?|[Mm]w\.|[Hh]eer|[Mm]evrouw|[Mm]eneer|[Mm]ijnheer)"
SALUTATION_NAME = (
    rf"{TITLES}\s+(?:{INITIALS}|{WORD}\s)?(?:{CAPITAL_PARTICLES}\s)*(?:{PARTICLES}\s)*{WORD}"
)

# Endings of Dutch street names (Kalverstraat, Stadhouderskade, Bijlmerdreef, ...).
STREET_ENDINGS = (
    "straat|laan|weg|gracht|plein|kade|singel|dijk|dreef|hof|park|pad|steeg|markt|plantsoen"
    "|boulevard|baan|burgwal|dam|haven|wal|veld|erf|hoek|pier|zijde|kanaal|oord|rak|gaarde"
)
STREET = (
    r"(?:[A-Z][\w'\u2019.]*\s|(?:van|de|der|den|het|ter|ten|'t)\s){0,3}[A-Z][\w'\u2019\-]*(?:"
    + STREET_ENDINGS
    + r")"
)
HOUSE_NUMBER = r"[1-9]\d{0,4}(?:[ \-]?(?:[A-Za-z]{1,2}|\d{1,3}|hs|bis|huis|[IV]{1,3})(?![\w]))?"
POSTCODE = r"[1-9]\d{3} ?[A-Z]{2}"
CITY = r"[A-Z][a-z'\u2019]+(?:[ \-][A-Z][a-z'\u2019]+)?"


EMAIL_PATTERN = (
    r"(?<![\w.%+\-@])[A-Za-z0-9][A-Za-z0-9._%+\-]{0,63}@"
    r"[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?)*"
    r"\.[A-Za-z]{2,24}(?![\w\-])"
)
# Top-level domains that are really file extensions (`logo@2x.png`, `module@1.0.js`).
FILE_EXTENSIONS = frozenset(
    """
    png jpg jpeg gif svg webp ico bmp tif tiff js mjs cjs ts tsx jsx css scss less map json
    py pyc rb go rs java class php html htm xml yml yaml md txt csv pdf zip gz tar whl lock
    """.split()  # noqa: SIM905 - a word list reads best as words
)


def plausible_email(value: str) -> bool:
    local, _, domain = value.rpartition("@")
    top = domain.rsplit(".", 1)[-1].lower()
    return bool(local) and top not in FILE_EXTENSIONS and ".." not in value
