/* Staff chat: ask, inspect cited passages with retrieval scores, rate answers. */
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  let sessionId = null;

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "text") node.textContent = v;
      else if (k === "class") node.className = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? "" : String(v));
    }
    for (const c of [].concat(children || [])) if (c !== null && c !== undefined) node.append(c);
    return node;
  }

  async function postJSON(url, body) {
    const res = await fetch(url, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
      credentials: "same-origin", cache: "no-store"
    });
    let data = null;
    try { data = await res.json(); } catch (e) { /* empty */ }
    if (!res.ok) throw new Error((data && data.detail) || ("HTTP " + res.status));
    return data;
  }

  function showSources(answer, highlight) {
    const box = $("sources");
    box.textContent = "";
    if (!answer.sources.length) {
      box.append(el("p", { class: "muted", text: "Odgovor nima virov." }));
      return;
    }
    for (const s of answer.sources) {
      box.append(el("div", { class: "source" + (s.n === highlight ? " active" : ""), id: "src-" + s.n }, [
        el("h3", { text: "[" + s.n + "] " + s.label }),
        el("p", { class: "meta" }, [el("span", { class: "score", text: "ocena iskanja " + s.score.toFixed(3) }),
          " · " + s.chunk_id]),
        el("p", { text: s.text }),
        feedbackControls({ chunk_id: s.chunk_id, source_ids: [s.chunk_id], mode: answer.mode,
          question: answer.question })
      ]));
    }
    const active = highlight && document.getElementById("src-" + highlight);
    if (active) active.scrollIntoView({ block: "nearest" });
  }

  function feedbackControls(ref) {
    const comment = el("textarea", { rows: 1, placeholder: "Komentar (neobvezno)", "aria-label": "Komentar" });
    const status = el("span", { class: "saved", "aria-live": "polite" });
    let rating = null;
    const up = el("button", { type: "button", text: "Dobro", "aria-pressed": "false", "data-rating": "up" });
    const down = el("button", { type: "button", text: "Slabo", "aria-pressed": "false", "data-rating": "down" });
    const pick = (r) => {
      rating = r;
      up.setAttribute("aria-pressed", String(r === "up"));
      down.setAttribute("aria-pressed", String(r === "down"));
    };
    up.addEventListener("click", () => pick("up"));
    down.addEventListener("click", () => pick("down"));
    const save = el("button", { type: "button", text: "Shrani odziv", "data-action": "save-feedback" });
    save.addEventListener("click", async () => {
      if (!rating) { status.textContent = "Izberite Dobro ali Slabo."; status.className = "error"; return; }
      try {
        const r = await postJSON("/api/feedback", Object.assign({}, ref, { rating: rating, comment: comment.value }));
        status.textContent = "Shranjeno (#" + r.id + ")";
        status.className = "saved";
      } catch (e) {
        status.textContent = e.message;
        status.className = "error";
      }
    });
    return el("div", { class: "feedback" }, [up, down, comment, save, status]);
  }

  // Crisis answers are marked for staff: the route (safety) and what the message was recognised as (kind).
  const SAFETY = {
    crisis: "kriza – odgovor je besedilo pomoči",
    possible_crisis: "morebitna stiska – besedilo pomoči in nato običajni odgovor",
    threat: "grožnja – zavrnjeno, napotek k osebju"
  };
  const KINDS = {
    self_harm: "samopoškodovanje ali samomorilne misli",
    abuse: "nasilje ali zloraba",
    third_party: "druga oseba v nevarnosti",
    threat: "grožnja drugim",
    means: "prošnja za sredstva"
  };
  const LANGS = { sl: "slovenščina", en: "angleščina", bcs: "hrvaščina/srbščina/bosanščina" };

  function crisisBanner(answer) {
    const safety = answer.safety || (answer.mode === "crisis" ? "crisis" : null);
    if (!safety) return null;
    const kind = answer.diagnostics && answer.diagnostics.safety;
    return el("div", { class: "crisis-banner " + safety, role: "note", "data-safety": safety }, [
      el("strong", { text: "Krizni odgovor" }),
      ": " + (SAFETY[safety] || safety) + (kind ? " · vrsta: " + (KINDS[kind] || kind) : "")
    ]);
  }

  function citeButtons(answer, s) {
    return s.citations.map((n) => el("button", { type: "button", class: "cite", text: "[" + n + "]",
      onclick: () => showSources(answer, n) }));
  }

  /** For en/bcs answers: the translated text beside the Slovenian original it translates (per cited passage). */
  function translationTable(answer) {
    if (answer.language === "sl") return null;
    const plain = new Set(answer.plain || []);
    const rows = new Map();
    for (const s of answer.sentences) {
      if (plain.has(s.text) || !s.citations.length) continue;
      const n = s.citations[0];
      const src = answer.sources.find((x) => x.n === n);
      if (!src) continue;
      if (!rows.has(n)) rows.set(n, { src: src, texts: [] });
      rows.get(n).texts.push(s.text);
    }
    if (!rows.size) return null;
    const body = el("tbody");
    for (const [n, row] of rows) {
      body.append(el("tr", {}, [
        el("td", { lang: answer.language === "bcs" ? "hr" : answer.language, text: row.texts.join(" ") }),
        el("td", { lang: "sl" }, [el("span", { class: "src-label", text: "[" + n + "] " + row.src.label }), el("br"),
          row.src.text])
      ]));
    }
    return el("table", { class: "translation" }, [
      el("caption", { text: "Prevod ob slovenskem izvirniku" }),
      el("thead", {}, [el("tr", {}, [el("th", { scope: "col", text: "Neuradni prevod (" + (LANGS[answer.language] ||
        answer.language) + ")" }), el("th", { scope: "col", text: "Slovenski izvirnik" })])]),
      body
    ]);
  }

  function renderAnswer(answer) {
    const plain = new Set(answer.plain || []);
    const body = el("div", { class: "answer-text" });
    const easy = answer.sentences.filter((s) => plain.has(s.text));
    if (easy.length) {
      const box = el("p", { class: "plain" }, [el("span", { class: "tag", text: "lahko berljivo" }), " "]);
      for (const s of easy) box.append(s.text + " ", ...citeButtons(answer, s), " ");
      body.append(box);
    }
    const table = translationTable(answer);
    const rest = el("p", {});
    for (const s of answer.sentences) {
      if (plain.has(s.text)) continue;
      if (table && s.citations.length) continue;  // shown in the table, beside the original
      rest.append(s.text + " ", ...citeButtons(answer, s), " ");
    }
    if (rest.childNodes.length) body.append(rest);
    const timings = Object.entries(answer.timings || {}).map(([k, v]) => k + " " + Number(v).toFixed(0)).join(", ");
    const turn = el("div", { class: "turn" + (answer.safety || answer.mode === "crisis" ? " crisis" : "") }, [
      el("p", { class: "q", text: answer.question }),
      crisisBanner(answer),
      body,
      table,
      answer.note ? el("p", { class: "meta", text: answer.note }) : null,
      el("p", { class: "meta" }, [el("span", { class: "mode " + answer.mode, text: answer.mode }),
        " zaupanje " + Number(answer.confidence).toFixed(2) + " · jezik " + answer.language +
        (answer.retrieval_query ? " · iskalna poizvedba: " + answer.retrieval_query : "") +
        (timings ? " · " + timings : "")]),
      answer.missing && answer.missing.length ? el("p", { class: "meta", text: "manjka: " + answer.missing.join(", ") }) : null,
      answer.calculation ? el("pre", { class: "meta", text: JSON.stringify(answer.calculation, null, 1) }) : null,
      feedbackControls({ mode: answer.mode, question: answer.question, answer: answer.answer,
        source_ids: answer.sources.map((s) => s.chunk_id) })
    ]);
    $("log").append(turn);
    turn.scrollIntoView({ block: "end" });
    showSources(answer, null);
  }

  // ---------------------------------------------------------------- evaluation report -----------------------
  // GET /staff/eval serves report.md as preformatted text (404 when no run exists); here it is shown as HTML:
  // headings, tables, lists and the PNG plots in place.
  function inline(text) {
    const out = [];
    const re = /(\*\*[^*]+\*\*|`[^`]+`|\[[^\]]+\]\([^)]+\))/g;
    let last = 0;
    let m;
    while ((m = re.exec(text))) {
      if (m.index > last) out.push(text.slice(last, m.index));
      const tok = m[0];
      if (tok.startsWith("**")) out.push(el("strong", { text: tok.slice(2, -2) }));
      else if (tok.startsWith("`")) out.push(el("code", { text: tok.slice(1, -1) }));
      else out.push(tok.slice(1, tok.indexOf("]")));  // links: their text only
      last = m.index + tok.length;
    }
    if (last < text.length) out.push(text.slice(last));
    return out;
  }

  function plotUrl(src, plots) {
    const name = src.split("/").pop();
    return plots.has(name) ? plots.get(name) : null;
  }

  function markdown(text, plots) {
    const out = document.createDocumentFragment();
    const lines = text.replace(/\r/g, "").split("\n");
    const used = new Set();
    let para = [];
    const flush = () => {
      if (para.length) out.append(el("p", {}, inline(para.join(" "))));
      para = [];
    };
    const cells = (line) => line.trim().replace(/^\|/, "").replace(/\|$/, "").split("|").map((c) => c.trim());
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      let m;
      if (!line.trim()) { flush(); continue; }
      if (line.startsWith("```")) {
        flush();
        const code = [];
        for (i += 1; i < lines.length && !lines[i].startsWith("```"); i++) code.push(lines[i]);
        out.append(el("pre", { text: code.join("\n") }));
      } else if ((m = /^(#{1,6})\s+(.*)$/.exec(line))) {
        flush();
        out.append(el("h" + Math.min(6, m[1].length + 2), {}, inline(m[2])));
      } else if ((m = /^!\[([^\]]*)\]\(([^)]+)\)\s*$/.exec(line.trim()))) {
        flush();
        const url = plotUrl(m[2], plots);
        if (url) {
          used.add(m[2].split("/").pop());
          out.append(el("figure", {}, [el("img", { src: url, alt: m[1] }), el("figcaption", { text: m[1] })]));
        } else out.append(el("p", { class: "muted", text: "(graf " + m[2] + " ni na voljo)" }));
      } else if (line.trim().startsWith("|") && i + 1 < lines.length && /^\s*\|?\s*:?-{3,}/.test(lines[i + 1])) {
        flush();
        const head = el("tr", {}, cells(line).map((c) => el("th", { scope: "col" }, inline(c))));
        const body = el("tbody");
        for (i += 2; i < lines.length && lines[i].trim().startsWith("|"); i++) {
          body.append(el("tr", {}, cells(lines[i]).map((c) => el("td", {}, inline(c)))));
        }
        i -= 1;
        out.append(el("table", { class: "report-table" }, [el("thead", {}, [head]), body]));
      } else if (/^\s*([-*]|\d+\.)\s+/.test(line)) {
        flush();
        const ordered = /^\s*\d+\./.test(line);
        const list = el(ordered ? "ol" : "ul");
        for (; i < lines.length && /^\s*([-*]|\d+\.)\s+/.test(lines[i]); i++) {
          list.append(el("li", {}, inline(lines[i].replace(/^\s*([-*]|\d+\.)\s+/, ""))));
        }
        i -= 1;
        out.append(list);
      } else {
        para.push(line.trim());
      }
    }
    flush();
    for (const [name, url] of plots) {  // plots the text does not mention
      if (!used.has(name)) out.append(el("figure", {}, [el("img", { src: url, alt: name }), el("figcaption", { text: name })]));
    }
    return out;
  }

  async function openEval(ev) {
    if (ev) ev.preventDefault();
    const panel = $("evalPanel");
    const box = $("evalBody");
    panel.hidden = false;
    box.textContent = "";
    box.append(el("p", { class: "muted", text: "Nalagam poročilo …" }));
    $("evalTitle").focus();
    let res;
    try {
      res = await fetch("/staff/eval", { credentials: "same-origin", cache: "no-store" });
    } catch (e) {
      box.textContent = "";
      box.append(el("p", { class: "error", text: "Poročila ni bilo mogoče naložiti: povezava ne deluje." }));
      return;
    }
    const html = await res.text();
    const doc = new DOMParser().parseFromString(html, "text/html");
    box.textContent = "";
    if (res.status === 404) {
      const why = doc.querySelector(".empty");
      box.append(el("div", { class: "no-run", "data-state": "no-run" }, [
        el("p", { class: "no-run-title", text: "Evalvacija še ni bila zagnana: poročila ni." }),
        el("p", { text: why ? why.textContent : "" }),
        el("p", {}, ["Zaženite ", el("code", { text: "assistant eval --compare --out eval/runs/latest" }),
          " in odprite to stran znova."])
      ]));
      return;
    }
    if (!res.ok) {
      box.append(el("p", { class: "error", text: "Poročila ni bilo mogoče naložiti (HTTP " + res.status + ")." }));
      return;
    }
    const plots = new Map();
    for (const img of doc.querySelectorAll("figure img")) {
      const src = img.getAttribute("src") || "";
      if (src.startsWith("/staff/eval/files/")) plots.set(src.split("/").pop(), src);
    }
    const pre = doc.querySelector("pre.report-text");
    const report = el("div", { class: "report-html", "data-state": "report" });
    if (pre) report.append(markdown(pre.textContent, plots));
    else {
      report.append(el("p", { class: "muted", text: "Datoteke report.md ni; prikazani so le grafi." }),
        markdown("", plots));
    }
    box.append(report);
  }

  async function ask(ev) {
    ev.preventDefault();
    const question = $("question").value.trim();
    if (!question) return;
    $("askButton").disabled = true;
    const pending = el("p", { class: "muted", text: "Odgovarjam …" });
    $("log").append(pending);
    try {
      const answer = await postJSON("/staff/api/ask", {
        question: question, session_id: sessionId, language: $("language").value || null
      });
      sessionId = answer.session_id;
      pending.remove();
      renderAnswer(answer);
      $("question").value = "";
    } catch (e) {
      pending.textContent = e.message;
      pending.className = "error";
    } finally {
      $("askButton").disabled = false;
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("askForm").addEventListener("submit", ask);
    $("newChat").addEventListener("click", () => {
      if (sessionId) fetch("/api/sessions/" + encodeURIComponent(sessionId), { method: "DELETE" });
      sessionId = null;
      $("log").textContent = "";
      $("sources").textContent = "";
    });
    $("evalLink").addEventListener("click", openEval);
    $("evalClose").addEventListener("click", () => { $("evalPanel").hidden = true; $("evalLink").focus(); });
    document.addEventListener("keydown", (ev) => {
      if (ev.key === "Escape" && !$("evalPanel").hidden) { $("evalPanel").hidden = true; $("evalLink").focus(); }
    });
    if (location.hash === "#eval") openEval(null);
    $("question").addEventListener("keydown", (ev) => {
      if (ev.key === "Enter" && !ev.shiftKey) { ev.preventDefault(); $("askForm").requestSubmit(); }
    });
  });
})();
