"""Diagrams of a workflow, generated from its data: Mermaid and Graphviz DOT text.

Theory of operation
-------------------
A workflow is read once into a list of :class:`Edge` values (:func:`edges`): every
transition from each of its sources (solid, labelled with the action and the roles
allowed to take it), every chained follow-on status (bold, ``then``), every timer
(dashed, labelled with its duration and the action the ``system`` performs), every
scheduled status's wake-up (dashed) and every reply reaction (dotted, labelled with the
reply that triggers it). The two renderers draw the same edges; they differ only in
syntax. Statuses are grouped by category (a Mermaid subgraph, a DOT cluster) and
terminal ones marked (a bold rounded box in Mermaid, a double border in DOT).

Every status is drawn under a generated identifier (``s0``, ``s1``, ...) and its name
appears only inside a quoted, escaped label, so a status called ``end``, ``graph``,
``a "quoted" one`` or ``x --> y`` cannot break the syntax of either language.

The module does no I/O: it returns text, and the host (or ``ticketflow diagram``)
writes it where it wants.

>>> from ticketflow.presets import support_portal
>>> to_mermaid(support_portal.WORKFLOW).splitlines()[0]
'flowchart LR'
>>> to_dot(support_portal.WORKFLOW).splitlines()[0]
'digraph "support-portal" {'
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final, Literal, final

import attrs

from ticketflow._durations import describe
from ticketflow._vocabulary import SINCE_CUSTOMER_ACTIVITY, SYSTEM, Category
from ticketflow._workflow import Workflow

__all__ = ["Edge", "edges", "to_dot", "to_mermaid", "transition_label"]

EdgeKind = Literal["transition", "then", "timer", "wake", "reaction"]

_CATEGORY_ORDER: Final = tuple(c.value for c in Category)


@final
@attrs.frozen
class Edge:
    """One arrow of a workflow's diagram.

    Attributes:
        source: the status it leaves.
        target: the status it enters.
        label: what it says (an action and its roles, a timer's duration, a reply).
        kind: ``transition``, ``then`` (a chained follow-on), ``timer``, ``wake`` (a
            scheduled status's wake-up) or ``reaction`` (a public reply's).
    """

    source: str
    target: str
    label: str
    kind: EdgeKind


def transition_label(action: str, roles: frozenset[str]) -> str:
    """What a transition's arrow says: its action and, in brackets, who may take it.

    >>> transition_label("resolve", frozenset({"system", "agent"}))
    'resolve [agent, system]'
    """
    return f"{action} [{', '.join(sorted(roles))}]"


def _target(workflow: Workflow, status: str, action: str) -> str | None:
    """Where ``system`` performing ``action`` in ``status`` lands (its first step)."""
    route = workflow.route(status, action, SYSTEM)
    if route is not None:
        return route.steps[0][0]
    moves = workflow.transitions_from(status, action)
    return moves[0].target if moves else None


def _raw_edges(workflow: Workflow) -> Iterator[Edge]:
    for transition in workflow.transitions:
        label = transition_label(transition.action, transition.roles)
        for source in sorted(transition.sources):
            yield Edge(source, transition.target, label, "transition")
        previous = transition.target
        for step in transition.then:
            yield Edge(previous, step, f"then (after {transition.action})", "then")
            previous = step
    for timer in workflow.timers:
        since = " of no customer activity" if timer.since == SINCE_CUSTOMER_ACTIVITY else ""
        label = f"after {describe(timer.after)}{since}: {timer.action}"
        for name in sorted(timer.statuses):
            target = _target(workflow, name, timer.action)
            if target is not None:
                yield Edge(name, target, label, "timer")
    for status in workflow.statuses:
        if status.wake_action is not None:
            target = _target(workflow, status.name, status.wake_action)
            if target is not None:
                yield Edge(status.name, target, f"at the set time: {status.wake_action}", "wake")
    for reaction in workflow.reactions:
        within = "" if reaction.within is None else f" within {describe(reaction.within)}"
        for source in sorted(reaction.sources):
            yield Edge(source, reaction.target, f"{reaction.on}{within}", "reaction")


def edges(workflow: Workflow) -> tuple[Edge, ...]:
    """Every arrow of ``workflow``'s diagram, each once, in the order they are declared.

    >>> from ticketflow.presets import support_portal
    >>> [e for e in edges(support_portal.WORKFLOW) if e.kind == "reaction"][0].label
    'customer_reply'
    """
    return tuple(dict.fromkeys(_raw_edges(workflow)))


def _groups(workflow: Workflow) -> list[tuple[str, list[int]]]:
    """The statuses' indexes per category, in the categories' order."""
    by_category: dict[str, list[int]] = {}
    for index, status in enumerate(workflow.statuses):
        by_category.setdefault(status.category, []).append(index)
    order = {name: rank for rank, name in enumerate(_CATEGORY_ORDER)}
    return sorted(by_category.items(), key=lambda item: order.get(item[0], len(order)))


def _status_label(workflow: Workflow, index: int) -> str:
    status = workflow.statuses[index]
    return status.name if status.label == status.name else f"{status.label} ({status.name})"


# -- Mermaid ---------------------------------------------------------------------------

_MERMAID_ARROWS: Final[dict[EdgeKind, str]] = {
    "transition": "-->",
    "then": "==>",
    "timer": "-.->",
    "wake": "-.->",
    "reaction": "-.->",
}
# Mermaid draws every -.-> the same: the timers' dashes and the reactions' dots are set
# per link, by its index among the diagram's links.
_MERMAID_DASHES: Final[dict[EdgeKind, str]] = {
    "timer": "stroke-dasharray: 8 4",
    "wake": "stroke-dasharray: 8 4",
    "reaction": "stroke-dasharray: 2 3",
}


def _mermaid_text(text: str) -> str:
    """``text`` inside a quoted Mermaid label: its specials as entity codes."""
    escaped = text.replace("#", "#35;").replace('"', "#quot;")
    return escaped.replace("<", "#lt;").replace(">", "#gt;").replace("|", "#124;")


def to_mermaid(workflow: Workflow) -> str:
    """``workflow`` as a Mermaid flowchart: statuses grouped by category, terminal
    statuses bold and rounded, every transition, follow-on, timer and reaction drawn.

    Args:
        workflow: the workflow to draw.

    Returns:
        The flowchart's text, ending in a newline.

    >>> from ticketflow import Category, Status, Transition, Workflow
    >>> wf = Workflow(name="tiny", initial="end",
    ...               statuses=(Status("end", Category.NEW), Status("done", Category.CLOSED)),
    ...               transitions=(Transition(action="close", sources="end", target="done",
    ...                                       roles="agent"),))
    >>> print(to_mermaid(wf))  # doctest: +NORMALIZE_WHITESPACE
    flowchart LR
      %% workflow "tiny"
      begin(("start")) --> s0
      subgraph c0["new"]
        s0["end"]
      end
      subgraph c1["closed"]
        s1(["done"])
      end
      s0 -->|"close [agent]"| s1
      classDef terminal stroke-width:4px
      class s1 terminal
    <BLANKLINE>
    """
    ids = {status.name: f"s{index}" for index, status in enumerate(workflow.statuses)}
    lines = [
        "flowchart LR",
        f'  %% workflow "{_mermaid_text(workflow.name)}"',
        f'  begin(("start")) --> {ids[workflow.initial]}',
    ]
    terminal = [ids[s.name] for s in workflow.statuses if s.terminal]
    for number, (category, members) in enumerate(_groups(workflow)):
        lines.append(f'  subgraph c{number}["{_mermaid_text(category)}"]')
        for index in members:
            label = _mermaid_text(_status_label(workflow, index))
            shape = '(["{}"])' if workflow.statuses[index].terminal else '["{}"]'
            lines.append(f"    s{index}{shape.format(label)}")
        lines.append("  end")
    styles: dict[str, list[int]] = {}
    for link, edge in enumerate(edges(workflow), start=1):  # link 0 is the start arrow
        arrow = _MERMAID_ARROWS[edge.kind]
        label = _mermaid_text(edge.label)
        lines.append(f'  {ids[edge.source]} {arrow}|"{label}"| {ids[edge.target]}')
        if edge.kind in _MERMAID_DASHES:
            styles.setdefault(_MERMAID_DASHES[edge.kind], []).append(link)
    for style, links in styles.items():
        lines.append(f"  linkStyle {','.join(map(str, links))} {style}")
    if terminal:
        lines.append("  classDef terminal stroke-width:4px")
        lines.append(f"  class {','.join(terminal)} terminal")
    return "\n".join(lines) + "\n"


# -- Graphviz DOT ----------------------------------------------------------------------

JOINED_FROM: Final = 3
"""From this many sources, the DOT edges of one label, kind and target join at a point
and the label is drawn once (:func:`to_dot`)."""

_DOT_STYLES: Final[dict[EdgeKind, str]] = {
    "transition": "solid",
    "then": "bold",
    "timer": "dashed",
    "wake": "dashed",
    "reaction": "dotted",
}


def _dot_text(text: str) -> str:
    """``text`` as a DOT double-quoted string (backslashes and quotes escaped)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_dot(workflow: Workflow) -> str:
    """``workflow`` as a Graphviz DOT digraph, laid out from the top down: a cluster per
    category, terminal statuses double-bordered, transitions solid, follow-ons bold,
    timers dashed and reactions dotted. The arrows of one label into one status from
    :data:`JOINED_FROM` statuses or more join at a point, and one arrow labelled once
    goes on from it (a desk whose customers may cancel from every open status draws
    one ``cancel [customer]``, not seven).

    Args:
        workflow: the workflow to draw.

    Returns:
        The digraph's text, ending in a newline (``dot -Tsvg`` renders it).

    >>> from ticketflow import Category, Status, Transition, Workflow
    >>> wf = Workflow(name='say "hi"', initial="open",
    ...               statuses=(Status("open", Category.NEW), Status("done", Category.CLOSED)),
    ...               transitions=(Transition(action="close", sources="open", target="done",
    ...                                       roles="agent"),))
    >>> print(to_dot(wf))  # doctest: +NORMALIZE_WHITESPACE
    digraph "say \\"hi\\"" {
      rankdir=TB;
      newrank=true;
      node [shape=box, style=rounded];
      start [shape=point, label=""];
      start -> s0;
      subgraph cluster_0 {
        label="new";
        s0 [label="open"];
      }
      subgraph cluster_1 {
        label="closed";
        s1 [label="done", peripheries=2];
      }
      s0 -> s1 [label="close [agent]", style=solid];
    }
    <BLANKLINE>
    """
    ids = {status.name: f"s{index}" for index, status in enumerate(workflow.statuses)}
    lines = [
        f"digraph {_dot_text(workflow.name)} {{",
        "  rankdir=TB;",
        # Ranks across clusters: without it Graphviz fails ("trouble in init_rank") on
        # some workflows whose transitions cross categories back and forth (volvo_it).
        "  newrank=true;",
        "  node [shape=box, style=rounded];",
        '  start [shape=point, label=""];',
        f"  start -> {ids[workflow.initial]};",
    ]
    for number, (category, members) in enumerate(_groups(workflow)):
        lines.append(f"  subgraph cluster_{number} {{")
        lines.append(f"    label={_dot_text(category)};")
        for index in members:
            label = _dot_text(_status_label(workflow, index))
            border = ", peripheries=2" if workflow.statuses[index].terminal else ""
            lines.append(f"    s{index} [label={label}{border}];")
        lines.append("  }")
    # The edges of one label, kind and target, in the order they are first drawn: from
    # many sources they join at a point first, so the label is drawn once.
    groups: dict[tuple[str, EdgeKind, str], list[str]] = {}
    for edge in edges(workflow):
        groups.setdefault((edge.label, edge.kind, edge.target), []).append(edge.source)
    for junction, ((text, kind, target), sources) in enumerate(groups.items()):
        label, style = _dot_text(text), _DOT_STYLES[kind]
        if len(sources) < JOINED_FROM:
            lines.extend(
                f"  {ids[source]} -> {ids[target]} [label={label}, style={style}];"
                for source in sources
            )
            continue
        lines.append(f'  j{junction} [shape=point, width=0.06, label=""];')
        lines.extend(
            f"  {ids[source]} -> j{junction} [style={style}, arrowhead=none];" for source in sources
        )
        lines.append(f"  j{junction} -> {ids[target]} [label={label}, style={style}];")
    lines.append("}")
    return "\n".join(lines) + "\n"
