"""Benchmark of the ledger on a year of a large pilot.

    .venv/bin/python bench/ledger_bench.py [--scale small|full]

full: 3,000 accounts, 100,000 bank lines, 1,000,000 payments. Reports import, verify and
stats times and the database size, with ``bean-check`` on the exported books as the
reference, and writes bench/LEDGER-RESULTS.md.
"""

import argparse
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from labulle.ledger import accounts
from labulle.ledger.beancount_export import export
from labulle.ledger.db import open_ledger, transaction
from labulle.ledger.importer import import_statements, read_all
from labulle.ledger.journal import Journal
from labulle.ledger.operations import open_payouts, pay, reconvert
from labulle.ledger.reports import stats
from labulle.ledger.statements.synthetic import Move, nef_csv
from labulle.ledger.verify import verify

SCALES = {
    "small": {"accounts": 300, "lines": 10_000, "payments": 100_000},
    "full": {"accounts": 3_000, "lines": 100_000, "payments": 1_000_000},
}
IBAN = "FR7642559100000800123456789"
FEE_BP = 200
HERE = Path(__file__).parent


def setup(folder: Path, n_accounts: int):
    conn = open_ledger(folder / "ledger.sqlite3", create=True)
    pros = [f"p{i}" for i in range(n_accounts // 10)]
    members = [f"m{i}" for i in range(n_accounts - len(pros))]
    with transaction(conn):
        accounts.create_system_accounts(conn, "2025-01-01")
        for account_id in members:
            accounts.open_participant(
                conn, account_id, name=account_id, kind="member", today="2025-01-01"
            )
        for account_id in pros:
            accounts.open_participant(
                conn,
                account_id,
                name=account_id,
                kind="pro",
                today="2025-01-01",
                pro_slug=account_id,
            )
    return conn, members, pros


def month_statement(
    folder: Path,
    month: int,
    rng: random.Random,
    members: list[str],
    n_lines: int,
    payouts: list,
    opening: int,
) -> tuple[Path, int]:
    start = date(2025, month, 1)
    moves = [
        Move(start + timedelta(days=i % 28), -net, f"VIR BULLE {pro.upper()}", f"P{pid}")
        for i, (pid, pro, net, _day) in enumerate(payouts)
    ]
    for i in range(n_lines - len(moves)):
        day = start + timedelta(days=i * 28 // n_lines)
        if i % 200 == 199:
            moves.append(Move(day, -150, "FRAIS BANCAIRES", f"F{month}-{i}"))
        else:
            moves.append(
                Move(
                    day,
                    rng.choice([2000, 5000, 5000, 10000, 15000]),
                    f"VIR SEPA BULLE {rng.choice(members).upper()}",
                    f"V{month}-{i}",
                )
            )
    path = folder / f"nef-2025-{month:02d}.csv"
    path.write_bytes(nef_csv(IBAN, opening, moves).encode("latin-1"))
    return path, opening + sum(m.cents for m in moves)


def month_payments(conn, rng: random.Random, members, pros, count: int, month: int) -> None:
    held = dict(conn.execute("SELECT account, cents FROM balances WHERE account NOT LIKE '%:%'"))
    with transaction(conn):
        journal = Journal(conn, "bench")
        for i in range(count):
            day = date(2025, month, 1 + i * 28 // count).isoformat()
            draw = rng.random()
            # Members pay pros; pros pay each other and give change or wages to members.
            for _retry in range(5):
                if draw < 0.65:
                    payer, payee = rng.choice(members), rng.choice(pros)
                elif draw < 0.85:
                    payer, payee = rng.choice(pros), rng.choice(pros)
                else:
                    payer, payee = rng.choice(pros), rng.choice(members)
                if held.get(payer, 0) >= 100 and payer != payee:
                    break
            cents = min(held.get(payer, 0), rng.randrange(100, 2500))
            if cents <= 0 or payer == payee:
                continue
            pay(journal, payer, payee, cents, "", day)
            held[payer] -= cents
            held[payee] = held.get(payee, 0) + cents
        for pro in pros[:: max(1, len(pros) // 30)]:
            if held.get(pro, 0) > 1000:
                reconvert(journal, pro, held[pro] // 2, FEE_BP, date(2025, month, 28).isoformat())
        journal.check()


def warm_up(folder: Path) -> None:
    """Read a one-line statement first, so that loading the readers' Python modules (done
    once per process) is not counted as import time."""
    path = folder / "warm-up.csv"
    path.write_bytes(nef_csv(IBAN, 0, [Move(date(2025, 1, 1), 100, "VIR", "W")]).encode("latin-1"))
    read_all([path])
    path.unlink()


def stats_command(database: Path) -> float:
    """Wall seconds of ``bulle-ledger stats --json`` as the treasurer runs it (best of 3)."""
    command = [str(Path(sys.executable).with_name("bulle-ledger")), "--db", str(database)]
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run([*command, "stats", "--json"], check=True, capture_output=True)
        best = min(best, time.perf_counter() - started)
    return best


def timed(function, *args):
    """(wall seconds, result); CPU seconds are added to CPU_SECONDS[function name]."""
    started, cpu = time.perf_counter(), time.process_time()
    result = function(*args)
    CPU_SECONDS[function.__name__] = CPU_SECONDS.get(function.__name__, 0.0) + (
        time.process_time() - cpu
    )
    return time.perf_counter() - started, result


CPU_SECONDS: dict[str, float] = {}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=SCALES, default="small")
    parser.add_argument("--keep", action="store_true", help="keep the working folder")
    args = parser.parse_args()
    scale = SCALES[args.scale]
    folder = Path(tempfile.mkdtemp(prefix="ledger-bench-"))
    rng = random.Random(2025)
    conn, members, pros = setup(folder, scale["accounts"])
    import_seconds, opening, setup_seconds = 0.0, 0, 0.0
    warm_up(folder)
    monthly_cpu = []
    for month in range(1, 13):
        path, opening = month_statement(
            folder, month, rng, members, scale["lines"] // 12, open_payouts(conn), opening
        )

        def run_import(path=path):
            statements = read_all([path])
            with transaction(conn):
                return import_statements(Journal(conn, "bench"), statements)

        cpu = CPU_SECONDS.get("run_import", 0.0)
        seconds, _report = timed(run_import)
        import_seconds += seconds
        monthly_cpu.append(CPU_SECONDS["run_import"] - cpu)
        seconds, _ = timed(month_payments, conn, rng, members, pros, scale["payments"] // 12, month)
        setup_seconds += seconds
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # keep the payments' WAL out of imports
        print(
            f"month {month:2d}: import {import_seconds:7.2f} s cumulated (CPU this month "
            f"{monthly_cpu[-1]:.3f} s), payments "
            f"{setup_seconds:7.1f} s",
            file=sys.stderr,
        )
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    lines, entries = conn.execute(
        "SELECT (SELECT COUNT(*) FROM bank_lines), (SELECT COUNT(*) FROM entries)"
    ).fetchone()
    payments = conn.execute("SELECT COUNT(*) FROM entries WHERE kind = 'payment'").fetchone()[0]
    verify_seconds, problems = timed(verify, conn)
    assert problems == [], problems[:5]
    stats_seconds, _ = timed(stats, conn)
    command_seconds = stats_command(folder / "ledger.sqlite3")
    export_seconds, _ = timed(export, conn, folder / "books.beancount")
    bean_check = Path(sys.executable).with_name("bean-check")
    started = time.perf_counter()
    try:
        check = subprocess.run(
            [str(bean_check), str(folder / "books.beancount")],
            capture_output=True,
            text=True,
            timeout=3600,
        )
        bean_seconds = time.perf_counter() - started
        bean_status = "ok" if check.returncode == 0 else f"errors: {check.stdout[:200]}"
    except subprocess.TimeoutExpired:
        bean_seconds, bean_status = time.perf_counter() - started, "timeout (1 h)"
    size = (folder / "ledger.sqlite3").stat().st_size
    rows = [
        ("scale", args.scale),
        ("accounts", f"{scale['accounts']:,}"),
        ("bank lines imported", f"{lines:,} (12 monthly La Nef CSV files)"),
        ("payments", f"{payments:,}"),
        ("entries in the chain", f"{entries:,}"),
        (
            "import time (12 files, parse + checks + matching + conversions)",
            f"{import_seconds:.2f} s = {lines / import_seconds:,.0f} lines/s (CPU "
            f"{CPU_SECONDS['run_import']:.2f} s = "
            f"{lines / CPU_SECONDS['run_import']:,.0f} lines/s)",
        ),
        (
            "import, CPU per monthly file (fastest / median / slowest)",
            " / ".join(
                f"{lines / 12 / cpu:,.0f}"
                for cpu in (min(monthly_cpu), statistics.median(monthly_cpu), max(monthly_cpu))
            )
            + " lines/s",
        ),
        (
            "`verify` (all invariants + hash chain)",
            f"{verify_seconds:.2f} s (CPU {CPU_SECONDS['verify']:.2f} s)",
        ),
        (
            "`stats` (function, open connection)",
            f"{stats_seconds:.3f} s (CPU {CPU_SECONDS['stats']:.3f} s)",
        ),
        (
            "`bulle-ledger stats --json` (whole command, new process, best of 3)",
            f"{command_seconds:.3f} s",
        ),
        ("`export --beancount`", f"{export_seconds:.2f} s"),
        ("`bean-check` on the same books (reference)", f"{bean_seconds:.2f} s ({bean_status})"),
        (
            "`verify` against `bean-check`",
            f"{bean_seconds / verify_seconds:.1f}× faster (wall)",
        ),
        ("database size", f"{size / 1e6:,.0f} MB"),
        ("setting up the payments (not measured against a goal)", f"{setup_seconds:.0f} s"),
    ]
    machine = (
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} CPU, {platform.system()} {platform.machine()}"
    )
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    rows.append(("load average at the end (other jobs share the machine)", f"{load:.1f}"))
    table = "\n".join(f"| {name} | {value} |" for name, value in rows)
    report = (
        "# Ledger benchmark\n\n"
        f"`.venv/bin/python bench/ledger_bench.py --scale {args.scale}` on {machine}, "
        f"{date.today().isoformat()}.\n\n"
        "Goals: import ≥ 20,000 bank lines/s, `stats` < 0.5 s, `verify` faster than "
        "`bean-check` on the same books.\n\n| measure | result |\n|---|---|\n" + table + "\n"
    )
    (HERE / "LEDGER-RESULTS.md").write_text(report, encoding="utf-8")
    print(report)
    if args.keep:
        print(f"kept: {folder}")
    else:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
