"""The package's public names and their docstrings, read from the source with :mod:`ast`.

A public module is one whose dotted name has no part starting with an underscore
(``ticketflow``, ``ticketflow.codec``, ``ticketflow.presets.servicenow``, ...); its public
names are its ``__all__``. A name's docstring is found where the name is defined,
following ``from ... import`` re-exports into the private modules: a class's or a
function's own docstring, a module's, or the string literal right after a constant's
assignment or declaration (the attribute docstring autodoc reads for a module's own
constants, but not for one it re-exports). The docs' autodoc hook (``ticketflow_api``)
and ``tests/test_docs_site.py`` both ask this module, so the page and the check agree.

Nothing is imported: the source is parsed, so the check needs neither Sphinx nor the
optional dependencies of ``ticketflow.host``.

>>> docstring("ticketflow", "AGENT")  # defined in ticketflow._vocabulary
"The role of the desk's support staff."
"""

from __future__ import annotations

import ast
import functools
import inspect
from collections.abc import Iterator
from pathlib import Path
from typing import Final

SOURCE: Final = Path(__file__).resolve().parents[2] / "src"
"""The folder that holds the ``ticketflow`` package."""
PACKAGE: Final = "ticketflow"
"""The package whose public names are read."""


def module_path(module: str, source: Path = SOURCE) -> Path | None:
    """The file of ``module`` (a package's ``__init__.py``) under ``source``, if any."""
    base = source.joinpath(*module.split("."))
    for candidate in (base / "__init__.py", base.with_suffix(".py")):
        if candidate.is_file():
            return candidate
    return None


def public_modules(source: Path = SOURCE, package: str = PACKAGE) -> tuple[str, ...]:
    """Every public module of ``package``, sorted (``__main__`` is a script, not a module).

    >>> "ticketflow.codec" in public_modules(), "ticketflow._desk" in public_modules()
    (True, False)
    """
    names = set()
    for path in (source / package).rglob("*.py"):
        parts = path.relative_to(source).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if not any(part.startswith("_") for part in parts):
            names.add(".".join(parts))
    return tuple(sorted(names))


@functools.cache
def _tree(module: str, source: Path) -> ast.Module:
    path = module_path(module, source)
    if path is None:
        raise LookupError(f"{module!r} is no module under {source}: name one that exists")
    return ast.parse(path.read_text(encoding="utf-8"))


def exported(module: str, source: Path = SOURCE) -> tuple[str, ...]:
    """The names in ``module``'s ``__all__``, in its order (empty without one).

    >>> exported("ticketflow.diagram")
    ('Edge', 'edges', 'to_dot', 'to_mermaid', 'transition_label')
    """
    for node in _tree(module, source).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
        ):
            return tuple(ast.literal_eval(node.value))
    return ()


def _absolute(module: str, node: ast.ImportFrom, source: Path) -> str:
    """The module a ``from ... import`` names, relative imports made absolute."""
    if not node.level:
        return node.module or ""
    is_package = module_path(module, source) == source.joinpath(*module.split("."), "__init__.py")
    parts = (module if is_package else module.rpartition(".")[0]).split(".")
    base = parts[: len(parts) - node.level + 1]
    return ".".join([*base, node.module] if node.module else base)


def docstring(module: str, name: str, source: Path = SOURCE) -> str | None:
    """The docstring of ``name`` as ``module`` exports it, or ``None`` if it has none.

    Args:
        module: a dotted module name under ``source``.
        name: a name the module defines, imports from the package, or a submodule.
        source: the folder that holds the package.

    >>> docstring("ticketflow", "handle").splitlines()[0]
    'Decide, then record: the new ticket and the events that explain the change.'
    >>> docstring("ticketflow.presets", "servicenow").split(",")[0]
    'The ServiceNow incident workflow'
    """
    package = module.split(".", maxsplit=1)[0]
    for body, index in _statements(_tree(module, source).body):
        node = body[index]
        if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            if node.name == name:
                return ast.get_docstring(node)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                return _string_after(body, index)
        elif isinstance(node, ast.ImportFrom):
            origin = _absolute(module, node, source)
            for alias in node.names:
                if (alias.asname or alias.name) != name or origin.split(".")[0] != package:
                    continue
                if module_path(f"{origin}.{alias.name}", source) is not None:
                    return ast.get_docstring(_tree(f"{origin}.{alias.name}", source))
                return docstring(origin, alias.name, source)
    if module_path(f"{module}.{name}", source) is not None:  # a lazily imported submodule
        return ast.get_docstring(_tree(f"{module}.{name}", source))
    return None


def _statements(body: list[ast.stmt]) -> Iterator[tuple[list[ast.stmt], int]]:
    """Every module-level statement as (its block, its index there), the blocks of a
    module-level ``if`` (``if TYPE_CHECKING:``) and ``try`` included."""
    for index, node in enumerate(body):
        yield body, index
        if isinstance(node, ast.If):
            yield from _statements(node.body)
            yield from _statements(node.orelse)
        elif isinstance(node, ast.Try):
            for block in (node.body, node.orelse, node.finalbody):
                yield from _statements(block)


def _string_after(body: list[ast.stmt], index: int) -> str | None:
    """The string literal right after ``body[index]``, cleaned as a docstring is."""
    if index + 1 < len(body):
        following = body[index + 1]
        if isinstance(following, ast.Expr) and isinstance(following.value, ast.Constant):
            value = following.value.value
            if isinstance(value, str):
                return inspect.cleandoc(value)
    return None
