/**
 * What a card says about where it comes from: each source's reliability status of a publisher,
 * rating sets' scores, and the attribution the data's licence asks for (CC BY-SA text must be
 * credited on screen). Pure functions; the server's fields are kept only in these shapes.
 */

const text = (/** @type {unknown} */ v) => (typeof v === "string" ? v : "");
const list = (/** @type {unknown} */ v) => (Array.isArray(v) ? v.filter((x) => x && typeof x === "object") : []);

/**
 * The credit fields of a raw card from the server, cleaned.
 * @param {any} raw
 */
export function cleanCredit(raw) {
  return {
    provenance: list(raw?.provenance).map((p) => ({
      attribution: text(p.attribution),
      attribution_url: text(p.attribution_url),
      licence: text(p.licence),
      licence_url: text(p.licence_url),
    })),
    reliability: list(raw?.reliability).map((v) => ({
      label: text(v.label),
      topic: text(v.topic),
      source: text(v.source),
      status: text(v.status),
    })),
    ratings: list(raw?.ratings).map((r) => ({
      set: text(r.set),
      label: text(r.label),
      value: typeof r.value === "number" && Number.isFinite(r.value) ? r.value : null,
      scale: text(r.scale),
    })),
  };
}

/**
 * One line per source's view of a publisher: "Generally unreliable (politics)".
 * @param {{label: string, topic: string}} view
 */
export function statusLine(view) {
  return view.topic ? `${view.label} (${view.topic})` : view.label;
}

/**
 * One line per rating: "Lin et al. 2023: 0.43 (0 to 1, higher is better quality)".
 * @param {{set: string, label: string, value: number | null, scale: string}} rating
 */
export function ratingLine(rating) {
  const value = rating.label || (rating.value === null ? "" : String(Math.round(rating.value * 100) / 100));
  return `${rating.set}: ${value}${rating.scale ? ` (${rating.scale})` : ""}`;
}
