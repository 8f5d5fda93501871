// UI strings in English and Chinese, and the plain-sentence text for each error code.

export const STRINGS = {
  en: {
    credits_loading: "…",
    credits: (n) => `${n} credits`,
    credits_hint: "Credits left: chatting uses credits, exporting is free.",
    media_title: "Your media",
    add_files: "Add files",
    drop_title: "Drop photos, clips or music here",
    drop_hint: "or tap to choose files · JPG, PNG, HEIC, MP4, MOV, MP3, WAV…",
    drop_overlay: "Drop to add to your project",
    preview_title: "Preview",
    preview_empty: "A preview plays here after each change.",
    preview_updating: "Updating the preview…",
    preview_failed: "The preview couldn't be made; the export still works.",
    preview_badge: "Preview",
    export_badge: "Export",
    size_full: "Full quality",
    size_quick: "Quick preview",
    export: "Export video",
    exporting: "Exporting…",
    download: "Download MP4",
    timeline_title: "Timeline",
    timeline_empty: "Your timeline appears here once there is something to show.",
    chat_title: "Tell me what to make",
    chat_intro: "Hi! Add some photos, clips or music, then tell me what you'd like — I'll build the video.",
    prompt_placeholder: "Describe your video…",
    send: "Send",
    you: "You",
    thinking: "Working on it…",
    upload_done: "Added",
    upload_waiting: "Waiting…",
    render_queued: "Waiting for a free renderer…",
    render_progress: (p) => `Rendering… ${p}%`,
    render_done: "Done! Your video is ready.",
    render_stale: "This export is from before your latest edit. Export again to include it.",
    render_failed: "The export didn't finish.",
    need_draft: "Add media and tell me what to make first.",
    tracks: { 0: "Video", 1: "Audio", 7: "Text", 8: "Interactive" },
    roles: {
      music: "music", voice: "voice-over", sfx: "sound", title: "title", caption: "captions",
      captions: "captions", overlay: "text", clips: "clip sound", illustration: "illustration",
    },
    kinds: { button: "Button", hotspot: "Hotspot", choice: "Choice", chapter: "Chapter",
      end: "End screen", pause: "Pause" },
    text_segment: "Text",
    seconds: (s) => `${s}s`,
    minutes: (m, s) => `${m}:${s}`,
    moods: { Calm: "Calm", Upbeat: "Upbeat", "Lo-fi": "Lo-fi", Cinematic: "Cinematic" },
    built_in: (name) => `${name} (built-in)`,
    scene_card: (n) => `Scene ${n} card`,
    title_card: "Title card",
    voice_over: (text) => `Voice-over: ${text}`,
    summary_photos: (n) => `${n} photo${n === 1 ? "" : "s"}`,
    summary_clips: (n) => `${n} clip${n === 1 ? "" : "s"}`,
    summary_items: (n) => `${n} item${n === 1 ? "" : "s"}`,
    summary_cards: (n) => `${n} card${n === 1 ? "" : "s"}`,
    summary_music: (name) => `music: ${name}`,
    summary_voice: "voice-over",
    summary_title: (text) => `title “${text}”`,
    summary_captions: (n) => `${n} caption${n === 1 ? "" : "s"}`,
    summary_texts: (n) => `${n} text${n === 1 ? "" : "s"}`,
    summary_interactive: (n) => `${n} interactive item${n === 1 ? "" : "s"}`,
    summary_none: "no music",
    close: "Close",
    language: "Language",
    size: "Size",
    media_bin: "Media bin",
    message: "Message",
    suggestions_label: "Try saying",
    timeline_meta: (w, h, s) => `${w}×${h} · ${s}`,
    lang_toggle: "中文",
    // "Try saying": reelwright.agent.examples.try_saying("en") (a test keeps them equal)
    suggestions: [
      "Turn my photos into a slideshow with music",
      "Turn my script into a video",
      "Add clickable buttons and branching choices to my tutorial video",
      "Make it vertical for TikTok",
      "Add a title: Our Summer",
    ],
    errors: {
      400: "Something in that request wasn't right. Please try again.",
      1001: "Your session expired. We started a fresh one — please try again.",
      1002: "That project couldn't be found. We started a new one.",
      2001: "You're out of credits.",
      4001: "That file type isn't supported. Try JPG, PNG, MP4, MP3, WAV or a text script.",
      4002: "That file is too large.",
      402: "Export is blocked for this account.",
      409: "Still working on your last message — one moment.",
      429: "Too many requests. Please wait a moment and try again.",
      5001: "The video couldn't be rendered.",
      5002: "The export was cancelled.",
      5003: "The export took too long and was stopped.",
      network: "Can't reach the Reelwright server. Check your connection and try again.",
      unknown: "Something went wrong. Please try again.",
    },
  },
  zh: {
    credits_loading: "…",
    credits: (n) => `剩余 ${n} 积分`,
    credits_hint: "剩余积分：对话会消耗积分，导出免费。",
    media_title: "我的素材",
    add_files: "添加文件",
    drop_title: "把照片、视频或音乐拖到这里",
    drop_hint: "或点击选择文件 · JPG、PNG、HEIC、MP4、MOV、MP3、WAV…",
    drop_overlay: "松开即可添加到项目",
    preview_title: "预览",
    preview_empty: "每次修改后，这里会播放视频预览。",
    preview_updating: "正在更新预览…",
    preview_failed: "预览没有生成，但仍可以导出。",
    preview_badge: "预览",
    export_badge: "导出版",
    size_full: "高清",
    size_quick: "快速预览",
    export: "导出视频",
    exporting: "正在导出…",
    download: "下载 MP4",
    timeline_title: "时间线",
    timeline_empty: "有内容后，时间线会显示在这里。",
    chat_title: "告诉我你想做什么",
    chat_intro: "你好！先添加照片、视频或音乐，再告诉我你想要什么样的视频，我来帮你做。",
    prompt_placeholder: "描述你想要的视频…",
    send: "发送",
    you: "你",
    thinking: "正在处理…",
    upload_done: "已添加",
    upload_waiting: "等待中…",
    render_queued: "正在排队等待渲染…",
    render_progress: (p) => `渲染中… ${p}%`,
    render_done: "完成！视频已准备好。",
    render_stale: "这个导出版本早于你最近的修改。再导出一次即可包含新的修改。",
    render_failed: "导出没有完成。",
    need_draft: "请先添加素材并告诉我要做什么。",
    tracks: { 0: "视频", 1: "音频", 7: "文字", 8: "互动" },
    roles: {
      music: "音乐", voice: "配音", sfx: "音效", title: "标题", caption: "字幕", captions: "字幕",
      overlay: "文字", clips: "原声", illustration: "插图",
    },
    kinds: { button: "按钮", hotspot: "热点", choice: "选择", chapter: "章节", end: "结束画面",
      pause: "暂停" },
    text_segment: "文字",
    seconds: (s) => `${s}秒`,
    minutes: (m, s) => `${m}:${s}`,
    moods: { Calm: "舒缓", Upbeat: "欢快", "Lo-fi": "低保真", Cinematic: "电影感" },
    built_in: (name) => `${name}（内置）`,
    scene_card: (n) => `第${n}场卡片`,
    title_card: "标题卡片",
    voice_over: (text) => `配音：${text}`,
    summary_photos: (n) => `${n} 张照片`,
    summary_clips: (n) => `${n} 个视频片段`,
    summary_items: (n) => `${n} 个素材`,
    summary_cards: (n) => `${n} 张卡片`,
    summary_music: (name) => `音乐：${name}`,
    summary_voice: "配音",
    summary_title: (text) => `标题“${text}”`,
    summary_captions: (n) => `${n} 条字幕`,
    summary_texts: (n) => `${n} 段文字`,
    summary_interactive: (n) => `${n} 个互动元素`,
    summary_none: "没有音乐",
    close: "关闭",
    language: "语言",
    size: "尺寸",
    media_bin: "素材库",
    message: "消息",
    suggestions_label: "试试这样说",
    timeline_meta: (w, h, s) => `${w}×${h} · ${s}`,
    lang_toggle: "EN",
    suggestions: [
      "把我的照片做成配乐幻灯片",
      "把我的脚本做成带配音和字幕的讲解视频",
      "给我的教程视频加上可点击的按钮和分支选择",
      "把它换成竖屏",
      "加一个标题：我们的夏天",
    ],
    errors: {
      400: "请求有误，请再试一次。",
      1001: "登录已过期，已为你重新开始，请再试一次。",
      1002: "找不到这个项目，已为你新建一个。",
      2001: "积分已用完。",
      4001: "不支持这种文件类型。请试试 JPG、PNG、MP4、MP3、WAV 或文本脚本。",
      4002: "文件太大了。",
      402: "此账户无法导出。",
      409: "上一条消息还在处理中，请稍等。",
      429: "请求太频繁，请稍后再试。",
      5001: "视频渲染失败。",
      5002: "导出已取消。",
      5003: "导出耗时过长，已停止。",
      network: "连接不到 Reelwright 服务器，请检查网络后重试。",
      unknown: "出了点问题，请再试一次。",
    },
  },
};

// Codes whose server message adds something the person needs (the limit, the top-up link).
const KEEP_SERVER_MESSAGE = new Set([2001, 4002, 402]);

export function pickLanguage(saved, navigatorLanguage) {
  if (saved === "en" || saved === "zh") return saved;
  return String(navigatorLanguage || "").toLowerCase().startsWith("zh") ? "zh" : "en";
}

/** A plain sentence for an envelope error ({code, message}) in the given language. */
export function friendlyError(lang, error) {
  const table = STRINGS[lang].errors;
  const code = error && error.code;
  const base = table[code] || table.unknown;
  const detail = error && error.message ? String(error.message) : "";
  const english = !/[\u4e00-\u9fff]/.test(detail);
  if (KEEP_SERVER_MESSAGE.has(code) && detail && lang === "zh" && english) {
    // The service writes English: keep only what the person needs from it.
    return `${base}${chineseDetail(code, detail)}`;
  }
  if (KEEP_SERVER_MESSAGE.has(code) && detail) return `${base} ${detail}`;
  if (!table[code] && detail && code !== "network") return `${base} (${detail})`;
  return base;
}

/** A generated media name ("Upbeat", "Calm (built-in)", "Scene 2 card", "Voice-over: …") in
 *  the page's language; a person's own file names stay as they are. */
export function displayName(lang, name) {
  const table = STRINGS[lang];
  const text = String(name || "");
  const builtIn = text.match(/^(.*) \(built-in\)$/);
  if (builtIn) return table.built_in(table.moods[builtIn[1]] || builtIn[1]);
  if (Object.hasOwn(table.moods, text)) return table.moods[text];
  const scene = text.match(/^Scene (\d+) card$/);
  if (scene) return table.scene_card(scene[1]);
  if (text === "Title card") return table.title_card;
  if (text === "Voice-over") return table.summary_voice;
  const voice = text.match(/^Voice-over: (.*)$/s);
  if (voice) return table.voice_over(voice[1]);
  return text;
}

/** The part of an English service message a Chinese page keeps: the top-up link (2001) or the
 *  limit (4002, "at most 2048 MB", "100 MP"). */
function chineseDetail(code, detail) {
  if (code === 2001) {
    const link = detail.match(/https?:\/\/\S+|\/\S*\?bind=\S+/);
    return link ? `充值或注册：${link[0].replace(/[.,;)]+$/, "")}` : "";
  }
  if (code === 4002) {
    const limits = [...detail.matchAll(/(\d+(?:\.\d+)?)\s*(GB|MB|KB|MP|megapixels|px)\b/g)];
    if (!limits.length) return "";
    const [, value, unit] = limits[limits.length - 1];
    const units = { MP: " 百万像素", megapixels: " 百万像素", px: " 像素" };
    return `（上限 ${value}${units[unit] || ` ${unit}`}）`;
  }
  return "";
}
