/**
 * The part of a card that credits imported data: a publisher's status by each source, rating
 * sets' scores, and the attribution (with its link and licence) that the data's licence asks
 * for. Server text only through textContent; links are http(s) only.
 */

import { safeHttpUrl } from "../lib/cards.js";
import { ratingLine, statusLine } from "../lib/credit.js";
import { h } from "./dom.js";

/**
 * @param {any} card a cleaned card (lib/cards.js cleanCard)
 * @returns {HTMLElement | null} nothing when the card has no imported data
 */
export function renderCredit(card) {
  const views = Array.isArray(card.reliability) ? card.reliability : [];
  const ratings = Array.isArray(card.ratings) ? card.ratings : [];
  const credits = Array.isArray(card.provenance) ? card.provenance.filter((/** @type {any} */ p) => p.attribution) : [];
  if (!views.length && !ratings.length && !credits.length) return null;
  return h("div", { class: "credit" }, [
    views.length > 0 &&
      h("ul", { class: "statuses", "aria-label": "Reliability" }, views.map((/** @type {any} */ v) => h("li", { class: `status status-${v.status}`, text: statusLine(v), title: v.source || null }))),
    ratings.length > 0 && h("ul", { class: "ratings", "aria-label": "Ratings" }, ratings.map((/** @type {any} */ r) => h("li", { text: ratingLine(r) }))),
    ...credits.map((/** @type {any} */ p) => {
      const link = safeHttpUrl(p.attribution_url);
      const licence = safeHttpUrl(p.licence_url);
      return h("p", { class: "attribution" }, [
        h("span", { text: p.attribution }),
        link && " ",
        link && h("a", { href: link, target: "_blank", rel: "noopener noreferrer", referrerpolicy: "no-referrer", text: "Source entry" }),
        licence && " · ",
        licence && h("a", { href: licence, target: "_blank", rel: "noopener noreferrer", referrerpolicy: "no-referrer", text: p.licence || "Licence" }),
      ]);
    }),
  ]);
}
