// Unit picker: turns the selects of the "unit-picker" partial into one
// type-ahead with keyboard support, browsing by tree and groups kept as
// one chip. The selects stay in the form (hidden) and are what is
// submitted, so the server reads the same fields with or without this.
(function () {
  "use strict";

  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase().replace(/\s+/g, " ").trim();
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }


  function Picker(root) {
    var t = function (k, arg) { return (root.getAttribute("data-t-" + k) || "").replace(/%[sd]/, arg === undefined ? "" : arg); };
    var units = root.querySelector("[data-picker-units]");
    var groups = root.querySelector("[data-picker-groups]");
    var multiple = root.hasAttribute("data-multiple");
    var byCode = root.getAttribute("data-by-code") === "true";
    var purpose = root.getAttribute("data-purpose");
    var id = units.id + "-search";
    var listId = units.id + "-list";

    var chips = el("ul", "picker-chips");
    chips.setAttribute("aria-live", "polite");
    var row = el("div", "picker-row");
    var input = el("input", "picker-input");
    input.type = "text";
    input.id = id;
    input.autocomplete = "off";
    input.placeholder = t("search");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    if (units.hasAttribute("aria-describedby")) input.setAttribute("aria-describedby", units.getAttribute("aria-describedby"));
    if (units.hasAttribute("aria-invalid")) input.setAttribute("aria-invalid", "true");
    var browseBtn = el("button", "secondary picker-browse", t("browse"));
    browseBtn.type = "button";
    browseBtn.setAttribute("aria-controls", listId);
    row.appendChild(input);
    row.appendChild(browseBtn);
    var list = el("ul", "picker-list");
    list.id = listId;
    list.setAttribute("role", "listbox");
    list.hidden = true;

    // The label that named the select names the search field now.
    var label = document.querySelector('label[for="' + units.id + '"]');
    if (label) label.setAttribute("for", id);
    units.required = false;
    units.hidden = true;
    units.setAttribute("aria-hidden", "true");
    units.tabIndex = -1;
    if (groups) { groups.hidden = true; groups.tabIndex = -1; }
    root.querySelectorAll(".picker-hint").forEach(function (h) { h.hidden = true; });
    root.appendChild(chips);
    root.appendChild(row);
    root.appendChild(list);

    var items = [];   // the rows shown: {li, choose, browse}
    var active = -1;
    var timer = 0;
    var browsing = null; // the unit browsed, when browsing
    var pending = null;

    function optionFor(u) {
      var o = units.querySelector('option[data-id="' + u.id + '"]');
      if (!o) {
        o = new Option(u.name, byCode ? u.code : String(u.id));
        o.setAttribute("data-id", u.id);
        o.setAttribute("data-code", u.code);
        units.appendChild(o);
      }
      return o;
    }

    function chooseUnit(u) {
      var o = optionFor(u);
      if (!multiple) {
        Array.prototype.forEach.call(units.options, function (x) { x.selected = false; });
      }
      o.selected = true;
      done();
    }

    function chooseGroup(g) {
      var o = groups.querySelector('option[value="' + g.type + '"]');
      if (o) o.selected = true;
      done();
    }

    function done() {
      input.value = "";
      close();
      renderChips();
      units.dispatchEvent(new Event("change", { bubbles: true }));
      input.focus();
    }

    function renderChips() {
      chips.textContent = "";
      var chosen = [];
      if (groups) Array.prototype.forEach.call(groups.selectedOptions, function (o) { chosen.push({ o: o, group: true }); });
      Array.prototype.forEach.call(units.selectedOptions, function (o) { if (o.value) chosen.push({ o: o }); });
      chosen.forEach(function (c) {
        var li = el("li", "picker-chip" + (c.group ? " group" : ""));
        li.appendChild(el("span", "", c.o.textContent));
        if (!c.group && c.o.getAttribute("data-code")) li.appendChild(el("span", "muted", " " + c.o.getAttribute("data-code")));
        var x = el("button", "picker-remove", "×");
        x.type = "button";
        x.setAttribute("aria-label", t("remove", c.o.textContent));
        x.addEventListener("click", function () {
          c.o.selected = false;
          renderChips();
          input.focus();
        });
        li.appendChild(x);
        chips.appendChild(li);
      });
      chips.hidden = chosen.length === 0;
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function setActive(i) {
      if (!items.length) return;
      if (active >= 0 && items[active]) items[active].li.removeAttribute("aria-selected");
      active = (i + items.length) % items.length;
      var it = items[active];
      it.li.setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", it.li.id);
      it.li.scrollIntoView({ block: "nearest" });
    }

    function addRow(content, choose, browse, cls) {
      var li = el("li", "picker-option" + (cls ? " " + cls : ""));
      li.id = listId + "-" + items.length;
      li.setAttribute("role", "option");
      li.appendChild(content);
      li.addEventListener("mousedown", function (e) { e.preventDefault(); });
      li.addEventListener("click", function (e) {
        if (e.target.closest(".picker-open")) return;
        choose();
      });
      if (browse) {
        var b = el("button", "picker-open", "›");
        b.type = "button";
        b.tabIndex = -1;
        b.setAttribute("aria-label", t("open", content.getAttribute("data-name")));
        b.addEventListener("mousedown", function (e) { e.preventDefault(); });
        b.addEventListener("click", function () { browse(); });
        li.appendChild(b);
      }
      list.appendChild(li);
      items.push({ li: li, choose: choose, browse: browse });
    }

    function unitContent(u) {
      var span = el("span", "picker-name");
      span.setAttribute("data-name", u.name);
      (u.segments && u.segments.length ? u.segments : [{ text: u.name }]).forEach(function (s) {
        span.appendChild(s.hit ? el("mark", "", s.text) : document.createTextNode(s.text));
      });
      span.appendChild(el("span", "picker-meta", u.type_label + " · " + u.code));
      return span;
    }

    function heading(text) {
      var li = el("li", "picker-heading", text);
      li.setAttribute("role", "presentation");
      list.appendChild(li);
    }

    function render(data, q) {
      list.textContent = "";
      items = [];
      active = -1;
      var fq = fold(q);
      var gs = (groups ? data.groups || [] : []).filter(function (g) {
        var o = groups.querySelector('option[value="' + g.type + '"]');
        return o && !o.selected && (fq === "" || fold(g.label).indexOf(fq) >= 0);
      });
      if (gs.length && !browsing) {
        heading(t("groups"));
        gs.forEach(function (g) {
          var s = el("span", "picker-name", g.label);
          s.setAttribute("data-name", g.label);
          addRow(s, function () { chooseGroup(g); }, null, "group");
        });
      }
      if (data.parent) {
        var p = data.parent;
        var up = el("span", "picker-name", "");
        up.setAttribute("data-name", p.name);
        if (data.up) {
          var back = el("button", "picker-up secondary", "↑ " + t("up"));
          back.type = "button";
          back.addEventListener("mousedown", function (e) { e.preventDefault(); });
          back.addEventListener("click", function () { browse(data.up); });
          var hl = el("li", "picker-heading");
          hl.setAttribute("role", "presentation");
          hl.appendChild(back);
          list.appendChild(hl);
        }
        addRow(unitContent(p), function () { chooseUnit(p); }, null, "parent");
      } else if (data.units.length && gs.length) {
        heading(t("units"));
      }
      data.units.forEach(function (u) {
        addRow(unitContent(u), function () { chooseUnit(u); }, u.child_count > 0 ? function () { browse(u.id); } : null, data.parent ? "child" : "");
      });
      if (!items.length) heading(t("none"));
      if (data.total > data.units.length) heading(t("more", data.total - data.units.length));
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      if (items.length) setActive(0);
    }

    function load(params, q) {
      params.set("purpose", purpose);
      if (pending) pending.abort();
      var ctl = new AbortController();
      pending = ctl;
      fetch("/api/v1/units/pick?" + params.toString(), { headers: { Accept: "application/json" }, credentials: "same-origin", signal: ctl.signal })
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
        .then(function (data) { render(data, q); })
        .catch(function () {});
    }

    function search() {
      var q = input.value.trim();
      browsing = null;
      if (q === "") { browse(0); return; }
      load(new URLSearchParams({ q: q }), q);
    }

    function browse(parent) {
      browsing = parent || null;
      var p = new URLSearchParams();
      if (parent) p.set("parent", String(parent));
      load(p, "");
      input.focus();
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, 150);
    });
    input.addEventListener("focus", function () { if (list.hidden && input.value === "") browse(0); });
    input.addEventListener("blur", function () { setTimeout(function () { if (document.activeElement !== input) close(); }, 150); });
    browseBtn.addEventListener("click", function () { input.value = ""; browse(0); });
    input.addEventListener("keydown", function (e) {
      var it = items[active];
      switch (e.key) {
        case "ArrowDown":
          e.preventDefault();
          if (list.hidden) search(); else setActive(active + 1);
          break;
        case "ArrowUp":
          e.preventDefault();
          setActive(active - 1);
          break;
        case "ArrowRight":
          if (it && it.browse && input.selectionStart === input.value.length) { e.preventDefault(); it.browse(); }
          break;
        case "Enter":
          if (!list.hidden && it) { e.preventDefault(); it.choose(); }
          break;
        case "Escape":
          if (!list.hidden) { e.preventDefault(); close(); }
          break;
        case "Backspace":
          if (input.value === "" && multiple) {
            var last = chips.querySelector(".picker-chip:last-child .picker-remove");
            if (last) last.click();
          }
          break;
      }
    });
    renderChips();
  }

  function init() {
    document.querySelectorAll("[data-unit-picker]").forEach(function (root) { Picker(root); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
