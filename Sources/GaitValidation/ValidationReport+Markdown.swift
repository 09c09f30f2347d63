/// The report as Markdown: the README's accuracy section.
extension ValidationReport {
    /// A `###` section per data set with its pooled tables and notes; the per-trial tables fold
    /// away under "Per trial".
    public func markdown() -> String {
        (dataSets.first.map { $0.methodNote + "\n\n" } ?? "") + dataSets.map { set in
            var text = "### `\(set.folder)`" + (set.title.map { ": \($0)" } ?? "") + "\n\n"
            text += set.headline + ".\n\n"
            text += set.detectionTable(trials: false).markdown() + "\n"
            if let measures = set.measuresTable(trials: false) { text += measures.markdown() + "\n" }
            text += set.agreementTable().markdown() + "\n"
            let notes = set.notes()
            if !notes.isEmpty { text += notes.map { "- " + $0 }.joined(separator: "\n") + "\n\n" }
            text += "<details><summary>Per trial</summary>\n\n"
            text += set.detectionTable(trials: true).markdown() + "\n"
            if let measures = set.measuresTable(trials: true) { text += measures.markdown() + "\n" }
            text += "</details>\n"
            return text
        }.joined(separator: "\n")
    }
}
