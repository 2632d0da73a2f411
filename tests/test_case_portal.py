"""The case portal preset (seed 004): one named scenario per behaviour the seed describes,
its sentence quoted in the docstring, played through the public API as a host does."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ticketflow import (
    Actor,
    Assign,
    AttachFile,
    CommandRefusedError,
    Event,
    InvalidValueError,
    NaiveDatetimeError,
    OpenTicket,
    PerformAction,
    PermissionDeniedError,
    Reply,
    SetField,
    Ticket,
    TicketNotFoundError,
    handle,
    notifications,
    replay,
    visible_to,
)
from ticketflow.presets import case_portal as portal

DESK = portal.desk()
ALICE = Actor.customer("alice")
BOB = Actor.customer("bob")
CAROL = Actor.agent("carol")
HOST = Actor.system("portal")
NOBODY = Actor.anonymous()
MONDAY = datetime(2026, 3, 2, 9, tzinfo=UTC)


def t(minutes: int) -> datetime:
    return MONDAY + timedelta(minutes=minutes)


class Case:
    """One case as a host keeps it: the ticket and its events."""

    def __init__(self, ticket: Ticket, events: tuple[Event, ...]) -> None:
        self.ticket, self.events = ticket, events

    def do(self, command: object) -> Case:
        outcome = handle(DESK, self.ticket, command)  # type: ignore[arg-type]
        return Case(outcome.ticket, self.events + outcome.events)


def submitted(
    number: str = "00001042", requester: Actor = ALICE, at: datetime = MONDAY, **fields: str
) -> Case:
    """A case submitted on the portal by ``requester``, the host recording its origin and
    account (the host's fields) as the desk's system."""
    form = {
        portal.IMPACT: "High",
        portal.CASE_REASON: "Defect",
        portal.PRODUCT: "Billing API",
        **fields,
    }
    outcome = handle(
        DESK,
        None,
        OpenTicket(
            actor=requester,
            at=at,
            ticket_id=number,
            subject="Checkout returns a 500 error",
            description="Since 9:00 every checkout fails with HTTP 500.",
            fields=form,
        ),
    )
    case = Case(outcome.ticket, outcome.events)
    case = case.do(SetField(actor=HOST, at=at, name=portal.ORIGIN, value=portal.CUSTOMER_PORTAL))
    return case.do(SetField(actor=HOST, at=at, name=portal.ACCOUNT, value="Acme Ltd"))


def solved(case: Case, at: datetime) -> Case:
    return case.do(PerformAction(actor=CAROL, at=at, action="solve"))


def refused(error: type[Exception], case: Case, command: object) -> Exception:
    """Handle ``command``, expect ``error``, and check the case was left as it was."""
    before = copy.deepcopy(case.ticket)
    with pytest.raises(error) as raised:
        handle(DESK, case.ticket, command)  # type: ignore[arg-type]
    assert before == case.ticket
    return raised.value


class TestLocatingCases:
    def test_monitoring_cases_is_only_for_authenticated_users(self) -> None:
        """ "(Please note: At this time, monitoring cases is only available to
        authenticated users)": an anonymous visitor's case list is empty and it may
        not see a case."""
        cases = [submitted().ticket]

        assert ((), False) == (
            portal.open_cases(cases, NOBODY),
            visible_to(NOBODY, cases[0]),
        )

    def test_an_anonymous_visitor_cannot_submit_a_case(self) -> None:
        """ "monitoring cases is only available to authenticated users": a visitor who is
        not signed in is refused when submitting, told to sign in."""
        command = OpenTicket(actor=NOBODY, at=MONDAY, ticket_id="1", subject="Hello")

        with pytest.raises(PermissionDeniedError, match="sign the user in first"):
            handle(DESK, None, command)

    def test_the_list_shows_the_users_open_cases(self) -> None:
        """ "This will show a comprehensive list of a user's open cases": alice's list
        holds her open cases, neither bob's nor her solved one."""
        mine = submitted("1").ticket
        theirs = submitted("2", BOB).ticket
        done = solved(submitted("3"), t(10)).ticket
        pending = submitted("4").do(
            PerformAction(actor=CAROL, at=t(5), action="pend", reason="a screenshot, please")
        )

        cases = portal.open_cases([mine, theirs, done, pending.ticket], ALICE)

        assert ["1", "4"] == [case.id for case in cases]

    def test_the_support_staff_sees_every_open_case(self) -> None:
        """ "This can be seen by both the case submitter and the support staff": the
        staff's list holds every requester's open cases."""
        tickets = [submitted("1").ticket, submitted("2", BOB).ticket]

        assert ["1", "2"] == [case.id for case in portal.open_cases(tickets, CAROL)]

    def test_a_list_line_shows_the_cases_identifiers(self) -> None:
        """ "shows the identifiers of the ticket: the case number; the subject; the
        status; when the ticket was last opened; and the product with which it is
        affiliated"."""
        case = submitted()

        summary = portal.case_summary(case.ticket, t(1))

        expected = portal.CaseSummary(
            case_number="00001042",
            subject="Checkout returns a 500 error",
            status="New",
            last_opened=MONDAY,
            product="Billing API",
        )
        assert expected == summary

    def test_last_opened_is_when_a_solved_case_was_reopened(self) -> None:
        """ "when the ticket was last opened": a case solved and reopened by the
        submitter's comment shows the reopening, not the submission."""
        case = solved(submitted(), t(10)).do(
            Reply(actor=ALICE, at=t(60), body="It is failing again")
        )

        summary = portal.case_summary(case.ticket, t(61))

        assert (t(60), "Open") == (summary.last_opened, summary.status)

    def test_there_are_four_statuses(self) -> None:
        """ "There are four statuses at this time: New, Pending, Open, Solved"."""
        assert ["New", "Pending", "Open", "Solved"] == [s.label for s in portal.WORKFLOW.statuses]

    def test_a_case_moves_through_the_four_statuses(self) -> None:
        """ "New, Pending, Open, Solved": a new case is pended by the staff, opened again
        by the submitter's comment and solved by the staff."""
        case = submitted()
        seen = [portal.case_summary(case.ticket, t(0)).status]
        for minutes, command in [
            (5, PerformAction(actor=CAROL, at=t(5), action="pend", reason="which browser?")),
            (9, Reply(actor=ALICE, at=t(9), body="Firefox 140")),
            (30, PerformAction(actor=CAROL, at=t(30), action="solve")),
        ]:
            case = case.do(command)
            seen.append(portal.case_summary(case.ticket, t(minutes)).status)

        assert ["New", "Pending", "Open", "Solved"] == seen

    def test_you_view_your_case_but_not_anothers(self) -> None:
        """ "You can view your case by selecting it from this menu": alice sees her case,
        bob does not, and bob's comment on it is refused as if it did not exist."""
        case = submitted()

        refused(TicketNotFoundError, case, Reply(actor=BOB, at=t(1), body="mine?"))
        assert (True, False) == (visible_to(ALICE, case.ticket), visible_to(BOB, case.ticket))


class TestCaseDetails:
    def test_case_information(self) -> None:
        """ "The case number, the parent case (if applicable), the subject and impact type,
        where the case was submitted (here, Customer Portal), days since closed, and the
        associated account"."""
        parent = submitted("00001041")
        follow_up = handle(
            DESK,
            None,
            OpenTicket(
                actor=ALICE,
                at=t(1),
                ticket_id="00001042",
                subject="Checkout returns a 500 error",
                parent_id="00001041",
                fields={portal.IMPACT: "Low"},
            ),
            parent=parent.ticket,
        ).ticket

        details = portal.case_details(follow_up, t(2))

        assert ("00001042", "00001041", "Checkout returns a 500 error", "Low", None) == (
            details.case_number,
            details.parent_case,
            details.subject,
            details.impact,
            details.days_since_closed,
        )

    def test_where_the_case_was_submitted_and_its_account(self) -> None:
        """ "where the case was submitted (here, Customer Portal) ... and the associated
        account": the host records both, and the details show them."""
        details = portal.case_details(submitted().ticket, t(1))

        assert ("Customer Portal", "Acme Ltd") == (details.origin, details.account)

    def test_status_information(self) -> None:
        """ "Found here is the case reason, the case status, the product with which it is
        associated, and its group"."""
        case = submitted().do(
            PerformAction(actor=CAROL, at=t(3), action="open")
        )  # the staff takes it up
        case = case.do(Assign(actor=CAROL, at=t(4), assignee="carol", group="Payments"))

        details = portal.case_details(case.ticket, t(5))

        assert ("Defect", "Open", "Billing API", "Payments") == (
            details.case_reason,
            details.status,
            details.product,
            details.group,
        )

    def test_the_description_as_provided_by_the_user(self) -> None:
        """ "This shows the description of the support case as provided by the user"."""
        details = portal.case_details(submitted().ticket, t(1))

        assert "Since 9:00 every checkout fails with HTTP 500." == details.description

    def test_case_dates(self) -> None:
        """ "will show the date and time of the case's creation and its resolution"."""
        case = solved(submitted(), t(90))

        details = portal.case_details(case.ticket, t(91))

        assert (MONDAY, t(90)) == (details.created, details.resolved)

    def test_an_open_case_has_no_resolution_date(self) -> None:
        """ "the date and time of the case's creation and its resolution": a case not yet
        solved shows its creation and no resolution."""
        details = portal.case_details(submitted().ticket, t(1))

        assert (MONDAY, None) == (details.created, details.resolved)

    def test_days_since_closed_count_from_the_solution(self) -> None:
        """ "days since closed": a case solved on Monday 10:30 shows 0 days on Tuesday
        10:29, 1 day at 10:30 and 7 days a week later."""
        case = solved(submitted(), t(90)).ticket

        days = [
            portal.days_since_closed(case, at)
            for at in (t(90) + timedelta(hours=23, minutes=59), t(90) + timedelta(days=1))
        ]

        assert [0, 1, 7] == [*days, portal.days_since_closed(case, t(90) + timedelta(days=7))]

    def test_days_since_closed_of_an_open_case_is_none(self) -> None:
        """ "days since closed": an open case has not been closed, so it shows none."""
        assert portal.days_since_closed(submitted().ticket, t(5)) is None

    def test_days_since_closed_before_the_close_is_refused(self) -> None:
        """ "days since closed" is asked of an instant after the close: an earlier one is
        an InvalidValueError, a naive one a NaiveDatetimeError."""
        case = solved(submitted(), t(90)).ticket

        with pytest.raises(InvalidValueError, match="before case '00001042' was closed"):
            portal.days_since_closed(case, t(89))
        with pytest.raises(NaiveDatetimeError):
            portal.days_since_closed(case, t(100).replace(tzinfo=None))

    @given(st.integers(0, 10**7))
    def test_days_since_closed_are_whole_days_of_real_time(self, minutes: int) -> None:
        """ "days since closed" is the number of whole 24-hour days from the close."""
        case = SOLVED_CASE

        days = portal.days_since_closed(case, t(90 + minutes))

        assert minutes // (24 * 60) == days

    def test_both_the_submitter_and_the_staff_see_the_details(self) -> None:
        """ "This can be seen by both the case submitter and the support staff"."""
        ticket = submitted().ticket

        assert (True, True, False) == (
            visible_to(ALICE, ticket, DESK.staff_roles),
            visible_to(CAROL, ticket, DESK.staff_roles),
            visible_to(BOB, ticket, DESK.staff_roles),
        )


SOLVED_CASE = solved(submitted(), t(90)).ticket


class TestComments:
    def test_comments_to_and_by_the_staff_appear(self) -> None:
        """ "Comments made to the support staff and by the support staff will appear
        here": the submitter's comment and the staff's both show on the tab."""
        case = (
            submitted()
            .do(Reply(actor=ALICE, at=t(1), body="Any news?"))
            .do(Reply(actor=CAROL, at=t(2), body="We are on it"))
        )

        shown = portal.comments(case.events, ALICE, case.ticket)

        assert ["Any news?", "We are on it"] == [c.body for c in shown]

    def test_a_staff_comment_is_the_staffs_alone(self) -> None:
        """ "Comments made ... by the support staff": a staff-only comment
        (Reply(public=False)) shows to the staff and not to the submitter."""
        case = submitted().do(Reply(actor=CAROL, at=t(2), body="Looks like PSP-42", public=False))

        assert ([], ["Looks like PSP-42"]) == (
            [c.body for c in portal.comments(case.events, ALICE, case.ticket)],
            [c.body for c in portal.comments(case.events, CAROL, case.ticket)],
        )

    def test_a_staff_comment_is_sent_to_the_submitter(self) -> None:
        """ "with comments and emails together, information is far less likely to get lost":
        the staff's comment notifies the submitter."""
        case = submitted()
        outcome = handle(DESK, case.ticket, Reply(actor=CAROL, at=t(2), body="Fixed?"))

        assert [("alice", "comment_added")] == [
            (n.recipient, n.message) for n in notifications(DESK, outcome)
        ]

    def test_only_a_signed_in_user_leaves_a_comment(self) -> None:
        """ "Please sign in to leave a comment": an anonymous visitor's comment is refused
        and the case stays as it was."""
        refused(TicketNotFoundError, submitted(), Reply(actor=NOBODY, at=t(1), body="hi"))

    def test_the_submitters_comment_answers_a_pending_case(self) -> None:
        """ "Comments made to the support staff": the submitter's comment on a pending
        case opens it again for the staff."""
        case = submitted().do(
            PerformAction(actor=CAROL, at=t(5), action="pend", reason="which browser?")
        )

        case = case.do(Reply(actor=ALICE, at=t(9), body="Firefox 140"))

        assert portal.OPEN == case.ticket.status

    def test_nobody_else_reads_the_comments(self) -> None:
        """ "You can view your case": another customer and an anonymous visitor read no
        comment of alice's case."""
        case = submitted().do(Reply(actor=ALICE, at=t(1), body="Any news?"))

        assert ((), ()) == (
            portal.comments(case.events, BOB, case.ticket),
            portal.comments(case.events, NOBODY, case.ticket),
        )


def upload(actor: Actor, at: datetime, name: str, size: int, media_type: str) -> AttachFile:
    return AttachFile(
        actor=actor, at=at, name=name, size=size, media_type=media_type, reference=f"files/{name}"
    )


class TestFiles:
    def test_uploaded_files_appear_on_the_case(self) -> None:
        """ "Any uploaded files related to your case will appear here": a screen recording
        duplicating an error, a PDF showing incorrect charges and a screenshot of a 500
        server error are listed with their name, size and media type."""
        case = (
            submitted()
            .do(upload(ALICE, t(1), "repro.webm", 7_340_032, "video/webm"))
            .do(upload(ALICE, t(2), "invoice-0042.pdf", 120_431, "application/pdf"))
            .do(upload(ALICE, t(3), "error-500.png", 48_213, "image/png"))
        )

        assert [
            ("repro.webm", 7_340_032, "video/webm", "files/repro.webm"),
            ("invoice-0042.pdf", 120_431, "application/pdf", "files/invoice-0042.pdf"),
            ("error-500.png", 48_213, "image/png", "files/error-500.png"),
        ] == [(f.name, f.size, f.media_type, f.reference) for f in case.ticket.attachments]

    def test_the_staff_uploads_files_too(self) -> None:
        """ "Any uploaded files related to your case will appear here": a file the staff
        uploads is listed as the staff member's and the submitter is told of it."""
        case = submitted()
        outcome = handle(DESK, case.ticket, upload(CAROL, t(4), "patch.diff", 912, "text/x-diff"))

        assert (["carol"], [("alice", "file_added")]) == (
            [f.by for f in outcome.ticket.attachments],
            [(n.recipient, n.message) for n in notifications(DESK, outcome)],
        )

    def test_a_file_answers_a_pending_case_as_activity(self) -> None:
        """ "anything that is able to be provided will give our support staff that much more
        of a head start": the submitter's file counts as their latest activity."""
        case = submitted().do(upload(ALICE, t(7), "error-500.png", 48_213, "image/png"))

        assert t(7) == case.ticket.last_customer_activity_at

    def test_the_files_replay_from_the_events(self) -> None:
        """ "Any uploaded files related to your case will appear here": the files listed are
        the ones the stored events rebuild."""
        case = submitted().do(upload(ALICE, t(1), "error-500.png", 48_213, "image/png"))

        assert case.ticket.attachments == replay(case.events).attachments

    @pytest.mark.parametrize(
        ("actor", "error"),
        [(BOB, TicketNotFoundError), (NOBODY, TicketNotFoundError)],
        ids=["another-customer", "anonymous"],
    )
    def test_only_the_submitter_and_the_staff_upload(
        self, actor: Actor, error: type[Exception]
    ) -> None:
        """ "related to your case": another customer's or an anonymous visitor's upload is
        refused as if the case did not exist, and the case stays as it was."""
        refused(error, submitted(), upload(actor, t(1), "x.png", 10, "image/png"))

    @pytest.mark.parametrize(
        ("name", "size", "media_type"),
        [("x.png", -1, "image/png"), ("x" * 10_000_000, 10, "image/png"), ("x", 10, "png")],
        ids=["negative-size", "ten-megabyte-name", "no-subtype"],
    )
    def test_a_hostile_upload_is_refused(self, name: str, size: int, media_type: str) -> None:
        """ "no amount of information is too much", but a negative size, a 10 MB name or a
        media type that is not type/subtype is refused and the case stays as it was."""
        refused(CommandRefusedError, submitted(), upload(ALICE, t(1), name, size, media_type))
