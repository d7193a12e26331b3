/*
 * Chinese queries for the handbook's search (servicekb).
 *
 * Sphinx indexes Chinese pages as words (jieba), but splits a query only at
 * spaces and punctuation: 客户投诉处理 would be looked up as one word and
 * find nothing. This splitter cuts every run of Chinese characters into the
 * smallest indexed words that cover it (fewest characters left out first,
 * then the most words), so 客户投诉处理 searches for 客户 投诉 处理, exactly
 * like the query typed with spaces. Other text is split as Sphinx does.
 * Single characters are never indexed and are left out of a run.
 */
(() => {
  "use strict";
  const HAN = "\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff";
  const PIECES = new RegExp(`[${HAN}]+|[^${HAN}]+`, "gu");
  const IS_HAN = new RegExp(`^[${HAN}]`, "u");
  const LONGEST = 12;

  const defaultSplit = (query) =>
    query.split(/[^\p{Letter}\p{Number}_\p{Emoji_Presentation}]+/gu).filter((term) => term);

  const indexed = (word) => {
    const index = typeof Search !== "undefined" ? Search._index : null;
    if (!index) return false;
    return Object.prototype.hasOwnProperty.call(index.terms, word) ||
      Object.prototype.hasOwnProperty.call(index.titleterms, word);
  };

  // Dynamic programming over the run: best[i] covers run[0:i].
  const segment = (run) => {
    const best = [{ missed: 0, words: [] }];
    for (let i = 1; i <= run.length; i++) {
      let choice = { missed: best[i - 1].missed + 1, words: best[i - 1].words };
      for (let size = 2; size <= Math.min(LONGEST, i); size++) {
        const word = run.slice(i - size, i);
        if (!indexed(word)) continue;
        const before = best[i - size];
        const missed = before.missed;
        const count = before.words.length + 1;
        if (missed < choice.missed || (missed === choice.missed && count > choice.words.length)) {
          choice = { missed, words: before.words.concat([word]) };
        }
      }
      best.push(choice);
    }
    const words = best[run.length].words;
    return words.length ? words : [run];
  };

  window.splitQuery = (query) => {
    const terms = [];
    for (const piece of query.match(PIECES) || []) {
      if (IS_HAN.test(piece)) terms.push(...segment(piece));
      else terms.push(...defaultSplit(piece));
    }
    return terms;
  };
  window.servicekbSegment = segment;
})();
