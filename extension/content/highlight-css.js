/**
 * The highlight styles of content/page.css, as text, for same-origin frames: the browser adds
 * page.css to the top document only, so Gloss adopts these into each frame whose article it
 * highlights. tests/extension checks that both say the same.
 */

export const HIGHLIGHT_CSS = `
/* Gloss highlight styles, added to the page as a user stylesheet (no element is inserted).
 * One style per kind, and per family of claim ratings (content/highlight.js styleOf): each differs
 * in its underline's shape as well as its colour (Okabe-Ito colours), so meaning never rests on
 * colour alone. The -dark variants are used on pages drawn light on dark. The active highlight
 * (hovered or focused) sets dark text on a solid yellow: readable on any page. */
::highlight(gloss-publisher) { background-color: rgba(0, 114, 178, 0.10); text-decoration: underline 1.5px solid rgb(0, 114, 178); text-underline-offset: 3px; }
::highlight(gloss-publisher-dark) { background-color: rgba(86, 180, 233, 0.16); text-decoration: underline 1.5px solid rgb(86, 180, 233); text-underline-offset: 3px; }
::highlight(gloss-sourcing) { background-color: rgba(204, 121, 167, 0.14); text-decoration: underline 2px dotted rgb(160, 60, 120); text-underline-offset: 3px; }
::highlight(gloss-sourcing-dark) { background-color: rgba(204, 121, 167, 0.18); text-decoration: underline 2px dotted rgb(230, 150, 200); text-underline-offset: 3px; }
::highlight(gloss-claim-false) { background-color: rgba(213, 94, 0, 0.16); text-decoration: underline 2px wavy rgb(190, 70, 0); text-underline-offset: 3px; }
::highlight(gloss-claim-false-dark) { background-color: rgba(230, 120, 40, 0.20); text-decoration: underline 2px wavy rgb(255, 140, 70); text-underline-offset: 3px; }
::highlight(gloss-claim-disputed) { background-color: rgba(230, 159, 0, 0.22); text-decoration: underline 2px dashed rgb(168, 110, 0); text-underline-offset: 3px; }
::highlight(gloss-claim-disputed-dark) { background-color: rgba(240, 190, 60, 0.16); text-decoration: underline 2px dashed rgb(240, 200, 80); text-underline-offset: 3px; }
::highlight(gloss-claim-accurate) { background-color: transparent; text-decoration: underline 3px double rgb(0, 130, 95); text-underline-offset: 3px; }
::highlight(gloss-claim-accurate-dark) { background-color: transparent; text-decoration: underline 3px double rgb(60, 210, 160); text-underline-offset: 3px; }
::highlight(gloss-active), ::highlight(gloss-active-dark) { background-color: rgb(255, 212, 59); color: rgb(17, 17, 17); }

mark.gloss-mark { all: unset; display: inline; }
mark.gloss-mark-publisher { background-color: rgba(0, 114, 178, 0.10); text-decoration: underline 1.5px solid rgb(0, 114, 178); text-underline-offset: 3px; }
mark.gloss-mark-publisher-dark { background-color: rgba(86, 180, 233, 0.16); text-decoration: underline 1.5px solid rgb(86, 180, 233); text-underline-offset: 3px; }
mark.gloss-mark-sourcing { background-color: rgba(204, 121, 167, 0.14); text-decoration: underline 2px dotted rgb(160, 60, 120); text-underline-offset: 3px; }
mark.gloss-mark-sourcing-dark { background-color: rgba(204, 121, 167, 0.18); text-decoration: underline 2px dotted rgb(230, 150, 200); text-underline-offset: 3px; }
mark.gloss-mark-claim-false { background-color: rgba(213, 94, 0, 0.16); text-decoration: underline 2px wavy rgb(190, 70, 0); text-underline-offset: 3px; }
mark.gloss-mark-claim-false-dark { background-color: rgba(230, 120, 40, 0.20); text-decoration: underline 2px wavy rgb(255, 140, 70); text-underline-offset: 3px; }
mark.gloss-mark-claim-disputed { background-color: rgba(230, 159, 0, 0.22); text-decoration: underline 2px dashed rgb(168, 110, 0); text-underline-offset: 3px; }
mark.gloss-mark-claim-disputed-dark { background-color: rgba(240, 190, 60, 0.16); text-decoration: underline 2px dashed rgb(240, 200, 80); text-underline-offset: 3px; }
mark.gloss-mark-claim-accurate { background-color: transparent; text-decoration: underline 3px double rgb(0, 130, 95); text-underline-offset: 3px; }
mark.gloss-mark-claim-accurate-dark { background-color: transparent; text-decoration: underline 3px double rgb(60, 210, 160); text-underline-offset: 3px; }
mark.gloss-mark.gloss-mark-active { background-color: rgb(255, 212, 59); color: rgb(17, 17, 17); }
@media print { ::highlight(gloss-publisher), ::highlight(gloss-publisher-dark), ::highlight(gloss-sourcing), ::highlight(gloss-sourcing-dark), ::highlight(gloss-claim-false), ::highlight(gloss-claim-false-dark), ::highlight(gloss-claim-disputed), ::highlight(gloss-claim-disputed-dark), ::highlight(gloss-claim-accurate), ::highlight(gloss-claim-accurate-dark), ::highlight(gloss-active), ::highlight(gloss-active-dark) { background-color: transparent; text-decoration: none; } }
`;
