import Storage

enum APIGatewaySchema {
    static let migrations: [Migration] = [
        Migration("apigateway-1-apis-resources", """
            CREATE TABLE apigateway_apis (
                api_id TEXT PRIMARY KEY,
                account TEXT NOT NULL,
                region TEXT NOT NULL,
                definition TEXT NOT NULL
            );
            CREATE TABLE apigateway_resources (
                api_id TEXT NOT NULL,
                kind TEXT NOT NULL,
                id TEXT NOT NULL,
                definition TEXT NOT NULL,
                PRIMARY KEY (api_id, kind, id)
            );
            """),
    ]
}
