/**
 * Gloss's UI on the page, in closed shadow roots (the page's scripts and styles cannot read or
 * restyle it):
 *  - one host at the end of the document holding the publisher banner, the notice shown when the
 *    server fails, and the card popover, opened by hover, focus or click;
 *  - one "stops" host placed just before the first highlighted block, holding an invisible,
 *    focusable trigger button per highlight (the CSS Highlight API leaves nothing to focus), so
 *    Tab reaches the highlights where the article starts, not after the whole page; Enter opens
 *    a card and Escape closes it.
 * Mouse hover and click on highlights are found from the element under the pointer, and only
 * the highlights touching it are measured: highlights are not elements, and measuring every one
 * on each scroll or load is what makes long pages slow.
 */

import { kindLabel } from "../lib/cards.js";
import { renderBanner } from "./banner-view.js";
import { renderCard } from "./card-view.js";
import { h } from "./dom.js";
import { blockOf } from "./passages.js";
import { UI_CSS } from "./ui-style.js";

const HOVER_OPEN_MS = 220;
const HOVER_CLOSE_MS = 350;
const GAP = 8;

/**
 * A server's detail as a sentence, so the retry text that follows reads on ("503: Unavailable.").
 * @param {string} text
 */
function sentence(text) {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/**
 * @typedef {object} Item
 * @property {string} noteId
 * @property {any} card
 * @property {Range} range
 * @property {HTMLButtonElement} trigger
 * @property {{left: number, top: number, right: number, bottom: number}[]} rects  in host coordinates
 * @property {number} measured  the layout generation `rects` were measured in
 */

/** Below this viewport width a card is a sheet along the bottom of the window. */
const NARROW_PX = 600;

export class GlossUi {
  /**
   * @param {{onFeedback: (noteId: string, helpful: boolean, reason?: string) => Promise<boolean>, onActive: (range: Range | null) => void, onDismissBanner: (noteIds: string[]) => void}} hooks
   */
  constructor(hooks) {
    this.hooks = hooks;
    this.host = makeHost("gloss-context");
    this.root = this.host.attachShadow({ mode: "closed" });
    adoptStyles(this.root, UI_CSS);
    this.bannerSlot = h("div", { class: "layer banner-layer" });
    this.noticeSlot = h("div", { class: "layer notice-layer" });
    this.layer = h("div", { class: "layer" });
    this.root.append(this.bannerSlot, this.noticeSlot, this.layer);
    document.documentElement.append(this.host);
    this.stopsHost = makeHost("gloss-stops");
    this.stopsRoot = this.stopsHost.attachShadow({ mode: "closed" });
    adoptStyles(this.stopsRoot, UI_CSS);
    this.stops = h("div", { class: "layer", role: "group", "aria-label": "Gloss highlights" });
    this.stopsRoot.append(this.stops);

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
    this.generation = 1;
    /** @type {Item | null} */
    this.hoverItem = null;
    this.openTimer = 0;
    this.closeTimer = 0;
    this.frame = 0;
    this.refocusing = false;
    /** @type {WeakSet<Window>} same-origin frames whose events Gloss listens to */
    this.frames = new WeakSet();

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

  /** The main host element: collectors must skip it. */
  get element() {
    return this.host;
  }

  /** Whether a page change happened inside Gloss's own elements. @param {Node} node */
  owns(node) {
    return this.host.contains(node) || this.stopsHost.contains(node);
  }

  /** Whether some highlight lost its text (the page re-rendered it). */
  hasDetached() {
    return this.items.some((it) => !it.range.startContainer.isConnected || !it.range.endContainer.isConnected);
  }

  /**
   * @param {any[]} cards
   * @param {string[]} features
   * @param {string[]} dismissed  publisher note ids whose banner the reader dismissed before
   */
  setCards(cards, features, dismissed = []) {
    this.cards = new Map(cards.map((c) => [c.note_id, c]));
    this.features = features;
    const publishers = cards.filter((c) => c.kind === "publisher");
    const key = publishers.map((c) => c.note_id).join("|");
    if (key !== this.bannerKey) {
      this.bannerKey = key;
      const gone = new Set(dismissed);
      if (publishers.length && publishers.every((c) => gone.has(c.note_id))) this.bannerDismissed = true;
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
          this.hooks.onDismissBanner(publishers.map((c) => c.note_id));
        },
      }),
    );
  }

  /**
   * Tell the reader that the server failed, and when Gloss asks again; null takes it away.
   * @param {{detail: string, retryAt: number, onRetry: () => void} | null} notice
   */
  setNotice(notice) {
    if (!notice) {
      this.noticeSlot.replaceChildren();
      return;
    }
    const seconds = Math.max(1, Math.round((notice.retryAt - Date.now()) / 1000));
    this.noticeSlot.replaceChildren(
      h("section", { class: "notice", role: "status", "aria-label": "Gloss" }, [
        h("span", { class: "logo", "aria-hidden": "true", text: "G" }),
        h("p", { class: "notice-text" }, [
          h("strong", { text: "Gloss could not check this page. " }),
          h("span", { text: `${sentence(notice.detail)} It will try again in ${seconds} s.` }),
        ]),
        h("button", { type: "button", class: "banner-toggle", onclick: () => notice.onRetry() }, ["Retry now"]),
        h("button", { type: "button", class: "close", "aria-label": "Hide this message", title: "Hide", onclick: () => this.noticeSlot.replaceChildren() }, ["×"]),
      ]),
    );
  }

  /**
   * Show triggers for the placed anchors (document order), in a stops host placed just before
   * the block of the first one, so the keyboard reaches them in reading order.
   * @param {{noteId: string, range: Range}[]} placed
   */
  setPlaced(placed) {
    const openNote = this.open?.item.noteId;
    const openIndex = this.open ? this.items.filter((it) => it.noteId === openNote).indexOf(this.open.item) : -1;
    const hadFocus = this.open?.mode === "pinned" && this.root.activeElement !== null;
    this.closeCard();
    this.items = [];
    for (const { noteId, range } of placed) {
      const card = this.cards.get(noteId);
      if (!card) continue;
      /** @type {Item} */
      const item = { noteId, card, range, trigger: /** @type {HTMLButtonElement} */ (document.createElement("button")), rects: [], measured: 0 };
      item.trigger = this.makeTrigger(item);
      this.items.push(item);
    }
    this.stops.replaceChildren(...this.items.map((it) => it.trigger));
    for (const it of this.items) this.watchFrame(it.range.startContainer.ownerDocument?.defaultView ?? null);
    this.placeStops();
    this.generation += 1;
    if (openNote && openIndex >= 0) {
      const again = this.items.filter((it) => it.noteId === openNote)[openIndex];
      if (again) this.openCard(again, "pinned", hadFocus);
    }
  }

  /**
   * Hover, click and scroll inside a same-origin frame reach its own window only: listen there
   * too, with the frame's coordinates moved into the page's.
   * @param {Window | null} view
   */
  watchFrame(view) {
    if (!view || view === window || this.frames.has(view)) return;
    this.frames.add(view);
    const shift = (/** @type {MouseEvent} */ event) => {
      const frame = /** @type {Element | null} */ (view.frameElement);
      if (!frame) return null;
      const r = frame.getBoundingClientRect();
      return { clientX: event.clientX + r.left + frame.clientLeft, clientY: event.clientY + r.top + frame.clientTop, target: event.target, pointerType: /** @type {PointerEvent} */ (event).pointerType };
    };
    view.addEventListener("pointermove", (event) => {
      const moved = shift(event);
      if (moved) this.onPointerMove(/** @type {any} */ (moved));
    }, { capture: true, passive: true });
    view.addEventListener("click", (event) => {
      const moved = shift(event);
      if (moved) this.onClick(/** @type {any} */ (moved));
    }, true);
    view.addEventListener("scroll", this.onLayoutChange, { capture: true, passive: true });
    view.addEventListener("keydown", this.onKeyDown, true);
  }

  /** Put the stops host just before the block holding the first highlight. */
  placeStops() {
    const first = this.items[0];
    if (!first) {
      this.stopsHost.remove();
      return;
    }
    const start = first.range.startContainer;
    const frame = start.ownerDocument !== document ? start.ownerDocument?.defaultView?.frameElement : null;
    const el = frame ?? (start.nodeType === Node.ELEMENT_NODE ? /** @type {Element} */ (start) : start.parentElement);
    const body = document.body ?? document.documentElement;
    const block = el ? blockOf(el, body) : body;
    if (block === body || !block.parentNode) {
      if (this.stopsHost.parentNode !== body) body.prepend(this.stopsHost);
    } else if (this.stopsHost.nextSibling !== block) block.before(this.stopsHost);
  }

  /** @param {Item} item */
  makeTrigger(item) {
    const label = `Gloss note, ${kindLabel(item.card.kind, item.card.rating)}: ${item.card.title}`;
    const button = /** @type {HTMLButtonElement} */ (
      h("button", { type: "button", class: "trigger", "aria-haspopup": "dialog", "aria-expanded": "false", "data-note-id": item.noteId }, [
        h("span", { class: "sr", text: label }),
      ])
    );
    button.addEventListener("focus", () => {
      this.placeTrigger(item);
      button.scrollIntoView({ block: "nearest", behavior: "instant" });
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

  /**
   * The highlight's rectangles in the main host's coordinates, measured at most once per layout.
   * @param {Item} item
   */
  rectsOf(item) {
    if (item.measured !== this.generation) {
      const origin = this.host.getBoundingClientRect();
      const frame = frameOffset(item.range);
      const dx = frame.x - origin.left;
      const dy = frame.y - origin.top;
      item.rects = [...item.range.getClientRects()]
        .filter((r) => r.width > 0 && r.height > 0)
        .map((r) => ({ left: r.left + dx, top: r.top + dy, right: r.right + dx, bottom: r.bottom + dy }));
      item.measured = this.generation;
    }
    return item.rects;
  }

  /**
   * Lay a trigger over its highlight's first line (so its focus ring shows where the text is).
   * @param {Item} item
   */
  placeTrigger(item) {
    const first = this.rectsOf(item)[0];
    if (!first) return;
    const stops = this.stopsHost.getBoundingClientRect();
    const origin = this.host.getBoundingClientRect();
    const style = item.trigger.style;
    style.left = `${first.left + origin.left - stops.left}px`;
    style.top = `${first.top + origin.top - stops.top}px`;
    style.width = `${first.right - first.left}px`;
    style.height = `${first.bottom - first.top}px`;
  }

  onLayoutChange() {
    this.generation += 1;
    // Once the reader scrolls into the article the banner shrinks to its logo (hover or focus
    // shows it whole), so it hides as little of the text as it can.
    const banner = this.bannerSlot.firstElementChild;
    if (banner) banner.classList.toggle("mini", window.scrollY > 160 && Boolean(banner.querySelector(".banner-details[hidden]")));
    if (this.frame || !this.open) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.positionCard();
    });
  }

  /**
   * The item whose highlight is under a viewport point, and the rectangle hit. Only highlights
   * holding the text position under the point are measured; of nested ones, the innermost wins.
   * @param {number} x
   * @param {number} y
   * @param {EventTarget | null} target  the element under the point
   */
  hitTest(x, y, target) {
    // A frame's nodes are not instances of this window's Node: test the shape, not the class.
    if (!this.items.length || !target || typeof (/** @type {any} */ (target).nodeType) !== "number") return null;
    const origin = this.host.getBoundingClientRect();
    const hx = x - origin.left;
    const hy = y - origin.top;
    const candidates = this.items.filter((it) => intersects(it.range, /** @type {Node} */ (target)));
    /** @type {{item: Item, rect: any} | null} */
    let best = null;
    let bestLength = Infinity;
    for (const item of candidates) {
      for (const r of this.rectsOf(item)) {
        if (hx < r.left - 1 || hx > r.right + 1 || hy < r.top - 1 || hy > r.bottom + 1) continue;
        const length = item.range.toString().length;
        if (length < bestLength) {
          best = { item, rect: r };
          bestLength = length;
        }
        break;
      }
    }
    return best;
  }

  /** @param {PointerEvent} event */
  onPointerMove(event) {
    if (event.pointerType === "touch") return;
    if (event.target === this.host) {
      clearTimeout(this.closeTimer);
      return;
    }
    const hit = this.hitTest(event.clientX, event.clientY, event.target);
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
    const hit = this.hitTest(event.clientX, event.clientY, event.target);
    if (hit) this.openCard(hit.item, "pinned", false, hit.rect);
    else if (this.open) this.closeCard();
  }

  /** @param {KeyboardEvent} event */
  onKeyDown(event) {
    if (event.key === "Tab" && this.open && this.root.activeElement !== null) {
      this.tabOutOfCard(event);
      return;
    }
    if (event.key !== "Escape" || !this.open) return;
    const trigger = this.open.item.trigger;
    const focusInside = this.root.activeElement !== null || this.stopsRoot.activeElement !== null;
    this.closeCard();
    if (focusInside) this.focusQuietly(trigger);
    event.stopPropagation();
  }

  /**
   * The card lives at the end of the document; Tab past its last control (or Shift+Tab before
   * its first) goes back to the highlights, in reading order, rather than off the page.
   * @param {KeyboardEvent} event
   */
  tabOutOfCard(event) {
    if (!this.open) return;
    const { el, item } = this.open;
    const controls = [...el.querySelectorAll("a[href], button:not([disabled])")];
    const active = this.root.activeElement;
    const last = controls[controls.length - 1];
    if (event.shiftKey && (active === el || active === controls[0])) {
      event.preventDefault();
      this.closeCard();
      this.focusQuietly(item.trigger);
    } else if (!event.shiftKey && (active === last || (!last && active === el))) {
      event.preventDefault();
      const next = this.items[this.items.indexOf(item) + 1];
      this.closeCard();
      if (next) next.trigger.focus();
      else this.focusQuietly(item.trigger);
    }
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
    this.layer.append(el);
    item.trigger.setAttribute("aria-expanded", "true");
    item.trigger.setAttribute("aria-controls", el.id);
    this.open = { item, el, mode, rect: rect ?? null };
    this.hooks.onActive(item.range);
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
    const rects = this.rectsOf(item);
    const rect = this.open.rect && rects.some((r) => r.top === this.open?.rect.top) ? this.open.rect : rects[0];
    if (!rect) return;
    const viewWidth = document.documentElement.clientWidth || window.innerWidth;
    const viewHeight = window.innerHeight;
    if (viewWidth < NARROW_PX) {
      // A sheet along the bottom, at most 40% of the window, over the text below the highlight.
      el.classList.add("sheet");
      el.style.left = "";
      el.style.top = "";
      el.style.maxHeight = `${Math.floor(viewHeight * 0.4)}px`;
      return;
    }
    el.classList.remove("sheet");
    const origin = this.host.getBoundingClientRect();
    const viewLeft = -origin.left;
    const viewTop = -origin.top;
    // Beside the whole highlight, not just the line hit, so the card hides none of it, on the
    // side with more room, and never taller than that room.
    const above = Math.min(...rects.map((r) => r.top));
    const below = Math.max(...rects.map((r) => r.bottom));
    const roomBelow = viewTop + viewHeight - GAP - (below + GAP);
    const roomAbove = above - GAP - (viewTop + GAP);
    el.style.maxHeight = "";
    const natural = el.scrollHeight;
    const useBelow = natural <= roomBelow || roomBelow >= roomAbove;
    const room = Math.max(120, Math.floor(useBelow ? roomBelow : roomAbove));
    el.style.maxHeight = `${room}px`;
    const height = Math.min(natural, room);
    const top = useBelow ? below + GAP : above - GAP - height;
    const width = el.offsetWidth;
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
      this.show(item);
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

  /**
   * Move to the next highlight after the open card (or after the top of the window) and open its
   * card with the focus in it: what the keyboard shortcut does.
   * @param {boolean} backwards
   */
  focusNext(backwards) {
    if (!this.items.length) return false;
    let index;
    const current = this.open ? this.items.indexOf(this.open.item) : -1;
    if (current >= 0) index = current + (backwards ? -1 : 1);
    else {
      const origin = this.host.getBoundingClientRect();
      const viewTop = -origin.top;
      index = this.items.findIndex((it) => (this.rectsOf(it)[0]?.top ?? -Infinity) >= viewTop);
      if (backwards) index = (index < 0 ? this.items.length : index) - 1;
    }
    const item = this.items[(index + this.items.length) % this.items.length];
    this.show(item);
    return true;
  }

  /** @param {Item} item */
  show(item) {
    const start = item.range.startContainer;
    const el = start.nodeType === Node.ELEMENT_NODE ? /** @type {Element} */ (start) : start.parentElement;
    el?.scrollIntoView({ block: "center", behavior: "instant" });
    this.generation += 1;
    this.placeTrigger(item);
    this.openCard(item, "pinned", true);
  }

  destroy() {
    window.removeEventListener("pointermove", this.onPointerMove, true);
    window.removeEventListener("click", this.onClick, true);
    window.removeEventListener("keydown", this.onKeyDown, true);
    window.removeEventListener("resize", this.onLayoutChange);
    window.removeEventListener("scroll", this.onLayoutChange, true);
    this.host.remove();
    this.stopsHost.remove();
  }
}

/**
 * A host element for a closed shadow root, styled so that no page style reaches or moves it.
 * @param {string} tag
 */
function makeHost(tag) {
  const host = document.createElement(tag);
  host.style.cssText =
    "all: initial !important; display: block !important; position: absolute !important; top: 0 !important; left: 0 !important; width: 0 !important; height: 0 !important; overflow: visible !important; z-index: 2147483647 !important;";
  return host;
}

/**
 * Where the viewport of the range's document starts in the page's viewport: 0,0 for the page,
 * the frame's content box for a same-origin frame.
 * @param {Range} range
 */
function frameOffset(range) {
  const frame = range.startContainer.ownerDocument?.defaultView?.frameElement;
  if (!frame || range.startContainer.ownerDocument === document) return { x: 0, y: 0 };
  const r = frame.getBoundingClientRect();
  return { x: r.left + frame.clientLeft, y: r.top + frame.clientTop };
}

/**
 * Whether a highlight's range touches the element under the pointer (cheap: no layout).
 * @param {Range} range
 * @param {Node} node
 */
function intersects(range, node) {
  try {
    return range.intersectsNode(node);
  } catch {
    return false;
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
