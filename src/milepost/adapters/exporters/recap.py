"""The weekly recap card: a PNG fit for sharing (matplotlib, Agg backend — no display needed).

The runner's numbers and a small chart of the days; heart rate and the load numbers that come
from it appear only when asked for (``health``).
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from milepost.domain.compliance import RUN_SPORTS
from milepost.domain.units import format_distance

if TYPE_CHECKING:
    from milepost.services.logbook import WeekView
_INK = "#1d232b"
_MUTED = "#6b7480"
_PLANNED = "#dfe3e8"
_DONE = "#e8613c"
_PAPER = "#fbfaf7"


def _day_km(view: WeekView) -> tuple[list[float], list[float]]:
    units = view.units
    planned = [d.run_m / units.metres for d in view.plan_week.days]
    done = [0.0] * 7
    for logged in view.activities:
        if logged.activity.sport in RUN_SPORTS:
            index = (logged.local_date - view.plan_week.starts).days
            done[index] += (logged.activity.distance_m or 0.0) / units.metres
    return planned, done


def render_recap(view: WeekView, *, health: bool = False) -> bytes:
    """The week as a 1200 × 675 PNG card: the numbers a runner shares and a chart of the days.

    Heart rate and the load numbers (which come from it) appear only with ``health``.
    """
    import matplotlib

    matplotlib.use("Agg")  # no display: a file, on any machine
    from matplotlib.figure import Figure

    c, units = view.compliance, view.units
    fig = Figure(figsize=(8, 4.5), dpi=150, facecolor=_PAPER)
    race = view.plan.race
    race_name = race.name or format_distance(race.distance_m)
    countdown = "race week" if c.weeks_to_race == 0 else f"{c.weeks_to_race} weeks to go"
    fig.text(
        0.05, 0.9, f"WEEK {c.week} OF {c.weeks_in_plan}  ·  {countdown.upper()}",
        color=_MUTED, fontsize=9, fontweight="bold",
    )  # fmt: skip
    fig.text(
        0.05, 0.74, f"{c.done_m / units.metres:.1f}", color=_INK, fontsize=40, fontweight="bold"
    )
    fig.text(
        0.05, 0.67, f"{units.value} of {c.planned_m / units.metres:.0f} planned",
        color=_MUTED, fontsize=11,
    )  # fmt: skip
    tiles = [
        ("Long run", f"{c.long_run_m / units.metres:.1f} {units.value}"),
        ("Strength", f"{c.strength_sessions} of {c.planned_strength_sessions}"),
        ("Sessions done", "—" if c.compliance is None else f"{c.compliance:.0%}"),
        ("Runs", f"{sum(1 for m in c.matches if m.activity.is_run)}"),
    ]
    for i, (label, value) in enumerate(tiles):
        x, y = 0.05 + (i % 2) * 0.2, 0.5 - (i // 2) * 0.17
        fig.text(x, y, value, color=_INK, fontsize=15, fontweight="bold")
        fig.text(x, y - 0.05, label, color=_MUTED, fontsize=8.5)
    if health:
        hrs = [a.activity.avg_hr_bpm for a in view.activities if a.activity.avg_hr_bpm]
        parts = [f"avg heart rate {sum(hrs) / len(hrs):.0f} bpm"] if hrs else []
        if view.fitness is not None:
            f = view.fitness
            parts.append(
                f"fitness {f.fitness_ctl:.0f} · fatigue {f.fatigue_atl:.0f}"
                f" · form {f.form_tsb:+.0f}"
            )
        if parts:
            fig.text(0.05, 0.13, "  ·  ".join(parts), color=_MUTED, fontsize=8.5)
    fig.text(
        0.05, 0.05, f"{view.athlete.name}  ·  {race_name}, {race.date:%d %b %Y}",
        color=_MUTED, fontsize=8,
    )  # fmt: skip
    fig.text(0.95, 0.05, "milepost", color=_DONE, fontsize=9, fontweight="bold", ha="right")

    planned, done = _day_km(view)
    ax = fig.add_axes((0.52, 0.2, 0.43, 0.62))
    ax.set_facecolor(_PAPER)
    days = range(7)
    ax.bar(days, planned, width=0.7, color=_PLANNED, label="planned", zorder=1)
    ax.bar(days, done, width=0.42, color=_DONE, label="done", zorder=2)
    ax.set_xticks(list(days), [f"{d.date:%a}"[0:2] for d in view.plan_week.days])
    ax.tick_params(colors=_MUTED, length=0, labelsize=8)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_color(_PLANNED)
    ax.set_yticks([])
    top = max([*planned, *done, 1.0])
    ax.set_ylim(0, top * 1.22)
    for x, km, plan_km in zip(days, done, planned, strict=True):
        if km > 0:
            ax.text(x, km + top * 0.03, f"{km:.0f}", ha="center", color=_INK, fontsize=7.5)
        elif plan_km > 0:  # still to run (or missed): the planned distance, in grey
            ax.text(
                x, plan_km + top * 0.03, f"{plan_km:.0f}", ha="center", color=_MUTED, fontsize=7.5
            )
    ax.legend(loc="upper left", frameon=False, fontsize=7.5, labelcolor=_MUTED, ncols=2,
              bbox_to_anchor=(0, 1.12))  # fmt: skip
    ax.set_title(
        f"{view.plan_week.starts:%d %b} – {view.plan_week.ends:%d %b}",
        color=_MUTED, fontsize=8.5, loc="right", pad=10,
    )  # fmt: skip
    out = io.BytesIO()
    fig.savefig(out, format="png", facecolor=_PAPER)
    return out.getvalue()
