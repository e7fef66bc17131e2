/**
 * Collects a page's readable passages and remembers where each character came from.
 *
 * A passage is the text of one block (p, li, h1–h6, blockquote, td, …), with runs of white space
 * collapsed to one space as the page renders them. Each passage keeps segments mapping its
 * characters back to DOM text nodes, so that server offsets can become DOM Ranges. Navigation,
 * footers, asides, hidden and aria-hidden content, form fields and editable regions are skipped:
 * their text is never collected, so never sent.
 */

const BLOCK_TAGS = new Set([
  "P", "LI", "H1", "H2", "H3", "H4", "H5", "H6", "BLOCKQUOTE", "TD", "TH", "DD", "DT",
  "FIGCAPTION", "CAPTION", "PRE", "SUMMARY", "ADDRESS",
]);
const CONTAINER_TAGS = new Set(["DIV", "SECTION", "ARTICLE", "MAIN", "HEADER", "BODY", "FIGURE", "DETAILS"]);
const SKIP_TAGS = new Set([
  "SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "NAV", "FOOTER", "ASIDE", "INPUT", "TEXTAREA",
  "SELECT", "OPTION", "BUTTON", "SVG", "MATH", "CANVAS", "IFRAME", "OBJECT", "EMBED", "VIDEO",
  "AUDIO", "HEAD", "DIALOG", "FORM", "MENU",
]);
const SKIP_ROLES = new Set(["navigation", "contentinfo", "complementary", "search", "menu", "menubar", "dialog", "alertdialog"]);
const COLLAPSIBLE = /[ \t\n\r\f]/;
const MIN_CHARS = 4;
export const MAX_PASSAGE_CHARS = 20000;

/**
 * @typedef {object} Segment
 * @property {number} start        first passage index (UTF-16) it covers
 * @property {number} end          index after the last
 * @property {Text | null} node    null for a virtual space (a <br> or a block boundary)
 * @property {number[] | null} map raw node offset of each covered character; null when identity
 *
 * @typedef {object} Passage
 * @property {string} text
 * @property {Segment[]} segments
 * @property {number} base         index of text[0] in the segments' numbering (split passages)
 * @property {Element} el          the block element the passage was read from
 */

/**
 * @typedef {object} CollectOptions
 * @property {Element | null} [skip]  an element whose subtree is never read (Gloss's own UI)
 * @property {Set<Element>} [hidden]  filled with the hidden subtrees that hold text (display
 *   none, visibility hidden, the hidden attribute): what a "Read more" may reveal later
 */

/**
 * Readable passages under `root`, in page order, each with its text-to-DOM map.
 * @param {Element} root
 * @param {CollectOptions} [options]
 * @returns {Passage[]}
 */
export function collectPassages(root, options = {}) {
  const job = startCollecting(root, options);
  while (!job.step(Infinity));
  return job.result();
}

/**
 * The same, in slices of at most about `sliceMs` of main-thread time with the page free to run
 * in between, so a long page never gets a long task from Gloss.
 * @param {Element} root
 * @param {CollectOptions} [options]
 * @param {number} [sliceMs]
 * @returns {Promise<Passage[]>}
 */
export async function collectPassagesSliced(root, options = {}, sliceMs = 8) {
  const job = startCollecting(root, options);
  while (!job.step(sliceMs)) await new Promise((resolve) => setTimeout(resolve, 0));
  return job.result();
}

/**
 * @param {Element} root
 * @param {CollectOptions} options
 */
function startCollecting(root, options) {
  /** @type {Map<Element, Builder>} */
  const builders = new Map();
  /** @type {WeakMap<Element, string>} */
  const displays = new WeakMap();
  const view = root.ownerDocument.defaultView ?? window;

  const walker = root.ownerDocument.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
    acceptNode(node) {
      if (node.nodeType === Node.TEXT_NODE) return NodeFilter.FILTER_ACCEPT;
      const el = /** @type {Element} */ (node);
      if (el === options.skip) return NodeFilter.FILTER_REJECT;
      if (isSkipped(el)) {
        if (el.hasAttribute("hidden") && !SKIP_TAGS.has(el.tagName)) noteHidden(el, options.hidden);
        return NodeFilter.FILTER_REJECT;
      }
      const style = view.getComputedStyle(el);
      if (style.display === "none" || style.visibility === "hidden" || style.visibility === "collapse") {
        noteHidden(el, options.hidden);
        return NodeFilter.FILTER_REJECT;
      }
      displays.set(el, style.display);
      if (el.tagName === "BR") builderFor(el, root, builders).breakPending = true;
      return NodeFilter.FILTER_SKIP;
    },
  });

  return {
    /**
     * Read on for about `budgetMs`; true when the whole tree has been read.
     * @param {number} budgetMs
     */
    step(budgetMs) {
      const until = performance.now() + budgetMs;
      let count = 0;
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = /** @type {Text} */ (node);
        const parent = text.parentElement;
        if (text.data && parent) {
          const builder = builderFor(text, root, builders);
          const box = boxOf(parent, builder.el, displays);
          if (builder.lastBox && builder.lastBox !== box) builder.breakPending = true;
          builder.lastBox = box;
          builder.add(text);
        }
        count += 1;
        if ((count & 63) === 0 && performance.now() > until) return false;
      }
      return true;
    },
    /** @returns {Passage[]} */
    result() {
      const passages = [];
      for (const builder of builders.values()) {
        const passage = builder.finish();
        if (passage.text.length < MIN_CHARS || !/[\p{L}\p{N}]/u.test(passage.text)) continue;
        passages.push(...splitLong(passage));
      }
      return passages;
    },
  };
}

/**
 * @param {Element} el  a subtree left unread because it is hidden
 * @param {Set<Element> | undefined} hidden
 */
function noteHidden(el, hidden) {
  if (hidden && el.textContent?.trim()) hidden.add(el);
}

/** @param {Element} el */
function isSkipped(el) {
  if (SKIP_TAGS.has(el.tagName)) return true;
  if (el.hasAttribute("hidden") || el.hasAttribute("inert")) return true;
  if (el.getAttribute("aria-hidden") === "true") return true;
  const role = el.getAttribute("role");
  if (role && SKIP_ROLES.has(role.trim().toLowerCase())) return true;
  return /** @type {HTMLElement} */ (el).isContentEditable === true;
}

/**
 * The nearest non-inline ancestor of `el` inside `block`, or `block` itself.
 * @param {Element} el
 * @param {Element} block
 * @param {WeakMap<Element, string>} displays
 */
function boxOf(el, block, displays) {
  for (let cur = /** @type {Element | null} */ (el); cur && cur !== block; cur = cur.parentElement) {
    const display = displays.get(cur) ?? "inline";
    if (!display.startsWith("inline") && display !== "contents") return cur;
  }
  return block;
}

/**
 * The element whose passage holds the text of `el` (itself included): the nearest block, else the
 * nearest container, else `root`. Lets a change to the page be traced to the passage it touches.
 * @param {Element | null} el
 * @param {Element} root
 * @returns {Element}
 */
export function blockOf(el, root) {
  let container = null;
  for (let cur = el; cur; cur = cur === root ? null : cur.parentElement) {
    if (BLOCK_TAGS.has(cur.tagName)) return cur;
    if (!container && CONTAINER_TAGS.has(cur.tagName)) container = cur;
  }
  return container ?? root;
}

/**
 * @param {Node} node
 * @param {Element} root
 * @param {Map<Element, Builder>} builders
 */
function builderFor(node, root, builders) {
  const el = blockOf(node.parentElement, root);
  let builder = builders.get(el);
  if (!builder) {
    builder = new Builder(el);
    builders.set(el, builder);
  }
  return builder;
}

class Builder {
  /** @param {Element} el */
  constructor(el) {
    this.el = el;
    /** @type {string[]} */
    this.parts = [];
    this.length = 0;
    /** @type {Segment[]} */
    this.segments = [];
    this.lastSpace = true;
    this.breakPending = false;
    /** @type {Element | null} */
    this.lastBox = null;
  }

  /** @param {Text} node */
  add(node) {
    const data = node.data;
    if (this.breakPending && !this.lastSpace) {
      this.segments.push({ start: this.length, end: this.length + 1, node: null, map: null });
      this.parts.push(" ");
      this.length += 1;
      this.lastSpace = true;
    }
    this.breakPending = false;
    const start = this.length;
    /** @type {number[]} */
    const map = [];
    let out = "";
    let identity = true;
    for (let i = 0; i < data.length; i += 1) {
      const ch = data[i];
      if (COLLAPSIBLE.test(ch)) {
        if (this.lastSpace) {
          identity = false;
          continue;
        }
        out += " ";
        this.lastSpace = true;
      } else {
        out += ch;
        this.lastSpace = false;
      }
      if (map.length !== i) identity = false;
      map.push(i);
    }
    if (!out) return;
    this.parts.push(out);
    this.length += out.length;
    this.segments.push({ start, end: this.length, node, map: identity ? null : map });
  }

  /** @returns {Passage} */
  finish() {
    let text = this.parts.join("");
    const segments = this.segments;
    if (text.endsWith(" ")) {
      text = text.slice(0, -1);
      const last = segments[segments.length - 1];
      last.end -= 1;
      if (last.map) last.map.pop();
      if (last.end <= last.start) segments.pop();
    }
    return { text, segments, base: 0, el: this.el };
  }
}

/**
 * Split a passage longer than the server accepts into pieces, at spaces where possible.
 * @param {Passage} passage
 * @returns {Passage[]}
 */
function splitLong(passage) {
  if (passage.text.length <= MAX_PASSAGE_CHARS) return [passage];
  const pieces = [];
  let from = 0;
  while (from < passage.text.length) {
    let to = Math.min(passage.text.length, from + MAX_PASSAGE_CHARS);
    if (to < passage.text.length) {
      const space = passage.text.lastIndexOf(" ", to);
      if (space > from + MAX_PASSAGE_CHARS / 2) to = space;
      else if (isHighSurrogate(passage.text.charCodeAt(to - 1))) to -= 1;
    }
    pieces.push({ text: passage.text.slice(from, to), segments: passage.segments, base: passage.base + from, el: passage.el });
    from = to;
  }
  return pieces;
}

/** @param {number} code */
function isHighSurrogate(code) {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * DOM position of passage index `index` (UTF-16), as a range boundary. Start boundaries that
 * fall on a virtual space move forward to the next text node; end boundaries move back.
 * @param {Passage} passage
 * @param {number} index
 * @param {"start" | "end"} edge
 * @returns {{node: Text, offset: number} | null}
 */
export function domPosition(passage, index, edge) {
  const i = index + passage.base;
  const segs = passage.segments;
  let lo = 0;
  let hi = segs.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = segs[mid];
    if (edge === "start" ? i < s.start : i <= s.start) hi = mid - 1;
    else if (edge === "start" ? i >= s.end : i > s.end) lo = mid + 1;
    else {
      found = mid;
      break;
    }
  }
  if (found < 0) return null;
  if (edge === "start") {
    while (found < segs.length && !segs[found].node) found += 1;
    if (found >= segs.length) return null;
    const s = segs[found];
    const at = Math.max(i, s.start) - s.start;
    return { node: /** @type {Text} */ (s.node), offset: s.map ? s.map[at] : at };
  }
  while (found >= 0 && !segs[found].node) found -= 1;
  if (found < 0) return null;
  const s = segs[found];
  const at = Math.min(i, s.end) - s.start;
  return { node: /** @type {Text} */ (s.node), offset: s.map ? s.map[at - 1] + 1 : at };
}

/**
 * A DOM Range over passage indexes [start, end) in UTF-16 units, or null when the DOM no longer
 * holds it.
 * @param {Passage} passage
 * @param {number} start
 * @param {number} end
 */
export function passageRange(passage, start, end) {
  const from = domPosition(passage, start, "start");
  const to = domPosition(passage, end, "end");
  if (!from || !to || !from.node.isConnected || !to.node.isConnected) return null;
  const range = from.node.ownerDocument.createRange();
  try {
    range.setStart(from.node, from.offset);
    range.setEnd(to.node, to.offset);
  } catch {
    return null;
  }
  return range.collapsed ? null : range;
}
