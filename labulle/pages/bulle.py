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

from labulle.ledger.territory import MINIMUM_PROS
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


def month_labels(figures: stats.Stats) -> list[str]:
    """"mars", or "mars 20" when the series spans several years."""
    years = {m.month.year for m in figures.monthly}
    return [SHORT_MONTHS[m.month.month - 1]
            + ("" if len(years) == 1 else f" {m.month.year % 100:02d}")
            for m in figures.monthly]


def reserve_chart(figures: stats.Stats, currency: dict[str, Any]) -> Markup:
    """End-of-month Bulles in circulation next to the euros on the reserve (`currency`:
    LABULLE_IDENTITY, for its name)."""
    plural = currency["plural"]
    labels = month_labels(figures)
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


def payments_chart(figures: stats.Stats, currency: dict[str, Any]) -> Markup:
    """Payments from residents to pros and between pros, month by month."""
    plural = currency["plural"]
    months = figures.monthly
    return svgchart.bar_chart(
        month_labels(figures),
        [svgchart.Series("Des habitants aux pros",
                         tuple((m.resident_to_pro_cents or 0) / 100 for m in months),
                         "residents", "#1d6fa5"),
         svgchart.Series("Entre pros", tuple((m.pro_to_pro_cents or 0) / 100 for m in months),
                         "pros", "#8a4b08")],
        chart_id="paiements-chart",
        title=f"Paiements en {plural} numériques, chaque mois",
        description=f"Pour chaque mois, les {plural} payées par les habitants aux pros et "
                    "celles que les pros se sont payées entre eux. Les chiffres exacts sont "
                    "dans le tableau qui suit.")


def rates_chart(figures: stats.Stats, currency: dict[str, Any]) -> Markup:
    """Of what pros received each month: the share spent at other pros, the share reconverted."""
    plural, months = currency["plural"], figures.monthly
    return svgchart.bar_chart(
        month_labels(figures),
        [svgchart.Series("Dépensées chez d’autres pros",
                         tuple((m.reuse_rate_bp or 0) / 100 for m in months), "reuse", "#2e7d32"),
         svgchart.Series("Reconverties en euros",
                         tuple((m.reconversion_rate_bp or 0) / 100 for m in months),
                         "reconversion", "#6b6f76")],
        chart_id="reutilisation-chart", unit=" %",
        title=f"Ce que les pros font des {plural} reçues, chaque mois",
        description=f"Pour chaque mois, la part des {plural} reçues par les pros qu’ils ont "
                    "dépensée chez d’autres pros, et la part qu’ils ont reconvertie en euros. "
                    "Les chiffres exacts sont dans le tableau qui suit.")


def communes_chart(figures: stats.Stats, currency: dict[str, Any]) -> Markup:
    """Payments received by the pros of each commune (cells of five pros or more)."""
    cells = figures.communes or ()
    return svgchart.hbar_chart(
        [cell.commune for cell in cells],
        svgchart.Series("Paiements reçus", tuple(c.payments_cents / 100 for c in cells),
                        "residents", "#1d6fa5"),
        chart_id="communes-chart", unit=f" {currency['plural']}",
        title=f"{currency['plural']} numériques reçues par les pros de chaque commune",
        description=f"Une barre par commune comptant au moins {MINIMUM_PROS} pros payés ; "
                    "les autres sont regroupées dans « autres communes ». Les chiffres exacts "
                    "sont dans le tableau qui suit.")


def percent(basis_points: int | None) -> str:
    """8421 → "84,2 %"; None → "—" (nothing received that month)."""
    if basis_points is None:
        return "—"
    whole, tenth = divmod((basis_points + 5) // 10, 10)
    return f"{whole:,}".replace(",", "\u202f") + (f",{tenth}" if tenth else "") + "\u00a0%"


def territory_charts(figures: stats.Stats | None, currency: dict[str, Any]) -> dict:
    """The charts of « Ce que la Bulle fait pour le territoire », those the file allows."""
    if not figures or not figures.monthly:
        return {}
    charts = {}
    if figures.flows is not None:
        charts.update(payments=payments_chart(figures, currency),
                      rates=rates_chart(figures, currency))
    if figures.communes:
        charts["communes"] = communes_chart(figures, currency)
    return charts


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
                   charts=territory_charts(figures, currency), minimum_pros=MINIMUM_PROS,
                   month_label=month_label, amount=amount, percent=percent)
