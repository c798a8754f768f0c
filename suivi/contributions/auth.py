"""Who is writing: email and password, ProConnect (OpenID Connect) when configured, API tokens."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.utils import timezone

from suivi.contributions.models import ApiToken, token_digest


class EmailBackend(ModelBackend):
    """Log in with the email address (case ignored) and the password.

    django-axes stands before this backend and refuses an address or a client
    after too many failures (see ``AXES_*`` settings).
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        User = get_user_model()
        user = User.objects.filter(email__iexact=username.strip()).order_by("pk").first()
        if user is None:
            User().set_password(password)  # the same work as a real check, so timing tells nothing
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def user_for_token(key: str):
    """The active user a bearer token stands for, or None; notes when it was last used."""
    token = ApiToken.objects.active().select_related("user").filter(digest=token_digest(key)).first()
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


try:  # mozilla-django-oidc is a dependency; it is wired in only when OIDC_ENABLED is set.
    from mozilla_django_oidc.auth import OIDCAuthenticationBackend
except ImportError:  # pragma: no cover
    OIDCAuthenticationBackend = object  # type: ignore[misc,assignment]


class ProConnectBackend(OIDCAuthenticationBackend):
    """ProConnect (the State's agent login) proves an email; the account must already exist here."""

    def filter_users_by_claims(self, claims):
        email = (claims.get("email") or "").strip()
        if not email:
            return get_user_model().objects.none()
        return get_user_model().objects.filter(email__iexact=email, is_active=True)
