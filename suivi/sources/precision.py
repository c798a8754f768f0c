"""How precisely a fact is dated, and how exactly a quantity is stated.

Shared by every app that records a figure: the text says "fin 2016", "rentrée
2016" or "plus de 20 %", and we keep what it says, not more.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DatePrecision(models.TextChoices):
    DAY = "day", _("jour")
    MONTH = "month", _("mois")
    QUARTER = "quarter", _("trimestre")
    YEAR = "year", _("année")


class Qualifier(models.TextChoices):
    """How the stated number relates to the true one."""

    EXACT = "exact", _("exactement")
    MORE_THAN = "more_than", _("plus de")
    LESS_THAN = "less_than", _("moins de")
    AT_LEAST = "at_least", _("au moins")
    AT_MOST = "at_most", _("au plus")
    ABOUT = "about", _("environ")
    NEARLY = "nearly", _("près de")
