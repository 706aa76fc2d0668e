"""The one walker over EXPLAIN plans: what the server's planner says a query would do.

The read-only proof of user and packaged queries (`toolkit.queries.readonly`) and the
loader's no-`Eager` check (`toolkit.load.plans`) both read plans through here, so a change
in how the driver reports plans is handled once."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class PlanStep:
    """One operator of a plan: its name (without the `@database` suffix the summary adds)
    and its arguments' text, `Details` first (expressions and procedure calls as the
    planner prints them: string literals replaced by `$autostring_N` parameters, names
    unquoted; the whole plan's `string-representation` left out)."""

    operator: str
    details: str


def plan_steps(plan: Any) -> Iterator[PlanStep]:
    """Every operator of `summary.plan` (a dict, or None when there is no plan), depth
    first from the root."""
    if not isinstance(plan, dict):
        return
    args = plan.get("args") or {}
    details = [str(args.get("Details", ""))] + [
        value for key, value in args.items()
        if isinstance(value, str) and key not in ("Details", "string-representation")]
    yield PlanStep(str(plan.get("operatorType", "")).split("@")[0], "\n".join(details))
    for child in plan.get("children") or ():
        yield from plan_steps(child)
