"""`invoke social`: the 11 o'clock post for the association's Facebook page, ready to paste.

The food pros open on the day (hours, how to order), the baskets still open for orders, and the
link to the crisis page; under 2,000 characters, the longest lists trimmed with "et N autres sur
le site". Everything is read from the checked pro files, as of `--date` (default: the site's
reference date) at 11:00.
"""

from __future__ import annotations

import sys
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from labulle.model import crisis
from labulle.model.hours import DAYS, day_text
from labulle.pages.crisis import PAGE_PATH, CrisisList, Entry
from labulle.pages.filters import MONTHS, phone_fr

MAX_CHARS = 2000
POST_TIME = time(11, 0)


def _day_name(day: date) -> str:
    return f"{DAYS[day.weekday()]} {'1er' if day.day == 1 else day.day} {MONTHS[day.month - 1]}"


def _is_food(entry: Entry, order: list[str]) -> bool:
    return entry.category.key in order[:1]


def _hours_today(entry: Entry, day: date) -> str | None:
    """"9 h–12 h" when open that day, "" for a delivery-only pro, None when closed that day."""
    if entry.hours:
        text = day_text(entry.hours, day)
        return None if text == "fermé" else text
    return "" if crisis.offers(entry.pro.crise, "livraison") else None


_CHANNELS = {"telephone": "par téléphone", "sms": "par SMS", "email": "par courriel",
             "site": "sur le site", "facebook": "sur Facebook", "sur_place": "sur place"}


def _how_to_order(entry: Entry) -> str:
    """"Sur place, livraison. Commande par téléphone (05 45 00 00 00) ou par courriel"."""
    crise = entry.pro.crise
    ways = ", ".join(s.label.lower() + (" uniquement" if s.only else "") for s in entry.services)
    phone = crise.telephone_commande or entry.public("telephone")
    phrases = []
    for channel in crise.commande:
        phrase = _CHANNELS[channel]
        if channel in ("telephone", "sms") and phone and not any("(" in p for p in phrases):
            phrase += f" ({phone_fr(phone)})"
        phrases.append(phrase)
    order = ""
    if phrases:
        order = "commande " + (", ".join(phrases[:-1]) + " ou " if len(phrases) > 1 else "")
        order += phrases[-1]
    return ". ".join(part[:1].upper() + part[1:] for part in (ways, order) if part)


def pro_lines(crisis_list: CrisisList, day: date) -> list[str]:
    """One line per food pro open on `day`."""
    lines = []
    for entry in crisis_list.listed:
        if (not _is_food(entry, crisis_list.category_order) or entry.unconfirmed
                or entry.status not in crisis.OPEN_STATUSES):
            continue
        hours = _hours_today(entry, day)
        if hours is None:
            continue
        place = f" ({entry.places[0]})" if entry.places else ""
        how = _how_to_order(entry)
        said = [part for part in (hours, how) if part]
        lines.append(f"• {entry.pro.nom}{place} : " + ". ".join(said) + ".")
    return lines


def basket_lines(crisis_list: CrisisList, now: datetime) -> list[str]:
    """One line per basket whose order deadline has not passed at `now` (food first)."""
    lines = []
    for entry, panier in crisis_list.baskets:
        if entry.unconfirmed or not crisis.basket_open(panier, now):
            continue
        price = f", {_euros(panier.prix)}" if panier.prix is not None else ""
        deadline = f", à commander avant {panier.commande_avant}" if panier.commande_avant else ""
        lines.append(f"• {panier.nom} chez {entry.pro.nom}{price}{deadline}.")
    return lines


def _euros(value: Any) -> str:
    from labulle.pages.filters import euros

    return euros(value)


def _compose(day: date, pros: list[str], baskets: list[str], more: tuple[int, int],
             url: str, currency: dict[str, Any]) -> str:
    parts = [f"Ce {_day_name(day)}, les pros {currency['of_the']} qui vous nourrissent restent "
             "là !"]
    if pros:
        extra = [f"… et {more[0]} autres sur le site"] if more[0] else []
        parts.append("Ouverts aujourd'hui :\n" + "\n".join(pros + extra))
    else:
        parts.append("Aucun pro de l'alimentation n'a d'horaires d'ouverture aujourd'hui : "
                     "beaucoup livrent ou préparent des paniers, voyez la liste.")
    if baskets:
        extra = [f"… et {more[1]} autres sur le site"] if more[1] else []
        parts.append("Paniers à commander :\n" + "\n".join(baskets + extra))
    parts.append(f"Tous les pros ouverts pendant la crise, leurs horaires et les paniers : {url}")
    parts.append("Appelez avant de vous déplacer et respectez les consignes. "
                 f"Payer en {currency['plural']}, c'est faire vivre nos commerces d'ici.")
    return "\n\n".join(parts)


def post(crisis_list: CrisisList, site_url: str, now: datetime | None = None) -> str:
    """The post as of `now` (default: the list's reference date at 11:00), ≤ 2,000 characters."""
    now = now or datetime.combine(crisis_list.today, POST_TIME)
    day = now.date()
    pros, baskets = pro_lines(crisis_list, day), basket_lines(crisis_list, now)
    url = f"{site_url.rstrip('/')}/{PAGE_PATH}"
    dropped = [0, 0]
    text = _compose(day, pros, baskets, (0, 0), url, crisis_list.currency)
    while len(text) > MAX_CHARS and (pros or baskets):
        if len(baskets) >= len(pros):
            baskets, dropped[1] = baskets[:-1], dropped[1] + 1
        else:
            pros, dropped[0] = pros[:-1], dropped[0] + 1
        text = _compose(day, pros, baskets, (dropped[0], dropped[1]), url, crisis_list.currency)
    return text


def build_list(root: Path, settings: dict[str, Any], day: date) -> CrisisList:
    from labulle.model.directory import Directory
    from labulle.source.check import load_or_raise

    data = load_or_raise(root, settings)
    return CrisisList(Directory(data.categories, data.pros, day), settings)


def command(root: Path, day: date | None = None, settings_file: str = "pelicanconf.py") -> int:
    """`labulle social [--date AAAA-MM-JJ]`: the post on stdout, its length on stderr."""
    from labulle.source import sitesettings
    from labulle.source.problems import DataError
    from labulle.source.settings import reference_date

    root = root.resolve()
    settings = sitesettings.read(root, settings_file)
    day = day or reference_date(settings)
    try:
        crisis_list = build_list(root, settings, day)
    except DataError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print("Message non préparé : corrigez d'abord ces erreurs.", file=sys.stderr)
        return 1
    url = sitesettings.public_url(root, settings)
    text = post(crisis_list, url, datetime.combine(day, POST_TIME))
    print(text)
    print(f"({len(text)} caractères)", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    """The same as `labulle social ARGS`."""
    from labulle.commands.cli import main as labulle

    return labulle(argv, command="social")


if __name__ == "__main__":
    sys.exit(main())
