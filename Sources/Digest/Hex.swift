extension Sequence where Element == UInt8 {
    /// The bytes as lowercase hexadecimal, two characters per byte.
    public var hexString: String {
        if let hex = withContiguousStorageIfAvailable({ lowercaseHex($0) }) {
            return hex
        }
        return Array(self).withUnsafeBufferPointer { lowercaseHex($0) }
    }
}

private func lowercaseHex(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
    String(unsafeUninitializedCapacity: bytes.count * 2) { out in
        var i = 0
        for byte in bytes {
            out[i] = hexDigit(byte &>> 4)
            out[i + 1] = hexDigit(byte & 0x0f)
            i += 2
        }
        return i
    }
}

@inline(__always)
private func hexDigit(_ nibble: UInt8) -> UInt8 {
    nibble < 10 ? 0x30 + nibble : 0x57 + nibble  // "0"… / "a"…
}
