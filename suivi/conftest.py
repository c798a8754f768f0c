"""Fixtures of the real-browser tests (see ``suivi/browser.py``), for every app's tests."""

from suivi.browser import browser, page, site, site_data  # noqa: F401  (pytest fixtures)
