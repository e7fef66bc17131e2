/**
 * "Draft a Gloss note": where the curator console lives, and the address of its new-note form
 * prefilled from a selection. Pure functions; the background's draft-menu.js wires them to the
 * context menu.
 *
 * Only what the curator chose to share goes into the address: the selected text (the quote),
 * the page's address without query string, fragment or credentials (the source) and its host
 * (the domain). The extension sends nothing itself: it opens a tab on the reader's own console.
 */

export const DRAFT_MENU_ID = "gloss-draft-note";
export const CONSOLE_KEY = "draftConsole";
const MAX_QUOTE = 2000;

/**
 * The console's base address from what a reader typed ("https://gloss.example/console/",
 * "http://127.0.0.1:8000"), ending in /console; "" when it is not an http(s) address.
 * @param {unknown} input
 * @returns {string}
 */
export function consoleAddress(input) {
  const text = String(input ?? "").trim();
  if (!text) return "";
  let url;
  try {
    url = new URL(text);
  } catch {
    return "";
  }
  if ((url.protocol !== "http:" && url.protocol !== "https:") || url.username || url.password) return "";
  const path = url.pathname.replace(/\/+$/, "");
  return `${url.origin}${path.endsWith("/console") ? path : `${path}/console`}`;
}

/**
 * The page address as a source: http(s) only, without query string, fragment or credentials.
 * @param {string} pageUrl
 * @returns {URL | null}
 */
function sourceOf(pageUrl) {
  let url;
  try {
    url = new URL(pageUrl);
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  url.search = "";
  url.hash = "";
  url.username = "";
  url.password = "";
  return url;
}

/**
 * The new-note form of the console, prefilled with the selection, the page as source and its domain.
 * @param {string} console  a consoleAddress() result
 * @param {string} selection
 * @param {string} pageUrl
 * @returns {string}
 */
export function draftUrl(console, selection, pageUrl) {
  const params = new URLSearchParams();
  const quote = String(selection ?? "").replace(/\s+/g, " ").trim().slice(0, MAX_QUOTE);
  if (quote) params.set("quote", quote);
  const source = sourceOf(pageUrl);
  if (source) {
    params.set("source", source.href);
    params.set("domain", source.hostname.replace(/^www\./, ""));
  }
  return `${console}/notes/new?${params}`;
}
