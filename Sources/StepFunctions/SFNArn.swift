/// Step Functions ARNs: `arn:aws:states:<region>:<account>:<kind>:<name>[:<qualifier>…]`.
struct SFNArn: Sendable, Equatable {
    var region: String
    var account: String
    var kind: String
    var parts: [String]

    init?(_ arn: String) {
        let p = arn.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard p.count >= 7, p[0] == "arn", p[1].hasPrefix("aws"), p[2] == "states", !p[3].isEmpty, !p[4].isEmpty else { return nil }
        region = p[3]
        account = p[4]
        kind = p[5]
        parts = Array(p[6...])
        guard parts.allSatisfy({ !$0.isEmpty }) else { return nil }
    }

    static func stateMachine(region: String, account: String, name: String) -> String {
        "arn:aws:states:\(region):\(account):stateMachine:\(name)"
    }
    static func execution(region: String, account: String, machine: String, name: String) -> String {
        "arn:aws:states:\(region):\(account):execution:\(machine):\(name)"
    }
    static func expressExecution(region: String, account: String, machine: String, name: String, id: String) -> String {
        "arn:aws:states:\(region):\(account):express:\(machine):\(name):\(id)"
    }
    static func activity(region: String, account: String, name: String) -> String {
        "arn:aws:states:\(region):\(account):activity:\(name)"
    }

    /// The unqualified state machine ARN of a state machine, version or alias ARN.
    var stateMachineArn: String? {
        guard kind == "stateMachine", let name = parts.first else { return nil }
        return SFNArn.stateMachine(region: region, account: account, name: name)
    }
}

/// Names of state machines, executions and activities: 1–80 characters, none of the
/// characters AWS forbids (whitespace, brackets, wildcards, special and control characters).
enum SFNName {
    static func isValid(_ name: String) -> Bool {
        guard !name.isEmpty, name.count <= 80 else { return false }
        let forbidden = Set(" <>{}[]?*\"#%\\^|~`$&,;:/")
        return !name.unicodeScalars.contains { scalar in
            forbidden.contains(Character(scalar)) || scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
        }
    }
}
