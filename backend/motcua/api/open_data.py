"""Open-data tables: their columns (name, type, meaning — the published schema), and CSV/JSON renderings.

CSV is UTF-8 with a byte-order mark: Excel, the tool most readers open a CSV with, reads a file without one in the
computer's legacy code page and turns "Phường Trấn Biên" into mojibake; with the BOM it reads UTF-8. Other tools
(pandas, R, LibreOffice) skip the BOM. JSON carries the same column names, one object per row.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import Response

from motcua.domain.catalog import Catalog
from motcua.domain.procedures import Procedure
from motcua.services.statistics_report import OPEN_STATS_COLUMNS, SCHEMA_VERSION

LICENSE = "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)"
PUBLISHER = "Ủy ban nhân dân tỉnh Đồng Nai"
CACHE = "public, max-age=300"


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # string | integer | decimal | boolean | month
    description: str


PROCEDURE_COLUMNS = (
    Column("code", "string", "Mã thủ tục trên Cơ sở dữ liệu quốc gia (D.DDDDDD)"),
    Column("name", "string", "Tên thủ tục"),
    Column("name_en", "string", "Tên thủ tục (tiếng Anh)"),
    Column("field_id", "string", "Mã lĩnh vực"),
    Column("field_name", "string", "Tên lĩnh vực"),
    Column("level", "string", "Cấp thực hiện: province | district | commune"),
    Column("competent_unit_id", "string", "Cơ quan giải quyết cố định (trống nếu do đơn vị cùng cấp nơi nộp)"),
    Column("competent_unit_name", "string", "Tên cơ quan giải quyết cố định"),
    Column("processing_time_amount", "integer", "Thời hạn giải quyết"),
    Column("processing_time_unit", "string", "Đơn vị thời hạn: working_days | working_hours"),
    Column("fee_vnd", "integer", "Phí, lệ phí (đồng)"),
    Column("fee_online_vnd", "integer", "Phí, lệ phí khi nộp trực tuyến (đồng; trống nếu không giảm)"),
    Column("fee_label", "string", "Mô tả phí, lệ phí"),
    Column("fee_is_example", "boolean", "true nếu mức phí là ví dụ, chưa xác nhận"),
    Column("online_level", "string", "Mức độ dịch vụ công trực tuyến: toan_trinh (toàn trình) | mot_phan (một phần)"),
    Column("channels", "string", "Cách nộp, phân cách bằng dấu chấm phẩy: online;counter;post"),
    Column("document_count", "integer", "Số thành phần hồ sơ"),
    Column("documents", "string", "Thành phần hồ sơ, phân cách bằng ' | ': tên (loại bản, số lượng)"),
    Column("result", "string", "Kết quả thực hiện"),
    Column("legal_basis", "string", "Căn cứ pháp lý, phân cách bằng ' | '"),
)

_STATS_TEXT = {
    "month": ("month", "Tháng (YYYY-MM, giờ Việt Nam)"),
    "unit_id": ("string", "Mã đơn vị giải quyết"),
    "unit_name": ("string", "Tên đơn vị giải quyết"),
    "unit_level": ("string", "Cấp của đơn vị: province | district | commune"),
    "field_id": ("string", "Mã lĩnh vực (trống: phản ánh, kiến nghị không gắn thủ tục)"),
    "field_name": ("string", "Tên lĩnh vực"),
    "received": ("integer", "Hồ sơ tiếp nhận (nộp) trong tháng"),
    "received_online": ("integer", "… trong đó nộp trực tuyến"),
    "received_counter": ("integer", "… trong đó nộp tại bộ phận một cửa"),
    "received_post": ("integer", "… trong đó nộp qua bưu chính"),
    "received_cross_office": ("integer", "… trong đó nộp phi địa giới (tại bộ phận một cửa khác)"),
    "resolved": ("integer", "Hồ sơ đã giải quyết (lãnh đạo ký duyệt kết quả) trong tháng"),
    "resolved_early": ("integer", "… trước hạn"),
    "resolved_on_time": ("integer", "… đúng hạn (trong ngày hết hạn)"),
    "resolved_late": ("integer", "… trễ hạn (kể cả hồ sơ đã có phiếu xin lỗi, hẹn lại)"),
    "refused": ("integer", "Hồ sơ bị từ chối trong tháng"),
    "withdrawn": ("integer", "Hồ sơ dừng xử lý theo đề nghị rút của người nộp"),
    "stopped": ("integer", "Hồ sơ dừng xử lý vì lý do khác"),
    "supplements_requested": ("integer", "Số lần yêu cầu bổ sung hồ sơ"),
    "apologies": ("integer", "Số phiếu xin lỗi, hẹn lại ngày trả kết quả"),
    "fee_bearing": ("integer", "Hồ sơ tiếp nhận có phí, lệ phí"),
    "paid_online": ("integer", "Hồ sơ đã thanh toán phí, lệ phí trực tuyến"),
    "ratings": ("integer", "Lượt đánh giá mức độ hài lòng"),
    "ratings_satisfied": ("integer", "… trong đó hài lòng (điểm chung 4 hoặc 5 trên 5)"),
    "feedback_received": ("integer", "Phản ánh, kiến nghị nhận được"),
    "feedback_answered": ("integer", "Phản ánh, kiến nghị đã trả lời"),
    "feedback_answered_on_time": ("integer", "… trong đó trả lời đúng hạn"),
    "on_time_rate": ("decimal", "Tỷ lệ giải quyết trước và đúng hạn = (resolved_early + resolved_on_time) / "
                                "resolved; trống nếu resolved = 0"),
    "online_share": ("decimal", "Tỷ lệ nộp trực tuyến = received_online / received"),
    "online_payment_share": ("decimal", "Tỷ lệ thanh toán trực tuyến = paid_online / fee_bearing"),
    "satisfaction_rate": ("decimal", "Tỷ lệ hài lòng = ratings_satisfied / ratings"),
    "rating_average": ("decimal", "Điểm hài lòng trung bình (1–5)"),
    "feedback_on_time_rate": ("decimal", "Tỷ lệ trả lời phản ánh đúng hạn = feedback_answered_on_time / "
                                         "feedback_answered"),
}
STATS_COLUMNS = tuple(Column(name, *_STATS_TEXT[name]) for name in OPEN_STATS_COLUMNS)


def procedure_row(catalog: Catalog, p: Procedure) -> dict[str, Any]:
    unit = catalog.units.find(p.authority.unit) if p.authority.unit else None
    return {
        "code": p.code, "name": p.name, "name_en": p.name_en, "field_id": p.field,
        "field_name": catalog.fields_of_work[p.field].name, "level": p.level.value,
        "competent_unit_id": unit.id if unit else None, "competent_unit_name": unit.name if unit else None,
        "processing_time_amount": p.processing_time.amount, "processing_time_unit": p.processing_time.unit.value,
        "fee_vnd": p.fee.amount_vnd, "fee_online_vnd": p.fee.online_amount_vnd, "fee_label": p.fee.label_vi,
        "fee_is_example": p.fee.is_example, "online_level": p.online_level.value,
        "channels": ";".join(c.value for c in p.channels), "document_count": len(p.documents),
        "documents": " | ".join(f"{d.name} ({d.kind.value}, {d.count})" for d in p.documents),
        "result": p.result, "legal_basis": " | ".join(p.legal_basis),
    }


def _cell(value: Any) -> Any:
    """None → empty, booleans → true/false; numbers and text as the csv module writes them."""
    if value is None:
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    return value


def render(fmt: str, dataset: str, columns: tuple[Column, ...], rows: Iterable[Mapping[str, Any]],
           extra: Mapping[str, Any] | None = None) -> Response:
    """CSV (UTF-8 with BOM) or JSON, with a strong ETag of the body and a short public cache (a full 200 reply:
    the caller answers If-None-Match)."""
    names = [c.name for c in columns]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(names)
        for row in rows:
            writer.writerow([_cell(row.get(n)) for n in names])
        body = ("\ufeff" + buffer.getvalue()).encode("utf-8")
        response = Response(body, mimetype="text/csv")
        response.headers["Content-Type"] = "text/csv; charset=utf-8"
        response.headers["Content-Disposition"] = f'attachment; filename="{dataset}.csv"'
    else:
        document = {"dataset": dataset, "schema_version": SCHEMA_VERSION, "license": LICENSE,
                    "publisher": PUBLISHER, **(extra or {}),
                    "columns": [{"name": c.name, "type": c.type, "description": c.description} for c in columns],
                    "rows": [{n: row.get(n) for n in names} for row in rows]}
        body = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        response = Response(body, mimetype="application/json")
    response.headers["X-Schema-Version"] = SCHEMA_VERSION
    response.headers["Cache-Control"] = CACHE
    response.set_etag(hashlib.sha256(body).hexdigest()[:32])
    return response
