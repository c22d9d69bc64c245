"""No view over 40 lines (ruff has no rule for it).

A view that grows past 40 lines branches on domain state or reads what a selector should: the
rule goes to a service, the read to a selector, an export to its own view. Every public function
of every app's views module counts (``regie/<app>/views.py``, ``regie/<app>/*_views.py`` and a
``views/`` package), from its ``def`` line to its last line, decorators aside.
"""

import ast
from pathlib import Path

REGIE = Path(__file__).resolve().parents[1]
MAX_LINES = 40


def view_modules() -> list[Path]:
    found = {*REGIE.glob("*/views.py"), *REGIE.glob("*/*_views.py"), *REGIE.glob("*/views/*.py")}
    return sorted(found)


def long_views(source: str, *, limit: int = MAX_LINES) -> list[tuple[str, int]]:
    """The public module-level functions of ``source`` longer than ``limit`` lines."""
    return [
        (node.name, node.end_lineno - node.lineno + 1)
        for node in ast.parse(source).body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and not node.name.startswith("_")
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > limit
    ]


def test_the_view_modules_are_found() -> None:
    names = {path.relative_to(REGIE).as_posix() for path in view_modules()}
    assert {"plans/views.py", "registry/views.py", "registry/import_views.py"} <= names


def test_a_long_view_is_reported() -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(40))
    source = f"def page(request):\n{body}\n\n\ndef _helper():\n{body}\n"
    assert long_views(source) == [("page", 41)]


def test_no_view_is_over_40_lines() -> None:
    offenders = [
        f"{path.relative_to(REGIE)}: {name} ({lines} lines)"
        for path in view_modules()
        for name, lines in long_views(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], "views over 40 lines:\n" + "\n".join(offenders)
