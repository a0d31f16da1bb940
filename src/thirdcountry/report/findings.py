"""Key findings: plain sentences generated from the status table and the conflicts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd

from thirdcountry.report.citations import Claim, Ref, agreements_refs, conflicts_refs
from thirdcountry.report.palette import NO_STATUS

# How each status reads after "N agreement(s) is/are ...".
STATUS_PHRASES: dict[str, str] = {
    "proposed": "proposed",
    "negotiating": "being negotiated",
    "signed": "signed but not yet in force",
    "in_force": "in force",
    "implemented": "in force with transfers made",
    "paused": "paused",
    "suspended": "suspended",
    "termination_noticed": "suspended with termination noticed",
    "terminated": "terminated",
    "denied": "denied by a party",
}
# Order of mention: what is live first, what has ended last.
MENTION_ORDER = (
    "in_force", "implemented", "signed", "negotiating", "proposed", "paused", "suspended",
    "termination_noticed", "terminated", "denied",
)  # fmt: skip


def long_date(day: dt.date) -> str:
    return f"{day.day} {day.strftime('%B %Y')}"


def count_phrase(count: int, noun: str = "agreement") -> str:
    """'1 agreement', '3 agreements' — digits, as a data report reads best."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _is_are(count: int) -> str:
    return "is" if count == 1 else "are"


def status_phrase(current: str, possible: tuple[str, ...] = ()) -> str:
    """'in force'; 'suspended, possibly terminated'; 'possibly being negotiated'."""
    if not possible:
        return STATUS_PHRASES[current]
    maybe = " or ".join(STATUS_PHRASES[p] for p in possible)
    if current == NO_STATUS:
        return f"possibly {maybe}"
    return f"{STATUS_PHRASES[current]}, possibly {maybe}"


def status_sentence(status_table: pd.DataFrame, as_of: dt.date) -> str:
    """'As of 26 January 2025, 1 agreement is in force and 1 is being negotiated.'"""
    started = status_table[status_table["status"] != NO_STATUS]
    counts: dict[tuple[str, tuple[str, ...]], int] = {}
    for row in started.itertuples():
        key = (row.current, tuple(row.possible))
        counts[key] = counts.get(key, 0) + 1
    order = {status: i for i, status in enumerate((*MENTION_ORDER, NO_STATUS))}
    parts: list[str] = []
    for (current, possible), count in sorted(
        counts.items(), key=lambda item: (order[item[0][0]], len(item[0][1]), item[0][1])
    ):
        noun = count_phrase(count) if not parts else str(count)
        parts.append(f"{noun} {_is_are(count)} {status_phrase(current, possible)}")
    if not parts:
        return f"As of {long_date(as_of)}, no agreement in this selection has a recorded step."
    return f"As of {long_date(as_of)}, {_join(parts)}."


def _join(parts: list[str]) -> str:
    """'a, b and c'; 'a; b, c; and d' when a part has its own comma."""
    if len(parts) <= 2:
        return " and ".join(parts)
    if any("," in part for part in parts):
        return "; ".join(parts[:-1]) + "; and " + parts[-1]
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def uncertain_sentences(status_table: pd.DataFrame, steps: pd.DataFrame) -> list[str]:
    """One sentence per agreement whose status on the date is uncertain, with the open dates."""
    dates = {(row.agreement_id, row.step): row.date_text for row in steps.itertuples(index=False)}
    sentences = []
    for row in status_table[~status_table["certain"]].itertuples():
        open_steps = "; ".join(
            f"{STATUS_PHRASES[step]}: {human_date(dates.get((row.agreement_id, step), ''))}"
            for step in row.possible
        )
        sentences.append(
            f"{row.title}: the sources do not say whether it was already {_join_or(row.possible)} "
            f"by then ({open_steps})."
        )
    return sentences


def _join_or(steps: tuple[str, ...]) -> str:
    return " or ".join(STATUS_PHRASES[s] for s in steps)


def human_date(edtf_text: str) -> str:
    from thirdcountry.facts import parse_edtf

    return parse_edtf(edtf_text).human() if edtf_text else "date unknown"


def not_started_sentence(status_table: pd.DataFrame) -> str | None:
    waiting = int((status_table["status"] == NO_STATUS).sum())
    if not waiting:
        return None
    return (
        f"{count_phrase(waiting)} in the fact base {_is_are(waiting)} not yet on record by "
        "that date."
    )


def conflict_sentence(conflicts: pd.DataFrame) -> str | None:
    if conflicts.empty:
        return None
    dated = int((conflicts["aspect"].isin(["date", "which_date"])).sum())
    occurrence = int((conflicts["aspect"] == "occurrence").sum())
    unverified = int((conflicts["aspect"] == "unverified").sum())
    details = []
    if dated:
        details.append(f"{dated} on dates")
    if occurrence:
        details.append(f"{occurrence} on whether a step happened at all")
    if unverified:
        details.append(f"{unverified} on facts no source settles")
    total = len(conflicts)
    verb = (
        "disagreement or open question is" if total == 1 else "disagreements or open questions are"
    )
    return f"{total} {verb} recorded between sources ({_join(details)}); see Conflicts."


def disputed_sentence(status_table: pd.DataFrame) -> str | None:
    disputed = status_table[status_table["disputed"]]
    if disputed.empty:
        return None
    names = ", ".join(disputed["title"])
    return f"Sources disagree on the date of the current step for {names}."


def _latest_done_event(events: pd.DataFrame, as_of: dt.date) -> pd.Series | None:
    """The most recent event that had certainly happened by as_of, if any."""
    day = pd.Timestamp(as_of)
    done = events[(events["certainty"] != "planned") & events["latest"].notna()]
    done = done[done["latest"] <= day]
    return None if done.empty else done.sort_values(["latest", "event_id"]).iloc[-1]


def latest_event_sentence(events: pd.DataFrame, as_of: dt.date) -> str | None:
    """The most recent event that had certainly happened by as_of."""
    last = _latest_done_event(events, as_of)
    if last is None:
        return None
    summary = str(last["summary"]).rstrip(". ")
    return f"The latest event on record: {summary} ({last['date']}, {last['source_id']})."


def key_findings(
    status_table: pd.DataFrame,
    as_of: dt.date,
    conflicts: pd.DataFrame,
    events: pd.DataFrame,
    steps: pd.DataFrame,
) -> list[str]:
    """The findings in reading order; every sentence comes from the data."""
    sentences = [status_sentence(status_table, as_of)]
    sentences += uncertain_sentences(status_table, steps)
    for optional in (
        disputed_sentence(status_table),
        not_started_sentence(status_table),
        conflict_sentence(conflicts),
        latest_event_sentence(events, as_of),
    ):
        if optional:
            sentences.append(optional)
    return sentences


# ---- the overview's key findings: three to five sentences that name the agreements ----------

# Where every row behind a count is, beside the report, when a finding cites only some of them.
STEPS_TABLE = "tables/steps.csv"
CONFLICTS_TABLE = "tables/conflicts.csv"

NAMES_SHOWN = 2  # agreements named per group before "and N more"


def named(titles: list[str], limit: int = NAMES_SHOWN) -> str:
    """'A, B and C'; 'A, B, C and 4 more': names a reader can take in at a glance."""
    titles = list(dict.fromkeys(titles))
    if len(titles) <= limit + 1:
        return _join_plain(titles)
    more = len(titles) - limit
    return f"{', '.join(titles[:limit])} and {'one' if more == 1 else more} more"


def _join_plain(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


# Status families, as the palette groups their colours: what a reader scans for first.
FAMILIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("in force", ("in_force", "implemented")),
    ("signed or under negotiation", ("proposed", "negotiating", "signed")),
    ("paused or ended", ("paused", "suspended", "termination_noticed", "terminated")),
    ("refused", ("denied",)),
)


def named_status_sentence(status_table: pd.DataFrame, as_of: dt.date) -> str:
    """'On 3 March 2026, 16 agreements were in force, 13 signed or under negotiation and 3
    refused.' Grouped by family; where the sources leave the step open the agreement counts
    by the step it has certainly reached."""
    started = status_table[status_table["current"] != "none"]
    parts: list[str] = []
    for label, steps in FAMILIES:
        count = int(started["current"].isin(steps).sum())
        if count:
            if parts:
                parts.append(f"{count:,} {label}")
            else:
                parts.append(f"{count_phrase(count)} {'was' if count == 1 else 'were'} {label}")
    if not parts:
        return f"As of {long_date(as_of)}, no agreement in this selection has a recorded step."
    return f"On {long_date(as_of)}, {_join(parts)}."


# An agreement's change of status, as a sentence says it ({name}: its short name, with 'the').
BECAME = {
    "proposed": "{name} was proposed",
    "negotiating": "talks began on {name}",
    "signed": "{name} was signed",
    "in_force": "{name} came into force",
    "implemented": "transfers began under {name}",
    "paused": "{name} was paused",
    "suspended": "{name} was suspended",
    "termination_noticed": "notice was given to end {name}",
    "terminated": "{name} ended",
    "denied": "{name} was refused",
}


def the(name: str) -> str:
    """'the US–Canada Safe Third Country Agreement': a short name as a sentence uses it."""
    return name if name[:4].lower() == "the " else f"the {name}"


def window_sentence(transitions: pd.DataFrame, since: dt.date, as_of: dt.date) -> str:
    """How many agreements changed status in the date window, and the most recent change with
    its date (transitions newest first, analysis.what_changed.window_transitions)."""
    period = f"Between {long_date(since)} and {long_date(as_of)}"
    if transitions.empty:
        return f"{period}, no agreement changed status."
    count = count_phrase(len(transitions))
    sentence = f"{period}, {count} changed status."
    latest = transitions.iloc[0]
    when = str(latest["since"]) if "since" in transitions and latest["since"] else ""
    on = f", {_on(human_date(when))}" if when else ""
    return sentence + f" Most recently{on}, {_became(str(latest['after']), latest['title'])}."


def _on(when: str) -> str:
    """'on 14 January 2026', 'in March 2025', 'between 20 and 26 January 2025'."""
    if " – " in when:
        first, _, last = when.partition(" – ")
        start, end = first.split(), last.split()
        while len(start) > 1 and len(end) >= len(start) and start[-1] == end[-1]:
            start = start[:-1]  # '20 January 2025 – 26 January 2025' -> '20 – 26 January 2025'
        return f"between {' '.join(start)} and {last}"
    if when[:1].isdigit():
        return f"on {when}"
    return when if when.split(" ", 1)[0].islower() else f"in {when}"


def _became(status: str, title: str) -> str:
    name = the(str(title))
    if status == "negotiating" and name.endswith(" talks"):  # not 'talks began on the … talks'
        return f"{name} began"
    if status in BECAME:
        return BECAME[status].format(name=name)
    return f"{name} became {_readable(status)}"


def _readable(status: str) -> str:
    names = status.split(" or ")
    phrases = {**STATUS_PHRASES, "none": "not on record"}
    return " or ".join(phrases.get(name, name.replace("_", " ")) for name in names)


def previous_report_sentence(
    when: str, counts: list[tuple[str, int]], transitions: list[tuple[str, str, str]], later: int
) -> str:
    """What changed in the data since the previous report: counts by kind, then status changes."""
    if not counts and not later:
        return f"Nothing in the data changed since the previous report ({when})."
    listed = [f"{count} {text}" for text, count in counts]
    sentence = f"Since the previous report ({when}): " + (
        _join_plain(listed) if listed else "no change dated by the report date"
    )
    if later:
        sentence += f", and {later} change{'s' * (later != 1)} dated after the report date"
    moved = [f"{title} is now {_readable(after)} (was {_readable(before)})"
             for title, before, after in transitions]  # fmt: skip
    if moved:
        shown = moved[:NAMES_SHOWN]
        more = len(moved) - len(shown)
        sentence += "; " + "; ".join(shown) + (f"; and {more} more status changes" if more else "")
    return sentence + "."


def uncertain_named_sentence(status_table: pd.DataFrame, as_of: dt.date) -> str | None:
    """One sentence naming the agreements whose status on the date the sources leave open."""
    unsettled = status_table[~status_table["certain"] & (status_table["status"] != "none")]
    unsettled = unsettled if not unsettled.empty else status_table[~status_table["certain"]]
    if unsettled.empty:
        return None
    titles = [the(row.title) for row in unsettled.itertuples()]
    if len(titles) == 1:
        return (
            f"The sources leave open where {titles[0]} stood on {long_date(as_of)}: "
            f"{_readable(unsettled.iloc[0]['status'])}."
        )
    return (
        f"For {len(titles)} agreements the sources leave open where they stood on "
        f"{long_date(as_of)}: {named(titles)}."
    )


def conflict_named_sentence(conflicts: pd.DataFrame, titles: dict[str, str]) -> str | None:
    """How many disagreements between sources, and which agreements they concern most."""
    if conflicts.empty:
        return None
    total = len(conflicts)
    points = "one point" if total == 1 else f"{total:,} points"
    counts = conflicts["agreement_id"].dropna().value_counts()
    concerned = [the(titles.get(a, a)) for a in counts.index if a]
    about = f"; most concern {named(concerned)}" if concerned else ""
    return f"Sources disagree, or leave a question open, on {points}{about}."


def latest_event_named_sentence(
    events: pd.DataFrame, as_of: dt.date, titles: dict[str, str]
) -> str | None:
    """The most recent event that had certainly happened by as_of, with its agreement."""
    last = _latest_done_event(events, as_of)
    if last is None:
        return None
    summary = str(last["summary"]).rstrip(". ")
    agreement = titles.get(str(last["agreement_id"]), "") if pd.notna(last["agreement_id"]) else ""
    about = f"{agreement}, " if agreement else ""
    return f"The latest event on record: {summary} ({about}{human_date(str(last['date']))})."


def overview_findings(
    first: str,
    status_table: pd.DataFrame,
    as_of: dt.date,
    conflicts: pd.DataFrame,
    events: pd.DataFrame,
) -> list[str]:
    """Three to five findings: what changed first, then where each agreement stands."""
    claims = overview_claims(Claim(first), status_table, as_of, conflicts, events, {})
    return [claim.text for claim in claims]


def overview_claims(
    first: Claim,
    status_table: pd.DataFrame,
    as_of: dt.date,
    conflicts: pd.DataFrame,
    events: pd.DataFrame,
    refs_of: Mapping[str, tuple[Ref, ...]],
) -> list[Claim]:
    """overview_findings with the evidence of each: refs_of maps an agreement to the evidence of
    its status (report/citations.status_refs). A count over agreements cites every agreement
    counted (the most recent first); the conflicts sentence every conflict (those of the named
    agreements first); the latest event, that event."""
    titles = dict(zip(status_table["agreement_id"], status_table["title"], strict=True))
    started = status_table[status_table["current"] != "none"]
    started = started.sort_values("since", ascending=False, kind="stable")
    claims = [
        first.capped(STEPS_TABLE),
        Claim(
            named_status_sentence(status_table, as_of),
            agreements_refs(started["agreement_id"], refs_of),
        ).capped(STEPS_TABLE),
    ]
    uncertain = uncertain_named_sentence(status_table, as_of)
    if uncertain:
        unsettled = status_table[~status_table["certain"] & (status_table["status"] != "none")]
        unsettled = unsettled if not unsettled.empty else status_table[~status_table["certain"]]
        refs = agreements_refs(unsettled["agreement_id"], refs_of)
        claims.append(Claim(uncertain, refs).capped(STEPS_TABLE))
    disagreements = conflict_named_sentence(conflicts, titles)
    if disagreements:
        # The named agreements' conflicts; the count covers all, which the conflicts table lists.
        concerned = [a for a in conflicts["agreement_id"].dropna().value_counts().index if a]
        shown = concerned if len(concerned) <= NAMES_SHOWN + 1 else concerned[:NAMES_SHOWN]
        about = conflicts[conflicts["agreement_id"].isin(shown)] if shown else conflicts
        refs = conflicts_refs(about, shown)
        claim = Claim(disagreements, refs, len(conflicts) - len(about), CONFLICTS_TABLE)
        claims.append(claim.capped(CONFLICTS_TABLE))
    latest = latest_event_named_sentence(events, as_of, titles)
    if latest:
        last = _latest_done_event(events, as_of)
        assert last is not None
        claims.append(Claim(latest, (("event", str(last["event_id"])),)))
    return claims[:5]
