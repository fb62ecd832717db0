"""An HTML page as a person sees it: its text, and where its links lead."""

from __future__ import annotations

import re
from html.parser import HTMLParser

BLOCKS = {"p", "div", "li", "tr", "h1", "h2", "h3", "section", "summary", "pre", "details", "ol"}


class Page(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.links: list[tuple[str, str]] = []  # (href, the link's text)
        self.ids: set[str] = set()
        self._hidden = 0
        self._link: tuple[str, list[str]] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(str(attributes["id"]))
        if tag in {"style", "script", "head"}:
            self._hidden += 1
        if tag in BLOCKS:
            self.parts.append("\n")
        if tag in {"td", "th"}:
            self.parts.append(" | ")
        if tag == "a":
            self._link = (str(attributes.get("href")), [])

    def handle_endtag(self, tag: str) -> None:
        if tag in {"style", "script", "head"}:
            self._hidden -= 1
        if tag == "a" and self._link:
            self.links.append((self._link[0], "".join(self._link[1]).strip()))
            self._link = None

    def handle_data(self, data: str) -> None:
        if self._hidden:
            return
        self.parts.append(data)
        if self._link:
            self._link[1].append(data)

    @property
    def text(self) -> str:
        """Lines of visible text, blanks squeezed, as a reader would copy them."""
        lines = (re.sub(r"[ \t]+", " ", line).strip() for line in "".join(self.parts).split("\n"))
        return "\n".join(line for line in lines if line)
