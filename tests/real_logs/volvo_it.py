"""The Volvo IT incident log (BPI Challenge 2013), read and turned into commands.

The desk is :mod:`ticketflow.presets.volvo_it`; its docstring tells how each status,
transition and support line was read from this log. This module holds what is about the
log itself: its columns (:class:`Row`), its timestamps (:func:`parse_instant`), its
values (:data:`STATUSES`, :data:`UNMATCHED`, :data:`PRIORITIES`, :data:`SYSTEM_USER`),
the reader of ``bpi2013_incidents.csv.gz`` (:func:`read_incidents`, the standard
library alone) and the translation of one incident's events into ticketflow commands
(:func:`commands`). A ticket opens in Queued and moves at once into the status of its
first event; a hand-over to another team becomes an :class:`~ticketflow.Assign` to
that group and, when the team's line differs, a
:class:`~ticketflow.ChangeSupportLevel`.

>>> from ticketflow import handle, sla_status
>>> from ticketflow.presets import volvo_it
>>> log = [("Accepted", "In Progress", "G97", "2012-05-02T09:00:00+02:00"),
...        ("Queued", "Awaiting Assignment", "V5 3rd", "2012-05-02T10:00:00+02:00"),
...        ("Accepted", "Wait - User", "V5 3rd", "2012-05-02T11:00:00+02:00"),
...        ("Completed", "Resolved", "V5 3rd", "2012-05-03T11:00:00+02:00")]
>>> rows = [Row.from_row({**SAMPLE_ROW, "concept:name": status,
...     "lifecycle:transition": sub, "org:group": team, "time:timestamp": at})
...     for status, sub, team, at in log]
>>> desk, ticket = volvo_it.desk(), None
>>> for command in commands(rows):
...     ticket = handle(desk, ticket, command).ticket
>>> ticket.status, ticket.support_level, ticket.group
('resolved', 3, 'V5 3rd')
>>> [str(s.elapsed) for s in sla_status(desk, ticket, ticket.updated_at)]
['2:00:00', '8:00:00']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from os import PathLike
from typing import Final, final

import attrs

from real_logs.reader import read_cases
from ticketflow import (
    Actor,
    Assign,
    ChangePriority,
    ChangeSupportLevel,
    Command,
    OpenTicket,
    PerformAction,
)
from ticketflow.presets.volvo_it import (
    ASSIGNED,
    AWAITING_ASSIGNMENT,
    CANCELLED,
    CLOSED,
    IN_CALL,
    IN_PROGRESS,
    RESOLVED,
    WAIT,
    WAIT_CUSTOMER,
    WAIT_IMPLEMENTATION,
    WAIT_USER,
    WAIT_VENDOR,
    WORKFLOW,
    level_of,
)

__all__ = [
    "PRIORITIES",
    "SAMPLE_ROW",
    "STATUSES",
    "SYSTEM_USER",
    "UNMATCHED",
    "Row",
    "commands",
    "parse_instant",
    "read_incidents",
]

STATUSES: Final[Mapping[tuple[str, str], str]] = {
    ("Queued", "Awaiting Assignment"): AWAITING_ASSIGNMENT,
    ("Accepted", "In Progress"): IN_PROGRESS,
    ("Accepted", "Assigned"): ASSIGNED,
    ("Accepted", "Wait - User"): WAIT_USER,
    ("Accepted", "Wait - Customer"): WAIT_CUSTOMER,
    ("Accepted", "Wait"): WAIT,
    ("Accepted", "Wait - Implementation"): WAIT_IMPLEMENTATION,
    ("Accepted", "Wait - Vendor"): WAIT_VENDOR,
    ("Completed", "Resolved"): RESOLVED,
    ("Completed", "Closed"): CLOSED,
    ("Completed", "In Call"): IN_CALL,
    ("Completed", "Cancelled"): CANCELLED,
}
"""The log's (status, sub-status) pairs and the statuses they become."""

UNMATCHED: Final = "Unmatched"
"""The status of the log's 5 unmatched rows (of 5 incidents); :func:`commands` drops them."""

PRIORITIES: Final[Mapping[str, str]] = {
    "Low": "low",
    "Medium": "medium",
    "High": "high",
    "Major": "major",
}
"""The log's impacts and the workflow's priorities they become."""

SYSTEM_USER: Final = "Siebel"
"""The log's batch user (``org:resource``): it acts as the desk's system."""


def parse_instant(text: str) -> datetime:
    """The instant an ISO 8601 timestamp with its UTC offset names.

    Raises:
        ValueError: ``text`` is not such a timestamp, or it has no offset.

    >>> parse_instant("2012-05-02T09:00:00+02:00").isoformat()
    '2012-05-02T09:00:00+02:00'
    >>> parse_instant("2012-05-02T09:00:00")
    Traceback (most recent call last):
    ...
    ValueError: a timestamp without a UTC offset: '2012-05-02T09:00:00'
    """
    at = datetime.fromisoformat(text)
    if at.utcoffset() is None:
        raise ValueError(f"a timestamp without a UTC offset: {text!r}")
    return at


@final
@attrs.frozen
class Row:
    """One event of the log, as the CSV writes it (every value is the log's text)."""

    sr: str
    team: str
    owner_country: str
    organization_country: str
    owner: str
    org_line: str
    function_div: str
    status: str
    impact: str
    product: str
    sub_status: str
    timestamp: str

    @classmethod
    def from_row(cls, row: Mapping[str, str]) -> Row:
        """The event from a CSV row read as a mapping of column names to text.

        Raises:
            KeyError: the row lacks one of the columns.
        """
        return cls(*(row[name] for name in _COLUMNS))

    @property
    def at(self) -> datetime:
        """The instant of the event."""
        return parse_instant(self.timestamp)


_COLUMNS: Final = (
    "case:concept:name",
    "org:group",
    "resource country",
    "organization country",
    "org:resource",
    "organization involved",
    "org:role",
    "concept:name",
    "impact",
    "product",
    "lifecycle:transition",
    "time:timestamp",
)


def read_incidents(path: str | PathLike[str]) -> tuple[tuple[Row, ...], ...]:
    """Every incident's events, in the order of the log (``bpi2013_incidents.csv.gz``).

    Consecutive rows with the same SR number make one incident.

    Raises:
        OSError: the file cannot be read.
        KeyError: the header lacks a column :class:`Row` needs.
    """
    return read_cases(path, _COLUMNS, Row, _sr)


def _sr(row: Row) -> str:
    return row.sr


_ACTION_INTO: Final[Mapping[str, str]] = {t.target: t.action for t in WORKFLOW.transitions}


def _actor(owner: str) -> Actor:
    return Actor.system(owner) if owner == SYSTEM_USER else Actor.agent(owner)


def commands(rows: Iterable[Row]) -> tuple[Command, ...]:
    """The ticketflow commands that replay one incident's events.

    :class:`~ticketflow.OpenTicket` at the first event, by its owner, in the first
    event's team and impact, with the product and organisation line as fields; then per
    event, at its instant and by its owner (``Siebel`` as the system):

    - an :class:`~ticketflow.Assign` when the team or the owner changes (``Siebel`` owns
      nothing: its events keep the previous owner);
    - a :class:`~ticketflow.ChangeSupportLevel` when the team's support line differs
      from the ticket's, with the team as the reason (the ticket opens at its first
      team's line, ``OpenTicket(support_level=...)``, so an incident the log opens at L2
      or L3 is routed there, not escalated);
    - a :class:`~ticketflow.ChangePriority` when the impact changes;
    - a :class:`~ticketflow.PerformAction` when the status changes, named by its target.

    ``Unmatched`` rows are dropped. Whether ticketflow accepts each command is for
    :func:`~ticketflow.handle` to decide.

    Raises:
        ValueError: no matched event, events of several incidents, or a status or
            impact the log does not define.

    >>> rows = [Row.from_row({**SAMPLE_ROW, "lifecycle:transition": "Wait - User"})]
    >>> [type(c).__name__ for c in commands(rows)]
    ['OpenTicket', 'PerformAction']
    """
    matched = [r for r in rows if r.status != UNMATCHED]
    if not matched:
        raise ValueError("an incident needs at least one event that is not Unmatched")
    first = matched[0]
    sr = first.sr
    at = first.at
    owner = None if first.owner == SYSTEM_USER else first.owner
    team = first.team
    impact = first.impact
    result: list[Command] = [
        OpenTicket(
            actor=_actor(first.owner),
            at=at,
            ticket_id=sr,
            subject=f"{first.product} incident",
            requester="unknown",
            priority=_priority(impact, sr),
            assignee=owner,
            group=team,
            fields={"product": first.product, "org_line": first.org_line},
            support_level=level_of(team),
        )
    ]
    level = level_of(team)
    status = WORKFLOW.initial
    for row in matched:
        if row.sr != sr:
            raise ValueError(f"an event of {row.sr!r} among the events of {sr!r}")
        try:
            target = STATUSES[row.status, row.sub_status]
        except KeyError:
            raise ValueError(
                f"{sr}: unknown status {row.status!r} - {row.sub_status!r}; the log's are "
                + ", ".join(f"{s} - {sub}" for s, sub in STATUSES)
            ) from None
        at = row.at
        actor = _actor(row.owner)
        new_owner = owner if row.owner == SYSTEM_USER else row.owner
        if (row.team, new_owner) != (team, owner):
            result.append(Assign(actor=actor, at=at, assignee=new_owner, group=row.team))
            team, owner = row.team, new_owner
        line = level_of(row.team)
        if line != level:
            result.append(
                ChangeSupportLevel(actor=actor, at=at, level=line, reason=f"team {row.team}")
            )
            level = line
        if row.impact != impact:
            result.append(ChangePriority(actor=actor, at=at, priority=_priority(row.impact, sr)))
            impact = row.impact
        if target != status:
            result.append(PerformAction(actor=actor, at=at, action=_ACTION_INTO[target]))
            status = target
    return tuple(result)


def _priority(value: str, sr: str) -> str:
    try:
        return PRIORITIES[value]
    except KeyError:
        raise ValueError(
            f"{sr}: unknown impact {value!r}; the log's are {', '.join(PRIORITIES)}"
        ) from None


SAMPLE_ROW: Final[Mapping[str, str]] = {
    "case:concept:name": "1-364285768",
    "org:group": "V30",
    "resource country": "France",
    "organization country": "fr",
    "org:resource": "Frederic",
    "organization involved": "Org line A2",
    "org:role": "A2_4",
    "concept:name": "Accepted",
    "impact": "Medium",
    "product": "PROD582",
    "lifecycle:transition": "In Progress",
    "time:timestamp": "2010-03-31T16:59:42+02:00",
}
"""A row of the log, the first event of SR 1-364285768, for examples and tests."""
