"""The orchestrator: triage decides what kind of message this is and one answering strategy answers it.

Strategies: crisis help and refusals (:mod:`assistant.answer.fixed`), calculated figures
(:mod:`assistant.answer.calculated`), grounded answers from retrieved passages (:mod:`assistant.answer.grounded`).
Nothing a language model writes reaches the user unless the verifier finds it in the cited passages.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from typing import Any

from assistant.answer.calculated import CalculatedAnswer
from assistant.answer.fixed import CrisisAnswer, RefusalAnswer
from assistant.answer.grounded import GroundedAnswer
from assistant.answer.passages import Passages
from assistant.answer.resources import Resources
from assistant.config import Settings
from assistant.generate.base import Generator
from assistant.protocols import CalculatorRouter
from assistant.question.crisis import CrisisDetector
from assistant.question.crisis_neighbours import CrisisNeighbours
from assistant.question.decompose import asked_part, asks_something, question_parts
from assistant.question.followup import rewrite_query
from assistant.question.language_model import LanguageModel
from assistant.question.triage import LANGUAGES, triage
from assistant.retrieval.retriever import Retriever
from assistant.timing import elapsed_ms
from assistant.types import Answer, AnswerSentence, Chunk, Language, SearchResult, Turn

log = logging.getLogger(__name__)


class Assistant:
    """Answers questions; components are injected (``assistant.factory.make_assistant`` wires the configured ones)."""

    def __init__(
        self,
        settings: Settings,
        retriever: Retriever | None = None,
        generator: Generator | None = None,
        calculator: CalculatorRouter | None = None,
        retriever_factory: Callable[[], Retriever] | None = None,
        detector: CrisisDetector | None = None,
    ) -> None:
        self.settings = settings
        self.resources = Resources(settings, retriever, retriever_factory, generator)
        self.detector = detector or CrisisDetector()
        self.language_model = LanguageModel()  # fitted at warm-up on the corpus in its three languages
        self.calculator = calculator
        self.crisis = CrisisAnswer(self.resources)
        self.refusal = RefusalAnswer(self.resources)
        self.calculated = CalculatedAnswer(self.resources)
        self.grounded = GroundedAnswer(self.resources, self.refusal)

    @classmethod
    def from_settings(cls, settings: Settings) -> Assistant:
        """The configured assistant; models and the index load lazily on first use."""
        from assistant.factory import make_assistant

        return make_assistant(settings)

    # --- components (shared with the API and the evaluation) ----------------------------------------------
    @property
    def retriever(self) -> Retriever:
        """The retriever (loads and verifies the index on first use)."""
        return self.resources.retriever

    @property
    def generator(self) -> Generator | None:
        """The configured generator, if any."""
        return self.resources.generator

    @property
    def generator_error(self) -> str | None:
        """Why the generator could not be loaded, if it could not."""
        return self.resources.generator_error

    def warm_up(self) -> None:
        """Load the index and models now (the service calls this at start-up); train the crisis classifier."""
        self.resources.warm_up()
        # a vote by meaning needs an embedder that knows meaning (not the test-only hash embedder)
        semantic = self.settings.embedder != "hash"
        if self.settings.crisis_neighbours and semantic and self.detector.neighbours is None:
            try:  # the retriever's embedder, already loaded: English messages also get a vote by meaning
                self.detector.neighbours = CrisisNeighbours(self.retriever.embedder)
            except Exception as exc:  # no index or no embedder: patterns and the classifier decide
                log.warning("crisis neighbours unavailable: %s", type(exc).__name__)
        self.detector.fit(self.resources.ordinary_questions())
        self.language_model.fit(self.resources.language_samples())

    def uncertain_language(self, question: str, lang: Language) -> Language | None:
        """The other of Slovenian and BCS when the language model is not sure of ``lang`` (None otherwise, and for
        English, which marker words tell reliably)."""
        if lang == "en" or not self.language_model.fitted:
            return None
        if self.language_model.confident(question) == lang:
            return None
        return "bcs" if lang == "sl" else "sl"

    def search(self, query: str, lang: Language) -> tuple[str, SearchResult]:
        """Search for ``query`` in ``lang``; when the corpus seems not to answer a story followed by one question,
        a second try with the question alone (the story's words dilute it). The more confident search wins;
        returns the query it used with its result."""
        result = self.retriever.search(query, language=lang)
        part = asked_part(query) if len(question_parts(query)) == 1 else None
        if result.confidence >= self.settings.refusal_threshold or part is None:
            return query, result
        retry = self.retriever.search(part, language=lang)
        if retry.confidence >= self.settings.refusal_threshold and retry.confidence > result.confidence:
            return part, retry
        return query, result

    def readiness(self) -> dict[str, Any]:
        """What is loaded and whether answers can be given (for /readyz)."""
        state: dict[str, Any] = {}
        try:
            retriever = self.retriever
            state["index"] = "ok"
            state["embedder"] = "loaded" if getattr(retriever.embedder, "loaded", True) else "not loaded"
        except Exception as exc:
            state["index"] = str(exc)
            state["embedder"] = "not loaded"
        generator = self.generator
        if generator is None:
            state["generator"] = "extractive (configured)"
        elif self.generator_error:
            state["generator"] = f"extractive (degraded: {self.generator_error})"
        else:
            state["generator"] = f"{generator.name} {'loaded' if generator.loaded else 'not loaded'}"
        state["ready"] = state["index"] == "ok"
        return state

    def get_chunk(self, chunk_id: str) -> Chunk:
        """A chunk by id (KeyError if unknown)."""
        return self.resources.chunk(chunk_id)

    def neighbours(self, chunk_id: str, window: int = 1) -> list[Chunk]:
        """The chunk and its same-section neighbours."""
        return self.retriever.neighbours(chunk_id, window)

    def sections(self) -> list[str]:
        """Handbook sections in document order."""
        return list(dict.fromkeys(c.section for c in self.retriever.store.chunks if c.kind == "handbook"))

    # --- answering --------------------------------------------------------------------------------------
    def help_answer(self, language: str | None = None, kind: str = "self_harm") -> Answer:
        """The help text (what the kiosk's "Potrebujem pomoč" button shows), in ``language`` (sl/en/bcs)."""
        from assistant.question.safety import SafetyVerdict

        lang: Language = next((code for code in LANGUAGES if code == language), "sl")
        return self.crisis.run("", lang, SafetyVerdict("crisis", kind, "help button"))

    def answer(self, question: str, history: list[Turn] | None = None, language: str | None = None) -> Answer:
        """The complete answer to one question."""
        final: Answer | None = None
        for item in self.iter_answer(question, history, language):
            if isinstance(item, Answer):
                final = item
        if final is None:  # iter_answer always ends with the Answer
            raise RuntimeError("no answer was produced")
        return final

    def iter_answer(
        self,
        question: str,
        history: list[Turn] | None = None,
        language: str | None = None,
        safety_checked: bool = False,
    ) -> Iterator[AnswerSentence | Answer]:
        """Sentences as soon as they are ready, then the complete Answer (always last). ``safety_checked``: the
        crisis check has run already (the ordinary part of a possible crisis)."""
        started = time.perf_counter()
        kind = triage(
            question,
            language,
            self.calculator,
            self.detector,
            crisis=not safety_checked,
            language_model=self.language_model if self.language_model.fitted else None,
        )
        lang, verdict = kind.language, kind.safety
        answer: Answer
        # help in her language: when Slovenian and BCS cannot be told apart, the help is given in both
        also = self.uncertain_language(question, lang) if verdict is not None and language is None else None
        if verdict is not None and verdict.group == "possible_crisis":
            # help first, at once; then the ordinary answer to whatever else the message asks
            help_passages = Passages()
            help_now = self.crisis.sentences(verdict.help_kinds or {"self_harm"}, lang, help_passages, also)
            yield from help_now
            if not asks_something(question):  # nothing is asked: the help alone, no unrelated rule beside it
                answer = self.crisis.run(question, lang, verdict, also)
                answer.timings["total_ms"] = elapsed_ms(started)
                yield answer
                return
            ordinary: Answer | None = None
            for item in self.iter_answer(question, history, lang, safety_checked=True):
                if isinstance(item, Answer):
                    ordinary = item
            if ordinary is None:
                raise RuntimeError("no answer was produced")
            answer = self.crisis.with_answer(verdict, ordinary, help_now, help_passages, also)
            yield from answer.sentences[len(help_now) :]
            answer.timings["total_ms"] = elapsed_ms(started)
            yield answer
            return
        if kind.route == "crisis" and verdict is not None:
            answer = self.crisis.run(question, lang, verdict, also)
        elif kind.route == "threat" and verdict is not None:
            answer = self.crisis.threat(question, lang, verdict, also)
        elif kind.route in ("refuse", "unanswerable") and verdict is not None:
            key = f"refuse_{verdict.kind}" if verdict.group == "refuse" else verdict.kind
            answer = self.refusal.run(question, lang, key, verdict)
        elif kind.calculation is not None and not (
            kind.calculation.result is not None and len(question_parts(question)) > 1
        ):
            answer = self.calculated.run(question, lang, kind.calculation)
        else:
            query = rewrite_query(question, history)
            query, result = self.search(query, lang)
            calculated = None
            if kind.calculation is not None:  # a long message: the figure first, then every part's answer
                calculated = self.calculated.run(question, lang, kind.calculation)
                yield from calculated.sentences[:2]
            answer = yield from self.grounded.run(question, query, lang, result)
            if calculated is not None:
                answer = self.calculated.before(calculated, answer)
            answer.timings["retrieval_ms"] = round(result.elapsed_ms, 2)
            answer.timings["total_ms"] = elapsed_ms(started)
            yield answer
            return
        answer.timings["total_ms"] = elapsed_ms(started)
        yield from answer.sentences
        yield answer
