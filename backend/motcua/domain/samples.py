"""Realistic sample answers for a procedure's form: what the sample dossier (hồ sơ mẫu) prints as filled in.

Values come from, in order: the field's ``sample`` in the catalog (for things no rule can make up well — a
company's name, a parcel number), else a generator chosen from the field's type and name (people's names with
the sex their role implies, Đồng Nai addresses, 12-digit personal numbers whose first digits encode the
province, sex and century as on real cards, dates that respect the field's bounds). Everything is seeded by
the procedure code, so the same entry always gives the same sample (the sample PDF is cached by a hash of
the entry). Every generated answer passes the form's own validation; ``sample_answers`` checks that.

Pure: no I/O. A field the generator cannot fill realistically is left out (printed as a blank line); the
catalog tests require every field of the packaged catalog to be covered.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta

from motcua.domain.procedures import FieldType, FormField, Procedure

# The date the sample is "filled in" on: fixed, so the rendered sample only changes when the entry does.
SAMPLE_DATE = date(2026, 3, 16)

_SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ",
             "Ngô", "Dương")
_MIDDLE = {"m": ("Văn", "Minh", "Quốc", "Đức", "Hữu", "Thanh", "Gia"),
           "f": ("Thị", "Ngọc", "Thu", "Thanh", "Mỹ", "Bảo", "Thùy")}
_GIVEN = {"m": ("An", "Bình", "Cường", "Dũng", "Hùng", "Khang", "Long", "Nam", "Phúc", "Quân", "Sơn", "Tuấn"),
          "f": ("Anh", "Chi", "Hà", "Hương", "Lan", "Linh", "Mai", "Ngân", "Nhung", "Thảo", "Trang", "Vy")}
_STREETS = ("Phạm Văn Thuận", "Võ Thị Sáu", "Đồng Khởi", "Nguyễn Ái Quốc", "Hà Huy Giáp", "Phan Trung",
            "Huỳnh Văn Nghệ", "Bùi Văn Hòa", "Cách Mạng Tháng Tám", "Nguyễn Văn Trỗi")
HOME_WARD = "phường Trấn Biên"
_WARDS = ("phường Trấn Biên", "phường Biên Hòa", "phường Tam Hiệp", "phường Long Bình", "phường Long Khánh",
          "xã Trảng Bom")
_HOMETOWNS = ("xã Nghĩa Hành, tỉnh Quảng Ngãi", "phường Trấn Biên, tỉnh Đồng Nai", "xã Hải Hậu, tỉnh Ninh Bình",
              "phường Thuận Hóa, thành phố Huế", "xã Cần Giuộc, tỉnh Tây Ninh")
_PROVINCE_ID_PREFIX = "075"  # Đồng Nai's code in the first three digits of a personal identification number
_PHONE_PREFIXES = ("091", "098", "090", "093", "097", "086", "038", "035", "070", "083")
_HOSPITAL = "Bệnh viện Đa khoa Đồng Nai, số 2 Đồng Khởi, phường Tam Hiệp, tỉnh Đồng Nai"
_FEMALE_ROLES = ("mother", "bride", "wife")
_MALE_ROLES = ("father", "groom", "husband")


class _Person:
    """One made-up person: a name matching the sex, a birth date and a personal number that fit each other."""

    def __init__(self, rng: random.Random, sex: str, born: date) -> None:
        self.sex = sex
        self.born = born
        self.name = f"{rng.choice(_SURNAMES)} {rng.choice(_MIDDLE[sex])} {rng.choice(_GIVEN[sex])}"
        century = 0 if born.year < 2000 else 2
        digit = century + (0 if sex == "m" else 1)
        self.id_number = f"{_PROVINCE_ID_PREFIX}{digit}{born.year % 100:02d}{rng.randrange(10**6):06d}"


class _Sampler:
    def __init__(self, procedure: Procedure) -> None:
        self.procedure = procedure
        self.rng = random.Random(f"motcua-sample:{procedure.code}")
        self.people: dict[str, _Person] = {}
        self.answers: dict[str, object] = {}
        self._home: str | None = None

    # --- people ---------------------------------------------------------------------------------------------

    def role_of(self, name: str) -> str:
        """The person a field belongs to: 'applicant_name' and 'applicant_id_number' share 'applicant'."""
        for suffix in ("_full_name", "_name", "_id_number", "_date_of_birth", "_birth_year", "_sex", "_ethnicity",
                       "_nationality", "_residence", "_identity_document", "_hometown", "_place_of_birth",
                       "_last_residence"):
            if name.endswith(suffix):
                return name[: -len(suffix)]
        if name in ("date_of_birth", "sex", "ethnicity", "nationality", "place_of_birth"):
            return "applicant"
        return name

    def person(self, role: str) -> _Person:
        role = self._alias(role)
        if role not in self.people:
            sex = self._sex_of(role)
            person = _Person(self.rng, sex, self._birth_date_of(role))
            fields = self.procedure.fields_by_name
            if role == "child" and "father_full_name" in fields:
                # A child usually carries the father's family name...
                person.name = " ".join([self.person("father").name.split()[0], *person.name.split()[1:]])
            elif role == "father" and "child_full_name" not in fields and self._alias("applicant") == "applicant":
                # ...and so does an applicant whose parents the form asks about (lý lịch tư pháp).
                person.name = " ".join([self.person("applicant").name.split()[0], *person.name.split()[1:]])
            self.people[role] = person
        return self.people[role]

    def _alias(self, role: str) -> str:
        """The applicant is the child's father or mother when the form's relationship sample says so."""
        if role != "applicant":
            return role
        for field in self.procedure.form:
            if field.name.startswith("quan_he_voi") and isinstance(field.sample, str):
                relation = field.sample.lower()
                if relation in ("cha", "bố") and "father_full_name" in self.procedure.fields_by_name:
                    return "father"
                if relation == "mẹ" and "mother_full_name" in self.procedure.fields_by_name:
                    return "mother"
        return role

    def _sex_of(self, role: str) -> str:
        if role == "spouse":
            return "m" if self.person("applicant").sex == "f" else "f"
        if any(word in role for word in _FEMALE_ROLES):
            return "f"
        if any(word in role for word in _MALE_ROLES):
            return "m"
        for field in self.procedure.form:
            if field.type is FieldType.SELECT and self.role_of(field.name) == role and field.name.endswith("sex"):
                return "f" if self.value(field) == "nu" else "m"
        if role == "applicant":
            for field in self.procedure.form:
                if field.name in ("sex", "owner_sex") and field.type is FieldType.SELECT:
                    return "f" if self.value(field) == "nu" else "m"
        return self.rng.choice("mf")

    def _birth_date_of(self, role: str) -> date:
        if role == "child":
            return self._bounded(SAMPLE_DATE - timedelta(days=12), None)
        if role in ("subject", "deceased"):
            years = 31 if role == "subject" else 78
        elif role in ("mother", "father", "bride", "groom"):
            years = {"mother": 29, "father": 32, "bride": 26, "groom": 28}[role]
        else:
            years = 34 + self.rng.randrange(12)
        return SAMPLE_DATE.replace(year=SAMPLE_DATE.year - years) - timedelta(days=self.rng.randrange(300))

    def _bounded(self, day: date, field: FormField | None) -> date:
        if field is not None:
            if isinstance(field.min, date) and day < field.min:
                day = field.min
            if isinstance(field.max, date) and day > field.max:
                day = field.max
        return day

    # --- values ---------------------------------------------------------------------------------------------

    def value(self, field: FormField) -> object:
        if field.name in self.answers:
            return self.answers[field.name]
        if field.sample is not None:
            found: object = field.sample
        else:
            found = self._generate(field)
        self.answers[field.name] = found
        return found

    def home_address(self) -> str:
        """The household's address: the applicant and their family live at the same place, in the ward whose
        officials the demo data has (phường Trấn Biên), as the catalog's own samples assume."""
        if self._home is None:
            self._home = self.address(ward=HOME_WARD)
        return self._home

    def address(self, ward: str | None = None) -> str:
        number = self.rng.randrange(2, 240)
        return (f"Số {number} đường {self.rng.choice(_STREETS)}, khu phố {self.rng.randrange(1, 9)}, "
                f"{ward or self.rng.choice(_WARDS)}, tỉnh Đồng Nai")

    def _generate(self, field: FormField) -> object:
        name = field.name
        for matches, make in _GENERATORS.get(field.type, ()):
            if matches(name):
                return make(self, field)
        return None


def _has(*words: str) -> Callable[[str], bool]:
    return lambda name: any(word in name for word in words)


def _any(name: str) -> bool:
    return True


def _text_person_name(s: _Sampler, f: FormField) -> object:
    return s.person(s.role_of(f.name)).name


def _date(s: _Sampler, f: FormField) -> object:
    name = f.name
    if "birth" in name:
        day = s.person(s.role_of(name)).born
    elif "death" in name:
        day = SAMPLE_DATE - timedelta(days=3)
    elif "registration_date" in name:
        day = s.person("subject").born + timedelta(days=20)
    elif "issue" in name:
        day = SAMPLE_DATE.replace(year=SAMPLE_DATE.year - 9, month=6, day=12)
    elif "end" in name or name.endswith("_to"):
        day = SAMPLE_DATE.replace(year=SAMPLE_DATE.year + 2) if "contract" not in name else SAMPLE_DATE - timedelta(
            days=20)
    elif name.endswith("_from") or "use_start" in name:
        day = SAMPLE_DATE.replace(year=SAMPLE_DATE.year - 12, month=1, day=1)
    elif "start" in name:
        day = SAMPLE_DATE + timedelta(days=30)
    else:
        day = SAMPLE_DATE - timedelta(days=10)
    if f.not_future and day > SAMPLE_DATE:
        day = SAMPLE_DATE
    return s._bounded(day, f).isoformat()


def _integer(s: _Sampler, f: FormField) -> object:
    name = f.name
    if "birth_year" in name:
        value = s.person(s.role_of(name)).born.year
    elif "copies" in name or "copy_count" in name:
        value = 2
    elif "page_count" in name:
        value = 3
    else:
        value = 5
    low = f.min if isinstance(f.min, int) else 0
    high = f.max if isinstance(f.max, int) else value
    return min(max(value, low), high)


_GENERATORS: dict[FieldType, tuple[tuple[Callable[[str], bool], Callable[[_Sampler, FormField], object]], ...]] = {
    FieldType.TEXT: (
        (_has("full_name", "applicant_name", "head_name", "representative_name", "party_name"), _text_person_name),
        (_has("ethnicity"), lambda s, f: "Kinh"),
        (_has("nationality"), lambda s, f: "Việt Nam"),
        (_has("hometown"), lambda s, f: s.rng.choice(_HOMETOWNS)),
        (_has("place_of_birth"), lambda s, f: _HOSPITAL),
        (_has("identity_document"), lambda s, f: f"Thẻ căn cước số {s.person(s.role_of(f.name)).id_number}"),
        (_has("new_"), lambda s, f: s.address()),  # a new address is somewhere else
        (_has("applicant_address", "residence", "permanent_address"), lambda s, f: s.home_address()),
        (_has("address"), lambda s, f: s.address()),
    ),
    FieldType.PHONE: ((_any, lambda s, f: f"{s.rng.choice(_PHONE_PREFIXES)}{s.rng.randrange(10**7):07d}"),),
    FieldType.EMAIL: ((_any, lambda s, f: "nguoiyeucau.mau@example.vn"),),
    FieldType.ID_NUMBER: ((_any, lambda s, f: s.person(s.role_of(f.name)).id_number),),
    FieldType.TAX_CODE: ((_any, lambda s, f: f"36{s.rng.randrange(10**8):08d}"),),
    FieldType.DATE: ((_any, _date),),
    FieldType.INTEGER: ((_any, _integer),),
    FieldType.SELECT: ((_any, lambda s, f: f.options[0].value),),
    FieldType.CHECKBOX: ((_any, lambda s, f: True),),
}


def sample_answers(procedure: Procedure) -> dict[str, object]:
    """Realistic answers for the procedure's form (field name → value as the form stores it).

    Fields neither the catalog nor a generator can fill are left out. Raises ``ValueError`` if a generated
    answer would not pass the form's validation on ``SAMPLE_DATE`` (a bug in a generator, never in data).
    """
    sampler = _Sampler(procedure)
    answers = {}
    for field in procedure.form:
        value = sampler.value(field)
        if value is not None:
            answers[field.name] = value
    _cleaned, errors = procedure.clean_form(answers, partial=True, today=SAMPLE_DATE)
    if errors:
        raise ValueError(f"{procedure.code}: sample answers do not validate: {errors}")
    return answers



def display_value(field: FormField, value: object) -> str:
    """How an answer reads on paper: option labels, dd/mm/yyyy dates, 1.000.000 đồng, Có/Không."""
    if value is None or value == "":
        return ""
    if field.type is FieldType.SELECT:
        for option in field.options:
            if option.value == value:
                return option.label
        return str(value)
    if field.type is FieldType.CHECKBOX:
        return "Có" if value is True else "Không"
    if field.type is FieldType.DATE and isinstance(value, str):
        try:
            return date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    if field.type is FieldType.MONEY and isinstance(value, int):
        return f"{value:,} đồng".replace(",", ".")
    return str(value)
