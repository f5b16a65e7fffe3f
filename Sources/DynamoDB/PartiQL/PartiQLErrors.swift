/// PartiQL's error messages, in AWS's words. Syntax errors carry the "wasn't well formed"
/// envelope and the PartiQL parser's detail (pinned against AWS by dynamodb-conformance,
/// tests/tier3/error-messages/partiqlGrammar.test.ts); the rest are DynamoDB's PartiQL
/// layer's own sentences (the `ValidationExceptionMessages` DynamoDB Local ships).
enum PartiQLError {
    /// A statement the parser cannot read. An empty detail (a character the lexer does
    /// not know, an unterminated quote or comment) leaves nothing after the colon, as AWS does.
    static func malformed(_ detail: String) -> DynamoDBError {
        .validation("Statement wasn't well formed, can't be processed: \(detail)")
    }

    static let unexpectedTerm = malformed("Unexpected term")
    static let unexpectedKeyword = malformed("Unexpected keyword")
    static let unexpectedOperator = malformed("Unexpected operator")
    static let leftover = malformed("Unexpected token after expression")
    static let missingRightHandSide = malformed("Missing right-hand side expression of infix operator")
    static let expectedSimplePath = malformed("Expected identifier for simple path")
    static let expectedDataManipulation = malformed("Expected data manipulation")
    static let expectedTypeName = malformed("Expected type name")

    static let parameterCount = DynamoDBError.validation("Number of parameters in request and statement don't match.")
    static let incompleteKey = DynamoDBError.validation("Where clause does not contain a mandatory equality on all key attributes")
    static let aliasing = DynamoDBError.validation("Aliasing is not supported")
    static let emptyPathComponent = DynamoDBError.validation("Path component cannot be an empty string")
    static let tooManyFromComponents = DynamoDBError.validation("A path may contain at most 2 components in the FROM clause")
    static let invalidTableName = DynamoDBError.validation(
        "Table name should be within the length [3, 255] and only contain 'a-z', 'A-Z', '0-9', '-', '_', '.'.")
    static let multipleSources = DynamoDBError.validation("Only select from a single table or index is supported.")
    static let operationOnIndex = DynamoDBError.validation("This operation is not supported on an index")
    static let unexpectedFromSource = DynamoDBError.validation("Unexpected from source")
    static let invalidSourceDot = DynamoDBError.validation(
        "Invalid path dot component in this operation, expecting either an IDENTIFIER or STAR.")
    static let starAndOthers = DynamoDBError.validation("Other attributes should not be present in the projection when '*' is used.")
    static let selectValue = DynamoDBError.validation("Select projection doesn't support value or pivot keywords")
    static let unexpectedPathComponent = DynamoDBError.validation("Unexpected path component")
    static let pathStartsWithIndex = DynamoDBError.validation("A path cannot start with a list index")
    static let wildcardPath = DynamoDBError.validation("Wildcard path component like a[*].b are not supported")
    static let unpivotPath = DynamoDBError.validation("Unpivot path component like a.*.b are not supported")
    static let whereNotBoolean = DynamoDBError.validation("WHERE clause must contain an expression that resolves to a boolean")
    static let andOrOperand = DynamoDBError.validation("The arguments to AND/OR must be Expressions")
    static let notOperand = DynamoDBError.validation("The argument to NOT must be a Type or Expression")
    static let isOperand = DynamoDBError.validation("The left hand side argument to IS must be a Variable Reference, Literal, or Path")
    static let isInUpdate = DynamoDBError.validation("IS operator is not supported in update expressions")
    static let missingLiteral = DynamoDBError.validation("MISSING must be compared using IS operator")
    static let invalidIn = DynamoDBError.validation(
        "IN operator must have a left hand argument of type Variable Reference and right hand argument of type Seq with at least one member")
    static let existsOutsideTransaction = DynamoDBError.validation("EXISTS can only be used in ExecuteTransaction write requests.")
    static let emptyBag = DynamoDBError.validation("Empty bags are not supported")
    static let mixedBag = DynamoDBError.validation(
        "Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags")
    static let insertNotTuple = DynamoDBError.validation(
        "Unsupported format in item expression. Please use struct format {...} to express item values for insert statement.")
    static let insertMultiple = DynamoDBError.validation(
        "Unsupported operation: Inserting multiple items in a single statement is not supported, use \"INSERT INTO tableName VALUE item\" instead")
    static let insertAt = DynamoDBError.validation("AT is not supported in insert statements.")
    static let insertReturning = DynamoDBError.validation("RETURNING is not supported in INSERT")
    static let returningSyntax = DynamoDBError.validation(
        "Expected '*' after ( MODIFIED | ALL ) ( NEW | OLD ) in RETURNING clause")
    static let multipleReturning = DynamoDBError.validation("Invalid syntax with multiple returning elements in RETURNING clause")
    static let orderByWithoutWhere = DynamoDBError.validation("Must have WHERE clause in the statement when using ORDER BY clause.")
    static let orderByWithoutHashKey = DynamoDBError.validation(
        "Must have at least one non-optional hash key condition in WHERE clause when using ORDER BY clause.")

    /// An INSERT of a key that exists: what the service raises when the PutItem an
    /// INSERT became fails its `attribute_not_exists` condition.
    static let duplicateItem = DynamoDBError("DuplicateItemException", "Duplicate primary key exists in table")

    static func listIndex(_ text: String) -> DynamoDBError {
        .validation("List index is not within the allowable range; index: [\(text)]")
    }
    static func unrecognizedFunction(_ name: String) -> DynamoDBError { .validation("Unrecognized function: \(name)") }
    static func unsupportedToken(_ text: String) -> DynamoDBError { .validation("Unsupported token in expression: \(text)") }
    static func conditionOperator(_ op: String) -> DynamoDBError {
        .validation("Unsupported operator in Condition Expression. Operator: \(op)")
    }
    static func updateOperator(_ op: String) -> DynamoDBError { .validation("Unsupported operator in Update Expression. Operator: \(op)") }
    static func unsupportedIsType(_ type: String) -> DynamoDBError {
        .validation("Unsupported data type for IS operator: \(type). Supported data types are [MISSING, NULL, BOOLEAN, BLOB, STRING, NUMERIC, STRUCT, TUPLE, LIST]")
    }
    static func incorrectOperandType(_ op: String, _ type: String) -> DynamoDBError {
        .validation("Incorrect operand type for operator or function; operator or function: \(op), operand type: \(type)")
    }
    static func duplicateTupleKey(_ key: String, under path: String) -> DynamoDBError {
        .validation("Duplicate keys in tuple. Key: \(key) under \(path)")
    }
    static func tupleKeyType(_ type: String, under path: String) -> DynamoDBError {
        .validation("Tuple keys must be of type String. Actual type: \(type) under \(path)")
    }
    static func multipleKeyConditions(_ key: String) -> DynamoDBError {
        .validation("Multiple conditions on same key \(key). Only single item Update/Insert/Delete are supported")
    }
    static func keyAbsent(_ key: String) -> DynamoDBError { .validation("Key attribute should be present in the item: Key \(key)") }
    static func keyTypeMismatch(_ key: String) -> DynamoDBError {
        .validation("Key attribute's data type should match its data type in table's schema: Key \(key)")
    }
    static func keyNotScalar(_ key: String) -> DynamoDBError {
        .validation("Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key \(key)")
    }
    static func setFunctionArity(_ op: String) -> DynamoDBError { .validation("SET_\(op) must have exactly two arguments") }
    static func setFunctionTarget(_ op: String) -> DynamoDBError {
        .validation("The first argument to SET_\(op) must equal the assignment value")
    }
    static func setFunctionValue(_ op: String) -> DynamoDBError {
        .validation("The second argument to SET_\(op) must be a value with type SET")
    }
    static func invalidDeleteReturning(_ clause: String) -> DynamoDBError {
        .validation("Invalid returning clause: RETURNING \(clause). Only RETURNING ALL OLD * is allowed in DELETE statements.")
    }
    static func orderByNotKey(_ name: String) -> DynamoDBError {
        .validation("Variable reference \(name) in ORDER BY clause must be part of the primary key")
    }
    static func orderByNotReference(_ type: String) -> DynamoDBError {
        .validation("Argument to ORDER BY must be of type VariableReference. Type: \(type)")
    }
    static func duplicateProjection(_ name: String) -> DynamoDBError {
        .validation("Duplicate identifiers in select clause: \(name)")
    }
    /// A number literal outside DynamoDB's range, with where it sits in the value.
    static func number(_ failure: DynamoNumber.Failure, text: String, under path: String) -> DynamoDBError {
        switch failure {
        case .notANumber: return malformed("")
        default: return .validation("\(DynamoDBError.number(failure, text: text).message) under \(path)")
        }
    }
}
