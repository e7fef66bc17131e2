/**
 * Options page: the curator console address for "Draft a Gloss note" (background/draft-menu.js).
 * Kept under its own storage key, saved with the form's Save button.
 */

import { ext } from "../lib/browser.js";
import { CONSOLE_KEY, consoleAddress } from "../lib/draft.js";

const form = /** @type {HTMLFormElement} */ (document.getElementById("settings"));
const input = /** @type {HTMLInputElement} */ (document.getElementById("draft-console"));
const status = /** @type {HTMLElement} */ (document.getElementById("draft-console-status"));

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const typed = input.value.trim();
  const address = consoleAddress(typed);
  if (typed && !address) {
    status.textContent = "The console address must start with http:// or https://.";
    status.className = "status error";
    return;
  }
  if (address) await ext.storage.local.set({ [CONSOLE_KEY]: address });
  else await ext.storage.local.remove(CONSOLE_KEY);
  input.value = address;
  status.textContent = address ? "Draft a Gloss note: on." : "Draft a Gloss note: off.";
  status.className = "status ok";
});

ext.storage.local.get(CONSOLE_KEY).then((/** @type {Record<string, unknown>} */ stored) => {
  input.value = typeof stored[CONSOLE_KEY] === "string" ? stored[CONSOLE_KEY] : "";
});
