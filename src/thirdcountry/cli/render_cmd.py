"""`thirdcountry list` and `thirdcountry render`: the report notebooks, rendered to HTML and PDF.

Only argparse at import time: `thirdcountry --help` must stay fast. Everything else is imported
by the handlers.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from thirdcountry.errors import (
    EXIT_BAD_INPUT,
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_LOCKED,
    EXIT_OK,
    BadInput,
)

DEFAULT_TIMEOUT = 600.0
DEFAULT_WAIT = 60.0
DEFAULT_RETRIES = 1
DEFAULT_WORKER_WAIT = 120.0  # seconds: a worker restarting, or a batch system's next job
DEFAULT_PLAN_MARK = "(the project's reports.yml)"


def register(subparsers, common_parent: argparse.ArgumentParser) -> None:
    """Add the `list` and `render` subcommands to the thirdcountry parser."""
    from thirdcountry.cli.options import EPILOG, RENDER_EPILOG, add_subcommand
    from thirdcountry.render.pdf import CHROMIUM_UNTAGGED

    def add(
        name: str, help_text: str, description: str = "", epilog: str = EPILOG
    ) -> argparse.ArgumentParser:
        return add_subcommand(subparsers, common_parent, name, help_text, description, epilog)

    listing = add(
        "list", "the report notebooks and their parameters (type, default, values taken, help)"
    )
    listing.set_defaults(handler=cmd_list)

    render = add(
        "render",
        "render report notebooks to self-contained HTML and PDF",
        "Render one report (NOTEBOOK with -p parameters) or a plan of reports (--plan) into\n"
        "reports/<notebook>/<slug>/: report.html, report.pdf, report.ipynb and run.json.\n"
        "Parameters are checked before any kernel starts. A failed report keeps the previous\n"
        "good one in place; the failed run goes to reports/_failed/.\n\n"
        "Scheduled runs (cron, systemd, CI) add --if-changed: a report whose inputs (notebook,\n"
        "data, parameters, thirdcountry version) equal its last good run's is skipped, each\n"
        "report keeps a snapshot of its facts (facts.zip), and the overview's 'What changed'\n"
        "lists what was added or corrected since that report's previous good run. Each\n"
        "scheduled run also updates the change feeds reports/feed.atom and reports/feed.json\n"
        "(the last 200 changes; absolute links under --base-url). One run at a time per\n"
        "reports folder (its .lock); logs go to stderr, one line per event.",
        RENDER_EPILOG,
    )
    render.add_argument(
        "notebook",
        nargs="?",
        metavar="NOTEBOOK",
        help="a name from `thirdcountry list` (overview, country) or a path to a notebook",
    )
    render.add_argument(
        "-p",
        "--parameter",
        dest="parameters",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a notebook parameter (repeatable); lists as a,b or [a, b]",
    )
    render.add_argument(
        "--plan",
        nargs="?",
        const=DEFAULT_PLAN_MARK,
        metavar="FILE",
        help="render every report a plan lists (default file: the project's reports.yml)",
    )
    render.add_argument(
        "--dry-run",
        action="store_true",
        help="check the parameters (or plan) and list the reports it makes, with their folders "
        "and how many; render nothing",
    )
    render.add_argument(
        "--to",
        default="html,pdf",
        metavar="FORMATS",
        help="output formats, comma-separated: html, pdf (default: html,pdf)",
    )
    render.add_argument(
        "--out", metavar="DIR", help="reports folder (default: the project's reports/)"
    )
    render.add_argument(
        "--jobs",
        type=_positive_int,
        metavar="N",
        help="reports rendered at the same time (default: the number of cores); with "
        "--executor dask, the LocalCluster's worker processes",
    )
    render.add_argument(
        "--timeout",
        type=_positive_float,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"longest a report may run (default: {DEFAULT_TIMEOUT:g})",
    )
    render.add_argument(
        "--pdf-engine",
        choices=("weasyprint", "chromium"),
        default="weasyprint",
        help="how PDFs are printed (default: weasyprint, a tagged PDF/UA-1 document for screen "
        f"readers; chromium needs /usr/bin/chromium, and {CHROMIUM_UNTAGGED})",
    )
    render.add_argument(
        "--quiet", action="store_true", help="no progress display; log warnings and errors only"
    )
    scheduled = render.add_argument_group("scheduled runs")
    scheduled.add_argument(
        "--if-changed",
        action="store_true",
        help="skip reports whose inputs equal their last good run's; the overview's 'What "
        "changed' then covers what changed in the data since that run",
    )
    scheduled.add_argument(
        "--force",
        action="store_true",
        help="like --if-changed, but render every report even if unchanged",
    )
    scheduled.add_argument(
        "--keep",
        type=_positive_int,
        metavar="N",
        help="keep the last N good runs of each report under reports/_history/ (default: leave "
        "the history as it is; none is made)",
    )
    scheduled.add_argument(
        "--wait",
        type=_non_negative_float,
        default=DEFAULT_WAIT,
        metavar="SECONDS",
        help=f"how long to wait for another run using the reports folder before giving up with "
        f"exit code 3 (default: {DEFAULT_WAIT:g})",
    )
    scheduled.add_argument(
        "--base-url",
        metavar="URL",
        help="where the reports folder is published, for the change feeds' absolute links and "
        "ids (reports/feed.atom, reports/feed.json, written by every scheduled run); default: "
        "$THIRDCOUNTRY_BASE_URL, else none: links relative to the reports folder",
    )
    scheduled.add_argument(
        "--log-json",
        action="store_true",
        help="log to stderr as JSON, one object a line (default: plain lines with timestamps)",
    )
    cluster = render.add_argument_group("on a Dask cluster (see docs/scale-out.md)")
    cluster.add_argument(
        "--executor",
        choices=("pool", "dask"),
        help="pool: worker processes on this machine (the default); dask: a Dask LocalCluster "
        "started for the run (--jobs processes), or the scheduler --scheduler names",
    )
    cluster.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="render on a running Dask scheduler's workers, e.g. tcp://127.0.0.1:8786 (implies "
        "--executor dask; each worker needs this thirdcountry version installed, nothing else)",
    )
    cluster.add_argument(
        "--retries",
        type=_non_negative_int,
        metavar="N",
        help=f"Dask: times a report is sent again when its worker dies while rendering it "
        f"(default: {DEFAULT_RETRIES})",
    )
    cluster.add_argument(
        "--worker-wait",
        type=_positive_float,
        metavar="SECONDS",
        help=f"Dask: how long a scheduler may have no worker: at the start (exit 2 after it), "
        f"and during the run (every worker lost, or the scheduler gone), after which the reports "
        f"not yet made are recorded as failed; the reports already made stay "
        f"(default: {DEFAULT_WORKER_WAIT:g})",
    )
    render.set_defaults(handler=cmd_render)


def _whole_number(text: str, least: int, too_small: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < least:
        raise argparse.ArgumentTypeError(f"{text!r} {too_small}")
    return value


def _positive_int(text: str) -> int:
    return _whole_number(text, 1, "must be at least 1")


def _non_negative_int(text: str) -> int:
    return _whole_number(text, 0, "must be 0 or more")


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be more than 0")
    return value


def _non_negative_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be 0 or more")
    return value


def _base_url(given: str | None) -> tuple[str, str | None]:
    """(the feeds' base URL, ending in '/', or a problem): --base-url, else the environment's,
    else "" (the feeds' links are then relative)."""
    import os
    from urllib.parse import urlsplit

    from thirdcountry.paths import BASE_URL_ENV, DEFAULT_BASE_URL

    source = "--base-url"
    if not given:
        given, source = os.environ.get(BASE_URL_ENV, ""), f"${BASE_URL_ENV}"
    if not given:
        return DEFAULT_BASE_URL, None
    parts = urlsplit(given.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        return DEFAULT_BASE_URL, (
            f"{source}: {given!r} is not an absolute http(s) address of a folder, such as "
            "https://reports.example.org/thirdcountry/"
        )
    return given.strip().rstrip("/") + "/", None


def _bad_input(args, error: BadInput) -> int:
    """Refuse the input: one line per problem, then the log's ERROR line that ends the run.

    With --log-json every problem is a JSON object (event 'bad-input') and the run's 'end'
    event says exit 2, like every other way a render ends."""
    from thirdcountry.render.log import RunLog

    log = RunLog(json_lines=args.log_json, level="warning" if args.quiet else "info")
    count = len(error.problems)
    if args.log_json:
        for problem in error.problems:
            log.error("bad-input", f"thirdcountry render: {problem}", problem=str(problem))
    else:
        for line in error.lines("thirdcountry render"):
            print(line, file=sys.stderr)
    log.error(
        "end",
        f"render stopped: {count} problem{'s' * (count != 1)} in the input, nothing was "
        f"rendered; exit {EXIT_BAD_INPUT}",
        problems=count,
        exit=EXIT_BAD_INPUT,
    )
    return EXIT_BAD_INPUT


# ---- list ------------------------------------------------------------------------------------


def cmd_list(args) -> int:
    from thirdcountry.cli.output import write_rows
    from thirdcountry.render.notebooks import report_notebooks
    from thirdcountry.report.parameters import parameter_lines

    rows = []
    for notebook in report_notebooks():
        for name, kind, default, values, note in parameter_lines(notebook.model):
            rows.append(
                (notebook.name, name, kind, repr(default) if args.format == "table" else default,
                 values, note)
            )  # fmt: skip
        if not notebook.parameters:
            rows.append((notebook.name, "", "", "", "", "(no parameters)"))
    write_rows(["notebook", "parameter", "type", "default", "values", "help"], rows, args.format)
    return EXIT_OK


# ---- render ----------------------------------------------------------------------------------


def cmd_render(args) -> int:
    """Render; Ctrl-C or SIGTERM at any point stops the workers and removes temp files (130)."""
    try:
        with _sigterm_as_interrupt():
            return _render(args)
    except KeyboardInterrupt:
        print("thirdcountry render: interrupted; no report was left half-written", file=sys.stderr)
        return EXIT_INTERRUPTED


def _render(args) -> int:
    from thirdcountry.paths import DEFAULT_PLAN, PROJECT_ROOT, REPORTS_DIR, resolve_data_dir
    from thirdcountry.render.checks import parse_assignments
    from thirdcountry.render.notebooks import find_notebook
    from thirdcountry.render.pdf import PdfEngineError, check_engine

    problems = []
    if args.notebook and args.plan:
        problems.append("give either a NOTEBOOK or --plan, not both")
    if not args.notebook and not args.plan:
        problems.append("give a NOTEBOOK (see `thirdcountry list`) or --plan FILE")
    if args.plan and args.parameters:
        problems.append("-p applies to a single NOTEBOOK; a plan lists its own parameters")
    formats = tuple(dict.fromkeys(f.strip() for f in args.to.split(",") if f.strip()))
    if not formats or set(formats) - {"html", "pdf"}:
        problems.append(f"--to: {args.to!r}: choose html, pdf or html,pdf")
    if "pdf" in formats:
        try:
            check_engine(args.pdf_engine)
        except PdfEngineError as exc:
            problems.append(str(exc))
    executor = "dask" if args.scheduler else args.executor or "pool"
    if args.scheduler is not None and args.executor == "pool":
        problems.append("--scheduler sends reports to a Dask cluster: leave out --executor pool")
    elif args.scheduler is not None:
        from thirdcountry.render.cluster import scheduler_address

        try:
            scheduler_address(args.scheduler)
        except BadInput as exc:
            problems.extend(exc.problems)
    for option, value in (("--retries", args.retries), ("--worker-wait", args.worker_wait)):
        if value is not None and executor != "dask":
            problems.append(f"{option} applies to a Dask run (--executor dask or --scheduler)")
    base_url, problem = _base_url(args.base_url)
    if problem:
        problems.append(problem)
    if problems:
        return _bad_input(args, BadInput(problems))

    from thirdcountry.facts import load_facts
    from thirdcountry.render.plan import load_plan, single_job

    data_dir = resolve_data_dir(args.data)
    out = Path(args.out).expanduser().resolve() if args.out else REPORTS_DIR
    if out == data_dir or data_dir in out.parents:
        return _bad_input(
            args, BadInput(f"--out: {args.out}: reports never go under the data folder")
        )
    scheduled = args.if_changed or args.force
    facts = None
    try:
        if args.plan or scheduled or executor == "dask":
            # A plan's from-data needs the facts; a scheduled run needs their hash before it can
            # tell what to skip (and keeps a snapshot of them); Dask workers are sent them. Bad
            # data is exit 2 either way.
            facts = load_facts(data_dir)
        if args.plan:
            plan_path = DEFAULT_PLAN if args.plan == DEFAULT_PLAN_MARK else Path(args.plan)
            jobs = load_plan(plan_path, facts)
        else:
            notebook = find_notebook(args.notebook)
            jobs = [single_job(notebook, parse_assignments(args.parameters))]
    except BadInput as exc:  # only these: any other exception is a bug, with its traceback
        return _bad_input(args, exc)
    if args.dry_run:
        return _print_plan(jobs, args.format, out, PROJECT_ROOT)

    from thirdcountry.render.batch import render_reports
    from thirdcountry.render.jobs import DataInfo, Settings, data_info, default_jobs
    from thirdcountry.render.log import RunLog
    from thirdcountry.render.outputs import Layout, LockBusy
    from thirdcountry.render.progress import Progress

    settings = Settings(
        layout=Layout(out),
        data=data_info(facts) if facts is not None else DataInfo(data_dir, "", None),
        formats=formats,
        pdf_engine=args.pdf_engine,
        timeout=args.timeout,
        jobs=args.jobs or default_jobs(),
        if_changed=args.if_changed,
        force=args.force,
        keep=args.keep,
        wait=args.wait,
        executor=executor,
        scheduler=args.scheduler,
        retries=DEFAULT_RETRIES if args.retries is None else args.retries,
        worker_wait=DEFAULT_WORKER_WAIT if args.worker_wait is None else args.worker_wait,
        base_url=base_url,
    )
    # One report: its kernel boots while the fact base is checked (a bad one is still exit 2,
    # with nothing rendered or written).
    check_data = None if facts is not None else (lambda: load_facts(data_dir))
    progress = None if args.quiet or args.log_json else Progress()
    log = RunLog(
        json_lines=args.log_json,
        level="warning" if args.quiet else "info",
        progress=progress if progress is not None and progress.live else None,
        root=out,
    )
    mode = "if-changed" if args.if_changed and not args.force else "force" if scheduled else ""
    noun = "report" if len(jobs) == 1 else "reports"
    log.info(
        "start",
        f"render started: {len(jobs)} {noun}, out={_shown(out, PROJECT_ROOT)}, "
        f"data={data_dir.name}"
        + (f" {facts.content_hash}" if facts is not None else "")
        + (f", {mode}" if mode else ""),
        reports=len(jobs),
        out=_shown(out, PROJECT_ROOT),
        data=data_dir.name,
        data_hash=facts.content_hash if facts is not None else None,
        mode=mode or "always",
    )
    if scheduled and not base_url:  # said once a run, where the feeds are written
        log.info(
            "relative-feed-links",
            "no --base-url (or $THIRDCOUNTRY_BASE_URL): the change feeds link to the reports "
            "relative to the reports folder; give --base-url for absolute links",
        )
    try:
        summary = render_reports(jobs, settings, log, check_data=check_data, facts=facts)
    except BadInput as exc:  # the fact base, checked while the first kernel started
        if progress is not None:
            progress.close()
        return _bad_input(args, exc)
    except LockBusy as exc:
        message = (
            f"another run is using {_shown(out, PROJECT_ROOT)} (it holds "
            f"{_shown(exc.lock, PROJECT_ROOT)}); gave up after waiting {exc.waited:g} s. "
            "Nothing was rendered; try again later or give a longer --wait"
        )
        log.error("locked", message, lock=_shown(exc.lock, PROJECT_ROOT), waited=exc.waited)
        return EXIT_LOCKED
    except OSError as exc:
        # A full disk or a file where a folder belongs: one line, and the old reports stay.
        where = (
            _shown(Path(exc.filename), PROJECT_ROOT) if exc.filename else _shown(out, PROJECT_ROOT)
        )
        message = (
            f"cannot write the reports: {where}: {exc.strerror or exc}. "
            "The previous reports were left as they were"
        )
        log.error("write-failed", message, path=where, error=exc.strerror or str(exc))
        return EXIT_FAILED
    finally:
        if progress is not None:
            progress.close()
    code = _print_summary(summary, len(jobs), PROJECT_ROOT)
    counts = {"ok": len(summary.rendered) - len(summary.failed), "failed": len(summary.failed),
              "skipped": len(summary.skipped)}  # fmt: skip
    level = "error" if summary.failed or summary.interrupted else "info"
    log.log(
        level,
        "end",
        f"render finished in {summary.seconds:.1f} s: {counts['ok']} ok, {counts['failed']} "
        f"failed, {counts['skipped']} skipped; exit {code}",
        seconds=round(summary.seconds, 2),
        exit=code,
        **counts,
    )
    return code


def _print_plan(jobs, output_format: str, out: Path, project_root: Path) -> int:
    """--dry-run: the reports a run would make, one row each, then how many (table format)."""
    from collections import Counter

    from thirdcountry.cli.output import write_rows

    rows = [
        (
            job.label,
            ", ".join(f"{name}={_value_text(value)}" for name, value in job.parameters.items())
            or "(defaults)",
            job.series["period"] if job.series else "",
        )
        for job in jobs
    ]
    write_rows(["report", "parameters", "period"], rows, output_format)
    if output_format == "table":
        noun = "report" if len(jobs) == 1 else "reports"
        counts = Counter(job.notebook for job in jobs)
        by_notebook = ", ".join(f"{name} {count}" for name, count in counts.items())
        print(f"\n{len(jobs)} {noun} ({by_notebook}) into {_shown(out, project_root)}; "
              "nothing rendered (--dry-run)")  # fmt: skip
    return EXIT_OK


def _value_text(value: object) -> str:
    return ",".join(map(str, value)) if isinstance(value, list | tuple) else str(value)


def _print_summary(summary, planned: int, project_root: Path) -> int:
    rendered = summary.rendered
    ok = len(rendered) - len(summary.failed)
    counts = f"{ok} ok" + (f", {len(summary.failed)} failed" if summary.failed else "")
    if summary.skipped:
        counts += f", {len(summary.skipped)} skipped (unchanged; --force renders anyway)"
    noun = "report" if planned == 1 else "reports"
    print(f"rendered {len(rendered)} of {planned} {noun} in {summary.seconds:.1f} s: {counts}")
    for result in summary.results:
        if result.outcome == "ok" and planned <= 3:
            print(f"  {result.label}: {_shown(result.where, project_root)}")
        elif result.outcome == "skipped" and planned <= 3:
            print(f"  {result.label}: unchanged since its good run of {result.previous}")
    for result in summary.failed:
        where = _shown(result.where / "report.html", project_root) if result.where else ""
        print(f"  {result.outcome.upper()} {result.label}: {result.error or ''}")
        if where:
            print(f"    the failed run: {where}")
    if summary.index is not None:
        print(f"index: {_shown(summary.index, project_root)}")
    if summary.interrupted:
        print("interrupted: the reports not yet finished were not written", file=sys.stderr)
        return EXIT_INTERRUPTED
    return EXIT_FAILED if summary.failed else EXIT_OK


def _shown(path: Path | None, project_root: Path) -> str:
    if path is None:
        return ""
    for base in (Path.cwd(), project_root):
        try:
            return str(path.relative_to(base))
        except ValueError:
            continue
    return str(path)


class _sigterm_as_interrupt:
    """SIGTERM (e.g. from a scheduler) stops a render like Ctrl-C: workers stopped, temp removed."""

    def __enter__(self):
        import signal

        def interrupt(signum, frame):
            raise KeyboardInterrupt

        try:
            self._previous = signal.signal(signal.SIGTERM, interrupt)
        except ValueError:  # not the main thread
            self._previous = None
        return self

    def __exit__(self, *exc_info):
        import signal

        if self._previous is not None:
            signal.signal(signal.SIGTERM, self._previous)
        return False
