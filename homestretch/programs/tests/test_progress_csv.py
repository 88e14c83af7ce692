import csv
import io
from datetime import timedelta

import pytest

from homestretch.accounts.testing import log_in, make_alice, make_charlie
from homestretch.programs.services import enrollment_leave
from homestretch.programs.testing import (
    make_enrollment,
    make_logs,
    make_outcome,
    make_practice_sequence,
    make_program,
)

pytestmark = pytest.mark.django_db


def _rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


@pytest.mark.parametrize("kind", ["pain", "adherence", "outcomes"])
def test_an_anonymous_visitor_is_sent_to_log_in(client, kind):
    response = client.get(f"/me/progress/{kind}.csv")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("kind", ["pain", "adherence", "outcomes"])
def test_each_file_downloads_as_a_private_uncached_csv_attachment(kind):
    response = log_in(make_alice()).get(f"/me/progress/{kind}.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="homestretch-{kind}.csv"'
    assert response["Cache-Control"] == "private, no-store"


def test_an_unknown_file_is_not_found():
    assert log_in(make_alice()).get("/me/progress/notes.csv").status_code == 404


def test_the_pain_file_has_a_row_per_practice_day_with_its_averages():
    alice = make_alice()
    make_logs(alice, [(6, 4), None, (5, 3)])
    make_logs(alice, [(6, 2)], sequence=make_practice_sequence("pelvic-clock"))
    make_logs(alice, [(9, None), None, None], done=False, sequence=make_practice_sequence("skip"))
    today = alice.local_today()
    assert _rows(log_in(alice).get("/me/progress/pain.csv")) == [
        ["date", "sessions", "average_pain_before", "average_pain_after"],
        [str(today - timedelta(days=2)), "1", "6", "4"],
        [str(today), "2", "5.5", "2.5"],
    ]


def test_the_adherence_file_lists_every_day_from_the_first_practice_to_today():
    alice = make_alice()
    make_logs(alice, [(6, 4), None, (None, None), None])
    today = alice.local_today()
    assert _rows(log_in(alice).get("/me/progress/adherence.csv")) == [
        ["date", "practised", "sessions"],
        [str(today - timedelta(days=3)), "yes", "1"],
        [str(today - timedelta(days=2)), "no", "0"],
        [str(today - timedelta(days=1)), "yes", "1"],
        [str(today), "no", "0"],
    ]


def test_the_outcomes_file_has_every_check_of_every_program_with_its_activities():
    alice = make_alice()
    first = make_enrollment(
        alice, make_program("hips", condition="Hip"), pain=7, psfs=(("Walking", 3),)
    )
    make_outcome(first, 14, 6, 6, (("Walking", 4),))
    enrollment_leave(enrollment=first)
    make_enrollment(alice, make_program(), psfs=(("Climbing stairs", 4), ("=cmd|' /C calc'!A0", 5)))
    assert _rows(log_in(alice).get("/me/progress/outcomes.csv")) == [
        [
            "program",
            "day",
            "pain_now",
            "average_pain_last_week",
            "psfs_average",
            "activity_1",
            "score_1",
            "activity_2",
            "score_2",
            "activity_3",
            "score_3",
        ],
        ["Hips", "0", "7", "7", "3", "Walking", "3"],
        ["Hips", "14", "6", "6", "4", "Walking", "4"],
        # A spreadsheet never runs the member's words as a formula.
        [
            "Si Stability",
            "0",
            "6",
            "6",
            "4.5",
            "Climbing stairs",
            "4",
            "'=cmd|' /C calc'!A0",
            "5",
        ],
    ]


def test_another_member_downloads_only_their_own_rows():
    alice, charlie = make_alice(), make_charlie()
    make_enrollment(alice, make_program())
    make_logs(alice, [(6, 4)] * 5)
    client = log_in(charlie)
    assert len(_rows(client.get("/me/progress/pain.csv"))) == 1
    assert len(_rows(client.get("/me/progress/adherence.csv"))) == 1
    assert len(_rows(client.get("/me/progress/outcomes.csv"))) == 1
