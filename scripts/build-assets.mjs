// Builds the front-end assets from node_modules into src/qicollab/assets/compiled/
// (git-ignored; whitenoise serves it). Nothing is fetched from a CDN and nothing vendored.
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const src = join(root, "src/qicollab/assets");
const out = join(src, "compiled");
const nm = join(root, "node_modules");

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "css"), { recursive: true });
mkdirSync(join(out, "js"), { recursive: true });

// Copy a file (or folder) and, for a script, its source map: the production static-files
// storage follows each `sourceMappingURL` comment and fails collectstatic if the map is missing.
const copy = (from, to) => {
  cpSync(join(nm, from), join(out, to), { recursive: true });
  if (from.endsWith(".js") && existsSync(join(nm, `${from}.map`))) {
    cpSync(join(nm, `${from}.map`), join(out, `${to}.map`));
  }
};

// NHS.UK frontend: compiled JS and the icon/favicons; the CSS is compiled below so that
// image paths point at our static files and no web fonts are fetched from a CDN.
copy("nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.js", "nhsuk/nhsuk-frontend.min.js");
copy("nhsuk-frontend/dist/nhsuk/assets", "nhsuk/assets");
copy("htmx.org/dist/htmx.min.js", "js/htmx.min.js");
copy("vega/build/vega.min.js", "js/vega.min.js");
copy("vega-lite/build/vega-lite.min.js", "js/vega-lite.min.js");
copy("vega-embed/build/vega-embed.min.js", "js/vega-embed.min.js");
cpSync(join(src, "js"), join(out, "js"), { recursive: true });

const css = sass.compile(join(src, "scss/app.scss"), {
  loadPaths: [nm],
  style: "compressed",
  quietDeps: true,
});
writeFileSync(join(out, "css/app.css"), css.css);
console.log("assets built into", out);
