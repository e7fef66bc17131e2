/**
 * The one module that touches the WebExtension APIs. Chrome and Firefox (MV3) both expose the
 * promise-based `chrome` namespace; Firefox also has `browser`, preferred when present.
 *
 * Other modules receive these functions rather than calling `chrome.*` themselves, so their logic
 * reads plainly and can be exercised without a browser.
 */

import { withDefaults } from "./settings.js";

/** @type {typeof chrome} */
export const ext = /** @type {any} */ (globalThis).browser ?? globalThis.chrome;

const SETTINGS_KEY = "settings";

/** @returns {Promise<import("./settings.js").Settings>} */
export async function loadSettings() {
  const stored = await ext.storage.local.get(SETTINGS_KEY);
  return withDefaults(/** @type {Partial<import("./settings.js").Settings> | undefined} */ (stored[SETTINGS_KEY]));
}

/** @param {import("./settings.js").Settings} settings */
export async function saveSettings(settings) {
  await ext.storage.local.set({ [SETTINGS_KEY]: withDefaults(settings) });
}

/** @param {Record<string, chrome.storage.StorageChange>} changes */
export function settingsChanged(changes) {
  return Object.hasOwn(changes, SETTINGS_KEY);
}

/** Values kept for the browser session only (cleared when the browser closes). */
export const session = {
  /**
   * @param {string} key
   * @returns {Promise<any>} what was stored under `key` (undefined when nothing is)
   */
  async get(key) {
    const found = await ext.storage.session.get(key);
    return found[key];
  },
  /** @param {Record<string, unknown>} items */
  async set(items) {
    await ext.storage.session.set(items);
  },
  /** @param {string | string[]} keys */
  async remove(keys) {
    await ext.storage.session.remove(keys);
  },
};

/** @param {number} tabId */
export async function getTab(tabId) {
  return ext.tabs.get(tabId);
}

export async function activeTab() {
  const [tab] = await ext.tabs.query({ active: true, currentWindow: true });
  return tab;
}

/**
 * Send a message to the content script of a tab's top frame; null when none answers.
 * @param {number} tabId
 * @param {object} message
 */
export async function sendToTab(tabId, message) {
  try {
    return (await ext.tabs.sendMessage(tabId, message, { frameId: 0 })) ?? null;
  } catch {
    return null;
  }
}

/** @param {object} message */
export async function sendToBackground(message) {
  return ext.runtime.sendMessage(message);
}

export const CONTENT_FILES = Object.freeze({ js: ["content/content.js"], css: ["content/page.css"] });

/**
 * Put the content script and its page stylesheet into a tab's top frame.
 * @param {number} tabId
 */
export async function injectContent(tabId) {
  await ext.scripting.insertCSS({ target: { tabId }, files: CONTENT_FILES.css });
  await ext.scripting.executeScript({ target: { tabId }, files: CONTENT_FILES.js });
}

const AUTO_SCRIPT_ID = "gloss-auto";

/**
 * Replace the automatic content script registration: run on `matches` but never `excludeMatches`.
 * An empty `matches` leaves nothing registered.
 * @param {string[]} matches
 * @param {string[]} excludeMatches
 */
export async function registerAutoContent(matches, excludeMatches) {
  const existing = await ext.scripting.getRegisteredContentScripts({ ids: [AUTO_SCRIPT_ID] });
  if (existing.length) await ext.scripting.unregisterContentScripts({ ids: [AUTO_SCRIPT_ID] });
  if (!matches.length) return;
  /** @type {chrome.scripting.RegisteredContentScript} */
  const script = {
    id: AUTO_SCRIPT_ID,
    matches,
    js: [...CONTENT_FILES.js],
    css: [...CONTENT_FILES.css],
    runAt: "document_idle",
    allFrames: false,
  };
  if (excludeMatches.length) script.excludeMatches = excludeMatches;
  await ext.scripting.registerContentScripts([script]);
}

/** @param {string[]} origins */
export async function hasHostAccess(origins) {
  if (!origins.length) return true;
  try {
    return await ext.permissions.contains({ origins });
  } catch {
    return false;
  }
}

/**
 * Ask the reader for host access. Must be called straight from a click handler.
 * @param {string[]} origins
 */
export async function requestHostAccess(origins) {
  if (!origins.length) return true;
  return ext.permissions.request({ origins });
}

/**
 * @param {number} tabId
 * @param {string} text
 * @param {string} color
 */
export async function setBadge(tabId, text, color) {
  try {
    await ext.action.setBadgeBackgroundColor({ tabId, color });
    await ext.action.setBadgeText({ tabId, text });
    if (ext.action.setBadgeTextColor) await ext.action.setBadgeTextColor({ tabId, color: "#ffffff" });
  } catch {
    // The tab may have closed meanwhile.
  }
}

/**
 * @param {number} tabId
 * @param {string} title
 */
export async function setTitle(tabId, title) {
  try {
    await ext.action.setTitle({ tabId, title });
  } catch {
    // The tab may have closed meanwhile.
  }
}

/** @param {string} path */
export function extensionUrl(path) {
  return ext.runtime.getURL(path);
}
