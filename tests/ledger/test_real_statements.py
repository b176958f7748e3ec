"""Bank statements as banks write them (tests/ledger/real/, written from the published layouts):
taken, or refused for their true reason at their place (issue 11 points 4-10, issue 12 points 1
and 3). Every accepted import is followed by ``bulle-ledger verify``."""

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from labulle.ledger import reserves
from labulle.ledger.cli import cli
from labulle.ledger.errors import LedgerError
from labulle.ledger.statements import read_statements

REAL = Path(__file__).parent / "real"
NEF_IBAN = "FR76 4255 9100 0008 0012 3456 771"
OTHER_BANK_IBAN = "FR7630004000030800123456719"  # same account number, another bank
NEF_RIB = "425591000008001234567"


class Books:
    """``bulle-ledger --db <tmp> …`` in-process, on fresh books."""

    def __init__(self, path: Path):
        self.path, self.runner = path, CliRunner()

    def __call__(self, *args: str):
        return self.runner.invoke(cli, ["--db", str(self.path), *args], prog_name="bulle-ledger")

    def imported(self, *files: Path) -> str:
        """Import, assert it was accepted and that verify passes; return the import's output."""
        result = self("import", *map(str, files))
        assert result.exit_code == 0, result.output
        check = self("verify")
        assert check.exit_code == 0, check.output
        return result.output

    def refused(self, *files: Path) -> str:
        """Import, assert it was refused and changed nothing; return the message."""
        before = self.rows()
        result = self("import", *map(str, files))
        assert result.exit_code == 1, result.output
        assert self.rows() == before
        return result.output

    def rows(self, sql: str = "SELECT COUNT(*) FROM statements") -> list[tuple]:
        with sqlite3.connect(self.path) as conn:
            return conn.execute(sql).fetchall()


def _books(tmp_path: Path, *init: str) -> Books:
    books = Books(tmp_path / "livre.sqlite3")
    assert books("init", *init).exit_code == 0
    for member in ("alice", "bob", "charlotte"):
        assert books("account", "open", member, "--name", member.title(), "--kind", "member")
    return books


@pytest.fixture
def books(tmp_path: Path) -> Books:
    """Books whose reserve (La Nef) was declared at ``init``."""
    return _books(tmp_path, "--reserve", NEF_IBAN)


def variant(tmp_path: Path, name: str, old: str, new: str, as_name: str = "") -> Path:
    """A copy of the corpus file ``name`` with ``old`` (which must be there) replaced."""
    data = (REAL / name).read_bytes().decode("latin-1")
    assert old in data, old
    target = tmp_path / (as_name or name)
    target.write_bytes(data.replace(old, new, 1).encode("latin-1"))
    return target


CSV_MARCH = REAL / "nef-numero-2025-03.csv"
CFONB_APRIL = REAL / "cfonb-nef-2025-04.txt"
CAMT_MAY = REAL / "camt053-001-08-nef-2025-05.xml"
CAMT_UTC = REAL / "camt053-001-02-utc.xml"
CAMT_NO_STATUS = REAL / "camt053-001-02-sans-statut.xml"


# Point 4: one bank account, one reserve, whatever the format calls it.


def test_point4_csv_number_then_cfonb_rib_then_camt_iban_are_one_chained_reserve(books) -> None:
    assert books.imported(CSV_MARCH).startswith("1 relevé(s) importé(s)")
    assert books.imported(CFONB_APRIL).startswith("1 relevé(s) importé(s)")
    assert books.imported(CAMT_MAY).startswith("2 relevé(s) importé(s)")
    assert books.rows("SELECT id, bank_account FROM accounts WHERE kind = 'reserve'") == [
        (f"reserve:{NEF_RIB}", NEF_RIB)
    ]
    assert books.rows(
        "SELECT bank_account, format, opening_cents, closing_cents FROM statements ORDER BY id"
    ) == [
        (NEF_RIB, "nef_csv", 100000, 114650),
        (NEF_RIB, "cfonb", 114650, 116180),
        (NEF_RIB, "camt", 116180, 115815),
        (NEF_RIB, "camt", 115815, 118315),
    ]
    assert books.imported(CSV_MARCH, CFONB_APRIL, CAMT_MAY).startswith(
        "0 relevé(s) importé(s), 4 déjà connu(s)"
    )


def test_point4_another_bank_same_account_number_is_refused_by_name_then_declared(
    books, tmp_path
) -> None:
    both = REAL / "cfonb-deux-comptes-2025-04.txt"  # no line ends, two accounts
    assert books.refused(both) == (
        f"Erreur : {both} : relevé du compte banque 30004, guichet 00003, n° 08001234567, qui "
        "n'est pas un compte de réserve déclaré (déclaré(s) : banque 42559, guichet 10000, "
        "n° 08001234567) : rien n'est importé. S'il est bien un compte de réserve de la Bulle, "
        "déclarez-le : bulle-ledger config --reserve IBAN\n"
    )
    declared = books("config", "--reserve", OTHER_BANK_IBAN)
    assert declared.exit_code == 0
    assert declared.output.endswith(
        "Compte de réserve : banque 42559, guichet 10000, n° 08001234567\n"
        "Compte de réserve : banque 30004, guichet 00003, n° 08001234567\n"
    )
    books.imported(both)
    assert books.rows(
        "SELECT a.id, s.opening_cents, s.closing_cents FROM statements s"
        " JOIN accounts a ON a.bank_account = s.bank_account ORDER BY s.id"
    ) == [
        (f"reserve:{NEF_RIB}", 114650, 117150),
        ("reserve:300040000308001234567", 50000, 62000),
    ]


def test_point4_an_undeclared_foreign_account_is_named(books) -> None:
    assert books.refused(CAMT_UTC) == (
        f"Erreur : {CAMT_UTC} : relevé du compte NL77ABNA0574908765, qui n'est pas un compte "
        "de réserve déclaré (déclaré(s) : banque 42559, guichet 10000, n° 08001234567) : rien "
        "n'est importé. S'il est bien un compte de réserve de la Bulle, déclarez-le : "
        "bulle-ledger config --reserve IBAN\n"
    )


def test_point4_without_declaration_the_first_statement_names_the_reserve(tmp_path) -> None:
    books = _books(tmp_path)
    assert books.imported(CSV_MARCH).endswith(
        "Compte de réserve (celui du premier relevé) : n° 08001234567 (banque 42559)\n"
        "Laissé(s) hors du grand livre : 1 mouvement(s) à 0,00 €.\n"
    )
    books.imported(CFONB_APRIL)  # the RIB of La Nef with that number: the same account
    assert books.rows("SELECT COUNT(*) FROM accounts WHERE kind = 'reserve'") == [(1,)]
    assert "n'est pas un compte de réserve déclaré" in books.refused(CAMT_UTC)


def test_point4_older_books_with_a_reserve_stored_by_its_number_keep_working(books) -> None:
    old = Books(books.path.with_name("ancien.sqlite3"))
    assert old("init").exit_code == 0
    with sqlite3.connect(old.path) as conn:  # what the previous version stored for a Nef CSV
        conn.execute(
            "INSERT INTO accounts (id, kind, commodity, name, bank_account, opened_at)"
            " VALUES ('reserve:08001234567', 'reserve', 'EUR', 'Réserve', '08001234567',"
            " '2025-03-01')"
        )
    old.imported(CFONB_APRIL)
    assert old.rows("SELECT bank_account FROM statements") == [("08001234567",)]
    assert old.rows("SELECT COUNT(*) FROM accounts WHERE kind = 'reserve'") == [(1,)]


def test_point4_a_mistyped_reserve_iban_is_refused_and_nothing_is_created(tmp_path) -> None:
    books = Books(tmp_path / "livre.sqlite3")
    result = books("init", "--reserve", "FR76 4255 9100 0008 0012 3456 777")
    assert (result.exit_code, result.output) == (
        1,
        "Erreur : Compte de réserve « FR76 4255 9100 0008 0012 3456 777 » illisible : écrivez "
        "son IBAN (FR76 4255 9…) ou son RIB complet (banque, guichet, numéro, clé), clés de "
        "contrôle comprises\n",
    )
    assert not books.path.exists()


# Point 5: 0,00 € movements are kept out of the books, and the report says so.


def test_point5_zero_amount_movements_are_set_aside_and_reported(books) -> None:
    assert books.imported(CSV_MARCH).endswith(
        "Laissé(s) hors du grand livre : 1 mouvement(s) à 0,00 €.\n"
    )
    assert books.imported(CFONB_APRIL) == (
        "1 relevé(s) importé(s), 0 déjà connu(s) ; 2 ligne(s) : 1 conversion(s), "
        "0 reconversion(s) payée(s), 1 à rapprocher.\n"
        "Laissé(s) hors du grand livre : 1 mouvement(s) à 0,00 €.\n"
    )
    # The camt 0,00 € entry repeats the AcctSvcrRef of a real one (a fee reversal).
    assert books.imported(CAMT_MAY).endswith(
        "Laissé(s) hors du grand livre : 1 mouvement(s) à 0,00 €, 1 écriture(s) non "
        "comptabilisée(s) (statut INFO), 1 écriture(s) non comptabilisée(s) (statut PDNG).\n"
    )
    assert books.rows("SELECT COUNT(*) FROM bank_lines WHERE amount_cents = 0") == [(0,)]


# Point 6: a camt booking date-time is a day in Paris.


def test_point6_camt_datetimes_in_utc_or_with_offset_are_paris_days(books) -> None:
    (statement,) = read_statements(CAMT_UTC)
    assert [line.booking_date for line in statement.lines] == [
        "2014-01-05",  # 2014-01-04T23:00:00Z
        "2014-01-06",  # 2014-01-05T23:30:00.000Z
        "2014-01-06",  # 2014-01-06T00:30:00+01:00
        "2014-01-07",  # 2014-01-07T23:30:00, no offset: local time
    ]
    assert (statement.start_date, statement.end_date) == ("2014-01-05", "2014-01-07")
    assert books("config", "--reserve", "NL77ABNA0574908765").exit_code == 0
    books.imported(CAMT_UTC)
    assert books.rows("SELECT MIN(booking_date) FROM bank_lines") == [("2014-01-05",)]


# Point 7: entries without status are booked, PDNG/INFO set aside and counted.


def test_point7_entries_without_status_are_booked_pending_ones_counted(books) -> None:
    assert books.imported(CAMT_NO_STATUS) == (
        "1 relevé(s) importé(s), 0 déjà connu(s) ; 2 ligne(s) : 2 conversion(s), "
        "0 reconversion(s) payée(s), 0 à rapprocher.\n"
        "Laissé(s) hors du grand livre : 1 écriture(s) non comptabilisée(s) (statut PDNG).\n"
    )


def test_point7_sums_failing_never_blame_the_bank_for_entries_set_aside(books, tmp_path) -> None:
    counted = variant(
        tmp_path,
        CAMT_NO_STATUS.name,
        '<Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">560.00',
        '<Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">635.00',
    )
    assert books.refused(counted) == (
        f"Erreur : {counted} : relevé STMT-20250603-01 : le relevé ne s'additionne pas "
        "(ouverture 500,00 + mouvements comptabilisés 60,00 ≠ clôture 635,00) ; 1 écriture(s) "
        "non comptabilisée(s) (statut PDNG) ont été laissées de côté et ne sont pas comptées : "
        "avec elles le compte serait juste, la banque les a donc comptées dans le solde de "
        "clôture alors qu'elle ne les dit pas comptabilisées ; relevé refusé en entier\n"
    )


# Point 8: decimals, sizes, signs.


def test_point8_trailing_zero_decimals_are_accepted(books) -> None:
    first, second = read_statements(CAMT_MAY)
    assert [line.amount_cents for line in first.lines] == [885, -1250]  # 8.850, 12.50000
    assert [line.amount_cents for line in second.lines] == [2500]
    assert second.opening_cents == first.closing_cents  # PRCD as the opening balance


@pytest.mark.parametrize(
    "name, old, new, reason",
    [
        (
            CAMT_MAY.name,
            "8.850",
            "8.855",
            "relevé NEF-RLV-20250502, écriture 1 : montant « 8.855 » avec une fraction de "
            "centime (au-delà de deux décimales, seuls des zéros sont admis)",
        ),
        (
            CAMT_MAY.name,
            "8.850",
            "12345678901234567890",
            "relevé NEF-RLV-20250502, écriture 1 : montant « 12345678901234567890 » trop grand "
            "(13 chiffres avant la virgule au plus)",
        ),
        (
            CAMT_MAY.name,
            "<ElctrncSeqNb>41<",
            "<ElctrncSeqNb>12345678901234567890<",
            "relevé NEF-RLV-20250502 : numéro de séquence (ElctrncSeqNb) illisible "
            "« 12345678901234567890 » (18 chiffres au plus)",
        ),
        (
            CAMT_NO_STATUS.name,
            '<Amt Ccy="EUR">20.00</Amt><CdtDbtInd>CRDT',
            '<Amt Ccy="EUR">-20.00</Amt><CdtDbtInd>DBIT',
            "relevé STMT-20250603-01, écriture 2 : montant signé « -20.00 » : en camt le montant "
            "est toujours positif, son sens est donné par CdtDbtInd (CRDT ou DBIT)",
        ),
    ],
)
def test_point8_camt_amounts_and_numbers_refused_at_their_entry(
    books, tmp_path, name, old, new, reason
) -> None:
    path = variant(tmp_path, name, old, new)
    assert books.refused(path) == f"Erreur : {path} : {reason}\n"


def test_point8_a_200000_character_csv_label_is_refused_at_its_line(books, tmp_path) -> None:
    path = variant(tmp_path, CSV_MARCH.name, "FRAIS TENUE DE COMPTE", "X" * 200_000)
    assert books.refused(path) == (
        f"Erreur : {path}:10 : ligne illisible (une cellule de plus de 131\u202f072 caractères, "
        "ou un guillemet jamais fermé)\n"
    )
    path = variant(tmp_path, CSV_MARCH.name, "FRAIS TENUE DE COMPTE", "X" * 100_000)
    assert books.refused(path) == (
        f"Erreur : {path}:10 : cellule : libellé de 100\u202f000 caractères (2\u202f000 au plus)\n"
    )


def test_point8_the_cell_limit_is_ours_whatever_the_process_limit(books, tmp_path) -> None:
    """A library (frictionless) may raise the csv module's limit for the whole process: the
    statement reader keeps its own, and leaves the process's as it found it."""
    import csv

    before = csv.field_size_limit(2_147_483_646)
    try:
        path = variant(tmp_path, CSV_MARCH.name, "FRAIS TENUE DE COMPTE", "X" * 200_000)
        assert "ligne illisible (une cellule de plus de 131\u202f072 caractères" in (
            books.refused(path))
        assert csv.field_size_limit() == 2_147_483_646
    finally:
        csv.field_size_limit(before)


# Point 9: a first statement on an overdrawn account.


def test_point9_first_statement_overdrawn_is_refused_naming_the_bank_figures(books) -> None:
    path = REAL / "cfonb-decouvert-2025-02.txt"
    assert books.refused(path) == (
        f"Erreur : {path}:1 : le premier relevé de ce compte s'ouvre sur un solde débiteur de "
        "-45,30 € au 2025-01-31 (compte à découvert selon la banque) : la réserve des Bulles ne "
        "peut pas commencer en négatif ; commencez le grand livre par le relevé d'un mois qui "
        "s'ouvre sur un solde positif ou nul. Relevé refusé\n"
    )


# Point 10 and issue 12 point 1: dates, file names, camt.052 / camt.054.


@pytest.mark.parametrize(
    "name, old, new, place, reason",
    [
        (
            CFONB_APRIL.name,
            "05020425  020425VIR",
            "0502O425  020425VIR",
            ":2",
            "date de comptabilisation illisible « 02O425 » (JJMMAA attendu)",
        ),
        (
            CFONB_APRIL.name,
            "05020425  020425VIR",
            "05320299  020425VIR",
            ":2",
            "date de comptabilisation illisible « 320299 » (JJMMAA attendu)",
        ),
        (
            CFONB_APRIL.name,
            "  310325 ",
            "  310390 ",
            ":1",
            "date 1990-03-31 hors de la plage permise (entre le 1er janvier 2000 et le 31 "
            "décembre 2099)",
        ),
        (
            CSV_MARCH.name,
            '"10/03/2025","10/03/2025"',
            '"31/02/2020","10/03/2025"',
            ":10",
            "date illisible « 31/02/2020 » (JJ/MM/AAAA attendu)",
        ),
        (
            CAMT_NO_STATUS.name,
            "<BookgDt><Dt>2025-06-03</Dt>",
            "<BookgDt><Dt>2025-13-45</Dt>",
            "",
            "relevé STMT-20250603-01, écriture 1 : BookgDt : date impossible « 2025-13-45 » (ce "
            "jour n'existe pas)",
        ),
        (
            CAMT_NO_STATUS.name,
            "<BookgDt><Dt>2025-06-03</Dt>",
            "<BookgDt><Dt>not-a-date</Dt>",
            "",
            "relevé STMT-20250603-01, écriture 1 : BookgDt : date illisible « not-a-date » "
            "(AAAA-MM-JJ attendu)",
        ),
        (
            CAMT_UTC.name,
            "<DtTm>2014-01-04T23:00:00Z</DtTm>",
            "<DtTm>9999-12-31T23:59:59Z</DtTm>",
            "",
            "relevé 0574908765.2014-01-07, écriture 1 : BookgDt : date 9999-12-31 hors de la "
            "plage permise (entre le 1er janvier 2000 et le 31 décembre 2099)",
        ),
        (
            CAMT_NO_STATUS.name,
            "<Dt><Dt>2025-06-03</Dt></Dt></Bal>",
            "<Dt><Dt>2025-02-30</Dt></Dt></Bal>",
            "",
            "relevé STMT-20250603-01, solde OPBD : Dt : date impossible « 2025-02-30 » (ce jour "
            "n'existe pas)",
        ),
        (
            CAMT_UTC.name,
            "<DtTm>2014-01-04T23:00:00Z</DtTm>",
            "<DtTm>2014-01-04T25:00:00Z</DtTm>",
            "",
            "relevé 0574908765.2014-01-07, écriture 1 : BookgDt : date et heure illisibles "
            "« 2014-01-04T25:00:00Z » (AAAA-MM-JJThh:mm:ss attendu)",
        ),
    ],
)
def test_point10_unreadable_dates_are_refused_at_their_place(
    books, tmp_path, name, old, new, place, reason
) -> None:
    path = variant(tmp_path, name, old, new)
    assert books.refused(path) == f"Erreur : {path}{place} : {reason}\n"


def test_point10_file_names_keep_their_case(books, tmp_path) -> None:
    path = variant(tmp_path, CAMT_NO_STATUS.name, "2025-06-03", "not-a-date", "Oca16-test.xml")
    assert books.refused(path).startswith(f"Erreur : {tmp_path}/Oca16-test.xml : relevé")
    lower = tmp_path / "oca16-test.xml"
    lower.write_bytes(path.read_bytes())
    assert books.refused(lower).startswith(f"Erreur : {tmp_path}/oca16-test.xml : relevé")


@pytest.mark.parametrize(
    "name, reason",
    [
        ("camt052-intrajournalier.xml", "relevé intrajournalier (camt.052)"),
        ("camt054-avis.xml", "avis de débit-crédit (camt.054)"),
    ],
)
def test_point10_camt052_and_camt054_are_named(books, name, reason) -> None:
    path = REAL / name
    assert books.refused(path) == (
        f"Erreur : {path} : {reason}, pas un relevé de fin de journée : exportez le relevé "
        "camt.053\n"
    )


# The shapes real files take.


def test_cfonb_records_padded_to_240_characters_read_like_120(books) -> None:
    padded = REAL / "cfonb-240-nef-2025-04.txt"
    assert max(len(line) for line in padded.read_bytes().splitlines()) == 240
    (wide,) = read_statements(padded)
    (plain,) = read_statements(CFONB_APRIL)
    assert wide.lines == plain.lines and wide.closing_cents == plain.closing_cents


def test_latin1_and_crlf_are_read_as_the_bank_wrote_them() -> None:
    assert b"\r\n" in CFONB_APRIL.read_bytes() and b"\xc9" in CFONB_APRIL.read_bytes()
    (statement,) = read_statements(CFONB_APRIL)
    assert statement.lines[-1].label == "COTISATION CARTE DÉBIT"
    assert b"P\xe9riode" in CSV_MARCH.read_bytes()
    (march,) = read_statements(CSV_MARCH)
    assert [line.amount_cents for line in march.lines] == [5000, 5000, 3000, -350, 2000]


@pytest.mark.parametrize(
    "written, identity",
    [
        (reserves.from_iban(NEF_IBAN), NEF_RIB),  # IBAN with spaces
        (reserves.from_rib("42559", "10000", "08001234567"), NEF_RIB),  # CFONB zones
        (reserves.from_rib("42559", "10000", "8001234567 "), NEF_RIB),  # number not zero-filled
        (reserves.from_nef_number("08001234567"), "42559?????08001234567"),  # Nef CSV
        (reserves.from_other("42559100000800123456771"), NEF_RIB),  # camt Othr/Id: a RIB
        (reserves.from_other("0574908765"), "ID:0574908765"),  # another bank's number
        (reserves.from_stored("08001234567"), "42559?????08001234567"),  # older books
        (reserves.from_stored("nef"), "42559" + "?" * 16),
        (reserves.declared_form("42559 10000 08001234567 71"), NEF_RIB),  # RIB with its key
    ],
)
def test_point4_every_spelling_of_an_account_has_one_canonical_identity(
    written: str, identity: str
) -> None:
    assert written == identity


def test_point4_a_rib_with_a_wrong_key_is_refused() -> None:
    with pytest.raises(LedgerError, match="clés de contrôle comprises"):
        reserves.declared_form("42559 10000 08001234567 72")
