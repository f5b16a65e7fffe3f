import Foundation
import JSON
import States

/// What the fixtures of one definition exercised: its states, its Choice rules
/// (Default included), and each Retry and Catch entry.
public struct DefinitionCoverage: Sendable {
    public struct Item: Sendable {
        public var id: String
        public var covered: Bool
    }
    public var definition: String
    public var tests: Int
    public var states: [Item]
    public var choiceRules: [Item]
    public var retriers: [Item]
    public var catchers: [Item]

    public var all: [Item] { states + choiceRules + retriers + catchers }

    public static func compute(_ results: [TestResult]) -> [DefinitionCoverage] {
        var order: [String] = []
        var byDefinition: [String: [TestResult]] = [:]
        for r in results {
            if byDefinition[r.test.definitionPath] == nil { order.append(r.test.definitionPath) }
            byDefinition[r.test.definitionPath, default: []].append(r)
        }
        return order.compactMap { path in
            let rs = byDefinition[path]!
            guard case .success(let machine) = DefinitionCatalog.parse(path, substitutions: rs[0].test.substitutions) else { return nil }
            return compute(machine, definition: path, results: rs)
        }
    }

    static func compute(_ machine: StateMachine, definition: String, results: [TestResult]) -> DefinitionCoverage {
        let runs = results.compactMap(\.actual)
        let entered = Set(runs.flatMap(\.states))
        let choices = Set(runs.flatMap(\.choices))
        let retried = Set(runs.flatMap(\.retriesTaken).map { "\($0.state)#\($0.index)" })
        let caught = Set(runs.flatMap(\.catches).map { "\($0.state)#\($0.index)" })
        var c = DefinitionCoverage(definition: definition, tests: results.count, states: [], choiceRules: [], retriers: [], catchers: [])
        for (state, graph) in statesWithGraphs(machine.graph) {
            c.states.append(Item(id: state.name, covered: entered.contains(state.name)))
            if case .choice(let choice) = state.kind {
                for (i, branch) in choice.choices.enumerated() {
                    c.choiceRules.append(Item(id: "\(state.name) rule \(i) → \(graph.states[branch.next].name)",
                                              covered: choices.contains(ChoiceTaken(state: state.name, rule: i))))
                }
                if let d = choice.defaultState {
                    c.choiceRules.append(Item(id: "\(state.name) Default → \(graph.states[d].name)",
                                              covered: choices.contains(ChoiceTaken(state: state.name, rule: nil))))
                }
            }
            for (i, r) in state.retry.enumerated() {
                c.retriers.append(Item(id: "\(state.name) Retry[\(i)] \(r.errorEquals.joined(separator: ","))",
                                       covered: retried.contains("\(state.name)#\(i)")))
            }
            for (i, k) in state.catch.enumerated() {
                c.catchers.append(Item(id: "\(state.name) Catch[\(i)] \(k.errorEquals.joined(separator: ","))",
                                       covered: caught.contains("\(state.name)#\(i)")))
            }
        }
        return c
    }

    /// Every state with the graph that holds it (where its `Next` indexes point).
    static func statesWithGraphs(_ graph: StateGraph) -> [(state: State, graph: StateGraph)] {
        graph.states.flatMap { state -> [(state: State, graph: StateGraph)] in
            switch state.kind {
            case .parallel(let p): return [(state, graph)] + p.branches.flatMap(statesWithGraphs)
            case .map(let m): return [(state, graph)] + statesWithGraphs(m.processor)
            default: return [(state, graph)]
            }
        }
    }

    public var json: JSONValue {
        func section(_ items: [Item]) -> JSONValue {
            let covered = items.filter(\.covered).count
            return ["total": .integer(items.count), "covered": .integer(covered),
                    "percent": .number(items.isEmpty ? "100" : String(format: "%.1f", Double(covered) * 100 / Double(items.count))),
                    "missed": .array(items.filter { !$0.covered }.map { .string($0.id) })]
        }
        return ["definition": .string(definition), "tests": .integer(tests), "states": section(states),
                "choiceRules": section(choiceRules), "retriers": section(retriers), "catchers": section(catchers),
                "branches": section(choiceRules + retriers + catchers)]
    }

    public var text: String {
        func line(_ label: String, _ items: [Item]) -> String {
            let covered = items.filter(\.covered).count
            let percent = items.isEmpty ? 100 : Double(covered) * 100 / Double(items.count)
            var s = "  \(label.padding(toLength: 13, withPad: " ", startingAt: 0))\(covered)/\(items.count)"
            s += String(format: "  %5.1f%%\n", percent)
            for item in items where !item.covered { s += "      missed: \(item.id)\n" }
            return s
        }
        return "Coverage of \(definition) (\(tests) tests)\n" + line("states", states) + line("choice rules", choiceRules)
            + line("retriers", retriers) + line("catchers", catchers)
    }
}
