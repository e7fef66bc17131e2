/**
 * Builds the DOM of one context card: kind, rating, title, summary, source links and, when the
 * server takes it, feedback. Server text is set only as textContent; links are http(s) only and
 * open in a new tab without an opener or referrer.
 */

import { hostOf, kindLabel, ratingLabel, safeSources } from "../lib/cards.js";
import { FEEDBACK_REASONS } from "../lib/messages.js";
import { renderCredit } from "./credit-view.js";
import { h } from "./dom.js";

/** @type {Readonly<Record<string, string>>} */
const REASON_LABELS = {
  "wrong-passage": "Wrong passage",
  inaccurate: "Inaccurate",
  outdated: "Outdated",
  unclear: "Unclear",
  "missing-sources": "Missing sources",
  other: "Other",
};

let serial = 0;

/**
 * @param {any} card  a cleaned card (lib/cards.js cleanCard)
 * @param {{feedback: boolean, onFeedback: (noteId: string, helpful: boolean, reason?: string) => Promise<boolean>, onClose: () => void}} options
 * @returns {HTMLElement}
 */
export function renderCard(card, options) {
  serial += 1;
  const titleId = `gloss-card-title-${serial}`;
  const summaryId = `gloss-card-summary-${serial}`;
  const rating = ratingLabel(card.rating);
  const sources = safeSources(card);
  return h(
    "div",
    { class: `card kind-${card.kind || "claim"}`, role: "dialog", "aria-modal": "false", "aria-labelledby": titleId, "aria-describedby": summaryId, tabindex: "-1", "data-note-id": card.note_id },
    [
      h("div", { class: "card-head" }, [
        h("span", { class: "kind", text: kindLabel(card.kind, card.rating) }),
        rating && h("span", { class: `rating rating-${card.rating}`, text: rating }),
        h("button", { class: "close", type: "button", "aria-label": "Close card", title: "Close (Esc)", onclick: options.onClose }, ["×"]),
      ]),
      h("h2", { class: "title", id: titleId, text: card.title }),
      h("p", { class: "summary", id: summaryId, text: card.summary }),
      renderCredit(card),
      sources.length > 0 &&
        h("div", { class: "sources" }, [
          h("h3", { text: "Sources" }),
          h(
            "ul",
            {},
            sources.map((s) =>
              h("li", {}, [
                h("a", { href: s.url, target: "_blank", rel: "noopener noreferrer", referrerpolicy: "no-referrer", text: s.title }),
                h("span", { class: "host", text: ` ${hostOf(s.url)}` }),
              ]),
            ),
          ),
        ]),
      h("div", { class: "card-foot" }, [
        h("span", { class: "brand", text: "Gloss context note" }),
        options.feedback && renderFeedback(card.note_id, options.onFeedback),
      ]),
    ],
  );
}

/**
 * @param {string} noteId
 * @param {(noteId: string, helpful: boolean, reason?: string) => Promise<boolean>} send
 */
function renderFeedback(noteId, send) {
  const box = h("div", { class: "feedback", role: "group", "aria-label": "Was this card helpful?" });
  const done = (/** @type {boolean} */ sent) => {
    box.replaceChildren(h("span", { class: "thanks", role: "status", text: sent ? "Thanks for the feedback." : "Feedback could not be sent." }));
  };
  const reasons = () => {
    box.replaceChildren(
      h("span", { class: "ask", text: "What was wrong?" }),
      ...FEEDBACK_REASONS.map((reason) =>
        h("button", { type: "button", class: "chip", onclick: async () => done(await send(noteId, false, reason)) }, [REASON_LABELS[reason]]),
      ),
      h("button", { type: "button", class: "chip quiet", onclick: async () => done(await send(noteId, false)) }, ["Skip"]),
    );
    box.querySelector("button")?.focus();
  };
  box.append(
    h("span", { class: "ask", text: "Helpful?" }),
    h("button", { type: "button", class: "chip", "aria-label": "Helpful", onclick: async () => done(await send(noteId, true)) }, ["Yes"]),
    h("button", { type: "button", class: "chip", "aria-label": "Not helpful", onclick: reasons }, ["No"]),
  );
  return box;
}
