"""Benchmark the catalogue at N synthetic practices: validation, site build, `mkdocs serve`.

For each size N it writes N synthetic practices, valid under the model and seeded (the
same N and seed always give the same files, and practice number i is the same at every
N), into a temporary copy of the project (mkdocs.yml, docs/, overrides/, hooks/,
schema/), and a baseline project: plain MkDocs + Material with the same Markdown pages
(front matter stripped, the title as a heading), no hooks, the practice pages out of the
nav, the search plugin on. It then measures, alternating the three in every run:

- `wayout validate` on the practices folder;
- the full site build, `mkdocs build --strict`;
- the baseline build, `mkdocs build`;

each as the median of --runs runs with min and max, and the peak memory of each process.
It reports the site and search-index sizes (raw and gzipped), the explorer page's size,
the largest practice page, and the ratio full/baseline. Last, at --serve-size practices,
it starts `mkdocs serve` as `make serve` does (the preview in /dev/shm where there is one)
on a free 127.0.0.1 port, edits one practice (summary and body)
and polls the served practice page, the explorer, a facet page and the search index until
all show the edit: the save-to-reload latency, median of --serve-edits edits. And it times
`wayout validate` alone at --validate-sizes practices (default 10,000).

It prints a Markdown report and writes it into benchmarks/README.md between the results
markers (unless --no-write). It asserts nothing about time.

    .venv/bin/python scripts/benchmark.py [--sizes 100,1000,5000] [--runs 5] [--no-write]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import random
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from importlib import metadata
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent
RESULTS_FILE = PROJECT / "benchmarks" / "README.md"
START_MARK = "<!-- benchmark results: start (written by scripts/benchmark.py) -->"
END_MARK = "<!-- benchmark results: end -->"
COPIED = ("mkdocs.yml", "docs", "overrides", "hooks", "schema")
PAGE_LIMIT = 60 * 1024  # the largest practice page must stay below this at any N

# --- Synthetic practices ------------------------------------------------------------------


def words(text: str) -> list[str]:
    return text.split()


COUNTRIES = (
    ["BE", "DE", "FR", "NL", "PT"] * 3
    + words("AT BG HR CY CZ DK EE FI GR HU IE IT LV LT LU MT PL RO SK SI ES SE GB NO CH")
    + words("IS RS BA MK AL ME MD UA US CA AU MA TN")
)
LANGUAGE_OF = {
    "AT": "de", "BE": "nl", "BG": "bg", "HR": "hr", "CY": "el", "CZ": "cs", "DK": "da",
    "EE": "et", "FI": "fi", "FR": "fr", "DE": "de", "GR": "el", "HU": "hu", "IE": "en",
    "IT": "it", "LV": "lv", "LT": "lt", "LU": "fr", "MT": "mt", "NL": "nl", "PL": "pl",
    "PT": "pt", "RO": "ro", "SK": "sk", "SI": "sl", "ES": "es", "SE": "sv", "GB": "en",
    "NO": "no", "CH": "de", "IS": "is", "RS": "sr", "BA": "bs", "MK": "mk", "AL": "sq",
    "ME": "sr", "MD": "ro", "UA": "uk", "US": "en", "CA": "en", "AU": "en", "MA": "ar",
    "TN": "ar",
}  # fmt: skip
CITIES = words(
    "Antwerp Ghent Liège Berlin Hamburg Munich Cologne Leipzig Lyon Marseille Lille Paris "
    "Rotterdam Utrecht Amsterdam Groningen Lisbon Porto Coimbra Vienna Graz Sofia Zagreb "
    "Prague Brno Aarhus Odense Tallinn Helsinki Tampere Athens Thessaloniki Budapest Cork "
    "Dublin Milan Turin Naples Riga Vilnius Luxembourg Valletta Warsaw Kraków Gdańsk "
    "Bucharest Cluj Bratislava Ljubljana Madrid Barcelona Bilbao Seville Malmö Gothenburg "
    "Stockholm Leeds Manchester Glasgow Oslo Bergen Zurich Geneva Reykjavík Belgrade "
    "Sarajevo Skopje Tirana Podgorica Chișinău Kyiv Boston Toronto Melbourne Rabat Tunis"
)
NATIVE_TITLES = {
    "de": ["Ausstieg {city}", "Wege aus dem Hass {city}", "Neustart {word}", "Brücken {city}"],
    "nl": ["Terugkeer {city}", "Nieuwe Koers {word}", "Uitstap {city}", "Weerbaar {city}"],
    "fr": ["Sortie de route {city}", "Parcours {word}", "Désengagement {city}"],
    "pt": ["Saída {city}", "Novo Caminho {word}", "Reinserção {city}"],
    "sv": ["Väg ut {city}", "Ny start {word}"],
    "es": ["Salida {city}", "Puentes {word}"],
    "it": ["Uscita {city}", "Ponti {word}"],
    "pl": ["Wyjście {city}", "Nowa droga {word}"],
}
ENGLISH_TITLES = [
    "{word} Exit Programme",
    "{city} Disengagement Project",
    "Project {word}",
    "{word} Mentoring in {city}",
    "Pathways Out of Extremism ({city})",
    "{city} Family Support Network",
    "{word}: Probation Case Management",
    "Prison {word} Dialogue Groups",
    "Aftercare {word} {city}",
    "{city} Returnee Reintegration Service",
]
WORDS = words(
    "Horizon Bridge Compass Anchor Beacon Crossroads Lighthouse Harbour Keystone Threshold "
    "Turning Point Open Door Second Chance Tandem Waypoint Lifeline Footbridge Kompass "
    "Meridian Kestrel Trellis Lantern Ferry Relay"
)
ORG_PATTERNS = [
    ("{city} Probation Service", "probation-service"),
    ("Prison Service of {country}", "prison-service"),
    ("Ministry of Justice ({country})", "government"),
    ("{word} Foundation", "ngo"),
    ("Association {word} {city}", "ngo"),
    ("University of {city}", "research"),
    ("{city} Municipality", "local-authority"),
    ("{country} Police Prevention Unit", "police-and-security"),
    ("{word} Consortium", "project-consortium"),
    ("Faith Community Council of {city}", "faith-organisation"),
    ("{word} Consulting Ltd", "private-company"),
]
FUNDERS = [
    "European Commission (Internal Security Fund)",
    "Erasmus+",
    "National Ministry of Justice",
    "Ministry of the Interior",
    "Regional government",
    "City council",
    "Private foundation",
]
VERBS = words("supports helps accompanies counsels guides trains mentors coaches")
ADJECTIVES = words(
    "structured individual voluntary long-term intensive flexible multi-agency "
    "trauma-informed strengths-based gradual confidential practical"
)
ACTIVITIES = [
    "one-to-one counselling sessions",
    "group dialogue meetings",
    "case conferences with probation officers",
    "mentoring by trained volunteers",
    "family counselling",
    "help with housing and employment",
    "theological and ideological dialogue",
    "risk and needs assessment",
    "education and vocational training",
    "restorative meetings with victims",
    "sport and cultural activities",
    "psychological support",
]
SENTENCES = [
    "The {org} {verb} {target} in {setting} settings through {activity}.",
    "Participants usually join on a {adj} basis, after a first meeting with a {role}.",
    "Since {year}, the work has reached about {n} people, according to the {org} [{cite}].",
    "Staff combine {activity} with {activity2}, adapted to each person's situation.",
    "The programme sets out to reduce the risk of renewed violence and to support a "
    "stable return to society [{cite}].",
    "A multidisciplinary team of {role}s and {role2}s meets every {period} to discuss cases.",
    "Referrals come from prisons, probation services and local authorities in {city}.",
    "The approach is {adj} and {adj2}, and it pays attention to the family and social "
    "network of each participant.",
    "Trust is built slowly: the first months focus on practical questions such as "
    "housing, debts and work.",
    "In {city}, the team works closely with the {org2}, which provides {activity}.",
    "Former participants are sometimes involved as mentors, under supervision [{cite}].",
    "The sources describe {n} sessions on average per participant over {months} months.",
    "Information is shared with other agencies only with the participant's consent, "
    "except where safety requires otherwise.",
    "An evaluation by the {org2} in {year2} used interviews with staff and participants [{cite}].",
    "The findings point to better {outcome}, but the number of participants was small.",
    "No comparison group was used, so effects on reoffending cannot be attributed to the "
    "programme alone.",
    "Monitoring data on {outcome} are collected at intake and at the end of the programme.",
    "Adopting services would need trained {role}s, a referral route and stable funding "
    "for at least {months} months.",
    "Legal differences between countries, for instance on information sharing, may "
    "require changes to the consent procedure.",
    "Materials are available in {language_name} and English, which eases transfer to "
    "other services [{cite}].",
    "Each participant has a named {role} who stays in contact after release from {setting}.",
    "The {org} reports that {n} of its participants completed the programme in {year2}.",
    "Sessions take place in {setting} facilities and, where possible, at home.",
    "The {adj} design allows the team to respond to crises, relapses and threats quickly.",
    "Staff receive supervision every {period} and a yearly training on {outcome}.",
    "Partners include employers, housing associations and schools in and around {city}.",
    "The {org2} reviewed the manual in {year2} and recommended shorter modules [{cite}].",
    "Participants who left early were followed up by telephone where they agreed to it.",
]
ROLES = [
    "psychologist",
    "social worker",
    "probation officer",
    "mentor",
    "imam",
    "chaplain",
    "youth worker",
    "prison officer",
    "counsellor",
    "researcher",
]
OUTCOMES = [
    "social integration",
    "employment",
    "family relationships",
    "attitudes towards violence",
    "well-being",
    "compliance with probation conditions",
]
LINKS = [
    "[the programme's own website](https://www.example.org/{slug})",
    "[the annual report](https://reports.example.net/{slug}/annual-report.pdf)",
    "[a RAN paper](https://home-affairs.ec.europa.eu/networks/ran_en)",
]


def fold(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c if c.isalnum() else "-" for c in ascii_text.lower()).strip("-")


def slug_of(title: str, index: int) -> str:
    base = "-".join(part for part in fold(title).split("-") if part)[:60].strip("-")
    return f"{base}-{index:05d}"


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def flow(values: Sequence[str], quote: bool = False) -> str:
    return "[" + ", ".join(q(v) if quote else v for v in values) + "]"


@dataclass
class Synthetic:
    """One synthetic practice: its slug, title and the whole file's text."""

    slug: str
    title: str
    text: str


def practice_title(rng: random.Random, index: int) -> tuple[str, str | None, str]:
    """(title, English title or None, main language)."""
    city = rng.choice(CITIES)
    word = rng.choice(WORDS)
    if rng.random() < 0.4:
        language = rng.choice(sorted(NATIVE_TITLES))
        title = rng.choice(NATIVE_TITLES[language]).format(city=city, word=word)
        english = rng.choice(ENGLISH_TITLES).format(city=city, word=word)
        return title, english, language
    return rng.choice(ENGLISH_TITLES).format(city=city, word=word), None, "en"


def body_text(rng: random.Random, facts: dict[str, Any], length: int, sources: int) -> str:
    """A body of about `length` words with the four required sections."""

    def sentence() -> str:
        template = rng.choice(SENTENCES)
        return template.format(
            org=facts["org"],
            org2=rng.choice(facts["orgs"]),
            verb=rng.choice(VERBS),
            target=str(rng.choice(facts["targets"])).replace("-", " "),
            setting=str(rng.choice(facts["settings"])).replace("-", " "),
            activity=rng.choice(ACTIVITIES),
            activity2=rng.choice(ACTIVITIES),
            adj=rng.choice(ADJECTIVES),
            adj2=rng.choice(ADJECTIVES),
            role=rng.choice(ROLES),
            role2=rng.choice(ROLES),
            year=rng.randint(1998, 2022),
            year2=rng.randint(2005, 2024),
            n=rng.randint(12, 900),
            months=rng.choice((6, 9, 12, 18, 24, 36)),
            period=rng.choice(("week", "fortnight", "month")),
            city=facts["city"],
            cite=rng.randint(1, sources),
            outcome=rng.choice(OUTCOMES),
            language_name=facts["language_name"],
        )

    shares = {"Aim": 0.17, "Approach": 0.36, "Evaluation and results": 0.22}
    shares["Transferability"] = 0.17
    parts = []
    for title, share in shares.items():
        budget = int(length * share)
        paragraphs: list[str] = []
        written = 0
        while written < budget:
            if title == "Approach" and len(paragraphs) == 1:
                items = rng.sample(ACTIVITIES, 4)
                chunk = "The main activities are:\n\n" + "\n".join(
                    f"- {item[0].upper()}{item[1:]};" for item in items
                )
                written += len(chunk.split())
            else:
                sentences: list[str] = []
                while written < budget and len(sentences) < rng.randint(3, 5):
                    sentences.append(sentence())
                    written += len(sentences[-1].split())
                chunk = " ".join(sentences)
                if rng.random() < 0.15:
                    chunk += " See " + rng.choice(LINKS).format(slug=facts["slug"]) + "."
                if rng.random() < 0.1:
                    chunk = chunk.replace(" programme ", " *programme* ", 1)
            paragraphs.append(chunk)
        parts.append(f"## {title}\n\n" + "\n\n".join(paragraphs) + "\n")
    if rng.random() < 0.5:
        parts.append(
            "## Open questions\n\n"
            + "\n".join(f"- {sentence()}" for _ in range(rng.randint(1, 3)))
            + "\n"
        )
    return "\n".join(parts)


def synthetic_practice(seed: int, index: int, today: date) -> Synthetic:
    """Practice number `index`: depends only on the seed and the index."""
    from wayout.record.vocabulary import country_name, default_vocabulary, language_name

    vocabulary = default_vocabulary()
    rng = random.Random(f"{seed}-{index}")
    title, title_en, native = practice_title(rng, index)
    slug = slug_of(title, index)
    countries = sorted(set(rng.sample(COUNTRIES, rng.choice((1, 1, 1, 2, 3)))))
    city = rng.choice(CITIES)
    category_terms = rng.sample(vocabulary.categories, rng.randint(1, 4))
    categories = [c.id for c in vocabulary.categories if c in category_terms]
    standards = [
        s.id
        for c in vocabulary.categories
        if c in category_terms
        for s in c.standards
        if rng.random() < 0.3
    ]
    targets = rng.sample(vocabulary.ids("target_groups"), rng.randint(1, 4))
    settings = rng.sample(vocabulary.ids("settings"), rng.randint(1, 3))
    ideologies = rng.sample(vocabulary.ids("ideologies"), rng.randint(0, 3))
    country = country_name(countries[0]) or countries[0]
    organisations = []
    for _ in range(rng.choice((1, 1, 2, 3))):
        pattern, kind = rng.choice(ORG_PATTERNS)
        name = pattern.format(city=rng.choice(CITIES), word=rng.choice(WORDS), country=country)
        organisations.append((name, kind))
    n_sources = rng.randint(1, 7)
    levels = vocabulary.ids("evidence_levels")
    level = rng.choice(levels)
    languages = sorted(
        {LANGUAGE_OF[c] for c in countries} | ({"en"} if rng.random() < 0.5 else set())
    )
    summary = (
        f"{'A' if rng.random() < 0.5 else 'An'} {rng.choice(ADJECTIVES)} programme in "
        f"{city} that {rng.choice(VERBS)} {targets[0].replace('-', ' ')} through "
        f"{rng.choice(ACTIVITIES)} and {rng.choice(ACTIVITIES)}, run by {organisations[0][0]}."
    )
    lines = [f"title: {q(title)}"]
    if title_en:
        lines.append(f"title_en: {q(title_en)}")
    lines += [
        f"summary: {q(summary)}",
        f"countries: {flow(countries)}",
        f"categories: {flow(categories)}",
        f"standards: {flow(standards)}",
        f"target_groups: {flow(targets)}",
        f"settings: {flow(settings)}",
    ]
    if ideologies:
        lines.append(f"ideologies: {flow(ideologies)}")
    if rng.random() < 0.8:
        start = rng.randint(1995, 2023)
        lines += ["period:", f"  start: {start}"]
        if rng.random() < 0.3:
            lines.append(f"  end: {rng.randint(start, 2025)}")
    lines.append("organisations:")
    for number, (name, kind) in enumerate(organisations):
        lines.append(f"  - name: {q(name)}")
        if native != "en" and rng.random() < 0.5:
            lines.append(f"    name_en: {q(name + ' (English name)')}")
        lines.append(f"    type: {kind}")
        if rng.random() < 0.6:
            lines.append(f"    url: https://org{number}.example.org/{slug}")
    if rng.random() < 0.6:
        lines.append(f"funders: {flow(rng.sample(FUNDERS, rng.randint(1, 3)), quote=True)}")
    if rng.random() < 0.9:
        lines += ["evaluation:", f"  level: {level}"]
        if level not in ("no-evaluation-known", "not-evaluated"):
            lines.append(f"  independent: {'true' if rng.random() < 0.6 else 'false'}")
            lines.append(f"  findings: {rng.choice(vocabulary.ids('findings'))}")
            lines.append(f"  evaluator: {q('University of ' + rng.choice(CITIES))}")
            lines.append(f"  year: {rng.randint(2005, 2024)}")
            if rng.random() < 0.5:
                lines.append(f"  url: https://evaluations.example.net/{slug}.pdf")
    if languages:
        lines.append(f"languages: {flow(languages)}")
    if rng.random() < 0.7:
        lines.append(f"website: https://www.example.org/{slug}")
    if rng.random() < 0.4:
        lines += ["contact:", f"  email: info@{slug[:30].strip('-')}.example.org"]
    if index > 0 and rng.random() < 0.5:
        related = sorted({rng.randrange(index) for _ in range(rng.randint(1, 3))})
        lines.append(f"related: {flow([slug_for(seed, r) for r in related])}")
    lines.append("sources:")
    for number in range(n_sources):
        lines.append(f"  - title: {q(f'{rng.choice(WORDS)} report {number + 1}: {title}')}")
        lines.append(f"    url: https://sources.example.org/{slug}/{number + 1}")
        if rng.random() < 0.6:
            lines.append(f"    publisher: {q(organisations[0][0])}")
        if rng.random() < 0.6:
            lines.append(f"    year: {rng.randint(2000, 2025)}")
    # Most reviewed within two years of the benchmark's writing (late 2026), some overdue.
    first = date(2022, 6, 1) if rng.random() < 0.1 else date(2025, 1, 1)
    reviewed = min(first + timedelta(days=rng.randrange(640)), today)
    lines.append(f"last_reviewed: {reviewed.isoformat()}")
    facts: dict[str, Any] = {
        "org": organisations[0][0],
        "orgs": [name for name, _ in organisations],
        "targets": targets,
        "settings": settings,
        "city": city,
        "slug": slug,
        "language_name": language_name(LANGUAGE_OF[countries[0]]) or "English",
    }
    body = body_text(rng, facts, rng.randint(620, 780), n_sources)
    return Synthetic(slug, title, "---\n" + "\n".join(lines) + "\n---\n\n" + body)


_SLUGS: dict[tuple[int, int], str] = {}


def slug_for(seed: int, index: int) -> str:
    """The slug of practice `index` (its title is drawn first from the same generator)."""
    key = (seed, index)
    if key not in _SLUGS:
        title, _, _ = practice_title(random.Random(f"{seed}-{index}"), index)
        _SLUGS[key] = slug_of(title, index)
    return _SLUGS[key]


def write_practices(folder: Path, n: int, seed: int) -> list[Synthetic]:
    folder.mkdir(parents=True, exist_ok=True)
    today = date.today()
    practices = [synthetic_practice(seed, index, today) for index in range(n)]
    for practice in practices:
        (folder / f"{practice.slug}.md").write_text(practice.text, encoding="utf-8")
    return practices


def strip_front_matter(text: str) -> str:
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end != -1:
            return text[end + 5 :]
    return text


def make_project(root: Path, n: int, seed: int) -> list[Synthetic]:
    """A copy of the project with N synthetic practices in root/practices."""
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    for name in COPIED:
        source = PROJECT / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        else:
            shutil.copy2(source, root / name)
    # mkdocs.yml watches wayout/; the hook imports the installed package itself.
    (root / "wayout").symlink_to(PROJECT / "wayout", target_is_directory=True)
    return write_practices(root / "practices", n, seed)


BASELINE_CONFIG = """\
site_name: Baseline
site_url: https://wayout-practices.github.io/wayout-practices/
docs_dir: docs
use_directory_urls: true
theme:
  name: material
  language: en
  font: false
  features: [navigation.tabs, navigation.top, navigation.indexes, search.highlight]
plugins:
  - search:
      lang: en
markdown_extensions:
  - toc:
      permalink: true
  - tables
  - admonition
  - attr_list
  - def_list
not_in_nav: |
  /practices/*.md
"""


def make_baseline(root: Path, practices: list[Synthetic]) -> None:
    """Plain MkDocs + Material: the hand-written pages and one page per practice."""
    docs = root / "docs"
    (docs / "practices").mkdir(parents=True)
    (root / "mkdocs.yml").write_text(BASELINE_CONFIG, encoding="utf-8")
    for page in sorted((PROJECT / "docs").glob("*.md")):
        text = strip_front_matter(page.read_text(encoding="utf-8"))
        (docs / page.name).write_text(text, encoding="utf-8")
    for practice in practices:
        body = strip_front_matter(practice.text)
        (docs / "practices" / f"{practice.slug}.md").write_text(
            f"# {practice.title}\n\n{body}", encoding="utf-8"
        )


# --- Measuring ----------------------------------------------------------------------------


def environment() -> dict[str, str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("WAYOUT_PRACTICES", None)
    return env


def serve_environment() -> dict[str, str]:
    """The environment `make serve` gives `mkdocs serve` (see the Makefile): its preview
    folder in memory, in /dev/shm where there is one, unless TMPDIR names another."""
    env = environment()
    if not env.get("TMPDIR") and os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK):
        env["TMPDIR"] = "/dev/shm"
    return env


@dataclass
class Run:
    seconds: float
    peak_mb: float


def timed(command: list[str], cwd: Path, log: Path) -> Run:
    """Run `command`, its output to `log`; wall time and the child's own peak memory."""
    with log.open("w", encoding="utf-8") as out:
        start = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=cwd, env=environment(), stdout=out, stderr=subprocess.STDOUT
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise SystemExit(f"failed ({process.returncode}): {shlex.join(command)}\n{tail}")
    return Run(seconds, usage.ru_maxrss / 1024)


@dataclass
class Series:
    runs: list[Run] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def fastest(self) -> float:
        return min(r.seconds for r in self.runs)

    @property
    def peak_mb(self) -> float:
        return max(r.peak_mb for r in self.runs)

    def text(self) -> str:
        times = [r.seconds for r in self.runs]
        if len(times) == 1:
            return f"{times[0]:.2f}"
        return f"{self.median:.2f} ({min(times):.2f}\N{EN DASH}{max(times):.2f})"


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


@dataclass
class Sizes:
    site: int
    search: int
    search_gz: int
    explorer: int
    explorer_gz: int
    largest_page: int
    largest_slug: str


def site_sizes(site: Path) -> Sizes:
    search = (site / "search" / "search_index.json").read_bytes()
    explorer_path = site / "practices" / "index.html"
    explorer = explorer_path.read_bytes() if explorer_path.exists() else b""
    pages = [p for p in (site / "practices").glob("*/index.html") if p.parent.name != "practices"]
    largest = max(pages, key=lambda p: p.stat().st_size)
    return Sizes(
        folder_size(site),
        len(search),
        gz(search),
        len(explorer),
        gz(explorer),
        largest.stat().st_size,
        largest.parent.name,
    )


@dataclass
class Result:
    n: int
    validate: Series
    full: Series
    baseline: Series
    full_sizes: Sizes
    baseline_sizes: Sizes

    @property
    def ratio(self) -> float:
        return self.full.median / self.baseline.median

    @property
    def fastest_ratio(self) -> float:
        """Fastest full build over fastest baseline: on a shared machine, the least
        disturbed runs (other processes only ever add time)."""
        return self.full.fastest / self.baseline.fastest

    @property
    def paired_ratios(self) -> list[float]:
        """Each full build over the baseline build run right before or after it: the two
        share the machine's load of the moment, which drifts over a run of minutes."""
        return [
            f.seconds / b.seconds for f, b in zip(self.full.runs, self.baseline.runs, strict=True)
        ]


def measure(n: int, runs: int, seed: int, work: Path) -> Result:
    print(f"N = {n}: writing the synthetic project ...", flush=True)
    project = work / f"project-{n}"
    practices = make_project(project, n, seed)
    baseline = work / f"baseline-{n}"
    make_baseline(baseline, practices)
    python = sys.executable
    site, base_site = work / f"site-{n}", work / f"baseline-site-{n}"
    validate, full, base = Series(), Series(), Series()
    steps: list[tuple[str, Series, Callable[[], Run]]] = [
        (
            "validate",
            validate,
            lambda: timed(
                [python, "-m", "wayout", "validate", "--format", "json", "practices"],
                project,
                work / "validate.log",
            ),
        ),
        (
            "full build",
            full,
            lambda: timed(
                [python, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
                project,
                work / "full.log",
            ),
        ),
        (
            "baseline build",
            base,
            lambda: timed(
                [python, "-m", "mkdocs", "build", "--site-dir", str(base_site)],
                baseline,
                work / "baseline.log",
            ),
        ),
    ]
    for run in range(runs):
        # Alternate the order so that no measure always runs first (cold caches).
        order = steps if run % 2 == 0 else list(reversed(steps))
        for name, series, step in order:
            for folder in (site, base_site):
                shutil.rmtree(folder, ignore_errors=True)
            series.runs.append(step())
            print(
                f"  run {run + 1}/{runs} {name}: {series.runs[-1].seconds:.2f} s, "
                f"{series.runs[-1].peak_mb:.0f} MB",
                flush=True,
            )
    # The last step of the last run may have removed the other site: build both once more
    # when needed, for the sizes.
    if not (site / "search").exists():
        timed([python, "-m", "mkdocs", "build", "--site-dir", str(site)], project, work / "s.log")
    if not (base_site / "search").exists():
        timed(
            [python, "-m", "mkdocs", "build", "--site-dir", str(base_site)],
            baseline,
            work / "s.log",
        )
    result = Result(n, validate, full, base, site_sizes(site), site_sizes(base_site))
    shutil.rmtree(base_site, ignore_errors=True)
    shutil.rmtree(baseline, ignore_errors=True)
    shutil.rmtree(site, ignore_errors=True)
    return result


def measure_validate(n: int, runs: int, seed: int, work: Path) -> tuple[int, Series]:
    """`wayout validate` alone at N practices (no site is built)."""
    print(f"N = {n}: writing practices for wayout validate ...", flush=True)
    folder = work / f"validate-{n}"
    write_practices(folder, n, seed)
    series = Series()
    for run in range(runs):
        command = [sys.executable, "-m", "wayout", "validate", "--format", "json", str(folder)]
        series.runs.append(timed(command, work, work / "validate.log"))
        print(f"  run {run + 1}/{runs} validate: {series.runs[-1].seconds:.2f} s", flush=True)
    shutil.rmtree(folder, ignore_errors=True)
    return n, series


# --- mkdocs serve: save-to-reload -----------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> bytes | None:
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            return bytes(response.read())
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


@dataclass
class ServeResult:
    n: int
    first_build: float
    page: list[float]
    everything: list[float]
    stale: list[str]
    tmpdir: str  # where the preview was written ("" for the system's default)


def facet_page_of(text: str) -> str:
    """The URL path of the first category value page the practice is listed on."""
    for line in text.splitlines():
        if line.startswith("categories: ["):
            return f"categories/{line.split('[', 1)[1].split(',')[0].rstrip(']').strip()}/"
    raise ValueError("no categories")


def measure_serve(n: int, edits: int, seed: int, work: Path, timeout: float = 600) -> ServeResult:
    """Start `mkdocs serve` on the synthetic project of N practices and edit practices."""
    print(f"mkdocs serve at N = {n}: ...", flush=True)
    project = work / f"serve-{n}"
    practices = make_project(project, n, seed)
    port = free_port()
    base = f"http://127.0.0.1:{port}/wayout-practices/"
    log = (work / "serve.log").open("w", encoding="utf-8")
    command = [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"]
    start = time.perf_counter()
    env = serve_environment()
    process = subprocess.Popen(command, cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        while fetch(base) is None:
            if process.poll() is not None or time.perf_counter() - start > timeout:
                raise SystemExit(
                    "mkdocs serve did not start:\n" + (work / "serve.log").read_text()[-3000:]
                )
            time.sleep(0.2)
        first = time.perf_counter() - start
        print(f"  first build and start: {first:.1f} s", flush=True)
        page_times, all_times = [], []
        stale_pages: list[str] = []
        for number in range(edits):
            target = practices[(number * 7919) % len(practices)]
            path = project / "practices" / f"{target.slug}.md"
            marker = f"benchedit{number}x{seed}"
            text = path.read_text(encoding="utf-8")
            text = text.replace('summary: "', f'summary: "{marker} ', 1)
            text = text.replace("## Aim\n\n", f"## Aim\n\n{marker} ", 1)
            urls = {
                "page": f"{base}practices/{target.slug}/",
                "explorer": f"{base}practices/",
                "facet page": base + facet_page_of(text),
                "search index": f"{base}search/search_index.json",
            }
            time.sleep(1.0)  # let the watcher settle after the previous build
            saved = time.perf_counter()
            path.write_text(text, encoding="utf-8")
            # Poll the (small) practice page; a request made during a rebuild waits for it.
            # Then the explorer, the facet page and the search index must already show the
            # edit: they are fetched until they do, and a late one is reported as stale.
            seen: dict[str, float] = {}
            stale: list[str] = []
            while len(seen) < len(urls):
                if time.perf_counter() - saved > timeout:
                    raise SystemExit(f"the edit did not appear within {timeout} s: {sorted(seen)}")
                for name, url in urls.items():
                    if name in seen or (name != "page" and "page" not in seen):
                        continue
                    if marker.encode() in (fetch(url) or b""):
                        seen[name] = time.perf_counter() - saved
                    elif name != "page" and name not in stale:
                        stale.append(name)
                if len(seen) < len(urls):
                    time.sleep(0.05)
            if stale:
                print(f"  STALE after the practice page showed the edit: {', '.join(stale)}")
                stale_pages.extend(stale)
            page_times.append(seen["page"])
            all_times.append(max(seen.values()))
            print(
                f"  edit {number + 1}/{edits}: page {seen['page']:.2f} s, all of "
                f"{', '.join(urls)} {max(seen.values()):.2f} s",
                flush=True,
            )
    finally:
        process.send_signal(signal.SIGINT)  # as Ctrl-C: mkdocs serve removes its preview
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        shutil.rmtree(project, ignore_errors=True)
    return ServeResult(n, first, page_times, all_times, stale_pages, env.get("TMPDIR", ""))


# --- Report -------------------------------------------------------------------------------


def kb(size: int) -> str:
    return f"{size / 1024:,.0f} KB" if size < 10 * 1024 * 1024 else f"{size / 1024**2:,.1f} MB"


def machine() -> str:
    memory = "unknown"
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024**2:.1f} GB"
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (
        f"{cores} cores (nproc), {cpu}, {memory} memory, {platform.system()} "
        f"{platform.release()}; Python {platform.python_version()}, MkDocs "
        f"{metadata.version('mkdocs')}, Material {metadata.version('mkdocs-material')}"
    )


def report(
    results: list[Result],
    serve: ServeResult | None,
    command: str,
    validations: list[tuple[int, Series]],
) -> str:
    out = [
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {machine()}.",
        "",
        f"Reproduce with `{command}`.",
        "",
        "Times in seconds: median of the runs (min\N{EN DASH}max). The baseline is plain MkDocs + "
        "Material building the same Markdown pages without the hook. Full / baseline, run by "
        "run: each full build over the baseline build run next to it (the two share the "
        "machine's load of the moment), median (min\N{EN DASH}max). Then the ratio of the "
        "medians, and in brackets that of the fastest runs (other processes on a shared "
        "machine only ever add time).",
        "",
        "| practices | `wayout validate` | full build (`--strict`) | baseline build "
        "| full / baseline, run by run | ratio of medians (fastest) "
        "| peak memory full / baseline / validate |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        out.append(
            f"| {r.n:,} | {r.validate.text()} | {r.full.text()} | {r.baseline.text()} "
            f"| {spread_text(r.paired_ratios)} | {r.ratio:.2f} ({r.fastest_ratio:.2f}) "
            f"| {r.full.peak_mb:,.0f} / "
            f"{r.baseline.peak_mb:,.0f} / {r.validate.peak_mb:,.0f} MB |"
        )
    out += [
        "",
        "Sizes (gzipped in brackets); per practice = size / practices, to show linear growth.",
        "",
        "| practices | site full / baseline | search index full | per practice "
        "| search index baseline | explorer page | per practice | largest practice page |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        f, b = r.full_sizes, r.baseline_sizes
        flag = "" if f.largest_page < PAGE_LIMIT else " **over 60 KB**"
        out.append(
            f"| {r.n:,} | {kb(f.site)} / {kb(b.site)} | {kb(f.search)} ({kb(f.search_gz)}) "
            f"| {f.search / r.n:,.0f} B ({f.search_gz / r.n:,.0f} B) "
            f"| {kb(b.search)} ({kb(b.search_gz)}) | {kb(f.explorer)} ({kb(f.explorer_gz)}) "
            f"| {f.explorer / r.n:,.0f} B ({f.explorer_gz / r.n:,.0f} B) "
            f"| {f.largest_page / 1024:.1f} KB{flag} |"
        )
    for n, series in validations:
        out += [
            "",
            f"`wayout validate` alone at {n:,} practices: {series.text()} s, "
            f"peak memory {series.peak_mb:,.0f} MB.",
        ]
    out += ["", "Build time per practice (full / baseline):"]
    out += [
        f"- {r.n:,}: {1000 * r.full.median / r.n:.1f} / {1000 * r.baseline.median / r.n:.1f} ms"
        for r in results
    ]
    if serve:
        out += [
            "",
            f"`mkdocs serve` at {serve.n:,} practices, as `make serve` runs it (the preview "
            f"written in {serve.tmpdir or 'the system temporary folder'}): first build and start "
            f"{serve.first_build:.1f} s; after saving an edited practice, its page shows the "
            f"edit after {spread_text(serve.page)} s, and the page, the explorer, a facet page "
            f"and the search index all show it after {spread_text(serve.everything)} s "
            f"(median (min\N{EN DASH}max) of {len(serve.page)} edits). "
            + (
                f"**Stale pages were served: {', '.join(serve.stale)}.**"
                if serve.stale
                else "No stale page was served."
            ),
        ]
    return "\n".join(out) + "\n"


def spread_text(times: list[float]) -> str:
    """Median (min-max) of times or ratios."""
    if len(times) == 1:
        return f"{times[0]:.2f}"
    return f"{statistics.median(times):.2f} ({min(times):.2f}\N{EN DASH}{max(times):.2f})"


def write_results(text: str) -> None:
    current = RESULTS_FILE.read_text(encoding="utf-8") if RESULTS_FILE.exists() else ""
    if START_MARK in current and END_MARK in current:
        head = current.split(START_MARK, 1)[0]
        tail = current.split(END_MARK, 1)[1]
    else:
        head, tail = current or "# Benchmarks\n\n", ""
    RESULTS_FILE.parent.mkdir(exist_ok=True)
    RESULTS_FILE.write_text(f"{head}{START_MARK}\n{text}{END_MARK}{tail}", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="100,1000,5000", help="numbers of practices (default 100,1000,5000)"
    )
    parser.add_argument("--runs", type=int, default=5, help="runs per measure (default 5)")
    parser.add_argument(
        "--serve-size",
        type=int,
        default=None,
        help="practices for the mkdocs serve measure (default 1000, or the largest size "
        "below it; 0 skips it)",
    )
    parser.add_argument("--serve-edits", type=int, default=5, help="edits to time (default 5)")
    parser.add_argument(
        "--validate-sizes",
        default="10000",
        help="sizes at which to time only `wayout validate` (default 10000; '' for none)",
    )
    parser.add_argument("--seed", type=int, default=7, help="seed of the synthetic practices")
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument(
        "--serve-only", action="store_true", help="measure only mkdocs serve (implies --no-write)"
    )
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    validate_sizes = [int(size) for size in args.validate_sizes.split(",") if size.strip()]
    serve_size = args.serve_size
    if serve_size is None:
        serve_size = max([s for s in sizes if s <= 1000] or [min(sizes)])
    arguments = sys.argv[1:]
    command = shlex.join([".venv/bin/python", "scripts/benchmark.py", *arguments])
    if not arguments:
        command = "make bench"

    with tempfile.TemporaryDirectory(prefix="wayout-bench-") as temporary:
        work = args.keep or Path(temporary)
        work.mkdir(parents=True, exist_ok=True)
        results = [] if args.serve_only else [measure(n, args.runs, args.seed, work) for n in sizes]
        validations = (
            []
            if args.serve_only
            else [measure_validate(n, args.runs, args.seed, work) for n in validate_sizes]
        )
        serve = measure_serve(serve_size, args.serve_edits, args.seed, work) if serve_size else None
    text = report(results, serve, command, validations)
    print()
    print(text)
    if not (args.no_write or args.serve_only):
        write_results(text)
        print(f"written into {RESULTS_FILE.relative_to(PROJECT)}")


if __name__ == "__main__":
    main()
