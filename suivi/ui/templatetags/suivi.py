"""Template filters for French figures: ``{{ value|fr_number }}``, ``{% quantity obs.value unit obs.qualifier %}``."""

from django import template

from suivi.ui import formatting, markdown

register = template.Library()


@register.filter
def fr_number(value):
    return formatting.number(value)


@register.filter
def fr_amount(value, currency="EUR"):
    return formatting.amount(value, currency)


@register.simple_tag
def quantity(value, unit, qualifier="exact"):
    return formatting.quantity(value, unit, qualifier)


@register.simple_tag
def partial_date(date, precision="day"):
    return formatting.partial_date(date, precision)


@register.filter
def lowerfirst(text):
    """A label set inside a sentence: only its first letter lowered, acronyms and names kept (TIG, Pays de Dreux)."""
    return formatting.lower_first(str(text))


@register.filter
def day_label(date):
    """A day in French: ``31 décembre 2016``, ``1er janvier 2017``."""
    return formatting.partial_date(date)


@register.filter
def safe_markdown(text):
    """An initiative's text: a Markdown subset, sanitised (see ``suivi.ui.markdown``)."""
    return markdown.render(text)


@register.filter(is_safe=True)
def typo(text):
    """French typography for titles: no-break spaces before ``: ; ! ? »`` and after ``«``."""
    return formatting.french_typography(str(text)) if text is not None else ""
