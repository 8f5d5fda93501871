// Wiring of the page: language, uploads, chat, media bin, timeline, export and credits.

import { Api, ApiError } from "./api.js";
import { friendlyError, pickLanguage, STRINGS } from "./i18n.js";
import { fingerprint, LivePreview } from "./preview.js";
import { eventError, eventParts, readEvents } from "./sse.js";
import {
  el, formatSeconds, kindOf, mediaId, mediaList, renderBin, renderTimeline, summarizeDraft,
} from "./timeline.js";

const $ = (id) => document.getElementById(id);
const meta = (name) => document.querySelector(`meta[name="${name}"]`)?.getAttribute("content");
const POLL_MS = 1000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const ui = {
  lang: pickLanguage(localStorage.getItem("rw.lang"), navigator.language),
  draft: null,
  infos: [],
  credits: null,
  version: 0,
  busy: false,
  exporting: false,
  exportState: null, // what the export box shows: {status, percent, key, args, url, detail}
  exported: null, // the last finished export: {url, fp} (fp: fingerprint of its draft)
  player: null, // what the player shows: "live" | "export"
  conversationShown: false,
};
const t = (key, ...args) => {
  const value = STRINGS[ui.lang][key];
  return typeof value === "function" ? value(...args) : value;
};

const api = new Api({
  app: meta("reelwright-app") || "reelwright",
  version: meta("reelwright-version") || "0",
  language: ui.lang,
});
api.onReset = () => {
  ui.draft = null;
  ui.infos = [];
  ui.version = 0;
  ui.exported = null;
  preview.reset();
  drawState();
  showExport(null);
};

// The live preview of the latest draft (static/preview.js).
const preview = new LivePreview(api, {
  onReady: () => drawPlayer(),
  onStale: () => refreshState(),
  onStatus: (state) => {
    $("preview-status").dataset.state = state;
    drawPreviewStatus();
  },
});

// ---- messages to the person

function showError(err) {
  const error = err instanceof ApiError ? err : { code: "unknown", message: String(err) };
  if (!(err instanceof ApiError)) console.error(err);
  $("banner-text").textContent = friendlyError(ui.lang, error);
  $("banner").hidden = false;
  return error;
}

function hideError() {
  $("banner").hidden = true;
}

// ---- language

function applyLanguage() {
  document.documentElement.lang = ui.lang === "zh" ? "zh-CN" : "en";
  api.language = ui.lang;
  for (const node of document.querySelectorAll("[data-i18n]")) {
    const value = t(node.dataset.i18n);
    if (typeof value === "string") node.textContent = value;
  }
  for (const node of document.querySelectorAll("[data-i18n-placeholder]")) {
    node.placeholder = t(node.dataset.i18nPlaceholder);
  }
  for (const node of document.querySelectorAll("[data-i18n-title]")) {
    node.title = t(node.dataset.i18nTitle);
  }
  for (const node of document.querySelectorAll("[data-i18n-aria]")) {
    node.setAttribute("aria-label", t(node.dataset.i18nAria));
  }
  $("lang-toggle").textContent = t("lang_toggle");
  drawSuggestions();
  drawCredits();
  drawState();
  drawExport();
  drawPreviewStatus();
}

function drawSuggestions() {
  const box = $("suggestions");
  box.replaceChildren();
  // After the first turn the chips take one row, so the person's own messages stay in view.
  box.classList.toggle("folded", Boolean(document.querySelector("#messages .msg-user")));
  for (const text of t("suggestions")) {
    const chip = el("button", "chip", text);
    chip.type = "button";
    chip.addEventListener("click", () => sendMessage(text));
    box.append(chip);
  }
}

// ---- credits and state

function drawCredits() {
  $("credits-text").textContent = ui.credits === null ? "…" : t("credits", ui.credits);
}

async function refreshCredits() {
  try {
    const data = await api.credits();
    ui.credits = data.available;
  } catch (err) {
    if (!(err instanceof ApiError && err.code === "network")) showError(err);
  }
  drawCredits();
}

function parseDraft(draft) {
  if (!draft) return null;
  if (typeof draft === "string") {
    try { return JSON.parse(draft); } catch { return null; }
  }
  return draft;
}

function hasTracks(draft) {
  return Boolean(draft && (draft.t || []).some((track) => (track.sg || []).length));
}

function drawState() {
  const words = STRINGS[ui.lang];
  const thumbs = renderBin($("bin"), ui.infos, words, ui.lang);
  const infos = mediaList(ui.infos);
  const names = new Map(infos.map((info) => [mediaId(info), info.name || ""]));
  const kinds = new Map(infos.map((info) => [mediaId(info), kindOf(info)]));
  const draft = ui.draft;
  $("dropzone").classList.toggle("compact", infos.length > 0);
  const timeline = $("timeline");
  const summary = $("timeline-summary");
  const filled = hasTracks(draft);
  if (filled) {
    renderTimeline(timeline, draft, { names, thumbs, words, lang: ui.lang });
    $("timeline-meta").textContent = t("timeline_meta", draft.w, draft.h,
      formatSeconds(draft.d, words));
    summary.textContent = summarizeDraft(draft, { names, kinds, words, lang: ui.lang });
    summary.hidden = false;
  } else {
    timeline.replaceChildren(el("p", "timeline-empty muted", t("timeline_empty")));
    $("timeline-meta").textContent = "";
    summary.hidden = true;
  }
  drawPlayerShape();
  $("export").disabled = !filled || ui.exporting;
  $("export").title = filled ? "" : t("need_draft");
  drawExport();
}

/** The player takes the draft's shape (16:9, 9:16, 1:1 ...) before any video arrives. */
function drawPlayerShape() {
  const draft = ui.draft;
  const [w, h] = draft && draft.w && draft.h ? [draft.w, draft.h] : [16, 9];
  $("player").style.aspectRatio = `${w} / ${h}`;
  $("player").style.width = `min(100%, calc(56vh * ${w} / ${h}))`;
  $("player").dataset.shape = w > h ? "landscape" : w < h ? "portrait" : "square";
}

async function refreshState() {
  try {
    const data = await api.state();
    const state = (data && data.state) || {};
    ui.draft = parseDraft(state.draft);
    ui.version = Number(state.draft_version) || 0;
    ui.infos = [...mediaList(state.video_infos), ...mediaList(state.generated_media)];
    if (Array.isArray(state.conversation)) showConversation(state.conversation);
  } catch (err) {
    if (!(err instanceof ApiError && err.code === 1002)) showError(err);
  }
  drawState();
  syncPreview();
}

// ---- live preview: a fast low-resolution render of the latest draft after every change

function drawPreviewStatus() {
  const box = $("preview-status");
  const state = box.dataset.state || "";
  box.hidden = !state;
  if (state) $("preview-status-text").textContent = t(`preview_${state}`);
}

/** Ask for the preview of the latest draft when the one playing (or on its way) is older. */
function syncPreview() {
  preview.sync(ui.version, hasTracks(ui.draft));
}

/** What the player plays: a finished export while it still shows the draft (full quality), else
 *  the live preview of the latest draft; an out-of-date export only until a preview exists. */
function drawPlayer() {
  const video = $("preview");
  const done = ui.exportState && ui.exportState.status === "completed" && ui.exportState.url;
  let url = null;
  let kind = null;
  // A live preview older than the export would show an even older draft.
  const madeAt = (ui.exported && ui.exported.version) || 0;
  if (done && (exportIsFresh() || !preview.url || preview.shown <= madeAt)) {
    [url, kind] = [ui.exportState.url, "export"];
  } else if (preview.url) [url, kind] = [preview.url, "live"];
  ui.player = kind;
  const badge = $("player-badge");
  if (!url) {
    video.hidden = true;
    video.removeAttribute("src");
    badge.hidden = true;
    $("player-empty").hidden = false;
    return;
  }
  if (video.getAttribute("src") !== url) {
    video.src = url;
    video.load();
  }
  video.hidden = false;
  video.dataset.kind = kind;
  $("player-empty").hidden = true;
  badge.hidden = false;
  badge.textContent = t(kind === "live" ? "preview_badge" : "export_badge");
}

// ---- uploads

function uploadRow(file) {
  const row = el("li", "upload");
  const name = el("span", "upload-name", file.name);
  const status = el("span", "upload-status", t("upload_waiting"));
  const bar = el("div", "progress small");
  const fill = el("div", "progress-fill");
  bar.append(fill);
  row.append(name, status, bar);
  $("uploads").append(row);
  return {
    progress(fraction) {
      const pct = Math.round(fraction * 100);
      fill.style.width = `${pct}%`;
      status.textContent = `${pct}%`;
    },
    done() {
      row.classList.add("done");
      fill.style.width = "100%";
      status.textContent = t("upload_done");
      setTimeout(() => row.remove(), 2500);
    },
    failed(err) {
      row.classList.add("failed");
      status.textContent = "";
      row.append(el("p", "upload-error", friendlyError(ui.lang, err)));
      row.append(closeButton(() => row.remove()));
    },
  };
}

function closeButton(onClick) {
  const button = el("button", "row-close", "×");
  button.type = "button";
  button.setAttribute("aria-label", t("close"));
  button.addEventListener("click", onClick);
  return button;
}

async function uploadFiles(files) {
  const rows = [...files].map((file) => [file, uploadRow(file)]);
  for (const [file, row] of rows) {
    try {
      await api.upload(file, (fraction) => row.progress(fraction));
      row.done();
      await refreshState();
    } catch (err) {
      row.failed(err instanceof ApiError ? err : { code: "unknown", message: String(err) });
    }
  }
}

// ---- chat

function scrollChat() {
  const box = $("messages");
  box.scrollTop = box.scrollHeight;
}

function addBubble(kind, text) {
  const bubble = el("div", `msg msg-${kind}`, text);
  $("messages").append(bubble);
  scrollChat();
  return bubble;
}

/** The stored conversation (state.conversation: [{role, text, at}]), shown once after a reload
 *  when nothing was said on this page yet. */
function showConversation(turns) {
  if (ui.conversationShown) return;
  ui.conversationShown = true;
  if (document.querySelector("#messages .msg:not(.msg-intro)")) return;
  for (const turn of turns) {
    const text = turn && typeof turn.text === "string" ? turn.text : "";
    if (!text) continue;
    addBubble(turn.role === "user" ? "user" : "agent", text).classList.add("restored");
  }
  drawSuggestions();
}

// A tool result usually means the draft changed: redraw the timeline while the turn goes on.
let refreshTimer = null;
function refreshSoon() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(refreshState, 300);
}

/** ADK streams text as partial events and then repeats it whole in a final event. Tool calls
 *  stay in the event stream (the timeline shows their effect); the chat shows only words, and
 *  "Working on it…" (`working(true)`) while tools run. */
function chatRenderer(working) {
  let bubble = null;
  let streamed = false;
  return (event) => {
    const error = eventError(event);
    if (error) addBubble("error", friendlyError(ui.lang, error));
    for (const part of eventParts(event)) {
      if (part.text !== undefined) {
        if (!bubble) {
          working(false);
          bubble = addBubble("agent", "");
          streamed = false;
        }
        if (event.partial) {
          bubble.textContent += part.text;
          streamed = true;
        } else if (streamed) {
          bubble.textContent = part.text;
        } else {
          bubble.textContent += part.text;
        }
        scrollChat();
      } else if (part.call) {
        bubble = null;
        working(true); // more work after words (an explainer's estimate): say so again
      } else if (part.result) {
        refreshSoon();
      }
    }
    if (!event.partial) bubble = null;
    // Words before the turn is over (an estimate, a step done): the work goes on.
    if (!event.partial && !event.turnComplete && !eventError(event)
        && eventParts(event).some((part) => part.text)) working(true);
  };
}

async function sendMessage(text) {
  text = text.trim();
  if (!text || ui.busy) return;
  hideError();
  ui.busy = true;
  $("send").disabled = true;
  $("prompt").value = "";
  autosize();
  addBubble("user", text);
  drawSuggestions();
  let waiting = null;
  const working = (on) => {
    if (on && !waiting) waiting = addBubble("agent thinking", t("thinking"));
    if (!on && waiting) {
      waiting.remove();
      waiting = null;
    }
  };
  working(true);
  const render = chatRenderer(working);
  try {
    const response = await api.runTurn(text);
    await readEvents(response, (event) => {
      render(event);
    });
    working(false);
  } catch (err) {
    working(false);
    const error = err instanceof ApiError ? err : { code: "network", message: String(err) };
    addBubble("error", friendlyError(ui.lang, error));
  } finally {
    await Promise.all([refreshState(), refreshCredits()]);
    ui.busy = false;
    $("send").disabled = false;
  }
}

function autosize() {
  const box = $("prompt");
  box.style.height = "auto";
  box.style.height = `${Math.min(box.scrollHeight, 160)}px`;
}

// ---- export

function exportKey() {
  return `rw.export.${api.sessionId}`;
}

function exportIsFresh() {
  return Boolean(ui.exported && ui.exported.fp && ui.exported.fp === fingerprint(ui.draft));
}

/** Show an export's state: {status, percent, key, args, url, detail} (text by its i18n key,
 *  so switching language redraws it); null hides the box. */
function showExport(state) {
  ui.exportState = state;
  drawExport();
}

function drawExport() {
  const state = ui.exportState;
  const box = $("export-status");
  const link = $("download");
  drawPlayer();
  if (!state) {
    box.hidden = true;
    return;
  }
  box.hidden = false;
  box.dataset.status = state.status;
  const pct = Math.round(Math.max(0, Math.min(100, state.percent || 0)));
  $("export-fill").style.width = `${state.status === "completed" ? 100 : pct}%`;
  $("export-bar").setAttribute("aria-valuenow", String(pct));
  let text = t(state.key, ...(state.args || []));
  if (state.error) text = `${text} ${friendlyError(ui.lang, state.error)}`;
  $("export-text").textContent = text;
  box.title = state.detail || "";
  link.hidden = !state.url;
  if (state.url) link.href = state.url;
  // An export made before the latest edit no longer shows the project: say so.
  const stale = state.status === "completed" && Boolean(ui.exported && ui.exported.fp)
    && !exportIsFresh();
  box.dataset.stale = String(stale);
  $("export-stale").hidden = !stale;
}

function percentOf(progress) {
  const value = Number(progress) || 0;
  return value <= 1 ? value * 100 : value;
}

function rememberExport(url, fp, version) {
  ui.exported = { url, fp, version };
  try { localStorage.setItem(exportKey(), JSON.stringify(ui.exported)); } catch { /* fine */ }
}

function loadExport() {
  let raw = null;
  try { raw = localStorage.getItem(exportKey()); } catch { return null; }
  if (!raw) return null;
  try {
    const value = JSON.parse(raw);
    if (value && typeof value.url === "string") return value;
  } catch { /* an older page kept the bare URL */ }
  return { url: raw, fp: "" };
}

async function exportVideo() {
  if (!ui.draft || ui.exporting) return;
  hideError();
  ui.exporting = true;
  $("export").disabled = true;
  $("export").textContent = t("exporting");
  const size = $("export-size").value;
  showExport({ status: "queued", percent: 0, key: "render_queued" });
  try {
    // The draft goes as it is: the service stores what it renders as the session's draft, so
    // shrinking the canvas for a quick look would change the project itself.
    const id = await api.startExport(structuredClone(ui.draft), size === "quick");
    await refreshState(); // the draft as the service stored it is what this export shows
    const [fp, version] = [fingerprint(ui.draft), ui.version];
    for (;;) {
      const job = await api.exportStatus(id);
      const status = job.status;
      if (status === "completed") {
        const url = job.output && job.output.url;
        rememberExport(url, fp, version);
        showExport({ status, percent: 100, key: "render_done", url });
        break;
      }
      if (status === "failed") {
        const error = { code: job.error_code || 5001, message: job.error || job.message || "" };
        showExport({ status, percent: 0, key: "render_failed", error, detail: error.message });
        break;
      }
      const percent = percentOf(job.progress);
      showExport(status === "queued" ? { status, percent, key: "render_queued" }
        : { status, percent, key: "render_progress", args: [Math.round(percent)] });
      await sleep(POLL_MS);
    }
  } catch (err) {
    showError(err);
    showExport(null);
  } finally {
    ui.exporting = false;
    $("export").textContent = t("export");
    drawState();
  }
}

// ---- drag and drop, controls

function setupDrop() {
  let depth = 0;
  const overlay = $("drop-overlay");
  const hasFiles = (event) => [...(event.dataTransfer?.types || [])].includes("Files");
  window.addEventListener("dragenter", (event) => {
    if (!hasFiles(event)) return;
    depth += 1;
    overlay.hidden = false;
  });
  window.addEventListener("dragleave", () => {
    depth = Math.max(0, depth - 1);
    if (!depth) overlay.hidden = true;
  });
  window.addEventListener("dragover", (event) => {
    if (hasFiles(event)) event.preventDefault();
  });
  window.addEventListener("drop", (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    depth = 0;
    overlay.hidden = true;
    uploadFiles(event.dataTransfer.files);
  });
}

function setupControls() {
  $("file-input").addEventListener("change", (event) => {
    const files = [...event.target.files];
    event.target.value = "";
    if (files.length) uploadFiles(files);
  });
  $("add-files").addEventListener("click", () => $("file-input").click());
  $("composer").addEventListener("submit", (event) => {
    event.preventDefault();
    sendMessage($("prompt").value);
  });
  $("prompt").addEventListener("input", autosize);
  $("prompt").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      sendMessage($("prompt").value);
    }
  });
  $("export").addEventListener("click", exportVideo);
  $("banner-close").addEventListener("click", hideError);
  $("lang-toggle").addEventListener("click", () => {
    ui.lang = ui.lang === "zh" ? "en" : "zh";
    try { localStorage.setItem("rw.lang", ui.lang); } catch { /* fine without */ }
    applyLanguage();
  });
}

function watchFallbackFont() {
  const mark = () => {
    const loaded = [...document.fonts].some((face) => face.status === "loaded"
      && face.family.replace(/["']/g, "") === "Reelwright CJK");
    if (loaded) document.documentElement.classList.add("cjk-webfont");
  };
  document.fonts?.addEventListener("loadingdone", mark);
}

async function start() {
  watchFallbackFont();
  setupControls();
  setupDrop();
  applyLanguage();
  try {
    await api.ready();
  } catch (err) {
    showError(err);
    document.body.dataset.ready = "error";
    return;
  }
  ui.exported = loadExport();
  if (ui.exported) {
    const last = ui.exported.url;
    // Signed links expire: if the last export no longer loads, forget it quietly.
    $("preview").addEventListener("error", () => {
      if ($("preview").getAttribute("src") !== last) return;
      try { localStorage.removeItem(exportKey()); } catch { /* fine without */ }
      ui.exported = null;
      showExport(null);
      syncPreview();
    }, { once: true });
  }
  await Promise.all([refreshState(), refreshCredits()]);
  if (ui.exported) {
    showExport({ status: "completed", percent: 100, key: "render_done", url: ui.exported.url });
  }
  document.body.dataset.ready = "true";
}

start();
