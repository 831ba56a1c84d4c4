#!/usr/bin/env python3
"""Make the parts of USWDS that the public pages use, from the vendored precompiled USWDS (ADR 0024).

    python static/vendor/uswds_used.py           # write the two files below
    python static/vendor/uswds_used.py --check   # exit 1 if they are not what the code asks for now

- `uswds/css/uswds.used.min.css`: the rules of `uswds/css/uswds.min.css` whose selectors name only
  classes that the site's templates, Python code and scripts use. USWDS ships its CSS precompiled
  (no Sass build here, see docs/decisions): the full file is 527 KB, of which the site uses a tenth.
- `uswds/img/sprite.used.svg`: the icons of `uswds/img/sprite.svg` that templates refer to with
  `sprite.used.svg' %}#name`, or name in a template that uses the sprite (the icon may be picked
  by a template tag, as the reporting status is).

Run it after adding a USWDS class or icon to a template; the suite's tests/site/test_static_assets.py
runs `--check`, so a forgotten run fails there rather than on a page that lost its styles.
Standard library only: it runs on a fresh clone, before any virtualenv exists.
"""

import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
FULL_CSS = HERE / "uswds" / "css" / "uswds.min.css"
USED_CSS = HERE / "uswds" / "css" / "uswds.used.min.css"
FULL_SPRITE = HERE / "uswds" / "img" / "sprite.svg"
USED_SPRITE = HERE / "uswds" / "img" / "sprite.used.svg"

# Where class names come from: the public templates, the Python that renders them (form widgets,
# template tags, Markdown) and the site's scripts. The admin has styles of its own.
SOURCES = [
    *(p for p in (ROOT / "templates").rglob("*.html") if "admin" not in p.relative_to(ROOT).parts),
    *(
        p
        for app in ("content", "cxportal", "hisps", "milestones", "priorities")
        for p in (ROOT / app).rglob("*.py")
        if "migrations" not in p.parts
    ),
    *(ROOT / "static" / "js").glob("*.js"),
]
# The state classes that USWDS's components take while open (is-visible,
# usa-js-mobile-nav--active, usa-banner__header--expanded) are added by static/js/site.js, which
# names them in full like any other source (ADR 0025).

WORD = re.compile(r"[A-Za-z][\w:-]*")
# `usa-site-alert--{% if … %}`: a class finished by the template, so every class it begins is used.
PREFIX = re.compile(r"([A-Za-z][\w:-]*(?:-|_))\{[{%]")
CLASS = re.compile(r"\.((?:[\w-]|\\.)+)")
# The argument of :not(), :is(), :where(), :has(): such a class does not have to be present.
PSEUDO_ARGUMENT = re.compile(r":[\w-]+\(")


def used_names() -> tuple[set[str], tuple[str, ...]]:
    """The words of every source, and the class prefixes templates complete with a variable."""
    words, prefixes = set(), set()
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        words.update(WORD.findall(text))
        prefixes.update(PREFIX.findall(text))
    return words, tuple(sorted(prefixes))


# --- a small parser for minified CSS: enough for USWDS's dist file -----------------------------


def _skip_string(css: str, i: int) -> int:
    quote, i = css[i], i + 1
    while css[i] != quote:
        i += 2 if css[i] == "\\" else 1
    return i + 1


def _find(css: str, i: int, stops: str) -> int:
    """The index of the first of `stops` at this nesting level, from i, outside strings."""
    depth = 0
    while i < len(css):
        char = css[i]
        if char in "'\"":
            i = _skip_string(css, i)
            continue
        if char == "/" and css.startswith("/*", i):
            i = css.index("*/", i) + 2
            continue
        if depth == 0 and char in stops:
            return i
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        i += 1
    return i


def _block_end(css: str, start: int) -> int:
    """The index just after the } that closes the { at `start`."""
    depth, i = 0, start
    while True:
        i = _find(css, i, "{}")
        depth += 1 if css[i] == "{" else -1
        i += 1
        if depth == 0:
            return i


def parse(css: str) -> list:
    """Rules as (prelude, body) pairs: body is a str of declarations, or a list for @media/@supports."""
    rules, i = [], 0
    while i < len(css):
        if css[i].isspace():
            i += 1
            continue
        if css.startswith("/*", i):
            end = css.index("*/", i) + 2
            rules.append((css[i:end], None))  # the licence comment, kept
            i = end
            continue
        stop = _find(css, i, "{;")
        prelude = css[i:stop].strip()
        if stop == len(css) or css[stop] == ";":  # @charset, @import
            rules.append((prelude + ";", None))
            i = stop + 1
            continue
        end = _block_end(css, stop)
        body = css[stop + 1 : end - 1]
        nested = prelude.startswith(("@media", "@supports", "@layer", "@container"))
        rules.append((prelude, parse(body) if nested else body))
        i = end
    return rules


def split_selectors(prelude: str) -> list[str]:
    parts, i = [], 0
    while i < len(prelude):
        stop = _find(prelude, i, ",")
        parts.append(prelude[i:stop])
        i = stop + 1
    return parts


def required_classes(selector: str) -> list[str]:
    """The classes an element must have for `selector` to match: none inside :not() and the like."""
    outside, i = "", 0
    while match := PSEUDO_ARGUMENT.search(selector, i):
        outside += selector[i : match.end()]
        i = _find(selector, match.end(), ")")
    outside += selector[i:]
    return [re.sub(r"\\(.)", r"\1", name) for name in CLASS.findall(outside)]


def purge(rules: list, words: set[str], prefixes: tuple[str, ...]) -> list:
    def used(name: str) -> bool:
        return name in words or name.startswith(prefixes)

    kept = []
    for prelude, body in rules:
        if isinstance(body, list):
            inner = purge(body, words, prefixes)
            if inner:
                kept.append((prelude, inner))
        elif body is None or prelude.startswith("@"):
            kept.append((prelude, body))
        else:
            selectors = [
                s for s in split_selectors(prelude) if all(map(used, required_classes(s)))
            ]
            if selectors:
                kept.append((",".join(selectors), body))
    return drop_unused_fonts(kept)


def drop_unused_fonts(rules: list) -> list:
    """@font-face rules only for the families that the kept rules name (the rest cost bytes only)."""
    text = serialize([rule for rule in rules if not rule[0].startswith("@font-face")])
    named = " ".join(re.findall(r"font-family:([^;}]*)", text))
    keep = []
    for prelude, body in rules:
        if prelude.startswith("@font-face"):
            family = re.search(r"font-family:\s*['\"]?([^;'\"]+)", body).group(1)
            if family not in named:
                continue
        keep.append((prelude, body))
    return keep


def serialize(rules: list) -> str:
    out = []
    for prelude, body in rules:
        if body is None:
            out.append(prelude + ("\n" if prelude.startswith(("/*", "@charset")) else ""))
        elif isinstance(body, list):
            out.append(f"{prelude}{{{serialize(body)}}}")
        else:
            out.append(f"{prelude}{{{body}}}")
    return "".join(out)


def used_css() -> str:
    words, prefixes = used_names()
    return serialize(purge(parse(FULL_CSS.read_text(encoding="utf-8")), words, prefixes)) + "\n"


# --- the icon sprite --------------------------------------------------------------------------

SYMBOL = re.compile(r'<symbol id="([^"]+)".*?</symbol>', re.S)


def used_sprite() -> str:
    sprite = FULL_SPRITE.read_text(encoding="utf-8")
    icons = {match.group(1): match.group(0) for match in SYMBOL.finditer(sprite)}
    wanted = set()
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        if "sprite.used.svg" in text:
            wanted.update(word for word in WORD.findall(text) if word in icons)
    symbols = "".join(icons[name] for name in sorted(wanted))
    return f'<svg xmlns="http://www.w3.org/2000/svg">{symbols}</svg>\n'


def main(argv: list[str]) -> int:
    outputs = {USED_CSS: used_css(), USED_SPRITE: used_sprite()}
    stale = [p for p, text in outputs.items() if not p.exists() or p.read_text("utf-8") != text]
    if "--check" in argv:
        for path in stale:
            print(f"{path.relative_to(ROOT)} is out of date: run python {Path(__file__).relative_to(ROOT)}")
        return 1 if stale else 0
    for path, text in outputs.items():
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}: {len(text.encode()):,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
