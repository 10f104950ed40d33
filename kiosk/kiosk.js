/* Zaporni pomočnik – kiosk page. No build step, no external requests: everything comes from this server. */
"use strict";

(function () {
  // ---------------------------------------------------------------- texts (sl / en / hr) --------------------
  const T = {
    sl: {
      appName: "Zaporni pomočnik", language: "Jezik", textSize: "Velikost pisave", contrast: "Kontrast",
      finish: "Končaj", staffNote: "Za osebne zadeve vprašajte osebje.", ask: "Vprašaj", topics: "Teme",
      pickQuestion: "Izberite vprašanje:", ownQuestion: "Napišite svoje vprašanje", back: "Nazaj",
      typeQuestion: "Napišite vprašanje", send: "Pošlji", youAsked: "Vprašali ste:",
      crisisTitle: "Niste sami. Takoj povejte osebju.", readAloud: "Preberi na glas", stopReading: "Ustavi branje",
      askMore: "Vprašaj naprej", toStart: "Na začetek", close: "Zapri", sourceInSlovenian: "Vir je v slovenščini.",
      stillHere: "Ste še tukaj?", stay: "Nadaljuj",
      idleText: "Zaslon se bo počistil čez nekaj sekund. Za nadaljevanje se dotaknite gumba.",
      thinking: "Iščem odgovor", noAnswer: "Odgovora ni bilo mogoče dobiti. Vprašajte osebje.",
      network: "Povezava ne deluje. Vprašajte osebje.", source: "Vir", space: "presledek", clear: "Briši vse",
      shift: "Velike", emptyQuestion: "Najprej napišite vprašanje.", tooLong: "Vprašanje je predolgo.",
      calcTitle: "Izračun", calcIntro: "Vpišite ali popravite podatke in pritisnite Izračunaj.",
      calculate: "Izračunaj", yes: "Da", no: "Ne", more: "Več podatkov", fewer: "Manj podatkov",
      notSet: "ni vpisano", today: "Danes", steps: "Kako sem izračunal:", rules: "Pravila:",
      calcDisclaimer: "Izračun je informativen. Za uradni datum vprašajte osebje.", loading: "Nalagam",
      chars: "znakov", needHelp: "Potrebujem pomoč", speechFailed: "Branja na glas ni mogoče predvajati.",
      helpFallback: ["Prosim, takoj povejte pravosodnemu policistu ali komurkoli iz osebja – niste sami.",
        "Kadarkoli lahko brezplačno pokličete Varuha človekovih pravic na 080 15 30 in policijo na 112."]
    },
    en: {
      appName: "Prison helper", language: "Language", textSize: "Text size", contrast: "Contrast",
      finish: "Finish", staffNote: "For personal matters, ask the staff.", ask: "Ask", topics: "Topics",
      pickQuestion: "Choose a question:", ownQuestion: "Type your own question", back: "Back",
      typeQuestion: "Type your question", send: "Send", youAsked: "You asked:",
      crisisTitle: "You are not alone. Tell the staff now.", readAloud: "Read aloud", stopReading: "Stop reading",
      askMore: "Ask more", toStart: "Start", close: "Close", sourceInSlovenian: "The source is in Slovenian.",
      stillHere: "Are you still here?", stay: "Continue",
      idleText: "The screen will be cleared in a few seconds. Tap the button to continue.",
      thinking: "Looking for the answer", noAnswer: "No answer could be found. Please ask the staff.",
      network: "The connection is not working. Please ask the staff.", source: "Source", space: "space",
      clear: "Clear all", shift: "Capitals", emptyQuestion: "Please type a question first.",
      tooLong: "The question is too long.", calcTitle: "Calculation",
      calcIntro: "Enter or correct the details and press Calculate.", calculate: "Calculate", yes: "Yes", no: "No",
      more: "More details", fewer: "Fewer details", notSet: "not set", today: "Today", steps: "How it was calculated:",
      rules: "Rules:", calcDisclaimer: "This calculation is for information. Ask the staff for the official date.",
      loading: "Loading", chars: "characters", needHelp: "I need help",
      speechFailed: "Reading aloud cannot be played.",
      helpFallback: ["Please tell a judicial police officer or any member of staff right now – you are not alone.",
        "At any time you can call the Human Rights Ombudsman free of charge on 080 15 30 and the police on 112."]
    },
    hr: {
      appName: "Zatvorski pomoćnik", language: "Jezik", textSize: "Veličina slova", contrast: "Kontrast",
      finish: "Završi", staffNote: "Za osobna pitanja obratite se osoblju.", ask: "Pitaj", topics: "Teme",
      pickQuestion: "Odaberite pitanje:", ownQuestion: "Napišite svoje pitanje", back: "Natrag",
      typeQuestion: "Napišite pitanje", send: "Pošalji", youAsked: "Pitali ste:",
      crisisTitle: "Niste sami. Odmah recite osoblju.", readAloud: "Pročitaj naglas", stopReading: "Zaustavi čitanje",
      askMore: "Pitaj dalje", toStart: "Na početak", close: "Zatvori", sourceInSlovenian: "Izvor je na slovenskom.",
      stillHere: "Jeste li još tu?", stay: "Nastavi",
      idleText: "Zaslon će se očistiti za nekoliko sekundi. Dodirnite gumb za nastavak.",
      thinking: "Tražim odgovor", noAnswer: "Odgovor nije pronađen. Pitajte osoblje.",
      network: "Veza ne radi. Pitajte osoblje.", source: "Izvor", space: "razmak", clear: "Obriši sve",
      shift: "Velika slova", emptyQuestion: "Najprije napišite pitanje.", tooLong: "Pitanje je predugo.",
      calcTitle: "Izračun", calcIntro: "Upišite ili ispravite podatke i pritisnite Izračunaj.",
      calculate: "Izračunaj", yes: "Da", no: "Ne", more: "Više podataka", fewer: "Manje podataka",
      notSet: "nije upisano", today: "Danas", steps: "Kako je izračunato:", rules: "Pravila:",
      calcDisclaimer: "Izračun je informativan. Za službeni datum pitajte osoblje.", loading: "Učitavam",
      chars: "znakova", needHelp: "Trebam pomoć", speechFailed: "Čitanje naglas nije moguće pustiti.", speechFailed: "Čitanje naglas nije moguće reproducirati.",
      helpFallback: ["Molim vas, odmah recite pravosudnom policajcu ili bilo kome iz osoblja – niste sami.",
        "U bilo koje vrijeme možete besplatno nazvati Zaštitnika ljudskih prava na 080 15 30 i policiju na 112."]
    },
    sr: {
      appName: "Zatvorski pomoćnik", language: "Jezik", textSize: "Veličina slova", contrast: "Kontrast",
      finish: "Završi", staffNote: "Za lična pitanja obratite se osoblju.", ask: "Pitaj", topics: "Teme",
      pickQuestion: "Izaberite pitanje:", ownQuestion: "Napišite svoje pitanje", back: "Nazad",
      typeQuestion: "Napišite pitanje", send: "Pošalji", youAsked: "Pitali ste:",
      crisisTitle: "Niste sami. Odmah recite osoblju.", readAloud: "Pročitaj naglas", stopReading: "Zaustavi čitanje",
      askMore: "Pitaj dalje", toStart: "Na početak", close: "Zatvori", sourceInSlovenian: "Izvor je na slovenačkom.",
      stillHere: "Jeste li još tu?", stay: "Nastavi",
      idleText: "Ekran će se očistiti za nekoliko sekundi. Dodirnite dugme za nastavak.",
      thinking: "Tražim odgovor", noAnswer: "Odgovor nije pronađen. Pitajte osoblje.",
      network: "Veza ne radi. Pitajte osoblje.", source: "Izvor", space: "razmak", clear: "Obriši sve",
      shift: "Velika slova", emptyQuestion: "Prvo napišite pitanje.", tooLong: "Pitanje je predugo.",
      calcTitle: "Izračun", calcIntro: "Upišite ili ispravite podatke i pritisnite Izračunaj.",
      calculate: "Izračunaj", yes: "Da", no: "Ne", more: "Više podataka", fewer: "Manje podataka",
      notSet: "nije upisano", today: "Danas", steps: "Kako je izračunato:", rules: "Pravila:",
      calcDisclaimer: "Izračun je informativan. Za zvanični datum pitajte osoblje.", loading: "Učitavam",
      chars: "znakova", needHelp: "Trebam pomoć",
      helpFallback: ["Molim vas, odmah recite pravosudnom policajcu ili bilo kome iz osoblja – niste sami.",
        "U bilo koje vrijeme možete besplatno nazvati Zaštitnika ljudskih prava na 080 15 30 i policiju na 112."]
    }
  };
  // Croatian and Serbian/Bosnian readers each have their own labels; the service answers both in "bcs".
  const API_LANG = { sl: "sl", en: "en", hr: "bcs", sr: "bcs" };
  const HTML_LANG = { sl: "sl", en: "en", hr: "hr", sr: "sr-Latn" };
  // Read aloud: WAV from the server (espeak-ng), a little slower than normal, in pieces of at most this length.
  const SPEECH_RATE = 0.85;
  const SPEECH_PIECE = 400;
  const KEY_ROWS = {
    sl: ["1234567890", "qwertzuiopš", "asdfghjklčž", "yxcvbnm,.?"],
    hr: ["1234567890", "qwertzuiopšđ", "asdfghjklčćž", "yxcvbnm,.?"],
    en: ["1234567890", "qwertyuiop", "asdfghjkl'", "zxcvbnm,.?"]
  };
  KEY_ROWS.sr = KEY_ROWS.hr;
  const ACCENTED = "čšžćđ";

  // ---------------------------------------------------------------- state ------------------------------------
  const $ = (id) => document.getElementById(id);
  const config = { idle_reset_seconds: 90, countdown_seconds: 15, max_question_chars: 500 };
  const state = {
    lang: "sl", size: 1, contrast: false, session: null, text: "", shift: false, screen: "start",
    topics: [], topic: null, answer: null, pendingSentences: [], request: null, requestId: 0,
    lastActivity: Date.now(), calcKinds: null, speaking: false, help: null, helpId: 0, beforeHelp: "start"
  };
  // Phone numbers in help texts are shown in large type: 080 15 30, 01 234 56 78, 112, 113.
  const PHONE = /(\b0\d{1,2}(?: \d{2,3}){2,3}\b|\b11[23]\b)/;

  const t = (key) => (T[state.lang] && T[state.lang][key]) || T.sl[key] || key;

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    if (attrs) {
      for (const [name, value] of Object.entries(attrs)) {
        if (value === null || value === undefined || value === false) continue;
        if (name === "text") node.textContent = value;
        else if (name === "class") node.className = value;
        else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
        else node.setAttribute(name, value === true ? "" : String(value));
      }
    }
    for (const child of [].concat(children || [])) {
      if (child !== null && child !== undefined) node.append(child);
    }
    return node;
  }

  function button(text, onclick, cls, extra) {
    return el("button", Object.assign({ type: "button", class: cls || "", text: text, onclick: onclick }, extra || {}));
  }

  // ---------------------------------------------------------------- networking -------------------------------
  function headers(json) {
    const h = { "Accept-Language": state.lang };
    if (json) h["Content-Type"] = "application/json";
    return h;
  }

  async function getJSON(url) {
    const res = await fetch(url, { headers: headers(false), cache: "no-store" });
    if (!res.ok) throw await httpError(res);
    return res.json();
  }

  async function httpError(res) {
    let detail = null;
    let field = null;
    try {
      const body = await res.json();
      detail = body && body.detail;
      field = body && body.field;
    } catch (e) { /* not JSON */ }
    const err = new Error(typeof detail === "string" ? detail : t("noAnswer"));
    err.status = res.status;
    err.field = field;
    err.http = true;
    return err;
  }

  // ---------------------------------------------------------------- language, size, contrast -----------------
  function applyTexts() {
    document.documentElement.lang = HTML_LANG[state.lang] || "sl";
    document.title = t("appName");
    for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
    for (const node of document.querySelectorAll("[data-i18n-aria]")) {
      node.setAttribute("aria-label", t(node.dataset.i18nAria));
    }
    for (const b of document.querySelectorAll("[data-lang]")) {
      b.setAttribute("aria-pressed", String(b.dataset.lang === state.lang));
    }
    $("textSize").setAttribute("aria-pressed", String(state.size > 1));
    $("contrast").setAttribute("aria-pressed", String(state.contrast));
    updateReadAloud();
  }

  /** A language button: the next reader may be someone else, so what is on the screen is cleared first. */
  function chooseLanguage(lang) {
    if (!T[lang]) return;
    clearPerson(true);
    if (state.screen === "answer") show("start");
    if (state.screen === "ask") openKeyboard();
    setLanguage(lang);
  }

  function setLanguage(lang) {
    if (!T[lang]) return;
    state.lang = lang;
    applyTexts();
    renderTiles();
    if (state.screen === "topic" && state.topic) renderTopic(state.topic);
    renderKeyboard();
    if (state.screen === "help") openHelp();
    updateReadAloud();
    updateFinish();
  }

  function setSize(size) {
    state.size = size;
    document.documentElement.classList.remove("size-1", "size-2", "size-3");
    document.documentElement.classList.add("size-" + size);
    applyTexts();
  }

  function setContrast(on) {
    state.contrast = on;
    document.documentElement.classList.toggle("hc", on);
    applyTexts();
  }

  // ---------------------------------------------------------------- screens ----------------------------------
  function show(screen) {
    if (state.speaking && screen !== state.screen) stopSpeaking();
    state.screen = screen;
    for (const name of ["start", "topic", "ask", "answer", "help"]) $("screen-" + name).hidden = name !== screen;
    $("main").scrollTop = 0;
    updateFinish();
  }

  function localized(texts) {
    return texts[state.lang] || (state.lang === "sr" && texts.hr) || texts.sl;
  }

  function renderTiles() {
    const box = $("tiles");
    box.textContent = "";
    for (const topic of state.topics) {
      box.append(button(localized(topic.title), () => openTopic(topic), "tile",
        { "data-topic": topic.id }));
    }
  }

  function openTopic(topic) {
    state.topic = topic;
    renderTopic(topic);
    show("topic");
  }

  function renderTopic(topic) {
    $("topicTitle").textContent = localized(topic.title);
    const box = $("starters");
    box.textContent = "";
    for (const q of localized(topic.questions)) {
      box.append(button(q, () => ask(q), "starter"));
    }
  }

  function openKeyboard() {
    $("askError").hidden = true;
    renderQuestion();
    renderKeyboard();
    show("ask");
  }

  // ---------------------------------------------------------------- on-screen keyboard -----------------------
  function renderKeyboard() {
    const box = $("keyboard");
    box.textContent = "";
    const rows = KEY_ROWS[state.lang] || KEY_ROWS.sl;
    rows.forEach((row, index) => {
      const line = el("div", { class: "kb-row" });
      if (index === 3) {
        line.append(button("⇧", toggleShift, "key wide special",
          { "aria-label": t("shift"), "aria-pressed": String(state.shift), "data-key": "shift" }));
      }
      for (const ch of row) {
        const shown = state.shift ? ch.toUpperCase() : ch;
        line.append(button(shown, () => typeChar(shown), ACCENTED.includes(ch) ? "key accent" : "key",
          { "data-key": ch }));
      }
      if (index === 0) {
        line.append(button("⌫", backspace, "key wide special", { "aria-label": "backspace", "data-key": "backspace" }));
      }
      box.append(line);
    });
    const last = el("div", { class: "kb-row" });
    last.append(button(t("clear"), clearText, "key wide special", { "data-key": "clear" }));
    last.append(button(t("space"), () => typeChar(" "), "key space", { "data-key": "space" }));
    box.append(last);
  }

  function toggleShift() {
    state.shift = !state.shift;
    renderKeyboard();
  }

  function typeChar(ch) {
    if (state.text.length >= config.max_question_chars) {
      showAskError(t("tooLong") + " (" + config.max_question_chars + " " + t("chars") + ")");
      return;
    }
    state.text += ch;
    if (state.shift) {
      state.shift = false;
      renderKeyboard();
    }
    renderQuestion();
  }

  function backspace() {
    state.text = state.text.slice(0, -1);
    renderQuestion();
  }

  function clearText() {
    state.text = "";
    renderQuestion();
  }

  function renderQuestion() {
    $("questionText").textContent = state.text;
    if (state.text.length < config.max_question_chars) $("askError").hidden = true;
    updateFinish();
  }

  function showAskError(message) {
    const box = $("askError");
    box.textContent = message;
    box.hidden = false;
  }

  // ---------------------------------------------------------------- asking -----------------------------------
  function sendTyped() {
    const question = state.text.trim();
    if (!question) {
      showAskError(t("emptyQuestion"));
      return;
    }
    ask(question);
  }

  function cancelRequest() {
    state.requestId += 1;
    if (state.request) {
      try { state.request.abort(); } catch (e) { /* ignore */ }
      state.request = null;
    }
  }

  async function ask(question) {
    cancelRequest();
    stopSpeaking();
    const id = state.requestId;
    const controller = new AbortController();
    state.request = controller;
    state.answer = null;
    state.pendingSentences = [];
    $("askedText").textContent = question;
    $("sentences").textContent = "";
    $("sentences").classList.remove("crisis-mode");
    $("crisis").hidden = true;
    $("note").hidden = true;
    $("calc").hidden = true;
    $("calc").textContent = "";
    $("readAloudError").hidden = true;
    updateReadAloud();
    setStatus(t("thinking"), "busy");
    show("answer");
    const body = JSON.stringify({ question: question, session_id: state.session, language: API_LANG[state.lang] });
    try {
      await askStream(body, controller, id);
    } catch (err) {
      if (id !== state.requestId) return;
      if (err && err.name === "AbortError") return;
      if (err && err.http) {
        setStatus(err.message, "error");
        return;
      }
      try {
        await askPlain(body, controller, id);  // streaming unsupported or broken: one plain request
      } catch (err2) {
        if (id !== state.requestId || (err2 && err2.name === "AbortError")) return;
        setStatus(err2 && err2.http ? err2.message : t("network"), "error");
      }
    } finally {
      if (id === state.requestId) state.request = null;
    }
  }

  async function askStream(body, controller, id) {
    const res = await fetch("/api/ask/stream", {
      method: "POST", headers: Object.assign(headers(true), { Accept: "text/event-stream" }), body: body,
      signal: controller.signal, cache: "no-store"
    });
    if (!res.ok) throw await httpError(res);
    if (!res.body || !res.body.getReader) throw new Error("no stream");
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    let finished = false;
    while (!finished) {
      const chunk = await reader.read();
      if (chunk.done) break;
      buffer += decoder.decode(chunk.value, { stream: true });
      let cut;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        if (id !== state.requestId) return;
        finished = handleEvent(block) || finished;
      }
    }
    if (!state.answer && id === state.requestId && $("status").className.indexOf("error") < 0) {
      throw new Error("stream ended without an answer");
    }
  }

  function handleEvent(block) {
    let event = "message";
    const data = [];
    for (const line of block.split("\n")) {
      if (line.startsWith("event:")) event = line.slice(6).trim();
      else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
    }
    const text = data.join("\n");
    if (text === "[DONE]") return true;
    let payload = null;
    try { payload = JSON.parse(text); } catch (e) { return false; }
    if (event === "sentence") {
      state.pendingSentences.push(payload);
      addSentence(payload, null);
      updateReadAloud();
    } else if (event === "answer") {
      renderAnswer(payload);
    } else if (event === "error") {
      const err = new Error(payload.detail || t("noAnswer"));
      err.http = true;
      setStatus(err.message, "error");
    }
    return false;
  }

  async function askPlain(body, controller, id) {
    const res = await fetch("/api/ask", {
      method: "POST", headers: headers(true), body: body, signal: controller.signal, cache: "no-store"
    });
    if (!res.ok) throw await httpError(res);
    const answer = await res.json();
    if (id === state.requestId) renderAnswer(answer);
  }

  function setStatus(text, kind) {
    const box = $("status");
    box.textContent = text || "";
    box.className = "status" + (kind ? " " + kind : "");
  }

  function addSentence(sentence, sources, list, answer) {
    const text = el("span", { class: "text" });
    // numbers to call stand out: split on phone numbers, odd parts are the numbers
    sentence.text.split(PHONE).forEach((part, i) => {
      if (i % 2) text.append(el("strong", { class: "phone", text: part }));
      else if (part) text.append(part);
    });
    const item = el("li", { class: "sentence" }, [text]);
    for (const n of sentence.citations || []) {
      const src = sources ? sources.find((s) => s.n === n) : null;
      item.append(button(t("source") + " " + n, () => openSource(n, answer), "chip",
        { "data-n": n, disabled: sources && !src ? true : null, "aria-label": t("source") + " " + n }));
    }
    (list || $("sentences")).append(item);
  }

  function renderAnswer(answer) {
    state.answer = answer;
    state.session = answer.session_id || state.session;
    state.lastActivity = Date.now();
    setStatus("", "");
    const list = $("sentences");
    list.textContent = "";
    list.classList.toggle("crisis-mode", answer.mode === "crisis");
    $("crisis").hidden = answer.mode !== "crisis";
    for (const s of answer.sentences || []) addSentence(s, answer.sources || [], list, answer);
    if (!answer.sentences || !answer.sentences.length) setStatus(t("noAnswer"), "error");
    const note = $("note");
    note.hidden = !answer.note;
    note.textContent = answer.note || "";
    if (answer.mode === "calculator" || (answer.missing && answer.missing.length)) openCalcForm(answer);
    updateReadAloud();
    updateFinish();
  }

  // ---------------------------------------------------------------- help button ------------------------------
  /** Show the help text (from /api/help; the built-in text if the service cannot answer). */
  async function openHelp() {
    closeSource();
    closeDialog("idleOverlay");
    state.lastActivity = Date.now();
    stopSpeaking();
    if (state.screen !== "help") state.beforeHelp = state.screen;
    const id = ++state.helpId;
    const lang = state.lang;
    const current = () => id === state.helpId && state.screen === "help";
    if (state.help && state.help.lang !== lang) renderHelp(null, true);
    show("help");
    $("helpTitle").focus();
    if (state.help && state.help.fromService) return;  // the same text in the same language: shown already
    // the numbers to call must never wait for a slow service: the built-in text after 1.5 s at the latest
    const timer = setTimeout(() => { if (current() && !state.help) renderHelp(null); }, 1500);
    let answer = null;
    try {
      answer = await getJSON("/api/help?lang=" + encodeURIComponent(API_LANG[lang]));
    } catch (e) { /* the built-in text below */ }
    clearTimeout(timer);
    if (current()) renderHelp(answer);
  }

  function renderHelp(answer, empty) {
    const list = $("helpSentences");
    list.textContent = "";
    if (empty) {
      state.help = null;
      return;
    }
    const shown = answer && answer.sentences && answer.sentences.length ? answer : {
      sentences: t("helpFallback").map((text) => ({ text: text, citations: [] })), sources: [], note: null
    };
    state.help = { lang: state.lang, answer: shown, fromService: shown === answer };
    for (const s of shown.sentences) addSentence(s, shown.sources || [], list, shown);
    $("helpNote").hidden = !shown.note;
    $("helpNote").textContent = shown.note || "";
    updateReadAloud();
  }

  function closeHelp() {
    state.helpId += 1;
    stopSpeaking();
    show(state.beforeHelp === "help" ? "start" : state.beforeHelp || "start");
  }

  // ---------------------------------------------------------------- sources ----------------------------------
  async function openSource(n, shown) {
    const answer = shown || state.answer;
    const src = answer && (answer.sources || []).find((s) => s.n === n);
    if (!src) return;
    showSource(src.label, [{ text: src.text, is_target: true }]);
    try {
      const data = await getJSON("/api/sources/" + encodeURIComponent(src.chunk_id) + "?window=1");
      if (!$("sourceDialog").hidden) showSource(data.label, data.passages);
    } catch (e) { /* keep the passage from the answer */ }
  }

  async function openChunk(chunkId, fallbackText) {
    showSource(chunkId, [{ text: fallbackText || "", is_target: true }]);
    try {
      const data = await getJSON("/api/sources/" + encodeURIComponent(chunkId) + "?window=1");
      if (!$("sourceDialog").hidden) showSource(data.label, data.passages);
    } catch (e) { /* keep the quote */ }
  }

  function showSource(label, passages) {
    $("sourceLabel").textContent = label;
    const body = $("sourceBody");
    body.textContent = "";
    for (const p of passages) {
      const para = el("p", { class: p.is_target ? "target" : "" });
      if (p.is_target) para.append(el("mark", { text: p.text }));
      else para.textContent = p.text;
      body.append(para);
    }
    $("sourceNote").hidden = state.lang === "sl";
    openDialog("sourceDialog", "closeSource");
  }

  function closeSource() {
    closeDialog("sourceDialog");
  }

  // Dialogs take the focus when they open (Esc closes them) and give it back when they close.
  let focusBefore = null;

  function openDialog(id, focusId) {
    if (!$(id).hidden) return;
    if (!dialogOpen()) focusBefore = document.activeElement;
    $(id).hidden = false;
    $(focusId).focus({ preventScroll: true });
  }

  function closeDialog(id) {
    if ($(id).hidden) return;
    $(id).hidden = true;
    if (dialogOpen()) return;
    const back = focusBefore;
    focusBefore = null;
    if (back && back !== document.body && document.contains(back) && back.offsetParent !== null) {
      back.focus({ preventScroll: true });
    }
  }

  function dialogOpen() {
    return !$("sourceDialog").hidden || !$("idleOverlay").hidden;
  }

  function stay() {
    state.lastActivity = Date.now();
    closeDialog("idleOverlay");
  }

  // ---------------------------------------------------------------- calculator form --------------------------
  async function calcSchema(kind) {
    if (!state.calcKinds) {
      const data = await getJSON("/api/calc");
      state.calcKinds = {};
      for (const k of data.kinds) state.calcKinds[k.kind] = k.input_schema;
    }
    return state.calcKinds[kind];
  }

  function resolve(schema, prop) {
    let p = prop || {};
    if (p.$ref) p = lookupRef(schema, p.$ref);
    if (p.anyOf || p.oneOf) {
      const options = (p.anyOf || p.oneOf).map((o) => (o.$ref ? lookupRef(schema, o.$ref) : o));
      const real = options.find((o) => o.type !== "null") || {};
      p = Object.assign({}, real, { title: prop.title, description: prop.description, default: prop.default });
    }
    return p;
  }

  function lookupRef(schema, ref) {
    const name = ref.split("/").pop();
    return (schema.$defs && schema.$defs[name]) || (schema.definitions && schema.definitions[name]) || {};
  }

  async function openCalcForm(answer) {
    const calc = answer.calculation || {};
    const kind = calc.kind;
    const box = $("calc");
    if (!kind) return;
    let schema;
    try {
      schema = await calcSchema(kind);
    } catch (e) {
      return;
    }
    if (!schema || state.answer !== answer) return;
    const props = schema.properties || {};
    const inputs = Object.assign({}, calc.inputs || {});
    const missing = answer.missing || [];
    const main = Object.keys(props).filter((n) => missing.includes(n) || n in inputs);
    const rest = Object.keys(props).filter((n) => !main.includes(n));
    const values = {};
    const form = el("div", { class: "calc-form" });
    const fields = {};
    const addField = (name, container) => {
      const field = buildField(name, resolve(schema, props[name]), inputs[name], values);
      fields[name] = field;
      container.append(field);
    };
    box.textContent = "";
    box.append(el("h3", { text: t("calcTitle") }), el("p", { class: "hint", text: t("calcIntro") }), form);
    (main.length ? main : Object.keys(props)).forEach((name) => addField(name, form));
    if (main.length && rest.length) {
      const extra = el("div", { class: "calc-extra", hidden: true });
      rest.forEach((name) => addField(name, extra));
      const toggle = button(t("more"), () => {
        extra.hidden = !extra.hidden;
        toggle.textContent = extra.hidden ? t("more") : t("fewer");
      }, "secondary");
      form.append(toggle, extra);
    }
    const result = el("div", { class: "calc-result", hidden: true, "aria-live": "polite" });
    const error = el("p", { class: "error", role: "alert", hidden: true });
    const submit = button(t("calculate"), () => submitCalc(kind, values, fields, result, error), "primary",
      { "data-action": "calculate" });
    box.append(error, submit, result, el("p", { class: "note", text: t("calcDisclaimer") }));
    box.hidden = false;
  }

  function buildField(name, prop, initial, values) {
    const type = prop.type;
    const wrap = el("div", { class: "field", "data-field": name });
    wrap.append(el("span", { class: "field-label", text: prop.title || name }));
    if (prop.description) wrap.append(el("span", { class: "field-help", text: prop.description }));
    if (initial !== undefined && initial !== null) values[name] = initial;
    if (Array.isArray(prop.enum)) {
      wrap.append(choiceButtons(name, prop.enum.map((v) => [v, String(v)]), values));
    } else if (type === "boolean") {
      wrap.append(choiceButtons(name, [[true, t("yes")], [false, t("no")]], values));
    } else if (type === "integer" || type === "number") {
      wrap.append(stepper(name, prop, values));
    } else if (type === "string" && prop.format === "date") {
      const input = el("input", { type: "date", value: values[name] || "", "data-input": name });
      input.addEventListener("change", () => { values[name] = input.value || null; });
      const today = button(t("today"), () => {
        input.value = new Date().toISOString().slice(0, 10);
        values[name] = input.value;
      }, "secondary");
      wrap.append(el("div", { class: "stepper" }, [input, today]));
    } else {
      wrap.append(textField(name, values));
    }
    return wrap;
  }

  function choiceButtons(name, options, values) {
    const row = el("div", { class: "choices" });
    const refresh = () => {
      for (const b of row.children) b.setAttribute("aria-pressed", String(b._value === values[name]));
    };
    for (const [value, label] of options) {
      const b = button(label, () => { values[name] = value; refresh(); }, "", { "data-value": String(value) });
      b._value = value;
      row.append(b);
    }
    refresh();
    return row;
  }

  function stepper(name, prop, values) {
    const isInt = prop.type === "integer";
    const step = isInt ? 1 : (/eur/.test(name) ? 10 : 0.5);
    const min = typeof prop.minimum === "number" ? prop.minimum : 0;
    const max = typeof prop.maximum === "number" ? prop.maximum : Infinity;
    const display = el("button", { type: "button", class: "value", "data-input": name });
    const show = () => {
      const v = values[name];
      display.textContent = v === undefined || v === null ? "–" : String(v).replace(".", ",");
    };
    const change = (delta) => {
      const current = typeof values[name] === "number" ? values[name] : Number(values[name]) || 0;
      let next = Math.round((current + delta) * 100) / 100;
      next = Math.min(max, Math.max(min, next));
      values[name] = next;
      show();
    };
    const holdButton = (label, delta, action) => {
      const b = button(label, null, "", { "aria-label": label, "data-action": action });
      let timer = null;
      let count = 0;
      const stop = () => { clearTimeout(timer); timer = null; };
      b.addEventListener("pointerdown", (ev) => {
        ev.preventDefault();
        count = 0;
        change(delta);
        const repeat = () => {
          count += 1;
          change(count > 10 ? delta * 5 : delta);
          timer = setTimeout(repeat, count > 5 ? 80 : 200);
        };
        timer = setTimeout(repeat, 500);
      });
      for (const ev of ["pointerup", "pointerleave", "pointercancel"]) b.addEventListener(ev, stop);
      b.addEventListener("keydown", (ev) => { if (ev.key === "Enter" || ev.key === " ") change(delta); });
      return b;
    };
    const pad = el("div", { class: "numpad", hidden: true });
    let typed = "";
    for (const k of ["7", "8", "9", "⌫", "4", "5", "6", "0", "1", "2", "3", isInt ? "OK" : ","]) {
      pad.append(button(k, () => {
        if (k === "⌫") typed = typed.slice(0, -1);
        else if (k === "OK") { pad.hidden = true; return; }
        else if (k === "," && typed.includes(",")) return;
        else typed += k;
        const parsed = Number(typed.replace(",", "."));
        values[name] = typed && !isNaN(parsed) ? Math.min(max, parsed) : null;
        show();
      }, "key"));
    }
    if (!isInt) pad.append(button("OK", () => { pad.hidden = true; }, "key primary"));
    display.addEventListener("click", () => { typed = ""; pad.hidden = !pad.hidden; });
    show();
    return el("div", {}, [el("div", { class: "stepper" },
      [holdButton("−", -step, "decrement"), display, holdButton("+", step, "increment")]), pad]);
  }

  function textField(name, values) {
    const value = el("button", { type: "button", class: "text-value", "data-input": name });
    const kb = el("div", { class: "keyboard", hidden: true });
    let text = values[name] ? String(values[name]) : "";
    const show = () => { value.textContent = text || t("notSet"); values[name] = text || null; };
    const rows = ["1234567890", "qwertzuiopš", "asdfghjklčž", "yxcvbnm,.x"];
    for (const row of rows) {
      const line = el("div", { class: "kb-row" });
      for (const ch of row) line.append(button(ch, () => { text += ch; show(); }, "key"));
      kb.append(line);
    }
    kb.append(el("div", { class: "kb-row" }, [
      button("⌫", () => { text = text.slice(0, -1); show(); }, "key wide special"),
      button(t("space"), () => { text += " "; show(); }, "key space"),
      button("OK", () => { kb.hidden = true; }, "key wide primary")
    ]));
    value.addEventListener("click", () => { kb.hidden = !kb.hidden; });
    show();
    return el("div", {}, [value, kb]);
  }

  async function submitCalc(kind, values, fields, resultBox, errorBox) {
    const inputs = {};
    for (const [k, v] of Object.entries(values)) if (v !== null && v !== undefined && v !== "") inputs[k] = v;
    for (const f of Object.values(fields)) f.classList.remove("invalid");
    errorBox.hidden = true;
    resultBox.hidden = true;
    try {
      const res = await fetch("/api/calc/" + encodeURIComponent(kind), {
        method: "POST", headers: headers(true), body: JSON.stringify(inputs), cache: "no-store"
      });
      if (!res.ok) throw await httpError(res);
      showCalcResult(await res.json(), resultBox);
    } catch (err) {
      errorBox.textContent = err && err.http ? err.message : t("network");
      errorBox.hidden = false;
      if (err && err.field && fields[err.field]) {
        fields[err.field].classList.add("invalid");
        const extra = fields[err.field].closest(".calc-extra");
        if (extra) extra.hidden = false;
        fields[err.field].scrollIntoView({ block: "center" });
      }
    }
  }

  function showCalcResult(result, box) {
    box.textContent = "";
    const summary = result.summary || Object.entries(result.outputs || {}).map(([k, v]) => k + ": " + v).join(", ");
    box.append(el("p", { class: "summary", text: summary }));
    if (result.steps && result.steps.length) {
      box.append(el("p", { text: t("steps") }), el("ol", {}, result.steps.map((s) => el("li", { text: String(s) }))));
    }
    for (const note of result.notes || []) box.append(el("p", { class: "note", text: note }));
    const cites = (result.citations || []).filter((c) => c && c.chunk_id);
    if (cites.length) {
      const row = el("p", {}, [t("rules") + " "]);
      cites.forEach((c, i) => row.append(button(t("source") + " " + (i + 1), () => openChunk(c.chunk_id, c.quote),
        "chip")));
      box.append(row);
    }
    box.hidden = false;
    box.scrollIntoView({ block: "nearest" });
  }

  // ---------------------------------------------------------------- read aloud -------------------------------
  // Answers in English or BCS quote the handbook in Slovenian: each sentence is read with the voice of its own
  // language, told apart by a few common words.
  const WORDS = {
    en: /\b(the|and|you|your|of|to|is|are|can|for|with|on|at|this|that|be|or|not|a|an|any|right|now)\b/gi,
    sl: /(?:^|[^\p{L}])(je|in|se|na|za|da|v|ki|lahko|so|ne|pa|tudi|ter|oziroma|po|pri|iz|do|od|kot|če|jo|ji)(?![\p{L}])/giu,
    bcs: /(?:^|[^\p{L}])(i|u|koji|koja|koje|može|možete|što|kao|ili|su|nije|biti|vam|vas|jer|samo|još|kod|će)(?![\p{L}])/giu
  };
  // Played with Web Audio from memory: no media URL (the page's CSP allows none), nothing cached by the browser.
  const speech = { id: 0, button: null, controller: null, context: null, source: null, done: null };

  function sentenceLanguage(text, answerLang) {
    const count = (lang) => (text.match(WORDS[lang]) || []).length;
    if (answerLang === "en") return count("sl") + count("bcs") > count("en") ? "sl" : "en";
    if (answerLang === "bcs") return count("sl") > count("bcs") + (/[ćđ]/i.test(text) ? 3 : 1) ? "sl" : "bcs";
    return answerLang || "sl";
  }

  /** What to read: the answer's sentences (plain text, no source markers) and its note, in pieces by language. */
  function speechPieces(answer) {
    const lang = answer.language || API_LANG[state.lang];
    const texts = (answer.sentences || []).map((s) => s.text);
    if (answer.note) texts.push(answer.note);
    const pieces = [];
    for (const text of texts) {
      const piece = { lang: sentenceLanguage(text, lang), text: String(text || "").trim() };
      const last = pieces[pieces.length - 1];
      if (!piece.text) continue;
      if (last && last.lang === piece.lang && last.text.length + piece.text.length < SPEECH_PIECE) {
        last.text += " " + piece.text;
        continue;
      }
      while (piece.text.length > SPEECH_PIECE) {  // one very long sentence: cut at a space
        const cut = piece.text.lastIndexOf(" ", SPEECH_PIECE);
        const at = cut > 0 ? cut : SPEECH_PIECE;
        pieces.push({ lang: piece.lang, text: piece.text.slice(0, at) });
        piece.text = piece.text.slice(at).trim();
      }
      pieces.push(piece);
    }
    return pieces;
  }

  function readableAnswer(which) {
    if (which === "help") return state.help ? state.help.answer : null;
    if (state.answer) return state.answer;
    return state.pendingSentences.length ? { sentences: state.pendingSentences, language: API_LANG[state.lang] } : null;
  }

  function updateReadAloud() {
    for (const [id, which] of [["readAloud", "answer"], ["helpRead", "help"]]) {
      const btn = $(id);
      const active = state.speaking && speech.button === btn;
      const answer = readableAnswer(which);
      btn.textContent = "";
      btn.append(el("span", { class: "icon", "aria-hidden": "true", text: active ? "■" : "▶" }),
        " " + (active ? t("stopReading") : t("readAloud")));
      btn.setAttribute("aria-pressed", String(active));
      btn.disabled = !active && !(answer && answer.sentences && answer.sentences.length);
    }
  }

  function fetchSpeech(piece, signal) {
    const query = new URLSearchParams({ text: piece.text, lang: piece.lang, rate: String(SPEECH_RATE) });
    return fetch("/api/speech?" + query.toString(), { headers: headers(false), cache: "no-store", signal: signal })
      .then(async (res) => {
        if (!res.ok) throw await httpError(res);
        return res.arrayBuffer();
      });
  }

  function audioContext() {
    if (!speech.context) {
      const Context = window.AudioContext || window.webkitAudioContext;
      speech.context = new Context();
    }
    return speech.context;
  }

  async function playWav(wav, id) {
    const context = audioContext();
    const buffer = await context.decodeAudioData(wav);
    if (id !== speech.id) return;
    await new Promise((resolve) => {
      const source = context.createBufferSource();
      source.buffer = buffer;
      source.connect(context.destination);
      source.onended = () => resolve();
      speech.source = source;
      speech.done = resolve;
      source.start();
    });
  }

  /** The read-aloud button: plays the text piece by piece (the next one is fetched while one plays); again: stop. */
  async function readAloud(which, btn, errorBox) {
    if (state.speaking) {
      const same = speech.button === btn;
      stopSpeaking();
      if (same) return;
    }
    const answer = readableAnswer(which);
    const pieces = answer ? speechPieces(answer) : [];
    if (!pieces.length) return;
    const id = ++speech.id;
    const controller = new AbortController();
    speech.controller = controller;
    speech.button = btn;
    state.speaking = true;
    errorBox.hidden = true;
    updateReadAloud();
    document.body.dataset.speech = "loading";
    try {
      audioContext().resume().catch(() => {});  // within the tap, so the browser lets it play
      let next = fetchSpeech(pieces[0], controller.signal);
      for (let i = 0; i < pieces.length; i++) {
        const wav = await next;
        if (id !== speech.id) return;
        next = i + 1 < pieces.length ? fetchSpeech(pieces[i + 1], controller.signal) : null;
        if (next) next.catch(() => {});  // awaited in the next round; no unhandled rejection meanwhile
        document.body.dataset.speech = "playing";
        await playWav(wav, id);
        if (id !== speech.id) return;
      }
    } catch (err) {
      if (id !== speech.id || (err && err.name === "AbortError")) return;
      errorBox.textContent = err && err.http ? err.message : t("speechFailed");
      errorBox.hidden = false;
    } finally {
      if (id === speech.id) stopSpeaking();
    }
  }

  /** Stop reading and drop every piece of audio (nothing of it stays in memory or in the page). */
  function stopSpeaking() {
    speech.id += 1;
    if (speech.controller) {
      try { speech.controller.abort(); } catch (e) { /* ignore */ }
      speech.controller = null;
    }
    if (speech.source) {
      speech.source.onended = null;
      try { speech.source.stop(); } catch (e) { /* not started */ }
      speech.source.disconnect();
      speech.source.buffer = null;
      speech.source = null;
    }
    if (speech.done) speech.done();
    speech.done = null;
    speech.button = null;
    state.speaking = false;
    delete document.body.dataset.speech;
    updateReadAloud();
  }

  // ---------------------------------------------------------------- idle reset -------------------------------
  function pristine() {
    return state.screen === "start" && !state.session && !state.text && state.lang === "sl" && state.size === 1 &&
      !state.contrast && $("sourceDialog").hidden && !state.request;
  }

  function updateFinish() {
    $("finish").hidden = pristine();
  }

  function activity() {
    // The countdown overlay is closed by its own click handler, never here: hiding it on pointerdown would let
    // the same tap land on the button underneath.
    state.lastActivity = Date.now();
  }

  function tick() {
    if (pristine()) {
      closeDialog("idleOverlay");
      state.lastActivity = Date.now();
      return;
    }
    if (state.speaking) state.lastActivity = Date.now();  // listening to an answer is not being away
    const idle = (Date.now() - state.lastActivity) / 1000;
    const remaining = Math.ceil(config.idle_reset_seconds - idle);
    if (remaining <= 0) {
      resetAll();
    } else if (remaining <= config.countdown_seconds) {
      $("idleText").textContent = t("idleText");
      $("idleCount").textContent = String(remaining);
      openDialog("idleOverlay", "stay");
    }
  }

  /**
   * Forget everything a person asked, read or typed: the question box, the answer, the calculator form and its
   * inputs, open sources, audio, storage, and the server-side conversation. ``keepTopic`` keeps the topic screen.
   */
  function clearPerson(keepTopic) {
    cancelRequest();
    stopSpeaking();
    if (state.session) {
      fetch("/api/sessions/" + encodeURIComponent(state.session), { method: "DELETE", keepalive: true })
        .catch(() => {});
    }
    state.session = null;
    state.text = "";
    state.shift = false;
    state.answer = null;
    state.pendingSentences = [];
    if (!keepTopic) {
      state.topic = null;
      $("topicTitle").textContent = "";
      $("starters").textContent = "";
      if (state.screen === "topic") show("start");
    }
    if (state.beforeHelp === "answer" || (!keepTopic && state.beforeHelp === "topic")) state.beforeHelp = "start";
    for (const id of ["questionText", "askedText", "sentences", "calc", "note", "askError", "sourceLabel",
      "sourceBody", "readAloudError", "helpReadError"]) {
      $(id).textContent = "";
    }
    $("readAloudError").hidden = true;
    $("helpReadError").hidden = true;
    $("sentences").classList.remove("crisis-mode");
    $("calc").hidden = true;
    $("note").hidden = true;
    $("crisis").hidden = true;
    $("askError").hidden = true;
    setStatus("", "");
    closeSource();
    try {
      window.sessionStorage.clear();
      window.localStorage.clear();
    } catch (e) { /* storage disabled */ }
    updateFinish();
  }

  /** Idle reset and "Končaj": clear the person's traces and every display setting. */
  function resetAll() {
    clearPerson(false);
    state.help = null;
    state.helpId += 1;
    state.beforeHelp = "start";
    $("helpSentences").textContent = "";
    closeDialog("idleOverlay");
    setContrast(false);
    setSize(1);
    setLanguage("sl");
    show("start");
    state.lastActivity = Date.now();
    document.body.dataset.resets = String(Number(document.body.dataset.resets || 0) + 1);
  }

  // ---------------------------------------------------------------- start-up ---------------------------------
  async function loadTopics() {
    try {
      const data = await getJSON("/api/topics");
      state.topics = data.topics || [];
    } catch (e) {
      state.topics = [];
    }
    renderTiles();
  }

  async function loadConfig() {
    try {
      Object.assign(config, await getJSON("/api/kiosk-config"));
    } catch (e) { /* defaults */ }
  }

  function bind() {
    for (const b of document.querySelectorAll("[data-lang]")) b.addEventListener("click", () => chooseLanguage(b.dataset.lang));
    $("textSize").addEventListener("click", () => setSize(state.size % 3 + 1));
    $("contrast").addEventListener("click", () => setContrast(!state.contrast));
    $("finish").addEventListener("click", resetAll);
    $("home").addEventListener("click", () => show("start"));
    $("askBtn").addEventListener("click", () => { state.topic = null; openKeyboard(); });
    $("ownQuestion").addEventListener("click", openKeyboard);
    $("send").addEventListener("click", sendTyped);
    $("again").addEventListener("click", () => { state.text = ""; openKeyboard(); });
    $("toStart").addEventListener("click", () => {
      clearPerson(false);
      show("start");
    });
    $("readAloud").addEventListener("click", () => readAloud("answer", $("readAloud"), $("readAloudError")));
    $("helpRead").addEventListener("click", () => readAloud("help", $("helpRead"), $("helpReadError")));
    $("helpBtn").addEventListener("click", openHelp);
    $("helpBack").addEventListener("click", closeHelp);
    $("closeSource").addEventListener("click", closeSource);
    $("sourceDialog").addEventListener("click", (ev) => { if (ev.target === $("sourceDialog")) closeSource(); });
    $("idleOverlay").addEventListener("click", stay);
    document.addEventListener("keydown", (ev) => {
      if (ev.key !== "Escape") return;
      if (!$("idleOverlay").hidden) stay();
      else if (!$("sourceDialog").hidden) closeSource();
      else return;
      ev.preventDefault();
    });
    for (const b of document.querySelectorAll(".back")) {
      b.addEventListener("click", () => show(state.screen === "ask" && state.topic ? "topic" : "start"));
    }
    for (const ev of ["pointerdown", "keydown", "touchstart", "wheel"]) {
      document.addEventListener(ev, activity, { capture: true, passive: true });
    }
    // a physical keyboard (staff testing) types into the question too
    document.addEventListener("keydown", (ev) => {
      if (state.screen !== "ask" || dialogOpen() || ev.ctrlKey || ev.metaKey || ev.altKey) return;
      if (ev.key === "Backspace") { backspace(); ev.preventDefault(); }
      else if (ev.key === "Enter") { sendTyped(); ev.preventDefault(); }
      else if (ev.key.length === 1) { typeChar(ev.key); ev.preventDefault(); }
    });
    document.addEventListener("contextmenu", (ev) => ev.preventDefault());
  }

  /** Dialogs cover the page below the top bar, so the help button (and the bar) stay visible and usable. */
  function trackBarHeight() {
    const bar = $("bar");
    const set = () => document.documentElement.style.setProperty("--bar-h", bar.offsetHeight + "px");
    set();
    if ("ResizeObserver" in window) new ResizeObserver(set).observe(bar);
    else window.addEventListener("resize", set);
  }

  async function start() {
    trackBarHeight();
    bind();
    applyTexts();
    renderKeyboard();
    await Promise.all([loadConfig(), loadTopics()]);
    setInterval(tick, 250);
    document.body.dataset.ready = "1";
  }

  document.addEventListener("DOMContentLoaded", start);
})();
