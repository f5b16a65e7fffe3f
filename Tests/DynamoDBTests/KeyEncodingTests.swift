import XCTest
@testable import DynamoDB

final class KeyEncodingTests: XCTestCase {
    private func n(_ text: String) -> DynamoNumber { try! DynamoNumber(parsing: text) }

    /// SQLite's BLOB order: memcmp over the common length, then the shorter first.
    private func blobLess(_ a: [UInt8], _ b: [UInt8]) -> Bool { a.lexicographicallyPrecedes(b) }

    func testNumberEncodingsSortNumerically() {
        let ascending = ["-9.9999999999999999999999999999999999999E+125", "-1E125", "-100", "-99.99", "-10.5", "-10",
                         "-9", "-1.01", "-1.001", "-1", "-0.99", "-0.5", "-0.01", "-1E-130", "0", "1E-130", "0.001",
                         "0.01", "0.5", "0.99", "1", "1.001", "1.01", "1.1", "9", "10", "10.5", "99.99", "100",
                         "12345678901234567890123456789012345678", "1E125",
                         "9.9999999999999999999999999999999999999E+125"]
        let encoded = ascending.map { KeyEncoding.encode(n($0)) }
        for i in encoded.indices {
            for j in encoded.indices {
                XCTAssertEqual(blobLess(encoded[i], encoded[j]), i < j, "\(ascending[i]) vs \(ascending[j])")
            }
        }
    }

    func testNumberEncodingIsCanonical() {
        XCTAssertEqual(KeyEncoding.encode(n("1.50")), KeyEncoding.encode(n("1.5")))
        XCTAssertEqual(KeyEncoding.encode(n("-0")), [0x02])
        XCTAssertEqual(KeyEncoding.encode(n("100")), [0x03, 132, 10])
        XCTAssertEqual(KeyEncoding.encode(n("15")), [0x03, 131, 15])
        XCTAssertEqual(KeyEncoding.encode(n("-15")), [0x01, 124, ~UInt8(16), 0xFF])
    }

    func testRoundTrips() throws {
        for text in ["0", "1", "-1", "1.5", "-1.5", "1E125", "-1E-130", "12345678901234567890123456789012345678",
                     "-0.00012345678901234567890123456789012345678", "1001", "-1001", "0.1", "-100"] {
            let value = n(text)
            XCTAssertEqual(try KeyEncoding.decodeNumber(KeyEncoding.encode(value)), value, text)
            XCTAssertEqual(try KeyEncoding.decode(KeyEncoding.encode(value), type: "N").json, AttributeValue.n(value).json)
        }
        XCTAssertEqual(try KeyEncoding.decode(KeyEncoding.encode(.s("héllo"))!, type: "S"), .s("héllo"))
        XCTAssertEqual(try KeyEncoding.decode(KeyEncoding.encode(.b([0, 255, 7]))!, type: "B"), .b([0, 255, 7]))
        XCTAssertNil(KeyEncoding.encode(.bool(true)))
        XCTAssertNil(KeyEncoding.encode(.ss(["a"])))
    }

    func testMalformedBytesAreRejected() {
        for bytes: [UInt8] in [[], [0x04], [0x03], [0x03, 130], [0x03, 130, 100], [0x01, 125, 200], [0x01, 125, 0xFF], [0x03, 130, 0]] {
            XCTAssertThrowsError(try KeyEncoding.decodeNumber(bytes), "\(bytes)")
        }
        XCTAssertThrowsError(try KeyEncoding.decode([0xC3], type: "S"))
        XCTAssertThrowsError(try KeyEncoding.decode([1], type: "BOOL"))
    }

    func testStringsAndBinariesSortByBytes() {
        // DynamoDB orders strings by UTF-8 bytes: "Z" < "a" < "é" < "😀", and a prefix first.
        let ascending = ["", "A", "Z", "a", "ab", "abc", "b", "z", "\u{7F}", "é", "\u{FFFF}", "😀"]
        let encoded = ascending.map { KeyEncoding.encode(.s($0))! }
        for i in encoded.indices {
            for j in encoded.indices {
                XCTAssertEqual(blobLess(encoded[i], encoded[j]), i < j, "\(ascending[i]) vs \(ascending[j])")
            }
        }
        XCTAssertTrue(blobLess(KeyEncoding.encode(.b([0x7F]))!, KeyEncoding.encode(.b([0x80]))!))
        XCTAssertTrue(blobLess(KeyEncoding.encode(.b([1]))!, KeyEncoding.encode(.b([1, 0]))!))
    }

    // MARK: - Property tests

    private func randomNumber(_ rng: inout DynamoTestRandom) -> DynamoNumber {
        let count = Int(rng.next() % 38) + 1
        var digits = (0..<count).map { _ in UInt8(rng.next() % 10) }
        if rng.next() % 3 == 0 { digits = Array(digits.prefix(Int(rng.next() % 3) + 1)) }  // short numbers collide more
        digits[0] = max(digits[0], 1)
        let text = (rng.next() % 2 == 0 ? "-" : "") + String(digits.map { Character(Unicode.Scalar($0 + 48)) })
            + "e\(Int(rng.next() % 20) - 10 - (rng.next() % 8 == 0 ? 100 : 0) + (rng.next() % 8 == 0 ? 80 : 0))"
        return (try? DynamoNumber(parsing: text)) ?? .zero
    }

    func testRandomNumbersSortTheSameByValueAndByBytes() throws {
        var rng = DynamoTestRandom(seed: 42)
        var numbers = (0..<3000).map { _ in randomNumber(&rng) }
        numbers += [.zero, .zero, n("1"), n("1"), n("-1")]
        let byValue = numbers.sorted()
        let byBytes = numbers.sorted { blobLess(KeyEncoding.encode($0), KeyEncoding.encode($1)) }
        XCTAssertEqual(byValue, byBytes)
        for number in numbers.prefix(500) {
            XCTAssertEqual(try KeyEncoding.decodeNumber(KeyEncoding.encode(number)), number)
        }
        // Equal values, and only equal values, encode the same.
        for (a, b) in zip(byValue, byValue.dropFirst()) {
            XCTAssertEqual(a == b, KeyEncoding.encode(a) == KeyEncoding.encode(b), "\(a) \(b)")
        }
    }

    func testRandomStringsSortTheSameByUTF8AndByBytes() {
        var rng = DynamoTestRandom(seed: 9)
        let alphabet: [Character] = ["a", "b", "A", "0", " ", "é", "ß", "中", "😀", "\u{7F}", "\u{80}", "~"]
        let strings = (0..<2000).map { _ in
            String((0..<Int(rng.next() % 6)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
        }
        let byUTF8 = strings.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        let byBytes = strings.sorted { blobLess(KeyEncoding.encode(.s($0))!, KeyEncoding.encode(.s($1))!) }
        XCTAssertEqual(byUTF8.map { Array($0.utf8) }, byBytes.map { Array($0.utf8) })
    }

    // MARK: - Key validation

    private func keyError(_ value: AttributeValue, name: String = "pk", type: String, role: KeyEncoding.Role = .partition) -> String? {
        do {
            try KeyEncoding.validate(value, name: name, type: type, role: role)
            return nil
        } catch {
            return (error as? DynamoDBError)?.message
        }
    }

    func testKeyTypeMustMatchTheDefinition() {
        XCTAssertNil(keyError(.s("a"), type: "S"))
        XCTAssertNil(keyError(.n(n("1")), type: "N"))
        XCTAssertNil(keyError(.b([1]), type: "B"))
        XCTAssertEqual(keyError(.n(n("1")), type: "S"),
                       "One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N")
        XCTAssertEqual(keyError(.ss(["a"]), name: "sk", type: "S", role: .sort),
                       "One or more parameter values were invalid: Type mismatch for key sk expected: S actual: SS")
        XCTAssertEqual(keyError(.null, type: "B"),
                       "One or more parameter values were invalid: Type mismatch for key pk expected: B actual: NULL")
    }

    func testEmptyKeysAreRejected() {
        XCTAssertEqual(keyError(.s(""), type: "S"),
                       "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk")
        XCTAssertEqual(keyError(.b([]), name: "id", type: "B", role: .sort),
                       "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty binary value. Key: id")
    }

    func testKeySizeLimits() {
        XCTAssertNil(keyError(.s(String(repeating: "x", count: 2048)), type: "S"))
        XCTAssertEqual(keyError(.s(String(repeating: "x", count: 2049)), type: "S"),
                       "One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes")
        // Bytes, not characters: 512 four-byte emoji fit, one more character does not.
        XCTAssertNil(keyError(.s(String(repeating: "😀", count: 512)), type: "S"))
        XCTAssertNotNil(keyError(.s("x" + String(repeating: "😀", count: 512)), type: "S"))
        XCTAssertNil(keyError(.b(Array(repeating: 1, count: 1024)), type: "B", role: .sort))
        XCTAssertEqual(keyError(.b(Array(repeating: 1, count: 1025)), type: "B", role: .sort),
                       "One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes")
        XCTAssertNil(keyError(.s(String(repeating: "x", count: 2048)), type: "S", role: .partition))
        XCTAssertNotNil(keyError(.s(String(repeating: "x", count: 1025)), type: "S", role: .sort))
    }
}
