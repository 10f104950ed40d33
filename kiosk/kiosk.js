/* Zaporni pomočnik – kiosk page. No build step, no external requests: everything comes from this server. */
"use strict";

(function () {
  // ---------------------------------------------------------------- texts (sl / en / hr / sr) ---------------
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
      backspace: "Briši znak", shift: "Velike", emptyQuestion: "Najprej napišite vprašanje.",
      tooLong: "Vprašanje je predolgo.", chars: "znakov", needHelp: "Potrebujem pomoč",
      speechFailed: "Branja na glas ni mogoče predvajati.",
      helpFallback: ["Prosim, takoj povejte pravosodnemu policistu ali komurkoli iz osebja – niste sami.",
        "Kadarkoli lahko brezplačno pokličete Varuha človekovih pravic na 080 15 30 in policijo na 112."],
      exact: "Kaj točno piše", unofficial: "Neuradni prevod", original: "Izvirnik", calcTiles: "Izračunajte zase",
      next: "Naprej", calculate: "Izračunaj", stepOf: "Korak {n} od {m}", dontKnow: "Ne vem", yes: "Da", no: "Ne",
      day: "Dan", month: "Mesec", year: "Leto", years: "Let", monthsShort: "Mesecev",
      dateHint: "Na primer 15. 3. 2025", errDay: "Dan mora biti med 1 in 31", errMonth: "Mesec mora biti med 1 in 12",
      errYear: "Leto mora imeti 4 števke", errYearRange: "Leto mora biti med 1990 in 2100",
      errNoDate: "Tak datum ne obstaja. Preverite dan in mesec.", errDateMissing: "Vpišite dan, mesec in leto", errDayMissing: "Vpišite dan",
      errMonthMissing: "Vpišite mesec", errYearMissing: "Vpišite leto", errNumber: "Vpišite število",
      errPositive: "Vpišite število, večje od 0", errMax: "Število je preveliko: največ {max}",
      errChoose: "Izberite eno možnost", checkAnswer: "Preverite ta odgovor:", result: "Rezultat",
      rule: "Pravilo", ruleInSl: "Pravilo je v slovenščini.", howCalculated: "Kako je izračunano",
      inSlovenian: "v slovenščini", calcAgain: "Izračunaj znova", yourData: "Izračunajte zase",
      calcDisclaimer: "Izračun je informativen. Za uradni datum ali znesek vprašajte osebje.",
      loading: "Nalagam", numberPad: "Številčnica"
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
      clear: "Clear all", backspace: "Delete", shift: "Capitals", emptyQuestion: "Please type a question first.",
      tooLong: "The question is too long.", chars: "characters", needHelp: "I need help",
      speechFailed: "Reading aloud cannot be played.",
      helpFallback: ["Please tell a judicial police officer or any member of staff right now – you are not alone.",
        "At any time you can call the Human Rights Ombudsman free of charge on 080 15 30 and the police on 112."],
      exact: "What exactly it says", unofficial: "Unofficial translation", original: "Slovenian original",
      calcTiles: "Work it out for you", next: "Next", calculate: "Calculate", stepOf: "Step {n} of {m}",
      dontKnow: "I don't know", yes: "Yes", no: "No", day: "Day", month: "Month", year: "Year", years: "Years",
      monthsShort: "Months", dateHint: "For example 15 3 2025", errDay: "Day must be between 1 and 31",
      errMonth: "Month must be between 1 and 12", errYear: "Year must have 4 digits",
      errYearRange: "Year must be between 1990 and 2100", errNoDate: "This date does not exist. Check the day and month.",
      errDateMissing: "Enter the day, month and year", errDayMissing: "Enter the day", errMonthMissing: "Enter the month", errYearMissing: "Enter the year",
      errNumber: "Enter a number", errPositive: "Enter a number bigger than 0",
      errMax: "The number is too big: at most {max}", errChoose: "Choose one option",
      checkAnswer: "Please check this answer:", result: "Result", rule: "The rule",
      ruleInSl: "The rule is quoted in Slovenian.", howCalculated: "How it was calculated", inSlovenian: "in Slovenian",
      calcAgain: "Calculate again", yourData: "Work it out for you",
      calcDisclaimer: "This calculation is for information. Ask the staff for the official date or amount.",
      loading: "Loading", numberPad: "Number pad"
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
      backspace: "Obriši znak", shift: "Velika slova", emptyQuestion: "Najprije napišite pitanje.",
      tooLong: "Pitanje je predugo.", chars: "znakova", needHelp: "Trebam pomoć",
      speechFailed: "Čitanje naglas nije moguće reproducirati.",
      helpFallback: ["Molim vas, odmah recite pravosudnom policajcu ili bilo kome iz osoblja – niste sami.",
        "U bilo koje vrijeme možete besplatno nazvati Zaštitnika ljudskih prava na 080 15 30 i policiju na 112."],
      exact: "Što točno piše", unofficial: "Neslužbeni prijevod", original: "Slovenski izvornik",
      calcTiles: "Izračunajte za sebe", next: "Dalje", calculate: "Izračunaj", stepOf: "Korak {n} od {m}",
      dontKnow: "Ne znam", yes: "Da", no: "Ne", day: "Dan", month: "Mjesec", year: "Godina", years: "Godina",
      monthsShort: "Mjeseci", dateHint: "Na primjer 15. 3. 2025.", errDay: "Dan mora biti između 1 i 31",
      errMonth: "Mjesec mora biti između 1 i 12", errYear: "Godina mora imati 4 znamenke",
      errYearRange: "Godina mora biti između 1990 i 2100", errNoDate: "Taj datum ne postoji. Provjerite dan i mjesec.",
      errDateMissing: "Upišite dan, mjesec i godinu", errDayMissing: "Upišite dan", errMonthMissing: "Upišite mjesec", errYearMissing: "Upišite godinu",
      errNumber: "Upišite broj", errPositive: "Upišite broj veći od 0", errMax: "Broj je prevelik: najviše {max}",
      errChoose: "Odaberite jednu mogućnost", checkAnswer: "Provjerite ovaj odgovor:", result: "Rezultat",
      rule: "Pravilo", ruleInSl: "Pravilo je navedeno na slovenskom.", howCalculated: "Kako je izračunato",
      inSlovenian: "na slovenskom", calcAgain: "Izračunaj ponovno", yourData: "Izračunajte za sebe",
      calcDisclaimer: "Izračun je informativan. Za službeni datum ili iznos pitajte osoblje.",
      loading: "Učitavam", numberPad: "Brojčana tipkovnica"
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
      backspace: "Obriši znak", shift: "Velika slova", emptyQuestion: "Prvo napišite pitanje.",
      tooLong: "Pitanje je predugo.", chars: "znakova", needHelp: "Trebam pomoć",
      speechFailed: "Čitanje naglas nije moguće pustiti.",
      helpFallback: ["Molim vas, odmah recite pravosudnom policajcu ili bilo kome iz osoblja – niste sami.",
        "U bilo koje vrijeme možete besplatno nazvati Zaštitnika ljudskih prava na 080 15 30 i policiju na 112."],
      exact: "Šta tačno piše", unofficial: "Nezvanični prevod", original: "Slovenački izvornik",
      calcTiles: "Izračunajte za sebe", next: "Dalje", calculate: "Izračunaj", stepOf: "Korak {n} od {m}",
      dontKnow: "Ne znam", yes: "Da", no: "Ne", day: "Dan", month: "Mesec", year: "Godina", years: "Godina",
      monthsShort: "Meseci", dateHint: "Na primer 15. 3. 2025.", errDay: "Dan mora biti između 1 i 31",
      errMonth: "Mesec mora biti između 1 i 12", errYear: "Godina mora imati 4 cifre",
      errYearRange: "Godina mora biti između 1990 i 2100", errNoDate: "Taj datum ne postoji. Proverite dan i mesec.",
      errDateMissing: "Upišite dan, mesec i godinu", errDayMissing: "Upišite dan", errMonthMissing: "Upišite mesec", errYearMissing: "Upišite godinu",
      errNumber: "Upišite broj", errPositive: "Upišite broj veći od 0", errMax: "Broj je prevelik: najviše {max}",
      errChoose: "Izaberite jednu mogućnost", checkAnswer: "Proverite ovaj odgovor:", result: "Rezultat",
      rule: "Pravilo", ruleInSl: "Pravilo je navedeno na slovenačkom.", howCalculated: "Kako je izračunato",
      inSlovenian: "na slovenačkom", calcAgain: "Izračunaj ponovo", yourData: "Izračunajte za sebe",
      calcDisclaimer: "Izračun je informativan. Za zvanični datum ili iznos pitajte osoblje.",
      loading: "Učitavam", numberPad: "Numerička tastatura"
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
  const CALC = window.KIOSK_CALC || { kinds: [], format: {} };

  // ---------------------------------------------------------------- state ------------------------------------
  const $ = (id) => document.getElementById(id);
  const config = { idle_reset_seconds: 90, countdown_seconds: 15, max_question_chars: 500 };
  const state = {
    lang: "sl", size: 1, contrast: false, session: null, text: "", shift: false, screen: "start",
    topics: [], topic: null, answer: null, pendingSentences: [], request: null, requestId: 0,
    lastActivity: Date.now(), speaking: false, help: null, helpId: 0, beforeHelp: "start",
    stream: null, calc: null, calcId: 0
  };
  // Phone numbers in help texts are shown in large type: 080 15 30, 01 234 56 78, 112, 113.
  const PHONE = /(\b0\d{1,2}(?: \d{2,3}){2,3}\b|\b11[23]\b)/;
  // Figures in the easy-read lines stand out: dates (14. 3. 2027), amounts, "2-krat", "20 %", "3 ure".
  const FIGURE = /(\d{1,2}\. ?\d{1,2}\. ?\d{4}|€ ?\d+(?:[.,]\d+)?|\d+(?:[.,]\d+)?(?:-krat|x| ?%| ?EUR| ?€)?)/;
  // One idea per line: the easy-read text is cut after a full stop that a capital letter follows.
  const SENTENCE_END = /(?<=[.!?])\s+(?=[A-ZČŠŽĆĐ])/;

  const t = (key) => (T[state.lang] && T[state.lang][key]) || T.sl[key] || key;
  const tf = (key, values) => t(key).replace(/\{(\w+)\}/g, (m, name) => String(values[name]));
  const pick = (texts) => (CALC.format.pick ? CALC.format.pick(texts, state.lang) : texts.sl);

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
    if (state.screen === "answer" || state.screen === "calc") show("start");
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

  /**
   * The languages /api/kiosk-config offers. The service knows "bcs" (it may list it as hr, sr, bs or bcs): both
   * Croatian and Serbian/Bosnian buttons stand for it. Slovenian is always there.
   */
  function applyLanguageConfig() {
    const listed = Array.isArray(config.languages) ? config.languages.map((l) => String(l).toLowerCase()) : [];
    if (!listed.length) return;
    const shown = new Set(["sl"]);
    for (const lang of listed) {
      if (["hr", "sr", "bs", "bcs"].includes(lang)) { shown.add("hr"); shown.add("sr"); } else shown.add(lang);
    }
    for (const b of document.querySelectorAll("[data-lang]")) b.hidden = !shown.has(b.dataset.lang);
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
  const SCREENS = ["start", "topic", "ask", "answer", "help", "calc"];

  function show(screen) {
    if (state.speaking && screen !== state.screen) stopSpeaking();
    state.screen = screen;
    for (const name of SCREENS) $("screen-" + name).hidden = name !== screen;
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
    const calc = $("calcTiles");
    calc.textContent = "";
    for (const def of CALC.kinds) {
      const tile = el("button", { type: "button", class: "tile calc-tile", "data-calc": def.kind,
        onclick: () => openCalc(def.kind, null, null) }, [
        el("span", { class: "tile-icon", "aria-hidden": "true", text: def.icon }),
        el("span", { class: "tile-name", text: pick(def.title) })
      ]);
      calc.append(tile);
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
  // "Briši vse" (clear all) is not on the keyboard: it sits under the question box, away from the space bar.
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
        line.append(button("⌫", backspace, "key wide special", { "aria-label": t("backspace"), "data-key": "backspace" }));
      }
      box.append(line);
    });
    const last = el("div", { class: "kb-row" });
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
    clearAnswerView();
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
      setStatus("", "");  // the first sentences are on the screen: no more "looking for the answer"
      streamSentence(payload);
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

  // ---------------------------------------------------------------- showing an answer ------------------------
  /** Text with the numbers to call (large) and, when ``figures``, every other figure emphasised. */
  function richText(text, figures) {
    const out = el("span", { class: "text" });
    String(text || "").split(PHONE).forEach((part, i) => {
      if (i % 2) {
        out.append(el("strong", { class: "phone", text: part }));
        return;
      }
      if (!figures) {
        if (part) out.append(part);
        return;
      }
      part.split(FIGURE).forEach((bit, j) => {
        if (j % 2) out.append(el("strong", { class: "fig", text: bit }));
        else if (bit) out.append(bit);
      });
    });
    return out;
  }

  function sourceChip(n, sources, answer, label) {
    const src = sources ? sources.find((s) => s.n === n) : null;
    const text = label || t("source") + " " + n;
    return button(text, () => openSource(n, answer), "chip",
      { "data-n": n, disabled: sources && !src ? true : null, "aria-label": text + (label ? " " + n : "") });
  }

  /** A sentence of a help text or crisis answer: phone numbers large, its sources as chips. */
  function addSentence(sentence, sources, list, answer) {
    const item = el("li", { class: "sentence" }, [richText(sentence.text, false)]);
    for (const n of sentence.citations || []) item.append(sourceChip(n, sources, answer));
    (list || $("sentences")).append(item);
  }

  /** An easy-read line: large type, one idea per line, figures emphasised, its source as a chip. */
  function addPlainLine(text, citations, sources, answer) {
    const lines = el("span", { class: "lines" });
    for (const part of String(text).split(SENTENCE_END)) {
      lines.append(el("span", { class: "line" }, [richText(part, true)]));
    }
    const item = el("li", { class: "sentence plain" }, [lines]);
    for (const n of citations || []) item.append(sourceChip(n, sources, answer));
    $("sentences").append(item);
  }

  function clearAnswerView() {
    for (const id of ["sentences", "crisisSentences", "exactGroups", "bridge", "note", "calc"]) $(id).textContent = "";
    for (const id of ["crisis", "bridge", "exactToggle", "translationMark", "note", "calc"]) $(id).hidden = true;
    $("crisis").classList.remove("threat");
    $("crisisTitle").hidden = false;
    setExactOpen(false);
    state.stream = { seen: new Set(), groups: new Map() };
    delete $("screen-answer").dataset.answer;
  }

  function setExactOpen(open) {
    const toggle = $("exactToggle");
    toggle.setAttribute("aria-expanded", String(open));
    toggle.querySelector(".icon").textContent = open ? "▾" : "▸";
    $("exact").hidden = !open;
  }

  /**
   * A streamed sentence, before the whole answer is known: a help text (it has the numbers to call) goes into the
   * calm help box until the uncited line that leads to the ordinary answer; then the first sentence citing a passage
   * is an easy-read line (shown large) and one citing a passage already cited is the exact text (folded).
   */
  function streamSentence(sentence) {
    const stream = state.stream || (state.stream = { seen: new Set(), groups: new Map() });
    const cites = sentence.citations || [];
    if (!stream.body && !stream.help && PHONE.test(sentence.text)) {
      stream.help = true;  // the lines so far were the start of the help text
      const earlier = state.pendingSentences.slice(0, -1);
      $("sentences").textContent = "";
      $("crisis").hidden = false;
      for (const s of earlier) addSentence(s, null, $("crisisSentences"), null);
    }
    if (stream.help && !stream.body) {
      if (!cites.length && stream.cited) {
        stream.body = true;
        $("bridge").textContent = sentence.text;
        $("bridge").hidden = false;
      } else {
        stream.cited = stream.cited || cites.length > 0;
        addSentence(sentence, null, $("crisisSentences"), null);
      }
      return;
    }
    const repeated = cites.length > 0 && cites.every((n) => stream.seen.has(n));
    cites.forEach((n) => stream.seen.add(n));
    if (repeated) addExact(sentence, null, null, stream.groups);
    else addPlainLine(sentence.text, cites, null, null);
  }

  function addExact(sentence, sources, answer, groups) {
    const n = (sentence.citations || [])[0];
    let group = groups.get(n);
    if (!group) {
      const src = sources ? sources.find((s) => s.n === n) : null;
      const body = el("p", { class: "exact-text" });
      const node = el("section", { class: "exact-group" }, [
        src ? el("h2", { class: "exact-label", text: src.label }) : null, body]);
      if (n !== undefined) {
        node.append(sourceChip(n, sources, answer, state.lang === "sl" ? null : t("original")));
      }
      group = { body: body };
      groups.set(n, group);
      $("exactGroups").append(node);
    }
    group.body.append(richText(sentence.text, false), " ");
    $("exactToggle").hidden = false;
  }

  /** Which sentences are the help text, the bridge line, the easy-read lines and the exact text. */
  function answerParts(answer) {
    const sentences = answer.sentences || [];
    const safety = answer.safety || (answer.mode === "crisis" ? "crisis" : null);
    const plain = (answer.plain || []).filter((p) => p && p.trim());
    const parts = { safety: safety, help: [], bridge: null, plain: [], exact: [] };
    let body = sentences;
    if (safety === "crisis" || safety === "threat" || answer.mode === "crisis") {
      parts.help = sentences;
      return parts;
    }
    if (safety === "possible_crisis") {
      // help text first; then (uncited) "the answer to your question is below"; then the ordinary answer
      let cut = sentences.findIndex((s) => plain.includes(s.text));
      if (cut < 0) {
        cut = sentences.findIndex((s, i) => i > 0 && !(s.citations || []).length &&
          (sentences[i - 1].citations || []).length);
        if (cut >= 0) cut += 1;
      }
      if (cut < 0) cut = sentences.length;
      parts.help = sentences.slice(0, cut);
      const last = parts.help[parts.help.length - 1];
      if (parts.help.length > 1 && last && !(last.citations || []).length) parts.bridge = parts.help.pop();
      body = sentences.slice(cut);
    }
    if (plain.length) {
      for (const text of plain) {
        const s = body.find((x) => x.text === text);
        parts.plain.push({ text: text, citations: s ? s.citations || [] : [] });
      }
      parts.exact = body.filter((s) => !plain.includes(s.text));
    } else {
      const seen = new Set();
      for (const s of body) {
        const cites = s.citations || [];
        const repeated = cites.length > 0 && cites.every((n) => seen.has(n));
        cites.forEach((n) => seen.add(n));
        (repeated ? parts.exact : parts.plain).push(s);
      }
    }
    return parts;
  }

  function renderAnswer(answer) {
    const wasOpen = $("exactToggle").getAttribute("aria-expanded") === "true";
    state.answer = answer;
    state.session = answer.session_id || state.session;
    state.lastActivity = Date.now();
    setStatus("", "");
    clearAnswerView();
    const sources = answer.sources || [];
    const parts = answerParts(answer);
    if (parts.help.length) {
      const box = $("crisis");
      box.hidden = false;
      box.classList.toggle("threat", parts.safety === "threat");
      $("crisisTitle").hidden = parts.safety === "threat";
      for (const s of parts.help) addSentence(s, sources, $("crisisSentences"), answer);
    }
    if (parts.bridge) {
      $("bridge").textContent = parts.bridge.text;
      $("bridge").hidden = false;
    }
    for (const s of parts.plain) addPlainLine(s.text, s.citations, sources, answer);
    const groups = new Map();
    for (const s of parts.exact) addExact(s, sources, answer, groups);
    const lang = answer.language || API_LANG[state.lang];
    $("translationMark").hidden = !(lang !== "sl" && parts.exact.some((s) => sentenceLanguage(s.text, lang) !== "sl"));
    if (parts.exact.length) setExactOpen(wasOpen);
    if (!parts.help.length && !parts.plain.length && !parts.exact.length) setStatus(t("noAnswer"), "error");
    const note = $("note");
    note.hidden = !answer.note;
    note.textContent = answer.note || "";
    offerCalculator(answer);
    $("screen-answer").dataset.answer = "done";
    updateReadAloud();
    updateFinish();
  }

  /** A calculator answer: one tap opens the step-by-step form of its tile with what the question already said. */
  function offerCalculator(answer) {
    const calc = answer.calculation || {};
    const def = CALC.kinds.find((k) => k.kind === calc.kind);
    if (!def) return;
    const missing = answer.missing || [];
    const box = $("calc");
    box.append(button(t("yourData") + ": " + pick(def.title), () => openCalc(def.kind, calc.inputs || {}, missing[0]),
      "primary calc-open", { "data-calc-open": def.kind }));
    box.hidden = false;
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

  // ---------------------------------------------------------------- calculator tiles -------------------------
  // One question per step (GOV.UK "one thing per page"); dates as three number fields d. m. yyyy; numbers from an
  // on-screen number pad. The figures come from POST /api/calc/{kind}; calc-kinds.js says how to show them.
  function openCalc(kind, prefill, startField) {
    const def = CALC.kinds.find((k) => k.kind === kind);
    if (!def) return;
    stopSpeaking();
    state.calcId += 1;
    state.calc = { def: def, values: Object.assign({}, prefill || {}), index: 0, result: null, error: null };
    const steps = calcSteps();
    if (startField) state.calc.index = Math.max(0, steps.findIndex((s) => s.field === startField));
    renderCalc();
    show("calc");
    focusStep();
  }

  function calcSteps() {
    const c = state.calc;
    return c ? c.def.steps.filter((s) => !s.when || s.when(c.values)) : [];
  }

  function focusStep() {
    const target = document.querySelector("#calcStep .num-input") || document.querySelector("#calcStep legend");
    if (target) target.focus({ preventScroll: true });
  }

  function renderCalc() {
    const c = state.calc;
    const box = $("calcStep");
    box.textContent = "";
    $("calcResult").textContent = "";
    if (!c) return;
    $("calcTitle").textContent = "";
    $("calcTitle").append(el("span", { class: "tile-icon", "aria-hidden": "true", text: c.def.icon }), pick(c.def.title));
    if (c.result) {
      $("calcProgress").hidden = true;
      box.hidden = true;
      renderCalcResult(c.result);
      $("calcNext").textContent = t("calcAgain");
      $("calcPrev").textContent = t("toStart");
      return;
    }
    const steps = calcSteps();
    c.index = Math.min(c.index, steps.length - 1);
    const step = steps[c.index];
    $("calcResult").hidden = true;
    box.hidden = false;
    $("calcProgress").hidden = steps.length < 2;
    $("calcProgress").textContent = tf("stepOf", { n: c.index + 1, m: steps.length });
    $("calcNext").textContent = c.index === steps.length - 1 ? t("calculate") : t("next");
    $("calcPrev").textContent = t("back");
    const legendId = "calcQ";
    const hints = [step.hint ? pick(step.hint) : "", step.type === "date" ? t("dateHint") : ""].filter(Boolean);
    const fieldset = el("fieldset", { class: "step", "data-step": step.field,
      "aria-describedby": (hints.length ? "calcHint " : "") + "calcError" }, [
      el("legend", { id: legendId, class: "step-q", tabindex: "-1", text: pick(step.q) }),
      hints.length ? el("p", { id: "calcHint", class: "hint" }, hints.map((h) => el("span", { class: "line", text: h })))
        : null,
      el("div", { id: "calcError", class: "error step-error", role: "alert", hidden: !c.error },
        (c.error || []).map((m) => el("span", { class: "line", text: m })))
    ]);
    c.inputs = {};
    c.active = null;
    const value = c.values[step.field];
    const entry = el("div", { class: "entry" });
    if (step.type === "date") entry.append(dateInputs(step, value));
    else if (step.type === "duration") entry.append(durationInputs(step, value));
    else if (step.type === "choice" || step.type === "yesno") entry.append(choiceInputs(step, value));
    else entry.append(numberInput(step, value, legendId));
    if (["date", "duration", "int", "decimal", "money"].includes(step.type)) {
      entry.append(numberPad(step.type === "decimal" || step.type === "money"));
    }
    fieldset.append(entry);
    if (step.optional) {
      fieldset.append(button(t("dontKnow"), () => { delete c.values[step.field]; c.error = null; nextStep(true); },
        "secondary dont-know", { "data-action": "skip" }));
    }
    box.append(fieldset);
    for (const name of c.errorParts || []) {
      const input = c.inputs[name];
      if (input) {
        input.classList.add("invalid");
        input.setAttribute("aria-invalid", "true");
      }
    }
  }

  /** A large text field the number pad types into (no system keyboard: inputmode none). */
  function padInput(name, maxLength, label, labelledBy, decimals) {
    const c = state.calc;
    const id = "calcIn-" + name;
    const input = el("input", { id: id, class: "num-input", type: "text", inputmode: "none", autocomplete: "off",
      spellcheck: "false", maxlength: maxLength, "data-part": name, "aria-labelledby": labelledBy || null });
    input.addEventListener("focus", () => setActive(input));
    input.addEventListener("pointerdown", () => setActive(input));
    input.addEventListener("input", () => {  // a physical keyboard (staff testing): digits only
      const clean = input.value.replace(decimals ? /[^0-9,.]/g : /[^0-9]/g, "").replace(".", ",");
      if (clean !== input.value) input.value = clean;
      c.error = null;
    });
    input.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter") { ev.preventDefault(); nextStep(false); }
    });
    c.inputs[name] = input;
    if (!c.active) c.active = input;
    const wrap = el("div", { class: "num-field" });
    if (label) wrap.append(el("label", { for: id, class: "num-label", text: label }));
    wrap.append(input);
    return { wrap: wrap, input: input };
  }

  function setActive(input) {
    const c = state.calc;
    if (!c) return;
    c.active = input;
    for (const i of Object.values(c.inputs)) i.classList.toggle("active", i === input);
  }

  function numberInput(step, value, legendId) {
    const decimals = step.type === "decimal" || step.type === "money";
    const unitId = "calcUnit";
    const field = padInput("value", decimals ? 12 : 6, null, legendId + " " + unitId, decimals);
    if (value !== undefined && value !== null) field.input.value = String(value).replace(".", ",");
    field.wrap.append(el("span", { id: unitId, class: "unit", text: pick(step.unit) }));
    setActive(field.input);
    return el("div", { class: "num-fields" }, [field.wrap]);
  }

  function durationInputs(step, value) {
    const years = padInput("years", 3, t("years"), null, false);
    const months = padInput("months", 4, t("monthsShort"), null, false);
    if (typeof value === "number") {
      years.input.value = String(Math.floor(value / 12));
      months.input.value = String(value % 12);
    }
    years.wrap.classList.add("w3");
    months.wrap.classList.add("w3");
    setActive(years.input);
    return el("div", { class: "num-fields" }, [years.wrap, months.wrap]);
  }

  /** GOV.UK date input: three labelled fields, day and month two digits wide, the year four. */
  function dateInputs(step, value) {
    const day = padInput("day", 2, t("day"), null, false);
    const month = padInput("month", 2, t("month"), null, false);
    const year = padInput("year", 4, t("year"), null, false);
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(value || ""));
    if (m) {
      day.input.value = String(Number(m[3]));
      month.input.value = String(Number(m[2]));
      year.input.value = m[1];
    }
    day.wrap.classList.add("w2");
    month.wrap.classList.add("w2");
    year.wrap.classList.add("w4");
    setActive(day.input);
    return el("div", { class: "num-fields date-fields" }, [day.wrap, month.wrap, year.wrap]);
  }

  function choiceInputs(step, value) {
    const c = state.calc;
    const options = step.type === "yesno"
      ? [[true, { sl: t("yes"), en: t("yes"), hr: t("yes"), sr: t("yes") }], [false, { sl: t("no"), en: t("no"), hr: t("no"), sr: t("no") }]]
      : step.options;
    const row = el("div", { class: "choices" + (step.type === "yesno" ? " yesno" : "") });
    const refresh = () => {
      for (const b of row.children) b.setAttribute("aria-pressed", String(b._value === c.values[step.field]));
    };
    for (const [optionValue, label] of options) {
      const b = button(pick(label), () => {
        c.values[step.field] = optionValue;
        c.error = null;
        $("calcError").hidden = true;
        refresh();
      }, "choice", { "data-value": String(optionValue) });
      b._value = optionValue;
      row.append(b);
    }
    refresh();
    return row;
  }

  function numberPad(decimals) {
    const pad = el("div", { class: "numpad", role: "group", "aria-label": t("numberPad") });
    const keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9", decimals ? "," : "", "0", "⌫"];
    for (const k of keys) {
      if (!k) { pad.append(el("span", { class: "pad-gap" })); continue; }
      const b = button(k, () => padPress(k), "key pad-key", {
        "data-pad": k === "⌫" ? "back" : k, "aria-label": k === "⌫" ? t("backspace") : null });
      b.addEventListener("pointerdown", (ev) => ev.preventDefault());  // the field keeps the focus
      pad.append(b);
    }
    return pad;
  }

  const ADVANCE = { day: "month", month: "year" };

  function padPress(key) {
    const c = state.calc;
    if (!c || !c.active) return;
    const input = c.active;
    let v = input.value;
    if (key === "⌫") v = v.slice(0, -1);
    else if (key === "," && (v.includes(",") || !v)) return;
    else if (v.length < Number(input.getAttribute("maxlength") || 12)) v += key;
    input.value = v;
    input.classList.remove("invalid");
    input.removeAttribute("aria-invalid");
    const part = input.dataset.part;
    const max = Number(input.getAttribute("maxlength"));
    if (key !== "⌫" && ADVANCE[part] && v.length >= max && c.inputs[ADVANCE[part]]) {
      c.inputs[ADVANCE[part]].focus({ preventScroll: true });
      setActive(c.inputs[ADVANCE[part]]);
    } else {
      input.focus({ preventScroll: true });
    }
  }

  /** Read and check the step's answer: {value} or {errors: [...], parts: [...]} (GOV.UK: say how to fix it). */
  function readStep(step) {
    const c = state.calc;
    const get = (name) => (c.inputs[name] ? c.inputs[name].value.trim() : "");
    if (step.type === "choice" || step.type === "yesno") {
      const v = c.values[step.field];
      if (v === undefined || v === null) return step.optional ? { value: null } : { errors: [t("errChoose")], parts: [] };
      return { value: v };
    }
    if (step.type === "date") {
      const d = get("day");
      const m = get("month");
      const y = get("year");
      if (!d && !m && !y) {
        return step.optional ? { value: null } : { errors: [t("errDateMissing")], parts: ["day", "month", "year"] };
      }
      const errors = [];
      const parts = [];
      if (!d) { errors.push(t("errDayMissing")); parts.push("day"); } else if (Number(d) < 1 || Number(d) > 31) {
        errors.push(t("errDay")); parts.push("day");
      }
      if (!m) { errors.push(t("errMonthMissing")); parts.push("month"); } else if (Number(m) < 1 || Number(m) > 12) {
        errors.push(t("errMonth")); parts.push("month");
      }
      if (!y) { errors.push(t("errYearMissing")); parts.push("year"); } else if (y.length !== 4) {
        errors.push(t("errYear")); parts.push("year");
      } else if (Number(y) < 1990 || Number(y) > 2100) { errors.push(t("errYearRange")); parts.push("year"); }
      if (errors.length) return { errors: errors, parts: parts };
      const when = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
      if (when.getUTCMonth() !== Number(m) - 1) return { errors: [t("errNoDate")], parts: ["day", "month"] };
      return { value: y + "-" + String(m).padStart(2, "0") + "-" + String(d).padStart(2, "0") };
    }
    const max = typeof step.max === "number" ? step.max : Infinity;
    if (step.type === "duration") {
      const y = get("years");
      const m = get("months");
      if (!y && !m) return step.optional ? { value: null } : { errors: [t("errNumber")], parts: ["years", "months"] };
      const total = Number(y || 0) * 12 + Number(m || 0);
      if (step.positive && total <= 0) return { errors: [t("errPositive")], parts: ["years", "months"] };
      if (total > max) return { errors: [tf("errMax", { max: Math.floor(max / 12) + " × 12" })], parts: ["years"] };
      return { value: total };
    }
    const raw = get("value");
    if (!raw) return step.optional ? { value: null } : { errors: [t("errNumber")], parts: ["value"] };
    const n = Number(raw.replace(",", "."));
    if (!isFinite(n) || raw === ",") return { errors: [t("errNumber")], parts: ["value"] };
    if (step.positive && n <= 0) return { errors: [t("errPositive")], parts: ["value"] };
    if (n > max) return { errors: [tf("errMax", { max: CALC.format.num(max, state.lang) })], parts: ["value"] };
    return { value: step.type === "int" ? Math.round(n) : n };
  }

  function showStepErrors(errors, parts) {
    const c = state.calc;
    c.error = errors;
    c.errorParts = parts;
    const box = $("calcError");
    box.textContent = "";
    for (const m of errors) box.append(el("span", { class: "line", text: m }));
    box.hidden = false;
    for (const [name, input] of Object.entries(c.inputs)) {
      const bad = parts.includes(name);
      input.classList.toggle("invalid", bad);
      if (bad) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
    }
    const first = parts.length && c.inputs[parts[0]];
    if (first) { first.focus({ preventScroll: true }); setActive(first); }
  }

  /** Naprej / Izračunaj: check this step, remember its answer, go on (or calculate after the last). */
  function nextStep(skipped) {
    const c = state.calc;
    if (!c) return;
    if (c.result) {  // "Izračunaj znova": the same questions again, answers kept
      c.result = null;
      c.index = 0;
      renderCalc();
      focusStep();
      return;
    }
    const steps = calcSteps();
    const step = steps[c.index];
    if (!skipped) {
      const read = readStep(step);
      if (read.errors) { showStepErrors(read.errors, read.parts); return; }
      if (read.value === null) delete c.values[step.field];
      else c.values[step.field] = read.value;
    }
    c.error = null;
    c.errorParts = null;
    const after = calcSteps();
    const at = after.indexOf(step);
    if (at < after.length - 1) {
      c.index = at + 1;
      renderCalc();
      focusStep();
      $("main").scrollTop = 0;
      return;
    }
    submitCalc();
  }

  function prevStep() {
    const c = state.calc;
    if (!c) return;
    if (c.result) { clearPerson(false); show("start"); return; }
    c.error = null;
    c.errorParts = null;
    if (c.index === 0) { state.calc = null; renderCalc(); show("start"); return; }
    c.index -= 1;
    renderCalc();
    focusStep();
  }

  async function submitCalc() {
    const c = state.calc;
    const id = ++state.calcId;
    const inputs = {};
    for (const [k, v] of Object.entries(c.values)) if (v !== null && v !== undefined && v !== "") inputs[k] = v;
    $("calcNext").disabled = true;
    try {
      const res = await fetch("/api/calc/" + encodeURIComponent(c.def.kind), {
        method: "POST", headers: headers(true), body: JSON.stringify(inputs), cache: "no-store"
      });
      if (id !== state.calcId || state.calc !== c) return;
      if (!res.ok) throw await httpError(res);
      c.result = await res.json();
      renderCalc();
      $("main").scrollTop = 0;
      $("calcResult").focus({ preventScroll: true });
    } catch (err) {
      if (id !== state.calcId || state.calc !== c) return;
      const steps = calcSteps();
      const at = err && err.field ? steps.findIndex((s) => s.field === err.field) : -1;
      if (at >= 0) c.index = at;
      const message = err && err.http ? err.message : t("network");
      c.error = state.lang === "sl" || !(err && err.http) ? [message] : [t("checkAnswer"), message];
      c.errorParts = [];
      renderCalc();
    } finally {
      if (id === state.calcId) $("calcNext").disabled = false;
    }
  }

  /** The result: the figures large, the same in words, the rule it comes from (a tap shows the source). */
  function renderCalcResult(result) {
    const c = state.calc;
    const def = c.def;
    const lang = state.lang;
    const box = $("calcResult");
    box.textContent = "";
    box.setAttribute("tabindex", "-1");
    box.append(el("h3", { class: "result-title", text: t("result") }));
    let figures = [];
    try { figures = def.figures(result.outputs || {}, result.inputs || {}, lang); } catch (e) { figures = []; }
    const list = el("div", { class: "figures" });
    for (const f of figures) {
      if (f.value === undefined || f.value === null) continue;
      const isDate = /^\d{4}-\d{2}-\d{2}$/.test(String(f.value));
      const label = isDate ? f.label.charAt(0).toUpperCase() + f.label.slice(1) + ":" : f.label;
      const labelNode = el("span", { class: "fig-label", text: label });
      list.append(el("p", { class: "figure" + (f.big ? " big" : "") + (isDate ? " date" : ""), "data-key": f.key,
        "data-value": typeof f.value === "object" ? JSON.stringify(f.value) : String(f.value) }, [
        isDate ? labelNode : null,
        el("strong", { class: "fig-value", text: f.text }),
        f.sub ? el("span", { class: "fig-sub", text: f.sub }) : null,
        isDate ? null : labelNode
      ]));
    }
    box.append(list);
    let words = null;
    if (lang === "sl") words = result.summary;
    else {
      const make = def.words && (def.words[lang] || (lang === "sr" && def.words.hr));
      try { words = make ? make(result.outputs || {}, result.inputs || {}, lang) : null; } catch (e) { words = null; }
    }
    if (words) box.append(el("p", { class: "calc-words" }, [richText(words, true)]));
    if (lang === "sl") {
      for (const note of result.notes || []) box.append(el("p", { class: "calc-note", text: note }));
    } else if (def.caveat) {
      box.append(el("p", { class: "calc-note", text: pick(def.caveat) }));
    }
    const cites = [];
    for (const cite of result.citations || []) {
      if (cite && cite.chunk_id && cite.quote && !cites.some((x) => x.quote === cite.quote)) cites.push(cite);
    }
    if (cites.length) {
      const rule = el("section", { class: "rule" }, [el("h3", { text: t("rule") })]);
      if (lang !== "sl") rule.append(el("p", { class: "translation-mark", text: t("ruleInSl") }));
      cites.forEach((cite, i) => {
        rule.append(el("div", { class: "rule-row" }, [el("blockquote", { class: "quote", lang: "sl" }, [cite.quote]),
          button(t("source") + " " + (i + 1), () => openChunk(cite.chunk_id, cite.quote), "chip",
            { "data-chunk": cite.chunk_id })]));
      });
      box.append(rule);
    }
    if (result.steps && result.steps.length) {
      const steps = el("ol", { id: "calcSteps", class: "calc-steps", lang: "sl", hidden: true },
        result.steps.map((s) => el("li", { text: String(s) })));
      const toggle = button("", () => {
        steps.hidden = !steps.hidden;
        toggle.setAttribute("aria-expanded", String(!steps.hidden));
        toggle.querySelector(".icon").textContent = steps.hidden ? "▸" : "▾";
      }, "exact-toggle", { "aria-expanded": "false", "aria-controls": "calcSteps" });
      toggle.append(el("span", { class: "icon", "aria-hidden": "true", text: "▸" }),
        " " + t("howCalculated") + (lang === "sl" ? "" : " (" + t("inSlovenian") + ")"));
      box.append(toggle, steps);
    }
    box.append(el("p", { class: "note", text: t("calcDisclaimer") }));
    box.hidden = false;
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
      !state.contrast && $("sourceDialog").hidden && !state.request && !state.calc;
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
    if (state.beforeHelp === "answer" || state.beforeHelp === "calc" || (!keepTopic && state.beforeHelp === "topic")) {
      state.beforeHelp = "start";
    }
    clearAnswerView();
    state.stream = null;
    state.calc = null;
    state.calcId += 1;
    for (const id of ["questionText", "askedText", "askError", "sourceLabel", "sourceBody", "readAloudError",
      "helpReadError", "calcTitle", "calcStep", "calcResult", "calcProgress"]) {
      $(id).textContent = "";
    }
    $("readAloudError").hidden = true;
    $("helpReadError").hidden = true;
    $("calcResult").hidden = true;
    $("askError").hidden = true;
    if (state.screen === "calc") show("start");
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
    applyLanguageConfig();
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
    $("clearQuestion").addEventListener("click", clearText);
    $("exactToggle").addEventListener("click", () => setExactOpen($("exact").hidden));
    $("calcNext").addEventListener("click", () => nextStep(false));
    $("calcPrev").addEventListener("click", prevStep);
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
