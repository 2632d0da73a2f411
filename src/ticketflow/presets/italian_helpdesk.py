"""The help desk of an Italian software company, as its event log shows it.

The log is "Dataset belonging to the help desk log of an Italian Company" (Mirko
Polato, University of Padova, 4TU.ResearchData, 2017, DOI
10.4121/uuid:0c60edf1-6f83-4e75-9367-4c63b3e9d5bb; ``shared/data/helpdesk_italian/
SOURCE.md``): 21,348 events of 4,580 cases, January 2010 to January 2014. Each row is
one activity of a case. Some activities move the ticket between statuses, the others
become other commands:

=========================  =========================  ====================  ==========
activity                   becomes                    category              log rows
=========================  =========================  ====================  ==========
Insert ticket              the opening                                      118
Assign seriousness         the opening, when first;   (the priority)        4,938
                           else nothing of its own
Take in charge ticket      ``in_charge``, and an      active                5,060
                           assignment to its agent
Wait                       ``waiting``                on_hold               1,463
Require upgrade            ``upgrade_required``       waiting_on_customer   119
Create SW anomaly          ``sw_anomaly``             on_hold               67
Resolve SW anomaly         ``sw_anomaly_resolved``    active                13
Schedule intervention      ``intervention_scheduled`` active                5
Resolve ticket             ``resolved``               resolved              4,983
Closed                     ``closed``                 closed (terminal)     4,574
VERIFIED, RESOLVED,        the field                                        8
INVALID, DUPLICATE         ``anomaly_status``
=========================  =========================  ====================  ==========

Why each choice (counts of consecutive rows of one case, ``START`` before the first):

- **Opening.** A case opens with its first row: ``START -> Assign seriousness`` 4,384,
  ``START -> Insert ticket`` 118, ``START -> Take in charge ticket`` 74, and 4 others
  (Resolve ticket 2, Wait 1, Create SW anomaly 1). *Insert ticket* is only ever first.
  *Assign seriousness* is the triage that gives the case its seriousness: it is first
  in 96 % of the cases, and repeated right away in 439 rows, where it sets the same
  or a new ``seriousness_2``. It is not a status (nothing is "in seriousness"); its
  effect is the priority, which every row carries in ``seriousness_2``, so a change of
  that column, on whatever row, becomes a :class:`~ticketflow.ChangePriority`.
- **Take in charge ticket** puts the case in the hands of the row's agent: into
  ``in_charge`` (Assign seriousness -> Take in charge 4,160, Wait -> Take in charge 558,
  Resolve ticket -> Take in charge 154, a return from Resolved that ticketflow counts
  as a reopen) and, when the agent differs from the assignee, an
  :class:`~ticketflow.Assign` (Take in charge -> Take in charge 99, 42 of them by
  another agent taking over; 4,606 of the 5,060 Take in charge rows assign).
- **Wait** suspends the work (Take in charge -> Wait 1,265, Wait -> Resolve 773, Wait
  -> Take in charge 558). The log does not say whom the desk waits for, so it is
  ``on_hold``. **Require upgrade** asks the customer to install a newer release (Take in
  charge -> Require upgrade 72, Require upgrade -> Resolve 82): the customer must act,
  so it is ``waiting_on_customer``.
- **Create SW anomaly** files a defect with the product's developers (Take in charge
  -> Create SW anomaly 53, Create SW anomaly -> Resolve ticket 42) and **Resolve SW
  anomaly** reports it fixed (Create -> Resolve SW anomaly 7). The escalation process's
  linked engineering task (:func:`ticketflow.presets.escalation_process.link_task`)
  was considered and not used: its workflow reaches Done only through Ready and In
  Progress, which the log never shows, and the bug tracker's own statuses (below)
  match none of its statuses. So the case waits on the developers in ``sw_anomaly``
  (``on_hold``) and is back with the desk in ``sw_anomaly_resolved`` (``active``).
- **Schedule intervention** books a visit (Take in charge -> Schedule intervention 5,
  then Resolve ticket 4): the desk's own work, ``active``.
- **Resolve ticket** resolves (Take in charge -> Resolve 3,563); **Closed** closes
  (Resolve ticket -> Closed 4,558, and never from another status). *Closed* is terminal,
  as :mod:`ticketflow.presets.servicenow`'s: 2 cases go on from Closed to Take in
  charge ticket, and ticketflow refuses those rows.
- The upper-case **VERIFIED**, **RESOLVED**, **INVALID** and **DUPLICATE** (8 rows of
  3 cases, each after a Create SW anomaly) are the linked anomaly's statuses in the bug
  tracker, written into the help desk's log: they do not move the case, so they become
  a :class:`~ticketflow.SetField` of ``anomaly_status``.

A row whose activity is the status the ticket is already in (Resolve ticket -> Resolve
ticket 254, Wait -> Wait 113, Closed -> Closed 14, ...) changes no status; a repeated
Take in charge may still assign. The transitions are the moves the rows make: into any
open status from any open status or from Resolved, ``resolve`` from any open status,
``close`` from Resolved.

Priorities: the four anonymised ``seriousness_2`` values ``Value 1`` ... ``Value 4``
become ``value_1`` ... ``value_4`` (:data:`PRIORITIES`; 2,599, 1,751, 27 and 203 cases
open with them). The log does not say which is graver, so the order of
:attr:`WORKFLOW.priorities <ticketflow.Workflow.priorities>` is the values' order, not a
ranking, and :data:`SLA` gives them one target.

Time zone and calendar
----------------------
The timestamps (``YYYY/MM/DD hh:mm:ss.000``) carry no zone. On weekdays the events rise
at 08:00 and dip for lunch at 12:00 from November to March, but at 07:00 and 11:00
while Italy keeps summer time: the log is written at a fixed offset, the one of Italian
winter time. :data:`OFFSET` is therefore UTC+01:00 (:class:`datetime.timezone`), and
every command carries an instant at that offset; no timestamp falls in a gap or fold.
The desk's work follows Italian wall-clock time, with summer time: :data:`CALENDAR` is
in ``Europe/Rome``, Monday to Friday, **08:00-12:00 and 13:00-17:00 (an assumption
read from the log's hours: 95 % of weekday events fall in them)**, closed on Italian
public holidays (``country="IT"``). The Resolve ticket -> Closed gaps agree: the
commonest is 15 days to the hour on the Rome wall clock (1,410 of 4,558 rows; 1,303 at
the fixed offset, where those spanning a change of summer time are an hour off).

Replaying the log
-----------------
:func:`read_cases` reads the gzipped CSV with the standard library alone, and
:func:`commands` turns one case's rows into commands.

>>> from ticketflow import handle
>>> from ticketflow.presets import italian_helpdesk as helpdesk
>>> log = [("Assign seriousness", "2012/04/03 08:55:38.000"),
...        ("Take in charge ticket", "2012/04/03 08:55:53.000"),
...        ("Resolve ticket", "2012/04/05 09:15:52.000"),
...        ("Closed", "2012/05/19 09:00:28.000")]
>>> rows = [helpdesk.Row.from_row({**helpdesk.SAMPLE_ROW, "Activity": activity,
...                                "Complete Timestamp": at}) for activity, at in log]
>>> desk, ticket = helpdesk.desk(), None
>>> for command in helpdesk.commands(rows):
...     ticket = handle(desk, ticket, command).ticket
>>> ticket.status, ticket.assignee, ticket.closed_at.isoformat()
('closed', 'Value 4', '2012-05-19T09:00:28+01:00')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta, timezone, tzinfo
from os import PathLike
from typing import Final, final

import attrs

from ticketflow._calendar import BusinessCalendar
from ticketflow._commands import (
    Assign,
    ChangePriority,
    Command,
    OpenTicket,
    PerformAction,
    SetField,
)
from ticketflow._desk import Desk
from ticketflow._durations import BusinessTime
from ticketflow._sla import Metric, SlaPolicy
from ticketflow._ticket import AGENT, Actor
from ticketflow._workflow import Category, Status, Transition, Workflow
from ticketflow.presets._logs import read_cases as _read_cases

__all__ = [
    "ANOMALY_FIELD",
    "ANOMALY_STATUSES",
    "CALENDAR",
    "CLOSED",
    "IN_CHARGE",
    "INTERVENTION_SCHEDULED",
    "NEW",
    "OFFSET",
    "OPENINGS",
    "PRIORITIES",
    "RESOLVED",
    "SAMPLE_ROW",
    "SLA",
    "STATUSES",
    "SW_ANOMALY",
    "SW_ANOMALY_RESOLVED",
    "TAKE_IN_CHARGE",
    "UPGRADE_REQUIRED",
    "WAITING",
    "WORKFLOW",
    "ZONE",
    "Row",
    "commands",
    "desk",
    "parse_instant",
    "read_cases",
]

NEW: Final = "new"
IN_CHARGE: Final = "in_charge"
WAITING: Final = "waiting"
UPGRADE_REQUIRED: Final = "upgrade_required"
SW_ANOMALY: Final = "sw_anomaly"
SW_ANOMALY_RESOLVED: Final = "sw_anomaly_resolved"
INTERVENTION_SCHEDULED: Final = "intervention_scheduled"
RESOLVED: Final = "resolved"
CLOSED: Final = "closed"

TAKE_IN_CHARGE: Final = "Take in charge ticket"
"""The activity that also assigns the case to the row's agent."""

STATUSES: Final[Mapping[str, str]] = {
    TAKE_IN_CHARGE: IN_CHARGE,
    "Wait": WAITING,
    "Require upgrade": UPGRADE_REQUIRED,
    "Create SW anomaly": SW_ANOMALY,
    "Resolve SW anomaly": SW_ANOMALY_RESOLVED,
    "Schedule intervention": INTERVENTION_SCHEDULED,
    "Resolve ticket": RESOLVED,
    "Closed": CLOSED,
}
"""The activities that change the status, and the statuses they lead into."""

OPENINGS: Final = frozenset({"Insert ticket", "Assign seriousness"})
"""The activities that open a case when first, and record nothing of their own later."""

ANOMALY_STATUSES: Final = frozenset({"VERIFIED", "RESOLVED", "INVALID", "DUPLICATE"})
"""The bug tracker's statuses of a case's software anomaly, as the log writes them."""

ANOMALY_FIELD: Final = "anomaly_status"
"""The case's field that records the bug tracker's status of its software anomaly."""

PRIORITIES: Final[Mapping[str, str]] = {f"Value {n}": f"value_{n}" for n in range(1, 5)}
"""The log's ``seriousness_2`` values and the workflow's priorities they become."""

OFFSET: Final = timezone(timedelta(hours=1))
"""The fixed offset the log's timestamps are written at: UTC+01:00, Italian winter time."""

ZONE: Final = "Europe/Rome"
"""The zone of the desk's business hours, with summer time (Italian wall-clock time)."""

_OPEN: Final = frozenset(
    {NEW, IN_CHARGE, WAITING, UPGRADE_REQUIRED, SW_ANOMALY, SW_ANOMALY_RESOLVED}
    | {INTERVENTION_SCHEDULED}
)

_ACTION_INTO: Final[Mapping[str, str]] = {
    IN_CHARGE: "take_in_charge",
    WAITING: "wait",
    UPGRADE_REQUIRED: "require_upgrade",
    SW_ANOMALY: "create_sw_anomaly",
    SW_ANOMALY_RESOLVED: "resolve_sw_anomaly",
    INTERVENTION_SCHEDULED: "schedule_intervention",
    RESOLVED: "resolve",
    CLOSED: "close",
}


def _move(target: str, label: str) -> Transition:
    """An agent's move into the open status ``target``, from any other open status or
    from Resolved (a return to work). From New too: a case's first row may be any
    activity (74 cases open with Take in charge ticket, 1 with Wait, 1 with Create SW
    anomaly)."""
    return Transition(
        action=_ACTION_INTO[target],
        label=label,
        sources=(_OPEN | {RESOLVED}) - {target},
        target=target,
        roles={AGENT},
    )


WORKFLOW: Final = Workflow(
    name="italian-helpdesk",
    initial=NEW,
    statuses=(
        Status(NEW, Category.NEW, label="New"),
        Status(IN_CHARGE, Category.ACTIVE, label="In charge"),
        Status(WAITING, Category.ON_HOLD, label="Waiting"),
        Status(UPGRADE_REQUIRED, Category.WAITING_ON_CUSTOMER, label="Upgrade required"),
        Status(SW_ANOMALY, Category.ON_HOLD, label="SW anomaly"),
        Status(SW_ANOMALY_RESOLVED, Category.ACTIVE, label="SW anomaly resolved"),
        Status(INTERVENTION_SCHEDULED, Category.ACTIVE, label="Intervention scheduled"),
        Status(RESOLVED, Category.RESOLVED, label="Resolved"),
        Status(CLOSED, Category.CLOSED, label="Closed"),
    ),
    transitions=(
        _move(IN_CHARGE, "Take in charge ticket"),
        _move(WAITING, "Wait"),
        _move(UPGRADE_REQUIRED, "Require upgrade"),
        _move(SW_ANOMALY, "Create SW anomaly"),
        _move(SW_ANOMALY_RESOLVED, "Resolve SW anomaly"),
        _move(INTERVENTION_SCHEDULED, "Schedule intervention"),
        Transition(
            action="resolve", label="Resolve ticket", sources=_OPEN, target=RESOLVED, roles={AGENT}
        ),
        Transition(
            action="close", label="Closed", sources={RESOLVED}, target=CLOSED, roles={AGENT}
        ),
    ),
    priorities=tuple(PRIORITIES.values()),
    default_priority="value_1",
)
"""The help desk's workflow."""


def _calendar() -> BusinessCalendar:
    return BusinessCalendar.from_document(
        {"tz": ZONE, "week": {"mon-fri": ["08:00-12:00", "13:00-17:00"]}, "country": "IT"}
    )


CALENDAR: Final = _calendar()
"""Monday to Friday, 08:00-12:00 and 13:00-17:00 in Rome, closed on Italian holidays
(the hours are an assumption read from the log). A value: :func:`desk` builds an equal
calendar of its own for each desk, so no desk shares this one's (bounded) caches."""

SLA: Final = SlaPolicy(
    metrics=[
        Metric.resolution(
            {p: BusinessTime(timedelta(hours=80)) for p in PRIORITIES.values()},
            pause_on_hold=True,
        )
    ]
)
"""An example resolution target: 80 business hours (ten working days on
:data:`CALENDAR`) whatever the seriousness, paused while the case waits (``waiting``,
``sw_anomaly``) or the customer must upgrade. The log holds no SLA of its own."""


def desk(sla: SlaPolicy | None = None, calendar: BusinessCalendar | None = None) -> Desk:
    """The help desk: its workflow, the Italian business calendar and the example SLA.

    Args:
        sla: the SLA policy (default: :data:`SLA`; ``SlaPolicy()`` for none).
        calendar: the business calendar (default: one equal to :data:`CALENDAR`).

    >>> desk().calendar.tz, desk().calendar.country
    ('Europe/Rome', 'IT')
    """
    return Desk(
        workflow=WORKFLOW,
        calendar=calendar if calendar is not None else _calendar(),
        sla=SLA if sla is None else sla,
    )


def parse_instant(text: str, tz: tzinfo = OFFSET) -> datetime:
    """The instant a log timestamp (``YYYY/MM/DD hh:mm:ss.fff``) names at ``tz``.

    Raises:
        ValueError: ``text`` is not such a timestamp.

    >>> parse_instant("2012/04/03 08:55:38.000").isoformat()
    '2012-04-03T08:55:38+01:00'
    >>> parse_instant("3/4/2012 08:55")
    Traceback (most recent call last):
    ...
    ValueError: not a YYYY/MM/DD hh:mm:ss.fff timestamp: '3/4/2012 08:55'
    """
    try:
        return datetime.strptime(text, "%Y/%m/%d %H:%M:%S.%f").replace(tzinfo=tz)
    except ValueError:
        raise ValueError(f"not a YYYY/MM/DD hh:mm:ss.fff timestamp: {text!r}") from None


_COLUMN_NAMES: Final[Mapping[str, str]] = {
    "case_id": "Case ID",
    "activity": "Activity",
    "resource": "Resource",
    "timestamp": "Complete Timestamp",
    "seriousness_2": "seriousness_2",
    "service_level": "service_level",
    "service_type": "service_type",
    "customer": "customer",
    "product": "product",
    "workgroup": "workgroup",
}


@final
@attrs.frozen
class Row:
    """One row of the log (one activity of a case), as the CSV writes it.

    Only the columns the replay and its checks read are kept; every value is the
    log's text.
    """

    case_id: str
    activity: str
    resource: str
    timestamp: str
    seriousness_2: str
    service_level: str
    service_type: str
    customer: str
    product: str
    workgroup: str

    @classmethod
    def from_row(cls, row: Mapping[str, str]) -> Row:
        """The row from a CSV row read as a mapping of the log's column names to text.

        Raises:
            KeyError: the row lacks one of the columns.
        """
        return cls(**{name: row[column] for name, column in _COLUMN_NAMES.items()})


def read_cases(path: str | PathLike[str]) -> tuple[tuple[Row, ...], ...]:
    """Every case's rows, in the order of the log (``finale.csv.gz``).

    Consecutive rows with the same ``Case ID`` make one case, kept in the file's order.

    Raises:
        OSError: the file cannot be read.
        KeyError: the header lacks a column :class:`Row` needs.
    """
    return _read_cases(path, tuple(_COLUMN_NAMES.values()), Row, _case_id)


def _case_id(row: Row) -> str:
    return row.case_id


def commands(rows: Iterable[Row], *, tz: tzinfo = OFFSET) -> tuple[Command, ...]:
    """The ticketflow commands that replay one case's rows.

    :class:`~ticketflow.OpenTicket` at the first row (by its agent, for the case's
    customer, at its ``seriousness_2``), then per row at its timestamp and by its
    agent: a :class:`~ticketflow.ChangePriority` when ``seriousness_2`` differs from
    the priority so far (except on a bug tracker's row, which carries the anomaly's
    seriousness); a :class:`~ticketflow.PerformAction` when the activity leads
    into another status (:data:`STATUSES`); an :class:`~ticketflow.Assign` to the agent
    who takes the case in charge, unless it is theirs already; a
    :class:`~ticketflow.SetField` of :data:`ANOMALY_FIELD` for a bug-tracker status.
    The first row is handled like the others once the case is open, so a case that
    opens with Take in charge ticket is opened, then taken in charge, at one instant.
    Whether ticketflow accepts each command is for :func:`~ticketflow.handle` to
    decide.

    Args:
        rows: one case's rows, in the log's order.
        tz: the offset or zone the timestamps are read at (default: :data:`OFFSET`).

    Raises:
        ValueError: no rows, rows of several cases, or an activity or seriousness the
            log does not define.

    >>> rows = [Row.from_row({**SAMPLE_ROW, "Activity": activity})
    ...         for activity in ("Insert ticket", "Take in charge ticket", "VERIFIED")]
    >>> [type(c).__name__ for c in commands(rows)]
    ['OpenTicket', 'PerformAction', 'Assign', 'SetField']
    """
    rows = tuple(rows)
    if not rows:
        raise ValueError("a case needs at least one row")
    first = rows[0]
    case = first.case_id
    priority = _priority(first.seriousness_2, case)
    result: list[Command] = [
        OpenTicket(
            actor=Actor.agent(first.resource),
            at=parse_instant(first.timestamp, tz),
            ticket_id=case,
            subject=f"{first.product} / {first.service_type}",
            requester=first.customer,
            priority=priority,
        )
    ]
    status = WORKFLOW.initial
    assignee: str | None = None
    anomaly: str | None = None
    for row in rows:
        if row.case_id != case:
            raise ValueError(f"a row of {row.case_id!r} among the rows of {case!r}")
        at = parse_instant(row.timestamp, tz)
        actor = Actor.agent(row.resource)
        activity = row.activity
        if activity in ANOMALY_STATUSES:
            # The bug tracker's rows carry its own seriousness (Value 3 on all 8 of
            # them), not the case's: they change no priority.
            if activity != anomaly:
                result.append(SetField(actor=actor, at=at, name=ANOMALY_FIELD, value=activity))
                anomaly = activity
            continue
        seriousness = _priority(row.seriousness_2, case)
        if seriousness != priority:
            result.append(ChangePriority(actor=actor, at=at, priority=seriousness))
            priority = seriousness
        if activity in OPENINGS:
            continue
        try:
            target = STATUSES[activity]
        except KeyError:
            known = ", ".join(sorted([*OPENINGS, *STATUSES, *ANOMALY_STATUSES]))
            raise ValueError(
                f"{case}: unknown activity {activity!r}; the log's are {known}"
            ) from None
        if target != status:
            result.append(PerformAction(actor=actor, at=at, action=_ACTION_INTO[target]))
            status = target
        if activity == TAKE_IN_CHARGE and row.resource != assignee:
            result.append(Assign(actor=actor, at=at, assignee=row.resource))
            assignee = row.resource
    return tuple(result)


def _priority(value: str, case: str) -> str:
    try:
        return PRIORITIES[value]
    except KeyError:
        raise ValueError(
            f"{case}: unknown seriousness_2 {value!r}; the log's are {', '.join(PRIORITIES)}"
        ) from None


SAMPLE_ROW: Final[Mapping[str, str]] = {
    "Case ID": "Case 2",
    "Activity": "Assign seriousness",
    "Resource": "Value 4",
    "Complete Timestamp": "2012/04/03 08:55:38.000",
    "Variant": "Variant 1",
    "Variant index": "1",
    "seriousness": "Value 1",
    "customer": "Value 2",
    "product": "Value 2",
    "responsible_section": "Value 1",
    "seriousness_2": "Value 1",
    "service_level": "Value 2",
    "service_type": "Value 1",
    "support_section": "Value 1",
    "workgroup": "Value 1",
}
"""A row of the log, Case 2's first, for examples and tests."""
