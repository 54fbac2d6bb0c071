// Khiên Số: live progress of an import job. Without this file the job page
// refreshes itself (a <noscript> meta refresh); with it, the page polls the
// job's status, moves the progress bar, and reloads once the job is done to
// show the report. No inline scripts (CSP).
(function () {
  'use strict';

  var box = document.getElementById('import-progress');
  if (!box || box.getAttribute('data-finished') === 'true') { return; }
  var url = box.getAttribute('data-status-url');
  var bar = document.getElementById('import-bar');
  var text = document.getElementById('import-progress-text');
  var status = document.getElementById('import-status');
  var failures = 0;

  function show(s) {
    if (bar) {
      bar.value = s.percent;
      bar.textContent = s.percent + '%';
    }
    if (text && s.text) { text.textContent = s.text; }
    if (status && s.label) {
      status.textContent = s.label;
      status.setAttribute('data-status', s.status);
    }
  }

  function poll() {
    fetch(url, { credentials: 'same-origin', headers: { 'Accept': 'application/json' }, cache: 'no-store' })
      .then(function (resp) {
        if (!resp.ok) { throw new Error('HTTP ' + resp.status); }
        return resp.json();
      })
      .then(function (s) {
        failures = 0;
        show(s);
        if (s.finished) {
          window.location.reload();
          return;
        }
        window.setTimeout(poll, 700);
      })
      .catch(function () {
        // Back off, and fall back to reloading the page, which works
        // without this script.
        failures++;
        if (failures > 5) {
          window.location.reload();
          return;
        }
        window.setTimeout(poll, 2000);
      });
  }

  window.setTimeout(poll, 300);
})();
