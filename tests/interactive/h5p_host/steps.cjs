// The steps a test asks the H5P player to go through, as a viewer would, each recording what it
// saw (times in seconds of the video on screen). The Python tests assert on the records.
"use strict";

/** Runs in the content's iframe: the state of the player as a viewer sees it. */
function look() {
  const shown = (e) => !!(e && (e.offsetWidth || e.offsetHeight));
  const video = [...document.querySelectorAll("video")].find(shown) || null;
  const text = (e) => (e ? e.textContent.replace(/\s+/g, " ").trim() : "");
  const hotspots = [...document.querySelectorAll(".h5p-interaction.h5p-ivhotspot-interaction")].filter(shown)
    .map((e) => {
      const a = e.querySelector("a");
      const title = e.querySelector(".h5p-ivhotspot-interaction-title");
      return { label: text(title), cursor: a ? getComputedStyle(a).cursor : null,
               href: a ? a.getAttribute("href") : null, target: a ? a.getAttribute("target") : null,
               labelColor: title ? getComputedStyle(title).color : null };
    });
  const questions = [...document.querySelectorAll(".h5p-interaction.h5p-gotoquestion-interaction")].filter(shown)
    .map((e) => ({ text: text(e.querySelector(".h5p-gotoquestion-text")),
                   choices: [...e.querySelectorAll(".h5p-gotoquestion-button")].map(text) }));
  const bq = [...document.querySelectorAll(".h5p-branching-question")].filter(shown)
    .filter((e) => e.querySelector(".h5p-branching-question-alternative"));
  const endScreen = [...document.querySelectorAll(".h5p-end-screen")].filter(shown)[0];
  return {
    t: video ? Math.round(video.currentTime * 1000) / 1000 : null,
    paused: video ? video.paused : null, ended: video ? video.ended : null,
    readyState: video ? video.readyState : null,
    src: video ? decodeURIComponent(video.currentSrc.split("/").pop()) : null,
    width: video ? video.videoWidth : null,
    hotspots, questions,
    bookmarks: [...document.querySelectorAll(".h5p-bookmark .h5p-bookmark-label, .h5p-chapter-title, .h5p-bookmarks-list li")].map(text).filter(Boolean),
    branchingQuestion: bq.length ? { text: text(bq[0].querySelector(".h5p-branching-question-title, .h5p-question-text, p")),
                                     choices: [...bq[0].querySelectorAll(".h5p-branching-question-alternative")].map(text) } : null,
    endScreen: endScreen ? text(endScreen.querySelector(".h5p-title, h1, .h5p-end-screen-title, .h5p-branching-scenario-title-text") || endScreen) : null,
    startScreen: shown(document.querySelector(".h5p-start-screen.h5p-current-screen")),
  };
}

/** Installed in the iframe once: the video time at which each interaction first showed. */
function watch() {
  window.rwSeen = window.rwSeen || {};
  window.rwPauses = window.rwPauses || [];
  const tick = () => {
    const video = [...document.querySelectorAll("video")].find((v) => v.offsetWidth);
    if (video) {
      if (!video.rwWatched) {
        video.rwWatched = true;
        video.addEventListener("pause", () => window.rwPauses.push(Math.round(video.currentTime * 1000) / 1000));
      }
      document.querySelectorAll(".h5p-interaction").forEach((e) => {
        const key = e.textContent.replace(/\s+/g, " ").trim().slice(0, 60);
        if (e.offsetWidth && !(key in window.rwSeen)) { window.rwSeen[key] = Math.round(video.currentTime * 1000) / 1000; }
      });
    }
    requestAnimationFrame(tick);
  };
  tick();
}

async function until(page, frame, predicate, arg, timeout) {
  const deadline = Date.now() + (timeout || 10000);
  for (;;) {
    const state = await frame.evaluate(look);
    if (predicate(state, arg)) { return state; }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting (${predicate.name} ${JSON.stringify(arg)}); last: ${JSON.stringify(state)}`);
    }
    await page.waitForTimeout(40);
  }
}

const waits = {
  loaded: (s) => s.readyState >= 2,
  startScreen: (s) => s.startScreen,
  question: (s, text) => s.paused && s.questions.some((q) => q.text.includes(text)),
  noQuestion: (s) => !s.paused && s.questions.length === 0,
  playing: (s) => s.paused === false,
  hotspot: (s, label) => s.hotspots.some((h) => h.label === label),
  branchingQuestion: (s, text) => s.branchingQuestion && s.branchingQuestion.text.includes(text),
  source: (s, name) => s.src && s.src.startsWith(name) && s.readyState >= 2,
  ended: (s) => s.ended === true,
  endScreen: (s, text) => s.endScreen && s.endScreen.includes(text),
  past: (s, t) => s.t !== null && s.t >= t,
};

/** Run ``steps`` ([{do, ...}]); returns one record per step. */
async function run({ page, frame, shot, context }, steps) {
  const records = [];
  let failed = null;
  await frame.evaluate(watch);
  try {
    for (const step of steps) { records.push(await one({ page, frame, shot, context }, step)); }
  } catch (err) {
    failed = `step ${records.length + 1} (${steps[records.length].do}): ${err.message}`;
  }
  const seen = await frame.evaluate(() => ({ seen: window.rwSeen, pauses: window.rwPauses }));
  return { steps: records, seen: seen.seen, pauses: seen.pauses, failed };
}

async function one({ page, frame, shot, context }, step) {
  {
    const rec = { do: step.do };
    switch (step.do) {
      case "wait":  // {until: name of waits, arg, timeout}
        Object.assign(rec, await until(page, frame, waits[step.until], step.arg, step.timeout));
        break;
      case "play":
        await frame.evaluate(() => {
          const video = [...document.querySelectorAll("video")].find((v) => v.offsetWidth);
          video.muted = true;
          const iv = H5P.instances[0];
          if (iv.libraryInfo && iv.libraryInfo.machineName === "H5P.InteractiveVideo") { iv.play(); }
          else { video.play(); }
        });
        break;
      case "click":  // {selector, text?}: a real mouse click on what the viewer sees
        await frame.locator(step.selector, step.text ? { hasText: step.text } : {}).first()
          .click({ timeout: 5000 });
        Object.assign(rec, await frame.evaluate(look));
        break;
      case "popup": {  // {selector, text}: a link that opens a new tab
        const [popup] = await Promise.all([
          context.waitForEvent("page", { timeout: 5000 }),
          frame.locator(step.selector, { hasText: step.text }).first().click()]);
        await popup.waitForLoadState();
        rec.url = popup.url();
        await popup.close();
        break;
      }
      case "look":
        if (step.ms) { await page.waitForTimeout(step.ms); }
        Object.assign(rec, await frame.evaluate(look));
        break;
      case "shot":
        await shot(step.name);
        break;
      default:
        throw new Error(`unknown step ${step.do}`);
    }
    return rec;
  }
}

module.exports = { run };
