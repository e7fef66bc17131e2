/**
 * Gloss background service worker (Chrome) / event page (Firefox).
 *
 * Owns the network and storage. Listeners are registered at the top level so the browser can
 * wake the worker for them; state lives in chrome.storage, never only in variables.
 */

import { draftConsoleChanged, onDraftMenuClick, syncDraftMenu } from "./background/draft-menu.js";
import { handlers, onNextCardCommand } from "./background/handlers.js";
import { syncRegistration } from "./background/registration.js";
import { forgetTab } from "./background/tabs.js";
import { ext, settingsChanged } from "./lib/browser.js";
import { dispatch } from "./lib/messages.js";

ext.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (sender.id !== ext.runtime.id) return false;
  dispatch(handlers, message, sender).then(sendResponse);
  return true;
});

ext.runtime.onInstalled.addListener(() => {
  syncRegistration();
});

ext.runtime.onStartup.addListener(() => {
  syncRegistration();
});

ext.storage.onChanged.addListener((changes, area) => {
  if (area === "local" && settingsChanged(changes)) syncRegistration();
});

ext.permissions.onAdded.addListener(() => {
  syncRegistration();
});

ext.permissions.onRemoved.addListener(() => {
  syncRegistration();
});

ext.tabs.onRemoved.addListener((tabId) => {
  forgetTab(tabId);
});

// "Draft a Gloss note" (background/draft-menu.js): the menu item follows the options.
ext.contextMenus.onClicked.addListener((info, tab) => {
  onDraftMenuClick(info, tab);
});

ext.runtime.onInstalled.addListener(() => {
  syncDraftMenu();
});

ext.runtime.onStartup.addListener(() => {
  syncDraftMenu();
});

ext.storage.onChanged.addListener((changes, area) => {
  if (draftConsoleChanged(changes, area)) syncDraftMenu();
});

ext.commands?.onCommand.addListener((command, tab) => {
  if (command === "next-card" && tab?.id !== undefined) onNextCardCommand(tab.id);
});
