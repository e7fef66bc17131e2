/** Styles of Gloss's UI inside its shadow root (the page's CSS cannot reach them). */

export const UI_CSS = `
:host { all: initial; }
* { box-sizing: border-box; }
.layer { position: absolute; top: 0; left: 0; width: 0; height: 0; overflow: visible;
  font: 13.5px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: #1f2328; --accent: #e8590c; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }

.trigger { position: absolute; margin: 0; padding: 0; border: 0; background: transparent; border-radius: 3px;
  pointer-events: none; outline: none; }
.trigger:focus-visible { outline: 2px solid #3b4cca; outline-offset: 2px; }

.card { position: absolute; width: 360px; max-width: calc(100vw - 16px); background: #fff; border-radius: 10px;
  border: 1px solid rgba(31,35,40,.12); border-top: 4px solid var(--accent);
  box-shadow: 0 12px 32px rgba(15,23,42,.18), 0 2px 6px rgba(15,23,42,.08); padding: 12px 14px 10px;
  animation: gloss-in .12s ease-out; outline: none; text-align: left;
  overflow-y: auto; overscroll-behavior: contain; }
.card.sheet { position: fixed; left: 8px; right: 8px; bottom: 8px; top: auto; width: auto; max-width: none; }
.card:focus-visible { box-shadow: 0 0 0 3px rgba(59,76,202,.45), 0 12px 32px rgba(15,23,42,.18); }
@keyframes gloss-in { from { opacity: 0; transform: translateY(4px); } to { opacity: 1; transform: none; } }
.kind-claim { --accent: #e8590c; }
.kind-sourcing { --accent: #7048e8; }
.kind-publisher { --accent: #1c7ed6; }
.card-head { display: flex; align-items: center; gap: 6px; margin-bottom: 6px; }
.kind { font-size: 11px; font-weight: 700; letter-spacing: .04em; text-transform: uppercase; color: var(--accent); }
.rating { font-size: 11px; font-weight: 600; padding: 1px 7px; border-radius: 999px; background: #f1f3f5; color: #495057; }
.rating.mini { margin-left: 5px; font-size: 10.5px; padding: 0 6px; }
.rating-false { background: #ffe3e3; color: #a61e1e; }
.rating-misleading { background: #ffe8cc; color: #a33e00; }
.rating-disputed { background: #fff3bf; color: #8a5a00; }
.rating-unproven { background: #eee8ff; color: #5031a8; }
.rating-needs-context { background: #e2f0ff; color: #1559a0; }
.rating-accurate { background: #e1f7e5; color: #1f6d31; }
.close { margin-left: auto; border: 0; background: transparent; color: #6a737d; font-size: 18px; line-height: 1;
  width: 26px; height: 26px; border-radius: 6px; cursor: pointer; }
.close:hover { background: #f1f3f5; color: #1f2328; }
.close:focus-visible, .chip:focus-visible, a:focus-visible, .banner-toggle:focus-visible { outline: 2px solid #3b4cca; outline-offset: 1px; }
.title { margin: 0 0 4px; font-size: 15px; line-height: 1.3; font-weight: 650; color: #111418; }
.summary { margin: 0 0 8px; color: #2d333a; white-space: pre-line; overflow-wrap: anywhere; }
.sources h3 { margin: 8px 0 3px; font-size: 11px; text-transform: uppercase; letter-spacing: .04em; color: #6a737d; font-weight: 700; }
.sources ul, .banner-sources { margin: 0; padding: 0 0 0 16px; }
.sources li, .banner-sources li { margin: 2px 0; overflow-wrap: anywhere; }
a { color: #2f44c0; text-decoration: underline; text-underline-offset: 2px; }
a:hover { color: #1b2a8c; }
.host { color: #6a737d; font-size: 12px; }
.card-foot { display: flex; align-items: center; flex-wrap: wrap; gap: 8px; margin-top: 10px; padding-top: 8px;
  border-top: 1px solid #eef0f2; font-size: 12px; color: #6a737d; }
.feedback { margin-left: auto; display: flex; flex-wrap: wrap; align-items: center; gap: 4px; }
.chip { border: 1px solid #d0d7de; background: #fff; color: #1f2328; border-radius: 999px; padding: 2px 9px;
  font: inherit; font-size: 12px; cursor: pointer; }
.chip:hover { background: #f6f8fa; }
.chip.quiet { border-color: transparent; color: #6a737d; }

.banner, .notice { position: fixed; bottom: 12px; right: 12px; width: max-content; max-width: min(560px, calc(100vw - 24px));
  background: #fff; border-radius: 10px; border: 1px solid rgba(31,35,40,.12); border-left: 4px solid #1c7ed6;
  box-shadow: 0 8px 24px rgba(15,23,42,.16); padding: 8px 10px 8px 12px; animation: gloss-in .15s ease-out;
  font: 13.5px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #1f2328; }
.banner-row { display: flex; align-items: center; gap: 8px; }
.logo { flex: none; width: 20px; height: 20px; border-radius: 5px; background: #3b4cca; color: #fff; font-weight: 800;
  font-size: 12px; display: inline-flex; align-items: center; justify-content: center; }
.banner-lead { color: #6a737d; font-weight: 600; }
.banner-names { flex: 1; min-width: 0; overflow-wrap: anywhere; }
.banner.mini:not(:hover):not(:focus-within) :is(.banner-lead, .banner-names, .banner-toggle) { display: none; }
.banner.mini:not(:hover):not(:focus-within) { padding: 6px; }
.notice { display: flex; align-items: center; gap: 8px; border-left-color: #d9480f; bottom: 12px; }
.banner-layer:has(.banner) + .notice-layer .notice { bottom: 64px; }
.notice-text { margin: 0; flex: 1; min-width: 0; }
.banner-name { font-weight: 650; }
.sep { color: #adb5bd; }
.banner-toggle { border: 1px solid #d0d7de; background: #fff; border-radius: 6px; padding: 2px 10px; font: inherit;
  font-size: 12.5px; cursor: pointer; color: #1f2328; }
.banner-toggle:hover { background: #f6f8fa; }
.banner .close { margin-left: 0; }
.banner-details { max-height: min(60vh, 420px); overflow: auto; margin-top: 8px; padding-top: 6px; border-top: 1px solid #eef0f2; }
.banner-details[hidden] { display: none; }
.banner-card { padding: 6px 0; }
.banner-card + .banner-card { border-top: 1px dashed #e9ecef; }
.banner-card-head { display: flex; align-items: center; gap: 8px; margin-bottom: 2px; }
.banner .summary { margin: 0 0 4px; }
.credit ul { margin: 0 0 4px; padding: 0 0 0 16px; }
.credit .status-generally-reliable { color: #2b8a3e; } .credit .status-generally-unreliable, .credit .status-deprecated, .credit .status-blacklisted { color: #c92a2a; }
.attribution { margin: 4px 0 0; font-size: 11px; color: #6a737d; overflow-wrap: anywhere; }

@media (prefers-color-scheme: dark) {
  .layer, .banner { color: #e6e8eb; }
  .card, .banner, .notice, .banner-toggle, .chip { background: #1e2227; border-color: rgba(255,255,255,.14); }
  .notice { color: #e6e8eb; }
  .title, .banner-name { color: #f4f5f7; }
  .summary { color: #d0d4d9; }
  a { color: #91a7ff; } a:hover { color: #bac8ff; }
  .chip, .banner-toggle { color: #e6e8eb; }
  .card-foot, .banner-details { border-color: rgba(255,255,255,.1); }
  .close:hover, .chip:hover, .banner-toggle:hover { background: #2b3036; }
}
@media (prefers-reduced-motion: reduce) { .card, .banner, .notice { animation: none; } }
@media print { .layer, .banner, .notice { display: none; } }
`;
