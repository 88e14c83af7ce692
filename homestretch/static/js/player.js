// The watch page's player: hls.js for adaptive streaming (Safari's own HLS where Media
// Source Extensions are missing, as on an iPhone), our own controls (volume, quality,
// speed, captions, chapters, seek-bar thumbnails, picture-in-picture, AirPlay and casting,
// keyboard shortcuts announced to screen readers), the lock screen's Media Session,
// remembering the viewer's speed and captions, and saving where you stopped.
//
// Our own rather than a player library: media-chrome's elements put <style> elements in
// their shadow roots, which our style-src 'self' refuses (checked in Chromium).
(function () {
  "use strict";

  const root = document.querySelector("[data-player]");
  if (!root) return;

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
  const announcer = root.querySelector("[data-announce]");
  const muteButton = root.querySelector("[data-mute]");
  const volume = root.querySelector("[data-volume]");
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

  function announce(text) {
    // A live region reads out what a shortcut or button did.
    announcer.textContent = text;
  }

  // Which engine plays the stream: hls.js over Media Source Extensions where the browser
  // has them, else the browser's own HLS (Safari on iPhone), else none.
  function chooseEngine(Hls, media) {
    if (Hls && Hls.isSupported()) return "hls.js";
    if (media.canPlayType("application/vnd.apple.mpegurl")) return "native";
    return "none";
  }
  const engine = chooseEngine(window.Hls, video);
  root.dataset.engine = engine;
  if (engine === "none") {
    say("This browser cannot play this video. Please try an up-to-date browser such as Firefox, Chrome or Safari.");
    return;
  }

  // Playback -------------------------------------------------------------------------
  const startAt = parseFloat(root.dataset.start) || 0;
  let hls = null;
  let refreshing = false;

  function accessEnded() {
    if (hls) hls.destroy();
    video.removeAttribute("src");
    video.load();
    say("Your access to this sequence has ended. See the plans page to keep watching.");
  }

  async function freshMasterUrl() {
    // Signed URLs expire; ask for new ones (null: access has ended).
    const response = await fetch(root.dataset.playbackUrl, { credentials: "same-origin" });
    if (!response.ok) return null;
    return (await response.json()).master_url;
  }

  if (engine === "native") {
    // Safari fetches the playlists and segments itself: a refused one (expired links, or
    // access ended) is a network error on the element; a fresh playlist URL picks up
    // where the viewer was, or says access has ended.
    root.querySelector("[data-quality-label]").hidden = true;
    video.src = root.dataset.master;
    if (startAt > 0) {
      video.addEventListener("loadedmetadata", function () { video.currentTime = startAt; }, { once: true });
    }
    let refreshedAt = 0;
    video.addEventListener("error", async function () {
      const error = video.error;
      if (refreshing || !error) return;
      // Anything but a refused fetch, or a fresh source failing at once, is not ours to mend.
      if (error.code !== error.MEDIA_ERR_NETWORK || Date.now() - refreshedAt < 10000) {
        say("This video could not be played. Please reload the page.");
        return;
      }
      refreshedAt = Date.now();
      refreshing = true;
      const position = video.currentTime;
      const wasPlaying = !video.paused;
      const url = await freshMasterUrl();
      refreshing = false;
      if (!url) { accessEnded(); return; }
      video.src = url;
      video.addEventListener("loadedmetadata", function () {
        video.currentTime = position;
        if (wasPlaying) video.play();
      }, { once: true });
    });
  } else {
    startHlsJs();
  }

  function startHlsJs() {
    // Fresh segment links by path, read from a playlist fetched again (see renewLinks):
    // hls.js keeps its own URLs, and each request it makes for a path found here goes to
    // the fresh link instead (xhrSetup may open the request itself).
    const freshLinks = new Map();
    const withoutQuery = function (url) { return url.split("?")[0].split("#")[0]; };
    // At most 30 s buffered ahead (hls.js would go on to 10 minutes of a small rendition):
    // segment links expire within a minute, and a player that keeps fetching meets the
    // refusal, so playback stops within about a minute of access ending.
    hls = new window.Hls({
      enableWorker: false,
      startPosition: startAt > 0 ? startAt : -1,
      maxMaxBufferLength: 30,
      xhrSetup: function (xhr, url) {
        const fresh = freshLinks.get(withoutQuery(url));
        if (fresh) xhr.open("GET", fresh, true);
      },
    });

    async function refreshTokens() {
      if (refreshing) return;
      refreshing = true;
      const position = video.currentTime;
      const url = await freshMasterUrl();
      refreshing = false;
      if (!url) { accessEnded(); return; }
      const wasPlaying = !video.paused;
      freshLinks.clear();
      hls.loadSource(url);
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
      if (quality.options.length > 1) return;  // a refreshed source: same renditions
      data.levels.forEach(function (level, index) {
        const option = document.createElement("option");
        option.value = String(index);
        option.textContent = `${level.height}p`;
        quality.append(option);
      });
    });
    quality.addEventListener("change", function () {
      hls.currentLevel = parseInt(quality.value, 10);
      announce(`Quality ${quality.selectedOptions[0].textContent}`);
    });

    hls.loadSource(root.dataset.master);
    hls.attachMedia(video);
  }

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

  function seekBy(seconds) {
    const end = isFinite(video.duration) ? video.duration : parseFloat(seek.max) || 0;
    video.currentTime = Math.min(end, Math.max(0, video.currentTime + seconds));
    announce(`${seconds < 0 ? "Back" : "Forward"} ${Math.abs(seconds)} seconds, at ${clock(video.currentTime)}`);
  }

  // Volume and mute
  function showVolume() {
    const silent = video.muted || video.volume === 0;
    muteButton.textContent = silent ? "Unmute" : "Mute";
    muteButton.setAttribute("aria-pressed", String(silent));
    volume.value = String(video.muted ? 0 : video.volume);
  }
  function toggleMute() {
    video.muted = !video.muted;
    if (!video.muted && video.volume === 0) video.volume = 0.5;
    announce(video.muted ? "Muted" : `Sound on, volume ${Math.round(video.volume * 100)}%`);
  }
  function changeVolume(by) {
    video.volume = Math.min(1, Math.max(0, Math.round((video.volume + by) * 100) / 100));
    video.muted = video.volume === 0;
    announce(`Volume ${Math.round(video.volume * 100)}%`);
  }
  muteButton.addEventListener("click", toggleMute);
  volume.addEventListener("input", function () {
    video.volume = parseFloat(volume.value);
    video.muted = video.volume === 0;
  });
  video.addEventListener("volumechange", showVolume);

  // Speed and captions, remembered: on the server for a member (every device), in this
  // browser for a visitor.
  const preferenceUrl = root.dataset.preferenceUrl;
  const storageKey = "homestretch.player";
  function storedChoices() {
    if (preferenceUrl) {
      return { speed: root.dataset.speedChoice, captions: root.dataset.captionsChoice };
    }
    try { return JSON.parse(window.localStorage.getItem(storageKey)) || {}; } catch (error) { return {}; }
  }
  function rememberChoices() {
    const choices = { speed: parseFloat(speed.value), captions: captions.value === "off" ? "" : captions.value };
    if (preferenceUrl) {
      fetch(preferenceUrl, {
        method: "PUT",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken },
        body: JSON.stringify(choices),
      }).then(function (response) { if (response.ok) root.dataset.savedChoices = JSON.stringify(choices); });
    } else {
      try { window.localStorage.setItem(storageKey, JSON.stringify(choices)); } catch (error) { /* private mode */ }
      root.dataset.savedChoices = JSON.stringify(choices);
    }
  }

  function setSpeed(value) {
    speed.value = String(value);
    video.playbackRate = parseFloat(speed.value);
    video.defaultPlaybackRate = video.playbackRate;
  }
  function stepSpeed(step) {
    const next = speed.selectedIndex + step;
    if (next < 0 || next >= speed.options.length) { announce(`Speed ${speed.selectedOptions[0].textContent}`); return; }
    setSpeed(speed.options[next].value);
    announce(`Speed ${speed.selectedOptions[0].textContent}`);
    rememberChoices();
  }
  speed.addEventListener("change", function () {
    setSpeed(speed.value);
    announce(`Speed ${speed.selectedOptions[0].textContent}`);
    rememberChoices();
  });

  function showCaptions(language) {
    captions.value = Array.from(captions.options).some(function (o) { return o.value === language; }) ? language : "off";
    Array.from(video.textTracks).forEach(function (track) {
      track.mode = track.language === captions.value ? "showing" : "disabled";
    });
  }
  let lastCaptions = captions.options.length > 1 ? captions.options[1].value : "off";
  function toggleCaptions() {
    if (captions.options.length < 2) { announce("This sequence has no captions"); return; }
    showCaptions(captions.value === "off" ? lastCaptions : "off");
    captionsChanged();
  }
  function captionsChanged() {
    if (captions.value !== "off") lastCaptions = captions.value;
    announce(captions.value === "off" ? "Captions off" : `Captions ${captions.selectedOptions[0].textContent}`);
    rememberChoices();
  }
  captions.addEventListener("change", function () { showCaptions(captions.value); captionsChanged(); });

  const choices = storedChoices();
  // A speed that the list no longer offers is left at 1×; the video's own rate is reset
  // by a new source, so it is applied again once media is loaded.
  if (choices.speed && Array.from(speed.options).some(function (o) { return parseFloat(o.value) === parseFloat(choices.speed); })) {
    setSpeed(Array.from(speed.options).find(function (o) { return parseFloat(o.value) === parseFloat(choices.speed); }).value);
  }
  video.addEventListener("loadedmetadata", function () { video.playbackRate = parseFloat(speed.value); });
  if (choices.captions && choices.captions !== "off") showCaptions(choices.captions);

  // Full screen, picture-in-picture, AirPlay and casting: each shown only where the
  // browser offers it.
  function toggleFullscreen() {
    if (document.fullscreenElement) {
      document.exitFullscreen();
    } else if (root.requestFullscreen) {
      root.requestFullscreen();
    } else if (video.webkitEnterFullscreen) {
      video.webkitEnterFullscreen();  // iPhone: only the video itself goes full screen
    }
  }
  root.querySelector("[data-fullscreen]").addEventListener("click", toggleFullscreen);
  document.addEventListener("fullscreenchange", function () {
    announce(document.fullscreenElement ? "Full screen" : "Left full screen");
  });

  const pipButton = root.querySelector("[data-pip]");
  if (document.pictureInPictureEnabled && !video.disablePictureInPicture) {
    pipButton.hidden = false;
    pipButton.addEventListener("click", function () {
      if (document.pictureInPictureElement) {
        document.exitPictureInPicture();
      } else {
        video.requestPictureInPicture().catch(function () { announce("Picture in picture is not available now"); });
      }
    });
    video.addEventListener("enterpictureinpicture", function () { announce("Picture in picture"); });
    video.addEventListener("leavepictureinpicture", function () { announce("Left picture in picture"); });
  }

  const airplayButton = root.querySelector("[data-airplay]");
  if (window.WebKitPlaybackTargetAvailabilityEvent) {
    video.addEventListener("webkitplaybacktargetavailabilitychanged", function (event) {
      airplayButton.hidden = event.availability !== "available";
    });
    airplayButton.addEventListener("click", function () { video.webkitShowPlaybackTargetPicker(); });
  }

  const remoteButton = root.querySelector("[data-remote]");
  if (video.remote && !window.WebKitPlaybackTargetAvailabilityEvent) {
    // The Remote Playback API (casting on Chrome for Android); it refuses streams it
    // cannot hand over, and then the button stays hidden.
    video.remote.watchAvailability(function (available) { remoteButton.hidden = !available; })
      .catch(function () { remoteButton.hidden = true; });
    remoteButton.addEventListener("click", function () {
      video.remote.prompt().catch(function () { /* the viewer closed the picker */ });
    });
  }

  // Keyboard shortcuts, on the player and on the page itself (not while typing, and not
  // the keys a focused control uses itself).
  function onKey(event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    const target = event.target;
    if (target !== document.body && !root.contains(target)) return;
    const slider = target.matches("input[type=range]");
    if (!slider && target.closest("input, select, textarea, [contenteditable]")) return;
    if (slider && event.key.startsWith("Arrow")) return;  // the slider's own keys
    const onButton = target.closest("button, a, summary");
    const actions = {
      " ": togglePlay, k: togglePlay,
      j: function () { seekBy(-10); }, l: function () { seekBy(10); },
      ArrowLeft: function () { seekBy(-5); }, ArrowRight: function () { seekBy(5); },
      ArrowUp: function () { changeVolume(0.1); }, ArrowDown: function () { changeVolume(-0.1); },
      m: toggleMute, f: toggleFullscreen, c: toggleCaptions,
      "<": function () { stepSpeed(-1); }, ">": function () { stepSpeed(1); },
    };
    const action = actions[event.key.length === 1 ? event.key.toLowerCase() : event.key];
    if (!action || (onButton && event.key === " ")) return;
    event.preventDefault();
    action();
  }
  document.addEventListener("keydown", onKey);
  video.addEventListener("play", function () { announce("Playing"); });
  video.addEventListener("pause", function () { announce("Paused"); });

  document.querySelectorAll("[data-seek-to]").forEach(function (button) {
    button.addEventListener("click", function () {
      video.currentTime = parseFloat(button.dataset.seekTo);
      video.play();
      video.scrollIntoView({ block: "nearest" });
    });
  });

  // The lock screen and headset buttons: title, poster, play/pause and seeking -----------
  if ("mediaSession" in navigator && window.MediaMetadata) {
    const poster = new URL(root.dataset.poster, window.location.href).href;
    navigator.mediaSession.metadata = new window.MediaMetadata({
      title: root.dataset.title,
      artist: root.dataset.artist,
      artwork: [{ src: poster, sizes: "640x360", type: "image/jpeg" }],
    });
    const handlers = {
      play: function () { video.play(); },
      pause: function () { video.pause(); },
      seekbackward: function (details) { seekBy(-(details.seekOffset || 10)); },
      seekforward: function (details) { seekBy(details.seekOffset || 10); },
      seekto: function (details) { video.currentTime = details.seekTime; },
    };
    Object.keys(handlers).forEach(function (action) {
      try { navigator.mediaSession.setActionHandler(action, handlers[action]); } catch (error) { /* not offered here */ }
    });
    const showPosition = function () {
      if (!isFinite(video.duration) || !navigator.mediaSession.setPositionState) return;
      navigator.mediaSession.setPositionState({
        duration: video.duration, position: Math.min(video.currentTime, video.duration), playbackRate: video.playbackRate,
      });
    };
    video.addEventListener("loadedmetadata", showPosition);
    video.addEventListener("ratechange", showPosition);
    video.addEventListener("seeked", showPosition);
    video.addEventListener("play", function () { navigator.mediaSession.playbackState = "playing"; showPosition(); });
    video.addEventListener("pause", function () { navigator.mediaSession.playbackState = "paused"; });
  }

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
