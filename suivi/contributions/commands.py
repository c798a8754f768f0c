"""What management commands share about who runs them."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError


def account_or_operator(email: str | None):
    """The account ``--user EMAIL`` names (with its rights), or None for the server's operator."""
    if not email:
        return None
    account = get_user_model().objects.filter(email__iexact=email).first()
    if account is None:
        raise CommandError(f"No account with the email {email!r}.")
    return account
