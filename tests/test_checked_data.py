"""A render checks the fact base once; its kernels skip the checks across rows only for that very
content (paths.CHECKED_DATA_ENV), and every report's plan hands them its hash."""

from __future__ import annotations

import pandas as pd
import pytest

from thirdcountry.facts import FactBaseError, load_facts
from thirdcountry.paths import CHECKED_DATA_ENV


def broken_across_rows(data):
    """An event of an agreement the fact base does not have: each file reads and types well."""
    events = pd.read_csv(data / "events.csv", dtype=str, keep_default_na=False)
    events.loc[0, "agreement_id"] = "us-nowhere"
    events.to_csv(data / "events.csv", index=False, lineterminator="\n")
    return data


def test_the_checks_across_rows_are_skipped_only_for_the_content_checked(good_dir, monkeypatch):
    good_hash = load_facts(good_dir).content_hash
    broken_across_rows(good_dir)
    monkeypatch.setenv(CHECKED_DATA_ENV, good_hash)  # checked: another content
    with pytest.raises(FactBaseError, match="us-nowhere"):
        load_facts(good_dir)
    broken_hash = load_facts(good_dir, validate=False).content_hash
    monkeypatch.setenv(CHECKED_DATA_ENV, broken_hash)
    assert load_facts(good_dir).content_hash == broken_hash
    monkeypatch.delenv(CHECKED_DATA_ENV)
    with pytest.raises(FactBaseError, match="us-nowhere"):
        load_facts(good_dir)


def test_every_report_of_a_render_is_told_the_content_it_checked(good_dir, tmp_path):
    from thirdcountry.render import job_planning, outputs
    from thirdcountry.render.jobs import Settings, data_info
    from thirdcountry.render.notebooks import find_notebook
    from thirdcountry.render.plan import single_job

    facts = load_facts(good_dir)
    settings = Settings(layout=outputs.Layout(tmp_path / "reports"), data=data_info(facts))
    jobs = [single_job(find_notebook("overview"), {}),
            single_job(find_notebook("agreement"), {"agreement": "us-gtm"})]  # fmt: skip
    plans, _ = job_planning.plan_jobs(jobs, settings, facts)
    assert [plan.env[CHECKED_DATA_ENV] for plan in plans.values()] == [facts.content_hash] * 2
