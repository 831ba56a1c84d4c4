#!/usr/bin/env bash
# Vendor the subset of USWDS 3 that the site uses, from the npm package's
# precompiled dist/ (no Sass build, no CDN).
#
#   static/vendor/update-uswds.sh            # the pinned version below
#   static/vendor/update-uswds.sh 3.14.0     # another version
#
# Copies into static/vendor/uswds/: css/uswds.min.css, every
# font and image that the css references with url(...), the images the banner,
# header and search markup use, the usa-icons sprite, and writes VERSION.
# Then it makes the light versions the pages load (ADR 0024): it subsets the
# fonts in place (static/vendor/subset_fonts.py, with fontTools in a throwaway
# virtualenv) and writes css/uswds.used.min.css and img/sprite.used.svg, the
# rules and icons the site uses (static/vendor/uswds_used.py).
# USWDS's script is not copied: static/js/site.js does the little the pages need (ADR 0025).
# The sourceMappingURL comments are removed because the .map files are not
# shipped (ManifestStaticFilesStorage would fail on the missing files).
set -euo pipefail

VERSION="${1:-3.14.0}"
PACKAGE="@uswds/uswds"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DEST="$HERE/uswds"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

echo "Fetching $PACKAGE@$VERSION from the npm registry"
( cd "$WORK" && npm pack --silent --json "$PACKAGE@$VERSION" > pack.json )
read -r TARBALL INTEGRITY SHASUM < <(node -e '
  const [p] = require(process.argv[1]);
  console.log(p.filename, p.integrity, p.shasum);
' "$WORK/pack.json")
tar -xzf "$WORK/$TARBALL" -C "$WORK"
DIST="$WORK/package/dist"

# Files the css asks for with url(...), relative to dist/ (skips data: URIs and empty url()).
mapfile -t REFERENCED < <(
  grep -oE "url\(['\"]?[^)'\"]+" "$DIST/css/uswds.min.css" \
    | sed -E "s/^url\(['\"]?//" \
    | grep -vE '^(data:|#|https?:|//)' \
    | sed -E 's#^\.\./##; s/[?#].*$//' \
    | sort -u
)

FILES=(
  css/uswds.min.css
  img/sprite.svg
  img/us_flag_small.png
  img/icon-dot-gov.svg
  img/icon-https.svg
  img/usa-icons/close.svg
  img/favicons/favicon.png
  img/usa-icons-bg/search--white.svg
  "${REFERENCED[@]}"
)

rm -rf "$DEST"
mkdir -p "$DEST"
for f in $(printf '%s\n' "${FILES[@]}" | sort -u); do
  if [[ ! -f "$DIST/$f" ]]; then
    echo "missing in the package: dist/$f" >&2
    exit 1
  fi
  mkdir -p "$DEST/$(dirname "$f")"
  cp "$DIST/$f" "$DEST/$f"
done

# No source maps are shipped: drop the comments that point at them.
sed -i -E '/^\/\*# sourceMappingURL=.*\*\/$/d' "$DEST/css/uswds.min.css"

# The fonts, subset in place, with fontTools (pinned here; the site does not need it) in a
# throwaway virtualenv.
python3 -m venv "$WORK/fonttools"
"$WORK/fonttools/bin/pip" install --quiet --disable-pip-version-check fonttools==4.60.1 brotli==1.1.0
"$WORK/fonttools/bin/python" "$HERE/subset_fonts.py" "$DEST/fonts"

# The rules and icons the site uses.
python3 "$HERE/uswds_used.py"

cat > "$DEST/VERSION" <<VERSION_EOF
$PACKAGE $VERSION
integrity $INTEGRITY
shasum $SHASUM
source npm pack $PACKAGE@$VERSION, subset of dist/ copied by static/vendor/update-uswds.sh
note sourceMappingURL comments removed from the copied .min.css; no script copied (static/js/site.js, ADR 0025)
note fonts subset in place by static/vendor/subset_fonts.py; *.used.* made by static/vendor/uswds_used.py
VERSION_EOF

echo "Copied $(find "$DEST" -type f | wc -l) files, $(du -sh "$DEST" | cut -f1), into $DEST"
