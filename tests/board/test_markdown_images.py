"""Markdown never makes a viewer's browser call another host: outside images become links,
the application's own images stay images."""

import re

import httpx
import pytest

from src.board.services.markdown import render_markdown
from tests.board.conftest import Tracker
from tests.board.helpers import API, create_card, ok

REL = 'rel="noopener noreferrer nofollow"'


@pytest.mark.parametrize(
    ("source", "href", "text"),
    [
        ("![pixel](https://tracker.example/p.gif)", "https://tracker.example/p.gif", "pixel"),
        ("![](http://tracker.example/p.gif)", "http://tracker.example/p.gif", None),
        ("![x](//tracker.example/p.gif)", "//tracker.example/p.gif", "x"),
        ("![x](HTTPS://Tracker.Example/p.gif)", "HTTPS://Tracker.Example/p.gif", "x"),
        ("![x][ref]\n\n[ref]: https://tracker.example/r.png", "https://tracker.example/r.png", "x"),
    ],
)
def test_outside_image_becomes_a_link(source: str, href: str, text: str | None) -> None:
    html = render_markdown(source)
    assert "<img" not in html
    assert f'<a href="{href}" {REL}>{text or href}</a>' in html


def test_outside_image_in_a_link_leaves_its_alt_text_and_no_image() -> None:
    html = render_markdown("[![logo](https://cdn.example/logo.png)](https://example.org)")
    assert "<img" not in html
    assert html.count("<a ") == 1
    assert f'<a href="https://example.org" {REL}>logo</a>' in html


def test_alt_text_of_an_outside_image_is_escaped() -> None:
    html = render_markdown('![<b>жирный</b> & "кавычки"](https://x.example/i.png "Заголовок")')
    assert "<b>" not in html
    assert "&lt;b&gt;жирный&lt;/b&gt; &amp;" in html
    assert 'title="Заголовок"' in html


@pytest.mark.parametrize(
    "source",
    ["![скриншот](/api/v1/attachments/7/download)", "![](/api/v1/attachments/7/download)"],
)
def test_the_applications_own_image_stays_an_image(source: str) -> None:
    html = render_markdown(source)
    assert re.search(r'<img src="/api/v1/attachments/7/download" alt="[^"]*">', html), html


def test_no_image_loads_from_another_host_whatever_the_source() -> None:
    sources = [
        "![a](https://a.example/1.png) text ![b](/api/v1/attachments/1/download)",
        "![a](/\\a.example/1.png)",
        "![a](data:image/png;base64,AAAA)",
        "* ![a](https://a.example/1.png)\n* item",
        "| h |\n| - |\n| ![a](https://a.example/1.png) |",
    ]
    for source in sources:
        html = render_markdown(source)
        for src in re.findall(r'<img[^>]*src="([^"]*)"', html):
            assert src.startswith("/"), (source, html)
            assert not src.startswith("//"), (source, html)


async def test_comment_and_description_render_outside_images_as_links(
    client: httpx.AsyncClient, tracker: Tracker
) -> None:
    headers = tracker.h(tracker.intern_a)
    body = "Смотри: ![макет](https://figma.example/shot.png)"
    card = await create_card(client, headers, tracker.board_id, "Задача")
    changed = ok(
        await client.patch(
            f"{API}/cards/{card['id']}",
            json={"description": body, "version": card["version"]},
            headers=headers,
        )
    )
    comment = ok(
        await client.post(
            f"{API}/cards/{card['id']}/comments", json={"body": body}, headers=headers
        ),
        201,
    )
    for html in (changed["description_html"], comment["body_html"]):
        assert "<img" not in html
        assert f'<a href="https://figma.example/shot.png" {REL}>макет</a>' in html
