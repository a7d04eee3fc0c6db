"""What should I run, and what could I race? Paces and equivalent times from a race or a VDOT."""

from __future__ import annotations

from dataclasses import dataclass, field

from milepost.domain.environment import (
    Adjustment,
    adjust_pace,
    altitude_adjustment,
    grade_adjustment,
    heat_adjustment,
)
from milepost.domain.vdot import (
    TrainingPaces,
    equivalent_times,
    training_paces,
    vdot_from_race,
    vdot_warnings,
)
from milepost.errors import InputError


@dataclass(frozen=True)
class Conditions:
    """Where and how the running happens; every field optional."""

    temp_c: float | None = None
    dew_point_c: float | None = None
    altitude_m: float | None = None
    grade: float | None = None

    def adjustments(self) -> list[Adjustment]:
        found: list[Adjustment] = []
        if (self.temp_c is None) != (self.dew_point_c is None):
            raise InputError(
                "the heat adjustment needs both the temperature and the dew point",
                hint="add --temp and --dew-point together (e.g. --temp 29 --dew-point 22)",
            )
        if self.temp_c is not None and self.dew_point_c is not None:
            found.append(heat_adjustment(self.temp_c, self.dew_point_c))
        if self.altitude_m is not None:
            found.append(altitude_adjustment(self.altitude_m))
        if self.grade is not None:
            found.append(grade_adjustment(self.grade))
        return found


@dataclass(frozen=True)
class PaceReport:
    vdot: float
    equivalent_s: dict[str, float]
    paces: TrainingPaces
    adjustments: list[Adjustment] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def zones(self) -> dict[str, tuple[float, float]]:
        return self.paces.by_zone()

    def adjusted_zones(self) -> dict[str, tuple[float, float]] | None:
        if not self.adjustments:
            return None
        return {
            zone: (
                adjust_pace(zone, fast, self.adjustments),
                adjust_pace(zone, slow, self.adjustments),
            )
            for zone, (fast, slow) in self.zones().items()
        }

    @property
    def hard_running_advised(self) -> bool:
        return all(a.hard_running_advised for a in self.adjustments)

    def as_json(self) -> dict[str, object]:
        def shape(zones: dict[str, tuple[float, float]]) -> dict[str, object]:
            return {
                zone: [round(fast, 1), round(slow, 1)] if zone == "E" else round(fast, 1)
                for zone, (fast, slow) in zones.items()
            }

        out: dict[str, object] = {
            "vdot": round(self.vdot, 2),
            "equivalent_s": {k: round(v, 1) for k, v in self.equivalent_s.items()},
            "paces_s_per_km": shape(self.zones()),
            "paces_s_per_400m": {
                "I": round(self.paces.interval_400m_s, 1),
                "R": round(self.paces.repetition_400m_s, 1),
            },
        }
        adjusted = self.adjusted_zones()
        if adjusted is not None:
            out["adjusted_paces_s_per_km"] = shape(adjusted)
            out["adjustments"] = [{"kind": a.kind, "reason": a.reason} for a in self.adjustments]
            out["hard_running_advised"] = self.hard_running_advised
        out["warnings"] = list(self.warnings)
        return out


def pace_report_for_vdot(vdot: float, conditions: Conditions | None = None) -> PaceReport:
    adjustments = (conditions or Conditions()).adjustments()
    return PaceReport(
        vdot=vdot,
        equivalent_s=equivalent_times(vdot),
        paces=training_paces(vdot),
        adjustments=adjustments,
        warnings=vdot_warnings(vdot),
    )


def pace_report(
    distance_m: float, time_s: float, conditions: Conditions | None = None
) -> PaceReport:
    """The full table for a race result, adjusted for the conditions given."""
    return pace_report_for_vdot(vdot_from_race(distance_m, time_s), conditions)


@dataclass(frozen=True)
class AdjustedPace:
    pace_s_per_km: float
    adjusted_s_per_km: float
    adjustments: list[Adjustment]


def adjust_single_pace(
    pace_s_per_km: float, conditions: Conditions, zone: str = "T"
) -> AdjustedPace:
    """Adjust one pace; ``zone`` says which Daniels zone it belongs to (default T)."""
    adjustments = conditions.adjustments()
    if not adjustments:
        raise InputError(
            "nothing to adjust for",
            hint="give --grade, --altitude, or --temp with --dew-point",
        )
    return AdjustedPace(pace_s_per_km, adjust_pace(zone, pace_s_per_km, adjustments), adjustments)
