// Drawing the session state: the media bin (state.video_infos) and the timeline (state.draft),
// in the page's language (`words`: STRINGS[lang] from i18n.js).

import { displayName, STRINGS } from "./i18n.js";

const TRACK_CLASS = { 0: "visual", 1: "audio", 7: "text", 8: "interactive" };

export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

export function formatSeconds(ms, words = STRINGS.en) {
  const s = Math.max(0, Number(ms) || 0) / 1000;
  if (s < 60) return words.seconds(s.toFixed(s < 10 && s % 1 ? 1 : 0));
  const m = Math.floor(s / 60);
  return words.minutes(m, String(Math.round(s % 60)).padStart(2, "0"));
}

/** video_infos may come as a list or as a map keyed by media id; always give a list. */
export function mediaList(infos) {
  if (!infos) return [];
  if (Array.isArray(infos)) return infos;
  return Object.entries(infos).map(([id, info]) => ({ id, ...info }));
}

export function mediaId(info) {
  return info.id || info.media_id || info.mediaId || "";
}

export function thumbnailOf(info) {
  return info.thumbnail_url || info.thumbnailUrl || info.thumb_url || info.thumbnail
    || info.cover_url || (info.kind === "image" ? info.url : "") || "";
}

export function kindOf(info) {
  return info.kind || info.type || (info.has_video ? "video" : info.has_audio ? "audio" : "");
}

const KIND_ICON = { video: "▶", audio: "♪", text: "T", image: "▣" };

/** Fill the media bin; returns a map media id -> thumbnail URL for the timeline. */
export function renderBin(list, infos, words = STRINGS.en, lang = "en") {
  list.replaceChildren();
  const thumbs = new Map();
  for (const info of mediaList(infos)) {
    const kind = kindOf(info);
    const thumb = thumbnailOf(info);
    const item = el("li", `bin-item kind-${kind || "other"}`);
    item.dataset.mediaId = mediaId(info);
    const frame = el("div", "bin-thumb");
    if (thumb) {
      thumbs.set(mediaId(info), thumb);
      const img = el("img");
      img.alt = "";
      img.loading = "lazy";
      img.src = thumb;
      img.onerror = () => { img.remove(); frame.textContent = KIND_ICON[kind] || "•"; };
      frame.append(img);
    } else {
      frame.textContent = KIND_ICON[kind] || "•";
    }
    const duration = info.duration_ms ?? (info.duration ? info.duration * 1000 : null);
    if (duration) frame.append(el("span", "bin-duration", formatSeconds(duration, words)));
    const name = displayName(lang, info.name || info.filename || mediaId(info));
    const caption = el("div", "bin-name", name);
    caption.title = name;
    item.append(frame, caption);
    list.append(item);
  }
  return thumbs;
}

function segmentLabel(track, seg, names, words, lang) {
  const m = seg.m || {};
  if (track.tt === 7) {
    return m.text ? `“${String(m.text).replace(/\n/g, " ")}”` : words.text_segment;
  }
  if (track.tt === 8) {
    const kind = m.kind ? (words.kinds[m.kind] || m.kind) : "";
    return [kind, m.label || m.text || m.title].filter(Boolean).join(": ");
  }
  return displayName(lang, m.name || names.get(seg.src) || seg.src || "");
}

function roleOf(track, seg) {
  return (seg.m && seg.m.role) || (track.m && track.m.role) || "";
}

/**
 * One line saying what is in the draft, in the page's language: "6 photos · music:
 * summer-song.wav · title “Our Summer”". The chat says what changed; this says what there is.
 */
export function summarizeDraft(draft, { names, kinds: kindOfMedia, words, lang }) {
  const parts = [];
  const tracks = draft.t || [];
  const main = tracks.find((track) => track.tt === 0 && (track.sg || []).length);
  if (main) {
    // Generated media (gen_...: scene and title cards) are not the person's photos.
    const made = main.sg.filter((seg) => String(seg.src || "").startsWith("gen_")).length;
    const kinds = main.sg.filter((seg) => !String(seg.src || "").startsWith("gen_"))
      .map((seg) => kindOfMedia.get(seg.src) || "");
    const photos = kinds.filter((k) => k === "image").length;
    const clips = kinds.filter((k) => k === "video").length;
    if (photos) parts.push(words.summary_photos(photos));
    if (clips) parts.push(words.summary_clips(clips));
    if (made) parts.push(words.summary_cards(made));
    if (!photos && !clips && !made) parts.push(words.summary_items(main.sg.length));
  }
  let music = null;
  let voice = false;
  let captions = 0;
  let texts = 0;
  let interactive = 0;
  let title = null;
  for (const track of tracks) {
    for (const seg of track.sg || []) {
      const role = roleOf(track, seg);
      if (track.tt === 1 && role === "music" && !music) {
        music = displayName(lang, (seg.m && seg.m.name) || names.get(seg.src) || "");
      } else if (track.tt === 1 && role === "voice") voice = true;
      else if (track.tt === 7 && role === "title" && !title) title = seg.m && seg.m.text;
      else if (track.tt === 7 && role === "caption") captions += 1;
      else if (track.tt === 7) texts += 1;
      else if (track.tt === 8) interactive += 1;
    }
  }
  parts.push(music ? words.summary_music(music) : words.summary_none);
  if (voice) parts.push(words.summary_voice);
  if (title) parts.push(words.summary_title(String(title).replace(/\s+/g, " ")));
  if (captions) parts.push(words.summary_captions(captions));
  if (texts) parts.push(words.summary_texts(texts));
  if (interactive) parts.push(words.summary_interactive(interactive));
  return parts.join(" · ");
}

/** Milliseconds between ruler labels: at most MAX_TICKS labels, so "10s" and "11s" never
 * overlap in a narrow panel (Chinese labels, 10秒, are wider still). */
const MAX_TICKS = 8;
const TICK_STEPS = [1000, 2000, 5000, 10000, 15000, 30000, 60000, 120000, 300000, 600000];
export function tickStep(total) {
  return TICK_STEPS.find((step) => total / step <= MAX_TICKS) || TICK_STEPS.at(-1);
}

/**
 * Draw every track of the draft as a lane; each segment's left edge and width are its start and
 * duration as a share of the draft's duration.
 */
export function renderTimeline(root, draft, { names, thumbs, words = STRINGS.en, lang = "en" }) {
  const trackNames = words.tracks;
  root.replaceChildren();
  const total = Math.max(1, Number(draft.d) || 0);
  const ruler = el("div", "ruler");
  const ticks = tickStep(total);
  // the length itself is in the panel's header; a label too near the right edge would spill
  for (let t = 0; t < total - ticks * 0.4; t += ticks) {
    const tick = el("span", t === 0 ? "tick tick-start" : "tick", formatSeconds(t, words));
    tick.style.left = `${(t / total) * 100}%`;
    ruler.append(tick);
  }
  root.append(el("div", "track-label ruler-label"), ruler);
  for (const track of draft.t || []) {
    const kind = TRACK_CLASS[track.tt] || "other";
    const label = el("div", `track-label label-${kind}`, trackNames[track.tt] || String(track.tt));
    const role = track.m && track.m.role;
    if (role) label.append(el("small", "track-role", words.roles[role] || role));
    const lane = el("div", `lane lane-${kind}`);
    lane.dataset.tt = String(track.tt);
    for (const seg of track.sg || []) {
      const block = el("div", `seg seg-${kind}`);
      block.dataset.ms = String(seg.d);
      block.style.left = `${(Math.max(0, seg.st || 0) / total) * 100}%`;
      block.style.width = `${(Math.max(0, seg.d || 0) / total) * 100}%`;
      const thumb = kind === "visual" && thumbs.get(seg.src);
      if (thumb) block.style.backgroundImage = `url("${thumb.replace(/"/g, "%22")}")`;
      const text = segmentLabel(track, seg, names, words, lang);
      block.title = `${text} (${formatSeconds(seg.d, words)})`;
      block.append(el("span", "seg-name", text),
        el("span", "seg-dur", formatSeconds(seg.d, words)));
      lane.append(block);
    }
    root.append(label, lane);
  }
}
