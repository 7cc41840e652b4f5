"""No import circles among atlas_desktop's modules.

The graph is grimp's (the one import-linter checks the layers on), which records every
import statement of a module, those inside functions included: a deferred import still
ties two modules together, and a circle through one breaks as soon as someone moves it to
the top of the file. Imports under ``if TYPE_CHECKING:`` are left out: they never run, and
an annotation naming a class that uses it back (a request handler and its server) is not a
dependency of either module's code.
"""

from __future__ import annotations

from collections.abc import Mapping, Set

import grimp

PACKAGE = "atlas_desktop"


def import_circles(edges: Mapping[str, Set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (or a module importing
    itself), each sorted; Tarjan's algorithm, iterative so that deep chains cannot overflow
    Python's stack."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges.get(root, ()))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            for nxt in successors:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(edges.get(nxt, ())))))
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1 or node in edges.get(node, ()):
                        circles.append(sorted(component))
    return circles


def test_the_circle_finder_finds_circles_and_only_circles():
    edges = {
        "a": {"b"}, "b": {"c"}, "c": {"a", "d"},  # a -> b -> c -> a
        "d": {"e"}, "e": set(),                     # a chain, no circle
        "f": {"f"},                                 # a module importing itself
        "g": {"h"}, "h": {"g"},                     # two modules importing each other
    }
    assert sorted(import_circles(edges)) == [["a", "b", "c"], ["f"], ["g", "h"]]
    assert import_circles({"x": {"y"}, "y": set()}) == []


def test_a_deferred_import_counts_as_an_import():
    graph = grimp.build_graph(PACKAGE, cache_dir=None, exclude_type_checking_imports=True)
    # app.py imports the GUI inside main() only (the CLI starts without Qt).
    assert graph.direct_import_exists(importer="atlas_desktop.app",
                                      imported="atlas_desktop.gui.application")


def test_no_import_circles_among_atlas_desktop_modules():
    graph = grimp.build_graph(PACKAGE, cache_dir=None, exclude_type_checking_imports=True)
    edges = {module: graph.find_modules_directly_imported_by(module)
             for module in graph.modules}
    circles = import_circles(edges)
    details = []
    for circle in circles:
        members = set(circle)
        for importer in circle:
            for imported in sorted(edges[importer] & members):
                line = graph.get_import_details(importer=importer, imported=imported)
                where = ", ".join(str(d["line_number"]) for d in line)
                details.append(f"  {importer} -> {imported} (line {where})")
    assert not circles, "import circles:\n" + "\n".join(details)
