/**
 * Publisher banners the reader dismissed, by publisher note id. Kept in chrome.storage.local so a
 * dismissal outlives reloads and browser restarts; note ids name curated notes, not pages, so
 * this keeps no trace of where the reader has been.
 */

import { ext } from "../lib/browser.js";

const KEY = "dismissedBanners";
const MAX = 500;

/** @returns {Promise<string[]>} */
export async function dismissedBanners() {
  const stored = await ext.storage.local.get(KEY);
  return Array.isArray(stored[KEY]) ? stored[KEY] : [];
}

/** @param {string[]} noteIds */
export async function rememberDismissed(noteIds) {
  const all = [...new Set([...(await dismissedBanners()), ...noteIds])].slice(-MAX);
  await ext.storage.local.set({ [KEY]: all });
}
