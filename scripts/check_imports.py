"""Two import rules import-linter's contracts do not state, checked over the project's
packages (migrations included):

- no function or method imports the project's own code: an import inside a function
  hides a dependency, usually one that points up a layer or closes a cycle. Lazy
  imports of third-party libraries are allowed;
- no import cycle between the project's modules (grimp's module graph, no strongly
  connected component of more than one module). Imports under `if TYPE_CHECKING:` do
  not count here: they never run, so they cannot make the import order matter, and
  they are how a module names a type from a module that imports it. The layer
  contracts in pyproject.toml still count them.

Run from anywhere: `python scripts/check_imports.py`. Exit status 1, with every
offender listed, when a rule is broken."""

import ast
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("config", "marketplace", "seekers", "solvers", "payouts", "legal", "dbguards")

Import = ast.Import | ast.ImportFrom


class _FunctionImports(ast.NodeVisitor):
    """The import statements of a module that sit inside a function body."""

    def __init__(self) -> None:
        self.depth = 0
        self.found: list[Import] = []

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Import(self, node: Import) -> None:
        if self.depth:
            self.found.append(node)

    visit_ImportFrom = visit_Import


def _imports_project_code(node: Import, packages: Iterable[str]) -> bool:
    if isinstance(node, ast.ImportFrom):
        return node.level > 0 or (node.module or "").split(".")[0] in packages
    return any(alias.name.split(".")[0] in packages for alias in node.names)


def function_imports(root: Path, packages: Iterable[str]) -> list[str]:
    """`path:line: statement` for each import of the packages' own code inside a
    function or method of theirs."""
    packages = tuple(packages)
    offenders = []
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            visitor = _FunctionImports()
            visitor.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
            offenders += [
                f"{path.relative_to(root)}:{node.lineno}: {ast.unparse(node)}"
                for node in visitor.found
                if _imports_project_code(node, packages)
            ]
    return offenders


def _components(graph: grimp.ImportGraph) -> Iterator[set[str]]:
    """The strongly connected components of the module graph (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    for start in sorted(graph.modules):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.find_modules_directly_imported_by(start))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            module, imported = work[-1]
            for other in imported:
                if other not in index:
                    index[other] = low[other] = len(index)
                    stack.append(other)
                    on_stack.add(other)
                    work.append(
                        (other, iter(sorted(graph.find_modules_directly_imported_by(other))))
                    )
                    break
                if other in on_stack:
                    low[module] = min(low[module], index[other])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[module])
                if low[module] == index[module]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == module:
                            break
                    yield component


def import_cycles(packages: Iterable[str]) -> list[list[str]]:
    """Each group of the packages' modules that import one another in a cycle (sorted),
    imports under `if TYPE_CHECKING:` left out. The packages must be importable."""
    graph = grimp.build_graph(*packages, exclude_type_checking_imports=True, cache_dir=None)
    return sorted(sorted(c) for c in _components(graph) if len(c) > 1)


def main() -> int:
    sys.path.insert(0, str(ROOT))
    local = function_imports(ROOT, PACKAGES)
    cycles = import_cycles(PACKAGES)
    for line in local:
        print(f"import inside a function: {line}")
    for cycle in cycles:
        print(f"import cycle: {' <-> '.join(cycle)}")
    if local or cycles:
        return 1
    print("Imports: none inside functions, no cycles.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
