"""Test pages for the extension, built at test time.

The example article comes from the seed (markdown-ish text) and is wrapped in a realistic page
whose navigation, footer, aside, hidden, aria-hidden, form and editable parts hold text that the
extension must never send; each such part carries a SECRET marker to look for in requests.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "seeds" / "000_ce0ab49137e1b1ef.txt"

KHALIMOV = (
    "The appearance of US-trained Tajikistan Colonel Gulmurod Khalimov in an Islamic State"
    " propaganda video on 27 May has sent a chill across Central Asia."
)
XINJIANG = "In 2014 37 civilians were killed in bloody terror attack in Xinjiang, China."
XINJIANG_NOTE = "xinjiang-2014-37-civilians"
"""The curated note (notes/) whose quote XINJIANG is."""
HOSTILE_QUOTE = (
    "The quiet harbour town of Velmora reported that its lighthouse keeper counted"
    " seventeen purple herons at dawn."
)
SECRET_MARKERS = (
    "NAV-SECRET",
    "FOOTER-SECRET",
    "ASIDE-SECRET",
    "HIDDEN-SECRET",
    "DISPLAY-SECRET",
    "ARIA-SECRET",
    "FORM-SECRET",
    "EDIT-SECRET",
    "SCRIPT-SECRET",
)

STYLE = """
body { font: 18px/1.6 Georgia, "DejaVu Serif", serif; color: #222; margin: 0; background: #fdfdfb; }
nav { background: #222; padding: 10px 24px; }
nav a { color: #eee; margin-right: 16px; font: 14px sans-serif; }
main { max-width: 720px; margin: 0 auto; padding: 88px 20px 40px; }
h1 { font-size: 30px; line-height: 1.25; }
aside { max-width: 720px; margin: 0 auto; padding: 0 20px; color: #666; }
footer { border-top: 1px solid #ccc; margin-top: 40px; padding: 20px 24px; color: #777;
  font: 13px sans-serif; }
"""


def _inline(text: str) -> str:
    """Markdown-ish inline markup of the seed to HTML: links, bold, italics."""
    out = html.escape(text, quote=False)
    out = re.sub(
        r"\[([^\]]+)\]\(([^)]*)\)", lambda m: f'<a href="{m.group(2) or "#"}">{m.group(1)}</a>', out
    )
    out = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", out)
    return re.sub(r"\*(.+?)\*", r"<em>\1</em>", out)


def article_html(title_suffix: str = "") -> str:
    """The example article as a page with parts that must not be read."""
    text = SEED.read_text(encoding="utf-8")
    body, _, boilerplate = text.partition("\n---\n")
    blocks = [b.strip() for b in re.split(r"\n\s*\n", body) if b.strip()]
    parts = []
    for block in blocks:
        if block.startswith("# "):
            parts.append(f"<h1>{_inline(block[2:])}</h1>")
        else:
            parts.append(f"<p>{_inline(' '.join(line.strip() for line in block.splitlines()))}</p>")
    footer = " ".join(
        f"<p>{_inline(b.strip())}</p>" for b in re.split(r"\n\s*\n", boilerplate) if b.strip()
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Advance of the Islamic State{title_suffix}</title>
<style>{STYLE}</style></head>
<body>
<nav><a href="#">Home</a><a href="#">NAV-SECRET Global Research South Front menu</a>
<a href="#">Asia</a></nav>
<main><article>
{"".join(parts)}
</article></main>
<aside><h2>Related</h2><p>ASIDE-SECRET {html.escape(KHALIMOV)}</p></aside>
<div hidden><p>HIDDEN-SECRET {html.escape(KHALIMOV)}</p></div>
<p style="display:none">DISPLAY-SECRET {html.escape(KHALIMOV)}</p>
<div aria-hidden="true"><p>ARIA-SECRET {html.escape(KHALIMOV)}</p></div>
<form><label>Comment <textarea>FORM-SECRET {html.escape(KHALIMOV)}</textarea></label>
<input value="FORM-SECRET input"></form>
<div contenteditable="true"><p>EDIT-SECRET {html.escape(KHALIMOV)}</p></div>
<script>window.SCRIPT_SECRET = "SCRIPT-SECRET";</script>
<footer>FOOTER-SECRET {footer}</footer>
</body></html>"""


def emoji_html() -> str:
    """A matched quote after astral characters and combining marks, across several text nodes."""
    lead = (
        "Reader notes \U0001f600\U0001f600 <b>caf\u0065\u0301 \U0001f30d</b>"
        " na\u0131\u0308ve   \n   then: "
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Offsets</title><style>{STYLE}</style></head>
<body><main>
<h1>Offsets \U0001f9ea survive emoji</h1>
<p>{lead}{html.escape(KHALIMOV)} And more \U0001f680 text after it.</p>
<p>\u00e9\u0301\U0001f468\u200d\U0001f469\u200d\U0001f467 {XINJIANG}</p>
</main></body></html>"""


def hostile_html() -> str:
    """A page quoting the hostile test note's passage."""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Velmora</title><style>{STYLE}</style></head>
<body><main><h1>Harbour news</h1><p>{html.escape(HOSTILE_QUOTE)}</p>
<p>{html.escape(KHALIMOV)}</p></main></body></html>"""


HOSTILE_NOTE = f"""id: hostile-test-note
kind: claim
title: '<img src=x onerror="window.__glossPwned=1">Hostile <b>title</b>'
summary: '<script>window.__glossPwned=2</script><img src=x onerror="window.__glossPwned=3"> summary'
rating: disputed
quotes:
  - "{HOSTILE_QUOTE}"
sources:
  - title: '<img src=x onerror="window.__glossPwned=4">Source'
    url: https://example.org/herons
status: published
"""
