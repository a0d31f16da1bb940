"""What a render tells its progress callback (render.log, render.progress): one member of
ProgressEvent and a dict of its details. The values are the names the JSON log shows."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum


class ProgressEvent(StrEnum):
    WAITING = "waiting"  # another run holds the reports folder's lock: lock, wait
    START = "start"  # the batch starts: total, workers, skipped
    SKIPPED = "skipped"  # a report unchanged since its last good run: result
    TICK = "tick"  # about once a second while reports run: running (their labels)
    DONE = "done"  # a report rendered or failed: result
    FEED = "feed"  # the change feeds were updated: update (render.feed_files.FeedUpdate)
    # Dask (render.cluster)
    WAITING_WORKERS = "waiting-workers"  # no worker yet: scheduler, wait
    CLUSTER = "cluster"  # the cluster is ready: scheduler, workers, local
    RETRY = "retry"  # a report's worker was lost, sent again: label, reason, attempt, retries
    REFUSED = "refused"  # a worker with other code: worker, reason
    NO_WORKERS = "no-workers"  # no worker for --worker-wait: reason, left


Notify = Callable[[ProgressEvent, dict], None]
