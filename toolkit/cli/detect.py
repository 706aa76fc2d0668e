"""`infoops detect KIND`: co-action networks, rings and their significance, written back to
the graph as a DetectionRun. One command per kind, all with the same options."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

import typer
from rich.text import Text

from ..detect.options import Kind, NullModel, RingMethod, Weighting
from ..errors import BadParameter
from ..inert import terminal_text
from ..numbers import check_number
from .progress import progress
from .state import err, out, state

if TYPE_CHECKING:
    from ..detect.runs import DetectionResult

# Options the single detectors and `detect all` share.
DatasetOption = Annotated[str | None, typer.Option(help="Only tweets of this dataset.")]
SinceOption = Annotated[datetime | None, typer.Option(help="From this UTC time.")]
UntilOption = Annotated[datetime | None, typer.Option(help="Before this UTC time.")]
KeepAllOption = Annotated[bool, typer.Option("--keep-all",
                                             help="Write every edge and ring found.")]
MaxRingSizeOption = Annotated[int, typer.Option(
    help="Rings with more accounts are crowds: not written.")]
WorkersOption = Annotated[int, typer.Option(help="Null model: processes (0: one per CPU core).")]

app = typer.Typer(help="Find coordinated accounts: co-action networks, rings, significance.",
                  no_args_is_help=True)

HELP: dict[Kind, str] = {
    Kind.CO_RETWEET: "retweeting the same tweet",
    Kind.CO_TWEET: "posting the same text (normalized: case, width, script, punctuation "
                   "and emoji folded; @mentions and URLs removed)",
    Kind.CO_SIMILAR_TWEET: "posting near-duplicate texts (Jaccard of words, and of character "
                           "n-grams in Chinese, Japanese, Korean, Thai, ..., >= --similarity)",
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
        min_weight: Annotated[float, typer.Option(
            help="Minimum edge weight: shared targets, each counted by --weighting.")] = 3.0,
        weighting: Annotated[Weighting, typer.Option(
            help="How a shared target counts: idf (1 if only the two accounts used it, "
                 "falling to 0 as more accounts use it) or count (1 each, as "
                 "coordination-network-toolkit).")] = Weighting.IDF,
        dataset: DatasetOption = None,
        since: SinceOption = None,
        until: UntilOption = None,
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
            help="co-similar-tweet: minimum Jaccard similarity of the token sets.")] = 0.8,
        ngram: Annotated[int, typer.Option(
            help="co-similar-tweet: character n-gram length in scripts without spaces.")] = 2,
        max_p: Annotated[float | None, typer.Option(
            help="List only rings with p-value <= this.")] = None,
        hyperactive: Annotated[float, typer.Option(
            help="Accounts with more than this many times the median account's events "
                 "are hyperactive: reported, their shared targets damped (0: off).")] = 100.0,
        keep_p: Annotated[float, typer.Option(
            help="Write only edges and rings with p-value <= this (and every edge inside "
                 "a written ring).")] = 0.05,
        keep_all: KeepAllOption = False,
        max_ring_size: MaxRingSizeOption = 500,
        stop_hits: Annotated[int, typer.Option(
            help="Null model: stop early once every finding has been matched this often by "
                 "chance (Besag-Clifford; 0: run every replicate).")] = 10,
        workers: WorkersOption = 0,
    ) -> None:
        from ..detect.runs import DetectParams, detect

        params = DetectParams(
            kind, _window(window), min_weight, dataset, _ms(since), _ms(until), rings,
            min_size, resolution, null_reps, null, seed, evidence_cap, max_domain_accounts,
            similarity, ngram=ngram, weighting=weighting, hyperactive=hyperactive, keep_p=keep_p,
            keep_all=keep_all, max_ring_size=max_ring_size, stop_hits=stop_hits,
            workers=workers).validate()  # every number checked before connecting
        if max_p is not None:
            check_number("max_p", max_p, minimum=0, maximum=1)
        with progress(f"detect {kind.value}") as shown:
            result = detect(state.graph(), params, progress=shown)
        _render(result, max_p)

    command.__doc__ = (f"Accounts {HELP[kind]} within the window.\n\n"
                       f"Example: infoops detect {kind.value} --window 60 --min-weight 3")
    return command


for _kind in Kind:
    app.command(_kind.value)(_command(_kind))


def _render(result: DetectionResult, max_p: float | None) -> None:
    import pandas as pd

    from ..detect.select import left_out_text
    from ..detect.writeback import ring_id
    from ..queries.formats import print_table

    chosen = result.selection
    rings = result.rings[chosen.rings].sort_values(["p_value", "size"],
                                                   ascending=[True, False], kind="stable")
    if max_p is not None:
        rings = rings[rings["p_value"] <= max_p]
    print_table(out, pd.DataFrame(
        [[ring_id(result.run_id, int(r.ring)), r.size, f"{r.density:.2f}", f"{r.score:.2f}",
          _num(r.p_value, "{:.4f}"), _num(r.z, "{:.1f}")] for r in rings.itertuples(index=False)],
        columns=["ring_id", "size", "density", "score", "p_value", "z"]))
    err.print(f"run {result.run_id}: {result.events:,} events, window {result.window_note}, "
              f"{result.params.weighting.value} weights; wrote {int(chosen.edges.sum()):,} of "
              f"{len(result.edges):,} edges, {int(chosen.rings.sum()):,} of "
              f"{len(result.rings):,} rings"
              + (f" ({len(rings)} with p <= {max_p})" if max_p is not None else ""))
    if chosen.rings_left_out or chosen.edges_left_out():
        err.print("  left out: " + left_out_text(chosen.rings_left_out, chosen.edges_left_out())
                  + " (--keep-all writes them)", highlight=False)
    if len(result.hyperactive):
        err.print(f"  {len(result.hyperactive):,} hyperactive accounts damped (most active: "
                  f"{result.hyperactive['account'].iloc[0]}, "
                  f"{int(result.hyperactive['events'].iloc[0]):,} events)", highlight=False,
                  markup=False)
    if result.null:
        err.print(f"  null model: {result.null['null_reps_run']} of {result.params.null_reps} "
                  f"replicates on {result.null['null_workers']} processes", highlight=False)
    err.print("  seconds: " + ", ".join(f"{k} {v:.1f}" for k, v in result.seconds.items()))
    for warning in result.warnings:
        err.print(Text("warning:", style="yellow") + Text(" " + terminal_text(warning)))


def _num(value: float, fmt: str) -> str:
    return "-" if value != value else fmt.format(value)  # NaN: no null model


@app.command("all")
def all_command(
    dataset: DatasetOption = None,
    kinds: Annotated[str | None, typer.Option(
        help="Comma-separated kinds (default: every kind but co-post).")] = None,
    since: SinceOption = None,
    until: UntilOption = None,
    null_reps: Annotated[int, typer.Option(
        help="Null-model replicates of every run and of the fused run.")] = 100,
    seed: Annotated[int, typer.Option(help="Seed of Leiden and the null models.")] = 0,
    keep_p: Annotated[float, typer.Option(
        help="Write only edges and rings with p-value <= this.")] = 0.05,
    keep_all: KeepAllOption = False,
    max_ring_size: MaxRingSizeOption = 500,
    floor: Annotated[float, typer.Option(
        help="Fused run: a signal counts for a pair from this weight (its own units).")] = 1.0,
    fused_min_weight: Annotated[float, typer.Option(
        help="Fused run: the lightest fused edge kept (units of chance scales).")] = 2.0,
    workers: WorkersOption = 0,
) -> None:
    """Every detector with its defaults, then one fused run of all their signals.

    Detectors whose inputs the data lacks are skipped with a note. The fused run (kind
    "fused") links pairs by the sum of their signals, each over the weight chance gives
    it, and tests rings against null replicates applied to every signal at once.

    Example: infoops detect all --dataset china_082019_1
    """
    import pandas as pd

    from ..detect.all import AllParams, detect_all, parse_kinds, run_table
    from ..detect.fused import FusedParams
    from ..queries.formats import print_table

    params = AllParams(parse_kinds(kinds), dataset, _ms(since), _ms(until), null_reps, seed,
                       keep_p, keep_all, max_ring_size, workers,
                       FusedParams(floor=floor, min_weight=fused_min_weight)).validate()
    with progress("detect all") as shown:
        result = detect_all(state.graph(), params, progress=shown)
    print_table(out, pd.DataFrame(
        [[row["kind"], row["run_id"] or "-", f"{row['edges']:,} of {row['edges_found']:,}",
          f"{row['rings']:,} of {row['rings_found']:,}", row["significant"],
          "-" if row["seconds"] is None else f"{row['seconds']:.1f}", row["note"]]
         for row in run_table(result)],
        columns=["kind", "run_id", "edges", "rings", "p<.01", "seconds", "note"]))
    if result.fused is not None:
        err.print(f"fused run {result.fused.run_id}: rings with their signals, roles and "
                  f"summaries: infoops rings list --run {result.fused.run_id}",
                  highlight=False)
