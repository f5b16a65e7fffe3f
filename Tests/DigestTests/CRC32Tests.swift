import XCTest
@testable import Digest

/// Expected values from Python's `binascii.crc32` (zlib's CRC-32), which botocore
/// uses to check DynamoDB's `x-amz-crc32` header.
final class CRC32Tests: XCTestCase {
    func testMatchesPythonBinascii() {
        let vectors: [(String, UInt32)] = [
            ("", 0x0000_0000),
            ("a", 0xE8B7_BE43),
            ("abc", 0x3524_41C2),
            ("123456789", 0xCBF4_3926),  // the CRC-32 check value
            ("The quick brown fox jumps over the lazy dog", 0x414F_A339),
            ("{}", 0xA3A6_BF43),
            (#"{"TableNames":[]}"#, 0x4E6F_6EF9),
        ]
        for (text, expected) in vectors {
            XCTAssertEqual(CRC32.checksum(Array(text.utf8)), expected, text)
            XCTAssertEqual(CRC32.checksum(text.utf8), expected, "\(text) via UTF8View")
        }
    }

    func testBinaryInputs() {
        XCTAssertEqual(CRC32.checksum((0...255).map { UInt8($0) }), 0x2905_8C73)
        XCTAssertEqual(CRC32.checksum([UInt8](repeating: 0, count: 1000)), 0x060B_1780)
        XCTAssertEqual(CRC32.checksum([UInt8](repeating: 0xFF, count: 37)), 0xEDAE_7051)
    }

    func testUpdateContinuesARunningChecksum() {
        let data = Array("The quick brown fox jumps over the lazy dog".utf8)
        for split in [0, 1, 10, data.count] {
            let running = CRC32.update(CRC32.checksum(data[..<split]), data[split...])
            XCTAssertEqual(running, CRC32.checksum(data), "split at \(split)")
        }
    }
}
