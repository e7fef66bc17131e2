/**
 * Draws highlights over placed anchors.
 *
 * Preferred: the CSS Custom Highlight API, which paints ranges without touching the page's DOM.
 * Fallback (older browsers, or the "inline marks" setting): wrap the text in <mark> elements,
 * which is undone before every redraw. Styles for both live in content/page.css.
 */

import { HIGHLIGHT_CSS } from "./highlight-css.js";

/**
 * Highlight styles: one per kind, and for claims one per family of ratings, so that an accurate
 * claim never looks like a false one. Each differs in its underline's shape (wavy, dashed,
 * double, dotted, solid) as well as its colour (Okabe–Ito colours, told apart with colour-blind
 * vision), and has a variant with colours for dark pages. page.css and the popup's legend draw them.
 */
export const STYLES = ["publisher", "sourcing", "claim-false", "claim-disputed", "claim-accurate"];
const MARK_CLASS = "gloss-mark";
/** @type {WeakSet<Document>} frames already given the highlight styles */
const styledFrames = new WeakSet();

/**
 * Give a same-origin frame Gloss's highlight styles (a constructed sheet adds no element).
 * @param {Document} doc
 */
function adoptFrameStyles(doc) {
  if (styledFrames.has(doc)) return;
  styledFrames.add(doc);
  const view = /** @type {any} */ (doc.defaultView);
  try {
    const sheet = new view.CSSStyleSheet();
    sheet.replaceSync(HIGHLIGHT_CSS);
    doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
  } catch {
    // A frame that refuses constructed sheets keeps its text unstyled; cards still work.
  }
}

/**
 * The style of a card's highlight.
 * @param {string} kind
 * @param {string | null} [rating]
 */
export function styleOf(kind, rating = null) {
  if (kind === "publisher" || kind === "sourcing") return kind;
  if (rating === "false" || rating === "misleading") return "claim-false";
  if (rating === "accurate") return "claim-accurate";
  return "claim-disputed";
}

/** Whether this browser paints CSS Custom Highlights. */
export function highlightApiAvailable() {
  return typeof CSS !== "undefined" && "highlights" in CSS && typeof Highlight === "function";
}

/**
 * @param {{useMarks: boolean, dark: boolean}} options  dark: the page is light text on dark
 */
export function createHighlighter({ useMarks, dark }) {
  const suffix = dark ? "-dark" : "";
  return useMarks || !highlightApiAvailable() ? new MarkHighlighter(suffix) : new ApiHighlighter(suffix);
}

/**
 * @typedef {object} DrawItem
 * @property {Range} range
 * @property {string} kind
 * @property {string | null} [rating]
 */

class ApiHighlighter {
  /** @param {string} suffix */
  constructor(suffix) {
    this.kind = "api";
    this.suffix = suffix;
    /** @type {Set<Document>} documents drawn into: the page and its same-origin frames */
    this.docs = new Set([document]);
  }

  /**
   * @param {DrawItem[]} items
   * @returns {Range[]} the ranges drawn, same order as items
   */
  draw(items) {
    this.clear();
    /** @type {Set<Document>} */
    const docs = new Set(items.map((it) => it.range.startContainer.ownerDocument ?? document));
    for (const doc of docs) {
      const view = /** @type {any} */ (doc.defaultView ?? window);
      if (doc !== document) adoptFrameStyles(doc);
      this.docs.add(doc);
      for (const style of STYLES) {
        const ranges = items.filter((it) => it.range.startContainer.ownerDocument === doc && styleOf(it.kind, it.rating) === style).map((it) => it.range);
        if (ranges.length) {
          const highlight = new view.Highlight(...ranges);
          highlight.priority = 1;
          view.CSS.highlights.set(`gloss-${style}${this.suffix}`, highlight);
        }
      }
    }
    return items.map((it) => it.range);
  }

  /** @param {Range | null} range */
  setActive(range) {
    for (const doc of this.docs) /** @type {any} */ (doc.defaultView)?.CSS.highlights.delete(`gloss-active${this.suffix}`);
    if (range) {
      const view = /** @type {any} */ (range.startContainer.ownerDocument?.defaultView ?? window);
      const active = new view.Highlight(range);
      active.priority = 2;
      view.CSS.highlights.set(`gloss-active${this.suffix}`, active);
    }
  }

  clear() {
    for (const doc of this.docs) {
      const highlights = /** @type {any} */ (doc.defaultView)?.CSS.highlights;
      if (highlights) for (const style of [...STYLES, "active"]) highlights.delete(`gloss-${style}${this.suffix}`);
    }
  }

  /** @param {Node} _node */
  owns(_node) {
    return false;
  }
}

class MarkHighlighter {
  /** @param {string} suffix */
  constructor(suffix) {
    this.kind = "marks";
    this.suffix = suffix;
    /** @type {HTMLElement[]} */
    this.marks = [];
    /** @type {HTMLElement[]} */
    this.active = [];
  }

  /**
   * @param {DrawItem[]} items
   * @returns {Range[]} ranges spanning each item's marks
   */
  draw(items) {
    this.clear();
    const out = [];
    // Wrap from the end of the page backwards so earlier ranges keep valid offsets.
    const order = items.map((_, i) => i).reverse();
    /** @type {Range[]} */
    const spans = new Array(items.length);
    for (const i of order) {
      const marks = wrapRange(items[i].range, `${styleOf(items[i].kind, items[i].rating)}${this.suffix}`);
      this.marks.push(...marks);
      const range = document.createRange();
      if (marks.length) {
        range.setStartBefore(marks[0]);
        range.setEndAfter(marks[marks.length - 1]);
      }
      spans[i] = range;
    }
    out.push(...spans);
    return out;
  }

  /** @param {Range | null} range */
  setActive(range) {
    for (const mark of this.active) mark.classList.remove("gloss-mark-active");
    this.active = range ? this.marks.filter((m) => range.intersectsNode(m)) : [];
    for (const mark of this.active) mark.classList.add("gloss-mark-active");
  }

  clear() {
    for (const mark of this.marks) {
      const parent = mark.parentNode;
      if (!parent) continue;
      while (mark.firstChild) parent.insertBefore(mark.firstChild, mark);
      parent.removeChild(mark);
    }
    this.marks = [];
    this.active = [];
  }

  /** @param {Node} node */
  owns(node) {
    // nodeType, not instanceof: a same-origin frame's nodes belong to another realm.
    return node.nodeType === Node.ELEMENT_NODE && /** @type {Element} */ (node).classList.contains(MARK_CLASS);
  }
}

/**
 * Wrap each text node portion of `range` in a <mark>; returns the marks in order.
 * @param {Range} range
 * @param {string} style
 */
function wrapRange(range, style) {
  const root = range.commonAncestorContainer;
  /** @type {Text[]} */
  const texts = [];
  if (root.nodeType === Node.TEXT_NODE) texts.push(/** @type {Text} */ (root));
  else {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) if (range.intersectsNode(n)) texts.push(/** @type {Text} */ (n));
  }
  const { startContainer, startOffset, endContainer, endOffset } = range;
  const marks = [];
  for (let node of texts) {
    const from = node === startContainer ? startOffset : 0;
    const to = node === endContainer ? endOffset : node.data.length;
    if (to <= from || !node.data.slice(from, to).trim()) {
      if (to <= from) continue;
    }
    if (to < node.data.length) node.splitText(to);
    if (from > 0) node = node.splitText(from);
    const mark = document.createElement("mark");
    mark.className = `${MARK_CLASS} gloss-mark-${style}`;
    node.parentNode?.insertBefore(mark, node);
    mark.appendChild(node);
    marks.push(mark);
  }
  return marks;
}
