// The watch page's player: hls.js for adaptive streaming, our own controls (quality,
// speed, captions, chapters, seek-bar thumbnails) and saving where you stopped.
(function () {
  "use strict";

  const root = document.querySelector("[data-player]");
  if (!root || !window.Hls) return;

  const video = root.querySelector("video");
  const controls = root.querySelector(".controls");
  const playButton = root.querySelector("[data-play]");
  const seek = root.querySelector("[data-seek]");
  const timeLabel = root.querySelector("[data-time]");
  const speed = root.querySelector("[data-speed]");
  const quality = root.querySelector("[data-quality]");
  const captions = root.querySelector("[data-captions]");
  const thumb = root.querySelector("[data-thumb]");
  const message = root.querySelector("[data-message]");
  const progressUrl = root.dataset.progressUrl;
  const csrfToken = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"];

  function clock(seconds) {
    const total = Math.max(0, Math.floor(seconds || 0));
    const h = Math.floor(total / 3600);
    const m = Math.floor((total % 3600) / 60);
    const s = String(total % 60).padStart(2, "0");
    return h ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
  }

  function say(text) {
    message.textContent = text;
    message.hidden = false;
  }

  // Playback -------------------------------------------------------------------------
  const startAt = parseFloat(root.dataset.start) || 0;
  // Fresh segment links by path, read from a playlist fetched again (see renewLinks):
  // hls.js keeps its own URLs, and each request it makes for a path found here goes to
  // the fresh link instead (xhrSetup may open the request itself).
  const freshLinks = new Map();
  const withoutQuery = function (url) { return url.split("?")[0].split("#")[0]; };
  // At most 30 s buffered ahead (hls.js would go on to 10 minutes of a small rendition):
  // segment links expire within a minute, and a player that keeps fetching meets the
  // refusal, so playback stops within about a minute of access ending.
  const hls = new window.Hls({
    enableWorker: false,
    startPosition: startAt > 0 ? startAt : -1,
    maxMaxBufferLength: 30,
    xhrSetup: function (xhr, url) {
      const fresh = freshLinks.get(withoutQuery(url));
      if (fresh) xhr.open("GET", fresh, true);
    },
  });
  let refreshing = false;

  async function refreshTokens() {
    // Signed URLs expire; ask for new ones. A refusal means access has ended.
    if (refreshing) return;
    refreshing = true;
    const position = video.currentTime;
    const response = await fetch(root.dataset.playbackUrl, { credentials: "same-origin" });
    refreshing = false;
    if (!response.ok) {
      hls.destroy();
      video.removeAttribute("src");
      video.load();
      say("Your access to this sequence has ended. See the plans page to keep watching.");
      return;
    }
    const data = await response.json();
    const wasPlaying = !video.paused;
    freshLinks.clear();
    hls.loadSource(data.master_url);
    hls.startLoad(position);
    // A new source starts the media over: go back to where the viewer was.
    hls.once(window.Hls.Events.MANIFEST_PARSED, function () {
      video.currentTime = position;
      if (wasPlaying) video.play();
    });
  }

  let renewedAt = 0;

  async function renewLinks(playlistUrl) {
    // A segment's link expired (under the nginx and bucket deliveries they live a
    // minute): the same playlist, fetched again, has fresh ones, and checks access.
    // Playback goes on from its buffer meanwhile. A refused playlist, or fresh links
    // refused at once, go to refreshTokens, which asks the site why.
    if (refreshing) return;
    if (!playlistUrl || Date.now() - renewedAt < 5000) { refreshTokens(); return; }
    renewedAt = Date.now();
    refreshing = true;
    const response = await fetch(playlistUrl, { credentials: "same-origin" });
    refreshing = false;
    if (!response.ok) { refreshTokens(); return; }
    const text = await response.text();
    const base = new URL(playlistUrl, window.location.href);
    text.split("\n").map(function (line) {
      const map = line.match(/^#EXT-X-MAP:URI="([^"]+)"/);
      return map ? map[1] : line.trim();
    }).filter(function (line) { return line && !line.startsWith("#"); }).forEach(function (link) {
      const absolute = new URL(link, base).href;  // as hls.js resolves it
      freshLinks.set(withoutQuery(absolute), absolute);
    });
    hls.startLoad(video.currentTime);
  }

  hls.on(window.Hls.Events.ERROR, function (event, data) {
    const status = data.response && data.response.code;
    if (status === 403 && data.details === window.Hls.ErrorDetails.FRAG_LOAD_ERROR) {
      renewLinks(data.frag && data.frag.baseurl);
    } else if (status === 403) {
      refreshTokens();
    } else if (data.fatal && data.type === window.Hls.ErrorTypes.NETWORK_ERROR) {
      setTimeout(function () { hls.startLoad(); }, 2000);
    } else if (data.fatal) {
      say("This video could not be played. Please reload the page.");
    }
  });

  hls.on(window.Hls.Events.MANIFEST_PARSED, function (event, data) {
    data.levels.forEach(function (level, index) {
      const option = document.createElement("option");
      option.value = String(index);
      option.textContent = `${level.height}p`;
      quality.append(option);
    });
  });

  hls.loadSource(root.dataset.master);
  hls.attachMedia(video);

  // Controls ---------------------------------------------------------------------------
  video.removeAttribute("controls");
  controls.hidden = false;

  function togglePlay() {
    if (video.paused) video.play(); else video.pause();
  }
  playButton.addEventListener("click", togglePlay);
  video.addEventListener("click", togglePlay);
  video.addEventListener("play", function () {
    playButton.textContent = "Pause";
    playButton.setAttribute("aria-label", "Pause");
  });
  video.addEventListener("pause", function () {
    playButton.textContent = "Play";
    playButton.setAttribute("aria-label", "Play");
  });

  video.addEventListener("loadedmetadata", function () {
    if (isFinite(video.duration)) seek.max = String(video.duration);
  });
  video.addEventListener("timeupdate", function () {
    if (document.activeElement !== seek) seek.value = String(video.currentTime);
    timeLabel.textContent = `${clock(video.currentTime)} / ${clock(video.duration || root.dataset.duration)}`;
  });
  seek.addEventListener("input", function () { video.currentTime = parseFloat(seek.value); });

  speed.addEventListener("change", function () { video.playbackRate = parseFloat(speed.value); });
  quality.addEventListener("change", function () { hls.currentLevel = parseInt(quality.value, 10); });

  captions.addEventListener("change", function () {
    Array.from(video.textTracks).forEach(function (track) {
      track.mode = track.language === captions.value ? "showing" : "disabled";
    });
  });

  root.querySelector("[data-fullscreen]").addEventListener("click", function () {
    if (document.fullscreenElement) document.exitFullscreen(); else root.requestFullscreen();
  });

  document.querySelectorAll("[data-seek-to]").forEach(function (button) {
    button.addEventListener("click", function () {
      video.currentTime = parseFloat(button.dataset.seekTo);
      video.play();
      video.scrollIntoView({ block: "nearest" });
    });
  });

  // Seek-bar thumbnails from the WebVTT thumbnails track ---------------------------------
  let thumbnails = [];
  fetch(root.dataset.thumbnails, { credentials: "same-origin" })
    .then(function (response) { return response.ok ? response.text() : ""; })
    .then(function (text) {
      const cue = /(\d+:\d+:\d+\.\d+|\d+:\d+\.\d+) --> (\d+:\d+:\d+\.\d+|\d+:\d+\.\d+)\s*\n(\S+)#xywh=(\d+),(\d+),(\d+),(\d+)/g;
      const seconds = function (stamp) {
        return stamp.split(":").reduce(function (total, part) { return total * 60 + parseFloat(part); }, 0);
      };
      let match;
      while ((match = cue.exec(text))) {
        thumbnails.push({
          start: seconds(match[1]), end: seconds(match[2]), url: match[3],
          x: +match[4], y: +match[5], w: +match[6], h: +match[7],
        });
      }
    });

  function showThumb(clientX) {
    const box = seek.getBoundingClientRect();
    const fraction = Math.min(1, Math.max(0, (clientX - box.left) / box.width));
    const at = fraction * (parseFloat(seek.max) || 0);
    const found = thumbnails.find(function (t) { return at >= t.start && at < t.end; });
    if (!found) { thumb.hidden = true; return; }
    thumb.style.width = `${found.w}px`;
    thumb.style.height = `${found.h}px`;
    thumb.style.backgroundImage = `url("${found.url}")`;
    thumb.style.backgroundPosition = `-${found.x}px -${found.y}px`;
    thumb.style.left = `${fraction * box.width - found.w / 2}px`;
    thumb.dataset.time = clock(at);
    thumb.hidden = false;
  }
  seek.addEventListener("pointermove", function (event) { showThumb(event.clientX); });
  seek.addEventListener("pointerleave", function () { thumb.hidden = true; });

  // Saving where you stopped -------------------------------------------------------------
  if (progressUrl) {
    let lastSaved = 0;
    const save = function () {
      if (!isFinite(video.currentTime) || video.currentTime === 0) return;
      lastSaved = Date.now();
      fetch(progressUrl, {
        method: "PUT",
        credentials: "same-origin",
        keepalive: true,
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken },
        body: JSON.stringify({ position: video.currentTime, duration: video.duration || null }),
      });
    };
    video.addEventListener("timeupdate", function () {
      if (!video.paused && Date.now() - lastSaved >= 10000) save();
    });
    video.addEventListener("pause", save);
    video.addEventListener("ended", save);
    window.addEventListener("pagehide", save);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") save();
    });
  }
})();
