// The page's title at the top of every printed sheet (static/css/print.css): an @page margin
// box takes no text from the document, so the title is written into a print-only style.
(function () {
  const title = document.title;
  if (!title) return;
  const style = document.createElement("style");
  style.media = "print";
  style.textContent =
    "@page { @top-left { content: " + JSON.stringify(title) + "; font-size: 8pt; color: #333;" +
    " vertical-align: bottom; padding-bottom: 2mm; } }";
  document.head.append(style);
})();
