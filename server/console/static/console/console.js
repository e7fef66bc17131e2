// Gloss console: small progressive enhancements. Every page works without this file.
// Text from fields is only ever set with textContent.

const KIND_LABELS = { publisher: "Publisher", claim: "Disputed claim", sourcing: "Sourcing gap" };
const RATING_LABELS = {
  false: "False", misleading: "Misleading", disputed: "Disputed", unproven: "Unproven",
  "needs-context": "Needs context", accurate: "Accurate",
};

function livePreview() {
  const card = document.querySelector("[data-preview-card]");
  const form = document.getElementById("note-form");
  if (!card || !form) return;
  const value = (name) => (form.elements.namedItem(name)?.value ?? "").trim();
  const part = (name) => card.querySelector(`[data-preview="${name}"]`);
  const update = () => {
    const kind = Object.hasOwn(KIND_LABELS, value("kind")) ? value("kind") : "claim";
    const rating = kind === "claim" && Object.hasOwn(RATING_LABELS, value("rating")) ? value("rating") : "";
    card.className = `gloss-card kind-${kind}`;
    part("kind").textContent = kind === "claim" && rating === "accurate" ? "Checked claim" : KIND_LABELS[kind];
    const pill = part("rating");
    pill.textContent = rating ? RATING_LABELS[rating] : "";
    pill.className = `rating rating-${rating || "none"}`;
    pill.hidden = !rating;
    part("title").textContent = value("title");
    part("summary").textContent = form.elements.namedItem("summary")?.value ?? "";
  };
  form.addEventListener("input", update);
  form.addEventListener("change", update);
}

function useTheirs() {
  for (const button of document.querySelectorAll("button.use-theirs")) {
    button.addEventListener("click", () => {
      const field = document.getElementById(button.dataset.field);
      const source = document.getElementById(button.dataset.source);
      if (!field || !source) return;
      field.value = source.textContent;
      field.dispatchEvent(new Event("input", { bubbles: true }));
      field.focus();
    });
  }
}

function progress() {
  for (const form of document.querySelectorAll("form[data-progress]")) {
    form.addEventListener("submit", () => {
      const bar = document.getElementById(form.dataset.progress);
      if (bar) bar.hidden = false;
      for (const button of form.querySelectorAll("button")) button.disabled = true;
    });
  }
}

livePreview();
useTheirs();
progress();
