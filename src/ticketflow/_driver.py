"""The driver: ``handle`` (decide, then fold ``evolve``), ``tick`` and ``next_due`` (the
time-driven rules), ``allowed_actions`` (what an actor may do now), and the policies'
questions asked of a whole desk (``sla_status``, ``explain``, ``validate_escalation``,
``escalation_blockers``, ``notifications``).

The thin layer a host calls; it owns no rule of its own. It is the only module that
hands a policy its part of the desk (the compiled SLA plan, the escalation plan, the
notification policy), so the policies never depend on the desk. Depends on
:mod:`ticketflow._decide`, :mod:`ticketflow._evolve`, :mod:`ticketflow._due_rules` and
the policies.
"""

from __future__ import annotations

from datetime import datetime
from typing import final

import attrs

from ticketflow._commands import (
    ChangeSupportLevel,
    Command,
    Escalate,
)
from ticketflow._decide import (
    command_events,
    missing_requirements,
    refuse_invisible,
    route_for,
    status_of,
)
from ticketflow._desk import Desk, require_desk
from ticketflow._due_rules import DueRule, due_rule, rule_command
from ticketflow._errors import (
    CommandRefusedError,
    EscalationRefusedError,
    InvalidTypeError,
    MissingRequirementError,
    TicketNotFoundError,
    TimerLoopError,
    Violation,
    quoted,
)
from ticketflow._escalation import (
    blockers,
    level_change_violations,
    request_violations,
)
from ticketflow._events import (
    Event,
)
from ticketflow._evolve import recorded
from ticketflow._instants import require_instant, utc
from ticketflow._notifications import Notification, notifications_of
from ticketflow._sla_machine import clock_events, with_clocks
from ticketflow._sla_reports import Explanation, MetricStatus, explanation, metric_statuses
from ticketflow._ticket import Actor, Ticket, replace, require_ticket, visible_to
from ticketflow._workflow import Workflow
from ticketflow._workflow_parts import Route

__all__ = [
    "ActionAvailability",
    "Outcome",
    "allowed_actions",
    "escalation_blockers",
    "explain",
    "handle",
    "next_due",
    "notifications",
    "sla_status",
    "tick",
    "validate_escalation",
    "validate_level_change",
]


@final
@attrs.frozen(slots=False)
class Outcome:
    """The result of handling a command: the new ticket and the events that explain it."""

    ticket: Ticket
    events: tuple[Event, ...]


@final
@attrs.frozen(kw_only=True)
class ActionAvailability:
    """Whether an actor may perform one action of the workflow right now, and if not, why.

    Attributes:
        action: the action's name.
        label: what its button shows.
        allowed: the actor may perform it now.
        code: why not, for programs: ``"closed"``, ``"wrong_status"``, ``"role"``,
            ``"ownership"``, ``"anonymous"`` or ``"missing_requirement"`` (empty when
            allowed).
        why_not: why not, for people (empty when allowed).
        asks_for: what the command must supply, e.g. ``("reason",)``.
    """

    action: str
    label: str
    allowed: bool
    code: str = ""
    why_not: str = ""
    asks_for: tuple[str, ...] = ()


def handle(
    desk: Desk, ticket: Ticket | None, command: Command, *, parent: Ticket | None = None
) -> Outcome:
    """Decide, then record: the new ticket and the events that explain the change.

    ``parent`` is as for :func:`decide`: the loaded parent of a follow-up. A command
    that would change nothing (an assignment to the current assignee, muting a muted
    ticket, ...) succeeds with no events: the outcome holds ``ticket`` itself, its
    version and SLA clocks unchanged, so there is nothing to store or notify.

    Raises:
        CommandRefusedError: the command is refused; ``ticket`` is unchanged.

    >>> from datetime import datetime, timezone
    >>> from ticketflow import Actor, Desk, OpenTicket, PerformAction
    >>> from ticketflow.presets import support_portal
    >>> desk = Desk(workflow=support_portal.WORKFLOW)
    >>> at = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
    >>> alice = Actor.customer("alice")
    >>> opened = handle(desk, None, OpenTicket(actor=alice, at=at, ticket_id="T-1",
    ...                                        subject="No dial tone"))
    >>> canceled = handle(desk, opened.ticket, PerformAction(actor=alice, at=at, action="cancel"))
    >>> [(e.source, e.target) for e in canceled.events]
    [('in_progress', 'canceled'), ('canceled', 'closed')]
    >>> canceled.ticket.status, canceled.ticket.version
    ('closed', 3)
    """
    return Outcome(*handled(desk, ticket, command, parent))


def handled(
    desk: Desk, ticket: Ticket | None, command: Command, parent: Ticket | None = None
) -> tuple[Ticket, tuple[Event, ...]]:
    """:func:`handle`'s new ticket and events as a pair, for the loops that take them
    apart at once (:func:`advance`, ``whatif``'s host loop)."""
    events = command_events(desk, ticket, command, parent)
    plan = desk.sla_plan
    clocked = clock_events(plan, desk.workflow, ticket, events) if plan.metrics else ()
    new = recorded(ticket, events)
    # Only OpenTicket has no ticket, and opening always has its event; a command that
    # changes nothing returns no events, so ``new`` is then ``ticket`` itself.
    assert new is not None
    if not clocked:
        return new, events
    # The SLA events only replace clocks: one copy records them all, the same ticket
    # as folding evolve over them one by one (which replay does).
    last = clocked[-1]
    new = replace(
        new,
        {
            "clocks": with_clocks(new.clocks, clocked),
            "updated_at": last.at,
            "version": last.version,
        },
    )
    return new, events + clocked


def _asks_for(desk: Desk, route: Route) -> tuple[str, ...]:
    transition = route.transition
    if desk.escalation is not None and transition.action == desk.escalation.action:
        return ("reason", "details")
    asks = ("reason",) if transition.requires_reason else ()
    return (*asks, "until") if route.schedules else asks


_MAX_RULES_AT_ONE_INSTANT = 10_000
"""More rules than this due at one instant can only be a cycle of timers that never
waits (the desk refuses those it can see when it is built)."""


def next_due(desk: Desk, ticket: Ticket) -> datetime | None:
    """The exact instant the next time-driven rule falls due, or ``None`` if none is pending.

    Arm one timer at this instant and call :func:`tick` when it comes. The answer is a
    function of the ticket and the desk, so recompute it after every change.

    >>> from datetime import datetime
    >>> from zoneinfo import ZoneInfo
    >>> from ticketflow import Actor, OpenTicket, PerformAction, SlaPolicy, handle
    >>> from ticketflow.presets import support_portal
    >>> desk = support_portal.desk(sla=SlaPolicy())  # its timers alone, no SLA clocks
    >>> friday = datetime(2026, 3, 6, 15, tzinfo=ZoneInfo("Europe/Moscow"))
    >>> ticket = handle(desk, None, OpenTicket(actor=Actor.customer("alice"), at=friday,
    ...                                        ticket_id="T-1", subject="No dial tone")).ticket
    >>> next_due(desk, ticket) is None
    True
    >>> ticket = handle(desk, ticket, PerformAction(actor=Actor.agent("bob"), at=friday,
    ...                                             action="propose_resolution")).ticket
    >>> next_due(desk, ticket).isoformat()  # the reminder, a business day before closing
    '2026-03-11T15:00:00+03:00'

    Raises:
        InvalidCommandError: the ticket is in a status the desk's workflow does not
            define (ask with the desk it belongs to, or migrate it).
    """
    require_desk("desk", desk)
    require_ticket("ticket", ticket)
    status_of(desk.workflow, ticket)  # a status the workflow lacks is refused, as handle does
    rule = due_rule(desk, ticket)  # its instant: the command it would issue is not built
    return None if rule is None else rule[0]


def tick(desk: Desk, ticket: Ticket, now: datetime) -> Outcome:
    """Apply every time-driven rule that fell due up to ``now``, in time order.

    Each rule is handled as a command of the ``system`` actor stamped with the instant
    it fell due, not with ``now``: a late or batched sweep records the same history as
    a punctual one. Rules that an earlier rule cancels (the ticket left the status) do
    not fire. Ticking again with the same ``now`` does nothing.

    Args:
        desk: the workflow and policies.
        ticket: the ticket as the host loaded it.
        now: the host's current instant (aware).

    Returns:
        The new ticket and the events of every rule that fired (none if nothing was due).

    Raises:
        NaiveDatetimeError: ``now`` has no time zone.
        InvalidTypeError: ``now`` is not a datetime (a ``date``, a string).
        TimerLoopError: rules keep falling due at one instant without end.
        InvalidCommandError: the ticket is in a status the desk's workflow does not
            define (tick it with the desk it belongs to, or migrate it).

    A long sweep is not an error: a ticket that timers move back and forth every
    minute, swept 80 days late, records every one of those moves.

    >>> from datetime import datetime, timedelta
    >>> from zoneinfo import ZoneInfo
    >>> from ticketflow import Actor, OpenTicket, PerformAction, SlaPolicy, handle
    >>> from ticketflow.presets import support_portal
    >>> desk = support_portal.desk(sla=SlaPolicy())  # its timers alone, no SLA clocks
    >>> friday = datetime(2026, 3, 6, 15, tzinfo=ZoneInfo("Europe/Moscow"))
    >>> ticket = handle(desk, None, OpenTicket(actor=Actor.customer("alice"), at=friday,
    ...                                        ticket_id="T-1", subject="No dial tone")).ticket
    >>> ticket = handle(desk, ticket, PerformAction(actor=Actor.agent("bob"), at=friday,
    ...                                             action="propose_resolution")).ticket
    >>> swept = tick(desk, ticket, friday + timedelta(days=30))  # a very late sweep
    >>> [(type(e).__name__, e.at.isoformat()) for e in swept.events]
    [('ReminderSent', '2026-03-11T15:00:00+03:00'), ('StatusChanged', '2026-03-12T15:00:00+03:00')]
    """
    require_desk("desk", desk)
    require_ticket("ticket", ticket)
    status_of(desk.workflow, ticket)  # a status the workflow lacks is refused, as handle does
    until = utc(require_instant("now", now))
    return advance(desk, ticket, until, due_rule(desk, ticket))[0]


def advance(
    desk: Desk, ticket: Ticket, until: datetime, rule: DueRule | None
) -> tuple[Outcome, DueRule | None]:
    """:func:`tick` to the UTC instant ``until`` from ``rule``, the ticket's
    :func:`~ticketflow._due_rules.due_rule`; also the rule due next, after ``until``.

    A host loop that asked when the ticket is due next (``whatif``) hands the answer
    in and gets the next one back, so no rule is found twice; each rule becomes its
    command only when it fires.
    """
    events: list[Event] = []
    instant: datetime | None = None
    at_instant = 0
    while rule is not None:
        due = utc(rule[0])
        if due > until:
            break
        if due == instant:
            at_instant += 1
            if at_instant > _MAX_RULES_AT_ONE_INSTANT:
                raise TimerLoopError(ticket.id, rule[0], at_instant)
        else:
            instant, at_instant = due, 1
        ticket, fired = handled(desk, ticket, rule_command(rule))
        events.extend(fired)
        rule = due_rule(desk, ticket)
    return Outcome(ticket, tuple(events)), rule


def allowed_actions(
    desk: Desk, ticket: Ticket, actor: Actor, at: datetime | None = None
) -> tuple[ActionAvailability, ...]:
    """Every action of the workflow, saying whether ``actor`` may perform it now and why not.

    The same checks as :func:`decide` answer, so a button drawn from this list never
    leads to a refusal for a reason it did not show. A reason is not known until the
    command is sent, so actions that require one are allowed and list ``"reason"`` in
    ``asks_for``. Give ``at`` (the host's now) to have the escalation policy's rules
    that no reason can lift (a cooldown, the maximum level) answered too.

    >>> from datetime import datetime, timezone
    >>> from ticketflow import Actor, Desk, OpenTicket, handle
    >>> from ticketflow.presets import support_portal
    >>> desk = Desk(workflow=support_portal.WORKFLOW)
    >>> at = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
    >>> alice = Actor.customer("alice")
    >>> t = handle(desk, None, OpenTicket(actor=alice, at=at, ticket_id="T-1",
    ...                                   subject="No dial tone")).ticket
    >>> [(a.label, a.asks_for) for a in allowed_actions(desk, t, alice) if a.allowed]
    [('Escalate', ('reason',)), ('Resolve this issue', ()), ('Cancel request', ())]
    """
    require_desk("desk", desk)
    wf = desk.workflow
    require_ticket("ticket", ticket)
    if not visible_to(actor, ticket, desk.staff_roles):
        # An outsider learns nothing, not even the status through the buttons' labels.
        return tuple(_hidden(wf, ticket, actor, action) for action in wf.actions)
    status = status_of(wf, ticket)
    result = []
    for action in wf.actions:
        transitions = wf.transitions_from(status.name, action) or tuple(
            t for t in wf.transitions if t.action == action
        )
        label = next((t.label for t in transitions if actor.role in t.roles), transitions[0].label)
        try:
            route = route_for(wf, ticket, status, actor, action)
            transition = route.transition
            missing = missing_requirements(transition, ticket)
            if missing:
                raise MissingRequirementError(action, missing)
            escalation = desk.escalation
            if at is not None and escalation is not None and action == escalation.action:
                found = blockers(desk.escalation_plan, ticket, actor, at)
                if found:
                    raise EscalationRefusedError(found)
        except CommandRefusedError as refusal:
            result.append(
                ActionAvailability(
                    action=action,
                    label=label,
                    allowed=False,
                    code=refusal.code,
                    why_not=str(refusal),
                )
            )
        else:
            result.append(
                ActionAvailability(
                    action=action,
                    label=transition.label,
                    allowed=True,
                    asks_for=_asks_for(desk, route),
                )
            )
    return tuple(result)


def _hidden(wf: Workflow, ticket: Ticket, actor: Actor, action: str) -> ActionAvailability:
    """An action as an outsider sees it: refused, labelled whatever the ticket's status."""
    first = next(t for t in wf.transitions if t.action == action)
    try:
        refuse_invisible(actor, ticket, f"perform {quoted(action)}")
    except TicketNotFoundError as refusal:
        return ActionAvailability(
            action=action, label=first.label, allowed=False, code=refusal.code, why_not=str(refusal)
        )
    raise AssertionError("unreachable")  # pragma: no cover - refuse_invisible always raises


# -- the policies' questions, asked of a desk ---------------------------------------------


def validate_escalation(
    desk: Desk, ticket: Ticket, request: Escalate, at: datetime
) -> tuple[Violation, ...]:
    """Every rule ``request`` breaks if it were sent at ``at`` (empty: it is accepted);
    the desk's escalation rules (:func:`ticketflow._escalation.request_violations`).

    To an actor who may not see ``ticket`` the answer is one ``not_found`` violation.

    Raises:
        NaiveDatetimeError: ``at`` has no time zone.
        NonexistentInstantError: ``at`` is a wall time inside a DST gap.
    """
    require_desk("desk", desk)
    if type(request) is not Escalate:
        raise InvalidTypeError("request", "an Escalate command", request)
    return request_violations(desk.escalation_plan, ticket, request, at)


def escalation_blockers(
    desk: Desk, ticket: Ticket, actor: Actor, at: datetime
) -> tuple[Violation, ...]:
    """The rules an escalation by ``actor`` at ``at`` breaks whatever its reason says
    (:func:`ticketflow._escalation.blockers`); empty: a form can offer the escalation.
    """
    require_desk("desk", desk)
    return blockers(desk.escalation_plan, ticket, actor, at)


def validate_level_change(
    desk: Desk, ticket: Ticket, command: ChangeSupportLevel
) -> tuple[Violation, ...]:
    """Every rule a change of support level breaks (empty: it is accepted); see
    :func:`ticketflow._escalation.level_change_violations`."""
    require_desk("desk", desk)
    return level_change_violations(desk.escalation_plan, ticket, command)


def sla_status(desk: Desk, ticket: Ticket, at: datetime) -> tuple[MetricStatus, ...]:
    """Every SLA metric of ``ticket`` as of ``at`` (not before the ticket's last change).

    Raises:
        NaiveDatetimeError: ``at`` has no time zone.
        NonexistentInstantError: ``at`` is a wall time inside a DST gap.
        InstantBeforeLastChangeError: ``at`` is before the ticket's last change.

    >>> from datetime import datetime, timedelta
    >>> from zoneinfo import ZoneInfo
    >>> from ticketflow import Actor, OpenTicket, handle
    >>> from ticketflow.presets import support_portal
    >>> desk = support_portal.desk()
    >>> monday = datetime(2026, 3, 2, 10, tzinfo=ZoneInfo("Europe/Moscow"))
    >>> ticket = handle(desk, None, OpenTicket(actor=Actor.customer("alice"), at=monday,
    ...                                        ticket_id="T-1", subject="No dial tone")).ticket
    >>> first = sla_status(desk, ticket, monday + timedelta(hours=3))[0]
    >>> first.metric, str(first.elapsed), str(first.remaining), first.due_at.isoformat()
    ('first_response', '3:00:00', '1:00:00', '2026-03-02T14:00:00+03:00')
    """
    require_desk("desk", desk)
    return metric_statuses(desk.sla_plan, ticket, at)


def explain(desk: Desk, ticket: Ticket, metric: str, at: datetime) -> Explanation:
    """The intervals of ``metric``'s current cycle up to ``at``, counted and excluded
    (:func:`ticketflow._sla_reports.explanation` on the desk's compiled SLA policy).

    Raises:
        UnknownNameError: the desk has no metric ``metric`` (a ``LookupError``).
        InstantBeforeLastChangeError: ``at`` is before the ticket's last change.
    """
    require_desk("desk", desk)
    return explanation(desk.sla_plan, ticket, metric, at)


def notifications(desk: Desk, outcome: Outcome) -> tuple[Notification, ...]:
    """Whom to notify about ``outcome``'s events, and with which message.

    >>> from datetime import datetime, timezone
    >>> from ticketflow import Actor, OpenTicket, Reply, handle
    >>> from ticketflow.presets import support_portal
    >>> desk = support_portal.desk()
    >>> at = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
    >>> opened = handle(desk, None, OpenTicket(actor=Actor.customer("alice"), at=at,
    ...                                        ticket_id="T-1", subject="No dial tone"))
    >>> answer = handle(desk, opened.ticket, Reply(actor=Actor.agent("bob"), at=at, body="Hi"))
    >>> [(n.recipient, n.message) for n in notifications(desk, answer)]
    [('alice', 'reply_added')]
    """
    require_desk("desk", desk)
    if not isinstance(outcome, Outcome):
        raise InvalidTypeError("outcome", "the Outcome handle returned", outcome)
    return notifications_of(desk.notifications, outcome.ticket, outcome.events)
