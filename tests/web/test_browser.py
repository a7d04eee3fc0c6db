"""The main flow in a real browser: Debian's chromium, headless, driven by Playwright against
`milepost serve` on a free loopback port with its own SQLite database.

Sign up, make a plan, set the hours and feeds in Settings and see sessions at times on Today and
Week, log mastitis with a fever, see the re-plan and its guidance, invite a coach who sees the
roster without health detail, share health detail, and the coach sees the episode.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from .helpers import PASSWORD, TODAY, gpx_run

CHROMIUM = os.environ.get("MILEPOST_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = (
    Path(os.environ.get("MILEPOST_SCREENSHOTS", ""))
    if os.environ.get("MILEPOST_SCREENSHOTS")
    else None
)

pytestmark = pytest.mark.skipif(
    shutil.which(CHROMIUM) is None,
    reason=f"no chromium at {CHROMIUM}: apt-get install -y chromium (the tests never download one)",
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home = tmp_path_factory.mktemp("browser-home")
    port = _free_port()
    env = os.environ | {
        "MILEPOST_HOME": str(home),
        "MILEPOST_DATABASE_URL": f"sqlite:///{home / 'milepost.db'}",
        "MILEPOST_TODAY": TODAY.isoformat(),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "milepost", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{base}/signin").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            raise RuntimeError("milepost serve did not start")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield launched
        launched.close()


def _sign_up(page, base: str, username: str, name: str, role: str) -> None:
    page.goto(f"{base}/signup")
    page.get_by_label("a coach" if role == "coach" else "a runner").check()
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Email").fill(f"{username}@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Time zone").fill("Europe/London")
    page.get_by_role("button", name="Create account").click()


def test_sign_up_plan_mastitis_and_a_coach_with_and_without_consent(server, browser) -> None:
    from playwright.sync_api import expect

    phone = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    runner = phone.new_page()
    _sign_up(runner, server, "maya", "Maya Runner", "athlete")

    # A plan, as a new user would make one: the form the sign-up leads to.
    expect(runner.get_by_role("heading", name="Make a race plan")).to_be_visible()
    runner.get_by_label("Race distance").fill("half")
    runner.get_by_label("Race date").fill("2027-04-18")
    runner.get_by_label("A recent race").fill("5k=22:30")
    runner.get_by_label("Weekly volume now").fill("35")
    runner.get_by_label("First day (optional)").fill("2027-01-04")
    runner.get_by_role("button", name="Make my plan").click()
    expect(runner.locator(".countdown")).to_have_text("Week 1 of 15 — 14 to go")

    # Settings: the hours she has, then the feeds; each save says what was placed.
    runner.get_by_role("link", name="Settings").click()
    runner.get_by_label("One line per window").fill("mon-fri 05:30-07:00\nsat,sun 07:00-10:30")
    runner.get_by_label("Buffer after each run (minutes)").fill("15")
    runner.get_by_role("button", name="Save windows").click()
    result = runner.locator("#schedule-result")
    expect(result).to_contain_text("sessions placed in your hours")
    # A window the parser cannot read is explained beside the form, which keeps what she typed.
    runner.get_by_label("One line per window").fill("mon-fri 5.30")
    runner.get_by_role("button", name="Save windows").click()
    expect(runner.locator("#hours-errors")).to_contain_text("as a time range")
    expect(runner.get_by_label("One line per window")).to_have_value("mon-fri 5.30")
    runner.get_by_label("One line per window").fill("mon-fri 05:30-07:00\nsat,sun 07:00-10:30")
    runner.get_by_role("button", name="Save windows").click()
    expect(runner.locator("#hours-errors")).to_be_empty()
    runner.get_by_label("Every", exact=True).fill("3h")
    runner.get_by_label("First feed").fill("05:00")
    runner.get_by_label("Last feed by").fill("20:00")
    runner.get_by_role("button", name="Save feeds").click()
    expect(result).to_contain_text("Feeds saved: 05:00, 08:00, 11:00, 14:00, 17:00, 20:00.")
    if SCREENSHOTS:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        runner.locator("#availability").screenshot(path=str(SCREENSHOTS / "settings-phone.png"))

    runner.get_by_role("link", name="Today").click()
    expect(runner.locator(".session .time").first).to_have_text(re.compile(r"^05:30–\d\d:\d\d$"))
    runner.get_by_role("link", name="Week").click()
    expect(runner.locator(".day .feed").first).to_contain_text("Feed (30 min)")
    expect(runner.locator(".day summary .time").first).to_be_visible()
    if SCREENSHOTS:
        runner.screenshot(path=str(SCREENSHOTS / "week-phone.png"), full_page=True)

    # Something happened: mastitis with a fever. Preview first, then save.
    runner.get_by_role("link", name="Something happened").first.click()
    runner.get_by_label("What happened").select_option("mastitis")
    runner.get_by_label("Temperature (optional)").fill("38.6")
    runner.get_by_role("button", name="Preview the re-plan").click()
    replan = runner.locator("#replan")
    expect(replan).to_contain_text("Preview: mastitis")
    expect(replan).to_contain_text("Changes to the plan")
    expect(replan.locator(".guidance").first).to_be_visible()
    runner.get_by_role("button", name="Save and re-plan").click()
    expect(replan).to_contain_text("Logged: mastitis")
    expect(replan.locator(".level-see_clinician, .level-caution").first).to_be_visible()

    runner.goto(f"{server}/today")
    expect(runner.locator(".guidance").first).to_be_visible()
    if SCREENSHOTS:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        runner.screenshot(path=str(SCREENSHOTS / "today-phone.png"), full_page=True)
        runner.goto(f"{server}/plan")
        runner.wait_for_function("document.querySelector('#volume-chart').dataset.drawn")
        runner.screenshot(path=str(SCREENSHOTS / "plan-phone.png"), full_page=True)

    # Log: a recorded run, its charts (Chart.js draws them), and Progress.
    runner.goto(f"{server}/log")
    runner.get_by_label("Activity files").set_input_files(
        {"name": "jog.gpx", "mimeType": "application/gpx+xml", "buffer": gpx_run()}
    )
    runner.get_by_role("button", name="Upload").click()
    expect(runner.locator("#import-report")).to_contain_text("1 imported")
    runner.goto(f"{server}/log")
    runner.locator("table a").first.click()  # a boosted link: Chart.js is loaded on demand
    expect(runner.locator("canvas[data-xy-chart]").first).to_have_attribute("data-drawn", "1")
    expect(runner.get_by_role("heading", name="Heart rate (bpm)")).to_be_visible()
    runner.get_by_role("link", name="Progress").click()
    expect(runner.locator("canvas[data-line-chart]").first).to_have_attribute("data-drawn", "1")
    if SCREENSHOTS:
        runner.screenshot(path=str(SCREENSHOTS / "progress-phone.png"), full_page=True)

    # A coach signs up in another browser; the runner adds her, training only.
    laptop = browser.new_context(viewport={"width": 1280, "height": 800})
    coach = laptop.new_page()
    _sign_up(coach, server, "carla", "Coach Carla", "coach")
    expect(coach.get_by_role("heading", name="Your athletes")).to_be_visible()

    runner.goto(f"{server}/settings")
    runner.get_by_label("Coach's username or email").fill("carla")
    runner.get_by_label("They see").select_option("training")
    runner.get_by_role("button", name="Add coach").click()
    expect(runner.locator("#coaches")).to_contain_text("Coach Carla")

    coach.reload()
    card = coach.locator(".roster li").filter(has_text="Maya Runner")
    expect(card).to_contain_text("Week 1 of 15")
    expect(card).not_to_contain_text("health episode")
    expect(coach.locator("body")).not_to_contain_text("mastitis")

    # Sharing health detail shows the episode to the coach at her next click.
    runner.goto(f"{server}/settings")
    runner.locator("#coaches select[name=scope]").first.select_option("training+health")
    runner.locator("#coaches input[name=password]").first.fill(PASSWORD)
    runner.get_by_role("button", name="Change", exact=True).click()
    runner.wait_for_load_state("networkidle")  # the change is stored before the coach looks
    expect(runner.locator("#coaches select[name=scope]").first).to_have_value("training+health")
    coach.reload()
    expect(card).to_contain_text("In a health episode: mastitis")
    card.get_by_role("link", name="Maya Runner").click()
    expect(coach.get_by_role("heading", name="Health episodes")).to_be_visible()
    expect(coach.locator("main")).to_contain_text("Mastitis from")


def test_an_invite_through_sign_up_a_coach_who_trains_the_roster_a_thread_and_revocation(
    server, browser
) -> None:
    """Issue #13 in a real browser, and issue #11's daily check-in at phone size."""
    from playwright.sync_api import expect

    phone = browser.new_context(viewport={"width": 390, "height": 844})
    runner = phone.new_page()
    _sign_up(runner, server, "nina", "Nina Runner", "athlete")
    runner.get_by_label("Race distance").fill("half")
    runner.get_by_label("Race date").fill("2027-04-18")
    runner.get_by_label("A recent race").fill("5k=23:30")
    runner.get_by_label("Weekly volume now").fill("35")
    runner.get_by_label("First day (optional)").fill("2027-01-04")
    runner.get_by_role("button", name="Make my plan").click()
    expect(runner.locator(".countdown")).to_have_text("Week 1 of 15 — 14 to go")

    # An open cold: Today asks how she is first, and marks the day provisional.
    runner.goto(f"{server}/happened")
    runner.get_by_label("What happened").select_option("illness")
    runner.get_by_label("From").fill("2027-01-05")
    runner.locator("#symptoms").select_option("above-neck")
    runner.get_by_role("button", name="Save and re-plan").click()
    expect(runner.locator("#replan")).to_contain_text("Logged: illness")
    runner.goto(f"{server}/today")
    expect(runner.get_by_role("heading", name="How are you today?")).to_be_visible()
    runner.locator(".checkin-card input[name=temp]").fill("36.9")
    runner.locator(".checkin-card").get_by_label("Better").check()
    runner.locator(".checkin-card").get_by_role("button", name="Check in").click()
    expect(runner.locator("main")).to_contain_text("Check-in for")
    runner.goto(f"{server}/today")
    expect(runner.get_by_role("heading", name="How are you today?")).to_have_count(0)

    # An invite link; the coach has no account yet and signs up from it.
    runner.goto(f"{server}/settings")
    runner.get_by_role("button", name="Make an invite link").click()
    link = runner.locator("code.secret").inner_text()
    path = link[link.index("/invites/") :]
    laptop = browser.new_context(viewport={"width": 1280, "height": 800})
    coach = laptop.new_page()
    coach.goto(f"{server}{path}")
    expect(coach.locator("main")).to_contain_text("Nina Runner invites you to coach them")
    expect(coach.locator("main")).to_contain_text("training only")
    coach.get_by_role("link", name="Sign up as a coach").click()
    coach.get_by_label("Your name").fill("Coach Hana")
    coach.get_by_label("Username").fill("hana")
    coach.get_by_label("Email").fill("hana@example.org")
    coach.get_by_label("Password").fill(PASSWORD)
    coach.get_by_role("button", name="Create account").click()
    expect(coach).to_have_url(re.compile(re.escape(path) + "$"))  # back at the invite
    coach.get_by_role("button", name="Accept").click()
    expect(coach.get_by_role("heading", name="Nina Runner")).to_be_visible()

    # The roster: the week planned against done; a note, and her reply (a thread).
    coach.goto(f"{server}/coach")
    card = coach.locator(".roster li").filter(has_text="Nina Runner")
    expect(card).to_contain_text("planned")
    card.get_by_role("link", name="Nina Runner").click()
    coach.get_by_label("Note for Nina Runner").fill("Keep it easy this week")
    coach.get_by_role("button", name="Send note").click()
    expect(coach.locator("main")).to_contain_text("Note sent")
    runner.goto(f"{server}/today")
    expect(runner.locator(".note").first).to_contain_text("Keep it easy this week")
    runner.get_by_label("Reply to Coach Hana").fill("Will do")
    runner.get_by_role("button", name="Send reply").click()
    expect(runner.locator(".note.reply")).to_contain_text("Will do")
    coach.reload()
    expect(coach.locator("main")).to_contain_text("Will do")
    expect(coach.locator("main")).not_to_contain_text("above the neck")

    # A coach who trains: her own plan beside her roster.
    coach.goto(f"{server}/settings")
    coach.get_by_role("button", name="Start my own training").click()
    coach.get_by_label("Race distance").fill("10k")
    coach.get_by_label("Race date").fill("2027-03-28")
    coach.get_by_label("A recent race").fill("5k=21:00")
    coach.get_by_label("Weekly volume now").fill("40")
    coach.get_by_role("button", name="Make my plan").click()
    expect(coach.get_by_role("link", name="Roster")).to_be_visible()
    expect(coach.get_by_role("link", name="Today")).to_be_visible()

    # Revoking takes effect at the coach's next click; she sees who looked.
    runner.goto(f"{server}/settings")
    expect(runner.locator("#coaches")).to_contain_text("Coach Hana")
    runner.locator("#coaches details summary").click()
    expect(runner.locator("#coaches details")).to_contain_text("Coach Hana viewed your plan")
    runner.locator("#coaches").get_by_role("button", name="Revoke").first.click()
    expect(runner.locator("#coaches")).to_contain_text("No coach sees your training")
    coach.goto(f"{server}/coach")
    expect(coach.locator("main")).not_to_contain_text("Nina Runner")
