// Khiên Số progressive enhancement. Every page works without this file;
// it only makes some interactions smoother. No inline scripts (CSP).
(function () {
  'use strict';
  document.addEventListener('DOMContentLoaded', function () {
    // Confirm destructive actions marked with data-confirm.
    document.querySelectorAll('form[data-confirm]').forEach(function (f) {
      f.addEventListener('submit', function (e) {
        if (!window.confirm(f.getAttribute('data-confirm'))) { e.preventDefault(); }
      });
    });
  });
})();
