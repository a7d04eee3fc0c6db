"""The printable plan: a cover, a calendar page per four weeks, the strength routines."""

from __future__ import annotations

import io
import math
from dataclasses import replace
from datetime import timedelta

from pypdf import PdfReader

from milepost.adapters.exporters.pdf import WEEKS_PER_PAGE, plan_to_pdf
from milepost.domain.plan.model import Plan, Session, SessionKind, Week
from milepost.domain.units import Units, format_pace
from milepost.domain.vdot import training_paces


def _read(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def _text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def _longer(plan: Plan, weeks: int) -> Plan:
    """The fixture's first week repeated, so page breaks can be tested on a 16-week plan."""
    template = plan.weeks[0]
    built = []
    for n in range(1, weeks + 1):
        shift = timedelta(weeks=n - 1)
        days = tuple(replace(d, date=d.date + shift) for d in template.days)
        built.append(replace(template, number=n, starts=template.starts + shift, days=days))
    return replace(plan, weeks=tuple(built), expected_vdot=())


def _without_strength(plan: Plan) -> Plan:
    def keep(s: Session) -> bool:
        return s.kind is not SessionKind.STRENGTH

    weeks = tuple(
        replace(w, days=tuple(replace(d, sessions=tuple(filter(keep, d.sessions))) for d in w.days))
        for w in plan.weeks
    )
    return replace(plan, weeks=weeks)


def _export(plan: Plan, units: Units = Units.KM, **kw: str) -> bytes:
    return plan_to_pdf(plan, athlete_name="Ana Silva", units=units, **kw)


def test_the_file_is_a_pdf(plan: Plan) -> None:
    assert _export(plan).startswith(b"%PDF-")


def test_a_cover_then_a_calendar_page_per_four_weeks_then_strength(plan: Plan) -> None:
    assert len(_read(_export(plan)).pages) == 1 + 1 + 1
    sixteen = _longer(plan, 16)
    assert len(_read(_export(sixteen)).pages) == 1 + math.ceil(16 / WEEKS_PER_PAGE) + 1


def test_a_plan_without_strength_has_no_strength_page(plan: Plan) -> None:
    reader = _read(_export(_without_strength(plan)))
    assert len(reader.pages) == 2
    assert "Strength routines" not in _text(reader)


def test_the_cover_names_the_race_the_vdot_and_the_paces(plan: Plan) -> None:
    cover = _read(_export(plan)).pages[0].extract_text()
    paces = training_paces(plan.vdot)
    assert "Riverside Half Marathon" in cover
    assert "goal 1:39:30" in cover
    assert "starting VDOT 45.0, expected 46.0 by race day" in cover
    assert format_pace(paces.threshold, Units.KM).removesuffix("/km") in cover
    assert format_pace(paces.threshold, Units.MI).removesuffix("/mi") in cover
    assert "1:42" in cover  # I per 400 m at VDOT 45 (Daniels' Table 5.2)
    assert "Phase IV — Final quality" in cover


def test_every_week_has_its_countdown_row(plan: Plan) -> None:
    calendar = _read(_export(plan)).pages[1].extract_text()
    for line in ("Week 1 of 3", "2 to go", "Week 3 of 3", "race week"):
        assert line in calendar


def test_calendar_cells_carry_titles_and_paces_in_the_chosen_units(plan: Plan) -> None:
    calendar = _read(_export(plan, Units.MI)).pages[1].extract_text()
    paces = training_paces(plan.vdot)
    assert "4 × 1 mi T" in calendar
    assert "T " + format_pace(paces.threshold, Units.MI) in calendar
    assert "Race: Riverside" in calendar


def test_the_strength_page_lists_each_routine_with_its_dose(plan: Plan) -> None:
    page = _read(_export(plan)).pages[-1].extract_text()
    assert "Strength routines" in page
    assert "Split squat" in page
    assert "3 × 8 each side" in page
    assert "front knee tracks over the toes" in page


def test_letter_paper_is_landscape_letter(plan: Plan) -> None:
    box = _read(_export(plan, paper="letter")).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (792, 612)
    a4 = _read(_export(plan)).pages[0].mediabox
    assert (round(float(a4.width)), round(float(a4.height))) == (842, 595)


def _crowded(plan: Plan, extra: int) -> Plan:
    """Four weeks whose Wednesday holds its own sessions plus ``extra`` more."""
    days = plan.weeks[0].days
    more = (days[5].sessions * extra)[:extra]
    wednesday = replace(days[2], sessions=days[2].sessions + more)
    week: Week = replace(plan.weeks[0], days=(*days[:2], wednesday, *days[3:]))
    return _longer(replace(plan, weeks=(week,)), 4)


def test_two_a_days_every_week_still_fit_four_weeks_to_a_page(plan: Plan) -> None:
    reader = _read(_export(_crowded(plan, 2)))
    assert len(reader.pages) == 3
    assert "E 5:22" in reader.pages[1].extract_text()  # paces still shown


def test_a_page_too_full_for_paces_keeps_the_titles_and_its_page_count(plan: Plan) -> None:
    reader = _read(_export(_crowded(plan, 6)))
    assert len(reader.pages) == 3
    assert "Strength B (35 min)" in reader.pages[1].extract_text()
