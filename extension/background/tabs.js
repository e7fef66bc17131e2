/**
 * What Gloss knows about each tab, kept in chrome.storage.session so the popup can read it and
 * the service worker can stop at any time: the page checked, its cards, which of them the page
 * could anchor, and the toolbar badge that sums it up.
 */

import { session, setBadge, setTitle } from "../lib/browser.js";

export const BADGE = Object.freeze({ cards: "#3b4cca", error: "#d9480f" });

/**
 * Key for a page: its URL without the fragment, which in-page navigation changes.
 * @param {string} url
 */
export function pageKey(url) {
  const at = url.indexOf("#");
  return at < 0 ? url : url.slice(0, at);
}

/** @type {Map<number, Promise<unknown>>} */
const updates = new Map();

/**
 * Run one read-modify-write of a tab's state after the tab's earlier ones. A page's check, its
 * reworded follow-up and its anchoring report arrive together; interleaved, one update could
 * write back a state read before another's, losing its cards or its anchoring.
 * @template T
 * @param {number} tabId
 * @param {() => Promise<T>} change
 * @returns {Promise<T>}
 */
function updateTab(tabId, change) {
  const next = (updates.get(tabId) ?? Promise.resolve()).then(change, change);
  const settled = next.then(
    () => {},
    () => {},
  );
  updates.set(tabId, settled);
  settled.then(() => {
    if (updates.get(tabId) === settled) updates.delete(tabId);
  });
  return next;
}

/** @param {number} tabId */
export async function getTabState(tabId) {
  return (await session.get(`tab:${tabId}`)) ?? null;
}

/**
 * @param {number} tabId
 * @param {object} state
 */
export async function putTabState(tabId, state) {
  await session.set({ [`tab:${tabId}`]: { ...state, updatedAt: Date.now() } });
}

/**
 * Remember that the reader asked for this page to be checked.
 * @param {number} tabId
 * @param {string} url
 */
export async function grantPage(tabId, url) {
  await session.set({ [`granted:${tabId}`]: pageKey(url) });
}

/**
 * @param {number} tabId
 * @param {string} url
 */
export async function isGranted(tabId, url) {
  return (await session.get(`granted:${tabId}`)) === pageKey(url);
}

/** @param {number} tabId */
export function forgetTab(tabId) {
  return updateTab(tabId, () => session.remove([`tab:${tabId}`, `granted:${tabId}`]));
}

/**
 * Record cards for a page, merged with those already found on the same page.
 * @param {number} tabId
 * @param {string} url
 * @param {any[]} cards
 * @param {string[]} features
 */
export function recordCards(tabId, url, cards, features) {
  return updateTab(tabId, async () => {
    const key = pageKey(url);
    const previous = await getTabState(tabId);
    const same = previous && previous.url === key && Array.isArray(previous.cards);
    /** @type {Map<string, any>} */
    const merged = new Map(same ? previous.cards.map((/** @type {any} */ c) => [c.note_id, c]) : []);
    for (const card of cards) {
      const known = merged.get(card.note_id);
      merged.set(card.note_id, known ? { ...known, anchors: [...known.anchors, ...card.anchors] } : card);
    }
    const all = [...merged.values()];
    await putTabState(tabId, {
      url: key,
      status: "done",
      cards: all,
      anchored: same ? previous.anchored ?? [] : [],
      orphans: same ? previous.orphans ?? [] : [],
      features,
      error: "",
    });
    await setBadge(tabId, all.length ? String(all.length) : "", BADGE.cards);
    await setTitle(tabId, all.length ? `Gloss: ${all.length} context card${all.length === 1 ? "" : "s"} on this page` : "Gloss: no context cards on this page");
  });
}

/**
 * Record that the server is being asked about a page, keeping what was found so far.
 * @param {number} tabId
 * @param {string} url
 */
export function recordChecking(tabId, url) {
  return updateTab(tabId, async () => {
    const previous = await getTabState(tabId);
    const same = previous && previous.url === pageKey(url);
    await putTabState(tabId, { ...(same ? previous : { cards: [], anchored: [], orphans: [], features: [] }), url: pageKey(url), status: "checking", error: "" });
  });
}

/**
 * Record that the server could not be asked about a page.
 * @param {number} tabId
 * @param {string} url
 * @param {string} error
 */
export function recordError(tabId, url, error) {
  return updateTab(tabId, async () => {
    const previous = await getTabState(tabId);
    const same = previous && previous.url === pageKey(url);
    await putTabState(tabId, { ...(same ? previous : { cards: [], anchored: [], orphans: [], features: [] }), url: pageKey(url), status: "error", error });
    await setBadge(tabId, "!", BADGE.error);
    await setTitle(tabId, `Gloss: ${error}`);
  });
}

/**
 * Record which cards the page could anchor and which it could not.
 * @param {number} tabId
 * @param {string} url
 * @param {string[]} anchored
 * @param {string[]} orphans
 */
export function recordAnchoring(tabId, url, anchored, orphans) {
  return updateTab(tabId, async () => {
    const previous = await getTabState(tabId);
    if (!previous || previous.url !== pageKey(url)) return;
    await putTabState(tabId, { ...previous, anchored, orphans });
  });
}
