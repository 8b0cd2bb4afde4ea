// Case pages: the print button, and focus on the freshly calculated advisory score.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });
  const panel = document.querySelector("[data-score-panel]");
  if (panel && !document.querySelector("[data-error-summary]")) {
    panel.focus();
  }
});
