"""The ServiceNow incident workflow, as a real ServiceNow instance's audit log shows it.

The log is UCI dataset #498, "Incident management process enriched event log" (Amaral,
Fantinato, Reijers and Peres, LNBIP 346, Springer 2019; ``shared/data/
servicenow_incidents/SOURCE.md``): 141,712 updates of 24,918 closed incidents of one
IT company, March 2016 to February 2017. Its ``incident_state`` values become statuses:

=======================  =====================  ===================  ===========
``incident_state``       status                 category             log rows
=======================  =====================  ===================  ===========
New                      ``new``                new                  36,407
Active                   ``active``             active               38,716
Awaiting User Info       ``awaiting_user_info`` waiting_on_customer  14,642
Awaiting Vendor          ``awaiting_vendor``    on_hold              707
Awaiting Problem         ``awaiting_problem``   on_hold              461
Awaiting Evidence        ``awaiting_evidence``  on_hold              38
Resolved                 ``resolved``           resolved             25,751
Closed                   ``closed``             closed (terminal)    24,985
``-100``                 (row dropped)          an invalid code      5
=======================  =====================  ===================  ===========

The transitions are what an agent can do with the incident's *State* field, and each is
seen in the log (counts of consecutive rows of one incident):

- ``activate``, ``await_user_info``, ``await_vendor``, ``await_problem`` and
  ``await_evidence``: from any open status to any other (New -> Active 7,936,
  Active -> Awaiting User Info 3,629, ..., Awaiting Vendor -> Awaiting Problem 1). No
  row ever goes back into New, so no action leads there.
- ``resolve``: from any open status (Active -> Resolved 12,049, New -> Resolved 6,348,
  Awaiting Evidence -> Resolved 17, ...).
- ``close``: from Resolved (24,917), by an agent or by the desk's ``system``, and also
  from an open status by an agent (New -> Closed 11, Active -> Closed 1, Awaiting User
  Info -> Closed 1: these 13 incidents are closed without a resolution, and the log's
  ``resolved_at`` is empty for each).
- ``reopen``: Resolved -> Active, by the caller rejecting the resolution or by an
  agent (317 rows, each counted in ServiceNow's ``reopen_count``). An agent may also put
  a resolved incident straight back to a waiting status (Resolved -> Awaiting User Info
  2, also counted as reopens), so the ``await_*`` actions start from Resolved too.

*Closed* is terminal, as in ServiceNow's default state model: no action leaves it. The
log holds 12 incidents that go on from Closed to Active (``reopen_count`` counts them
too); ticketflow refuses those updates, and ``tests/test_real_data.py`` lists them.
Resolved incidents close on their own after 5 days (:data:`AUTO_CLOSE`): 98.7 % of the
log's Closed rows are written by one account ("Updated by 908"), and the median time
from ``resolved_at`` to ``closed_at`` is just over 120 hours. The log records no
replies, so the workflow declares no reply reactions.

Priorities: ``1 - Critical``, ``2 - High``, ``3 - Moderate`` and ``4 - Low`` become
``critical``, ``high``, ``moderate`` and ``low`` (:data:`PRIORITIES`).

Time zone
---------
The log's timestamps (``D/M/YYYY HH:MM``) carry no zone. They read as wall-clock times
of the company, not UTC: on weekdays the updates rise at 08:00, dip for lunch at
12:00-14:00 and fall after 18:00. The hour 07:00-07:59 holds 1.2 % of them before
Brazil's daylight saving time starts on 16 October 2016 and 1.1 % after (of only 1,239
updates), where a log written at a fixed offset would show the 08:00 rise an hour early.
The dataset was donated by researchers of the University of São Paulo, so :data:`ZONE`
assumes ``America/Sao_Paulo``: an assumption, not a fact of the log. No timestamp of the
log falls in that zone's gap (16 October 2016, 00:00-00:59) or fold (18 February 2017,
23:00-23:59), so every timestamp names exactly one instant. Pass ``tz=`` to
:func:`commands` to read the log in another zone (e.g. UTC): only durations that span a
change of daylight saving time differ, by an hour.

Replaying the log
-----------------
:func:`read_incidents` reads the gzipped CSV with the standard library alone, and
:func:`commands` turns one incident's updates into ticketflow commands:
:class:`~ticketflow.OpenTicket` at ``opened_at`` (by ``opened_by``, for the caller,
with the first update's priority), then for each update, at ``sys_updated_at`` and by
``sys_updated_by``, a :class:`~ticketflow.ChangePriority` when the priority changed and
a :class:`~ticketflow.PerformAction` when the state changed. An update that keeps the
state changes nothing ticketflow records.

>>> from ticketflow import handle
>>> from ticketflow.presets import servicenow
>>> log = [("New", "29/2/2016 01:23"), ("Resolved", "29/2/2016 08:53"),
...        ("Closed", "5/3/2016 12:00")]
>>> rows = [servicenow.Update.from_row(
...     {**servicenow.SAMPLE_ROW, "incident_state": state, "sys_updated_at": at})
...     for state, at in log]
>>> desk, ticket = servicenow.desk(), None
>>> for command in servicenow.commands(rows):
...     ticket = handle(desk, ticket, command).ticket
>>> ticket.status, ticket.closed_at.isoformat()
('closed', '2016-03-05T12:00:00-03:00')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta, tzinfo
from os import PathLike
from typing import Final, final
from zoneinfo import ZoneInfo

import attrs

from ticketflow._autoclose import AutoClose, AutoClosePolicy
from ticketflow._calendar import BusinessCalendar
from ticketflow._commands import ChangePriority, Command, OpenTicket, PerformAction
from ticketflow._desk import Desk
from ticketflow._sla import Metric, SlaPolicy
from ticketflow._ticket import AGENT, CUSTOMER, SYSTEM, Actor
from ticketflow._workflow import Category, Status, Transition, Workflow
from ticketflow.presets._logs import read_cases

__all__ = [
    "ACTIVE",
    "AUTO_CLOSE",
    "AWAITING_EVIDENCE",
    "AWAITING_PROBLEM",
    "AWAITING_USER_INFO",
    "AWAITING_VENDOR",
    "CLOSED",
    "INVALID_STATE",
    "NEW",
    "PRIORITIES",
    "RESOLVED",
    "SAMPLE_ROW",
    "SLA",
    "STATUSES",
    "Update",
    "WORKFLOW",
    "ZONE",
    "commands",
    "desk",
    "parse_instant",
    "read_incidents",
]

NEW: Final = "new"
ACTIVE: Final = "active"
AWAITING_USER_INFO: Final = "awaiting_user_info"
AWAITING_VENDOR: Final = "awaiting_vendor"
AWAITING_PROBLEM: Final = "awaiting_problem"
AWAITING_EVIDENCE: Final = "awaiting_evidence"
RESOLVED: Final = "resolved"
CLOSED: Final = "closed"

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

ZONE: Final = "America/Sao_Paulo"
"""The zone the log's timestamps are read in (see the module's *Time zone*)."""

_WORKING: Final = frozenset(
    {ACTIVE, AWAITING_USER_INFO, AWAITING_VENDOR, AWAITING_PROBLEM, AWAITING_EVIDENCE}
)
_OPEN: Final = _WORKING | {NEW}


def _move(action: str, label: str, target: str) -> Transition:
    """An agent's change of the State field into ``target``, from Resolved too."""
    return Transition(
        action=action,
        label=label,
        sources=(_OPEN | {RESOLVED}) - {target},
        target=target,
        roles={AGENT},
    )


WORKFLOW: Final = Workflow(
    name="servicenow-incident",
    initial=NEW,
    statuses=(
        Status(NEW, Category.NEW, label="New"),
        Status(ACTIVE, Category.ACTIVE, label="Active"),
        Status(AWAITING_USER_INFO, Category.WAITING_ON_CUSTOMER, label="Awaiting User Info"),
        Status(AWAITING_VENDOR, Category.ON_HOLD, label="Awaiting Vendor"),
        Status(AWAITING_PROBLEM, Category.ON_HOLD, label="Awaiting Problem"),
        Status(AWAITING_EVIDENCE, Category.ON_HOLD, label="Awaiting Evidence"),
        Status(RESOLVED, Category.RESOLVED, label="Resolved"),
        Status(CLOSED, Category.CLOSED, label="Closed"),
    ),
    transitions=(
        Transition(
            action="activate",
            label="Active",
            sources=_OPEN - {ACTIVE},
            target=ACTIVE,
            roles={AGENT},
        ),
        _move("await_user_info", "Awaiting User Info", AWAITING_USER_INFO),
        _move("await_vendor", "Awaiting Vendor", AWAITING_VENDOR),
        _move("await_problem", "Awaiting Problem", AWAITING_PROBLEM),
        _move("await_evidence", "Awaiting Evidence", AWAITING_EVIDENCE),
        Transition(
            action="resolve", label="Resolved", sources=_OPEN, target=RESOLVED, roles={AGENT}
        ),
        # The caller rejects the resolution, or an agent takes the incident back.
        Transition(
            action="reopen",
            label="Reopen",
            sources={RESOLVED},
            target=ACTIVE,
            roles={CUSTOMER, AGENT},
        ),
        Transition(
            action="close",
            label="Closed",
            sources={RESOLVED},
            target=CLOSED,
            roles={AGENT, SYSTEM},
        ),
        # Closed without a resolution (13 incidents of the log).
        Transition(action="close", label="Closed", sources=_OPEN, target=CLOSED, roles={AGENT}),
    ),
    priorities=("low", "moderate", "high", "critical"),
    default_priority="moderate",
)
"""The ServiceNow incident workflow."""

AUTO_CLOSE: Final = AutoClosePolicy([AutoClose(when=Category.RESOLVED, after=timedelta(days=5))])
"""A resolved incident closes on its own after 5 days (120 hours of real time)."""


def _hours(**hours: int) -> dict[str, timedelta]:
    return {priority: timedelta(hours=h) for priority, h in hours.items()}


SLA: Final = SlaPolicy(
    metrics=[
        Metric.resolution(_hours(critical=8, high=24, moderate=72, low=120), pause_on_hold=True)
    ]
)
"""Example resolution targets in real time: 8 hours for a critical incident, 24 for a
high, 72 for a moderate and 120 for a low one, paused while the incident awaits the
user, a vendor, a problem or evidence. The log does not hold the instance's own SLA
definitions (only each incident's ``made_sla`` outcome); pass your own to :func:`desk`."""

_ACTION_INTO: Final[Mapping[str, str]] = {
    ACTIVE: "activate",
    AWAITING_USER_INFO: "await_user_info",
    AWAITING_VENDOR: "await_vendor",
    AWAITING_PROBLEM: "await_problem",
    AWAITING_EVIDENCE: "await_evidence",
    RESOLVED: "resolve",
    CLOSED: "close",
}

_MISSING: Final = "?"
"""How the log writes a missing value."""


def desk(sla: SlaPolicy | None = None, tz: str = ZONE) -> Desk:
    """The ServiceNow desk: the workflow, a 24/7 calendar in ``tz``, auto-close and SLA.

    Args:
        sla: the SLA policy (default: :data:`SLA`; ``SlaPolicy()`` for none).
        tz: the zone of the 24/7 calendar (default: :data:`ZONE`).

    >>> desk().calendar.tz
    'America/Sao_Paulo'
    """
    return Desk(
        workflow=WORKFLOW,
        calendar=BusinessCalendar.always_open(tz),
        auto_close=AUTO_CLOSE,
        sla=SLA if sla is None else sla,
    )


def parse_instant(text: str, tz: tzinfo) -> datetime:
    """The instant a log timestamp (``D/M/YYYY HH:MM``, day first) names in zone ``tz``.

    A wall time that occurs twice (a fold) is read as its first occurrence; one that
    never occurs (a DST gap) is refused, as no instant shows it. The log has neither
    in :data:`ZONE`.

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
    update's, then a :class:`~ticketflow.PerformAction` when ``incident_state`` does.
    Leaving Resolved or Closed for Active is ``reopen``; the other moves are named by
    their target. Rows in :data:`INVALID_STATE` are dropped, and a missing (``?``)
    caller or user id becomes ``"unknown"``. The commands say what the log says, in its
    order: whether ticketflow accepts each one is for :func:`~ticketflow.handle` to
    decide.

    Args:
        updates: one incident's updates, in the log's order.
        tz: the zone the timestamps are read in (default: :data:`ZONE`).

    Raises:
        ValueError: no valid update, updates of several incidents, or a state or
            priority the log does not define.

    >>> rows = [Update.from_row({**SAMPLE_ROW, "incident_state": s, "sys_updated_at": at})
    ...         for s, at in [("Active", "1/3/2016 09:00"), ("Closed", "6/3/2016 10:00")]]
    >>> [(type(c).__name__, getattr(c, "action", "")) for c in commands(rows)]
    [('OpenTicket', ''), ('PerformAction', 'activate'), ('PerformAction', 'close')]
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
        if row.priority == priority and target == status:
            continue
        at = parse_instant(row.sys_updated_at, zone)
        actor = Actor.agent(_known(row.sys_updated_by))
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
