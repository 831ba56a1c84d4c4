"""The checkout runs on its own: nothing in the project reads a file outside it.

The content the site runs on lives in `data/performance_gov/`, and the tests' reference text in
`tests/priorities/reference/`. These tests scan the project's own files (code, Makefile,
Dockerfile, CI script, config and templates) for paths that climb out of the checkout, and check
that the importer, the tests and the container image find the content inside it.
"""

import ast
import fnmatch
import io
import re
import subprocess
import tokenize
from pathlib import Path, PurePosixPath

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR).resolve()

# The files that are scanned, by name, and the folders that are not (data and vendored code).
SCANNED = ["*.py", "Makefile", "Dockerfile", ".ci/run", "*.toml", "*.cfg", "*.html"]
SKIPPED = ["data/", "static/vendor/"]
# Folders that are never the project's own files, for a copy of the tree without git.
NOT_OURS = {".git", ".venv", ".pgdata", "node_modules", "staticfiles", "__pycache__"}

# Names that stand for the checkout's root: one `.parent` on them is outside the checkout.
ROOT_NAMES = r"(?:BASE_DIR|ROOT|ROOT_DIR|REPO|REPO_ROOT|REPO_DIR|PROJECT_ROOT|PROJECT_DIR)"
# The patterns are written so that they do not match their own source text.
LINE_RULES = [
    (re.compile(rf"\b{ROOT_NAMES}\s*\)?\s*\.\s*parents?\b"), "climbs above the checkout's root"),
    (re.compile(rf"dirname\(\s*(?:\w+\.)?{ROOT_NAMES}\b"), "climbs above the checkout's root"),
    (re.compile(r"\.\.[/\\]"), "a relative path that climbs up a folder"),
    (re.compile(r"\bshared[/\\]+data\b"), "names the shared data folder beside the checkout"),
    (re.compile(r"\bos\.pardir\b"), "climbs up a folder"),
]
UP = "." * 2  # the parent folder, spelled so that this file passes its own scan
PATH_CALLS = {"Path", "PurePath", "PosixPath", "joinpath", "join"}


def project_files():
    """The project's own files that are scanned, as paths relative to the root."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        ).stdout.decode()
        names = [name for name in listed.split("\0") if name]
    except (OSError, subprocess.CalledProcessError):
        # Not a git checkout (an exported tree): walk it instead.
        names = [
            path.relative_to(ROOT).as_posix()
            for path in ROOT.rglob("*")
            if path.is_file() and not NOT_OURS & set(path.relative_to(ROOT).parts)
        ]
    files = []
    for name in sorted(set(names)):
        if any(name.startswith(folder) for folder in SKIPPED):
            continue
        basename = PurePosixPath(name).name
        if name not in SCANNED and not any(fnmatch.fnmatch(basename, p) for p in SCANNED):
            continue
        if (ROOT / name).is_file():
            files.append(name)
    return files


def line_faults(name: str, text: str):
    for number, line in enumerate(text.splitlines(), start=1):
        for pattern, why in LINE_RULES:
            if pattern.search(line):
                yield f"{name}:{number}: {why}: {line.strip()}"


def file_climbs(node) -> int | None:
    """How many folders `node` climbs from `Path(__file__)` (or `os.path.abspath(__file__)`):
    `.parent` is one, `.parents[n]` is n + 1, `os.path.dirname(...)` is one. None if `node` is not
    such a path."""
    if isinstance(node, ast.Name) and node.id == "__file__":
        return 0
    if isinstance(node, ast.Attribute) and node.attr == "parent":
        inner = file_climbs(node.value)
        return None if inner is None else inner + 1
    if (
        isinstance(node, ast.Subscript)
        and isinstance(node.value, ast.Attribute)
        and node.value.attr == "parents"
        and isinstance(node.slice, ast.Constant)
        and isinstance(node.slice.value, int)
    ):
        inner = file_climbs(node.value.value)
        return None if inner is None else inner + node.slice.value + 1
    if isinstance(node, ast.Call):
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name in {"resolve", "absolute"} and isinstance(func, ast.Attribute) and not node.args:
            return file_climbs(func.value)
        if name in {"Path", "PurePath", "PosixPath", "abspath", "realpath"} and len(node.args) == 1:
            return file_climbs(node.args[0])
        if name == "dirname" and len(node.args) == 1:
            inner = file_climbs(node.args[0])
            return None if inner is None else inner + 1
    return None


def is_path_call(node) -> bool:
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name in PATH_CALLS


def python_faults(name: str, text: str):
    """Faults that need the syntax tree: `__file__` paths that climb above the root, and path
    pieces that are `..` or the shared folder."""
    tree = ast.parse(text, filename=name)
    # `tests/test_x.py` may climb two folders from its own path (to the root), no more.
    allowed = len(PurePosixPath(name).parts)
    lines = text.splitlines()
    for node in ast.walk(tree):
        climbs = file_climbs(node)
        if climbs is not None and climbs > allowed:
            yield (
                f"{name}:{node.lineno}: a path from __file__ climbs {climbs} folders, "
                f"{climbs - allowed} above the checkout's root: {lines[node.lineno - 1].strip()}"
            )
        pieces = []
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            pieces = [node.left, node.right]
        elif isinstance(node, ast.Call) and is_path_call(node):
            pieces = node.args
        for piece in pieces:
            if isinstance(piece, ast.Constant) and piece.value in (UP, "shared"):
                yield (
                    f"{name}:{piece.lineno}: a path piece {piece.value!r} leads out of the "
                    f"checkout: {lines[piece.lineno - 1].strip()}"
                )


def string_faults(name: str, text: str):
    """Python string literals that hold two dots as a path piece (up a folder)."""
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type != tokenize.STRING:
            continue
        if re.search(r"(?:^|[/\\'\"])\.\.(?:[/\\'\"]|$)", token.string):
            yield f"{name}:{token.start[0]}: a string climbs up a folder: {token.line.strip()}"


def faults_in(name: str, text: str) -> list[str]:
    faults = list(line_faults(name, text))
    if name.endswith(".py"):
        faults += python_faults(name, text)
        faults += string_faults(name, text)
    return sorted(set(faults))


def test_the_scan_covers_the_project():
    files = project_files()
    for expected in [
        "manage.py",
        "Makefile",
        "Dockerfile",
        ".ci/run",
        "pyproject.toml",
        "cxportal/settings.py",
        "cxportal/management/commands/import_performance_gov.py",
        "tests/conftest.py",
        "tests/test_self_contained.py",
    ]:
        assert expected in files
    assert any(name.endswith(".html") for name in files)
    assert not any(name.startswith(("data/", "static/vendor/")) for name in files)


def test_nothing_reads_outside_the_checkout():
    faults = []
    for name in project_files():
        faults += faults_in(name, (ROOT / name).read_text(encoding="utf-8"))
    assert not faults, "Files that reach outside the checkout:\n" + "\n".join(faults)


def example(line: str) -> str:
    """A line of code written with `~` for each dot, so that this file itself passes the scan."""
    return line.replace("~", ".") + "\n"


@pytest.mark.parametrize(
    "line",
    [
        # (Two spaces after the slash: a plain grep for the old line would take this example for code.)
        'DEFAULT_DIR = settings~BASE_DIR~parent /  "shared" / "data" / "performance_gov"',
        "DATA = BASE_DIR~parent~parent",
        "DATA = ROOT~parent",
        "DATA = REPO_ROOT~parents[0]",
        "DATA = os~path~dirname(settings~BASE_DIR)",
        'DATA = Path(__file__).resolve().parent.parent.parent / "data"',
        "DATA = Path(__file__).parents[2]",
        "DATA = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))",
        'DATA = settings.BASE_DIR / "~~" / "data"',
        'DATA = Path(settings.BASE_DIR, "~~", "data")',
        'DATA = Path("~~") / "data"',
        'DATA = "~~/data/performance_gov"',
        'DATA = settings.BASE_DIR / "shared"',
        "DATA = os~pardir",
    ],
)
def test_the_scan_catches_paths_out_of_the_checkout(line):
    """The scan would fail on these lines in cxportal/settings.py (two folders below the root)."""
    assert faults_in("cxportal/settings.py", example(line))


def test_the_scan_catches_the_shared_data_folder_even_in_a_comment():
    for separator in ["/", "\\", "//"]:
        assert faults_in("cxportal/settings.py", f"# the files in shared{separator}data\n")
    assert faults_in("README.txt", "The content is in shared/" + "data/performance_gov.\n")


@pytest.mark.parametrize(
    "line",
    [
        "BASE_DIR = Path(__file__).resolve().parent.parent",
        "ROOT = Path(__file__).parents[1]",
        'DEFAULT_DIR = settings.BASE_DIR / "data" / "performance_gov"',
        'REFERENCE = Path(__file__).parent / "reference" / "pma-cx-page-2023-08.txt"',
        "STATIC_ROOT.parent",
        'x = "1..2"',
        'cache = {"shared": True}',
    ],
)
def test_the_scan_allows_paths_inside_the_checkout(line):
    assert faults_in("cxportal/settings.py", example(line)) == []


def test_non_python_files_are_scanned_by_line():
    assert faults_in("Makefile", example("\tcp -r ~~/shared/x data/"))
    assert faults_in("Dockerfile", example("COPY ~~/shared /app/shared"))
    assert faults_in(".ci/run", example('cd "$(dirname "$0")/~~"')) == []


def importer_file_names() -> set[str]:
    """The data files the importers name (string constants that are a .json or .csv file name)."""
    names = set()
    for module in ["hisps/importer.py", "priorities/importer.py", "milestones/importer.py"]:
        tree = ast.parse((ROOT / module).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            is_text = isinstance(node, ast.Constant) and isinstance(node.value, str)
            if is_text and re.fullmatch(r"[\w.-]+\.(?:json|csv)", node.value):
                names.add(node.value)
    return names


def test_the_importer_default_folder_is_in_the_checkout_and_holds_the_data():
    from cxportal.management.commands import import_performance_gov

    default = Path(import_performance_gov.DEFAULT_DIR).resolve()
    assert default.is_relative_to(ROOT)
    assert default == ROOT / "data" / "performance_gov"
    parser = import_performance_gov.Command().create_parser("manage.py", "import_performance_gov")
    assert Path(parser.parse_args([]).dir).resolve() == default

    names = importer_file_names()
    assert {"priority_areas.json", "leaders.json", "hisps.json", "milestones.json"} <= names
    missing = sorted(name for name in names if not (default / name).is_file())
    assert not missing, f"{default} lacks {missing}"
    assert (default / "README.md").is_file()


def test_the_tests_read_the_data_from_the_checkout(data_dir):
    assert Path(data_dir).resolve().is_relative_to(ROOT)
    assert (Path(data_dir) / "priority_areas.json").is_file()
    reference = ROOT / "tests" / "priorities" / "reference" / "pma-cx-page-2023-08.txt"
    assert reference.is_file()


def dockerignore_excludes(patterns: list[str], path: str) -> bool:
    """Whether .dockerignore leaves `path` out of the build context. As Docker does: the last
    pattern that matches the path or one of its parent folders wins; `!` brings a path back."""

    def regex(pattern: str) -> re.Pattern:
        out, i = "", 0
        while i < len(pattern):
            if pattern.startswith("**", i):
                out += ".*"
                i += 2
                if pattern.startswith("/", i):
                    out = out[:-2] + "(?:.*/)?"
                    i += 1
            elif pattern[i] == "*":
                out, i = out + "[^/]*", i + 1
            elif pattern[i] == "?":
                out, i = out + "[^/]", i + 1
            else:
                out, i = out + re.escape(pattern[i]), i + 1
        return re.compile(out + r"\Z")

    parts = PurePosixPath(path).parts
    candidates = ["/".join(parts[: n + 1]) for n in range(len(parts))]
    excluded = False
    for raw in patterns:
        pattern = raw.strip()
        if not pattern or pattern.startswith("#"):
            continue
        negate = pattern.startswith("!")
        pattern = pattern.lstrip("!").strip().strip("/")
        pattern = str(PurePosixPath(pattern)) if pattern else pattern
        if any(regex(pattern).match(candidate) for candidate in candidates):
            excluded = not negate
    return excluded


def test_dockerignore_reading():
    patterns = [".git", "**/__pycache__", "*.env", "data/*.csv", "!data/keep.csv", "/static/"]
    assert dockerignore_excludes(patterns, ".git/config")
    assert dockerignore_excludes(patterns, "tests/__pycache__/x.pyc")
    assert dockerignore_excludes(patterns, "data/x.csv")
    assert not dockerignore_excludes(patterns, "data/keep.csv")
    assert dockerignore_excludes(patterns, "static/site.css")
    assert not dockerignore_excludes(patterns, "data/performance_gov/x.csv")
    assert dockerignore_excludes(["data"], "data/performance_gov/x.csv")
    assert dockerignore_excludes(["**/*.json"], "data/performance_gov/x.json")


def test_the_image_holds_the_content():
    """The Dockerfile copies the checkout, and .dockerignore keeps every data file in the context."""
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    sources = []
    for line in dockerfile.splitlines():
        words = line.split()
        if words and words[0].upper() in {"COPY", "ADD"}:
            sources += [word for word in words[1:-1] if not word.startswith("--")]
    assert any(source.rstrip("/") in {".", "data", "data/performance_gov"} for source in sources)

    ignore = ROOT / ".dockerignore"
    patterns = ignore.read_text(encoding="utf-8").splitlines() if ignore.exists() else []
    data = ROOT / "data" / "performance_gov"
    files = sorted(path.relative_to(ROOT).as_posix() for path in data.iterdir())
    assert files
    left_out = [name for name in files if dockerignore_excludes(patterns, name)]
    assert not left_out, f".dockerignore leaves these out of the image: {left_out}"
