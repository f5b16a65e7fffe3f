import Foundation
import JSON

extension ExecutionRun {
    /// Runs the item processor once per item (or batch), at most `MaxConcurrency` at a
    /// time; the result is the outputs in item order.
    func runMap(_ map: MapState, state: State, input: JSONValue, context: JSONValue, variables: [String: JSONValue],
                previous: inout Int) async throws -> JSONValue {
        let scope = EvaluationScope(input: input, context: context, variables: variables)
        let runner = map.processor.processorMode == .distributed ? interpreter.mapRunner : nil
        var source: JSONValue
        if let reader = map.itemReader {
            guard let runner else {
                throw StatesError("States.ItemReaderFailed", "An ItemReader needs the Step Functions service to read its items.")
            }
            source = .array(try await runner.readItems(reader, scope: scope))
        } else {
            source = try map.itemsPath.map { try $0.evaluate(in: scope, field: "ItemsPath") } ?? input
        }
        if let template = map.items {
            let value = try template.evaluate(JSONataScope(scope), field: "Items")
            guard case .array = value else {
                throw template.field?.unexpectedType(value, expected: "array", field: "Items")
                    ?? QueryEvaluationFailure("The value of the field 'Items' must be an array", location: "Items")
            }
            source = value
        }
        guard case .array(let items) = source else {
            throw StatesError.runtime("Map state input must be an array, but ItemsPath selected \(source.typeName): \(source.jsonString)")
        }
        let concurrency = try integer(map.maxConcurrency, scope: scope, field: "MaxConcurrencyPath") ?? 0
        let toleratedCount = try integer(map.toleratedFailureCount, scope: scope, field: "ToleratedFailureCountPath")
        let toleratedPercentage = try integer(map.toleratedFailurePercentage, scope: scope, field: "ToleratedFailurePercentagePath")

        // Each unit of work: its input and the item index/value for `$$.Map.Item`.
        var units: [(input: JSONValue, item: (index: Int, value: JSONValue))] = []
        for (i, item) in items.enumerated() {
            let itemContext: JSONValue = {
                guard case .object(var o) = context else { return context }
                o["Map"] = ["Item": ["Index": .integer(i), "Value": item]]
                return .object(o)
            }()
            let selected: JSONValue
            if let template = map.jsonataItemSelector {
                selected = try template.evaluate(JSONataScope(input: input, context: itemContext, variables: variables),
                                                 field: "ItemSelector")
            } else {
                selected = try map.itemSelector?.evaluate(in: EvaluationScope(input: input, context: itemContext, variables: variables),
                                                          field: "ItemSelector") ?? item
            }
            units.append((selected, (i, item)))
        }
        if let batcher = map.itemBatcher {
            units = try batch(units, batcher: batcher, scope: scope)
        }

        if let runner {
            return try await runMapRun(map, state: state, inputs: units.map(\.input), concurrency: concurrency,
                                       toleratedCount: toleratedCount, toleratedPercentage: toleratedPercentage,
                                       runner: runner, previous: &previous)
        }

        let started = await log.record("MapStateStarted", previous: previous, details: ("mapStateStartedEventDetails", [
            "length": .integer(units.count),
        ]))
        previous = started
        let stateName = state.name
        let limit = concurrency == 0 ? units.count : concurrency
        var outputs = [JSONValue](repeating: .null, count: units.count)
        var failures = 0
        var firstFailure: StatesError?
        do {
            try await withThrowingTaskGroup(of: (Int, Result<JSONValue, StatesError>).self) { group in
                var nextUnit = 0
                func launch() {
                    let i = nextUnit
                    nextUnit += 1
                    let unit = units[i]
                    group.addTask {
                        var scoped = variables
                        var last = await self.log.record("MapIterationStarted", previous: started, details: ("mapIterationStartedEventDetails", [
                            "name": .string(stateName), "index": .integer(i),
                        ]))
                        do {
                            let output = try await self.runGraph(map.processor, input: unit.input, variables: &scoped, previous: &last,
                                                                 topLevel: false, mapItem: unit.item)
                            await self.log.record("MapIterationSucceeded", previous: last, details: ("mapIterationSucceededEventDetails", [
                                "name": .string(stateName), "index": .integer(i),
                            ]))
                            return (i, .success(output))
                        } catch let error as StatesError {
                            await self.log.record("MapIterationFailed", previous: last, details: ("mapIterationFailedEventDetails", [
                                "name": .string(stateName), "index": .integer(i),
                            ]))
                            return (i, .failure(error))
                        }
                    }
                }
                for _ in 0..<min(max(limit, 1), units.count) { launch() }
                while let (i, result) = try await group.next() {
                    switch result {
                    case .success(let output):
                        outputs[i] = output
                    case .failure(let error):
                        failures += 1
                        if firstFailure == nil { firstFailure = error }
                        outputs[i] = ["Error": .string(error.error), "Cause": .string(error.cause)]
                        if toleratedCount == nil && toleratedPercentage == nil {
                            group.cancelAll()
                            throw error
                        }
                        if exceedsTolerance(failures, total: units.count, count: toleratedCount, percentage: toleratedPercentage) {
                            group.cancelAll()
                            throw StatesError("States.ExceedToleratedFailureThreshold",
                                              "The specified tolerated failure threshold was exceeded")
                        }
                    }
                    if nextUnit < units.count { launch() }
                }
            }
        } catch let error as StatesError {
            previous = await log.record("MapStateFailed", previous: previous)
            throw error
        }
        previous = await log.record("MapStateSucceeded", previous: previous)
        return .array(outputs)
    }

    /// A DISTRIBUTED Map: child executions in a Map Run, recorded in the parent's history
    /// as MapRunStarted and MapRunSucceeded or MapRunFailed.
    func runMapRun(_ map: MapState, state: State, inputs: [JSONValue], concurrency: Int, toleratedCount: Int?,
                   toleratedPercentage: Int?, runner: any DistributedMapRunner, previous: inout Int) async throws -> JSONValue {
        let request = MapRunRequest(execution: execution, stateName: state.name, label: map.label, definition: map.processorDefinition,
                                    executionType: map.executionType, inputs: inputs, maxConcurrency: concurrency,
                                    toleratedFailureCount: toleratedCount, toleratedFailurePercentage: toleratedPercentage)
        let mapRunArn = try await runner.startMapRun(request)
        previous = await log.record("MapRunStarted", previous: previous, details: ("mapRunStartedEventDetails", [
            "mapRunArn": .string(mapRunArn),
        ]))
        // The run may take long: its start belongs in the history now.
        try await log.commit(nil)
        do {
            let outputs = try await runner.awaitMapRun(mapRunArn)
            previous = await log.record("MapRunSucceeded", previous: previous)
            return .array(outputs)
        } catch let error as StatesError {
            previous = await log.record("MapRunFailed", previous: previous, details: ("mapRunFailedEventDetails", [
                "error": .string(error.error), "cause": .string(error.cause),
            ]))
            throw error
        }
    }

    func exceedsTolerance(_ failures: Int, total: Int, count: Int?, percentage: Int?) -> Bool {
        if let count, failures > count { return true }
        if let percentage, total > 0, Double(failures) * 100 / Double(total) > Double(percentage) { return true }
        return false
    }

    /// `ItemBatcher`: items grouped into `{"Items": [...]}` (plus `BatchInput`).
    func batch(_ units: [(input: JSONValue, item: (index: Int, value: JSONValue))], batcher: MapState.ItemBatcher,
               scope: EvaluationScope) throws -> [(input: JSONValue, item: (index: Int, value: JSONValue))] {
        let maxItems = try integer(batcher.maxItemsPerBatch, scope: scope, field: "MaxItemsPerBatchPath") ?? Int.max
        let maxBytes = try integer(batcher.maxInputBytesPerBatch, scope: scope, field: "MaxInputBytesPerBatchPath") ?? 262_144
        let batchInput = try batcher.batchInput?.evaluate(in: scope, field: "BatchInput")
        var batches: [(input: JSONValue, item: (index: Int, value: JSONValue))] = []
        var current: [JSONValue] = []
        var bytes = 0
        func flush() {
            guard !current.isEmpty else { return }
            var o = JSONObject()
            if let batchInput { o["BatchInput"] = batchInput }
            o["Items"] = .array(current)
            let value = JSONValue.object(o)
            batches.append((value, (batches.count, value)))
            current = []
            bytes = 0
        }
        for unit in units {
            let size = unit.input.serialized().count
            if !current.isEmpty && (current.count >= maxItems || bytes + size > maxBytes) { flush() }
            current.append(unit.input)
            bytes += size
        }
        flush()
        return batches
    }
}
