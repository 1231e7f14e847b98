"""Markdown to safe HTML: rendered by markdown-it, then sanitised by nh3 (Ammonia).

Nothing in the result loads from another host by itself: an image from outside the
application (`![](https://…)`) becomes a link to it, which a reader may follow, instead
of an `<img>` every viewer's browser would fetch (a tracking pixel, an outside service).
Images the application serves itself (a path such as `/api/v1/attachments/7/download`)
stay images.
"""

from collections.abc import Sequence
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

LINK_REL = "noopener noreferrer nofollow"


def is_own_url(url: str) -> bool:
    """A path on this application's own host: `/…`, but not `//host/…` (another host,
    same scheme) nor a backslash, which browsers read as a slash (`/\\host/…`)."""
    return url.startswith("/") and not url.startswith("//") and "\\" not in url


def _inside_link(tokens: Sequence[Token], idx: int) -> bool:
    depth = 0
    for token in tokens[:idx]:
        if token.type == "link_open":
            depth += 1
        elif token.type == "link_close":
            depth -= 1
    return depth > 0


def _image(
    renderer: RendererHTML,
    tokens: Sequence[Token],
    idx: int,
    options: OptionsDict,
    env: EnvType,
) -> str:
    token = tokens[idx]
    src = str(token.attrGet("src") or "")
    if is_own_url(src):
        return renderer.image(tokens, idx, options, env)
    alt = renderer.renderInlineAsText(token.children or [], options, env)
    text = escapeHtml(str(alt or src))
    if _inside_link(tokens, idx):  # `[![logo](https://…)](https://…)`: no link in a link
        return text
    title = token.attrGet("title")
    title_attr = f' title="{escapeHtml(str(title))}"' if title else ""
    return f'<a href="{escapeHtml(src)}"{title_attr} rel="{LINK_REL}">{text}</a>'


@lru_cache
def _renderer() -> MarkdownIt:
    # Raw HTML in the source is not passed through; linkify off (no external lookups).
    md = MarkdownIt("commonmark", {"html": False}).enable("table").enable("strikethrough")
    md.add_render_rule("image", _image)
    return md


def _own_images_only(element: str, attribute: str, value: str) -> str | None:
    # Second line behind the render rule: whatever produced an <img>, it never loads
    # from another host.
    if element == "img" and attribute == "src" and not is_own_url(value):
        return None
    return value


# Cards are shown again and again (moves answer with the card): the HTML of the
# recent short descriptions is kept (a few MiB at worst).
_CACHED_SOURCE_CHARS = 2000


def render_markdown(source: str) -> str:
    """HTML for display; whatever the source holds, the result carries no script and
    loads nothing from another host."""
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
        html,
        link_rel=LINK_REL,
        url_schemes={"http", "https", "mailto"},
        attribute_filter=_own_images_only,
    )
