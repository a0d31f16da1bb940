"""metadata.yml beside the SQLite export: what Datasette shows about the database.

Titles and descriptions come from the fact base's descriptor (declared once there), the licence
from its `licenses`, and the canned queries answer the questions readers ask most: agreements by
status, people sent and money paid by agreement, what changed since a date, quotes matching a
term. Nothing in it names a local path: it is published beside the database.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from thirdcountry.paths import DESCRIPTOR_NAME
from thirdcountry.render.sqlite_layout import SEARCHED, list_tables

if TYPE_CHECKING:
    from thirdcountry.facts import FactBase

# Derived tables (render/sqlite_export.py): title, description, and how Datasette sorts them.
DERIVED: dict[str, dict[str, Any]] = {
    "agreement_status": {
        "title": "Status of each agreement",
        "description": (
            "Each agreement's status on the date of the latest event on record (as_of), exactly "
            "as `thirdcountry status` gives it: the furthest lifecycle step that has certainly "
            "happened; 'X or Y' where a further step may have happened. Derived from the events, "
            "never stored in the fact base."
        ),
        "sort": "rank",
        "facets": ["status", "sending"],
    },
    "agreement_steps": {
        "title": "Lifecycle steps of each agreement",
        "description": (
            "One row per agreement and step (signed, in_force, implemented, paused...) with the "
            "narrowest date all consistent evidence allows; the best source sets it and disputed "
            "marks a source whose date cannot be reconciled."
        ),
        "sort": "agreement_id",
        "facets": ["step", "disputed"],
    },
    "figure_totals": {
        "title": "Where each agreement's figures stand",
        "description": (
            "The latest running total per agreement, measure and unit: people transferred, "
            "money paid, people who left onward. low..high is the range the sources allow; high "
            "is empty and open_above 1 where only a floor ('at least N') is known."
        ),
        "sort": "agreement_id",
        "facets": ["measure", "unit"],
    },
    "cost_per_person": {
        "title": "Money paid against people sent",
        "description": (
            "Per agreement and currency: money paid (pledges where no payment is reported, "
            "pledged_only 1) against people sent, and the cost per person as a range."
        ),
        "sort": "agreement_id",
    },
    "event_dates": {
        "title": "Days each event's date allows",
        "description": "The EDTF date as a range of days; begins is what comparisons use.",
    },
    "figure_dates": {
        "title": "Days each figure's date allows",
        "description": "The EDTF date as a range of days; begins is what comparisons use.",
    },
    "source_dates": {
        "title": "Days each source's publication date allows",
        "description": "The EDTF date as a range of days; begins is what comparisons use.",
    },
    "export_info": {
        "title": "About this export",
        "description": "The data package, its content hash and version, and when it was exported.",
    },
}
# Which row names a record when another table refers to it (Datasette's label_column).
LABELS = {"sources": "title", "entities": "name", "agreements": "title", "events": "summary"}

QUERIES: dict[str, dict[str, Any]] = {
    "agreements_by_status": {
        "title": "Agreements by status",
        "description": (
            "Every agreement with its status on the latest event's date, furthest step first. "
            "Leave status empty for all, or give one: signed, in_force, implemented, paused, "
            "suspended, terminated..."
        ),
        "sql": """\
select s.status, s.since, s.agreement_id, s.title, s.sending, s.receiving, s.kind,
  s.disputed, s.last_evidence, s.not_confirmed_since, s.as_of
from agreement_status s
where :status = '' or s.status = :status or s.current = :status
order by s.rank desc, s.status, s.agreement_id""",
    },
    "people_and_money": {
        "title": "People sent and money paid, by agreement",
        "description": (
            "Where each agreement's running totals stand: people transferred (low..high; "
            "people_high empty where only 'at least' is known) and money paid per currency."
        ),
        "sql": """\
select a.agreement_id, a.title, a.sending, a.receiving,
  p.low as people_low, p.high as people_high, p.latest as people_as_of,
  m.unit as currency, m.low as paid_low, m.high as paid_high, m.latest as paid_as_of
from agreements a
left join figure_totals p on p.agreement_id = a.agreement_id and p.measure = 'people_transferred'
left join figure_totals m on m.agreement_id = a.agreement_id and m.measure = 'payment'
where p.agreement_id is not null or m.agreement_id is not null
order by coalesce(p.high, p.low, 0) desc, a.agreement_id, m.unit""",
    },
    "changed_since": {
        "title": "What changed since a date",
        "description": (
            "Events, figures and sources dated after a day (YYYY-MM-DD), oldest first. An "
            "uncertain date counts by its earliest possible day (an open start by its latest), "
            "as `thirdcountry changes` does."
        ),
        "sql": """\
select d.begins as day, 'event' as what, e.event_id as id, e.date, e.kind, e.agreement_id,
  e.summary as text, e.source_id
from events e join event_dates d on d.event_id = e.event_id
where d.begins > :since
union all
select d.begins, 'figure', f.figure_id, f.date, f.measure, f.agreement_id,
  f.value || ' ' || f.unit || ' (' || f.qualifier || ')', f.source_id
from figures f join figure_dates d on d.figure_id = f.figure_id
where d.begins > :since
union all
select d.begins, 'source', s.source_id, s.published, s.tier, null, s.title, s.source_id
from sources s join source_dates d on d.source_id = s.source_id
where d.begins > :since
order by day, what, id""",
    },
    "quotes_matching": {
        "title": "Every quote matching a term",
        "description": (
            "The verbatim quotes of events and figures that contain a word or phrase (full-text "
            "search, so 'transfer' also finds 'transferred'), with their source."
        ),
        "sql": """\
select 'event' as fact, e.event_id as id, e.date, e.agreement_id, e.quote, e.source_id,
  s.publisher, s.url
from events e join sources s on s.source_id = e.source_id
where e.rowid in (select rowid from events_fts where events_fts match
  '{quote} : ' || escape_fts(:term))
union all
select 'figure', f.figure_id, f.date, f.agreement_id, f.quote, f.source_id, s.publisher, s.url
from figures f join sources s on s.source_id = f.source_id
where f.rowid in (select rowid from figures_fts where figures_fts match
  '{quote} : ' || escape_fts(:term))
order by date, id""",
    },
}


def database_metadata(facts: FactBase, database: str) -> dict[str, Any]:
    """Datasette's metadata for the export of `facts` served as `database` (its file's stem)."""
    descriptor = _descriptor(facts.data_dir)
    licence = (descriptor.get("licenses") or [{}])[0]
    source = descriptor.get("title") or "thirdcountry fact base"
    version = descriptor.get("version")
    tables: dict[str, dict[str, Any]] = {}
    for name, table in facts.schema.items():
        entry: dict[str, Any] = {
            "title": name.replace("_", " ").capitalize(),
            "description": table.description,
            "columns": {f.name: _column_description(f) for f in table.fields},
        }
        if name in LABELS and LABELS[name] in table.columns:
            entry["label_column"] = LABELS[name]
        tables[name] = entry
    for name in SEARCHED:
        if name in tables:
            tables[f"{name}_fts"] = {"hidden": True}
            tables[name]["fts_table"] = f"{name}_fts"
            tables[name]["fts_pk"] = "rowid"
    for link, (owner, _key, column, target, _item) in list_tables(facts.schema).items():
        tables[link] = {
            "title": f"{owner.capitalize()}: {column}, one row each",
            "description": f"Each item of {owner}.{column} with the {target} row it names.",
        }
    for name, about in DERIVED.items():
        tables[name] = {
            key: value for key, value in about.items() if key in ("title", "description", "facets")
        }
        if "sort" in about:
            tables[name]["sort" if about["sort"] != "rank" else "sort_desc"] = about["sort"]
    return {
        "title": descriptor.get("title", "thirdcountry"),
        "description": (
            f"{descriptor.get('description', '')} Every event and figure cites a row of the "
            "sources table with a short verbatim quote. In this database list fields hold JSON "
            "arrays, and the *_dates tables give the days each EDTF date allows. Derived tables "
            "(agreement_status, agreement_steps, figure_totals, cost_per_person) are computed "
            "from the facts by thirdcountry."
        ).strip(),
        "license": licence.get("title") or licence.get("name", ""),
        "license_url": licence.get("path", ""),
        "source": f"{source}, version {version}" if version else source,
        "databases": {
            database: {
                "title": descriptor.get("title", database),
                "description": descriptor.get("description", ""),
                "tables": tables,
                "queries": QUERIES,
            }
        },
    }


def _column_description(field) -> str:
    text = field.description
    if field.list_separator:
        text += " A JSON array here."
    if field.enum:
        text += f" One of: {', '.join(field.enum)}."
    if field.value_format == "edtf":
        text += " EDTF: see the *_dates table for the days it allows."
    return text.strip()


def _descriptor(data_dir: Path) -> dict[str, Any]:
    try:
        found = json.loads((data_dir / DESCRIPTOR_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def dump_metadata(metadata: dict[str, Any]) -> str:
    """YAML, with each canned query's SQL as a literal block, as a reader would write it."""
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    def text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
        style = "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, text)
    header = (
        "# Datasette metadata for the thirdcountry SQLite export (thirdcountry export sqlite).\n"
    )
    return header + yaml.dump(
        metadata, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=100
    )
