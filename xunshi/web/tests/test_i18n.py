"""The English interface: the 中文/English switch and a complete, compiled catalogue.

The Chinese text in the templates is the msgid; locale/en/LC_MESSAGES/django.po holds the
English. msgfmt leaves untranslated and fuzzy entries out of the .mo, so the catalogue is
checked on the .po itself as well as on the compiled file.
"""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse

LC_MESSAGES = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PO = LC_MESSAGES / "django.po"
MO = LC_MESSAGES / "django.mo"

_LINE = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (".*")$')


def _po_entries() -> list[dict[str, str]]:
    """Each entry of the .po as {"#,": flags, "msgctxt": …, "msgid": …, "msgstr[0]": …}."""
    entries = []
    for block in PO.read_text(encoding="utf-8").split("\n\n"):
        entry: dict[str, str] = {"#,": ""}
        key = None
        for line in block.strip().splitlines():
            if line.startswith("#,"):
                entry["#,"] += line[2:]
            elif line.startswith("#"):
                continue
            elif found := _LINE.match(line):
                key = found.group(1)
                entry[key] = ast.literal_eval(found.group(2))
            elif line.startswith('"') and key:
                entry[key] += ast.literal_eval(line)
        if "msgid" in entry:
            entries.append(entry)
    return entries


def _english(client):  # type: ignore[no-untyped-def]
    response = client.post("/i18n/setlang/", {"language": "en", "next": reverse("coverage")})
    assert response.status_code == 302
    return client


def test_it_shows_the_coverage_page_in_chinese_by_default(world, login):
    html = login(world.users["alice"]).get(reverse("coverage")).content.decode()
    assert '<html lang="zh-hans">' in html
    assert "<h1>全覆盖" in html and "各板块覆盖情况" in html and "单位名录</a>" in html
    assert "Full coverage" not in html


def test_it_switches_the_coverage_page_to_english(world, login):
    client = _english(login(world.users["alice"]))
    html = client.get(reverse("coverage")).content.decode()
    assert '<html lang="en">' in html
    nav = html.split('<nav class="mainnav"', 1)[1].split("</nav>", 1)[0]
    for label in ["Full coverage", "Organizations", "Cadre pool", "Rounds and teams", "Import"]:
        assert f">{label}</a>" in nav, label
    for text in [
        "<h1>Full coverage",
        "Overall progress",
        "Coverage by sector",
        "Organizations not yet covered this term",
        "<th>Sector</th>",
        "Years since last inspection",
        "Inspection Work Platform",
        "Sign out",
    ]:
        assert text in html, text
    assert "各板块覆盖情况" not in html and "本届尚未覆盖的单位" not in html
    assert ">中文</button>" in html


def test_it_shows_the_labels_from_python_code_in_english(world, login):
    client = _english(login(world.users["alice"]))
    html = client.get(reverse("coverage")).content.decode()
    header = html.split("</header>", 1)[0]
    assert "Inspection office staff" in header and "巡视办工作人员" not in header
    assert "<tr><td>County-level unit</td>" in html  # the sector table
    assert '"Covered"' in html and '"County-level unit"' in html  # the chart's JSON
    assert "县（市、区）" not in html and "已覆盖" not in html
    assert "兰考县" in html  # data stays as entered


def test_it_shows_the_org_list_in_english_after_the_switch(world, login):
    client = _english(login(world.users["alice"]))
    html = client.get(reverse("org_list")).content.decode()
    assert '<html lang="en">' in html
    for text in ["<h1>Organizations</h1>", "<th>Org code</th>", "<th>Organization name</th>"]:
        assert text in html, text
    assert "<button>Search</button>" in html
    assert "兰考县" in html  # data stays as entered


def test_it_switches_back_to_chinese(world, login):
    client = _english(login(world.users["alice"]))
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": reverse("coverage")})
    html = client.get(reverse("coverage")).content.decode()
    assert '<html lang="zh-hans">' in html and "<h1>全覆盖" in html


def test_it_has_an_english_translation_for_every_msgid_in_the_po():
    entries = _po_entries()
    header, messages = entries[0], entries[1:]
    assert header["msgid"] == "" and "Language: en" in header["msgstr"]
    assert len(messages) > 250
    untranslated = []
    for e in messages:
        msgstrs = [v for k, v in e.items() if k.startswith("msgstr")]
        if not msgstrs or not all(s.strip() for s in msgstrs):
            untranslated.append(e["msgid"])
    assert untranslated == [], "untranslated: run makemessages and fill these msgstrs"
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["#,"]]
    assert fuzzy == [], "fuzzy entries are left out of the .mo"


def test_it_keeps_the_placeholders_of_every_msgid():
    for e in _po_entries()[1:]:
        wanted = set(re.findall(r"%\(\w+\)s", e["msgid"]))
        for key in (k for k in e if k.startswith("msgstr")):
            assert set(re.findall(r"%\(\w+\)s", e[key])) == wanted, e["msgid"]


def test_it_has_compiled_every_po_entry_into_the_mo():
    with MO.open("rb") as fp:
        catalog = gettext.GNUTranslations(fp)._catalog  # type: ignore[attr-defined]
    assert all(str(v).strip() for v in catalog.values())
    for e in _po_entries()[1:]:
        key = f"{e['msgctxt']}\x04{e['msgid']}" if "msgctxt" in e else e["msgid"]
        if "msgid_plural" in e:
            assert catalog.get((key, 0)) == e["msgstr[0]"], e["msgid"]
            assert catalog.get((key, 1)) == e["msgstr[1]"], e["msgid"]
        else:
            assert catalog.get(key) == e["msgstr"], f"stale .mo: run compilemessages ({e['msgid']})"
