"""Language of a question: Slovenian (sl), English (en) or Croatian/Serbian/Bosnian (bcs).

Offline and deterministic: marker words and letters, scored. Slovenian wins ties (the kiosk's first language).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.text.normalize import fold
from assistant.types import Language

_EN = set(
    """
want wants kill myself yourself tonight today tomorrow another inmate inmates cellmate every day night beats
threatens threaten print ignore instructions previous all system prompt write poem about sea tell give need know
let make go come see hello hi thanks thank sorry after before still already just now then than more less some
the a an is are am was were be been do does did can could will would should may might must i i'm im my me you
your we our they their he she it its what when where who whom why how which there here this that these those
and or but not no if of to in on at for with from about into after before have has had get got prison jail
visit visits visitor lawyer parcel parcels package leave release parole phone call calls allowed allow allowed
family child baby pay work money much many long often sentence guard guards inform consulate country besides
anyone else right rights free help please weekend weekends only serve student full-time university
""".split()
)
_BCS = {
    fold(w)
    for w in """
li sam si smo ste su je jesam nisam mogu možeš može možemo smijem smem smijem što šta koji koja koje kojeg
kada kad gdje gde kako zašto zasto u iz sa za od do bih bi će ću ćeš hoću neću zatvor zatvoru zatvora zatvorom
kazna kaznu kazne posjeta posjetu posjete poseta posetu uvjetni uslovni otpust imam imaš imamo pravo prava
besplatnu besplatni besplatan pomoć broj zvati zovem razgovarati košta koliko trećinu polovinu odslužila
odslužio obratiti konzulatu svoje države bilo vrijeme vreme djeca dijete dete muslimanka imamom ljudska ljudi
ombudsmana minuta minutu razgovora bosnu hrvatsku srbiju
dobar dugo traje traju posjet posjeti poset posete dana mjesec mjeseci mjesečno tjedan tjedno tjedna sedmica
sedmično nedjelja ovdje ovde sada jer ako ili nije nisu bio trebam trebala trebao hoću mogao osuđenica osudjenica
zatvorenica odvjetnik suda sudu djece dece dijete kćer kći muž muža novac novca plata posao raditi radim smještaj
nazvati tko šta nešto nešta joj ih nemam
""".split()
}
_SL = {
    fold(w)
    for w in """
ali sem si smo ste so je nisem lahko lahk kaj kok koliko kdaj kje kako zakaj če ce v iz za od do bi bom boš bo
bomo zapor zaporu zavod zavodu kazen kazni obisk obiske obiski paket pakete mi me meni mam imam tud tudi pa še
ze že ker da se ne nč nic smem smeš moram morm dobim dobila dobil prosim hvala ki naj pri kateri katera
obsojenka pogojni odpust dopust delam delala šolam dni dan ure uro
ji jih njej tukaj zdaj zdej nimam nima hočem ampak vendar
""".split()
}
_SHARED = {
    "je",
    "si",
    "smo",
    "ste",
    "za",
    "od",
    "do",
    "iz",
    "da",
    "se",
    "ne",
    "koliko",
    "kako",
    "pa",
    "paket",
    "pakete",
    "bi",
    "imam",
    "kad",
    "sam",
}
_BCS -= _SHARED
_SL -= _SHARED
_BCS |= {"li", "sam"}  # "mogu li", "ja sam": enclitic li and auxiliary sam are BCS, not Slovenian
_EN -= {"a", "to", "i", "me", "do", "no", "on", "in", "so", "pa", "ok", "ne", "je", "li", "sam"}  # shared short words
_BCS_LETTERS = re.compile(r"[ćđĆĐ]")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_WORD = re.compile(r"[\w'’]+", re.UNICODE)


@dataclass(frozen=True)
class MarkerScores:
    """How many marker words (and letters) of each language a text has."""

    en: float
    sl: float
    bcs: float
    words: int
    ascii: bool

    @property
    def language(self) -> Language:
        """The best guess; "sl" when unsure."""
        if self.bcs < 0:  # Cyrillic
            return "bcs"
        en, sl, bcs = self.en, self.sl, self.bcs
        if en and ((en >= 0.25 * self.words and en > sl and en > bcs) or (sl == 0 and bcs == 0 and self.ascii)):
            return "en"
        if bcs > sl:
            return "bcs"
        return "sl"

    @property
    def decided(self) -> bool:
        """Whether the marker words favour one language (not a tie, not nothing)."""
        return self.bcs < 0 or self.language == "en" or self.sl != self.bcs


def marker_scores(text: str) -> MarkerScores:
    """The marker-word evidence for each language (Cyrillic text is Serbian: bcs = -1 marks it)."""
    words = [w.lower().replace("’", "'") for w in _WORD.findall(text)]
    if _CYRILLIC.search(text):
        return MarkerScores(0.0, 0.0, -1.0, len(words), False)
    folded = [fold(w) for w in words]
    en = sum(1 for w in words if w in _EN)
    bcs = sum(1 for w in folded if w in _BCS) + 1.5 * len(_BCS_LETTERS.findall(text.lower()))
    # č/š/ž are Slovenian and BCS letters alike: they tip the balance only when nothing BCS was seen
    sl = sum(1 for w in folded if w in _SL) + (1.0 if not bcs and re.search(r"[čšž]", text.lower()) else 0.0)
    return MarkerScores(float(en), float(sl), float(bcs), len(words), text.isascii())


def detect_language(text: str) -> Language:
    """Best guess of the question's language from marker words; "sl" when unsure."""
    if not _WORD.search(text):
        return "sl"
    return marker_scores(text).language
