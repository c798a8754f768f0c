"""The people who write, what they may write, and the record of each workflow move."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from suivi.contributions.workflow import Status


class RoleKind(models.TextChoices):
    ADMINISTRATOR = "admin", _("administrateur")
    EDITOR = "editor", _("éditeur du programme")
    REVIEWER = "reviewer", _("relecteur")
    CONTRIBUTOR = "contributor", _("contributeur")


class Role(models.Model):
    """What one person may do, and where.

    An administrator needs no programme. An editor keeps one programme's catalogue; a
    reviewer validates and publishes in one programme. A contributor reports values
    and initiatives for its scope only: the measures listed (none: every measure of the
    programme) and the territories listed with everything below them (none: France).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="suivi_roles")
    kind = models.CharField(_("rôle"), max_length=11, choices=RoleKind.choices)
    programme = models.ForeignKey(
        "catalogue.Programme", on_delete=models.CASCADE, null=True, blank=True, related_name="roles"
    )
    measures = models.ManyToManyField("catalogue.Measure", blank=True, related_name="+", verbose_name=_("mesures"))
    territories = models.ManyToManyField(
        "territories.Territory", blank=True, related_name="+", verbose_name=_("territoires")
    )
    label = models.CharField(
        _("au titre de"), max_length=200, blank=True, help_text=_("Ex. : « Préfecture de l’Indre ».")
    )

    class Meta:
        verbose_name = _("rôle")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="admin") | models.Q(programme__isnull=False),
                name="role_needs_a_programme",
            )
        ]

    def __str__(self) -> str:
        where = f" — {self.programme}" if self.programme_id else ""
        return f"{self.user} : {self.get_kind_display()}{where}"


class Transition(models.Model):
    """One workflow move of a value or an initiative: who, when, from where to where, and why."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    from_status = models.CharField(_("de"), max_length=10, choices=Status.choices)
    to_status = models.CharField(_("vers"), max_length=10, choices=Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    comment = models.TextField(_("commentaire"), blank=True)
    change_set = models.ForeignKey("sources.ChangeSet", on_delete=models.PROTECT, related_name="transitions")
    at = models.DateTimeField(_("date"), default=timezone.now)

    class Meta:
        verbose_name = _("changement d’état")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


def token_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class ApiToken(models.Model):
    """A key for a contributor's scripts: the API acts as its user, with the same rights.

    Only a digest is stored; the key is shown once, when it is made.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("nom"), max_length=100)
    prefix = models.CharField(_("début de la clé"), max_length=8)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)
    last_used_at = models.DateTimeField(_("dernier usage"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("révoquée le"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("jeton d’API")
        verbose_name_plural = _("jetons d’API")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, user, name: str) -> tuple[ApiToken, str]:
        """A new token and its key (the only time the key exists in clear)."""
        key = "suivi_" + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, prefix=key[6:14], digest=token_digest(key))
        return token, key


class Suggestion(models.Model):
    """Who suggested a local initiative from the public form; the initiative waits for review."""

    initiative = models.OneToOneField("initiatives.Initiative", on_delete=models.PROTECT, related_name="suggestion")
    name = models.CharField(_("nom"), max_length=200)
    email = models.EmailField(_("courriel"))
    created_at = models.DateTimeField(_("date"), default=timezone.now)

    class Meta:
        verbose_name = _("suggestion du public")
        verbose_name_plural = _("suggestions du public")

    def __str__(self) -> str:
        return f"{self.name} — {self.initiative}"
