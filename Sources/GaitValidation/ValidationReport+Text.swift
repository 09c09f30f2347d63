/// The report as plain text for the terminal.
extension ValidationReport {
    /// Every data set (what was scored, a row per trial and per pool, agreement, notes), then how
    /// it is counted.
    public func text() -> String {
        dataSets.map { set in
            var text = "Validation of \(set.folder)" + (set.title.map { ": \($0)" } ?? "") + "\n"
            text += set.headline + "\n\n"
            text += "Initial contacts and cadence\n" + set.detectionTable(trials: true).plainText() + "\n"
            if let measures = set.measuresTable(trials: true) { text += "Paired measures (those the reference has)\n" + measures.plainText() + "\n" }
            text += "Agreement (Bland–Altman, ours − reference)\n" + set.agreementTable().plainText() + "\n"
            text += set.notes().map { "- " + $0 + "\n" }.joined()
            return text
        }.joined(separator: "\n") + (dataSets.first.map { "\nHow it is counted: " + $0.methodNote + "\n" } ?? "")
    }
}
