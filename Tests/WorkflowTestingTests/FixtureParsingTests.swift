import JSON
import States
import XCTest
@testable import WorkflowTesting

final class FixtureParsingTests: XCTestCase {
    func testPlaceholder() {}
}
