"""SQLite schema, applied in order and tracked with PRAGMA user_version (append a migration; never edit one).

Each table mirrors an access pattern that the DynamoDB adapter serves with a key or an index.
"""

from __future__ import annotations

MIGRATIONS: list[str] = [
    # 1: the foundation
    """
    CREATE TABLE dossiers (
        id TEXT PRIMARY KEY,
        code TEXT UNIQUE,
        applicant_id TEXT NOT NULL,
        status TEXT NOT NULL,
        receiving_office_id TEXT,
        competent_unit_id TEXT,
        due_at TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        version INTEGER NOT NULL,
        data TEXT NOT NULL
    );
    CREATE INDEX dossiers_by_applicant ON dossiers (applicant_id, created_at DESC, id DESC);
    CREATE INDEX dossiers_worklist ON dossiers (competent_unit_id, due_at) WHERE code IS NOT NULL;
    CREATE INDEX dossiers_by_due ON dossiers (due_at) WHERE due_at IS NOT NULL;

    CREATE TABLE citizens (
        id TEXT PRIMARY KEY,
        phone TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL
    );

    CREATE TABLE otp_challenges (
        phone TEXT PRIMARY KEY,
        code_hash TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        sent_at TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        sends_in_window INTEGER NOT NULL,
        window_started_at TEXT
    );

    CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        user_kind TEXT NOT NULL,
        user_id TEXT NOT NULL,
        phone TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        device TEXT NOT NULL
    );

    CREATE TABLE idempotency_keys (
        scope TEXT NOT NULL,
        key TEXT NOT NULL,
        request_hash TEXT NOT NULL,
        created_at TEXT NOT NULL,
        status_code INTEGER,
        body BLOB,
        headers TEXT,
        PRIMARY KEY (scope, key)
    );

    CREATE TABLE counters (
        name TEXT PRIMARY KEY,
        value INTEGER NOT NULL
    );

    CREATE TABLE rate_limits (
        key TEXT PRIMARY KEY,
        window_start TEXT NOT NULL,
        hits INTEGER NOT NULL
    );

    CREATE TABLE outbox (
        id TEXT PRIMARY KEY,
        topic TEXT NOT NULL,
        payload TEXT NOT NULL,
        created_at TEXT NOT NULL,
        available_at TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        done_at TEXT
    );
    CREATE INDEX outbox_pending ON outbox (available_at) WHERE done_at IS NULL;

    CREATE TABLE audit_log (
        subject TEXT NOT NULL,
        seq INTEGER NOT NULL,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        device TEXT NOT NULL,
        before TEXT,
        after TEXT,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL,
        PRIMARY KEY (subject, seq)
    );
    """,
    # 2: officials, passkeys, and the worklist index (the unit holding a dossier, by due date)
    """
    CREATE TABLE officials (
        id TEXT PRIMARY KEY,
        data TEXT NOT NULL
    );
    CREATE TABLE official_memberships (
        unit_id TEXT NOT NULL,
        role TEXT NOT NULL,
        official_id TEXT NOT NULL,
        PRIMARY KEY (unit_id, role, official_id)
    );
    CREATE TABLE enrolments (
        token_hash TEXT PRIMARY KEY,
        official_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        used_at TEXT
    );
    CREATE TABLE passkeys (
        credential_id BLOB PRIMARY KEY,
        official_id TEXT NOT NULL,
        public_key BLOB NOT NULL,
        sign_count INTEGER NOT NULL,
        transports TEXT NOT NULL,
        created_at TEXT NOT NULL,
        last_used_at TEXT,
        device_label TEXT NOT NULL
    );
    CREATE INDEX passkeys_by_official ON passkeys (official_id);
    CREATE TABLE webauthn_challenges (
        id TEXT PRIMARY KEY,
        challenge BLOB NOT NULL,
        purpose TEXT NOT NULL,
        official_id TEXT,
        binding TEXT,
        expires_at TEXT NOT NULL
    );
    ALTER TABLE dossiers ADD COLUMN holder_unit_id TEXT;
    CREATE INDEX dossiers_by_holder ON dossiers (holder_unit_id, due_at, id) WHERE holder_unit_id IS NOT NULL;
    DROP INDEX dossiers_worklist;
    """,
    # 3: notifications: push subscriptions, one delivery record per (event, channel, recipient), preferences
    """
    CREATE TABLE push_subscriptions (
        id TEXT PRIMARY KEY,
        user_kind TEXT NOT NULL,
        user_id TEXT NOT NULL,
        endpoint TEXT NOT NULL UNIQUE,
        p256dh TEXT NOT NULL,
        auth TEXT NOT NULL,
        created_at TEXT NOT NULL,
        user_agent TEXT NOT NULL
    );
    CREATE INDEX push_subscriptions_by_user ON push_subscriptions (user_kind, user_id);
    CREATE TABLE deliveries (
        id TEXT PRIMARY KEY,
        event_id TEXT NOT NULL,
        event_at TEXT NOT NULL,
        channel TEXT NOT NULL,
        user_kind TEXT NOT NULL,
        user_id TEXT NOT NULL,
        address TEXT NOT NULL,
        dossier_id TEXT,
        title TEXT NOT NULL,
        body TEXT NOT NULL,
        url TEXT NOT NULL,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        last_error TEXT,
        created_at TEXT NOT NULL,
        sent_at TEXT,
        read_at TEXT
    );
    CREATE INDEX deliveries_inbox ON deliveries (user_kind, user_id, created_at DESC) WHERE channel = 'inbox';
    CREATE INDEX deliveries_by_dossier ON deliveries (dossier_id, created_at);
    CREATE INDEX dossiers_by_status ON dossiers (status, updated_at);
    CREATE TABLE preferences (
        user_kind TEXT NOT NULL,
        user_id TEXT NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (user_kind, user_id)
    );
    """,
    # 4: payments (one row per attempt; the gateway's order id is unique)
    """
    CREATE TABLE payments (
        id TEXT PRIMARY KEY,
        txn_ref TEXT NOT NULL UNIQUE,
        dossier_id TEXT NOT NULL,
        citizen_id TEXT NOT NULL,
        status TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        version INTEGER NOT NULL,
        data TEXT NOT NULL
    );
    CREATE INDEX payments_by_dossier ON payments (dossier_id, created_at);
    CREATE INDEX payments_by_status ON payments (status, created_at);
    """,
    # 5: dossiers submitted before the officials' workflow existed wait at their receiving office's intake
    """
    UPDATE dossiers SET holder_unit_id = receiving_office_id,
        data = json_set(data, '$.stage', 'intake', '$.holder_unit_id', receiving_office_id)
        WHERE code IS NOT NULL AND holder_unit_id IS NULL AND status = 'submitted';
    """,
    # 6: the public side: satisfaction ratings (one per dossier, whatever the channel) and feedback (PAKN)
    """
    CREATE TABLE ratings (
        id TEXT PRIMARY KEY,
        dossier_id TEXT NOT NULL UNIQUE,
        unit_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        data TEXT NOT NULL
    );
    CREATE TABLE feedback (
        id TEXT PRIMARY KEY,
        unit_id TEXT NOT NULL,
        status TEXT NOT NULL,
        due_at TEXT NOT NULL,
        answered_at TEXT,
        citizen_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        version INTEGER NOT NULL,
        data TEXT NOT NULL
    );
    CREATE INDEX feedback_worklist ON feedback (unit_id, status, due_at, id);
    CREATE INDEX feedback_answered ON feedback (answered_at DESC, id DESC) WHERE answered_at IS NOT NULL;
    CREATE INDEX feedback_by_citizen ON feedback (citizen_id, created_at DESC, id DESC);
    """,
    # 7: statistics counters (one row per unit, field, procedure and month; rollups use '*' and 'level:…') and the
    # outbox messages already counted
    """
    CREATE TABLE stat_counters (
        unit_id TEXT NOT NULL,
        field TEXT NOT NULL,
        procedure_code TEXT NOT NULL,
        month TEXT NOT NULL,
        received INTEGER NOT NULL DEFAULT 0,
        received_online INTEGER NOT NULL DEFAULT 0,
        received_counter INTEGER NOT NULL DEFAULT 0,
        received_post INTEGER NOT NULL DEFAULT 0,
        received_cross_office INTEGER NOT NULL DEFAULT 0,
        fee_bearing INTEGER NOT NULL DEFAULT 0,
        resolved INTEGER NOT NULL DEFAULT 0,
        resolved_early INTEGER NOT NULL DEFAULT 0,
        resolved_on_time INTEGER NOT NULL DEFAULT 0,
        resolved_late INTEGER NOT NULL DEFAULT 0,
        refused INTEGER NOT NULL DEFAULT 0,
        withdrawn INTEGER NOT NULL DEFAULT 0,
        stopped INTEGER NOT NULL DEFAULT 0,
        supplements_requested INTEGER NOT NULL DEFAULT 0,
        apologies INTEGER NOT NULL DEFAULT 0,
        paid_online INTEGER NOT NULL DEFAULT 0,
        ratings INTEGER NOT NULL DEFAULT 0,
        rating_sum INTEGER NOT NULL DEFAULT 0,
        ratings_satisfied INTEGER NOT NULL DEFAULT 0,
        rating_time_sum INTEGER NOT NULL DEFAULT 0,
        rating_time_count INTEGER NOT NULL DEFAULT 0,
        rating_visits_sum INTEGER NOT NULL DEFAULT 0,
        rating_visits_count INTEGER NOT NULL DEFAULT 0,
        rating_attitude_sum INTEGER NOT NULL DEFAULT 0,
        rating_attitude_count INTEGER NOT NULL DEFAULT 0,
        rating_guidance_sum INTEGER NOT NULL DEFAULT 0,
        rating_guidance_count INTEGER NOT NULL DEFAULT 0,
        rating_clarity_sum INTEGER NOT NULL DEFAULT 0,
        rating_clarity_count INTEGER NOT NULL DEFAULT 0,
        rating_cost_sum INTEGER NOT NULL DEFAULT 0,
        rating_cost_count INTEGER NOT NULL DEFAULT 0,
        feedback_received INTEGER NOT NULL DEFAULT 0,
        feedback_answered INTEGER NOT NULL DEFAULT 0,
        feedback_answered_on_time INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (unit_id, field, procedure_code, month)
    ) WITHOUT ROWID;
    CREATE TABLE stat_processed (
        message_id TEXT PRIMARY KEY,
        processed_at TEXT NOT NULL
    ) WITHOUT ROWID;
    """,
]

# The local SMS / e-mail log of the embedded default lives in a file of its own: it stands in for SNS and SES, is
# not business data, and must not compete with citizens' requests for the main file's write lock.
MESSAGE_LOG_MIGRATIONS: list[str] = [
    """
    CREATE TABLE sent_messages (
        id TEXT PRIMARY KEY,
        channel TEXT NOT NULL,
        recipient TEXT NOT NULL,
        subject TEXT NOT NULL,
        body TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE INDEX sent_messages_recent ON sent_messages (created_at DESC);
    """,
    """
    ALTER TABLE sent_messages ADD COLUMN dedupe_key TEXT;
    CREATE UNIQUE INDEX sent_messages_dedupe ON sent_messages (dedupe_key) WHERE dedupe_key IS NOT NULL;
    """,
]
