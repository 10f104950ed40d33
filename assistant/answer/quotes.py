"""Which source sentences to quote: the best sentences for the question, per question part, and the rule for a
situation the user states before asking."""

from __future__ import annotations

from dataclasses import replace

from assistant.answer.extractive import select_sentences
from assistant.answer.messages import message
from assistant.answer.passages import Passages
from assistant.answer.resources import Resources
from assistant.question.answer_type import unmet_answer_type
from assistant.question.focus import QuestionFocus, question_focus
from assistant.text.analyze import QueryTerm
from assistant.text.numbers import quantities
from assistant.types import AnswerSentence, Language, SearchResult

MAX_QUOTES = 4  # quotes for a question; a message of several parts gets one more per part beyond three
SITUATION_MIN_SHARE = 0.75  # measured: 0.6–0.9 give the same dev answers
TRANSLATION_MIN_COVERAGE = 0.3  # share of a foreign part's words its paragraph's translation must contain


ECHO_WORDS = 12


def echo(part: str) -> str:
    """The part of a question named back to the reader: its first words, without figures (every figure an answer
    shows comes from a cited passage or the calculator, never from the question)."""
    text = part
    for quantity in reversed(quantities(part)):
        text = text[: quantity.start] + "…" + text[quantity.start + len(quantity.text) :]
    words = text.strip(" ?").split()
    return " ".join(words[:ECHO_WORDS]) + (" …" if len(words) > ECHO_WORDS else "")


class QuoteSelector:
    """Chooses verbatim sentences from numbered passages."""

    def __init__(self, resources: Resources) -> None:
        self.resources = resources

    def focused_terms(self, question: str) -> tuple[QuestionFocus, list[QueryTerm]]:
        """What ``question`` asks for, and the query terms of its topic words (all its words if it is only
        interrogative filler)."""
        retriever = self.resources.retriever
        focus = question_focus(question)
        return focus, retriever.query_terms(focus.topic_text) or retriever.query_terms(question)

    def best(self, question: str, query: str, passages: Passages) -> list[AnswerSentence]:
        """The 1–3 best sentences for the whole question."""
        focus, terms = self.focused_terms(query)
        scored = self.resources.scorer.score(terms, question, passages.candidates(), focus=focus)
        return [AnswerSentence(s.text, [s.n]) for s in select_sentences(scored)]

    def for_part(
        self,
        context: str,
        part: str,
        results: list[SearchResult],
        passages: Passages,
        shown: list[AnswerSentence],
        lang: Language = "sl",
        total: int = MAX_QUOTES,
    ) -> list[AnswerSentence]:
        """Up to two quotes for one part of a question, from that part's own passages, repeating nothing in
        ``shown``. The part's words count fully, the statements before the question at half weight; a quote must
        contain one of the part's own words, so a vague part ("in kako pridem tja?") adds nothing unrelated. A part
        nothing answers (or whose price or date no passage states) is named, with whom to ask."""
        retriever, scorer, verifier = self.resources.retriever, self.resources.scorer, self.resources.verifier
        focus, own_terms = self.focused_terms(part)
        anchors = frozenset(t.term for t in own_terms if t.source != "synonym")
        terms = own_terms + [
            replace(t, weight=t.weight / 2) for t in retriever.query_terms(context) if t.term not in anchors
        ]
        own = {hit.chunk.id for result in results for hit in result.hits[:2]}
        quoted = {q.text for q in shown}
        candidates = passages.candidates(own)
        translated = self.translation_matches(focus.topic_text or part, own, lang)
        scored = [
            s
            for s in scorer.score(terms, part, candidates, focus=focus)
            if s.text not in quoted
            # a foreign part's own words are in the paragraph's translation, not in its Slovenian sentences
            and (anchors & verifier.passage_terms(s.text) or passages.chunks[s.n].id in translated)
        ]
        budget = total - sum(1 for q in shown if q.citations)
        chosen = [AnswerSentence(s.text, [s.n]) for s in select_sentences(scored, max_sentences=2)][: max(budget, 0)]

        def on_topic(text: str) -> bool:
            return bool(anchors & verifier.passage_terms(text))

        if unmet_answer_type(part, [text for _, text, _ in candidates], on_topic=on_topic):
            chosen = []  # the part asks for a price or a date its passages do not state
        if max((r.confidence for r in results), default=0.0) < self.resources.settings.refusal_threshold:
            chosen = []  # nothing in the corpus is about this part
        if not chosen and budget > 0:  # say so, rather than leave a part silently unanswered
            chosen = [AnswerSentence(message("part_not_covered", lang).replace("{part}", echo(part)))]
        return chosen

    def translation_matches(self, part: str, chunk_ids: set[str], lang: Language) -> dict[str, float]:
        """For an English or BCS part: the chunks among ``chunk_ids`` whose translation contains at least
        TRANSLATION_MIN_COVERAGE of the part's own words (her words cannot be found in the Slovenian sentences),
        with that share."""
        store = self.resources.retriever.store
        if lang == "sl" or store.foreign is None:
            return {}
        foreign = store.foreign
        terms = self.resources.retriever.analyzer.query_terms(part, foreign.vocabulary)
        if not terms:
            return {}
        shares = {chunk_id: foreign.coverage(terms, store.by_id[chunk_id]) for chunk_id in chunk_ids}
        return {chunk_id: share for chunk_id, share in shares.items() if share >= TRANSLATION_MIN_COVERAGE}

    def situation(
        self, context: str, result: SearchResult, passages: Passages, quotes: list[AnswerSentence]
    ) -> list[AnswerSentence]:
        """The rule for the situation the user states before asking ("Moja sodba še ni pravnomočna. …"): the one
        sentence of the context's best passages that contains nearly all of the statement's words, if any."""
        scorer = self.resources.scorer
        share = scorer.word_share(self.resources.retriever.query_terms(context))
        own = {hit.chunk.id for hit in result.hits[:2]}
        quoted = {q.text for q in quotes}
        best: tuple[float, int, str] | None = None
        for n, chunk in passages.chunks.items():
            if chunk.id not in own:
                continue
            for sentence in scorer.sentences(chunk.text):
                covered = share(sentence)
                if sentence not in quoted and covered >= SITUATION_MIN_SHARE and (best is None or covered > best[0]):
                    best = (covered, n, sentence)
        return [AnswerSentence(best[2], [best[1]])] if best else []
