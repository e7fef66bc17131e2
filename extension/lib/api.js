/**
 * Client for the Gloss server's public API: /v1/match, /v1/health and card feedback.
 *
 * Runs only in the background service worker, which holds the host permission for the server.
 * Every call has a timeout. Errors are thrown as ApiError with a short `code`; RFC 9457 problem
 * bodies supply the detail. Page text is never logged.
 */

import { cleanCard } from "./cards.js";

export const LIMITS = Object.freeze({
  passages: 2000,
  passageChars: 20000,
  bodyBytes: 2 * 1024 * 1024,
});
export const TIMEOUT_MS = 10000;

export class ApiError extends Error {
  /**
   * @param {string} code  "unreachable" | "timeout" | "http" | "bad-response"
   * @param {string} message
   * @param {number} [status]
   * @param {number} [retryAfter]  seconds the server asked to wait (Retry-After), 0 if it did not
   */
  constructor(code, message, status = 0, retryAfter = 0) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.status = status;
    this.retryAfter = retryAfter;
  }
}

/**
 * Split passages into request bodies that respect the server's limits (count and body size),
 * keeping page order.
 * @param {string} url
 * @param {{id: string, text: string}[]} passages
 * @returns {{id: string, text: string}[][]}
 */
export function batchPassages(url, passages) {
  const encoder = new TextEncoder();
  const overhead = encoder.encode(JSON.stringify({ url, passages: [] })).length + 1024;
  const batches = [];
  let batch = [];
  let bytes = overhead;
  for (const passage of passages) {
    const size = encoder.encode(JSON.stringify(passage)).length + 1;
    if (batch.length && (batch.length >= LIMITS.passages || bytes + size > LIMITS.bodyBytes)) {
      batches.push(batch);
      batch = [];
      bytes = overhead;
    }
    batch.push(passage);
    bytes += size;
  }
  if (batch.length) batches.push(batch);
  return batches;
}

/**
 * Merge card lists from several responses: one card per note, anchors concatenated, publisher
 * cards first.
 * @param {any[][]} lists
 */
export function mergeCards(lists) {
  /** @type {Map<string, any>} */
  const byNote = new Map();
  for (const list of lists) {
    for (const card of list) {
      const known = byNote.get(card.note_id);
      if (known) known.anchors.push(...card.anchors);
      else byNote.set(card.note_id, { ...card, anchors: [...card.anchors] });
    }
  }
  const cards = [...byNote.values()];
  return [...cards.filter((c) => c.kind === "publisher"), ...cards.filter((c) => c.kind !== "publisher")];
}

/**
 * Ask the server which passages match curated notes.
 * @param {typeof fetch} fetchImpl
 * @param {string} serverUrl
 * @param {string} url          page URL as it may be sent (see settings.urlToSend)
 * @param {{id: string, text: string}[]} passages
 * @param {string[] | null} [tiers]  which cards to find ("quote", "reworded"); the server's default when null
 * @returns {Promise<any[]>} cleaned cards
 */
export async function match(fetchImpl, serverUrl, url, passages, tiers = null) {
  const lists = [];
  for (const batch of batchPassages(url, passages)) {
    const body = await request(fetchImpl, `${serverUrl}/v1/match`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(tiers ? { url, passages: batch, tiers } : { url, passages: batch }),
    });
    if (!body || !Array.isArray(body.cards)) throw new ApiError("bad-response", "The server sent no cards list.");
    lists.push(body.cards.map(cleanCard).filter(Boolean));
  }
  return mergeCards(lists);
}

/**
 * The server's health document: {status, version, notes, features}.
 * @param {typeof fetch} fetchImpl
 * @param {string} serverUrl
 */
export async function health(fetchImpl, serverUrl) {
  const body = await request(fetchImpl, `${serverUrl}/v1/health`, {
    method: "GET",
    headers: { Accept: "application/json" },
  });
  if (!body || typeof body !== "object") throw new ApiError("bad-response", "The server sent no health document.");
  return {
    status: typeof body.status === "string" ? body.status : "unknown",
    version: typeof body.version === "string" ? body.version : "",
    notes: Number.isInteger(body.notes) ? body.notes : null,
    features: Array.isArray(body.features) ? body.features.filter((/** @type {unknown} */ f) => typeof f === "string") : [],
  };
}

/**
 * Tell the server whether a card helped.
 * @param {typeof fetch} fetchImpl
 * @param {string} serverUrl
 * @param {string} noteId
 * @param {{helpful: boolean, reason?: string}} feedback
 */
export async function sendFeedback(fetchImpl, serverUrl, noteId, feedback) {
  await request(fetchImpl, `${serverUrl}/v1/cards/${encodeURIComponent(noteId)}/feedback`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(feedback),
  });
}

/**
 * One HTTP exchange with a timeout; returns the parsed JSON body (or null when empty).
 * @param {typeof fetch} fetchImpl
 * @param {string} url
 * @param {RequestInit} init
 */
async function request(fetchImpl, url, init) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  let response;
  try {
    response = await fetchImpl(url, {
      ...init,
      signal: controller.signal,
      credentials: "omit",
      cache: "no-store",
      referrerPolicy: "no-referrer",
    });
  } catch (error) {
    if (controller.signal.aborted) throw new ApiError("timeout", `No answer from the server within ${TIMEOUT_MS / 1000} s.`);
    throw new ApiError("unreachable", "The Gloss server cannot be reached.");
  } finally {
    clearTimeout(timer);
  }
  const text = await response.text().catch(() => "");
  let body = null;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      throw new ApiError("bad-response", `The server answered ${response.status} with a body that is not JSON.`, response.status);
    }
  }
  if (!response.ok) {
    const detail = body && typeof body.detail === "string" ? body.detail : body && typeof body.title === "string" ? body.title : "";
    const message = `The server answered ${response.status}${detail ? `: ${detail}` : "."}`;
    throw new ApiError("http", message, response.status, retryAfterSeconds(response.headers.get("Retry-After")));
  }
  return body;
}

/** Longest wait a server's Retry-After may impose on a page, in seconds. */
const MAX_RETRY_AFTER_S = 600;

/**
 * Seconds from a Retry-After header (a number of seconds or an HTTP date), at most
 * MAX_RETRY_AFTER_S; 0 when absent or unreadable.
 * @param {string | null} value
 */
export function retryAfterSeconds(value) {
  if (!value) return 0;
  const trimmed = value.trim();
  const seconds = /^\d+$/.test(trimmed) ? Number(trimmed) : (Date.parse(trimmed) - Date.now()) / 1000;
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(Math.ceil(seconds), MAX_RETRY_AFTER_S) : 0;
}
