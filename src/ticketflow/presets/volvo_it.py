"""The Volvo IT incident workflow (VINST), as the BPI Challenge 2013 log shows it.

The log is *BPI Challenge 2013, incidents* (Ward Steeman, Eindhoven University of
Technology, 4TU.ResearchData, 2013; ``shared/data/bpi2013_incidents/SOURCE.md``):
65,533 events of 7,554 incidents (Service Requests) of Volvo IT Belgium's VINST
system, March 2010 to May 2012. Each event carries a status and a sub-status, and the
pair becomes a ticketflow status:

============  =======================  ===========================  ===================  ======
status        sub-status               status                       category             events
============  =======================  ===========================  ===================  ======
Queued        Awaiting Assignment      ``awaiting_assignment``      new                  11,544
Accepted      In Progress              ``in_progress``              active               30,239
Accepted      Assigned                 ``assigned``                 active               3,221
Accepted      Wait - User              ``wait_user``                waiting_on_customer  4,217
Accepted      Wait - Customer          ``wait_customer``            waiting_on_customer  101
Accepted      Wait                     ``wait``                     on_hold              1,533
Accepted      Wait - Implementation    ``wait_implementation``      on_hold              493
Accepted      Wait - Vendor            ``wait_vendor``              on_hold              313
Completed     Resolved                 ``resolved``                 resolved             6,115
Completed     Closed                   ``closed``                   closed (not final)   5,716
Completed     In Call                  ``in_call``                  closed (not final)   2,035
Completed     Cancelled                ``cancelled``                canceled (terminal)  1
Unmatched     Unmatched                (row dropped)                no status            5
============  =======================  ===========================  ===================  ======

Why each category:

- *Queued - Awaiting Assignment* is an incident in a team's queue that nobody owns
  yet: a new incident, or one handed to another team (In Progress -> Queued 8,458
  times). Its category is ``new``; the resolution clock runs in it.
- *Wait - User* and *Wait - Customer* wait on the person who reported the incident
  (or their organisation): ``waiting_on_customer``, the category every SLA pauses in.
- *Wait* (no party named), *Wait - Implementation* (a change to be implemented) and
  *Wait - Vendor* wait on someone other than the reporter: ``on_hold``. The process
  owner's question "is Wait - User abused?" only makes sense if the waits stop the KPI
  clock, so :data:`SLA` pauses in both categories.
- *Completed - In Call* is an incident solved while the user was on the phone: it never
  goes on to Closed (no In Call -> Closed row), and 1,882 incidents end in it, so it is
  ``closed``. *Closed* is ``closed`` too. Neither is final: the log takes 111 incidents
  from Closed back to In Progress, 19 to Queued and 1 to Resolved, and 136 from In Call
  to In Progress, so both statuses allow those moves. *Cancelled* (1 incident, its last
  event) is terminal.

Transitions
-----------
Each action is named after the status it enters, and starts from exactly the statuses
the log enters that status from (counts of consecutive rows of one incident, the
``Unmatched`` rows dropped):

- ``start`` into In Progress: from Queued 10,700, Assigned 3,108, Wait - User 1,520,
  Wait 513, Resolved 199, Wait - Implementation 171, In Call 136, Closed 111, Wait -
  Vendor 87, Wait - Customer 29.
- ``queue`` into Queued: from In Progress 8,458, Wait - User 618, Wait 285, Resolved 94,
  Wait - Implementation 80, Wait - Vendor 35, Wait - Customer 20, Closed 19, Assigned 2.
- ``assign_owner`` into Assigned: from In Progress 2,756, Wait - User 218, Wait 81, Wait
  - Vendor 24, Resolved 21, Wait - Implementation 11, Queued 4, Wait - Customer 2.
- ``wait_user``: from In Progress 3,531, Wait 227, Wait - Implementation 59, Wait -
  Vendor 23, Queued 17, Wait - Customer 7, Assigned 7.
- ``wait_customer``: from In Progress 86, Wait 5, Wait - User 4, Wait - Implementation
  3, Wait - Vendor 1.
- ``wait``: from In Progress 1,405, Wait - User 41, Wait - Vendor 5, Queued 3, Wait -
  Implementation 3, Wait - Customer 1.
- ``wait_implementation``: from In Progress 410, Wait - User 31, Wait 24, Wait - Vendor
  4, Queued 3.
- ``wait_vendor``: from In Progress 242, Wait - User 25, Wait 16, Wait - Implementation
  10, Queued 2, Wait - Customer 2.
- ``resolve``: from In Progress 4,038, Wait - User 1,423, Wait 310, Wait -
  Implementation 134, Wait - Vendor 120, Queued 38, Wait - Customer 38, Assigned 3,
  Closed 1.
- ``close``: from Resolved only (5,704).
- ``close_in_call``: from In Progress (2,017) and from Queued, the status a ticket
  opens in (one incident's only event is In Call).
- ``cancel``: from In Progress (1).

A ticket opens in Queued, the status the log's first event shows for 1,156 incidents;
for the others, the replay moves it at the same instant into the status of the first
event (In Progress 6,372, Wait - User 12, Assigned 4, Wait 3, Resolved 3, Wait -
Vendor 2, Wait - Implementation 1, In Call 1), along a transition above. Every role of
the log may do everything: owners are agents and the batch user ``Siebel`` (who writes
5,373 of the Closed rows: resolved incidents close on their own) is the desk's system.
An incident whose first team is an L2 or L3 team opens at that line (the replay's
``OpenTicket(support_level=...)``, 852 incidents): routed there, not escalated.

Volvo changes the support line by handing the incident to another team, which the
replay records as ``queue`` plus :class:`~ticketflow.ChangeSupportLevel`;
the desk takes no escalation requests (``EscalationPolicy(action=None)``: the policy
carries the support tiers alone).

Auto-close
----------
``Siebel`` closes resolved incidents in a nightly run: 5,360 of its 5,373 closes from
Resolved are stamped between 01:00 and 01:30 Brussels time (the 13 others at 23:00-23:40
in the winter of 2012, when the run was evidently earlier). They fall in two regimes. In
one (3,677 closes, two or more local days after the resolution), the run closes an
incident on the first night at least 7 calendar days after it was resolved: 3,647 on the
eighth local day, 25 on the seventh (resolved after midnight but before the run, or
closed by the winter's earlier run) and 5 after 2 to 4 days. In the other (1,696), the
run closes it the first night after the resolution; the log does not say why (presumably
the user confirmed the resolution, which the log does not record), so no rule of the
desk can predict it. :data:`AUTO_CLOSE` is the first regime's rule,
:class:`~ticketflow.CalendarDays` (7) from entering Resolved, on the calendar's Brussels
wall clock; *when* the run looks is the host's concern, not the desk's: the host sweeps
its due timers every night at 01:00 Brussels time (``tests/test_real_data_volvo.py``
does so).

Support lines, impact and time
------------------------------
The support line is the suffix of the team's name (``org:group``): ``2nd`` is L2, ``3rd``
is L3, none is L1 (:func:`level_of`; ``V13 2nd 3rd``, 39 events, reads as L3). Volvo's
teams hand incidents back down and skip lines, so :data:`TIERS` lets every agent (and
the system) do both, with the team's name as the reason the event records. Impacts
``Low``, ``Medium``, ``High`` and ``Major`` are the priorities (``low`` ... ``major``); no
incident's impact changes. Timestamps carry their UTC offset (+01:00 in winter, +02:00
in summer: Central European time), so each is read as the instant it names; the
business calendar of :data:`SLA` is an assumption: Brussels office hours.

The desk file
-------------
The desk is the file ``volvo_it.toml`` beside this module, a desk document (see
``docs/desks.md``) with the log's finding beside each rule: copy it to start a desk of
your own. It is read once, when the preset is first imported.

Replaying the log
-----------------
The package does no I/O, so the log's reader and the translation of its events into
commands live beside the tests that replay it (``tests/real_logs/volvo_it.py`` in the
repository, not installed). ``tests/test_real_data_volvo.py`` replays every incident
through :func:`desk`. An incident handed from G97 (L1) to V5 3rd (L3), which waits on
the user and resolves it the next day:

>>> from datetime import datetime, timedelta, timezone
>>> from ticketflow import (Actor, Assign, ChangeSupportLevel, OpenTicket, PerformAction,
...                         handle, sla_status)
>>> from ticketflow.presets import volvo_it
>>> def at(day, hour):
...     return datetime(2012, 5, day, hour, tzinfo=timezone(timedelta(hours=2)))
>>> owner = Actor.agent("Frederic")
>>> desk = volvo_it.desk()
>>> ticket = handle(desk, None, OpenTicket(actor=owner, at=at(2, 9), ticket_id="1-364285768",
...     subject="PROD582 incident", requester="unknown", assignee="Frederic",
...     group="G97")).ticket
>>> for command in [
...     PerformAction(actor=owner, at=at(2, 9), action="start"),
...     Assign(actor=owner, at=at(2, 10), assignee="Frederic", group="V5 3rd"),
...     ChangeSupportLevel(actor=owner, at=at(2, 10), level=volvo_it.level_of("V5 3rd"),
...                        reason="team V5 3rd"),
...     PerformAction(actor=owner, at=at(2, 10), action="queue"),
...     PerformAction(actor=owner, at=at(2, 11), action="wait_user"),
...     PerformAction(actor=owner, at=at(3, 11), action="resolve"),
... ]:
...     ticket = handle(desk, ticket, command).ticket
>>> ticket.status, ticket.support_level, ticket.group
('resolved', 3, 'V5 3rd')
>>> [str(s.elapsed) for s in sla_status(desk, ticket, ticket.updated_at)]
['2:00:00', '8:00:00']
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from importlib.resources import files
from typing import Final

import attrs

from ticketflow import AutoClosePolicy, Desk, EscalationPolicy, SlaPolicy, SupportTiers, Workflow

__all__ = [
    "ASSIGNED",
    "AUTO_CLOSE",
    "AWAITING_ASSIGNMENT",
    "CALENDAR_ZONE",
    "CANCELLED",
    "CLOSED",
    "IN_CALL",
    "IN_PROGRESS",
    "RESOLVED",
    "SLA",
    "TIERS",
    "USER_WAIT",
    "WAIT",
    "WAIT_CUSTOMER",
    "WAIT_IMPLEMENTATION",
    "WAIT_USER",
    "WAIT_VENDOR",
    "WORKFLOW",
    "desk",
    "level_of",
]

AWAITING_ASSIGNMENT: Final = "awaiting_assignment"
"""Status ``awaiting_assignment`` (new): *Queued - Awaiting Assignment*, in a team's queue, owned
by nobody."""
IN_PROGRESS: Final = "in_progress"
"""Status ``in_progress`` (active): *Accepted - In Progress*."""
ASSIGNED: Final = "assigned"
"""Status ``assigned`` (active): *Accepted - Assigned*."""
WAIT_USER: Final = "wait_user"
"""Status ``wait_user`` (waiting_on_customer): *Accepted - Wait - User*."""
WAIT_CUSTOMER: Final = "wait_customer"
"""Status ``wait_customer`` (waiting_on_customer): *Accepted - Wait - Customer*."""
WAIT: Final = "wait"
"""Status ``wait`` (on_hold): *Accepted - Wait*, no party named."""
WAIT_IMPLEMENTATION: Final = "wait_implementation"
"""Status ``wait_implementation`` (on_hold): *Accepted - Wait - Implementation*."""
WAIT_VENDOR: Final = "wait_vendor"
"""Status ``wait_vendor`` (on_hold): *Accepted - Wait - Vendor*."""
RESOLVED: Final = "resolved"
"""Status ``resolved`` (resolved): *Completed - Resolved*."""
CLOSED: Final = "closed"
"""Status ``closed`` (closed, not final): *Completed - Closed*."""
IN_CALL: Final = "in_call"
"""Status ``in_call`` (closed, not final): *Completed - In Call*, solved while the user was on the
phone."""
CANCELLED: Final = "cancelled"
"""Status ``cancelled`` (canceled, terminal): *Completed - Cancelled*."""

USER_WAIT: Final = "user_wait"
"""The name of :data:`SLA`'s metric that counts the time spent waiting on the user."""

_READING: Final = threading.Lock()
_READ: Final[list[Desk]] = []


def _desk() -> Desk:
    """The desk of the preset's file, read on first use and kept (one for every thread)."""
    with _READING:
        if not _READ:
            text = files("ticketflow.presets").joinpath("volvo_it.toml").read_text(encoding="utf-8")
            _READ.append(Desk.from_toml(text))
        return _READ[0]


def _escalation() -> EscalationPolicy:
    escalation = _desk().escalation
    assert escalation is not None, "volvo_it.toml declares [escalation]"
    assert escalation.tiers is not None, "volvo_it.toml declares its tiers"
    return escalation


# The constants below are the desk file's, read when first asked for (PEP 562): each is
# declared here for type checkers and documentation, and made by __getattr__.

CALENDAR_ZONE: str
"""The zone of the example business calendar (Volvo IT Belgium): an assumption."""

WORKFLOW: Workflow
"""The VINST incident workflow."""

TIERS: SupportTiers
"""The three support lines. Volvo's teams skip lines and hand incidents back down, so
every agent (and the system) may; the events flag each skip and each move down."""

SLA: SlaPolicy
"""An example SLA (the log holds none of Volvo's own targets):

- ``resolution``, in real time: 8 hours for a major incident, 24 for a high, 72 for a
  medium and 120 for a low one, paused while the incident waits (on the user, the
  customer, a vendor, an implementation or unnamed).
- :data:`USER_WAIT`, in business time (Brussels office hours, 09:00-17:00 on Belgian
  working days): the time the incident spends waiting on the user or the customer,
  over all its waits, breached past 40 hours (a working week). It answers the process
  owner's question "is Wait - User abused?" with a clock."""

AUTO_CLOSE: AutoClosePolicy
"""The desk's auto-close: a resolved incident is closed by the ``system`` 7 calendar days
(Brussels wall clock) after it was resolved. The log's batch run closes it at the first
nightly run from then on; the run's cadence is the host's sweep."""


_CONSTANTS: Final[Mapping[str, Callable[[], object]]] = {
    "CALENDAR_ZONE": lambda: _desk().calendar.tz,
    "WORKFLOW": lambda: _desk().workflow,
    "TIERS": lambda: _escalation().tiers,
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


def desk(sla: SlaPolicy | None = None, auto_close: AutoClosePolicy | None = None) -> Desk:
    """The Volvo IT desk: the workflow, Brussels office hours, the tiers, the SLA and the
    7-day auto-close.

    Args:
        sla: the SLA policy (default: :data:`SLA`; ``SlaPolicy()`` for none).
        auto_close: the auto-close policy (default: :data:`AUTO_CLOSE`;
            ``AutoClosePolicy()`` for none).

    >>> [t.level for t in desk().escalation.tiers.levels]
    [1, 2, 3]
    >>> [t.after for t in desk().auto_close.timers(WORKFLOW)]
    [CalendarDays(days=7)]
    """
    read = _desk()
    return Desk(
        workflow=read.workflow,
        # A calendar of its own per desk (a copy is built by its constructor): no cache
        # is shared state.
        calendar=attrs.evolve(read.calendar),
        sla=read.sla if sla is None else sla,
        escalation=_escalation(),
        auto_close=read.auto_close if auto_close is None else auto_close,
    )


def level_of(team: str) -> int:
    """The support line of a team, from its name's suffix: ``3rd`` L3, ``2nd`` L2, else L1.

    >>> level_of("G97"), level_of("G230 2nd"), level_of("V5 3rd"), level_of("V13 2nd 3rd")
    (1, 2, 3, 3)
    """
    if team.endswith("3rd"):
        return 3
    if team.endswith("2nd"):
        return 2
    return 1
