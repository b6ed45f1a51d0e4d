"""A local VNPay gateway for development and tests: payment page, IPN sender, query / refund API.

Run it next to the app::

    python -m motcua.payment_sandbox --port 8090 --merchant-ipn http://127.0.0.1:8080/api/v1/payments/vnpay/ipn

(environment: ``PAYMENT_SANDBOX_PORT``, ``VNPAY_TMN_CODE``, ``VNPAY_HASH_SECRET``, ``SANDBOX_IPN_URL``,
``SANDBOX_MERCHANT_NAME``) and point the app's VNPay settings at it: pay URL
``http://127.0.0.1:8090/paymentv2/vpcpay.html``, API URL ``http://127.0.0.1:8090/merchant_webapi/api/transaction``,
the same terminal code and hash secret.

Gateway routes (what real VNPay has):

- ``GET /paymentv2/vpcpay.html?<signed vnp_* params>`` — verifies the merchant's signature and shows a phone-sized
  Vietnamese page (amount, order info, bank/wallet choice, three buttons). ``POST /paymentv2/confirm`` records the
  outcome, sends the IPN (GET to the merchant's IPN URL) as the switches say and redirects (302) to
  ``vnp_ReturnUrl`` with the signed result.
- ``POST /merchant_webapi/api/transaction`` — ``querydr`` and ``refund``, signed answers; 91 for an unknown order.

Test controls (sandbox only):

- ``GET`` / ``POST /sandbox/switches`` — read / change :class:`~motcua.payment_sandbox.app.Switches` (JSON, partial).
- ``POST /sandbox/reset`` — switches to defaults, transactions and logs forgotten, pending delayed IPNs cancelled.
- ``GET /sandbox/ipn-log[?txn_ref=…]`` — every IPN sent and what the merchant answered.
- ``GET /sandbox/transactions`` — what the gateway recorded (status, transaction no, pay date, refunds).
- ``POST /sandbox/resend-ipn`` ``{"txn_ref": …}`` — send the last genuine IPN again (a gateway retry).

State lives in memory, behind a lock: restart or reset to start over. Not for production in any form.
"""

from motcua.payment_sandbox.app import SandboxSettings, SandboxState, Switches, create_app

__all__ = ["SandboxSettings", "SandboxState", "Switches", "create_app"]
