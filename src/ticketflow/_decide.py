"""Deciding: ``decide`` checks a command against the ticket and the desk and returns the
events it causes, or raises a :class:`CommandRefusedError` subclass that says what was
wrong and how to fix it. It never changes anything, reads no clock and does no I/O:
the instant is the command's ``at``.

The checks run in a fixed order, so a command that breaks several rules is refused for
the most fundamental one: who may see the ticket first (an outsider learns nothing
else, not even when the ticket last changed), then a stale instant, then a final
status, then the action, the status, the role, and last the requirements. A command
outside the workflow's transitions (assigning, a note, a reply) needs its staff power
(``Desk.powers_of``): it is checked right after visibility and the instant, before
whether the ticket is closed, so a role that may not send it learns nothing more.

A command that would change nothing (assigning the current assignee, muting a muted
ticket, setting a field or the priority to the value it has) succeeds with no events,
so a double click is not an error; it is recognised only after every refusal above,
so it tells an outsider, or a role that may not send it, nothing either.

Instants are compared through :func:`ticketflow._instants.utc`, never directly: two
instants that share a zone compare by wall clock in Python, which orders a repeated
DST hour wrongly.

Depends on the values, the workflow, the policies and the desk; only the driver
(:mod:`ticketflow._driver`) imports it.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Final, assert_never, get_args

from ticketflow._commands import (
    Assign,
    AttachFile,
    ChangePriority,
    ChangeSupportLevel,
    CheckSlaClock,
    Command,
    Escalate,
    MuteNotifications,
    OpenTicket,
    PerformAction,
    Reply,
    SendReminder,
    SetField,
    UnmuteNotifications,
)
from ticketflow._desk import Desk, require_desk
from ticketflow._durations import describe, shift
from ticketflow._errors import (
    ActionNotAllowedError,
    CalendarRangeError,
    EscalationRefusedError,
    InvalidCommandError,
    InvalidTypeError,
    MissingRequirementError,
    NaiveDatetimeError,
    PermissionDeniedError,
    StaleCommandError,
    TicketClosedError,
    TicketNotFoundError,
    UnknownActionError,
    quoted,
)
from ticketflow._escalation import (
    SLA_VIOLATION,
    evidence_for,
    level_change_violations,
    opening_level_violations,
    request_violations,
)
from ticketflow._events import (
    ActionPerformed,
    Event,
    FieldChanged,
    FileAttached,
    NotificationsMuted,
    NotificationsUnmuted,
    PriorityChanged,
    ReminderSent,
    ReplyAdded,
    StatusChanged,
    SupportLevelChanged,
    TicketAssigned,
    TicketEscalated,
    TicketOpened,
    TicketReopened,
)
from ticketflow._instants import before, not_after
from ticketflow._intake import check_opening, check_staff_opening
from ticketflow._sla_machine import check, clock_events
from ticketflow._ticket import Actor, Ticket, require_ticket, visible_to
from ticketflow._vocabulary import (
    AGENT_REPLY,
    ANONYMOUS,
    CUSTOMER,
    CUSTOMER_REPLY,
    POWER_ASSIGN,
    POWER_CHANGE_PRIORITY,
    POWER_CHANGE_SUPPORT_LEVEL,
    POWER_INTERNAL_NOTES,
    POWER_MUTE,
    POWER_PUBLIC_REPLIES,
    POWER_SET_FIELDS,
    SYSTEM,
)
from ticketflow._workflow import Workflow
from ticketflow._workflow_parts import Route, Status, Transition

__all__ = [
    "command_events",
    "decide",
    "missing_requirements",
    "refuse_invisible",
    "route_for",
    "status_of",
]

_COMMANDS: Final = frozenset(get_args(Command))
"""Every command class: what decide accepts."""


def decide(
    desk: Desk, ticket: Ticket | None, command: Command, *, parent: Ticket | None = None
) -> tuple[Event, ...]:
    """The events ``command`` causes on ``ticket``, or a refusal.

    Args:
        desk: the workflow and policies.
        ticket: the ticket as the host loaded it (``None`` for :class:`OpenTicket`).
        command: what somebody asks for, stamped with an aware instant.
        parent: for an :class:`OpenTicket` that names a ``parent_id``, the parent
            ticket as the host loaded it. A requester may link only a ticket they may
            see, so their follow-up needs it; staff may leave it out.

    Returns:
        The events, in order; empty when the command would change nothing (an
        :class:`Assign` to the current assignee and group, a :class:`MuteNotifications`
        of a muted ticket, an :class:`UnmuteNotifications` of an unmuted one, a
        :class:`SetField` or :class:`ChangePriority` to the value it has). The SLA
        clocks' events, if the desk has an SLA policy, follow the events of the command
        itself.

    Raises:
        CommandRefusedError: one of its subclasses, saying what was wrong and how to fix it.

    >>> from datetime import datetime, timezone
    >>> from ticketflow import Actor, Desk, OpenTicket
    >>> from ticketflow.presets import support_portal
    >>> desk = Desk(workflow=support_portal.WORKFLOW)
    >>> at = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
    >>> [type(e).__name__ for e in decide(desk, None, OpenTicket(
    ...     actor=Actor.customer("alice"), at=at, ticket_id="T-1", subject="No dial tone"))]
    ['TicketOpened']
    """
    events = command_events(desk, ticket, command, parent)
    plan = desk.sla_plan
    if plan.metrics:
        return events + clock_events(plan, desk.workflow, ticket, events)
    return events


def command_events(
    desk: Desk, ticket: Ticket | None, command: Command, parent: Ticket | None = None
) -> tuple[Event, ...]:
    """The events of ``command`` itself, or its refusal: :func:`decide` without the SLA
    clocks' events (the driver folds those into one copy of the ticket)."""
    if type(desk) is not Desk:
        require_desk("desk", desk)
    if type(command) not in _COMMANDS:
        raise InvalidTypeError("command", "a ticketflow command (OpenTicket, Reply, ...)", command)
    at = command.at
    # The command's instant is aware and names an instant: its constructor checked it.
    wf = desk.workflow
    if type(command) is OpenTicket:
        return _open(desk, ticket, command, parent)
    ticket = _seen(desk, ticket, command)
    actor = command.actor
    role = actor.role
    if before(at, ticket.updated_at):
        raise StaleCommandError(at, ticket.updated_at)
    try:
        status = wf.status(ticket.status)
    except KeyError:
        status_of(wf, ticket)  # raises the error that explains it
        raise
    power = _POWER_OF.get(type(command))
    # The requester may always mute their own ticket; the other powers are staff's.
    if power is not None and not (role == CUSTOMER and power == POWER_MUTE):
        _require_power(desk, actor, power, _VERBS[type(command)])
    match command:
        case PerformAction():
            action = command.action
            escalation = desk.escalation
            if escalation is not None and action == escalation.action:
                raise InvalidCommandError(
                    f"{quoted(action)} is checked by the desk's escalation policy",
                    "send Escalate(reason=..., details=...) instead of PerformAction",
                )
            # The compiled table has no route for a role that may not take the action,
            # nor from a terminal status (a workflow refuses transitions out of one):
            # route_for then says why.
            route = wf.route(status.name, action, role)
            if route is None:
                route = route_for(wf, ticket, status, actor, action)
            if route.checked:
                _require(route.transition, ticket, command.reason)
            if route.schedules or command.until is not None or command.rule:
                _check_timing(route, command)
            return _moves(ticket, route, command, command.reason, ticket.version)
        case Reply():
            return _reply(desk, ticket, status, command)
        case AttachFile():
            return _attach(desk, ticket, status, command)
        case SendReminder():
            return _remind(ticket, status, command)
        case Escalate():
            return _escalate(desk, ticket, status, command)
        case ChangeSupportLevel():
            return _change_level(desk, ticket, status, command)
        case CheckSlaClock():
            if actor.role != SYSTEM:
                raise PermissionDeniedError(
                    actor.id,
                    role,
                    "check an SLA clock",
                    "SLA clocks are checked by the desk's timers",
                )
            return check(desk.sla_plan, ticket, command)
        case Assign():
            return _assign(ticket, status, command)
        case ChangePriority():
            return _change_priority(wf, ticket, status, command)
        case MuteNotifications() | UnmuteNotifications():
            return _mute(ticket, status, command)
        case SetField():
            return _set_field(ticket, status, command)
        case OpenTicket():  # pragma: no cover - handled above
            raise AssertionError("unreachable")
        case _:  # pragma: no cover - mypy proves this unreachable
            assert_never(command)


def _seen(desk: Desk, ticket: Ticket | None, command: Command) -> Ticket:
    """The ticket, once it is known that the command's actor may see it.

    Who may see the ticket comes first: an outsider learns nothing about it.
    """
    if ticket is None:
        raise InvalidCommandError(
            f"{type(command).__name__} needs a ticket, got None",
            "open the ticket with OpenTicket first, or pass the loaded ticket",
        )
    if type(ticket) is not Ticket:
        require_ticket("ticket", ticket)
    actor = command.actor
    if actor.role == CUSTOMER:
        if actor.id != ticket.requester:
            refuse_invisible(actor, ticket, command)
    elif actor.role not in desk.staff_roles:
        refuse_invisible(actor, ticket, command)
    return ticket


def _verb(command: Command) -> str:
    if isinstance(command, PerformAction):
        return f"perform {quoted(command.action)}"
    return _VERBS[type(command)]


_VERBS: dict[type, str] = {
    OpenTicket: "open a ticket",
    Reply: "reply",
    AttachFile: "attach a file",
    Assign: "assign the ticket",
    ChangePriority: "change the priority",
    MuteNotifications: "mute notifications",
    UnmuteNotifications: "unmute notifications",
    SetField: "set a field",
    SendReminder: "send a reminder",
    CheckSlaClock: "check an SLA clock",
    Escalate: "escalate the ticket",
    ChangeSupportLevel: "change the support level",
}


_POWER_OF: dict[type, str] = {
    Assign: POWER_ASSIGN,
    ChangePriority: POWER_CHANGE_PRIORITY,
    SetField: POWER_SET_FIELDS,
    MuteNotifications: POWER_MUTE,
    UnmuteNotifications: POWER_MUTE,
}
"""The staff power a command needs (a reply's and a change of level's are checked
where the command is decided)."""


def refuse_invisible(actor: Actor, ticket: Ticket, command: Command | str) -> None:
    """Refuse an outsider, saying nothing about the ticket (the same for every ticket)."""
    verb = command if isinstance(command, str) else _verb(command)
    raise TicketNotFoundError(actor.id, actor.role, verb)


def _require_power(desk: Desk, actor: Actor, power: str, verb: str) -> None:
    """Refuse ``actor`` unless its role holds the staff ``power`` on ``desk``."""
    # Every role that reaches here sees the ticket: the requester or the desk's staff.
    role = actor.role
    if role == CUSTOMER:
        raise PermissionDeniedError(
            actor.id, role, verb, "only the desk's staff may do this; ask an agent"
        )
    if power not in desk.powers_of(role):
        raise PermissionDeniedError(
            actor.id,
            role,
            verb,
            f"the role lacks the staff power {quoted(power)}; grant it in the desk's "
            f"roles, Desk(roles=[Role({role!r}, may={{{power!r}, ...}})])",
        )


def status_of(wf: Workflow, ticket: Ticket) -> Status:
    try:
        return wf.status(ticket.status)
    except KeyError:
        raise InvalidCommandError(
            f"ticket {quoted(ticket.id)} is in status {quoted(ticket.status)}, which workflow "
            f"{quoted(wf.name)} does not define",
            "handle it with the desk whose workflow it belongs to, or migrate the ticket",
        ) from None


def _require_open(ticket: Ticket, status: Status) -> None:
    if status.terminal:
        raise TicketClosedError(ticket.id, status.name)


def route_for(wf: Workflow, ticket: Ticket, status: Status, actor: Actor, action: str) -> Route:
    """The route ``actor`` would take for ``action``; raises why not (requirements aside)."""
    if status.terminal:
        raise TicketClosedError(ticket.id, status.name)
    role = actor.role
    route = wf.route(status.name, action, role)
    if route is not None:
        return route
    routes = wf.routes_from(status.name, action)
    if not routes:
        if action not in wf.actions:
            raise UnknownActionError(action, wf.actions)
        raise ActionNotAllowedError(
            action,
            status.name,
            [
                a
                for a in wf.actions_from(status.name)
                if any(role in r.roles for r in wf.routes_from(status.name, a))
            ],
            role=role,
        )
    allowed = sorted({r for route in routes for r in route.roles})
    raise PermissionDeniedError(
        actor.id,
        role,
        f"perform {quoted(action)}",
        f"from status {quoted(status.name)} only {_either(allowed)} may",
    )


def _either(roles: list[str]) -> str:
    """ "the role 'agent'", "the roles 'agent' or 'customer'", ..."""
    quoted = [repr(role) for role in roles]
    if len(quoted) == 1:
        return f"the role {quoted[0]}"
    return f"the roles {', '.join(quoted[:-1])} or {quoted[-1]}"


def _check_timing(route: Route, command: PerformAction) -> None:
    """A scheduled status needs its wake-up instant; rules are the system's own."""
    action = command.action
    if command.rule and command.actor.role != SYSTEM:
        raise PermissionDeniedError(
            command.actor.id,
            command.actor.role,
            f"perform {quoted(action)} as the rule {quoted(command.rule)}",
            "time-driven rules are performed by the desk's system; leave rule empty",
        )
    if route.schedules:
        if command.until is None:
            raise MissingRequirementError(
                action, ["a wake-up instant is required: give until=<when to resume>"]
            )
        if command.until.utcoffset() is None:
            raise NaiveDatetimeError("PerformAction.until", command.until)
        if not_after(command.until, command.at):
            raise InvalidCommandError(
                f"the wake-up instant {command.until.isoformat()} is not after the command's "
                f"instant {command.at.isoformat()}",
                "schedule the ticket for a later instant",
            )
    elif command.until is not None:
        raise InvalidCommandError(
            f"action {quoted(action)} does not enter a scheduled status, so until= has no meaning",
            "leave until empty",
        )


def _escalate(desk: Desk, ticket: Ticket, status: Status, command: Escalate) -> tuple[Event, ...]:
    policy = desk.escalation
    if policy is None:
        raise InvalidCommandError(
            "this desk has no escalation policy",
            "perform the workflow's escalation action with PerformAction",
        )
    violations = request_violations(desk.escalation_plan, ticket, command, command.at)
    if violations:
        raise EscalationRefusedError(violations)
    assert policy.action is not None  # request_violations refuses when it is None
    route = route_for(desk.workflow, ticket, status, command.actor, policy.action)
    reason = command.reason.strip()
    text = f"{reason}: {command.details.strip()}" if command.details.strip() else reason
    if route.checked:
        _require(route.transition, ticket, text)
    evidence = (
        evidence_for(desk.escalation_plan, ticket, command.at) if reason == SLA_VIOLATION else None
    )
    escalated = TicketEscalated(
        ticket_id=ticket.id,
        at=command.at,
        actor=command.actor,
        version=ticket.version + 1,
        reason=reason,
        details=command.details.strip(),
        evidence=evidence or "",
    )
    return (escalated, *_moves(ticket, route, command, text, escalated.version))


def _change_level(
    desk: Desk, ticket: Ticket, status: Status, command: ChangeSupportLevel
) -> tuple[Event, ...]:
    if command.actor.role != CUSTOMER:  # the escalation policy explains the requester's
        _require_power(desk, command.actor, POWER_CHANGE_SUPPORT_LEVEL, "change the support level")
    _require_open(ticket, status)
    violations = level_change_violations(desk.escalation_plan, ticket, command)
    if violations:
        raise EscalationRefusedError(violations, "the change of support level")
    jump = command.level - ticket.support_level
    return (
        SupportLevelChanged(
            ticket_id=ticket.id,
            at=command.at,
            actor=command.actor,
            version=ticket.version + 1,
            source=ticket.support_level,
            target=command.level,
            reason=command.reason,
            skipped=jump > 1,
            downward=jump < 0,
        ),
    )


def _remind(ticket: Ticket, status: Status, command: SendReminder) -> tuple[Event, ...]:
    actor = command.actor
    if actor.role != SYSTEM:
        raise PermissionDeniedError(
            actor.id, actor.role, "send a reminder", "reminders are sent by the desk's timers"
        )
    _require_open(ticket, status)
    return (
        ReminderSent(
            ticket_id=ticket.id,
            at=command.at,
            actor=actor,
            version=ticket.version + 1,
            rule=command.rule,
            action=command.action,
            due=command.due,
            to_requester=not ticket.notifications_muted,
        ),
    )


def missing_requirements(transition: Transition, ticket: Ticket) -> list[str]:
    """What the ticket lacks for ``transition`` (the command's reason aside)."""
    missing = [
        f"the field {quoted(name)} must be set first"
        for name in transition.requires_fields
        if ticket.fields.get(name) in (None, "")
    ]
    if transition.requires_assignee and ticket.assignee is None:
        missing.append("the ticket must be assigned first")
    return missing


def _require(transition: Transition, ticket: Ticket, reason: str) -> None:
    missing = missing_requirements(transition, ticket)
    if transition.requires_reason and not reason.strip():
        missing.insert(0, "a reason is required: say why in the command's reason")
    if missing:
        raise MissingRequirementError(transition.action, missing)


def _moves(
    ticket: Ticket, route: Route, command: Command, reason: str, version: int
) -> tuple[Event, ...]:
    """The status changes of ``route``, its chained steps included, after ``version``."""
    action = route.transition.action
    source = ticket.status
    if type(command) is PerformAction:
        rule, until = command.rule, command.until
    else:
        rule, until = "", None
    steps = route.steps
    last = len(steps)
    at, actor, ticket_id = command.at, command.actor, ticket.id
    if last == 1 and steps[0][0] == source:
        # A self-loop enters nothing: the action is recorded, the status stays. A
        # time-driven rule's restarts the time in the status, so a timer whose action
        # loops recurs once per period rather than falling due again at once.
        return (
            ActionPerformed(
                ticket_id=ticket_id,
                at=at,
                actor=actor,
                version=version + 1,
                action=action,
                status=source,
                reason=reason,
                rule=rule,
                until=until,
                restarted=bool(rule),
            ),
        )
    events: list[Event] = []
    for step, (target, category) in enumerate(steps, 1):
        events.append(
            StatusChanged(
                ticket_id=ticket_id,
                at=at,
                actor=actor,
                version=version + step,
                action=action,
                source=source,
                target=target,
                category=category,
                reason=reason,
                chained=step > 1,
                rule=rule,
                until=until if step == last else None,
            )
        )
        source = target
    return tuple(events)


def _open(
    desk: Desk, ticket: Ticket | None, command: OpenTicket, parent: Ticket | None
) -> tuple[Event, ...]:
    wf = desk.workflow
    actor = command.actor
    if ticket is not None:
        raise InvalidCommandError(
            f"ticket {quoted(ticket.id)} already exists",
            "send OpenTicket only for a new ticket, with ticket=None",
        )
    if actor.role == ANONYMOUS:
        raise PermissionDeniedError(
            actor.id, actor.role, "open a ticket", "sign the user in first", code="anonymous"
        )
    if actor.role != CUSTOMER and actor.role not in desk.staff_roles:
        raise PermissionDeniedError(
            actor.id,
            actor.role,
            "open a ticket",
            f"the role is not one of this desk's: {_either(sorted(desk.staff_roles | {CUSTOMER}))}"
            + (
                f"; use one of them, or declare it: Desk(roles=[Role({actor.role!r}), ...])"
                if desk.roles
                else "; use one of them, or name the role in a transition of the workflow"
            ),
        )
    requester = command.requester
    if parent is not None and type(parent) is not Ticket:
        require_ticket("parent", parent)
    if parent is not None and parent.id != command.parent_id:
        raise InvalidCommandError(
            f"the parent ticket given is {quoted(parent.id)}, but the command names "
            f"parent_id={quoted(command.parent_id)}",
            "pass the ticket the command's parent_id names",
        )
    if actor.role == CUSTOMER:
        if requester is not None and requester != actor.id:
            raise PermissionDeniedError(
                actor.id,
                actor.role,
                "open a ticket",
                f"customers open tickets only for themselves, not for {quoted(requester)}",
                code="ownership",
            )
        if command.parent_id is not None and (
            parent is None or not visible_to(actor, parent, desk.staff_roles)
        ):
            raise PermissionDeniedError(
                actor.id,
                actor.role,
                f"open a follow-up to ticket {quoted(command.parent_id)}",
                "a requester links only a ticket of their own: the host passes the parent "
                "ticket it loaded, handle(desk, None, command, parent=parent_ticket)",
            )
        requester = actor.id
    if not requester:
        raise InvalidCommandError(
            "a ticket opened by the desk's staff needs a requester",
            "give OpenTicket(requester=...) the id of the customer it is for",
        )
    if not command.ticket_id:
        raise InvalidCommandError("the ticket id is empty", "give OpenTicket a non-empty ticket_id")
    if not command.subject.strip():
        raise InvalidCommandError("the subject is empty", "give the ticket a one-line subject")
    priority = wf.default_priority if command.priority is None else command.priority
    _require_priority(wf, priority)
    if actor.role == CUSTOMER:
        check_opening(desk.intake, wf, command, parent)
    else:
        # Staff open tickets on a requester's behalf: what the form offers, and beyond
        # it what the role's powers allow (the powers the same change needs later).
        check_staff_opening(desk.intake, wf, command, desk.powers_of(actor.role), parent)
        if command.support_level != 1:
            _require_power(
                desk,
                actor,
                POWER_CHANGE_SUPPORT_LEVEL,
                f"open a ticket at support level {command.support_level}",
            )
    if command.support_level != 1:
        _require_opening_level(desk, actor, command.support_level)
    return (
        TicketOpened(
            ticket_id=command.ticket_id,
            at=command.at,
            actor=actor,
            version=1,
            subject=command.subject,
            requester=requester,
            status=wf.initial,
            priority=priority,
            description=command.description,
            assignee=command.assignee,
            group=command.group,
            parent_id=command.parent_id,
            fields=command.fields,
            notifications_muted=command.notifications_muted,
            support_level=command.support_level,
        ),
    )


def _require_opening_level(desk: Desk, actor: Actor, level: int) -> None:
    violations = opening_level_violations(desk.escalation_plan, actor, level)
    if violations:
        raise EscalationRefusedError(violations, f"opening the ticket at support level {level}")


def _require_priority(wf: Workflow, priority: str) -> None:
    if priority not in wf.priorities:
        raise InvalidCommandError(
            f"unknown priority {quoted(priority)}",
            f"use one of the workflow's priorities: {', '.join(wf.priorities)}",
        )


def _reply(desk: Desk, ticket: Ticket, status: Status, command: Reply) -> tuple[Event, ...]:
    wf = desk.workflow
    actor = command.actor
    is_customer = actor.role == CUSTOMER
    if not command.body.strip():
        raise InvalidCommandError("the reply is empty", "write something in the reply's body")
    if is_customer and not command.public:
        raise PermissionDeniedError(
            actor.id,
            actor.role,
            "write an internal note",
            "internal notes are for the desk's staff; send a public reply",
        )
    if not is_customer:
        if command.public:
            _require_power(desk, actor, POWER_PUBLIC_REPLIES, "answer the requester")
        else:
            _require_power(desk, actor, POWER_INTERNAL_NOTES, "write an internal note")
    if command.approves_resolution and not is_customer:
        raise InvalidCommandError(
            "only the requester can approve the resolution in a reply",
            "perform the resolving action instead, or send the reply without approval",
        )
    reply = ReplyAdded(
        ticket_id=ticket.id,
        at=command.at,
        actor=actor,
        version=ticket.version + 1,
        body=command.body,
        public=command.public,
    )
    trigger = CUSTOMER_REPLY if is_customer else AGENT_REPLY
    reacts = command.public and actor.role != SYSTEM
    if status.terminal:
        reaction = wf.reaction(status.name, trigger) if reacts else None
        if reaction is None or command.approves_resolution:
            raise TicketClosedError(
                ticket.id,
                status.name,
                "replies are not accepted any more; open a new ticket as a follow-up "
                "(parent_id=the closed ticket's id) for anything else",
            )
        if reaction.within is not None:
            closed = ticket.closed_at or ticket.status_since
            try:
                limit: datetime | None = shift(desk.calendar, closed, reaction.within)
            except CalendarRangeError:
                limit = None  # the window ends after the last instant time can hold: open
            if limit is not None and before(limit, command.at):
                raise TicketClosedError(
                    ticket.id,
                    status.name,
                    f"it could be reopened by a reply for {describe(reaction.within)} after "
                    f"closing, until {limit.isoformat()}; open a follow-up ticket instead "
                    "(ticketflow.follow_up builds the command)",
                )
        target = wf.status(reaction.target)
        return (
            reply,
            TicketReopened(
                ticket_id=ticket.id,
                at=command.at,
                actor=actor,
                version=reply.version + 1,
                source=status.name,
                target=target.name,
                category=target.category,
            ),
        )
    if command.approves_resolution:
        if wf.approval_action is None:
            raise InvalidCommandError(
                f"workflow {quoted(wf.name)} does not accept approval in a reply",
                "send the reply without approves_resolution, or set the workflow's approval_action",
            )
        route = route_for(wf, ticket, status, actor, wf.approval_action)
        if route.checked:
            _require(route.transition, ticket, command.body)
        return (reply, *_moves(ticket, route, command, command.body, reply.version))
    reaction = wf.reaction(status.name, trigger) if reacts else None
    if reaction is None:
        return (reply,)
    # A reaction into the same status re-enters it: the time in status restarts, which
    # is how seed 002's "replying to an Open ticket resets it in the queue" is written.
    return (
        reply,
        StatusChanged(
            ticket_id=ticket.id,
            at=command.at,
            actor=actor,
            version=reply.version + 1,
            action=trigger,
            source=status.name,
            target=reaction.target,
            category=wf.category(reaction.target),
        ),
    )


# -- attaching a file -----------------------------------------------------------------
# The bytes are the host's; what the ticket records is shown on a case page and sent
# in notifications, so a value a host copied from an upload form unchecked is refused
# here: a name that is a path or a megabyte long, a size below zero, a media type that
# is not type/subtype, an empty reference.

MAX_FILE_NAME: Final = 255
"""The longest file name, in characters (what common file systems allow)."""
MAX_FILE_REFERENCE: Final = 2048
"""The longest reference to a file's bytes, in characters (a long URL)."""
_MEDIA_TYPE: Final = re.compile(
    r"[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}"
)
"""RFC 6838's type/subtype: two restricted names of 1 to 127 characters."""
_CONTROL: Final = re.compile(r"[\x00-\x1f\x7f]")


def _file_problems(command: AttachFile) -> list[tuple[str, str]]:
    """What is wrong with the file ``command`` attaches: (what, how to fix it) pairs."""
    problems = []
    name = command.name
    if not name.strip():
        problems.append(("the file name is empty", "give the name the file was uploaded with"))
    elif len(name) > MAX_FILE_NAME:
        problems.append(
            (f"the file name is {len(name)} characters long", f"give at most {MAX_FILE_NAME}")
        )
    elif _CONTROL.search(name) or "/" in name or "\\" in name or name in {".", ".."}:
        problems.append(
            (
                f"the file name {quoted(name)} is a path or holds control characters",
                "give the file's own name, without folders",
            )
        )
    if command.size < 0:
        problems.append(
            (f"the size {command.size} is negative", "give the size in bytes, 0 or more")
        )
    if _MEDIA_TYPE.fullmatch(command.media_type) is None:
        problems.append(
            (
                f"the media type {quoted(command.media_type)} is not type/subtype",
                "give one such as 'image/png' or 'application/pdf', without parameters",
            )
        )
    reference = command.reference
    if not reference.strip():
        problems.append(("the reference is empty", "give the host's key or URL of the bytes"))
    elif len(reference) > MAX_FILE_REFERENCE or _CONTROL.search(reference):
        problems.append(
            (
                f"the reference {quoted(reference)} is over {MAX_FILE_REFERENCE} characters "
                "or holds control characters",
                "give the host's key or URL of the bytes",
            )
        )
    return problems


def _attach(desk: Desk, ticket: Ticket, status: Status, command: AttachFile) -> tuple[Event, ...]:
    actor = command.actor
    if actor.role != CUSTOMER:
        # A file the requester sees on their case is a public answer of the desk.
        _require_power(desk, actor, POWER_PUBLIC_REPLIES, "attach a file")
    _require_open(ticket, status)
    problems = _file_problems(command)
    if problems:
        raise InvalidCommandError(
            "the file cannot be attached: " + "; ".join(what for what, _ in problems),
            "; ".join(fix for _, fix in problems),
        )
    for file in ticket.attachments:
        if file.reference == command.reference:
            if (file.name, file.size, file.media_type) == (
                command.name,
                command.size,
                command.media_type,
            ):
                return ()  # already attached: a double click records nothing
            raise InvalidCommandError(
                f"the reference {quoted(command.reference)} already names the attached file "
                f"{quoted(file.name)}",
                "store the new file's bytes under a reference of its own",
            )
    return (
        FileAttached(
            ticket_id=ticket.id,
            at=command.at,
            actor=actor,
            version=ticket.version + 1,
            name=command.name,
            size=command.size,
            media_type=command.media_type,
            reference=command.reference,
        ),
    )


def _assign(ticket: Ticket, status: Status, command: Assign) -> tuple[Event, ...]:
    _require_open(ticket, status)
    group = ticket.group if command.group is None else command.group
    if command.assignee == ticket.assignee and group == ticket.group:
        return ()  # already so: a double click succeeds and records nothing
    return (
        TicketAssigned(
            ticket_id=ticket.id,
            at=command.at,
            actor=command.actor,
            version=ticket.version + 1,
            assignee=command.assignee,
            group=group,
        ),
    )


def _change_priority(
    wf: Workflow, ticket: Ticket, status: Status, command: ChangePriority
) -> tuple[Event, ...]:
    _require_open(ticket, status)
    _require_priority(wf, command.priority)
    if command.priority == ticket.priority:
        return ()  # already so
    return (
        PriorityChanged(
            ticket_id=ticket.id,
            at=command.at,
            actor=command.actor,
            version=ticket.version + 1,
            source=ticket.priority,
            target=command.priority,
            reason=command.reason,
        ),
    )


def _mute(
    ticket: Ticket, status: Status, command: MuteNotifications | UnmuteNotifications
) -> tuple[Event, ...]:
    _require_open(ticket, status)
    mute = isinstance(command, MuteNotifications)
    if ticket.notifications_muted == mute:
        return ()  # already so
    event = NotificationsMuted if mute else NotificationsUnmuted
    return (
        event(ticket_id=ticket.id, at=command.at, actor=command.actor, version=ticket.version + 1),
    )


def _set_field(ticket: Ticket, status: Status, command: SetField) -> tuple[Event, ...]:
    _require_open(ticket, status)
    # The value's type was checked when the command was built (field_value).
    current = ticket.fields.get(command.name)
    # Compare types too: 1 and True are equal in Python but different field values.
    if type(current) is type(command.value) and current == command.value:
        return ()  # already so (removing an absent field included)
    return (
        FieldChanged(
            ticket_id=ticket.id,
            at=command.at,
            actor=command.actor,
            version=ticket.version + 1,
            name=command.name,
            value=command.value,
        ),
    )
