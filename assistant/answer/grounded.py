"""Grounded answers: numbered passages → verbatim quotes (per question part when there are several) → model
sentences that pass the verifier. Refuses ("not covered") when the passages cannot contain the answer."""

from __future__ import annotations

import time
from collections.abc import Generator, Iterator
from typing import Any

from assistant.answer.fixed import RefusalAnswer
from assistant.answer.messages import message
from assistant.answer.model_sentences import ModelSentences
from assistant.answer.passages import Passages
from assistant.answer.presentation import Presenter
from assistant.answer.quotes import MAX_QUOTES, QuoteSelector, echo
from assistant.answer.resources import Resources
from assistant.question.answer_type import unmet_answer_type
from assistant.question.decompose import question_parts
from assistant.question.focus import question_focus
from assistant.question.scope import mentions_other_institution
from assistant.timing import elapsed_ms
from assistant.types import Answer, AnswerMode, AnswerSentence, Language, SearchResult

MAX_PASSAGES = 10
MAX_PARTS = 8  # a long message: passages of at most this many parts are numbered


class GroundedAnswer:
    """Answers from retrieved passages: quotes first (default) or the model first (``answer_strategy``)."""

    def __init__(self, resources: Resources, refusal: RefusalAnswer) -> None:
        self.resources = resources
        self.refusal = refusal
        self.quotes = QuoteSelector(resources)
        self.model = ModelSentences(resources)

    def passages(self, result: SearchResult, extra: list[SearchResult] | None = None) -> Passages:
        """Numbered passages: the top hits (the top hits of each question part first, if any), then the
        same-section neighbours of the best ones."""
        settings, retriever = self.resources.settings, self.resources.retriever
        passages = Passages(limit=MAX_PASSAGES)
        for part in extra or []:
            for hit in part.hits[:2]:
                passages.add(hit.chunk, hit.score)
        for hit in result.hits[: settings.passages_in_prompt]:
            passages.add(hit.chunk, hit.score)
        for hit in result.hits[:2]:  # neighbour context for the best passages
            for chunk in retriever.neighbours(hit.chunk.id, settings.neighbour_window):
                passages.add(chunk)
        return passages

    def run(
        self, question: str, query: str, lang: Language, result: SearchResult
    ) -> Generator[AnswerSentence, None, Answer]:
        """Stream the answer's sentences; return the complete answer."""
        settings = self.resources.settings
        passages = self.passages(result)
        refusal = self._not_covered(question, query, lang, result, passages)
        if refusal is not None:
            yield from refusal.sentences
            return refusal

        timings: dict[str, float] = {}
        diagnostics: dict[str, Any] = {}
        kept: list[AnswerSentence] = []
        mode: AnswerMode = "llm"
        plain: list[str] = []
        several = len(question_parts(query)) > 1
        if settings.answer_strategy == "quote_first":
            started = time.perf_counter()
            if several:  # a message of several parts: passages are numbered part by part
                passages = Passages(limit=MAX_PASSAGES + 2 * MAX_PARTS)
            presenter = self.presenter()
            quotes: list[AnswerSentence] = []
            shown: list[AnswerSentence] = []
            translated: list[str] = []
            # a question about another prison: after the first plain line, say the rules are those of ZPKZ Ig
            scope_note = mentions_other_institution(question)
            uncovered: list[AnswerSentence] = []  # "the handbook does not answer this part": said after the answers
            seen: set[str] = set()
            answered_parts = 0
            if several:  # each part about another prison says so itself
                scope_note = False
            for group, intro in self._quote_groups(question, query, lang, result, passages, diagnostics):
                if several and group and not any(s.citations for s in group):
                    uncovered += group
                    continue
                answered_parts += intro is None
                presented = presenter.present(
                    group, passages, lang, already=translated, question="" if several else query
                )
                plain += [s.text for s in presented.plain]
                translated += presented.translated
                quotes += group
                new = [s for s in presented.sentences if s.text not in seen]  # a passage two parts share: once
                seen.update(s.text for s in new)
                if intro is not None:  # a part about another prison: said before its nearest Ig rule
                    new = [intro, *new]
                if scope_note and new:  # after the first line, so the answer still leads
                    new = new[:1] + [AnswerSentence(message("other_institution", lang))] + new[1:]
                    scope_note = False
                if new and "first_sentence_ms" not in timings:
                    timings["first_sentence_ms"] = elapsed_ms(started)
                shown += new
                yield from new
            if uncovered:
                timings.setdefault("first_sentence_ms", elapsed_ms(started))
                shown += uncovered
                yield from uncovered
            if several and not answered_parts:  # no part is about ZPKZ Ig's rules: the handbook does not answer it
                diagnostics["no_part_answered"] = True
            if several:  # context for the model: the best passages of the whole message
                for hit in result.hits[: settings.passages_in_prompt]:
                    passages.add(hit.chunk, hit.score)
            timings["extractive_ms"] = elapsed_ms(started)
            timings.setdefault("first_sentence_ms", timings["extractive_ms"])
            unknown = self.unknown_words(query)
            if unknown:  # the answer rests on the words we know: say so (in the note)
                diagnostics["unknown_words"] = unknown
            if translated:
                diagnostics["translated_chunks"] = translated
            presented_sentences = shown
            added: list[AnswerSentence] = []
            if self.resources.model_usable and quotes:
                added = yield from self.model.stream(
                    question, lang, passages, result, timings, diagnostics, shown=quotes
                )
            kept = presented_sentences + added
            mode = "llm" if added else "extractive"
        elif self.resources.model_usable:
            kept = yield from self.model.stream(question, lang, passages, result, timings, diagnostics)
        if settings.answer_strategy == "llm_first" and not self.model.answers(kept, result):
            mode = "extractive"
            started = time.perf_counter()
            kept = self.quotes.best(question, query, passages)
            timings["extractive_ms"] = elapsed_ms(started)
            yield from kept
        cited = sorted({n for s in kept for n in s.citations})
        # every part of a long message was "not covered" (or about another prison: its nearest Ig rule is shown)
        refused = bool(kept) and (not cited or bool(diagnostics.get("no_part_answered")))
        quoted = any(s.text in passages.chunks[n].text for s in kept for n in s.citations if n in passages.chunks)
        note = None
        if lang != "sl" and quoted:
            note = message("quoted_in_slovenian", lang)
        elif lang != "sl" and diagnostics.get("translated_chunks"):
            note = message("unofficial_translation", lang)
        if diagnostics.get("unknown_words"):
            hedge = message("unknown_words", lang).replace("{words}", ", ".join(diagnostics["unknown_words"]))
            note = f"{hedge} {note}" if note else hedge
        return Answer(
            question,
            lang,
            "refusal" if refused else mode,
            kept,
            passages.sources(cited),
            confidence=round(result.confidence, 4),
            refused=refused,
            note=note or None,
            retrieval_query=query,
            timings=timings,
            diagnostics=diagnostics,
            plain=plain,
        )

    def unknown_words(self, query: str) -> list[str]:
        """Words of the question no index knows, not even after typo correction (a misspelling too far from any
        word of the corpus, or a word the corpus does not use)."""
        retriever = self.resources.retriever
        store = retriever.store
        by_word: dict[str, bool] = {}
        # each index reads the question its own way (the translations with their language's lemmas and typos)
        for index in (store.lexical, store.questions, store.foreign):
            if index is None:
                continue
            for term in retriever.analyzer.query_terms(query, index.vocabulary):
                by_word[term.word] = by_word.get(term.word, False) or term.term in index.vocabulary.terms
        return [word for word, found in by_word.items() if not found and len(word) >= 4]

    def _vague(self, part: str) -> bool:
        """A part with at most one word of its own besides the question words: it asks about the story before it."""
        focus = question_focus(part)
        return len({t.word for t in self.resources.retriever.query_terms(focus.topic_text)}) <= 1

    def presenter(self) -> Presenter:
        """Plain lines and translations from the corpus enrichment (quotes only when it cannot be read)."""
        try:
            return Presenter(self.resources.enrichment)
        except (OSError, ValueError):
            return Presenter(None)

    def _not_covered(
        self, question: str, query: str, lang: Language, result: SearchResult, passages: Passages
    ) -> Answer | None:
        """The "not covered" answer when the passages cannot hold the asked-for fact or confidence is too low."""
        threshold = self.resources.settings.refusal_threshold
        # the question's own words (not synonyms or glossary stand-ins such as "strošek" for "košta")
        own = {t.term for t in self.resources.retriever.query_terms(query) if t.source not in ("synonym", "glossary")}
        verifier = self.resources.verifier
        several = len(question_parts(query)) > 1  # a part asking for a price is judged on its own (QuoteSelector)
        unmet = (
            None
            if several
            else unmet_answer_type(
                question,
                [c.text for c in passages.chunks.values()][:3],
                on_topic=lambda text: bool(own & verifier.passage_terms(text)),
            )
        )
        answer: Answer | None = None
        if unmet is not None:
            answer = self.refusal.run(
                question,
                lang,
                "not_covered",
                result=result,
                nearest=True,
                reason=f"answer type {unmet} not in passages",
            )
        elif result.confidence < threshold and not several:  # a long message: each part is judged on its own
            answer = self.refusal.run(
                question, lang, "not_covered", result=result, reason=f"confidence {result.confidence:.2f} < {threshold}"
            )
        if answer is not None:
            answer.retrieval_query = query
        return answer

    def _quote_groups(
        self,
        question: str,
        query: str,
        lang: Language,
        result: SearchResult,
        passages: Passages,
        diagnostics: dict[str, Any],
    ) -> Iterator[tuple[list[AnswerSentence], AnswerSentence | None]]:
        """Quotes for the whole question, or part by part for a message of several parts — each part searched alone
        and with the statements before it ("Noseča sem. … ?"), its quotes yielded as soon as they are chosen, so a
        long message starts answering at once. The rule for a situation the user states comes first. A part about
        another prison gets the nearest Ig rule and, with it, the line that says so (None for every other part);
        such a part does not count as answered."""
        parts = question_parts(query)
        if len(parts) <= 1:
            yield self.quotes.best(question, query, passages), None
            return
        diagnostics["question_parts"] = [p for _, p in parts]
        retriever = self.resources.retriever

        def search(text: str, dense: str | None = None) -> SearchResult:  # in the reader's language
            return retriever.search(text, language=lang, dense_query=dense)

        shown: list[AnswerSentence] = []
        total = max(MAX_QUOTES, len(parts) + 1)  # every part can be answered
        context = parts[0][0]
        context_result = search(context) if context else None
        # plain first: the parts that ask how many / how long / when are answered first, so a figure leads
        ordered = sorted(parts, key=lambda pair: not question_focus(pair[1]).wants_quantity)
        for index, (part_context, part) in enumerate(ordered):
            if part_context and self._vague(part):  # "Is that right?", "kdaj jih prijavim?": about the story
                part_context, part = "", f"{part_context} {part}"
            # with the statements before it, the part keeps its own embedding (and the words of both count)
            results = [search(part)] + ([search(f"{part_context} {part}", dense=part)] if part_context else [])
            for hit in [h for r in results for h in r.hits[:2]]:
                passages.add(hit.chunk, hit.score)
            group: list[AnswerSentence] = []
            if index == 0 and context_result is not None:
                for hit in context_result.hits[:2]:
                    passages.add(hit.chunk, hit.score)
                group = self.quotes.situation(context, context_result, passages, shown)
            group += self.quotes.for_part(part_context, part, results, passages, shown + group, lang, total)
            shown += group
            other = mentions_other_institution(part) and any(s.citations for s in group)
            intro = AnswerSentence(message("other_part", lang).replace("{part}", echo(part))) if other else None
            yield group, intro
