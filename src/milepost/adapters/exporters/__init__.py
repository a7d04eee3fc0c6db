"""Exporters: the plan as a calendar feed (iCal), a printable PDF and a FIT workout for a watch."""
