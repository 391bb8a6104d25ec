"""No product code holds a reporting date: periods come from the annual reports (core.periods), and the demo year's
dates live in its demo modules. The scan fails on a date written into a view, an admin view, a statistic, a
block, a service or a template."""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = [
    "advocacy",
    "comms",
    "core",
    "donations",
    "events",
    "monitoring",
    "network",
    "publications",
    "report",
    "stories",
    "yearbook",
]
NOT_PRODUCT = {"demo.py", "factories.py", "conftest.py"}
NOT_PRODUCT_DIRS = {"tests", "migrations", "testing", "vendor", "__pycache__"}
# Modules whose text reaches pages, figures and checks: any date in their strings is a reporting date.
READ_SIDE = {
    "views.py",
    "admin_views.py",
    "statistics.py",
    "selectors.py",
    "blocks.py",
    "services.py",
    "periods.py",
    "figures.py",
    "checker.py",
    "wagtail_hooks.py",
    "charts.py",
    "feed.py",
}
# A date constructed in code, with the reason it is not a reporting date.
ALLOWED_CALLS = {
    ("comms/models/observations.py", "SAMPLE_MOMENT"): "a probe that shows an editor how a date format reads",
    ("monitoring/ingest.py", "EXAMPLE_TIME"): "shows, in a message, how a media export writes its dates",
}

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
DATE_TEXT = re.compile(
    rf"\b(?:1[89]|2[0-9])[0-9]{{2}}-[01][0-9]-[0-3][0-9]\b"  # 2023-07-31
    rf"|\b(?:19|20)[0-9]{{2}}-(?:19|20)[0-9]{{2}}\b"  # 2022-2023
    rf"|\b(?:{MONTHS}) (?:19|20)[0-9]{{2}}\b"  # July 2023
)


def product_modules() -> list[Path]:
    found = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if path.name in NOT_PRODUCT or NOT_PRODUCT_DIRS & set(path.relative_to(ROOT).parts):
                continue
            found.append(path)
    return sorted(found)


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the string constants that are docstrings (examples in prose for the reader, not behaviour)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def date_literals(path: Path) -> list[str]:
    """Where this module builds a date from literal numbers, or (read-side modules) writes one in a string."""
    source = path.read_text()
    tree = ast.parse(source)
    relative = path.relative_to(ROOT).as_posix()
    allowed_lines = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name) and (relative, target.id) in ALLOWED_CALLS:
                    allowed_lines.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
    docstrings = _docstrings(tree)
    problems = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.lineno not in allowed_lines:
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            first = node.args[0] if node.args else None
            if (
                name in ("date", "datetime")
                and isinstance(first, ast.Constant)
                and isinstance(first.value, int)
                and first.value >= 1000
            ):
                problems.append(f"{relative}:{node.lineno}: {ast.get_source_segment(source, node)}")
        if (
            path.name in READ_SIDE
            and isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
            and (match := DATE_TEXT.search(node.value))
        ):
            problems.append(f"{relative}:{node.lineno}: {match[0]!r} in a string")
    return problems


def template_dates(path: Path) -> list[str]:
    text = re.sub(r"\{#.*?#\}", "", path.read_text(), flags=re.S)  # template comments document, never show
    text = re.sub(r'xmlns(?::\w+)?="[^"]*"', "", text)  # namespace URIs hold years (…/2005/Atom)
    return [
        f"{path.relative_to(ROOT).as_posix()}: {match[0]!r}"
        for match in re.finditer(DATE_TEXT.pattern + r"|\b(?:19|20)[0-9]{2}\b", text)
    ]


def test_the_scan_finds_modules_and_templates_to_check():
    modules = product_modules()
    assert ROOT / "comms" / "views.py" in modules and ROOT / "monitoring" / "admin_views.py" in modules
    assert ROOT / "comms" / "demo.py" not in modules
    assert list((ROOT / "templates").rglob("*.html"))


def test_no_product_module_holds_a_reporting_date():
    problems = [problem for path in product_modules() for problem in date_literals(path)]
    assert not problems, "Reporting dates belong in an annual report or demo.py:\n" + "\n".join(problems)


def test_no_template_holds_a_reporting_date():
    templates = [p for p in (ROOT / "templates").rglob("*") if p.suffix in (".html", ".xml", ".txt")]
    problems = [problem for path in templates for problem in template_dates(path)]
    assert not problems, "Templates take their period from the view:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("from datetime import date\nPERIOD_END = date(2023, 7, 31)\n", "views.py"),
        ("import datetime\nEND = datetime.date(2024, 7, 31)\n", "models.py"),
        ("def chart():\n    return 'Change, August 2022 to July 2023'\n", "admin_views.py"),
        ("def api(request):\n    return request.GET.get('period_end') or '2023-07-31'\n", "views.py"),
        ("LABEL = 'Impact 2022-2023'\n", "statistics.py"),
    ],
)
def test_the_scan_catches_each_way_of_writing_a_date(tmp_path, monkeypatch, code, name):
    app = tmp_path / "someapp"
    app.mkdir()
    (app / name).write_text(code)
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    assert date_literals(app / name)


def test_the_scan_catches_a_date_in_a_template(tmp_path, monkeypatch):
    (tmp_path / "impact.html").write_text("{# made for 2023 #}<h1>Impact in numbers, 2022-2023</h1>")
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    assert template_dates(tmp_path / "impact.html") == ["impact.html: '2022-2023'"]
