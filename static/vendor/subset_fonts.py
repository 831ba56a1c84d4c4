"""Subset the vendored USWDS web fonts, in place, to the characters the site's English and Spanish
text uses (ADR 0024): about half their size, a third of a page's weight before.

    static/vendor/update-uswds.sh       # copies the fonts from the npm package, then runs this
    python static/vendor/subset_fonts.py static/vendor/uswds/fonts   # with fontTools and brotli

It needs fontTools and brotli, which the site does not: update-uswds.sh installs pinned versions
into a throwaway virtualenv. Subsetting a font that is already subset changes nothing.
A character outside the set (rare: ♦ in one imported reflection) is drawn in the fallback font
that the USWDS font stacks name next (Helvetica, Roboto, Arial).
"""

import sys
from pathlib import Path

from fontTools import subset

# Basic Latin and Latin-1 (Spanish: á é í ó ú ñ ¿ ¡), the Latin letters of Google Fonts' "latin"
# subset, general punctuation (’ “ ” – — • …), the euro and trade mark signs, arrows, minus and
# the comparison signs the content uses.
UNICODES = (
    "U+0000-00FF,U+0131,U+0152-0153,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+0304,U+0308,U+0329,"
    "U+2000-206F,U+20AC,U+2122,U+2190-2193,U+2212,U+2215,U+2264-2265,U+FEFF,U+FFFD"
)
# Kerning, ligatures and accents stay; hinting goes (browsers on high-density screens ignore it,
# and it is a third of Merriweather's bytes).
OPTIONS = [
    f"--unicodes={UNICODES}",
    "--layout-features=kern,liga,clig,calt,ccmp,locl,mark,mkmk",
    "--no-hinting",
    "--desubroutinize",
    "--flavor=woff2",
]


def subset_in_place(font: Path) -> tuple[int, int]:
    before = font.stat().st_size
    subset.main([str(font), *OPTIONS, f"--output-file={font}"])
    return before, font.stat().st_size


def main(folder: str) -> None:
    for font in sorted(Path(folder).rglob("*.woff2")):
        before, after = subset_in_place(font)
        print(f"{font.relative_to(folder)}: {before:,} -> {after:,} bytes")


if __name__ == "__main__":
    main(sys.argv[1])
