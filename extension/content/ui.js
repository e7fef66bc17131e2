/**
 * Gloss's UI on the page: one host element holding a closed shadow root (the page's scripts and
 * styles cannot read or restyle it), with
 *  - the publisher banner,
 *  - one invisible, focusable trigger button over each highlight (the CSS Highlight API leaves
 *    nothing to focus), so Tab reaches every highlight, Enter opens its card and Escape closes it,
 *  - the card popover, opened by hover, focus or click.
 * Mouse hover and click on highlights are found by hit-testing the ranges' rectangles, since
 * highlights are not elements.
 */

import { kindLabel } from "../lib/cards.js";
import { REWORDED_LABEL, isReworded } from "./reworded-view.js";
import { renderBanner } from "./banner-view.js";
import { renderCard } from "./card-view.js";
import { h } from "./dom.js";
import { UI_CSS } from "./ui-style.js";

const HOVER_OPEN_MS = 220;
const HOVER_CLOSE_MS = 350;
const GAP = 8;

/**
 * @typedef {object} Item
 * @property {string} noteId
 * @property {any} card
 * @property {Range} range
 * @property {HTMLButtonElement} trigger
 * @property {{left: number, top: number, right: number, bottom: number}[]} rects  in host coordinates
 */

export class GlossUi {
  /**
   * @param {{onFeedback: (noteId: string, helpful: boolean, reason?: string) => Promise<boolean>, onActive: (range: Range | null) => void}} hooks
   */
  constructor(hooks) {
    this.hooks = hooks;
    this.host = document.createElement("gloss-context");
    this.host.style.cssText =
      "all: initial !important; display: block !important; position: absolute !important; top: 0 !important; left: 0 !important; width: 0 !important; height: 0 !important; overflow: visible !important; z-index: 2147483647 !important;";
    this.root = this.host.attachShadow({ mode: "closed" });
    adoptStyles(this.root, UI_CSS);
    this.bannerSlot = h("div", { class: "layer banner-layer" });
    this.layer = h("div", { class: "layer" });
    this.root.append(this.bannerSlot, this.layer);
    document.documentElement.append(this.host);

    /** @type {Map<string, any>} */
    this.cards = new Map();
    /** @type {string[]} */
    this.features = [];
    /** @type {Item[]} */
    this.items = [];
    /** @type {{item: Item, el: HTMLElement, mode: "hover" | "focus" | "pinned", rect: any} | null} */
    this.open = null;
    this.bannerDismissed = false;
    this.bannerKey = "";
    this.dirty = true;
    /** @type {Item | null} */
    this.hoverItem = null;
    this.openTimer = 0;
    this.closeTimer = 0;
    this.frame = 0;
    this.refocusing = false;

    this.onPointerMove = this.onPointerMove.bind(this);
    this.onClick = this.onClick.bind(this);
    this.onKeyDown = this.onKeyDown.bind(this);
    this.onLayoutChange = this.onLayoutChange.bind(this);
    window.addEventListener("pointermove", this.onPointerMove, { capture: true, passive: true });
    window.addEventListener("click", this.onClick, true);
    window.addEventListener("keydown", this.onKeyDown, true);
    window.addEventListener("resize", this.onLayoutChange, { passive: true });
    window.addEventListener("scroll", this.onLayoutChange, { capture: true, passive: true });
  }

  /** The host element: collectors must skip it. */
  get element() {
    return this.host;
  }

  /**
   * @param {any[]} cards
   * @param {string[]} features
   */
  setCards(cards, features) {
    this.cards = new Map(cards.map((c) => [c.note_id, c]));
    this.features = features;
    const publishers = cards.filter((c) => c.kind === "publisher");
    const key = publishers.map((c) => c.note_id).join("|");
    if (key !== this.bannerKey) {
      this.bannerKey = key;
      this.renderBanner(publishers, false);
    }
  }

  /**
   * @param {any[]} publishers
   * @param {boolean} expanded
   */
  renderBanner(publishers, expanded) {
    if (this.bannerDismissed || !publishers.length) {
      this.bannerSlot.replaceChildren();
      return;
    }
    this.bannerSlot.replaceChildren(
      renderBanner(publishers, {
        expanded,
        onDismiss: () => {
          this.bannerDismissed = true;
          this.bannerSlot.replaceChildren();
        },
      }),
    );
  }

  /**
   * Show triggers for the placed anchors (document order).
   * @param {{noteId: string, range: Range}[]} placed
   */
  setPlaced(placed) {
    const openNote = this.open?.item.noteId;
    const openIndex = this.open ? this.items.filter((it) => it.noteId === openNote).indexOf(this.open.item) : -1;
    const hadFocus = this.open?.mode === "pinned" && this.root.activeElement !== null;
    this.closeCard();
    for (const item of this.items) item.trigger.remove();
    this.items = [];
    for (const { noteId, range } of placed) {
      const card = this.cards.get(noteId);
      if (!card) continue;
      /** @type {Item} */
      const item = { noteId, card, range, trigger: /** @type {HTMLButtonElement} */ (document.createElement("button")), rects: [] };
      item.trigger = this.makeTrigger(item);
      this.items.push(item);
    }
    this.layer.append(...this.items.map((it) => it.trigger));
    this.dirty = true;
    this.layout();
    if (openNote && openIndex >= 0) {
      const again = this.items.filter((it) => it.noteId === openNote)[openIndex];
      if (again) this.openCard(again, "pinned", hadFocus);
    }
  }

  /** @param {Item} item */
  makeTrigger(item) {
    const what = isReworded(item.card) ? REWORDED_LABEL.toLowerCase() : kindLabel(item.card.kind, item.card.rating);
    const label = `Gloss note, ${what}: ${item.card.title}`;
    const button = /** @type {HTMLButtonElement} */ (
      h("button", { type: "button", class: "trigger", "aria-haspopup": "dialog", "aria-expanded": "false", "data-note-id": item.noteId }, [
        h("span", { class: "sr", text: label }),
      ])
    );
    button.addEventListener("focus", () => {
      if (this.refocusing) return;
      if (!this.open || this.open.item !== item) this.openCard(item, "focus", false);
    });
    button.addEventListener("blur", (event) => {
      const next = /** @type {Node | null} */ (event.relatedTarget);
      if (this.open?.item === item && this.open.mode === "focus" && !(next && this.open.el.contains(next))) this.closeCard();
    });
    button.addEventListener("click", () => this.openCard(item, "pinned", true));
    return button;
  }

  /** Recompute highlight rectangles and trigger positions. */
  layout() {
    const origin = this.host.getBoundingClientRect();
    for (const item of this.items) {
      item.rects = [...item.range.getClientRects()]
        .filter((r) => r.width > 0 && r.height > 0)
        .map((r) => ({ left: r.left - origin.left, top: r.top - origin.top, right: r.right - origin.left, bottom: r.bottom - origin.top }));
      const first = item.rects[0];
      const style = item.trigger.style;
      if (!first) {
        style.display = "none";
        continue;
      }
      style.display = "block";
      style.left = `${first.left}px`;
      style.top = `${first.top}px`;
      style.width = `${first.right - first.left}px`;
      style.height = `${first.bottom - first.top}px`;
    }
    this.dirty = false;
    if (this.open) this.positionCard();
  }

  onLayoutChange() {
    this.dirty = true;
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      if (this.dirty) this.layout();
    });
  }

  /**
   * The item whose highlight is under a viewport point, and the rectangle hit.
   * @param {number} x
   * @param {number} y
   */
  hitTest(x, y) {
    if (!this.items.length) return null;
    if (this.dirty) this.layout();
    const origin = this.host.getBoundingClientRect();
    const hx = x - origin.left;
    const hy = y - origin.top;
    for (const item of this.items) {
      for (const r of item.rects) {
        if (hx >= r.left - 1 && hx <= r.right + 1 && hy >= r.top - 1 && hy <= r.bottom + 1) return { item, rect: r };
      }
    }
    return null;
  }

  /** @param {PointerEvent} event */
  onPointerMove(event) {
    if (event.pointerType === "touch") return;
    if (event.target === this.host) {
      clearTimeout(this.closeTimer);
      return;
    }
    const hit = this.hitTest(event.clientX, event.clientY);
    const item = hit?.item ?? null;
    if (item && this.open?.item === item) {
      clearTimeout(this.closeTimer);
      this.hoverItem = item;
      return;
    }
    if (item !== this.hoverItem) {
      this.hoverItem = item;
      clearTimeout(this.openTimer);
      if (item && this.open?.mode !== "pinned") {
        this.openTimer = setTimeout(() => {
          if (this.hoverItem === item) this.openCard(item, "hover", false, hit?.rect);
        }, HOVER_OPEN_MS);
      }
    }
    if (!item && this.open?.mode === "hover") {
      clearTimeout(this.closeTimer);
      this.closeTimer = setTimeout(() => {
        if (this.open?.mode === "hover" && !this.hoverItem) this.closeCard();
      }, HOVER_CLOSE_MS);
    }
  }

  /** @param {MouseEvent} event */
  onClick(event) {
    if (event.target === this.host) return;
    const selection = document.getSelection();
    if (selection && !selection.isCollapsed) return;
    const hit = this.hitTest(event.clientX, event.clientY);
    if (hit) this.openCard(hit.item, "pinned", false, hit.rect);
    else if (this.open) this.closeCard();
  }

  /** @param {KeyboardEvent} event */
  onKeyDown(event) {
    if (event.key !== "Escape" || !this.open) return;
    const trigger = this.open.item.trigger;
    const focusInside = this.root.activeElement !== null;
    this.closeCard();
    if (focusInside) this.focusQuietly(trigger);
    event.stopPropagation();
  }

  /**
   * @param {Item} item
   * @param {"hover" | "focus" | "pinned"} mode
   * @param {boolean} focus  move keyboard focus into the card
   * @param {any} [rect]     the highlight rectangle to place the card beside
   */
  openCard(item, mode, focus, rect) {
    clearTimeout(this.openTimer);
    clearTimeout(this.closeTimer);
    if (this.open?.item === item) {
      if (mode === "pinned" || (mode === "focus" && this.open.mode === "hover")) this.open.mode = mode;
      this.open.el.inert = this.open.mode === "focus";
      if (focus) this.open.el.focus({ preventScroll: true });
      return;
    }
    this.closeCard();
    const el = renderCard(item.card, {
      feedback: this.features.includes("feedback"),
      onFeedback: this.hooks.onFeedback,
      onClose: () => {
        const inside = this.root.activeElement !== null;
        this.closeCard();
        if (inside) this.focusQuietly(item.trigger);
      },
    });
    el.inert = mode === "focus";
    el.addEventListener("focusout", (event) => {
      const next = /** @type {Node | null} */ (event.relatedTarget);
      if (this.open?.el === el && this.open.mode !== "hover" && next && !el.contains(next) && next !== item.trigger && next !== this.host) {
        this.closeCard();
      }
    });
    el.id = "gloss-card";
    item.trigger.after(el);
    item.trigger.setAttribute("aria-expanded", "true");
    item.trigger.setAttribute("aria-controls", el.id);
    this.open = { item, el, mode, rect: rect ?? null };
    this.hooks.onActive(item.range);
    if (this.dirty) this.layout();
    this.positionCard();
    if (focus) el.focus({ preventScroll: true });
  }

  /**
   * Return focus to a trigger without opening its preview again.
   * @param {HTMLElement} trigger
   */
  focusQuietly(trigger) {
    this.refocusing = true;
    try {
      trigger.focus({ preventScroll: true });
    } finally {
      this.refocusing = false;
    }
  }

  closeCard() {
    clearTimeout(this.openTimer);
    clearTimeout(this.closeTimer);
    if (!this.open) return;
    const { item, el } = this.open;
    this.open = null;
    el.remove();
    item.trigger.setAttribute("aria-expanded", "false");
    item.trigger.removeAttribute("aria-controls");
    this.hooks.onActive(null);
  }

  positionCard() {
    if (!this.open) return;
    const { item, el } = this.open;
    const rect = this.open.rect && item.rects.some((r) => r.top === this.open?.rect.top) ? this.open.rect : item.rects[0];
    if (!rect) return;
    const origin = this.host.getBoundingClientRect();
    const viewLeft = -origin.left;
    const viewTop = -origin.top;
    const viewWidth = document.documentElement.clientWidth || window.innerWidth;
    const viewHeight = window.innerHeight;
    const width = el.offsetWidth;
    const height = el.offsetHeight;
    // Beside the whole highlight, not just the line hit, so the card hides none of it.
    const above = Math.min(...item.rects.map((r) => r.top));
    const below = Math.max(...item.rects.map((r) => r.bottom));
    let top = below + GAP;
    if (top + height > viewTop + viewHeight - GAP && above - GAP - height >= viewTop + GAP) top = above - GAP - height;
    const left = Math.max(viewLeft + GAP, Math.min(rect.left, viewLeft + viewWidth - width - GAP));
    el.style.left = `${left}px`;
    el.style.top = `${top}px`;
  }

  /**
   * Scroll to a note's first highlight and open its card; publishers without highlights open the
   * banner's details instead.
   * @param {string} noteId
   */
  reveal(noteId) {
    const item = this.items.find((it) => it.noteId === noteId);
    if (item) {
      this.layout();
      item.trigger.style.display = "block";
      item.trigger.scrollIntoView({ block: "center", behavior: "instant" });
      this.layout();
      this.openCard(item, "pinned", true);
      return true;
    }
    const card = this.cards.get(noteId);
    if (card?.kind === "publisher") {
      this.bannerDismissed = false;
      this.renderBanner([...this.cards.values()].filter((c) => c.kind === "publisher"), true);
      return true;
    }
    return false;
  }

  destroy() {
    window.removeEventListener("pointermove", this.onPointerMove, true);
    window.removeEventListener("click", this.onClick, true);
    window.removeEventListener("keydown", this.onKeyDown, true);
    window.removeEventListener("resize", this.onLayoutChange);
    window.removeEventListener("scroll", this.onLayoutChange, true);
    this.host.remove();
  }
}

/**
 * Constructable stylesheets are not subject to the page's style-src CSP; fall back to a <style>
 * element where a browser refuses to adopt them across the content-script boundary.
 * @param {ShadowRoot} root
 * @param {string} css
 */
function adoptStyles(root, css) {
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [sheet];
  } catch {
    const style = document.createElement("style");
    style.textContent = css;
    root.append(style);
  }
}
