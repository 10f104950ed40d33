"""The fixed split of an evaluation set into a half we tune on and a half we only check.

Every rule, lexicon entry or threshold must be justified by the corpus or by the tune half; the check half
measures whether it generalises. The split depends only on the item id and the seed, never on the content.
"""

from __future__ import annotations

import hashlib
from typing import Literal

Half = Literal["tune", "check"]
SEED = "zaporni-pomocnik-2026"


def half(item_id: str, seed: str = SEED) -> Half:
    """Which half ``item_id`` belongs to."""
    digest = hashlib.sha256(f"{seed}:{item_id}".encode()).digest()
    return "tune" if digest[0] % 2 == 0 else "check"
