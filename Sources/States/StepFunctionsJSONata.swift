import Digest
import Foundation
import JSON

/// The functions Step Functions adds to JSONata: `$partition`, `$range`, `$hash`,
/// `$random` (with an optional seed), `$uuid` and `$parse`.
enum StepFunctionsJSONata {
    static let functions: [String: JSONataFunction] = [
        "partition": JSONataFunction(partition),
        "range": JSONataFunction(range),
        "hash": JSONataFunction(hash),
        "random": JSONataFunction(random),
        "uuid": JSONataFunction { _ in .string(IntrinsicEvaluator.randomUUIDv4()) },
        "parse": JSONataFunction(parse),
    ]

    /// A bad argument, worded as JSONata words signature mismatches.
    static func mismatch(_ function: String, argument: Int) -> FunctionError {
        FunctionError(code: "T0410", message: "Argument \(argument) of function \"\(function)\" does not match function signature")
    }

    static func number(_ value: JSONValue?) -> Double? {
        if case .number(let n)? = value { return Double(n) }
        return nil
    }

    static func integer(_ value: JSONValue?) -> Int? {
        guard let d = number(value), d == d.rounded(), abs(d) < 9e15 else { return nil }
        return Int(d)
    }

    static func numberValue(_ d: Double) -> JSONValue {
        if d == d.rounded(), abs(d) < 9e15 { return .integer(Int(d)) }
        return .number(String(d))
    }

    /// `$partition(array, chunkSize)`: the array in chunks of `chunkSize` (the last one shorter).
    static func partition(_ args: [JSONValue?]) throws -> JSONValue? {
        guard args.count == 2 else { throw mismatch("partition", argument: args.count < 2 ? args.count + 1 : 3) }
        guard case .array(let items)? = args[0] else { throw mismatch("partition", argument: 1) }
        guard let size = integer(args[1]), size > 0 else {
            throw FunctionError(code: "D3100", message: "The chunk size must be a positive integer")
        }
        var chunks: [JSONValue] = []
        var i = 0
        while i < items.count {
            chunks.append(.array(Array(items[i..<min(i + size, items.count)])))
            i += size
        }
        return .array(chunks)
    }

    /// `$range(start, end, step)`: numbers from `start` to `end` (inclusive) by `step`.
    static func range(_ args: [JSONValue?]) throws -> JSONValue? {
        guard args.count == 3 else { throw mismatch("range", argument: args.count < 3 ? args.count + 1 : 4) }
        guard let start = number(args[0]) else { throw mismatch("range", argument: 1) }
        guard let end = number(args[1]) else { throw mismatch("range", argument: 2) }
        guard let step = number(args[2]), step != 0 else { throw mismatch("range", argument: 3) }
        let count = Int(((end - start) / step).rounded(.down)) + 1
        guard count > 0 else { return .array([]) }
        guard count <= 1_000 else {
            throw FunctionError(code: "D3100", message: "The range must not contain more than 1000 items")
        }
        return .array((0..<count).map { numberValue(start + Double($0) * step) })
    }

    /// `$hash(data, algorithm)`: lowercase hex digest (MD5, SHA-1, SHA-256, SHA-384, SHA-512).
    static func hash(_ args: [JSONValue?]) throws -> JSONValue? {
        guard args.count == 2 else { throw mismatch("hash", argument: args.count < 2 ? args.count + 1 : 3) }
        guard case .string(let data)? = args[0] else { throw mismatch("hash", argument: 1) }
        guard case .string(let algorithm)? = args[1] else { throw mismatch("hash", argument: 2) }
        let bytes = Array(data.utf8)
        let digest: [UInt8]
        switch algorithm {
        case "MD5": digest = MD5.hash(bytes)
        case "SHA-1": digest = SHA1.hash(bytes)
        case "SHA-256": digest = SHA256.hash(bytes)
        case "SHA-384": digest = SHA384.hash(bytes)
        case "SHA-512": digest = SHA512.hash(bytes)
        default:
            throw FunctionError(code: "D3100", message: "The hash algorithm must be one of MD5, SHA-1, SHA-256, SHA-384, SHA-512")
        }
        return .string(digest.map { String(format: "%02x", $0) }.joined())
    }

    /// `$random([seed])`: a number in [0, 1); the same seed gives the same number.
    static func random(_ args: [JSONValue?]) throws -> JSONValue? {
        guard args.count <= 1 else { throw mismatch("random", argument: 2) }
        // Unseeded draws come from the run's random source, so a seeded workflow test repeats.
        guard let seedValue = args.first ?? nil else { return numberValue(StatesRandomness.double(in: 0...Double(1).nextDown)) }
        guard let seed = number(seedValue) else { throw mismatch("random", argument: 1) }
        var generator = JavaRandom(seed: Int64(seed.rounded(.towardZero)))
        let high = Int64(generator.next(bits: 26)), low = Int64(generator.next(bits: 27))
        return .number(String(Double((high << 27) + low) * 0x1.0p-53))
    }

    /// `$parse(text)`: the JSON value a string holds.
    static func parse(_ args: [JSONValue?]) throws -> JSONValue? {
        guard args.count == 1, case .string(let text)? = args[0] else { throw mismatch("parse", argument: 1) }
        do {
            return try JSONValue.parse(Array(text.utf8))
        } catch {
            throw FunctionError(code: "D3100", message: "The string is not valid JSON: \(error)")
        }
    }

    /// A failure of one of these functions, reported like the engine's own coded errors.
    struct FunctionError: Error, Sendable {
        var code: String
        var message: String
    }
}
