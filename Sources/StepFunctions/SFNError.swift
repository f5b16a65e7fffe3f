import Wire

/// A Step Functions error: the model's shape name (also its code) and AWS's message.
public typealias SFNError = ServiceError<SFNErrors>

public enum SFNErrors: ServiceErrorDomain {}

extension ServiceError where Service == SFNErrors {
    static func invalidArn(_ arn: String) -> SFNError { SFNError("InvalidArn", "Invalid Arn: '\(arn)'") }
    static func invalidName(_ name: String) -> SFNError { SFNError("InvalidName", "Invalid Name: '\(name)'") }
    static func invalidDefinition(_ message: String) -> SFNError { SFNError("InvalidDefinition", message) }
    static func stateMachineDoesNotExist(_ arn: String) -> SFNError {
        SFNError("StateMachineDoesNotExist", "State Machine Does Not Exist: '\(arn)'")
    }
    static func stateMachineAlreadyExists(_ arn: String) -> SFNError {
        SFNError("StateMachineAlreadyExists", "State Machine Already Exists: '\(arn)'")
    }
    static func executionDoesNotExist(_ arn: String) -> SFNError {
        SFNError("ExecutionDoesNotExist", "Execution Does Not Exist: '\(arn)'")
    }
    static func executionAlreadyExists(_ arn: String) -> SFNError {
        SFNError("ExecutionAlreadyExists", "Execution Already Exists: '\(arn)'")
    }
    static func invalidExecutionInput(_ message: String) -> SFNError { SFNError("InvalidExecutionInput", message) }
    static func invalidOutput(_ message: String) -> SFNError { SFNError("InvalidOutput", message) }
    static func invalidToken(_ message: String) -> SFNError { SFNError("InvalidToken", message) }
    static func taskTimedOut() -> SFNError { SFNError("TaskTimedOut", "Task Timed Out: 'Provided task does not exist anymore'") }
    static func validation(_ message: String) -> SFNError { SFNError("ValidationException", message) }
    static func stateMachineTypeNotSupported(_ message: String) -> SFNError { SFNError("StateMachineTypeNotSupported", message) }
    static func activityDoesNotExist(_ arn: String) -> SFNError { SFNError("ActivityDoesNotExist", "Activity Does Not Exist: '\(arn)'") }
    static func resourceNotFound(_ message: String) -> SFNError { SFNError("ResourceNotFound", message) }
    static func conflict(_ message: String) -> SFNError { SFNError("ConflictException", message) }
    static func executionNotRedrivable(_ message: String) -> SFNError { SFNError("ExecutionNotRedrivable", message) }
    static func tooManyTags(_ arn: String) -> SFNError { SFNError("TooManyTags", "Too many tags on resource '\(arn)'") }

    static func from(_ error: ShapeError) -> SFNError {
        switch error {
        case .missing(let path): return .validation("1 validation error detected: Value null at '\(path)' failed to satisfy constraint: Member must not be null")
        case .typeMismatch(let path, let expected, _, _): return SFNError("SerializationException", "Expected \(expected) for \(path)")
        }
    }
}
