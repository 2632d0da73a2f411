"""A Sphinx directive that draws a workflow from its data, at build time.

```{workflow-diagram} ticketflow.presets.support_portal
```

imports the module and draws its ``WORKFLOW`` (a module without one: the workflow of
its ``desk()``). ``:attribute:`` names another attribute: a ``Workflow``, a ``Desk``,
or a function of no arguments that returns either (``:attribute: engineering_desk``).
:func:`ticketflow.diagram.to_dot` writes the DOT text and ``sphinx.ext.graphviz`` runs
``dot``. The picture is never checked in: every build draws it afresh from the data, so
it cannot drift from the workflow.

A workflow's diagram is wide (a real desk's is thousands of points across), so the HTML
page shows it fitted to the column, as an image that links to the SVG itself: a click
opens it at full size. Other builders draw it as ``sphinx.ext.graphviz`` draws any
graph.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.ext.graphviz import (
    figure_wrapper,
    graphviz,
    latex_visit_graphviz,
    man_visit_graphviz,
    render_dot,
    texinfo_visit_graphviz,
    text_visit_graphviz,
)
from sphinx.util.docutils import SphinxDirective
from sphinx.writers.html5 import HTML5Translator

from ticketflow import Desk, Workflow
from ticketflow.diagram import to_dot


def workflow_of(module_name: str, attribute: str | None = None) -> Workflow:
    """The workflow that ``module_name`` holds, as the directive reads it.

    Args:
        module_name: a dotted module name (``ticketflow.presets.support_portal``).
        attribute: the attribute to draw; by default ``WORKFLOW``, else ``desk``.

    Raises:
        LookupError: the module or the attribute does not exist.
        TypeError: the attribute is no workflow, no desk and no function giving one.

    >>> workflow_of("ticketflow.presets.servicenow").name
    'servicenow-incident'
    >>> workflow_of("ticketflow.presets.escalation_process", "engineering_desk").name
    'engineering-task'
    """
    module = importlib.import_module(module_name)
    names = [attribute] if attribute else ["WORKFLOW", "desk"]
    found = next((getattr(module, n) for n in names if hasattr(module, n)), None)
    if found is None:
        raise LookupError(
            f"{module_name} has no {' or '.join(names)}: name the attribute to draw "
            "with :attribute:"
        )
    if callable(found) and not isinstance(found, Workflow | Desk):
        found = found()
    if isinstance(found, Desk):
        found = found.workflow
    if not isinstance(found, Workflow):
        raise TypeError(
            f"{module_name}.{attribute or names[0]} is a {type(found).__name__}: draw a "
            "Workflow, a Desk, or a function of no arguments that returns one"
        )
    return found


class workflow_diagram(graphviz):  # noqa: N801  (docutils names its node classes so)
    """A graphviz node drawn as a workflow's diagram: in HTML, a linked, fitted image."""


def visit_workflow_diagram(translator: HTML5Translator, node: workflow_diagram) -> None:
    """Writes the diagram's SVG and an image of it that links to it."""
    source, _ = render_dot(translator, node["code"], node["options"], "svg", "workflow")
    if source is not None:  # else dot failed, and sphinx.ext.graphviz said why
        href = translator.attval(str(source).replace("\\", "/"))
        alt = translator.attval(node["alt"])
        translator.body.append(
            f'<div class="workflow-diagram"><a class="reference external" href="{href}" '
            f'title="Open the diagram at full size"><img src="{href}" alt="{alt}" /></a>'
            "</div>\n"
        )
    raise nodes.SkipNode


class WorkflowDiagram(SphinxDirective):
    """The state diagram of the workflow a module holds, rendered by Graphviz."""

    required_arguments = 1
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        "attribute": directives.unchanged,
        "caption": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        """The graphviz node (in a figure when there is a caption)."""
        try:
            workflow = workflow_of(self.arguments[0], self.options.get("attribute"))
        except (ImportError, LookupError, TypeError) as error:
            raise self.error(f"workflow-diagram: {error}") from error
        node = workflow_diagram()
        node["code"] = to_dot(workflow)
        node["options"] = {"docname": self.env.current_document.docname}
        node["alt"] = f"The state diagram of the workflow {workflow.name!r}"
        if "caption" not in self.options:
            return [node]
        return [figure_wrapper(self, node, self.options["caption"])]


def setup(app: Sphinx) -> dict[str, Any]:
    """Registers the ``workflow-diagram`` directive."""
    app.setup_extension("sphinx.ext.graphviz")
    app.add_node(
        workflow_diagram,
        html=(visit_workflow_diagram, None),
        latex=(latex_visit_graphviz, None),
        texinfo=(texinfo_visit_graphviz, None),
        text=(text_visit_graphviz, None),
        man=(man_visit_graphviz, None),
    )
    app.add_directive("workflow-diagram", WorkflowDiagram)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
