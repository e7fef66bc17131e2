/**
 * The messages that extension parts exchange. Every message is a plain object with a `type`;
 * every reply is `{ok: true, ...}` or `{ok: false, error}`.
 *
 * To the background (chrome.runtime.sendMessage):
 *   match       {url, passages: [{id, text}], force?}   from a content script → {ok, cards, features}
 *   match-reworded {passages: [{id, text}]}             from a content script → {ok, cards}, after the
 *               first cards are drawn: claim notes matched by meaning (slower, so asked apart)
 *   anchored    {anchored: string[], orphans: string[]} from a content script → {ok}
 *   feedback    {noteId, helpful, reason?}             from a content script → {ok}
 *   check-tab   {tabId}                                from the popup        → {ok} | {ok:false, error}
 *   health      {serverUrl}                            from the options page → {ok, health}
 *   dismiss-banner {noteIds: string[]}                 from a content script → {ok}
 * To a content script (chrome.tabs.sendMessage):
 *   ping        {}                                     → {ok}
 *   check       {force}                                → {ok}
 *   reveal      {noteId}                               → {ok, found}
 *   next-card   {backwards?}                           → {ok, found}  (the keyboard shortcut)
 * The match reply also carries `dismissed`: publisher note ids whose banner the reader dismissed.
 */

export const MSG = Object.freeze({
  MATCH: "match",
  MATCH_REWORDED: "match-reworded",
  ANCHORED: "anchored",
  FEEDBACK: "feedback",
  CHECK_TAB: "check-tab",
  HEALTH: "health",
  PING: "ping",
  CHECK: "check",
  REVEAL: "reveal",
  DISMISS_BANNER: "dismiss-banner",
  NEXT_CARD: "next-card",
});

/** Reasons a reader may give when a card was not helpful, as the server names them. */
export const FEEDBACK_REASONS = Object.freeze([
  "wrong-passage",
  "inaccurate",
  "outdated",
  "unclear",
  "missing-sources",
  "other",
]);

/**
 * A successful reply.
 * @param {object} [fields]
 */
export function ok(fields = {}) {
  return { ...fields, ok: true };
}

/**
 * A failed reply: `error` is a short code, `detail` a sentence a reader may be shown.
 * @param {string} error
 * @param {string} [detail]
 * @param {object} [fields]  more about the failure (e.g. `retryAfter`, in seconds)
 */
export function fail(error, detail = "", fields = {}) {
  return { ...fields, ok: false, error, detail };
}

/**
 * Route a message to the handler named after its type; unknown types fail. Handlers may be async
 * and throw; the error becomes a failed reply.
 * @param {Record<string, (message: any, sender: any) => any>} handlers
 * @param {any} message
 * @param {any} sender
 * @returns {Promise<object>}
 */
export async function dispatch(handlers, message, sender) {
  const type = message && typeof message === "object" ? message.type : undefined;
  const handler = typeof type === "string" && Object.hasOwn(handlers, type) ? handlers[type] : null;
  if (!handler) return fail("unknown-message", `Unknown message type: ${String(type)}`);
  try {
    return await handler(message, sender);
  } catch (error) {
    return fail("internal", error instanceof Error ? error.message : String(error));
  }
}
