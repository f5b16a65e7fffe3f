// SHA-256 (FIPS 180-4). Used for SigV4 payload hashes and, through `HMAC`, signing keys.

public enum SHA256 {
    /// The 32-byte SHA-256 digest of `data`.
    public static func hash<Bytes: Sequence>(_ data: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
        var hasher = SHA256Hasher()
        hasher.update(data)
        return hasher.finalize()
    }
}

/// Incremental SHA-256.
public struct SHA256Hasher: Sendable {
    private var engine = BlockHashEngine<SHA256Core>()

    public init() {}

    public mutating func update<B: Sequence>(_ bytes: B) where B.Element == UInt8 {
        engine.update(bytes)
    }

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        engine.update(bytes)
    }

    /// The digest of everything passed to `update`; the hasher is then reset to empty.
    public mutating func finalize() -> [UInt8] {
        engine.finalize()
    }
}

// MARK: - Compression function

struct SHA256Core: BlockCompressor {
    static var lengthIsBigEndian: Bool { true }

    private var s0: UInt32 = 0x6a09_e667
    private var s1: UInt32 = 0xbb67_ae85
    private var s2: UInt32 = 0x3c6e_f372
    private var s3: UInt32 = 0xa54f_f53a
    private var s4: UInt32 = 0x510e_527f
    private var s5: UInt32 = 0x9b05_688c
    private var s6: UInt32 = 0x1f83_d9ab
    private var s7: UInt32 = 0x5be0_cd19

    init() {}

    // Fully unrolled: the message schedule lives in a 16-word rolling window of locals,
    // the round constants are literals, and the working variables rotate by renaming.
    mutating func compress(_ blocks: UnsafeRawBufferPointer) {
        guard let base = blocks.baseAddress else { return }
        var offset = 0
        while offset < blocks.count {
            let p = base + offset
            var w0 = word(p, 0), w1 = word(p, 1), w2 = word(p, 2), w3 = word(p, 3)
            var w4 = word(p, 4), w5 = word(p, 5), w6 = word(p, 6), w7 = word(p, 7)
            var w8 = word(p, 8), w9 = word(p, 9), w10 = word(p, 10), w11 = word(p, 11)
            var w12 = word(p, 12), w13 = word(p, 13), w14 = word(p, 14), w15 = word(p, 15)
            var a = s0, b = s1, c = s2, d = s3, e = s4, f = s5, g = s6, h = s7

            step(a, b, c, &d, e, f, g, &h, w0 &+ 0x428a2f98)
            step(h, a, b, &c, d, e, f, &g, w1 &+ 0x71374491)
            step(g, h, a, &b, c, d, e, &f, w2 &+ 0xb5c0fbcf)
            step(f, g, h, &a, b, c, d, &e, w3 &+ 0xe9b5dba5)
            step(e, f, g, &h, a, b, c, &d, w4 &+ 0x3956c25b)
            step(d, e, f, &g, h, a, b, &c, w5 &+ 0x59f111f1)
            step(c, d, e, &f, g, h, a, &b, w6 &+ 0x923f82a4)
            step(b, c, d, &e, f, g, h, &a, w7 &+ 0xab1c5ed5)
            step(a, b, c, &d, e, f, g, &h, w8 &+ 0xd807aa98)
            step(h, a, b, &c, d, e, f, &g, w9 &+ 0x12835b01)
            step(g, h, a, &b, c, d, e, &f, w10 &+ 0x243185be)
            step(f, g, h, &a, b, c, d, &e, w11 &+ 0x550c7dc3)
            step(e, f, g, &h, a, b, c, &d, w12 &+ 0x72be5d74)
            step(d, e, f, &g, h, a, b, &c, w13 &+ 0x80deb1fe)
            step(c, d, e, &f, g, h, a, &b, w14 &+ 0x9bdc06a7)
            step(b, c, d, &e, f, g, h, &a, w15 &+ 0xc19bf174)
            w0 = w0 &+ sigma0(w1) &+ w9 &+ sigma1(w14)
            step(a, b, c, &d, e, f, g, &h, w0 &+ 0xe49b69c1)
            w1 = w1 &+ sigma0(w2) &+ w10 &+ sigma1(w15)
            step(h, a, b, &c, d, e, f, &g, w1 &+ 0xefbe4786)
            w2 = w2 &+ sigma0(w3) &+ w11 &+ sigma1(w0)
            step(g, h, a, &b, c, d, e, &f, w2 &+ 0x0fc19dc6)
            w3 = w3 &+ sigma0(w4) &+ w12 &+ sigma1(w1)
            step(f, g, h, &a, b, c, d, &e, w3 &+ 0x240ca1cc)
            w4 = w4 &+ sigma0(w5) &+ w13 &+ sigma1(w2)
            step(e, f, g, &h, a, b, c, &d, w4 &+ 0x2de92c6f)
            w5 = w5 &+ sigma0(w6) &+ w14 &+ sigma1(w3)
            step(d, e, f, &g, h, a, b, &c, w5 &+ 0x4a7484aa)
            w6 = w6 &+ sigma0(w7) &+ w15 &+ sigma1(w4)
            step(c, d, e, &f, g, h, a, &b, w6 &+ 0x5cb0a9dc)
            w7 = w7 &+ sigma0(w8) &+ w0 &+ sigma1(w5)
            step(b, c, d, &e, f, g, h, &a, w7 &+ 0x76f988da)
            w8 = w8 &+ sigma0(w9) &+ w1 &+ sigma1(w6)
            step(a, b, c, &d, e, f, g, &h, w8 &+ 0x983e5152)
            w9 = w9 &+ sigma0(w10) &+ w2 &+ sigma1(w7)
            step(h, a, b, &c, d, e, f, &g, w9 &+ 0xa831c66d)
            w10 = w10 &+ sigma0(w11) &+ w3 &+ sigma1(w8)
            step(g, h, a, &b, c, d, e, &f, w10 &+ 0xb00327c8)
            w11 = w11 &+ sigma0(w12) &+ w4 &+ sigma1(w9)
            step(f, g, h, &a, b, c, d, &e, w11 &+ 0xbf597fc7)
            w12 = w12 &+ sigma0(w13) &+ w5 &+ sigma1(w10)
            step(e, f, g, &h, a, b, c, &d, w12 &+ 0xc6e00bf3)
            w13 = w13 &+ sigma0(w14) &+ w6 &+ sigma1(w11)
            step(d, e, f, &g, h, a, b, &c, w13 &+ 0xd5a79147)
            w14 = w14 &+ sigma0(w15) &+ w7 &+ sigma1(w12)
            step(c, d, e, &f, g, h, a, &b, w14 &+ 0x06ca6351)
            w15 = w15 &+ sigma0(w0) &+ w8 &+ sigma1(w13)
            step(b, c, d, &e, f, g, h, &a, w15 &+ 0x14292967)
            w0 = w0 &+ sigma0(w1) &+ w9 &+ sigma1(w14)
            step(a, b, c, &d, e, f, g, &h, w0 &+ 0x27b70a85)
            w1 = w1 &+ sigma0(w2) &+ w10 &+ sigma1(w15)
            step(h, a, b, &c, d, e, f, &g, w1 &+ 0x2e1b2138)
            w2 = w2 &+ sigma0(w3) &+ w11 &+ sigma1(w0)
            step(g, h, a, &b, c, d, e, &f, w2 &+ 0x4d2c6dfc)
            w3 = w3 &+ sigma0(w4) &+ w12 &+ sigma1(w1)
            step(f, g, h, &a, b, c, d, &e, w3 &+ 0x53380d13)
            w4 = w4 &+ sigma0(w5) &+ w13 &+ sigma1(w2)
            step(e, f, g, &h, a, b, c, &d, w4 &+ 0x650a7354)
            w5 = w5 &+ sigma0(w6) &+ w14 &+ sigma1(w3)
            step(d, e, f, &g, h, a, b, &c, w5 &+ 0x766a0abb)
            w6 = w6 &+ sigma0(w7) &+ w15 &+ sigma1(w4)
            step(c, d, e, &f, g, h, a, &b, w6 &+ 0x81c2c92e)
            w7 = w7 &+ sigma0(w8) &+ w0 &+ sigma1(w5)
            step(b, c, d, &e, f, g, h, &a, w7 &+ 0x92722c85)
            w8 = w8 &+ sigma0(w9) &+ w1 &+ sigma1(w6)
            step(a, b, c, &d, e, f, g, &h, w8 &+ 0xa2bfe8a1)
            w9 = w9 &+ sigma0(w10) &+ w2 &+ sigma1(w7)
            step(h, a, b, &c, d, e, f, &g, w9 &+ 0xa81a664b)
            w10 = w10 &+ sigma0(w11) &+ w3 &+ sigma1(w8)
            step(g, h, a, &b, c, d, e, &f, w10 &+ 0xc24b8b70)
            w11 = w11 &+ sigma0(w12) &+ w4 &+ sigma1(w9)
            step(f, g, h, &a, b, c, d, &e, w11 &+ 0xc76c51a3)
            w12 = w12 &+ sigma0(w13) &+ w5 &+ sigma1(w10)
            step(e, f, g, &h, a, b, c, &d, w12 &+ 0xd192e819)
            w13 = w13 &+ sigma0(w14) &+ w6 &+ sigma1(w11)
            step(d, e, f, &g, h, a, b, &c, w13 &+ 0xd6990624)
            w14 = w14 &+ sigma0(w15) &+ w7 &+ sigma1(w12)
            step(c, d, e, &f, g, h, a, &b, w14 &+ 0xf40e3585)
            w15 = w15 &+ sigma0(w0) &+ w8 &+ sigma1(w13)
            step(b, c, d, &e, f, g, h, &a, w15 &+ 0x106aa070)
            w0 = w0 &+ sigma0(w1) &+ w9 &+ sigma1(w14)
            step(a, b, c, &d, e, f, g, &h, w0 &+ 0x19a4c116)
            w1 = w1 &+ sigma0(w2) &+ w10 &+ sigma1(w15)
            step(h, a, b, &c, d, e, f, &g, w1 &+ 0x1e376c08)
            w2 = w2 &+ sigma0(w3) &+ w11 &+ sigma1(w0)
            step(g, h, a, &b, c, d, e, &f, w2 &+ 0x2748774c)
            w3 = w3 &+ sigma0(w4) &+ w12 &+ sigma1(w1)
            step(f, g, h, &a, b, c, d, &e, w3 &+ 0x34b0bcb5)
            w4 = w4 &+ sigma0(w5) &+ w13 &+ sigma1(w2)
            step(e, f, g, &h, a, b, c, &d, w4 &+ 0x391c0cb3)
            w5 = w5 &+ sigma0(w6) &+ w14 &+ sigma1(w3)
            step(d, e, f, &g, h, a, b, &c, w5 &+ 0x4ed8aa4a)
            w6 = w6 &+ sigma0(w7) &+ w15 &+ sigma1(w4)
            step(c, d, e, &f, g, h, a, &b, w6 &+ 0x5b9cca4f)
            w7 = w7 &+ sigma0(w8) &+ w0 &+ sigma1(w5)
            step(b, c, d, &e, f, g, h, &a, w7 &+ 0x682e6ff3)
            w8 = w8 &+ sigma0(w9) &+ w1 &+ sigma1(w6)
            step(a, b, c, &d, e, f, g, &h, w8 &+ 0x748f82ee)
            w9 = w9 &+ sigma0(w10) &+ w2 &+ sigma1(w7)
            step(h, a, b, &c, d, e, f, &g, w9 &+ 0x78a5636f)
            w10 = w10 &+ sigma0(w11) &+ w3 &+ sigma1(w8)
            step(g, h, a, &b, c, d, e, &f, w10 &+ 0x84c87814)
            w11 = w11 &+ sigma0(w12) &+ w4 &+ sigma1(w9)
            step(f, g, h, &a, b, c, d, &e, w11 &+ 0x8cc70208)
            w12 = w12 &+ sigma0(w13) &+ w5 &+ sigma1(w10)
            step(e, f, g, &h, a, b, c, &d, w12 &+ 0x90befffa)
            w13 = w13 &+ sigma0(w14) &+ w6 &+ sigma1(w11)
            step(d, e, f, &g, h, a, b, &c, w13 &+ 0xa4506ceb)
            w14 = w14 &+ sigma0(w15) &+ w7 &+ sigma1(w12)
            step(c, d, e, &f, g, h, a, &b, w14 &+ 0xbef9a3f7)
            w15 = w15 &+ sigma0(w0) &+ w8 &+ sigma1(w13)
            step(b, c, d, &e, f, g, h, &a, w15 &+ 0xc67178f2)

            s0 &+= a
            s1 &+= b
            s2 &+= c
            s3 &+= d
            s4 &+= e
            s5 &+= f
            s6 &+= g
            s7 &+= h
            offset += 64
        }
    }

    func digest() -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 32) { buffer, count in
            let raw = UnsafeMutableRawBufferPointer(buffer)
            raw.storeBytes(of: s0.bigEndian, toByteOffset: 0, as: UInt32.self)
            raw.storeBytes(of: s1.bigEndian, toByteOffset: 4, as: UInt32.self)
            raw.storeBytes(of: s2.bigEndian, toByteOffset: 8, as: UInt32.self)
            raw.storeBytes(of: s3.bigEndian, toByteOffset: 12, as: UInt32.self)
            raw.storeBytes(of: s4.bigEndian, toByteOffset: 16, as: UInt32.self)
            raw.storeBytes(of: s5.bigEndian, toByteOffset: 20, as: UInt32.self)
            raw.storeBytes(of: s6.bigEndian, toByteOffset: 24, as: UInt32.self)
            raw.storeBytes(of: s7.bigEndian, toByteOffset: 28, as: UInt32.self)
            count = 32
        }
    }
}

@inline(__always)
private func word(_ p: UnsafeRawPointer, _ index: Int) -> UInt32 {
    UInt32(bigEndian: p.loadUnaligned(fromByteOffset: index &* 4, as: UInt32.self))
}

@inline(__always)
private func rotr(_ x: UInt32, _ s: UInt32) -> UInt32 {
    (x &>> s) | (x &<< (32 &- s))
}

/// σ0 of the message schedule.
@inline(__always)
private func sigma0(_ x: UInt32) -> UInt32 {
    rotr(x, 7) ^ rotr(x, 18) ^ (x &>> 3)
}

/// σ1 of the message schedule.
@inline(__always)
private func sigma1(_ x: UInt32) -> UInt32 {
    rotr(x, 17) ^ rotr(x, 19) ^ (x &>> 10)
}

/// One round; `kw` is K[t] + W[t]. The caller rotates the roles of a…h.
@inline(__always)
private func step(
    _ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: inout UInt32,
    _ e: UInt32, _ f: UInt32, _ g: UInt32, _ h: inout UInt32, _ kw: UInt32
) {
    let bigSigma1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
    let choose = g ^ (e & (f ^ g))
    let t1 = h &+ bigSigma1 &+ choose &+ kw
    let bigSigma0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
    let majority = (a & b) | (c & (a | b))
    d &+= t1
    h = t1 &+ bigSigma0 &+ majority
}
