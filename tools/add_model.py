#!/usr/bin/env python3
"""Print a reference entry for a model from its config.json, to paste into pipeline/reference/models.json.

    python tools/add_model.py config.json --name "Qwen3 8B" --family Qwen3 \
        --source "https://huggingface.co/Qwen/Qwen3-8B/blob/<revision>/config.json" \
        [--alias Qwen3-8B --alias Qwen/Qwen3-8B] [--published 8.2e9 --published-source "model card"]

The config block keeps only what the config states or its model type implies (pipeline/reference/
hf_config.json); the loader computes params_total and params_active from it (formulas.param_count).
With --published, the computed total is compared with the maker's figure: a gap over 1% means the
architecture is not yet described right (add the model type's conventions to hf_config.json).
Exit 0 when the entry is printed; 1 when the computed total is more than 1% off; 2 on bad input.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pipeline.formulas import param_count
from pipeline.reference import configs


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("config", type=Path, help="the model's config.json (a local copy)")
    ap.add_argument("--name", required=True, help='the name people use, e.g. "Qwen3 8B"')
    ap.add_argument("--family", required=True, help='the family, e.g. "Qwen3"')
    ap.add_argument("--source", required=True, help="where the config is published, at a pinned revision")
    ap.add_argument("--alias", action="append", default=[], help="another written form (repeatable)")
    ap.add_argument("--published", type=float, help="the maker's stated total parameter count")
    ap.add_argument("--published-source", help="where the maker states it")
    args = ap.parse_args(argv)
    if args.published and not args.published_source:
        ap.error("--published needs --published-source: where the maker states that count")
    try:
        raw = json.loads(args.config.read_text(encoding="utf-8"))
        config = configs.from_hf(raw if isinstance(raw, dict) else {})
    except (OSError, ValueError) as e:  # unreadable, not JSON, not UTF-8, or a config it cannot describe
        print(f"error: {args.config}: {e}", file=sys.stderr)
        return 2
    entry = {"name": args.name, "family": args.family, "aliases": args.alias, "config": config, "config_source": args.source}
    if args.published:
        entry["facts"] = {"params_published": {"value": args.published, "source": args.published_source}}
    print(json.dumps(entry, indent=1))
    total, active = param_count(**config)
    print(f"computed: {total:,} parameters, {active:,} active", file=sys.stderr)
    if args.published and abs(total / args.published - 1) > 0.01:
        print(f"computed total is {total / args.published - 1:+.1%} off the published {args.published:,.0f}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
