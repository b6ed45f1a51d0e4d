"""Administrative procedures (thủ tục hành chính) and the validation of their online forms.

A ``Procedure`` is immutable reference data loaded from ``data/catalog/*.yaml``. Its ``form`` drives both the
PWA (which renders it) and ``clean_form`` (which validates what the citizen sent): one definition, so the
two never disagree. The model and the value cleaners live together on purpose: a new field type is one
change in one file (its definition rules and how its values are cleaned).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    ValidationInfo,
    field_validator,
    model_validator,
)

from motcua.domain.errors import InvalidInput
from motcua.domain.phones import normalise_phone
from motcua.domain.processing_time import ProcessingTime
from motcua.domain.units import Level, Unit, UnitTree

SNAKE_CASE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PROCEDURE_CODE = re.compile(r"^[0-9]\.[0-9]{6}$")


def _clean_text(value: str) -> str:
    # Data files must already be NFC: silently normalising would hide text that renders differently
    # elsewhere (exports, the national portal) from what reviewers read in the file.
    value = value.strip()
    if not value:
        raise ValueError("must not be empty")
    if unicodedata.normalize("NFC", value) != value:
        raise ValueError("text is not NFC-normalised (composed Vietnamese diacritics expected)")
    return value


Text = Annotated[StrictStr, AfterValidator(_clean_text)]
Snake = Annotated[StrictStr, Field(pattern=SNAKE_CASE.pattern)]
Slug = Annotated[StrictStr, Field(pattern=SLUG.pattern)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class FieldOfWork(_Frozen):
    """A field of work (lĩnh vực), e.g. hộ tịch."""

    id: Slug
    name: Text
    name_en: Text


class Channel(StrEnum):
    ONLINE = "online"
    COUNTER = "counter"
    POST = "post"


class OnlineLevel(StrEnum):
    """Online service level under Nghị định 42/2022."""

    TOAN_TRINH = "toan_trinh"  # fully online, result online or by post
    MOT_PHAN = "mot_phan"  # partly online

    def label_vi(self) -> str:
        kind = "toàn trình" if self is OnlineLevel.TOAN_TRINH else "một phần"
        return f"Dịch vụ công trực tuyến {kind}"


class Authority(_Frozen):
    """Who decides: a fixed unit (``unit``), or a unit at ``level`` chosen per dossier (usually where the
    applicant lives)."""

    unit: Slug | None = None
    level: Level | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Authority:
        if (self.unit is None) == (self.level is None):
            raise ValueError("give exactly one of 'unit' (a fixed competent unit) or 'level'")
        return self


class Fee(_Frozen):
    """Fee and charge (phí, lệ phí) in VND. ``online_amount_vnd``: the reduced online rate, if any."""

    amount_vnd: Annotated[StrictInt, Field(ge=0)]
    online_amount_vnd: Annotated[StrictInt, Field(ge=0)] | None = None
    label_vi: Text
    is_example: StrictBool = False
    note: Text | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Fee:
        if self.online_amount_vnd is not None and self.online_amount_vnd > self.amount_vnd:
            raise ValueError("online_amount_vnd is a reduced rate and cannot exceed amount_vnd")
        # A demo amount shown to citizens as if it were the law would mislead them.
        if self.is_example and "ví dụ" not in self.label_vi.lower():
            raise ValueError("an example fee must say so in label_vi ('Ví dụ: …')")
        return self


class DocumentKind(StrEnum):
    ORIGINAL = "original"
    CERTIFIED_COPY = "certified_copy"
    COPY = "copy"
    PRESENT = "present"

    def label_vi(self) -> str:
        return _DOCUMENT_KIND_VI[self]


_DOCUMENT_KIND_VI = {
    DocumentKind.ORIGINAL: "Bản chính",
    DocumentKind.CERTIFIED_COPY: "Bản sao có chứng thực",
    DocumentKind.COPY: "Bản sao",
    DocumentKind.PRESENT: "Xuất trình",
}


class Document(_Frozen):
    """A paper in the dossier (thành phần hồ sơ)."""

    id: Snake
    name: Text
    kind: DocumentKind
    count: Annotated[StrictInt, Field(ge=1)] = 1
    required: StrictBool = True
    note: Text | None = None
    # Shown in the sample dossier (hồ sơ mẫu): how to prepare the paper, and mistakes seen at the counter.
    # Only what the sources say; never a rule the sources do not give.
    guidance: Text | None = None
    common_mistakes: Annotated[tuple[Text, ...], Field(max_length=5)] = ()

    @field_validator("common_mistakes")
    @classmethod
    def _unique_mistakes(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        _require_unique(list(value), "common mistake")
        return value

    @property
    def upload_required(self) -> bool:
        """Must an online dossier carry a file for it? Papers to present (xuất trình) are checked at the counter
        or looked up in the national databases, so their upload is optional."""
        return self.required and self.kind is not DocumentKind.PRESENT


class FieldType(StrEnum):
    TEXT = "text"
    TEXTAREA = "textarea"
    DATE = "date"
    SELECT = "select"
    PHONE = "phone"
    EMAIL = "email"
    ID_NUMBER = "id_number"
    TAX_CODE = "tax_code"
    INTEGER = "integer"
    MONEY = "money"
    CHECKBOX = "checkbox"


_FREE_TEXT_TYPES = frozenset({FieldType.TEXT, FieldType.TEXTAREA})
_NUMBER_TYPES = frozenset({FieldType.INTEGER, FieldType.MONEY})
_DEFAULT_MAX_LENGTH = {FieldType.TEXT: 200, FieldType.TEXTAREA: 2000}
# JSON numbers are unbounded in Python; nothing in a dossier needs more (10^15 đồng).
_NUMBER_LIMIT = 10**15


class Option(_Frozen):
    value: Annotated[StrictStr, Field(pattern=r"^[a-z0-9_]+$")]
    label: Text
    label_en: Text


class FormField(_Frozen):
    """One input of a procedure's online form (tờ khai điện tử)."""

    name: Snake
    label: Text
    label_en: Text
    type: FieldType
    required: StrictBool = False
    min_length: Annotated[StrictInt, Field(ge=0)] | None = None
    max_length: Annotated[StrictInt, Field(ge=1)] | None = None
    pattern: StrictStr | None = None
    min: StrictInt | date | None = None
    max: StrictInt | date | None = None
    not_future: StrictBool = False
    # validate_default: a select without any options must be refused, not silently accepted.
    options: tuple[Option, ...] = Field(default=(), validate_default=True)
    help: Text | None = None
    group: Text | None = None
    # A realistic value for the sample dossier where one cannot be generated from the field's name and type
    # (a company's name, a land parcel number). Checked by the field's own rules when the catalog loads.
    sample: StrictStr | StrictInt | StrictBool | None = None

    @field_validator("sample", mode="before")
    @classmethod
    def _date_sample_as_text(cls, value: object, info: ValidationInfo) -> object:
        # YAML reads an unquoted 2024-05-01 as a date; a date field carries dates as ISO text.
        if isinstance(value, date) and info.data.get("type") is FieldType.DATE:
            return value.isoformat()
        return value

    @model_validator(mode="after")
    def _sample_is_valid(self) -> FormField:
        if self.sample is None:
            return self
        try:
            cleaned = _clean_value(self, self.sample, today=date.today())
        except ValueError as exc:
            raise ValueError(f"sample is not a valid answer: {exc}") from None
        if cleaned is None or cleaned != self.sample:
            raise ValueError(f"sample must be written as the form stores it ({cleaned!r})")
        return self

    @field_validator("min_length", "max_length", "pattern")
    @classmethod
    def _only_free_text(cls, value: object, info: ValidationInfo) -> object:
        if value is not None and info.data.get("type") not in _FREE_TEXT_TYPES:
            raise ValueError(f"{info.field_name} applies to text and textarea fields only")
        if info.field_name == "max_length" and value is not None:
            low = info.data.get("min_length")
            if isinstance(low, int) and low > value:  # type: ignore[operator]
                raise ValueError("max_length is below min_length")
        if info.field_name == "pattern" and value is not None:
            try:
                re.compile(str(value))
            except re.error as exc:
                raise ValueError(f"not a valid regular expression: {exc}") from exc
        return value

    @field_validator("min", "max")
    @classmethod
    def _bounds_match_type(cls, value: int | date | None, info: ValidationInfo) -> int | date | None:
        kind = info.data.get("type")
        if value is None or kind is None:
            return value
        if kind is FieldType.DATE and not isinstance(value, date):
            raise ValueError("a date field's bound must be a date (YYYY-MM-DD)")
        if kind in _NUMBER_TYPES and not isinstance(value, int):
            raise ValueError("an integer or money field's bound must be a whole number")
        if kind is not FieldType.DATE and kind not in _NUMBER_TYPES:
            raise ValueError(f"{info.field_name} applies to date, integer and money fields only")
        low = info.data.get("min")
        if info.field_name == "max" and low is not None and type(low) is type(value) and low > value:  # type: ignore[operator]
            raise ValueError("max is below min")
        return value

    @field_validator("not_future")
    @classmethod
    def _not_future_on_dates(cls, value: bool, info: ValidationInfo) -> bool:
        if value and info.data.get("type") not in (FieldType.DATE, None):
            raise ValueError("not_future applies to date fields only")
        return value

    @field_validator("options")
    @classmethod
    def _options_for_select(cls, value: tuple[Option, ...], info: ValidationInfo) -> tuple[Option, ...]:
        kind = info.data.get("type")
        if kind is FieldType.SELECT and not value:
            raise ValueError("a select field needs at least one option")
        if kind is not None and kind is not FieldType.SELECT and value:
            raise ValueError("options apply to select fields only")
        values = [option.value for option in value]
        duplicates = sorted({v for v in values if values.count(v) > 1})
        if duplicates:
            raise ValueError(f"option values must be unique; repeated: {', '.join(duplicates)}")
        return value

    @property
    def effective_max_length(self) -> int | None:
        """The length limit applied to free text: the field's own, else 200 (text) / 2000 (textarea)."""
        return self.max_length if self.max_length is not None else _DEFAULT_MAX_LENGTH.get(self.type)

    def clean(self, value: object, *, today: date) -> object:
        """The normalised value, or ``ValueError`` whose message is the Vietnamese reason (without label)."""
        return _clean_value(self, value, today=today)


# The block every form starts with; the dossier service reads these names for the receipt (Mẫu 01).
APPLICANT_GROUP = "Người yêu cầu"
APPLICANT_FIELDS: tuple[FormField, ...] = (
    FormField(name="applicant_name", label="Họ, chữ đệm, tên người yêu cầu", label_en="Applicant's full name",
              type=FieldType.TEXT, required=True, min_length=2, max_length=100, group=APPLICANT_GROUP,
              help="Ghi đúng như trên thẻ căn cước, có dấu."),
    FormField(name="applicant_id_number", label="Số định danh cá nhân của người yêu cầu",
              label_en="Applicant's personal identification number", type=FieldType.ID_NUMBER, required=True,
              group=APPLICANT_GROUP, help="Gồm 12 chữ số, in trên thẻ căn cước hoặc căn cước công dân."),
    FormField(name="applicant_phone", label="Số điện thoại di động", label_en="Mobile phone number",
              type=FieldType.PHONE, required=True, group=APPLICANT_GROUP,
              help="Để nhận tin nhắn về tiến độ giải quyết hồ sơ."),
    FormField(name="applicant_email", label="Thư điện tử (email)", label_en="Email address",
              type=FieldType.EMAIL, required=False, group=APPLICANT_GROUP),
    FormField(name="applicant_address", label="Nơi cư trú của người yêu cầu",
              label_en="Applicant's place of residence", type=FieldType.TEXT, required=True, max_length=300,
              group=APPLICANT_GROUP,
              help="Nơi thường trú; nếu không có thì nơi tạm trú hoặc nơi đang sinh sống."),
)
APPLICANT_FIELD_NAMES = tuple(f.name for f in APPLICANT_FIELDS)
UNKNOWN_FIELD_MESSAGE = "Trường không tồn tại trong biểu mẫu."


class Procedure(_Frozen):
    """One administrative procedure as the national database publishes it, with its online form."""

    code: Annotated[StrictStr, Field(pattern=PROCEDURE_CODE.pattern)]
    name: Text
    official_name: Text
    name_en: Text
    field: Slug
    level: Level
    authority: Authority
    processing_time: ProcessingTime
    fee: Fee
    documents: Annotated[tuple[Document, ...], Field(min_length=1)]
    form: tuple[FormField, ...]
    online_level: OnlineLevel
    channels: Annotated[tuple[Channel, ...], Field(min_length=1)] = tuple(Channel)
    result: Text
    legal_basis: Annotated[tuple[Text, ...], Field(min_length=1)]
    keywords: tuple[Text, ...] = ()
    sources: Annotated[tuple[Text, ...], Field(min_length=1)]
    unconfirmed: tuple[StrictStr, ...] = ()
    note: Text | None = None
    # Mistakes that make dossiers come back, printed in the sample dossier; sourced like every other fact.
    common_mistakes: Annotated[tuple[Text, ...], Field(max_length=6)] = ()

    @field_validator("common_mistakes")
    @classmethod
    def _unique_procedure_mistakes(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        _require_unique(list(value), "common mistake")
        return value

    @field_validator("processing_time", mode="before")
    @classmethod
    def _strict_processing_time(cls, value: Any) -> Any:
        # ProcessingTime is a plain dataclass: pydantic would coerce "3" or true into an int and ignore typos.
        if isinstance(value, Mapping):
            extra = set(value) - {"amount", "unit"}
            if extra:
                raise ValueError(f"unexpected key(s): {', '.join(sorted(map(str, extra)))}")
            amount = value.get("amount")
            if isinstance(amount, bool) or not isinstance(amount, int):
                raise ValueError("amount must be a whole number of days or hours")
        return value

    @field_validator("documents")
    @classmethod
    def _unique_document_ids(cls, value: tuple[Document, ...]) -> tuple[Document, ...]:
        _require_unique([d.id for d in value], "document id")
        return value

    @field_validator("form")
    @classmethod
    def _form_starts_with_applicant(cls, value: tuple[FormField, ...]) -> tuple[FormField, ...]:
        _require_unique([f.name for f in value], "form field name")
        def shape(fields: tuple[FormField, ...]) -> list[tuple[str, FieldType, bool]]:
            return [(f.name, f.type, f.required) for f in fields]

        if shape(value[: len(APPLICANT_FIELDS)]) != shape(APPLICANT_FIELDS):
            names = ", ".join(APPLICANT_FIELD_NAMES)
            raise ValueError(f"the form must start with the applicant block: {names}")
        return value

    @field_validator("channels")
    @classmethod
    def _unique_channels(cls, value: tuple[Channel, ...]) -> tuple[Channel, ...]:
        _require_unique(list(value), "channel")
        return value

    @field_validator("unconfirmed")
    @classmethod
    def _unconfirmed_names_fields(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [name for name in value if name not in cls.model_fields]
        if unknown:
            raise ValueError(f"not procedure fields: {', '.join(unknown)}")
        _require_unique(list(value), "unconfirmed entry")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Procedure:
        if self.unconfirmed and self.note is None:
            raise ValueError("entries with unconfirmed facts need a note saying what is unconfirmed")
        if self.authority.level is not None and self.authority.level is not self.level:
            raise ValueError(f"authority level {self.authority.level} is not the procedure's {self.level}")
        if self.online_level is OnlineLevel.TOAN_TRINH and Channel.ONLINE not in self.channels:
            raise ValueError("a 'toan_trinh' procedure must accept the online channel")
        return self

    @cached_property
    def fields_by_name(self) -> dict[str, FormField]:
        """The form's fields keyed by name."""
        return {f.name: f for f in self.form}

    def clean_form(
        self, values: Mapping[str, object], *, partial: bool, today: date | None = None
    ) -> tuple[dict[str, object], dict[str, str]]:
        """Validate and normalise a citizen's form values.

        Returns ``(cleaned, errors)``; ``errors`` maps a field name to a Vietnamese message naming the
        field's label. ``partial=True`` (autosaving a draft) accepts missing required fields but still
        rejects wrong values; ``partial=False`` (submitting) requires everything. Empty values are left
        out of ``cleaned``. ``today`` bounds ``not_future`` dates (default: the current date).
        """
        today = today or date.today()
        cleaned: dict[str, object] = {}
        errors: dict[str, str] = {}
        fields = self.fields_by_name
        for key in values:
            if key not in fields:
                errors[str(key)] = UNKNOWN_FIELD_MESSAGE
        for field in self.form:
            raw = values.get(field.name)
            try:
                value = None if raw is None else field.clean(raw, today=today)
            except ValueError as exc:
                errors[field.name] = f"{field.label}: {exc}"
                continue
            if value is None:
                if field.required and not partial:
                    errors[field.name] = f"{field.label}: không được để trống."
                continue
            if field.type is FieldType.CHECKBOX and field.required and value is not True and not partial:
                errors[field.name] = f"{field.label}: cần đánh dấu để xác nhận."
                continue
            cleaned[field.name] = value
        return cleaned, errors

    def competent_unit(
        self, units: UnitTree, *, chosen_unit_id: str | None, receiving_office_id: str
    ) -> Unit:
        """The unit that decides this dossier.

        A fixed authority is that unit. A level authority is the unit the applicant chose if it exists at
        that level, else the receiving office if it is at that level (filing at one's own commune), else
        ``InvalidInput("competent_unit_required")``.
        """
        if self.authority.unit is not None:
            return units.get(self.authority.unit)
        level = self.authority.level
        for candidate_id in (chosen_unit_id, receiving_office_id):
            candidate = units.find(candidate_id) if candidate_id else None
            if candidate is not None and candidate.level is level:
                return candidate
        place = _PLACE_VI[level or Level.COMMUNE]
        raise InvalidInput(
            "competent_unit_required",
            f"Vui lòng chọn {place} giải quyết hồ sơ (thường là nơi cư trú của người yêu cầu).",
            message_en="Choose the unit that will decide this dossier (usually where the applicant lives).",
            fields={"competent_unit_id": f"Chọn {place} giải quyết hồ sơ."},
        )

    def accepts(self, channel: Channel | str) -> bool:
        """Whether dossiers may be filed through this channel (online, counter, post)."""
        return Channel(channel) in self.channels

    def fee_for(self, channel: Literal["online", "counter", "post"] | Channel) -> int:
        """The fee in VND for a channel: the reduced online rate where one exists, else the standard one.

        It does not check that the procedure accepts the channel (a price list shows all of them): call
        ``accepts`` before letting a dossier through a channel.
        """
        if Channel(channel) is Channel.ONLINE and self.fee.online_amount_vnd is not None:
            return self.fee.online_amount_vnd
        return self.fee.amount_vnd

    def is_unconfirmed(self, fact: str) -> bool:
        """Whether a fact (a field name such as 'fee') still needs a source before being shown as fact."""
        return fact in self.unconfirmed


_PLACE_VI = {Level.COMMUNE: "xã, phường", Level.DISTRICT: "huyện", Level.PROVINCE: "tỉnh"}


def _require_unique(values: list[Any], what: str) -> None:
    seen: set[Any] = set()
    repeated = [v for v in values if v in seen or seen.add(v)]  # type: ignore[func-returns-value]
    if repeated:
        raise ValueError(f"{what} '{repeated[0]}' is used more than once")


# --- Cleaning one value. Each cleaner returns the normalised value, None for "empty", or raises ValueError
# with the Vietnamese reason; the caller prefixes the field's label so every message names its field.

_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)
_ID_NUMBER = re.compile(r"^[0-9]{12}$")
_TAX_CODE = re.compile(r"^[0-9]{10}(?:-[0-9]{3})?$")
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
# Bidirectional overrides and invisible separators can make text read differently from what is stored.
_INVISIBLE = frozenset(
    "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
)


def _clean_value(field: FormField, value: object, *, today: date) -> object:
    if field.type is FieldType.CHECKBOX:
        if not isinstance(value, bool):
            raise ValueError("giá trị phải là có hoặc không (true/false).")
        return value
    if field.type in _NUMBER_TYPES:
        return _clean_number(field, value)
    if not isinstance(value, str):
        raise ValueError("giá trị phải là chuỗi ký tự.")
    text = _clean_string(value, multiline=field.type is FieldType.TEXTAREA)
    if not text:
        return None
    if field.type in _FREE_TEXT_TYPES:
        return _clean_free_text(field, text)
    return _STRING_CLEANERS[field.type](field, text, today)


def _clean_string(value: str, *, multiline: bool) -> str:
    value = unicodedata.normalize("NFC", value)
    if multiline:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    for ch in value:
        category = unicodedata.category(ch)
        allowed_control = multiline and ch in "\n\t"
        if (category in ("Cc", "Cs") and not allowed_control) or ch in _INVISIBLE:
            raise ValueError("có ký tự điều khiển không hợp lệ.")
    if multiline:
        return value.strip()
    return " ".join(value.split())


def _clean_free_text(field: FormField, text: str) -> str:
    if field.min_length is not None and len(text) < field.min_length:
        raise ValueError(f"cần ít nhất {field.min_length} ký tự.")
    limit = field.effective_max_length
    if limit is not None and len(text) > limit:
        raise ValueError(f"không được quá {limit} ký tự.")
    if field.pattern is not None and not re.fullmatch(field.pattern, text):
        raise ValueError("không đúng định dạng.")
    return text


def _clean_phone(field: FormField, text: str, today: date) -> str:
    phone = normalise_phone(text)
    if phone is None:
        raise ValueError("số di động không hợp lệ (10 chữ số, bắt đầu bằng 03, 05, 07, 08 hoặc 09).")
    return phone


def _clean_email(field: FormField, text: str, today: date) -> str:
    if len(text) > 254 or not _EMAIL.match(text):
        raise ValueError("địa chỉ thư điện tử không hợp lệ.")
    local, _, domain = text.rpartition("@")
    return f"{local}@{domain.lower()}"


def _clean_id_number(field: FormField, text: str, today: date) -> str:
    digits = text.replace(" ", "")
    if not _ID_NUMBER.match(digits):
        raise ValueError("số định danh cá nhân phải gồm đúng 12 chữ số.")
    return digits


def _clean_tax_code(field: FormField, text: str, today: date) -> str:
    code = text.replace(" ", "")
    if not _TAX_CODE.match(code):
        raise ValueError("mã số thuế gồm 10 chữ số, hoặc 13 chữ số dạng 0123456789-001.")
    return code


def _clean_select(field: FormField, text: str, today: date) -> str:
    if text not in {option.value for option in field.options}:
        raise ValueError("lựa chọn không hợp lệ.")
    return text


def _clean_date(field: FormField, text: str, today: date) -> str:
    try:
        if not _ISO_DATE.match(text):
            raise ValueError(text)
        day = date.fromisoformat(text)
    except ValueError:
        raise ValueError("ngày không hợp lệ.") from None
    if isinstance(field.min, date) and day < field.min:
        raise ValueError(f"không được trước ngày {field.min:%d/%m/%Y}.")
    if isinstance(field.max, date) and day > field.max:
        raise ValueError(f"không được sau ngày {field.max:%d/%m/%Y}.")
    if field.not_future and day > today:
        raise ValueError("không được là ngày trong tương lai.")
    return day.isoformat()


def _clean_number(field: FormField, value: object) -> int | None:
    # bool is an int in Python, and 3.0 is not what a whole-number field means: both are refused.
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, str) and not value.strip():
            return None
        raise ValueError("giá trị phải là số nguyên.")
    default_low = 0 if field.type is FieldType.MONEY else -_NUMBER_LIMIT
    low = field.min if isinstance(field.min, int) else default_low
    high = field.max if isinstance(field.max, int) else _NUMBER_LIMIT
    if value < low:
        raise ValueError(f"phải từ {_format_number(low)} trở lên.")
    if value > high:
        raise ValueError(f"không được lớn hơn {_format_number(high)}.")
    return value


def _format_number(value: int) -> str:
    return f"{value:,}".replace(",", ".")  # Vietnamese thousands separator: 1.000.000


_STRING_CLEANERS = {
    FieldType.PHONE: _clean_phone,
    FieldType.EMAIL: _clean_email,
    FieldType.ID_NUMBER: _clean_id_number,
    FieldType.TAX_CODE: _clean_tax_code,
    FieldType.SELECT: _clean_select,
    FieldType.DATE: _clean_date,
}
