/**
 * Gloss content script. Thin on purpose: it collects the page's passages, asks the background
 * for cards, places and draws them, and answers the popup. It holds no settings or secrets and
 * never talks to the network itself.
 *
 * After the first check a throttled MutationObserver looks for content that appears later; only
 * passages never checked before on this page are sent, and a passage whose only change is a number
 * (a clock, a counter) is never sent again. Text that replaces text already read is sent only once
 * it has stayed the same for QUIET_MS, so a block that keeps changing in words too ("1 reader is"
 * becoming "2 readers are", a ticker) is never sent again either. When the server fails, the page
 * says so and asks again later, so it recovers by itself when the server is back.
 */

import { ext } from "../lib/browser.js";
import { MSG, fail, ok } from "../lib/messages.js";
import { placeAnchors } from "./anchor.js";
import { createHighlighter } from "./highlight.js";
import { blockOf, collectPassagesSliced } from "./passages.js";
import { GlossUi } from "./ui.js";

const DEBOUNCE_MS = 800;
/** A block already read whose text changed is sent again only after it stays unchanged this long. */
const QUIET_MS = 3000;
/** Waits before asking a failing server again: soon at first, then less and less often. */
const RETRY_MS = [3000, 5000, 10000, 15000, 30000, 60000, 120000];
/** Replies that mean "do not ask from this page", as opposed to "the server failed". */
const REFUSALS = new Set(["denied", "not-requested", "bad-sender"]);

const state = {
  page: pageKey(location.href),
  /** @type {Map<string, any>} */
  cards: new Map(),
  /** @type {import("./anchor.js").StoredAnchor[]} */
  anchors: [],
  /** @type {Set<string>} passage texts, numbers masked, already answered on this page */
  sent: new Set(),
  /** @type {WeakMap<Element, string>} each read block's text (numbers masked) when last read */
  blocks: new WeakMap(),
  /** @type {Set<Node>} nodes changed since the last check */
  dirty: new Set(),
  /** @type {Map<Element, number>} blocks read before whose text changed since, with the time of the last change */
  changing: new Map(),
  /** @type {Set<Element>} hidden subtrees with text, and hidden frames, as of the last reading */
  hidden: new Set(),
  /** a change showed one of `hidden` since the last check */
  revealed: false,
  /** @type {Element[]} bodies of the same-origin frames read last time */
  frameBodies: [],
  quietTimer: 0,
  /** bumped by every relevant change, so a check knows whether its passages are still current */
  generation: 0,
  nextId: 0,
  /** @type {string[]} */
  features: [],
  /** @type {string[]} */
  dismissed: [],
  useMarks: false,
  /** @type {ReturnType<typeof createHighlighter> | null} */
  highlighter: null,
  /** @type {GlossUi | null} */
  ui: null,
  /** @type {MutationObserver | null} */
  observer: null,
  timer: 0,
  retryTimer: 0,
  failures: 0,
  /** @type {{detail: string, retryAt: number} | null} */
  failure: null,
  busy: false,
  pending: false,
  pendingForce: false,
  stopped: false,
  reported: "",
};

/** Entry point, called once per page by content/index.js. */
export function start() {
  ext.runtime.onMessage.addListener(onMessage);
  addEventListener("online", retryNow);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && state.failure && state.failure.retryAt <= Date.now()) retryNow();
  });
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
    case MSG.NEXT_CARD:
      sendResponse(ok({ found: state.ui ? state.ui.focusNext(message.backwards === true) : false }));
      break;
    default:
      sendResponse(fail("unknown-message"));
  }
  return false;
}

/**
 * A passage's identity for "already sent": its text with every run of digits masked, so that a
 * clock, a counter or a "5 minutes ago" changing never makes the passage new again.
 * @param {string} text
 */
function sentKey(text) {
  return text.replace(/\d[\d.,:]*/g, "#");
}

/** @param {Element} el */
function blockText(el) {
  return sentKey((el.textContent ?? "").replace(/\s+/g, " ").trim());
}

/**
 * Send the passages not checked yet, then draw everything known for this page. A failed request
 * leaves its passages unsent, tells the reader, and is tried again later.
 * @param {boolean} force  ask again for every passage, bypassing the background's cache
 */
async function check(force) {
  if (state.busy) {
    state.pending = true;
    state.pendingForce ||= force;
    return;
  }
  state.busy = true;
  clearTimeout(state.timer);
  state.timer = 0;
  clearTimeout(state.retryTimer);
  state.dirty.clear();
  try {
    if (pageKey(location.href) !== state.page) resetForNewPage();
    if (force) {
      state.cards.clear();
      state.anchors = [];
      state.sent.clear();
    }
    const root = document.body ?? document.documentElement;
    const generation = state.generation;
    let passages = await collectAll(root);
    const fresh = [];
    const seen = new Set();
    const settled = Date.now() - QUIET_MS;
    for (const passage of passages) {
      if (!force && (state.changing.get(passage.el) ?? -Infinity) > settled) continue;
      const key = sentKey(passage.text);
      if (state.sent.has(key) || seen.has(key)) continue;
      seen.add(key);
      fresh.push({ id: `p${state.nextId++}`, text: passage.text });
    }
    if (fresh.length) {
      const reply = await ext.runtime.sendMessage({ type: MSG.MATCH, url: location.href, passages: fresh, force });
      if (!reply?.ok) {
        if (REFUSALS.has(reply?.error)) stop();
        else failed(reply?.detail || "The Gloss server could not be asked.", Number(reply?.retryAfter) || 0);
        return;
      }
      for (const p of fresh) state.sent.add(sentKey(p.text));
      recovered();
      state.features = Array.isArray(reply.features) ? reply.features : [];
      state.dismissed = Array.isArray(reply.dismissed) ? reply.dismissed : [];
      state.useMarks = reply.highlighter === "marks";
      remember(reply.cards, fresh);
      if (state.generation !== generation) passages = await collectAll(root);
      render(passages);
      if (state.features.includes("reworded")) askReworded(fresh);
    } else if (force || !state.ui || state.ui.hasDetached()) render(passages);
    for (const passage of passages) {
      if (!force && (state.changing.get(passage.el) ?? -Infinity) > settled) continue;
      state.blocks.set(passage.el, blockText(passage.el));
    }
    for (const [block, at] of state.changing) if (force || at <= settled) state.changing.delete(block);
  } catch (error) {
    console.warn("Gloss:", error instanceof Error ? error.message : error);
  } finally {
    state.busy = false;
    if (!state.stopped) observe();
    state.observer?.takeRecords();
    waitForQuiet();
    if (state.pending) {
      const again = state.pendingForce;
      state.pending = false;
      state.pendingForce = false;
      check(again);
    }
  }
}

/**
 * The reworded tier is slower: its cards come in a second request, sent once the first cards
 * are drawn and answered outside the check, so that checking the page never waits for it.
 * @param {{id: string, text: string}[]} fresh  the passages the first request sent
 */
async function askReworded(fresh) {
  const page = state.page;
  const more = await ext.runtime.sendMessage({ type: MSG.MATCH_REWORDED, passages: fresh }).catch(() => null);
  if (state.page !== page || !more?.ok || !Array.isArray(more.cards) || !more.cards.length) return;
  remember(more.cards, fresh);
  const passages = await collectAll(document.body ?? document.documentElement);
  if (state.page === page) render(passages);
}

/**
 * The page's passages, then those of its same-origin frames (an article shown in an iframe is
 * still what the reader reads); other frames are out of reach, as they should be.
 * @param {Element} root
 * @returns {Promise<import("./passages.js").Passage[]>}
 */
async function collectAll(root) {
  /** @type {Set<Element>} */
  const hidden = new Set();
  const passages = await collectPassagesSliced(root, { skip: state.ui?.element, hidden });
  /** @type {Element[]} */
  const frameBodies = [];
  for (const frame of document.querySelectorAll("iframe, frame")) {
    let doc;
    try {
      doc = /** @type {HTMLIFrameElement} */ (frame).contentDocument;
    } catch {
      doc = null;
    }
    // Cross-origin frames have no readable document and are never watched.
    if (!doc) continue;
    const body = doc.body;
    // Still being parsed (no body yet), hidden, or not laid out yet: its load is looked at.
    if (!body || !frame.checkVisibility?.({ visibilityProperty: true })) {
      if (body) hidden.add(frame); // shown later (a tab, a "Read more"): read then
      watchFrame(frame);
      continue;
    }
    const framed = await collectPassagesSliced(body, { hidden });
    if (!framed.length) watchFrame(frame);
    frameBodies.push(body);
    passages.push(...framed);
  }
  state.hidden = hidden;
  state.frameBodies = frameBodies;
  return passages;
}

/** @type {WeakSet<Element>} frames whose loads start a check */
const watchedFrames = new WeakSet();

/**
 * A frame that had nothing to read may still be loading when the page is checked (Firefox
 * runs content scripts before the page's frames finish): check again when it loads. Only
 * passages not yet sent are sent.
 * @param {Element} frame
 */
function watchFrame(frame) {
  if (watchedFrames.has(frame)) return;
  watchedFrames.add(frame);
  frame.addEventListener("load", () => {
    if (!state.stopped) check(false);
  });
  // Reading is sliced: the frame may have finished loading while it was read, before this
  // listener was there to hear it. Then look again now (a running check takes it as pending).
  const doc = /** @type {HTMLIFrameElement} */ (frame).contentDocument;
  if (doc?.readyState === "complete" && doc.body?.textContent?.trim() && !state.stopped) check(false);
}

/**
 * The server could not answer: say so on the page and try again later, never sooner than the
 * server asked (Retry-After, when it sent one).
 * @param {string} detail
 * @param {number} retryAfter  seconds
 */
function failed(detail, retryAfter) {
  const wait = Math.max(RETRY_MS[Math.min(state.failures, RETRY_MS.length - 1)], retryAfter * 1000);
  state.failures += 1;
  state.failure = { detail, retryAt: Date.now() + wait };
  clearTimeout(state.retryTimer);
  state.retryTimer = setTimeout(retryNow, wait);
  ensureUi().setNotice({ detail, retryAt: state.failure.retryAt, onRetry: retryNow });
}

function recovered() {
  state.failures = 0;
  state.failure = null;
  clearTimeout(state.retryTimer);
  state.ui?.setNotice(null);
}

function retryNow() {
  if (!state.failure || state.stopped) return;
  check(false);
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

function ensureUi() {
  if (!state.ui) {
    state.highlighter = createHighlighter({ useMarks: state.useMarks, dark: pageIsDark() });
    state.ui = new GlossUi({
      onFeedback: sendFeedback,
      onActive: (range) => state.highlighter?.setActive(range),
      onDismissBanner: (noteIds) => {
        ext.runtime.sendMessage({ type: MSG.DISMISS_BANNER, noteIds }).catch(() => {});
      },
    });
  }
  return state.ui;
}

/**
 * Draw highlights, triggers and banner for everything known, on the DOM as it is now.
 * @param {import("./passages.js").Passage[]} passages  the page's passages, freshly collected
 */
function render(passages) {
  if (!state.cards.size) {
    if (!state.failure) teardownUi();
    report([], []);
    return;
  }
  const ui = ensureUi();
  const highlighter = /** @type {NonNullable<typeof state.highlighter>} */ (state.highlighter);
  ui.setCards([...state.cards.values()], state.features, state.dismissed);
  highlighter.clear();
  const placed = placeAnchors(state.anchors, passages);
  const ranges = highlighter.draw(placed.map((p) => {
    const card = state.cards.get(p.anchor.noteId);
    return { range: p.range, kind: card?.kind ?? "claim", rating: card?.rating ?? null };
  }));
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
 * Whether the page is drawn light on dark, judged from the first opaque background behind the
 * article, so highlights can use colours that stay readable on it.
 */
function pageIsDark() {
  for (const el of [document.body, document.documentElement]) {
    if (!el) continue;
    const rgb = getComputedStyle(el).backgroundColor.match(/[\d.]+/g)?.map(Number) ?? [];
    if (rgb.length < 3 || rgb[3] === 0) continue;
    const [r, g, b] = rgb.map((v) => v / 255);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.4;
  }
  return matchMedia("(prefers-color-scheme: dark)").matches && getComputedStyle(document.documentElement).colorScheme.includes("dark");
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
  if (!state.observer && document.body) startObserving();
  if (!state.observer) return;
  // The same-origin frames read last time: text they add or show later is checked too.
  for (const body of state.frameBodies) {
    if (observedFrames.has(body) || !body.isConnected) continue;
    observedFrames.add(body);
    state.observer.observe(body, OBSERVED);
  }
}

/** @type {WeakSet<Element>} frame bodies the current observer watches */
let observedFrames = new WeakSet();

function startObserving() {
  observedFrames = new WeakSet();
  state.observer = new MutationObserver((records) => {
    let relevant = false;
    for (const record of records) {
      if (record.type === "attributes") {
        // Shown text is read however its block compares: a block's text includes the hidden
        // part (textContent) that the reading left out.
        if (revealed(/** @type {Element} */ (record.target))) state.revealed = relevant = true;
        continue;
      }
      if (!isRelevant(record)) continue;
      relevant = true;
      state.dirty.add(record.target);
    }
    if (!relevant) return;
    state.generation += 1;
    // At most one look per DEBOUNCE_MS, however often the page changes (a clock never settles).
    if (!state.timer) state.timer = setTimeout(onSettled, DEBOUNCE_MS);
  });
  state.observer.observe(document.body, OBSERVED);
}

/** Attributes whose change can show hidden text: a "Read more" toggles a class or a style. */
const REVEALING_ATTRIBUTES = ["class", "style", "hidden"];

/** @type {MutationObserverInit} */
const OBSERVED = {
  childList: true,
  subtree: true,
  characterData: true,
  attributes: true,
  attributeFilter: REVEALING_ATTRIBUTES,
};

/**
 * Whether a change to `target`'s attributes made visible a hidden subtree (text or a frame) of
 * the last reading. Only those subtrees are looked at, so a page that restyles itself all the
 * time (an animation, a carousel) costs a containment test per hidden subtree.
 * @param {Element} target
 */
function revealed(target) {
  if (!state.hidden.size || state.ui?.owns(target) || state.highlighter?.owns(target)) return false;
  let shown = false;
  for (const el of state.hidden) {
    if (!el.isConnected || !target.contains(el)) continue;
    if (el.checkVisibility?.({ visibilityProperty: true }) && !el.closest("[hidden]")) {
      state.hidden.delete(el);
      shown = true;
    }
  }
  return shown;
}

/**
 * The page stopped changing for a moment. New blocks are checked at once. A block already read
 * whose text, numbers aside, is the same (a clock, a counter) costs a few comparisons, not a walk
 * of the whole page; one whose words changed waits until it has been quiet for QUIET_MS (a
 * corrected paragraph is then checked; a ticker never is).
 */
function onSettled() {
  state.timer = 0;
  if (state.revealed) {
    state.revealed = false;
    check(false);
    return;
  }
  const root = document.body ?? document.documentElement;
  const now = Date.now();
  for (const node of state.dirty) {
    const el = node.nodeType === Node.ELEMENT_NODE ? /** @type {Element} */ (node) : node.parentElement;
    if (!el || !el.isConnected) continue;
    if (state.ui?.owns(el)) continue;
    const block = blockOf(el, root);
    const read = state.blocks.get(block);
    if (read === undefined || state.ui?.hasDetached()) {
      check(false);
      return;
    }
    if (read !== blockText(block)) state.changing.set(block, now);
  }
  state.dirty.clear();
  waitForQuiet();
}

/**
 * Check again when the earliest of the changed blocks has been quiet for QUIET_MS. A block that
 * keeps changing pushes its own time forward at every change, so it never comes due.
 */
function waitForQuiet() {
  clearTimeout(state.quietTimer);
  state.quietTimer = 0;
  // A failing server is asked again by the retry timer, not by this one.
  if (state.stopped || state.failure) return;
  let earliest = Infinity;
  for (const [block, at] of state.changing) {
    if (!block.isConnected) state.changing.delete(block);
    else earliest = Math.min(earliest, at);
  }
  if (earliest === Infinity) return;
  state.quietTimer = setTimeout(() => {
    state.quietTimer = 0;
    if (!state.stopped) check(false);
  }, Math.max(DEBOUNCE_MS, earliest + QUIET_MS - Date.now()));
}

/** @param {MutationRecord} record */
function isRelevant(record) {
  if (state.highlighter?.owns(record.target)) return false;
  if (record.type === "characterData") return true;
  const hasText = (/** @type {Node} */ n) => (n.nodeType === Node.TEXT_NODE || n.nodeType === Node.ELEMENT_NODE) && !state.highlighter?.owns(n) && Boolean(n.textContent?.trim());
  return [...record.addedNodes].some(hasText) || [...record.removedNodes].some(hasText);
}

function disconnect() {
  clearTimeout(state.timer);
  state.timer = 0;
  clearTimeout(state.quietTimer);
  state.quietTimer = 0;
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
  state.blocks = new WeakMap();
  state.changing.clear();
  recovered();
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
