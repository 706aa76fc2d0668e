"""`infoops detect KIND`: co-action networks, rings and their significance, written back to
the graph as a DetectionRun. One command per kind, all with the same options."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from ..detect.options import Kind, NullModel, RingMethod
from ..errors import BadParameter
from .progress import progress
from .state import err, out, state

if TYPE_CHECKING:
    from ..detect.runs import DetectionResult

app = typer.Typer(help="Find coordinated accounts: co-action networks, rings, significance.",
                  no_args_is_help=True)

HELP: dict[Kind, str] = {
    Kind.CO_RETWEET: "retweeting the same tweet",
    Kind.CO_TWEET: "posting the same text (lower-cased, @mentions and URLs removed)",
    Kind.CO_SIMILAR_TWEET: "posting near-duplicate texts (word-set Jaccard >= --similarity)",
    Kind.CO_LINK: "posting the same normalized URL",
    Kind.CO_DOMAIN: "linking to the same obscure domain (few accounts use it)",
    Kind.CO_HASHTAG: "using the same hashtag",
    Kind.CO_HASHTAG_SEQUENCE: "using the same set of 2+ hashtags on the same UTC day",
    Kind.CO_REPLY: "replying to the same tweet",
    Kind.CO_MENTION: "mentioning the same account",
    Kind.CO_POST: "posting in the same time bins (bin = the window)",
}


def _window(value: str) -> float | None:
    if value == "auto":
        return None
    try:
        return float(value)
    except ValueError:
        raise BadParameter("window", f"{value!r}: give seconds or 'auto'") from None


def _ms(value: datetime | None) -> int | None:
    if value is None:
        return None
    return int(value.replace(tzinfo=value.tzinfo or UTC).timestamp() * 1000)


def _command(kind: Kind) -> Callable[..., None]:
    def command(
        window: Annotated[str, typer.Option(
            help="Seconds between co-actions (inclusive), or 'auto' to estimate it.")] = "60",
        min_weight: Annotated[int, typer.Option(
            help="Minimum distinct shared targets for an edge.")] = 3,
        dataset: Annotated[str | None, typer.Option(help="Only tweets of this dataset.")] = None,
        since: Annotated[datetime | None, typer.Option(help="From this UTC time.")] = None,
        until: Annotated[datetime | None, typer.Option(help="Before this UTC time.")] = None,
        rings: Annotated[RingMethod, typer.Option(help="Ring clustering.")] = RingMethod.LEIDEN,
        min_size: Annotated[int, typer.Option(help="Smallest ring.")] = 3,
        resolution: Annotated[float, typer.Option(help="Leiden resolution.")] = 1.0,
        null_reps: Annotated[int, typer.Option(
            help="Null-model replicates for p-values (0: none).")] = 100,
        null: Annotated[NullModel, typer.Option(help="Null model.")] = NullModel.PERMUTE,
        seed: Annotated[int, typer.Option(help="Seed of Leiden and the null model.")] = 0,
        evidence_cap: Annotated[int, typer.Option(
            help="Shared targets stored on each edge.")] = 20,
        max_domain_accounts: Annotated[int, typer.Option(
            help="co-domain: domains used by more accounts are not obscure.")] = 50,
        similarity: Annotated[float, typer.Option(
            help="co-similar-tweet: minimum Jaccard similarity of the word sets.")] = 0.8,
        max_p: Annotated[float | None, typer.Option(
            help="List only rings with p-value <= this.")] = None,
    ) -> None:
        from ..detect.runs import DetectParams, detect

        params = DetectParams(
            kind, _window(window), min_weight, dataset, _ms(since), _ms(until), rings,
            min_size, resolution, null_reps, null, seed, evidence_cap, max_domain_accounts,
            similarity)
        with progress(f"detect {kind.value}") as shown:
            result = detect(state.graph(), params.validate(), progress=shown)
        _render(result, max_p)

    command.__doc__ = (f"Accounts {HELP[kind]} within the window.\n\n"
                       f"Example: infoops detect {kind.value} --window 60 --min-weight 3")
    return command


for _kind in Kind:
    app.command(_kind.value)(_command(_kind))


def _render(result: DetectionResult, max_p: float | None) -> None:
    from ..detect.writeback import ring_id

    rings = result.rings
    if max_p is not None:
        rings = rings[rings["p_value"] <= max_p]
    table = Table("ring_id", "size", "density", "score", "p_value", "z")
    for r in rings.itertuples(index=False):
        table.add_row(ring_id(result.run_id, int(r.ring)), str(r.size), f"{r.density:.2f}",
                      f"{r.score:.2f}", _num(r.p_value, "{:.4f}"), _num(r.z, "{:.1f}"))
    out.print(table)
    err.print(f"run {result.run_id}: {result.events:,} events, window {result.window_note}, "
              f"{len(result.edges):,} edges, {len(result.rings):,} rings"
              + (f" ({len(rings)} with p <= {max_p})" if max_p is not None else ""))
    err.print("  seconds: " + ", ".join(f"{k} {v:.1f}" for k, v in result.seconds.items()))
    for warning in result.warnings:
        err.print(f"[yellow]warning:[/] {warning}", highlight=False)


def _num(value: float, fmt: str) -> str:
    return "-" if value != value else fmt.format(value)  # NaN: no null model
