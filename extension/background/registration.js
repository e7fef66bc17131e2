/**
 * Keeps the automatic content script registration in line with the reader's settings and the
 * host access they granted: every site in "all" mode, the allowed sites in "allowed" mode,
 * nothing in "click" mode, and never a denied site.
 */

import { hasHostAccess, loadSettings, registerAutoContent } from "../lib/browser.js";
import { ALL_SITES, patternsForHost } from "../lib/settings.js";

let queue = Promise.resolve();

/** Re-register; calls are serialized so that two quick changes cannot race. */
export function syncRegistration() {
  queue = queue.then(apply, apply);
  return queue;
}

async function apply() {
  const settings = await loadSettings();
  /** @type {string[]} */
  let wanted = [];
  if (settings.mode === "all") wanted = ALL_SITES;
  else if (settings.mode === "allowed") wanted = settings.allow.flatMap(patternsForHost);
  const granted = [];
  for (const pattern of wanted) {
    if (await hasHostAccess([pattern])) granted.push(pattern);
  }
  try {
    await registerAutoContent(granted, settings.deny.flatMap(patternsForHost));
  } catch (error) {
    console.warn("Gloss: could not register the content script:", error instanceof Error ? error.message : error);
  }
}
