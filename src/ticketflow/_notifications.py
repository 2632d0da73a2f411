"""Notifications: who should hear about an event, and with which message.

ticketflow never sends anything. A :class:`NotificationPolicy` maps events to
recipients (the requester, the assignee, the group, or a person named in a custom
field) and to a message key the host translates into mail or chat. A requester who
pressed "Don't notify me" receives nothing from that ticket, nobody is told about their
own action, and internal notes never reach the requester.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Final, final, get_args

import attrs

from ticketflow._checks import items_of, names, require_str, sequence
from ticketflow._errors import Problem, quoted, quoted_names
from ticketflow._events import ActionPerformed, Event, ReminderSent, ReplyAdded, StatusChanged
from ticketflow._ticket import Ticket

if TYPE_CHECKING:
    from ticketflow._workflow import Workflow

__all__ = [
    "ASSIGNEE",
    "GROUP",
    "REQUESTER",
    "Notification",
    "NotificationPolicy",
    "NotificationRule",
    "notifications_of",
]

REQUESTER: Final = "requester"
"""Recipient: the ticket's requester (silenced by "Don't notify me")."""
ASSIGNEE: Final = "assignee"
"""Recipient: the agent the ticket is assigned to."""
GROUP: Final = "group"
"""Recipient: the team the ticket is queued to."""
_FIELD: Final = "field:"
_RECIPIENTS: Final = frozenset({REQUESTER, ASSIGNEE, GROUP})
_EVENT_KINDS: Final = tuple(sorted(cls.__name__ for cls in get_args(Event)))
"""What a rule's ``on`` may name: the class name of every event (no aliases)."""
_STATUS_CHANGED: Final = StatusChanged.__name__
_PERFORMED: Final = ActionPerformed.__name__
_BY_STATUS: Final = frozenset({_STATUS_CHANGED, _PERFORMED})
"""The event kinds a rule's ``statuses`` limit: a change into, an action in, a status."""
_SHOWN: Final = 30
"""How many of a workflow's statuses a problem offers (a workflow may define many)."""


def _recipients(value: str | Iterable[str]) -> tuple[str, ...]:
    """A rule's recipients, in order (one or several, each a str)."""
    found = sequence(value)
    for name in found:
        require_str("a notification recipient", name)
    return found


def _statuses(value: str | Iterable[str]) -> frozenset[str]:
    """A rule's statuses (one name or several, each a str)."""
    found = names(value)
    for name in found:
        require_str("a status of a notification rule", name)
    return found


@final
@attrs.frozen(kw_only=True)
class NotificationRule:
    """Tell ``recipients`` about events of kind ``on`` with the message ``message``.

    Args:
        on: an event class name (``"ReplyAdded"``, ``"StatusChanged"``, ...); any other
            name is a problem the desk reports.
        recipients: ``"requester"``, ``"assignee"``, ``"group"``, or
            ``"field:<name>"`` for the person a custom field names.
        message: the host's message key.
        statuses: for ``StatusChanged``, only changes into these statuses of the
            workflow; for ``ActionPerformed``, only actions performed in them (all if
            empty).
    """

    on: str = attrs.field(validator=lambda _, __, v: require_str("a notification rule's on", v))
    recipients: tuple[str, ...] = attrs.field(converter=_recipients)
    message: str = attrs.field(
        validator=lambda _, __, v: require_str("a notification rule's message", v)
    )
    statuses: frozenset[str] = attrs.field(default=frozenset(), converter=_statuses)

    def matches(self, event: Event) -> bool:
        """Whether this rule is about ``event``."""
        if type(event).__name__ != self.on:
            return False
        if not self.statuses:
            return True
        if isinstance(event, StatusChanged):
            return event.target in self.statuses
        return isinstance(event, ActionPerformed) and event.status in self.statuses


def _rules(value: Iterable[NotificationRule]) -> tuple[NotificationRule, ...]:
    return items_of("NotificationPolicy rules", NotificationRule, value)


@final
@attrs.frozen
class NotificationPolicy:
    """The desk's notification rules (none by default)."""

    rules: tuple[NotificationRule, ...] = attrs.field(default=(), converter=_rules)

    def problems(self, workflow: Workflow | None) -> list[Problem]:
        """Every name these rules give that means nothing on ``workflow`` (an event
        kind, a recipient kind, a status), each at its place with the names to use.
        Without a workflow (one that did not build), every check but the statuses'.

        An ``on`` is an event class name: the message keys of the docs
        (``"reply_added"``) are no aliases for it.

        >>> from ticketflow.presets import support_portal
        >>> rule = NotificationRule(on="reply_added", recipients="requester", message="m")
        >>> [p.where for p in NotificationPolicy([rule]).problems(support_portal.WORKFLOW)]
        ['notifications.rules[0].on']
        """
        out: list[Problem] = []
        statuses = [s.name for s in workflow.statuses] if workflow is not None else []
        for i, rule in enumerate(self.rules):
            where = f"notifications.rules[{i}]"
            if rule.on not in _EVENT_KINDS:
                out.append(
                    Problem(
                        f"{where}.on",
                        f"names {quoted(rule.on)}, which is no event kind",
                        f"use one of {quoted_names(_EVENT_KINDS, limit=len(_EVENT_KINDS))}",
                    )
                )
            out += [
                Problem(
                    f"{where}.recipients",
                    f"names unknown recipient {quoted(kind)}",
                    "use 'requester', 'assignee', 'group' or 'field:<name>'",
                )
                for kind in rule.recipients
                if kind not in _RECIPIENTS
                and not (kind.startswith(_FIELD) and len(kind) > len(_FIELD))
            ]
            if rule.statuses and rule.on not in _BY_STATUS and rule.on in _EVENT_KINDS:
                out.append(
                    Problem(
                        f"{where}.statuses",
                        f"limits a {quoted(rule.on)} rule to statuses, so it never matches",
                        f"use on={quoted(_STATUS_CHANGED)} or {quoted(_PERFORMED)}, or leave "
                        "statuses out",
                    )
                )
            out += [
                Problem(
                    f"{where}.statuses",
                    f"names status {quoted(name)}, which workflow {quoted(workflow.name)} "
                    "does not define",
                    f"use one of {quoted_names(statuses, limit=_SHOWN)}",
                )
                for name in sorted(rule.statuses)
                if workflow is not None and not workflow.has_status(name)
            ]
        return out


@final
@attrs.frozen
class Notification:
    """Tell ``recipient`` (an id, reached as ``kind``) about ``event`` with ``message``."""

    recipient: str
    kind: str
    message: str
    event: Event


def notifications_of(
    policy: NotificationPolicy, ticket: Ticket, events: Iterable[Event]
) -> tuple[Notification, ...]:
    """Whom ``policy`` notifies about ``events`` (one outcome's, ``ticket`` after them),
    and with which message: :func:`ticketflow.notifications` on the desk's policy."""
    out: list[Notification] = []
    for event in events:
        for rule in policy.rules:
            if not rule.matches(event):
                continue
            for kind in rule.recipients:
                recipient = _resolve(kind, ticket)
                if recipient is None or recipient == event.actor.id:
                    continue
                if kind == REQUESTER and not _reaches_requester(event, ticket):
                    continue
                out.append(Notification(recipient, kind, rule.message, event))
    return tuple(out)


def _resolve(kind: str, ticket: Ticket) -> str | None:
    if kind == REQUESTER:
        return ticket.requester
    if kind == ASSIGNEE:
        return ticket.assignee
    if kind == GROUP:
        return ticket.group
    if kind.startswith(_FIELD):
        value = ticket.fields.get(kind.removeprefix(_FIELD))
        return value if isinstance(value, str) and value else None
    return None


def _reaches_requester(event: Event, ticket: Ticket) -> bool:
    if ticket.notifications_muted:
        return False
    if isinstance(event, ReplyAdded) and not event.public:
        return False
    return not (isinstance(event, ReminderSent) and not event.to_requester)
