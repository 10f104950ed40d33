"""Input fields: labels, follow-up questions, lenient parsing and the Slovenian validation messages.

Values are parsed leniently before validation (``"3,5"``, ``"15. 3. 2025"``, ``"da"``, ``"zaprtem"``) and
rejected with a :class:`CalculatorInputError` that names the field and says why, in Slovenian.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from .rules import RuleBook, load_rules


class CalculatorInputError(Exception):
    """An input the calculator cannot use: ``field`` names it, ``message`` says why (Slovenian sentence)."""

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {"field": self.field, "error": self.message}


# --- field catalogue ----------------------------------------------------------------------------------------

FieldType = Literal["count", "number", "eur", "date", "bool", "choice", "text", "hours_list", "dims"]


@dataclass(frozen=True)
class FieldSpec:
    """How one input is labelled, asked for, parsed and bounded."""

    label: str  # Slovenian noun phrase, lowercase ("število mesecev dela")
    type: FieldType
    question: str  # follow-up question when the figure is missing
    gender: Literal["m", "f", "n"] = "n"  # grammatical gender of the label's head noun (for adjectives)
    max_limit: str | None = None  # key in rules.toml [limits]
    positive: bool = False  # must be > 0, not just >= 0


def _adj(stem: str, gender: str) -> str:
    return stem + {"m": "en", "f": "na", "n": "no"}[gender]


def _bigger(gender: str) -> str:
    return {"m": "večji", "f": "večja", "n": "večje"}[gender]


FIELDS: dict[str, FieldSpec] = {
    # dates
    "sentence_start_date": FieldSpec(
        "začetek prestajanja kazni", "date", "Katerega dne ste nastopili kazen (npr. 15. 3. 2025)?", "m"
    ),
    "sentence_last_day": FieldSpec("zadnji dan kazni", "date", "Kateri je zadnji dan vaše kazni?", "m"),
    "last_day_of_sentence": FieldSpec("zadnji dan kazni", "date", "Kateri je zadnji dan vaše kazni?", "m"),
    "reference_date": FieldSpec(
        "datum preverjanja", "date", "Za kateri datum naj preverim časovni pogoj?", "m"
    ),
    "child_birth_date": FieldSpec("datum rojstva otroka", "date", "Katerega dne se je rodil vaš otrok?", "m"),
    "mother_last_day_of_sentence": FieldSpec(
        "zadnji dan vaše kazni", "date", "Kateri je zadnji dan vaše kazni?", "m"
    ),
    # whole numbers
    "full_time_months": FieldSpec(
        "število mesecev dela",
        "count",
        "Koliko mesecev ste delali s polnim delovnim časom?",
        "n",
        "max_months",
    ),
    "additional_days_proposed": FieldSpec(
        "število predlaganih dodatnih dni", "count", "Koliko dodatnih dni vam predlagajo?", "n", "max_days"
    ),
    "leave_days_computed_for_pripor_work": FieldSpec(
        "število dni dopusta za delo v priporu",
        "count",
        "Koliko dni letnega dopusta bi vam po izračunu pripadlo za delo v priporu?",
        "n",
        "max_days",
    ),
    "months_successfully_completed": FieldSpec(
        "število uspešno opravljenih mesecev izobraževanja",
        "count",
        "Koliko mesecev izobraževanja ste uspešno opravili?",
        "n",
        "max_months",
    ),
    "months_not_successfully_completed": FieldSpec(
        "število neuspešno opravljenih mesecev izobraževanja",
        "count",
        "Koliko mesecev izobraževanja niste uspešno opravili?",
        "n",
        "max_months",
    ),
    "weeks": FieldSpec("število tednov", "count", "Za koliko tednov naj izračunam obiske?", "n", "max_weeks"),
    "period_months": FieldSpec(
        "obdobje v mesecih", "count", "Za koliko mesecev naj izračunam pakete?", "n", "max_months"
    ),
    "period_weeks": FieldSpec(
        "obdobje v tednih", "count", "Za koliko tednov naj izračunam pakete?", "n", "max_weeks"
    ),
    "interruption_days": FieldSpec(
        "število dni prekinitve",
        "count",
        "Koliko dni je trajala prekinitev prestajanja kazni?",
        "n",
        "max_days",
    ),
    "credited_pripor_days": FieldSpec(
        "število dni pripora", "count", "Koliko dni ste bili v priporu pred nastopom kazni?", "n", "max_days"
    ),
    "sentence_length_months": FieldSpec(
        "dolžina kazni v mesecih",
        "count",
        "Na koliko mesecev ali let zapora ste obsojeni?",
        "f",
        "max_months",
    ),
    "sentence_length_days": FieldSpec(
        "dolžina kazni v dneh", "count", "Na koliko dni zapora ste obsojeni?", "f", "max_days"
    ),
    "sentence_months": FieldSpec(
        "dolžina kazni v mesecih",
        "count",
        "Na koliko mesecev ali let zapora ste obsojeni?",
        "f",
        "max_months",
        True,
    ),
    # decimals
    "monthly_full_time_hours": FieldSpec(
        "mesečna obveznost ur za polni delovni čas",
        "number",
        "Koliko ur znaša mesečna obveznost za polni delovni čas (npr. 174 ur)?",
        "f",
        "max_monthly_hours",
        True,
    ),
    "hours_worked_per_month": FieldSpec(
        "število opravljenih ur dela",
        "hours_list",
        "Koliko ur ste delali v posameznih mesecih?",
        "n",
        "max_monthly_hours",
    ),
    "daily_work_or_work_therapy_hours": FieldSpec(
        "dnevno število ur",
        "number",
        "Koliko ur na dan delate ali ste vključeni v delovno terapijo?",
        "n",
        "max_daily_hours",
    ),
    # money
    "monthly_pay_eur": FieldSpec(
        "plačilo za delo", "eur", "Koliko znaša vaše plačilo za delo ta mesec (v EUR)?", "n", "max_eur"
    ),
    "current_mandatory_savings_eur": FieldSpec(
        "znesek na obveznem prihranku",
        "eur",
        "Koliko imate že zbranega na obveznem prihranku (v EUR)?",
        "m",
        "max_eur",
    ),
    "monthly_social_assistance_eur": FieldSpec(
        "znesek mesečne denarne socialne pomoči",
        "eur",
        "Koliko znaša mesečna denarna socialna pomoč (v EUR)? Priročnik zneska ne navaja.",
        "m",
        "max_eur",
        True,
    ),
    # yes / no
    "started_sentence_from_pripor": FieldSpec(
        "nastop kazni iz pripora", "bool", "Ali ste kazen nastopili neposredno iz pripora?", "m"
    ),
    "pregnant_or_breastfeeding": FieldSpec(
        "nosečnost ali dojenje", "bool", "Ali ste noseči ali dojite?", "f"
    ),
    "special_health_social_or_other_reasons": FieldSpec(
        "posebni zdravstveni, socialni ali drugi razlogi",
        "bool",
        "Ali obstajajo posebni zdravstveni, socialni ali drugi razlogi, da otrok ostane pri vas?",
        "m",
    ),
    "life_sentence": FieldSpec("dosmrtni zapor", "bool", "Ali gre za kazen dosmrtnega zapora?", "m"),
    "offence_against_sexual_integrity": FieldSpec(
        "kaznivo dejanje zoper spolno nedotakljivost",
        "bool",
        "Ali gre za kaznivo dejanje zoper spolno nedotakljivost?",
        "n",
    ),
    # choices and text
    "regime": FieldSpec("režim", "choice", "V katerem režimu ste: zaprtem, polodprtem ali odprtem?", "m"),
    "visit_type": FieldSpec(
        "vrsta obiska", "choice", "Ali so vaši obiski nadzorovani ali nenadzorovani?", "f"
    ),
    "location": FieldSpec(
        "kraj obiska",
        "choice",
        "Kje poteka obisk: v zavodu, zunaj zavoda ali v ločenem prostoru z možnostjo nočitve?",
        "m",
    ),
    "visitor_category": FieldSpec(
        "obiskovalec", "choice", "Kdo vas obiskuje (npr. mož, mama, sestra, prijateljica)?", "m"
    ),
    "status": FieldSpec(
        "status",
        "text",
        "Ali ste zaposleni, samozaposleni, kmetujete, ali se redno šolate oziroma študirate?",
        "m",
    ),
    "status_country": FieldSpec(
        "država zaposlitve ali šolanja", "text", "V kateri državi delate ali se šolate?", "f"
    ),
    "dimensions_cm": FieldSpec(
        "mere paketa",
        "dims",
        "Kakšne so mere paketa v centimetrih (npr. 50 x 40 x 30)?",
        "f",
        "max_dimension_cm",
    ),
}


def label(name: str) -> str:
    """Slovenian label of an input field (the name itself if unknown)."""
    spec = FIELDS.get(name)
    return spec.label if spec else name


def follow_up_question(name: str) -> str:
    """The question that asks for a missing input."""
    spec = FIELDS.get(name)
    return spec.question if spec else f"Prosim, navedite še podatek: {name}."


def cap(text: str) -> str:
    """The text with its first letter upper-cased (labels start sentences in messages)."""
    return text[:1].upper() + text[1:]


# --- lenient value parsing ----------------------------------------------------------------------------------

_FOLD = str.maketrans("čšžćđČŠŽĆĐ", "cszcdCSZCD")


def fold(text: str) -> str:
    """Lowercase and strip Slovenian diacritics (č→c, š→s, ž→z, ć→c, đ→d); other accents are dropped too."""
    text = text.translate(_FOLD)
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


_MONTH_WORDS = {
    "januar": 1, "februar": 2, "marec": 3, "marc": 3, "april": 4, "maj": 5, "junij": 6, "julij": 7,
    "avgust": 8, "september": 9, "septemb": 9, "oktober": 10, "oktob": 10, "november": 11, "novemb": 11,
    "december": 12, "decemb": 12,
}  # fmt: skip


def month_from_word(word: str) -> int | None:
    """Month number from a Slovenian month name in any common form (``marca``, ``marec``, ``septembra``)."""
    word = fold(word).rstrip(".")
    for stem in sorted(_MONTH_WORDS, key=len, reverse=True):
        if word.startswith(stem) and len(word) - len(stem) <= 2:
            return _MONTH_WORDS[stem]
    return None


_DATE_PATTERNS = (
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$"),
    re.compile(r"^(?P<d>\d{1,2})\s*[./]\s*(?P<m>\d{1,2})\s*[./]\s*(?P<y>\d{4}|\d{2})\.?$"),
    re.compile(r"^(?P<d>\d{1,2})\s*\.?\s*(?P<mw>[a-z]+)\s*,?\s*(?P<y>\d{4})\.?$"),
)


def parse_date_value(value: Any, name: str, rules: RuleBook | None = None) -> date:
    """A date from a ``date``, ISO text or Slovenian text (``15. 3. 2025``, ``15. marca 2025``)."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise CalculatorInputError(name, f"{cap(label(name))}: vrednost ni datum.")
    raw = value.strip()
    text = fold(raw)
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        parts = match.groupdict()
        month = month_from_word(parts["mw"]) if parts.get("mw") else int(parts["m"])
        if month is None:
            break
        year = int(parts["y"])
        if year < 100:
            year += 2000
        day = int(parts["d"])
        limits = (rules or load_rules()).limits
        if not limits.get("min_year", 1) <= year <= limits.get("max_year", 9999):
            raise CalculatorInputError(name, f"{cap(label(name))}: leto {year} ni smiselno.")
        try:
            return date(year, month, day)
        except ValueError:
            raise CalculatorInputError(name, f"{cap(label(name))}: datum »{raw}« ne obstaja.") from None
    raise CalculatorInputError(
        name, f"{cap(label(name))}: »{raw}« ni veljaven datum (vpišite ga kot 15. 3. 2025 ali 2025-03-15)."
    )


def _number(value: Any, name: str) -> float:
    if isinstance(value, bool):
        raise CalculatorInputError(name, f"{cap(label(name))} mora biti število.")
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        text = fold(value).replace("\u2212", "-").replace("eur", "").replace("€", "").replace(" ", "").strip()
        text = text.replace("\u00a0", "")
        if re.fullmatch(r"-?\d{1,3}(\.\d{3})+(,\d+)?", text):
            text = text.replace(".", "")
        text = text.replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            raise CalculatorInputError(name, f"{cap(label(name))} mora biti število.") from None
    else:
        raise CalculatorInputError(name, f"{cap(label(name))} mora biti število.")
    if number != number or number in (float("inf"), float("-inf")):
        raise CalculatorInputError(name, f"{cap(label(name))} mora biti število.")
    return number


def _bounded(number: float, name: str, spec: FieldSpec, rules: RuleBook) -> float:
    if number < 0:
        raise CalculatorInputError(name, f"{cap(spec.label)} ne sme biti {_adj('negativ', spec.gender)}.")
    if spec.positive and number == 0:
        raise CalculatorInputError(name, f"{cap(spec.label)} mora biti {_bigger(spec.gender)} od 0.")
    if spec.max_limit is not None:
        maximum = rules.limit(spec.max_limit)
        if number > maximum:
            raise CalculatorInputError(name, f"{cap(spec.label)} ne more presegati {maximum}.")
    return number


def _bool(value: Any, name: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        text = fold(value).strip()
        if text in {"da", "true", "yes", "1", "ja", "drzi"}:
            return True
        if text in {"ne", "false", "no", "0"}:
            return False
    raise CalculatorInputError(name, f"{cap(label(name))}: odgovor mora biti da ali ne.")


LOCATION_INSIDE = "v zavodu"
LOCATION_OUTSIDE = "zunaj zavoda"
LOCATION_OVERNIGHT = "ločen namenski prostor z možnostjo nočitve"
CLOSE_FAMILY = "ožji družinski član"
VISITOR_CATEGORIES = (CLOSE_FAMILY, "rejnik", "skrbnik", "odvetnik", "pooblaščenec", "druga oseba")


# Words naming a visitor, folded; each maps to a category (close family per the Dopisovanje definition:
# spouse/partner, relatives in the direct line, collateral relatives up to the second degree, adoption and
# step relations).
def _words(text: str) -> list[str]:
    return [word.strip() for word in text.split("|") if word.strip()]


_VISITOR_GROUPS: dict[str, str] = {
    CLOSE_FAMILY: (
        "ozji druzinski clan|ozji druzinski clani|ozja druzina|druzina|druzinski clan|moz|moza|zena|"
        "zakonec|partner|partnerka|zunajzakonski partner|izvenzakonski partner|mama|mati|mamica|oce|"
        "ata|starsi|stars|sin|sina|hci|hcerka|hcer|otrok|otroci|brat|sestra|bratje|sestre|babica|"
        "stara mama|dedek|stari oce|stari starsi|vnuk|vnukinja|vnuki|pravnuk|pravnukinja|prababica|"
        "pradedek|posvojenec|posvojenka|posvojitelj|posvojiteljica|ocim|maceha|pastorek|pastorka"
    ),
    "rejnik": "rejnik|rejnica|rejniki",
    "skrbnik": "skrbnik|skrbnica",
    "odvetnik": "odvetnik|odvetnica|zagovornik|zagovornica",
    "pooblaščenec": "pooblascenec|pooblascenka|socialni delavec|socialna delavka|prostovoljec|prostovoljka",
    "druga oseba": (
        "druga oseba|druge osebe|prijatelj|prijateljica|prijatelji|znanec|znanka|sosed|soseda|teta|"
        "stric|bratranec|sestricna|necak|necakinja|tast|tasca|svak|svakinja|zet|snaha|fant|punca|"
        "sodelavec|sodelavka"
    ),
}
VISITOR_WORDS: dict[str, str] = {
    word: category for category, words in _VISITOR_GROUPS.items() for word in _words(words)
}


def normalize_choice(name: str, value: Any) -> str:
    """Canonical value of a choice field, or :class:`CalculatorInputError`."""
    if not isinstance(value, str):
        raise CalculatorInputError(name, f"{cap(label(name))}: pričakovano je besedilo.")
    raw = value.strip()
    text = re.sub(r"[\"'«»„“”‚‘’]", "", fold(raw)).strip()
    text = re.sub(r"\s+", " ", text)
    if name == "regime":
        words = [w for w in re.split(r"[\s\-_]+", text) if w and not w.startswith("rezim")]
        word = words[0] if len(words) == 1 else ""
        if re.fullmatch(r"polodprt(i|em|ega|a|o)?|semi-?open", word) or text in {"semi open", "semi-open"}:
            return "polodprti"
        if re.fullmatch(r"zaprt(i|em|ega|a|o)?|closed", word):
            return "zaprti"
        if re.fullmatch(r"odprt(i|em|ega|a|o)?|open", word):
            return "odprti"
        raise CalculatorInputError(
            name, f"Neznan režim »{raw}« – dovoljeni so le zaprti, polodprti in odprti režim."
        )
    if name == "visit_type":
        if re.search(r"nenadzor|brez nadzor|unsupervised", text):
            return "nenadzorovan"
        if re.search(r"nadzor|supervised|pregrad", text):
            return "nadzorovan"
        raise CalculatorInputError(
            name, f"Neznana vrsta obiska »{raw}« – obisk je lahko nadzorovan ali nenadzorovan."
        )
    if name == "location":
        if re.search(r"nocit|noc\b|prenoc|locen|namensk|overnight", text):
            return LOCATION_OVERNIGHT
        if re.search(r"zunaj|izven|outside", text):
            return LOCATION_OUTSIDE
        if re.search(r"zavod|znotraj|prostor|inside", text):
            return LOCATION_INSIDE
        raise CalculatorInputError(
            name,
            f"Neznan kraj obiska »{raw}« – možnosti so: v zavodu, zunaj zavoda ali ločen namenski prostor z "
            "možnostjo nočitve.",
        )
    if name == "visitor_category":
        for canonical in VISITOR_CATEGORIES:
            if text == fold(canonical):
                return canonical
        if text in VISITOR_WORDS:
            return VISITOR_WORDS[text]
        for word in sorted(VISITOR_WORDS, key=len, reverse=True):
            if re.search(rf"\b{re.escape(word)}\b", text):
                return VISITOR_WORDS[word]
        raise CalculatorInputError(
            name,
            f"Neznan obiskovalec »{raw}« – navedite npr. ožji družinski član, rejnik, skrbnik, odvetnik ali "
            "druga oseba.",
        )
    raise CalculatorInputError(name, f"Neznan podatek »{name}«.")  # pragma: no cover


def _dims(value: Any, name: str, spec: FieldSpec, rules: RuleBook) -> list[float]:
    message = f"{cap(spec.label)} morajo biti tri pozitivna števila v centimetrih (npr. 60 x 40 x 36)."
    items: list[Any]
    if isinstance(value, str):
        items = [
            p
            for p in re.split(r"\s*(?:x|×|\*|krat|,|;|/)\s*|\s+", fold(value).replace("cm", " ").strip())
            if p
        ]
    elif isinstance(value, list | tuple):
        items = list(value)
    else:
        raise CalculatorInputError(name, message)
    if len(items) != 3:
        raise CalculatorInputError(name, message)
    numbers = []
    for item in items:
        try:
            number = _number(item, name)
        except CalculatorInputError:
            raise CalculatorInputError(name, message) from None
        if number <= 0:
            raise CalculatorInputError(name, message)
        maximum = rules.limit(spec.max_limit) if spec.max_limit else None
        if maximum is not None and number > maximum:
            raise CalculatorInputError(name, f"{cap(spec.label)} ne morejo presegati {maximum} cm.")
        numbers.append(number)
    return numbers


def _hours_list(value: Any, name: str, spec: FieldSpec, rules: RuleBook) -> list[float]:
    if isinstance(value, dict):
        items = list(value.values())
    elif isinstance(value, list | tuple):
        items = list(value)
    elif isinstance(value, str):
        items = [p for p in re.split(r"\s*[;+]\s*|\s+", value.strip()) if p]
    else:
        items = [value]
    if not items:
        raise CalculatorInputError(name, f"{cap(spec.label)}: navedite vsaj en mesec.")
    maximum = rules.limit(spec.max_limit) if spec.max_limit else None
    result = []
    for item in items:
        hours = _number(item, name)
        if hours < 0:
            raise CalculatorInputError(name, "Število opravljenih ur dela ne sme biti negativno.")
        if maximum is not None and hours > maximum:
            raise CalculatorInputError(name, f"Število ur dela v enem mesecu ne more presegati {maximum}.")
        result.append(hours)
    return result


def parse_field(name: str, value: Any, rules: RuleBook | None = None) -> Any:
    """Parse and bound one input value; raise :class:`CalculatorInputError` with a Slovenian message."""
    rules = rules or load_rules()
    spec = FIELDS.get(name)
    if spec is None:
        raise CalculatorInputError(name, f"Neznan vhodni podatek »{name}«.")
    if spec.type == "date":
        return parse_date_value(value, name, rules)
    if spec.type == "bool":
        return _bool(value, name)
    if spec.type == "choice":
        return normalize_choice(name, value)
    if spec.type == "text":
        if not isinstance(value, str) or not value.strip():
            raise CalculatorInputError(name, f"{cap(spec.label)}: vpišite besedilo.")
        return value.strip()
    if spec.type == "dims":
        return _dims(value, name, spec, rules)
    if spec.type == "hours_list":
        return _hours_list(value, name, spec, rules)
    number = _bounded(_number(value, name), name, spec, rules)
    if spec.type == "count":
        if number != int(number):
            raise CalculatorInputError(name, f"{cap(spec.label)} mora biti celo število.")
        return int(number)
    return number
