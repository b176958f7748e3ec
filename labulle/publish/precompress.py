"""Precompressed copies (`page.html.gz`, `page.html.br`) next to every text file.

A web server configured for it (nginx `gzip_static on; brotli_static on;`, Apache with
mod_rewrite rules, GitLab Pages out of the box) sends them as they are, so the host never
compresses on the fly and uses the best levels once. Output is deterministic (gzip without a
timestamp), so unchanged files give identical compressed files and nothing is uploaded again.
Brotli's best level costs ~25 ms per page: results are kept in a cache folder keyed by the
content's hash, so a publication only compresses the files that changed.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import time
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

import brotli

TEXT_SUFFIXES = frozenset({".html", ".css", ".js", ".mjs", ".json", ".geojson", ".xml", ".svg",
                           ".txt", ".ics", ".csv", ".webmanifest"})
MIN_SIZE = 512  # below this, headers cost more than the compression saves


def compressible(path: Path) -> bool:
    return path.suffix in TEXT_SUFFIXES and path.stat().st_size >= MIN_SIZE


def gzip_bytes(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9, mtime=0)


def brotli_bytes(data: bytes) -> bytes:
    mode = brotli.MODE_TEXT
    return brotli.compress(data, mode=mode, quality=11)


CODECS = ((".gz", gzip_bytes), (".br", brotli_bytes))


def compress_file(path: Path, cache: Path | None = None) -> int:
    """Write the .gz and .br copies that are smaller than the file; returns how many."""
    data = path.read_bytes()
    key = hashlib.sha256(data).hexdigest()
    written = 0
    for suffix, compress in CODECS:
        packed = cached(cache, key + suffix, lambda c=compress: c(data))
        if len(packed) < len(data):
            path.with_name(path.name + suffix).write_bytes(packed)
            written += 1
    return written


def cached(cache: Path | None, name: str, make) -> bytes:  # type: ignore[no-untyped-def]
    if cache is None:
        return make()
    path = cache / name[:2] / name
    if path.is_file():
        os.utime(path)  # recently used: kept by prune()
        return path.read_bytes()
    packed = make()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{name}.{os.getpid()}.tmp")
    tmp.write_bytes(packed)
    os.replace(tmp, path)
    return packed


def precompress(site: Path, cache: Path | None = None) -> int:
    """Compress every text file of `site` (both codecs release the GIL: threads help)."""
    files = [p for p in Path(site).rglob("*") if p.is_file() and compressible(p)]
    with ThreadPoolExecutor() as pool:
        count = sum(pool.map(partial(compress_file, cache=cache), files))
    if cache is not None:
        prune(cache)
    return count


def prune(cache: Path, days: int = 30) -> None:
    """Forget compressed copies unused for `days` days."""
    limit = time.time() - days * 86400
    for path in cache.glob("*/*"):
        if path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
