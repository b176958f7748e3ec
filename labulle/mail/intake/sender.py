"""Whether a message really comes from the pro: « expéditeur vérifié » or why not.

A message is verified when, and only when:

1. it has one From header with exactly one address (`From: pro@…, attacker@…` is not);
2. that address is the pro's (`contact.email` of the listing);
3. the topmost Authentication-Results field (RFC 8601) whose authserv-id is the association's
   own receiving server (the setting LABULLE_INTAKE_AUTHSERV_ID) says `dmarc=pass` (for the From
   domain when it names one), or `dkim=pass` with a signing domain (`header.d`, else the domain
   of `header.i`) aligned with the From domain (the same, or one a subdomain of the other, as
   DMARC's relaxed alignment).

Fields written by other servers are ignored, above or below ours: anyone can add one to the
message he sends, while ours is the one our server adds on top (it must remove any field that
claims its name, RFC 8601 section 5). SPF alone proves nothing about From and is only quoted.
Every other case is « non vérifié », with the true reason in French.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage

from labulle.mail.intake.authres import AuthResults, Result, parse


@dataclass(frozen=True)
class Sender:
    shown: str  # the From header as displayed ("" when absent)
    address: str  # the one address, in lower case ("" when there is not exactly one)
    verified: bool
    reason: str  # why it is not verified ("" when it is), or what verified it


def check(message: EmailMessage, pro_emails: set[str], authserv_id: str | None) -> Sender:
    """Who sent `message`, and whether it is proven to be the pro (see the module doc)."""
    shown, address, problem = _from(message)
    if problem:
        return Sender(shown, address, False, problem)
    if address not in pro_emails:
        return Sender(shown, address, False, "cette adresse n'est pas celle du pro")
    if not authserv_id:
        return Sender(shown, address, False, "aucun serveur de réception réglé "
                                             "(LABULLE_INTAKE_AUTHSERV_ID)")
    ours = ours_first(message, authserv_id)
    if ours is None:
        return Sender(shown, address, False,
                      f"aucun résultat d'authentification du serveur {authserv_id}")
    if not ours.readable:
        return Sender(shown, address, False,
                      f"résultat d'authentification du serveur {authserv_id} illisible")
    domain = address.rpartition("@")[2]
    proof = _proof(ours.results, domain)
    if proof:
        return Sender(shown, address, True, proof)
    return Sender(shown, address, False, _failure(ours, domain))


def _from(message: EmailMessage) -> tuple[str, str, str]:
    """(shown From, address, problem) — the problem is "" when there is one readable address."""
    headers = message.get_all("From") or []
    if not headers:
        return "", "", "aucun en-tête From"
    shown = " ".join(" ".join(str(header).split()) for header in headers)
    if len(headers) > 1:
        return shown, "", "plusieurs en-têtes From"
    addresses = getattr(headers[0], "addresses", None)
    if addresses is None:
        return shown, "", "en-tête From illisible"
    if len(addresses) != 1:
        return shown, "", ("plusieurs adresses dans From" if addresses
                           else "aucune adresse dans From")
    address = addresses[0].addr_spec.lower()
    if not addresses[0].domain:
        return shown, address, "adresse de l'expéditeur sans domaine"
    return shown, address, ""


def ours_first(message: EmailMessage, authserv_id: str) -> AuthResults | None:
    """The topmost Authentication-Results field written by our server (None if there is none)."""
    wanted = authserv_id.lower()
    for name, value in message.raw_items():
        if name.lower() != "authentication-results":
            continue
        results = parse(str(value))
        if results is not None and results.authserv_id == wanted:
            return results
    return None


def _aligned(signer: str, domain: str) -> bool:
    signer = signer.lower().rstrip(".")
    return bool(signer) and (signer == domain or domain.endswith("." + signer)
                             or signer.endswith("." + domain))


def _dkim_domain(result: Result) -> str:
    return result.properties.get("header.d") or \
        result.properties.get("header.i", "").rpartition("@")[2]


def _proof(results: tuple[Result, ...], domain: str) -> str:
    for result in results:
        if result.method == "dmarc" and result.result == "pass" and \
                result.properties.get("header.from", domain).lower() == domain:
            return "DMARC : pass"
    for result in results:
        if result.method == "dkim" and result.result == "pass" and \
                _aligned(_dkim_domain(result), domain):
            return f"DKIM : pass pour {_dkim_domain(result).lower()}"
    return ""


def _failure(ours: AuthResults, domain: str) -> str:
    if not ours.results:
        return f"le serveur {ours.authserv_id} n'a rien vérifié (« none »)"
    said = []
    for method in ("dmarc", "dkim", "spf"):
        found = [r for r in ours.results if r.method == method]
        for result in found:
            signer = _dkim_domain(result) if method == "dkim" else ""
            said.append(f"{method.upper()} : {result.result}"
                        + (f" pour {signer.lower()}" if signer else ""))
        if not found:
            said.append(f"{method.upper()} : absent")
    return f"{domain} non authentifié par le serveur {ours.authserv_id} ({', '.join(said)})"
