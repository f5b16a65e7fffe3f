// SHA-512 and SHA-384 (FIPS 180-4): the 64-bit SHA-2 family, offered by Step Functions'
// `States.Hash` intrinsic. Both share one compression function over 128-byte blocks and
// differ only in their initial values and how much of the final state they output.

public enum SHA512 {
    /// The 64-byte SHA-512 digest of `data`.
    public static func hash<Bytes: Sequence>(_ data: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
        var hasher = SHA512Hasher()
        hasher.update(data)
        return hasher.finalize()
    }
}

public enum SHA384 {
    /// The 48-byte SHA-384 digest of `data`.
    public static func hash<Bytes: Sequence>(_ data: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
        var hasher = SHA384Hasher()
        hasher.update(data)
        return hasher.finalize()
    }
}

/// Incremental SHA-512.
public struct SHA512Hasher: Sendable {
    private var engine = SHA512Engine(initial: SHA512Engine.sha512Initial, digestLength: 64)

    public init() {}

    public mutating func update<B: Sequence>(_ bytes: B) where B.Element == UInt8 {
        engine.update(bytes)
    }

    /// The digest of everything passed to `update`; the hasher is then reset to empty.
    public mutating func finalize() -> [UInt8] {
        engine.finalize()
    }
}

/// Incremental SHA-384.
public struct SHA384Hasher: Sendable {
    private var engine = SHA512Engine(initial: SHA512Engine.sha384Initial, digestLength: 48)

    public init() {}

    public mutating func update<B: Sequence>(_ bytes: B) where B.Element == UInt8 {
        engine.update(bytes)
    }

    /// The digest of everything passed to `update`; the hasher is then reset to empty.
    public mutating func finalize() -> [UInt8] {
        engine.finalize()
    }
}

// MARK: - Engine

/// Buffers input into 128-byte blocks, runs the SHA-512 compression function and pads
/// with a 128-bit big-endian bit length.
struct SHA512Engine: Sendable {
    static let sha512Initial: [UInt64] = [
        0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b, 0xa54ff53a5f1d36f1,
        0x510e527fade682d1, 0x9b05688c2b3e6c1f, 0x1f83d9abfb41bd6b, 0x5be0cd19137e2179,
    ]
    static let sha384Initial: [UInt64] = [
        0xcbbb9d5dc1059ed8, 0x629a292a367cd507, 0x9159015a3070dd17, 0x152fecd8f70e5939,
        0x67332667ffc00b31, 0x8eb44a8768581511, 0xdb0c2e0d64f98fa7, 0x47b5481dbefa4fa4,
    ]

    private let initial: [UInt64]
    private let digestLength: Int
    private var state: [UInt64]
    private var buffer: [UInt8] = []
    /// Message length in bytes; 2^64 bytes is far beyond anything hashed here, so the
    /// high half of the 128-bit bit length is derived from this alone.
    private var length: UInt64 = 0

    init(initial: [UInt64], digestLength: Int) {
        self.initial = initial
        self.digestLength = digestLength
        self.state = initial
        buffer.reserveCapacity(128)
    }

    mutating func update<B: Sequence>(_ bytes: B) where B.Element == UInt8 {
        for byte in bytes {
            buffer.append(byte)
            length &+= 1
            if buffer.count == 128 {
                compress(buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
    }

    mutating func finalize() -> [UInt8] {
        let bitLengthLow = length &<< 3
        let bitLengthHigh = length >> 61
        var tail: [UInt8] = [0x80]
        let used = (buffer.count + 1) % 128
        let zeros = used <= 112 ? 112 - used : 240 - used
        tail.append(contentsOf: repeatElement(0, count: zeros))
        for shift in stride(from: 56, through: 0, by: -8) { tail.append(UInt8(truncatingIfNeeded: bitLengthHigh >> UInt64(shift))) }
        for shift in stride(from: 56, through: 0, by: -8) { tail.append(UInt8(truncatingIfNeeded: bitLengthLow >> UInt64(shift))) }
        update(tail)
        precondition(buffer.isEmpty, "SHA-512 padding must end on a block boundary")
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for word in state {
            for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
        }
        state = initial
        length = 0
        return Array(out.prefix(digestLength))
    }

    private mutating func compress(_ block: [UInt8]) {
        var w = [UInt64](repeating: 0, count: 80)
        for i in 0..<16 {
            var word: UInt64 = 0
            for j in 0..<8 { word = word << 8 | UInt64(block[i * 8 + j]) }
            w[i] = word
        }
        for t in 16..<80 {
            let s0 = rotr(w[t - 15], 1) ^ rotr(w[t - 15], 8) ^ (w[t - 15] >> 7)
            let s1 = rotr(w[t - 2], 19) ^ rotr(w[t - 2], 61) ^ (w[t - 2] >> 6)
            w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
        }
        var a = state[0], b = state[1], c = state[2], d = state[3]
        var e = state[4], f = state[5], g = state[6], h = state[7]
        for t in 0..<80 {
            let bigSigma1 = rotr(e, 14) ^ rotr(e, 18) ^ rotr(e, 41)
            let choose = (e & f) ^ (~e & g)
            let t1 = h &+ bigSigma1 &+ choose &+ sha512RoundConstants[t] &+ w[t]
            let bigSigma0 = rotr(a, 28) ^ rotr(a, 34) ^ rotr(a, 39)
            let majority = (a & b) ^ (a & c) ^ (b & c)
            let t2 = bigSigma0 &+ majority
            h = g
            g = f
            f = e
            e = d &+ t1
            d = c
            c = b
            b = a
            a = t1 &+ t2
        }
        state[0] &+= a
        state[1] &+= b
        state[2] &+= c
        state[3] &+= d
        state[4] &+= e
        state[5] &+= f
        state[6] &+= g
        state[7] &+= h
    }
}

@inline(__always)
private func rotr(_ x: UInt64, _ s: UInt64) -> UInt64 {
    (x &>> s) | (x &<< (64 &- s))
}

private let sha512RoundConstants: [UInt64] = [
    0x428a2f98d728ae22, 0x7137449123ef65cd, 0xb5c0fbcfec4d3b2f, 0xe9b5dba58189dbbc,
    0x3956c25bf348b538, 0x59f111f1b605d019, 0x923f82a4af194f9b, 0xab1c5ed5da6d8118,
    0xd807aa98a3030242, 0x12835b0145706fbe, 0x243185be4ee4b28c, 0x550c7dc3d5ffb4e2,
    0x72be5d74f27b896f, 0x80deb1fe3b1696b1, 0x9bdc06a725c71235, 0xc19bf174cf692694,
    0xe49b69c19ef14ad2, 0xefbe4786384f25e3, 0x0fc19dc68b8cd5b5, 0x240ca1cc77ac9c65,
    0x2de92c6f592b0275, 0x4a7484aa6ea6e483, 0x5cb0a9dcbd41fbd4, 0x76f988da831153b5,
    0x983e5152ee66dfab, 0xa831c66d2db43210, 0xb00327c898fb213f, 0xbf597fc7beef0ee4,
    0xc6e00bf33da88fc2, 0xd5a79147930aa725, 0x06ca6351e003826f, 0x142929670a0e6e70,
    0x27b70a8546d22ffc, 0x2e1b21385c26c926, 0x4d2c6dfc5ac42aed, 0x53380d139d95b3df,
    0x650a73548baf63de, 0x766a0abb3c77b2a8, 0x81c2c92e47edaee6, 0x92722c851482353b,
    0xa2bfe8a14cf10364, 0xa81a664bbc423001, 0xc24b8b70d0f89791, 0xc76c51a30654be30,
    0xd192e819d6ef5218, 0xd69906245565a910, 0xf40e35855771202a, 0x106aa07032bbd1b8,
    0x19a4c116b8d2d0c8, 0x1e376c085141ab53, 0x2748774cdf8eeb99, 0x34b0bcb5e19b48a8,
    0x391c0cb3c5c95a63, 0x4ed8aa4ae3418acb, 0x5b9cca4f7763e373, 0x682e6ff3d6b2b8a3,
    0x748f82ee5defb2fc, 0x78a5636f43172f60, 0x84c87814a1f0ab72, 0x8cc702081a6439ec,
    0x90befffa23631e28, 0xa4506cebde82bde9, 0xbef9a3f7b2c67915, 0xc67178f2e372532b,
    0xca273eceea26619c, 0xd186b8c721c0c207, 0xeada7dd6cde0eb1e, 0xf57d4f7fee6ed178,
    0x06f067aa72176fba, 0x0a637dc5a2c898a6, 0x113f9804bef90dae, 0x1b710b35131c471b,
    0x28db77f523047d84, 0x32caab7b40c72493, 0x3c9ebe0a15c9bebc, 0x431d67c49c100d4c,
    0x4cc5d4becb3e42b6, 0x597f299cfc657e2a, 0x5fcb6fab3ad6faec, 0x6c44198c4a475817,
]
