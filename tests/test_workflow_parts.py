"""Tests for ``ticketflow._workflow_parts``: the statuses, transitions, reactions and
timers a workflow is built from, and the defaults each derives."""

from __future__ import annotations

from datetime import timedelta

from ticketflow import BusinessDays, Category, Reaction, Status, Timer, Transition


class TestStatus:
    def test_a_status_label_defaults_to_its_name(self) -> None:
        """A status without a label shows its name."""
        expected = "open"

        assert expected == Status("open", Category.ACTIVE).label

    def test_only_closed_statuses_are_terminal_by_default(self) -> None:
        """A status is terminal by default exactly when its category is closed."""
        expected = {c.value: c is Category.CLOSED for c in Category}

        actual = {c.value: Status("s", c).terminal for c in Category}

        assert expected == actual

    def test_a_category_is_stored_as_its_plain_string(self) -> None:
        """A status given a Category keeps the category's plain string value."""
        category = Status("open", Category.ACTIVE).category

        assert (str, "active") == (type(category), category)


class TestTransition:
    def test_a_lone_string_is_one_source_not_its_letters(self) -> None:
        """A transition given a single source string has that one source."""
        expected = frozenset({"open"})

        assert expected == Transition(action="a", sources="open", target="x", roles="agent").sources

    def test_a_transition_label_defaults_to_its_action(self) -> None:
        """A transition without a label shows its action's name."""
        transition = Transition(action="close", sources="open", target="x", roles="agent")

        assert "close" == transition.label

    def test_a_transition_has_requirements_when_it_asks_for_anything(self) -> None:
        """A transition has requirements exactly when it needs a reason, a field or an
        assignee."""
        expected = [False, True, True, True]

        actual = [
            Transition(action="a", sources="o", target="x", roles="agent"),
            Transition(action="a", sources="o", target="x", roles="agent", requires_reason=True),
            Transition(action="a", sources="o", target="x", roles="agent", requires_fields="f"),
            Transition(action="a", sources="o", target="x", roles="agent", requires_assignee=True),
        ]

        assert expected == [t.has_requirements for t in actual]

    def test_follow_on_statuses_keep_their_order(self) -> None:
        """A transition's follow-on statuses are a tuple in the order given."""
        expected = ("resolved", "closed")

        actual = Transition(
            action="a", sources="open", target="x", roles="agent", then=["resolved", "closed"]
        ).then

        assert expected == actual


class TestReaction:
    def test_a_reaction_reopens_at_any_time_by_default(self) -> None:
        """A reaction has no reopen window unless it is given one."""
        assert Reaction(on="customer_reply", sources="closed", target="open").within is None


class TestTimer:
    def test_a_timer_runs_from_entering_its_status_by_default(self) -> None:
        """A timer is measured from entering its status unless told otherwise."""
        timer = Timer(name="t", statuses="open", after=timedelta(hours=2), action="close")

        assert ("entered", "2:00:00 in the status") == (timer.since, timer.reason)

    def test_a_customer_activity_timer_says_so_in_its_reason(self) -> None:
        """A timer restarted by customer activity gives 'no customer response' as reason."""
        timer = Timer(
            name="t",
            statuses="solved",
            after=BusinessDays(3),
            action="close",
            since="customer_activity",
        )

        assert "no customer response for 3 business days" == timer.reason

    def test_reminders_are_a_tuple_in_the_order_given(self) -> None:
        """A timer's reminder leads are kept as a tuple, in order."""
        leads = [BusinessDays(2), BusinessDays(1)]

        timer = Timer(name="t", statuses="open", after=BusinessDays(3), action="a", reminders=leads)

        assert tuple(leads) == timer.reminders
