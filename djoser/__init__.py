"""REST endpoints for Django's authentication: registration, login, passwords and more."""

__version__ = "3.0.0"
