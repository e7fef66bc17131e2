/**
 * Options page: server URL (with a health check), mode, and the allow and deny lists.
 *
 * Host access is asked for at the moment the reader saves a choice that needs it (the browser
 * requires the request to come straight from the click), and given back when no longer needed.
 */

import { ext, loadSettings, requestHostAccess, saveSettings } from "../lib/browser.js";
import { MSG } from "../lib/messages.js";
import { ALL_SITES, DEFAULTS, normalizeHostList, normalizeServerUrl, patternsForHost, serverPattern } from "../lib/settings.js";

const form = /** @type {HTMLFormElement} */ (document.getElementById("settings"));
const serverInput = /** @type {HTMLInputElement} */ (document.getElementById("server-url"));
const allowInput = /** @type {HTMLTextAreaElement} */ (document.getElementById("allow"));
const denyInput = /** @type {HTMLTextAreaElement} */ (document.getElementById("deny"));
const highlighterInput = /** @type {HTMLSelectElement} */ (document.getElementById("highlighter"));
const serverStatus = /** @type {HTMLElement} */ (document.getElementById("server-status"));
const saveStatus = /** @type {HTMLElement} */ (document.getElementById("save-status"));

/**
 * @param {HTMLElement} el
 * @param {string} text
 * @param {"ok" | "error" | ""} tone
 */
function say(el, text, tone = "") {
  el.textContent = text;
  el.className = `status ${tone}`;
}

function selectedMode() {
  const checked = /** @type {HTMLInputElement | null} */ (form.querySelector("input[name=mode]:checked"));
  return checked ? checked.value : DEFAULTS.mode;
}

/** The settings as the form shows them, cleaned. */
function readForm() {
  return {
    serverUrl: normalizeServerUrl(serverInput.value),
    mode: /** @type {import("../lib/settings.js").Mode} */ (selectedMode()),
    allow: normalizeHostList(allowInput.value),
    deny: normalizeHostList(denyInput.value),
    highlighter: /** @type {"auto" | "marks"} */ (highlighterInput.value === "marks" ? "marks" : "auto"),
  };
}

/** @param {import("../lib/settings.js").Settings} settings */
function fillForm(settings) {
  serverInput.value = settings.serverUrl;
  for (const input of form.querySelectorAll("input[name=mode]")) {
    /** @type {HTMLInputElement} */ (input).checked = /** @type {HTMLInputElement} */ (input).value === settings.mode;
  }
  allowInput.value = settings.allow.join("\n");
  denyInput.value = settings.deny.join("\n");
  highlighterInput.value = settings.highlighter;
}

/** @param {import("../lib/settings.js").Settings} settings */
function originsNeeded(settings) {
  const origins = [serverPattern(settings.serverUrl)];
  if (settings.mode === "all") origins.push(...ALL_SITES);
  if (settings.mode === "allowed") origins.push(...settings.allow.flatMap(patternsForHost));
  return origins;
}

document.getElementById("check-server")?.addEventListener("click", async () => {
  const serverUrl = normalizeServerUrl(serverInput.value);
  if (!serverUrl) {
    say(serverStatus, "Enter an http:// or https:// URL.", "error");
    return;
  }
  let granted;
  try {
    granted = await requestHostAccess([serverPattern(serverUrl)]);
  } catch {
    granted = false;
  }
  if (!granted) {
    say(serverStatus, "Gloss needs your permission to reach this server.", "error");
    return;
  }
  say(serverStatus, "Checking…");
  const reply = await ext.runtime.sendMessage({ type: MSG.HEALTH, serverUrl });
  if (!reply?.ok) {
    say(serverStatus, reply?.detail || "The server did not answer.", "error");
    return;
  }
  const { status, version, notes, features } = reply.health;
  const parts = [status === "ok" ? "Connected" : `Status: ${status}`];
  if (version) parts.push(`version ${version}`);
  if (notes !== null) parts.push(`${notes} notes`);
  if (features.length) parts.push(`offers ${features.join(", ")}`);
  say(serverStatus, parts.join(" · "), status === "ok" ? "ok" : "error");
});

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const settings = readForm();
  if (!settings.serverUrl) {
    say(saveStatus, "The server URL must start with http:// or https://.", "error");
    serverInput.focus();
    return;
  }
  if (settings.mode === "allowed" && !settings.allow.length) {
    say(saveStatus, "Add at least one allowed site, or choose another mode.", "error");
    allowInput.focus();
    return;
  }
  let granted;
  try {
    granted = await requestHostAccess(originsNeeded(settings));
  } catch {
    granted = false;
  }
  if (!granted) {
    say(saveStatus, "Not saved: Gloss needs your permission for the server and the sites this mode checks.", "error");
    return;
  }
  const before = await loadSettings();
  await saveSettings(settings);
  fillForm(settings);
  await releaseUnneeded(before, settings);
  say(saveStatus, "");
  const reply = await ext.runtime.sendMessage({ type: MSG.HEALTH, serverUrl: settings.serverUrl });
  if (reply?.ok) say(saveStatus, "Saved.", "ok");
  else say(saveStatus, `Saved, but the server at ${settings.serverUrl} does not answer: ${reply?.detail || "no reply."} Pages cannot be checked until it does.`, "error");
});

/**
 * Give back host access the new settings no longer need.
 * @param {import("../lib/settings.js").Settings} before
 * @param {import("../lib/settings.js").Settings} after
 */
async function releaseUnneeded(before, after) {
  const keep = new Set(originsNeeded(after));
  const drop = originsNeeded(before).filter((o) => !keep.has(o));
  for (const origin of drop) {
    try {
      await ext.permissions.remove({ origins: [origin] });
    } catch {
      // Access the manifest requires cannot be removed; that is fine.
    }
  }
}

loadSettings().then(fillForm);
