/**
 * The "Draft a Gloss note" context-menu item on selected text. It exists only while the reader
 * has set a console address in the options (storage key `draftConsole`); a click opens the
 * console's new-note form in a new tab, prefilled (see lib/draft.js). Nothing else is sent.
 */

import { ext } from "../lib/browser.js";
import { CONSOLE_KEY, DRAFT_MENU_ID, consoleAddress, draftUrl } from "../lib/draft.js";

/** The stored console address, cleaned; "" when none. */
async function storedConsole() {
  const stored = await ext.storage.local.get(CONSOLE_KEY);
  return consoleAddress(stored[CONSOLE_KEY]);
}

async function sync() {
  await ext.contextMenus.removeAll();
  if (!(await storedConsole())) return;
  ext.contextMenus.create({ id: DRAFT_MENU_ID, title: "Draft a Gloss note", contexts: ["selection"] });
}

/** @type {Promise<void>} */
let queue = Promise.resolve();

/**
 * Create or remove the menu item to match the options (idempotent; call on every start). Calls
 * run one after another, so a start-up and a settings change never create the item twice.
 * @returns {Promise<void>}
 */
export function syncDraftMenu() {
  queue = queue.then(sync, sync);
  return queue;
}

/**
 * @param {{menuItemId: string | number, selectionText?: string, pageUrl?: string}} info
 * @param {{url?: string, index?: number} | undefined} tab
 */
export async function onDraftMenuClick(info, tab) {
  if (info.menuItemId !== DRAFT_MENU_ID) return;
  const console = await storedConsole();
  if (!console) return;
  const url = draftUrl(console, info.selectionText ?? "", info.pageUrl ?? tab?.url ?? "");
  await ext.tabs.create({ url, ...(typeof tab?.index === "number" ? { index: tab.index + 1 } : {}) });
}

/**
 * @param {Record<string, unknown>} changes
 * @param {string} area
 */
export function draftConsoleChanged(changes, area) {
  return area === "local" && CONSOLE_KEY in changes;
}
