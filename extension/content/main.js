/**
 * Gloss content script. Thin on purpose: it collects the page's passages, asks the background
 * for cards, places and draws them, and answers the popup. It holds no settings or secrets and
 * never talks to the network itself.
 *
 * After the first check a debounced MutationObserver looks for content that appears later; only
 * passages never checked before on this page are sent.
 */

import { ext } from "../lib/browser.js";
import { MSG, fail, ok } from "../lib/messages.js";
import { placeAnchors } from "./anchor.js";
import { createHighlighter } from "./highlight.js";
import { collectPassages } from "./passages.js";
import { GlossUi } from "./ui.js";

const DEBOUNCE_MS = 800;

const state = {
  page: pageKey(location.href),
  /** @type {Map<string, any>} */
  cards: new Map(),
  /** @type {import("./anchor.js").StoredAnchor[]} */
  anchors: [],
  /** @type {Set<string>} passage texts already checked on this page */
  sent: new Set(),
  nextId: 0,
  /** @type {string[]} */
  features: [],
  useMarks: false,
  /** @type {ReturnType<typeof createHighlighter> | null} */
  highlighter: null,
  /** @type {GlossUi | null} */
  ui: null,
  /** @type {MutationObserver | null} */
  observer: null,
  timer: 0,
  busy: false,
  pending: false,
  pendingForce: false,
  stopped: false,
  reported: "",
};

/** Entry point, called once per page by content/index.js. */
export function start() {
  ext.runtime.onMessage.addListener(onMessage);
  check(false);
}

/**
 * @param {any} message
 * @param {chrome.runtime.MessageSender} sender
 * @param {(reply: object) => void} sendResponse
 */
function onMessage(message, sender, sendResponse) {
  if (sender.id !== ext.runtime.id) return false;
  switch (message?.type) {
    case MSG.PING:
      sendResponse(ok());
      break;
    case MSG.CHECK:
      state.stopped = false;
      check(Boolean(message.force));
      sendResponse(ok());
      break;
    case MSG.REVEAL:
      sendResponse(ok({ found: state.ui ? state.ui.reveal(String(message.noteId)) : false }));
      break;
    default:
      sendResponse(fail("unknown-message"));
  }
  return false;
}

/**
 * Send the passages not checked yet, then draw everything known for this page.
 * @param {boolean} force  ask again for every passage, bypassing the background's cache
 */
async function check(force) {
  if (state.busy) {
    state.pending = true;
    state.pendingForce ||= force;
    return;
  }
  state.busy = true;
  disconnect();
  try {
    if (pageKey(location.href) !== state.page) resetForNewPage();
    if (force) {
      state.cards.clear();
      state.anchors = [];
      state.sent.clear();
    }
    const fresh = [];
    const seen = new Set();
    for (const passage of collectPassages(document.body ?? document.documentElement, { skip: state.ui?.element })) {
      if (state.sent.has(passage.text) || seen.has(passage.text)) continue;
      seen.add(passage.text);
      fresh.push({ id: `p${state.nextId++}`, text: passage.text });
    }
    if (fresh.length) {
      const reply = await ext.runtime.sendMessage({ type: MSG.MATCH, url: location.href, passages: fresh, force });
      for (const p of fresh) state.sent.add(p.text);
      if (!reply?.ok) {
        if (reply?.error === "denied" || reply?.error === "not-requested") stop();
        return;
      }
      state.features = Array.isArray(reply.features) ? reply.features : [];
      state.useMarks = reply.highlighter === "marks";
      remember(reply.cards, fresh);
    }
    render();
  } catch (error) {
    console.warn("Gloss:", error instanceof Error ? error.message : error);
  } finally {
    state.busy = false;
    if (!state.stopped) observe();
    if (state.pending) {
      const again = state.pendingForce;
      state.pending = false;
      state.pendingForce = false;
      check(again);
    }
  }
}

/**
 * Keep the reply's cards, and their anchors keyed by the text of the passage they point into.
 * @param {any[]} cards
 * @param {{id: string, text: string}[]} sent
 */
function remember(cards, sent) {
  const textOf = new Map(sent.map((p) => [p.id, p.text]));
  for (const card of Array.isArray(cards) ? cards : []) {
    if (!state.cards.has(card.note_id)) state.cards.set(card.note_id, { ...card, anchors: [] });
    const kept = state.cards.get(card.note_id);
    for (const anchor of card.anchors) {
      const passageText = textOf.get(anchor.passage_id);
      if (passageText === undefined) continue;
      kept.anchors.push(anchor);
      state.anchors.push({ noteId: card.note_id, passageText, start: anchor.start, end: anchor.end, exact: anchor.exact });
    }
  }
}

/** Draw highlights, triggers and banner for everything known, on the DOM as it is now. */
function render() {
  if (!state.cards.size) {
    teardownUi();
    report([], []);
    return;
  }
  if (!state.ui) {
    state.highlighter = createHighlighter({ useMarks: state.useMarks });
    state.ui = new GlossUi({
      onFeedback: sendFeedback,
      onActive: (range) => state.highlighter?.setActive(range),
    });
  }
  const ui = state.ui;
  const highlighter = /** @type {NonNullable<typeof state.highlighter>} */ (state.highlighter);
  ui.setCards([...state.cards.values()], state.features);
  highlighter.clear();
  const passages = collectPassages(document.body ?? document.documentElement, { skip: ui.element });
  const placed = placeAnchors(state.anchors, passages);
  const ranges = highlighter.draw(placed.map((p) => ({ range: p.range, kind: state.cards.get(p.anchor.noteId)?.kind ?? "claim" })));
  ui.setPlaced(placed.map((p, i) => ({ noteId: p.anchor.noteId, range: ranges[i] })));

  const placedNotes = new Set(placed.map((p) => p.anchor.noteId));
  /** @type {string[]} */
  const anchored = [];
  /** @type {string[]} */
  const orphans = [];
  for (const card of state.cards.values()) {
    const hostMatchedPublisher = card.kind === "publisher" && !card.anchors.length;
    (placedNotes.has(card.note_id) || hostMatchedPublisher ? anchored : orphans).push(card.note_id);
  }
  report(anchored, orphans);
}

/**
 * @param {string[]} anchored
 * @param {string[]} orphans
 */
function report(anchored, orphans) {
  const key = JSON.stringify([anchored, orphans]);
  if (key === state.reported) return;
  state.reported = key;
  ext.runtime.sendMessage({ type: MSG.ANCHORED, anchored, orphans }).catch(() => {});
}

/**
 * @param {string} noteId
 * @param {boolean} helpful
 * @param {string} [reason]
 */
async function sendFeedback(noteId, helpful, reason) {
  try {
    const reply = await ext.runtime.sendMessage({ type: MSG.FEEDBACK, noteId, helpful, reason });
    return Boolean(reply?.ok);
  } catch {
    return false;
  }
}

function observe() {
  if (state.observer || !document.body) return;
  state.observer = new MutationObserver((records) => {
    if (!records.some(isRelevant)) return;
    clearTimeout(state.timer);
    state.timer = setTimeout(() => check(false), DEBOUNCE_MS);
  });
  state.observer.observe(document.body, { childList: true, subtree: true, characterData: true });
}

/** @param {MutationRecord} record */
function isRelevant(record) {
  if (record.type === "characterData") return true;
  const hasText = (/** @type {Node} */ n) => (n.nodeType === Node.TEXT_NODE || n.nodeType === Node.ELEMENT_NODE) && Boolean(n.textContent?.trim());
  return [...record.addedNodes].some(hasText) || [...record.removedNodes].some(hasText);
}

function disconnect() {
  clearTimeout(state.timer);
  state.observer?.disconnect();
  state.observer = null;
}

function stop() {
  state.stopped = true;
  disconnect();
}

function resetForNewPage() {
  state.page = pageKey(location.href);
  state.cards.clear();
  state.anchors = [];
  state.sent.clear();
  state.reported = "";
  teardownUi();
}

function teardownUi() {
  state.highlighter?.clear();
  state.highlighter = null;
  state.ui?.destroy();
  state.ui = null;
}

/** @param {string} url */
function pageKey(url) {
  const at = url.indexOf("#");
  return at < 0 ? url : url.slice(0, at);
}
