/**
 * Turns the server's anchors (code-point offsets into passages as sent) into DOM Ranges on the
 * page as it is now.
 *
 * Anchors are remembered by their passage's text rather than its id, so they can be placed again
 * after the page re-renders the same text into new nodes. When the offsets do not give back the
 * anchor's `exact` text, the exact text is looked for in the passage instead.
 */

import { spanToUtf16 } from "../lib/offsets.js";
import { passageRange } from "./passages.js";

/**
 * @typedef {object} StoredAnchor
 * @property {string} noteId
 * @property {string} passageText  the passage as it was sent
 * @property {number} start        code points, as the server counts
 * @property {number} end
 * @property {string} exact
 *
 * @typedef {object} Placed
 * @property {StoredAnchor} anchor
 * @property {Range} range
 */

/**
 * Place every anchor whose passage is on the page now.
 * @param {StoredAnchor[]} anchors
 * @param {import("./passages.js").Passage[]} passages
 * @returns {Placed[]} in document order
 */
export function placeAnchors(anchors, passages) {
  /** @type {Map<string, import("./passages.js").Passage>} */
  const byText = new Map();
  for (const passage of passages) if (!byText.has(passage.text)) byText.set(passage.text, passage);
  /** @type {Placed[]} */
  const placed = [];
  for (const anchor of anchors) {
    const passage = byText.get(anchor.passageText);
    if (!passage) continue;
    const span = locate(passage.text, anchor);
    if (!span) continue;
    const range = passageRange(passage, span.start, span.end);
    if (range) placed.push({ anchor, range });
  }
  placed.sort((a, b) => a.range.compareBoundaryPoints(Range.START_TO_START, b.range));
  return placed;
}

/**
 * UTF-16 span of the anchor in `text`: its offsets when they agree with `exact`, else the first
 * occurrence of `exact`.
 * @param {string} text
 * @param {StoredAnchor} anchor
 */
export function locate(text, anchor) {
  const span = spanToUtf16(text, anchor.start, anchor.end);
  if (span && (!anchor.exact || text.slice(span.start, span.end) === anchor.exact)) return span;
  if (!anchor.exact) return null;
  const at = text.indexOf(anchor.exact);
  return at < 0 ? null : { start: at, end: at + anchor.exact.length };
}
