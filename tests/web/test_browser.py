"""The main flow in a real browser: Debian's chromium, headless, driven by Playwright against
`milepost serve` on a free loopback port with its own SQLite database.

Sign up, make a plan, log mastitis with a fever, see the re-plan and its guidance, invite a coach
who sees the roster without health detail, share health detail, and the coach sees the episode.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from .helpers import PASSWORD, TODAY

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
    runner.get_by_role("button", name="Change").click()
    coach.reload()
    expect(card).to_contain_text("In a health episode: mastitis")
    card.get_by_role("link", name="Maya Runner").click()
    expect(coach.get_by_role("heading", name="Health episodes")).to_be_visible()
    expect(coach.locator("main")).to_contain_text("Mastitis from")
