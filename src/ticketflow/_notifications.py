"""Notifications: who should hear about an event, and with which message.

ticketflow never sends anything. A :class:`NotificationPolicy` maps events to
recipients (the requester, the assignee, the group, or a person named in a custom
field) and to a message key the host translates into mail or chat. A requester who
pressed "Don't notify me" receives nothing from that ticket, nobody is told about their
own action, and internal notes never reach the requester.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final, final

import attrs

from ticketflow._checks import items_of, names, require_str, sequence
from ticketflow._events import Event, ReminderSent, ReplyAdded, StatusChanged
from ticketflow._ticket import Ticket

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
        on: an event class name (``"ReplyAdded"``, ``"StatusChanged"``, ...).
        recipients: ``"requester"``, ``"assignee"``, ``"group"``, or
            ``"field:<name>"`` for the person a custom field names.
        message: the host's message key.
        statuses: for ``StatusChanged``, only changes into these statuses (all if empty).
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
        return not self.statuses or (
            isinstance(event, StatusChanged) and event.target in self.statuses
        )


def _rules(value: Iterable[NotificationRule]) -> tuple[NotificationRule, ...]:
    return items_of("NotificationPolicy rules", NotificationRule, value)


@final
@attrs.frozen
class NotificationPolicy:
    """The desk's notification rules (none by default)."""

    rules: tuple[NotificationRule, ...] = attrs.field(default=(), converter=_rules)


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


def rule_problems(policy: NotificationPolicy) -> list[str]:
    """Recipient kinds the policy names that mean nothing (for the desk's checks)."""
    known = {REQUESTER, ASSIGNEE, GROUP}
    return [
        kind
        for rule in policy.rules
        for kind in rule.recipients
        if kind not in known and not (kind.startswith(_FIELD) and len(kind) > len(_FIELD))
    ]
