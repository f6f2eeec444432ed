"""Every submission a unit made, across `plans collect` runs: a resubmission replaces the plan
that counts, and both stay here (`output/mtcl/<năm học>/lich-su-nop.yaml`, only ever added to)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import yaml

from mtcl_docs.archive.manifest import sha256
from mtcl_docs.fsutil import atomic_write
from mtcl_docs.plans.collect import Collected
from mtcl_docs.plans.validate import UnitPlan

HISTORY = "lich-su-nop.yaml"
USED, REPLACED = "đang dùng", "đã được thay"


@dataclass(frozen=True)
class Submission:
    unit: str
    file: str
    sha256: str
    received: str  # dd/mm/yyyy
    how: str
    recorded: str  # when collect first saw it

    def as_dict(self) -> dict[str, str]:
        return dict(self.__dict__)


def read_history(folder: Path) -> list[Submission]:
    path = folder / HISTORY
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else []
    except (OSError, yaml.YAMLError):
        data = []  # a damaged history is rebuilt from what is seen from now on
    fields = set(Submission.__dataclass_fields__)
    return [
        Submission(**{k: str(v) for k, v in d.items()})
        for d in (data or [])
        if isinstance(d, dict) and set(d) == fields
    ]


def record(collected: Collected, folder: Path) -> tuple[list[Submission], dict[str, str]]:
    """Add what this run saw to the history (a file already there, by content, is not added
    again); the whole history, and for each entry's sha256 whether it counts or was replaced."""
    history = read_history(folder)
    known = {(s.unit, s.sha256) for s in history}
    now = dt.datetime.now().isoformat(timespec="seconds")
    plans: list[UnitPlan] = [*collected.superseded, *collected.plans.values()]
    for plan in sorted(plans, key=lambda p: (p.received, str(p.source))):
        digest = sha256(plan.source)
        if (plan.unit.code, digest) in known:
            continue
        known.add((plan.unit.code, digest))
        history.append(
            Submission(
                plan.unit.code,
                plan.source.name,
                digest,
                f"{plan.received:%d/%m/%Y}",
                plan.received_how,
                now,
            )  # fmt: skip
        )
    used = {sha256(p.source) for p in collected.plans.values()}
    state = {s.sha256: USED if s.sha256 in used else REPLACED for s in history}
    text = yaml.safe_dump([s.as_dict() for s in history], allow_unicode=True, sort_keys=False)
    atomic_write(folder / HISTORY, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    return history, state
