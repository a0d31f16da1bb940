"""A synthetic, valid fact base of any size: for tests, benchmarks and chart design.

Everything is invented except the countries (real ISO 3166-1 codes) and the data contract, which is
copied from the project's descriptor. The same seed always writes the same files.
"""

from __future__ import annotations

import bisect
import calendar
import csv
import datetime as dt
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from synthetic_figures import synthetic_figures

from thirdcountry.facts.schema import STEP_OF_KIND, load_schema
from thirdcountry.paths import DEFAULT_DATA_DIR, DESCRIPTOR_NAME

START = dt.date(1996, 1, 1)
END = dt.date(2025, 12, 31)  # no confirmed or reported event falls after this day

# Countries that send asylum seekers on in most real agreements; the rest are drawn at random.
SENDERS = ("USA", "GBR", "DEU", "ITA", "DNK", "AUS", "CAN", "NLD", "AUT", "GRC", "ESP", "ISR")
ORGANIZATIONS = (
    ("unhcr", "United Nations High Commissioner for Refugees", "UNHCR|UN refugee agency"),
    ("iom", "International Organization for Migration", "IOM"),
    ("european-commission", "European Commission", "EU Commission"),
    ("amnesty-international", "Amnesty International", "Amnesty"),
    ("human-rights-watch", "Human Rights Watch", "HRW"),
    ("council-of-europe", "Council of Europe", ""),
)
GROUPS = (
    ("asylum-seekers-in-transit", "Asylum seekers in transit", ""),
    ("returnees", "Returned asylum seekers", "returnees"),
)
PROGRAMS = (
    ("transfer-programme", "Third country transfer programme", "transfer scheme"),
    ("resettlement-pilot", "Resettlement pilot", ""),
)
FIRST_NAMES = (
    "Ana", "Bruno", "Chiara", "Dawit", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jonas",
    "Karim", "Lucia", "Marta", "Nadia", "Omar", "Petra", "Rafael", "Sara", "Tomas", "Yara",
)  # fmt: skip
LAST_NAMES = (
    "Abebe", "Bauer", "Costa", "Dlamini", "Esposito", "Fischer", "Garcia", "Haddad", "Ivanova",
    "Jensen", "Kowalski", "Lopez", "Moreau", "Nowak", "Okafor", "Pereira", "Quispe", "Rossi",
    "Santos", "Tanaka",
)  # fmt: skip
PUBLISHERS = {
    "official": ("Ministry of the Interior", "Official Gazette", "Department of State",
                 "Home Office", "Federal Register"),
    "news": ("Reuters", "Associated Press", "The Guardian", "Agence France-Presse", "El País",
             "Der Spiegel"),
    "tracker": ("Refugee Law Observatory", "Global Detention Tracker", "Asylum Access Monitor"),
    "reprint": ("NewsWire Digest", "Daily Aggregator"),
}  # fmt: skip
KIND_LABELS = {
    "safe_third_country": "safe third country agreement",
    "asylum_cooperation": "asylum cooperative agreement",
    "third_country_transfer": "transfer arrangement",
    "other": "migration arrangement",
}
STEP_VERBS = {
    "proposed": "proposes",
    "negotiating": "opens negotiations on",
    "signed": "signs",
    "in_force": "brings into force",
    "implemented": "carries out the first transfer under",
    "paused": "pauses transfers under",
    "suspended": "suspends",
    "termination_noticed": "gives notice to terminate",
    "terminated": "terminates",
    "denied": "denies any plan for",
}
CONTEXT_TEMPLATES = {
    "announcement": "{a} announces new asylum measures",
    "call": "{a} calls for the transfers to stop",
    "claim": "{a} claims the arrangement is working",
    "designation": "{a} designates {b} a safe third country",
    "meeting": "Officials of {a} and {b} meet on migration",
    "photo": "Photographs show transferred people arriving in {b}",
    "policy": "{a} publishes a new asylum policy",
    "publication": "Report on conditions for transferred people in {b}",
    "statement": "{a} issues a statement on transfers to {b}",
    "transfer": "{a} transfers a group of asylum seekers to {b}",
    "visit": "{a} visits {b}",
}


@dataclass(frozen=True)
class _Date:
    """An EDTF date with the interval it means, known without parsing (parsing is slow)."""

    text: str
    earliest: dt.date | None
    latest: dt.date | None
    precision: str

    @property
    def known(self) -> dt.date | None:
        """The last day the event can have happened by, where that is known."""
        return self.latest or self.earliest


def _exact(day: dt.date) -> _Date:
    return _Date(day.isoformat(), day, day, "day")


def _month(day: dt.date, approximate: bool = False) -> _Date:
    last = calendar.monthrange(day.year, day.month)[1]
    text = day.strftime("%Y-%m") + ("~" if approximate else "")
    return _Date(text, day.replace(day=1), day.replace(day=last), "month")


@dataclass
class _Source:
    source_id: str
    tier: str
    published: str
    limit: dt.date  # the last day the publication date can mean


@dataclass
class _Event:
    kind: str
    date: str
    agreement_id: str = ""
    actors: tuple[str, ...] = ()
    summary: str = ""
    certainty: str = "confirmed"
    source_id: str = ""
    date_basis: str = "stated"
    note: str = ""
    event_id: str = ""


@dataclass
class _Step:
    """All events of one lifecycle step of one agreement (kept or dropped together)."""

    events: list[_Event] = field(default_factory=list)
    dispute: tuple[int, int] | None = None  # positions in events of the two disagreeing ones


def write_synthetic_fact_base(
    directory: Path, agreements: int = 400, events: int = 5000, seed: int = 0
) -> Path:
    """Write a complete, valid fact base with `agreements` agreements and `events` events.

    The folder is created if needed; the seven tables and datapackage.json are (over)written.
    Returns the folder. `thirdcountry.facts.load_facts(directory)` accepts the result.
    """
    if agreements < 0 or events < 0:
        raise ValueError("agreements and events must not be negative")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(DEFAULT_DATA_DIR / DESCRIPTOR_NAME, directory / DESCRIPTOR_NAME)
    schema = load_schema(directory)
    context_kinds = [k for k in schema["events"].field("kind").enum if k not in STEP_OF_KIND]
    return _Writer(directory, schema, random.Random(seed), context_kinds).write(agreements, events)


def _midpoint(a: dt.date, b: dt.date) -> dt.date:
    return a + (b - a) // 2


def _country_name(country) -> str:
    return getattr(country, "common_name", None) or country.name


class _Writer:
    def __init__(self, directory: Path, schema, rng: random.Random, context_kinds: list[str]):
        self.directory = directory
        self.schema = schema
        self.rng = rng
        self.context_kinds = context_kinds
        self.entities: list[dict[str, str]] = []
        self.names: dict[str, str] = {}
        self.sources: list[_Source] = []
        self.source_rows: list[dict[str, str]] = []

    # -- the whole base --------------------------------------------------------------------------

    def write(self, n_agreements: int, n_events: int) -> Path:
        countries = self._countries(n_agreements)
        people = self._people(max(4, n_agreements // 10))
        others = self._other_entities()
        self._sources(max(6, n_events // 3))
        agreement_rows, timelines = self._agreements(n_agreements, countries, others)
        budget = n_events - n_events // 4 if n_events >= 4 else n_events
        steps = self._lifecycle(agreement_rows, timelines, people, budget)
        lifecycle_events = [e for agreement in steps for step in agreement for e in step.events]
        context = self._context(
            n_events - len(lifecycle_events), agreement_rows, timelines, countries, people, others
        )
        all_events = lifecycle_events + context
        order = sorted(range(len(all_events)), key=lambda i: (all_events[i].date, i))
        for number, index in enumerate(order, start=1):
            all_events[index].event_id = f"ev-{number:05d}"
        conflicts = self._conflicts(steps, context)
        figures = synthetic_figures(
            agreement_rows,
            timelines,
            lambda day: self._source_for(min(day, END)).source_id,
            self.rng,
            END,
        )
        for number, row in enumerate(figures.conflicts, start=len(conflicts) + 1):
            row["conflict_id"] = f"conflict-{number:04d}"
        conflicts += figures.conflicts

        self._write("sources", self.source_rows)
        self._write("entities", self.entities)
        self._write("agreements", agreement_rows)
        event_rows = [self._event_row(all_events[i]) for i in order]
        self._write("events", event_rows)
        self._write("conflicts", conflicts)
        self._write("figures", figures.rows)
        self._write("verifications", self._verifications(event_rows))
        if "context_events" in self.schema:
            self._write("context_events", [])  # the legal frame: none in synthetic bases
        self._write("waivers", [])
        self._write("totals", [])
        return self.directory

    def _verifications(self, event_rows: list[dict[str, str]]) -> list[dict[str, str]]:
        """Every seventh lifecycle event checked once, against its own source only."""
        lifecycle = [row for row in event_rows if row["kind"] in STEP_OF_KIND][::7]
        return [
            {
                "verification_id": f"check-{number:05d}",
                "event_id": row["event_id"],
                "checked": "date",
                "source_ids": row["source_id"],
                "checked_on": END.isoformat(),
                "result": "single_source",
            }
            for number, row in enumerate(lifecycle, start=1)
        ]

    def _write(self, table: str, rows: list[dict[str, str]]) -> None:
        columns = self.schema[table].columns
        path = self.directory / self.schema[table].path
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(
                handle, fieldnames=columns, restval="", extrasaction="ignore", lineterminator="\n"
            )
            writer.writeheader()
            writer.writerows(rows)

    # -- entities --------------------------------------------------------------------------------

    def _add_entity(self, entity_id: str, kind: str, name: str, iso3: str, aliases: str) -> None:
        taken = {n.casefold() for n in self.names.values()} | {
            a.casefold() for row in self.entities for a in row["aliases"].split("|") if a
        }
        kept = [a for a in aliases.split("|") if a and a.casefold() not in taken and a != name]
        row = {"entity_id": entity_id, "kind": kind, "name": name, "iso3": iso3}
        row["aliases"] = "|".join(dict.fromkeys(kept))
        self.entities.append(row)
        self.names[entity_id] = name

    def _countries(self, n_agreements: int) -> list[str]:
        import pycountry

        everything = sorted(pycountry.countries, key=lambda c: c.alpha_3)
        count = min(len(everything), max(6, n_agreements // 3 + 6))
        senders = [c for c in everything if c.alpha_3 in SENDERS]
        rest = [c for c in everything if c.alpha_3 not in SENDERS]
        chosen = senders[: max(2, min(len(senders), count // 4))]
        chosen += self.rng.sample(rest, count - len(chosen))
        chosen.sort(key=lambda c: c.alpha_3)
        all_names = {
            getattr(c, attribute, "").casefold()
            for c in everything
            for attribute in ("name", "common_name", "official_name")
        }
        chosen_names = {_country_name(c).casefold() for c in chosen}
        for country in chosen:
            name = _country_name(country)
            aliases = []
            for alias in (country.name, getattr(country, "official_name", "")):
                if alias and alias != name and alias.casefold() not in chosen_names:
                    aliases.append(alias)
            if len(name) > 5 and self.rng.random() < 0.15:  # a misspelling, as sources make them
                cut = self.rng.randrange(1, len(name) - 1)
                misspelt = name[:cut] + name[cut + 1 :]
                if misspelt.casefold() not in all_names:
                    aliases.append(misspelt)
            self._add_entity(
                country.alpha_3.lower(), "country", name, country.alpha_3, "|".join(aliases)
            )
        return [c.alpha_3.lower() for c in chosen]

    def _people(self, count: int) -> list[str]:
        ids = []
        pairs = [(f, last) for f in FIRST_NAMES for last in LAST_NAMES]
        for first, last in self.rng.sample(pairs, min(count, len(pairs))):
            entity_id = f"{first}-{last}".lower()
            self._add_entity(entity_id, "person", f"{first} {last}", "", f"{first[0]}. {last}")
            ids.append(entity_id)
        return ids

    def _other_entities(self) -> list[str]:
        ids = []
        for kind, rows in (
            ("organization", ORGANIZATIONS),
            ("group", GROUPS),
            ("program", PROGRAMS),
        ):
            for entity_id, name, aliases in rows:
                self._add_entity(entity_id, kind, name, "", aliases)
                ids.append(entity_id)
        return ids

    # -- sources ---------------------------------------------------------------------------------

    def _sources(self, count: int) -> None:
        span = (END - START).days
        days = [START + dt.timedelta(days=self.rng.randrange(span)) for _ in range(count - 1)]
        published = [_exact(d) if self.rng.random() < 0.85 else _month(d) for d in days]
        published.append(_exact(END))  # something is always published late enough
        dated = sorted((date.latest, date.text) for date in published)
        tiers = ("official", "news", "tracker", "reprint")
        for number, (limit, published) in enumerate(dated, start=1):
            source_id = f"src-{number:05d}"
            tier = self.rng.choices(tiers, weights=(3, 4, 2, 1))[0]
            publisher = self.rng.choice(PUBLISHERS[tier])
            retrieved = ""
            if self.rng.random() < 0.7:
                retrieved = (limit + dt.timedelta(days=self.rng.randrange(0, 400))).isoformat()
            author = ""
            if tier in ("news", "tracker") and self.rng.random() < 0.6:
                author = f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"
            self.sources.append(_Source(source_id, tier, published, limit))
            self.source_rows.append(
                {
                    "source_id": source_id,
                    "title": f"{publisher}: report on asylum transfers, {published}",
                    "publisher": publisher,
                    "author": author,
                    "published": published,
                    "url": f"https://example.org/{tier}/{source_id}",
                    "retrieved": retrieved,
                    "tier": tier,
                    "text_file": "",
                }
            )
        self._limits = [s.limit for s in self.sources]

    def _source_for(self, not_before: dt.date | None, tiers: tuple[str, ...] = ()) -> _Source:
        """A source published on or after `not_before`, preferably soon after it."""
        start = 0 if not_before is None else bisect.bisect_left(self._limits, not_before)
        start = min(start, len(self.sources) - 1)
        window = self.sources[start : start + 25]
        preferred = [s for s in window if s.tier in tiers] if tiers else window
        return self.rng.choice(preferred or window)

    # -- agreements and their lifecycles ---------------------------------------------------------

    def _agreements(self, count: int, countries: list[str], others: list[str]):
        senders = [c for c in countries if c.upper() in SENDERS]
        rows, timelines, seen = [], [], set()
        kinds = tuple(KIND_LABELS)
        for _ in range(count):
            sending = self.rng.choice(senders)
            receiving = self.rng.choice([c for c in countries if c != sending])
            kind = self.rng.choices(kinds, weights=(4, 2, 3, 1))[0]
            short = {"safe_third_country": "stc", "asylum_cooperation": "aca"}.get(kind, "transfer")
            base = f"{sending}-{receiving}-{short}"
            agreement_id, number = base, 1
            while agreement_id in seen:
                number += 1
                agreement_id = f"{base}-{number}"
            seen.add(agreement_id)
            title = f"{self.names[sending]}–{self.names[receiving]} {KIND_LABELS[kind]}"
            if number > 1:
                title += f" (no. {number})"
            parties = [sending, receiving]
            if self.rng.random() < 0.08:
                parties.append(self.rng.choice(others[:3]))
            notes = ""
            if self.rng.random() < 0.2:
                notes = "Synthetic agreement; the sources disagree on some dates."
            rows.append(
                {
                    "agreement_id": agreement_id,
                    "title": title,
                    "kind": kind,
                    "parties": "|".join(parties),
                    "sending": sending,
                    "receiving": receiving,
                    "notes": notes,
                }
            )
            timelines.append(self._timeline())
        return rows, timelines

    def _timeline(self) -> list[tuple[str, dt.date]]:
        """The true sequence of steps, in lifecycle order, with the day each really happened."""
        rng = self.rng
        steps = []
        if rng.random() < 0.6:
            steps.append("proposed")
        if rng.random() < 0.55:
            steps.append("negotiating")
        if rng.random() < 0.1 or (not steps and rng.random() < 0.1):
            steps.append("denied")
        elif rng.random() < 0.8 or not steps:
            steps.append("signed")
            if rng.random() < 0.8:
                steps.append("in_force")
                if rng.random() < 0.7:
                    steps.append("implemented")
                    if rng.random() < 0.2:
                        steps.append("paused")
                    if rng.random() < 0.2:
                        steps.append("suspended")
            if rng.random() < 0.25:
                steps.append("termination_noticed")
                if rng.random() < 0.75:
                    steps.append("terminated")
            elif rng.random() < 0.05:
                steps.append("terminated")
        day = START + dt.timedelta(days=rng.randrange((END - START).days - 200))
        timeline = []
        for step in steps:
            timeline.append((step, day))
            day += dt.timedelta(days=rng.randrange(20, 900))
        return timeline

    def _lifecycle(self, rows, timelines, people, budget: int) -> list[list[_Step]]:
        everything: list[list[_Step]] = []
        for row, timeline in zip(rows, timelines, strict=True):
            steps = []
            for index, (kind, day) in enumerate(timeline):
                previous = timeline[index - 1][1] if index else None
                following = timeline[index + 1][1] if index + 1 < len(timeline) else None
                if day > END:
                    if index == 0 or timeline[index - 1][1] <= END:
                        steps.append(self._planned_step(row, kind, day))
                    break
                steps.append(self._step(row, kind, day, previous, following, people))
            everything.append(steps)
        # Keep within the event budget: drop the last steps of the longest histories first.
        total = sum(len(step.events) for steps in everything for step in steps)
        while total > budget:
            longest = max(range(len(everything)), key=lambda i: len(everything[i]))
            if not everything[longest]:
                break
            total -= len(everything[longest].pop().events)
        return everything

    def _actors(self, row: dict[str, str], people: list[str]) -> tuple[str, ...]:
        actors = row["parties"].split("|")
        if people and self.rng.random() < 0.3:
            actors.append(self.rng.choice(people))
        return tuple(dict.fromkeys(actors))

    def _summary(self, row: dict[str, str], kind: str) -> str:
        return f"{self.names[row['sending']]} {STEP_VERBS[kind]} the {row['title']}"

    def _step(self, row, kind, day, previous, following, people) -> _Step:
        rng = self.rng
        step = _Step()
        disputed = rng.random() < 0.08
        date = self._fuzzy(day, precise=disputed)
        certainty = rng.choices(("confirmed", "reported", "disputed"), weights=(75, 22, 3))[0]
        primary = self._lifecycle_event(row, kind, date, certainty, people, ("official", "news"))
        step.events.append(primary)
        if rng.random() < 0.3:  # a second source, agreeing within its coarser date
            coarse = _month(day) if rng.random() < 0.6 else self._range(day, 30)
            step.events.append(self._lifecycle_event(row, kind, coarse, "reported", people))
        if disputed:
            other = self._disputed_day(date, day, previous, following)
            if other is not None:
                rival = self._lifecycle_event(
                    row, kind, _exact(other), "reported", people, ("tracker", "reprint")
                )
                step.events.append(rival)
                step.dispute = (0, len(step.events) - 1)
        return step

    def _planned_step(self, row, kind, day) -> _Step:
        date = _month(day) if self.rng.random() < 0.5 else _exact(day)
        event = _Event(
            kind=kind,
            date=date.text,
            agreement_id=row["agreement_id"],
            actors=tuple(row["parties"].split("|")),
            summary=f"{self._summary(row, kind)} (planned)",
            certainty="planned",
            source_id=self._source_for(END - dt.timedelta(days=120)).source_id,
        )
        return _Step([event])

    def _lifecycle_event(self, row, kind, date: _Date, certainty, people, tiers=()) -> _Event:
        known = date.known
        source = self._source_for(min(known, END) if known else None, tiers)
        basis, note = self._basis(date.precision)
        return _Event(
            kind=kind,
            date=date.text,
            agreement_id=row["agreement_id"],
            actors=self._actors(row, people),
            summary=self._summary(row, kind),
            certainty=certainty,
            source_id=source.source_id,
            date_basis=basis,
            note=note,
        )

    def _basis(self, precision: str) -> tuple[str, str]:
        roll = self.rng.random()
        if precision in ("open", "range") and roll < 0.4:
            return "unverified", "No source fixes the date; the interval is what is known."
        if roll < 0.12:
            return "inferred", "Worked out from the weekday named and the publication date."
        return "stated", ""

    def _disputed_day(self, primary, day, previous: dt.date | None, following: dt.date | None):
        """A day outside the primary date, nearer this step's true day than its neighbours'.

        Keeping to the half-way points means two rival dates of neighbouring steps never cross,
        so the lifecycle order stays valid.
        """
        low = _midpoint(previous, day) if previous else START
        high = min(_midpoint(day, following) if following else END, END)
        candidates = []
        if primary.latest + dt.timedelta(days=3) <= high:
            candidates.append((primary.latest + dt.timedelta(days=3), high))
        if primary.earliest - dt.timedelta(days=3) >= low:
            candidates.append((low, primary.earliest - dt.timedelta(days=3)))
        if not candidates:
            return None
        start, stop = self.rng.choice(candidates)
        stop = min(stop, start + dt.timedelta(days=90))
        return start + dt.timedelta(days=self.rng.randrange((stop - start).days + 1))

    # -- dates -----------------------------------------------------------------------------------

    def _range(self, day: dt.date, width: int) -> _Date:
        earliest = day - dt.timedelta(days=self.rng.randrange(1, width))
        latest = day + dt.timedelta(days=self.rng.randrange(1, width))
        return _Date(f"{earliest.isoformat()}/{latest.isoformat()}", earliest, latest, "range")

    def _fuzzy(self, day: dt.date, precise: bool = False) -> _Date:
        """An EDTF date that certainly contains `day`, at a random real-world precision."""
        roll = self.rng.random()
        if precise:
            return _exact(day) if roll < 0.7 else _month(day)
        if roll < 0.55:
            return _exact(day)
        if roll < 0.75:
            return _month(day, approximate=self.rng.random() < 0.1)
        if roll < 0.9:
            return self._range(day, 20)
        if roll < 0.95:
            if self.rng.random() < 0.6:
                after = day - dt.timedelta(days=self.rng.randrange(0, 90))
                return _Date(f"{after.isoformat()}/..", after, None, "open")
            before = day + dt.timedelta(days=self.rng.randrange(0, 90))
            return _Date(f"../{before.isoformat()}", None, before, "open")
        return _Date(str(day.year), dt.date(day.year, 1, 1), dt.date(day.year, 12, 31), "year")

    # -- context events and conflicts ------------------------------------------------------------

    def _context(self, count, rows, timelines, countries, people, others) -> list[_Event]:
        rng = self.rng
        events = []
        span = (END - START).days
        for _ in range(max(0, count)):
            kind = rng.choice(self.context_kinds)
            certainty = rng.choices(
                ("confirmed", "reported", "planned", "disputed"), weights=(60, 25, 8, 7)
            )[0]
            agreement_id = ""
            if rows and rng.random() < 0.6:
                index = rng.randrange(len(rows))
                row, timeline = rows[index], timelines[index]
                a, b = row["sending"], row["receiving"]
                if timeline and rng.random() < 0.5:
                    agreement_id = row["agreement_id"]
                anchor = timeline[0][1] if timeline else START + dt.timedelta(rng.randrange(span))
                day = anchor + dt.timedelta(days=rng.randrange(-200, 1500))
            else:
                a, b = rng.sample(countries, 2)
                day = START + dt.timedelta(days=rng.randrange(span))
            if certainty == "planned":
                day = max(day, END - dt.timedelta(days=60)) + dt.timedelta(days=rng.randrange(400))
            else:
                day = min(max(day, START), END)
            speaker = a
            if kind in ("call", "claim", "statement", "visit") and rng.random() < 0.5:
                speaker = rng.choice(people if rng.random() < 0.6 else others[:5])
            actors = tuple(dict.fromkeys((speaker, a, b)))
            date = self._fuzzy(day)
            not_before = min(date.known, END) if date.known else None
            basis, note = self._basis(date.precision)
            template = CONTEXT_TEMPLATES.get(kind, "{a}: " + kind.replace("_", " ") + " on {b}")
            events.append(
                _Event(
                    kind=kind,
                    date=date.text,
                    agreement_id=agreement_id,
                    actors=actors,
                    summary=template.format(a=self.names[speaker], b=self.names[b]),
                    certainty=certainty,
                    source_id=self._source_for(not_before).source_id,
                    date_basis=basis,
                    note=note,
                )
            )
        return events

    def _conflicts(self, steps: list[list[_Step]], context: list[_Event]) -> list[dict[str, str]]:
        rows = []
        for agreement in steps:
            for step in agreement:
                if step.dispute is None or self.rng.random() < 0.4:
                    continue  # the rest are left for the analysis to detect
                first, second = (step.events[i] for i in step.dispute)
                rows.append(
                    {
                        "agreement_id": first.agreement_id,
                        "aspect": "date",
                        "event_ids": f"{first.event_id}|{second.event_id}",
                        "description": (
                            f"{first.source_id} dates the step {first.date}; "
                            f"{second.source_id} dates it {second.date}."
                        ),
                        "explanation": "The stronger source is preferred."
                        if self.rng.random() < 0.7
                        else "",
                    }
                )
        for agreement in steps:
            # 'In force' (legal) and 'implemented' (first transfer) are often confused.
            by_kind = {step.events[0].kind: step.events[0] for step in agreement}
            if "in_force" in by_kind and "implemented" in by_kind and self.rng.random() < 0.1:
                legal, first = by_kind["in_force"], by_kind["implemented"]
                rows.append(
                    {
                        "agreement_id": legal.agreement_id,
                        "aspect": "which_date",
                        "event_ids": f"{legal.event_id}|{first.event_id}",
                        "description": (
                            f"Reports give {legal.date} and {first.date} as the start of the "
                            "agreement."
                        ),
                        "explanation": "'In force' (legal) is not 'implemented' (first transfer).",
                    }
                )
        claims = {}
        for event in context:
            if event.kind in ("claim", "statement"):
                claims.setdefault(event.actors[1] if len(event.actors) > 1 else "", event)
        for event in context:
            answer = claims.get(event.actors[1] if len(event.actors) > 1 else "")
            if event.certainty == "disputed" and answer is not None and answer is not event:
                rows.append(
                    {
                        "agreement_id": event.agreement_id,
                        "aspect": "occurrence",
                        "event_ids": f"{event.event_id}|{answer.event_id}",
                        "description": f"A party denies that this happened: {event.summary}.",
                    }
                )
            elif event.date_basis == "unverified" and self.rng.random() < 0.1:
                rows.append(
                    {
                        "agreement_id": event.agreement_id,
                        "aspect": "unverified",
                        "event_ids": event.event_id,
                        "description": f"No source fixes the date of: {event.summary}.",
                    }
                )
        for number, row in enumerate(rows, start=1):
            row["conflict_id"] = f"conflict-{number:04d}"
        return rows

    def _event_row(self, event: _Event) -> dict[str, str]:
        return {
            "event_id": event.event_id,
            "date": event.date,
            "kind": event.kind,
            "agreement_id": event.agreement_id,
            "actors": "|".join(event.actors),
            "summary": event.summary,
            "certainty": event.certainty,
            "source_id": event.source_id,
            "quote": f"“{event.summary}”, according to the report.",
            "date_basis": event.date_basis,
            "note": event.note,
        }
