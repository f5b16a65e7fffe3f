/// Builds XML text for query-protocol responses. Text and attribute values are
/// escaped so a message body with `<&>"'` survives intact; characters XML 1.0 cannot
/// carry at all are replaced, so the document always parses.
public struct XMLWriter {
    public private(set) var bytes: [UInt8] = []

    public init(declaration: Bool = true) {
        if declaration { bytes.append(contentsOf: "<?xml version=\"1.0\"?>".utf8) }
        bytes.reserveCapacity(512)
    }

    public mutating func open(_ name: String, xmlns: String? = nil) {
        bytes.append(UInt8(ascii: "<"))
        bytes.append(contentsOf: name.utf8)
        if let xmlns {
            bytes.append(contentsOf: " xmlns=\"".utf8)
            appendEscaped(xmlns)
            bytes.append(UInt8(ascii: "\""))
        }
        bytes.append(UInt8(ascii: ">"))
    }

    public mutating func close(_ name: String) {
        bytes.append(contentsOf: "</".utf8)
        bytes.append(contentsOf: name.utf8)
        bytes.append(UInt8(ascii: ">"))
    }

    public mutating func element(_ name: String, _ text: String) {
        open(name)
        appendEscaped(text)
        close(name)
    }

    public mutating func empty(_ name: String) {
        bytes.append(UInt8(ascii: "<"))
        bytes.append(contentsOf: name.utf8)
        bytes.append(contentsOf: "/>".utf8)
    }

    public mutating func text(_ text: String) { appendEscaped(text) }

    mutating func appendEscaped(_ text: String) {
        for scalar in text.unicodeScalars {
            switch scalar {
            case "<": bytes.append(contentsOf: "&lt;".utf8)
            case ">": bytes.append(contentsOf: "&gt;".utf8)
            case "&": bytes.append(contentsOf: "&amp;".utf8)
            case "\"": bytes.append(contentsOf: "&quot;".utf8)
            case "'": bytes.append(contentsOf: "&apos;".utf8)
            case "\r": bytes.append(contentsOf: "&#xD;".utf8)
            default:
                // XML 1.0 cannot carry C0 controls (not even as references), U+FFFE or
                // U+FFFF; a parser would reject the whole document, so they become U+FFFD.
                let v = scalar.value
                if (v < 0x20 && scalar != "\n" && scalar != "\t") || v == 0xFFFE || v == 0xFFFF {
                    bytes.append(contentsOf: [0xEF, 0xBF, 0xBD])
                } else {
                    bytes.append(contentsOf: String(scalar).utf8)
                }
            }
        }
    }
}
