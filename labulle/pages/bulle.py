"""Pages of the digital Bulle pilot: explanation, A4 sheet, charter, sign-up, transparency.

    /bulle-numerique/              what it is, how to use it, the flow diagram, FAQ
    /bulle-numerique/fiche/        the same on one printable A4 sheet (stands)
    /bulle-numerique/charte/       the pilot's charter
    /bulle-numerique/inscription/  the sign-up form (POST to LABULLE_SIGNUP_ENDPOINT, or an email)
    /reserve/                      Bulles in circulation and their euros (content/data/stats.json)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from markupsafe import Markup

from labulle.mail.mailto import mailto
from labulle.model import consent
from labulle.pages import svgchart
from labulle.pages.filters import MONTHS
from labulle.source import stats
from labulle.source.settings import identity, setting


@dataclass(frozen=True)
class Pilot:
    """The pilot's dates and terms, as the pages state them."""

    start: date
    end: date
    retention_end: date
    fee: str
    email: str

    @property
    def months(self) -> int:
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1


def add_months(day: date, months: int) -> date:
    """The same day `months` later (clamped to the month's last day)."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    raise ValueError(day)


def pilot(settings: dict[str, Any]) -> Pilot:
    end = date.fromisoformat(setting(settings, "LABULLE_PILOT_END"))
    return Pilot(start=date.fromisoformat(setting(settings, "LABULLE_PILOT_START")), end=end,
                 retention_end=add_months(
                     end, int(setting(settings, "LABULLE_SIGNUP_RETENTION_MONTHS"))),
                 fee=setting(settings, "LABULLE_RECONVERSION_FEE"),
                 email=setting(settings, "LABULLE_EMAIL"))


@dataclass(frozen=True)
class SignupForm:
    """What inscription.html needs: where the form goes and the email to copy without it."""

    endpoint: str | None
    email: str
    subject: str
    mailto_action: str
    copy_text: str
    pros: tuple[tuple[str, str], ...]   # (slug, name) of the published pros


def signup_form(gen: Any) -> SignupForm:
    email = setting(gen.settings, "LABULLE_EMAIL")
    subject = consent.wording(identity(gen.settings))["SUBJECT"]
    copy_text = "\n".join(f"{name} : " + ("oui" if name in ("charte", "consentement") else
                                         consent.CONSENT_VERSION if name == "consentement_version"
                                         else "")
                          for name in consent.FIELDS).replace(" : \n", " :\n")
    return SignupForm(
        endpoint=setting(gen.settings, "LABULLE_SIGNUP_ENDPOINT"), email=email,
        subject=subject, mailto_action=mailto(email, subject),
        copy_text=copy_text.rstrip(),
        pros=tuple((p.slug, p.nom) for p in sorted(gen.directory.published, key=lambda p: p.nom)))


SHORT_MONTHS = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.",
                "oct.", "nov.", "déc.")


def month_label(day: date) -> str:
    """"mars 2020"."""
    return f"{MONTHS[day.month - 1]} {day.year}"


def reserve_chart(figures: stats.Stats, currency: dict[str, Any]) -> Markup:
    """End-of-month Bulles in circulation next to the euros on the reserve (`currency`:
    LABULLE_IDENTITY, for its name)."""
    plural = currency["plural"]
    years = {m.month.year for m in figures.monthly}
    labels = [SHORT_MONTHS[m.month.month - 1]
              + ("" if len(years) == 1 else f" {m.month.year % 100:02d}")
              for m in figures.monthly]
    series = [
        svgchart.Series(f"{plural} en circulation",
                        tuple(m.circulation_end_cents / 100 for m in figures.monthly),
                        "bulles", "#1d6fa5"),
        svgchart.Series("Euros sur la réserve",
                        tuple(m.reserve_end_cents / 100 for m in figures.monthly),
                        "euros", "#2e7d32"),
    ]
    return svgchart.bar_chart(
        labels, series, chart_id="reserve-chart",
        title=f"{plural} en circulation et euros sur la réserve, en fin de mois",
        description="Pour chaque mois, la barre des euros est au moins aussi haute que celle "
                    f"des {plural} : chaque {currency['name']} est couverte par un euro. Les "
                    "chiffres exacts sont dans le tableau qui suit.")


def amount(cents: int, unit: str = "€") -> str:
    """773000 → "7 730 €", 815950 → "8 159,50 €" (narrow no-break spaces)."""
    whole, rest = divmod(cents, 100)
    text = f"{whole:,}".replace(",", "\u202f") + (f",{rest:02d}" if rest else "")
    return f"{text}\u00a0{unit}"


def write_bulle_pages(gen: Any, writer: Any) -> None:
    terms, currency = pilot(gen.settings), identity(gen.settings)
    words, folder = consent.for_site(currency), currency["digital_slug"]
    gen.write_page(writer, f"{folder}/index.html", "bulle_numerique.html", pilot=terms)
    gen.write_page(writer, f"{folder}/fiche/index.html", "fiche_a4.html", pilot=terms)
    gen.write_page(writer, f"{folder}/charte/index.html", "charte.html", pilot=terms,
                   consent=words)
    gen.write_page(writer, f"{folder}/inscription/index.html", "inscription.html",
                   pilot=terms, form=signup_form(gen), consent=words)
    figures = gen.site.stats  # checked by the build's one load (labulle.source.site)
    gen.write_page(writer, "reserve/index.html", "reserve.html", pilot=terms, stats=figures,
                   chart=reserve_chart(figures, currency) if figures and figures.monthly else None,
                   month_label=month_label, amount=amount)
