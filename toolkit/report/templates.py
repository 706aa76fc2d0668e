"""The Jinja2 environment of infoops' HTML: templates shipped in `toolkit/report/templates`
(package data, found through the package loader in a wheel as in a checkout), every one
autoescaped, so text from the data or from a user's query header is inert unless a
template says otherwise. The Browser guide uses it; the report can too."""

from __future__ import annotations

from functools import cache
from typing import Any

import jinja2


@cache
def environment() -> jinja2.Environment:
    """One shared environment: autoescape on for every template (whatever its name), and
    a missing variable is an error, not an empty string."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("toolkit.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render(name: str, **context: Any) -> str:
    """Template `name` rendered with `context`."""
    return environment().get_template(name).render(**context)
