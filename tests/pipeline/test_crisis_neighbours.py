"""The English nearest-exemplar vote: a hand-written embedder whose vectors say which words a text contains."""

from __future__ import annotations

import numpy as np

from assistant.question.crisis import CrisisDetector
from assistant.question.crisis_neighbours import CrisisNeighbours
from assistant.types import Matrix

WORDS = ("alone", "goodbye", "tonight", "visit", "parcel", "phone")


class WordEmbedder:
    """Vectors by the presence of a few words (normalised), enough to make neighbours predictable."""

    id = "test:words"

    def encode(self, texts: list[str], *, query: bool = False) -> Matrix:
        rows = np.array([[1.0 if w in t.lower() else 0.0 for w in WORDS] + [0.1] for t in texts], dtype=np.float32)
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


EXEMPLARS = {
    "self_harm": [f"goodbye everyone, I am alone tonight {i}" for i in range(5)],
    "ordinary": [f"when can my mother visit and send a parcel {i}" for i in range(5)],
}
ORDINARY = ["how long is a phone call", "how many parcels can I get a year"]


def fitted() -> CrisisNeighbours:
    neighbours = CrisisNeighbours(WordEmbedder(), neighbours=5, votes=4)
    neighbours.fit(EXEMPLARS, ORDINARY)
    return neighbours


def test_an_english_message_near_crisis_exemplars_is_a_possible_crisis() -> None:
    voted = fitted().predict("Nobody will notice. Goodbye, I'm alone and it ends tonight.")
    assert voted is not None and voted[0] == "self_harm" and voted[1] >= 0.8


def test_an_ordinary_english_question_gets_no_vote() -> None:
    assert fitted().predict("When can my mother visit me and bring a parcel?") is None


def test_only_english_messages_are_voted_on() -> None:
    # the English embedder is weak in Slovenian: it never decides a Slovenian message
    assert fitted().predict("Zbogom vsem, nocoj sem sama in konec bo.") is None


def test_the_detector_adds_help_from_the_vote_only_when_nothing_else_found_it() -> None:
    detector = CrisisDetector(neighbours=fitted())
    assert CrisisDetector().detect("Goodbye everyone, alone tonight.") is None  # no pattern knows it
    signal = detector.detect("Goodbye everyone, alone tonight.")
    assert signal is not None and signal.needs_help and not signal.definite
    assert any("neighbours" in e for e in signal.evidence)
    assert detector.detect("When can my mother visit me and bring a parcel?") is None
