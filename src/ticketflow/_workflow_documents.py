"""Workflow documents: plain data (a dict, or TOML text) read into parts and written back.

Theory of operation
-------------------
A document is only data and never executes code. Its shape is declared once, as
:data:`WORKFLOW` (:mod:`ticketflow._shapes`), which gives both the reader and the JSON
Schema. :func:`read_document` checks a document's size first (:data:`LIMITS`), then
reads it with that shape, collecting every problem of shape (a missing key, an unknown
key, a wrong type), each at its path (``statuses[2].category``), instead of stopping at
the first; what is shaped right becomes parts, which the workflow then checks for
meaning like any other. :func:`write_document` writes parts
back in the same shape, JSON- and TOML-ready, so a document read from a written one
builds an equal workflow. :func:`read_toml` parses TOML text into a document, turning
every way the text can fail to parse into a definition problem.

Dependencies flow one way: this module builds the values of ``_workflow_parts`` and
imports nothing of ``_workflow_checks`` or ``_workflow``; ``Workflow.from_document``,
``from_toml`` and ``to_document`` delegate to it.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from typing import Any, Final

from ticketflow._durations import Duration, duration_from_document, duration_to_document
from ticketflow._errors import InvalidTypeError, Problem, WorkflowDefinitionError
from ticketflow._shapes import (
    DurationShape,
    Flag,
    Key,
    Limits,
    ListOf,
    Names,
    Table,
    Text,
    guard,
    is_clean,
    read,
)
from ticketflow._vocabulary import SINCE_ENTERED
from ticketflow._workflow_parts import (
    DEFAULT_PRIORITIES,
    Reaction,
    Status,
    Timer,
    Transition,
    WorkflowParts,
)

__all__ = [
    "DURATION",
    "DURATION_UNITS",
    "PARTS",
    "WORKFLOW",
    "Paths",
    "read_document",
    "read_placed",
    "unread",
    "read_toml",
    "write_document",
]

DURATION_UNITS: Final = (
    "seconds",
    "minutes",
    "hours",
    "days",
    "business_hours",
    "business_minutes",
    "business_days",
)
"""The units a document's duration may name (``duration_from_document`` reads them)."""

DURATION: Final = DurationShape(DURATION_UNITS, duration_from_document)
"""A duration in a document: ``{business_days = 5}``, ``{hours = 72}``, ..."""

LIMITS: Final = Limits(max_depth=16, max_nodes=100_000, max_text=1_000_000)
"""How large a workflow document may be, checked before its shape: 16 levels deep,
100,000 values, 1,000,000 characters of text in all."""

_NAME: Final = Text(100)
_LABEL: Final = Text(200)

_STATUS: Final = Table(
    (
        Key("name", _NAME, "the status's name, unique in the workflow", required=True),
        Key(
            "category",
            _NAME,
            "what the status means to the desk: new, active, waiting_on_customer, "
            "on_hold, resolved, closed or canceled",
            required=True,
        ),
        Key("label", _LABEL, "what people read (default: the name)"),
        Key("terminal", Flag(), "whether a ticket here can never change again"),
        Key("wake_action", _NAME, "the action that ends a snooze in this status"),
    ),
    what="status",
)
_TRANSITION: Final = Table(
    (
        Key("action", _NAME, "the action's name", required=True),
        Key("label", _LABEL, "what people read (default: the action)"),
        Key("from", Names(), "the statuses it leaves (Python: Transition.sources)", required=True),
        Key("to", _NAME, "the status it enters (Python: Transition.target)", required=True),
        Key("roles", Names(), "the roles that may perform it", required=True),
        Key("requires_reason", Flag(), "whether the actor must give a reason"),
        Key("requires_fields", Names(), "custom fields that must be set first"),
        Key("requires_assignee", Flag(), "whether the ticket must be assigned first"),
        Key("then", Names(max_items=20), "actions the system performs right after"),
    ),
    what="transition",
)
_REACTION: Final = Table(
    (
        Key(
            "on", _NAME, "the reply that triggers it: customer_reply or agent_reply", required=True
        ),
        Key(
            "from", Names(), "the statuses it applies in (Python: Reaction.sources)", required=True
        ),
        Key("to", _NAME, "the status it moves to (Python: Reaction.target)", required=True),
        Key("within", DURATION, "only this long after entering the status (a reopen window)"),
    ),
    what="reaction",
)
_TIMER: Final = Table(
    (
        Key("name", _NAME, "the timer's name", required=True),
        Key("in", Names(), "the statuses it runs in (Python: Timer.statuses)", required=True),
        Key("after", DURATION, "how long it waits", required=True),
        Key("action", _NAME, "the action the system performs when it fires", required=True),
        Key("since", _NAME, "what the wait counts from: entered, customer_activity or last_update"),
        Key(
            "reminders", ListOf(DURATION, max_items=20), "leads before it fires at which to remind"
        ),
        Key("reason", _LABEL, "the reason recorded with the action"),
    ),
    what="timer",
)
WORKFLOW: Final = Table(
    (
        Key("name", _NAME, "the workflow's name (default: workflow)"),
        Key("initial", _NAME, "the status a new ticket starts in", required=True),
        Key("statuses", ListOf(_STATUS, max_items=1_000), "every status", required=True),
        Key(
            "transitions",
            ListOf(_TRANSITION, max_items=5_000),
            "every action between statuses",
            required=True,
        ),
        Key("reactions", ListOf(_REACTION, max_items=1_000), "status changes a reply causes"),
        Key("priorities", Names(max_items=50), "the priorities, lowest first"),
        Key("default_priority", _NAME, "the priority of a ticket opened without one"),
        Key("approval_action", _NAME, "the action that approves a ticket, if any"),
        Key("timers", ListOf(_TIMER, max_items=1_000), "actions time performs"),
    ),
    doc="A workflow: statuses, transitions, reactions and timers.",
    what="workflow",
)
"""The shape of a workflow document."""

_LONG_NUMBER: Final = Problem(
    "document",
    "holds a number with more digits than Python reads from text",
    "write numbers of at most a few digits: no workflow value needs more",
)


PARTS: Final = ("statuses", "transitions", "reactions", "timers")
"""The lists of a workflow document whose items become parts, one part per item."""

Paths = dict[str, tuple[int, ...]]
"""For each list of :data:`PARTS`, the document index of each part read from it."""


def read_document(document: object) -> tuple[WorkflowParts | None, list[Problem]]:
    """The parts a workflow document holds, and every problem of its shape.

    The document's size is checked first (:data:`LIMITS`), then its shape
    (:data:`WORKFLOW`); a status, transition, reaction or timer with a shape problem is
    left out of the parts.

    Returns:
        The parts (``None`` when the document is too large or not a table at all) and
        the shape problems; parts read from a document with problems are incomplete, to
        be checked only so that their meaning problems are reported too.
    """
    parts, problems, _ = read_placed(document)
    return parts, problems


def read_placed(document: object) -> tuple[WorkflowParts | None, list[Problem], Paths]:
    """What :func:`read_document` reads, and where each part is in the document.

    An item with a shape problem is left out of the parts, so the n-th status need not
    be ``statuses[n]``: the third value maps each list of :data:`PARTS` to the document
    index of each of its parts, what ``workflow_problems(paths=...)`` takes to place a
    problem at its path (``statuses[2].category``).

    >>> parts, problems, paths = read_placed({"initial": "a", "transitions": [],
    ...     "statuses": [{"name": 1, "category": "new"}, {"name": "a", "category": "new"}]})
    >>> [p.where for p in problems], [s.name for s in parts["statuses"]], paths["statuses"]
    (['statuses[0].name'], ['a'], (1,))
    """
    too_large = guard(document, LIMITS)
    if too_large is not None:
        return None, [too_large], {}
    data, problems = read(WORKFLOW, document)
    if not isinstance(data, dict):
        return None, problems, {}
    paths: Paths = {
        key: tuple(i for i in range(len(data.get(key, ()))) if is_clean(problems, f"{key}[{i}]"))
        for key in PARTS
    }
    return _parts(data, paths), problems, paths


def unread(document: object, paths: Paths) -> frozenset[str] | None:
    """``None`` when :func:`read_placed` read every status, transition and reaction of
    ``document`` into a part; else the names of the statuses it left out (what
    ``workflow_problems(unread=...)`` takes, so it judges only what did read).

    >>> document = {"statuses": [{"name": "a", "category": 1}], "transitions": []}
    >>> unread(document, read_placed(document)[2])
    frozenset({'a'})
    """
    data = document if isinstance(document, Mapping) else {}

    def items(key: str) -> list[object]:
        value = data.get(key, [])
        return value if isinstance(value, list) else []

    if all(len(items(key)) == len(paths.get(key, ())) for key in PARTS[:3]):
        return None
    kept = set(paths.get("statuses", ()))
    return frozenset(
        item["name"]
        for i, item in enumerate(items("statuses"))
        if i not in kept and isinstance(item, Mapping) and type(item.get("name")) is str
    )


def _parts(data: Mapping[str, Any], paths: Paths) -> WorkflowParts:
    """The parts of a document whose shape was read, of the items ``paths`` keeps."""

    def clean(key: str) -> list[Mapping[str, Any]]:
        items = data.get(key, ())
        return [items[i] for i in paths[key]]

    # Only a missing or unreadable value falls back to the default: an empty one is
    # validated as it would be in Python ("has no priorities").
    return {
        "name": data.get("name", "workflow"),
        "initial": data.get("initial", ""),
        "statuses": tuple(_status(item) for item in clean("statuses")),
        "transitions": tuple(_transition(item) for item in clean("transitions")),
        "reactions": tuple(_reaction(item) for item in clean("reactions")),
        "priorities": tuple(data.get("priorities", DEFAULT_PRIORITIES)),
        "default_priority": data.get("default_priority", "normal"),
        "approval_action": data.get("approval_action"),
        "timers": tuple(_timer(item) for item in clean("timers")),
    }


def _duration(value: object) -> Duration:
    """The duration of a duration table whose shape was read (so it converts)."""
    duration = duration_from_document(value)
    assert not isinstance(duration, str)
    return duration


def _status(item: Mapping[str, Any]) -> Status:
    # ``terminal`` left out takes the category's default.
    options = {"terminal": item["terminal"]} if "terminal" in item else {}
    return Status(
        item["name"],
        item["category"],
        label=item.get("label", item["name"]),
        wake_action=item.get("wake_action"),
        **options,
    )


def _transition(item: Mapping[str, Any]) -> Transition:
    return Transition(
        action=item["action"],
        label=item.get("label", item["action"]),
        sources=item["from"],
        target=item["to"],
        roles=item["roles"],
        requires_reason=item.get("requires_reason", False),
        requires_fields=item.get("requires_fields", ()),
        requires_assignee=item.get("requires_assignee", False),
        then=item.get("then", ()),
    )


def _reaction(item: Mapping[str, Any]) -> Reaction:
    within = _duration(item["within"]) if "within" in item else None
    return Reaction(on=item["on"], sources=item["from"], target=item["to"], within=within)


def _timer(item: Mapping[str, Any]) -> Timer:
    # ``reason`` left out takes the timer's default reason.
    options = {"reason": item["reason"]} if "reason" in item else {}
    return Timer(
        name=item["name"],
        statuses=item["in"],
        after=_duration(item["after"]),
        action=item["action"],
        since=item.get("since", SINCE_ENTERED),
        reminders=[_duration(lead) for lead in item.get("reminders", ())],
        **options,
    )


def read_toml(text: str) -> object:
    """The document TOML ``text`` holds.

    Raises:
        WorkflowDefinitionError: the text is not TOML, or nests too deeply to read, or
            holds a number with more digits than Python reads from text.
        InvalidTypeError: ``text`` is not a ``str``.
    """
    if type(text) is not str:
        raise InvalidTypeError("a workflow's TOML text", "a str", text)
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise WorkflowDefinitionError(
            [Problem("document", f"is not valid TOML ({exc})", "correct the TOML syntax")]
        ) from None
    except ValueError:
        # tomllib turns digits into an int with int(), which refuses more digits than
        # sys.get_int_max_str_digits() (4,300 by default).
        raise WorkflowDefinitionError([_LONG_NUMBER]) from None
    except RecursionError:
        # tomllib parses nested arrays and inline tables recursively.
        raise WorkflowDefinitionError(
            [
                Problem(
                    "document",
                    "nests arrays or tables too deeply to be read",
                    "write a workflow's values at most a few levels deep",
                )
            ]
        ) from None
    return document


def write_document(parts: WorkflowParts) -> dict[str, object]:
    """A workflow's parts as a plain, JSON- and TOML-ready document."""
    return {
        "name": parts["name"],
        "initial": parts["initial"],
        "priorities": list(parts["priorities"]),
        "default_priority": parts["default_priority"],
        **({"approval_action": parts["approval_action"]} if parts["approval_action"] else {}),
        "statuses": [
            {
                "name": s.name,
                "label": s.label,
                "category": s.category,
                "terminal": s.terminal,
                **({"wake_action": s.wake_action} if s.wake_action else {}),
            }
            for s in parts["statuses"]
        ],
        "transitions": [
            {
                "action": t.action,
                "label": t.label,
                "from": sorted(t.sources),
                "to": t.target,
                "roles": sorted(t.roles),
                "requires_reason": t.requires_reason,
                "requires_fields": list(t.requires_fields),
                "requires_assignee": t.requires_assignee,
                "then": list(t.then),
            }
            for t in parts["transitions"]
        ],
        "reactions": [
            {
                "on": r.on,
                "from": sorted(r.sources),
                "to": r.target,
                **({"within": duration_to_document(r.within)} if r.within else {}),
            }
            for r in parts["reactions"]
        ],
        "timers": [
            {
                "name": t.name,
                "in": sorted(t.statuses),
                "after": duration_to_document(t.after),
                "action": t.action,
                "since": t.since,
                "reminders": [duration_to_document(lead) for lead in t.reminders],
                "reason": t.reason,
            }
            for t in parts["timers"]
        ],
    }
