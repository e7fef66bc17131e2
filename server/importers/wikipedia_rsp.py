"""Wikipedia's "Reliable sources/Perennial sources" list: one publisher note per table row.

Reads either the page's wikitext as a self-hoster downloads it (``action=raw``) or the JSON
Lines of wiki-reliable-sources-parser, whose ``alltext`` is each row's own wikitext; both go
through the same row reader, on mwparserfromhell's parse of the table. A row's ``id`` is its
entry id. The consensus text is CC BY-SA 4.0: the note's provenance carries the attribution
and a link to the entry, which the card must show.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, Any
from urllib.parse import quote

from mwparserfromhell.nodes import Tag, Template, Wikilink
from pydantic import TypeAdapter, ValidationError

from server.importers import wikitext
from server.importers.entries import Entry, NoteEntry, Refused, Unreadable, note_id_for
from server.schemas import MAX_SUMMARY, Domain

SOURCE = "wikipedia-rsp"
PAGE = "Wikipedia:Reliable_sources/Perennial_sources"
WIKI = "https://en.wikipedia.org/wiki/"
LICENCE = "CC BY-SA 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by-sa/4.0/"
ATTRIBUTION = (
    "From Wikipedia's “Reliable sources/Perennial sources” list, by Wikipedia contributors, "
    "CC BY-SA 4.0."
)
STATUSES = {
    "gr": ("generally-reliable", "Generally reliable"),
    "nc": ("no-consensus", "No consensus, unclear or additional considerations apply"),
    "m": ("no-consensus", "Status varies; see the summary"),
    "gu": ("generally-unreliable", "Generally unreliable"),
    "d": ("deprecated", "Deprecated"),
    "b": ("blacklisted", "Blacklisted"),
}
MAX_DISCUSSIONS = 8
_domain = TypeAdapter(Domain)


def entries(stream: IO[bytes]) -> Iterator[Entry]:
    """The rows of the list, from JSON Lines or from the page's wikitext."""
    head = stream.read(64)
    if _is_jsonl(head):
        yield from _from_jsonl(head, stream)
        return
    try:
        text = (head + stream.read()).decode("utf-8")
    except UnicodeDecodeError:
        raise Unreadable("the page is not UTF-8 text") from None
    for row in _rows(wikitext.parse(text)):
        yield _entry(row)


def _is_jsonl(head: bytes) -> bool:
    """JSON Lines start with an object and a key; wikitext may start with ``{{`` but not so."""
    stripped = head.lstrip()
    return stripped.startswith(b"{") and stripped[1:].lstrip().startswith(b'"')


def _from_jsonl(head: bytes, stream: IO[bytes]) -> Iterator[Entry]:
    for number, line in enumerate(_lines(head, stream), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line.decode("utf-8"))
            rows = list(_rows(wikitext.parse("{|\n" + str(record["alltext"]) + "\n|}")))
        except (ValueError, KeyError, TypeError):  # UnicodeDecodeError is a ValueError
            yield Refused(f"line {number}", "not a JSON object with the row's wikitext")
            continue
        if not rows:
            yield Refused(f"line {number}", "no table row in alltext")
        for row in rows:
            yield _entry(row)


def _lines(head: bytes, stream: IO[bytes]) -> Iterator[bytes]:
    """The lines of the file, the first bytes of which were read already."""
    *whole, partial = head.split(b"\n")
    yield from whole
    yield partial + stream.readline()
    yield from iter(stream.readline, b"")


def _rows(code: Any) -> Iterator[Tag]:
    """The table rows that carry a reliability status."""
    for tag in code.filter_tags(matches=lambda node: str(node.tag) == "tr"):
        if any(_name(t) == "wp:rspstatus" for t in tag.contents.filter_templates()):
            yield tag


def _name(template: Template) -> str:
    return " ".join(str(template.name).split()).lower()


def _cells(row: Tag) -> list[Any]:
    return [t.contents for t in row.contents.filter_tags(recursive=False) if str(t.tag) == "td"]


def _attribute(row: Tag, name: str) -> str | None:
    for attribute in row.attributes:
        if str(attribute.name).strip() == name:
            return str(attribute.value).strip()
    return None


def _first_param(cell: Any, name: str) -> list[str]:
    for template in cell.filter_templates():
        if _name(template) == name:
            return [str(p.value).strip() for p in template.params if not p.showkey]
    return []


def _entry(row: Tag) -> Entry:
    cells = _cells(row)
    entry_id = _attribute(row, "id") or (wikitext.plain(cells[0]) if cells else "")
    if not entry_id:
        return Refused("(row without id)", "the row has no id")
    if len(cells) < 5:
        return Refused(entry_id, "the row has fewer than five cells")
    name_cell, status_cell, discussion_cell, last_cell, summary_cell = cells[:5]
    code = (_first_param(status_cell, "wp:rspstatus") or [""])[0].lower()
    if code not in STATUSES:
        return Refused(entry_id, f"unknown status {code!r}")
    uses = _first_param(cells[5], "wp:rspuses") if len(cells) > 5 else []
    domains = _domains(uses)
    if not domains:
        return Refused(entry_id, "no domain: the row lists no web site")
    summary = wikitext.plain(summary_cell)
    if not summary:
        return Refused(entry_id, "no consensus text")
    title = wikitext.plain(name_cell)
    outlet = _outlet(name_cell) or title
    topic = title.removeprefix(outlet).strip().strip("()").strip() or None
    status, label = STATUSES[code]
    last = (_first_param(last_cell, "wp:rsplast") or [""])[0]
    entry_url = f"{WIKI}{PAGE}#{quote(entry_id.replace(' ', '_'), safe='')}"
    reliability = {
        "status": status,
        "label": label,
        "source": "Wikipedia: Reliable sources/Perennial sources",
        "outlet": outlet[:300],
        "topic": topic[:300] if topic and not topic.isupper() else None,
        "last_discussed": int(last) if last.isdigit() and 1900 <= int(last) <= 2999 else None,
    }
    body = f"{summary}\n\nStatus on Wikipedia's perennial sources list: {label}"
    if reliability["last_discussed"]:
        body += f" (last discussed {reliability['last_discussed']})"
    note = {
        "kind": "publisher",
        "title": title[:200],
        "summary": summary if len(summary) <= MAX_SUMMARY else summary[:499].rstrip() + "…",
        "body": body + ".",
        "domains": domains,
        "sources": [{"title": f"Wikipedia: Perennial sources — {outlet}"[:300], "url": entry_url}]
        + _discussions(discussion_cell),
        "status": "published",
        "reliability": reliability,
        "provenance": {
            "dataset": SOURCE,
            "entry_id": entry_id,
            "licence": LICENCE,
            "licence_url": LICENCE_URL,
            "attribution": ATTRIBUTION,
            "attribution_url": entry_url,
        },
    }
    return NoteEntry(entry_id, note_id_for("rsp", entry_id, entry_id), note)


def _outlet(name_cell: Any) -> str | None:
    for link in name_cell.filter_wikilinks(recursive=False):
        return " ".join(str(link.title).split()) or None
    return None


def _domains(values: list[str]) -> list[str]:
    """The host of each listed site (``dw.com/en`` is listed for the host ``dw.com``: cards
    are chosen by host, and the row's text says which part of the site it means)."""
    domains = []
    for value in values:
        host = value.strip().removeprefix("https://").removeprefix("http://").split("/")[0]
        try:
            domains.append(_domain.validate_python(host))
        except ValidationError:
            continue
    return list(dict.fromkeys(domains))[:50]


def _discussions(cell: Any) -> list[dict[str, str]]:
    """Links to the noticeboard discussions the row cites."""
    found: list[dict[str, str]] = []
    for node in cell.filter(recursive=False):
        if isinstance(node, Template) and _name(node) == "rsnl":
            params = [str(p.value).strip() for p in node.params if not p.showkey]
            if len(params) >= 2 and params[0].isdigit():
                page = f"Wikipedia:Reliable_sources/Noticeboard/Archive_{params[0]}"
                found.append(_link(page, params[1], f"Noticeboard discussion: {params[1]}"))
        elif isinstance(node, Wikilink):
            target = str(node.title).strip()
            if target.startswith("WP:"):
                page, _, section = target.partition("#")
                title = wikitext.plain(target.replace("WP:", "Wikipedia: ", 1))
                found.append(_link("Wikipedia:" + page[3:].replace(" ", "_"), section, title))
    return found[:MAX_DISCUSSIONS]


def _link(page: str, section: str, title: str) -> dict[str, str]:
    anchor = f"#{quote(section.replace(' ', '_'), safe='')}" if section else ""
    return {"title": title[:300], "url": f"{WIKI}{quote(page, safe=':/_')}{anchor}"}
