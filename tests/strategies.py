"""Hypothesis strategies for ticketflow values, commands and workflow documents.

These strategies are written to move, unchanged, into the public
``ticketflow.testing`` module, so a host can reuse them in its own tests:

- :func:`actors` draws actors of every kind (customers, agents, the system, host roles
  and the anonymous visitor);
- :func:`instants` draws aware instants near a fixed base, never from the clock;
- :func:`commands` draws any command a workflow understands, valid or not;
- :func:`command_sequences` draws the life of one ticket: an opening followed by random
  commands at mostly increasing instants (with the odd stale or naive one);
- :func:`valid_workflow_documents`, :func:`workflow_documents` and
  :func:`garbage_documents` draw workflow documents that are valid, plausible but often
  broken, and of any shape at all.

>>> from hypothesis import find
>>> find(actors(), lambda a: a.role == "anonymous")
Actor(id='', role='anonymous')
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, timezone
from typing import Final

import attrs
from hypothesis import strategies as st

from ticketflow import (
    AGENT,
    CUSTOMER,
    SYSTEM,
    Actor,
    Assign,
    Category,
    ChangePriority,
    Command,
    FieldValue,
    MuteNotifications,
    OpenTicket,
    PerformAction,
    Reply,
    SetField,
    UnmuteNotifications,
    Workflow,
)

__all__ = [
    "BASE",
    "actors",
    "command_sequences",
    "commands",
    "field_values",
    "garbage_documents",
    "instants",
    "valid_workflow_documents",
    "workflow_documents",
]

BASE: Final = datetime(2026, 3, 2, 9, tzinfo=UTC)
"""A fixed aware instant (a Monday morning) that strategies and tests start from."""

_CUSTOMERS: Final = ("alice", "bob")
_AGENTS: Final = ("carol", "dave")
_HOST_ROLES: Final = ("supervisor",)
_CATEGORIES: Final = tuple(c.value for c in Category)
_ROLE_NAMES: Final = (CUSTOMER, AGENT, SYSTEM, "supervisor", "anonymous")


def instants(
    start: datetime = BASE, span: timedelta = timedelta(days=30)
) -> st.SearchStrategy[datetime]:
    """Aware instants in ``[start, start + span]``, to the second, in a few time zones.

    Args:
        start: an aware instant, the earliest one drawn.
        span: how far after ``start`` instants may fall.

    >>> from hypothesis import find
    >>> find(instants(), lambda at: True) == BASE
    True
    """
    zones = st.sampled_from((UTC, timezone(timedelta(hours=3)), timezone(timedelta(hours=-5))))
    seconds = st.integers(0, int(span.total_seconds()))
    return st.builds(lambda s, tz: (start + timedelta(seconds=s)).astimezone(tz), seconds, zones)


def actors(
    *,
    customers: Sequence[str] = _CUSTOMERS,
    agents: Sequence[str] = _AGENTS,
    host_roles: Sequence[str] = _HOST_ROLES,
    system: bool = True,
    anonymous: bool = True,
) -> st.SearchStrategy[Actor]:
    """Actors of every kind: customers, agents, host-defined roles, the system, anonymous.

    Args:
        customers: the ids customers are drawn from (keep it small so that a customer
            often acts on their own ticket and sometimes on someone else's).
        agents: the ids agents are drawn from.
        host_roles: host-defined staff roles, each drawn with id ``"<role>-1"``.
        system: include the desk's system actor.
        anonymous: include the anonymous visitor.

    >>> from hypothesis import find
    >>> find(actors(anonymous=False), lambda a: a.role == "system")
    Actor(id='ticketflow', role='system')
    """
    options: list[st.SearchStrategy[Actor]] = []
    if customers:
        options.append(st.sampled_from(customers).map(Actor.customer))
    if agents:
        options.append(st.sampled_from(agents).map(Actor.agent))
    if host_roles:
        options.append(st.sampled_from(host_roles).map(lambda role: Actor(f"{role}-1", role)))
    if system:
        options.append(st.just(Actor.system()))
    if anonymous:
        options.append(st.just(Actor.anonymous()))
    if not options:
        raise ValueError("actors() needs at least one kind of actor")
    return st.one_of(options)


def field_values() -> st.SearchStrategy[FieldValue]:
    """Values a custom field may hold: JSON scalars (no NaN, which equals nothing).

    >>> from hypothesis import find
    >>> find(field_values(), lambda v: v is None) is None
    True
    """
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-1000, 1000),
        st.floats(-1e6, 1e6, allow_nan=False),
        st.text(max_size=8),
    )


def commands(
    workflow: Workflow,
    *,
    at: st.SearchStrategy[datetime] | None = None,
    who: st.SearchStrategy[Actor] | None = None,
    ticket_id: str = "T-1",
) -> st.SearchStrategy[Command]:
    """Any command ``workflow`` understands, valid or not, for the ticket ``ticket_id``.

    Actions are drawn from the workflow (plus an unknown one), priorities from the
    workflow (plus an unknown one), reasons and bodies include empty and blank text, so
    that every refusal of the decider is reachable.

    Args:
        workflow: the workflow whose actions and priorities commands use.
        at: the instants commands happen at (default: :func:`instants`).
        who: the actors who send them (default: :func:`actors`).
        ticket_id: the id ``OpenTicket`` commands use.

    >>> from hypothesis import find
    >>> from ticketflow.presets import support_portal
    >>> find(commands(support_portal.WORKFLOW), lambda c: isinstance(c, PerformAction)).action
    'escalate'
    """
    at = instants() if at is None else at
    who = actors() if who is None else who
    actions = st.sampled_from((*workflow.actions, "teleport"))
    priorities = st.sampled_from((*workflow.priorities, "whenever"))
    texts = st.sampled_from(
        ("", "  ", "It works again", "Still broken, SLA violated", "Extension 204 is down")
    )
    names = st.sampled_from(("impact", "origin", ""))
    perform = st.builds(PerformAction, actor=who, at=at, action=actions, reason=texts)
    return st.one_of(
        perform,
        perform,  # twice as likely: moving through the workflow is what matters most
        st.builds(
            Reply,
            actor=who,
            at=at,
            body=texts,
            public=st.booleans(),
            approves_resolution=st.booleans(),
        ),
        st.builds(
            Assign,
            actor=who,
            at=at,
            assignee=st.sampled_from((None, *_AGENTS)),
            group=st.sampled_from((None, "voice", "billing")),
        ),
        st.builds(ChangePriority, actor=who, at=at, priority=priorities, reason=texts),
        st.builds(MuteNotifications, actor=who, at=at),
        st.builds(UnmuteNotifications, actor=who, at=at),
        st.builds(SetField, actor=who, at=at, name=names, value=field_values()),
        st.builds(
            OpenTicket,
            actor=who,
            at=at,
            ticket_id=st.just(ticket_id),
            subject=texts,
            requester=st.sampled_from((None, *_CUSTOMERS)),
            priority=st.one_of(st.none(), priorities),
        ),
    )


@st.composite
def command_sequences(
    draw: st.DrawFn,
    workflow: Workflow,
    *,
    start: datetime = BASE,
    max_size: int = 30,
) -> list[Command]:
    """The life of one ticket: a customer opens it, then random commands follow.

    Instants move forward (by nothing, a minute, an hour or a day); now and then a
    command is stamped an hour early (often before the ticket's last change) or naive,
    so refusals for time are exercised too. The first command always opens the ticket
    ``T-1`` as ``alice``; alice and the agent ``carol`` send most commands, any other
    actor (another customer, the system, a host role, the anonymous visitor) the rest.

    Args:
        workflow: the workflow whose actions and priorities commands use.
        start: the instant the ticket is opened at (aware).
        max_size: the most commands after the opening.

    >>> from hypothesis import find
    >>> from ticketflow.presets import support_portal
    >>> type(find(command_sequences(support_portal.WORKFLOW), lambda cs: True)[0]).__name__
    'OpenTicket'
    """
    opening = OpenTicket(
        actor=Actor.customer(_CUSTOMERS[0]), at=start, ticket_id="T-1", subject="No dial tone"
    )
    sequence: list[Command] = [opening]
    # The requester and one agent act most of the time, anybody else now and then.
    who = st.one_of(st.sampled_from((opening.actor, Actor.agent(_AGENTS[0]))), actors())
    # Built once: commands are drawn at ``start`` and then moved to their own instant.
    drawn = commands(workflow, at=st.just(start), who=who)
    now = start
    steps = st.sampled_from((0, 60, 3600, 86400))
    for _ in range(draw(st.integers(0, max_size))):
        now = now + timedelta(seconds=draw(steps))
        at = now
        odd = draw(st.integers(0, 19))
        if odd == 0:
            at = now - timedelta(hours=1)  # stale: before the last change
        elif odd == 1:
            at = now.replace(tzinfo=None)  # naive
        sequence.append(attrs.evolve(draw(drawn), at=at))
    return sequence


# -- workflow documents ---------------------------------------------------------------


@st.composite
def valid_workflow_documents(draw: st.DrawFn) -> dict[str, object]:
    """Workflow documents that :meth:`Workflow.from_document` accepts.

    A chain of working statuses ends in a closed status; every working status may go
    on to the next one and to the closed status, and random extra transitions and
    reactions between working statuses are added on top.

    >>> from hypothesis import find
    >>> Workflow.from_document(find(valid_workflow_documents(), lambda d: True)).initial
    's0'
    """
    size = draw(st.integers(1, 5))
    working = [f"s{i}" for i in range(size)]
    categories = st.sampled_from(
        ("new", "active", "waiting_on_customer", "on_hold", "resolved", "canceled")
    )
    statuses: list[dict[str, object]] = [
        {"name": name, "category": draw(categories), "label": name.upper()} for name in working
    ]
    statuses.append({"name": "done", "category": "closed"})
    roles = st.lists(
        st.sampled_from((CUSTOMER, AGENT, SYSTEM, "supervisor")),
        min_size=1,
        max_size=3,
        unique=True,
    )
    transitions: list[dict[str, object]] = [
        {"action": f"advance_{i}", "from": [name], "to": nxt, "roles": draw(roles)}
        for i, (name, nxt) in enumerate(zip(working, [*working[1:], "done"], strict=True))
    ]
    transitions.append(
        {
            "action": "close",
            "from": list(working),
            "to": "done",
            "roles": ["agent"],
            "requires_reason": draw(st.booleans()),
        }
    )
    for i in range(draw(st.integers(0, 3))):
        transitions.append(
            {
                "action": f"extra_{i}",
                "from": draw(st.lists(st.sampled_from(working), min_size=1, unique=True)),
                "to": draw(st.sampled_from(working)),
                "roles": draw(roles),
                "requires_fields": draw(
                    st.lists(st.sampled_from(("impact", "origin")), unique=True)
                ),
                "requires_assignee": draw(st.booleans()),
            }
        )
    reactions = [
        {"on": on, "from": [source], "to": draw(st.sampled_from(working))}
        for on in ("customer_reply", "agent_reply")
        for source in draw(st.lists(st.sampled_from(working), unique=True))
    ]
    return {
        "name": draw(st.sampled_from(("tiny", "desk", "workflow"))),
        "initial": working[0],
        "statuses": statuses,
        "transitions": transitions,
        "reactions": reactions,
        "priorities": ["low", "normal", "high"],
        "default_priority": "normal",
    }


_SCALARS: Final = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 3), st.floats(allow_nan=False), st.text(max_size=6)
)


def garbage_documents() -> st.SearchStrategy[object]:
    """Anything a JSON or TOML parser could hand over: scalars, lists and tables, nested.

    >>> from hypothesis import find
    >>> find(garbage_documents(), lambda d: isinstance(d, dict))
    {}
    """
    return st.recursive(
        _SCALARS,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4),
            st.dictionaries(st.text(max_size=6), inner, max_size=4),
        ),
        max_leaves=12,
    )


@st.composite
def _tables(draw: st.DrawFn, parts: dict[str, st.SearchStrategy[object]]) -> object:
    """A table of ``parts`` with keys left out, values of the wrong shape, an unknown key."""
    if draw(st.integers(0, 19)) == 0:
        return draw(_SCALARS)  # not a table at all
    result: dict[str, object] = {}
    for key, good in parts.items():
        shape = draw(st.integers(0, 9))
        if shape == 0:
            continue  # the key is missing
        result[key] = draw(garbage_documents()) if shape == 1 else draw(good)
    if draw(st.integers(0, 9)) == 0:
        result["unexpected"] = draw(_SCALARS)
    return result


def _plausible_documents() -> st.SearchStrategy[object]:
    """Documents of the right overall shape whose parts are often wrong."""
    names = st.sampled_from(("open", "pending", "hold", "done", "gone", ""))
    name_lists = st.lists(names, max_size=3)
    status = _tables(
        {
            "name": names,
            "category": st.sampled_from((*_CATEGORIES, "bogus")),
            "label": st.text(max_size=5),
            "terminal": st.booleans(),
        }
    )
    transition = _tables(
        {
            "action": st.sampled_from(("go", "stop", "resolve", "")),
            "from": name_lists,
            "to": names,
            "roles": st.lists(st.sampled_from(_ROLE_NAMES), max_size=3),
            "requires_reason": st.booleans(),
            "requires_fields": st.lists(st.sampled_from(("impact", "")), max_size=2),
            "requires_assignee": st.booleans(),
            "then": name_lists,
        }
    )
    reaction = _tables(
        {
            "on": st.sampled_from(("customer_reply", "agent_reply", "phase_of_moon")),
            "from": name_lists,
            "to": names,
        }
    )
    return _tables(
        {
            "name": st.text(max_size=5),
            "initial": names,
            "statuses": st.lists(status, max_size=5),
            "transitions": st.lists(transition, max_size=5),
            "reactions": st.lists(reaction, max_size=3),
            "priorities": st.lists(st.sampled_from(("low", "normal", "high", "")), max_size=4),
            "default_priority": st.sampled_from(("low", "normal", "urgent", "")),
            "approval_action": st.sampled_from(("go", "stop", "resolve", "")),
        }
    )


def workflow_documents() -> st.SearchStrategy[object]:
    """Workflow documents of every quality: valid, plausible but broken, and garbage.

    Use it to check that reading a document either builds a workflow or reports
    problems, whatever the document holds.

    >>> from hypothesis import find
    >>> find(workflow_documents(), lambda d: d == {})
    {}
    """
    return st.one_of(_plausible_documents(), valid_workflow_documents(), garbage_documents())
