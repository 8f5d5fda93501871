"use strict";
async function explore({ page, frame, record, shot }) {
  await frame.waitForFunction(() => { const v = document.querySelector("video"); return v && v.readyState >= 2; }, null, { timeout: 15000 });
  record.html0 = await frame.evaluate(() => document.body.innerHTML.length);
  await shot("00-loaded");
  await frame.evaluate(() => { const v = document.querySelector("video"); v.muted = true; H5P.instances[0].play(); });
  const samples = [];
  for (let i = 0; i < 40; i++) {
    samples.push(await frame.evaluate(() => {
      const v = document.querySelector("video");
      return { t: v.currentTime, paused: v.paused,
               items: [...document.querySelectorAll(".h5p-interaction")].map((e) => e.className + " | " + e.textContent.slice(0, 40)) };
    }));
    await page.waitForTimeout(100);
  }
  record.samples = samples;
  await shot("01-later");
}
module.exports = { explore };
module.exports.explore_bs = require("/tmp/wt18/explore_bs.cjs");
