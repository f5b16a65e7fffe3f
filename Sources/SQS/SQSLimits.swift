/// SQS's documented limits and character rules.
enum SQSLimits {
    /// The largest message (body plus attributes) a queue may allow: 1 MiB.
    static let maximumMessageSize = 1_048_576
    static let maxBatchEntries = 10
    static let maxTags = 50
    static let deduplicationInterval: Int64 = 5 * 60 * 1000
    static let receiveAttemptInterval: Int64 = 5 * 60 * 1000
    static let purgeInterval: Int64 = 60 * 1000

    /// #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF
    static func isValidMessageText(_ s: String) -> Bool {
        for scalar in s.unicodeScalars {
            let v = scalar.value
            if v == 0x9 || v == 0xA || v == 0xD { continue }
            if v >= 0x20 && v <= 0xD7FF { continue }
            if v >= 0xE000 && v <= 0xFFFD { continue }
            if v >= 0x10000 && v <= 0x10FFFF { continue }
            return false
        }
        return true
    }

    /// Queue names: 1–80 of alphanumerics, `-` and `_`; FIFO names end in `.fifo`.
    static func isValidQueueName(_ name: String, fifo: Bool) -> Bool {
        var base = Substring(name)
        if fifo {
            guard base.hasSuffix(".fifo") else { return false }
            base = base.dropLast(5)
        }
        guard !base.isEmpty, name.utf8.count <= 80 else { return false }
        return base.utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b == 0x2D
        }
    }

    /// Batch entry ids: 1–80 of alphanumerics, `-` and `_`.
    static func isValidBatchEntryId(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= 80 && id.utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b == 0x2D
        }
    }
}
