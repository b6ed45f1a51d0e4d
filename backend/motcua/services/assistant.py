"""The 1022 assistant (hỏi đáp 1022): answers a citizen's question from the catalog only.

It understands the question with :mod:`motcua.domain.assistant` and answers the aspect asked — the papers, the
fee, the processing time, where to file, or all four — in the catalog's own words, citing the procedure it
answers from (code, name, link to its page). When it is unsure it says so plainly, lists up to three
candidate procedures and offers to send the question to the hotline as a feedback item (the feedback form at
``/phan-anh?question=…``). Nothing leaves the server: no external AI service.

Questions are public and anonymous: limited in length and in number per client address.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import quote

from motcua.domain.assistant import MAX_QUESTION_LENGTH, Aspect, QuestionIndex
from motcua.domain.catalog import Catalog
from motcua.domain.errors import InvalidInput, TooManyRequests
from motcua.domain.procedures import DocumentKind, Procedure
from motcua.services.ports import Clock, UnitOfWorkFactory
from motcua.services.samples import SampleDossierService, online_fee_line

QUESTIONS_PER_IP = 30
WINDOW_SECONDS = 10 * 60
FEEDBACK_PATH = "/phan-anh"
RELATED_SHARE = 0.5
_MARKUP = frozenset("<>")

ASPECT_LABELS = {
    Aspect.DOCUMENTS: ("Giấy tờ cần chuẩn bị", "Documents needed"),
    Aspect.FEE: ("Phí, lệ phí", "Fee"),
    Aspect.TIME: ("Thời hạn giải quyết", "Processing time"),
    Aspect.WHERE: ("Nơi nộp hồ sơ", "Where to file"),
    Aspect.OVERVIEW: ("Tóm tắt thủ tục", "Summary"),
}


_KIND_EN = {DocumentKind.ORIGINAL: "original", DocumentKind.CERTIFIED_COPY: "certified copy",
            DocumentKind.COPY: "copy", DocumentKind.PRESENT: "show the original"}


@dataclass(frozen=True)
class Cited:
    code: str
    name: str
    name_en: str
    url: str  # the procedure's page in the app (a path on this site)
    sample_url: str  # its sample dossier PDF


@dataclass(frozen=True)
class Reply:
    question: str
    aspect: Aspect
    unsure: bool
    answer: str  # plain text, Vietnamese; lines separated by "\n"
    answer_en: str
    procedure: Cited | None
    candidates: list[Cited] = field(default_factory=list)
    feedback_url: str | None = None  # the hotline offer when unsure


class AssistantService:
    def __init__(self, catalog: Catalog, samples: SampleDossierService, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._catalog = catalog
        self._samples = samples
        self._uow = uow
        self._clock = clock

    @cached_property
    def _index(self) -> QuestionIndex:
        """Built on the first question, not when the app starts: a Lambda cold start that answers no question
        does not pay for it (about 13 ms on the packaged catalog). Pure; a race builds it twice, harmlessly."""
        return QuestionIndex(self._catalog.all(), {k: f.name for k, f in self._catalog.fields_of_work.items()})

    def ask(self, question: object, *, client_ip: str, unexpected: list[str] | None = None) -> Reply:
        """Answer ``question``; ``unexpected``: other keys the caller sent (refused, so typos are noticed)."""
        if unexpected:
            raise InvalidInput("validation_failed", "Chỉ gửi trường 'question'.", message_en="Send only 'question'.",
                               fields={key[:50]: "Trường không được hỗ trợ." for key in unexpected[:5]})
        text = clean_question(question)
        self._count(client_ip)
        understood = self._index.understand(text)
        feedback_url = f"{FEEDBACK_PATH}?question={quote(text, safe='')}"
        if understood.unsure:
            candidates = [self._cite(self._catalog.get(m.code)) for m in understood.matches[:3]]
            if candidates:
                answer = ("Tôi chưa chắc bạn hỏi về thủ tục nào. Có thể là một trong các thủ tục dưới đây; "
                          "nếu không phải, bạn có thể gửi câu hỏi đến tổng đài 1022 để được trả lời.")
                answer_en = ("I am not sure which procedure you mean. It may be one of those below; if not, send "
                             "your question to the 1022 hotline.")
            else:
                answer = ("Tôi chưa tìm thấy thủ tục nào trong danh mục khớp với câu hỏi này. Bạn có thể gửi câu "
                          "hỏi đến tổng đài 1022 để được trả lời.")
                answer_en = "No procedure in the catalogue matches this question. Send it to the 1022 hotline."
            return Reply(text, understood.aspect, True, answer, answer_en, None, candidates, feedback_url)
        best = understood.best
        assert best is not None
        procedure = self._catalog.get(best.code)
        answer, answer_en = self.compose(procedure, understood.aspect)
        # Related procedures: only those that came close (a far runner-up is noise, not a hint).
        others = [self._cite(self._catalog.get(m.code)) for m in understood.matches[1:3]
                  if m.score >= RELATED_SHARE * best.score]
        return Reply(text, understood.aspect, False, answer, answer_en, self._cite(procedure), others, None)

    def compose(self, procedure: Procedure, aspect: Aspect) -> tuple[str, str]:
        """The answer for one aspect, from the catalog entry (never anything the catalog does not say)."""
        head = f"Thủ tục {procedure.name} (mã {procedure.code})."
        head_en = f"{procedure.name_en} (procedure {procedure.code})."
        parts = {
            Aspect.DOCUMENTS: self._documents(procedure),
            Aspect.FEE: self._fee(procedure),
            Aspect.TIME: self._time(procedure),
            Aspect.WHERE: self._where(procedure),
        }
        parts_en = {
            Aspect.DOCUMENTS: "Documents needed (names as on the Vietnamese forms): " + "; ".join(
                f"{d.name} ({_KIND_EN[d.kind]})" for d in procedure.documents if d.required) + ".",
            Aspect.FEE: f"Fee (as the catalogue states it, in Vietnamese): {procedure.fee.label_vi}"
                        + (" — an example amount, not confirmed." if procedure.fee.is_example else "."),
            Aspect.TIME: f"Processing time: {procedure.processing_time.label_en()}.",
            Aspect.WHERE: f"Decided by: {self._samples.competent_label(procedure)}; file online or at any "
                          "one-stop office in the province.",
        }
        if aspect is Aspect.OVERVIEW:
            order = [Aspect.DOCUMENTS, Aspect.FEE, Aspect.TIME, Aspect.WHERE]
            body = [line for a in order for line in parts[a]]
            body_en = [parts_en[a] for a in order]
        else:
            body = parts[aspect]
            body_en = [parts_en[aspect]]
        return "\n".join([head, *body]), "\n".join([head_en, *body_en])

    # --- the aspects --------------------------------------------------------------------------------------------

    def _documents(self, p: Procedure) -> list[str]:
        lines = ["Giấy tờ cần chuẩn bị:"]
        for d in p.documents:
            if not d.required:
                continue
            how = "xuất trình" if d.kind is DocumentKind.PRESENT else f"{d.kind.label_vi().lower()}, {d.count:02d} bản"
            lines.append(f"- {d.name} ({how})")
        optional = [d.name for d in p.documents if not d.required]
        if optional:
            lines.append("Tùy trường hợp: " + "; ".join(optional) + ".")
        lines.append("Hồ sơ mẫu (tờ khai điền sẵn và để trống) có ở trang thủ tục.")
        return lines

    def _fee(self, p: Procedure) -> list[str]:
        lines = [f"Phí, lệ phí: {p.fee.label_vi}."]
        online = online_fee_line(p)
        if online:
            lines.append(online)
        if p.fee.note:
            lines.append(p.fee.note)
        if p.fee.is_example or p.is_unconfirmed("fee"):
            lines.append("Lưu ý: mức phí này chưa được xác nhận; hãy hỏi bộ phận một cửa trước khi nộp.")
        return lines

    def _time(self, p: Procedure) -> list[str]:
        lines = [f"Thời hạn giải quyết: {p.processing_time.label_vi()} kể từ khi nhận đủ hồ sơ hợp lệ."]
        if p.is_unconfirmed("processing_time"):
            lines.append("Lưu ý: thời hạn này chưa được xác nhận.")
        return lines

    def _where(self, p: Procedure) -> list[str]:
        return self._samples.where_lines(p)

    def _cite(self, p: Procedure) -> Cited:
        return Cited(code=p.code, name=p.name, name_en=p.name_en, url=f"/thu-tuc/{p.code}",
                     sample_url=f"/api/v1/procedures/{p.code}/sample-dossier.pdf")

    def _count(self, client_ip: str) -> None:
        with self._uow() as uow:
            wait = uow.rate_limits.hit(f"assistant-ip:{client_ip}", limit=QUESTIONS_PER_IP,
                                       window_seconds=WINDOW_SECONDS, now=self._clock.now())
            uow.commit()
        if wait:
            raise TooManyRequests(
                "rate_limited", f"Bạn hỏi quá nhiều trong thời gian ngắn. Vui lòng thử lại sau {wait} giây.",
                retry_after=wait, message_en=f"Too many questions. Try again in {wait} seconds.")


def clean_question(question: object) -> str:
    """The question as text (NFC, single spaces), or ``InvalidInput``: not text, empty, too long, or markup."""
    if not isinstance(question, str):
        raise _invalid("Câu hỏi phải là một đoạn văn bản.", "The question must be a string.")
    text = " ".join(unicodedata.normalize("NFC", question).split())
    if not text:
        raise _invalid("Vui lòng nhập câu hỏi.", "Type a question.")
    if len(text) > MAX_QUESTION_LENGTH:
        raise _invalid(f"Câu hỏi tối đa {MAX_QUESTION_LENGTH} ký tự.",
                       f"A question has at most {MAX_QUESTION_LENGTH} characters.")
    if any(ch in _MARKUP or unicodedata.category(ch) in ("Cc", "Cf", "Cs") for ch in text):
        raise _invalid("Câu hỏi có ký tự không hợp lệ (như < hoặc >).", "The question contains characters not allowed.")
    return text


def _invalid(message: str, message_en: str) -> InvalidInput:
    return InvalidInput("validation_failed", message, message_en=message_en, fields={"question": message})

