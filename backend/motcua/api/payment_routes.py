"""Paying fees: start a payment, follow it, the e-receipt; the gateway's IPN and return URL."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, redirect, request

from motcua.api import schemas
from motcua.api.http import idempotent, json_body, no_store, stored_pdf_response
from motcua.api.presenters import fee_label, iso
from motcua.api.routing import Access, api_route
from motcua.api.security import client_ip, current_actor
from motcua.domain.errors import NotFound
from motcua.domain.payments import FAILURE_REASONS, PAYMENT_LABELS, Payment, PaymentStatus

bp = Blueprint("payments", __name__, url_prefix="/api/v1")

ERRORS = {401: schemas.ErrorReply, 404: schemas.ErrorReply, 409: schemas.ErrorReply, 422: schemas.ErrorReply}


def _c():  # type: ignore[no-untyped-def]
    return current_app.config["MOTCUA"]


def payment_out(p: Payment) -> dict[str, Any]:
    status = p.display_status()
    return {"id": p.id, "purpose": p.purpose, "amount_vnd": p.amount_vnd, "amount_label_vi": fee_label(p.amount_vnd),
            "status": status, "status_label_vi": PAYMENT_LABELS[status][0], "gateway": p.gateway,
            "txn_ref": p.txn_ref, "created_at": iso(p.created_at), "paid_at": iso(p.paid_at),
            "dossier_id": p.dossier_id, "dossier_code": p.dossier_code,
            "failure_reason_vi": FAILURE_REASONS.get(p.response_code, ("", ""))[0] or None
            if p.status is PaymentStatus.FAILED else None,
            "receipt_url": f"/api/v1/payments/{p.id}/receipt.pdf"
            if p.status in (PaymentStatus.PAID, PaymentStatus.REFUNDED) else None}



def _scope() -> str:
    return f"citizen:{current_actor().session.user_id}"


@api_route(bp, "/dossiers/<dossier_id>/payments", methods=("POST",), access=Access.CITIZEN, tag="payments",
           summary="Start paying what is due (or resume the live payment); returns the gateway URL",
           request=schemas.PaymentStart, responses={200: schemas.PaymentStarted, 201: schemas.PaymentStarted,
                                                    **ERRORS}, idempotent=True)
@idempotent(_scope)
def start(dossier_id: str) -> Response:
    actor = current_actor()
    body = json_body()
    started = _c().payments.start(actor, dossier_id, purpose=body.get("purpose"), ip=client_ip(),
                                  locale="en" if request.accept_languages.best_match(["vi", "en"]) == "en" else "vn")
    return no_store({"payment": payment_out(started.payment), "redirect_url": started.redirect_url},
                     201 if started.created else 200)


@api_route(bp, "/dossiers/<dossier_id>/payments", access=Access.CITIZEN, tag="payments",
           summary="Payments made on my dossier", responses={200: schemas.PaymentList, **ERRORS})
def for_dossier(dossier_id: str) -> Response:
    return no_store({"items": [payment_out(p) for p in _c().payments.for_dossier(current_actor(), dossier_id)]})


@api_route(bp, "/payments/<payment_id>", access=Access.CITIZEN, tag="payments",
           summary="One of my payments (the return page polls this)", responses={200: schemas.PaymentOut, **ERRORS})
def get(payment_id: str) -> Response:
    return no_store(payment_out(_c().payments.get(current_actor(), payment_id)))


@api_route(bp, "/payments/<payment_id>/receipt.pdf", access=Access.CITIZEN, tag="payments",
           summary="The e-receipt of a confirmed payment", responses={200: "application/pdf", **ERRORS})
def receipt(payment_id: str) -> Response:
    c = _c()
    payment = c.payments.get(current_actor(), payment_id)
    if payment.status not in (PaymentStatus.PAID, PaymentStatus.REFUNDED):
        raise NotFound("receipt_not_ready", "Chưa có biên lai: giao dịch chưa được xác nhận.",
                       message_en="No receipt: the payment is not confirmed.")
    return stored_pdf_response(c, c.payment_receipts.stored_key(payment), f"bien-lai-{payment.txn_ref}.pdf")


@api_route(bp, "/payments/vnpay/ipn", access=Access.PUBLIC, tag="payments",
           summary="VNPay IPN (server to server): {RspCode, Message}; never a 5xx",
           responses={200: schemas.IpnReply})
def vnpay_ipn() -> Response:
    reply = _c().payments.ipn({k: v for k, v in request.args.items()})
    return no_store(reply)


@api_route(bp, "/payments/vnpay/return", access=Access.PUBLIC, tag="payments",
           summary="Where the gateway sends the browser back; shows 'đang xác nhận' until the IPN or a query",
           responses={302: None})
def vnpay_return() -> Response:
    payment_id = _c().payments.returned({k: v for k, v in request.args.items()})
    response = redirect(f"/thanh-toan/{payment_id}" if payment_id else "/ho-so", code=302)
    response.headers["Cache-Control"] = "no-store"
    return response
