"""Tests for ``ticketflow._workflow_checks``: every problem a workflow definition can
have, each reported with its fix."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Final

import attrs
import pytest

from ticketflow import (
    BusinessCalendar,
    BusinessDays,
    BusinessTime,
    CalendarDays,
    Category,
    InvalidTypeError,
    Problem,
    Reaction,
    Status,
    Timer,
    Transition,
    Workflow,
    WorkflowDefinitionError,
)
from ticketflow._durations import MAX_DURATION_DAYS, Duration, check_duration, describe, shift
from ticketflow._errors import CalendarRangeError, quoted
from ticketflow._vocabulary import SINCE_ENTERED
from ticketflow._workflow import timer_cycle_problems, timer_problems
from ticketflow._workflow_checks import MAX_NAME_LENGTH, workflow_problems
from workflow_examples import REACTIONS, STATUSES, TRANSITIONS, build, problems_of

PING = Status("ping", Category.ACTIVE)


PONG = Status("pong", Category.ACTIVE)


PING_PONG = (
    Transition(action="play", sources="open", target="ping", roles="agent"),
    Transition(action="to_pong", sources="ping", target="pong", roles="system"),
    Transition(action="to_ping", sources="pong", target="ping", roles="system"),
    Transition(action="finish", sources={"ping", "pong"}, target="done", roles="agent"),
)


def ping_pong(after: timedelta, since: str = SINCE_ENTERED) -> tuple[Timer, ...]:
    return (
        Timer(name="ping", statuses="ping", after=after, action="to_pong", since=since),
        Timer(name="pong", statuses="pong", after=after, action="to_ping", since=since),
    )


def whats(problems: tuple[Problem, ...] | list[Problem]) -> list[tuple[str, str]]:
    return [(p.where, p.what) for p in problems]


class TestValidation:
    def test_duplicate_status(self) -> None:
        """A status declared twice is reported."""
        expected = (Problem("status 'open'", "is defined twice", "give each status a unique name"),)

        assert expected == problems_of(statuses=(*STATUSES, Status("open", Category.ON_HOLD)))

    def test_empty_status_name(self) -> None:
        """A status with an empty name is reported."""
        problems = problems_of(statuses=(*STATUSES, Status("", Category.ACTIVE)))

        assert Problem("a status", "has an empty name", "give every status a name") in problems

    def test_no_statuses(self) -> None:
        """A workflow without statuses is reported as such."""
        problems = problems_of(statuses=(), transitions=(), reactions=())

        assert (
            Problem(
                "workflow 'tiny'",
                "has no statuses",
                "declare at least an initial and a closed status",
            )
            in problems
        )

    def test_unknown_category(self) -> None:
        """A status with a category outside the seven known ones is reported."""
        statuses = (*STATUSES[:3], Status("done", "finished", terminal=True))

        (problem,) = problems_of(statuses=statuses)

        expected = ("status 'done'", "has unknown category 'finished'")
        assert expected == (problem.where, problem.what)
        assert "use one of active, canceled, closed" in problem.fix

    def test_terminal_status_with_a_non_closed_category(self) -> None:
        """A terminal status whose category is neither closed nor canceled is reported."""
        statuses = (*STATUSES[:3], Status("done", Category.RESOLVED, terminal=True))

        (problem,) = problems_of(statuses=statuses)

        expected = ("status 'done'", "is terminal but its category is 'resolved'")
        assert expected == (problem.where, problem.what)
        assert "set terminal=False" in problem.fix

    def test_terminal_canceled_status_is_accepted(self) -> None:
        """A canceled status may be declared terminal."""
        statuses = (*STATUSES, Status("dropped", Category.CANCELED, terminal=True))
        close = Transition(action="drop", sources="open", target="dropped", roles="agent")

        assert (
            build(statuses=statuses, transitions=(*TRANSITIONS, close)).status("dropped").terminal
        )

    def test_unknown_initial_status(self) -> None:
        """An initial status the workflow does not declare is reported with the choices."""
        expected = Problem(
            "workflow 'tiny'",
            "the initial status 'nowhere' is not a status of the workflow",
            "set initial to one of 'done', 'new', 'open', 'waiting'",
        )

        assert expected in problems_of(initial="nowhere")

    def test_terminal_initial_status(self) -> None:
        """A workflow that starts in a terminal status is reported."""
        expected = Problem(
            "workflow 'tiny'", "the initial status 'done' is terminal", "start in a working status"
        )

        assert expected in problems_of(initial="done")

    def test_transition_with_unknown_source(self) -> None:
        """A transition from a status that does not exist is reported."""
        bad = Transition(action="go", sources={"open", "limbo"}, target="done", roles="agent")

        (problem,) = problems_of(transitions=(*TRANSITIONS, bad))

        expected = Problem(
            "transition 'go'",
            "names unknown source status 'limbo'",
            "declare a status 'limbo' or use one of 'done', 'new', 'open', 'waiting'",
        )
        assert expected == problem

    def test_transition_with_unknown_target(self) -> None:
        """A transition into a status that does not exist is reported."""
        bad = Transition(action="go", sources="open", target="limbo", roles="agent")

        (problem,) = problems_of(transitions=(*TRANSITIONS, bad))

        expected = "names unknown target status 'limbo'"
        assert expected == problem.what

    def test_transition_with_unknown_follow_on(self) -> None:
        """A transition chaining on to a status that does not exist is reported."""
        bad = Transition(action="go", sources="open", target="waiting", roles="agent", then="limbo")

        (problem,) = problems_of(transitions=(*TRANSITIONS, bad))

        expected = "names unknown follow-on status 'limbo'"
        assert expected == problem.what

    def test_transition_with_empty_action_name(self) -> None:
        """A transition without an action name is reported."""
        bad = Transition(action="", sources="open", target="done", roles="agent")

        expected = Problem("a transition", "has an empty action name", "name every action")

        assert expected in problems_of(transitions=(*TRANSITIONS, bad))

    def test_transition_without_sources(self) -> None:
        """A transition that starts from no status is reported."""
        bad = Transition(action="go", sources=(), target="done", roles="agent")

        expected = Problem(
            "transition 'go'", "has no source statuses", "list the statuses it may start from"
        )

        assert (expected,) == problems_of(transitions=(*TRANSITIONS, bad))

    def test_transition_leaving_a_terminal_status(self) -> None:
        """A transition out of a terminal status is reported; only reopen reactions may."""
        bad = Transition(action="revive", sources="done", target="open", roles="agent")

        (problem,) = problems_of(transitions=(*TRANSITIONS, bad))

        expected = ("transition 'revive'", "leaves terminal status 'done'")
        assert expected == (problem.where, problem.what)
        assert "declared reopen reaction" in problem.fix

    def test_transition_with_no_roles(self) -> None:
        """A transition nobody may perform is reported."""
        bad = Transition(action="go", sources="open", target="done", roles=())

        expected = Problem(
            "transition 'go'", "allows no role", "list the roles that may perform it"
        )

        assert (expected,) == problems_of(transitions=(*TRANSITIONS, bad))

    def test_transition_allowing_the_anonymous_role(self) -> None:
        """A transition open to the anonymous role is reported."""
        bad = Transition(action="go", sources="open", target="done", roles={"agent", "anonymous"})

        expected = Problem(
            "transition 'go'",
            "allows the 'anonymous' role, which may do nothing",
            "remove 'anonymous'; authenticate the actor first",
        )

        assert (expected,) == problems_of(transitions=(*TRANSITIONS, bad))

    def test_ambiguous_duplicate_transition_for_overlapping_roles(self) -> None:
        """The same action declared twice from a status for a shared role is reported."""
        again = Transition(action="ask", sources="open", target="done", roles={"agent", "system"})

        expected = Problem(
            "transition 'ask'",
            "is declared twice from 'open' for roles 'agent'",
            "give each role at most one way to perform an action from a status",
        )

        assert (expected,) == problems_of(transitions=(*TRANSITIONS, again))

    def test_same_action_for_disjoint_roles_is_accepted(self) -> None:
        """The same action may be declared again from a status for other roles."""
        customers = Transition(action="ask", sources="open", target="done", roles="customer")

        wf = build(transitions=(*TRANSITIONS, customers))

        expected = 2
        assert expected == len(wf.transitions_from("open", "ask"))

    def test_chain_after_a_terminal_status(self) -> None:
        """A chain that goes on after reaching a terminal status is reported."""
        bad = Transition(
            action="go", sources="open", target="done", roles="agent", then=("waiting",)
        )

        expected = Problem(
            "transition 'go'",
            "chains on after terminal status 'done'",
            "end the chain at the terminal status",
        )

        assert (expected,) == problems_of(transitions=(*TRANSITIONS, bad))

    def test_required_field_with_empty_name(self) -> None:
        """A transition requiring a field with an empty name is reported."""
        bad = Transition(
            action="go", sources="open", target="done", roles="agent", requires_fields=("",)
        )

        expected = Problem(
            "transition 'go'", "requires a field with an empty name", "name the field"
        )

        assert (expected,) == problems_of(transitions=(*TRANSITIONS, bad))

    def test_reaction_with_unknown_trigger(self) -> None:
        """A reaction to something other than a customer or agent reply is reported."""
        bad = Reaction(on="full_moon", sources="open", target="waiting")

        expected = Problem(
            "reaction on 'full_moon'",
            "has unknown trigger 'full_moon'",
            "use one of customer_reply, agent_reply",
        )

        assert (expected,) == problems_of(reactions=(*REACTIONS, bad))

    def test_duplicate_reaction(self) -> None:
        """Two reactions to the same trigger in the same status are reported."""
        again = Reaction(on="customer_reply", sources="waiting", target="new")

        expected = Problem(
            "reaction on 'customer_reply'",
            "is declared twice for status 'waiting'",
            "keep one reaction per trigger and status",
        )

        assert (expected,) == problems_of(reactions=(*REACTIONS, again))

    def test_reaction_with_unknown_status(self) -> None:
        """A reaction from or to a status that does not exist is reported for each."""
        bad = Reaction(on="agent_reply", sources="limbo", target="purgatory")

        actual = [p.what for p in problems_of(reactions=(*REACTIONS, bad))]

        expected = [
            "names unknown source status 'limbo'",
            "names unknown target status 'purgatory'",
        ]
        assert expected == actual

    def test_reaction_without_sources(self) -> None:
        """A reaction that applies in no status is reported."""
        bad = Reaction(on="agent_reply", sources=(), target="open")

        expected = Problem(
            "reaction on 'agent_reply'",
            "has no source statuses",
            "list the statuses it applies in",
        )

        assert (expected,) == problems_of(reactions=(*REACTIONS, bad))

    def test_reopen_reaction_from_a_terminal_status_is_accepted(self) -> None:
        """A reaction out of a terminal status is a declared reopen and is accepted."""
        reopen = Reaction(on="customer_reply", sources="done", target="open")

        expected = reopen

        assert expected == build(reactions=(*REACTIONS, reopen)).reaction("done", "customer_reply")

    def test_unreachable_status(self) -> None:
        """A status no transition or reaction leads to is reported."""
        statuses = (*STATUSES, Status("island", Category.ACTIVE))
        leave = Transition(action="leave", sources="island", target="done", roles="agent")

        expected = Problem(
            "status 'island'",
            "is unreachable from the initial status 'new'",
            "add a transition into it or remove it",
        )

        assert (expected,) == problems_of(statuses=statuses, transitions=(*TRANSITIONS, leave))

    def test_a_status_reached_only_by_a_chain_is_reachable(self) -> None:
        """A status entered only as a follow-on step of a chain counts as reachable."""
        statuses = (*STATUSES, Status("dropped", Category.CANCELED))
        drop = Transition(
            action="drop", sources="open", target="dropped", roles="customer", then="done"
        )

        assert build(statuses=statuses, transitions=(*TRANSITIONS, drop)).has_status("dropped")

    def test_dead_end(self) -> None:
        """A non-terminal status with no way out is reported."""
        statuses = (*STATUSES, Status("stuck", Category.ON_HOLD))
        enter = Transition(action="park", sources="open", target="stuck", roles="agent")

        expected = Problem(
            "status 'stuck'",
            "is a dead end: no transition or reaction leaves it",
            "add a transition out of it, or mark it terminal if it is a closed status",
        )

        assert (expected,) == problems_of(statuses=statuses, transitions=(*TRANSITIONS, enter))

    def test_a_status_left_only_by_a_reaction_is_no_dead_end(self) -> None:
        """A status a reply reaction leaves is not a dead end."""
        transitions = (
            TRANSITIONS[0],
            TRANSITIONS[1],
            Transition(action="close", sources={"new", "open"}, target="done", roles="agent"),
        )

        assert build(transitions=transitions).reaction("waiting", "customer_reply") is not None

    def test_empty_priorities(self) -> None:
        """A workflow without priorities is reported."""
        expected = (
            Problem("workflow 'tiny'", "has no priorities", "list the priorities, lowest first"),
        )

        assert expected == problems_of(priorities=())

    def test_duplicate_priorities(self) -> None:
        """A priority listed twice is reported."""
        expected = (
            Problem("workflow 'tiny'", "lists a priority twice", "list each priority once"),
        )

        assert expected == problems_of(priorities=("low", "normal", "low"))

    def test_bad_default_priority(self) -> None:
        """A default priority that is not one of the priorities is reported with the choices."""
        expected = (
            Problem(
                "workflow 'tiny'",
                "the default priority 'urgent' is not one of its priorities",
                "use one of 'low', 'normal'",
            ),
        )

        assert expected == problems_of(priorities=("low", "normal"), default_priority="urgent")

    def test_bad_approval_action(self) -> None:
        """An approval action the workflow does not define is reported."""
        (problem,) = problems_of(approval_action="approve")

        expected = "the approval action 'approve' is not an action of the workflow"
        assert expected == problem.what
        assert "customers may perform" in problem.fix

    def test_approval_action_customers_cannot_perform(self) -> None:
        """An approval action that no customer transition offers is reported."""
        expected = (
            Problem(
                "workflow 'tiny'",
                "customers may not perform the approval action 'ask'",
                "add 'customer' to that transition's roles",
            ),
        )

        assert expected == problems_of(approval_action="ask")

    def test_several_problems_are_all_reported_together(self) -> None:
        """Every problem of a broken workflow is reported in one error, each with a fix."""
        statuses = (*STATUSES, Status("open", Category.ACTIVE), Status("odd", "weird"))
        transitions = (
            *TRANSITIONS,
            Transition(action="revive", sources="done", target="limbo", roles=()),
        )

        with pytest.raises(WorkflowDefinitionError) as raised:
            build(
                statuses=statuses,
                transitions=transitions,
                initial="nowhere",
                priorities=("low", "low"),
                default_priority="urgent",
                approval_action="teleport",
            )

        problems = raised.value.problems
        expected_whats = {
            "is defined twice",
            "has unknown category 'weird'",
            "the initial status 'nowhere' is not a status of the workflow",
            "allows no role",
            "leaves terminal status 'done'",
            "names unknown target status 'limbo'",
            "is a dead end: no transition or reaction leaves it",
            "lists a priority twice",
            "the default priority 'urgent' is not one of its priorities",
            "the approval action 'teleport' is not an action of the workflow",
        }
        assert expected_whats <= {p.what for p in problems}
        assert all(p.fix for p in problems)
        assert f"invalid workflow: {len(problems)} problems" in str(raised.value)
        assert all(str(p) in str(raised.value) for p in problems)


class TestScale:
    def test_a_problem_about_an_unknown_status_quotes_a_few_statuses_and_a_count(self) -> None:
        """A problem naming an unknown status suggests a few statuses, not all of them."""
        statuses = (*STATUSES, *(Status(f"extra{i}", Category.ACTIVE) for i in range(300)))
        transitions = (
            *TRANSITIONS,
            Transition(action="go", sources="open", target="nowhere", roles="agent"),
        )

        with pytest.raises(WorkflowDefinitionError) as raised:
            build(statuses=statuses, transitions=transitions)

        (problem,) = [p for p in raised.value.problems if "unknown target" in p.what]
        assert "and 296 more" in problem.fix
        assert len(str(problem)) < 300

    def test_every_problem_line_of_many_unknown_targets_stays_short(self) -> None:
        """Thousands of unknown targets give thousands of short problems, not a huge report."""
        names = [f"s{i}" for i in range(2_000)]
        statuses = (*(Status(n, Category.ACTIVE) for n in names), Status("done", Category.CLOSED))
        transitions = tuple(
            Transition(action=f"a{i}", sources=n, target=f"missing{i}", roles="agent")
            for i, n in enumerate(names)
        )

        with pytest.raises(WorkflowDefinitionError) as raised:
            Workflow(name="big", statuses=statuses, initial="s0", transitions=transitions)

        assert 300 > max(len(str(p)) for p in raised.value.problems)
        assert 50_000 > len(str(raised.value))


class TestTerminalReachability:
    def test_a_self_loop_status_that_cannot_reach_a_terminal_status_is_refused(self) -> None:
        """A status whose only way out leads back to itself is reported with its fix."""
        statuses = (*STATUSES, Status("stuck", Category.ON_HOLD))
        transitions = (
            *TRANSITIONS,
            Transition(action="park", sources="open", target="stuck", roles="agent"),
            Transition(action="poke", sources="stuck", target="stuck", roles="agent"),
        )
        expected = [
            Problem(
                "status 'stuck'",
                "cannot reach a closed, canceled or terminal status: every way out "
                "of it leads back to statuses that cannot close",
                "add a transition from it (or from a status it leads to) toward a "
                "closed or canceled status",
            )
        ]

        assert expected == list(problems_of(statuses=statuses, transitions=transitions))

    def test_a_cycle_with_no_exit_is_refused_naming_every_status_in_it(self) -> None:
        """Both statuses of a cycle that never leads to a terminal status are reported."""
        statuses = (*STATUSES, Status("stuck", Category.ON_HOLD), Status("limbo", Category.ON_HOLD))
        transitions = (
            *TRANSITIONS,
            Transition(action="park", sources="open", target="stuck", roles="agent"),
            Transition(action="drift", sources="stuck", target="limbo", roles="agent"),
            Transition(action="back", sources="limbo", target="stuck", roles="agent"),
        )

        problems = problems_of(statuses=statuses, transitions=transitions)

        assert ["status 'stuck'", "status 'limbo'"] == [p.where for p in problems]
        assert all(
            p.what.startswith("cannot reach a closed, canceled or terminal status")
            for p in problems
        )

    def test_a_status_left_toward_closing_only_by_a_reaction_is_accepted(self) -> None:
        """A reply reaction counts as a way toward a terminal status."""
        statuses = (*STATUSES, Status("parked", Category.ON_HOLD))
        transitions = (
            *TRANSITIONS,
            Transition(action="park", sources="open", target="parked", roles="agent"),
            Transition(action="poke", sources="parked", target="parked", roles="agent"),
        )
        reactions = (*REACTIONS, Reaction(on="customer_reply", sources="parked", target="open"))

        wf = build(statuses=statuses, transitions=transitions, reactions=reactions)

        assert wf.has_status("parked")

    def test_a_workflow_without_any_terminal_status_is_reported_once(self) -> None:
        """A workflow that has no terminal status gets one problem, not one per status."""
        statuses = (Status("new", Category.NEW), Status("open", Category.ACTIVE))
        transitions = (
            Transition(action="start", sources="new", target="open", roles="agent"),
            Transition(action="back", sources="open", target="new", roles="agent"),
        )
        expected = [
            (
                "workflow 'tiny'",
                "has no closed, canceled or terminal status, so no ticket can ever close",
            )
        ]

        assert expected == whats(
            problems_of(statuses=statuses, transitions=transitions, reactions=())
        )


HOSTILE_NAMES: Final = (
    "a\nb",
    "a\x00b",
    "a\u200bb",
    "a\u2028b",
    "a\u2029b",
    "\u00adsoft",
    " open",
    "open ",
    "x" * (MAX_NAME_LENGTH + 1),
)


class TestNames:
    @pytest.mark.parametrize("name", HOSTILE_NAMES)
    def test_a_malformed_status_name_is_refused(self, name: str) -> None:
        """A status name with a control, format or separator character, outer whitespace or
        too many characters is refused."""
        statuses = (*STATUSES, Status(name, Category.ACTIVE))
        transitions = (
            *TRANSITIONS,
            Transition(action="odd", sources="open", target=name, roles="agent"),
            Transition(action="even", sources=name, target="done", roles="agent"),
        )

        problems = problems_of(statuses=statuses, transitions=transitions)

        assert [f"status {quoted(name)}"] == [p.where for p in problems]
        assert problems[0].what.startswith("its name ")

    @pytest.mark.parametrize("name", HOSTILE_NAMES)
    def test_a_malformed_action_name_is_refused(self, name: str) -> None:
        """An action name with hostile characters or outer whitespace is refused."""
        transitions = (
            *TRANSITIONS,
            Transition(action=name, sources="open", target="done", roles="agent"),
        )

        problems = problems_of(transitions=transitions)

        assert [f"transition {quoted(name)}"] == [p.where for p in problems]

    @pytest.mark.parametrize("name", HOSTILE_NAMES)
    def test_a_malformed_timer_name_is_refused(self, name: str) -> None:
        """A timer name with hostile characters or outer whitespace is refused."""
        transitions = (
            *TRANSITIONS,
            Transition(action="drop", sources="waiting", target="done", roles="system"),
        )
        timer = Timer(name=name, statuses="waiting", after=timedelta(days=1), action="drop")

        problems = problems_of(transitions=transitions, timers=(timer,))

        assert [f"timer {quoted(name)}"] == [p.where for p in problems]

    @pytest.mark.parametrize("name", HOSTILE_NAMES)
    def test_a_malformed_priority_is_refused(self, name: str) -> None:
        """A priority with hostile characters or outer whitespace is refused."""
        problems = problems_of(priorities=("low", "normal", name))

        assert ["workflow 'tiny'"] == [p.where for p in problems]
        assert problems[0].what.startswith(f"the priority {quoted(name)}")

    def test_a_name_of_the_maximum_length_is_accepted(self) -> None:
        """A status name of exactly the documented maximum length is accepted."""
        name = "x" * MAX_NAME_LENGTH
        statuses = (*STATUSES, Status(name, Category.ACTIVE))
        transitions = (
            *TRANSITIONS,
            Transition(action="odd", sources="open", target=name, roles="agent"),
            Transition(action="even", sources=name, target="done", roles="agent"),
        )

        assert build(statuses=statuses, transitions=transitions).has_status(name)

    @pytest.mark.parametrize("role", ["Agent", "agent ", "", "sup\u200bport", "9lives"])
    def test_a_malformed_role_in_a_transition_is_refused(self, role: str) -> None:
        """A transition naming a malformed role gets a problem naming that role."""
        transitions = (
            *TRANSITIONS,
            Transition(action="drop", sources="open", target="done", roles={"agent", role}),
        )

        problems = problems_of(transitions=transitions)

        assert ["transition 'drop'"] == [p.where for p in problems]
        assert quoted(role) in problems[0].what

    def test_a_status_name_that_is_not_a_string_is_refused(self) -> None:
        """A status named by a number is reported, not crashed on."""
        statuses = (*STATUSES, Status(7, Category.ACTIVE))  # type: ignore[arg-type]

        problems = problems_of(statuses=statuses)

        assert any(p.what.startswith("its name must be a string") for p in problems)


class TestDurations:
    def test_a_tiny_negative_duration_reads_as_negative(self) -> None:
        """A few negative microseconds read as such, not as 'minus one day plus ...'."""
        assert "-6 µs" == describe(timedelta(minutes=-1e-7))

    def test_a_negative_business_time_reads_as_negative(self) -> None:
        """Negative business time reads with a leading minus."""
        assert "-1:30:00 of business time" == describe(BusinessTime(timedelta(minutes=-90)))

    def test_a_tiny_negative_timer_wait_is_reported_as_negative(self) -> None:
        """A timer waiting {'minutes': -1e-7} is reported as a negative duration."""
        transitions = (
            *TRANSITIONS,
            Transition(action="drop", sources="waiting", target="done", roles="system"),
        )
        timer = Timer(
            name="drop", statuses="waiting", after=timedelta(minutes=-1e-7), action="drop"
        )
        expected = [("timer 'drop'", "its wait is negative (-6 µs)")]

        assert expected == whats(problems_of(transitions=transitions, timers=(timer,)))

    @pytest.mark.parametrize(
        "duration",
        [
            timedelta(days=MAX_DURATION_DAYS + 1),
            CalendarDays(MAX_DURATION_DAYS + 1),
            BusinessDays(10**20),
            BusinessTime(timedelta(days=MAX_DURATION_DAYS, microseconds=1)),
        ],
        ids=repr,
    )
    def test_a_duration_longer_than_the_maximum_is_refused(self, duration: Duration) -> None:
        """Every kind of duration is bounded by the documented maximum."""
        problem = check_duration("timer 'x'", duration, "its wait")

        assert problem is not None
        assert problem.what.startswith("its wait is longer than the maximum")

    @pytest.mark.parametrize(
        "duration",
        [
            timedelta(days=MAX_DURATION_DAYS),
            CalendarDays(MAX_DURATION_DAYS),
            BusinessDays(1),
            BusinessTime(timedelta(microseconds=1)),
        ],
        ids=repr,
    )
    def test_a_positive_duration_up_to_the_maximum_is_accepted(self, duration: Duration) -> None:
        """Positive durations up to the maximum pass the check."""
        assert check_duration("timer 'x'", duration, "its wait") is None

    @pytest.mark.parametrize(
        "duration",
        ["3 days", CalendarDays(True), BusinessTime(5), None],  # type: ignore[arg-type]
        ids=repr,
    )
    def test_something_that_is_not_a_duration_is_refused(self, duration: object) -> None:
        """A value that is not a duration is a problem, not a crash."""
        problem = check_duration("timer 'x'", duration, "its wait")

        assert problem is not None
        assert problem.what.startswith("its wait is not a duration")

    def test_a_huge_reopen_window_built_in_python_is_refused(self) -> None:
        """A reopen window beyond the maximum is reported when the workflow is built."""
        reopen = Reaction(
            on="customer_reply", sources="done", target="open", within=CalendarDays(10**9)
        )

        problems = problems_of(reactions=(*REACTIONS, reopen))

        assert ["reaction on 'customer_reply'"] == [p.where for p in problems]

    def test_shift_past_the_year_9999_raises_a_calendar_range_error(self) -> None:
        """Moving past the last instant datetime can hold is a typed range error."""
        calendar = BusinessCalendar.weekdays("Europe/Berlin", "09:00", "17:00")
        late = datetime(9999, 12, 20, 10, tzinfo=UTC)

        for duration in (timedelta(days=30), CalendarDays(30)):
            with pytest.raises(CalendarRangeError):
                shift(calendar, late, duration)

    def test_shift_before_the_year_1_raises_a_calendar_range_error(self) -> None:
        """Moving before the first instant datetime can hold is a typed range error."""
        calendar = BusinessCalendar.weekdays("Europe/Berlin", "09:00", "17:00")
        early = datetime(1, 1, 5, 10, tzinfo=UTC)

        with pytest.raises(CalendarRangeError):
            shift(calendar, early, timedelta(days=30), -1)


class TestTimerCycles:
    def test_two_timers_that_ping_pong_after_a_positive_wait_are_accepted(self) -> None:
        """A cycle of timers that each wait a positive time is a legal workflow."""
        wf = build(
            statuses=(*STATUSES, PING, PONG),
            transitions=(*TRANSITIONS, *PING_PONG),
            timers=ping_pong(timedelta(minutes=1)),
        )

        assert [] == timer_cycle_problems(wf, wf.timers)

    def test_a_cycle_of_timers_that_never_wait_is_refused(self) -> None:
        """Timers that move a ticket round a cycle without waiting are reported as a cycle."""
        problems = problems_of(
            statuses=(*STATUSES, PING, PONG),
            transitions=(*TRANSITIONS, *PING_PONG),
            timers=ping_pong(timedelta(0)),
        )

        expected = [
            (
                "timers 'ping', 'pong'",
                "move a ticket round the statuses 'ping', 'pong' without waiting",
            )
        ]
        assert expected == [w for w in whats(problems) if w[0].startswith("timers")]

    def test_a_timer_that_re_enters_its_own_status_without_waiting_is_refused(self) -> None:
        """A timer whose action leads back to its own status at once is a cycle of one."""
        transitions = (
            *TRANSITIONS,
            Transition(action="nudge", sources="waiting", target="waiting", roles="system"),
        )
        timer = Timer(name="nudge", statuses="waiting", after=timedelta(0), action="nudge")

        problems = problems_of(transitions=transitions, timers=(timer,))

        assert any(p.where == "timers 'nudge'" for p in problems)

    def test_a_policy_timer_closing_a_cycle_of_the_workflow_is_found(self) -> None:
        """Timers added by a policy are checked together with the workflow's own."""
        wf = build(
            statuses=(*STATUSES, PING, PONG),
            transitions=(*TRANSITIONS, *PING_PONG),
            timers=ping_pong(timedelta(minutes=1))[:1],
        )
        extra = Timer(name="back", statuses="pong", after=timedelta(0), action="to_ping")
        zero = attrs.evolve(wf.timers[0], after=timedelta(0))

        assert ["timers 'ping', 'back'"] == [
            p.where for p in timer_cycle_problems(wf, (zero, extra))
        ]


SCHEDULED_STATUSES = (
    Status("new", Category.NEW),
    Status("open", Category.ACTIVE),
    Status("sched", Category.ON_HOLD, wake_action="wake"),
    Status("done", Category.CLOSED),
)


SCHEDULED_TRANSITIONS = (
    Transition(action="start", sources="new", target="open", roles="agent"),
    Transition(action="schedule", sources="open", target="sched", roles="agent"),
    Transition(action="wake", sources="sched", target="open", roles="system"),
    Transition(action="close", sources={"new", "open", "sched"}, target="done", roles="agent"),
)


def scheduled(**changes: object) -> Workflow:
    values: dict[str, object] = {
        "name": "scheduled",
        "statuses": SCHEDULED_STATUSES,
        "initial": "new",
        "transitions": SCHEDULED_TRANSITIONS,
    }
    values.update(changes)
    return Workflow(**values)  # type: ignore[arg-type]


def scheduled_problems(**changes: object) -> list[tuple[str, str]]:
    with pytest.raises(WorkflowDefinitionError) as raised:
        scheduled(**changes)
    return whats(raised.value.problems)


class TestScheduledStatuses:
    def test_a_workflow_entering_its_scheduled_status_by_transition_is_accepted(self) -> None:
        """A scheduled status entered only by transitions (which give an instant) builds."""
        assert scheduled().status("sched").wake_action == "wake"

    def test_a_reaction_into_a_scheduled_status_is_refused(self) -> None:
        """A reply cannot give a wake-up instant, so a reaction into a scheduled status is
        refused."""
        reaction = Reaction(on="customer_reply", sources={"new"}, target="sched")

        problems = scheduled_problems(reactions=(reaction,))

        assert [
            (
                "reaction on 'customer_reply'",
                "moves a ticket into the scheduled status 'sched', but a reply gives no "
                "wake-up instant",
            )
        ] == problems

    def test_a_timer_leading_into_a_scheduled_status_is_refused(self) -> None:
        """A timer cannot give a wake-up instant, so a timer whose action ends in a
        scheduled status is refused."""
        transitions = (
            *SCHEDULED_TRANSITIONS,
            Transition(action="park", sources="open", target="sched", roles="system"),
        )
        timer = Timer(name="park", statuses="open", after=timedelta(hours=1), action="park")

        problems = scheduled_problems(transitions=transitions, timers=(timer,))

        assert [
            (
                "timer 'park'",
                "performs 'park' from 'open', which moves a ticket into the scheduled "
                "status 'sched', but a timer gives no wake-up instant",
            )
        ] == problems

    def test_a_timer_whose_chain_ends_in_a_scheduled_status_is_refused(self) -> None:
        """A timer's action whose follow-on statuses end in a scheduled status is refused."""
        transitions = (
            *SCHEDULED_TRANSITIONS,
            Transition(
                action="park", sources="open", target="new", then=("sched",), roles="system"
            ),
        )
        timer = Timer(name="park", statuses="open", after=timedelta(hours=1), action="park")

        problems = scheduled_problems(transitions=transitions, timers=(timer,))

        assert ["timer 'park'"] == [where for where, _ in problems]

    def test_a_timer_passing_through_a_scheduled_status_is_accepted(self) -> None:
        """A timer's action that only passes through a scheduled status on its way on
        leaves no ticket waiting there, so it builds."""
        transitions = (
            *SCHEDULED_TRANSITIONS,
            Transition(
                action="park", sources="open", target="sched", then=("new",), roles="system"
            ),
        )
        timer = Timer(name="park", statuses="open", after=timedelta(hours=1), action="park")

        assert (timer,) == scheduled(transitions=transitions, timers=(timer,)).timers

    def test_a_wake_action_leading_back_into_its_scheduled_status_is_refused(self) -> None:
        """A wake-up that schedules the ticket again would need an instant it cannot give,
        so it is refused."""
        statuses = (
            *SCHEDULED_STATUSES[:2],
            Status("sched", Category.ON_HOLD, wake_action="snooze"),
        )
        transitions = (
            *SCHEDULED_TRANSITIONS,
            Transition(action="snooze", sources="sched", target="sched", roles="system"),
        )

        problems = scheduled_problems(
            statuses=(*statuses, SCHEDULED_STATUSES[3]), transitions=transitions
        )

        assert [
            (
                "status 'sched'",
                "performs 'snooze' from 'sched', which moves a ticket into the scheduled "
                "status 'sched', but a wake-up gives no wake-up instant",
            )
        ] == problems

    def test_a_wake_action_leading_into_another_scheduled_status_is_refused(self) -> None:
        """A wake-up into a second scheduled status is refused like one into itself."""
        statuses = (
            *SCHEDULED_STATUSES[:2],
            Status("sched", Category.ON_HOLD, wake_action="later"),
            Status("later", Category.ON_HOLD, wake_action="wake"),
            SCHEDULED_STATUSES[3],
        )
        transitions = (
            *SCHEDULED_TRANSITIONS,
            Transition(action="later", sources="sched", target="later", roles="system"),
            Transition(action="wake", sources="later", target="open", roles="system"),
            Transition(action="close", sources="later", target="done", roles="agent"),
        )

        problems = scheduled_problems(statuses=statuses, transitions=transitions)

        assert ["status 'sched'"] == [where for where, _ in problems]

    def test_a_policy_timer_leading_into_a_scheduled_status_is_refused(self) -> None:
        """A policy's timer (checked with timer_problems) cannot enter a scheduled status."""
        transitions = (
            *SCHEDULED_TRANSITIONS,
            Transition(action="park", sources="open", target="sched", roles="system"),
        )
        wf = scheduled(transitions=transitions)
        timer = Timer(name="park", statuses="open", after=timedelta(hours=1), action="park")

        problems = timer_problems(wf, (timer,), "auto-close policy")

        assert ["auto-close policy timer 'park'"] == [p.where for p in problems]


MEGABYTE_NAME: Final = "x" * 1_000_000


class TestBoundedMessages:
    def test_a_megabyte_status_name_gives_a_short_message(self) -> None:
        """A 1 MB status name in a broken workflow is quoted in a message under 2 KB."""
        statuses = (*STATUSES, Status(MEGABYTE_NAME, Category.ACTIVE, wake_action=MEGABYTE_NAME))
        transitions = (
            *TRANSITIONS,
            Transition(action="odd", sources=MEGABYTE_NAME, target=MEGABYTE_NAME, roles="agent"),
        )
        reactions = (Reaction(on="agent_reply", sources=MEGABYTE_NAME, target=MEGABYTE_NAME),)

        with pytest.raises(WorkflowDefinitionError) as raised:
            build(statuses=statuses, transitions=transitions, reactions=reactions)

        assert 2_000 > len(str(raised.value))

    def test_a_megabyte_action_name_gives_a_short_message(self) -> None:
        """A 1 MB action name in a broken workflow is quoted in a message under 2 KB."""
        transitions = (
            *TRANSITIONS,
            Transition(action=MEGABYTE_NAME, sources="open", target="done", roles="system"),
        )
        timer = Timer(
            name=MEGABYTE_NAME,
            statuses={"open", MEGABYTE_NAME},
            after=timedelta(0),
            action=MEGABYTE_NAME,
            reason=MEGABYTE_NAME,
        )

        with pytest.raises(WorkflowDefinitionError) as raised:
            build(transitions=transitions, timers=(timer,), approval_action=MEGABYTE_NAME)

        assert 2_000 > len(str(raised.value))


def _status(**changes: object) -> Status:
    return Status(**{"name": "extra", "category": "active", **changes})  # type: ignore[arg-type]


def _transition(**changes: object) -> Transition:
    values: dict[str, object] = {
        "action": "extra",
        "sources": "open",
        "target": "done",
        "roles": "agent",
    }
    return Transition(**{**values, **changes})  # type: ignore[arg-type]


def _reaction(**changes: object) -> Reaction:
    values: dict[str, object] = {"on": "agent_reply", "sources": "open", "target": "done"}
    return Reaction(**{**values, **changes})  # type: ignore[arg-type]


def _timer(**changes: object) -> Timer:
    values: dict[str, object] = {
        "name": "extra",
        "statuses": "waiting",
        "after": timedelta(days=1),
        "action": "drop",
    }
    return Timer(**{**values, **changes})  # type: ignore[arg-type]


_DROP: Final = Transition(action="drop", sources="waiting", target="done", roles="system")


def _part_in_a_workflow(kind: str, field: str, value: object) -> Callable[[], object]:
    """Build a workflow holding one part whose ``field`` is ``value``."""

    def make() -> object:
        if kind == "Status":
            return build(statuses=(*STATUSES, _status(**{field: value})))
        if kind == "Transition":
            return build(transitions=(*TRANSITIONS, _transition(**{field: value})))
        if kind == "Reaction":
            return build(reactions=(*REACTIONS, _reaction(**{field: value})))
        if kind == "Timer":
            return build(transitions=(*TRANSITIONS, _DROP), timers=(_timer(**{field: value}),))
        return build(**{field: value})

    return make


_FIELDS: Final = {
    "Status": ("name", "category", "label", "terminal", "wake_action"),
    "Transition": (
        "action",
        "sources",
        "target",
        "roles",
        "label",
        "requires_reason",
        "requires_fields",
        "requires_assignee",
        "then",
    ),
    "Reaction": ("on", "sources", "target", "within"),
    "Timer": ("name", "statuses", "after", "action", "since", "reminders", "reason"),
    "Workflow": (
        "name",
        "statuses",
        "initial",
        "transitions",
        "reactions",
        "priorities",
        "default_priority",
        "approval_action",
        "timers",
    ),
}


_WRONG_VALUES: Final = {"none": None, "int": 1, "huge-int": 10**5000, "list": [1], "lists": [[1]]}


# A default of None is a valid value, not a wrong type.
_VALID_NONE: Final = {
    ("Status", "wake_action"),
    ("Reaction", "within"),
    ("Workflow", "approval_action"),
}


class TestWrongTypes:
    @pytest.mark.parametrize(
        ("kind", "field", "value"),
        [
            pytest.param(kind, field, value, id=f"{kind}.{field}={label}")
            for kind, fields in _FIELDS.items()
            for field in fields
            for label, value in _WRONG_VALUES.items()
            if not (value is None and (kind, field) in _VALID_NONE)
        ],
    )
    def test_a_wrong_type_in_any_field_is_a_typed_error(
        self, kind: str, field: str, value: object
    ) -> None:
        """A None, an int or a list where a field wants something else is a typed
        ticketflow error (InvalidTypeError or a definition problem), never a bare one."""
        with pytest.raises((InvalidTypeError, WorkflowDefinitionError)):
            _part_in_a_workflow(kind, field, value)()

    @pytest.mark.parametrize(
        ("kind", "field"),
        [
            ("Status", "terminal"),
            ("Transition", "requires_reason"),
            ("Transition", "requires_assignee"),
        ],
    )
    def test_a_flag_that_is_not_a_bool_is_refused(self, kind: str, field: str) -> None:
        """A yes/no field given something other than True or False is a definition problem."""
        with pytest.raises(WorkflowDefinitionError) as raised:
            _part_in_a_workflow(kind, field, 1)()

        assert any(field in p.what for p in raised.value.problems)


class TestMalformedTimerDurations:
    @pytest.mark.parametrize(
        "after",
        [BusinessTime(3), CalendarDays("3"), BusinessDays(True)],  # type: ignore[arg-type]
        ids=repr,
    )
    def test_a_timer_of_a_duration_kind_holding_the_wrong_type_is_a_workflow_problem(
        self, after: object
    ) -> None:
        """A timer whose period is a duration kind holding the wrong type is one of the
        workflow's problems, not a TypeError from deep inside."""
        timer = Timer(name="quiet", statuses="waiting", after=after, action="close")  # type: ignore[arg-type]

        found = [p.what for p in problems_of(timers=(timer,)) if "not a duration" in p.what]

        assert [f"its wait is not a duration: {after!r}"] == [w.split(";")[0] for w in found]


def placed_problems(paths: dict[str, tuple[int, ...]], **changes: object) -> list[str]:
    """Where ``workflow_problems`` places the problems of the tiny workflow with
    ``changes``, given each part's document index."""
    values: dict[str, object] = {
        "name": "tiny",
        "statuses": STATUSES,
        "initial": "new",
        "transitions": TRANSITIONS,
        "reactions": REACTIONS,
        "priorities": ("normal",),
        "default_priority": "normal",
        "approval_action": None,
        "timers": (),
    }
    values.update(changes)
    found = workflow_problems(**values, paths=paths)  # type: ignore[arg-type]
    return [p.where for p in found]


WHOLE: Final = {"statuses": (0, 1, 2, 3), "transitions": (0, 1, 2), "reactions": (0,), "timers": ()}


class TestPlacedByPath:
    def test_a_status_problem_is_at_the_document_index_the_paths_give(self) -> None:
        """Given paths saying the statuses are items 0, 2, 3 and 4 of the document (item
        1 left out), then a problem of the second status is at ``statuses[2]``."""
        statuses = (STATUSES[0], Status("open", "activ"), *STATUSES[2:])
        paths = {**WHOLE, "statuses": (0, 2, 3, 4)}

        assert ["statuses[2].category"] == placed_problems(paths, statuses=statuses)

    def test_a_transition_problem_is_at_its_index_and_key(self) -> None:
        """Given a fourth transition from an unknown status, then its problem is at
        ``transitions[3].from``."""
        extra = Transition(action="start", sources="gone", target="open", roles="agent")
        paths = {**WHOLE, "transitions": (0, 1, 2, 3)}

        assert ["transitions[3].from"] == placed_problems(paths, transitions=(*TRANSITIONS, extra))

    def test_a_reaction_problem_is_at_its_index_and_key(self) -> None:
        """Given a reaction into an unknown status, then its problem is at
        ``reactions[0].to``."""
        reaction = Reaction(on="customer_reply", sources="waiting", target="opn")

        assert "reactions[0].to" in placed_problems(WHOLE, reactions=(reaction,))

    def test_a_timer_problem_is_at_its_index_and_key(self) -> None:
        """Given a timer with an unknown since, then its problem is at
        ``timers[0].since``."""
        timer = Timer(name="t", statuses="waiting", after=timedelta(1), action="close")
        timer = attrs.evolve(timer, since="later")
        paths = {**WHOLE, "timers": (0,)}

        assert "timers[0].since" in placed_problems(paths, timers=(timer,))

    def test_the_workflows_own_keys_are_at_their_keys(self) -> None:
        """Given an unknown default priority, then its problem is at
        ``default_priority``."""
        assert ["default_priority"] == placed_problems(WHOLE, default_priority="urgent")

    def test_a_reference_to_an_unread_status_is_not_unknown(self) -> None:
        """Given ``unread`` naming 'waiting' (left out by a shape problem), then the
        transitions and the reaction naming it report nothing, nor does reachability."""
        paths = {**WHOLE, "statuses": (0, 1, 3)}
        kept = (STATUSES[0], STATUSES[1], STATUSES[3])

        assert [] == placed_problems(paths, statuses=kept, unread=frozenset({"waiting"}))

    def test_without_unread_the_same_parts_report_the_missing_status(self) -> None:
        """Given the same parts read whole, then every reference to 'waiting' is
        reported unknown (so the test above can fail)."""
        kept = (STATUSES[0], STATUSES[1], STATUSES[3])

        found = placed_problems({**WHOLE, "statuses": (0, 1, 2)}, statuses=kept)

        assert {"transitions[1].to", "transitions[2].from", "reactions[0].from"} <= set(found)
