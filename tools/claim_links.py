"""Count the claims of rendered reports that link to their evidence, and the internal links that
lead nowhere.

    .venv/bin/python tools/claim_links.py reports/overview/default/report.html [...]

Exit 1 if a claim has no evidence link, an internal link has no target, or an id repeats.
"""

from __future__ import annotations

import sys
from pathlib import Path

from thirdcountry.report.claim_check import check_links


def main(paths: list[str]) -> int:
    status = 0
    for path in paths:
        found = check_links(Path(path).read_text(encoding="utf-8"))
        sys.stdout.write(
            f"{path}: {len(found.claims)} claims, {found.linked} linked, {found.unlinked} not; "
            f"{len(found.hrefs)} internal links, {len(found.unresolved)} without a target; "
            f"{len(found.duplicate_ids)} repeated ids\n"
        )
        for href in found.unresolved[:20]:
            sys.stdout.write(f"  no element has id {href!r}\n")
        if found.unlinked or found.unresolved or found.duplicate_ids:
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
