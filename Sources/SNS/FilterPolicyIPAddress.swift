import Foundation

/// An IPv4 (4 bytes) or IPv6 (16 bytes) address literal, parsed without name
/// resolution: dotted quads, and IPv6 groups with one optional `::` and an
/// optional dotted-quad tail.
struct FilterPolicyIPAddress: Hashable, Sendable {
    let bytes: [UInt8]

    init?(_ text: String) {
        if text.contains(":") {
            guard let bytes = Self.parseIPv6(Substring(text)) else { return nil }
            self.bytes = bytes
        } else {
            guard let bytes = Self.parseIPv4(Substring(text)) else { return nil }
            self.bytes = bytes
        }
    }

    private static func parseIPv4(_ text: Substring) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard (1...3).contains(part.count), part.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                  let value = UInt8(part)
            else { return nil }
            bytes.append(value)
        }
        return bytes
    }

    private static func parseIPv6(_ text: Substring) -> [UInt8]? {
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        guard let head = groups(Substring(halves[0]), allowIPv4Tail: halves.count == 1) else { return nil }
        if halves.count == 1 {
            return head.count == 16 ? head : nil
        }
        guard let tail = groups(Substring(halves[1]), allowIPv4Tail: true),
              head.count + tail.count <= 14
        else { return nil }
        return head + [UInt8](repeating: 0, count: 16 - head.count - tail.count) + tail
    }

    /// Colon-separated hex groups (1 to 4 digits each), the last of which may be a
    /// dotted quad; empty text is no groups.
    private static func groups(_ text: Substring, allowIPv4Tail: Bool) -> [UInt8]? {
        if text.isEmpty { return [] }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        var bytes: [UInt8] = []
        for (index, part) in parts.enumerated() {
            if allowIPv4Tail, index == parts.count - 1, part.contains(".") {
                guard let quad = parseIPv4(part) else { return nil }
                bytes += quad
                continue
            }
            guard (1...4).contains(part.count), let group = UInt16(part, radix: 16) else { return nil }
            bytes += [UInt8(group >> 8), UInt8(group & 0xFF)]
        }
        return bytes
    }
}

/// A `cidr` range as AWS's engine builds it: from the address as written up to
/// that address with every host bit set. `10.0.0.0/24` is 10.0.0.0–10.0.0.255.
struct FilterPolicyIPRange: Sendable, Equatable {
    let lowest: [UInt8]
    let highest: [UInt8]

    init(address: FilterPolicyIPAddress, maskBits: Int) {
        lowest = address.bytes
        var highest = address.bytes
        var hostBits = address.bytes.count * 8 - maskBits
        for index in highest.indices.reversed() where hostBits > 0 {
            highest[index] |= hostBits >= 8 ? 0xFF : UInt8((1 << hostBits) - 1)
            hostBits -= 8
        }
        self.highest = highest
    }

    func contains(_ address: FilterPolicyIPAddress) -> Bool {
        address.bytes.count == lowest.count
            && !address.bytes.lexicographicallyPrecedes(lowest)
            && !highest.lexicographicallyPrecedes(address.bytes)
    }
}
