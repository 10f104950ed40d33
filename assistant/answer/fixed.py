"""Fixed answers that never wait for a model: crisis help and refusals (with the nearest rule when it helps)."""

from __future__ import annotations

from dataclasses import replace

from assistant.answer.messages import message, messages
from assistant.answer.passages import Passages
from assistant.answer.resources import Resources
from assistant.question.safety import SafetyVerdict
from assistant.types import Answer, AnswerMode, AnswerSentence, Hit, Language, SearchResult

NEAREST_RULE_MIN_COVERAGE = 0.3


def _languages(lang: Language, also: Language | None) -> list[Language]:
    return [lang] + ([also] if also is not None and also != lang else [])


def _safety_answer(
    question: str,
    lang: Language,
    mode: AnswerMode,
    sentences: list[AnswerSentence],
    passages: Passages,
    verdict: SafetyVerdict,
    safety: str,
    note: str | None = None,
) -> Answer:
    """An answer decided by safety triage: help or a refusal, citing the passages its help sentences rest on."""
    return Answer(
        question,
        lang,
        mode,
        sentences,
        passages.sources(list(passages.chunks)),
        confidence=1.0,
        refused=mode == "refusal",
        note=note,
        diagnostics={"safety": verdict.kind, "safety_evidence": verdict.pattern},
        safety=safety,
    )


class CrisisAnswer:
    """Help for a person in crisis, in her language: every phone number and address cited from the handbook."""

    def __init__(self, resources: Resources) -> None:
        self.resources = resources

    def sentences(
        self, kinds: set[str], lang: Language, passages: Passages, also: Language | None = None
    ) -> list[AnswerSentence]:
        """The help sentences for these crisis kinds, citing the handbook passages they rest on; then the same help
        in ``also`` when the message's language is uncertain (Slovenian or BCS)."""
        sentences: list[AnswerSentence] = []
        for language in _languages(lang, also):
            for template in messages()["crisis"]:
                if not kinds & set(template["kinds"]):
                    continue
                citations = []
                for quote in template["quotes"]:
                    chunk = self.resources.chunk_with(quote)
                    if chunk is not None:
                        citations.append(passages.cite(chunk))
                text = str(template.get(language) or template["sl"]).replace("{", "").replace("}", "")
                sentences.append(AnswerSentence(text, sorted(set(citations))))
        return sentences

    def run(self, question: str, lang: Language, verdict: SafetyVerdict, also: Language | None = None) -> Answer:
        """The crisis answer: help only (also in ``also``, see :meth:`sentences`)."""
        passages = Passages()
        sentences = self.sentences(verdict.help_kinds or {"self_harm"}, lang, passages, also)
        note = message("quoted_in_slovenian", lang) or None
        answer = _safety_answer(question, lang, "crisis", sentences, passages, verdict, verdict.group, note)
        answer.diagnostics["help_languages"] = _languages(lang, also)
        return answer

    def threat(self, question: str, lang: Language, verdict: SafetyVerdict, also: Language | None = None) -> Answer:
        """A threat to hurt someone or a request for means: a short refusal that says to talk to staff, and the
        help text when the message also shows distress. Never an ordinary answer."""
        passages = Passages()
        sentences = [AnswerSentence(message("refuse_threat", lang))]
        if verdict.help_kinds:
            sentences += self.sentences(verdict.help_kinds, lang, passages, also)
        answer = _safety_answer(question, lang, "refusal", sentences, passages, verdict, "threat")
        if verdict.help_kinds:
            answer.diagnostics["help_languages"] = _languages(lang, also)
        return answer

    def with_answer(
        self,
        verdict: SafetyVerdict,
        ordinary: Answer,
        help_sentences: list[AnswerSentence],
        passages: Passages,
        also: Language | None = None,
    ) -> Answer:
        """A possible crisis: the help text (``help_sentences``, citing ``passages``) first, then the ordinary
        answer, its citations renumbered after the help's."""
        lang = ordinary.language
        offset = len(passages.chunks)
        moved = [AnswerSentence(s.text, [n + offset for n in s.citations]) for s in ordinary.sentences]
        sources = passages.sources(list(passages.chunks)) + [
            replace(source, n=source.n + offset) for source in ordinary.sources
        ]
        bridge = [AnswerSentence(message("help_before_answer", lang))] if moved else []
        return replace(
            ordinary,
            sentences=help_sentences + bridge + moved,
            sources=sources,
            safety=verdict.group,
            diagnostics={
                **ordinary.diagnostics,
                "safety": verdict.kind,
                "safety_evidence": verdict.pattern,
                "help_languages": _languages(lang, also),
            },
        )


class RefusalAnswer:
    """A short refusal or "the handbook does not say", optionally with the nearest rule it does state."""

    def __init__(self, resources: Resources) -> None:
        self.resources = resources

    def run(
        self,
        question: str,
        lang: Language,
        key: str,
        verdict: SafetyVerdict | None = None,
        result: SearchResult | None = None,
        nearest: bool = False,
        reason: str = "",
    ) -> Answer:
        """The refusal answer with message ``key``."""
        sentences = [AnswerSentence(message(key, lang))]
        passages = Passages()
        if nearest and result is not None and result.hits:
            quote = self._nearest_rule(question, result)
            if quote is not None:
                hit, text = quote
                n = passages.cite(hit.chunk, hit.score)
                sentences.append(AnswerSentence(f"{message('nearest_rule', lang)} »{text}«", [n]))
        diagnostics = {"refusal": key, "reason": reason}
        if verdict is not None:
            diagnostics["safety"] = verdict.kind
        return Answer(
            question,
            lang,
            "refusal",
            sentences,
            passages.sources(list(passages.chunks)),
            confidence=result.confidence if result else 0.0,
            refused=True,
            retrieval_query=result.query if result else "",
            diagnostics=diagnostics,
        )

    def _nearest_rule(self, question: str, result: SearchResult) -> tuple[Hit, str] | None:
        retriever = self.resources.retriever
        terms = retriever.query_terms(result.query)
        hits = [
            hit
            for hit in result.hits[:3]
            if retriever.store.lexical.coverage(terms, retriever.store.by_id[hit.chunk.id]) >= NEAREST_RULE_MIN_COVERAGE
        ]
        passages = [(i, hit.chunk.text, hit.chunk.section) for i, hit in enumerate(hits)]
        scored = self.resources.scorer.score(terms, question, passages)
        return (hits[scored[0].n], scored[0].text) if scored else None
