// Interactive SPC charts (vega-embed) on measure pages: progressive enhancement only.
//
// Each chart container names a JSON data block holding its Vega-Lite spec. Without
// JavaScript the container shows the server-rendered image inside <noscript>; with it,
// vega-embed draws the same spec. The CSP forbids eval, so Vega runs its CSP-safe
// expression interpreter (`ast: true`); vega-embed's and vega-tooltip's injected
// <style> elements are turned off and styled from our stylesheet instead.
(function () {
  "use strict";

  function fallback(container) {
    const src = container.getAttribute("data-fallback-src");
    if (!src || container.querySelector("img")) return;
    const img = document.createElement("img");
    img.src = src;
    img.alt = container.getAttribute("data-fallback-alt") || "";
    img.className = "app-chart__image";
    container.appendChild(img);
  }

  function draw(container) {
    const block = document.getElementById(container.getAttribute("data-chart-spec"));
    if (!block || typeof window.vegaEmbed !== "function") {
      fallback(container);
      return;
    }
    let spec;
    try {
      spec = JSON.parse(block.textContent);
    } catch (e) {
      fallback(container);
      return;
    }
    window
      .vegaEmbed(container, spec, {
        ast: true,
        actions: false,
        defaultStyle: false,
        renderer: "svg",
        tooltip: { disableDefaultStyle: true, theme: "custom" },
      })
      .then(function (result) {
        container.classList.add("app-chart__canvas--drawn");
        // Vega labels the SVG with the spec's description (the text summary).
        const svg = container.querySelector("svg");
        if (svg && !svg.getAttribute("aria-label")) {
          svg.setAttribute("aria-label", container.getAttribute("data-fallback-alt") || "");
        }
        return result;
      })
      .catch(function () {
        fallback(container);
      });
  }

  function init(root) {
    root.querySelectorAll("[data-chart-spec]").forEach(draw);
  }

  document.addEventListener("DOMContentLoaded", function () {
    init(document);
  });
})();
