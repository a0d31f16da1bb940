"""The analysis layer: statuses, histories, conflicts and selections derived from the facts."""

from thirdcountry.analysis.changes import (
    changes_since_date,
    compare_fact_bases,
    events_between,
    status_transitions,
)
from thirdcountry.analysis.conflicts import all_conflicts, conflict_sides
from thirdcountry.analysis.coverage import Horizon, checked_to, coverage_checks, horizon
from thirdcountry.analysis.data_quality import spelling_variants, unchecked_quotes
from thirdcountry.analysis.evidence import (
    STALE_AFTER_DAYS,
    last_evidence,
    latest_event_date,
    not_confirmed_since,
)
from thirdcountry.analysis.figures import (
    cost_per_person,
    figure_table,
    latest_steps,
    running_totals,
    select_figures,
)
from thirdcountry.analysis.query import agreements_of_countries, select_events
from thirdcountry.analysis.short_names import short_names
from thirdcountry.analysis.status import NO_STATUS, history_as_of, status_as_of, status_history
from thirdcountry.analysis.steps import lifecycle_steps
from thirdcountry.analysis.verification import NEVER_VERIFIED, last_verified, verification_log

__all__ = [
    "NEVER_VERIFIED",
    "NO_STATUS",
    "STALE_AFTER_DAYS",
    "Horizon",
    "agreements_of_countries",
    "all_conflicts",
    "changes_since_date",
    "checked_to",
    "compare_fact_bases",
    "conflict_sides",
    "cost_per_person",
    "coverage_checks",
    "events_between",
    "figure_table",
    "history_as_of",
    "horizon",
    "last_evidence",
    "last_verified",
    "latest_event_date",
    "latest_steps",
    "lifecycle_steps",
    "not_confirmed_since",
    "running_totals",
    "select_events",
    "select_figures",
    "short_names",
    "spelling_variants",
    "status_as_of",
    "status_history",
    "status_transitions",
    "unchecked_quotes",
    "verification_log",
]
