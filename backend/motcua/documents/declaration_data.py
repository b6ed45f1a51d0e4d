"""What the declaration form (tờ khai) and the sample dossier print: plain data, no reportlab, so the services
that build it load at a Lambda cold start without the PDF library (``declaration.py`` renders it)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

SAMPLE_MARK = "MẪU — HỒ SƠ MINH HỌA"
SAMPLE_MARK_EN = "SAMPLE — ILLUSTRATION ONLY, NOT A REAL DOSSIER"


@dataclass(frozen=True)
class FormLine:
    """One field of the form as printed. ``value`` is display text ('' = blank); ``choices`` lists a select's
    options so the blank form can show boxes to tick."""

    label: str
    value: str = ""
    group: str | None = None
    required: bool = False
    multiline: bool = False
    checkbox: bool = False
    choices: tuple[str, ...] = ()
    help: str | None = None


@dataclass(frozen=True)
class DeclarationData:
    procedure_code: str
    procedure_name: str  # the official name ("Thủ tục đăng ký khai sinh")
    addressee: str  # "Kính gửi": the competent unit, or '' for a dotted line
    lines: Sequence[FormLine]
    on_date: date | None  # the place-and-date line; None leaves it to fill by hand
    signer_name: str = ""
    reference: str = ""  # printed under the title: the draft's id or "Bản in từ hồ sơ nháp"


@dataclass(frozen=True)
class PaperLine:
    """One paper of the dossier (thành phần hồ sơ)."""

    name: str
    kind_label: str  # "Bản chính", "Bản sao có chứng thực", …
    count: int
    required: bool
    guidance: Sequence[str] = ()
    mistakes: Sequence[str] = ()


@dataclass(frozen=True)
class SampleDossierData:
    procedure_code: str
    procedure_name: str
    official_name: str
    field_name: str
    level_label: str
    url: str  # the procedure's page (QR code)
    fee_label: str
    fee_notes: Sequence[str]
    processing_time_label: str
    result: str
    channels_label: str
    online_label: str
    where: Sequence[str]  # where to file and who decides, one line each
    papers: Sequence[PaperLine]
    common_mistakes: Sequence[str]
    legal_basis: Sequence[str]
    caveats: Sequence[str]  # what the sources do not confirm
    filled: DeclarationData
    blank: DeclarationData
