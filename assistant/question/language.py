"""Language of a question: Slovenian (sl), English (en) or Croatian/Serbian/Bosnian (bcs).

Offline and deterministic: marker words and letters, scored. Slovenian wins ties (the kiosk's first language).
"""

from __future__ import annotations

import re

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
""".split()
}
_SL = {
    fold(w)
    for w in """
ali sem si smo ste so je nisem lahko lahk kaj kok koliko kdaj kje kako zakaj če ce v iz za od do bi bom boš bo
bomo zapor zaporu zavod zavodu kazen kazni obisk obiske obiski paket pakete mi me meni mam imam tud tudi pa še
ze že ker da se ne nč nic smem smeš moram morm dobim dobila dobil prosim hvala ki naj pri kateri katera
obsojenka pogojni odpust dopust delam delala šolam dni dan ure uro
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
_WORD = re.compile(r"[\w'’]+", re.UNICODE)


def detect_language(text: str) -> Language:
    """Best guess of the question's language; "sl" when unsure."""
    words = [w.lower().replace("’", "'") for w in _WORD.findall(text)]
    if not words:
        return "sl"
    folded = [fold(w) for w in words]
    en = sum(1 for w in words if w in _EN)
    bcs = sum(1 for w in folded if w in _BCS) + 1.5 * len(_BCS_LETTERS.findall(text.lower()))
    sl = sum(1 for w in folded if w in _SL) + (1.0 if re.search(r"[čšž]", text.lower()) else 0.0)
    if en and ((en >= 0.25 * len(words) and en > sl and en > bcs) or (sl == 0 and bcs == 0 and text.isascii())):
        return "en"
    if bcs > sl:
        return "bcs"
    return "sl"
