"""The page families written by the plugin, one writer function each (see WRITERS)."""

from __future__ import annotations

from typing import Any

from labulle.mail.mailto import new_pro_mailto
from labulle.model.directory import communes_of
from labulle.model.public import public_contact
from labulle.pages import agenda as events_pages
from labulle.pages import basketcal, datapages, jsonld, profeeds, search
from labulle.pages import bulle as bulle_pages
from labulle.pages import crisis as crisis_pages
from labulle.pages import freshness as freshness_pages
from labulle.pages import maps as map_pages
from labulle.pages import network as network_pages
from labulle.pages import sticker as sticker_pages
from labulle.pages.directory import DIRECTORY_WRITERS
from labulle.source.fields import LABELS
from labulle.source.settings import identity, setting


def context(gen: Any) -> dict[str, Any]:
    """Extra template variables shared by every page."""
    values: dict[str, Any] = {"public_contact": public_contact, "communes_of": communes_of,
                              "labels": LABELS, "jsonld_events": jsonld.agenda_events,
                              "jsonld_offers": jsonld.basket_offers}
    values.update(events_pages.context(gen))
    values.update(freshness_pages.context(gen))
    values.update(profeeds.context(gen))
    values.update(network_pages.context(gen))
    values["new_pro_mailto"] = new_pro_mailto(setting(gen.settings, "LABULLE_EMAIL"),
                                              identity(gen.settings)["mail_tag"])
    annonce = gen.site.annonce
    if annonce is not None and annonce.shown_on(gen.directory.today):
        values["annonce"] = annonce
    values.update(crisis_pages.context(gen))  # last: crisis mode off hides a crisis banner
    return values


WRITERS = (*DIRECTORY_WRITERS, sticker_pages.write_sticker_pages,
           freshness_pages.write_freshness_page,
           crisis_pages.write_crisis_pages, basketcal.write_baskets_calendar,
           map_pages.write_maps,
           bulle_pages.write_bulle_pages, events_pages.write_agenda, search.write_search_page,
           profeeds.write_pro_feeds, network_pages.write_network_page,
           datapages.write_data_pages)
