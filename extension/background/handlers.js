/**
 * The background's message handlers, one per message type (see lib/messages.js). The background
 * is the only part that talks to the server; it decides, from the settings, whether a page may be
 * checked at all, and nothing leaves for a denied site.
 */

import { ApiError, LIMITS, health, match, sendFeedback } from "../lib/api.js";
import { extensionUrl, getTab, injectContent, loadSettings, sendToTab, session } from "../lib/browser.js";
import { FEEDBACK_REASONS, MSG, fail, ok } from "../lib/messages.js";
import { isAutomatic, isCheckable, normalizeServerUrl, urlToSend } from "../lib/settings.js";
import { cacheKey, readCache, writeCache } from "./cache.js";
import { serverFeatures } from "./features.js";
import { dismissedBanners, rememberDismissed } from "./banners.js";
import { firstTiers, onMatchReworded } from "./reworded.js";
import { grantPage, isGranted, recordAnchoring, recordCards, recordChecking, recordError } from "./tabs.js";

/**
 * The top frame of a tab that sent a message, or null for anything else.
 * @param {chrome.runtime.MessageSender} sender
 */
function pageOf(sender) {
  if (!sender?.tab || sender.tab.id === undefined || sender.frameId !== 0 || !sender.url) return null;
  return { tabId: sender.tab.id, url: sender.url };
}

/**
 * Keep only well-formed passages, within the server's per-passage limit.
 * @param {unknown} raw
 * @returns {{id: string, text: string}[]}
 */
function cleanPassages(raw) {
  if (!Array.isArray(raw)) return [];
  const out = [];
  for (const p of raw) {
    if (!p || typeof p.id !== "string" || typeof p.text !== "string" || !p.text.trim()) continue;
    if (p.text.length > LIMITS.passageChars) continue;
    out.push({ id: p.id, text: p.text });
  }
  return out;
}

/**
 * A content script sends its page's passages; reply with the cards that match.
 * @param {{passages: unknown, force?: boolean}} message
 * @param {chrome.runtime.MessageSender} sender
 */
async function onMatch(message, sender) {
  const page = pageOf(sender);
  if (!page) return fail("bad-sender", "Only a page's top frame may ask for cards.");
  const settings = await loadSettings();
  if (!isCheckable(settings, page.url)) return fail("denied", "Gloss does not check this site.");
  if (!isAutomatic(settings, page.url) && !(await isGranted(page.tabId, page.url))) {
    return fail("not-requested", "This page is checked only when you ask.");
  }
  const passages = cleanPassages(message.passages);
  const url = urlToSend(page.url);
  const features = await serverFeatures(settings.serverUrl);
  if (!passages.length) {
    await recordCards(page.tabId, page.url, [], features);
    return ok({ cards: [], features, highlighter: settings.highlighter });
  }
  const tiers = firstTiers(features);
  const key = `${await cacheKey(settings.serverUrl, url, passages)}${tiers ? ":quote" : ""}`;
  let cards = message.force ? null : await readCache(session, key);
  const dismissed = await dismissedBanners();
  if (!cards) {
    await recordChecking(page.tabId, page.url);
    try {
      cards = await match(fetch, settings.serverUrl, url, passages, tiers);
    } catch (error) {
      const detail = error instanceof ApiError ? error.message : "The Gloss server could not be asked.";
      await recordError(page.tabId, page.url, detail);
      const retryAfter = error instanceof ApiError ? error.retryAfter : 0;
      return fail(error instanceof ApiError ? error.code : "internal", detail, { retryAfter });
    }
    await writeCache(session, key, cards);
  }
  await recordCards(page.tabId, page.url, cards, features);
  return ok({ cards, features, highlighter: settings.highlighter, dismissed });
}

/**
 * The reader dismissed the publisher banner: remember its publishers (note ids, never the page
 * or its site), so the banner stays away on reload and on their other pages.
 * @param {{noteIds: unknown}} message
 * @param {chrome.runtime.MessageSender} sender
 */
async function onDismissBanner(message, sender) {
  if (!pageOf(sender)) return fail("bad-sender");
  const ids = Array.isArray(message.noteIds) ? message.noteIds.filter((x) => typeof x === "string" && x.length <= 200) : [];
  await rememberDismissed(ids);
  return ok();
}

/**
 * A content script reports which cards it could place on the page.
 * @param {{anchored: unknown, orphans: unknown}} message
 * @param {chrome.runtime.MessageSender} sender
 */
async function onAnchored(message, sender) {
  const page = pageOf(sender);
  if (!page) return fail("bad-sender");
  const ids = (/** @type {unknown} */ v) => (Array.isArray(v) ? v.filter((x) => typeof x === "string") : []);
  await recordAnchoring(page.tabId, page.url, ids(message.anchored), ids(message.orphans));
  return ok();
}

/**
 * The reader rated a card.
 * @param {{noteId: unknown, helpful: unknown, reason?: unknown}} message
 * @param {chrome.runtime.MessageSender} sender
 */
async function onFeedback(message, sender) {
  const page = pageOf(sender);
  if (!page) return fail("bad-sender");
  if (typeof message.noteId !== "string" || typeof message.helpful !== "boolean") return fail("bad-message");
  const settings = await loadSettings();
  if (!isCheckable(settings, page.url)) return fail("denied");
  if (!(await serverFeatures(settings.serverUrl)).includes("feedback")) return fail("unsupported", "This server takes no feedback.");
  /** @type {{helpful: boolean, reason?: string}} */
  const body = { helpful: message.helpful };
  if (typeof message.reason === "string" && FEEDBACK_REASONS.includes(message.reason)) body.reason = message.reason;
  try {
    await sendFeedback(fetch, settings.serverUrl, message.noteId, body);
  } catch (error) {
    return fail(error instanceof ApiError ? error.code : "internal", error instanceof Error ? error.message : "");
  }
  return ok();
}

/**
 * The reader asked, from the popup, to check a tab now.
 * @param {{tabId: unknown, force?: boolean}} message
 */
async function onCheckTab(message) {
  if (!Number.isInteger(message.tabId)) return fail("bad-message");
  const tabId = /** @type {number} */ (message.tabId);
  const tab = await getTab(tabId).catch(() => null);
  if (!tab?.url) return fail("no-access", "Gloss cannot read this tab.");
  const settings = await loadSettings();
  if (!isCheckable(settings, tab.url)) return fail("denied", "This site is on your deny list, or is not a web page.");
  await grantPage(tabId, tab.url);
  const pong = await sendToTab(tabId, { type: MSG.PING });
  if (pong?.ok) {
    await sendToTab(tabId, { type: MSG.CHECK, force: Boolean(message.force) });
    return ok();
  }
  try {
    await injectContent(tabId);
  } catch (error) {
    return fail("no-access", "Gloss cannot run on this page.");
  }
  return ok();
}

/**
 * The reader pressed the "next card" shortcut (which, like the toolbar button, grants access to
 * the tab): move to the next card, or check the page first when Gloss is not on it yet.
 * @param {number} tabId
 */
export async function onNextCardCommand(tabId) {
  const moved = await sendToTab(tabId, { type: MSG.NEXT_CARD });
  if (moved?.ok) return moved;
  return onCheckTab({ tabId, force: false });
}

/**
 * The options page checks a server URL.
 * @param {{serverUrl: unknown}} message
 */
async function onHealth(message) {
  const serverUrl = normalizeServerUrl(String(message.serverUrl ?? ""));
  if (!serverUrl) return fail("bad-url", "Enter an http:// or https:// URL.");
  try {
    return ok({ health: await health(fetch, serverUrl) });
  } catch (error) {
    return fail(error instanceof ApiError ? error.code : "internal", error instanceof Error ? error.message : "");
  }
}

/**
 * Whether a message comes from one of the extension's own pages (popup, options), not from a
 * content script running in a web page.
 * @param {chrome.runtime.MessageSender} sender
 */
function fromExtensionPage(sender) {
  return typeof sender.url === "string" && sender.url.startsWith(extensionUrl(""));
}

/**
 * Content scripts may only ask about their own page; the popup and options page may also ask to
 * check a tab or a server.
 * @type {Record<string, (message: any, sender: chrome.runtime.MessageSender) => Promise<object>>}
 */
export const handlers = {
  [MSG.MATCH]: onMatch,
  [MSG.MATCH_REWORDED]: (message, sender) => onMatchReworded(message, sender, cleanPassages),
  [MSG.ANCHORED]: onAnchored,
  [MSG.FEEDBACK]: onFeedback,
  [MSG.DISMISS_BANNER]: onDismissBanner,
  [MSG.CHECK_TAB]: async (message, sender) => (fromExtensionPage(sender) ? onCheckTab(message) : fail("bad-sender")),
  [MSG.HEALTH]: async (message, sender) => (fromExtensionPage(sender) ? onHealth(message) : fail("bad-sender")),
};
