"""How well `thirdcountry draft` reads real articles: precision and recall on tests/draft_cases/.

Each case is a short verbatim excerpt of a real article (wire or news) with the rows an editor
expects, written before `draft` was run on it. For each case the draft is scored on five things:

- dates: (sentence, date) of every candidate that has a date; an expected sentence without a
  date that gets one is a false positive, and so is a date on a sentence not listed at all;
- kinds: (sentence, kind) for kinds other than claim, statement and photo (the default kinds
  carry no information); a typed kind on a sentence not listed is a false positive;
- agreements: (sentence, agreement id); `new` in a case is matched by an agreement the draft
  proposes;
- figures: (measure, value, unit, qualifier) of every proposed figure row;
- entities: ids of the known entities the candidates name (countries aside) and of the
  proposed new ones.

Datelines are scored as accuracy: the agency the draft takes for the publisher.

    .venv/bin/python bench/draft_quality.py [--holdout] [--verbose] [--case NAME] [--json FILE]

--holdout scores tests/draft_cases/holdout/ instead: articles whose expected rows were written
after the rules were tuned on the main set, so their score shows what carries over.

No timing: this measures quality, and runs in a few seconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

CASES_DIR = Path(__file__).resolve().parent.parent / "tests" / "draft_cases"
HOLDOUT_DIR = CASES_DIR / "holdout"  # written after the rules were tuned on CASES_DIR
MEASURES = ("dates", "kinds", "agreements", "figures", "entities")
UNTYPED_KINDS = frozenset({"claim", "statement", "photo", ""})


@dataclass
class Score:
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        found = self.true_positive + self.false_positive
        return self.true_positive / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positive + self.false_negative
        return self.true_positive / expected if expected else 1.0

    def add(self, expected: set, predicted: set, label: str) -> None:
        self.true_positive += len(expected & predicted)
        extra, missing = predicted - expected, expected - predicted
        self.false_positive += len(extra)
        self.false_negative += len(missing)
        self.misses += [f"{label}: unexpected {item}" for item in sorted(extra, key=str)]
        self.misses += [f"{label}: missing {item}" for item in sorted(missing, key=str)]


@dataclass
class Result:
    scores: dict[str, Score]
    datelines_right: int
    datelines: int
    cases: int


def load_cases(directory: Path = CASES_DIR, only: str | None = None) -> list[dict]:
    import yaml

    cases = []
    for path in sorted(directory.glob("*.yaml")):
        if only and only not in path.stem:
            continue
        case = yaml.safe_load(path.read_text(encoding="utf-8"))
        case["name"] = path.stem
        if isinstance(case["published"], str):
            case["published"] = dt.date.fromisoformat(case["published"])
        cases.append(case)
    return cases


def score_cases(cases: Iterable[dict], facts) -> Result:
    from thirdcountry.analysis.draft import draft_events

    scores = {name: Score() for name in MEASURES}
    right = total = count = 0
    for case in cases:
        count += 1
        draft = draft_events(case["text"], case["published"], facts, case["name"][:40])
        score_case(case, draft, scores)
        total += 1
        right += int(getattr(draft, "publisher", "") == (case.get("publisher") or ""))
        if getattr(draft, "publisher", "") != (case.get("publisher") or ""):
            scores["dates"].misses.append(
                f"{case['name']}: publisher {getattr(draft, 'publisher', '')!r}, "
                f"expected {case.get('publisher')!r}"
            )
    return Result(scores, right, total, count)


def score_case(case: dict, draft, scores: dict[str, Score]) -> None:
    name = case["name"]
    events = case.get("events") or []
    proposed_agreements = {a.agreement_id for a in draft.agreements}

    def which(quote: str) -> int | None:
        text = _flat(quote)
        for index, event in enumerate(events):
            if _flat(event["quote"]) in text:
                return index
        return None

    expected: dict[str, set] = {m: set() for m in ("dates", "kinds", "agreements")}
    predicted: dict[str, set] = {m: set() for m in ("dates", "kinds", "agreements")}
    for index, event in enumerate(events):
        if event.get("date"):
            expected["dates"].add((index, str(event["date"])))
        if event.get("kind") not in UNTYPED_KINDS:
            expected["kinds"].add((index, event["kind"]))
        for agreement in str(event.get("agreement") or "").split("|"):
            if agreement:
                expected["agreements"].add((index, agreement))
    for candidate in draft.candidates:
        index = which(candidate.quote)
        key = index if index is not None else f"sentence {candidate.sentence}"
        if candidate.date:
            predicted["dates"].add((key, candidate.date))
        if candidate.kind not in UNTYPED_KINDS:
            predicted["kinds"].add((key, candidate.kind))
        if candidate.agreement_id:
            agreement = candidate.agreement_id
            if agreement in proposed_agreements:
                agreement = "new"
            predicted["agreements"].add((key, agreement))
    for measure in ("dates", "kinds", "agreements"):
        scores[measure].add(expected[measure], predicted[measure], name)

    expected_figures = {
        (f["measure"], float(f["value"]), f["unit"], f["qualifier"])
        for f in case.get("figures") or []
    }
    predicted_figures = {
        (f.measure, float(f.value), f.unit, f.qualifier) for f in getattr(draft, "figures", [])
    }
    scores["figures"].add(expected_figures, predicted_figures, name)

    known = {e for c in draft.candidates for e in c.entities}
    proposed = {e.entity_id for e in draft.entities}
    scores["entities"].add(set(case.get("entities") or []), known | proposed, name)


def _flat(text: str) -> str:
    text = text.replace("“", '"').replace("”", '"').replace("’", "'").replace("‘", "'")
    return re.sub(r"\s+", " ", text).strip().casefold()


def table(result: Result, folder: str = "tests/draft_cases/") -> str:
    lines = [
        f"Draft quality on {result.cases} stored articles ({folder})",
        "",
        "| measure | precision | recall | true pos. | false pos. | false neg. |",
        "|---|---|---|---|---|---|",
    ]
    for name in MEASURES:
        s = result.scores[name]
        lines.append(
            f"| {name} | {s.precision:.2f} | {s.recall:.2f} | {s.true_positive} | "
            f"{s.false_positive} | {s.false_negative} |"
        )
    lines.append("")
    lines.append(
        f"datelines (publisher from the agency): {result.datelines_right}/{result.datelines}"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="list every miss")
    parser.add_argument("--case", metavar="NAME", help="only cases whose file name has NAME")
    parser.add_argument("--json", metavar="FILE", help="also write the scores as JSON")
    parser.add_argument(
        "--holdout",
        action="store_true",
        help="score the held-out cases (tests/draft_cases/holdout/)",
    )
    args = parser.parse_args(argv)

    from thirdcountry.facts import load_facts

    facts = load_facts(None)
    folder = HOLDOUT_DIR if args.holdout else CASES_DIR
    result = score_cases(load_cases(folder, only=args.case), facts)
    print(table(result, f"{folder.relative_to(CASES_DIR.parent.parent)}/"))
    if args.verbose:
        for name in MEASURES:
            for miss in result.scores[name].misses:
                print(f"  {name}: {miss}")
    if args.json:
        document = {
            name: {
                "precision": round(s.precision, 3),
                "recall": round(s.recall, 3),
                "true_positive": s.true_positive,
                "false_positive": s.false_positive,
                "false_negative": s.false_negative,
            }
            for name, s in result.scores.items()
        }
        document["datelines"] = {"right": result.datelines_right, "of": result.datelines}
        Path(args.json).write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
