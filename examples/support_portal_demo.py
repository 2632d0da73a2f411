"""The scripted life of one ticket through the support-portal preset.

Run: ``python examples/support_portal_demo.py``

The host's part is all here: it keeps the ticket and its events in memory (a real host
would store them), passes the instant of every command (a real host would read its
clock), and prints each event instead of mailing anyone.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from ticketflow import (
    CHANGED_SCOPE,
    RAISE_PRIORITY,
    SLA_VIOLATION,
    Actor,
    Assign,
    Command,
    CommandRefusedError,
    Escalate,
    Event,
    FieldChanged,
    MuteNotifications,
    NotificationsMuted,
    NotificationsUnmuted,
    OpenTicket,
    PerformAction,
    PriorityChanged,
    ReminderSent,
    Reply,
    ReplyAdded,
    SetField,
    SlaBreached,
    SlaClockPaused,
    SlaClockResumed,
    SlaClockStarted,
    SlaClockStopped,
    SlaTargetChanged,
    SlaWarningReached,
    StatusChanged,
    SupportLevelChanged,
    Ticket,
    TicketAssigned,
    TicketEscalated,
    TicketOpened,
    TicketReopened,
    allowed_actions,
    handle,
    notifications,
    replay,
    sla_status,
    tick,
)
from ticketflow.presets import support_portal

BERLIN = ZoneInfo("Europe/Berlin")


def describe(event: Event) -> str:
    """One readable line per event."""
    match event:
        case TicketOpened():
            what = f"opened {event.subject!r} for {event.requester} in {event.status}"
        case StatusChanged():
            step = "then" if event.chained else event.action
            why = f" ({event.reason})" if event.reason else ""
            what = f"{step}: {event.source} -> {event.target}{why}"
        case TicketReopened():
            what = f"reopened: {event.source} -> {event.target}"
        case ReplyAdded():
            kind = "replied" if event.public else "noted internally"
            what = f"{kind}: {event.body!r}"
        case TicketAssigned():
            what = f"assigned to {event.assignee} in group {event.group}"
        case PriorityChanged():
            what = f"priority {event.source} -> {event.target}"
        case NotificationsMuted():
            what = "pressed Don't notify me"
        case NotificationsUnmuted():
            what = "turned notifications back on"
        case FieldChanged():
            what = f"set {event.name} = {event.value!r}"
        case TicketEscalated():
            what = f"escalated ({event.reason}): {event.details}"
        case SupportLevelChanged():
            what = f"support level {event.source} -> {event.target}"
        case ReminderSent():
            who = "the requester" if event.to_requester else "nobody (muted)"
            what = f"reminded {who}: {event.action} due {event.due:%a %d %b %H:%M}"
        case SlaClockStarted() | SlaClockResumed():
            due = event.clock.due_at
            verb = "started" if isinstance(event, SlaClockStarted) else "resumed"
            what = f"SLA {event.clock.metric} {verb}, due {due:%a %d %b %H:%M %Z}" if due else ""
        case SlaClockPaused():
            what = f"SLA {event.clock.metric} paused after {event.clock.elapsed}"
        case SlaClockStopped():
            met = "met" if event.clock.breached_at is None else "late"
            what = f"SLA {event.clock.metric} stopped ({met}) after {event.clock.elapsed}"
        case SlaWarningReached():
            what = f"SLA {event.clock.metric} warning: {event.fraction:.0%} used"
        case SlaBreached():
            what = f"SLA {event.clock.metric} breached at {event.clock.breached_at:%H:%M}"
        case SlaTargetChanged():
            what = f"SLA {event.clock.metric} target now {event.clock.target}"
    stamp = event.at.astimezone(BERLIN).strftime("%a %d %b %H:%M %Z")
    return f"  v{event.version:<3} {stamp}  {event.actor.id:<6} {what}"


def main() -> None:
    desk = support_portal.desk()
    alice = Actor.customer("alice")
    bob = Actor.agent("bob")
    start = datetime(2026, 3, 2, 9, 0, tzinfo=BERLIN)
    history: list[Event] = []
    ticket: Ticket | None = None

    def at(minutes: int) -> datetime:
        return start + timedelta(minutes=minutes)

    def sweep(now: datetime) -> None:
        """What the host's one timer does: apply every rule due by ``now``."""
        nonlocal ticket
        if ticket is not None:
            outcome = tick(desk, ticket, now)
            ticket = outcome.ticket
            history.extend(outcome.events)
            for event in outcome.events:
                print(describe(event))

    def send(command: Command) -> None:
        nonlocal ticket
        sweep(command.at)
        try:
            outcome = handle(desk, ticket, command)
        except CommandRefusedError as refusal:
            print(f"  refused  {type(refusal).__name__}: {refusal}")
            return
        ticket = outcome.ticket
        history.extend(outcome.events)
        for event in outcome.events:
            print(describe(event))
        told = [f"{n.recipient} ({n.message})" for n in notifications(desk, outcome)]
        if told:
            print(f"{'':10}notify: {', '.join(told)}")

    print("A customer opens a request; an agent takes it.")
    send(OpenTicket(at=at(0), actor=alice, ticket_id="T-1001", subject="Extension 204 is silent"))
    send(Assign(at=at(5), actor=bob, assignee="bob", group="voice"))
    send(SetField(at=at(6), actor=bob, name="product", value="PBX Cloud"))

    print("\nThe agent answers and waits on the customer: the resolution clock pauses.")
    send(Reply(at=at(20), actor=bob, body="Could you make a test call to 204?"))
    send(PerformAction(at=at(21), actor=bob, action="request_information", reason="test call"))
    send(Reply(at=at(80), actor=alice, body="Test call done: it rings once, then silence."))

    assert ticket is not None
    print("\nThe SLA as of ten minutes later:")
    for metric in sla_status(desk, ticket, at(90)):
        due = f", due {metric.due_at:%a %H:%M %Z}" if metric.due_at else ""
        print(f"  {metric.metric:15} {metric.state:8} elapsed {metric.elapsed}{due}")

    print("\nThe customer's buttons now:")
    for option in allowed_actions(desk, ticket, alice):
        mark = "yes" if option.allowed else "no "
        asks = f" (asks for: {', '.join(option.asks_for)})" if option.asks_for else ""
        print(f"  [{mark}] {option.label}{asks}")

    print("\nEscalating to raise the priority is refused; so is an SLA reason the clocks do")
    print("not back; the changed scope is accepted.")
    send(Escalate(at=at(118), actor=alice, reason=RAISE_PRIORITY))
    send(Escalate(at=at(119), actor=alice, reason=SLA_VIOLATION))
    escalation = "now all internal numbers are down, not only 204"
    send(Escalate(at=at(121), actor=alice, reason=CHANGED_SCOPE, details=escalation))
    send(PerformAction(at=at(130), actor=bob, action="investigate"))
    send(PerformAction(at=at(200), actor=bob, action="put_on_hold", reason="SIP provider"))
    day = 24 * 60
    send(PerformAction(at=at(day), actor=bob, action="start_work"))
    send(Reply(at=at(day + 30), actor=bob, body="The provider fixed the trunk. Confirm?"))
    send(PerformAction(at=at(day + 31), actor=bob, action="propose_resolution"))

    print("\nThe customer stops notifications, then approves in a comment.")
    send(MuteNotifications(at=at(day + 40), actor=alice))
    approval = "Everything works, the request can be closed."
    send(Reply(at=at(day + 45), actor=alice, body=approval, approves_resolution=True))

    print("\nClosed is final: a new question needs a new request.")
    send(Reply(at=at(3 * day), actor=alice, body="One more question..."))

    assert ticket is not None
    assert replay(history) == ticket
    print(
        f"\nReplaying the {len(history)} stored events gives back the same ticket "
        f"(status {ticket.status}, version {ticket.version})."
    )


if __name__ == "__main__":
    main()
