import Storage

/// SQS tables. Times are epoch milliseconds; `seq` orders messages (FIFO order and
/// sequence numbers come from it).
enum SQSSchema {
    static let migrations: [Migration] = [
        Migration("sqs-1-queues-and-messages", """
            CREATE TABLE sqs_queues (
                id INTEGER PRIMARY KEY,
                account TEXT NOT NULL,
                region TEXT NOT NULL,
                name TEXT NOT NULL,
                attributes TEXT NOT NULL,
                tags TEXT NOT NULL DEFAULT '{}',
                created_at INTEGER NOT NULL,
                modified_at INTEGER NOT NULL,
                purged_at INTEGER,
                UNIQUE (account, region, name)
            );
            CREATE TABLE sqs_messages (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                queue_id INTEGER NOT NULL REFERENCES sqs_queues(id) ON DELETE CASCADE,
                message_id TEXT NOT NULL,
                body TEXT NOT NULL,
                attributes TEXT,
                system_attributes TEXT,
                md5_body TEXT NOT NULL,
                sender_id TEXT NOT NULL,
                sent_at INTEGER NOT NULL,
                visible_at INTEGER NOT NULL,
                receive_count INTEGER NOT NULL DEFAULT 0,
                first_received_at INTEGER,
                receipt_token TEXT,
                group_id TEXT,
                deduplication_id TEXT,
                dead_letter_source_arn TEXT
            );
            CREATE INDEX sqs_messages_by_queue ON sqs_messages (queue_id, seq);
            CREATE INDEX sqs_messages_by_visibility ON sqs_messages (queue_id, visible_at);
            CREATE TABLE sqs_deduplication (
                queue_id INTEGER NOT NULL REFERENCES sqs_queues(id) ON DELETE CASCADE,
                scope_key TEXT NOT NULL,
                message_id TEXT NOT NULL,
                sequence_number TEXT NOT NULL,
                expires_at INTEGER NOT NULL,
                PRIMARY KEY (queue_id, scope_key)
            );
            CREATE TABLE sqs_receive_attempts (
                queue_id INTEGER NOT NULL REFERENCES sqs_queues(id) ON DELETE CASCADE,
                attempt_id TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                receipts TEXT NOT NULL,
                PRIMARY KEY (queue_id, attempt_id)
            );
            CREATE TABLE sqs_move_tasks (
                task_handle TEXT PRIMARY KEY,
                account TEXT NOT NULL,
                region TEXT NOT NULL,
                source_arn TEXT NOT NULL,
                destination_arn TEXT,
                max_per_second INTEGER,
                status TEXT NOT NULL,
                moved INTEGER NOT NULL DEFAULT 0,
                to_move INTEGER NOT NULL DEFAULT 0,
                started_at INTEGER NOT NULL,
                failure_reason TEXT
            );
            """),
    ]
}
