// HMAC (RFC 2104) over SHA-256, the primitive behind SigV4 signing keys and signatures.

public enum HMAC {
    /// HMAC-SHA256 of `message` under `key`. Keys longer than the 64-byte block are hashed first.
    public static func sha256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        // The key, zero-padded to one block, kept on the stack.
        var pad: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
        return withUnsafeMutableBytes(of: &pad) { pad in
            if key.count > pad.count {
                let hashed = SHA256.hash(key)
                hashed.withUnsafeBytes { pad.copyMemory(from: $0) }
            } else {
                key.withUnsafeBytes { pad.copyMemory(from: $0) }
            }

            for i in pad.indices { pad[i] ^= 0x36 }
            var inner = SHA256Hasher()
            inner.update(UnsafeRawBufferPointer(pad))
            message.withUnsafeBytes { inner.update($0) }
            let innerDigest = inner.finalize()

            for i in pad.indices { pad[i] ^= 0x36 ^ 0x5c }
            var outer = SHA256Hasher()
            outer.update(UnsafeRawBufferPointer(pad))
            innerDigest.withUnsafeBytes { outer.update($0) }
            return outer.finalize()
        }
    }
}
