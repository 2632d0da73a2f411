"""The package's shape, checked from its source: dependencies flow one way, the core
does no I/O, presets are desks built from the public API, and values have one
construction path. Read with :mod:`ast`, so a lazy or type-only import counts too."""

from __future__ import annotations

import ast
import functools
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "ticketflow"

# The optional modules around the core: they may use what the core may not. The
# reference host (ticketflow.host and its private _host_* modules) does I/O and imports
# psycopg.
OUTSIDE_THE_CORE = frozenset(
    {
        "ticketflow.__main__",
        "ticketflow.cli",
        "ticketflow.codec",
        "ticketflow.testing",
        "ticketflow.whatif",
        "ticketflow.host",
        "ticketflow._host_errors",
        "ticketflow._host_postgres",
        "ticketflow._host_run",
        "ticketflow._host_sqlite",
        "ticketflow._host_store",
    }
)
# What the core may import besides the standard library.
CORE_LIBRARIES = frozenset({"attrs", "holidays"})
# Standard-library modules (with their submodules) that read or write the world.
INPUT_OUTPUT = frozenset(
    {
        "csv",
        "fileinput",
        "glob",
        "gzip",
        "http",
        "importlib.resources",
        "io",
        "mmap",
        "os",
        "pathlib",
        "shutil",
        "socket",
        "sqlite3",
        "subprocess",
        "tarfile",
        "tempfile",
        "urllib",
        "zipfile",
    }
)
# The one reading a preset may do: its desk file, package data, through
# importlib.resources.files("ticketflow.presets") (no open(), no other name of the module).
PRESET_PACKAGE_DATA = ("importlib.resources", "files", "ticketflow.presets")
# The one copy helper per value class that may build an instance without __init__.
COPY_HELPERS = frozenset({("_ticket.py", "replace"), ("_sla_clock.py", "replace_clock")})


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@functools.cache
def modules() -> dict[str, ast.Module]:
    """Every module of the package, parsed once for the whole test module (read only)."""
    return {module_name(p): ast.parse(p.read_text()) for p in sorted(PACKAGE.rglob("*.py"))}


def imports(name: str, tree: ast.Module, known: Mapping[str, object]) -> Iterator[str]:
    """Every module ``tree`` imports, at any depth (in functions, under TYPE_CHECKING)."""
    package = name if name in {"ticketflow", "ticketflow.presets"} else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    [*package.split(".")[: len(package.split(".")) - node.level + 1]]
                    + ([base] if base else [])
                )
            yield base
            for alias in node.names:  # ``from ticketflow import _x`` imports a module
                if f"{base}.{alias.name}" in known:
                    yield f"{base}.{alias.name}"


def graph() -> dict[str, set[str]]:
    trees = modules()
    return {
        name: {m for m in imports(name, tree, trees) if m in trees and m != name}
        for name, tree in trees.items()
    }


def cycle_in(edges: Mapping[str, set[str]]) -> list[str] | None:
    """One import cycle, as the modules along it, or ``None``."""
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = 2
        path.pop()
        return None

    for node in sorted(edges):
        if node not in state and (found := visit(node)):
            return found
    return None


def _is_input_output(imported: str) -> bool:
    return any(imported == m or imported.startswith(f"{m}.") for m in INPUT_OUTPUT)


def _dotted(node: ast.expr) -> str | None:
    """``a.b.c`` for an attribute chain on a name, else ``None``."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute) and (base := _dotted(node.value)):
        return f"{base}.{node.attr}"
    return None


def input_output(name: str, tree: ast.Module) -> set[tuple[str, str]]:
    """What module ``name`` (parsed as ``tree``) does of input or output that it may not:
    an I/O module imported (``from importlib import resources`` too) or reached by
    attribute, ``open()`` called; a preset may import ``files`` from
    ``importlib.resources`` and call it on its own package, and calls no ``.open()``."""
    module, allowed_name, package = PRESET_PACKAGE_DATA
    preset = name.startswith("ticketflow.presets")
    reached = set(imports(name, tree, {}))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and not node.level and node.module:
            submodules = {f"{node.module}.{alias.name}" for alias in node.names}
            if preset and node.module == module:
                found |= {n for n in submodules if n != f"{module}.{allowed_name}"}
                reached.discard(module)
            else:
                reached |= {n for n in submodules if _is_input_output(n)}
        elif isinstance(node, ast.Attribute) and (dotted := _dotted(node)):
            reached |= {dotted} if _is_input_output(dotted) else set()
        elif isinstance(node, ast.Call):
            if isinstance(node.func, ast.Name) and node.func.id == "open":
                found.add("open()")
            elif preset and isinstance(node.func, ast.Attribute) and node.func.attr == "open":
                found.add(".open()")
            elif preset and isinstance(node.func, ast.Name) and node.func.id == allowed_name:
                argument = [ast.literal_eval(a) for a in node.args if isinstance(a, ast.Constant)]
                if argument != [package] or node.keywords or len(node.args) != 1:
                    found.add(ast.unparse(node))
    found |= {m for n in reached for m in INPUT_OUTPUT if n == m or n.startswith(f"{m}.")}
    return {(name, problem) for problem in found}


def core() -> dict[str, ast.Module]:
    return {
        name: tree
        for name, tree in modules().items()
        if name not in OUTSIDE_THE_CORE and not name.startswith("ticketflow.presets")
    }


class TestDependencies:
    def test_the_import_graph_has_no_cycle(self) -> None:
        """No module imports, even for type checking only, a module that imports it back."""
        assert cycle_in(graph()) is None

    def test_the_cycle_check_finds_a_cycle(self) -> None:
        """The check itself sees a cycle of three modules (so its silence means something)."""
        assert ["a", "b", "c", "a"] == cycle_in({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()})

    def test_the_core_imports_only_the_standard_library_attrs_and_holidays(self) -> None:
        """The core's third-party imports are attrs and holidays, nothing else."""
        allowed = set(sys.stdlib_module_names) | CORE_LIBRARIES | {"ticketflow", "__future__"}
        strays = {
            (name, imported)
            for name, tree in core().items()
            for imported in imports(name, tree, {})
            if imported.split(".")[0] not in allowed
        }
        assert set() == strays

    def test_the_core_never_imports_a_module_outside_it(self) -> None:
        """No core module imports the codec, the CLI, the testing kit, what-if replay or
        the reference host (which bring cattrs, Hypothesis or a database driver)."""
        known = modules()
        reaching = {
            (name, imported)
            for name, tree in core().items()
            for imported in imports(name, tree, known)
            if imported in OUTSIDE_THE_CORE
        }
        assert set() == reaching

    def test_the_core_and_the_presets_do_no_input_or_output(self) -> None:
        """No core module or preset imports a file, socket or process module, or calls
        open; a preset reads its package's data through importlib.resources alone."""
        found = {
            problem
            for name, tree in modules().items()
            if name not in OUTSIDE_THE_CORE
            for problem in input_output(name, tree)
        }
        assert set() == found

    @pytest.mark.parametrize(
        ("name", "source", "expected"),
        [
            ("ticketflow._x", "import pathlib", {"pathlib"}),
            ("ticketflow._x", "import os.path", {"os"}),
            ("ticketflow._x", "from importlib.resources import files", {"importlib.resources"}),
            ("ticketflow._x", "from importlib import resources", {"importlib.resources"}),
            (
                "ticketflow._x",
                "import importlib\nimportlib.resources.files('a')",
                {"importlib.resources"},
            ),
            ("ticketflow._x", "text = open('desk.toml').read()", {"open()"}),
            ("ticketflow.presets.p", "import io", {"io"}),
            (
                "ticketflow.presets.p",
                "from importlib.resources import as_file",
                {"importlib.resources.as_file"},
            ),
            ("ticketflow.presets.p", "import importlib.resources", {"importlib.resources"}),
            ("ticketflow.presets.p", "files = 1\nfiles('os')", {"files('os')"}),
            ("ticketflow.presets.p", "f(name).joinpath('p.toml').open()", {".open()"}),
            (
                "ticketflow.presets.p",
                "from importlib.resources import files\n"
                "files('ticketflow.presets').joinpath('p.toml').read_text()",
                set(),
            ),
        ],
    )
    def test_the_input_output_check_finds_what_it_forbids(
        self, name: str, source: str, expected: set[str]
    ) -> None:
        """The check sees each forbidden import or call, in the core and in a preset, and
        lets a preset read its package data (so its silence means something)."""
        assert {(name, e) for e in expected} == input_output(name, ast.parse(source))

    def test_presets_are_built_from_the_public_api(self) -> None:
        """A preset imports ticketflow's public namespace (and other presets), never a
        private module, so it is a template a user can copy."""
        private = {
            (name, imported)
            for name, tree in modules().items()
            if name.startswith("ticketflow.presets")
            for imported in imports(name, tree, {})
            if imported.startswith("ticketflow.") and not imported.startswith("ticketflow.presets")
        }
        assert set() == private


class TestOwnership:
    def test_no_private_name_is_imported_from_another_module(self) -> None:
        """A leading underscore means "this module's own": what another module needs
        has a name without one (the modules themselves are private to the package)."""
        crossing = {
            (name, f"{node.module}.{alias.name}")
            for name, tree in modules().items()
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("ticketflow")
            for alias in node.names
            if alias.name.startswith("_") and f"{node.module}.{alias.name}" not in modules()
        }
        assert set() == crossing


class TestValues:
    @pytest.mark.parametrize("needle", ["object.__new__", "__dict__"])
    def test_only_the_copy_helpers_build_values_around_their_constructor(self, needle: str) -> None:
        """Outside the one documented copy helper per class, nothing builds an instance
        without its constructor or patches an instance's dictionary."""
        found = set()
        for path in sorted(PACKAGE.rglob("*.py")):
            tree = ast.parse(path.read_text())
            for node in ast.walk(tree):
                if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                if needle in ast.unparse(node) and (path.name, node.name) not in COPY_HELPERS:
                    # A nested function is reported with its outermost definition.
                    found.add((path.name, node.name))
            if needle in ast.unparse(
                ast.Module(
                    body=[
                        n
                        for n in tree.body
                        if not isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
                    ],
                    type_ignores=[],
                )
            ):
                found.add((path.name, "<module>"))
        assert set() == found

    def test_the_source_has_no_type_ignore(self) -> None:
        """Every line type-checks as written: no ``type: ignore`` comment in the package."""
        marker = "type: " + "ignore"
        found = [
            f"{path.name}:{number}"
            for path in sorted(PACKAGE.rglob("*.py"))
            for number, line in enumerate(path.read_text().splitlines(), 1)
            if marker in line
        ]
        assert [] == found


# Private modules that need no test module of their own, each with why. Empty: every
# module has its specification.
UNTESTED_MODULES: frozenset[str] = frozenset()


class TestTestsMirrorModules:
    def test_every_private_module_has_its_test_module(self) -> None:
        """Each ``src/ticketflow/_x.py`` has ``tests/test_x.py``, so a newcomer finds a
        module's specification from its name (and no exemption outlives its reason)."""
        tests = Path(__file__).resolve().parent
        private = {p.stem for p in PACKAGE.glob("_*.py") if not p.stem.startswith("__")}
        missing = {m for m in private if not (tests / f"test_{m[1:]}.py").is_file()}

        assert set() == missing - UNTESTED_MODULES  # a module without its test module
        assert set() == UNTESTED_MODULES - missing  # an exemption whose reason is gone
