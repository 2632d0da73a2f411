"""A host tests its own desk with ticketflow.testing, in a few lines.

The desk is the hosting portal with one rule of the host's own: only the desk's staff
close a ticket (a customer answers, the desk decides it is done). The host subclasses
``DeskStateMachine`` with its desk and adds that rule as an invariant; Hypothesis then
drives tickets through every action ``allowed_actions`` offers, invalid commands, time
jumps and sweeps, and checks the library's invariants and the host's after each step.

Run it with pytest (``pytest examples/test_my_desk.py``), or as a script: it runs the
state machine on the desk, then on a mutant desk whose workflow lets a customer close
a ticket, and shows that the kit catches the mutant.
"""

from __future__ import annotations

from typing import Any

from hypothesis import Phase, Verbosity, settings
from hypothesis.stateful import invariant

from ticketflow import CUSTOMER, Category, Desk, StatusChanged
from ticketflow.presets import hosting_portal
from ticketflow.testing import DeskStateMachine


def my_desk() -> Desk:
    """The host's desk: the hosting portal as it ships."""
    return hosting_portal.desk()


def mutant_desk() -> Desk:
    """The desk with a deliberately broken rule: a customer may close her ticket."""
    document: dict[str, Any] = my_desk().to_document()
    close = next(t for t in document["workflow"]["transitions"] if t["action"] == "close")
    close["roles"] = [*close["roles"], CUSTOMER]
    return Desk.from_document(document)


class MyDesk(DeskStateMachine):
    """The kit's rules and invariants on the host's desk, and one invariant of its own."""

    desk = my_desk()

    @invariant()
    def only_staff_close_a_ticket(self) -> None:
        """No customer ever moved a ticket into a closed status."""
        closed = {s.name for s in self.desk.workflow.statuses if s.category == Category.CLOSED}
        for events in self.events.values():
            for event in events:
                if isinstance(event, StatusChanged) and event.target in closed:
                    assert event.actor.role != CUSTOMER, f"a customer closed it: {event!r}"


class MutantDesk(MyDesk):
    """The same test on the mutant desk: it must fail."""

    desk = mutant_desk()


# Sized for the suite; HYPOTHESIS_PROFILE=thorough (tests/conftest.py) explores more.
SMALL = settings(max_examples=25, stateful_step_count=20, deadline=None, database=None)
TestMyDesk = MyDesk.TestCase
TestMyDesk.settings = SMALL


if __name__ == "__main__":
    from hypothesis.stateful import run_state_machine_as_test

    run_state_machine_as_test(MyDesk, settings=SMALL)
    print("my desk: every invariant held")
    # Finding is enough: no shrinking, no report of the failing program.
    find = settings(SMALL, phases=[Phase.generate], verbosity=Verbosity.quiet, print_blob=False)
    try:
        run_state_machine_as_test(MutantDesk, settings=find)
    except AssertionError as caught:
        print(f"the mutant desk: caught, {str(caught).partition(':')[0]}")
    else:
        raise SystemExit("the mutant desk passed: the test misses the broken rule")
