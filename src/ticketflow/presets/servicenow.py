"""The ServiceNow incident workflow, as a real ServiceNow instance's audit log shows it.

The log is UCI dataset #498, "Incident management process enriched event log" (Amaral,
Fantinato, Reijers and Peres, LNBIP 346, Springer 2019; ``shared/data/
servicenow_incidents/SOURCE.md``): 141,712 updates of 24,918 closed incidents of one
IT company, March 2016 to February 2017. Its ``incident_state`` values become statuses:

=======================  ======================  ===================  ===========
``incident_state``       status                  category             log rows
=======================  ======================  ===================  ===========
New                      ``new``                 new                  36,407
Active                   ``active``              active               38,716
Awaiting User Info       ``awaiting_user_info``  waiting_on_customer  14,642
Awaiting Vendor          ``awaiting_vendor``     on_hold              707
Awaiting Problem         ``awaiting_problem``    on_hold              461
Awaiting Evidence        ``awaiting_evidence``   on_hold              38
Resolved                 ``resolved``            resolved             25,751
Closed                   ``closed``              closed (terminal)    24,985
``-100``                 (row dropped)           an invalid code      5
=======================  ======================  ===================  ===========

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

Auto-close and the SLA, as the data shows them
----------------------------------------------
The instance's hourly job closes a resolved incident within the hour after 120 hours of
real time (an incident resolved before Brazil's summer time began closes an hour later
on the wall clock). ServiceNow documents the period as counted "from the resolved date
or the last update": 438 incidents are updated while resolved (515 rows that keep the
state), and their closes follow the last of those updates, of any kind, not the
resolution (of the 245 the job closes after such an update, 244 close within the hour
after 5 days from it, 63 after 5 days from the resolution). :data:`AUTO_CLOSE` counts
so (``since = "last_update"``, from ``Ticket.last_update_at``), and the log's reader
turns every row that keeps the state and the priority into an internal note, the update
it is. Over the whole log, 20,635 of the 21,012 closes by the job outside its two
bulk-closure days (98.2 %) come within the hour after the preset's due instant;
``docs/real_data.md`` explains the misses.

The log's ``made_sla`` is set when the incident closes (it turns false on the Closed row
of 9,113 incidents) and is best explained by a clock that runs in real time from
``opened_at`` to the close and never pauses: such a clock with targets of 8, 24, 216 (9
days) and 504 (21 days) hours for critical, high, moderate and low incidents agrees with
``made_sla`` on 98.0 % of the incidents, while one that stops at the resolution agrees on
at most 91.3 %, and pausing in the Awaiting states lowers either by some 10 points.
:data:`SLA` is that clock. The critical and high targets are the least certain: nearly
every critical or high incident misses whatever target under 5 days is chosen, since
the 5-day auto-close is counted too.

Priorities: ``1 - Critical``, ``2 - High``, ``3 - Moderate`` and ``4 - Low`` become
``critical``, ``high``, ``moderate`` and ``low``.

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
23:00-23:59), so every timestamp names exactly one instant. Read in another zone (e.g.
UTC), only durations that span a change of daylight saving time differ, by an hour.

The desk file
-------------
The desk is the file ``servicenow.toml`` beside this module, a desk document (see
``docs/desks.md``) with the log's finding beside each rule: copy it to start a desk of
your own. It is read once, when the preset is first imported.

Replaying the log
-----------------
The package does no I/O, so the log's reader and the translation of its rows into
commands live beside the tests that replay it (``tests/real_logs/servicenow.py`` in the
repository, not installed): an incident opens at ``opened_at`` for its caller, and each
update becomes a :class:`~ticketflow.ChangePriority` when the priority changed and a
:class:`~ticketflow.PerformAction` when the state changed, named after the status it
enters (``reopen`` from Resolved to Active), and an internal note when it changed
neither (the log does not say what such an update changed, but it is an update).
``tests/test_real_data.py`` replays every incident through :func:`desk`.

>>> from datetime import datetime
>>> from zoneinfo import ZoneInfo
>>> from ticketflow import Actor, OpenTicket, PerformAction, handle
>>> from ticketflow.presets import servicenow
>>> def at(day, hour, minute):
...     return datetime(2016, 3, day, hour, minute, tzinfo=ZoneInfo(servicenow.ZONE))
>>> agent = Actor.agent("Updated by 21")
>>> desk = servicenow.desk()
>>> ticket = handle(desk, None, OpenTicket(actor=Actor.agent("Opened by  8"),
...     at=at(1, 1, 16), ticket_id="INC0000045", subject="Category 55 / Subcategory 170",
...     requester="Caller 2403")).ticket
>>> for action, when in [("resolve", at(1, 8, 53)), ("close", at(5, 12, 0))]:
...     ticket = handle(desk, ticket, PerformAction(actor=agent, at=when, action=action)).ticket
>>> ticket.status, ticket.closed_at.isoformat()
('closed', '2016-03-05T12:00:00-03:00')
"""

from __future__ import annotations

from importlib.resources import files
from typing import Final

import attrs

from ticketflow import Desk, SlaPolicy

__all__ = [
    "ACTIVE",
    "AUTO_CLOSE",
    "AWAITING_EVIDENCE",
    "AWAITING_PROBLEM",
    "AWAITING_USER_INFO",
    "AWAITING_VENDOR",
    "CLOSED",
    "NEW",
    "RESOLVED",
    "SLA",
    "WORKFLOW",
    "ZONE",
    "desk",
]

NEW: Final = "new"
"""Status ``new`` (new): *New*, before anybody works on it."""
ACTIVE: Final = "active"
"""Status ``active`` (active): *Active*, being worked on."""
AWAITING_USER_INFO: Final = "awaiting_user_info"
"""Status ``awaiting_user_info`` (waiting_on_customer): *Awaiting User Info*."""
AWAITING_VENDOR: Final = "awaiting_vendor"
"""Status ``awaiting_vendor`` (on_hold): *Awaiting Vendor*."""
AWAITING_PROBLEM: Final = "awaiting_problem"
"""Status ``awaiting_problem`` (on_hold): *Awaiting Problem*."""
AWAITING_EVIDENCE: Final = "awaiting_evidence"
"""Status ``awaiting_evidence`` (on_hold): *Awaiting Evidence*."""
RESOLVED: Final = "resolved"
"""Status ``resolved`` (resolved): *Resolved*, closed on its own after 5 days."""
CLOSED: Final = "closed"
"""Status ``closed`` (closed, terminal): *Closed*, final."""

_DESK: Final = Desk.from_toml(
    files("ticketflow.presets").joinpath("servicenow.toml").read_text(encoding="utf-8")
)
"""The desk of the preset's file, read once."""

ZONE: Final = _DESK.calendar.tz
"""The desk's zone, whose wall clock the log's timestamps are read on (see the module's
*Time zone*): ``America/Sao_Paulo``."""

WORKFLOW: Final = _DESK.workflow
"""The ServiceNow incident workflow."""

AUTO_CLOSE: Final = _DESK.auto_close
"""A resolved incident closes on its own after 5 days (120 hours of real time) in
Resolved, counted from entering it or from its last update, whichever is later
(``since = "last_update"``, as the instance counts: see *Auto-close and the SLA*). The
instance's job runs hourly: when it looks is the host's sweep, not the desk's."""

SLA: Final = _DESK.sla
"""The SLA as this instance's ``made_sla`` shows it: real time from opening to closing,
never paused (resolved and awaiting time count too), with targets of 8 hours for a
critical incident, 24 for a high, 216 (9 days) for a moderate and 504 (21 days) for a
low one, read from the log (see *Auto-close and the SLA*). The log does not hold the
instance's SLA definitions; pass your own to :func:`desk`."""


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
        # A calendar of its own per desk (a copy is built by its constructor): no cache
        # is shared state.
        calendar=attrs.evolve(_DESK.calendar, tz=tz),
        auto_close=AUTO_CLOSE,
        sla=SLA if sla is None else sla,
    )
