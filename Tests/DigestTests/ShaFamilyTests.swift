import XCTest
@testable import Digest

/// SHA-1, SHA-384 and SHA-512 against the FIPS 180 examples and coreutils' digests of
/// inputs that straddle the padding boundaries.
final class ShaFamilyTests: XCTestCase {
    static let twoBlock448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
    static let twoBlock896 =
        "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"

    func testSHA1MatchesReferenceVectors() {
        let vectors: [(String, String)] = [
            ("", "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
            ("abc", "a9993e364706816aba3e25717850c26c9cd0d89d"),
            (Self.twoBlock448, "84983e441c3bd26ebaae4aa1f95129e5e54670f1"),
            (Self.twoBlock896, "a49b2446a02c645bf419f995b67091253a04a259"),
            ("hello", "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d"),
            (String(repeating: "a", count: 55), "c1c8bbdc22796e28c0e15163d20899b65621d65a"),
            (String(repeating: "a", count: 64), "0098ba824b5c16427bd7a1122a5a442a25ec644d"),
        ]
        for (input, expected) in vectors {
            XCTAssertEqual(SHA1.hash(Array(input.utf8)).hexString, expected, "SHA1(\(input.prefix(20))…)")
        }
    }

    func testSHA384MatchesReferenceVectors() {
        let vectors: [(String, String)] = [
            ("", "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b"),
            ("abc", "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7"),
            (Self.twoBlock448, "3391fdddfc8dc7393707a65b1b4709397cf8b1d162af05abfe8f450de5f36bc6b0455a8520bc4e6f5fe95b1fe3c8452b"),
            (Self.twoBlock896, "09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712fcc7c71a557e2db966c3e9fa91746039"),
            ("hello", "59e1748777448c69de6b800d7a33bbfb9ff1b463e44354c3553bcdb9c666fa90125a3c79f90397bdf5f6a13de828684f"),
            (String(repeating: "a", count: 128),
             "edb12730a366098b3b2beac75a3bef1b0969b15c48e2163c23d96994f8d1bef760c7e27f3c464d3829f56c0d53808b0b"),
        ]
        for (input, expected) in vectors {
            XCTAssertEqual(SHA384.hash(Array(input.utf8)).hexString, expected, "SHA384(\(input.prefix(20))…)")
        }
    }

    func testSHA512MatchesReferenceVectors() {
        let vectors: [(String, String)] = [
            ("", "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"),
            ("abc", "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"),
            (Self.twoBlock448, "204a8fc6dda82f0a0ced7beb8e08a41657c16ef468b228a8279be331a703c33596fd15c13b1b07f9aa1d3bea57789ca031ad85c7a71dd70354ec631238ca3445"),
            (Self.twoBlock896, "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909"),
            ("hello", "9b71d224bd62f3785d96d46ad3ea3d73319bfbc2890caadae2dff72519673ca72323c3d99ba5c11d7c7acc6e14b8c5da0c4663475c2e5c3adef46f73bcdec043"),
            // 111 bytes: the length still fits in the first block; 112 bytes: it does not.
            (String(repeating: "a", count: 111),
             "fa9121c7b32b9e01733d034cfc78cbf67f926c7ed83e82200ef86818196921760b4beff48404df811b953828274461673c68d04e297b0eb7b2b4d60fc6b566a2"),
            (String(repeating: "a", count: 112),
             "c01d080efd492776a1c43bd23dd99d0a2e626d481e16782e75d54c2503b5dc32bd05f0f1ba33e568b88fd2d970929b719ecbb152f58f130a407c8830604b70ca"),
        ]
        for (input, expected) in vectors {
            XCTAssertEqual(SHA512.hash(Array(input.utf8)).hexString, expected, "SHA512(\(input.prefix(20))…)")
        }
    }

    func testMillionAsInIrregularChunks() {
        var sha1 = SHA1Hasher(), sha384 = SHA384Hasher(), sha512 = SHA512Hasher()
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 997)
        var remaining = 1_000_000
        while remaining > 0 {
            let piece = chunk.prefix(min(remaining, chunk.count))
            sha1.update(piece)
            sha384.update(piece)
            sha512.update(piece)
            remaining -= piece.count
        }
        XCTAssertEqual(sha1.finalize().hexString, "34aa973cd4c4daa4f61eeb2bdbad27316534016f")
        XCTAssertEqual(sha384.finalize().hexString,
                       "9d0e1809716474cb086e834e310a4a1ced149e9c00f248527972cec5704c2a5b07b8b3dc38ecc4ebae97ddd87f3d8985")
        XCTAssertEqual(sha512.finalize().hexString,
                       "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973ebde0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b")
    }

    func testFinalizeResetsTheHasher() {
        var sha1 = SHA1Hasher(), sha512 = SHA512Hasher()
        sha1.update(Array("garbage".utf8))
        sha512.update(Array("garbage".utf8))
        _ = sha1.finalize()
        _ = sha512.finalize()
        sha1.update(Array("abc".utf8))
        sha512.update(Array("abc".utf8))
        XCTAssertEqual(sha1.finalize().hexString, "a9993e364706816aba3e25717850c26c9cd0d89d")
        XCTAssertTrue(sha512.finalize().hexString.hasPrefix("ddaf35a193617aba"))
    }

    func testDigestLengths() {
        XCTAssertEqual(SHA1.hash([UInt8]()).count, 20)
        XCTAssertEqual(SHA384.hash([UInt8]()).count, 48)
        XCTAssertEqual(SHA512.hash([UInt8]()).count, 64)
    }
}
