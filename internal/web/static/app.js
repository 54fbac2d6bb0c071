// Khiên Số progressive enhancement. Every page works without this file;
// it only makes some interactions smoother. No inline scripts (CSP).
(function () {
  'use strict';

  // Unit tree: a collapsed node (details[data-children] not yet loaded)
  // fetches the units under it the first time it is opened. Without this
  // script the node's "?open=" link renders the same path on the server.
  function loadChildren(d) {
    if (d.hasAttribute('data-loaded') || d.hasAttribute('data-loading')) { return; }
    var list = d.querySelector(':scope > ul');
    if (!list) { return; }
    d.setAttribute('data-loading', '1');
    list.setAttribute('aria-busy', 'true');
    fetch(d.getAttribute('data-children'), {
      credentials: 'same-origin',
      headers: { 'Accept': 'text/html' }
    }).then(function (resp) {
      if (resp.redirected) {
        // Signed out meanwhile: follow to the login page.
        window.location.href = resp.url;
        throw new Error('redirected');
      }
      if (!resp.ok) { throw new Error('HTTP ' + resp.status); }
      return resp.text();
    }).then(function (html) {
      var tpl = document.createElement('template');
      tpl.innerHTML = html;
      list.replaceChildren(tpl.content);
      d.setAttribute('data-loaded', '1');
    }).catch(function () {
      // Keep the server link in place: it still works.
    }).finally(function () {
      d.removeAttribute('data-loading');
      list.removeAttribute('aria-busy');
    });
  }

  // toggle does not bubble, so listen in the capture phase: nodes added by
  // loadChildren are covered too.
  document.addEventListener('toggle', function (e) {
    var d = e.target;
    if (d && d.tagName === 'DETAILS' && d.open && d.hasAttribute('data-children')) {
      loadChildren(d);
    }
  }, true);

  document.addEventListener('click', function (e) {
    var a = e.target.closest && e.target.closest('summary a.units-open');
    if (!a) { return; }
    var d = a.closest('details[data-children]');
    if (!d) { return; }
    // Open in place rather than reloading the page.
    e.preventDefault();
    d.open = !d.open;
  });

  // Unit forms: the school level only matters for schools.
  function syncSchoolLevel(select) {
    var scope = select.closest('fieldset') || select.form;
    if (!scope) { return; }
    scope.querySelectorAll('[data-units-school]').forEach(function (el) {
      var field = el.querySelector('select');
      var show = select.value === 'school' || (field && field.getAttribute('aria-invalid') === 'true');
      el.style.display = show ? '' : 'none';
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    // Confirm destructive actions marked with data-confirm.
    document.querySelectorAll('form[data-confirm]').forEach(function (f) {
      f.addEventListener('submit', function (e) {
        if (!window.confirm(f.getAttribute('data-confirm'))) { e.preventDefault(); }
      });
    });

    document.querySelectorAll('select[data-units-type]').forEach(function (s) {
      syncSchoolLevel(s);
      s.addEventListener('change', function () { syncSchoolLevel(s); });
    });
  });
})();
