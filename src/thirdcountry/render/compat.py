"""Every private API of another package the render layer relies on, each with why, in one place.

They work with the versions in WRITTEN_FOR (tests/test_compat.py fails when an installed
version differs, so an upgrade is a reminder to re-check this list, and when one of them is gone).

- `sys.modules[name] = None` (jsonschema, for rfc3987-syntax): nbformat imports jsonschema,
  which builds an IRI grammar for 0.7 s on import; jsonschema imports that package optionally,
  and nothing here validates `iri`.
- `KernelClient._handle_kernel_info_reply` (jupyter_client): a spare kernel's client records the
  kernel's protocol version as `wait_for_ready` would, without its fixed 0.2 s of IOPub silence.
- `NotebookClient._async_cleanup_kernel` (nbclient): shuts down a spare kernel that failed to
  answer, as nbclient does for its own.
- `NotebookClient._async_handle_timeout` (nbclient, overridden in render.execute): the only
  place to learn that the report's deadline, not the notebook, stopped a cell.
- `papermill.clientwrap.PapermillNotebookClient` (papermill): our engine keeps papermill's cell
  bookkeeping (error banner, metadata) and adds the kernel's environment and the deadline.
- `papermill.execute.ERROR_MARKER_TAG` (papermill): the banner we add where papermill could not
  (a kernel that never started) is tagged like papermill's own.
- `TemplateExporter._init_resources` and the instance's `_nb_metadata` (nbconvert): an
  HTMLExporter without its BeautifulSoup pass, which overwrites our images' alt text.
- `ProcessPoolExecutor._processes` (concurrent.futures): Ctrl-C must stop the worker processes
  (and their kernels) at once; the pool has no public way to reach them.
"""

from __future__ import annotations

import sys
from typing import Any

WRITTEN_FOR = {
    "jsonschema": "4.26.0",
    "jupyter_client": "8.10.0",
    "nbclient": "0.11.0",
    "nbconvert": "7.17.2",
    "papermill": "2.7.0",
}

# (module, attribute path) of each private name used; tests/test_compat.py checks they exist.
PRIVATE_NAMES = (
    ("jupyter_client.client", "KernelClient._handle_kernel_info_reply"),
    ("nbclient.client", "NotebookClient._async_cleanup_kernel"),
    ("nbclient.client", "NotebookClient._async_handle_timeout"),
    ("papermill.clientwrap", "PapermillNotebookClient"),
    ("papermill.execute", "ERROR_MARKER_TAG"),
    ("nbconvert.exporters.templateexporter", "TemplateExporter._init_resources"),
)


def mark_module_absent(name: str) -> None:
    """Make `import name` fail in this process (for a package imported only optionally)."""
    sys.modules.setdefault(name, None)  # type: ignore[arg-type]


def record_kernel_info(client: Any, reply: dict) -> None:
    """What jupyter_client does with a kernel_info reply (the protocol version, and so on)."""
    client._handle_kernel_info_reply(reply)


async def cleanup_kernel(notebook_client: Any) -> None:
    """Shut down the kernel an nbclient NotebookClient set up, as nbclient does on failure."""
    await notebook_client._async_cleanup_kernel()


def error_marker_tag() -> str:
    """The tag of papermill's "An Exception was encountered" banner cell."""
    from papermill.execute import ERROR_MARKER_TAG

    return ERROR_MARKER_TAG


def papermill_notebook_client() -> type:
    from papermill.clientwrap import PapermillNotebookClient

    return PapermillNotebookClient


def exporter_resources(exporter: Any, resources: dict | None) -> dict:
    """TemplateExporter's resources for a notebook, as from_notebook_node prepares them."""
    return exporter._init_resources(resources)


def exporter_notebook_metadata(exporter: Any) -> Any:
    return exporter._nb_metadata


def pool_processes(pool: Any) -> list:
    """The worker processes of a ProcessPoolExecutor (none once it has shut down)."""
    return list((getattr(pool, "_processes", None) or {}).values())
