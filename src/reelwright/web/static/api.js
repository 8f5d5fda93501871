// The page's side of the wire contract: identity (client id, token, session), the
// {code, message, data} envelope, XHR uploads with progress, and exports.

const KEYS = { client: "rw.clientId", token: "rw.token", session: "rw.session", user: "rw.userId" };

/** An error carrying the envelope's code; code "network" when the server was unreachable. */
export class ApiError extends Error {
  constructor(code, message, data = null, status = 0) {
    super(message || String(code));
    this.code = code;
    this.data = data;
    this.status = status;
  }
}

function randomId() {
  // crypto.randomUUID only exists on secure origins; a LAN http:// address is not one.
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function store(key, value) {
  try {
    if (value === null || value === undefined) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch { /* private mode: keep going without persistence */ }
}

function load(key) {
  try { return localStorage.getItem(key); } catch { return null; }
}

async function readEnvelope(response) {
  let body = null;
  try { body = await response.json(); } catch { /* not JSON: fall through */ }
  if (body && typeof body.code === "number") {
    if (body.code === 0) return body.data;
    throw new ApiError(body.code, body.message, body.data, response.status);
  }
  if (response.ok) return body;
  throw new ApiError(response.status, response.statusText, null, response.status);
}

export class Api {
  constructor({ app, version, language }) {
    this.app = app;
    this.version = version;
    this.language = language || "en";
    this.clientId = load(KEYS.client) || randomId();
    store(KEYS.client, this.clientId);
    this.token = load(KEYS.token);
    this.sessionId = load(KEYS.session);
    this.userId = load(KEYS.user) || "me";
    this.onReset = () => {};
    this.pending = null;
  }

  get attribution() {
    return {
      "X-Skill-Source": "reelwright-web",
      "X-Skill-Version": this.version,
      "X-Skill-Platform": "web",
    };
  }

  authHeaders() {
    return { Authorization: `Bearer ${this.token}`, ...this.attribution };
  }

  async raw(method, path, { body, headers = {}, auth = true } = {}) {
    const init = { method, headers: { Accept: "application/json", ...headers } };
    if (auth) Object.assign(init.headers, this.authHeaders());
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(path, init);
    } catch (err) {
      throw new ApiError("network", String(err && err.message));
    }
    return readEnvelope(response);
  }

  async newToken() {
    const data = await this.raw("POST", "/api/auth/anonymous-token", {
      headers: { "X-Client-Id": this.clientId }, auth: false,
    });
    this.token = data.token;
    this.userId = data.user_id || data.userId || "me";
    store(KEYS.token, this.token);
    store(KEYS.user, this.userId);
  }

  async newSession() {
    const data = await this.raw("POST", `/api/tasks/me/with-session/${this.app}`, {
      body: { task_name: "Web project", language: this.language },
    });
    this.sessionId = data.session_id;
    store(KEYS.session, this.sessionId);
    this.onReset();
  }

  /** Make sure there is a token and a session; a fresh visitor gets both. Calls made at the
   *  same moment share one attempt, so one client id never asks for two tokens. */
  ready() {
    if (this.token && this.sessionId) return Promise.resolve();
    if (!this.pending) {
      this.pending = (async () => {
        if (!this.token) await this.newToken();
        if (!this.sessionId) await this.newSession();
      })().finally(() => { this.pending = null; });
    }
    return this.pending;
  }

  forget(code, token, session) {
    // Only drop what the failed call used: a parallel call may have replaced it already.
    if (code === 1001 && this.token === token) {
      this.token = null;
      this.sessionId = null;
      store(KEYS.token, null);
      store(KEYS.session, null);
    } else if (code === 1002 && this.sessionId === session) {
      this.sessionId = null;
      store(KEYS.session, null);
    }
  }

  /**
   * Run an authenticated call; on 1001 (token gone) get a new token and session and retry once,
   * on 1002 (session gone) start a new session and retry once. `call` reads this.sessionId
   * afresh each time, so the retry goes to the new session.
   */
  async withAuth(call) {
    await this.ready();
    const token = this.token;
    const session = this.sessionId;
    try {
      return await call();
    } catch (err) {
      if (!(err instanceof ApiError) || (err.code !== 1001 && err.code !== 1002)) throw err;
      this.forget(err.code, token, session);
      await this.ready();
      return call();
    }
  }

  credits() {
    return this.withAuth(() => this.raw("GET", "/api/credits/balance/simple"));
  }

  state() {
    return this.withAuth(() => this.raw("GET", `/api/state/${this.app}/me/${this.sessionId}/latest`));
  }

  /** Upload one file with XMLHttpRequest so the browser reports upload progress (0..1). */
  upload(file, onProgress) {
    const once = () => new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open("POST", `/api/upload-video/${this.app}/me/${this.sessionId}`);
      for (const [name, value] of Object.entries(this.authHeaders())) {
        xhr.setRequestHeader(name, value);
      }
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.onprogress = (event) => {
        if (event.lengthComputable) onProgress(event.loaded / event.total);
      };
      xhr.onerror = () => reject(new ApiError("network", "upload failed"));
      xhr.onload = () => {
        let body = null;
        try { body = JSON.parse(xhr.responseText); } catch { /* handled below */ }
        if (body && body.code === 0) resolve(body.data);
        else if (body && typeof body.code === "number") {
          reject(new ApiError(body.code, body.message, body.data, xhr.status));
        } else reject(new ApiError(xhr.status || "unknown", xhr.statusText, null, xhr.status));
      };
      const form = new FormData();
      form.append("files", file, file.name);
      xhr.send(form);
    });
    return this.withAuth(once);
  }

  /** Start an export of `draft` (quick: fastest encoder, low resolution where the service
   *  supports `output.preview`); resolves to the render id. */
  async startExport(draft, quick = false) {
    const id = `render_${Date.now()}`;
    const output = quick ? { format: "mp4", quality: "draft", preview: true }
      : { format: "mp4", quality: "high" };
    await this.withAuth(() => this.raw("POST", "/api/render/proxy/lambda", {
      body: { id, sessionId: this.sessionId, draft, output },
    }));
    return id;
  }

  /** Ask for the live preview of the session's latest draft (fast, low resolution, free). */
  requestPreview() {
    return this.withAuth(() => this.raw("POST", `/api/preview/${this.app}/me/${this.sessionId}`));
  }

  previewState() {
    return this.withAuth(() => this.raw("GET", `/api/preview/${this.app}/me/${this.sessionId}`));
  }

  exportStatus(id) {
    return this.withAuth(() => this.raw("GET", `/api/render/proxy/lambda/${encodeURIComponent(id)}`));
  }

  /** POST /run_sse; returns the Response so the caller can read the stream. */
  async runTurn(text, signal) {
    const send = async () => {
      let response;
      try {
        response = await fetch("/run_sse", {
          method: "POST",
          signal,
          headers: {
            "Content-Type": "application/json",
            Accept: "text/event-stream",
            ...this.authHeaders(),
          },
          body: JSON.stringify({
            app_name: this.app,
            user_id: this.userId,
            session_id: this.sessionId,
            new_message: { role: "user", parts: [{ text }] },
            streaming: true,
          }),
        });
      } catch (err) {
        throw new ApiError("network", String(err && err.message));
      }
      const type = response.headers.get("Content-Type") || "";
      if (response.ok && type.includes("text/event-stream")) return response;
      await readEnvelope(response);
      throw new ApiError("unknown", `unexpected reply (${response.status} ${type})`);
    };
    return this.withAuth(send);
  }
}
