/**
 * Conversion between the server's offsets (Unicode code points, as Python counts) and
 * JavaScript string indexes (UTF-16 code units).
 *
 * An astral character such as "😀" is one code point but two code units; a combining mark such
 * as U+0301 is its own code point in both. Pure functions; inputs are trusted to be strings and
 * integers.
 */

/**
 * UTF-16 index of code point number `cp` in `text`, or -1 when `cp` lies past the end.
 * @param {string} text
 * @param {number} cp
 * @returns {number}
 */
export function codePointToIndex(text, cp) {
  if (!Number.isInteger(cp) || cp < 0) return -1;
  let index = 0;
  for (let seen = 0; seen < cp; seen += 1) {
    if (index >= text.length) return -1;
    index += isHighSurrogatePair(text, index) ? 2 : 1;
  }
  return index <= text.length ? index : -1;
}

/**
 * Number of code points before UTF-16 index `index` in `text`.
 * @param {string} text
 * @param {number} index
 * @returns {number}
 */
export function indexToCodePoint(text, index) {
  let cp = 0;
  for (let i = 0; i < index && i < text.length; cp += 1) {
    i += isHighSurrogatePair(text, i) ? 2 : 1;
  }
  return cp;
}

/**
 * A code-point span of `text` as a UTF-16 span, or null when it does not fit the text.
 * @param {string} text
 * @param {number} start
 * @param {number} end
 * @returns {{start: number, end: number} | null}
 */
export function spanToUtf16(text, start, end) {
  if (!(end > start)) return null;
  const from = codePointToIndex(text, start);
  const to = codePointToIndex(text, end);
  if (from < 0 || to < 0) return null;
  return { start: from, end: to };
}

/**
 * Length of `text` in code points.
 * @param {string} text
 */
export function codePointLength(text) {
  return indexToCodePoint(text, text.length);
}

/**
 * @param {string} text
 * @param {number} i
 */
function isHighSurrogatePair(text, i) {
  const hi = text.charCodeAt(i);
  if (hi < 0xd800 || hi > 0xdbff || i + 1 >= text.length) return false;
  const lo = text.charCodeAt(i + 1);
  return lo >= 0xdc00 && lo <= 0xdfff;
}
