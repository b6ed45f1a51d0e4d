"""gunicorn settings for the embedded default (`make run`). PORT and WEB_CONCURRENCY override."""

import os

bind = f"127.0.0.1:{os.environ.get('PORT', '8080')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = 60
graceful_timeout = 10
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
control_socket_disable = True  # gunicorn 27 otherwise opens a control socket under ~/.gunicorn


def post_worker_init(worker):  # noqa: ANN001 - gunicorn hook signature
    # Each worker relays the transactional outbox; claims are leases, so two workers never send one message twice
    # at the same time.
    app = worker.wsgi
    container = getattr(app, "config", {}).get("MOTCUA")
    if container is not None and container.settings.start_worker:
        container.worker.start()
        container.periodic.start()  # the deadline sweep; idempotent, so every worker may run it
    # Font preparation for signature stamps costs ~0.3 s once per process: pay it now, not on a leader's tap.
    import threading

    from motcua.adapters.pades_signer import warm_up

    threading.Thread(target=warm_up, name="warm-up", daemon=True).start()
