"""Three autodoc repairs for a package that re-exports its names from private modules.

- A constant re-exported by a public namespace (``ticketflow.AGENT``, defined in
  ``ticketflow._vocabulary``) has its attribute docstring in the module that defines it,
  where autodoc does not look: it would print ``str``'s docstring instead. The hook
  puts the docstring :mod:`public_names` finds in its place.
- A type hint names a class by the module that defines it
  (``ticketflow._ticket.Ticket``); the reference documents it under its public name
  (``ticketflow.Ticket``), so an unresolved cross-reference to a private path is
  retried under the public one.
- A module docstring may have section headings (``Theory of operation``, underlined),
  which read well in ``help()`` but inside an autodoc entry would become sections of
  the page (in its table of contents, and a label per heading that repeats across
  preset pages): they are shown as rubrics instead.
"""

from __future__ import annotations

import re
from typing import Any, Final

import public_names
from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

_UNDERLINE: Final = re.compile(r"^([=\-~^\"'`#*+.:_])\1+$")


def _split(full_name: str) -> tuple[str, str] | None:
    """``full_name`` as (its public module, the name in it), if a public module holds it."""
    modules = set(public_names.public_modules())
    module, _, name = full_name.rpartition(".")
    return (module, name) if module in modules else None


# Sphinx calls its event handlers with positional arguments: their signatures are its.


def fill_data_docstring(  # noqa: PLR0917
    app: Sphinx, what: str, name: str, obj: object, options: object, lines: list[str]
) -> None:
    """Replaces a public constant's docstring with the one written beside its definition."""
    if what != "data" or (found := _split(name)) is None:
        return
    text = public_names.docstring(*found)
    lines[:] = text.splitlines() if text else []


def headings_as_rubrics(  # noqa: PLR0917
    app: Sphinx, what: str, name: str, obj: object, options: object, lines: list[str]
) -> None:
    """Replaces each underlined heading of a module docstring with a rubric."""
    if what != "module":
        return
    done: list[str] = []
    index = 0
    while index < len(lines):
        title = lines[index].strip()
        below = lines[index + 1].strip() if index + 1 < len(lines) else ""
        if title and _UNDERLINE.match(below) and len(below) >= len(title):
            done.extend([f".. rubric:: {title}", ""])
            index += 2
            continue
        done.append(lines[index])
        index += 1
    lines[:] = done


def public_target(
    app: Sphinx, env: BuildEnvironment, node: pending_xref, contnode: nodes.TextElement
) -> nodes.Element | None:
    """Resolves ``ticketflow._private.Name`` as the public ``ticketflow.Name``."""
    target = node.get("reftarget", "")
    if node.get("refdomain") != "py" or not target.startswith("ticketflow._"):
        return None
    name = target.rpartition(".")[2]
    if name not in public_names.exported("ticketflow"):
        return None
    public = node.deepcopy()
    public["reftarget"] = f"ticketflow.{name}"
    domain = env.get_domain("py")
    return domain.resolve_xref(
        env, node["refdoc"], app.builder, node["reftype"], public["reftarget"], public, contnode
    )


def setup(app: Sphinx) -> dict[str, Any]:
    """Connects the three repairs."""
    app.connect("autodoc-process-docstring", fill_data_docstring)
    app.connect("autodoc-process-docstring", headings_as_rubrics)
    app.connect("missing-reference", public_target)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
