"""The committed snapshot of every contract's data schema (libs/contracts/
schema-snapshot.json) that the compatibility test compares the contracts with (I-4).

    python -m dinghuo_contracts.snapshot           # write it (make contracts)
    python -m dinghuo_contracts.snapshot --check   # breaking changes / stale snapshot

Writing it is the deliberate act that accepts the contracts as they are; it prints the
breaking changes it accepts, if any.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from .compat import contract_breaking_changes
from .schemas import all_data_schemas

SNAPSHOT = Path(__file__).resolve().parents[2] / "schema-snapshot.json"
COMMENT = ("The data JSON Schema of every (event type, version), as last accepted with "
           "`make contracts`. libs/contracts/tests/test_snapshot.py fails on a breaking "
           "change against it. Do not edit.")


def current() -> dict[str, Any]:
    return {"$comment": COMMENT, "events": all_data_schemas()}


def render(snapshot: dict[str, Any] | None = None) -> str:
    return json.dumps(snapshot if snapshot is not None else current(), indent=2,
                      sort_keys=True, ensure_ascii=False) + "\n"


def load(path: Path = SNAPSHOT) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true",
                        help="report breaking changes and a stale snapshot; write nothing")
    parser.add_argument("--path", type=Path, default=SNAPSHOT)
    args = parser.parse_args(argv)
    now = current()
    old = load(args.path)["events"] if args.path.exists() else {}
    breaking = contract_breaking_changes(old, now["events"])
    if args.check:
        for problem in breaking:
            print(f"breaking: {problem}", file=sys.stderr)
        stale = args.path.exists() and args.path.read_text(encoding="utf-8") != render(now)
        if stale or not args.path.exists():
            print(f"{args.path} is not the current contracts: run `make contracts`",
                  file=sys.stderr)
        if breaking or stale or not args.path.exists():
            return 1
        print(f"{args.path} is up to date; no breaking change")
        return 0
    for problem in breaking:
        print(f"accepting a BREAKING change: {problem}", file=sys.stderr)
    args.path.write_text(render(now), encoding="utf-8")
    print(f"wrote {args.path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
