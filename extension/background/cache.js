/**
 * Session cache of match responses, keyed by server, page URL and a hash of the passages sent.
 *
 * Lives in chrome.storage.session (memory only, cleared with the browser session) so that it
 * survives the service worker being stopped. Bounded to MAX_ENTRIES, oldest dropped first.
 */

import { sha256Hex } from "../lib/hash.js";

const INDEX_KEY = "cache:index";
const MAX_ENTRIES = 40;

/**
 * @param {string} serverUrl
 * @param {string} url
 * @param {{id: string, text: string}[]} passages
 */
export async function cacheKey(serverUrl, url, passages) {
  return `cache:${await sha256Hex(JSON.stringify([serverUrl, url, passages]))}`;
}

/**
 * @param {typeof import("../lib/browser.js").session} session
 * @param {string} key
 * @returns {Promise<any[] | null>}
 */
export async function readCache(session, key) {
  const entry = await session.get(key);
  return entry && Array.isArray(entry.cards) ? entry.cards : null;
}

/**
 * @param {typeof import("../lib/browser.js").session} session
 * @param {string} key
 * @param {any[]} cards
 */
export async function writeCache(session, key, cards) {
  const index = ((await session.get(INDEX_KEY)) ?? []).filter((/** @type {string} */ k) => k !== key);
  index.push(key);
  const dropped = index.splice(0, Math.max(0, index.length - MAX_ENTRIES));
  if (dropped.length) await session.remove(dropped);
  await session.set({ [key]: { cards, at: Date.now() }, [INDEX_KEY]: index });
}
