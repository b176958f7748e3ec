"""`invoke letters`: the association's letter to each published pro, as .eml files, and sending.

Each letter carries the pro's listing in the editable `clé : valeur` form of `labulle.mail.listing`
under the subject `[La Bulle] Mise à jour : <slug>`, so that the pro's reply goes straight
through `invoke intake`.

Sending is a dry run unless asked (`--send`); the SMTP server and credentials come from the
environment (LABULLE_SMTP_HOST, _PORT, _USER, _PASSWORD, _FROM; STARTTLS always, with
LABULLE_SMTP_CAFILE for a server with its own certificate authority). Every letter sent is logged
(JSON lines, `.labulle/letters-sent.jsonl` by default) with its key, the pro's slug and the hash
of its content: the same letter is never sent twice to the same pro.
"""

from __future__ import annotations

import hashlib
import json
import os
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any

from labulle.atomic import write_file as write_atomically
from labulle.errors import LabulleError
from labulle.mail import listing
from labulle.source.fields import describe
from labulle.source.schema import Pro
from labulle.source.settings import DEFAULTS, identity, setting


class LetterError(LabulleError):
    """A French message for the webmaster (missing setting, refused connection...)."""


@dataclass
class Letter:
    pro: Pro
    to: str
    message: EmailMessage

    @property
    def content_hash(self) -> str:
        """What makes two letters the same: subject, recipient and text (not the date)."""
        text = f"{self.message['Subject']}\n{self.to}\n{self.message.get_content()}"
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


SIGNATURE = "-- "  # the signature delimiter (with its space), skipped by `invoke intake`

#: Keys every letter asks about, with their line even when empty (the pro fills it in), and
#: the question, one line each (`{plural}`: the currency's plural).
QUESTIONS = {
    "fournisseurs": "chez quels pros du réseau achetez-vous déjà en {plural} ?",
    "achats": "qu'achèteriez-vous en {plural} si un pro du réseau le vendait ?",
}
if not set(QUESTIONS) <= {spec.name for spec in describe(Pro)}:
    raise TypeError(f"QUESTIONS name keys that are not in the pro format: {sorted(QUESTIONS)}")


def letter_lines(pro: Pro) -> list[tuple[str, str]]:
    """The listing of the letter: the pro's public values, plus an empty line for each key of
    QUESTIONS it has no value for, each in the schema's order."""
    pairs = listing.listing_lines(pro)
    order = [spec.name for spec in describe(Pro)]
    for key in QUESTIONS:
        if any(k == key for k, _ in pairs):
            continue
        after = order.index(key)
        at = next((i for i, (k, _) in enumerate(pairs)
                   if order.index(k.split(".")[0]) > after), len(pairs))
        pairs.insert(at, (key, ""))
    return pairs


def questions_text(currency: dict[str, Any]) -> str:
    """The questions of QUESTIONS, one line each, naming the line that answers them."""
    return "".join(f"- « {key} » : {question.format(plural=currency['plural'])}\n"
                   for key, question in QUESTIONS.items())


def letter_text(pro: Pro, siteurl: str, currency: dict[str, Any]) -> str:
    """The letter, in French, with the listing in editable form, in the words of `currency`
    (LABULLE_IDENTITY)."""
    lines = listing.format_lines(letter_lines(pro))
    c = currency
    pilot = (f"Nous lançons aussi le test {c['of_the']} numérique, pour payer en {c['plural']} "
             "sans billets ni contact.")
    return f"""Bonjour,

Vous acceptez {c['the']}, la monnaie locale complémentaire {c['region_of']}, et nous vous en
remercions : c'est grâce à des pros comme vous que l'argent dépensé ici reste ici.

Voici votre fiche telle qu'elle paraît sur notre site :
{siteurl}/pros/{pro.slug}/

Comment pouvons-nous vous aider à traverser la crise ? Horaires adaptés, livraison, retrait
de commandes, paniers : dites-nous ce que vous proposez, nous le faisons connaître sur la page
« Ouverts pendant la crise ». Et si vous avez besoin d'autre chose, écrivez-le simplement en
réponse à ce message.

{pilot}
Rejoignez-le : {siteurl}/{c['digital_slug']}/

Pour corriger votre fiche, répondez à ce courriel en modifiant les valeurs après « : »
ci-dessous (une ligne par information ; videz une valeur pour la retirer ; laissez les autres
lignes telles quelles). Nous relisons chaque modification avant de la publier.

Où dépensez-vous les {c['plural']} que vous recevez ? Deux lignes de votre fiche le disent
(des noms suffisent ; la page « Entre pros » les publie : {siteurl}/entre-pros/) :
{questions_text(c)}
{lines}
Bien à vous,
L'équipe {c['of_the']}

{SIGNATURE}
Association {c['association']} – {c['The']}
{siteurl}/
"""


def recipient(pro: Pro) -> str | None:
    """The pro's email address, public or private (read from the full record)."""
    return pro.contact.email if pro.contact and pro.contact.email else None


def make_letters(pros: list[Pro], sender: str, siteurl: str, now: datetime | None = None,
                 currency: dict[str, Any] | None = None) -> list[Letter]:
    """One letter per pro with an email address, in the words of `currency` (LABULLE_IDENTITY;
    La Bulle's when None).

    The caller passes the published pros' full records (`Directory.private_records`): the
    address may be private; the listing in the letter is made from the public view.
    """
    now = now or datetime.now(UTC)
    currency = currency or DEFAULTS["LABULLE_IDENTITY"]
    domain = sender.rpartition("@")[2] or currency["domain"]
    letters = []
    for pro in pros:
        to = recipient(pro)
        if to is None:
            continue
        message = EmailMessage()
        message["From"] = sender
        message["To"] = f"{pro.nom} <{to}>" if _safe_name(pro.nom) else to
        message["Reply-To"] = sender
        message["Subject"] = listing.update_subject(pro.slug, currency["mail_tag"])
        message["Date"] = format_datetime(now)
        message["Message-ID"] = make_msgid(idstring=pro.slug, domain=domain)
        message.set_content(letter_text(pro, siteurl.rstrip("/"), currency))
        letters.append(Letter(pro, to, message))
    return letters


def _safe_name(name: str) -> bool:
    return not any(c in name for c in '"<>,;:@\\')


def letters_for(pros: list[Pro], root: Path, settings: dict[str, Any],
                sender: str | None = None) -> list[Letter]:
    """The association's letters to `pros`, from the SMTP sender (else LABULLE_SMTP_FROM, else
    the association's address), with the site's public address and the currency's words."""
    from labulle.source import sitesettings

    sender = sender or os.environ.get("LABULLE_SMTP_FROM") or setting(settings, "LABULLE_EMAIL")
    return make_letters(pros, sender, sitesettings.public_url(root, settings),
                        currency=identity(settings))


def write_letters(letters: list[Letter], out: Path) -> list[Path]:
    if out.exists() and not out.is_dir():
        raise LetterError(f"{out} est un fichier, pas un dossier : choisissez un dossier "
                          "pour les lettres (--out)")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise LetterError(f"impossible de créer le dossier {out} ({exc.strerror}) : "
                          "aucune lettre écrite") from None
    paths = []
    for letter in letters:
        path = out / f"{letter.pro.slug}.eml"
        write_atomically(path, letter.message.as_bytes())
        paths.append(path)
    return paths


# --- the sending log --------------------------------------------------------------------------

def read_log(path: Path) -> dict[tuple[str, str], dict]:
    """(slug, content hash) → log entry of every letter already sent."""
    sent = {}
    if path.exists():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
                sent[(entry["slug"], entry["hash"])] = entry
            except (ValueError, KeyError, TypeError):
                raise LetterError(f"{path}:{number}: ligne illisible dans le journal d'envoi ; "
                                  "corrigez-la (une ligne JSON par lettre envoyée)") from None
    return sent


def _append_log(path: Path, entry: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
        handle.flush()
        os.fsync(handle.fileno())


# --- SMTP -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    user: str | None
    password: str | None
    sender: str
    cafile: str | None = None

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> SmtpConfig:
        env = dict(os.environ if env is None else env)
        missing = [name for name in ("LABULLE_SMTP_HOST", "LABULLE_SMTP_FROM") if not env.get(name)]
        if missing:
            raise LetterError(f"variable(s) d'environnement manquante(s) : {', '.join(missing)} "
                              "(serveur SMTP et adresse d'expédition)")
        try:
            port = int(env.get("LABULLE_SMTP_PORT") or 587)
        except ValueError:
            raise LetterError("LABULLE_SMTP_PORT : un numéro de port est attendu (587)") from None
        return cls(env["LABULLE_SMTP_HOST"], port, env.get("LABULLE_SMTP_USER") or None,
                   env.get("LABULLE_SMTP_PASSWORD") or None, env["LABULLE_SMTP_FROM"],
                   env.get("LABULLE_SMTP_CAFILE") or None)


def smtp_sender(config: SmtpConfig) -> tuple[Callable[[EmailMessage], None], Callable[[], None]]:
    """(send, close) over one STARTTLS connection; French errors."""
    server = None
    try:
        server = smtplib.SMTP(config.host, config.port, timeout=60)
        server.ehlo()
        server.starttls(context=ssl.create_default_context(cafile=config.cafile))
        server.ehlo()
        if config.user:
            server.login(config.user, config.password or "")
    except (OSError, ValueError, smtplib.SMTPException) as exc:
        if server is not None:
            server.close()
        raise LetterError(f"connexion au serveur SMTP {config.host}:{config.port} impossible "
                          f"({exc.__class__.__name__} : {exc})") from None

    def close() -> None:
        try:
            server.quit()
        except (OSError, smtplib.SMTPException):
            server.close()

    return server.send_message, close


def send_letters(letters: list[Letter], log_path: Path, send: Callable[[EmailMessage], None] | None,
                 print_: Callable[[str], None] = print) -> tuple[int, int]:
    """Send each letter not already sent (or only say what would go, when `send` is None).

    Returns (sent or to send, skipped as already sent).
    """
    sent = read_log(log_path)
    count = skipped = 0
    for letter in letters:
        key = (letter.pro.slug, letter.content_hash)
        if key in sent:
            skipped += 1
            print_(f"déjà envoyée le {sent[key]['sent_at'][:10]} : {letter.pro.slug} → {letter.to}")
            continue
        if send is None:
            count += 1
            print_(f"à envoyer : {letter.pro.slug} → {letter.to}")
            continue
        try:
            send(letter.message)
        except (OSError, smtplib.SMTPException) as exc:
            raise LetterError(f"envoi à {letter.to} ({letter.pro.slug}) refusé : {exc} ; "
                              f"{count} lettre(s) envoyée(s) avant l'erreur, notées au journal"
                              ) from None
        _append_log(log_path, {"slug": letter.pro.slug, "to": letter.to,
                               "hash": letter.content_hash,
                               "message_id": letter.message["Message-ID"],
                               "sent_at": datetime.now(UTC).isoformat(timespec="seconds")})
        count += 1
        print_(f"envoyée : {letter.pro.slug} → {letter.to}")
    return count, skipped


# --- command line -----------------------------------------------------------------------------

def command(root: Path, out: Path, send: bool = False, log: Path | None = None,
            only: str | None = None) -> int:
    """`labulle letters --out DOSSIER [--send] [--log FICHIER] [--only a,b]`."""
    from labulle.model.directory import Directory
    from labulle.source import sitesettings
    from labulle.source.check import load_for
    from labulle.source.settings import reference_date

    root = root.resolve()
    settings = sitesettings.read(root)
    data = load_for(root, settings, "Lettres")
    if data is None:
        return 1
    pros = Directory(data.categories, data.pros, reference_date(settings)).private_records()
    if only:
        wanted = {s.strip() for s in only.split(",")}
        pros = [p for p in pros if p.slug in wanted]
    config = SmtpConfig.from_env() if send else None  # LetterError: the command's refusal
    letters = letters_for(pros, root, settings, config.sender if config else None)
    paths = write_letters(letters, out)
    print(f"{len(paths)} lettre(s) écrite(s) dans {out} "
          f"({len(pros) - len(letters)} pro(s) publié(s) sans adresse).")
    log_path = log or root / ".labulle" / "letters-sent.jsonl"
    if config is None:
        count, skipped = send_letters(letters, log_path, None)
        print(f"Essai : {count} lettre(s) partiraient, {skipped} déjà envoyée(s). "
              "Rien n'est parti : ajoutez --send pour envoyer.")
        return 0
    deliver, close = smtp_sender(config)
    try:
        count, skipped = send_letters(letters, log_path, deliver)
    finally:
        close()
    print(f"{count} lettre(s) envoyée(s), {skipped} déjà envoyée(s) auparavant.")
    return 0


def main(argv: list[str] | None = None) -> int:
    """The same as `labulle letters ARGS`."""
    from labulle.commands.cli import main as labulle

    return labulle(argv, command="letters")
