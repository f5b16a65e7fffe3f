import Foundation

/// $base64encode/decode and the URL encoders, with JavaScript's rules.
extension JSONataLibrary {
    static let encodings: [JSONataBuiltin] = [
        JSONataBuiltin("base64encode", "<s-:s>") { _, args in
            guard let s = string(args[0]) else { return nil }
            // jsonata-js encodes the string's characters as single bytes ("binary")
            let bytes = s.utf16.map { UInt8(truncatingIfNeeded: $0) }
            return .string(Data(bytes).base64EncodedString())
        },
        JSONataBuiltin("base64decode", "<s-:s>") { _, args in
            guard let s = string(args[0]) else { return nil }
            var text = s.filter { !$0.isWhitespace }
            while text.count % 4 != 0 { text += "=" }
            guard let data = Data(base64Encoded: text) else { return .string("") }
            return .string(String(String.UnicodeScalarView(data.map { Unicode.Scalar($0) })))
        },
        JSONataBuiltin("encodeUrlComponent", "<s-:s>") { _, args in
            guard let s = string(args[0]) else { return nil }
            return .string(try percentEncode(s, keeping: componentSafe, name: "encodeUrlComponent"))
        },
        JSONataBuiltin("encodeUrl", "<s-:s>") { _, args in
            guard let s = string(args[0]) else { return nil }
            return .string(try percentEncode(s, keeping: uriSafe, name: "encodeUrl"))
        },
        JSONataBuiltin("decodeUrlComponent", "<s-:s>") { _, args in
            guard let s = string(args[0]) else { return nil }
            return .string(try percentDecode(s, reserved: [], name: "decodeUrlComponent"))
        },
        JSONataBuiltin("decodeUrl", "<s-:s>") { _, args in
            guard let s = string(args[0]) else { return nil }
            return .string(try percentDecode(s, reserved: Set(";/?:@&=+$,#".utf8), name: "decodeUrl"))
        },
    ]

    static let componentSafe: Set<UInt8> = Set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.!~*'()".utf8)
    static let uriSafe: Set<UInt8> = componentSafe.union(";,/?:@&=+$#".utf8)

    static func percentEncode(_ s: String, keeping safe: Set<UInt8>, name: String) throws -> String {
        // a lone surrogate cannot be encoded (URIError in JavaScript)
        if s.unicodeScalars.contains(where: { $0 == "\u{FFFD}" }) && !s.utf16.contains(0xFFFD) {
            throw JSONataFault("D3140", value: .string(s), token: name)
        }
        var out = ""
        for byte in s.utf8 {
            if safe.contains(byte) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    static func percentDecode(_ s: String, reserved: Set<UInt8>, name: String) throws -> String {
        let input = Array(s.utf8)
        var bytes: [UInt8] = []
        var i = 0
        func hex(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
            default: return nil
            }
        }
        while i < input.count {
            if input[i] == UInt8(ascii: "%") {
                guard i + 2 < input.count, let h = hex(input[i + 1]), let l = hex(input[i + 2]) else {
                    throw JSONataFault("D3140", value: .string(s), token: name)
                }
                let byte = h << 4 | l
                if reserved.contains(byte) { bytes.append(contentsOf: input[i...(i + 2)]) } else { bytes.append(byte) }
                i += 3
            } else {
                bytes.append(input[i])
                i += 1
            }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw JSONataFault("D3140", value: .string(s), token: name)
        }
        return text
    }
}
