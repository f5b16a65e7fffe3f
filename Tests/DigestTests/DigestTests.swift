import Foundation
import XCTest
@testable import Digest

final class DigestTests: XCTestCase {
    // MARK: - MD5 (RFC 1321, appendix A.5)

    func testMD5MatchesRFC1321Vectors() {
        let vectors: [(String, String)] = [
            ("", "d41d8cd98f00b204e9800998ecf8427e"),
            ("a", "0cc175b9c0f1b6a831c399e269772661"),
            ("abc", "900150983cd24fb0d6963f7d28e17f72"),
            ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
            ("abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"),
            ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
             "d174ab98d277d9f5a5611c2c9f419d9f"),
            ("12345678901234567890123456789012345678901234567890123456789012345678901234567890",
             "57edf4a22be3c955ac49da2e2107b67a"),
        ]
        for (input, expected) in vectors {
            XCTAssertEqual(MD5.hash(Array(input.utf8)).hexString, expected, "MD5(\"\(input)\")")
            XCTAssertEqual(MD5.hash(input.utf8).hexString, expected, "MD5(\"\(input)\") via UTF8View")
        }
    }

    func testMD5DigestIsSixteenBytes() {
        XCTAssertEqual(MD5.hash([UInt8]()).count, 16)
    }

    // MARK: - SHA-256 (FIPS 180 examples)

    func testSHA256MatchesFIPS180Vectors() {
        let vectors: [(String, String)] = [
            ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            // 448 bits: the padding no longer fits in the first block.
            ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
             "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
            // 896 bits.
            ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
             "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
        ]
        for (input, expected) in vectors {
            XCTAssertEqual(SHA256.hash(Array(input.utf8)).hexString, expected, "SHA256(\"\(input)\")")
            XCTAssertEqual(SHA256.hash(input.utf8).hexString, expected, "SHA256(\"\(input)\") via UTF8View")
        }
    }

    func testSHA256OfOneMillionAs() {
        let expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        XCTAssertEqual(SHA256.hash([UInt8](repeating: 0x61, count: 1_000_000)).hexString, expected)

        // The FIPS formulation: 1000 × 1000 bytes, incrementally.
        var hasher = SHA256Hasher()
        let thousand = [UInt8](repeating: 0x61, count: 1000)
        for _ in 0..<1000 { hasher.update(thousand) }
        XCTAssertEqual(hasher.finalize().hexString, expected)
    }

    // MARK: - Padding boundaries

    /// Every length 0..<200 crosses each padding case (55/56/63/64/119/120 bytes…); the expected
    /// values are SHA-256 over the concatenated digests, computed with Python's hashlib.
    func testDigestsOfEveryLengthUpTo200MatchReference() {
        var md5s = SHA256Hasher()
        var sha256s = SHA256Hasher()
        for length in 0..<200 {
            let bytes = (0..<length).map { UInt8($0 * 7 % 251) }
            md5s.update(MD5.hash(bytes))
            sha256s.update(SHA256.hash(bytes))
        }
        XCTAssertEqual(md5s.finalize().hexString, "a3fb7c1cf0e5bae6b326c6044eb27f735c78c069aabbb05a54b28be4e1cdc45e")
        XCTAssertEqual(sha256s.finalize().hexString, "f2eefe7b2cd59138a6af947f3d4e4b5cdedbc2586af178a396b1cd0770bdf290")
    }

    // MARK: - Incremental hashing

    func testIncrementalHashingEqualsOneShotAcrossChunkSizes() {
        let message = (0..<1_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let md5 = MD5.hash(message)
        let sha256 = SHA256.hash(message)
        for chunkSize in [1, 3, 7, 13, 55, 56, 63, 64, 65, 127, 129, 999, 1_000, 4_096] {
            var md5Hasher = MD5Hasher()
            var sha256Hasher = SHA256Hasher()
            var start = 0
            while start < message.count {
                let chunk = message[start..<min(start + chunkSize, message.count)]
                md5Hasher.update(chunk)
                sha256Hasher.update(chunk)
                start += chunkSize
            }
            XCTAssertEqual(md5Hasher.finalize(), md5, "MD5 in chunks of \(chunkSize)")
            XCTAssertEqual(sha256Hasher.finalize(), sha256, "SHA-256 in chunks of \(chunkSize)")
        }
    }

    func testIncrementalHashingWithVaryingOddChunksAndEmptyUpdates() {
        let message = (0..<777).map { UInt8(truncatingIfNeeded: $0 ^ ($0 >> 3)) }
        var md5Hasher = MD5Hasher()
        var sha256Hasher = SHA256Hasher()
        var start = 0
        var size = 0
        while start < message.count {
            let chunk = message[start..<min(start + size, message.count)]
            md5Hasher.update(chunk)
            sha256Hasher.update(chunk)
            start += size
            size = (size * 5 + 3) % 71  // includes empty updates
        }
        XCTAssertEqual(md5Hasher.finalize(), MD5.hash(message))
        XCTAssertEqual(sha256Hasher.finalize(), SHA256.hash(message))
    }

    func testFinalizeResetsTheHasher() {
        var hasher = MD5Hasher()
        hasher.update("something first".utf8)
        _ = hasher.finalize()
        hasher.update("abc".utf8)
        XCTAssertEqual(hasher.finalize().hexString, "900150983cd24fb0d6963f7d28e17f72")

        var sha = SHA256Hasher()
        XCTAssertEqual(sha.finalize().hexString, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        sha.update("abc".utf8)
        XCTAssertEqual(sha.finalize().hexString, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    func testHasherCopiesAreIndependent() {
        var hasher = SHA256Hasher()
        hasher.update("ab".utf8)
        var copy = hasher
        hasher.update("c".utf8)
        copy.update("x".utf8)
        XCTAssertEqual(hasher.finalize(), SHA256.hash("abc".utf8))
        XCTAssertEqual(copy.finalize(), SHA256.hash("abx".utf8))
    }

    // MARK: - Input kinds

    func testEveryKindOfByteSequenceHashesTheSame() {
        let text = "The quick brown fox jumps over the lazy dog, and then some more text to pass one block."
        let bytes = Array(text.utf8)
        let expectedMD5 = MD5.hash(bytes)
        let expectedSHA = SHA256.hash(bytes)

        XCTAssertEqual(MD5.hash(ContiguousArray(bytes)), expectedMD5)
        XCTAssertEqual(MD5.hash(Data(bytes)), expectedMD5)
        XCTAssertEqual(MD5.hash(text.utf8), expectedMD5)
        XCTAssertEqual(MD5.hash(Substring(text).utf8), expectedMD5)
        XCTAssertEqual(MD5.hash(bytes.lazy.map { $0 }), expectedMD5)  // non-contiguous path
        XCTAssertEqual(MD5.hash(AnySequence(bytes)), expectedMD5)

        XCTAssertEqual(SHA256.hash(ContiguousArray(bytes)), expectedSHA)
        XCTAssertEqual(SHA256.hash(Data(bytes)), expectedSHA)
        XCTAssertEqual(SHA256.hash(text.utf8), expectedSHA)
        XCTAssertEqual(SHA256.hash(bytes.lazy.map { $0 }), expectedSHA)
        XCTAssertEqual(SHA256.hash(AnySequence(bytes)), expectedSHA)
    }

    func testKnownPangramDigests() {
        let fox = "The quick brown fox jumps over the lazy dog"
        XCTAssertEqual(MD5.hash(fox.utf8).hexString, "9e107d9d372bb6826bd81d3542a419d6")
        XCTAssertEqual(SHA256.hash(fox.utf8).hexString,
                       "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592")
    }

    // MARK: - HMAC-SHA256 (RFC 4231)

    func testHMACSHA256MatchesRFC4231() {
        let vectors: [(name: String, key: [UInt8], message: [UInt8], expected: String)] = [
            ("1", [UInt8](repeating: 0x0b, count: 20), Array("Hi There".utf8),
             "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
            ("2", Array("Jefe".utf8), Array("what do ya want for nothing?".utf8),
             "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
            ("3", [UInt8](repeating: 0xaa, count: 20), [UInt8](repeating: 0xdd, count: 50),
             "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
            ("4", Array(0x01...0x19), [UInt8](repeating: 0xcd, count: 50),
             "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
            ("6 (key longer than a block)", [UInt8](repeating: 0xaa, count: 131),
             Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
             "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
            ("7 (key and data longer than a block)", [UInt8](repeating: 0xaa, count: 131),
             Array(("This is a test using a larger than block-size key and a larger than block-size data. "
                 + "The key needs to be hashed before being used by the HMAC algorithm.").utf8),
             "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
        ]
        for vector in vectors {
            XCTAssertEqual(HMAC.sha256(key: vector.key, message: vector.message).hexString, vector.expected,
                           "RFC 4231 test case \(vector.name)")
        }
    }

    func testHMACWithKeyOfExactlyOneBlockIsNotHashed() {
        // Reference value from Python's hmac module.
        XCTAssertEqual(HMAC.sha256(key: [UInt8](repeating: 0x6b, count: 64), message: [0x78]).hexString,
                       "f91c4c403625fb06910ef93999265bbd2d62baeaec6ff36455498cc124fe3e66")
    }

    func testHMACWithEmptyKeyAndMessage() {
        // Well-known HMAC-SHA256("", "").
        XCTAssertEqual(HMAC.sha256(key: [], message: []).hexString,
                       "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")
    }

    // MARK: - Hex

    func testHexStringIsLowercaseTwoCharactersPerByte() {
        XCTAssertEqual([UInt8]().hexString, "")
        XCTAssertEqual([0x00, 0x01, 0x0f, 0x10, 0x7f, 0x80, 0xab, 0xff].hexString, "00010f107f80abff")
        XCTAssertEqual(Data([0xde, 0xad, 0xbe, 0xef]).hexString, "deadbeef")
        XCTAssertEqual([UInt8](0...255).lazy.map { $0 }.hexString.count, 512)  // non-contiguous path
        XCTAssertEqual((0...255).map { UInt8($0) }.hexString,
                       (0...255).map { String(format: "%02x", $0) }.joined())
    }
}
