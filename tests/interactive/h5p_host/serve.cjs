// A static HTTP server for the H5P player test: the h5p-standalone player, a library folder and an
// extracted package, with byte ranges (browsers seek video with Range requests).
"use strict";
const fs = require("fs");
const http = require("http");
const path = require("path");

const TYPES = {
  ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".json": "application/json",
  ".mp4": "video/mp4", ".svg": "image/svg+xml", ".png": "image/png", ".woff": "font/woff",
  ".woff2": "font/woff2", ".ttf": "font/ttf", ".eot": "application/vnd.ms-fontobject",
  ".vtt": "text/vtt",
};

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>H5P host</title>
<script src="/player/main.bundle.js"></script></head>
<body style="margin:0"><div id="h5p" style="width:800px"></div><script>
window.h5pErrors = [];
new H5PStandalone.H5P(document.getElementById("h5p"), {
  h5pJsonPath: "/package", librariesPath: "/libraries",
  frameJs: "/player/frame.bundle.js", frameCss: "/player/styles/h5p.css"})
  .then(() => { window.h5pReady = true; })
  .catch((e) => { window.h5pErrors.push(String(e && e.stack || e)); });
</script></body></html>`;

/** Serve ``roots`` ({"/prefix": folder}) on a free port; resolves to {server, url, requests}. */
function serve(roots) {
  const requests = [];
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent(new URL(req.url, "http://x").pathname);
    requests.push(url);
    if (url === "/favicon.ico") {  // asked for by the browser itself
      res.writeHead(204);
      res.end();
      return;
    }
    if (url === "/" || url === "/index.html") {
      res.writeHead(200, { "Content-Type": "text/html" });
      res.end(PAGE);
      return;
    }
    const prefix = Object.keys(roots).find((p) => url.startsWith(`${p}/`));
    const file = prefix && path.join(roots[prefix], url.slice(prefix.length + 1));
    if (!file || !file.startsWith(roots[prefix]) || !fs.existsSync(file)
        || !fs.statSync(file).isFile()) {
      res.writeHead(404);
      res.end();
      return;
    }
    const size = fs.statSync(file).size;
    const type = TYPES[path.extname(file).toLowerCase()] || "application/octet-stream";
    const range = /bytes=(\d*)-(\d*)/.exec(req.headers.range || "");
    if (range) {
      const start = range[1] ? Number(range[1]) : size - Number(range[2]);
      const end = range[1] && range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
      res.writeHead(206, { "Content-Type": type, "Accept-Ranges": "bytes",
                           "Content-Range": `bytes ${start}-${end}/${size}`,
                           "Content-Length": end - start + 1 });
      fs.createReadStream(file, { start, end }).pipe(res);
      return;
    }
    res.writeHead(200, { "Content-Type": type, "Accept-Ranges": "bytes", "Content-Length": size });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      resolve({ server, url: `http://127.0.0.1:${server.address().port}`, requests });
    });
  });
}

module.exports = { serve };
