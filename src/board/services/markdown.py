"""Markdown to safe HTML: rendered by markdown-it, then sanitised by nh3 (Ammonia)."""

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt


@lru_cache
def _renderer() -> MarkdownIt:
    # Raw HTML in the source is not passed through; linkify off (no external lookups).
    return MarkdownIt("commonmark", {"html": False}).enable("table").enable("strikethrough")


# Cards are shown again and again (moves answer with the card): the HTML of the
# recent short descriptions is kept (a few MiB at worst).
_CACHED_SOURCE_CHARS = 2000


def render_markdown(source: str) -> str:
    """HTML for display; whatever the source holds, the result carries no script."""
    if not source:
        return ""
    if len(source) <= _CACHED_SOURCE_CHARS:
        return _render_cached(source)
    return _render(source)


@lru_cache(maxsize=256)
def _render_cached(source: str) -> str:
    return _render(source)


def _render(source: str) -> str:
    html = _renderer().render(source)
    return nh3.clean(
        html, link_rel="noopener noreferrer nofollow", url_schemes={"http", "https", "mailto"}
    )
