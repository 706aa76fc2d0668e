"""Progress that a log can show: `LogLines` writes a line when a phase begins and then at
least every interval (a heartbeat, also while nothing reports), with counts, rate and ETA;
the CLI uses it whenever stderr is not a terminal."""

from __future__ import annotations

import io
import re
import time
from pathlib import Path

from helpers import infoops

from toolkit.db.connect import Graph
from toolkit.progress import LogLines, Progress, duration
from toolkit.sample import SampleParams, generate

LINE = re.compile(r"^\[(\d+ s|\d+m \d\ds)\] (?P<task>[\w -]+): (?P<status>.+)$")


def lines(stream: io.StringIO) -> list[str]:
    return stream.getvalue().splitlines()


def test_log_lines_begin_each_phase_and_keep_beating() -> None:
    """A phase prints at once; while it runs (even without new counts) a line follows every
    interval, carrying the counts, the rate and an ETA; a new phase prints at once."""
    stream = io.StringIO()
    with LogLines("load", stream, interval=0.1) as progress:
        progress.update("convert", 1_000, 10_000)
        assert lines(stream) == ["[0 s] load: convert 1,000/10,000 rows (10.0%)"]
        for done in range(2_000, 6_000, 1_000):
            time.sleep(0.03)
            progress.update("convert", done, 10_000)
        counted = len(lines(stream))
        time.sleep(0.5)  # nothing reports: the heartbeat still prints
        beats = lines(stream)[counted:]
        progress.update("import")
        assert re.fullmatch(r"\[\d s\] load: import", lines(stream)[-1])
    assert all(LINE.match(line) for line in lines(stream)), lines(stream)
    assert len(beats) >= 2, lines(stream)
    for line in beats:
        assert re.search(r"convert 5,000/10,000 rows \(50.0%\), [\d,]+ rows/s, ETA \d+ s$",
                         line), line
    done = len(lines(stream))
    time.sleep(0.3)
    assert len(lines(stream)) == done  # closed: no more beats


def test_sentences_with_counts_and_named_steps_count() -> None:
    """Detection speaks in sentences: 'null model: 7/100 replicates' is a count with its
    unit; the report's step names count as steps of the declared list."""
    progress = Progress("detect co-retweet")
    progress("pairing 287,704 events, window 60 s")
    assert (progress.label, progress.done, progress.total) == (
        "pairing 287,704 events, window 60 s", None, None)
    progress("null model: 7/100 replicates")
    assert (progress.label, progress.done, progress.total, progress.unit) == (
        "null model", 7, 100, "replicates")
    assert progress.status().startswith("null model 7/100 replicates (7.0%)")
    progress("reading co-retweet events: 3/1,200 pages")
    assert (progress.done, progress.total, progress.unit) == (3, 1200, "pages")
    report = Progress("report").expect(("overview", "activity", "top"))
    report("activity")
    assert (report.label, report.done, report.total, report.unit) == ("activity", 1, 3, "steps")


def test_eta_follows_the_series_not_the_label() -> None:
    """Steps change label at every step; the rate (and ETA) are measured over the whole
    series of the same unit and total, and restart when a new series begins."""
    progress = Progress("report").expect(("a", "b", "c", "d"))
    progress("a")
    time.sleep(0.05)
    progress("b")
    time.sleep(0.05)
    progress("c")
    eta = progress.eta()
    assert eta is not None and 0.02 < eta < 0.2
    progress.update("convert", 10, 100)
    assert progress.eta() is None  # a new series: no rate yet


def test_duration() -> None:
    assert [duration(s) for s in (0.4, 7, 65, 3_600 + 61)] == ["0 s", "7 s", "1m 05s",
                                                                 "1h 01m"]


def test_cli_prints_progress_lines_when_stderr_is_a_pipe(graph: Graph, cli_env: dict[str, str],
                                                         tmp_path: Path) -> None:
    """`infoops load` and `infoops detect` with stderr a pipe: timestamped lines naming the
    task, each phase and its counts; stdout stays clean; --quiet prints none."""
    made = generate(tmp_path / "sample", SampleParams(seed=808, accounts=200, days=3))
    load = infoops("load", str(made.out_dir / made.files["tweets"].name), "--dataset", "p",
                   "--rejects", str(tmp_path / "r.csv"), env=cli_env)
    shown = [m for line in load.stderr.splitlines() if (m := LINE.match(line))]
    assert shown and {m["task"] for m in shown} == {"load"}, load.stderr
    assert any(re.fullmatch(rf"loading {made.tweets:,}/[\d,]+ rows \(\d+\.\d%\).*", m["status"])
               for m in shown), load.stderr
    assert load.stdout == ""
    detect = infoops("detect", "co-retweet", "--null-reps", "3", env=cli_env)
    statuses = [m["status"] for line in detect.stderr.splitlines()
                if (m := LINE.match(line)) and m["task"] == "detect co-retweet"]
    assert statuses[0] == "reading co-retweet events", detect.stderr
    assert any(s.startswith("pairing ") for s in statuses), statuses
    assert any(s.startswith("null replicate") for s in statuses), statuses
    assert any(s.startswith("writing ") for s in statuses), statuses
    quiet = infoops("--quiet", "detect", "co-retweet", "--null-reps", "0", env=cli_env)
    assert not any(LINE.match(line) for line in quiet.stderr.splitlines()), quiet.stderr
