// Interactive SPC charts (vega-embed): progressive enhancement, loaded on demand.
//
// Every chart arrives as the server-rendered SVG image, so the page is complete without
// running any chart code. When someone reaches for a chart (the "Explore this chart" button,
// or pointing at the chart), this script loads Vega once (the URLs are on its own <script>
// element) and draws the same Vega-Lite spec with point tooltips in place of the image.
// The CSP forbids eval, so Vega runs its CSP-safe expression interpreter (`ast: true`);
// vega-embed's and vega-tooltip's injected <style> elements are turned off and styled from
// our stylesheet instead.
(function () {
  "use strict";

  const self = document.currentScript;
  let vegaLoading = null;

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      const el = document.createElement("script");
      el.src = src;
      el.async = false; // keep vega → vega-lite → vega-embed in order
      el.onload = resolve;
      el.onerror = reject;
      document.head.appendChild(el);
    });
  }

  function loadVega() {
    if (typeof window.vegaEmbed === "function") return Promise.resolve();
    if (!vegaLoading) {
      const urls = ((self && self.getAttribute("data-vega-scripts")) || "").split(" ").filter(Boolean);
      vegaLoading = urls.reduce(function (chain, url) {
        return chain.then(function () {
          return loadScript(url);
        });
      }, Promise.resolve());
    }
    return vegaLoading;
  }

  function draw(container, button) {
    if (container.classList.contains("app-chart__canvas--drawn") || container.dataset.drawing) return;
    const block = document.getElementById(container.getAttribute("data-chart-spec"));
    if (!block) return;
    let spec;
    try {
      spec = JSON.parse(block.textContent);
    } catch (e) {
      return;
    }
    container.dataset.drawing = "1";
    loadVega()
      .then(function () {
        // Drawn beside the image first: Vega sizes a "container"-wide chart from the
        // element's laid-out width, which is zero while it is detached.
        const target = document.createElement("div");
        container.appendChild(target);
        return window
          .vegaEmbed(target, spec, {
            ast: true,
            actions: false,
            defaultStyle: false,
            renderer: "svg",
            tooltip: { disableDefaultStyle: true, theme: "custom" },
          })
          .then(function () {
            // Vega leaves an empty <form class="vega-bindings"> when a spec has no inputs:
            // a form with no submit control is an HTML_CodeSniffer error (H32.2).
            const bindings = target.querySelector("form.vega-bindings");
            if (bindings && !bindings.children.length) bindings.remove();
            const svg = target.querySelector("svg");
            if (svg && !svg.getAttribute("aria-label")) {
              svg.setAttribute("aria-label", container.getAttribute("data-fallback-alt") || "");
            }
            container.querySelectorAll(":scope > :not(:last-child)").forEach(function (el) {
              el.remove();
            });
            container.classList.add("app-chart__canvas--drawn");
            if (button) button.hidden = true;
          });
      })
      .catch(function () {
        // The server image stays: nothing is lost.
        delete container.dataset.drawing;
      });
  }

  function init(root) {
    root.querySelectorAll("[data-chart-spec]").forEach(function (container) {
      const figure = container.closest("figure");
      const button = figure ? figure.querySelector(".app-chart__explore") : null;
      if (button) {
        button.hidden = false;
        button.addEventListener("click", function () {
          draw(container, button);
        });
      }
      container.addEventListener(
        "pointerenter",
        function () {
          draw(container, button);
        },
        { once: true }
      );
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    init(document);
  });
})();
