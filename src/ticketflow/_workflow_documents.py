"""Workflow documents: plain data (a dict, or TOML text) read into parts and written back.

Theory of operation
-------------------
A document is only data and never executes code. :func:`read_document` reads one into
a workflow's parts, collecting every problem of shape (a missing key, an unknown key, a
wrong type) instead of stopping at the first; what is shaped right becomes parts, which
the workflow then checks for meaning like any other. :func:`write_document` writes parts
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
from typing import Final

from ticketflow._durations import Duration, duration_from_document, duration_to_document
from ticketflow._errors import InvalidTypeError, Problem, WorkflowDefinitionError, quoted
from ticketflow._shapes import DurationShape, Flag, Key, ListOf, Names, Table, Text
from ticketflow._vocabulary import SINCE_ENTERED
from ticketflow._workflow_parts import (
    DEFAULT_PRIORITIES,
    Reaction,
    Status,
    Timer,
    Transition,
    WorkflowParts,
)

__all__ = ["DURATION", "DURATION_UNITS", "WORKFLOW", "read_document", "read_toml", "write_document"]

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

_NAME: Final = Text(100, min_length=1)
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
        Key("since", _NAME, "what the wait counts from: entered or customer_activity"),
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


def read_document(document: object) -> tuple[WorkflowParts | None, list[Problem]]:
    """The parts a workflow document holds, and every problem of its shape.

    Returns:
        The parts (``None`` when the document is not a table at all) and the shape
        problems; parts read from a document with problems are incomplete, to be checked
        only so that their meaning problems are reported too.
    """
    reader = _DocumentReader()
    parts = reader.workflow(document)
    return parts, reader.problems


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


class _DocumentReader:
    """Reads a workflow document, collecting every shape problem instead of failing fast."""

    _WORKFLOW_KEYS: Final = frozenset(
        {
            "name",
            "initial",
            "statuses",
            "transitions",
            "reactions",
            "priorities",
            "default_priority",
            "approval_action",
            "timers",
        }
    )
    _STATUS_KEYS: Final = frozenset({"name", "category", "label", "terminal", "wake_action"})
    _TIMER_KEYS: Final = frozenset(
        {"name", "in", "after", "action", "since", "reminders", "reason"}
    )
    _TRANSITION_KEYS: Final = frozenset(
        {
            "action",
            "label",
            "from",
            "to",
            "roles",
            "requires_reason",
            "requires_fields",
            "requires_assignee",
            "then",
        }
    )
    _REACTION_KEYS: Final = frozenset({"on", "from", "to", "within"})

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def _problem(self, where: str, what: str, fix: str) -> None:
        self.problems.append(Problem(where, what, fix))

    def _table(
        self, where: str, value: object, keys: frozenset[str]
    ) -> Mapping[str, object] | None:
        if not isinstance(value, Mapping) or not all(isinstance(k, str) for k in value):
            self._problem(
                where, f"must be a table of named values, got {quoted(value)}", "write a table"
            )
            return None
        for key in sorted(set(value) - keys):
            self._problem(
                where, f"has unknown key {quoted(key)}", f"use only {', '.join(sorted(keys))}"
            )
        return value

    def _str(
        self, where: str, table: Mapping[str, object], key: str, default: str | None = None
    ) -> str | None:
        value = table.get(key, default)
        if isinstance(value, str):
            return value
        if value is None and key not in table:
            self._problem(where, f"misses {key!r}", f'add {key} = "..."')
        else:
            self._problem(
                where, f"{key!r} must be a string, got {quoted(value)}", "write it as a string"
            )
        return None

    def _bool(self, where: str, table: Mapping[str, object], key: str) -> bool | None:
        value = table.get(key, False)
        if isinstance(value, bool):
            return value
        self._problem(
            where, f"{key!r} must be true or false, got {quoted(value)}", "write true or false"
        )
        return None

    def _strs(
        self, where: str, table: Mapping[str, object], key: str, *, required: bool
    ) -> list[str] | None:
        if key not in table:
            if required:
                self._problem(where, f"misses {key!r}", f'add {key} = ["..."]')
                return None
            return []
        value = table[key]
        if isinstance(value, str):
            return [value]
        if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
            return list(value)
        self._problem(
            where,
            f"{key!r} must be a list of strings, got {quoted(value)}",
            "write a list of names",
        )
        return None

    def _list(
        self, where: str, table: Mapping[str, object], key: str, *, required: bool
    ) -> list[object]:
        value = table.get(key)
        if value is None:
            if required:
                self._problem(where, f"misses {key!r}", f"add a list of {key}")
            return []
        if not isinstance(value, list | tuple):
            self._problem(
                where, f"{key!r} must be a list, got {quoted(value)}", f"write {key} as a list"
            )
            return []
        return list(value)

    def workflow(self, document: object) -> WorkflowParts | None:
        table = self._table("document", document, self._WORKFLOW_KEYS)
        if table is None:
            return None
        where = "document"
        name = self._str(where, table, "name", "workflow") or "workflow"
        initial = self._str(where, table, "initial") or ""
        statuses = [
            s
            for i, item in enumerate(self._list(where, table, "statuses", required=True))
            if (s := self._status(i, item)) is not None
        ]
        transitions = [
            t
            for i, item in enumerate(self._list(where, table, "transitions", required=True))
            if (t := self._transition(i, item)) is not None
        ]
        reactions = [
            r
            for i, item in enumerate(self._list(where, table, "reactions", required=False))
            if (r := self._reaction(i, item)) is not None
        ]
        # Only a missing or unreadable value falls back to the default: an empty one is
        # validated as it would be in Python ("has no priorities").
        priorities = self._strs(where, table, "priorities", required=False)
        if priorities is None or "priorities" not in table:
            priorities = list(DEFAULT_PRIORITIES)
        default_priority = self._str(where, table, "default_priority", "normal")
        if default_priority is None:
            default_priority = "normal"
        approval: str | None = None
        if "approval_action" in table:
            approval = self._str(where, table, "approval_action")
        timers = [
            timer
            for i, item in enumerate(self._list(where, table, "timers", required=False))
            if (timer := self._timer(i, item)) is not None
        ]
        return {
            "name": name,
            "initial": initial,
            "statuses": tuple(statuses),
            "transitions": tuple(transitions),
            "reactions": tuple(reactions),
            "priorities": tuple(priorities),
            "default_priority": default_priority,
            "approval_action": approval,
            "timers": tuple(timers),
        }

    def _status(self, index: int, item: object) -> Status | None:
        where = f"statuses[{index}]"
        table = self._table(where, item, self._STATUS_KEYS)
        if table is None:
            return None
        name = self._str(where, table, "name")
        category = self._str(where, table, "category")
        label = self._str(where, table, "label", name or "")
        terminal: bool | None = None
        if "terminal" in table:
            terminal = self._bool(where, table, "terminal")
            if terminal is None:
                return None
        wake_action: str | None = None
        if "wake_action" in table:
            wake_action = self._str(where, table, "wake_action")
            if wake_action is None:
                return None
        if name is None or category is None or label is None:
            return None
        if terminal is None:
            return Status(name, category, label=label, wake_action=wake_action)
        return Status(name, category, label=label, terminal=terminal, wake_action=wake_action)

    def _transition(self, index: int, item: object) -> Transition | None:
        where = f"transitions[{index}]"
        table = self._table(where, item, self._TRANSITION_KEYS)
        if table is None:
            return None
        action = self._str(where, table, "action")
        target = self._str(where, table, "to")
        label = self._str(where, table, "label", action or "")
        sources = self._strs(where, table, "from", required=True)
        roles = self._strs(where, table, "roles", required=True)
        fields = self._strs(where, table, "requires_fields", required=False)
        then = self._strs(where, table, "then", required=False)
        reason = self._bool(where, table, "requires_reason")
        assignee = self._bool(where, table, "requires_assignee")
        if (
            action is None
            or target is None
            or label is None
            or sources is None
            or roles is None
            or fields is None
            or then is None
            or reason is None
            or assignee is None
        ):
            return None
        return Transition(
            action=action,
            label=label,
            sources=sources,
            target=target,
            roles=roles,
            requires_reason=reason,
            requires_fields=fields,
            requires_assignee=assignee,
            then=then,
        )

    def _reaction(self, index: int, item: object) -> Reaction | None:
        where = f"reactions[{index}]"
        table = self._table(where, item, self._REACTION_KEYS)
        if table is None:
            return None
        on = self._str(where, table, "on")
        target = self._str(where, table, "to")
        sources = self._strs(where, table, "from", required=True)
        within: Duration | None = None
        if "within" in table:
            within = self._duration(where, table, "within")
            if within is None:
                return None
        if on is None or target is None or sources is None:
            return None
        return Reaction(on=on, sources=sources, target=target, within=within)

    def _duration(self, where: str, table: Mapping[str, object], key: str) -> Duration | None:
        read = duration_from_document(table.get(key))
        if isinstance(read, str):
            self._problem(f"{where}.{key}", read, "write e.g. {business_days = 3} or {hours = 72}")
            return None
        return read

    def _timer(self, index: int, item: object) -> Timer | None:
        where = f"timers[{index}]"
        table = self._table(where, item, self._TIMER_KEYS)
        if table is None:
            return None
        name = self._str(where, table, "name")
        action = self._str(where, table, "action")
        since = self._str(where, table, "since", SINCE_ENTERED)
        statuses = self._strs(where, table, "in", required=True)
        after = self._duration(where, table, "after")
        reminders: list[Duration] = []
        for i, lead in enumerate(self._list(where, table, "reminders", required=False)):
            read = duration_from_document(lead)
            if isinstance(read, str):
                self._problem(f"{where}.reminders[{i}]", read, "write e.g. {business_days = 1}")
            else:
                reminders.append(read)
        reason: str | None = None
        if "reason" in table:
            reason = self._str(where, table, "reason")
            if reason is None:
                return None
        if name is None or action is None or since is None or statuses is None or after is None:
            return None
        if reason is None:
            return Timer(
                name=name,
                statuses=statuses,
                after=after,
                action=action,
                since=since,
                reminders=reminders,
            )
        return Timer(
            name=name,
            statuses=statuses,
            after=after,
            action=action,
            since=since,
            reminders=reminders,
            reason=reason,
        )
