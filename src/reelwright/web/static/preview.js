// The live preview: after every change of the draft the page asks the service for a fast
// low-resolution render of it (POST /api/preview/...), polls until it plays, and drops a request
// a newer draft version replaced (the service cancels that render). Also the draft fingerprint
// that tells whether an export still shows the current draft.

const POLL_MS = 300;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value).sort()
      .map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** A short, stable fingerprint of a draft (keys sorted, FNV-1a), "" for none. */
export function fingerprint(draft) {
  if (!draft) return "";
  const text = canonical(draft);
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `${text.length}:${hash.toString(16)}`;
}

/**
 * `asked`: the draft version on its way; `shown` and `url`: the finished one. `onReady` runs
 * when a preview can play, `onStale` when the service says a newer edit took over, and
 * `onStatus(state)` with "updating", "failed" or "" for the pill over the player.
 */
export class LivePreview {
  constructor(api, { onReady, onStale, onStatus }) {
    this.api = api;
    this.onReady = onReady;
    this.onStale = onStale;
    this.onStatus = onStatus;
    this.reset();
  }

  reset() {
    this.seq = (this.seq || 0) + 1; // stops any request still polling
    this.asked = 0;
    this.shown = 0;
    this.url = null;
  }

  /** Ask for the preview of `version` unless it plays or is on its way already. */
  sync(version, hasDraft) {
    if (!hasDraft || !version || version === this.asked || version === this.shown) return;
    this.request(version);
  }

  async request(version) {
    this.asked = version;
    this.seq += 1;
    const seq = this.seq;
    this.onStatus("updating");
    try {
      let data = await this.api.requestPreview();
      while (seq === this.seq && (data.status === "queued" || data.status === "rendering")) {
        await sleep(POLL_MS);
        if (seq !== this.seq) return;
        data = await this.api.previewState();
      }
      if (seq !== this.seq) return;
      if (data.status === "completed" && data.url) {
        this.shown = data.draft_version;
        this.url = data.url;
        this.onStatus("");
        this.onReady();
      } else if (data.status === "cancelled") {
        this.asked = 0; // a newer edit took over: the next state refresh asks again
        this.onStatus("");
        this.onStale();
      } else {
        this.onStatus("failed");
      }
    } catch (err) {
      if (seq === this.seq) this.onStatus("failed");
      if (!(err && "code" in err)) console.error(err);
    }
  }
}
