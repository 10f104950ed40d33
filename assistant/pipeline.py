"""The assistant: route (crisis | refusal | calculator | not covered | answer) → generate → verify → extractive.

Nothing a language model writes reaches the user unless the verifier finds it in the cited passages; when too
little survives, the answer is quoted verbatim from the best source sentences instead.
"""

from __future__ import annotations

import re
import threading
import time
import tomllib
from collections.abc import Generator, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from typing import Any

from assistant.config import Settings
from assistant.decompose import question_parts
from assistant.extractive import SentenceScorer, select_sentences
from assistant.followup import rewrite_query
from assistant.language import detect_language
from assistant.question_focus import QuestionFocus, question_focus
from assistant.retrieve import Retriever
from assistant.safety import SafetyVerdict, classify
from assistant.text.analyze import QueryTerm
from assistant.text.normalize import collapse_whitespace, fold
from assistant.types import Answer, AnswerMode, AnswerSentence, Chunk, Hit, Language, SearchResult, Source, Turn
from assistant.verify import Verdict, Verifier

NEAREST_RULE_MIN_COVERAGE = 0.3
MAX_PASSAGES = 10
MAX_QUOTES = 4
MAX_RULE_QUOTES = 3
SITUATION_MIN_SHARE = 0.75  # measured: 0.6–0.9 give the same dev answers


@lru_cache(maxsize=1)
def messages() -> dict[str, Any]:
    """User-facing texts in sl/en/bcs (package data)."""
    return tomllib.loads(resources.files("assistant.i18n").joinpath("messages.toml").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _answer_types() -> list[tuple[str, list[re.Pattern[str]], re.Pattern[str]]]:
    data = tomllib.loads(resources.files("assistant.i18n").joinpath("answer_types.toml").read_text("utf-8"))
    return [(t["name"], [re.compile(p) for p in t["question"]], re.compile(t["answer"])) for t in data["types"]]


def message(key: str, language: Language) -> str:
    """One user-facing text in ``language`` (Slovenian if that language lacks it)."""
    entry = messages()[key]
    return str(entry.get(language) or entry["sl"])


def unmet_answer_type(question: str, passages: list[str]) -> str | None:
    """The kind of fact the question asks for (price, date) when no passage contains one, else None."""
    text = fold(question)
    for name, question_patterns, answer_pattern in _answer_types():
        if any(p.search(text) for p in question_patterns) and not any(answer_pattern.search(fold(p)) for p in passages):
            return name
    return None


def _number(chunks: dict[int, Chunk], chunk: Chunk) -> int:
    """``chunk``'s citation number in ``chunks``, adding it with the next number if it is not there yet."""
    n = next((k for k, c in chunks.items() if c.id == chunk.id), len(chunks) + 1)
    chunks[n] = chunk
    return n


@dataclass
class _Passages:
    """Numbered passages of one answer (n → chunk)."""

    chunks: dict[int, Chunk]
    scores: dict[int, float]

    def sources(self, cited: list[int]) -> list[Source]:
        return [Source(n, self.chunks[n].id, self.chunks[n].label, self.chunks[n].section, self.chunks[n].text,
                       round(self.scores.get(n, 0.0), 6)) for n in sorted(set(cited)) if n in self.chunks]


class Assistant:
    """Answers questions; every component is injected (``from_settings`` wires the configured ones)."""

    def __init__(self, settings: Settings, retriever: Retriever | None = None, generator: Any = None,
                 calculator: Any = None, retriever_factory: Any = None) -> None:
        self.settings = settings
        self._retriever = retriever
        self._retriever_factory = retriever_factory
        self._retriever_error: str | None = None
        self.generator = generator
        self.calculator = calculator
        self._lock = threading.Lock()
        self._generator_lock = threading.Lock()
        self._verifier: Verifier | None = None
        self._scorer: SentenceScorer | None = None
        self.generator_error: str | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> Assistant:
        """The configured assistant; models and the index load lazily on first use."""
        from assistant.calculator import Calculator
        from assistant.factory import make_retriever
        from assistant.generate import make_generator

        return cls(settings, generator=make_generator(settings), calculator=Calculator(),
                   retriever_factory=lambda: make_retriever(settings))

    # --- components ----------------------------------------------------------------------------------
    @property
    def retriever(self) -> Retriever:
        """The retriever (loads and verifies the index on first use)."""
        if self._retriever is None:
            with self._lock:
                if self._retriever is None:
                    self._retriever = self._retriever_factory()
        assert self._retriever is not None
        return self._retriever

    @property
    def verifier(self) -> Verifier:
        """The sentence verifier over the retriever's analyzer and vocabulary."""
        if self._verifier is None:
            r = self.retriever
            self._verifier = Verifier(r.analyzer, r.store.lexical.vocabulary, self.settings.verifier_min_overlap)
        return self._verifier

    @property
    def scorer(self) -> SentenceScorer:
        """The extractive sentence scorer."""
        if self._scorer is None:
            r = self.retriever
            self._scorer = SentenceScorer(r.analyzer, r.store.lexical, r.embedder)
        return self._scorer

    def warm_up(self) -> None:
        """Load the index and models now (the service calls this at start-up)."""
        self.retriever.search("obisk")
        self.scorer.warm_up([chunk.text for chunk in self.retriever.store.chunks])
        if self.generator is not None:
            try:
                self.generator.load()
            except Exception as exc:  # degraded: extractive answers only
                self.generator_error = str(exc)

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
        if self.generator is None:
            state["generator"] = "extractive (configured)"
        elif self.generator_error:
            state["generator"] = f"extractive (degraded: {self.generator_error})"
        else:
            state["generator"] = f"{self.generator.name} {'loaded' if self.generator.loaded else 'not loaded'}"
        state["ready"] = state["index"] == "ok"
        return state

    def get_chunk(self, chunk_id: str) -> Chunk:
        """A chunk by id (KeyError if unknown)."""
        store = self.retriever.store
        return store.chunks[store.by_id[chunk_id]]

    def neighbours(self, chunk_id: str, window: int = 1) -> list[Chunk]:
        """The chunk and its same-section neighbours."""
        return self.retriever.neighbours(chunk_id, window)

    def sections(self) -> list[str]:
        """Handbook sections in document order."""
        return list(dict.fromkeys(c.section for c in self.retriever.store.chunks if c.kind == "handbook"))

    # --- answering -----------------------------------------------------------------------------------
    def answer(self, question: str, history: list[Turn] | None = None, language: str | None = None) -> Answer:
        """The complete answer to one question."""
        final: Answer | None = None
        for item in self.iter_answer(question, history, language):
            if isinstance(item, Answer):
                final = item
        assert final is not None
        return final

    def iter_answer(self, question: str, history: list[Turn] | None = None,
                    language: str | None = None) -> Iterator[AnswerSentence | Answer]:
        """Verified sentences as soon as they are ready, then the complete Answer (always last)."""
        started = time.perf_counter()
        lang: Language = language if language in ("sl", "en", "bcs") else detect_language(question)  # type: ignore[assignment]
        verdict = classify(question)
        answer: Answer | None = None
        if verdict is not None and verdict.group == "crisis":
            answer = self._crisis(question, lang, verdict)
        elif verdict is not None and verdict.group == "refuse":
            answer = self._refusal(question, lang, f"refuse_{verdict.kind}", verdict)
        elif verdict is not None and verdict.group == "unanswerable":
            answer = self._refusal(question, lang, verdict.kind, verdict)
        if answer is None and self.calculator is not None:
            answer = self._calculator(question, lang)
        if answer is not None:
            answer.timings["total_ms"] = round((time.perf_counter() - started) * 1000, 2)
            yield from answer.sentences
            yield answer
            return

        query = rewrite_query(question, history)
        result = self.retriever.search(query)
        answer = yield from self._grounded(question, query, lang, result)
        answer.timings["retrieval_ms"] = round(result.elapsed_ms, 2)
        answer.timings["total_ms"] = round((time.perf_counter() - started) * 1000, 2)
        yield answer

    # --- routes ----------------------------------------------------------------------------------------
    def _chunk_with(self, quote: str) -> Chunk | None:
        wanted = collapse_whitespace(quote).casefold()
        for chunk in self.retriever.store.chunks:
            if wanted in chunk.text.casefold():
                return chunk
        return None

    def _crisis(self, question: str, lang: Language, verdict: SafetyVerdict) -> Answer:
        sentences: list[AnswerSentence] = []
        chunks: dict[int, Chunk] = {}
        for template in messages()["crisis"]:
            if verdict.kind not in template["kinds"]:
                continue
            citations = []
            for quote in template["quotes"]:
                chunk = self._chunk_with(quote)
                if chunk is None:
                    continue
                n = _number(chunks, chunk)
                citations.append(n)
            text = str(template.get(lang) or template["sl"]).replace("{", "").replace("}", "")
            sentences.append(AnswerSentence(text, sorted(set(citations))))
        passages = _Passages(chunks, {})
        return Answer(question, lang, "crisis", sentences, passages.sources(list(chunks)), confidence=1.0,
                      refused=False, note=message("quoted_in_slovenian", lang) or None,
                      diagnostics={"safety": verdict.kind})

    def _refusal(self, question: str, lang: Language, key: str, verdict: SafetyVerdict | None = None,
                 result: SearchResult | None = None, nearest: bool = False, reason: str = "") -> Answer:
        sentences = [AnswerSentence(message(key, lang))]
        sources: list[Source] = []
        note = None
        if nearest and result is not None and result.hits:
            quote = self._nearest_rule(question, result)
            if quote is not None:
                sentences.append(AnswerSentence(f"{message('nearest_rule', lang)} »{quote[1]}«", [1]))
                hit = quote[0]
                sources = [Source(1, hit.chunk.id, hit.chunk.label, hit.chunk.section, hit.chunk.text,
                                  round(hit.score, 6))]
        diagnostics = {"refusal": key, "reason": reason}
        if verdict is not None:
            diagnostics["safety"] = verdict.kind
        return Answer(question, lang, "refusal", sentences, sources,
                      confidence=result.confidence if result else 0.0, refused=True, note=note,
                      retrieval_query=result.query if result else "", diagnostics=diagnostics)

    def _nearest_rule(self, question: str, result: SearchResult) -> tuple[Hit, str] | None:
        retriever = self.retriever
        terms = retriever.query_terms(result.query)
        hits = [hit for hit in result.hits[:3] if retriever.store.lexical.coverage(
            terms, retriever.store.by_id[hit.chunk.id]) >= NEAREST_RULE_MIN_COVERAGE]
        passages = [(i, hit.chunk.text, hit.chunk.section) for i, hit in enumerate(hits)]
        scored = self.scorer.score(terms, question, passages)
        return (hits[scored[0].n], scored[0].text) if scored else None

    def _calculator(self, question: str, lang: Language) -> Answer | None:
        route = self.calculator.route(question)
        if route is None:
            return None
        chunks: dict[int, Chunk] = {}
        citations: list[int] = []
        rules: list[tuple[int, str]] = []  # (citation number, the rule's quote)
        calculation: dict[str, Any] = {"kind": route.kind, "inputs": route.understood,
                                       "understood": route.understood_text}
        sentences: list[AnswerSentence] = []
        if route.result is not None:
            result = route.result
            for citation in result.citations:
                try:
                    chunk = self.get_chunk(citation.chunk_id)
                except KeyError:
                    continue
                n = _number(chunks, chunk)
                citations.append(n)
                rules.append((n, citation.quote))
            calculation = {**result.to_dict(), "inputs": result.inputs}
            if result.understood:
                sentences.append(AnswerSentence(result.understood))
            sentences.append(AnswerSentence(result.summary, sorted(set(citations))))
            sentences.extend(self._rule_quotes(rules, chunks))
        elif route.error:
            calculation["error"] = route.error
            calculation["error_field"] = route.error_field
            sentences.append(AnswerSentence(route.understood_text or "", []))
            sentences.append(AnswerSentence(route.error))
        else:
            if route.understood_text:
                sentences.append(AnswerSentence(route.understood_text))
            sentences.append(AnswerSentence(route.follow_up or message("calc_missing", lang)))
        sentences = [s for s in sentences if s.text.strip()]
        note = message("calc_note", lang) if lang != "sl" or route.result is not None else None
        return Answer(question, lang, "calculator", sentences, _Passages(chunks, {}).sources(citations),
                      confidence=1.0, note=note, calculation=calculation, missing=list(route.missing),
                      diagnostics={"calculator": route.to_dict()})

    def _rule_quotes(self, rules: list[tuple[int, str]], chunks: dict[int, Chunk]) -> list[AnswerSentence]:
        """The source sentences that state the calculator's rules ((citation number, quote) pairs), verbatim and
        cited, so the answer shows the rule next to the figure (at most :data:`MAX_RULE_QUOTES`)."""
        quotes: list[AnswerSentence] = []
        for n, quote in rules:
            wanted = collapse_whitespace(quote)
            text = next((s for s in self.scorer.sentences(chunks[n].text) if wanted in collapse_whitespace(s)),
                        wanted)
            if all(q.text != text for q in quotes):
                quotes.append(AnswerSentence(text, [n]))
        return quotes[:MAX_RULE_QUOTES]

    # --- grounded answers ------------------------------------------------------------------------------
    def _numbered_passages(self, result: SearchResult, extra: list[SearchResult] | None = None) -> _Passages:
        """Numbered passages: the top hits (the top hits of each question part first, if any), then the
        same-section neighbours of the best ones."""
        chunks: dict[int, Chunk] = {}
        scores: dict[int, float] = {}
        seen: set[str] = set()

        def add(chunk: Chunk, score: float) -> None:
            if chunk.id not in seen and len(chunks) < MAX_PASSAGES:
                seen.add(chunk.id)
                n = len(chunks) + 1
                chunks[n] = chunk
                scores[n] = score

        for part in extra or []:
            for hit in part.hits[:2]:
                add(hit.chunk, hit.score)
        for hit in result.hits[: self.settings.passages_in_prompt]:
            add(hit.chunk, hit.score)
        for hit in result.hits[:2]:  # neighbour context for the best passages
            for chunk in self.retriever.neighbours(hit.chunk.id, self.settings.neighbour_window):
                add(chunk, 0.0)
        return _Passages(chunks, scores)

    def _grounded(self, question: str, query: str, lang: Language,
                  result: SearchResult) -> Generator[AnswerSentence, None, Answer]:
        passages = self._numbered_passages(result)
        texts = [c.text for c in passages.chunks.values()]
        unmet = unmet_answer_type(question, texts[:3])
        if unmet is not None:
            answer = self._refusal(question, lang, "not_covered", result=result, nearest=True,
                                   reason=f"answer type {unmet} not in passages")
            answer.retrieval_query = query
            yield from answer.sentences
            return answer
        if result.confidence < self.settings.refusal_threshold:
            answer = self._refusal(question, lang, "not_covered", result=result,
                                   reason=f"confidence {result.confidence:.2f} < {self.settings.refusal_threshold}")
            answer.retrieval_query = query
            yield from answer.sentences
            return answer

        timings: dict[str, float] = {}
        diagnostics: dict[str, Any] = {}
        kept: list[AnswerSentence] = []
        use_model = self.generator is not None and self.generator_error is None
        mode: AnswerMode = "llm"
        if self.settings.answer_strategy == "quote_first":
            started = time.perf_counter()
            parts = question_parts(query)
            if len(parts) > 1:  # a two-part question: quote the best sentences for each part
                # each part is searched alone and with the statements before it ("Noseča sem. … ?")
                part_results = [[self.retriever.search(part)] + ([self.retriever.search(f"{context} {part}")]
                                                                 if context else []) for context, part in parts]
                context = parts[0][0]
                context_result = self.retriever.search(context) if context else None
                passages = self._numbered_passages(result, extra=[r for rs in part_results for r in rs] + (
                    [context_result] if context_result else []))
                quotes = self._extractive_parts(parts, part_results, passages)
                if context_result is not None:
                    quotes = self._situation_quote(context, context_result, passages, quotes) + quotes
                diagnostics["question_parts"] = [p for _, p in parts]
            else:
                quotes = self._extractive(question, query, passages)
            timings["extractive_ms"] = timings["first_sentence_ms"] = round((time.perf_counter() - started) * 1000, 2)
            yield from quotes
            added: list[AnswerSentence] = []
            if use_model and quotes:
                added = yield from self._generate_verified(question, lang, passages, result, timings, diagnostics,
                                                           shown=quotes)
            kept = quotes + added
            mode = "llm" if added else "extractive"
        elif use_model:
            kept = yield from self._generate_verified(question, lang, passages, result, timings, diagnostics)
        if self.settings.answer_strategy == "llm_first" and not self._answers(kept, question, result):
            mode = "extractive"
            started = time.perf_counter()
            kept = self._extractive(question, query, passages)
            timings["extractive_ms"] = round((time.perf_counter() - started) * 1000, 2)
            yield from kept
        cited = sorted({n for s in kept for n in s.citations})
        quoted = any(s.text in passages.chunks[n].text for s in kept for n in s.citations if n in passages.chunks)
        note = message("quoted_in_slovenian", lang) if lang != "sl" and quoted else None
        return Answer(question, lang, mode, kept, passages.sources(cited), confidence=round(result.confidence, 4),
                      note=note or None, retrieval_query=query, timings=timings, diagnostics=diagnostics)

    def _generate_verified(self, question: str, lang: Language, passages: _Passages, result: SearchResult,
                           timings: dict[str, float], diagnostics: dict[str, Any],
                           shown: list[AnswerSentence] | None = None,
                           ) -> Generator[AnswerSentence, None, list[AnswerSentence]]:
        """Stream the model's sentences that pass verification and do not repeat what is ``shown`` already.
        Without ``shown``, nothing is streamed until what passed answers the question (see :meth:`_answers`), so a
        stream never shows sentences the final answer drops."""
        shown = shown or []
        # after quotes, the model may only add to their topic: its citations must be in the quoted sections
        topics = {passages.chunks[n].section for s in shown for n in s.citations if n in passages.chunks}
        from assistant.generate import GenerationRequest, GeneratorUnavailable, Passage

        prompt_passages = [Passage(n, c.label, c.text) for n, c in passages.chunks.items()
                           if n <= self.settings.passages_in_prompt]
        request = GenerationRequest(question, lang, prompt_passages)
        texts = {n: c.text for n, c in passages.chunks.items() if n <= self.settings.passages_in_prompt}
        kept: list[AnswerSentence] = []
        verdicts: list[Verdict] = []
        if not self._generator_lock.acquire(blocking=self.settings.llm_when_busy == "wait"):
            diagnostics["generator_busy"] = True  # another question holds the model: answer from the sources
            return kept
        started = time.perf_counter()
        streamed = 0
        try:
            for generated in self.generator.stream(request):
                verdict = self.verifier.check(generated.text, list(generated.citations), texts, question=question)
                verdicts.append(verdict)
                if not verdict.supported:
                    continue
                sentence = AnswerSentence(generated.text.strip(), sorted(set(generated.citations)))
                if topics and any(passages.chunks[n].section not in topics for n in sentence.citations):
                    verdict.supported = False
                    verdict.reasons.append("navaja vir z druge teme kot citati")
                    continue
                if self._repeats(sentence, shown + kept):
                    verdict.supported = False
                    verdict.reasons.append("ponavlja že prikazani stavek")
                    continue
                kept.append(sentence)
                if shown or streamed or self._answers(kept, question, result):
                    if not streamed and not shown:
                        timings["first_sentence_ms"] = round((time.perf_counter() - started) * 1000, 2)
                    yield from kept[streamed:]
                    streamed = len(kept)
                if len(kept) >= self.settings.llm_max_sentences:
                    break
        except GeneratorUnavailable as exc:
            diagnostics["generator_error"] = str(exc)
        except Exception as exc:  # a broken model must not break the answer: the sources are quoted instead
            diagnostics["generator_error"] = f"{type(exc).__name__}: {exc}"
        finally:
            self._generator_lock.release()
        timings["generation_ms"] = round((time.perf_counter() - started) * 1000, 2)
        diagnostics["verdicts"] = [vars(v) for v in verdicts]
        diagnostics["llm_sentences"] = len(verdicts)
        diagnostics["llm_supported"] = len(kept)
        return kept

    def _repeats(self, sentence: AnswerSentence, others: list[AnswerSentence]) -> bool:
        """Does ``sentence`` say nearly the same words as one already in the answer?"""
        return any(self.retriever.analyzer.similar(sentence.text, other.text) for other in others)

    def _answers(self, sentences: list[AnswerSentence], question: str, result: SearchResult) -> bool:
        """Does what survived verification answer the question (shares content with it)?"""
        if not sentences:
            return False
        terms = {t.term for t in self.retriever.query_terms(result.query)}
        return any(terms & self.verifier.passage_terms(s.text) for s in sentences)

    def _extractive_parts(self, parts: list[tuple[str, str]], part_results: list[list[SearchResult]],
                          passages: _Passages) -> list[AnswerSentence]:
        """Up to two quotes per question part, each from that part's own passages, without repeats. A part's
        words count fully, the statements before the question at half weight; a quote must contain one of the
        part's own words, so a vague part ("in kako pridem tja?") adds nothing rather than something unrelated."""
        quotes: list[AnswerSentence] = []
        for (context, part), results in zip(parts, part_results, strict=True):
            focus, own_terms = self._focused_terms(part)
            anchors = {t.term for t in own_terms if t.source != "synonym"}
            terms = own_terms + [replace(t, weight=t.weight / 2) for t in self.retriever.query_terms(context)
                                 if t.term not in anchors]
            own = {hit.chunk.id for result in results for hit in result.hits[:2]}
            candidates = [(n, c.text, c.section) for n, c in passages.chunks.items() if c.id in own]
            quoted = {q.text for q in quotes}
            scored = [s for s in self.scorer.score(terms, part, candidates, focus=focus)
                      if s.text not in quoted and anchors & self.verifier.passage_terms(s.text)]
            quotes.extend(AnswerSentence(s.text, [s.n]) for s in select_sentences(scored, max_sentences=2))
        return quotes[:MAX_QUOTES]

    def _situation_quote(self, context: str, result: SearchResult, passages: _Passages,
                         quotes: list[AnswerSentence]) -> list[AnswerSentence]:
        """The rule for the situation the user states before asking ("Moja sodba še ni pravnomočna. …"): the one
        sentence of the context's best passages that contains nearly all of the statement's words, if any."""
        share = self.scorer.word_share(self.retriever.query_terms(context))
        own = {hit.chunk.id for hit in result.hits[:2]}
        quoted = {q.text for q in quotes}
        best: tuple[float, int, str] | None = None
        for n, chunk in passages.chunks.items():
            if chunk.id not in own:
                continue
            for sentence in self.scorer.sentences(chunk.text):
                covered = share(sentence)
                if sentence not in quoted and covered >= SITUATION_MIN_SHARE and (best is None or covered > best[0]):
                    best = (covered, n, sentence)
        return [AnswerSentence(best[2], [best[1]])] if best else []

    def _focused_terms(self, question: str) -> tuple[QuestionFocus, list[QueryTerm]]:
        """What ``question`` asks for, and the query terms of its topic words (all its words if it is only
        interrogative filler)."""
        focus = question_focus(question)
        return focus, self.retriever.query_terms(focus.topic_text) or self.retriever.query_terms(question)

    def _extractive(self, question: str, query: str, passages: _Passages) -> list[AnswerSentence]:
        focus, terms = self._focused_terms(query)
        scored = self.scorer.score(terms, question, [(n, c.text, c.section) for n, c in passages.chunks.items()],
                                   focus=focus)
        return [AnswerSentence(s.text, [s.n]) for s in select_sentences(scored)]


def naive_answer(assistant: Assistant, question: str) -> Answer:
    """The comparison baseline: dense top-3 passages straight into the LLM, no verifier, no routing."""
    from assistant.generate import GenerationRequest, Passage

    started = time.perf_counter()
    lang = detect_language(question)
    result = assistant.retriever.search(question, k=3, mode="dense")
    chunks = {i: hit.chunk for i, hit in enumerate(result.hits[:3], 1)}
    sentences: list[AnswerSentence] = []
    if assistant.generator is not None:
        generated = assistant.generator.generate(GenerationRequest(question, lang, [
            Passage(n, c.label, c.text) for n, c in chunks.items()]))
        sentences = [AnswerSentence(s.text, [n for n in s.citations]) for s in generated.sentences]
    cited = sorted({n for s in sentences for n in s.citations})
    answer = Answer(question, lang, "llm", sentences, _Passages(chunks, {}).sources(cited), result.confidence,
                    retrieval_query=question)
    answer.timings["total_ms"] = round((time.perf_counter() - started) * 1000, 2)
    return answer
