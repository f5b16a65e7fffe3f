import Storage

/// DynamoDB tables. Keys are stored with `KeyEncoding`, so a Query over a partition and
/// a sort-key range is a range scan of the primary key, for tables and indexes alike.
enum DynamoDBSchema {
    static let migrations: [Migration] = [
        Migration("ddb-1-tables-items-indexes", """
            CREATE TABLE ddb_tables (
                id INTEGER PRIMARY KEY,
                arn TEXT NOT NULL UNIQUE,
                account TEXT NOT NULL,
                region TEXT NOT NULL,
                name TEXT NOT NULL,
                table_id TEXT NOT NULL,
                definition TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                item_count INTEGER NOT NULL DEFAULT 0,
                size_bytes INTEGER NOT NULL DEFAULT 0,
                tags TEXT NOT NULL DEFAULT '[]',
                ttl_attribute TEXT,
                stream_label TEXT,
                continuous_backups INTEGER NOT NULL DEFAULT 0,
                UNIQUE (account, region, name)
            );
            CREATE TABLE ddb_items (
                table_id INTEGER NOT NULL,
                pk BLOB NOT NULL,
                sk BLOB NOT NULL,
                item TEXT NOT NULL,
                size INTEGER NOT NULL,
                expires_at INTEGER,
                PRIMARY KEY (table_id, pk, sk)
            ) WITHOUT ROWID;
            CREATE INDEX ddb_items_expiry ON ddb_items (table_id, expires_at) WHERE expires_at IS NOT NULL;
            CREATE TABLE ddb_index_items (
                table_id INTEGER NOT NULL,
                index_name TEXT NOT NULL,
                pk BLOB NOT NULL,
                sk BLOB NOT NULL,
                table_pk BLOB NOT NULL,
                table_sk BLOB NOT NULL,
                item TEXT NOT NULL,
                PRIMARY KEY (table_id, index_name, pk, sk, table_pk, table_sk)
            ) WITHOUT ROWID;
            CREATE TABLE ddb_stream_records (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                table_id INTEGER NOT NULL,
                stream_label TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                record TEXT NOT NULL
            );
            CREATE INDEX ddb_stream_records_by_stream ON ddb_stream_records (table_id, stream_label, seq);
            CREATE TABLE ddb_transaction_tokens (
                token TEXT PRIMARY KEY,
                request_hash TEXT NOT NULL,
                response TEXT NOT NULL,
                created_at INTEGER NOT NULL
            );
            """),
    ]
}
