"""The package's imports point one way: no module reaches, directly or through others, back to itself."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "pipeline"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path, modules: set[str]) -> set[str]:
    """The package's modules that ``path`` imports, at the top or inside a function alike."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            # "from .x import y" may name a module y or a name y defined in x.
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def import_graph() -> dict[str, set[str]]:
    paths = sorted(PACKAGE.rglob("*.py"))
    modules = {module_name(path) for path in paths}
    return {module_name(path): imported_modules(path, modules) for path in paths}


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of two or more modules (Tarjan), each as a sorted list."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in graph.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_the_graph_sees_function_level_and_relative_imports() -> None:
    graph = import_graph()
    assert "pipeline.model" in graph["pipeline.build"]
    assert "pipeline.renderers" in graph["pipeline.build"]
    # A module imported inside a function counts as much as one at the top.
    assert "distributed" not in graph["pipeline.cluster"]


def test_the_cycle_finder_finds_a_circle() -> None:
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert find_cycles({"a": {"b"}, "b": set()}) == []


def test_no_module_imports_itself_through_others() -> None:
    cycles = find_cycles(import_graph())
    assert cycles == [], "import circles: " + "; ".join(" <-> ".join(group) for group in cycles)


# Each rule: modules under the first prefix import nothing under the second, except the modules named.
LAYERS = [
    ("pipeline.audio", "pipeline.text", {"pipeline.text.words"}),
    ("pipeline.readers", "pipeline.audio", set()),
    ("pipeline.readers", "pipeline.renderers", set()),
    ("pipeline.text", "pipeline.audio", set()),
    ("pipeline.renderers", "pipeline.web", set()),
    ("pipeline.checks", "pipeline.web", set()),
    ("pipeline.audio", "pipeline.web", set()),
    ("pipeline.text", "pipeline.web", set()),
    ("pipeline.model", "pipeline.", {"pipeline.errors"}),
    # A language's folder is data every layer reads: it reads no other part of handout.
    ("pipeline.languages", "pipeline.", set()),
]


def under(module: str, prefix: str) -> bool:
    return module == prefix.rstrip(".") or module.startswith(prefix.rstrip(".") + ".")


def layer_breaks(graph: dict[str, set[str]]) -> list[str]:
    found = []
    for low, high, allowed in LAYERS:
        for module, imports in graph.items():
            if under(module, low):
                found += [f"{module} imports {target}" for target in sorted(imports)
                          if under(target, high) and target not in allowed and not under(target, low)]
    for module, imports in graph.items():
        found += [f"{module} imports {target}" for target in sorted(imports)
                  if target in ("pipeline.cli", "pipeline.__main__") and module != "pipeline.__main__"]
    return found


def test_the_layer_rules_catch_a_module_reaching_up() -> None:
    graph = {"pipeline.audio.script": {"pipeline.text.readability"}, "pipeline.readers.markdown": {"pipeline.audio"}}
    assert layer_breaks(graph) == ["pipeline.audio.script imports pipeline.text.readability",
                                   "pipeline.readers.markdown imports pipeline.audio"]


def test_low_modules_never_reach_up() -> None:
    """Speech reaches text only through its low words module; readers know nothing of speech or renderers."""
    assert layer_breaks(import_graph()) == []
