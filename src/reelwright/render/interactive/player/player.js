/* Reelwright interactive player: buttons, hotspots, choice points, chapters, end screens and
   branches over a plain <video>. No dependencies; reads its data from the #rw-data script tag so
   it works opened from disk (file://) as well as served. State is on window.rwPlayer for tests. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("rw-data").textContent);
  var video = document.getElementById("rw-video");
  var layer = document.getElementById("rw-layer");
  var dialog = document.getElementById("rw-dialog");
  var nav = document.getElementById("rw-chapters");
  var zh = data.lang === "zh";
  var words = zh ? { again: "重新观看", the_end: "结束", resume: "继续", chapter: "章节" }
                 : { again: "Watch again", the_end: "The end", resume: "Continue", chapter: "Chapter" };
  var state = { lastMs: 0, mode: "main", branch: null, open: null, seekTarget: null,
                handled: {}, log: [] };
  var shown = {};
  window.rwPlayer = { data: data, state: state, video: video };

  function nowMs() { return Math.round(video.currentTime * 1000); }

  function seekMain(ms) {
    var go = function () {
      state.seekTarget = ms;  // the seek in flight is ours until one lands elsewhere
      state.lastMs = ms - 1;  // an item exactly at the target still fires
      state.handled = {};
      video.currentTime = ms / 1000;
    };
    if (state.mode !== "main") {
      state.mode = "main";
      video.src = data.video;
      video.addEventListener("loadedmetadata", function once() {
        video.removeEventListener("loadedmetadata", once);
        go();
        video.play().catch(function () {});
      });
    } else {
      go();
    }
  }

  function closeDialog() {
    dialog.hidden = true;
    dialog.innerHTML = "";
    state.open = null;
  }

  function finish() {
    state.branch = null;
    var end = data.items.filter(function (it) { return it.kind === "end"; })[0];
    showEnd(end || { id: "_end", label: words.the_end });
  }

  function perform(action, source) {
    state.log.push({ action: action, from: source, at: nowMs() });
    var act = action.do;
    if (act === "url") {
      window.open(action.url, "_blank", "noopener");
      return;
    }
    if (act === "pause") { video.pause(); return; }
    closeDialog();
    if (act === "play") { video.play().catch(function () {}); return; }
    if (act === "end") { video.pause(); finish(); return; }
    if (act === "jump") {
      state.branch = null;
      seekMain(action.t);
      video.play().catch(function () {});
      return;
    }
    if (act === "branch") {
      var b = data.branches[action.b];
      if (!b) { return; }
      if (b.video) {
        state.mode = "clip";
        state.branch = action.b;
        video.src = b.video;
        video.play().catch(function () {});
      } else {
        state.branch = action.b;
        seekMain(b.st);
        video.play().catch(function () {});
      }
    }
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function openDialog(item, title, sub, answers) {
    dialog.innerHTML = "";
    dialog.hidden = false;
    dialog.setAttribute("aria-label", title);
    dialog.dataset.item = item.id;
    dialog.appendChild(el("h2", { id: "rw-dialog-title" }, title));
    if (sub) { dialog.appendChild(el("p", {}, sub)); }
    var row = el("div", { class: "rw-answers" });
    answers.forEach(function (a) {
      var btn = el("button", { type: "button", "aria-label": a.label }, a.label);
      btn.addEventListener("click", function () { perform(a.action, item.id); });
      row.appendChild(btn);
    });
    dialog.appendChild(row);
    state.open = item.id;
    var first = row.querySelector("button");
    if (first) { first.focus(); }
  }

  function showChoice(item) {
    video.pause();
    video.currentTime = item.st / 1000;
    openDialog(item, item.q, "", item.choices.map(function (c) {
      return { label: c.label, action: c };
    }));
  }

  function showEnd(item) {
    video.pause();
    var answers = [{ label: words.again, action: { do: "jump", t: 0 } }];
    data.chapters.forEach(function (ch) {
      answers.push({ label: ch.label, action: { do: "jump", t: ch.st } });
    });
    openDialog(item, item.label, item.text || "", answers);
  }

  function renderItem(item) {
    var node;
    if (item.kind === "button") {
      node = el("button", { type: "button", class: "rw-item rw-button", "aria-label": item.label },
                item.label);
      var a = item.anchor;
      node.style.left = (a[0] * 100) + "%";
      node.style.top = (a[1] * 100) + "%";
      node.style.transform = "translate(" + (-a[2] * 100) + "%, " + (-a[3] * 100) + "%)";
      if (item.style && item.style.bg) { node.style.background = item.style.bg; }
      if (item.style && item.style.color) { node.style.color = item.style.color; }
    } else {
      node = el("button", { type: "button", class: "rw-item rw-hotspot", "aria-label": item.label,
                            title: item.label });
      node.appendChild(el("span", {}, item.label));
      node.style.left = (item.box[0] * 100) + "%";
      node.style.top = (item.box[1] * 100) + "%";
      node.style.width = (item.box[2] * 100) + "%";
      node.style.height = (item.box[3] * 100) + "%";
    }
    node.dataset.item = item.id;
    node.addEventListener("click", function (ev) {
      ev.stopPropagation();
      perform(item.action, item.id);
    });
    return node;
  }

  function updateOverlays(ms) {
    data.items.forEach(function (item) {
      if (item.kind !== "button" && item.kind !== "hotspot") { return; }
      var visible = state.mode === "main" && ms >= item.st && ms < item.end;
      if (visible && !shown[item.id]) {
        shown[item.id] = renderItem(item);
        layer.appendChild(shown[item.id]);
      } else if (!visible && shown[item.id]) {
        layer.removeChild(shown[item.id]);
        delete shown[item.id];
      }
    });
    var current = null;
    data.chapters.forEach(function (ch) { if (ms >= ch.st) { current = ch.id; } });
    Array.prototype.forEach.call(nav.querySelectorAll("button"), function (b) {
      b.setAttribute("aria-current", b.dataset.item === current ? "true" : "false");
    });
  }

  function tick() {
    if (state.mode === "main") {
      var ms = nowMs();
      if (!state.open && !video.paused && ms > state.lastMs) {
        var fired = null;
        data.items.forEach(function (item) {
          if (fired || (item.kind !== "choice" && item.kind !== "end")) { return; }
          if (state.lastMs < item.st && item.st <= ms && !state.handled[item.id]) { fired = item; }
        });
        var b = state.branch && data.branches[state.branch];
        if (fired) {
          state.handled[fired.id] = true;
          if (fired.kind === "choice") { showChoice(fired); } else { showEnd(fired); }
          ms = fired.st;
        } else if (b && !b.video && ms >= b.end) {
          var left = state.branch;
          state.branch = null;
          perform(b.then, "branch:" + left);
        }
      }
      state.lastMs = Math.max(state.lastMs, ms);
      updateOverlays(ms);
    }
    window.requestAnimationFrame(tick);
  }

  video.addEventListener("seeked", function () {
    // A seek started while a jump was still seeking replaces it (the browser may report only
    // one "seeked"): it is the jump's own only if the video is where the jump was going.
    if (video.seeking) { return; }  // another seek is still on its way: wait for that one
    var ours = state.seekTarget !== null && Math.abs(nowMs() - state.seekTarget) <= 20;
    state.seekTarget = null;
    if (ours) { return; }
    state.lastMs = nowMs();  // scrubbing past a choice does not trigger it
    state.handled = {};
  });
  video.addEventListener("play", function () {
    if (state.open) { closeDialog(); }
  });
  video.addEventListener("ended", function () {
    if (state.mode === "clip") {
      var b = data.branches[state.branch] || { then: { do: "end" } };
      state.branch = null;
      perform(b.then, "clip");
    } else if (!state.open) {
      finish();
    }
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape" && state.open) {
      var item = data.items.filter(function (it) { return it.id === state.open; })[0];
      if (item && item.kind === "end") { closeDialog(); }
    }
  });

  if (data.chapters.length) {
    nav.hidden = false;
    data.chapters.forEach(function (ch) {
      var btn = el("button", { type: "button", "aria-label": words.chapter + ": " + ch.label },
                   ch.label);
      btn.dataset.item = ch.id;
      btn.addEventListener("click", function () { perform({ do: "jump", t: ch.st }, ch.id); });
      nav.appendChild(btn);
    });
  }
  window.requestAnimationFrame(tick);
})();
