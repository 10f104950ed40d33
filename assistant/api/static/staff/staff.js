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

  function renderAnswer(answer) {
    const body = el("p", {});
    for (const s of answer.sentences) {
      body.append(s.text + " ");
      for (const n of s.citations) {
        body.append(el("button", { type: "button", class: "cite", text: "[" + n + "]",
          onclick: () => showSources(answer, n) }));
      }
      body.append(" ");
    }
    const timings = Object.entries(answer.timings || {}).map(([k, v]) => k + " " + Number(v).toFixed(0)).join(", ");
    const turn = el("div", { class: "turn" }, [
      el("p", { class: "q", text: answer.question }),
      body,
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
    $("question").addEventListener("keydown", (ev) => {
      if (ev.key === "Enter" && !ev.shiftKey) { ev.preventDefault(); $("askForm").requestSubmit(); }
    });
  });
})();
