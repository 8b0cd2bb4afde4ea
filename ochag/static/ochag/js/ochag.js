// Ochag page behaviour. Loaded as a file (CSP forbids inline scripts); no framework.
(function () {
  "use strict";

  // Error summary: move focus to it so screen-reader and keyboard users hear the problem first.
  function focusErrorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }
  }

  // Session timeout (WCAG 2.2.1): warn before the server ends an idle session,
  // let the user extend it, and go to the login page once it has ended. Only what the person
  // did restarts the countdown: background requests (polls, timed autosaves) do not, just as
  // the server does not count them (ochag/access/idle.py).
  function sessionTimeout() {
    var dialog = document.getElementById("session-timeout");
    if (!dialog || typeof dialog.showModal !== "function") { return; }
    var total = parseInt(dialog.dataset.sessionSeconds, 10);
    var warning = parseInt(dialog.dataset.warningSeconds, 10);
    var countdown = dialog.querySelector("[data-countdown]");
    var deadline, warnTimer, tick;

    function schedule() {
      deadline = Date.now() + total * 1000;
      clearTimeout(warnTimer);
      warnTimer = setTimeout(warn, Math.max(0, (total - warning) * 1000));
    }
    function warn() {
      if (!dialog.open) { dialog.showModal(); }
      dialog.querySelector("[data-keepalive]").focus();
      clearInterval(tick);
      tick = setInterval(function () {
        var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
        // Announce every 15 seconds rather than every second, to not flood screen readers.
        if (left % 15 === 0 || left < 10) { countdown.textContent = String(left); }
        if (left <= 0) {
          clearInterval(tick);
          window.location.href = dialog.dataset.loginUrl + "?expired=1&next=" +
            encodeURIComponent(window.location.pathname);
        }
      }, 1000);
    }
    function keepAlive() {
      var token = document.querySelector("input[name=csrfmiddlewaretoken]");
      fetch(dialog.dataset.keepaliveUrl, {
        method: "POST", credentials: "same-origin",
        headers: { "X-CSRFToken": token ? token.value : "" }
      }).then(function (response) {
        if (response.ok) { clearInterval(tick); dialog.close(); schedule(); }
        else { window.location.href = dialog.dataset.loginUrl; }
      });
    }
    dialog.querySelector("[data-keepalive]").addEventListener("click", keepAlive);
    document.body.addEventListener("htmx:afterRequest", function (event) {
      if (!isBackground(event.detail.requestConfig)) { schedule(); }
    });
    schedule();
  }

  // Buttons that ask for confirmation carry data-confirm; no inline handlers under CSP.
  function confirmButtons() {
    document.addEventListener("submit", function (event) {
      var button = event.submitter;
      var message = (button && button.dataset.confirm) || event.target.dataset.confirm;
      if (message && !window.confirm(message)) { event.preventDefault(); }
    });
  }

  // A request no user event triggered ("load", "every 60s", a script) is background work.
  function isBackground(config) {
    var trigger = config && config.triggeringEvent;
    return !(trigger && trigger.isTrusted);
  }

  // htmx: send the CSRF token with every request, mark background requests for the server's
  // idle timer and move focus to swapped-in content.
  function htmxSetup() {
    document.body.addEventListener("htmx:configRequest", function (event) {
      var token = document.querySelector("input[name=csrfmiddlewaretoken]");
      if (token) { event.detail.headers["X-CSRFToken"] = token.value; }
      if (isBackground(event.detail)) { event.detail.headers["X-Ochag-Background"] = "1"; }
    });
    document.body.addEventListener("htmx:afterSwap", function (event) {
      var target = event.detail.target.querySelector("[data-error-summary]") ||
        (event.detail.target.hasAttribute("data-focus-on-swap") ? event.detail.target : null);
      if (target) { target.focus(); }
    });
  }

  // A table wider than the window scrolls inside its .table-scroll wrapper (tables a template
  // did not wrap get one here). Keyboard users must be able to reach and scroll it (WCAG
  // 2.1.1, axe "scrollable-region-focusable"), so a wrapper that overflows becomes a named,
  // focusable region; one that fits stays out of the tab order. Checked again on resize and
  // after htmx swaps new content in.
  function scrollableTables(root) {
    root.querySelectorAll("table.table").forEach(function (table) {
      if (table.parentElement.classList.contains("table-scroll")) { return; }
      var wrapper = document.createElement("div");
      wrapper.className = "table-scroll";
      table.parentNode.insertBefore(wrapper, table);
      wrapper.appendChild(table);
    });
    document.querySelectorAll(".table-scroll").forEach(function (wrapper) {
      var overflows = wrapper.scrollWidth > wrapper.clientWidth;
      // A wrapper a template made focusable itself (tabindex in the markup) is left as it is.
      if (overflows && !wrapper.hasAttribute("tabindex")) {
        wrapper.tabIndex = 0;
        wrapper.setAttribute("role", "region");
        wrapper.setAttribute("data-scroll-focusable", "");
        if (!wrapper.hasAttribute("aria-label") && !wrapper.hasAttribute("aria-labelledby")) {
          wrapper.setAttribute("aria-label", tableName(wrapper));
        }
      } else if (!overflows && wrapper.hasAttribute("data-scroll-focusable")) {
        wrapper.removeAttribute("tabindex");
        wrapper.removeAttribute("role");
        wrapper.removeAttribute("data-scroll-focusable");
      }
    });
  }

  // The table's caption, else the nearest heading before it, else the page's heading.
  function tableName(wrapper) {
    var caption = wrapper.querySelector("caption");
    if (caption && caption.textContent.trim()) { return caption.textContent.trim(); }
    for (var node = wrapper; node && node !== document.body; node = node.parentElement) {
      for (var prev = node.previousElementSibling; prev; prev = prev.previousElementSibling) {
        if (/^H[1-6]$/.test(prev.tagName)) { return prev.textContent.trim(); }
      }
    }
    var heading = document.querySelector("h1");
    return heading ? heading.textContent.trim() : document.title;
  }

  function scrollableTablesSetup() {
    scrollableTables(document);
    var pending;
    window.addEventListener("resize", function () {
      clearTimeout(pending);
      pending = setTimeout(function () { scrollableTables(document); }, 150);
    });
    document.body.addEventListener("htmx:afterSwap", function (event) {
      scrollableTables(event.detail.target);
    });
  }

  // Deferred scripts run before DOMContentLoaded, when htmx processes the page and fires its
  // "load" requests: its listeners must be in place by then.
  htmxSetup();
  document.addEventListener("DOMContentLoaded", function () {
    focusErrorSummary();
    sessionTimeout();
    confirmButtons();
    scrollableTablesSetup();
  });
}());
