/**
 * Toolbar popup: the tab's cards (with those the page could not place), a way to jump to each
 * highlight, and a button to check the page now. In "only when I click" mode, opening the popup
 * is the click: an unchecked page is checked at once.
 *
 * The popup can also be opened as a page for a given tab: popup.html?tab=<id>.
 */

import { hostOf, kindLabel, ratingLabel, safeSources } from "../lib/cards.js";
import { activeTab, ext, getTab, loadSettings, sendToTab, session } from "../lib/browser.js";
import { MSG } from "../lib/messages.js";
import { isCheckable } from "../lib/settings.js";

const statusEl = /** @type {HTMLElement} */ (document.getElementById("status"));
const checkButton = /** @type {HTMLButtonElement} */ (document.getElementById("check"));

/**
 * @param {string} tag
 * @param {Record<string, string>} [attrs]
 * @param {(Node | string | null | false)[]} [children]
 */
function el(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else node.setAttribute(k, v);
  }
  for (const c of children) if (c) node.append(c);
  return node;
}

/**
 * @param {string} text
 * @param {boolean} [error]
 */
function say(text, error = false) {
  statusEl.textContent = text;
  statusEl.className = error ? "status error" : "status";
}

/** @param {string} url */
function pageKey(url) {
  const at = url.indexOf("#");
  return at < 0 ? url : url.slice(0, at);
}

async function targetTabId() {
  const param = new URLSearchParams(location.search).get("tab");
  if (param !== null && /^\d+$/.test(param)) return Number(param);
  return (await activeTab())?.id;
}

/**
 * @param {any} card
 * @param {number} tabId
 * @param {boolean} onPage
 */
function renderCard(card, tabId, onPage) {
  const rating = ratingLabel(card.rating);
  const sources = safeSources(card);
  const li = el("li", { class: `card kind-${card.kind}`, "data-note-id": card.note_id }, [
    el("div", { class: "meta" }, [el("span", { class: "kind", text: kindLabel(card.kind, card.rating) }), rating && el("span", { class: `rating rating-${card.rating}`, text: rating })]),
    el("div", { class: "title", text: card.title }),
    el("p", { class: "summary", text: card.summary }),
  ]);
  if (onPage) {
    const show = el("button", { type: "button", class: "show", text: card.kind === "publisher" && !card.anchors.length ? "Show details" : "Show on page" });
    show.addEventListener("click", async () => {
      await sendToTab(tabId, { type: MSG.REVEAL, noteId: card.note_id });
      if (new URLSearchParams(location.search).get("tab") === null) window.close();
    });
    li.append(show);
  } else if (sources.length) {
    li.append(
      el(
        "ul",
        { class: "sources" },
        sources.map((s) => el("li", {}, [el("a", { href: s.url, target: "_blank", rel: "noopener noreferrer", text: s.title }), ` ${hostOf(s.url)}`])),
      ),
    );
  }
  return li;
}

/** Whether the popup itself has asked for a check that has not been answered yet. */
let checking = false;

/**
 * @param {any} state
 * @param {number} tabId
 */
function renderState(state, tabId) {
  const found = /** @type {HTMLElement} */ (document.getElementById("found"));
  const orphans = /** @type {HTMLElement} */ (document.getElementById("orphans"));
  const orphanIds = new Set(state?.orphans ?? []);
  const cards = state?.cards ?? [];
  const onPage = cards.filter((/** @type {any} */ c) => !orphanIds.has(c.note_id));
  const missing = cards.filter((/** @type {any} */ c) => orphanIds.has(c.note_id));
  /** @type {HTMLElement} */ (document.getElementById("found-list")).replaceChildren(...onPage.map((/** @type {any} */ c) => renderCard(c, tabId, true)));
  /** @type {HTMLElement} */ (document.getElementById("orphan-list")).replaceChildren(...missing.map((/** @type {any} */ c) => renderCard(c, tabId, false)));
  found.hidden = onPage.length === 0;
  orphans.hidden = missing.length === 0;
  if (!state) say(checking ? "Checking…" : "This page has not been checked.");
  else if (state.status === "error") say(state.error || "The Gloss server could not be reached.", true);
  else if (state.status === "checking") say("Checking…");
  else if (!cards.length) say("No context cards for this page.");
  else say(`${cards.length} context card${cards.length === 1 ? "" : "s"} for this page.`);
}

/**
 * @param {number} tabId
 * @param {boolean} force
 */
async function checkNow(tabId, force) {
  checkButton.disabled = true;
  checking = true;
  say("Checking…");
  const reply = await ext.runtime.sendMessage({ type: MSG.CHECK_TAB, tabId, force });
  checkButton.disabled = false;
  if (!reply?.ok) {
    checking = false;
    say(reply?.detail || "This page cannot be checked.", true);
  }
}

async function main() {
  document.getElementById("settings")?.addEventListener("click", (event) => {
    event.preventDefault();
    ext.runtime.openOptionsPage();
  });
  const tabId = await targetTabId();
  if (tabId === undefined) {
    say("No tab to check.", true);
    checkButton.disabled = true;
    return;
  }
  const [settings, tab] = await Promise.all([loadSettings(), getTab(tabId).catch(() => null)]);
  const url = tab?.url ?? "";
  if (!url || !isCheckable(settings, url)) {
    checkButton.disabled = true;
    say(url && /^https?:/.test(url) ? "This site is on your deny list: Gloss sends nothing from it." : "Gloss checks web pages only.");
    return;
  }
  const stateKey = `tab:${tabId}`;
  const current = (/** @type {any} */ s) => (s && s.url === pageKey(url) ? s : null);
  const state = current(await session.get(stateKey));
  renderState(state, tabId);
  ext.storage.onChanged.addListener((changes, area) => {
    if (area === "session" && changes[stateKey]) renderState(current(changes[stateKey].newValue), tabId);
  });
  checkButton.addEventListener("click", () => checkNow(tabId, true));
  showShortcut();
  // Opening the popup is asking: an unchecked page (in click mode) or a failed check is tried now.
  if ((!state && settings.mode === "click") || state?.status === "error") await checkNow(tabId, false);
}

/** Name the keyboard shortcut for the next card, as the reader (or browser) set it. */
async function showShortcut() {
  const commands = (await ext.commands?.getAll?.().catch(() => [])) ?? [];
  const next = commands.find((c) => c.name === "next-card");
  const hint = document.getElementById("shortcut");
  if (hint && next?.shortcut) hint.textContent = `${next.shortcut} moves to the next card.`;
}

main();
