import Storage

/// Step Functions tables. Times are epoch milliseconds; history rows are the events
/// exactly as GetExecutionHistory returns them.
enum SFNSchema {
    static let migrations: [Migration] = [
        Migration("sfn-1-state-machines-executions-history", """
            CREATE TABLE sfn_state_machines (
                arn TEXT PRIMARY KEY,
                account TEXT NOT NULL,
                region TEXT NOT NULL,
                name TEXT NOT NULL,
                type TEXT NOT NULL,
                definition TEXT NOT NULL,
                role_arn TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                revision_id TEXT NOT NULL,
                logging TEXT,
                tracing TEXT,
                encryption TEXT,
                tags TEXT NOT NULL DEFAULT '[]',
                next_version INTEGER NOT NULL DEFAULT 1,
                source_file TEXT,
                UNIQUE (account, region, name)
            );
            CREATE TABLE sfn_versions (
                arn TEXT PRIMARY KEY,
                state_machine_arn TEXT NOT NULL,
                version INTEGER NOT NULL,
                definition TEXT NOT NULL,
                role_arn TEXT NOT NULL,
                revision_id TEXT NOT NULL,
                description TEXT,
                created_at INTEGER NOT NULL
            );
            CREATE TABLE sfn_aliases (
                arn TEXT PRIMARY KEY,
                state_machine_arn TEXT NOT NULL,
                name TEXT NOT NULL,
                description TEXT,
                routing TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL
            );
            CREATE TABLE sfn_executions (
                arn TEXT PRIMARY KEY,
                state_machine_arn TEXT NOT NULL,
                version_arn TEXT,
                alias_arn TEXT,
                name TEXT NOT NULL,
                type TEXT NOT NULL,
                status TEXT NOT NULL,
                input TEXT NOT NULL,
                output TEXT,
                error TEXT,
                cause TEXT,
                started_at INTEGER NOT NULL,
                stopped_at INTEGER,
                definition TEXT NOT NULL,
                role_arn TEXT NOT NULL,
                trace_header TEXT,
                checkpoint TEXT,
                next_event_id INTEGER NOT NULL DEFAULT 1,
                redrive_count INTEGER NOT NULL DEFAULT 0,
                redrive_date INTEGER
            );
            CREATE INDEX sfn_executions_by_machine ON sfn_executions (state_machine_arn, started_at);
            CREATE INDEX sfn_executions_running ON sfn_executions (status);
            CREATE TABLE sfn_history (
                execution_arn TEXT NOT NULL,
                id INTEGER NOT NULL,
                previous_id INTEGER NOT NULL,
                timestamp INTEGER NOT NULL,
                type TEXT NOT NULL,
                details_key TEXT,
                details TEXT,
                PRIMARY KEY (execution_arn, id)
            );
            CREATE TABLE sfn_activities (
                arn TEXT PRIMARY KEY,
                account TEXT NOT NULL,
                region TEXT NOT NULL,
                name TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                tags TEXT NOT NULL DEFAULT '[]'
            );
            CREATE TABLE sfn_task_tokens (
                token TEXT PRIMARY KEY,
                execution_arn TEXT NOT NULL,
                state_name TEXT NOT NULL,
                activity_arn TEXT,
                input TEXT,
                created_at INTEGER NOT NULL
            );
            """),
        Migration("sfn-2-map-runs", """
            CREATE TABLE sfn_map_runs (
                arn TEXT PRIMARY KEY,
                execution_arn TEXT NOT NULL,
                state_machine_arn TEXT NOT NULL,
                status TEXT NOT NULL,
                started_at INTEGER NOT NULL,
                stopped_at INTEGER,
                max_concurrency INTEGER NOT NULL,
                tolerated_count INTEGER,
                tolerated_percentage REAL,
                total INTEGER NOT NULL,
                error TEXT,
                cause TEXT
            );
            CREATE INDEX sfn_map_runs_by_execution ON sfn_map_runs (execution_arn, started_at);
            ALTER TABLE sfn_executions ADD COLUMN map_run_arn TEXT;
            ALTER TABLE sfn_executions ADD COLUMN item_index INTEGER;
            CREATE INDEX sfn_executions_by_map_run ON sfn_executions (map_run_arn, item_index);
            """),
    ]
}
