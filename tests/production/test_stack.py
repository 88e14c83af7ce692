"""The production stack of deploy/, end to end, as README's guide has an operator run it.

On loopback ports: a fresh PostgreSQL database (on the server at 127.0.0.1:5432, dropped
at the end), Redis (127.0.0.1:6379, db 13, flushed before and after), gunicorn from
deploy/gunicorn.conf.py, nginx from deploy/nginx/homestretch.conf with a self-signed
certificate and HTTP/2, and an RQ worker per queue as the systemd units start them; DEBUG
is off. A real Chromium goes through nginx.

It runs once per CI run: CI runs `make test` twice, on SQLite and then with DATABASE_URL
pointing at PostgreSQL, and this test starts its own PostgreSQL database anyway, so it is
skipped on the PostgreSQL pass. Without PostgreSQL, Redis, nginx or Chromium it is skipped
with the reason, unless HOMESTRETCH_REQUIRE_STACK=1 (CI), where a missing part fails it.
"""

import json
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from playwright.sync_api import Error as PlaywrightError

from homestretch.accounts.testing import PASSWORD
from homestretch.library import media
from tests.helpers import require_service
from tests.production.stack import Stack, alive, descendants, play_past, totp, wait_for
from tests.s3 import start_s3

pytestmark = pytest.mark.production

STAFF, MEMBER, VISITOR, VIEWER = (
    "staff@e2e.example.org",
    "member@e2e.example.org",
    "visitor@e2e.example.org",
    "viewer@e2e.example.org",
)
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
SLUG = "standing-pelvic-clock"


def _missing(what: str) -> None:
    if os.environ.get("HOMESTRETCH_REQUIRE_STACK") == "1":
        pytest.fail(f"{what} (HOMESTRETCH_REQUIRE_STACK=1)")
    pytest.skip(what)


def _nginx() -> str:
    found = shutil.which("nginx") or (
        "/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else ""
    )
    if not found:
        _missing("needs nginx (scripts/ensure-nginx installs it)")
    return found


def _chromium() -> None:
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium"):
        if candidate and os.access(candidate, os.X_OK):
            return
    _missing("needs Chromium (scripts/ensure-chromium installs it)")


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("runs in the SQLite pass only: it starts its own PostgreSQL database")
    require_service("PostgreSQL", 5432)
    require_service("Redis", 6379)
    nginx = _nginx()
    folder = tmp_path_factory.mktemp("stack")
    s3 = start_s3(folder / "s3")
    stack = Stack(folder, s3=s3)
    stack.create_database()
    try:
        s3.allow_origin(stack.base_url)
        stack.manage("migrate", "--noinput")
        stack.manage("collectstatic", "--noinput", "-v", "0")
        _people(stack)
        stack.start_web()
        stack.start_nginx(nginx)
        stack.start_worker("default")
        stack.start_worker("video")
        stack.local_site()
        stack.start_web("local")
        stack.start_nginx(nginx, "local")
        yield stack
    finally:
        stack.stop_all()
        s3.stop()
        stack.flush_redis()
        stack.drop_database()


def _people(stack: Stack) -> None:
    stack.python(f"""
from allauth.mfa.totp.internal.auth import TOTP
from homestretch.accounts.testing import make_user
from homestretch.billing.testing import give_access
staff = make_user({STAFF!r}, is_staff=True, is_superuser=True)
TOTP.activate(staff, {TOTP_SECRET!r})
give_access(make_user({MEMBER!r}))
give_access(make_user({VIEWER!r}))
make_user({VISITOR!r})
""")


@pytest.fixture(scope="module")
def chromium(request: pytest.FixtureRequest) -> Browser:
    """The run's shared browser (tests/conftest.py), once Chromium is known to be there."""
    _chromium()
    browser: Browser = request.getfixturevalue("browser")
    return browser


def _context(browser: Browser) -> BrowserContext:
    context = browser.new_context(ignore_https_errors=True)
    context.set_default_timeout(60_000)
    return context


def _log_in(
    page: Page, stack: Stack, email: str, *, code: bool = False, base_url: str = ""
) -> None:
    page.goto(f"{base_url or stack.base_url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    if code:
        # The authenticator app's code. One might expire between reading and sending it:
        # then the form asks again, and a fresh one goes in.
        for _ in range(3):
            page.locator("input[name=code]").fill(totp(TOTP_SECRET))
            page.get_by_role("button", name="Log in").click()
            page.wait_for_load_state()
            if "/2fa/authenticate" not in page.url:
                break
    expect(page.get_by_role("link", name="My practice")).to_be_visible()


def _upload(page: Page, stack: Stack, video: Path, *, new: bool) -> str:
    """Save the sequence with `video` as its source in the admin; the request's id."""
    if new:
        page.goto(f"{stack.base_url}/admin/library/sequence/add/")
        page.get_by_label("Title:").fill("Standing pelvic clock")  # the slug follows it
        page.get_by_label("Status:").select_option("published")
    else:
        page.goto(f"{stack.base_url}/admin/library/sequence/")
        page.get_by_role("link", name="Standing pelvic clock").click()
    page.get_by_label("Source:").set_input_files(video)
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Transcoding started")).to_be_visible()
    return str(posted.value.headers["x-request-id"])


def _plays_past_three_seconds(page: Page, stack: Stack) -> None:
    page.goto(f"{stack.base_url}/library/{SLUG}/")
    page.get_by_role("button", name="Play").click()
    play_past(page, 3, timeout=300)


def _state(stack: Stack, index: int, *states: str) -> dict | None:
    encodings = stack.encodings(SLUG)
    if len(encodings) > index and encodings[index]["state"] in states:
        return encodings[index]
    return None


def test_staff_upload_a_video_members_play_it_and_a_killed_transcode_changes_nothing(
    stack: Stack, chromium: Browser, tmp_path: Path
) -> None:
    """1. Staff sign in with their password and authenticator code, upload a video.
    2. The video worker transcodes it; its log lines carry the upload's request id.
    3. The member plays it past 3 s; a visitor meets the paywall and the member's signed
       playlist refuses them.
    4. Staff upload a new cut; the video worker is SIGKILLed mid-transcode, with its work
       horse and ffmpeg, as a reboot would; systemd would start it again, so the test does.
    5. The reaper (the reap-encodings timer's command) marks the run failed, with a way
       to retry; the member still plays the first version.
    6. Staff retry it from the admin, and the restarted worker makes it the one playing.
    """
    first, second = tmp_path / "first.mp4", tmp_path / "second.mp4"
    media.make_test_video(first, title="First cut", seconds=8, height=360)
    # Long enough to be caught mid-transcode, short enough that the retry is quick.
    media.make_test_video(second, title="Second cut", seconds=30, height=360)

    staff = _context(chromium).new_page()
    _log_in(staff, stack, STAFF, code=True)
    request_id = _upload(staff, stack, first, new=True)

    # 2
    ready = wait_for(
        lambda: _state(stack, 0, "ready", "failed"),
        timeout=600,
        what="the first transcode",
        watch=stack.processes["worker-video"],
    )
    assert ready["state"] == "ready", ready["error"]
    assert ready["playing"]
    lines = [line for line in stack.json_lines("worker-video") if line.get("request_id")]
    assert any(
        line["request_id"] == request_id and "started" in line["message"] for line in lines
    ), stack.log("worker-video")
    access = [line for line in stack.json_lines("gunicorn") if line.get("method") == "POST"]
    assert request_id in {line["request_id"] for line in access}
    assert f"request_id={request_id}" in stack.log("nginx-homestretch.access")
    assert "job_timeout=900" in stack.log("worker-video")  # the floor, for an 8 s clip

    # 3
    member_context = _context(chromium)
    member = member_context.new_page()
    _log_in(member, stack, MEMBER)
    _plays_past_three_seconds(member, stack)
    master = member.locator("[data-player]").get_attribute("data-master")
    assert master
    assert "tok=" in master
    assert member_context.request.get(f"{stack.base_url}{master}").status == 200

    visitor_context = _context(chromium)
    visitor = visitor_context.new_page()
    _log_in(visitor, stack, VISITOR)
    visitor.goto(f"{stack.base_url}/library/{SLUG}/")
    expect(
        visitor.get_by_role("heading", name="This sequence is part of the full library")
    ).to_be_visible()
    assert visitor.locator("video").count() == 0
    assert visitor_context.request.get(f"{stack.base_url}{master}").status == 403

    # 4
    _upload(staff, stack, second, new=False)
    wait_for(
        lambda: (e := _state(stack, 1, "running", "ready", "failed")) and e["progress"] > 0,
        timeout=300,
        what="the second transcode to be under way",
        watch=stack.processes["worker-video"],
    )
    assert _state(stack, 1, "running"), "the transcode ended before the kill"
    horse_and_ffmpeg = descendants(stack.processes["worker-video"].pid)
    assert horse_and_ffmpeg, "the video worker has no work horse"
    stack.kill("worker-video")
    assert not any(alive(pid) for pid in horse_and_ffmpeg)
    stack.start_worker("video")

    # 5
    def reaped() -> dict | None:
        stack.manage("reap_encodings")
        return _state(stack, 1, "failed", "ready")

    killed = wait_for(
        reaped,
        timeout=300,
        what="the killed run to be marked failed",
        watch=stack.processes["worker-video"],
    )
    assert killed["state"] == "failed"
    assert "Retry failed runs" in killed["error"]
    assert stack.encodings(SLUG)[0]["playing"]
    _plays_past_three_seconds(member, stack)

    # 6
    staff.goto(f"{stack.base_url}/admin/library/encoding/?state__exact=failed")
    staff.locator("input[name=_selected_action]").first.check()
    staff.locator("select[name=action]").select_option("retry")
    staff.locator("button[name=index]").first.click()  # the actions bar's "Go"
    expect(staff.get_by_text("Transcoding Standing pelvic clock again")).to_be_visible()
    retried = wait_for(
        lambda: _state(stack, 2, "ready", "failed"),
        timeout=600,
        what="the retried transcode",
        watch=stack.processes["worker-video"],
    )
    assert retried["state"] == "ready", retried["error"]
    assert retried["playing"]


@pytest.fixture(scope="module")
def long_sequences(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A 90-second sequence on each site: well past the player's 30 s buffer, so it keeps
    fetching segments while the test plays it. Transcoded by a one-off process of each site."""
    video = tmp_path_factory.mktemp("long") / "long.mp4"
    media.make_test_video(video, title="A minute and a half", seconds=90, height=240, fps=10)
    slugs = {}
    for site_name in ("main", "local"):
        slug = f"a-minute-{site_name}"
        out = stack.python(
            f"""
from pathlib import Path
from django.core.files import File
from django.utils import timezone
from homestretch.library.models import Encoding, Sequence
from homestretch.library.services import encoding_run
sequence = Sequence.objects.create(
    title="A minute", slug={slug!r}, status="published", publish_at=timezone.now()
)
with Path({str(video)!r}).open("rb") as f:
    sequence.source.save("long.mp4", File(f))
run = encoding_run(encoding_id=Encoding.objects.create(sequence=sequence).pk)
print(run.state, run.error)
""",
            site_name,
        )
        assert out.startswith("ready"), out
        slugs[site_name] = slug
    return slugs


def _is_segment(url: str) -> bool:
    return urlsplit(url).path.endswith(".m4s")


@pytest.mark.parametrize("site_name", ["main", "local"], ids=["object-storage", "nginx"])
def test_segments_skip_django_expire_and_stop_when_access_ends(
    stack: Stack, chromium: Browser, long_sequences: dict[str, str], site_name: str
) -> None:
    """1. A member plays a minute-long sequence; segments come from the bucket or from
       nginx, never from Django. Their links live 5 s here (LIBRARY_SEGMENT_TTL_SECONDS):
       the player meets a refused one, fetches its playlist again for fresh links and
       plays on from its buffer, unnoticed.
    2. Access ends: the next segment is refused (the test waits for that, up to a
       minute), and the player says access has ended.
    3. A copied segment URL stops working once it expires; with another viewer in it,
       it never works; the member's playlist URL does not play for another member.
    """
    site = stack.sites[site_name]
    slug = long_sequences[site_name]
    context = _context(chromium)
    page = context.new_page()
    responses: list[tuple[str, int]] = []
    page.on("response", lambda r: responses.append((r.url, r.status)))
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text))
    page.on("requestfailed", lambda r: console.append(f"failed {r.url}: {r.failure}"))
    _log_in(page, stack, VIEWER, base_url=site.base_url)
    page.goto(f"{site.base_url}/library/{slug}/")
    page.get_by_role("button", name="Play").click()

    # 1
    try:
        play_past(page, 10, timeout=300)
        if not any(_is_segment(u) and status == 403 for u, status in responses):
            page.wait_for_event(
                "response",
                lambda r: _is_segment(r.url) and r.status == 403,
                timeout=300_000,
            )
    except (AssertionError, PlaywrightError) as e:
        raise AssertionError(f"{e}: {responses[-10:]} {console[-5:]}") from None
    expect(page.locator("[data-message]")).to_be_hidden()
    variants = [u for u, status in responses if "index.m3u8" in u and status == 200]
    assert len(variants) >= 2, "the player did not fetch its playlist again"
    masters = [u for u, status in responses if "master.m3u8" in u and status == 200]
    segments = [u for u, status in responses if _is_segment(u) and status in (200, 206)]
    assert segments
    if site_name == "main":
        assert stack.s3 is not None
        assert all(u.startswith(f"{stack.s3.endpoint_url}/") for u in segments), segments[:3]
    else:
        assert all(urlsplit(u).path.startswith("/media/hls/") for u in segments), segments[:3]
        assert urlsplit(segments[0]).netloc == urlsplit(site.base_url).netloc
    gunicorn = "gunicorn" if site_name == "main" else "gunicorn-local"
    assert ".m4s" not in stack.log(gunicorn)

    # 2
    stack.python(f"""
from django.utils import timezone
from homestretch.billing.models import AccessGrant
AccessGrant.objects.filter(user__email={VIEWER!r}).update(ends_at=timezone.now())
""")
    ended = len(responses)
    expect(page.get_by_text("Your access to this sequence has ended")).to_be_visible(
        timeout=120_000
    )
    assert any(_is_segment(u) and status == 403 for u, status in responses[ended:])

    # 3
    stranger = _context(chromium).request
    copied = segments[-1]
    viewer_param = "viewer" if site_name == "main" else "v"
    query = parse_qs(urlsplit(copied).query)
    someone_else = copied.replace(
        f"{viewer_param}={query[viewer_param][0]}", f"{viewer_param}=1", 1
    )
    assert stranger.get(someone_else).status == 403
    # The server that checks the link's expiry is the one watched while it runs out.
    server = (
        stack.s3.process if site_name == "main" and stack.s3 else stack.processes["nginx-local"]
    )
    wait_for(
        lambda: stranger.get(copied).status == 403,
        timeout=180,
        what="the copy to expire",
        watch=server,
    )
    other = _context(chromium)
    _log_in(other.new_page(), stack, MEMBER, base_url=site.base_url)
    assert other.request.get(masters[-1]).status == 403

    stack.python(f"""
from homestretch.accounts.models import User
from homestretch.billing.testing import give_access
give_access(User.objects.get(email={VIEWER!r}))
""")


def test_an_upload_larger_than_nginx_allows_gets_a_page_saying_so(
    stack: Stack, chromium: Browser, tmp_path: Path
) -> None:
    big = tmp_path / "too-big.mp4"
    limit = int(stack.env["LIBRARY_MAX_UPLOAD_MB"]) + 1  # nginx's client_max_body_size
    with big.open("wb") as f:
        f.truncate((limit + 2) * 1024 * 1024)
    staff = _context(chromium).new_page()
    _log_in(staff, stack, STAFF, code=True)
    staff.goto(f"{stack.base_url}/admin/library/sequence/add/")
    staff.get_by_label("Title:").fill(f"Far too long {uuid.uuid4().hex[:6]}")
    staff.get_by_label("Source:").set_input_files(big)
    with staff.expect_response(lambda r: r.request.method == "POST") as posted:
        staff.get_by_role("button", name="Save", exact=True).click()
    assert posted.value.status == 413
    expect(staff.get_by_role("heading", name="That file is too large")).to_be_visible()


def test_the_health_check_through_nginx_reports_every_part(stack: Stack, chromium: Browser) -> None:
    context = _context(chromium)
    response = context.request.get(f"{stack.base_url}/healthz")
    assert response.status == 200
    body = json.loads(response.text())
    assert body["status"] == "ok", body
    assert set(body["queues"]) == {"default", "video"}
    assert response.headers["x-request-id"]


def test_the_timers_commands_run_against_the_stack(stack: Stack, tmp_path: Path) -> None:
    """What deploy/systemd's timers start, once each (the backup as its own unit does)."""
    for command in (
        "send_reminders",
        "send_homework_digests",
        "purge_data_exports",
        "clearsessions",
        "prune_task_results",
        "reap_encodings",
    ):
        stack.manage(command)
    folder = Path(stack.manage("backup", str(tmp_path / "backups")).strip())
    assert (folder / "database.pgdump").stat().st_size > 0
    assert json.loads((folder / "backup.json").read_text())["engine"] == "postgresql"
