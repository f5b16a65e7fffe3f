// CRC-32 (IEEE 802.3; reflected polynomial 0xEDB88320), the checksum of zlib,
// Python's binascii.crc32 and Go's hash/crc32.ChecksumIEEE. DynamoDB sends it over
// each response body in `x-amz-crc32`, and botocore checks it.

public enum CRC32 {
    /// The CRC-32 of `bytes`.
    public static func checksum<S: Sequence>(_ bytes: S) -> UInt32 where S.Element == UInt8 {
        update(0, bytes)
    }

    /// Extends `crc` (a previous result, or 0 to start) over more bytes, so that
    /// `update(checksum(a), b) == checksum(a + b)`.
    public static func update<S: Sequence>(_ crc: UInt32, _ bytes: S) -> UInt32 where S.Element == UInt8 {
        var c = ~crc
        table.withUnsafeBufferPointer { t in
            for byte in bytes {
                c = t[Int((c ^ UInt32(byte)) & 0xFF)] ^ (c >> 8)
            }
        }
        return ~c
    }

    static let table: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 {
            c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1
        }
        return c
    }
}
