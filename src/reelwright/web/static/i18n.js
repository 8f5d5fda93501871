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
    preview_empty: "Your finished video will play here.",
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
    render_failed: "The export didn't finish.",
    need_draft: "Add media and tell me what to make first.",
    tracks: { 0: "Video", 1: "Audio", 7: "Text", 8: "Interactive" },
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
    preview_empty: "做好的视频会在这里播放。",
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
    render_failed: "导出没有完成。",
    need_draft: "请先添加素材并告诉我要做什么。",
    tracks: { 0: "视频", 1: "音频", 7: "文字", 8: "互动" },
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
  if (KEEP_SERVER_MESSAGE.has(code) && detail) return `${base} ${detail}`;
  if (!table[code] && detail && code !== "network") return `${base} (${detail})`;
  return base;
}
