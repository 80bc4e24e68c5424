"""The contracts against the committed snapshot (I-4): no published (type, version)
changes incompatibly or disappears; a breaking change is a new version. The snapshot is
regenerated deliberately with `make contracts`."""

from __future__ import annotations

from dinghuo_contracts import REGISTRY
from dinghuo_contracts.compat import contract_breaking_changes
from dinghuo_contracts.snapshot import SNAPSHOT, current, load, render


def test_no_contract_changed_incompatibly_since_the_snapshot_I4():
    problems = contract_breaking_changes(load()["events"], current()["events"])
    assert not problems, (
        "Breaking changes to published event contracts:\n  " + "\n  ".join(problems)
        + "\nMake each a new version (a class with version = N + 1 beside the unchanged "
          "one). Only if the break is deliberate and agreed with every subscriber, "
          "accept it with `make contracts`.")


def test_the_snapshot_has_every_contract_as_it_is_now_I4():
    """New fields, versions and types are recorded too, so that taking them back later
    is caught."""
    snapshot = load()["events"]
    missing = sorted(f"{t} v{v}" for t, v in REGISTRY if str(v) not in snapshot.get(t, {}))
    assert SNAPSHOT.read_text(encoding="utf-8") == render(), (
        f"{SNAPSHOT.name} is not the current contracts (not yet recorded: "
        f"{', '.join(missing) or 'none'}; or fields changed): run `make contracts`")
