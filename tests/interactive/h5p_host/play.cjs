// Play an extracted .h5p package in H5P's standalone player (h5p-standalone) in headless
// Chromium (playwright-core driving Debian's chromium), run one scenario and print what it saw.
//   node play.cjs <host dir> <libraries dir> <package dir> <steps.json> [artifacts dir]
// Steps are described in steps.cjs. Output: {"errors": [...], "record": {...}} where errors are
// page errors, console errors and failed requests of the page and the content's iframe.
"use strict";
const path = require("path");
const { createRequire } = require("module");
const { serve } = require("./serve.cjs");
const fs = require("fs");
const { run } = require("./steps.cjs");

const [hostDir, librariesDir, packageDir, stepsFile, artifacts] = process.argv.slice(2);
const hostRequire = createRequire(path.join(path.resolve(hostDir), "package.json"));
const { chromium } = hostRequire("playwright-core");
const CHROMIUM = process.env.REELWRIGHT_CHROMIUM || "/usr/bin/chromium";

async function main() {
  const player = path.dirname(hostRequire.resolve("h5p-standalone/dist/main.bundle.js"));
  const site = await serve({ "/player": player, "/libraries": path.resolve(librariesDir),
                             "/package": path.resolve(packageDir) });
  const browser = await chromium.launch({
    executablePath: CHROMIUM, headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--autoplay-policy=no-user-gesture-required",
           "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
  const errors = [];
  let record = {};
  try {
    const context = await browser.newContext({ viewport: { width: 820, height: 700 } });
    // Nothing leaves the machine: an outside address (a URL button's) is answered locally.
    await context.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.fulfill({
      status: 200, contentType: "text/html", body: "<title>outside</title>" }));
    const page = await context.newPage();
    page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
    page.on("console", (m) => { if (m.type() === "error") { errors.push(`console: ${m.text()}`); } });
    page.on("requestfailed", (r) => {
      if (!/\.mp4$/.test(r.url())) { errors.push(`requestfailed: ${r.url()}`); }
    });
    page.on("response", (r) => {
      if (r.status() >= 400) { errors.push(`http ${r.status()}: ${r.url()}`); }
    });
    await page.goto(`${site.url}/`);
    await page.waitForFunction(() => window.h5pReady || window.h5pErrors.length, null,
                               { timeout: 20000 });
    errors.push(...(await page.evaluate(() => window.h5pErrors)));
    const frame = await contentFrame(page);
    const shot = async (name) => {
      if (artifacts) { await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true }); }
    };
    const steps = JSON.parse(fs.readFileSync(stepsFile, "utf8"));
    record = await run({ page, frame, shot, context }, steps);
  } catch (err) {
    errors.push(`scenario: ${err.stack || err}`);
  } finally {
    await browser.close();
    site.server.close();
  }
  process.stdout.write(JSON.stringify({ errors, record }));
}

/** The iframe H5P renders the content in, once its H5P instance is there. */
async function contentFrame(page) {
  const deadline = Date.now() + 20000;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) { continue; }
      const ready = await frame.evaluate(
        () => !!(window.H5P && H5P.instances && H5P.instances.length)).catch(() => false);
      if (ready) { return frame; }
    }
    await page.waitForTimeout(100);
  }
  throw new Error("the H5P content never started in its iframe");
}

main();
