"""milepost: a training planner and log for runners whose lives keep interrupting their training."""

__version__ = "0.1.0"
