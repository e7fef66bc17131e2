/**
 * How a card from the server is described to a reader: labels for its kind and rating, and which
 * of its source links are safe to show. Pure functions shared by the page UI and the popup.
 */

import { cleanCredit } from "./credit.js";

/** @type {Readonly<Record<string, string>>} */
const KIND_LABELS = Object.freeze({
  publisher: "Publisher",
  claim: "Disputed claim",
  sourcing: "Sourcing gap",
});

/** @type {Readonly<Record<string, string>>} */
const RATING_LABELS = Object.freeze({
  false: "False",
  misleading: "Misleading",
  disputed: "Disputed",
  unproven: "Unproven",
  "needs-context": "Needs context",
  accurate: "Accurate",
});

/**
 * What kind of card this is, in a reader's words. A claim the note rates accurate is not
 * "disputed", so it is called a checked claim.
 * @param {string} kind
 * @param {string | null} [rating]
 * @returns {string}
 */
export function kindLabel(kind, rating = null) {
  if (kind === "claim" && rating === "accurate") return "Checked claim";
  return Object.hasOwn(KIND_LABELS, kind) ? KIND_LABELS[kind] : "Context";
}

/**
 * @param {string | null | undefined} rating
 * @returns {string} "" when the card has no rating
 */
export function ratingLabel(rating) {
  if (typeof rating !== "string" || !rating) return "";
  return Object.hasOwn(RATING_LABELS, rating) ? RATING_LABELS[rating] : "";
}

/**
 * The URL as a string when it is an absolute http(s) URL, else null. Anything else
 * (javascript:, data:, relative URLs) is never turned into a link.
 * @param {unknown} value
 * @returns {string | null}
 */
export function safeHttpUrl(value) {
  if (typeof value !== "string") return null;
  let url;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  return url.href;
}

/**
 * A card's sources reduced to the ones that may be links, each `{title, url}`.
 * @param {any} card
 * @returns {{title: string, url: string}[]}
 */
export function safeSources(card) {
  const sources = Array.isArray(card?.sources) ? card.sources : [];
  const out = [];
  for (const source of sources) {
    const url = safeHttpUrl(source?.url);
    if (!url) continue;
    const title = typeof source.title === "string" && source.title.trim() ? source.title : url;
    out.push({ title, url });
  }
  return out;
}

/**
 * Short host name of a URL for display beside a source title.
 * @param {string} url
 */
export function hostOf(url) {
  try {
    return new URL(url).hostname.replace(/^www\./, "");
  } catch {
    return "";
  }
}

/**
 * Validate one card from the server into the shape the UI relies on, or null when unusable.
 * Unknown fields are dropped; strings stay strings (they are only ever set as textContent).
 * @param {any} raw
 */
export function cleanCard(raw) {
  if (!raw || typeof raw !== "object" || typeof raw.note_id !== "string") return null;
  const text = (/** @type {unknown} */ v) => (typeof v === "string" ? v : "");
  const anchors = [];
  for (const a of Array.isArray(raw.anchors) ? raw.anchors : []) {
    if (!a || typeof a.passage_id !== "string") continue;
    if (!Number.isInteger(a.start) || !Number.isInteger(a.end) || a.end <= a.start) continue;
    anchors.push({
      passage_id: a.passage_id,
      start: a.start,
      end: a.end,
      exact: text(a.exact),
      score: typeof a.score === "number" ? a.score : null,
    });
  }
  return {
    note_id: raw.note_id,
    kind: text(raw.kind),
    title: text(raw.title),
    summary: text(raw.summary),
    rating: typeof raw.rating === "string" ? raw.rating : null,
    sources: (Array.isArray(raw.sources) ? raw.sources : [])
      .filter((/** @type {any} */ s) => s && typeof s === "object")
      .map((/** @type {any} */ s) => ({ title: text(s.title), url: text(s.url) })),
    anchors,
    ...cleanCredit(raw),
  };
}
