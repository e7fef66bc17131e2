/**
 * Reader settings: their defaults, how they are cleaned, and which sites they let Gloss check.
 *
 * Pure functions over plain data; storage lives in lib/browser.js. Hosts in the allow and deny
 * lists match themselves and their subdomains ("example.com" covers "www.example.com").
 */

/** @typedef {"click" | "allowed" | "all"} Mode */
/**
 * @typedef {object} Settings
 * @property {string} serverUrl  origin (and optional path prefix) of the Gloss server, no trailing slash
 * @property {Mode} mode         when pages are checked
 * @property {string[]} allow    hosts checked automatically in "allowed" mode
 * @property {string[]} deny     hosts never checked, whatever the mode
 * @property {"auto" | "marks"} highlighter  CSS Custom Highlights when available, or inline <mark>s
 */

export const DEFAULT_SERVER_URL = "http://127.0.0.1:8000";
export const MODES = /** @type {const} */ (["click", "allowed", "all"]);

/** @type {Settings} */
export const DEFAULTS = Object.freeze({
  serverUrl: DEFAULT_SERVER_URL,
  mode: "click",
  allow: [],
  deny: [],
  highlighter: "auto",
});

/** Host permission patterns that "every page" mode needs. */
export const ALL_SITES = ["http://*/*", "https://*/*"];

/**
 * Turn what a reader typed ("https://www.Example.com/a", "*.example.com", "example.com.") into a
 * bare lower-case host name, or "" when it is not one.
 * @param {string} input
 * @returns {string}
 */
export function normalizeHost(input) {
  let text = String(input ?? "").trim().toLowerCase();
  if (!text) return "";
  text = text.replace(/^\*\./, "");
  if (!/^[a-z][a-z0-9+.-]*:\/\//.test(text)) text = `http://${text}`;
  let host;
  try {
    host = new URL(text).hostname;
  } catch {
    return "";
  }
  host = host.replace(/\.$/, "");
  if (!host || host.includes("*")) return "";
  return host;
}

/**
 * Clean a list of hosts: normalized, without blanks or duplicates, sorted.
 * @param {unknown} list
 * @returns {string[]}
 */
export function normalizeHostList(list) {
  const items = Array.isArray(list) ? list : String(list ?? "").split(/[\s,]+/);
  return [...new Set(items.map(normalizeHost).filter(Boolean))].sort();
}

/**
 * Clean a server URL: http(s) only, no query or fragment, no trailing slash; "" when invalid.
 * @param {string} input
 * @returns {string}
 */
export function normalizeServerUrl(input) {
  let url;
  try {
    url = new URL(String(input ?? "").trim());
  } catch {
    return "";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return "";
  if (url.username || url.password) return "";
  return `${url.origin}${url.pathname}`.replace(/\/+$/, "");
}

/**
 * Settings as stored, completed with defaults and cleaned.
 * @param {Partial<Settings> | undefined} stored
 * @returns {Settings}
 */
export function withDefaults(stored) {
  const raw = stored && typeof stored === "object" ? stored : {};
  return {
    serverUrl: normalizeServerUrl(raw.serverUrl ?? "") || DEFAULTS.serverUrl,
    mode: MODES.includes(/** @type {Mode} */ (raw.mode)) ? /** @type {Mode} */ (raw.mode) : DEFAULTS.mode,
    allow: normalizeHostList(raw.allow ?? []),
    deny: normalizeHostList(raw.deny ?? []),
    highlighter: raw.highlighter === "marks" ? "marks" : "auto",
  };
}

/**
 * Whether `host` is `entry` or one of its subdomains.
 * @param {string} host
 * @param {string} entry
 */
export function hostMatches(host, entry) {
  return host === entry || host.endsWith(`.${entry}`);
}

/**
 * Whether a page may be checked at all: http(s) and not on the deny list.
 * @param {Settings} settings
 * @param {string} pageUrl
 */
export function isCheckable(settings, pageUrl) {
  let url;
  try {
    url = new URL(pageUrl);
  } catch {
    return false;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return false;
  const host = url.hostname.replace(/\.$/, "").toLowerCase();
  return !settings.deny.some((entry) => hostMatches(host, entry));
}

/**
 * Whether a page is checked without the reader asking, in the current mode.
 * @param {Settings} settings
 * @param {string} pageUrl
 */
export function isAutomatic(settings, pageUrl) {
  if (!isCheckable(settings, pageUrl)) return false;
  if (settings.mode === "all") return true;
  if (settings.mode !== "allowed") return false;
  const host = new URL(pageUrl).hostname.replace(/\.$/, "").toLowerCase();
  return settings.allow.some((entry) => hostMatches(host, entry));
}

/**
 * Match patterns covering a host and its subdomains, over http and https. Each scheme is named:
 * `chrome.permissions.request` grants only patterns that the manifest's
 * `optional_host_permissions` (`http://*\/*`, `https://*\/*`) contain, and `*://` is not one of them.
 * @param {string} host
 * @returns {string[]}
 */
export function patternsForHost(host) {
  const isAddress = /^[\d.]+$/.test(host) || host.startsWith("[");
  const hosts = isAddress ? [host] : [host, `*.${host}`];
  return ["http", "https"].flatMap((scheme) => hosts.map((h) => `${scheme}://${h}/*`));
}

/**
 * Match pattern for the server's origin (match patterns carry no port).
 * @param {string} serverUrl
 */
export function serverPattern(serverUrl) {
  const url = new URL(serverUrl);
  return `${url.protocol}//${url.hostname}/*`;
}

/**
 * The page URL as sent to the server: no credentials, query string or fragment, which can carry
 * session tokens or personal data and which the server does not need.
 * @param {string} pageUrl
 */
export function urlToSend(pageUrl) {
  const url = new URL(pageUrl);
  return `${url.protocol}//${url.host}${url.pathname}`;
}
