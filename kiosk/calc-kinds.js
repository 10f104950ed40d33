/* Zaporni pomočnik – the calculator tiles: one per personal figure, each a few questions (one per step), and how
 * its result is shown in words and figures in sl / en / hr / sr-bs. The figures themselves always come from the
 * server's calculator (POST /api/calc/{kind}); this file only asks for the inputs and formats the outputs. */
"use strict";

(function () {
  // ---------------------------------------------------------------- formatting -------------------------------
  const MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December"];
  const WEEKDAYS = {
    sl: ["nedelja", "ponedeljek", "torek", "sreda", "četrtek", "petek", "sobota"],
    en: ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
    hr: ["nedjelja", "ponedjeljak", "utorak", "srijeda", "četvrtak", "petak", "subota"],
    sr: ["nedelja", "ponedeljak", "utorak", "sreda", "četvrtak", "petak", "subota"]
  };

  function pick(texts, lang) {
    if (!texts || typeof texts === "string") return texts || "";
    return texts[lang] || (lang === "sr" && texts.hr) || texts.sl || "";
  }

  /** Plural form: sl has one/two/few/many, hr and sr one/few/many, en one/many. */
  function plural(n, forms, lang) {
    const f = pick(forms, lang);
    const a = Math.abs(Math.round(n));
    if (lang === "en") return a === 1 ? f[0] : f[1];
    if (lang === "sl") {
      const r = a % 100;
      return r === 1 ? f[0] : r === 2 ? f[1] : (r === 3 || r === 4) ? f[2] : f[3];
    }
    const r10 = a % 10;
    const r100 = a % 100;
    if (r10 === 1 && r100 !== 11) return f[0];
    if (r10 >= 2 && r10 <= 4 && (r100 < 12 || r100 > 14)) return f[1];
    return f[2];
  }

  function parseIso(iso) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(iso || ""));
    return m ? { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) } : null;
  }

  function date(iso, lang) {
    const p = parseIso(iso);
    if (!p) return String(iso);
    if (lang === "en") return p.d + " " + MONTHS_EN[p.m - 1] + " " + p.y;
    return p.d + ". " + p.m + ". " + p.y;
  }

  function weekday(iso, lang) {
    const p = parseIso(iso);
    if (!p) return "";
    return pick(WEEKDAYS, lang)[new Date(Date.UTC(p.y, p.m - 1, p.d)).getUTCDay()];
  }

  function num(x, lang) {
    if (typeof x !== "number") return String(x);
    const s = Number.isInteger(x) ? String(x) : String(Math.round(x * 100) / 100);
    return lang === "en" ? s : s.replace(".", ",");
  }

  function money(x, lang) {
    const s = Number(x).toFixed(2);
    return lang === "en" ? "€" + s : s.replace(".", ",") + " EUR";
  }

  const F = { date: date, weekday: weekday, num: num, money: money, plural: plural, pick: pick };

  // ---------------------------------------------------------------- shared words -----------------------------
  const U = {
    months: { sl: "mesecev", en: "months", hr: "mjeseci", sr: "meseci" },
    days: { sl: "dni", en: "days", hr: "dana", sr: "dana" },
    weeks: { sl: "tednov", en: "weeks", hr: "tjedana", sr: "sedmica" },
    hours: { sl: "ur", en: "hours", hr: "sati", sr: "sati" },
    eur: { sl: "EUR", en: "EUR", hr: "EUR", sr: "EUR" }
  };
  const WEEK_FORMS = { sl: ["teden", "tedna", "tedni", "tednov"], en: ["week", "weeks"],
    hr: ["tjedan", "tjedna", "tjedana"], sr: ["sedmica", "sedmice", "sedmica"] };
  const MONTH_FORMS = { sl: ["mesec", "meseca", "meseci", "mesecev"], en: ["month", "months"],
    hr: ["mjesec", "mjeseca", "mjeseci"], sr: ["mesec", "meseca", "meseci"] };
  const HOUR_FORMS = { en: ["hour", "hours"], hr: ["sat", "sata", "sati"] };
  const DAY_FORMS = { en: ["day", "days"], hr: ["dan", "dana", "dana"] };
  const UNLIMITED = { sl: "brez omejitve", en: "no limit", hr: "bez ograničenja", sr: "bez ograničenja" };
  const YES = { sl: "DA", en: "YES", hr: "DA", sr: "DA" };
  const NO = { sl: "NE", en: "NO", hr: "NE", sr: "NE" };
  const LAST_DAY = { sl: "Zadnji dan kazni", en: "Last day of the sentence", hr: "Posljednji dan kazne",
    sr: "Poslednji dan kazne" };
  const RELEASE = { sl: "Dan odpusta", en: "Day of release", hr: "Dan otpusta", sr: "Dan otpusta" };

  // steps that several kinds share
  const START = {
    field: "sentence_start_date", type: "date",
    q: { sl: "Katerega dne ste nastopili kazen?", en: "On what day did your sentence start?",
      hr: "Kojeg ste dana počeli izdržavati kaznu?", sr: "Kog dana ste počeli da izdržavate kaznu?" }
  };
  const LENGTH = {
    field: "sentence_length_months", type: "duration", max: 1200, positive: true,
    q: { sl: "Na koliko časa ste obsojeni?", en: "How long is your sentence?",
      hr: "Na koliko ste vremena osuđeni?", sr: "Na koliko ste vremena osuđeni?" },
    hint: { sl: "Vpišite leta in mesece. Na primer 1 leto in 6 mesecev.",
      en: "Enter years and months. For example 1 year and 6 months.",
      hr: "Upišite godine i mjesece. Na primjer 1 godina i 6 mjeseci.",
      sr: "Upišite godine i mesece. Na primer 1 godina i 6 meseci." }
  };
  const LAST_DAY_STEP = {
    field: "last_day_of_sentence", type: "date",
    q: { sl: "Kateri je zadnji dan vaše kazni?", en: "What is the last day of your sentence?",
      hr: "Koji je posljednji dan vaše kazne?", sr: "Koji je poslednji dan vaše kazne?" },
    hint: { sl: "Datum je na vašem sklepu ali vam ga pove osebje.",
      en: "The date is on your decision, or the staff can tell you.",
      hr: "Datum je na vašem rješenju ili vam ga kaže osoblje.",
      sr: "Datum je na vašem rešenju ili vam ga kaže osoblje." }
  };

  function fig(key, value, text, label, big) {
    return { key: key, value: value, text: text, label: label, big: big !== false };
  }

  function hoursText(n, lang) {
    if (lang === "sl") return num(n, lang);
    return num(n, lang) + " " + plural(n, HOUR_FORMS, lang);
  }

  // ---------------------------------------------------------------- the kinds --------------------------------
  const KINDS = [
    {
      kind: "leave_days", icon: "☀",
      title: { sl: "Dopust za delo", en: "Leave for work", hr: "Godišnji odmor za rad", sr: "Godišnji odmor za rad" },
      steps: [{
        field: "full_time_months", type: "int", max: 1200, unit: U.months,
        q: { sl: "Koliko mesecev ste delali s polnim delovnim časom?", en: "How many months have you worked full time?",
          hr: "Koliko ste mjeseci radili puno radno vrijeme?", sr: "Koliko ste meseci radili puno radno vreme?" }
      }],
      figures: (o, i, lang) => [fig("total_leave_days", o.total_leave_days, num(o.total_leave_days, lang),
        pick({ sl: "dni letnega dopusta", en: "days of annual leave", hr: "dana godišnjeg odmora",
          sr: "dana godišnjeg odmora" }, lang))],
      words: {
        en: (o) => "You are entitled to " + o.total_leave_days + " " + plural(o.total_leave_days, DAY_FORMS, "en") +
          " of annual leave.",
        hr: (o) => "Imate pravo na " + o.total_leave_days + " " + plural(o.total_leave_days, DAY_FORMS, "hr") +
          " godišnjeg odmora."
      }
    },
    {
      kind: "visits", icon: "☺",
      title: { sl: "Moji obiski", en: "My visits", hr: "Moji posjeti", sr: "Moje posete" },
      steps: [
        {
          field: "visit_type", type: "choice", optional: true,
          q: { sl: "Ali so vaši obiski nadzorovani ali nenadzorovani?", en: "Are your visits supervised or unsupervised?",
            hr: "Jesu li vaši posjeti nadzirani ili nenadzirani?", sr: "Da li su vaše posete nadzirane ili nenadzirane?" },
          options: [
            ["nadzorovan", { sl: "Nadzorovani", en: "Supervised", hr: "Nadzirani", sr: "Nadzirane" }],
            ["nenadzorovan", { sl: "Nenadzorovani", en: "Unsupervised", hr: "Nenadzirani", sr: "Nenadzirane" }]
          ]
        },
        {
          field: "location", type: "choice", optional: true, when: (v) => v.visit_type === "nenadzorovan",
          q: { sl: "Kje bo obisk?", en: "Where will the visit be?", hr: "Gdje će biti posjet?", sr: "Gde će biti poseta?" },
          options: [
            ["v zavodu", { sl: "V zavodu", en: "In the prison", hr: "U zatvoru", sr: "U zatvoru" }],
            ["zunaj zavoda", { sl: "Zunaj zavoda", en: "Outside the prison", hr: "Izvan zatvora", sr: "Van zatvora" }],
            ["ločen namenski prostor z možnostjo nočitve", { sl: "V posebni sobi s prenočitvijo",
              en: "In a private room with an overnight stay", hr: "U posebnoj sobi s noćenjem",
              sr: "U posebnoj sobi sa noćenjem" }]
          ]
        },
        {
          field: "weeks", type: "int", max: 5200, unit: U.weeks, optional: true,
          q: { sl: "Za koliko tednov naj izračunam obiske?", en: "For how many weeks should I count the visits?",
            hr: "Za koliko tjedana da izračunam posjete?", sr: "Za koliko sedmica da izračunam posete?" }
        }
      ],
      figures: (o, i, lang) => {
        const out = [];
        if (o.min_visits !== undefined) {
          out.push(fig("min_visits", o.min_visits, num(o.min_visits, lang), pick({
            sl: "obiskov najmanj v " + i.weeks + " " + plural(i.weeks, { sl: ["tednu", "tednih", "tednih", "tednih"] }, "sl"),
            en: "visits at least in " + i.weeks + " " + plural(i.weeks, WEEK_FORMS, "en"),
            hr: "posjeta najmanje u " + i.weeks + " " + plural(i.weeks, { hr: ["tjednu", "tjedna", "tjedana"] }, "hr"),
            sr: "poseta najmanje za " + i.weeks + " " + plural(i.weeks, WEEK_FORMS, "sr")
          }, lang)));
        }
        if (o.max_duration_hours !== undefined) {
          out.push(fig("max_duration_hours", o.max_duration_hours, hoursText(o.max_duration_hours, lang), pick({
            sl: "ur največ traja en obisk", en: "at most for one visit", hr: "najduže traje jedan posjet",
            sr: "najduže traje jedna poseta" }, lang)));
        }
        out.push(fig("min_duration_hours", o.min_duration_hours, hoursText(o.min_duration_hours, lang), pick({
          sl: "ura najmanj za en obisk", en: "at least for one visit", hr: "najmanje za jedan posjet",
          sr: "najmanje za jednu posetu" }, lang), o.max_duration_hours === undefined));
        return out;
      },
      words: {
        en: (o, i) => "A visit lasts at least " + hoursText(o.min_duration_hours, "en") +
          (o.max_duration_hours !== undefined ? " and at most " + hoursText(o.max_duration_hours, "en") : "") + "." +
          (o.min_visits !== undefined ? " In " + i.weeks + " " + plural(i.weeks, WEEK_FORMS, "en") +
            " your close family can visit you at least " + o.min_visits + " times." : ""),
        hr: (o, i, lang) => (lang === "sr" ? "Poseta traje najmanje " : "Posjet traje najmanje ") +
          hoursText(o.min_duration_hours, "hr") +
          (o.max_duration_hours !== undefined ? ", a najduže " + hoursText(o.max_duration_hours, "hr") : "") + "." +
          (o.min_visits !== undefined ? (lang === "sr" ? " Za " : " U ") + i.weeks + " " +
            plural(i.weeks, lang === "sr" ? WEEK_FORMS : { hr: ["tjednu", "tjedna", "tjedana"] }, lang) +
            (lang === "sr" ? " uža porodica vas može posetiti najmanje " : " uža obitelj vas može posjetiti najmanje ") +
            o.min_visits + " puta." : "")
      },
      caveat: { en: "Close family: spouse or partner, parents, grandparents, children, grandchildren, brothers and sisters, adoptive and step-family.",
        hr: "Uža obitelj: bračni ili izvanbračni partner, roditelji, djedovi i bake, djeca, unuci, braća i sestre, posvojitelji i posvojenici, očuh, maćeha i pastorčad.",
        sr: "Uža porodica: bračni ili vanbračni partner, roditelji, babe i dede, deca, unuci, braća i sestre, usvojitelji i usvojenici, očuh, maćeha i pastorčad." }
    },
    {
      kind: "packages", icon: "✉",
      title: { sl: "Moji paketi", en: "My parcels", hr: "Moji paketi", sr: "Moji paketi" },
      steps: [
        {
          field: "regime", type: "choice",
          q: { sl: "V katerem režimu ste?", en: "Which regime are you in?", hr: "U kojem ste režimu?",
            sr: "U kom ste režimu?" },
          hint: { sl: "Če ne veste, vprašajte osebje.", en: "If you do not know, ask the staff.",
            hr: "Ako ne znate, pitajte osoblje.", sr: "Ako ne znate, pitajte osoblje." },
          options: [
            ["zaprti", { sl: "Zaprti režim", en: "Closed regime", hr: "Zatvoreni režim", sr: "Zatvoreni režim" }],
            ["polodprti", { sl: "Polodprti režim", en: "Semi-open regime", hr: "Poluotvoreni režim",
              sr: "Poluotvoreni režim" }],
            ["odprti", { sl: "Odprti režim", en: "Open regime", hr: "Otvoreni režim", sr: "Otvoreni režim" }]
          ]
        },
        {
          field: "period_months", type: "int", max: 1200, unit: U.months, optional: true,
          q: { sl: "Za koliko mesecev naj izračunam pakete?", en: "For how many months should I count the parcels?",
            hr: "Za koliko mjeseci da izračunam pakete?", sr: "Za koliko meseci da izračunam pakete?" }
        }
      ],
      figures: (o, i, lang) => {
        const count = (v) => (typeof v === "number" ? num(v, lang) : pick(UNLIMITED, lang));
        const inMonths = i.period_months !== undefined && i.period_months !== null ? {
          sl: " v " + i.period_months + " " + plural(i.period_months, { sl: ["mesecu", "mesecih", "mesecih", "mesecih"] }, "sl"),
          en: " in " + i.period_months + " " + plural(i.period_months, MONTH_FORMS, "en"),
          hr: " u " + i.period_months + " " + plural(i.period_months, { hr: ["mjesecu", "mjeseca", "mjeseci"] }, "hr"),
          sr: " za " + i.period_months + " " + plural(i.period_months, MONTH_FORMS, "sr")
        } : null;
        const out = [fig("food_parcels_per_year", o.food_parcels_per_year, count(o.food_parcels_per_year), pick({
          sl: "paketov s hrano na leto", en: "food parcels a year", hr: "paketa s hranom godišnje",
          sr: "paketa sa hranom godišnje" }, lang))];
        const linen = { sl: "paketov s perilom in osebnimi stvarmi", en: "parcels with clothes and personal things",
          hr: "paketa s rubljem i osobnim stvarima", sr: "paketa sa vešom i ličnim stvarima" };
        if (o.linen_personal_items_parcels !== undefined) {
          out.push(fig("linen_personal_items_parcels", o.linen_personal_items_parcels,
            count(o.linen_personal_items_parcels), pick(linen, lang) + (inMonths ? pick(inMonths, lang) : "")));
        }
        for (const [key, per] of [["linen_personal_items_parcels_per_month", { sl: " na mesec", en: " a month",
          hr: " mjesečno", sr: " mesečno" }], ["linen_personal_items_parcels_per_week", { sl: " na teden",
          en: " a week", hr: " tjedno", sr: " nedeljno" }]]) {
          if (o[key] !== undefined) out.push(fig(key, o[key], count(o[key]), pick(linen, lang) + pick(per, lang)));
        }
        out.push(fig("press_and_book_parcels", o.press_and_book_parcels, count(o.press_and_book_parcels), pick({
          sl: "paketi s časopisi, revijami in knjigami", en: "parcels with newspapers, magazines and books",
          hr: "paketi s novinama, časopisima i knjigama", sr: "paketi sa novinama, časopisima i knjigama" }, lang),
          false));
        return out;
      },
      words: {
        en: (o) => typeof o.food_parcels_per_year === "number"
          ? "You can receive " + o.food_parcels_per_year + " food parcels a year. Newspapers, magazines and books have no limit."
          : "In the open regime the number of parcels has no limit.",
        hr: (o) => typeof o.food_parcels_per_year === "number"
          ? "Možete primiti " + o.food_parcels_per_year + " paketa s hranom godišnje. Novine, časopisi i knjige nisu ograničeni."
          : "U otvorenom režimu broj paketa nije ograničen."
      },
      caveat: { en: "The yearly limit for food parcels is not split by month.",
        hr: "Godišnje ograničenje paketa s hranom ne dijeli se po mjesecima.",
        sr: "Godišnje ograničenje paketa sa hranom ne deli se po mesecima." }
    },
    {
      kind: "savings", icon: "€",
      title: { sl: "Prihranek in denar", en: "Savings and money", hr: "Ušteđevina i novac", sr: "Ušteđevina i novac" },
      steps: [
        {
          field: "monthly_pay_eur", type: "money", max: 10000000, unit: U.eur,
          q: { sl: "Koliko je vaše plačilo za delo ta mesec?", en: "How much is your pay for work this month?",
            hr: "Koliko iznosi vaša plaća za rad ovaj mjesec?", sr: "Koliko iznosi vaša plata za rad ovaj mesec?" }
        },
        {
          field: "monthly_social_assistance_eur", type: "money", max: 10000000, unit: U.eur, positive: true,
          q: { sl: "Koliko znaša mesečna denarna socialna pomoč?", en: "How much is the monthly social assistance payment?",
            hr: "Koliko iznosi mjesečna novčana socijalna pomoć?", sr: "Koliko iznosi mesečna novčana socijalna pomoć?" },
          hint: { sl: "Znesek vam pove osebje. Priročnik ga ne navaja.",
            en: "The staff can tell you the amount. The handbook does not give it.",
            hr: "Iznos vam može reći osoblje. Priručnik ga ne navodi.",
            sr: "Iznos vam može reći osoblje. Priručnik ga ne navodi." }
        },
        {
          field: "current_mandatory_savings_eur", type: "money", max: 10000000, unit: U.eur, optional: true,
          q: { sl: "Koliko imate že zbranega na obveznem prihranku?", en: "How much is already in your mandatory savings?",
            hr: "Koliko već imate na obveznoj ušteđevini?", sr: "Koliko već imate na obaveznoj ušteđevini?" }
        }
      ],
      figures: (o, i, lang) => {
        const out = [
          fig("mandatory_saving_this_month_eur", o.mandatory_saving_this_month_eur,
            money(o.mandatory_saving_this_month_eur, lang), pick({ sl: "gre ta mesec na obvezni prihranek",
              en: "goes to mandatory savings this month", hr: "ide ovaj mjesec na obveznu ušteđevinu",
              sr: "ide ovaj mesec na obaveznu ušteđevinu" }, lang)),
          fig("freely_usable_this_month_eur", o.freely_usable_this_month_eur, money(o.freely_usable_this_month_eur, lang),
            pick({ sl: "vam prosto ostane", en: "is left for you to use", hr: "vam ostaje slobodno",
              sr: "vam ostaje slobodno" }, lang)),
          fig("savings_threshold_eur", o.savings_threshold_eur, money(o.savings_threshold_eur, lang), pick({
            sl: "je prag prihranka", en: "is the savings limit", hr: "je prag ušteđevine", sr: "je prag ušteđevine" },
          lang), false)
        ];
        if (o.months_to_reach_threshold !== undefined) {
          out.push(fig("months_to_reach_threshold", o.months_to_reach_threshold, num(o.months_to_reach_threshold, lang),
            pick({ sl: "mesecev do praga (pri enakem plačilu)", en: "months until the limit (with the same pay)",
              hr: "mjeseci do praga (uz istu plaću)", sr: "meseci do praga (uz istu platu)" }, lang), false));
        }
        return out;
      },
      words: {
        en: (o) => "This month " + money(o.mandatory_saving_this_month_eur, "en") + " goes to your mandatory savings and " +
          money(o.freely_usable_this_month_eur, "en") + " is left for you.",
        hr: (o, i, lang) => "Ovaj mjesec na obveznu ušteđevinu ide " + money(o.mandatory_saving_this_month_eur, lang) +
          ", a slobodno vam ostaje " + money(o.freely_usable_this_month_eur, lang) + "."
      },
      caveat: { en: "20 % of your pay is saved until the savings reach three monthly social assistance payments.",
        hr: "20 % plaće štedi se dok ušteđevina ne dosegne tri mjesečne novčane socijalne pomoći.",
        sr: "20 % plate štedi se dok ušteđevina ne dostigne tri mesečne novčane socijalne pomoći." }
    },
    {
      kind: "release_day", icon: "⌂",
      title: { sl: "Dan odpusta", en: "Release day", hr: "Dan otpusta", sr: "Dan otpusta" },
      steps: [LAST_DAY_STEP],
      figures: (o, i, lang) => [
        Object.assign(fig("release_date", o.release_date, date(o.release_date, lang), pick(RELEASE, lang)),
          { sub: weekday(o.release_date, lang) }),
        fig("last_day_of_sentence", o.last_day_of_sentence, date(o.last_day_of_sentence, lang), pick(LAST_DAY, lang), false)
      ],
      words: {
        en: (o) => "You will be released on " + weekday(o.release_date, "en") + ", " + date(o.release_date, "en") + ".",
        hr: (o, i, lang) => (lang === "sr" ? "Bićete" : "Bit ćete") + " otpušteni u " + weekday(o.release_date, lang) + ", " +
          date(o.release_date, lang) + "."
      },
      caveat: { en: "If the last day is a Sunday, a public holiday or another day off, you are released on the working day before.",
        hr: "Ako je posljednji dan nedjelja, državni praznik ili neradni dan, otpušteni ste radni dan prije.",
        sr: "Ako je poslednji dan nedelja, državni praznik ili neradni dan, otpušteni ste radni dan pre." }
    },
    {
      kind: "sentence_end", icon: "⚑",
      title: { sl: "Konec kazni", en: "End of sentence", hr: "Kraj kazne", sr: "Kraj kazne" },
      steps: [START, LENGTH, {
        field: "credited_pripor_days", type: "int", max: 36600, unit: U.days, optional: true,
        q: { sl: "Koliko dni ste bili v priporu pred kaznijo?", en: "How many days were you in custody (pripor) before the sentence?",
          hr: "Koliko ste dana bili u istražnom zatvoru prije kazne?", sr: "Koliko ste dana bili u pritvoru pre kazne?" },
        hint: { sl: "Če niste bili v priporu, vpišite 0.", en: "If you were not in custody, enter 0.",
          hr: "Ako niste bili u istražnom zatvoru, upišite 0.", sr: "Ako niste bili u pritvoru, upišite 0." }
      }],
      figures: (o, i, lang) => [
        fig("last_day_of_sentence", o.last_day_of_sentence, date(o.last_day_of_sentence, lang), pick(LAST_DAY, lang)),
        Object.assign(fig("release_date", o.release_date, date(o.release_date, lang), pick(RELEASE, lang)),
          { sub: weekday(o.release_date, lang) })
      ],
      words: {
        en: (o) => "The last day of your sentence is " + date(o.last_day_of_sentence, "en") + "; you will be released on " +
          weekday(o.release_date, "en") + ", " + date(o.release_date, "en") + ".",
        hr: (o, i, lang) => (lang === "sr" ? "Poslednji" : "Posljednji") + " dan vaše kazne je " +
          date(o.last_day_of_sentence, lang) + (lang === "sr" ? "; bićete otpušteni u " : "; bit ćete otpušteni u ") + weekday(o.release_date, lang) + ", " + date(o.release_date, lang) + "."
      }
    },
    {
      kind: "early_release", icon: "➚",
      title: { sl: "Predčasni odpust", en: "Early release", hr: "Prijevremeni otpust", sr: "Prevremeni otpust" },
      steps: [START, LENGTH],
      figures: (o, i, lang) => [
        fig("earliest_possible_release_date", o.earliest_possible_release_date,
          date(o.earliest_possible_release_date, lang), pick({ sl: "najprej izpolnjen časovni pogoj",
            en: "time condition met at the earliest", hr: "vremenski uvjet ispunjen najranije",
            sr: "vremenski uslov ispunjen najranije" }, lang)),
        fig("last_day_of_sentence", o.last_day_of_sentence, date(o.last_day_of_sentence, lang), pick(LAST_DAY, lang), false)
      ],
      words: {
        en: (o) => "The time condition for early release is met on " + date(o.earliest_possible_release_date, "en") +
          " at the earliest; the last day of your sentence is " + date(o.last_day_of_sentence, "en") + ".",
        hr: (o, i, lang) => "Vremenski " + (lang === "sr" ? "uslov" : "uvjet") + " za " +
          (lang === "sr" ? "prevremeni" : "prijevremeni") + " otpust ispunjen je najranije " +
          date(o.earliest_possible_release_date, lang) + "; " + (lang === "sr" ? "poslednji" : "posljednji") +
          " dan kazne je " + date(o.last_day_of_sentence, lang) + "."
      },
      caveat: { en: "This is only the time condition. Early release is not a right: your behaviour, your work and your activities count too.",
        hr: "Ovo je samo vremenski uvjet. Prijevremeni otpust nije pravo: važni su i vaše ponašanje, rad i aktivnosti.",
        sr: "Ovo je samo vremenski uslov. Prevremeni otpust nije pravo: važni su i vaše ponašanje, rad i aktivnosti." }
    },
    {
      kind: "parole_eligibility", icon: "⚖",
      title: { sl: "Pogojni odpust", en: "Parole", hr: "Uvjetni otpust", sr: "Uslovni otpust" },
      steps: [START, LENGTH],
      figures: (o, i, lang) => {
        const out = [fig("eligible_from", o.eligible_from, date(o.eligible_from, lang), pick({
          sl: "lahko zaprosite (po polovici kazni)", en: "you can apply (after half of the sentence)",
          hr: "možete podnijeti molbu (nakon polovice kazne)", sr: "možete podneti molbu (nakon polovine kazne)" }, lang))];
        if (o.one_third_served_on) {
          out.push(fig("one_third_served_on", o.one_third_served_on, date(o.one_third_served_on, lang), pick({
            sl: "izjemoma že (po tretjini kazni)", en: "in exceptional cases already (after a third)",
            hr: "iznimno već (nakon trećine kazne)", sr: "izuzetno već (nakon trećine kazne)" }, lang), false));
        }
        if (o.last_day_of_sentence) {
          out.push(fig("last_day_of_sentence", o.last_day_of_sentence, date(o.last_day_of_sentence, lang),
            pick(LAST_DAY, lang), false));
        }
        return out;
      },
      words: {
        en: (o) => "The time condition for parole is met on " + date(o.eligible_from, "en") +
          (o.one_third_served_on ? "; in exceptional cases already on " + date(o.one_third_served_on, "en") : "") + ".",
        hr: (o, i, lang) => "Vremenski " + (lang === "sr" ? "uslov za uslovni" : "uvjet za uvjetni") +
          " otpust ispunjen je " + date(o.eligible_from, lang) +
          (o.one_third_served_on ? "; " + (lang === "sr" ? "izuzetno" : "iznimno") + " već " +
            date(o.one_third_served_on, lang) : "") + "."
      },
      caveat: { en: "The parole commission decides. Meeting the time condition does not guarantee parole.",
        hr: "Odluku donosi povjerenstvo za uvjetni otpust. Vremenski uvjet ne jamči otpust.",
        sr: "Odluku donosi komisija za uslovni otpust. Vremenski uslov ne garantuje otpust." }
    },
    {
      kind: "child_stay", icon: "♥",
      title: { sl: "Otrok pri meni", en: "My child with me", hr: "Dijete sa mnom", sr: "Dete sa mnom" },
      steps: [
        {
          field: "child_birth_date", type: "date",
          q: { sl: "Katerega dne se je rodil vaš otrok?", en: "On what day was your child born?",
            hr: "Kojeg se dana rodilo vaše dijete?", sr: "Kog dana se rodilo vaše dete?" }
        },
        {
          field: "mother_last_day_of_sentence", type: "date", q: LAST_DAY_STEP.q, hint: LAST_DAY_STEP.hint
        },
        {
          field: "special_health_social_or_other_reasons", type: "yesno", optional: true,
          q: { sl: "Ali obstajajo posebni zdravstveni, socialni ali drugi razlogi, da otrok ostane pri vas?",
            en: "Are there special health, social or other reasons for the child to stay with you?",
            hr: "Postoje li posebni zdravstveni, socijalni ili drugi razlozi da dijete ostane s vama?",
            sr: "Da li postoje posebni zdravstveni, socijalni ili drugi razlozi da dete ostane sa vama?" }
        }
      ],
      figures: (o, i, lang) => [fig("child_may_stay_until", o.child_may_stay_until, date(o.child_may_stay_until, lang),
        pick({ sl: "do tega dne sme otrok ostati pri vas", en: "your child may stay with you until this day",
          hr: "do tog dana dijete smije ostati s vama", sr: "do tog dana dete sme da ostane sa vama" }, lang))],
      words: {
        en: (o) => "Your child may stay with you until " + date(o.child_may_stay_until, "en") + ".",
        hr: (o, i, lang) => (lang === "sr" ? "Dete sme da ostane sa vama do " : "Dijete smije ostati s vama do ") +
          date(o.child_may_stay_until, lang) + "."
      },
      caveat: { en: "A child may stay until its first birthday; until its second birthday if there are special reasons and your sentence ends by then.",
        hr: "Dijete smije ostati do prvog rođendana; do drugog ako postoje posebni razlozi i ako vam kazna do tada istječe.",
        sr: "Dete sme da ostane do prvog rođendana; do drugog ako postoje posebni razlozi i ako vam kazna do tada ističe." }
    },
    {
      kind: "extra_meal", icon: "☕",
      title: { sl: "Dodatni obrok", en: "Extra meal", hr: "Dodatni obrok", sr: "Dodatni obrok" },
      steps: [
        {
          field: "daily_work_or_work_therapy_hours", type: "decimal", max: 24, unit: U.hours,
          q: { sl: "Koliko ur na dan delate ali ste v delovni terapiji?",
            en: "How many hours a day do you work or take part in work therapy?",
            hr: "Koliko sati dnevno radite ili ste u radnoj terapiji?", sr: "Koliko sati dnevno radite ili ste u radnoj terapiji?" },
          hint: { sl: "Če ne delate, vpišite 0.", en: "If you do not work, enter 0.", hr: "Ako ne radite, upišite 0.",
            sr: "Ako ne radite, upišite 0." }
        },
        {
          field: "pregnant_or_breastfeeding", type: "yesno",
          q: { sl: "Ali ste noseči ali dojite?", en: "Are you pregnant or breastfeeding?", hr: "Jeste li trudni ili dojite?",
            sr: "Da li ste trudni ili dojite?" }
        }
      ],
      figures: (o, i, lang) => [
        fig("meals_per_day", o.meals_per_day, num(o.meals_per_day, lang), pick({ sl: "obrokov na dan",
          en: "meals a day", hr: "obroka dnevno", sr: "obroka dnevno" }, lang)),
        fig("extra_meal", o.extra_meal, pick(o.extra_meal ? YES : NO, lang), pick({ sl: "dodatni obrok",
          en: "extra meal", hr: "dodatni obrok", sr: "dodatni obrok" }, lang), false)
      ],
      words: {
        en: (o) => (o.extra_meal ? "You get an extra meal: " : "You do not get an extra meal: ") + o.meals_per_day +
          " meals a day.",
        hr: (o) => (o.extra_meal ? "Pripada vam dodatni obrok: " : "Dodatni obrok vam ne pripada: ") + o.meals_per_day +
          " obroka dnevno."
      },
      caveat: { en: "Everyone gets 3 meals a day; an extra meal is for work or work therapy of at least 4 hours a day, and in pregnancy or while breastfeeding.",
        hr: "Svi dobivaju 3 obroka dnevno; dodatni obrok pripada uz rad ili radnu terapiju najmanje 4 sata dnevno te u trudnoći ili dok dojite.",
        sr: "Svi dobijaju 3 obroka dnevno; dodatni obrok pripada uz rad ili radnu terapiju najmanje 4 sata dnevno i u trudnoći ili dok dojite." }
    },
    {
      kind: "education_rest_days", icon: "✎",
      title: { sl: "Počitek za šolanje", en: "Rest days for school", hr: "Odmor za školovanje", sr: "Odmor za školovanje" },
      steps: [{
        field: "months_successfully_completed", type: "int", max: 1200, unit: U.months,
        q: { sl: "Koliko mesecev izobraževanja ste uspešno opravili?",
          en: "How many months of education have you completed successfully?",
          hr: "Koliko ste mjeseci obrazovanja uspješno završili?", sr: "Koliko ste meseci obrazovanja uspešno završili?" }
      }],
      figures: (o, i, lang) => [fig("total_rest_days", o.total_rest_days, num(o.total_rest_days, lang), pick({
        sl: "dni letnega počitka", en: "rest days a year", hr: "dana godišnjeg odmora za obrazovanje",
        sr: "dana godišnjeg odmora za obrazovanje" }, lang))],
      words: {
        en: (o) => "You are entitled to " + o.total_rest_days + " " + plural(o.total_rest_days, DAY_FORMS, "en") +
          " of annual rest.",
        hr: (o) => "Imate pravo na " + o.total_rest_days + " " + plural(o.total_rest_days, DAY_FORMS, "hr") +
          " godišnjeg odmora za obrazovanje."
      }
    },
    {
      kind: "weekend_prison_eligibility", icon: "☾",
      title: { sl: "Zapor ob koncu tedna", en: "Weekend prison", hr: "Zatvor vikendom", sr: "Zatvor vikendom" },
      steps: [
        Object.assign({}, LENGTH, { field: "sentence_months", positive: true }),
        {
          field: "offence_against_sexual_integrity", type: "yesno",
          q: { sl: "Ali gre za kaznivo dejanje zoper spolno nedotakljivost?",
            en: "Is it a criminal offence against sexual integrity?",
            hr: "Radi li se o kaznenom djelu protiv spolne nepovredivosti?",
            sr: "Da li je reč o krivičnom delu protiv polne nepovredivosti?" }
        },
        {
          field: "status", type: "choice", optional: true,
          q: { sl: "Kaj počnete zunaj zapora?", en: "What do you do outside prison?", hr: "Čime se bavite izvan zatvora?",
            sr: "Čime se bavite van zatvora?" },
          options: [
            ["zaposlena", { sl: "Zaposlena sem", en: "I am employed", hr: "Zaposlena sam", sr: "Zaposlena sam" }],
            ["samozaposlena", { sl: "Samozaposlena sem", en: "I am self-employed", hr: "Samozaposlena sam",
              sr: "Samozaposlena sam" }],
            ["kmetica", { sl: "Kmetujem", en: "I am a farmer", hr: "Bavim se poljoprivredom", sr: "Bavim se poljoprivredom" }],
            ["dijakinja, se redno šola", { sl: "Redno hodim v šolo", en: "I go to school regularly",
              hr: "Redovito se školujem", sr: "Redovno se školujem" }],
            ["študentka, redno študira", { sl: "Redno študiram", en: "I study regularly at university",
              hr: "Redovito studiram", sr: "Redovno studiram" }],
            ["nezaposlena", { sl: "Nič od tega", en: "None of these", hr: "Ništa od toga", sr: "Ništa od toga" }]
          ]
        }
      ],
      figures: (o, i, lang) => [fig("meets_stated_conditions", o.meets_stated_conditions,
        pick(o.meets_stated_conditions ? YES : NO, lang), pick({ sl: "izpolnjujete navedene pogoje",
          en: "you meet the stated conditions", hr: "ispunjavate navedene uvjete", sr: "ispunjavate navedene uslove" }, lang))],
      words: {
        en: (o) => (o.meets_stated_conditions ? "You meet the stated conditions for weekend prison; the court decides."
          : "You do not meet the conditions for weekend prison: " + reasons(o, "en") + "."),
        hr: (o, i, lang) => (o.meets_stated_conditions
          ? "Ispunjavate navedene " + (lang === "sr" ? "uslove" : "uvjete") + " za zatvor vikendom; odlučuje sud."
          : "Ne ispunjavate " + (lang === "sr" ? "uslove" : "uvjete") + " za zatvor vikendom: " + reasons(o, lang) + ".")
      },
      caveat: { en: "The court also judges whether you can be trusted, and decides.",
        hr: "Sud procjenjuje i može li vam se vjerovati te odlučuje.",
        sr: "Sud procenjuje i da li vam se može verovati i odlučuje." }
    }
  ];

  const REASONS = [
    [/daljša/, { en: "the sentence is longer than 3 years", hr: "kazna je dulja od 3 godine", sr: "kazna je duža od 3 godine" }],
    [/spolno/, { en: "the offence is against sexual integrity", hr: "kazneno djelo je protiv spolne nepovredivosti",
      sr: "krivično delo je protiv polne nepovredivosti" }],
    [/status/, { en: "you are not employed, self-employed, farming or in regular education",
      hr: "niste zaposleni, samozaposleni, ne bavite se poljoprivredom i ne školujete se redovito",
      sr: "niste zaposleni, samozaposleni, ne bavite se poljoprivredom i ne školujete se redovno" }]
  ];

  function reasons(o, lang) {
    return (o.failed_conditions || []).map((text) => {
      const hit = REASONS.find(([re]) => re.test(text));
      return hit ? pick(hit[1], lang) : text;
    }).join("; ");
  }

  window.KIOSK_CALC = Object.freeze({ kinds: KINDS, format: F });
})();
