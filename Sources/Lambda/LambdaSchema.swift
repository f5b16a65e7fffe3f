import Storage

enum LambdaSchema {
    static let migrations: [Migration] = [
        Migration("lambda-1-functions-mappings", """
            CREATE TABLE lambda_functions (
                arn TEXT PRIMARY KEY,
                account TEXT NOT NULL,
                region TEXT NOT NULL,
                name TEXT NOT NULL,
                configuration TEXT NOT NULL,
                UNIQUE (account, region, name)
            );
            CREATE TABLE lambda_event_source_mappings (
                uuid TEXT PRIMARY KEY,
                account TEXT NOT NULL,
                region TEXT NOT NULL,
                function_arn TEXT NOT NULL,
                source_arn TEXT NOT NULL,
                configuration TEXT NOT NULL
            );
            """),
        Migration("lambda-2-stream-checkpoints", """
            CREATE TABLE lambda_stream_checkpoints (
                uuid TEXT NOT NULL,
                shard_id TEXT NOT NULL,
                sequence_number TEXT NOT NULL,
                PRIMARY KEY (uuid, shard_id)
            );
            """),
        Migration("lambda-3-async-invocations", """
            CREATE TABLE lambda_async_invocations (
                id TEXT PRIMARY KEY,
                function_arn TEXT NOT NULL,
                payload TEXT NOT NULL,
                attempt INTEGER NOT NULL,
                due INTEGER NOT NULL,
                account TEXT NOT NULL,
                region TEXT NOT NULL
            );
            """),
        Migration("lambda-4-policies-tags", """
            CREATE TABLE lambda_policies (
                arn TEXT NOT NULL,
                sid TEXT NOT NULL,
                statement TEXT NOT NULL,
                PRIMARY KEY (arn, sid)
            );
            CREATE TABLE lambda_tags (
                arn TEXT NOT NULL,
                key TEXT NOT NULL,
                value TEXT NOT NULL,
                PRIMARY KEY (arn, key)
            );
            """),
        Migration("lambda-5-versions-aliases", """
            CREATE TABLE lambda_versions (
                function_arn TEXT NOT NULL,
                version INTEGER NOT NULL,
                configuration TEXT NOT NULL,
                PRIMARY KEY (function_arn, version)
            );
            CREATE TABLE lambda_aliases (
                function_arn TEXT NOT NULL,
                name TEXT NOT NULL,
                definition TEXT NOT NULL,
                PRIMARY KEY (function_arn, name)
            );
            """),
    ]
}
