// MD5 (RFC 1321). Not a security primitive here: SQS uses it as the checksum of
// message bodies and attributes (MD5OfMessageBody, MD5OfMessageAttributes).

public enum MD5 {
    /// The 16-byte MD5 digest of `data`.
    public static func hash<Bytes: Sequence>(_ data: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
        var hasher = MD5Hasher()
        hasher.update(data)
        return hasher.finalize()
    }
}

/// Incremental MD5, used to hash SQS message attributes piece by piece.
public struct MD5Hasher: Sendable {
    private var engine = BlockHashEngine<MD5Core>()

    public init() {}

    public mutating func update<B: Sequence>(_ bytes: B) where B.Element == UInt8 {
        engine.update(bytes)
    }

    /// The digest of everything passed to `update`; the hasher is then reset to empty.
    public mutating func finalize() -> [UInt8] {
        engine.finalize()
    }
}

// MARK: - Compression function

struct MD5Core: BlockCompressor {
    static var lengthIsBigEndian: Bool { false }

    private var s0: UInt32 = 0x6745_2301
    private var s1: UInt32 = 0xefcd_ab89
    private var s2: UInt32 = 0x98ba_dcfe
    private var s3: UInt32 = 0x1032_5476

    init() {}

    mutating func compress(_ blocks: UnsafeRawBufferPointer) {
        guard let base = blocks.baseAddress else { return }
        var offset = 0
        while offset < blocks.count {
            let p = base + offset
            let x0 = word(p, 0), x1 = word(p, 1), x2 = word(p, 2), x3 = word(p, 3)
            let x4 = word(p, 4), x5 = word(p, 5), x6 = word(p, 6), x7 = word(p, 7)
            let x8 = word(p, 8), x9 = word(p, 9), x10 = word(p, 10), x11 = word(p, 11)
            let x12 = word(p, 12), x13 = word(p, 13), x14 = word(p, 14), x15 = word(p, 15)
            var a = s0, b = s1, c = s2, d = s3

            // Round 1
            ff(&a, b, c, d, x0, 0xd76aa478, 7)
            ff(&d, a, b, c, x1, 0xe8c7b756, 12)
            ff(&c, d, a, b, x2, 0x242070db, 17)
            ff(&b, c, d, a, x3, 0xc1bdceee, 22)
            ff(&a, b, c, d, x4, 0xf57c0faf, 7)
            ff(&d, a, b, c, x5, 0x4787c62a, 12)
            ff(&c, d, a, b, x6, 0xa8304613, 17)
            ff(&b, c, d, a, x7, 0xfd469501, 22)
            ff(&a, b, c, d, x8, 0x698098d8, 7)
            ff(&d, a, b, c, x9, 0x8b44f7af, 12)
            ff(&c, d, a, b, x10, 0xffff5bb1, 17)
            ff(&b, c, d, a, x11, 0x895cd7be, 22)
            ff(&a, b, c, d, x12, 0x6b901122, 7)
            ff(&d, a, b, c, x13, 0xfd987193, 12)
            ff(&c, d, a, b, x14, 0xa679438e, 17)
            ff(&b, c, d, a, x15, 0x49b40821, 22)
            // Round 2
            gg(&a, b, c, d, x1, 0xf61e2562, 5)
            gg(&d, a, b, c, x6, 0xc040b340, 9)
            gg(&c, d, a, b, x11, 0x265e5a51, 14)
            gg(&b, c, d, a, x0, 0xe9b6c7aa, 20)
            gg(&a, b, c, d, x5, 0xd62f105d, 5)
            gg(&d, a, b, c, x10, 0x02441453, 9)
            gg(&c, d, a, b, x15, 0xd8a1e681, 14)
            gg(&b, c, d, a, x4, 0xe7d3fbc8, 20)
            gg(&a, b, c, d, x9, 0x21e1cde6, 5)
            gg(&d, a, b, c, x14, 0xc33707d6, 9)
            gg(&c, d, a, b, x3, 0xf4d50d87, 14)
            gg(&b, c, d, a, x8, 0x455a14ed, 20)
            gg(&a, b, c, d, x13, 0xa9e3e905, 5)
            gg(&d, a, b, c, x2, 0xfcefa3f8, 9)
            gg(&c, d, a, b, x7, 0x676f02d9, 14)
            gg(&b, c, d, a, x12, 0x8d2a4c8a, 20)
            // Round 3
            hh(&a, b, c, d, x5, 0xfffa3942, 4)
            hh(&d, a, b, c, x8, 0x8771f681, 11)
            hh(&c, d, a, b, x11, 0x6d9d6122, 16)
            hh(&b, c, d, a, x14, 0xfde5380c, 23)
            hh(&a, b, c, d, x1, 0xa4beea44, 4)
            hh(&d, a, b, c, x4, 0x4bdecfa9, 11)
            hh(&c, d, a, b, x7, 0xf6bb4b60, 16)
            hh(&b, c, d, a, x10, 0xbebfbc70, 23)
            hh(&a, b, c, d, x13, 0x289b7ec6, 4)
            hh(&d, a, b, c, x0, 0xeaa127fa, 11)
            hh(&c, d, a, b, x3, 0xd4ef3085, 16)
            hh(&b, c, d, a, x6, 0x04881d05, 23)
            hh(&a, b, c, d, x9, 0xd9d4d039, 4)
            hh(&d, a, b, c, x12, 0xe6db99e5, 11)
            hh(&c, d, a, b, x15, 0x1fa27cf8, 16)
            hh(&b, c, d, a, x2, 0xc4ac5665, 23)
            // Round 4
            ii(&a, b, c, d, x0, 0xf4292244, 6)
            ii(&d, a, b, c, x7, 0x432aff97, 10)
            ii(&c, d, a, b, x14, 0xab9423a7, 15)
            ii(&b, c, d, a, x5, 0xfc93a039, 21)
            ii(&a, b, c, d, x12, 0x655b59c3, 6)
            ii(&d, a, b, c, x3, 0x8f0ccc92, 10)
            ii(&c, d, a, b, x10, 0xffeff47d, 15)
            ii(&b, c, d, a, x1, 0x85845dd1, 21)
            ii(&a, b, c, d, x8, 0x6fa87e4f, 6)
            ii(&d, a, b, c, x15, 0xfe2ce6e0, 10)
            ii(&c, d, a, b, x6, 0xa3014314, 15)
            ii(&b, c, d, a, x13, 0x4e0811a1, 21)
            ii(&a, b, c, d, x4, 0xf7537e82, 6)
            ii(&d, a, b, c, x11, 0xbd3af235, 10)
            ii(&c, d, a, b, x2, 0x2ad7d2bb, 15)
            ii(&b, c, d, a, x9, 0xeb86d391, 21)

            s0 &+= a
            s1 &+= b
            s2 &+= c
            s3 &+= d
            offset += 64
        }
    }

    func digest() -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 16) { buffer, count in
            let raw = UnsafeMutableRawBufferPointer(buffer)
            raw.storeBytes(of: s0.littleEndian, toByteOffset: 0, as: UInt32.self)
            raw.storeBytes(of: s1.littleEndian, toByteOffset: 4, as: UInt32.self)
            raw.storeBytes(of: s2.littleEndian, toByteOffset: 8, as: UInt32.self)
            raw.storeBytes(of: s3.littleEndian, toByteOffset: 12, as: UInt32.self)
            count = 16
        }
    }
}

@inline(__always)
private func word(_ p: UnsafeRawPointer, _ index: Int) -> UInt32 {
    UInt32(littleEndian: p.loadUnaligned(fromByteOffset: index &* 4, as: UInt32.self))
}

@inline(__always)
private func rotl(_ x: UInt32, _ s: UInt32) -> UInt32 {
    (x &<< s) | (x &>> (32 &- s))
}

// The four round functions of RFC 1321 §3.4, written with fewer operations.
@inline(__always)
private func ff(_ a: inout UInt32, _ b: UInt32, _ c: UInt32, _ d: UInt32, _ x: UInt32, _ t: UInt32, _ s: UInt32) {
    a = b &+ rotl(a &+ (d ^ (b & (c ^ d))) &+ x &+ t, s)
}

@inline(__always)
private func gg(_ a: inout UInt32, _ b: UInt32, _ c: UInt32, _ d: UInt32, _ x: UInt32, _ t: UInt32, _ s: UInt32) {
    a = b &+ rotl(a &+ (c ^ (d & (b ^ c))) &+ x &+ t, s)
}

@inline(__always)
private func hh(_ a: inout UInt32, _ b: UInt32, _ c: UInt32, _ d: UInt32, _ x: UInt32, _ t: UInt32, _ s: UInt32) {
    a = b &+ rotl(a &+ (b ^ c ^ d) &+ x &+ t, s)
}

@inline(__always)
private func ii(_ a: inout UInt32, _ b: UInt32, _ c: UInt32, _ d: UInt32, _ x: UInt32, _ t: UInt32, _ s: UInt32) {
    a = b &+ rotl(a &+ (c ^ (b | ~d)) &+ x &+ t, s)
}

// MARK: - Shared Merkle–Damgård framing (MD5 and SHA-256 both use 64-byte blocks)

/// A compression function over 64-byte blocks, with its chaining state.
protocol BlockCompressor: Sendable {
    init()
    /// SHA-2 appends the message length big-endian, MD5 little-endian.
    static var lengthIsBigEndian: Bool { get }
    /// Absorbs `blocks`, whose count is a multiple of 64.
    mutating func compress(_ blocks: UnsafeRawBufferPointer)
    func digest() -> [UInt8]
}

/// Buffers input into 64-byte blocks for a `BlockCompressor` and applies the final padding.
/// All state is inline (no heap), so a hasher costs nothing to create or copy.
struct BlockHashEngine<Core: BlockCompressor>: Sendable {
    private typealias Block = (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)

    private var core = Core()
    private var buffer: Block = (0, 0, 0, 0, 0, 0, 0, 0)
    private var buffered = 0
    private var length: UInt64 = 0

    init() {}

    mutating func update<B: Sequence>(_ bytes: B) where B.Element == UInt8 {
        // [UInt8], ContiguousArray, ArraySlice, native String.UTF8View, Data…
        if bytes.withContiguousStorageIfAvailable({ update(UnsafeRawBufferPointer($0)) }) != nil {
            return
        }
        // Any other sequence: gather it into a stack block first.
        var chunk: Block = (0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &chunk) { chunk in
            var count = 0
            for byte in bytes {
                chunk[count] = byte
                count += 1
                if count == 64 {
                    update(UnsafeRawBufferPointer(chunk))
                    count = 0
                }
            }
            update(UnsafeRawBufferPointer(rebasing: chunk[..<count]))
        }
    }

    mutating func update(_ input: UnsafeRawBufferPointer) {
        guard var p = input.baseAddress, !input.isEmpty else { return }
        var remaining = input.count
        length &+= UInt64(remaining)

        if buffered > 0 {
            let offset = buffered
            let take = min(64 - offset, remaining)
            let source = p
            withUnsafeMutableBytes(of: &buffer) { ($0.baseAddress! + offset).copyMemory(from: source, byteCount: take) }
            buffered += take
            p += take
            remaining -= take
            guard buffered == 64 else { return }
            let block = buffer
            withUnsafeBytes(of: block) { core.compress($0) }
            buffered = 0
        }

        let whole = remaining & ~63
        if whole > 0 {
            core.compress(UnsafeRawBufferPointer(start: p, count: whole))
            p += whole
            remaining -= whole
        }
        if remaining > 0 {
            let source = p, count = remaining
            withUnsafeMutableBytes(of: &buffer) { $0.baseAddress!.copyMemory(from: source, byteCount: count) }
            buffered = count
        }
    }

    /// Pads, returns the digest and resets to the empty state.
    mutating func finalize() -> [UInt8] {
        let bitLength = length &* 8
        // 0x80, then zeros up to 56 mod 64, then the 64-bit length: 9 to 72 bytes.
        let lengthOffset = buffered < 56 ? 56 - buffered : 120 - buffered
        var tail: (Block, UInt64) = ((0, 0, 0, 0, 0, 0, 0, 0), 0)
        withUnsafeMutableBytes(of: &tail) { tail in
            tail[0] = 0x80
            let encoded = Core.lengthIsBigEndian ? bitLength.bigEndian : bitLength.littleEndian
            tail.storeBytes(of: encoded, toByteOffset: lengthOffset, as: UInt64.self)
            update(UnsafeRawBufferPointer(rebasing: tail[..<(lengthOffset + 8)]))
        }
        let digest = core.digest()
        self = Self()
        return digest
    }
}
