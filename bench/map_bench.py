"""Benchmark of the map of the pros: what the first paint waits for, what comes after, and
Lighthouse on the map of 1,500 pros before and after the markers were moved out of the document.

    .venv/bin/python bench/map_bench.py [--no-browser] [--no-lighthouse]

In one run:
1. Sizes: the map document (`labulle.pages.mapdoc.build_document`) and the markers' data it
   fetches (`labulle.pages.mapdata.network_data`), for the sample pros and for 1,500 pros
   generated in Charente (fixed seed, in memory): build time, raw and gzip bytes.
2. A phone-like Chromium (375 px, touch, CPU slowed down 4× by `Emulation.setCPUThrottlingRate`,
   tiles blocked) on the 1,500-pro map: first contentful paint, time until every marker is in,
   the longest main-thread task while it loads (PerformanceObserver `longtask`, real throttled
   time), and the redraw after each of 20 pans.
3. Lighthouse (bench/run's plumbing: same version, mobile preset, site served with its
   precompressed files) on `/carte/carte-embed.html` of a site of 1,500 pros made by
   bench/generate.py, built twice in the same run: with the code before this change (commit
   BEFORE, taken with `git archive`, the same generated pros) and with the working tree. The
   tiles are answered by a blank tile of the local server (LABULLE_TILES_URL), as the browser
   tests answer them, so the run is offline and its console has no tile error.
Writes bench/MAP-RESULTS.md.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import importlib.machinery
import importlib.util
import io
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import zlib
from datetime import date
from pathlib import Path

from labulle.model.directory import Directory, slugify
from labulle.pages import mapdata
from labulle.pages import mapdoc as carte
from labulle.pages.maps import compact_json
from labulle.source.readers import read_categories, read_pros
from labulle.source.schema import Adresse, Bulle, Marche, Pro

HERE = Path(__file__).parent
ROOT = HERE.parent
TODAY = date(2020, 3, 23)
SEED = 2020
GENERATED = 1500
RUNS = 5
BEFORE = "1a4d9b46bfc6d705b9cf1d29f1520396812c6e76"  # the last commit with markers in the page

# Towns of Charente: (name, postcode, lat, lon, weight ~ population).
TOWNS = [
    ("Angoulême", "16000", 45.6484, 0.1562, 42), ("Cognac", "16100", 45.6958, -0.3287, 19),
    ("Soyaux", "16800", 45.6405, 0.1990, 10), ("La Couronne", "16400", 45.6083, 0.1000, 8),
    ("Ruelle-sur-Touvre", "16600", 45.6780, 0.2300, 7), ("Gond-Pontouvre", "16160", 45.6700,
                                                          0.1650, 6),
    ("Saint-Yrieix-sur-Charente", "16710", 45.6830, 0.1230, 7), ("Jarnac", "16200", 45.6810,
                                                                 -0.1750, 4),
    ("Ruffec", "16700", 46.0290, 0.1980, 3), ("Confolens", "16500", 46.0140, 0.6720, 3),
    ("Barbezieux-Saint-Hilaire", "16300", 45.4720, -0.1540, 4),
    ("La Rochefoucauld-en-Angoumois", "16110", 45.7410, 0.3850, 3),
    ("Chasseneuil-sur-Bonnieure", "16260", 45.8190, 0.4500, 3),
    ("Châteauneuf-sur-Charente", "16120", 45.6000, -0.0530, 3), ("Montbron", "16220", 45.6680,
                                                                  0.5000, 2),
    ("Chabanais", "16150", 45.8730, 0.7170, 2), ("Aigre", "16140", 45.8930, 0.0100, 1),
    ("Villebois-Lavalette", "16320", 45.4820, 0.2800, 1), ("Mansle", "16230", 45.8760,
                                                           0.1800, 2),
    ("Rouillac", "16170", 45.7760, -0.0640, 1), ("Segonzac", "16130", 45.6170, -0.2210, 2),
    ("Fléac", "16730", 45.6690, 0.0960, 2), ("Brie", "16590", 45.7370, 0.2460, 1),
]
MARKETS = ["Marché des Halles", "Marché Victor-Hugo", "Marché du samedi", "Marché de plein air",
           "Marché bio", "Marché du dimanche", "Marché couvert"]
HOURS = ["Tu-Sa 09:00-12:30,14:30-19:00; PH off", "Mo-Sa 08:00-19:30", "We-Su 10:00-18:00",
         "Tu-Fr 09:00-12:00,14:00-18:30; Sa 09:00-17:00", "Mo-Fr 12:00-14:00,19:00-22:00",
         "Th-Sa 15:00-19:00", "Mo-Sa 07:00-13:00,15:30-19:30; Su 07:30-12:30"]
MARKET_HOURS = ["Sa 08:00-13:00", "Su 08:00-12:30", "We 07:30-12:30", "Fr 16:00-19:30",
                "Tu,Sa 08:00-12:30"]
WORDS_A = ["Le Panier", "L'Atelier", "La Ferme", "Le Comptoir", "La Boutique", "Au Fournil",
           "Les Jardins", "La Cave", "Le Petit Marché", "L'Épicerie", "Maison", "Le Café",
           "La Librairie", "Chez", "Les Ruches", "La Friperie", "Le Relais", "La Fabrique"]
WORDS_B = ["des Remparts", "de la Touvre", "du Vieux Cognac", "de Saintonge", "des Brandes",
           "du Plateau", "de la Charente", "Soulat", "Mercier", "du Lavoir", "de l'Houmeau",
           "des Chaumes", "du Gond", "de la Tardoire", "Bonnieure", "d'Épagnac", "des Halles"]


def generated_pros(directory: Directory, count: int, seed: int = SEED) -> list[Pro]:
    """Realistic pros spread over Charente's towns, with shops and markets."""
    rng = random.Random(seed)
    leaves = [k for k, c in directory.categories.items() if c.parent]
    weights = [t[4] for t in TOWNS]
    pros, seen = [], set()
    for index in range(count):
        name = f"{rng.choice(WORDS_A)} {rng.choice(WORDS_B)}"
        if name in seen:
            name = f"{name} {index}"
        seen.add(name)
        town = rng.choices(TOWNS, weights)[0]
        spread = 0.012 if town[4] > 5 else 0.02
        has_shop = rng.random() < 0.85
        shop = Adresse(rue=f"{rng.randint(1, 80)} rue {rng.choice(WORDS_B)}",
                       code_postal=town[1], commune=town[0],
                       position=(round(rng.gauss(town[2], spread), 5),
                                 round(rng.gauss(town[3], spread), 5))) if has_shop else None
        markets = []
        for _ in range(rng.choice([0, 0, 0, 0, 1, 1, 2]) if has_shop else rng.choice([1, 2, 3])):
            market_town = rng.choices(TOWNS, weights)[0]
            markets.append(Marche(nom=rng.choice(MARKETS), commune=market_town[0],
                                  position=(round(market_town[2] + rng.uniform(-.003, .003), 5),
                                            round(market_town[3] + rng.uniform(-.003, .003), 5)),
                                  horaires=rng.choice(MARKET_HOURS)))
        pros.append(Pro(nom=name, categories=[rng.choice(leaves)], resume="Un pro de la Bulle.",
                        adresse=shop, marches=markets,
                        horaires=rng.choice(HOURS) if has_shop else None,
                        bulle=Bulle(comptoir=rng.random() < 0.06,
                                    numerique=rng.random() < 0.2),
                        slug=slugify(name)))
    return pros


def measure(build) -> tuple[float, str]:
    """Median build time over RUNS runs (s), and what was built."""
    times, built = [], ""
    for _ in range(RUNS):
        start = time.perf_counter()
        built = build()
        times.append(time.perf_counter() - start)
    return statistics.median(times), built


def sizes(text: str) -> tuple[int, int]:
    raw = text.encode("utf-8")
    return len(raw), len(gzip.compress(raw, compresslevel=6, mtime=0))


def static_sizes() -> tuple[int, int]:
    """Raw and gzip bytes of the JS and CSS files the map document loads."""
    raw = packed = 0
    for path in carte.RESOURCES.values():
        data = (ROOT / "theme" / "static" / path).read_bytes()
        raw += len(data)
        packed += len(gzip.compress(data, compresslevel=6, mtime=0))
    return raw, packed


# --- Browser ------------------------------------------------------------------------------

LONG_TASKS_JS = """
window.__longTasks = [];
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) window.__longTasks.push(entry.duration);
}).observe({type: "longtask", buffered: true});
"""

PAN_JS = """async () => {
    const map = laBulle.state().map;
    const steps = [[120, 0], [0, 120], [-120, 0], [0, -120]];
    const times = [];
    map.setZoom(12, {animate: false});
    await new Promise(r => setTimeout(r, 300));
    for (let i = 0; i < 20; i++) {
        const t0 = performance.now();
        await new Promise(resolve => {
            map.once('moveend', () => requestAnimationFrame(() => resolve()));
            map.panBy(steps[i % 4], {animate: false});
        });
        times.push(performance.now() - t0);
    }
    return times;
}"""

FCP_JS = ("() => (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime"
          " || null")


def browser_run(document: str, data: str) -> dict[str, float] | None:
    """The 1,500-pro map at 375 px, CPU 4× slower: paint, markers in, longest task, pans."""
    chromium = shutil.which("chromium")
    if chromium is None:
        return None
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder)
        (site / "carte").mkdir()
        os.symlink(ROOT / "theme" / "static", site / "theme")
        (site / "carte" / "carte-embed.html").write_text(document, encoding="utf-8")
        (site / "carte" / carte.NETWORK_DATA).write_text(data, encoding="utf-8")

        class Quiet(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

        server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}/carte/carte-embed.html"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 375, "height": 640},
                                    device_scale_factor=2, is_mobile=True, has_touch=True)
            page.route("**/*", lambda route: route.abort()
                       if "127.0.0.1" not in route.request.url else route.continue_())
            page.add_init_script(LONG_TASKS_JS)
            cdp = page.context.new_cdp_session(page)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
            start = time.perf_counter()
            page.goto(url)
            page.wait_for_function("() => window.laBulle && laBulle.state().ready")
            ready = time.perf_counter() - start
            fcp = page.evaluate(FCP_JS)
            markers = page.evaluate("() => laBulle.state().cluster.getLayers().length")
            tasks = page.evaluate("() => window.__longTasks")
            pans = page.evaluate(PAN_JS)
            browser.close()
        server.shutdown()
    return {"fcp": (fcp or 0) / 1000, "ready": ready, "markers": markers,
            "longest": max(tasks, default=0), "long_tasks": len(tasks),
            "pan_median": statistics.median(pans), "pan_max": max(pans)}


# --- Lighthouse, before and after -----------------------------------------------------------

def bench_run():
    """bench/run as a module (its generator, builder, server and Lighthouse plumbing)."""
    loader = importlib.machinery.SourceFileLoader("bench_run", str(HERE / "run"))
    spec = importlib.util.spec_from_loader("bench_run", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def blank_tile() -> bytes:
    """A white PNG of 512×512 (a 256 px tile at twice the density: a phone's screen), the tile
    the local server answers with."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (len(body).to_bytes(4, "big") + kind + body
                + zlib.crc32(kind + body).to_bytes(4, "big"))

    header = (512).to_bytes(4, "big") * 2 + bytes([8, 0, 0, 0, 0])  # 8-bit greyscale
    rows = b"".join(b"\x00" + b"\xff" * 512 for _ in range(512))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def code_before(dest: Path) -> Path:
    """The project as it was at BEFORE (git archive), in `dest`."""
    archive = subprocess.run(["git", "archive", "--format=tar", BEFORE], cwd=ROOT,
                             capture_output=True, check=True).stdout
    dest.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(dest, filter="data")
    return dest


AUDITS = ("first-contentful-paint", "largest-contentful-paint", "speed-index",
          "total-blocking-time", "max-potential-fid")


def without_links_to_departed(project: Path) -> None:
    """Drop the dépôt-vente links to pros who left, which the checker refuses (bench/generate.py
    may still write some; the map does not depend on them)."""
    import yaml

    files = {p: yaml.safe_load(p.read_text(encoding="utf-8"))
             for p in (project / "pros").glob("pro-*.yml")}
    left = {p.stem for p, pro in files.items() if pro.get("quitte_le")}
    for path, pro in files.items():
        crisis = pro.get("crise") or {}
        if set(crisis.get("vendu_chez") or ()) & left:
            crisis["vendu_chez"] = [s for s in crisis["vendu_chez"] if s not in left]
            path.write_text(yaml.safe_dump(pro, allow_unicode=True, sort_keys=False, width=100),
                            encoding="utf-8")


def lighthouse_before_after(work: Path) -> dict[str, dict]:
    """Lighthouse on the 1,500-pro map document built by the code before and after."""
    run = bench_run()
    after = run.generate(work / "after", GENERATED, 0)
    without_links_to_departed(after)
    before = code_before(work / "before")
    shutil.rmtree(before / "pros")
    shutil.copytree(after / "pros", before / "pros")
    port = run.free_port()
    base = f"http://127.0.0.1:{port}"
    site = work / "served"
    for name, project in (("avant", before), ("apres", after)):
        run.timed(run.pelican(project, site / name, "-e", f'SITEURL="{base}/{name}"',
                              f'LABULLE_TILES_URL="{base}/tuile.png?{{z}}/{{x}}/{{y}}"'),
                  project)
    (site / "tuile.png").write_bytes(blank_tile())
    from labulle.publish.precompress import precompress

    precompress(site)
    server = run.serve(site, port)
    load = os.getloadavg()[0]
    pages = [("avant", "/avant/carte/carte-embed.html"), ("apres", "/apres/carte/carte-embed.html")]
    scores = run.lighthouse(base, pages, work)
    server.shutdown()
    results = {}
    for n, (name, path) in enumerate(pages):
        report = json.loads((work / f"lh-{n}.json").read_text(encoding="utf-8"))
        audits = report["audits"]
        tasks = (audits.get("long-tasks", {}).get("details") or {}).get("items", [])
        errors = (audits["errors-in-console"].get("details") or {}).get("items", [])
        results[name] = {
            **scores[path],
            **{key: audits[key]["displayValue"] for key in AUDITS},
            "longest": max((t["duration"] for t in tasks), default=0),
            "errors": [e.get("description", "") for e in errors],
            "maps": audits["valid-source-maps"]["score"],
            "document": (site / name / "carte" / "carte-embed.html").stat().st_size,
            "lighthouse": report["lighthouseVersion"],
            "load": load,
        }
    return results


# --- Report -------------------------------------------------------------------------------


def size_rows(settings: dict, directories: list[tuple[str, Directory]]) -> list[str]:
    lines = ["| data | pros | places | document: build (s), bytes, gzip | markers' data: build "
             "(s), bytes, gzip |", "|---|---|---|---|---|"]
    for label, directory in directories:
        places = sum(len(mapdata.places(p)) for p in directory.published)
        t_doc, doc = measure(lambda d=directory: carte.build_document(d, settings))
        t_data, data = measure(lambda d=directory: compact_json(
            mapdata.network_data(d.published, d, settings)))
        lines.append(f"| {label} | {len(directory.published)} | {places} | {t_doc:.3f}, "
                     f"{sizes(doc)[0]:,}, {sizes(doc)[1]:,} | {t_data:.3f}, {sizes(data)[0]:,}, "
                     f"{sizes(data)[1]:,} |")
    return lines


def browser_lines(result: dict[str, float]) -> list[str]:
    return [
        "## In a phone-sized browser", "",
        "Headless Chromium (software rendering), 375×640 px at 2× pixel ratio, touch, CPU "
        "throttled 4× (`Emulation.setCPUThrottlingRate`: real slow-down, so the task times are "
        "those of a slow phone), tiles blocked, the generated 1,500 pros. *first paint*: the "
        "browser's first contentful paint; *markers in*: from navigation until every marker is in "
        "the cluster group; *longest task*: the longest main-thread task while the page loads "
        "and draws its markers (`longtask` entries: tasks over 50 ms); *pan*: one `panBy(120 px)` "
        "until the cluster layer has redrawn and the next frame is painted, at zoom 12, 20 pans.",
        "",
        "| first paint (s) | markers in (s) | markers | tasks over 50 ms | longest task (ms) "
        "| pan median (ms) | pan max (ms) |", "|---|---|---|---|---|---|---|",
        f"| {result['fcp']:.2f} | {result['ready']:.2f} | {result['markers']} | "
        f"{result['long_tasks']} | {result['longest']:.0f} | {result['pan_median']:.0f} | "
        f"{result['pan_max']:.0f} |", "",
    ]


def lighthouse_lines(results: dict[str, dict]) -> list[str]:
    version = results["apres"]["lighthouse"]
    lines = [
        f"## Lighthouse {version} (mobile preset: simulated slow 4G, CPU × 4)", "",
        f"`/carte/carte-embed.html` of a site of {GENERATED} pros (bench/generate.py, seed 2020), "
        f"built in the same run by the code before this change (commit `{BEFORE[:7]}`: every "
        "marker in the document) and after it (the document shows the map; the markers' data "
        "are fetched after it and clustered by slices), served with the precompressed files; "
        "tiles answered by a local blank tile. Aims: performance ≥ 95, best practices 100. "
        f"Load average of the machine when Lighthouse started: {results['apres']['load']:.1f} "
        f"for {os.cpu_count()} cores (above {os.cpu_count()}, other jobs were running: the "
        "observed task times, which Lighthouse multiplies by 4, are longer than on a calm "
        "machine).", "",
        "| code | document | performance | best practices | accessibility | FCP | LCP | Speed "
        "Index | TBT | max potential FID | longest task | console errors | source maps |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, label in (("avant", f"before (`{BEFORE[:7]}`)"), ("apres", "after")):
        r = results[name]
        errors = "; ".join(r["errors"]) or "none"
        lines.append(
            f"| {label} | {r['document']:,} B | {r['performance']} | {r['best-practices']} | "
            f"{r['accessibility']} | {r['first-contentful-paint']} | "
            f"{r['largest-contentful-paint']} | {r['speed-index']} | {r['total-blocking-time']} "
            f"| {r['max-potential-fid']} | {r['longest']:.0f} ms | {errors} | "
            f"{'valid' if r['maps'] == 1 else 'missing or invalid'} |")
    after = results["apres"]
    lines += [
        "How to read it: Lighthouse counts as blocking time only the tasks after the first "
        "paint. Before, the document carried every marker and built the clusters before its "
        "first paint (a late first paint, and one long task: *max potential FID*); after, the "
        "map is painted first, then the data are fetched and the markers are made and handed to "
        "the cluster group by batches of 10, in slices of 10 ms (`CHUNK_MS` in "
        "labulle/pages/mapdoc.py, the cluster group's `chunkInterval`), with the markers' pane "
        "out of the layout until the clusters are built. A slice of 10 ms is 40 ms once "
        "Lighthouse multiplies it by 4, under its 50 ms; on a machine shared with other jobs a "
        "slice is preempted and looks longer than it is. The source map that leaflet.js names "
        "is shipped (theme/static/vendor/README.md); the document names the site's icon, so "
        "nothing in its console. The blank tile is 512 px (a 256 px tile on a 2× screen); "
        "OpenStreetMap's real tiles are 256 px.", ""]
    met = after["performance"] >= 95 and after["best-practices"] == 100
    lines += ["", f"Aims after: performance {after['performance']} (≥ 95), best practices "
              f"{after['best-practices']} (100): {'met' if met else 'NOT met'}. Audits under "
              f"0.9 after: {', '.join(after['_failed']) or 'none'}.", ""]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description="Benchmark de la carte des pros")
    parser.add_argument("--no-browser", action="store_true",
                        help="ne pas mesurer dans Chromium")
    parser.add_argument("--no-lighthouse", action="store_true",
                        help="ne pas lancer Lighthouse (avant / après)")
    args = parser.parse_args()

    settings = {"PATH": str(ROOT / "content"), "LABULLE_PROS_PATH": str(ROOT / "pros"),
                "LABULLE_TODAY": TODAY.isoformat()}
    categories, _problems = read_categories(ROOT / "pros" / "categories.yml")
    sample = Directory(categories, read_pros(ROOT / "pros", categories)[0], TODAY)
    generated = Directory(sample.categories, generated_pros(sample, GENERATED), TODAY)
    import folium  # noqa: F401  (import time is not part of the measures)

    static_raw, static_gz = static_sizes()
    lines = [
        "# Map of the pros: size and speed", "",
        f"Written by `bench/map_bench.py` on {platform.platform()}, Python "
        f"{platform.python_version()}, {os.cpu_count()} CPUs, {time.strftime('%Y-%m-%d %H:%M')}. "
        f"Times are medians of {RUNS} builds; gzip level 6. Generated pros: {GENERATED}, seed "
        f"{SEED}, spread over {len(TOWNS)} towns of Charente by population, 85 % with a shop, "
        "markets for the others and some shops, 6 % exchange offices, 20 % digital currency.", "",
        "The map document holds the map and its controls only; the markers' data "
        f"(`carte/{carte.NETWORK_DATA}`) are fetched once the map is shown.", "",
        *size_rows(settings, [("sample", sample), (f"generated {GENERATED}", generated)]), "",
        f"Static files the document loads (cached by the browser): {len(carte.RESOURCES)} files "
        f"(Leaflet, 3 plugins, carte.js, carte.css), {static_raw:,} bytes, {static_gz:,} gzip.",
        "Same data, same bytes (two builds of the 1,500-pro document and data compared): "
        + ("yes" if carte.build_document(generated, settings) == carte.build_document(
            generated, settings) and mapdata.network_data(generated.published, generated,
                                                          settings)
           == mapdata.network_data(generated.published, generated, settings) else "NO") + ".",
        "",
    ]
    if not args.no_browser:
        result = browser_run(carte.build_document(generated, settings),
                             compact_json(mapdata.network_data(generated.published, generated,
                                                               settings)))
        if result:
            lines += browser_lines(result)
    if not args.no_lighthouse:
        with tempfile.TemporaryDirectory(prefix="labulle-map-bench-") as tmp:
            lines += lighthouse_lines(lighthouse_before_after(Path(tmp)))
    (HERE / "MAP-RESULTS.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
