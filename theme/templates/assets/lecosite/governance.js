/* lecosite governance page: sort the table by a column, filter it by owner, status, text,
 * overdue and orphan rows. Loaded by lecosite.js on the governance page
 * (data-ls-script="governance"). Plain script, no dependencies. Listeners are delegated on
 * `document` once; per-page set-up runs on every page shown (lecosite.page: Material's
 * `document$`, which emits after every instant navigation, or once without it). */
(function () {
  "use strict";
  var collator = window.Intl && Intl.Collator
    ? new Intl.Collator(undefined, { numeric: true, sensitivity: "base" }) : null;

  function compare(a, b) {
    if (collator) return collator.compare(a, b);
    return a < b ? -1 : a > b ? 1 : 0;
  }
  function words(value) { return (value || "").split(" ").filter(Boolean); }
  function sortKey(row, index) {
    var cell = row.cells[index];
    if (!cell) return "";
    var key = cell.getAttribute("data-sort");
    return key !== null ? key : cell.textContent.trim();
  }

  function sortBy(button) {
    var root = button.closest("[data-ls-governance]");
    var header = button.closest("th");
    if (!root || !header) return;
    var body = root.querySelector("[data-ls-gov-table] tbody");
    var index = Array.prototype.indexOf.call(header.parentNode.children, header);
    var direction = header.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
    header.parentNode.querySelectorAll("th[aria-sort]").forEach(function (th) {
      th.removeAttribute("aria-sort");
    });
    header.setAttribute("aria-sort", direction);
    var sign = direction === "ascending" ? 1 : -1;
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = sortKey(a, index), y = sortKey(b, index);
      if (x === "" || y === "") {
        if (x !== y) return x === "" ? 1 : -1; // empty cells last, either way
      }
      return sign * compare(x, y) || compare(sortKey(a, 0), sortKey(b, 0));
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  function filter(root) {
    var form = root.querySelector("[data-ls-gov-filters]");
    if (!form) return;
    function field(name) { return form.querySelector('[data-ls-gov-filter="' + name + '"]'); }
    var owner = field("owner") ? field("owner").value : "";
    var status = field("status") ? field("status").value : "";
    var text = field("text") ? field("text").value.trim().toLowerCase() : "";
    var overdue = field("overdue") && field("overdue").checked;
    var orphan = field("orphan") && field("orphan").checked;
    var rows = root.querySelectorAll("[data-ls-gov-row]");
    var shown = 0;
    rows.forEach(function (row) {
      var match = (!owner || words(row.getAttribute("data-owners")).indexOf(owner) >= 0)
        && (!status || row.getAttribute("data-status") === status)
        && (!overdue || row.getAttribute("data-overdue") === "true")
        && (!orphan || row.getAttribute("data-orphan") === "true")
        && (!text || words(text).every(function (word) {
          return (row.getAttribute("data-text") || "").indexOf(word) >= 0;
        }));
      row.hidden = !match;
      if (match) shown += 1;
    });
    var count = root.querySelector("[data-ls-gov-count]");
    if (count) count.textContent = shown === rows.length
      ? rows.length + " modules" : shown + " of " + rows.length + " modules";
    var empty = root.querySelector("[data-ls-gov-empty]");
    if (empty) empty.hidden = shown > 0;
  }

  function onFilter(event) {
    var form = event.target.closest && event.target.closest("[data-ls-gov-filters]");
    if (form) filter(form.closest("[data-ls-governance]"));
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-ls-gov-sort]");
    if (button) sortBy(button);
  });
  document.addEventListener("input", onFilter);
  document.addEventListener("change", onFilter);
  document.addEventListener("submit", function (event) {
    if (event.target.matches && event.target.matches("[data-ls-gov-filters]")) {
      event.preventDefault();
    }
  });

  /* Overdue on the day the page is read, not the day it was built: a page published
   * once a month said "0 overdue" all month (the strict build refuses overdue modules). */
  function markOverdue(root) {
    var now = new Date(), count = 0;
    var today = [now.getFullYear(), now.getMonth() + 1, now.getDate()].map(function (n) {
      return (n < 10 ? "0" : "") + n;
    }).join("-");
    root.querySelectorAll("[data-ls-gov-row]").forEach(function (row) {
      var due = row.getAttribute("data-due");
      var late = due ? due < today : row.getAttribute("data-overdue") === "true";
      var cell = row.cells[5], badge = cell && cell.querySelector(".ls-badge--overdue");
      row.setAttribute("data-overdue", late);
      row.classList.toggle("ls-gov-overdue", late);
      if (late && cell && !badge) {
        badge = document.createElement("span");
        badge.className = "ls-badge ls-badge--overdue";
        badge.textContent = "Overdue";
        cell.append(" ", badge);
      } else if (!late && badge) {
        badge.remove();
      }
      if (late) count += 1;
    });
    var shown = root.querySelector("[data-ls-gov-overdue]");
    if (shown) shown.textContent = count;
  }

  function setUp() {
    document.querySelectorAll("[data-ls-governance]").forEach(function (root) {
      markOverdue(root);
      var form = root.querySelector("[data-ls-gov-filters]");
      if (form) form.hidden = false; // the filters need this script: shown only with it
      filter(root); // the browser may have restored field values
    });
  }

  window.lecosite.page(setUp);
})();
