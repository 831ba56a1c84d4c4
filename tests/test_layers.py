"""The layers the tree shows, kept by reading every module's imports.

Bottom: `content/`, the shared content machinery, imports no app. Middle: the apps; `priorities`
may import `hisps` and `milestones`, which import neither each other nor `priorities`; no app
imports `cxportal`. Top: `cxportal/`, the project, may import everything.
"""

import ast
from pathlib import Path

from django.conf import settings

FIRST_PARTY = {"content", "hisps", "milestones", "priorities", "cxportal"}
# What each package may import of the project's own packages (besides itself).
ALLOWED = {
    "content": set(),
    "hisps": {"content"},
    "milestones": {"content"},
    "priorities": {"content", "hisps", "milestones"},
    "cxportal": {"content", "hisps", "milestones", "priorities"},
}


def imported_packages(source: str) -> list[tuple[int, str]]:
    """(line, module) for each absolute import of a first-party module in `source`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return [(line, name) for line, name in found if name.split(".")[0] in FIRST_PARTY]


def layer_violations(package: str, path: str, source: str) -> list[str]:
    allowed = ALLOWED[package] | {package}
    return [
        f"{path}:{line}: {package} may not import {name}"
        for line, name in imported_packages(source)
        if name.split(".")[0] not in allowed
    ]


def test_every_module_keeps_to_its_layer():
    root = Path(settings.BASE_DIR)
    problems, modules = [], 0
    for package in ALLOWED:
        for path in sorted((root / package).rglob("*.py")):
            modules += 1
            relative = str(path.relative_to(root))
            problems += layer_violations(package, relative, path.read_text())
    assert modules > 40, "the packages were not found"
    assert not problems, "imports that break the layers:\n" + "\n".join(problems)


def test_the_check_names_the_file_and_the_import():
    bad = (
        "import datetime\nfrom cxportal.data import datasets\nfrom priorities.models import Goal\n"
    )
    assert layer_violations("hisps", "hisps/views.py", bad) == [
        "hisps/views.py:2: hisps may not import cxportal.data",
        "hisps/views.py:3: hisps may not import priorities.models",
    ]
    inside_a_function = "def f():\n    from hisps.models import Hisp\n"
    assert layer_violations("content", "content/x.py", inside_a_function) == [
        "content/x.py:2: content may not import hisps.models"
    ]
    assert layer_violations("priorities", "priorities/x.py", "from hisps import models\n") == []


def test_the_shared_package_is_installed_and_holds_the_machinery():
    """The bottom layer holds the publishing rule, fiscal quarters, Markdown, the admin and import
    bases and the template tags; none of them is left in the project package."""
    root = Path(settings.BASE_DIR)
    for name in ("publishing", "fiscal", "markdown", "admin", "importing", "templatetags/cx"):
        assert (root / "content" / f"{name}.py").exists(), name
    for name in ("publishing", "fiscal", "markdown", "importing", "templatetags/cx"):
        assert not (root / "cxportal" / f"{name}.py").exists(), name
    assert "content" in settings.INSTALLED_APPS
