from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from homestretch.finder.models import Credential, Instructor
from homestretch.finder.testing import credential_type

HEADER = "email,name,city,country,latitude,longitude,specialties,languages,online,badge,issued_on\n"
GOOD = [
    "ada@example.org,Ada Lind,Hamburg,DE,,,si-joint;hip,de;en,yes,NS,2025-01-15\n",
    "ben@example.org,Ben Ode,Nowhere,KE,-1.3,36.8,,sw,no,,\n",
]


def _csv(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "instructors.csv"
    path.write_text(HEADER + "".join(rows))
    return path


@pytest.mark.django_db
def test_a_good_file_imports_every_row_with_a_progress_bar(tmp_path: Path) -> None:
    credential_type("NS")
    out, err = StringIO(), StringIO()
    call_command("import_instructors", _csv(tmp_path, GOOD), stdout=out, stderr=err)
    assert "Imported 2 instructors." in out.getvalue()
    assert "2/2" in err.getvalue()
    ada = Instructor.objects.get(user__email="ada@example.org")
    assert ada.status == "published"
    assert ada.teaches_online
    assert ada.specialty_list == ["hip", "si-joint"]
    assert ada.language_list == ["de", "en"]
    location = ada.locations.get()
    assert (round(location.latitude, 1), round(location.longitude, 1)) == (53.6, 10.0)
    assert Credential.objects.get().instructor == ada
    assert Instructor.objects.get(user__email="ben@example.org").locations.get().latitude == -1.3


@pytest.mark.django_db
def test_a_partly_bad_file_reports_each_bad_line_and_imports_nothing(tmp_path: Path) -> None:
    credential_type("NS")
    rows = [
        *GOOD,
        "not-an-email,Cy,Berlin,DE,,,,,,,\n",
        "dee@example.org,Dee,Xqzzyville,DE,,,,,,,\n",
        "eve@example.org,Eve,Berlin,DE,north,13,,,,,\n",
        "fay@example.org,Fay,Berlin,DE,,,,,,XX,\n",
        "ada@example.org,Ada again,Berlin,DE,,,,,,,\n",
    ]
    err = StringIO()
    with pytest.raises(CommandError, match="5 bad row"):
        call_command("import_instructors", _csv(tmp_path, rows), stderr=err)
    report = err.getvalue()
    assert "line 4: 'not-an-email' is not an email address" in report
    assert "line 5: We couldn't find Xqzzyville (DE)" in report
    assert "line 6: bad coordinates: 'north' is not a number." in report
    assert "line 7: unknown badge 'XX'" in report
    assert "line 8: ada@example.org appears twice in the file" in report
    assert not Instructor.objects.exists()


@pytest.mark.django_db
def test_a_dry_run_checks_everything_and_saves_nothing(tmp_path: Path) -> None:
    credential_type("NS")
    out = StringIO()
    call_command(
        "import_instructors", _csv(tmp_path, GOOD), "--dry-run", stdout=out, stderr=StringIO()
    )
    assert "Dry run: all 2 rows are good" in out.getvalue()
    assert not Instructor.objects.exists()


@pytest.mark.django_db
def test_a_file_without_the_needed_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("name,city\nAda,Berlin\n")
    with pytest.raises(CommandError, match="missing: email, country"):
        call_command("import_instructors", path)
