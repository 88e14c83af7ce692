"""deploy/ agrees with README and the settings; needs no service, so it runs everywhere."""

import re
from pathlib import Path

from tests.helpers import PRODUCTION_ENV, run_django

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def _readme_variables() -> set[str]:
    table = (ROOT / "README.md").read_text().split("## Configuration", 1)[1].split("\n## ")[0]
    return set(re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \|", table, re.MULTILINE))


def _variables_read() -> set[str]:
    settings = (ROOT / "homestretch" / "settings.py").read_text()
    names = set(re.findall(r'\b(?:env_\w+|email_settings)\(\s*"([A-Z][A-Z0-9_]+)"', settings))
    gunicorn = (DEPLOY / "gunicorn.conf.py").read_text()
    names |= set(re.findall(r'(?:environ\.get|_int)\(\s*"([A-Z][A-Z0-9_]+)"', gunicorn))
    return names


def test_every_variable_read_is_in_readmes_table() -> None:
    assert _variables_read() - _readme_variables() == set()


def test_the_environment_template_lists_every_variable_in_readmes_table() -> None:
    template = (DEPLOY / "homestretch.env").read_text()
    listed = set(re.findall(r"^#?([A-Z][A-Z0-9_]+)=", template, re.MULTILINE))
    # Set by the web unit itself, not by the operator.
    assert _readme_variables() - listed == {"PROMETHEUS_MULTIPROC_DIR"}


def test_nginx_takes_uploads_as_large_as_django_does() -> None:
    site = (DEPLOY / "nginx" / "homestretch.conf").read_text()
    admin = site.split("location /admin/ {", 1)[1].split("}", 1)[0]
    (size,) = re.findall(r"client_max_body_size (\d+)m;", admin)
    assert int(size) == 8192 + 1  # LIBRARY_MAX_UPLOAD_MB's default, plus the form's fields


def test_each_timer_starts_a_command_that_exists(tmp_path) -> None:
    commands = run_django("help", "--commands", env=PRODUCTION_ENV | {"MEDIA_ROOT": str(tmp_path)})
    assert commands.returncode == 0, commands.stderr
    available = set(commands.stdout.split())
    timers = sorted((DEPLOY / "systemd").glob("*.timer"))
    assert len(timers) >= 7
    for timer in timers:
        (unit,) = re.findall(r"^Unit=(.+)$", timer.read_text(), re.MULTILINE) or [
            timer.with_suffix(".service").name
        ]
        if unit.startswith("homestretch-command@"):
            command = unit.removeprefix("homestretch-command@").removesuffix(".service")
            assert command in available, f"{timer.name} runs {command}, which does not exist"
        else:
            assert (DEPLOY / "systemd" / unit).is_file(), f"{timer.name} starts {unit}"
