/* servicekb handbook: reader conveniences (no search here; see search-zh.js).
 *
 * - A table or chart wider than the screen scrolls inside itself; it gets a
 *   visible cue ("左右滑动查看更多") and a shadow on the side that hides more.
 * - The requirement index (`.requirements-index`) sorts by a click on a
 *   column header and filters by the select boxes above it, offline.
 */
(function () {
  "use strict";

  var SCROLLERS = ".pst-scrollable-table-container, .servicekb-chart, div.cell_output, .table-wrapper";

  // A hint, once shown, stays: removing it again could change the page's height, its scroll bar and
  // so the box's width, and the two would chase each other.
  function markScrollable(box) {
    var wide = box.scrollWidth > box.clientWidth + 2;
    box.classList.toggle("skb-scrollable", wide);
    var hint = box.previousElementSibling;
    var has = hint && hint.classList && hint.classList.contains("skb-scroll-hint");
    if (wide && !has) {
      hint = document.createElement("p");
      hint.className = "skb-scroll-hint";
      hint.setAttribute("aria-hidden", "true");
      hint.textContent = "← 左右滑动查看更多 →";
      box.parentNode.insertBefore(hint, box);
    }
    var atEnd = box.scrollLeft + box.clientWidth >= box.scrollWidth - 2;
    box.classList.toggle("skb-scroll-end", atEnd);
    box.classList.toggle("skb-scroll-start", box.scrollLeft <= 1);
  }

  function watchScrollers() {
    var boxes = document.querySelectorAll(SCROLLERS);
    boxes.forEach(function (box) {
      markScrollable(box);
      if (!box.skbObserved) {
        box.addEventListener("scroll", function () { markScrollable(box); }, { passive: true });
      }
      if (window.ResizeObserver && !box.skbObserved) {
        box.skbObserved = true;
        var pending = false;
        new ResizeObserver(function () {
          if (pending) return;
          pending = true;
          window.requestAnimationFrame(function () { pending = false; markScrollable(box); });
        }).observe(box);
      }
    });
  }

  function cellText(row, i) {
    var cell = row.cells[i];
    return cell ? cell.textContent.trim() : "";
  }

  function compare(a, b) {
    var x = parseFloat(a), y = parseFloat(b);
    if (!isNaN(x) && !isNaN(y) && String(x) === a.split(" ")[0] && String(y) === b.split(" ")[0]) {
      return x - y;
    }
    if (a === "" && b !== "") return 1;
    if (b === "" && a !== "") return -1;
    return a.localeCompare(b, "zh-Hans-CN", { numeric: true });
  }

  function setupIndex(holder) {
    var table = holder.querySelector("table");
    if (!table || !table.tHead || !table.tBodies.length) return;
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var names = heads.map(function (h) { return h.textContent.trim(); });
    var filters = {};
    var bar = document.createElement("div");
    bar.className = "skb-filters";
    var count = document.createElement("span");
    count.className = "skb-count";

    function apply() {
      var shown = 0;
      rows.forEach(function (row) {
        var ok = Object.keys(filters).every(function (i) {
          var want = filters[i];
          if (!want) return true;
          var text = cellText(row, +i);
          if (want === "__has") return text !== "";
          if (want === "__none") return text === "";
          return text === want;
        });
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      count.textContent = "显示 " + shown + " / " + rows.length + " 行";
    }

    function addSelect(i, label, options) {
      var wrap = document.createElement("label");
      wrap.textContent = label + " ";
      var select = document.createElement("select");
      select.setAttribute("data-column", names[i]);
      var all = document.createElement("option");
      all.value = "";
      all.textContent = "全部";
      select.appendChild(all);
      options.forEach(function (o) {
        var opt = document.createElement("option");
        opt.value = o[0];
        opt.textContent = o[1];
        select.appendChild(opt);
      });
      select.addEventListener("change", function () { filters[i] = select.value; apply(); });
      wrap.appendChild(select);
      bar.appendChild(wrap);
    }

    ["标准", "阶段", "类型", "指标", "性质"].forEach(function (name) {
      var i = names.indexOf(name);
      if (i < 0) return;
      var seen = {};
      rows.forEach(function (row) { var t = cellText(row, i); if (t) seen[t] = true; });
      var values = Object.keys(seen).sort(compare);
      addSelect(i, name, values.map(function (v) { return [v, v]; }));
    });
    var target = names.indexOf("要求");
    if (target >= 0) {
      addSelect(target, "数值目标", [["__has", "有"], ["__none", "没有"]]);
    }
    bar.appendChild(count);
    holder.insertBefore(bar, holder.firstChild);

    heads.forEach(function (head, i) {
      head.classList.add("skb-sortable");
      head.setAttribute("role", "button");
      head.setAttribute("tabindex", "0");
      head.title = "点击排序";
      function sort() {
        var up = head.getAttribute("aria-sort") !== "ascending";
        heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
        head.setAttribute("aria-sort", up ? "ascending" : "descending");
        var order = rows.map(function (row, n) { return [row, n]; });
        order.sort(function (a, b) {
          return (up ? 1 : -1) * compare(cellText(a[0], i), cellText(b[0], i)) || a[1] - b[1];
        });
        order.forEach(function (pair) { body.appendChild(pair[0]); });
      }
      head.addEventListener("click", sort);
      head.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); } });
    });
    apply();
  }

  function start() {
    document.querySelectorAll(".requirements-index").forEach(setupIndex);
    watchScrollers();
    // Charts draw after load; look again once they have their size.
    window.addEventListener("load", function () { setTimeout(watchScrollers, 300); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
