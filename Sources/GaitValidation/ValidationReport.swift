/// A validation of one or more data sets, rendered as text, JSON (`backstride.validation/1`),
/// Markdown (the README's accuracy section) or an HTML page with its plots.
public struct ValidationReport: Sendable {
    /// The schema identifier written in every JSON report.
    public static let schemaIdentifier = "backstride.validation/1"

    /// The data sets, in the order given.
    public var dataSets: [DataSetValidation]

    /// Creates a report of validated data sets.
    public init(dataSets: [DataSetValidation]) {
        self.dataSets = dataSets
    }

    /// Validates each folder in turn.
    public static func run(folders: [String], settings: ValidationSettings = ValidationSettings()) throws(GaitValidationError) -> ValidationReport {
        var dataSets: [DataSetValidation] = []
        for folder in folders { dataSets.append(try DataSetValidation.run(path: folder, settings: settings)) }
        return ValidationReport(dataSets: dataSets)
    }
}
