// Server-sent events from /run_sse, read with a ReadableStream reader and turned into ADK events.

/**
 * Feed text chunks in, get complete SSE messages out. `data:` lines of one message are joined
 * with "\n"; comment lines (":" heartbeats) and other fields are ignored.
 */
export class SseParser {
  constructor() {
    this.buffer = "";
    this.data = [];
  }

  push(chunk) {
    this.buffer += chunk;
    const messages = [];
    let newline;
    while ((newline = this.buffer.search(/\r\n|\r|\n/)) >= 0) {
      // A lone "\r" at the end may be the first half of "\r\n": wait for the next chunk.
      if (newline === this.buffer.length - 1 && this.buffer.endsWith("\r")) break;
      const line = this.buffer.slice(0, newline);
      const width = this.buffer.startsWith("\r\n", newline) ? 2 : 1;
      this.buffer = this.buffer.slice(newline + width);
      if (line === "") {
        if (this.data.length) messages.push(this.data.join("\n"));
        this.data = [];
      } else if (line.startsWith("data:")) {
        this.data.push(line.slice(5).replace(/^ /, ""));
      }
    }
    return messages;
  }

  /** Whatever is left when the stream closes without a final blank line. */
  end() {
    const rest = this.buffer.startsWith("data:") ? [this.buffer.slice(5).replace(/^ /, "")] : [];
    const all = [...this.data, ...rest];
    this.buffer = "";
    this.data = [];
    return all.length ? [all.join("\n")] : [];
  }
}

/** Read an SSE Response to the end, calling onEvent with each parsed ADK event object. */
export async function readEvents(response, onEvent) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const parser = new SseParser();
  const emit = (message) => {
    let event;
    try { event = JSON.parse(message); } catch { return; }
    onEvent(event);
  };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    parser.push(decoder.decode(value, { stream: true })).forEach(emit);
  }
  parser.push(decoder.decode());
  parser.end().forEach(emit);
}

/** The parts of an ADK event, each as {text} | {call: {name, args}} | {result: {name}}. */
export function eventParts(event) {
  const parts = (event && event.content && event.content.parts) || [];
  const out = [];
  for (const part of parts) {
    const call = part.functionCall || part.function_call;
    const result = part.functionResponse || part.function_response;
    if (call) out.push({ call: { name: call.name, args: call.args || {} } });
    else if (result) out.push({ result: { name: result.name, response: result.response } });
    else if (typeof part.text === "string" && !part.thought) out.push({ text: part.text });
  }
  return out;
}

/** An error an ADK event reports ({code, message}), or null. */
export function eventError(event) {
  const code = event && (event.errorCode || event.error_code);
  const message = event && (event.errorMessage || event.error_message);
  if (!code && !message) return null;
  const numeric = Number(code);
  return { code: Number.isFinite(numeric) && numeric > 0 ? numeric : code, message };
}
