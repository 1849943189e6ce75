// The staff web app works without this script. With it: live progress on a handout's page
// (announced politely, focus never moved), and voice samples played in place.
"use strict";

(function () {
  // An error summary takes focus, so a screen reader meets the problems first.
  var summary = document.querySelector("[data-error-summary]");
  if (summary && document.activeElement !== summary) {
    summary.focus();
  }

  // ---------------------------------------------------------------- live progress
  var status = document.getElementById("live-status");
  var finished = { done: true, failed: true };
  if (status && !finished[status.getAttribute("data-state")]) {
    var url = status.getAttribute("data-status-url");
    var last = null;
    var again = document.querySelector("form.again");
    if (again) {
      again.hidden = true;  // progress now arrives by itself
    }
    var refresh = function () {
      fetch(window.location.pathname, { credentials: "same-origin", headers: { "Accept": "text/html" } })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (!html) { return; }
          var fresh = new DOMParser().parseFromString(html, "text/html");
          // Replace each part that changed, unless the person is inside it.
          document.querySelectorAll("[data-part]").forEach(function (part) {
            var key = part.id || part.getAttribute("aria-labelledby");
            var selector = part.id ? "#" + part.id : "[aria-labelledby='" + key + "']";
            var replacement = fresh.querySelector(selector);
            if (!replacement || replacement.getAttribute("data-part") === part.getAttribute("data-part")) {
              return;
            }
            if (part.contains(document.activeElement)) { return; }
            part.replaceWith(document.importNode(replacement, true));
          });
          var freshStatus = fresh.getElementById("live-status");
          if (freshStatus && freshStatus.textContent !== status.textContent) {
            status.className = freshStatus.className;
            status.setAttribute("data-state", freshStatus.getAttribute("data-state"));
            status.querySelector("p").innerHTML = freshStatus.querySelector("p").innerHTML;
          }
          var title = fresh.querySelector("title");
          if (title) { document.title = title.textContent; }
        });
    };
    var poll = function () {
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (job) {
          if (!job) { window.setTimeout(poll, 5000); return; }
          var now = JSON.stringify([job.status, job.formats, job.check, Object.keys(job.files)]);
          if (now !== last) {
            last = now;
            refresh();
          }
          if (!finished[job.status] || (job.check && job.check.state !== "done" && job.check.state !== "failed")) {
            window.setTimeout(poll, 2500);
          } else if (again) {
            again.remove();
          }
        })
        .catch(function () { window.setTimeout(poll, 5000); });
    };
    window.setTimeout(poll, 1500);
  }

  // ---------------------------------------------------------------- the plain-language workbench
  var bench = document.getElementById("workbench");
  if (bench) {
    var announce = document.getElementById("plain-announce");
    var summaryBox = document.getElementById("plain-summary");
    var timer = null;
    var lastSaid = summaryBox ? summaryBox.getAttribute("data-said") : "";
    var analyse = function () {
      var data = new FormData(bench);
      fetch(bench.getAttribute("data-analysis-url"), { method: "POST", body: data, credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (result) {
          if (result.errors) {
            var first = result.errors[0].problem;
            if (first !== lastSaid) { announce.textContent = first; lastSaid = first; }
            return;
          }
          summaryBox.innerHTML = result.summary;
          Object.keys(result.rows).forEach(function (key) {
            var box = bench.querySelector("[data-figures='" + key + "']");
            if (box) { box.innerHTML = result.rows[key]; }
          });
          if (result.said !== lastSaid) {
            announce.textContent = result.said;
            lastSaid = result.said;
          }
        })
        .catch(function () { /* the Check button still works */ });
    };
    bench.addEventListener("input", function (event) {
      if (!event.target.matches("textarea, input[type=text]")) { return; }
      window.clearTimeout(timer);
      timer = window.setTimeout(analyse, 900);
    });
  }

  // ---------------------------------------------------------------- voice samples
  document.querySelectorAll("[data-voice-sample]").forEach(function (box) {
    var button = box.querySelector("button");
    var said = box.querySelector(".sample-status");
    var form = button.form;
    // Played in place here, so the button no longer opens a tab.
    button.textContent = button.getAttribute("data-label") || button.textContent;
    button.addEventListener("click", function (event) {
      event.preventDefault();
      var voiceField = form.querySelector("select[name=voice]");
      var langField = form.querySelector("select[name=lang]");
      var textField = form.querySelector("textarea[name=text]");
      var text = box.getAttribute("data-sample-text") || (textField ? textField.value.slice(0, 600) : "");
      var lang = (langField && langField.value) || box.getAttribute("data-lang") || "en";
      var query = new URLSearchParams({ voice: voiceField.value, lang: lang, text: text });
      var player = box.querySelector("audio");
      if (!player) {
        player = document.createElement("audio");
        player.controls = true;
        box.appendChild(player);
      }
      var name = voiceField.options[voiceField.selectedIndex].text;
      said.textContent = "Making a sample of " + name + "…";
      player.onplaying = function () { said.textContent = "Playing a sample of " + name + "."; };
      player.onerror = function () { said.textContent = "The sample could not be made. Try another voice."; };
      player.src = "/voices/sample.mp3?" + query.toString();
      var playing = player.play();
      if (playing && playing.catch) {
        playing.catch(function () { said.textContent = "The sample is ready: press Play."; });
      }
    });
  });
})();
