/**
 * A small element builder for Gloss's own UI. Strings only ever become text nodes or
 * textContent; there is deliberately no way to pass HTML.
 */

/**
 * @param {string} tag
 * @param {Record<string, any>} [props] "class", "text", on<event> listeners, or attributes
 * @param {(Node | string | null | undefined | false)[]} [children]
 * @returns {HTMLElement}
 */
export function h(tag, props = {}, children = []) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") el.className = String(value);
    else if (key === "text") el.textContent = String(value);
    else if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (key.startsWith("on")) throw new Error("Event handlers must be functions.");
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children) if (child) el.append(child);
  return el;
}
