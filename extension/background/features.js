/**
 * The server's health and features, remembered for a few minutes per server URL so that each
 * page check does not also call /v1/health.
 */

import { health } from "../lib/api.js";
import { session } from "../lib/browser.js";

const TTL_MS = 5 * 60 * 1000;

/**
 * Features the server offers ("match", "feedback", …); [] when it cannot tell.
 * @param {string} serverUrl
 * @returns {Promise<string[]>}
 */
export async function serverFeatures(serverUrl) {
  const key = `health:${serverUrl}`;
  const cached = await session.get(key);
  if (cached && Date.now() - cached.at < TTL_MS) return cached.features;
  try {
    const doc = await health(fetch, serverUrl);
    await session.set({ [key]: { features: doc.features, at: Date.now() } });
    return doc.features;
  } catch {
    return [];
  }
}
