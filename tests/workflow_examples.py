"""The small workflow the workflow tests build on, and how they build it.

``tests/test_workflow.py``, ``test_workflow_checks.py`` and ``test_workflow_documents.py``
share it: a four-status desk (new, open, waiting, done) that each test changes one part
of.
"""

from __future__ import annotations

import pytest

from ticketflow import (
    Category,
    Problem,
    Reaction,
    Status,
    Transition,
    Workflow,
    WorkflowDefinitionError,
)

__all__ = ["REACTIONS", "STATUSES", "TRANSITIONS", "build", "problems_of"]

STATUSES = (
    Status("new", Category.NEW),
    Status("open", Category.ACTIVE),
    Status("waiting", Category.WAITING_ON_CUSTOMER),
    Status("done", Category.CLOSED),
)


TRANSITIONS = (
    Transition(action="start", sources="new", target="open", roles="agent"),
    Transition(action="ask", sources="open", target="waiting", roles="agent"),
    Transition(
        action="close",
        sources={"new", "open", "waiting"},
        target="done",
        roles={"agent", "customer"},
    ),
)


REACTIONS = (Reaction(on="customer_reply", sources="waiting", target="open"),)


def build(**changes: object) -> Workflow:
    """The tiny workflow, with ``changes`` to its constructor arguments."""
    values: dict[str, object] = {
        "name": "tiny",
        "statuses": STATUSES,
        "initial": "new",
        "transitions": TRANSITIONS,
        "reactions": REACTIONS,
    }
    values.update(changes)
    return Workflow(**values)  # type: ignore[arg-type]


def problems_of(**changes: object) -> tuple[Problem, ...]:
    """The problems building the tiny workflow with ``changes`` reports."""
    with pytest.raises(WorkflowDefinitionError) as raised:
        build(**changes)
    return raised.value.problems
