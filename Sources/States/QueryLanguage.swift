/// The language a definition (or one state) uses to select and transform data.
public enum QueryLanguage: String, Sendable {
    case jsonPath = "JSONPath"
    case jsonata = "JSONata"
}
