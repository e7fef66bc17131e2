// Entry of the content script bundle (npm run build → content/content.js). Content scripts
// cannot be ES modules, so the modules are bundled; being injected again into the same page
// (a toolbar click after automatic injection) does nothing.
import { start } from "./main.js";

const scope = /** @type {{__glossLoaded?: boolean}} */ (/** @type {unknown} */ (globalThis));
if (!scope.__glossLoaded) {
  scope.__glossLoaded = true;
  start();
}
