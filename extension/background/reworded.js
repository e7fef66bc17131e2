/**
 * The second request of a page check: reworded cards, found by meaning, asked for only after
 * the content script has drawn the first (quote) cards, so that readers never wait for the
 * slower tier. The same rules as the first request decide whether the page may be checked.
 */

import { ApiError, match } from "../lib/api.js";
import { loadSettings, session } from "../lib/browser.js";
import { fail, ok } from "../lib/messages.js";
import { isAutomatic, isCheckable, urlToSend } from "../lib/settings.js";
import { cacheKey, readCache, writeCache } from "./cache.js";
import { serverFeatures } from "./features.js";
import { isGranted, recordCards } from "./tabs.js";

export const REWORDED = "reworded";

/**
 * The tiers the first request asks for: the quote tier alone when the server has both.
 * @param {string[]} features
 * @returns {string[] | null}
 */
export function firstTiers(features) {
  return features.includes(REWORDED) ? ["quote"] : null;
}

/**
 * @param {{passages: unknown}} message
 * @param {chrome.runtime.MessageSender} sender
 * @param {(raw: unknown) => {id: string, text: string}[]} cleanPassages
 */
export async function onMatchReworded(message, sender, cleanPassages) {
  if (!sender?.tab || sender.tab.id === undefined || sender.frameId !== 0 || !sender.url) return fail("bad-sender");
  const tabId = sender.tab.id;
  const settings = await loadSettings();
  if (!isCheckable(settings, sender.url)) return fail("denied", "Gloss does not check this site.");
  if (!isAutomatic(settings, sender.url) && !(await isGranted(tabId, sender.url))) return fail("not-requested");
  const features = await serverFeatures(settings.serverUrl);
  if (!features.includes(REWORDED)) return ok({ cards: [] });
  const passages = cleanPassages(message.passages);
  if (!passages.length) return ok({ cards: [] });
  const url = urlToSend(sender.url);
  const key = `${await cacheKey(settings.serverUrl, url, passages)}:${REWORDED}`;
  let cards = await readCache(session, key);
  if (!cards) {
    try {
      cards = await match(fetch, settings.serverUrl, url, passages, [REWORDED]);
    } catch (error) {
      return fail(error instanceof ApiError ? error.code : "internal", error instanceof Error ? error.message : "");
    }
    await writeCache(session, key, cards);
  }
  await recordCards(tabId, sender.url, cards, features);
  return ok({ cards });
}
