"""How the assistant reads a question: aspect, typo and accent tolerance, and when it is unsure."""

import pytest

from motcua.adapters.catalog_files import load_catalog
from motcua.domain.assistant import Aspect, QuestionIndex

CATALOG = load_catalog()
INDEX = QuestionIndex(CATALOG.all(), {k: f.name for k, f in CATALOG.fields_of_work.items()})


@pytest.mark.parametrize(("question", "aspect"), [
    ("khai sinh mất bao lâu", Aspect.TIME),
    ("khai sinh mất bao nhiêu tiền", Aspect.FEE),
    ("khai sinh mất mấy ngày", Aspect.TIME),
    ("bản sao giấy tờ bao nhiêu tiền", Aspect.FEE),  # the papers are the object; the fee is asked
    ("khai sinh nộp ở đâu", Aspect.WHERE),
    ("khai sinh cần những giấy tờ gì", Aspect.DOCUMENTS),
    ("khai sinh", Aspect.OVERVIEW),
])
def test_the_aspect_asked(question, aspect):
    assert INDEX.understand(question).aspect is aspect


def test_mat_in_an_aspect_phrase_is_not_a_death():
    understood = INDEX.understand("đăng ký kết hôn mất bao lâu")
    assert understood.best.code == "1.000894"
    assert "mat" not in understood.terms


def test_accents_typos_and_spellings_give_the_same_procedure():
    codes = {INDEX.understand(q).best.code for q in (
        "đăng ký khai sinh", "dang ky khai sinh", "dang ki khai sinh", "dăng ký khái sính", "đăng ký khai sinhh")}
    assert codes == {"1.001193"}


def test_a_procedure_code_names_the_procedure():
    understood = INDEX.understand("thủ tục 1.004873 lệ phí bao nhiêu")
    assert (understood.best.code, understood.aspect, understood.reason) == ("1.004873", Aspect.FEE, "code")
    assert INDEX.understand("thủ tục 9.999999 lệ phí").unsure  # an unknown code is not a match


@pytest.mark.parametrize("question", ["", "???", "cần gì", "ở đâu", "the and of"])
def test_nothing_to_go_on_is_unsure(question):
    understood = INDEX.understand(question)
    assert understood.unsure and understood.best is None


def test_two_procedures_equally_close_is_unsure():
    # Both food-safety certificates are "giấy chứng nhận an toàn thực phẩm": which ministry is not said.
    understood = INDEX.understand("giấy chứng nhận an toàn thực phẩm")
    assert understood.unsure and understood.reason == "ambiguous"
    assert {m.code for m in understood.matches[:2]} == {"2.000591", "1.013855"}
