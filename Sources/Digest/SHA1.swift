// SHA-1 (FIPS 180-4). Not a security primitive here: Step Functions offers it through
// the `States.Hash` intrinsic, so the emulator has to compute it.

public enum SHA1 {
    /// The 20-byte SHA-1 digest of `data`.
    public static func hash<Bytes: Sequence>(_ data: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
        var hasher = SHA1Hasher()
        hasher.update(data)
        return hasher.finalize()
    }
}

/// Incremental SHA-1.
public struct SHA1Hasher: Sendable {
    private var engine = BlockHashEngine<SHA1Core>()

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

struct SHA1Core: BlockCompressor {
    static var lengthIsBigEndian: Bool { true }

    private var h0: UInt32 = 0x6745_2301
    private var h1: UInt32 = 0xefcd_ab89
    private var h2: UInt32 = 0x98ba_dcfe
    private var h3: UInt32 = 0x1032_5476
    private var h4: UInt32 = 0xc3d2_e1f0

    init() {}

    mutating func compress(_ blocks: UnsafeRawBufferPointer) {
        guard let base = blocks.baseAddress else { return }
        // The 80-word schedule kept as a 16-word rolling window on the stack.
        var w: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32,
                UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var offset = 0
        while offset < blocks.count {
            let p = base + offset
            withUnsafeMutableBytes(of: &w) { raw in
                let words = raw.bindMemory(to: UInt32.self)
                for i in 0..<16 {
                    words[i] = UInt32(bigEndian: p.loadUnaligned(fromByteOffset: i &* 4, as: UInt32.self))
                }
                var a = h0, b = h1, c = h2, d = h3, e = h4
                for t in 0..<80 {
                    let s = t & 15
                    if t >= 16 {
                        let x = words[(t &+ 13) & 15] ^ words[(t &+ 8) & 15] ^ words[(t &+ 2) & 15] ^ words[s]
                        words[s] = rotl(x, 1)
                    }
                    let f: UInt32
                    let k: UInt32
                    switch t {
                    case 0..<20: f = d ^ (b & (c ^ d)); k = 0x5a82_7999
                    case 20..<40: f = b ^ c ^ d; k = 0x6ed9_eba1
                    case 40..<60: f = (b & c) | (d & (b | c)); k = 0x8f1b_bcdc
                    default: f = b ^ c ^ d; k = 0xca62_c1d6
                    }
                    let temp = rotl(a, 5) &+ f &+ e &+ k &+ words[s]
                    e = d
                    d = c
                    c = rotl(b, 30)
                    b = a
                    a = temp
                }
                h0 &+= a
                h1 &+= b
                h2 &+= c
                h3 &+= d
                h4 &+= e
            }
            offset += 64
        }
    }

    func digest() -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 20) { buffer, count in
            let raw = UnsafeMutableRawBufferPointer(buffer)
            raw.storeBytes(of: h0.bigEndian, toByteOffset: 0, as: UInt32.self)
            raw.storeBytes(of: h1.bigEndian, toByteOffset: 4, as: UInt32.self)
            raw.storeBytes(of: h2.bigEndian, toByteOffset: 8, as: UInt32.self)
            raw.storeBytes(of: h3.bigEndian, toByteOffset: 12, as: UInt32.self)
            raw.storeBytes(of: h4.bigEndian, toByteOffset: 16, as: UInt32.self)
            count = 20
        }
    }
}

@inline(__always)
private func rotl(_ x: UInt32, _ s: UInt32) -> UInt32 {
    (x &<< s) | (x &>> (32 &- s))
}
