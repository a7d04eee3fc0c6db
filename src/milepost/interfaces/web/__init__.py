"""The web app: FastAPI + Jinja2 + htmx over the same services as the CLI (``milepost serve``)."""

from milepost.interfaces.web.app import create_app

__all__ = ["create_app"]
