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
for the others, :func:`commands` moves it at the same instant into the status of the
first event (In Progress 6,372, Wait - User 12, Assigned 4, Wait 3, Resolved 3, Wait -
Vendor 2, Wait - Implementation 1, In Call 1), along a transition above. Every role of
the log may do everything: owners are agents and the batch user ``Siebel`` (who writes
5,373 of the Closed rows: resolved incidents close on their own) is the desk's system.

Volvo changes the support line by handing the incident to another team, which
:func:`commands` records as ``queue`` plus :class:`~ticketflow.ChangeSupportLevel`;
the desk takes no escalation requests (``EscalationPolicy(action=None)``: the policy
carries the support tiers alone).

Support lines, impact and time
------------------------------
The support line is the suffix of the team's name (``org:group``): ``2nd`` is L2, ``3rd``
is L3, none is L1 (:func:`level_of`; ``V13 2nd 3rd``, 39 events, reads as L3). Volvo's
teams hand incidents back down and skip lines, so :data:`TIERS` lets every agent (and
the system) do both, with the team's name as the reason the event records. Impacts
``Low``, ``Medium``, ``High`` and ``Major`` are the priorities (:data:`PRIORITIES`); no
incident's impact changes. Timestamps carry their UTC offset (+01:00 in winter, +02:00
in summer: Central European time), so each is read as the instant it names; the
business calendar of :data:`SLA` is an assumption: Brussels office hours.

>>> from ticketflow import handle, sla_status
>>> from ticketflow.presets import volvo_it
>>> log = [("Accepted", "In Progress", "G97", "2012-05-02T09:00:00+02:00"),
...        ("Queued", "Awaiting Assignment", "V5 3rd", "2012-05-02T10:00:00+02:00"),
...        ("Accepted", "Wait - User", "V5 3rd", "2012-05-02T11:00:00+02:00"),
...        ("Completed", "Resolved", "V5 3rd", "2012-05-03T11:00:00+02:00")]
>>> rows = [volvo_it.Row.from_row({**volvo_it.SAMPLE_ROW, "concept:name": status,
...     "lifecycle:transition": sub, "org:group": team, "time:timestamp": at})
...     for status, sub, team, at in log]
>>> desk, ticket = volvo_it.desk(), None
>>> for command in volvo_it.commands(rows):
...     ticket = handle(desk, ticket, command).ticket
>>> ticket.status, ticket.support_level, ticket.group
('resolved', 3, 'V5 3rd')
>>> [str(s.elapsed) for s in sla_status(desk, ticket, ticket.updated_at)]
['2:00:00', '8:00:00']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from os import PathLike
from typing import Final, final

import attrs

from ticketflow._calendar import BusinessCalendar
from ticketflow._commands import (
    Assign,
    ChangePriority,
    ChangeSupportLevel,
    Command,
    OpenTicket,
    PerformAction,
)
from ticketflow._desk import Desk
from ticketflow._durations import BusinessTime
from ticketflow._escalation import EscalationPolicy, SupportTiers, Tier
from ticketflow._sla import Metric, SlaPolicy, entered
from ticketflow._ticket import AGENT, SYSTEM, Actor
from ticketflow._workflow import Category, Status, Transition, Workflow
from ticketflow.presets._logs import read_cases

__all__ = [
    "ASSIGNED",
    "AWAITING_ASSIGNMENT",
    "CALENDAR_ZONE",
    "CANCELLED",
    "CLOSED",
    "IN_CALL",
    "IN_PROGRESS",
    "PRIORITIES",
    "RESOLVED",
    "SAMPLE_ROW",
    "SLA",
    "STATUSES",
    "SYSTEM_USER",
    "TIERS",
    "UNMATCHED",
    "USER_WAIT",
    "WAIT",
    "WAIT_CUSTOMER",
    "WAIT_IMPLEMENTATION",
    "WAIT_USER",
    "WAIT_VENDOR",
    "WORKFLOW",
    "Row",
    "commands",
    "desk",
    "level_of",
    "parse_instant",
    "read_incidents",
]

AWAITING_ASSIGNMENT: Final = "awaiting_assignment"
IN_PROGRESS: Final = "in_progress"
ASSIGNED: Final = "assigned"
WAIT_USER: Final = "wait_user"
WAIT_CUSTOMER: Final = "wait_customer"
WAIT: Final = "wait"
WAIT_IMPLEMENTATION: Final = "wait_implementation"
WAIT_VENDOR: Final = "wait_vendor"
RESOLVED: Final = "resolved"
CLOSED: Final = "closed"
IN_CALL: Final = "in_call"
CANCELLED: Final = "cancelled"

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

CALENDAR_ZONE: Final = "Europe/Brussels"
"""The zone of the example business calendar (Volvo IT Belgium): an assumption."""

USER_WAIT: Final = "user_wait"
"""The name of :data:`SLA`'s metric that counts the time spent waiting on the user."""

_ROLES: Final = frozenset({AGENT, SYSTEM})
_Q, _P, _A = AWAITING_ASSIGNMENT, IN_PROGRESS, ASSIGNED
_WU, _WC, _W, _WI, _WV = WAIT_USER, WAIT_CUSTOMER, WAIT, WAIT_IMPLEMENTATION, WAIT_VENDOR
_R, _C, _IC = RESOLVED, CLOSED, IN_CALL
_OPEN: Final = frozenset({_Q, _P, _A, _WU, _WC, _W, _WI, _WV})


def _into(action: str, label: str, target: str, sources: Iterable[str]) -> Transition:
    return Transition(action=action, label=label, sources=sources, target=target, roles=_ROLES)


WORKFLOW: Final = Workflow(
    name="volvo-it-vinst-incident",
    initial=AWAITING_ASSIGNMENT,
    statuses=(
        Status(_Q, Category.NEW, label="Queued - Awaiting Assignment"),
        Status(_P, Category.ACTIVE, label="Accepted - In Progress"),
        Status(_A, Category.ACTIVE, label="Accepted - Assigned"),
        Status(_WU, Category.WAITING_ON_CUSTOMER, label="Accepted - Wait - User"),
        Status(_WC, Category.WAITING_ON_CUSTOMER, label="Accepted - Wait - Customer"),
        Status(_W, Category.ON_HOLD, label="Accepted - Wait"),
        Status(_WI, Category.ON_HOLD, label="Accepted - Wait - Implementation"),
        Status(_WV, Category.ON_HOLD, label="Accepted - Wait - Vendor"),
        Status(_R, Category.RESOLVED, label="Completed - Resolved"),
        Status(_C, Category.CLOSED, label="Completed - Closed", terminal=False),
        Status(_IC, Category.CLOSED, label="Completed - In Call", terminal=False),
        Status(CANCELLED, Category.CANCELED, label="Completed - Cancelled", terminal=True),
    ),
    transitions=(
        _into("start", "In Progress", _P, {_Q, _A, _WU, _W, _R, _WI, _IC, _C, _WV, _WC}),
        _into("queue", "Awaiting Assignment", _Q, {_P, _WU, _W, _R, _WI, _WV, _WC, _C, _A}),
        _into("assign_owner", "Assigned", _A, {_P, _WU, _W, _WV, _R, _WI, _Q, _WC}),
        _into("wait_user", "Wait - User", _WU, {_P, _W, _WI, _WV, _Q, _WC, _A}),
        _into("wait_customer", "Wait - Customer", _WC, {_P, _W, _WU, _WI, _WV}),
        _into("wait", "Wait", _W, {_P, _WU, _WV, _Q, _WI, _WC}),
        _into("wait_implementation", "Wait - Implementation", _WI, {_P, _WU, _W, _WV, _Q}),
        _into("wait_vendor", "Wait - Vendor", _WV, {_P, _WU, _W, _WI, _Q, _WC}),
        _into("resolve", "Resolved", _R, {_P, _WU, _W, _WI, _WV, _Q, _WC, _A, _C}),
        _into("close", "Closed", _C, {_R}),
        _into("close_in_call", "In Call", _IC, {_P, _Q}),
        _into("cancel", "Cancelled", CANCELLED, {_P}),
    ),
    priorities=("low", "medium", "high", "major"),
    default_priority="medium",
)
"""The VINST incident workflow."""

TIERS: Final = SupportTiers(
    levels=[
        Tier(level=1, name="L1 service desk"),
        Tier(level=2, name="L2 second line"),
        Tier(level=3, name="L3 third line"),
    ],
    override_roles=_ROLES,
)
"""The three support lines. Volvo's teams skip lines and hand incidents back down, so
every agent (and the system) may; the events flag each skip and each move down."""


def _hours(**hours: int) -> dict[str, timedelta]:
    return {priority: timedelta(hours=h) for priority, h in hours.items()}


SLA: Final = SlaPolicy(
    metrics=[
        Metric.resolution(_hours(major=8, high=24, medium=72, low=120), pause_on_hold=True),
        Metric(
            name=USER_WAIT,
            targets={p: BusinessTime(timedelta(hours=40)) for p in PRIORITIES.values()},
            starts_on={entered(Category.WAITING_ON_CUSTOMER)},
            stops_on={entered(c) for c in (Category.RESOLVED, Category.CLOSED, Category.CANCELED)},
            pauses_in={Category.NEW, Category.ACTIVE, Category.ON_HOLD},
            restarts_on={entered(Category.WAITING_ON_CUSTOMER)},
        ),
    ]
)
"""An example SLA (the log holds none of Volvo's own targets):

- ``resolution``, in real time: 8 hours for a major incident, 24 for a high, 72 for a
  medium and 120 for a low one, paused while the incident waits (on the user, the
  customer, a vendor, an implementation or unnamed).
- :data:`USER_WAIT`, in business time (Brussels office hours, 09:00-17:00 on Belgian
  working days): the time the incident spends waiting on the user or the customer,
  over all its waits, breached past 40 hours (a working week). It answers the process
  owner's question "is Wait - User abused?" with a clock."""


def desk(sla: SlaPolicy | None = None) -> Desk:
    """The Volvo IT desk: the workflow, Brussels office hours, the tiers and the SLA.

    Args:
        sla: the SLA policy (default: :data:`SLA`; ``SlaPolicy()`` for none).

    >>> [t.level for t in desk().escalation.tiers.levels]
    [1, 2, 3]
    """
    return Desk(
        workflow=WORKFLOW,
        calendar=BusinessCalendar.weekdays(CALENDAR_ZONE, "09:00", "17:00", country="BE"),
        sla=SLA if sla is None else sla,
        escalation=EscalationPolicy(action=None, tiers=TIERS),
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
      from the ticket's, with the team as the reason (at the opening too: the ticket
      opens at L1 and moves to its first team's line at once, rather than opening there
      with ``OpenTicket(support_level=...)``, so that every change of line is an event);
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
        )
    ]
    level = 1
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
