"""``python -m motcua.payment_sandbox``: serve the sandbox gateway (threaded: delayed IPNs run beside requests)."""

from __future__ import annotations

import argparse
import os
import sys

from werkzeug.serving import run_simple

from motcua.payment_sandbox.app import SandboxSettings, create_app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m motcua.payment_sandbox",
                                     description="Local VNPay gateway sandbox (development and tests only).")
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PAYMENT_SANDBOX_PORT") or 8090),
                        help="port (default: $PAYMENT_SANDBOX_PORT or 8090)")
    parser.add_argument("--merchant-ipn", help="the merchant's IPN URL (default: $SANDBOX_IPN_URL or "
                                               "http://127.0.0.1:8080/api/v1/payments/vnpay/ipn)")
    parser.add_argument("--tmn-code", help="terminal code (default: $VNPAY_TMN_CODE or MOTCUA01)")
    parser.add_argument("--hash-secret", help="hash secret (default: $VNPAY_HASH_SECRET or the dev default)")
    args = parser.parse_args(argv)
    settings = SandboxSettings.from_env(ipn_url=args.merchant_ipn, tmn_code=args.tmn_code,
                                        hash_secret=args.hash_secret)
    base = f"http://{args.host}:{args.port}"
    print(f"VNPay sandbox for terminal {settings.tmn_code}\n"
          f"  pay URL  {base}/paymentv2/vpcpay.html\n"
          f"  API URL  {base}/merchant_webapi/api/transaction\n"
          f"  IPN  →   {settings.ipn_url}\n"
          f"  switches {base}/sandbox/switches", file=sys.stderr)
    run_simple(args.host, args.port, create_app(settings), threaded=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
