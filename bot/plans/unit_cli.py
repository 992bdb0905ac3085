"""`loaxa unit new --from-plan FILE --key KEY [--json]` (CONTRACTS.md, "Units from a plan")."""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from bot.settings import Settings

KEY_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def cmd_unit_new(args: argparse.Namespace) -> int:
    from bot.content.faq import local_today
    from bot.plans.errors import PlanImportError
    from bot.plans.importer import import_plan
    from bot.plans.unit_draft import draft_unit, to_yaml

    if not KEY_RE.match(args.key):
        print(f"--key {args.key!r}: kebab-case ASCII, e.g. phuong-phuoc-tan", file=sys.stderr)
        return 2
    path = Path(args.from_plan)
    if not path.is_file():
        print(f"{path}: no such file", file=sys.stderr)
        return 2
    try:
        plan = import_plan(path)
    except PlanImportError as exc:
        print(f"{path}: {exc}", file=sys.stderr)
        return 2
    profile, notes = draft_unit(plan, path, local_today())
    if args.json:
        print(json.dumps(profile, ensure_ascii=False))
        return 0
    target = Settings.from_env().content_dir / "units" / f"{args.key}.yaml"
    if target.exists():
        print(f"{target} exists: not overwritten (--json shows the draft)", file=sys.stderr)
        return 1
    target.write_text(to_yaml(args.key, profile, notes, path.name), encoding="utf-8")
    print(f"Wrote {target}.")
    for note in notes:
        print(f"  to fill in: {note}")
    print("Then: loaxa content check")
    return 0


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    unit = sub.add_parser("unit", help="units (communes, wards, a province)")
    unit_sub = unit.add_subparsers(dest="unit_command", required=True)
    new = unit_sub.add_parser("new", help="draft a unit profile from its communication plan")
    new.add_argument("--from-plan", required=True, metavar="FILE", help=".txt, .md or .docx")
    new.add_argument("--key", required=True, help="the unit key, e.g. phuong-phuoc-tan")
    new.add_argument("--json", action="store_true", help="print the draft, write nothing")
    new.set_defaults(func=cmd_unit_new)
