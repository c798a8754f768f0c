"""The contributor space's forms (DSFR), and the public suggestion form."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from suivi.contributions.workflow import Status
from suivi.sources.models import SourceDocument
from suivi.sources.numbers import parse_date_input, parse_number
from suivi.sources.precision import Qualifier
from suivi.sources.services import SourceSpec
from suivi.territories.lookup import resolve

TERRITORY_HELP = _("Un code (dep:36, com:36044, reg:24) ou un nom (Châteauroux).")
DATE_HELP = _("Le jour, le mois, le trimestre ou l’année du fait : 31/12/2016, 12/2016, T4 2016 ou 2016.")


class LoginForm(AuthenticationForm, DsfrBaseForm):
    username = forms.EmailField(label=_("Adresse électronique"), widget=forms.EmailInput(attrs={"autofocus": True}))
    password = forms.CharField(
        label=_("Mot de passe"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    error_messages = {
        "invalid_login": _(
            "Adresse électronique ou mot de passe incorrect. Après plusieurs essais, le compte est bloqué un moment."
        ),
        "inactive": _("Ce compte est désactivé."),
    }


class TerritoryField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("help_text", TERRITORY_HELP)
        super().__init__(**kwargs)

    def clean(self, value):
        text = super().clean(value)
        return resolve(text) if text else None


class TerritoriesField(forms.CharField):
    """Several territories, separated by semicolons."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 1000)
        kwargs.setdefault(
            "help_text", _("Un ou plusieurs lieux séparés par des points-virgules : Châteauroux ; dep:36.")
        )
        super().__init__(**kwargs)

    def clean(self, value):
        text = super().clean(value)
        found, errors = [], []
        for part in [p.strip() for p in (text or "").split(";") if p.strip()]:
            try:
                found.append(resolve(part))
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise ValidationError(errors)
        return found


class PartialDateField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("help_text", DATE_HELP)
        super().__init__(**kwargs)

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        try:
            return parse_date_input(text)
        except ValueError:
            raise ValidationError(
                _("« %s » n’est pas une date : écrivez 31/12/2016, 12/2016, T4 2016 ou 2016.") % text
            ) from None


class NumberField(forms.CharField):
    def clean(self, value):
        text = super().clean(value)
        try:
            return parse_number(text)
        except ValueError:
            raise ValidationError(_("« %s » n’est pas un nombre : écrivez par exemple 1 675 ou 12,5.") % text) from None


class ValueForm(DsfrBaseForm):
    indicator = forms.ModelChoiceField(queryset=None, label=_("Indicateur"))
    territory = TerritoryField(label=_("Territoire"))
    date = PartialDateField(label=_("Date du fait"))
    value = NumberField(label=_("Valeur"), max_length=40, help_text=_("Dans l’unité de l’indicateur."))
    qualifier = forms.ChoiceField(
        label=_("Précision de la valeur"), choices=Qualifier.choices, initial=Qualifier.EXACT, required=False
    )
    comment = forms.CharField(
        label=_("Commentaire"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    source_document = forms.ModelChoiceField(queryset=None, required=False, label=_("Source : un document déjà connu"))
    source_file = forms.FileField(
        required=False, label=_("Ou joindre le document"), help_text=_("PDF, texte, tableur ; 20 Mo au plus.")
    )
    source_url = forms.URLField(
        required=False, label=_("Ou son adresse sur le web"), max_length=500, assume_scheme="https"
    )
    source_page = forms.IntegerField(required=False, min_value=1, max_value=100_000, label=_("Page"))
    source_quote = forms.CharField(
        required=False, max_length=2000, label=_("Passage cité"), widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, indicators, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = indicators
        self.fields["indicator"].label_from_instance = lambda i: f"{i.measure.title} — {i.name} ({i.unit})"
        self.fields["source_document"].queryset = SourceDocument.objects.filter(programme=programme).order_by("title")

    def clean_qualifier(self):
        return self.cleaned_data["qualifier"] or Qualifier.EXACT

    def clean(self):
        data = super().clean()
        given = [bool(data.get("source_document")), bool(data.get("source_file")), bool(data.get("source_url"))]
        if sum(given) > 1:
            raise ValidationError(_("Donnez une seule source : un document connu, un fichier joint ou une adresse."))
        return data

    def source_spec(self) -> SourceSpec:
        data = self.cleaned_data
        return SourceSpec(
            document=data.get("source_document"),
            upload=data.get("source_file"),
            url=data.get("source_url") or "",
            page=data.get("source_page"),
            quote=data.get("source_quote") or "",
        )


class InitiativeForm(DsfrBaseForm):
    title = forms.CharField(label=_("Titre"), max_length=300)
    body = forms.CharField(
        label=_("Texte"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown simple : **gras**, *italique*, listes, liens."),
    )
    measures = forms.ModelMultipleChoiceField(queryset=None, label=_("Mesures"), widget=forms.CheckboxSelectMultiple)
    territories = TerritoriesField(label=_("Lieux"))
    start = PartialDateField(label=_("Début"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, measures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measures"].queryset = measures


class MoveForm(DsfrBaseForm):
    to_status = forms.ChoiceField(choices=Status.choices, widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("Commentaire"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class SuggestionForm(DsfrBaseForm):
    name = forms.CharField(label=_("Votre nom"), max_length=200)
    email = forms.EmailField(label=_("Votre adresse électronique"), help_text=_("Pour vous répondre ; jamais publiée."))
    title = forms.CharField(label=_("Titre de l’initiative"), max_length=300)
    body = forms.CharField(label=_("Description"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))
    place = TerritoryField(label=_("Lieu"))
    measure = forms.ModelChoiceField(queryset=None, label=_("Mesure concernée"))
    # Left empty by people; robots fill it (hidden from view and from screen readers).
    website = forms.CharField(required=False, label=_("Ne pas remplir ce champ"))

    def __init__(self, *args, measures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = measures
        self.fields["measure"].label_from_instance = lambda m: m.title


class TokenForm(DsfrBaseForm):
    name = forms.CharField(label=_("Nom du jeton"), max_length=100, help_text=_("Ex. : « script de la préfecture »."))
