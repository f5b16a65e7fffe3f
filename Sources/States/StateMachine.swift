import JSON

/// A parsed, validated state machine definition. States are values with their
/// transitions resolved to indices while parsing, so running never looks a name up.
public struct StateMachine: Sendable {
    public var comment: String?
    public var version: String?
    public var timeoutSeconds: Int?
    public var queryLanguage: QueryLanguage
    public var graph: StateGraph
    /// The definition as written, for DescribeStateMachine.
    public var source: JSONValue
}

/// A set of states with a start: the top level, a Parallel branch, or a Map's item processor.
public struct StateGraph: Sendable {
    public var startAt: Int
    public var states: [State]
    public var processorMode: ProcessorMode

    public enum ProcessorMode: String, Sendable {
        case inline = "INLINE"
        case distributed = "DISTRIBUTED"
    }

    public func index(of name: String) -> Int? { states.firstIndex { $0.name == name } }
    public var start: State { states[startAt] }
}

/// Where a state goes when it is done.
public enum Transition: Sendable, Equatable {
    case next(Int)
    case end
}

/// One state: its name, what it does, where it goes, and how it shapes data.
public struct State: Sendable {
    public var name: String
    public var comment: String?
    public var kind: StateKind
    /// nil for Choice, Succeed and Fail, which decide or end on their own.
    public var transition: Transition?
    public var io: DataFlow
    /// `Assign`: variables set when the state completes.
    public var assign: PayloadTemplate?
    public var retry: [Retrier]
    public var `catch`: [Catcher]
    /// The JSON Pointer of the state in the definition, for runtime messages.
    public var location: String
    /// The state's own `QueryLanguage`, or the machine's.
    public var queryLanguage: QueryLanguage = .jsonPath
    /// `Arguments`, `Output` and `Assign` of a JSONata state (its `io` then stays the identity).
    public var jsonata: JSONataIO?

    public var typeName: String { kind.typeName }

    /// Ends its graph: `"End": true`, Succeed or Fail.
    public var isTerminal: Bool {
        switch kind {
        case .succeed, .fail: return true
        default: return transition == .end
        }
    }
}

public enum StateKind: Sendable {
    case pass(PassState)
    case task(TaskState)
    case choice(ChoiceState)
    case wait(WaitState)
    case succeed
    case fail(FailState)
    case parallel(ParallelState)
    case map(MapState)

    public var typeName: String {
        switch self {
        case .pass: return "Pass"
        case .task: return "Task"
        case .choice: return "Choice"
        case .wait: return "Wait"
        case .succeed: return "Succeed"
        case .fail: return "Fail"
        case .parallel: return "Parallel"
        case .map: return "Map"
        }
    }
}

/// The data-shaping fields, applied in AWS's order: InputPath → Parameters →
/// (work) → ResultSelector → ResultPath → OutputPath.
public struct DataFlow: Sendable {
    /// nil path means `null`: the state sees `{}`. Absent means `$`.
    public var inputPath: PathField = .path(JSONPath.identity)
    public var parameters: PayloadTemplate?
    public var resultSelector: PayloadTemplate?
    /// `.discard` (ResultPath null) keeps the input as output.
    public var resultPath: PathField = .path(JSONPath.identity)
    public var outputPath: PathField = .path(JSONPath.identity)

    public enum PathField: Sendable {
        case path(JSONPath)
        case discard
    }

    public init() {}
}

/// A JSONata state's data fields: `Arguments` (Task, Parallel), `Output` and `Assign`.
public struct JSONataIO: Sendable {
    public var arguments: JSONataTemplate?
    public var output: JSONataTemplate?
    /// An object: each member a variable set when the state completes.
    public var assign: JSONataTemplate?

    public init(arguments: JSONataTemplate? = nil, output: JSONataTemplate? = nil, assign: JSONataTemplate? = nil) {
        self.arguments = arguments
        self.output = output
        self.assign = assign
    }
}

public struct PassState: Sendable {
    public var result: JSONValue?
}

public struct TaskState: Sendable {
    public var resource: String
    public var timeoutSeconds: IntegerField?
    public var heartbeatSeconds: IntegerField?
    public var credentials: JSONValue?
}

/// A number given literally or read from the input with a `…Path` field.
public enum IntegerField: Sendable {
    case value(Int)
    case path(JSONPath)
    /// A JSONata state's `{% … %}` value.
    case expression(JSONataTemplate)
}

public struct WaitState: Sendable {
    public enum Duration: Sendable {
        case seconds(Int)
        case timestamp(String)
        case secondsPath(JSONPath)
        case timestampPath(JSONPath)
        case secondsExpression(JSONataTemplate)
        case timestampExpression(JSONataTemplate)
    }
    public var duration: Duration
}

public struct FailState: Sendable {
    public enum Text: Sendable {
        case literal(String)
        case path(JSONPath)
        case intrinsic(IntrinsicCall)
        case expression(JSONataTemplate)
    }
    public var error: Text?
    public var cause: Text?
}

public struct ChoiceState: Sendable {
    public var choices: [ChoiceBranch]
    public var defaultState: Int?
}

/// One entry of `Choices`: a rule and where it leads (plus its own `Assign`).
public struct ChoiceBranch: Sendable {
    public var rule: ChoiceRule
    public var next: Int
    public var assign: PayloadTemplate?
    /// A JSONata rule's `Condition`, `Output` and `Assign`.
    public var condition: JSONataTemplate?
    public var output: JSONataTemplate?
    public var jsonataAssign: JSONataTemplate?
}

public struct ParallelState: Sendable {
    public var branches: [StateGraph]
}

public struct MapState: Sendable {
    public var itemsPath: JSONPath?
    public var itemSelector: PayloadTemplate?
    /// A JSONata Map's `Items` and `ItemSelector`.
    public var items: JSONataTemplate?
    public var jsonataItemSelector: JSONataTemplate?
    public var processor: StateGraph
    public var maxConcurrency: IntegerField?
    public var toleratedFailureCount: IntegerField?
    public var toleratedFailurePercentage: IntegerField?
    public var itemBatcher: ItemBatcher?
    public var itemReader: JSONValue?
    public var label: String?
    /// Child executions' type in DISTRIBUTED mode.
    public var executionType: String = "STANDARD"
    /// The item processor as written (without ProcessorConfig): the definition of
    /// a distributed map's child executions.
    public var processorDefinition: JSONValue = .null

    public struct ItemBatcher: Sendable {
        public var maxItemsPerBatch: IntegerField?
        public var maxInputBytesPerBatch: IntegerField?
        public var batchInput: PayloadTemplate?
    }
}

/// `Retry`: which errors, how often, how long between attempts.
public struct Retrier: Sendable {
    public var errorEquals: [String]
    public var intervalSeconds: Int = 1
    public var maxAttempts: Int = 3
    public var backoffRate: Double = 2.0
    public var maxDelaySeconds: Int?
    public var jitterStrategy: JitterStrategy = .none

    public enum JitterStrategy: String, Sendable {
        case full = "FULL"
        case none = "NONE"
    }
}

/// `Catch`: which errors, where to go, where the error lands.
public struct Catcher: Sendable {
    public var errorEquals: [String]
    public var next: Int
    public var resultPath: DataFlow.PathField = .path(JSONPath.identity)
    public var assign: PayloadTemplate?
    /// A JSONata catcher's `Output` and `Assign`.
    public var output: JSONataTemplate?
    public var jsonataAssign: JSONataTemplate?
}

extension [String] {
    /// Whether an `ErrorEquals` list catches `error`. `States.ALL` matches every error
    /// but the terminal ones (`States.Runtime`, `States.DataLimitExceeded`);
    /// `States.TaskFailed` matches those and also excludes `States.Timeout`.
    public func matches(_ error: String) -> Bool {
        let terminal = error == "States.Runtime" || error == "States.DataLimitExceeded"
        for name in self {
            if name == error { return true }
            if name == "States.ALL" && !terminal { return true }
            if name == "States.TaskFailed" && !terminal && error != "States.Timeout" { return true }
        }
        return false
    }
}

extension JSONPath {
    /// `$`: the whole input.
    public static let identity: JSONPath = try! JSONPath.parse("$")
}
