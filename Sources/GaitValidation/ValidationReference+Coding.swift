import Foundation

extension ValidationReference {
    /// Reads the reference sidecar at `path`.
    ///
    /// NaN (which some sidecars write for what the reference could not measure) is accepted and
    /// read as unknown. A value of the wrong type, or a required one missing, is an error that
    /// names the file and the JSON path, e.g. `reference.initial_contacts[3].t_s`.
    public static func load(path: String) throws(GaitValidationError) -> ValidationReference {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadableReference(file: path, reason: error.localizedDescription)
        }
        return try decode(data, file: path)
    }

    /// Decodes a reference sidecar; `file` names it in errors.
    public static func decode(_ data: Data, file: String) throws(GaitValidationError) -> ValidationReference {
        let decoder = JSONDecoder()
        decoder.allowsJSON5 = true  // for NaN; JSON5's other liberties do no harm here
        do {
            return try decoder.decode(ValidationReference.self, from: data)
        } catch let error as DecodingError {
            throw Self.validationError(error, file: file)
        } catch {
            throw .unreadableReference(file: file, reason: "\(error)")
        }
    }

    /// The sidecar as JSON (pretty-printed, sorted keys: the same reference gives the same bytes).
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// The decoding error as one line naming the JSON path that is wrong.
    static func validationError(_ error: DecodingError, file: String) -> GaitValidationError {
        switch error {
        case .keyNotFound(let key, let context):
            return .malformedReference(file: file, path: jsonPath(context.codingPath + [key]), problem: "missing")
        case .valueNotFound(let type, let context):
            return .malformedReference(file: file, path: jsonPath(context.codingPath), problem: "null where \(typeName(type)) is required")
        case .typeMismatch(let type, let context):
            return .malformedReference(file: file, path: jsonPath(context.codingPath), problem: "not \(typeName(type))")
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            let underlying = context.underlyingError.map { " (\(($0 as NSError).userInfo[NSDebugDescriptionErrorKey] ?? $0))" } ?? ""
            return .unreadableReference(file: file, reason: context.debugDescription + underlying)
        case .dataCorrupted(let context):
            return .malformedReference(file: file, path: jsonPath(context.codingPath), problem: context.debugDescription)
        @unknown default:
            return .unreadableReference(file: file, reason: "\(error)")
        }
    }

    /// `reference.initial_contacts[3].t_s` for a coding path.
    static func jsonPath(_ path: [any CodingKey]) -> String {
        var text = ""
        for key in path {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += (text.isEmpty ? "" : ".") + key.stringValue
            }
        }
        return text.isEmpty ? "(top level)" : text
    }

    /// What a value should have been, in words.
    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is Double.Type, is Float.Type: return "a number"
        case is Int.Type: return "an integer"
        case is String.Type: return "a string"
        default: return "\(type)".hasPrefix("Array") ? "an array" : "an object"
        }
    }
}

extension KeyedDecodingContainer {
    /// A required number that must be finite (a time, not a measurement that may be missing).
    func decodeFinite(forKey key: Key) throws -> Double {
        let value = try decode(Double.self, forKey: key)
        guard value.isFinite else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "\(value) where a finite number is required")
        }
        return value
    }

    /// A measurement the reference may not have made: absent, null and NaN are nil.
    func decodeMeasurement(forKey key: Key) throws -> Double? {
        guard let value = try decodeIfPresent(Double.self, forKey: key), value.isFinite else { return nil }
        return value
    }
}
