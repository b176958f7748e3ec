"""The directory's Atom feeds: new and updated pros, all of them and one feed per commune.

Built only when `LABULLE_PRO_FEED_ATOM` / `LABULLE_PRO_COMMUNE_FEED_ATOM` are set (publish.py,
like Pelican's article feeds: a feed needs the absolute SITEURL). An entry says in words what
changed (« nouvelle adresse », « accepte maintenant la Bulle numérique »…), found by comparing
the public views of successive committed versions of the pro file (`labulle.source.history`);
without git history, a pro's entry is its last check (« fiche vérifiée le … »). A version that
cannot be read is skipped; a change of private values only gives no entry. Drafts and pros who
left are in no feed.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import feedgenerator

from labulle.atomic import write_file
from labulle.model.directory import Directory, is_published
from labulle.model.public import public_view
from labulle.pages.filters import date_fr
from labulle.source import history, yamlsource
from labulle.source.readers import record_problems
from labulle.source.rules import Area, Known
from labulle.source.schema import Pro
from labulle.source.settings import identity, pros_location, setting
from labulle.source.validate import MISSING, Context, build

MAX_ENTRIES = 50  # per feed, newest first
WINDOW_DAYS = 366  # how far back the feeds go

#: Changed key (dotted path, or its parent) → the words of the change, most specific first.
WORDS: tuple[tuple[str, str], ...] = (
    ("nom", "nouveau nom"), ("categories", "nouvelle activité"),
    ("resume", "nouvelle présentation"), ("description", "nouvelle présentation"),
    ("adresse", "nouvelle adresse"), ("marches", "nouveaux marchés"),
    ("zone", "nouvelle zone desservie"), ("horaires", "nouveaux horaires"),
    ("horaires_precisions", "nouveaux horaires"), ("contact.telephone", "nouveau téléphone"),
    ("contact.email", "nouveau courriel"), ("contact.site", "nouveau site web"),
    ("contact", "nouveaux moyens de contact"), ("bulle.comptoir_horaires", "nouveaux horaires"),
    ("bulle", "nouvel avantage pour les paiements en {plural}"),
    ("crise", "nouvelles informations pendant la crise"),
)
#: Yes/no keys: the words when they become true, and when they become false.
SWITCHES: dict[str, tuple[str, str]] = {
    "bulle.numerique": ("accepte maintenant {the} numérique", "n'accepte plus {the} numérique"),
    "bulle.billets": ("accepte maintenant les billets", "n'accepte plus les billets"),
    "bulle.comptoir": ("devient comptoir de change", "n'est plus comptoir de change"),
}
NEW_PRO = "nouveau pro"
OTHER = "fiche mise à jour"


@dataclass(frozen=True)
class Change:
    """One entry of a feed: what changed in a pro's public entry, and when."""

    slug: str
    name: str
    when: datetime
    words: tuple[str, ...]
    key: str  # commit or check date: with the slug, the entry's stable id


def feed_paths(settings: dict[str, Any]) -> tuple[str | None, str | None]:
    """The two feeds' paths; a commune path must name each commune's file with `{slug}`."""
    per_commune = setting(settings, "LABULLE_PRO_COMMUNE_FEED_ATOM")
    if per_commune and ("{slug}" not in per_commune
                        or any(c in per_commune.replace("{slug}", "") for c in "{}")):
        raise SystemExit(f"LABULLE_PRO_COMMUNE_FEED_ATOM = {per_commune!r} : le chemin doit "
                         "contenir {slug} (le nom de la commune), par exemple "
                         "\"feeds/pros/{slug}.atom.xml\" ; rien n'a été construit.")
    return setting(settings, "LABULLE_PRO_FEED_ATOM"), per_commune


def context(gen: Any) -> dict[str, Any]:
    """`pro_feed_url` (None: not built) and `commune_feed_url(commune)` for the templates."""
    siteurl, (whole, per_commune) = gen.settings["SITEURL"], feed_paths(gen.settings)

    def commune_feed_url(commune: str) -> str | None:
        if not per_commune:
            return None
        return f"{siteurl}/{per_commune.format(slug=gen.directory.commune_slug(commune))}"

    return {"pro_feed_url": f"{siteurl}/{whole}" if whole else None,
            "commune_feed_url": commune_feed_url}


def flat(value: Any, prefix: str = "") -> dict[str, Any]:
    """Dotted key → scalar value (or list) of a public view, for comparing two versions."""
    if dataclasses.is_dataclass(value):
        out: dict[str, Any] = {}
        for fdef in dataclasses.fields(value):
            if fdef.metadata.get("yaml", True):
                out.update(flat(getattr(value, fdef.name), f"{prefix}{fdef.name}."))
        return out
    return {prefix.rstrip("."): value}


def change_words(before: Pro | None, after: Pro, currency: dict[str, Any]) -> tuple[str, ...]:
    """The French words of what changed from `before` (None: not listed) to `after`."""
    if before is None:
        return (NEW_PRO,)
    old, new = flat(before), flat(after)
    changed = [key for key in dict.fromkeys([*new, *old]) if old.get(key) != new.get(key)]
    words = [_words_of(key, new.get(key)).format(**currency) for key in changed
             if key != "verifie_le"]
    if not words and "verifie_le" in changed and after.verifie_le:
        words = [f"fiche vérifiée le {date_fr(after.verifie_le, weekday=False)}"]
    return tuple(dict.fromkeys(words))


def _words_of(key: str, value: Any) -> str:
    if key in SWITCHES:
        return SWITCHES[key][0 if value else 1]
    for name, words in WORDS:
        if key == name or key.startswith(f"{name}."):
            return words
    return OTHER


def _window_start(today: date) -> datetime:
    return datetime.combine(today - timedelta(days=WINDOW_DAYS), time(), UTC)


def _read_version(text: str, slug: str, known: Known) -> Pro | None:
    """A committed version as the checker would build it; None when it has any problem."""
    try:
        node, issues = yamlsource.parse(text)
    except yamlsource.YamlSyntaxError:
        return None
    if node is None or issues:
        return None
    ctx = Context(f"{slug}.yml", known)
    pro = build(Pro, node, ctx)
    if pro is MISSING or ctx.problems:
        return None
    pro = dataclasses.replace(pro, slug=slug, source=f"{slug}.yml")
    return None if record_problems(pro) else pro


def _history_changes(versions: list[history.Version], known: Known, shown: frozenset[str],
                     since: datetime, currency: dict[str, Any]) -> list[Change]:
    changes, before = [], None
    for version in versions:
        pro = _read_version(version.text, version.slug, known) if version.text else None
        if version.text and pro is None:
            continue  # unreadable then: compare the next version with the last readable one
        now = (public_view(pro, shown) if pro and is_published(pro, version.when.date())
               else None)
        if now is not None and version.when >= since:
            words = change_words(before, now, currency)
            if words:
                changes.append(Change(now.slug, now.nom, version.when, words, version.sha))
        before = now
    return changes


def _checked(pro: Pro, since: datetime) -> list[Change]:
    """Without history: the pro's last check, if in the window."""
    if pro.verifie_le is None:
        return []
    when = datetime.combine(pro.verifie_le, time(), UTC)
    if when < since:
        return []
    words = (f"fiche vérifiée le {date_fr(pro.verifie_le, weekday=False)}",)
    return [Change(pro.slug, pro.nom, when, words, pro.verifie_le.isoformat())]


def directory_changes(gen: Any) -> list[Change]:
    """Every change of a published pro within the window, newest first."""
    directory: Directory = gen.directory
    since = _window_start(directory.today)
    currency = identity(gen.settings)
    versions = history.pro_versions(pros_location(gen.site.root, gen.settings), since) or {}
    shown = frozenset(directory.by_slug)
    known = Known(categories=set(gen.site.categories),
                  slugs={p.slug for p in gen.site.pros} | set(versions),
                  area=Area.of(currency))
    changes = []
    for pro in directory.published:
        if pro.slug in versions:
            changes += _history_changes(versions[pro.slug], known, shown, since, currency)
        else:
            changes += _checked(pro, since)
    return sorted(changes, key=lambda c: c.when, reverse=True)


class _Atom(feedgenerator.Atom1Feed):
    """An Atom feed whose `updated` is given (feedgenerator puts the time of the build in an
    empty feed's: a publish would then send every empty feed again)."""

    updated = datetime.fromtimestamp(0, UTC)

    def latest_post_date(self) -> datetime:
        return self.updated


def _updated(changes: list[Change], pros: list[Pro]) -> datetime:
    """The newest entry's date; in an empty feed, the last check of its pros (stable)."""
    if changes:
        return changes[0].when
    checked = [p.verifie_le for p in pros if p.verifie_le]
    return datetime.combine(max(checked), time(), UTC) if checked else _Atom.updated


def _feed(gen: Any, title: str, page: str, path: str, changes: list[Change],
          pros: list[Pro]) -> None:
    siteurl, currency = gen.settings["SITEURL"], identity(gen.settings)
    feed = _Atom(title=title, link=f"{siteurl}/{page}", description="", language="fr",
                 feed_url=f"{siteurl}/{path}", feed_guid=f"{siteurl}/{path}",
                 author_name=f"Association {currency['association']}")
    feed.updated = _updated(changes, pros)
    for change in changes[:MAX_ENTRIES]:
        link = f"{siteurl}/pros/{change.slug}/"
        text = ", ".join(change.words)
        feed.add_item(title=f"{change.name} : {text}", link=link,
                      description=f"{change.name} : {text}.", updateddate=change.when,
                      unique_id=f"{link}#{change.key}",
                      author_name=f"Association {currency['association']}")
    write_file(Path(gen.output_path) / path, feed.writeString("utf-8"))


def write_pro_feeds(gen: Any, writer: Any) -> None:
    """The feed of the whole directory and one per commune, when the settings ask for them."""
    whole, per_commune = feed_paths(gen.settings)
    if not whole and not per_commune:
        return
    directory: Directory = gen.directory
    changes = directory_changes(gen)
    currency = identity(gen.settings)
    if whole:
        _feed(gen, f"Annuaire {currency['of_the']} : nouveautés", "pros/", whole, changes,
              directory.published)
    if per_commune:
        for commune, pros in directory.by_commune.items():
            slug = directory.commune_slug(commune)
            here = {p.slug for p in pros}
            _feed(gen, f"{currency['The']} à {commune} : nouveautés",
                  f"pros/commune/{slug}/", per_commune.format(slug=slug),
                  [c for c in changes if c.slug in here], pros)
