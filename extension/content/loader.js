// Gloss content script entry. Content scripts cannot be ES modules, so this one imports the
// module graph once per page; being injected again (toolbar click, registration) does nothing.
(() => {
  const api = globalThis.browser ?? globalThis.chrome;
  if (globalThis.__glossLoaded) return;
  globalThis.__glossLoaded = true;
  import(api.runtime.getURL("content/main.js"))
    .then((module) => module.start())
    .catch((error) => console.warn("Gloss could not start:", error instanceof Error ? error.message : error));
})();
