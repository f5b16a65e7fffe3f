import Storage

/// SNS tables. Times are epoch milliseconds. A published message is stored once in
/// `sns_messages`; each subscription it must reach gets a row in `sns_deliveries`,
/// written in the same transaction as the publish and deleted once delivered (or
/// dead-lettered), so a restart resumes whatever was still pending.
enum SNSSchema {
    static let migrations: [Migration] = [
        Migration("sns-1-topics-subscriptions-deliveries", """
            CREATE TABLE sns_topics (
                arn TEXT PRIMARY KEY,
                account TEXT NOT NULL,
                region TEXT NOT NULL,
                name TEXT NOT NULL,
                attributes TEXT NOT NULL,
                tags TEXT NOT NULL DEFAULT '[]',
                data_protection_policy TEXT,
                sequence INTEGER NOT NULL DEFAULT 0,
                created_at INTEGER NOT NULL
            );
            CREATE INDEX sns_topics_by_owner ON sns_topics (account, region, arn);
            CREATE TABLE sns_subscriptions (
                arn TEXT PRIMARY KEY,
                topic_arn TEXT NOT NULL,
                account TEXT NOT NULL,
                region TEXT NOT NULL,
                owner TEXT NOT NULL,
                protocol TEXT NOT NULL,
                endpoint TEXT NOT NULL,
                attributes TEXT NOT NULL,
                confirmed INTEGER NOT NULL,
                token TEXT,
                created_at INTEGER NOT NULL
            );
            CREATE INDEX sns_subscriptions_by_topic ON sns_subscriptions (topic_arn, created_at);
            CREATE INDEX sns_subscriptions_by_owner ON sns_subscriptions (account, region, arn);
            CREATE TABLE sns_messages (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                message TEXT NOT NULL
            );
            CREATE TABLE sns_deliveries (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                message_seq INTEGER NOT NULL,
                subscription_arn TEXT NOT NULL,
                kind TEXT NOT NULL,
                attempt INTEGER NOT NULL DEFAULT 0,
                due INTEGER NOT NULL
            );
            CREATE INDEX sns_deliveries_by_message ON sns_deliveries (message_seq);
            CREATE TABLE sns_deduplication (
                topic_arn TEXT NOT NULL,
                deduplication_id TEXT NOT NULL,
                message_id TEXT NOT NULL,
                sequence_number TEXT NOT NULL,
                expires_at INTEGER NOT NULL,
                PRIMARY KEY (topic_arn, deduplication_id)
            );
            CREATE TABLE sns_delivery_log (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                account TEXT NOT NULL,
                region TEXT NOT NULL,
                protocol TEXT NOT NULL,
                endpoint TEXT NOT NULL,
                subscription_arn TEXT NOT NULL,
                topic_arn TEXT NOT NULL,
                message_id TEXT,
                kind TEXT NOT NULL,
                body TEXT NOT NULL,
                status TEXT NOT NULL,
                delivered_at INTEGER NOT NULL
            );
            CREATE TABLE sns_platform_applications (
                arn TEXT PRIMARY KEY,
                account TEXT NOT NULL,
                region TEXT NOT NULL,
                attributes TEXT NOT NULL
            );
            CREATE TABLE sns_platform_endpoints (
                arn TEXT PRIMARY KEY,
                application_arn TEXT NOT NULL,
                token TEXT NOT NULL,
                attributes TEXT NOT NULL
            );
            CREATE TABLE sns_sms_attributes (
                account TEXT NOT NULL,
                region TEXT NOT NULL,
                name TEXT NOT NULL,
                value TEXT NOT NULL,
                PRIMARY KEY (account, region, name)
            );
            """),
    ]
}
