"""Episodes drive the plan: one rule set per cause, applied in a fixed order by engine.py."""

from milepost.domain.adapt.edits import Edit
from milepost.domain.adapt.engine import Adaptation, adapt_plan, derive_plan
from milepost.domain.adapt.model import Change, Forecast, Level

__all__ = ["Adaptation", "Change", "Edit", "Forecast", "Level", "adapt_plan", "derive_plan"]
