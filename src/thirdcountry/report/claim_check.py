"""Checking a report's HTML: does every claim link to its evidence, and does every internal link
(`href="#..."`) lead to an element of the page? Used by the tests and by `tools/claim_links.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

from thirdcountry.report.safe_html import CLAIM_CLASS

# Elements that may carry the claim class, or hold one (closing them closes what they hold).
BLOCKS = ("li", "td", "th", "p", "tr", "span", "div", "ul", "ol", "table", "tbody", "thead")


@dataclass
class LinkCheck:
    ids: list[str] = field(default_factory=list)
    hrefs: list[str] = field(default_factory=list)  # internal targets, without '#'
    claims: list[bool] = field(default_factory=list)  # one per claim: holds an internal link?

    @property
    def linked(self) -> int:
        return self.claims.count(True)

    @property
    def unlinked(self) -> int:
        return self.claims.count(False)

    @property
    def unresolved(self) -> list[str]:
        """Internal links whose target no element has, each once."""
        known = set(self.ids)
        return sorted({href for href in self.hrefs if href not in known})

    @property
    def duplicate_ids(self) -> list[str]:
        counts: dict[str, int] = {}
        for element_id in self.ids:
            counts[element_id] = counts.get(element_id, 0) + 1
        return sorted(element_id for element_id, count in counts.items() if count > 1)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found = LinkCheck()
        self._open: list[tuple[str, bool]] = []  # (tag, is a claim)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            self.found.ids.append(attributes["id"] or "")
        href = attributes.get("href") or ""
        if tag == "a" and href.startswith("#"):
            self.found.hrefs.append(href[1:])
            if any(claim for _, claim in self._open):  # claims never nest
                self.found.claims[-1] = True
        if tag in BLOCKS:
            claim = CLAIM_CLASS in (attributes.get("class") or "").split()
            if claim:
                self.found.claims.append(False)
            self._open.append((tag, claim))

    def handle_endtag(self, tag):
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index][0] == tag:
                del self._open[index:]
                break


def check_links(markup: str) -> LinkCheck:
    """The ids, internal links and claims (with whether each is linked) of some HTML."""
    parser = _Parser()
    parser.feed(markup)
    parser.close()
    return parser.found
