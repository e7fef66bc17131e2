/**
 * How a reworded card tells the reader what it is: the page's sentence was not quoted by the
 * note, it resembles a claim that was fact-checked. The card shows the checked claim next to
 * the page's sentence so the reader can judge the match. Server text only as textContent.
 */

import { h } from "./dom.js";

export const REWORDED_LABEL = "A similar claim was fact-checked";

/**
 * @param {any} card  a cleaned card
 * @returns {boolean}
 */
export function isReworded(card) {
  return card?.match === "reworded";
}

/**
 * The two texts side by side: the claim the note checked, and the sentence on this page.
 * @param {any} card
 * @returns {HTMLElement}
 */
export function renderComparison(card) {
  const sentence = card.anchors?.[0]?.exact ?? "";
  return h("div", { class: "reworded" }, [
    h("p", { class: "reworded-note", text: "Not a quote: this page says something close to a claim the note checked. Compare them:" }),
    h("figure", { class: "compare" }, [
      h("figcaption", { text: "Checked claim" }),
      h("blockquote", { class: "checked-claim", text: card.claim ?? "" }),
    ]),
    sentence &&
      h("figure", { class: "compare" }, [
        h("figcaption", { text: "On this page" }),
        h("blockquote", { class: "page-sentence", text: sentence }),
      ]),
  ]);
}
