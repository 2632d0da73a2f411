"""The help desk of an Italian software company, as its event log shows it.

The log is "Dataset belonging to the help desk log of an Italian Company" (Mirko
Polato, University of Padova, 4TU.ResearchData, 2017, DOI
10.4121/uuid:0c60edf1-6f83-4e75-9367-4c63b3e9d5bb; ``shared/data/helpdesk_italian/
SOURCE.md``): 21,348 events of 4,580 cases, January 2010 to January 2014. Each row is
one activity of a case. Some activities move the ticket between statuses, the others
become other commands:

=========================  ==========================  ====================  ==========
activity                   becomes                     category              log rows
=========================  ==========================  ====================  ==========
Insert ticket              the opening                                       118
Assign seriousness         the opening, when first;    (the priority)        4,938
                           else nothing of its own
Take in charge ticket      ``in_charge``, and an       active                5,060
                           assignment to its agent
Wait                       ``waiting``                 on_hold               1,463
Require upgrade            ``upgrade_required``        waiting_on_customer   119
Create SW anomaly          ``sw_anomaly``              on_hold               67
Resolve SW anomaly         ``sw_anomaly_resolved``     active                13
Schedule intervention      ``intervention_scheduled``  active                5
Resolve ticket             ``resolved``                resolved              4,983
Closed                     ``closed``                  closed (terminal)     4,574
VERIFIED, RESOLVED,        the field                                         8
INVALID, DUPLICATE         ``anomaly_status``
=========================  ==========================  ====================  ==========

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
become ``value_1`` ... ``value_4`` (2,599, 1,751, 27 and 203 cases open with them). The
log does not say which is graver, so the order of
:attr:`WORKFLOW.priorities <ticketflow.Workflow.priorities>` is the values' order, not a
ranking, and :data:`SLA` gives them one target.

Time zone and calendar
----------------------
The timestamps (``YYYY/MM/DD hh:mm:ss.000``) carry no zone. On weekdays the events rise
at 08:00 and dip for lunch at 12:00 from November to March, but at 07:00 and 11:00
while Italy keeps summer time: the log is written at a fixed offset, the one of Italian
winter time, so its timestamps are read at UTC+01:00 and no timestamp falls in a gap or
fold. The desk's work follows Italian wall-clock time, with summer time: :data:`CALENDAR`
is in ``Europe/Rome``, Monday to Friday, **08:00-12:00 and 13:00-17:00 (an assumption
read from the log's hours: 95 % of weekday events fall in them)**, closed on Italian
public holidays (``country="IT"``). The Resolve ticket -> Closed gaps agree: the
commonest is 15 days to the hour on the Rome wall clock (1,410 of 4,558 rows; 1,303 at
the fixed offset, where those spanning a change of summer time are an hour off).

Auto-close
----------
From August 2012 the desk closes a resolved case on its own: one account
(``Value 3``) writes 837 Closed rows, every one of them 15 local calendar days after the
case entered Resolved, at the same Rome wall time, 6 to 35 seconds late (the job's
latency), across changes of summer time too (a case resolved at 07:58 CEST on 24 October
2012 closes at 07:58 CET on 8 November, 15 days and an hour later). From October 2012
it closes every resolved case (786). A second Resolve ticket row while resolved does not
restart the period (the close follows the first by 15 days in the four cases that show
one). Before that, most closes are by hand, mostly by ``Value 5``, days to weeks after
resolving. :data:`AUTO_CLOSE` is that rule, :class:`~ticketflow.CalendarDays` (15) on
the desk's ``Europe/Rome`` calendar, so the ``system`` may close as well as an agent. No
requester acts in the log, so the timer's restart on customer activity never comes into play.

Replaying the log
-----------------
The package does no I/O, so the log's reader and the translation of its rows into
commands live beside the tests that replay it (``tests/real_logs/italian_helpdesk.py``
in the repository, not installed), as the table above says: a case opens at its first
row, each activity that leads into another status becomes a
:class:`~ticketflow.PerformAction`, a take in charge by another agent an
:class:`~ticketflow.Assign`, a change of ``seriousness_2`` a
:class:`~ticketflow.ChangePriority`. ``tests/test_real_data_helpdesk.py`` replays every
case through :func:`desk`.

The desk is the file ``italian_helpdesk.toml`` beside this module, a desk document (see
``docs/desks.md``) with the log's finding beside each rule: copy it to start a desk of
your own. It is read once, when the preset is first imported.

>>> from datetime import datetime, timedelta, timezone
>>> from ticketflow import Actor, Assign, OpenTicket, PerformAction, handle
>>> from ticketflow.presets import italian_helpdesk as helpdesk
>>> def at(month, day, hour, minute):
...     return datetime(2012, month, day, hour, minute, tzinfo=timezone(timedelta(hours=1)))
>>> agent = Actor.agent("Value 4")
>>> desk = helpdesk.desk()
>>> ticket = handle(desk, None, OpenTicket(actor=agent, at=at(4, 3, 8, 55),
...     ticket_id="Case 2", subject="Value 2 / Value 1", requester="Value 2")).ticket
>>> for command in [PerformAction(actor=agent, at=at(4, 3, 8, 56), action="take_in_charge"),
...                 Assign(actor=agent, at=at(4, 3, 8, 56), assignee="Value 4"),
...                 PerformAction(actor=agent, at=at(4, 5, 9, 15), action="resolve"),
...                 PerformAction(actor=agent, at=at(5, 19, 9, 0), action="close")]:
...     ticket = handle(desk, ticket, command).ticket
>>> ticket.status, ticket.assignee, ticket.closed_at.isoformat()
('closed', 'Value 4', '2012-05-19T09:00:00+01:00')
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from importlib.resources import files
from typing import Final

import attrs

from ticketflow import AutoClosePolicy, BusinessCalendar, Desk, SlaPolicy, Workflow

__all__ = [
    "ANOMALY_FIELD",
    "AUTO_CLOSE",
    "CALENDAR",
    "CLOSED",
    "IN_CHARGE",
    "INTERVENTION_SCHEDULED",
    "NEW",
    "RESOLVED",
    "SLA",
    "SW_ANOMALY",
    "SW_ANOMALY_RESOLVED",
    "UPGRADE_REQUIRED",
    "WAITING",
    "WORKFLOW",
    "ZONE",
    "desk",
]

NEW: Final = "new"
"""Status ``new`` (new): the opening, before anybody takes the case in charge."""
IN_CHARGE: Final = "in_charge"
"""Status ``in_charge`` (active): *Take in charge ticket*, an agent works on the case."""
WAITING: Final = "waiting"
"""Status ``waiting`` (on_hold): *Wait*, the work is suspended."""
UPGRADE_REQUIRED: Final = "upgrade_required"
"""Status ``upgrade_required`` (waiting_on_customer): *Require upgrade*, the customer
must upgrade."""
SW_ANOMALY: Final = "sw_anomaly"
"""Status ``sw_anomaly`` (on_hold): *Create SW anomaly*, waiting on the fix of a software
anomaly."""
SW_ANOMALY_RESOLVED: Final = "sw_anomaly_resolved"
"""Status ``sw_anomaly_resolved`` (active): *Resolve SW anomaly*, the anomaly is fixed."""
INTERVENTION_SCHEDULED: Final = "intervention_scheduled"
"""Status ``intervention_scheduled`` (active): *Schedule intervention*."""
RESOLVED: Final = "resolved"
"""Status ``resolved`` (resolved): *Resolve ticket*."""
CLOSED: Final = "closed"
"""Status ``closed`` (closed, terminal): *Closed*."""

ANOMALY_FIELD: Final = "anomaly_status"
"""The case's field that records the bug tracker's status of its software anomaly."""

_READING: Final = threading.Lock()
_READ: Final[list[Desk]] = []


def _desk() -> Desk:
    """The desk of the preset's file, read on first use and kept (one for every thread)."""
    with _READING:
        if not _READ:
            text = (
                files("ticketflow.presets")
                .joinpath("italian_helpdesk.toml")
                .read_text(encoding="utf-8")
            )
            _READ.append(Desk.from_toml(text))
        return _READ[0]


# The constants below are the desk file's, read when first asked for (PEP 562): each is
# declared here for type checkers and documentation, and made by __getattr__.

WORKFLOW: Workflow
"""The help desk's workflow: a move into each open status from any other open status,
from Resolved and from New; ``resolve`` from any open status; ``close`` from Resolved."""

CALENDAR: BusinessCalendar
"""Monday to Friday, 08:00-12:00 and 13:00-17:00 in Rome, closed on Italian holidays
(the hours are an assumption read from the log). A value: :func:`desk` builds an equal
calendar of its own for each desk, so no desk shares this one's (bounded) caches."""

ZONE: str
"""The zone of the desk's business hours, with summer time (Italian wall-clock time):
``Europe/Rome``."""

SLA: SlaPolicy
"""An example resolution target: 80 business hours (ten working days on
:data:`CALENDAR`) whatever the seriousness, paused while the case waits (``waiting``,
``sw_anomaly``) or the customer must upgrade. The log holds no SLA of its own."""

AUTO_CLOSE: AutoClosePolicy
"""The desk's auto-close, as the log shows it from August 2012: a resolved case is
closed by the ``system`` 15 local calendar days after it entered Resolved, at the same
Rome wall time (summer time or not)."""


_CONSTANTS: Final[Mapping[str, Callable[[], object]]] = {
    "WORKFLOW": lambda: _desk().workflow,
    "CALENDAR": lambda: _desk().calendar,
    "ZONE": lambda: _desk().calendar.tz,
    "SLA": lambda: _desk().sla,
    "AUTO_CLOSE": lambda: _desk().auto_close,
}


def __getattr__(name: str) -> object:
    """A constant of the desk file, made on first use and kept in the module."""
    if name not in _CONSTANTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return globals().setdefault(name, _CONSTANTS[name]())


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


def desk(
    sla: SlaPolicy | None = None,
    calendar: BusinessCalendar | None = None,
    auto_close: AutoClosePolicy | None = None,
) -> Desk:
    """The help desk: its workflow, the Italian business calendar, the example SLA and
    the 15-day auto-close.

    Args:
        sla: the SLA policy (default: :data:`SLA`; ``SlaPolicy()`` for none).
        calendar: the business calendar (default: one equal to :data:`CALENDAR`).
        auto_close: the auto-close policy (default: :data:`AUTO_CLOSE`;
            ``AutoClosePolicy()`` for none, as the desk closed by hand before
            September 2012).

    >>> desk().calendar.tz, desk().calendar.country
    ('Europe/Rome', 'IT')
    >>> [t.after for t in desk().auto_close.timers(WORKFLOW)]
    [CalendarDays(days=15)]
    """
    read = _desk()
    return Desk(
        workflow=read.workflow,
        # A calendar of its own per desk (a copy is built by its constructor), so no
        # desk shares another's (bounded) caches.
        calendar=calendar if calendar is not None else attrs.evolve(read.calendar),
        sla=read.sla if sla is None else sla,
        auto_close=read.auto_close if auto_close is None else auto_close,
    )
