from datetime import timedelta

import pytest

from homestretch.accounts.testing import log_in, make_alice, make_charlie
from homestretch.programs.models import Program
from homestretch.programs.progress import SAFETY_MESSAGE, Verdict, checkpoint_message
from homestretch.programs.services import enrollment_leave
from homestretch.programs.testing import (
    make_enrollment,
    make_logs,
    make_outcome,
    make_practice_sequence,
    make_program,
)

pytestmark = pytest.mark.django_db

URL = "/me/progress/"


def test_it_sends_an_anonymous_visitor_to_log_in_without_caching_the_redirect(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={URL}"
    assert response["Cache-Control"] == "private, no-store"


def test_it_is_never_stored_by_a_browser_or_proxy():
    alice = make_alice()
    response = log_in(alice).get(URL)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert "Expires" in response


def test_a_member_with_nothing_logged_is_pointed_to_the_programs():
    response = log_in(make_alice()).get(URL)
    assert "Nothing to show yet" in response.content.decode()
    assert response.context["report"].practice == []


def test_it_shows_pain_before_and_after_by_day_with_its_table_and_csv_link():
    alice = make_alice()
    make_logs(alice, [(7, 3), (6, 4), (5, 2)])
    response = log_in(alice).get(URL)
    page = response.content.decode()
    pain = response.context["charts"]["pain"]
    assert pain["before"] == [7, 6, 5]
    assert pain["after"] == [3, 4, 2]
    assert '<script id="pain-data" type="application/json">' in page
    assert '<caption id="pain-caption">' in page
    assert '<th scope="col">Pain before</th>' in page
    assert "/me/progress/pain.csv" in page
    assert "/me/progress/adherence.csv" in page


def test_the_trend_chart_keeps_time_with_a_gap_for_a_day_without_practice():
    alice = make_alice()
    make_logs(alice, [(7, 3), None, None, (5, 2)])
    pain = log_in(alice).get(URL).context["charts"]["pain"]
    assert len(pain["labels"]) == 4
    assert pain["before"] == [7, None, None, 5]
    assert pain["after"] == [3, None, None, 2]


def test_a_day_with_two_sessions_shows_their_averages_rounded_half_up():
    alice = make_alice()
    make_logs(alice, [(6, 4)])
    make_logs(alice, [(5, 3)], sequence=make_practice_sequence("pelvic-clock"))
    practice = log_in(alice).get(URL).context["report"].practice
    assert [(row.sessions, row.pain_before, row.pain_after) for row in practice] == [(2, 5.5, 3.5)]


def test_logs_marked_not_done_are_neither_practice_nor_trend():
    alice = make_alice()
    make_logs(alice, [(6, 4), None])
    make_logs(alice, [(9, None)], done=False, sequence=make_practice_sequence("pelvic-clock"))
    report = log_in(alice).get(URL).context["report"]
    assert [row.day for row in report.practice] == [alice.local_today() - timedelta(days=1)]
    assert report.streak == 1  # yesterday counts while today is still open


def test_another_member_sees_only_their_own_numbers():
    alice, charlie = make_alice(), make_charlie()
    enrollment = make_enrollment(alice, make_program(), pain=7, psfs=(("Lifting my daughter", 3),))
    make_outcome(enrollment, 14, 5, 5, (("Lifting my daughter", 6),))
    make_logs(alice, [(9, 8)] * 10)
    make_logs(charlie, [(2, 1)])

    response = log_in(charlie).get(URL)
    page = response.content.decode()
    assert response.context["charts"]["pain"]["before"] == [2]
    assert response.context["report"].enrollment is None
    assert "Lifting my daughter" not in page
    assert SAFETY_MESSAGE not in page  # alice's high pain is hers alone
    assert log_in(charlie).get("/me/progress/pain.csv").content.decode().count("\n") == 2


def test_the_calendar_marks_practised_and_missed_days_with_the_streak():
    alice = make_alice()
    make_logs(alice, [(5, 3), None, (5, 3), (5, 3)])
    response = log_in(alice).get(URL)
    report = response.context["report"]
    assert report.streak == 2
    states = {cell.day: cell.state for week in report.weeks for cell in week.days}
    today = alice.local_today()
    assert states[today] == "done"
    assert states[today - timedelta(days=2)] == "missed"
    assert states[today - timedelta(days=4)] == "before"
    assert len(report.weeks) == 12
    page = response.content.decode()
    assert "Current streak: 2 days." in page
    assert page.count('<span class="visually-hidden">practised</span>') == 3
    assert response.context["charts"]["adherence"]["days"][-12:].count(0) >= 10


def test_it_says_what_the_numbers_mean_and_where_the_thresholds_come_from():
    alice = make_alice()
    make_enrollment(alice, make_program())
    page = log_in(alice).get(URL).content.decode()
    assert (
        "A drop in pain of 2 points or 30% is usually one people notice. "
        "A change of 2 or more in the PSFS average is meaningful."
    ) in page
    assert "These thresholds come from published studies" in page


def test_it_lists_the_baseline_and_the_checkpoints_to_come():
    alice = make_alice()
    enrollment = make_enrollment(alice, make_program(), psfs=(("Walking", 4), ("Sitting", 5)))
    response = log_in(alice).get(URL)
    outcomes = response.context["report"].outcomes
    assert [outcome.day for outcome in outcomes] == [0, 14, 28]
    assert outcomes[0].psfs_average == 4.5
    assert outcomes[1].check is None
    assert outcomes[1].due_on == enrollment.start_date + timedelta(days=13)
    assert response.context["report"].checkpoint is None
    assert "Not yet: due" in response.content.decode()


def test_a_program_opened_by_logging_names_no_date_for_its_checkpoints():
    alice = make_alice()
    make_enrollment(alice, make_program(unlock=Program.Unlock.LOGGING))
    response = log_in(alice).get(URL)
    assert response.context["report"].outcomes[1].due_on is None
    assert "Not yet: when you reach day 14" in response.content.decode()


@pytest.mark.parametrize(
    ("pain_week", "psfs", "verdict"),
    [
        (4, 4, Verdict.IMPROVED),  # pain 6 -> 4: two points
        (6, 7, Verdict.IMPROVED),  # PSFS 4 -> 7
        (5, 4, Verdict.NO_CHANGE),
        (8, 4, Verdict.WORSE),
        (4, 1, Verdict.WORSE),  # activities fell by 3: worse wins over the pain drop
    ],
)
def test_the_latest_checkpoint_gets_its_verdict_message(pain_week, psfs, verdict):
    alice = make_alice()
    alice.place = "Berlin"
    alice.save()
    enrollment = make_enrollment(alice, make_program(), pain=6, psfs=(("Walking", 4),))
    make_outcome(enrollment, 14, pain_week, pain_week, (("Walking", psfs),))
    page = log_in(alice).get(URL).content.decode()
    assert f'data-verdict="{verdict}"' in page
    assert checkpoint_message(verdict) in page
    finder_link = 'href="/finder/?badge=NS&amp;near=Berlin"'
    assert (finder_link in page) == (verdict != Verdict.IMPROVED)


def test_the_verdict_compares_the_latest_checkpoint_with_the_baseline():
    alice = make_alice()
    enrollment = make_enrollment(alice, make_program(), pain=6, psfs=())
    make_outcome(enrollment, 14, 3, 3)  # improved at day 14 ...
    make_outcome(enrollment, 28, 6, 6)  # ... but back where it started at day 28
    report = log_in(alice).get(URL).context["report"]
    assert report.checkpoint.outcome.day == 28
    assert report.checkpoint.verdict == Verdict.NO_CHANGE


def test_the_finder_link_leaves_out_what_the_member_has_not_given():
    alice = make_alice()
    program = make_program()
    program.recommended_badge = ""
    program.save()
    enrollment = make_enrollment(alice, program)
    make_outcome(enrollment, 14, 6, 6)
    assert log_in(alice).get(URL).context["report"].finder_url == "/finder/"


def test_the_current_enrollment_wins_over_a_newer_one_the_member_left():
    alice = make_alice()
    current = make_enrollment(alice, make_program("si-joint"))
    enrollment_leave(enrollment=make_enrollment(alice, make_program("hip", condition="Hip")))
    assert log_in(alice).get(URL).context["report"].enrollment == current


def test_pain_of_8_twice_in_a_row_brings_the_safety_message_back():
    alice = make_alice()
    make_logs(alice, [(3, 2), (8, 8), (9, None)])
    page = log_in(alice).get(URL).content.decode()
    assert SAFETY_MESSAGE in page
    assert "urgently" in SAFETY_MESSAGE
    assert "bladder" in SAFETY_MESSAGE


def test_a_lower_pain_since_ends_the_safety_message():
    alice = make_alice()
    make_logs(alice, [(8, 9), (9, 9), (8, 5)])
    assert SAFETY_MESSAGE not in log_in(alice).get(URL).content.decode()


def test_the_safety_message_follows_the_time_of_the_logs_not_the_order_they_were_saved():
    alice = make_alice()
    # Saved in the order 2, 9, 9 but practised in the order 9, 2, 9 (a late entry).
    make_logs(alice, [(2, 2), None], sequence=make_practice_sequence("a"))
    make_logs(alice, [(9, 9), None, None], sequence=make_practice_sequence("b"))
    make_logs(alice, [(9, 9)], sequence=make_practice_sequence("c"))
    assert SAFETY_MESSAGE not in log_in(alice).get(URL).content.decode()


def _queries(django_assert_max_num_queries, client, count: int) -> int:
    with django_assert_max_num_queries(count) as captured:
        assert client.get(URL).status_code == 200
    return len(captured)


# Every signed-in page: session and user (2), the menu's roles (3); the session's
# last-seen time is written at most once a minute, so not on this second request. This
# page's own: practice days, latest pains, enrollment, outcome checks, checkpoint days (5).
PAGE_QUERIES = 10


def test_a_year_of_logs_takes_a_pinned_number_of_queries(django_assert_max_num_queries):
    alice = make_alice()
    enrollment = make_enrollment(
        alice, make_program(), start_date=alice.local_today() - timedelta(days=364)
    )
    make_outcome(enrollment, 14, 4, 4)
    make_logs(alice, [(6, 4)] * 365, enrollment=enrollment)
    make_logs(alice, [(5, 3)] * 365, sequence=make_practice_sequence("pelvic-clock"))
    client = log_in(alice)
    client.get(URL)
    assert _queries(django_assert_max_num_queries, client, PAGE_QUERIES) == PAGE_QUERIES


def test_30_and_365_days_of_logs_take_the_same_queries(django_assert_max_num_queries):
    counts = []
    for n, days in enumerate((30, 365)):
        member = make_alice() if n == 0 else make_charlie()
        enrollment = make_enrollment(member, make_program(f"program-{n}"))
        make_outcome(enrollment, 14, 4, 4)
        make_logs(member, [(6, 4)] * days)
        client = log_in(member)
        client.get(URL)
        counts.append(_queries(django_assert_max_num_queries, client, PAGE_QUERIES))
    assert counts[0] == counts[1]
