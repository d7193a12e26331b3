/*
 * servicekb search in the handbook: the same index and the same ranking as `servicekb search`.
 *
 * The index (`_search/index.js`, written by `servicekb book`) holds every
 * clause, metric, citation and store page with its postings already weighted (BM25F
 * with field weights and kind boosts, as integers). Ranking a query is the
 * algorithm of servicekb/search/engine.py, step by step:
 *   fold (NFKC, traditional -> simplified, lower case) -> terms (vocabulary
 *   words of Chinese runs, English words without plural s or ies; synonyms named by
 *   their group; ignored words dropped; each once, sorted) -> add postings ->
 *   score = sum / 1000, times r `coordination` times (r: share of the query's
 *   terms matched) ->
 *   best first, ties in index order.
 * A browser test compares the two on the question set.
 *
 * What it does on a page:
 *   - every search box (the header dialog, Ctrl+K) shows the best hits while
 *     typing; Enter opens the search page;
 *   - search.html lists every hit with filters (standard, stage, metric,
 *     store), replacing Sphinx's page-level search;
 *   - a hit opens its page at the clause (`#<clause id>`) with the matched
 *     words (`?hl=`) marked inside that clause.
 * Text from the index is only ever set as text (textContent), never as HTML.
 */
(() => {
  "use strict";

  const MAX_QUERY = 1000;
  const HAN = "\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff";
  const PIECES = new RegExp(`[${HAN}]+|[a-z0-9]+`, "g");
  const CLAUSE_ANCHOR = /^[a-z0-9]+(?:-[a-z0-9]+)*#/;
  const PANEL_HITS = 8;

  const root = () => {
    if (typeof DOCUMENTATION_OPTIONS !== "undefined" && DOCUMENTATION_OPTIONS.URL_ROOT) return DOCUMENTATION_OPTIONS.URL_ROOT;
    return document.documentElement.dataset.content_root || "";
  };

  // ---- the index -------------------------------------------------------

  class Engine {
    constructor(data) {
      this.data = data;
      this.docs = data.docs;
      this.postings = data.postings;
      this.maxWord = data.max_word;
      this.coordination = data.coordination;
      this.vocabulary = new Set(data.vocabulary);
      this.ignore = new Set(data.ignore);
      this.groups = data.synonyms;
      this.concept = new Map();
      for (const [name, words] of Object.entries(this.groups)) for (const w of words) this.concept.set(w, name);
      this.fold = new Map(Object.entries(data.fold));
    }

    foldQuery(query) {
      const text = Array.from(String(query)).slice(0, MAX_QUERY).join("").normalize("NFKC");
      let out = "";
      for (const ch of text) out += this.fold.get(ch) || ch;
      return out.toLowerCase();
    }

    // Folded text of the same length as `text` (a character whose folding changes its length stays as it is).
    foldAligned(text) {
      let out = "";
      for (const ch of text) {
        let c = ch.normalize("NFKC");
        if (c.length !== ch.length) c = ch;
        c = (this.fold.get(c) || c).toLowerCase();
        out += c.length === ch.length ? c : ch;
      }
      return out;
    }

    *words(folded) {
      for (const piece of folded.match(PIECES) || []) {
        if (piece.charCodeAt(0) < 128) {
          // a plural loses its s, ies becomes y (normalise_english)
          const plural = piece.length > 3 && piece.endsWith("s") && !piece.endsWith("ss") && !/^[0-9]+$/.test(piece);
          if (!plural) yield piece;
          else yield piece.length > 4 && piece.endsWith("ies") ? piece.slice(0, -3) + "y" : piece.slice(0, -1);
          continue;
        }
        const n = piece.length;
        for (let i = 0; i < n - 1; i++) {
          for (let j = i + 2; j <= Math.min(n, i + this.maxWord); j++) {
            const word = piece.slice(i, j);
            if (this.vocabulary.has(word)) yield word;
          }
        }
      }
    }

    terms(query) {
      const out = new Set();
      for (const word of this.words(this.foldQuery(query))) {
        if (this.ignore.has(word)) continue;
        out.add(this.concept.get(word) || word);
      }
      return Array.from(out).sort();
    }

    allowed(doc, filters, clauses) {
      if (filters.standard && doc.standard !== filters.standard) return false;
      if (filters.stage && doc.stage !== filters.stage) return false;
      if (filters.metric && !(doc.metrics || []).includes(filters.metric)) return false;
      return clauses === null || (doc.type === "clause" && clauses.has(doc.id));
    }

    search(query, filters = {}, limit = null) {
      const terms = this.terms(query);
      if (!terms.length) return { terms, hits: [] };
      const sums = new Map();
      const matched = new Map();
      for (const term of terms) {
        const post = Object.prototype.hasOwnProperty.call(this.postings, term) ? this.postings[term] : [];
        for (let k = 0; k < post.length; k += 2) {
          const d = post[k];
          sums.set(d, (sums.get(d) || 0) + post[k + 1]);
          matched.set(d, (matched.get(d) || 0) + 1);
        }
      }
      const store = filters.store && this.data.stores[filters.store];
      const clauses = filters.store ? new Set(store ? store.clauses : []) : null;
      const scored = [];
      for (const [d, total] of sums) {
        if (!this.allowed(this.docs[d], filters, clauses)) continue;
        const r = matched.get(d) / terms.length;
        let score = total / 1000;
        for (let k = 0; k < this.coordination; k++) score *= r;
        scored.push([score, d]);
      }
      scored.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
      const shown = limit === null ? scored : scored.slice(0, limit);
      return { terms, hits: shown.map(([score, d]) => ({ score, doc: this.docs[d], surfaces: this.found(this.docs[d], terms) })) };
    }

    // The words of the query's terms that the hit shows (text, targets, English summary), longest first.
    found(doc, terms) {
      const shown = this.foldAligned(doc.text) + "\n" + this.foldAligned([...(doc.targets || []), doc.summary || ""].join("\n"));
      const out = new Set();
      for (const t of terms) for (const w of this.groups[t] || [t]) if (shown.includes(w)) out.add(w);
      return Array.from(out).sort((a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0));
    }
  }

  let engine = null;
  let loading = null;

  const loadEngine = () => {
    if (engine) return Promise.resolve(engine);
    if (loading) return loading;
    loading = new Promise((resolve, reject) => {
      const done = () => {
        if (window.servicekbSearchIndex) {
          engine = new Engine(window.servicekbSearchIndex);
          resolve(engine);
        } else reject(new Error("the search index did not load"));
      };
      if (window.servicekbSearchIndex) return done();
      const script = document.createElement("script");
      script.src = root() + "_search/index.js";
      script.onload = done;
      script.onerror = () => reject(new Error("the search index is missing"));
      document.head.appendChild(script);
    });
    return loading;
  };

  // ---- showing hits ------------------------------------------------------

  const el = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };

  // The snippet of servicekb.search.engine.mark_snippet, as text nodes and <mark>s.
  const snippet = (text, folded, surfaces, before = 20, after = 70) => {
    const frag = document.createDocumentFragment();
    let first = -1;
    for (const s of surfaces) {
      const at = folded.indexOf(s);
      if (at >= 0 && (first < 0 || at < first)) first = at;
    }
    if (first < 0) {
      frag.append(text.slice(0, before + after) + (text.length > before + after ? "…" : ""));
      return frag;
    }
    const start = Math.max(0, first - before);
    const stop = Math.min(text.length, first + after);
    if (start) frag.append("…");
    let plain = "";
    for (let i = start; i < stop;) {
      const word = surfaces.find((s) => folded.startsWith(s, i));
      if (!word) {
        plain += text[i];
        i += 1;
        continue;
      }
      if (plain) frag.append(plain);
      plain = "";
      frag.append(el("mark", "servicekb-hit", text.slice(i, i + word.length)));
      i += word.length;
    }
    if (plain) frag.append(plain);
    if (stop < text.length) frag.append("…");
    return frag;
  };

  const hitUrl = (hit) => {
    const words = hit.surfaces.join(" ");
    const query = words ? "?hl=" + encodeURIComponent(words) : "";
    return root() + hit.doc.page + query + "#" + encodeURIComponent(hit.doc.anchor);
  };

  const hitTitle = (hit) => {
    const d = hit.doc;
    if (d.type === "clause") return `${d.id} · ${engine.data.standards[d.standard] || d.standard} · ${d.section} ${d.section_title || ""}`.trim();
    if (d.type === "metric") return `指标 Metric · ${engine.data.metrics[d.id] || d.id}`;
    if (d.type === "store") return `门店 Store · ${d.text}`;
    return `引用 Citation · ${d.text}`;
  };

  const renderHit = (hit, tag) => {
    const item = el(tag, "servicekb-search-hit");
    const link = el("a", "servicekb-search-link", hitTitle(hit));
    link.href = hitUrl(hit);
    link.dataset.doc = hit.doc.id;
    item.append(link);
    const context = el("p", "context servicekb-search-snippet");
    context.append(snippet(hit.doc.text, engine.foldAligned(hit.doc.text), hit.surfaces));
    item.append(context);
    if (hit.doc.targets && hit.doc.targets.length) item.append(el("p", "servicekb-search-targets", "目标 Targets：" + hit.doc.targets.join("；")));
    return item;
  };

  // ---- the live panel under every search box ------------------------------

  const attachPanel = (input) => {
    const form = input.closest("form") || input.parentNode;
    const panel = el("div", "servicekb-search-panel");
    panel.hidden = true;
    form.after(panel);
    const show = () => {
      const query = input.value;
      if (!query.trim()) {
        panel.hidden = true;
        panel.replaceChildren();
        return;
      }
      loadEngine().then(() => {
        if (input.value !== query) return;
        const t0 = performance.now();
        const { terms, hits } = engine.search(query, {}, PANEL_HITS);
        const list = el("ol", "servicekb-search-list");
        for (const hit of hits) list.append(renderHit(hit, "li"));
        const summary = el("p", "servicekb-search-summary",
          hits.length ? `最相关的 ${hits.length} 条 · Enter 查看全部` : (terms.length ? "没有结果 No results" : "没有可搜索的词 No words to search for"));
        panel.replaceChildren(summary, list);
        panel.hidden = false;
        panel.dataset.query = query;
        window.servicekbSearchLast = { query, ms: performance.now() - t0, hits: hits.length };
      }, (error) => {
        panel.replaceChildren(el("p", "servicekb-search-summary", "搜索索引未能加载 The search index did not load: " + error.message));
        panel.hidden = false;
      });
    };
    input.addEventListener("focus", () => loadEngine().catch(() => {}));
    input.addEventListener("input", show);
    // Only the first MAX_QUERY characters count: a huge query must not become a URL a server refuses.
    form.addEventListener("submit", () => { input.value = Array.from(input.value).slice(0, MAX_QUERY).join(""); });
  };

  // ---- search.html ---------------------------------------------------------

  const FILTERS = ["standard", "stage", "metric", "store"];

  const filterSelect = (name, label, options, value) => {
    const select = el("select", "servicekb-search-filter");
    select.name = name;
    select.setAttribute("aria-label", label);
    select.append(new Option(label, ""));
    for (const [key, shown] of options) select.append(new Option(shown, key, false, key === value));
    return select;
  };

  const renderPage = (query) => {
    const out = document.getElementById("search-results");
    if (!out) return;
    const params = new URLSearchParams(window.location.search);
    const filters = {};
    for (const f of FILTERS) if (params.get(f)) filters[f] = params.get(f);
    const title = el("h2", "", "搜索结果 Search results");
    // Empty until the hits are listed: a page (or a test) waiting for the summary sees the final list.
    const status = el("p", "search-summary", "");
    out.replaceChildren(title, status);
    loadEngine().then(() => {
      const data = engine.data;
      const stages = Array.from(new Set(data.docs.map((d) => d.stage).filter(Boolean))).sort();
      const bar = el("form", "servicekb-search-filters");
      bar.method = "get";
      bar.append(Object.assign(el("input"), { type: "hidden", name: "q", value: query }));
      bar.append(filterSelect("standard", "全部标准 All standards", Object.entries(data.standards), filters.standard));
      bar.append(filterSelect("stage", "全部阶段 All stages", stages.map((s) => [s, s]), filters.stage));
      bar.append(filterSelect("metric", "全部指标 All metrics", Object.entries(data.metrics), filters.metric));
      bar.append(filterSelect("store", "全部门店 All stores", Object.entries(data.stores).map(([k, v]) => [k, `${v.name} (${k})`]), filters.store));
      bar.addEventListener("change", () => bar.submit());
      const t0 = performance.now();
      const { terms, hits } = engine.search(query, filters);
      const list = el("ul", "search");
      for (const hit of hits) list.append(renderHit(hit, "li"));
      status.textContent = hits.length
        ? `找到 ${hits.length} 条结果 ${hits.length} results (${terms.join(" ")})`
        : (terms.length ? "没有结果 No results" : "没有可搜索的词 No words to search for");
      out.replaceChildren(title, bar, status, list);
      window.servicekbSearchLast = { query, ms: performance.now() - t0, hits: hits.length };
    }, (error) => {
      status.textContent = "搜索索引未能加载 The search index did not load: " + error.message;
    });
  };

  // ---- landing on a clause ---------------------------------------------------

  const markWords = (node, words) => {
    const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
    const texts = [];
    while (walker.nextNode()) texts.push(walker.currentNode);
    let count = 0;
    for (const textNode of texts) {
      if (textNode.parentNode.closest("mark, script, style, button, select, textarea")) continue;
      const text = textNode.nodeValue;
      const lower = text.toLowerCase();
      const folded = lower.length === text.length ? lower : text;
      const parts = [];
      let plain = "";
      for (let i = 0; i < text.length;) {
        const word = words.find((w) => folded.startsWith(w, i));
        if (!word) {
          plain += text[i];
          i += 1;
          continue;
        }
        if (plain) parts.push(document.createTextNode(plain));
        plain = "";
        parts.push(el("mark", "servicekb-hit", text.slice(i, i + word.length)));
        count += 1;
        i += word.length;
      }
      if (parts.length) {
        if (plain) parts.push(document.createTextNode(plain));
        textNode.replaceWith(...parts);
      }
    }
    return count;
  };

  // The elements of one clause: its anchored head line and what follows up to the next anchor.
  const clauseBlock = (target) => {
    const block = [target];
    if (target.tagName === "SECTION") return block;
    for (let next = target.nextElementSibling; next; next = next.nextElementSibling) {
      if (next.id || next.tagName === "SECTION" || /^H[1-6]$/.test(next.tagName)) break;
      if (next.querySelector && Array.from(next.querySelectorAll("[id]")).some((e) => CLAUSE_ANCHOR.test(e.id))) break;
      block.push(next);
    }
    return block;
  };

  const highlightLanding = () => {
    const words = (new URLSearchParams(window.location.search).get("hl") || "").split(/\s+/).filter((w) => w && w.length <= 100);
    if (!window.location.hash) return;
    let id;
    try { id = decodeURIComponent(window.location.hash.slice(1)); } catch (e) { return; }
    const target = document.getElementById(id);
    if (!target) return;
    const block = clauseBlock(target);
    for (const node of block) node.classList.add("servicekb-landed");
    if (words.length) {
      const ordered = Array.from(new Set(words.map((w) => w.toLowerCase()))).sort((a, b) => b.length - a.length);
      // The words are the index's (simplified, lower case), as is the clause text on the page.
      block.forEach((node) => markWords(node, ordered));
    }
    target.scrollIntoView({ block: "start" });
  };

  // ---- wiring --------------------------------------------------------------------

  const onSearchPage = () => /(^|\/)search\.html$/.test(window.location.pathname);

  document.addEventListener("DOMContentLoaded", () => {
    // Sphinx's own search would rank whole pages: search.html shows our hits instead.
    if (typeof Search !== "undefined") Search.performSearch = () => {};
    if (onSearchPage()) {
      const query = new URLSearchParams(window.location.search).get("q") || "";
      document.querySelectorAll('input[name="q"]').forEach((input) => { input.value = query; });
      if (query.trim()) renderPage(query);
      else {
        const out = document.getElementById("search-results");
        if (out) out.replaceChildren(el("p", "search-summary", "请输入要搜索的词 Type a question or words"));
      }
    }
    document.querySelectorAll("form.bd-search input[name=q]").forEach(attachPanel);
    highlightLanding();
  });

  window.servicekbSearch = { load: loadEngine, engine: () => engine, Engine };
})();
