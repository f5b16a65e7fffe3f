/// A parsed ConditionExpression or FilterExpression (a KeyConditionExpression too, before
/// its key rules are applied).
public struct ConditionExpression: Sendable {
    public let kind: ExpressionKind
    public let condition: ExpressionCondition

    /// Parses and checks `text`, resolving its placeholders from `context`.
    public static func parse(_ text: String, kind: ExpressionKind = .condition, context: ExpressionContext) throws -> ConditionExpression {
        try ExpressionLimits.checkText(text, kind: kind)
        var parser = ExpressionParser(text, kind: kind)
        let raw = try parser.parseCondition()
        let checker = ExpressionChecker(kind: kind, context: context)
        try checker.firstPass(raw)
        return ConditionExpression(kind: kind, condition: try checker.condition(raw))
    }

    /// Whether the condition holds for `item`; `nil` means there is no item, so every
    /// path is missing (`attribute_not_exists` holds, comparisons are false).
    public func evaluate(on item: Item?) -> Bool {
        condition.holds(for: item)
    }

    /// Every document path the expression reads, in writing order.
    public var paths: [DocumentPath] { condition.paths }

    /// A Query's filter may not use the key attributes; DynamoDB's check and message.
    public func checkNoKeyAttributes(_ keys: [String]) throws {
        for p in paths where keys.contains(p.attribute) {
            throw DynamoDBError.validation("Filter Expression can only contain non-primary key attributes: Primary key attribute: \(p.attribute)")
        }
    }
}
