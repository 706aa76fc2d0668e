"""`infoops sample`: synthetic campaigns with ground truth."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from ..sample import DEMO_SEED, OutputFormat, SampleParams, with_op_overrides
from .state import err

app = typer.Typer(help="Generate synthetic campaigns with planted operations and ground truth.",
                  no_args_is_help=True)


@app.callback()
def sample() -> None:
    """Synthetic campaigns: organic background, planted operations, decoys."""


@app.command("generate")
def generate_cmd(
    out: Annotated[Path, typer.Option("--out", help="Directory to write into.")],
    accounts: Annotated[int, typer.Option(help="Organic accounts.")] = 2000,
    days: Annotated[int, typer.Option(help="Length of the window in days.")] = 30,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same bytes).")] = DEMO_SEED,
    fmt: Annotated[OutputFormat, typer.Option("--format", help="Output format.")] =
        OutputFormat.IO_ARCHIVE,
    start: Annotated[datetime, typer.Option(formats=["%Y-%m-%d"], help="First day (UTC).")] =
        datetime(2019, 6, 1),
    name: Annotated[str, typer.Option(help="File name prefix.")] = "sample_campaign",
    op: Annotated[list[str] | None, typer.Option(
        "--op", help="Override an operation or decoy: KIND:size=N,events=N,window=S "
                     "(size=0 drops it). Repeatable.")] = None,
) -> None:
    """Write IO-archive CSVs (or twarc2 JSONL) and ground_truth.json.

    Example: infoops sample generate --out demo --accounts 1000 --days 14 --op co-retweet:size=40
    """
    params = with_op_overrides(
        SampleParams(seed=seed, accounts=accounts, days=days, start=start.date(), format=fmt,
                     name=name), op or [])
    from ..sample import generate

    result = generate(out, params)
    err.print(f"wrote {result.tweets:,} tweets by {result.accounts:,} accounts "
              f"({result.disclosed} disclosed in {result.operations} operations, "
              f"{result.decoys} decoys) to {result.out_dir} in {result.seconds:.1f} s")
    for role, path in {**result.files, "ground truth": result.ground_truth}.items():
        err.print(f"  {role}: {path.name}")
