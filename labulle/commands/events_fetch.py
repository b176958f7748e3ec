"""`invoke events URL`: refresh `content/data/agenda.ics` from Dolibarr's export link.

The download is read whole and parsed before anything is written; the file is then replaced
atomically (labulle.atomic). Any failure says what happened in French (the HTTP status, a
refused connection, a web page instead of a calendar) and leaves the previous file as it was.
"""

from __future__ import annotations

import http.client
import socket
import sys
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from labulle.atomic import write_file
from labulle.source.agenda import EventsError, parse_calendar

MAX_BYTES = 20_000_000
STATUS_HINTS = {
    401: "identification demandée : le lien d'export doit contenir la clé exportkey",
    403: "accès refusé : vérifiez la clé exportkey du lien (Agenda > Configuration > "
         "Export) et que l'export est activé",
    404: "adresse introuvable : vérifiez le lien d'export (…/public/agenda/agendaexport.php)",
}


def shown_url(url: str) -> str:
    """The address without its query (the export key is a secret)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


def download(url: str, timeout: float = 30) -> bytes:
    """The body of a 2xx answer, or EventsError naming the status or the network failure."""
    shown = shown_url(url)
    if not url.startswith(("https://", "http://")):
        raise EventsError(f"« {url} »", "une adresse https:// est attendue "
                                        "(le lien d'export de Dolibarr)")
    request = urllib.request.Request(url, headers={"User-Agent": "labulle-agenda"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read(MAX_BYTES + 1)
            kind = response.headers.get_content_type()
    except urllib.error.HTTPError as exc:
        hint = STATUS_HINTS.get(exc.code, "erreur du serveur de Dolibarr, réessayez plus tard"
                                if exc.code >= 500 else "réponse inattendue")
        raise EventsError(shown, f"le serveur a répondu {exc.code} ({exc.reason}) : {hint}"
                          ) from None
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as exc:
        raise EventsError(shown, _network_reason(exc, urlsplit(url).hostname or url, timeout)
                          ) from None
    if len(data) > MAX_BYTES:
        raise EventsError(shown, f"réponse de plus de {MAX_BYTES // 1_000_000} Mo : "
                                 "ce n'est pas un agenda")
    if kind == "text/html" or data.lstrip()[:1] == b"<":
        raise EventsError(shown, "Dolibarr a répondu par une page web et non par un calendrier "
                                 "(page de connexion : la clé exportkey du lien est sans doute "
                                 "fausse, ou l'export de l'agenda n'est pas activé)")
    return data


def _network_reason(exc: Exception, host: str, timeout: float) -> str:
    reason = getattr(exc, "reason", exc)
    if isinstance(reason, ConnectionRefusedError):
        return f"connexion refusée par {host} (aucun serveur n'écoute à cette adresse)"
    if isinstance(reason, socket.gaierror):
        return f"serveur introuvable : {host} (vérifiez l'adresse et la connexion à Internet)"
    if isinstance(reason, TimeoutError | socket.timeout):
        return f"{host} n'a pas répondu en {timeout:g} s"
    return f"téléchargement impossible depuis {host} ({reason})"


def fetch(url: str, path: Path, timeout: float = 30) -> int:
    """Download Dolibarr's export to `path` (atomically); returns the number of events."""
    data = download(url, timeout)
    calendar = parse_calendar(data, f"la réponse de {shown_url(url)}")
    write_file(path, data)
    return len(calendar.walk("VEVENT"))


def _published(root: Path, path: Path) -> int | None:
    """How many events of the new file the site's rule publishes (None: settings unreadable)."""
    from labulle.model.agenda import PublicRule
    from labulle.source.agenda import read_calendar

    try:
        from pelican.settings import read_settings

        settings = read_settings(str(root / "pelicanconf.py"))
    except Exception:  # the webmaster's Python: the count is only informative
        return None
    rule = PublicRule.from_settings(settings)
    calendar = read_calendar(path)
    return sum(1 for c in calendar.walk("VEVENT") if rule.allows(c)) if calendar else 0


def command(root: Path, url: str) -> int:
    """`labulle events URL`: refresh content/data/agenda.ics from Dolibarr's export link."""
    path = root / "content" / "data" / "agenda.ics"
    try:
        count = fetch(url, path)
    except EventsError as error:
        print(f"Erreur : {error}. {path} n'a pas été modifié.", file=sys.stderr)
        return 1
    published = _published(root, path)
    shown = "" if published is None else f", dont {published} publié(s) sur le site"
    print(f"{path} mis à jour : {count} événement(s){shown} ; les autres ne paraissent "
          "jamais sur le site.")
    return 0


def main(argv: list[str] | None = None) -> int:
    """The same as `labulle events ARGS`."""
    from labulle.commands.cli import main as labulle

    return labulle(argv, command="events")
