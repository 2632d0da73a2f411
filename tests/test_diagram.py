"""Diagrams generated from a workflow's data (:mod:`ticketflow.diagram`)."""

from __future__ import annotations

import importlib
import shutil
import subprocess
from datetime import timedelta

import pytest

from ticketflow import (
    BusinessDays,
    Category,
    Reaction,
    Status,
    Timer,
    Transition,
    Workflow,
    presets,
)
from ticketflow.diagram import edges, to_dot, to_mermaid, transition_label

PRESETS = presets.__all__
RENDERERS = {"mermaid": to_mermaid, "dot": to_dot}


def preset_workflow(name: str) -> Workflow:
    workflow: Workflow = importlib.import_module(f"ticketflow.presets.{name}").desk().workflow
    return workflow


def awkward() -> Workflow:
    """Statuses named like the languages' keywords, with quotes and arrows in them."""
    return Workflow(
        name='odd "one"',
        initial="end",
        statuses=(
            Status("end", Category.NEW),
            Status('say "hi" --> |x|', Category.ACTIVE, label="a#b <c> \\d"),
            Status("graph", Category.CLOSED),
        ),
        transitions=(
            Transition(action="go", sources="end", target='say "hi" --> |x|', roles="agent"),
            Transition(
                action="stop",
                sources='say "hi" --> |x|',
                target="graph",
                roles={"agent", "system"},
            ),
        ),
        reactions=(Reaction(on="customer_reply", sources="graph", target="end"),),
        timers=(
            Timer(
                name="nudge",
                statuses='say "hi" --> |x|',
                after=BusinessDays(3),
                action="stop",
            ),
        ),
    )


def small() -> Workflow:
    return Workflow(
        name="small",
        initial="open",
        statuses=(
            Status("open", Category.NEW),
            Status("solved", Category.RESOLVED),
            Status("closed", Category.CLOSED),
        ),
        transitions=(
            Transition(action="solve", sources="open", target="solved", roles={"agent"}),
            Transition(action="close", sources="solved", target="closed", roles={"system"}),
            Transition(
                action="finish", sources="open", target="solved", roles="agent", then=("closed",)
            ),
        ),
        reactions=(Reaction(on="customer_reply", sources="solved", target="open"),),
        timers=(Timer(name="auto", statuses="solved", after=timedelta(hours=4), action="close"),),
    )


class TestEdges:
    def test_a_transition_is_an_edge_from_each_source_labelled_with_action_and_roles(
        self,
    ) -> None:
        """A transition is drawn from each of its sources, labelled with its action and roles."""
        assert ("open", "solved", "solve [agent]", "transition") in {
            (e.source, e.target, e.label, e.kind) for e in edges(small())
        }

    def test_a_chained_follow_on_is_a_then_edge(self) -> None:
        """A transition's follow-on status is a ``then`` edge from its target."""
        assert ("solved", "closed", "then") in {
            (e.source, e.target, e.kind) for e in edges(small())
        }

    def test_a_timer_is_labelled_with_its_duration_and_action(self) -> None:
        """A timer's edge says how long it waits and which action the system performs."""
        timers = [e for e in edges(small()) if e.kind == "timer"]
        assert [("solved", "closed", "after 4:00:00: close")] == [
            (e.source, e.target, e.label) for e in timers
        ]

    def test_a_reaction_is_labelled_with_its_reply(self) -> None:
        """A reply reaction's edge is labelled with the reply that triggers it."""
        assert [("solved", "open", "customer_reply")] == [
            (e.source, e.target, e.label) for e in edges(small()) if e.kind == "reaction"
        ]


class TestMermaid:
    def test_timers_are_dashed_and_reactions_dotted(self) -> None:
        """Timer and reaction links get their own dash pattern."""
        text = to_mermaid(small())
        assert "stroke-dasharray: 8 4" in text
        assert "stroke-dasharray: 2 3" in text

    def test_terminal_statuses_are_marked(self) -> None:
        """A terminal status is in the ``terminal`` class."""
        assert "class s2 terminal" in to_mermaid(small())

    def test_awkward_names_are_escaped(self) -> None:
        """Quotes, pipes and angle brackets in a name become entity codes; names never ids."""
        text = to_mermaid(awkward())
        assert "say #quot;hi#quot; --#gt; #124;x#124;" in text
        assert "a#35;b #lt;c#gt;" in text
        assert not any(line.strip().startswith("end[") for line in text.splitlines())


def fan_in() -> Workflow:
    """Four statuses a ``close [agent]`` leaves for ``closed``, one a ``solve`` leaves."""
    return Workflow(
        name="fan-in",
        initial="new",
        statuses=(
            Status("new", Category.NEW),
            Status("open", Category.ACTIVE),
            Status("pending", Category.WAITING_ON_CUSTOMER),
            Status("solved", Category.RESOLVED),
            Status("closed", Category.CLOSED),
        ),
        transitions=(
            Transition(action="solve", sources="open", target="solved", roles="agent"),
            Transition(
                action="close", sources={"new", "open", "pending"}, target="closed", roles="agent"
            ),
            Transition(action="close", sources="solved", target="closed", roles="agent"),
            Transition(action="start", sources="new", target="open", roles="agent"),
            Transition(action="ask", sources="open", target="pending", roles="agent"),
        ),
    )


class TestDot:
    def test_the_diagram_runs_top_to_bottom(self) -> None:
        """A diagram is laid out from the top down, as a page is read."""
        assert "  rankdir=TB;" in to_dot(small()).splitlines()

    def test_one_action_from_many_statuses_is_labelled_once(self) -> None:
        """Given close from four statuses to closed, when drawn, then the four arrows
        join at a point and one arrow, labelled once, goes on to closed."""
        lines = to_dot(fan_in()).splitlines()

        assert [
            '  j1 [shape=point, width=0.06, label=""];',
            "  s0 -> j1 [style=solid, arrowhead=none];",
            "  s1 -> j1 [style=solid, arrowhead=none];",
            "  s2 -> j1 [style=solid, arrowhead=none];",
            "  s3 -> j1 [style=solid, arrowhead=none];",
            '  j1 -> s4 [label="close [agent]", style=solid];',
        ] == [line for line in lines if "j1" in line]

    def test_an_action_from_fewer_statuses_keeps_its_labelled_arrows(self) -> None:
        """Given solve from one status, when drawn, then it is one labelled arrow."""
        lines = to_dot(fan_in()).splitlines()

        assert ['  s1 -> s3 [label="solve [agent]", style=solid];'] == [
            line for line in lines if '"solve [agent]"' in line
        ]

    def test_styles_per_kind(self) -> None:
        """Timers are dashed, reactions dotted, follow-ons bold, terminal statuses doubled."""
        text = to_dot(small())
        for needle in ("style=dashed", "style=dotted", "style=bold", "peripheries=2"):
            assert needle in text

    def test_quotes_and_backslashes_are_escaped(self) -> None:
        """A quote or a backslash in a name is escaped inside its DOT string."""
        text = to_dot(awkward())
        assert 'digraph "odd \\"one\\"" {' in text
        assert '"a#b <c> \\\\d (say \\"hi\\" --> |x|)"' in text


@pytest.mark.parametrize("name", PRESETS)
@pytest.mark.parametrize("language", sorted(RENDERERS))
def test_every_preset_diagram_shows_every_status_and_transition(name: str, language: str) -> None:
    """Each preset's diagram names every status and labels every transition."""
    workflow = preset_workflow(name)
    text = RENDERERS[language](workflow)
    for status in workflow.statuses:
        assert status.name in text
    for transition in workflow.transitions:
        assert transition_label(transition.action, transition.roles) in text


@pytest.mark.parametrize("workflow", [awkward(), *map(preset_workflow, PRESETS)])
def test_graphviz_accepts_the_dot_text(workflow: Workflow) -> None:
    """``dot -Tsvg`` renders every preset's DOT text and the awkward names' one."""
    if shutil.which("dot") is None:
        pytest.skip("Graphviz's dot is not installed, so its parser cannot be asked")
    run = subprocess.run(
        ["dot", "-Tsvg"], input=to_dot(workflow), capture_output=True, text=True, check=False
    )
    assert (0, "") == (run.returncode, run.stderr)
