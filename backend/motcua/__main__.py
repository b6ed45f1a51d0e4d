"""Operator commands: ``python -m motcua init | seed | check-catalog | relay-outbox | rebuild-stats``."""

from __future__ import annotations

import argparse
import sys

from motcua.config import Settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m motcua")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("init", help="create or migrate the store, generate local keys, seed demo data (idempotent)")
    sub.add_parser("check-catalog", help="load and validate the catalog and calendar data files")
    sub.add_parser("relay-outbox", help="deliver every pending outbox message once, then exit")
    sub.add_parser("payment-sandbox", help="run the local VNPay gateway sandbox for this configuration (development)")
    reconcile = sub.add_parser("reconcile", help="ask the gateway about pending payments and settle them")
    reconcile.add_argument("--older-than", type=int, default=300, help="seconds a payment has been pending")
    sub.add_parser("purge", help="delete expired sessions, codes, challenges and idempotency records")
    sub.add_parser("rebuild-stats", help="recount the dossier statistics from the dossiers (after an incident; "
                                         "stop the outbox worker first)")
    sub.add_parser("sweep", help="warn units about dossiers due within one working day (idempotent)")
    audit = sub.add_parser("verify-audit", help="check the hash chain of the audit trail (all, or one dossier)")
    audit.add_argument("dossier_id", nargs="?")
    enrol = sub.add_parser("enrol", help="print a single-use passkey enrolment link for an official")
    enrol.add_argument("official_id")
    args = parser.parse_args(argv)

    if args.command == "check-catalog":
        from motcua.adapters.calendar_file import load_calendar
        from motcua.adapters.catalog_files import load_catalog

        catalog = load_catalog()
        load_calendar()
        print(f"catalog ok: {len(catalog.all())} procedures, {len(catalog.units)} units")
        return 0

    if args.command == "payment-sandbox":
        from motcua.payment_sandbox.__main__ import main as sandbox

        settings = Settings.from_env()
        return sandbox(["--port", str(settings.payment_sandbox_port), "--tmn-code", settings.vnpay_tmn_code,
                        "--hash-secret", settings.vnpay_hash_secret,
                        "--merchant-ipn", f"{settings.public_base_url}/api/v1/payments/vnpay/ipn"])

    from motcua.bootstrap import bootstrap
    from motcua.seed import seed_demo, seed_officials

    settings = Settings.from_env()
    container = bootstrap(settings)
    if args.command == "init":
        created = seed_demo(container) if settings.dev_mode else False
        if settings.dev_mode:
            seed_officials(container)
        print(f"store ready at {settings.database_path}; demo data {'created' if created else 'already there'}")
        return 0
    if args.command == "reconcile":
        from datetime import timedelta

        print(f"{container.payments.reconcile(older_than=timedelta(seconds=args.older_than))} payment(s) settled")
        return 0
    if args.command == "purge":
        from motcua.services.housekeeping import HousekeepingService

        print(HousekeepingService(container.uow, container.clock).run())
        return 0
    if args.command == "rebuild-stats":
        print(f"statistics recounted from {container.statistics.rebuild()} dossier(s)")
        return 0
    if args.command == "sweep":
        print(f"{container.sweep.run()} dossier(s) newly at risk")
        return 0
    if args.command == "verify-audit":
        from motcua.services.audit import AuditService

        service = AuditService(container.uow)
        reports = [service.check(f"dossier:{args.dossier_id}")] if args.dossier_id else service.check_all()
        broken = [r for r in reports if not r.intact]
        for report in broken:
            print(f"BROKEN {report.subject} at entry {report.broken_at}: {report.problem}")
        print(f"{len(reports)} chain(s) checked, {len(broken)} broken")
        return 1 if broken else 0
    if args.command == "enrol":
        token = container.official_auth.issue_enrolment(args.official_id)
        print(f"{settings.webauthn_origin}/can-bo/dang-ky?token={token}")
        return 0
    if args.command == "relay-outbox":
        total = 0
        while handled := container.worker.run_once():
            total += handled
        print(f"delivered {total} message(s)")
        return 0
    return 1


if __name__ == "__main__":
    sys.exit(main())
