/**
 * Builds the banner that introduces the page's publishers: one line naming them, details on
 * demand, and a dismiss button. Server text only through textContent.
 */

import { hostOf, ratingLabel, safeSources } from "../lib/cards.js";
import { renderCredit } from "./credit-view.js";
import { h } from "./dom.js";

/**
 * @param {any[]} cards publisher cards
 * @param {{onDismiss: () => void, expanded?: boolean}} options
 */
export function renderBanner(cards, options) {
  const details = h(
    "div",
    { class: "banner-details", id: "gloss-banner-details", hidden: !options.expanded },
    cards.map((card) =>
      h("div", { class: "banner-card", "data-note-id": card.note_id }, [
        h("div", { class: "banner-card-head" }, [
          h("strong", { class: "banner-title", text: card.title }),
          ratingLabel(card.rating) && h("span", { class: `rating rating-${card.rating}`, text: ratingLabel(card.rating) }),
        ]),
        h("p", { class: "summary", text: card.summary }),
        renderCredit(card),
        safeSources(card).length > 0 &&
          h(
            "ul",
            { class: "banner-sources" },
            safeSources(card).map((s) =>
              h("li", {}, [
                h("a", { href: s.url, target: "_blank", rel: "noopener noreferrer", referrerpolicy: "no-referrer", text: s.title }),
                h("span", { class: "host", text: ` ${hostOf(s.url)}` }),
              ]),
            ),
          ),
      ]),
    ),
  );
  const toggle = h("button", { type: "button", class: "banner-toggle", "aria-expanded": String(Boolean(options.expanded)), "aria-controls": "gloss-banner-details" }, [options.expanded ? "Hide" : "Details"]);
  toggle.addEventListener("click", () => {
    const open = details.hidden;
    details.hidden = !open;
    toggle.setAttribute("aria-expanded", String(open));
    toggle.textContent = open ? "Hide" : "Details";
  });
  const names = h("span", { class: "banner-names" });
  cards.forEach((card, i) => {
    if (i) names.append(h("span", { class: "sep", "aria-hidden": "true", text: " · " }));
    names.append(h("span", { class: "banner-name", text: card.title }));
    const rating = ratingLabel(card.rating);
    if (rating) names.append(h("span", { class: `rating mini rating-${card.rating}`, text: rating }));
  });
  return h("section", { class: "banner", role: "region", "aria-label": "Gloss: about the publishers of this page" }, [
    h("div", { class: "banner-row" }, [
      h("span", { class: "logo", "aria-hidden": "true", text: "G" }),
      h("span", { class: "banner-lead", text: cards.length > 1 ? "Publishers:" : "Publisher:" }),
      names,
      toggle,
      h("button", { type: "button", class: "close", "aria-label": "Dismiss publisher banner", title: "Dismiss", onclick: options.onDismiss }, ["×"]),
    ]),
    details,
  ]);
}
