"""The crisis pages ("Ouverts pendant la crise", "Paniers") and what their templates receive.

`CrisisList` is built once per build (crisis mode on) and shared with every template as
`crisis` (None when the mode is off): the home page's button, the pro page's partial, the crisis
page and the baskets page all read it. `write_crisis_pages` writes the two pages.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property
from pathlib import Path
from typing import Any

from markupsafe import Markup

from labulle.model import crisis
from labulle.model.directory import Directory, communes_of
from labulle.model.fingerprint import key_of
from labulle.model.hours import PARIS
from labulle.model.public import public_contact
from labulle.pages.crisis_lists import LIST_FOLDERS, ListPage, Scopes, write_list_pages
from labulle.source.readers import Category
from labulle.source.schema import Panier, Pro
from labulle.source.settings import identity, setting

PAGE_PATH = "ouverts-pendant-la-crise/"
BASKETS_PATH = "paniers/"
WINDOW_DAYS = 14


@dataclass(frozen=True)
class Entry:
    """One pro as the crisis page shows it."""

    pro: Pro
    status: str  # what the pro said (typed or derived), shown on the badge
    effective: str  # what filters use: "inconnu" when unconfirmed
    unconfirmed: bool  # stale or ended: shows "à confirmer"
    category: Category  # top-level category
    hosts: list[Pro] = field(default_factory=list)
    guests: list[Pro] = field(default_factory=list)
    hours: str | None = None  # OSM hours in force during the crisis
    intervals: list[tuple[int, int]] = field(default_factory=list)

    @cached_property
    def key(self) -> str:
        """What the entry shows, as a string (the memo of what is made once per entry:
        labulle.build.fragments, and livereload's page keys)."""
        return key_of(self)

    @property
    def label(self) -> str:
        return crisis.STALE_LABEL if self.unconfirmed else crisis.STATUS_LABELS[self.status]

    @property
    def badge(self) -> str:
        """CSS modifier of the status badge."""
        return "a-confirmer" if self.unconfirmed else self.status.replace("_", "-")

    @property
    def places(self) -> list[str]:
        """Where to find the pro: its shop's commune, then its markets' (no repeats)."""
        return list(dict.fromkeys(communes_of(self.pro)))

    @property
    def closed(self) -> bool:
        return self.status == "ferme"

    @property
    def services(self) -> list[crisis.Service]:
        return crisis.services(self.pro.crise)

    @property
    def channels(self) -> list[str]:
        return crisis.channels(self.pro.crise)

    @property
    def baskets(self) -> list[Panier]:
        return list(self.pro.crise.paniers) if self.pro.crise and not self.closed else []

    @property
    def hours_changed(self) -> bool:
        return self.hours is not None and self.hours != self.pro.horaires

    def public(self, key: str) -> str | None:
        """A contact value the pro lets us publish (never one of its `prive` keys)."""
        return self._public_contact.get(key)

    @cached_property
    def _public_contact(self) -> dict[str, str]:
        return public_contact(self.pro)

    @property
    def order_contacts(self) -> list[tuple[str, str, str]]:
        """(label, link, text) of the public ways to place an order."""
        from labulle.pages.filters import phone_fr, tel_uri

        crise = self.pro.crise
        if crise is None or self.closed:
            return []
        said = set(crise.commande)
        found = []
        phone = crise.telephone_commande or (self.public("telephone") if said & {"telephone", "sms"}
                                             else None)
        if phone:
            found.append(("Téléphone", tel_uri(phone), phone_fr(phone)))
        email = self.public("email") if "email" in said else None
        if email:
            found.append(("Courriel", f"mailto:{email}", email))
        site = self.public("site") if "site" in said else None
        if site:
            found.append(("Site", site, site.split("//", 1)[-1].rstrip("/")))
        facebook = self.public("facebook") if "facebook" in said else None
        if facebook:
            found.append(("Facebook", facebook, "page Facebook"))
        return found

    def offers(self, key: str) -> bool:
        """Counted in a service filter: said by the pro, confirmed, not closed."""
        return not self.unconfirmed and not self.closed and crisis.offers(self.pro.crise, key)

    @cached_property
    def flags(self) -> dict[str, bool]:
        """The services a filter finds this pro by (livraison, retrait, paniers, numerique)."""
        return {
            "livraison": self.offers("livraison"),
            "retrait": self.offers("retrait") or self.offers("drive"),
            "paniers": bool(self.baskets) and not self.unconfirmed,
            "numerique": self.pro.bulle.numerique and not self.closed,
        }

    def data(self, categories: list[str]) -> dict[str, str]:
        """The data- attributes crise.js filters on."""
        return {
            "data-statut": self.effective,
            "data-categories": " ".join(categories),
            "data-communes": "|".join(self.places),
            **{f"data-{k}": "1" if v else "0" for k, v in self.flags.items()},
            "data-ouvertures": json.dumps(self.intervals, separators=(",", ":")),
        }


class CrisisList:
    """The pros listed during the crisis, grouped and ordered as the pages show them."""

    def __init__(self, directory: Directory, settings: dict[str, Any]) -> None:
        self.directory = directory
        self.today: date = directory.today
        self.stale_days = int(setting(settings, "LABULLE_CRISIS_STALE_DAYS"))
        self.category_order: list[str] = list(setting(settings, "LABULLE_CRISIS_CATEGORY_ORDER"))
        self.page_size = max(1, int(setting(settings, "LABULLE_CRISIS_PAGE_SIZE")))
        self.currency = identity(settings)
        self.url = PAGE_PATH
        self.baskets_url = BASKETS_PATH
        start = datetime.combine(self.today, datetime.min.time(), tzinfo=PARIS)
        self.window_end = int((start + timedelta(days=WINDOW_DAYS)).timestamp())

    def entry(self, pro: Pro) -> Entry | None:
        """The crisis view of a published pro (None when its file says nothing of the crisis)."""
        return self._entries.get(pro.slug)

    @cached_property
    def _entries(self) -> dict[str, Entry]:
        return {p.slug: self._make(p) for p in self.directory.published if p.crise}

    def _make(self, pro: Pro) -> Entry:
        crise = pro.crise
        unconfirmed = (crisis.is_stale(crise, self.today, self.stale_days)
                       or crisis.is_over(crise, self.today))
        said = crisis.derived_status(crise, pro.horaires)
        hours = crisis.hours_in_force(pro) if said in crisis.OPEN_STATUSES else None
        intervals = crisis.open_window(self.today, hours, WINDOW_DAYS) if not unconfirmed else []
        return Entry(pro=pro, status=said, effective="inconnu" if unconfirmed else said,
                     unconfirmed=unconfirmed, category=self.directory.main_category(pro),
                     hosts=self.directory.hosts_of(pro), guests=self.directory.guests_of(pro),
                     hours=hours, intervals=intervals)

    def _category_rank(self, key: str) -> tuple[int, int]:
        keys = list(self.directory.categories)
        first = self.category_order.index(key) if key in self.category_order else len(keys)
        return first, keys.index(key)

    @cached_property
    def listed(self) -> list[Entry]:
        """Open pros, and closed pros whose goods are sold elsewhere, food first."""
        found = [e for e in self._entries.values()
                 if e.status in crisis.OPEN_STATUSES or (e.closed and e.hosts)]
        return sorted(found, key=lambda e: self._category_rank(e.category.key))

    @cached_property
    def sections(self) -> list[tuple[Category, list[Entry]]]:
        """(top-level category, its entries) in the crisis order."""
        groups: dict[str, list[Entry]] = {}
        for entry in self.listed:
            groups.setdefault(entry.category.key, []).append(entry)
        return [(self.directory.categories[k], v) for k, v in groups.items()]

    @cached_property
    def without_news(self) -> list[Pro]:
        """Pros whose crisis situation we do not know (said unknown, or nothing said)."""
        return [e.pro for e in self._entries.values() if e.status == "inconnu"]

    @cached_property
    def baskets(self) -> list[tuple[Entry, Panier]]:
        """Every basket of the listed pros, food first."""
        return [(e, p) for e in self.listed for p in e.baskets]

    def entry_categories(self, entry: Entry) -> list[str]:
        """The category keys an entry matches (its categories and their parents)."""
        keys: list[str] = []
        for key in entry.pro.categories:
            while key and key not in keys:
                keys.append(key)
                key = self.directory.categories[key].parent
        return keys

    @cached_property
    def filter_categories(self) -> list[tuple[str, str, bool]]:
        """(key, label, is_sub) of the categories present in the list, in the crisis order."""
        present = {k for e in self.listed for k in self.entry_categories(e)}
        options = []
        for category, _entries in self.sections:
            options.append((category.key, category.label, False))
            options += [(c.key, c.label, True) for c in self.directory.categories.values()
                        if c.parent == category.key and c.key in present]
        return options

    @cached_property
    def filter_communes(self) -> list[str]:
        names = {c for e in self.listed for c in communes_of(e.pro)}
        return [c for c in self.directory.by_commune if c in names]

    def data(self, entry: Entry) -> dict[str, str]:
        return entry.data(self.entry_categories(entry))

    @property
    def split(self) -> bool:
        """True when the list is too long for one page: the page links to shorter lists."""
        return len(self.listed) > self.page_size

    @cached_property
    def scopes(self) -> Scopes:
        """The lists by category, commune and service (written only when `split`)."""
        return Scopes(self, self.page_size)

    def announcement(self, site_url: str) -> dict[str, Any]:
        """schema.org SpecialAnnouncement of the crisis page (JSON-LD, for `script_json`)."""
        page = f"{site_url}/{PAGE_PATH}"
        places = []
        for entry in [] if self.split else self.listed:  # split: the hub lists no one
            if entry.closed:
                continue
            place: dict[str, Any] = {"@type": "LocalBusiness", "name": entry.pro.nom,
                                     "url": f"{site_url}/pros/{entry.pro.slug}/",
                                     "currenciesAccepted": f"EUR, {self.currency['The']}"}
            if entry.pro.adresse and entry.pro.adresse.commune:
                place["address"] = {"@type": "PostalAddress", "addressCountry": "FR",
                                    "addressLocality": entry.pro.adresse.commune}
            places.append(place)
        data = {
            "@context": "https://schema.org", "@type": "SpecialAnnouncement",
            "name": f"Les pros {self.currency['of_the']} ouverts pendant la crise",
            "text": f"Les professionnels {self.currency['of_the']} qui continuent de vendre "
                    "pendant le confinement : horaires, livraison, retrait, paniers.",
            "datePosted": self.today.isoformat(), "url": page,
            "category": "https://www.wikidata.org/wiki/Q81068910",
            "spatialCoverage": {"@type": "AdministrativeArea", "name": self.currency["region"]},
        }
        if places:
            data["announcementLocation"] = places
        return data


def crisis_mode(settings: dict[str, Any]) -> bool:
    return bool(setting(settings, "LABULLE_CRISIS_MODE"))


def context(gen: Any) -> dict[str, Any]:
    """`crisis` for every template: the crisis list, or None when the mode is off.

    Off, a banner that points to the crisis page is not shown either (the page is not written).
    """
    if crisis_mode(gen.settings):
        return {"crisis": CrisisList(gen.directory, gen.settings)}
    values: dict[str, Any] = {"crisis": None}
    annonce = gen.site.annonce
    if annonce and annonce.lien and PAGE_PATH.strip("/") in annonce.lien:
        values["annonce"] = None
    return values


def write_crisis_pages(gen: Any, writer: Any) -> None:
    """The crisis page and the baskets page, only in crisis mode; the short list pages when the
    list is long (those an earlier build wrote and this one did not are removed: livereload
    and `invoke build` keep the output)."""
    written: set[str] = set()
    if crisis_mode(gen.settings):
        gen.context.setdefault("crisis", CrisisList(gen.directory, gen.settings))
        gen.write_page(writer, f"{PAGE_PATH}index.html", "crise.html")
        gen.write_page(writer, f"{BASKETS_PATH}index.html", "paniers.html")
        crisis_list: CrisisList = gen.context["crisis"]
        if crisis_list.split:
            written = write_split_lists(gen, writer, crisis_list)
    remove_list_pages(Path(gen.output_path), written)


def remove_list_pages(output: Path, written: set[str]) -> None:
    """Remove the list pages an earlier build wrote that this one did not (one walk, deepest
    folders first, so that the folders left empty go too)."""
    for name in LIST_FOLDERS:
        top = output / PAGE_PATH / name
        for folder, _subfolders, files in os.walk(top, topdown=False):
            for file in files:
                path = os.path.join(folder, file)
                shown = os.path.relpath(path, output).replace(os.sep, "/")
                if file == "index.html" and shown not in written:
                    os.unlink(path)
            if not os.listdir(folder):
                os.rmdir(folder)


def write_split_lists(gen: Any, writer: Any, crisis_list: CrisisList) -> set[str]:
    """The short list pages of a long crisis list; each entry is rendered once, then reused
    (and kept by livereload while it does not change, as are the pages whose cards did not
    change). The pages written."""
    macros = gen.env.get_template("partials/crisis_macros.html").make_module(gen.context)
    remember = gen.memory.fragments.remember
    cards = {e.pro.slug: remember("crisis-card", e.pro,
                                  lambda _pro, e=e: macros.entry_card(e, crisis_list),
                                  extra=e.key) for e in crisis_list.listed}
    form = Markup(gen.env.get_template("partials/crisis_filters.html").render(gen.context))
    written: set[str] = set()
    digests = Digests(cards)

    def write(page: ListPage) -> None:
        save_as = f"{PAGE_PATH}{page.path}index.html"
        written.add(save_as)
        if not gen.unchanged(save_as, "crise-liste.html",
                             page_key=lambda: page_key(page, digests, form)):
            gen.write_page(writer, save_as, "crise-liste.html", listing=page, cards=cards,
                           filters_form=form)

    write_list_pages(crisis_list.scopes, write)
    return written


class Digests(dict[str, str]):
    """Slug → digest of the entry's card, made when first asked (a card is on several list
    pages; livereload's page keys need its digest, a cold build never asks)."""

    def __init__(self, cards: dict[str, str]) -> None:
        super().__init__()
        self.cards = cards

    def __missing__(self, slug: str) -> str:
        found = self[slug] = hashlib.blake2b(self.cards[slug].encode(), digest_size=16).hexdigest()
        return found


def page_key(page: ListPage, cards: Digests, form: str) -> str:
    """What a list page shows: its place among the lists, its entries' cards, the form."""
    scope = page.scope
    meta = (page.path, page.number, page.pages, page.total, page.service, scope.kind,
            scope.key, scope.label, tuple(scope.services),
            tuple((e.pro.slug, e.category.key) for e in page.entries))
    return "\x1f".join([repr(meta), form, *(cards[e.pro.slug] for e in page.entries)])
