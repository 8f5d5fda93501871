// Wiring of the page: language, uploads, chat, media bin, timeline, export and credits.

import { Api, ApiError } from "./api.js";
import { friendlyError, pickLanguage, STRINGS } from "./i18n.js";
import { eventError, eventParts, readEvents } from "./sse.js";
import { el, formatSeconds, mediaId, mediaList, renderBin, renderTimeline } from "./timeline.js";

const $ = (id) => document.getElementById(id);
const meta = (name) => document.querySelector(`meta[name="${name}"]`)?.getAttribute("content");
const POLL_MS = 1000;

const ui = {
  lang: pickLanguage(localStorage.getItem("rw.lang"), navigator.language),
  draft: null,
  infos: [],
  credits: null,
  busy: false,
  exporting: false,
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
  drawState();
  showExport(null);
};

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
}

function drawSuggestions() {
  const box = $("suggestions");
  box.replaceChildren();
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

function drawState() {
  const thumbs = renderBin($("bin"), ui.infos);
  const names = new Map(mediaList(ui.infos).map((info) => [mediaId(info), info.name || ""]));
  const draft = ui.draft;
  $("dropzone").classList.toggle("compact", mediaList(ui.infos).length > 0);
  const timeline = $("timeline");
  const hasTracks = draft && (draft.t || []).some((track) => (track.sg || []).length);
  if (hasTracks) {
    renderTimeline(timeline, draft, { trackNames: t("tracks"), names, thumbs });
    $("timeline-meta").textContent = t("timeline_meta", draft.w, draft.h, formatSeconds(draft.d));
  } else {
    timeline.replaceChildren(el("p", "timeline-empty muted", t("timeline_empty")));
    $("timeline-meta").textContent = "";
  }
  $("export").disabled = !hasTracks || ui.exporting;
  $("export").title = hasTracks ? "" : t("need_draft");
}

async function refreshState() {
  try {
    const data = await api.state();
    const state = (data && data.state) || {};
    ui.draft = parseDraft(state.draft);
    ui.infos = [...mediaList(state.video_infos), ...mediaList(state.generated_media)];
  } catch (err) {
    if (!(err instanceof ApiError && err.code === 1002)) showError(err);
  }
  drawState();
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
  button.setAttribute("aria-label", "Close");
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

function addChip(call) {
  const chip = el("div", "call-chip");
  chip.append(el("span", "call-icon", "ƒ"), el("span", "call-name", call.name));
  chip.title = JSON.stringify(call.args).slice(0, 300);
  $("messages").append(chip);
  scrollChat();
  return chip;
}

// A tool result usually means the draft changed: redraw the timeline while the turn goes on.
let refreshTimer = null;
function refreshSoon() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(refreshState, 300);
}

/** ADK streams text as partial events and then repeats it whole in a final event. */
function chatRenderer() {
  let bubble = null;
  let streamed = false;
  const pending = new Map();
  return (event) => {
    const error = eventError(event);
    if (error) addBubble("error", friendlyError(ui.lang, error));
    for (const part of eventParts(event)) {
      if (part.text !== undefined) {
        if (!bubble) {
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
        pending.set(part.call.name, addChip(part.call));
      } else if (part.result) {
        const chip = pending.get(part.result.name);
        if (chip) chip.classList.add("done");
        refreshSoon();
      }
    }
    if (!event.partial) bubble = null;
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
  const waiting = addBubble("agent thinking", t("thinking"));
  const render = chatRenderer();
  try {
    const response = await api.runTurn(text);
    let first = true;
    await readEvents(response, (event) => {
      if (first) { waiting.remove(); first = false; }
      render(event);
    });
    waiting.remove();
  } catch (err) {
    waiting.remove();
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

function showExport(state) {
  const box = $("export-status");
  const link = $("download");
  if (!state) {
    box.hidden = true;
    $("preview").hidden = true;
    $("preview").removeAttribute("src");
    $("player-empty").hidden = false;
    return;
  }
  box.hidden = false;
  box.dataset.status = state.status;
  const pct = Math.round(Math.max(0, Math.min(100, state.percent || 0)));
  $("export-fill").style.width = `${state.status === "completed" ? 100 : pct}%`;
  $("export-bar").setAttribute("aria-valuenow", String(pct));
  $("export-text").textContent = state.text;
  box.title = state.detail || "";
  link.hidden = !state.url;
  if (state.url) {
    link.href = state.url;
    const video = $("preview");
    if (video.getAttribute("src") !== state.url) {
      video.addEventListener("loadedmetadata", () => {
        // Portrait and square exports get a player of their own shape.
        if (video.videoWidth && video.videoHeight) {
          const [w, h] = [video.videoWidth, video.videoHeight];
          $("player").style.aspectRatio = `${w} / ${h}`;
          $("player").style.width = `min(100%, calc(56vh * ${w} / ${h}))`;
        }
      }, { once: true });
      video.src = state.url;
    }
    video.hidden = false;
    $("player-empty").hidden = true;
  }
}

function percentOf(progress) {
  const value = Number(progress) || 0;
  return value <= 1 ? value * 100 : value;
}

async function exportVideo() {
  if (!ui.draft || ui.exporting) return;
  hideError();
  ui.exporting = true;
  $("export").disabled = true;
  $("export").textContent = t("exporting");
  const size = $("export-size").value;
  showExport({ status: "queued", percent: 0, text: t("render_queued") });
  try {
    // The draft goes as it is: the service stores what it renders as the session's draft, so
    // shrinking the canvas for a quick look would change the project itself.
    const id = await api.startExport(structuredClone(ui.draft), size === "quick");
    for (;;) {
      const job = await api.exportStatus(id);
      const status = job.status;
      if (status === "completed") {
        const url = job.output && job.output.url;
        showExport({ status, percent: 100, text: t("render_done"), url });
        try { localStorage.setItem(exportKey(), url); } catch { /* fine without */ }
        break;
      }
      if (status === "failed") {
        const error = { code: job.error_code || 5001, message: job.error || job.message || "" };
        const text = `${t("render_failed")} ${friendlyError(ui.lang, error)}`;
        showExport({ status, percent: 0, text, detail: error.message });
        break;
      }
      const percent = percentOf(job.progress);
      const text = status === "queued" ? t("render_queued") : t("render_progress", Math.round(percent));
      showExport({ status, percent, text });
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
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
  await Promise.all([refreshState(), refreshCredits()]);
  let last = null;
  try { last = localStorage.getItem(exportKey()); } catch { /* fine without */ }
  if (last) {
    // Signed links expire: if the last export no longer loads, forget it quietly.
    $("preview").addEventListener("error", () => {
      try { localStorage.removeItem(exportKey()); } catch { /* fine without */ }
      if ($("preview").getAttribute("src") === last) showExport(null);
    }, { once: true });
    showExport({ status: "completed", percent: 100, text: t("render_done"), url: last });
  }
  document.body.dataset.ready = "true";
}

start();
