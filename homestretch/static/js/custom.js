// A custom sequence's watch page, beside player.js (which plays the joined stream): the
// moves as chapters, the current move's cue card, repeating a move, rest between moves,
// and skipping the few seconds of segment before and after each move's chapter.
(function () {
  "use strict";

  const root = document.querySelector("[data-player]");
  const data = document.getElementById("custom-moves");
  if (!root || !data) return;
  const video = root.querySelector("video");
  const moves = JSON.parse(data.textContent);
  const card = document.querySelector("[data-cue-card]");
  const title = card.querySelector("[data-cue-title]");
  const line = card.querySelector("[data-cue-line]");
  const note = card.querySelector("[data-cue-note]");
  const rest = card.querySelector("[data-rest]");
  const restSeconds = card.querySelector("[data-rest-seconds]");
  const items = document.querySelectorAll("[data-move]");
  // A seek (a chapter button, the seek bar) lands where it was asked: no skipping then.
  const SLACK = 0.25;
  let current = -1;
  let resting = null;

  function moveAt(time) {
    let found = 0;
    moves.forEach(function (move, index) { if (time >= move.begins - 0.01) found = index; });
    return found;
  }

  function show(index) {
    if (index === current) return;
    current = index;
    const move = moves[index];
    title.textContent = move.title;
    line.textContent = move.cue;
    note.textContent = move.note;
    items.forEach(function (item, n) {
      if (n === index) item.setAttribute("aria-current", "step"); else item.removeAttribute("aria-current");
    });
  }

  function stopResting() {
    if (!resting) return;
    clearInterval(resting);
    resting = null;
    rest.hidden = true;
  }

  function goTo(index, play) {
    stopResting();
    video.currentTime = moves[index].start;
    show(index);
    if (play) video.play();
  }

  function restThenGo(index, seconds) {
    video.pause();
    let left = seconds;
    restSeconds.textContent = String(left);
    rest.hidden = false;
    resting = setInterval(function () {
      left -= 1;
      restSeconds.textContent = String(left);
      if (left <= 0) goTo(index, true);
    }, 1000);
  }

  let seeking = false;
  video.addEventListener("seeking", function () { seeking = true; });
  video.addEventListener("seeked", function () { seeking = false; });

  video.addEventListener("timeupdate", function () {
    if (seeking || resting) return;
    const time = video.currentTime;
    const index = moveAt(time);
    const move = moves[index];
    if (time < move.start - SLACK && !video.paused) {
      // In the lead-in: the segment starts before the chapter does.
      video.currentTime = move.start;
    } else if (time >= move.end) {
      // In the tail: on to the next move (after its rest), or the end.
      if (index + 1 < moves.length) {
        if (move.rest > 0 && !video.paused) restThenGo(index + 1, move.rest);
        else if (!video.paused) goTo(index + 1, false);
      } else if (!video.paused) {
        video.pause();
        // The practice is over: the log prompt (practice-log.js) opens, as at a video's end.
        video.dispatchEvent(new CustomEvent("homestretch:practice-done"));
      }
    }
    show(moveAt(video.currentTime));
  });

  card.querySelector("[data-repeat-move]").addEventListener("click", function () {
    goTo(current < 0 ? 0 : current, true);
  });
  card.querySelector("[data-skip-rest]").addEventListener("click", function () {
    goTo(Math.min(current + 1, moves.length - 1), true);
  });
  show(0);
})();
