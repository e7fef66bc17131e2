"""Pages for the reader-experience tests: a live clock, a dark page, an article in an iframe."""

from __future__ import annotations

import html

from .pages import HOSTILE_QUOTE, KHALIMOV, STYLE, XINJIANG

ARTICLE = f"""<h1>Harbour and border news</h1>
<p>{html.escape(HOSTILE_QUOTE)}</p>
<p>{html.escape(KHALIMOV)}</p>
<p>{html.escape(XINJIANG)}</p>"""


def clock_html() -> str:
    """An article beside a clock and counters that change four times a second."""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Live</title><style>{STYLE}</style></head>
<body><main>
<p class="live">Updated at <time id="clock">00:00:00</time> and read by
<span id="readers">0</span> people, <span id="comments">0</span> comments</p>
<div id="ticker">Markets 0.00%</div>
{ARTICLE}
</main>
<script>
let n = 0;
setInterval(() => {{
  n += 1;
  document.getElementById('clock').textContent = new Date().toISOString().slice(11, 19) + '.' + n;
  document.getElementById('readers').textContent = String(1000 + n * 7);
  const c = document.getElementById('comments');
  c.replaceChildren(document.createTextNode(String(n % 13)));
  document.getElementById('ticker').textContent = 'Markets ' + (n / 10).toFixed(2) + '%';
}}, 250);
</script></body></html>"""


def counter_html() -> str:
    """An article under a reader counter whose words change with its number ("1 reader is" then
    "2 readers are"), started by the test once the first check is answered."""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Counter</title><style>{STYLE}</style></head>
<body><main>
<p id="count">1 reader is following this story</p>
{ARTICLE}
</main>
<script>
let n = 1;
function startCounting() {{
  setInterval(() => {{
    n += 1;
    document.getElementById('count').textContent = `${{n}} readers are following this story`;
  }}, 200);
}}
</script></body></html>"""


def dark_html() -> str:
    """The article drawn light on dark, as many sites do whatever the system's theme."""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Dark</title><style>{STYLE}
body {{ background: #121416; color: #d6d9dc; }}</style></head>
<body><main>{ARTICLE}</main></body></html>"""


def iframe_html() -> str:
    """A page whose article is in a same-origin iframe (a CMS preview, an embedded reader)."""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Framed</title><style>{STYLE}</style></head>
<body><main><h1>Reader</h1>
<iframe id="frame" src="/frame.html" title="Article"
  style="width: 100%; height: 620px; border: 0"></iframe>
</main></body></html>"""


def frame_html() -> str:
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Article</title><style>{STYLE}</style></head>
<body><main>{ARTICLE}</main></body></html>"""


def read_more_html() -> str:
    """An article whose second half is hidden until the reader asks for it (a class toggled by
    a "Read more" button, as many news sites do)."""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Read more</title><style>{STYLE}
.collapsed {{ display: none; }}</style></head>
<body><main><h1>Harbour and border news</h1>
<p>The harbour authority published its yearly report on Tuesday morning.</p>
<div id="more" class="collapsed"><p>{html.escape(XINJIANG)}</p></div>
<button id="read-more" onclick="document.querySelector('#more').classList.remove('collapsed')">
Read more</button>
</main></body></html>"""


def live_frame_host_html() -> str:
    """A page whose framed article gets a paragraph after it loads (a live blog in a frame)."""
    return iframe_html().replace('src="/frame.html"', 'src="/live-frame.html"')


def live_frame_html() -> str:
    """The framed article without its last paragraph, which a test adds later."""
    return frame_html().replace(f"\n<p>{html.escape(XINJIANG)}</p>", "")


def hidden_frame_html() -> str:
    """The framed article behind a "Show the article" button: the frame loads while hidden."""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Hidden frame</title><style>{STYLE}
.collapsed {{ display: none; }}</style></head>
<body><main><h1>Reader</h1>
<p>The harbour authority published its yearly report on Tuesday morning.</p>
<div id="more" class="collapsed"><iframe id="frame" src="/frame.html" title="Article"
  style="width: 100%; height: 620px; border: 0"></iframe></div>
<button id="read-more" onclick="document.querySelector('#more').classList.remove('collapsed')">
Show the article</button>
</main></body></html>"""


def slow_iframe_parts() -> list[tuple[float, str]]:
    """The iframe page sent slowly, its frame more slowly still: the page is read while the
    frame's document has its head and not yet its body."""
    whole = iframe_html().replace('src="/frame.html"', 'src="/slow-frame.html"')
    cut = whole.index("</iframe>") + len("</iframe>")
    return [(0.0, whole[:cut]), (1.0, whole[cut:])]


def slow_frame_parts() -> list[tuple[float, str]]:
    """The framed article: its head at once, its body 3 s later."""
    whole = frame_html()
    cut = whole.index("<body>")
    return [(0.0, whole[:cut]), (3.0, whole[cut:])]


READER_PAGES = {
    "/live-frame-host.html": live_frame_host_html,
    "/live-frame.html": live_frame_html,
    "/hidden-frame.html": hidden_frame_html,
    "/read-more.html": read_more_html,
    "/clock.html": clock_html,
    "/counter.html": counter_html,
    "/dark.html": dark_html,
    "/iframe.html": iframe_html,
    "/frame.html": frame_html,
}

STREAMED_PAGES = {"/slow-iframe.html": slow_iframe_parts, "/slow-frame.html": slow_frame_parts}
"""Pages sent in parts, each after a pause (seconds), as a slow server sends a long page."""
