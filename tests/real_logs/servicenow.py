"""The ServiceNow incident log (UCI dataset #498), read and turned into commands.

The desk is :mod:`ticketflow.presets.servicenow`; its docstring tells how each status,
transition and time-zone choice was read from this log. This module holds what is
about the log itself: its columns (:class:`Update`), its timestamps
(:func:`parse_instant`), its values (:data:`STATUSES`, :data:`PRIORITIES`,
:data:`INVALID_STATE`), the reader of ``incident_event_log.csv.gz``
(:func:`read_incidents`, the standard library alone) and the translation of one
incident's updates into ticketflow commands (:func:`commands`):
:class:`~ticketflow.OpenTicket` at ``opened_at`` (by ``opened_by``, for the caller,
with the first update's priority), then for each update, at ``sys_updated_at`` and by
``sys_updated_by``, a :class:`~ticketflow.ChangePriority` when the priority changed and
a :class:`~ticketflow.PerformAction` when the state changed. An update that changes
neither (a comment, a work note, a reassignment: the log does not say which) is still an
update, and ServiceNow's auto-close counts from the last one: it becomes an internal
note (:class:`~ticketflow.Reply` with ``public=False``), the update ticketflow records
without changing anything else.

>>> from ticketflow import handle
>>> from ticketflow.presets import servicenow
>>> log = [("New", "29/2/2016 01:23"), ("Resolved", "29/2/2016 08:53"),
...        ("Closed", "5/3/2016 12:00")]
>>> rows = [Update.from_row({**SAMPLE_ROW, "incident_state": state, "sys_updated_at": at})
...         for state, at in log]
>>> desk, ticket = servicenow.desk(), None
>>> for command in commands(rows):
...     ticket = handle(desk, ticket, command).ticket
>>> ticket.status, ticket.closed_at.isoformat()
('closed', '2016-03-05T12:00:00-03:00')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, tzinfo
from os import PathLike
from typing import Final, final
from zoneinfo import ZoneInfo

import attrs

from real_logs.reader import read_cases
from ticketflow import Actor, ChangePriority, Command, OpenTicket, PerformAction, Reply
from ticketflow.presets.servicenow import (
    ACTIVE,
    AWAITING_EVIDENCE,
    AWAITING_PROBLEM,
    AWAITING_USER_INFO,
    AWAITING_VENDOR,
    CLOSED,
    NEW,
    RESOLVED,
    WORKFLOW,
    ZONE,
)

__all__ = [
    "INVALID_STATE",
    "PRIORITIES",
    "SAMPLE_ROW",
    "STATUSES",
    "UPDATE_NOTE",
    "Update",
    "commands",
    "parse_instant",
    "read_incidents",
]

STATUSES: Final[Mapping[str, str]] = {
    "New": NEW,
    "Active": ACTIVE,
    "Awaiting User Info": AWAITING_USER_INFO,
    "Awaiting Vendor": AWAITING_VENDOR,
    "Awaiting Problem": AWAITING_PROBLEM,
    "Awaiting Evidence": AWAITING_EVIDENCE,
    "Resolved": RESOLVED,
    "Closed": CLOSED,
}
"""The log's ``incident_state`` values and the statuses they become."""

INVALID_STATE: Final = "-100"
"""The log's invalid ``incident_state`` (5 rows of 2 incidents); :func:`commands` drops it."""

PRIORITIES: Final[Mapping[str, str]] = {
    "1 - Critical": "critical",
    "2 - High": "high",
    "3 - Moderate": "moderate",
    "4 - Low": "low",
}
"""The log's ``priority`` values and the workflow's priorities they become."""

# Each status is entered by the action named after it; "reopen" (Resolved -> Active) is
# chosen by the move, not by the target.
_ACTION_INTO: Final[Mapping[str, str]] = {
    t.target: t.action for t in WORKFLOW.transitions if t.action != "reopen"
}

UPDATE_NOTE: Final = "updated"
"""The body of the internal note an update that keeps the state and priority becomes."""

_MISSING: Final = "?"
"""How the log writes a missing value."""


def parse_instant(text: str, tz: tzinfo) -> datetime:
    """The instant a log timestamp (``D/M/YYYY HH:MM``, day first) names in zone ``tz``.

    A wall time that occurs twice (a fold) is read as its first occurrence; one that
    never occurs (a DST gap) is refused, as no instant shows it. The log has neither
    in the preset's ``ZONE``.

    Raises:
        ValueError: ``text`` is not such a timestamp (the log's ``?`` included), or it
            names a wall time that does not exist in ``tz``.

    >>> parse_instant("5/3/2016 12:00", ZoneInfo(ZONE)).isoformat()
    '2016-03-05T12:00:00-03:00'
    >>> parse_instant("?", ZoneInfo(ZONE))
    Traceback (most recent call last):
    ...
    ValueError: not a D/M/YYYY HH:MM timestamp: '?'
    >>> parse_instant("16/10/2016 00:30", ZoneInfo(ZONE))
    Traceback (most recent call last):
    ...
    ValueError: 16/10/2016 00:30 does not exist in America/Sao_Paulo (a DST gap); ...
    """
    try:
        day, clock = text.split(" ")
        d, m, y = day.split("/")
        hh, mm = clock.split(":")
        instant = datetime(int(y), int(m), int(d), int(hh), int(mm), tzinfo=tz)
    except ValueError:
        raise ValueError(f"not a D/M/YYYY HH:MM timestamp: {text!r}") from None
    if instant.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != instant.replace(tzinfo=None):
        raise ValueError(
            f"{text} does not exist in {tz} (a DST gap); read the log in another zone with tz="
        )
    return instant


@final
@attrs.frozen
class Update:
    """One row of the log (one audit record of an incident), as the CSV writes it.

    Only the columns the replay and its checks read are kept; every value is the
    log's text, ``"?"`` where the log has none.
    """

    number: str
    incident_state: str
    reopen_count: str
    sys_mod_count: str
    made_sla: str
    caller_id: str
    opened_by: str
    opened_at: str
    sys_updated_by: str
    sys_updated_at: str
    priority: str
    category: str
    subcategory: str
    resolved_at: str
    closed_at: str

    @classmethod
    def from_row(cls, row: Mapping[str, str]) -> Update:
        """The update from a CSV row read as a mapping of column names to text.

        Raises:
            KeyError: the row lacks one of the columns.
        """
        return cls(**{name: row[name] for name in _COLUMNS})


_COLUMNS: Final = tuple(a.name for a in attrs.fields(Update))


def read_incidents(path: str | PathLike[str]) -> tuple[tuple[Update, ...], ...]:
    """Every incident's updates, in the order of the log (``incident_event_log.csv.gz``).

    Consecutive rows with the same ``number`` make one incident; rows are kept in the
    file's order, which is the log's order of updates.

    Raises:
        OSError: the file cannot be read.
        KeyError: the header lacks a column :class:`Update` needs.
    """
    return read_cases(path, _COLUMNS, Update, _number)


def _number(update: Update) -> str:
    return update.number


def _known(value: str) -> str:
    return "unknown" if value == _MISSING else value


def commands(updates: Iterable[Update], *, tz: tzinfo | None = None) -> tuple[Command, ...]:
    """The ticketflow commands that replay one incident's updates.

    :class:`~ticketflow.OpenTicket` at ``opened_at``, then per update at
    ``sys_updated_at`` by its ``sys_updated_by`` (an agent): a
    :class:`~ticketflow.ChangePriority` when ``priority`` differs from the previous
    update's, then a :class:`~ticketflow.PerformAction` when ``incident_state`` does, and
    an internal note (:data:`UPDATE_NOTE`, ``Reply(public=False)``) when it changes
    neither: every row is an update (``Ticket.last_update_at``). The first row is the
    record's creation, which the opening stands for: it becomes a command only when it
    changes the state or the priority.
    Leaving Resolved or Closed for Active is ``reopen``; the other moves are named by
    their target. Rows in :data:`INVALID_STATE` are dropped, and a missing (``?``)
    caller or user id becomes ``"unknown"``. The commands say what the log says, in its
    order: whether ticketflow accepts each one is for :func:`~ticketflow.handle` to
    decide.

    Args:
        updates: one incident's updates, in the log's order.
        tz: the zone the timestamps are read in (default: the preset's ``ZONE``; e.g.
            UTC to read the log at a fixed offset: only durations that span a change of
            daylight saving time differ, by an hour).

    Raises:
        ValueError: no valid update, updates of several incidents, or a state or
            priority the log does not define.

    >>> rows = [Update.from_row({**SAMPLE_ROW, "incident_state": s, "sys_updated_at": at})
    ...         for s, at in [("Active", "1/3/2016 09:00"), ("Closed", "6/3/2016 10:00")]]
    >>> [(type(c).__name__, getattr(c, "action", "")) for c in commands(rows)]
    [('OpenTicket', ''), ('PerformAction', 'activate'), ('PerformAction', 'close')]
    >>> rows.insert(1, attrs.evolve(rows[0], sys_updated_at="2/3/2016 10:00"))
    >>> [(type(c).__name__, getattr(c, "public", "")) for c in commands(rows)][2]
    ('Reply', False)
    """
    zone = ZoneInfo(ZONE) if tz is None else tz
    rows = [u for u in updates if u.incident_state != INVALID_STATE]
    if not rows:
        raise ValueError("an incident needs at least one update with a valid state")
    first = rows[0]
    number = first.number
    priority = first.priority
    result: list[Command] = [
        OpenTicket(
            actor=Actor.agent(_known(first.opened_by)),
            at=parse_instant(first.opened_at, zone),
            ticket_id=number,
            subject=f"{first.category} / {first.subcategory}",
            requester=_known(first.caller_id),
            priority=_priority(first.priority, number),
        )
    ]
    status = WORKFLOW.initial
    for row in rows:
        if row.number != number:
            raise ValueError(f"an update of {row.number!r} among the updates of {number!r}")
        try:
            target = STATUSES[row.incident_state]
        except KeyError:
            raise ValueError(
                f"{number}: unknown incident_state {row.incident_state!r}; "
                f"the log's states are {', '.join(STATUSES)}"
            ) from None
        at = parse_instant(row.sys_updated_at, zone)
        actor = Actor.agent(_known(row.sys_updated_by))
        if row.priority == priority and target == status:
            if row is not first:  # the first row is the record's creation: OpenTicket
                result.append(Reply(actor=actor, at=at, body=UPDATE_NOTE, public=False))
            continue
        if row.priority != priority:
            result.append(
                ChangePriority(actor=actor, at=at, priority=_priority(row.priority, number))
            )
            priority = row.priority
        if target != status:
            action = "reopen" if target == ACTIVE and status in (RESOLVED, CLOSED) else None
            result.append(PerformAction(actor=actor, at=at, action=action or _ACTION_INTO[target]))
            status = target
    return tuple(result)


def _priority(value: str, number: str) -> str:
    try:
        return PRIORITIES[value]
    except KeyError:
        raise ValueError(
            f"{number}: unknown priority {value!r}; the log's are {', '.join(PRIORITIES)}"
        ) from None


SAMPLE_ROW: Final[Mapping[str, str]] = {
    "number": "INC0000045",
    "incident_state": "New",
    "reopen_count": "0",
    "sys_mod_count": "0",
    "made_sla": "true",
    "caller_id": "Caller 2403",
    "opened_by": "Opened by  8",
    "opened_at": "29/2/2016 01:16",
    "sys_updated_by": "Updated by 21",
    "sys_updated_at": "29/2/2016 01:23",
    "priority": "3 - Moderate",
    "category": "Category 55",
    "subcategory": "Subcategory 170",
    "resolved_at": "29/2/2016 11:29",
    "closed_at": "5/3/2016 12:00",
}
"""A row of the log, INC0000045's first update, for examples and tests."""
