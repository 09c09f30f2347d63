import GaitReport

/// The tables and notes every rendering of a data set shows (text, Markdown, HTML).
extension DataSetValidation {
    /// Initial-contact detection and timing, and cadence: a row per trial (with `trials`), then a
    /// row per pool.
    func detectionTable(trials withTrials: Bool) -> TextTable {
        let tolerances = settings.tolerancesS.map { "F1 @\(Self.toleranceMs($0)) ms" }
        var table = TextTable(
            header: labelHeader(withTrials) + ["ref ICs"] + tolerances + ["P / R @\(Self.toleranceMs(settings.pairingToleranceS)) ms", "IC bias ms", "IC SD ms", "cadence error spm (max)", "like for like (max)", "bouts"],
            numeric: labelNumeric(withTrials) + [true] + tolerances.map { _ in true } + [true, true, true, true, true, true])
        addRows(to: &table, trials: withTrials) { metrics, _ in
            let pairing = metrics.contactDetection.first { abs($0.toleranceS - settings.pairingToleranceS) < 1e-9 }
            return ["\(metrics.referenceContactCount)"]
                + metrics.contactDetection.map { HTMLText.fixed($0.f1, 3) }
                + [pairing.map { HTMLText.fixed($0.precision, 2) + " / " + HTMLText.fixed($0.recall, 2) } ?? "–",
                   Self.signedMs(metrics.contactTimingS.bias), Self.ms(metrics.contactTimingS.standardDeviation),
                   metrics.cadence.meanErrorSpm.map { HTMLText.fixed($0, 1) + " (" + HTMLText.fixed(metrics.cadence.maxErrorSpm ?? 0, 1) + ")" } ?? "–",
                   metrics.cadence.likeForLikeMeanErrorSpm.map { HTMLText.fixed($0, 1) + " (" + HTMLText.fixed(metrics.cadence.likeForLikeMaxErrorSpm ?? 0, 1) + ")" } ?? "–",
                   "\(metrics.cadence.boutCount)"]
        }
        return table
    }

    /// Side, contact time, toe-off and peak force, each where the reference has it: a row per
    /// trial (with `trials`), then per pool; nil when the reference has none of them.
    func measuresTable(trials withTrials: Bool) -> TextTable? {
        typealias Column = (header: String, cell: (ValidationMetrics, TrialEvidence?) -> String)
        let reference = referenceTotals
        var columns: [Column] = []
        if reference.sides > 0 {
            columns.append(("side agrees", { m, _ in Self.share(m.side.agreeing, m.side.count) }))
            columns.append(("side, confidence ≥ \(HTMLText.fixed(Double(settings.confidentSideThreshold), 1))",
                            { m, _ in Self.share(m.side.confidentAgreeing, m.side.confidentCount) }))
        }
        if reference.contactTimes > 0 {
            columns.append(("contact time bias ms (n)", { m, _ in Self.signedMs(m.contactTimeS.bias) + " (\(m.contactTimeS.count))" }))
            // Medians belong to trials; a pool's row says how many of its trials have both.
            columns.append(("median contact time ms, ours / ref", { m, trial in
                trial.map { Self.ms($0.medianContactTimeS.detected) + " / " + Self.ms($0.medianContactTimeS.reference) }
                    ?? "\(m.contactTimeMediansS.trialCount) trials with both"
            }))
        }
        if reference.finalContacts > 0 {
            columns.append(("toe-off bias ms (n)", { m, _ in Self.signedMs(m.finalContactS.bias) + " (\(m.finalContactS.count))" }))
        }
        if reference.peakForces > 0 {
            columns.append(("peak force bias BW (n)", { m, _ in Self.signedBW(m.peakForceBW.bias) + " (\(m.peakForceBW.count))" }))
            columns.append(("median peak force BW, ours / ref", { m, trial in
                trial.map { Self.bw($0.medianPeakForceBW.detected) + " / " + Self.bw($0.medianPeakForceBW.reference) }
                    ?? "\(m.peakForceMediansBW.trialCount) trials with both"
            }))
        }
        guard !columns.isEmpty else { return nil }
        var table = TextTable(header: labelHeader(withTrials) + columns.map(\.header), numeric: labelNumeric(withTrials) + columns.map { _ in true })
        addRows(to: &table, trials: withTrials) { metrics, trial in columns.map { $0.cell(metrics, trial) } }
        return table
    }

    /// Bland–Altman agreement of each paired measure the reference has, per pool (contact time
    /// also per slope).
    func agreementTable() -> TextTable {
        var table = TextTable(header: ["measure", "pool", "n", "bias", "SD", "95 % limits of agreement", "RMSE", "trial medians: r (trials), bias"],
                              numeric: [false, false, true, true, true, true, true, true])
        let reference = referenceTotals
        for pool in pools {
            let m = pool.metrics
            table.rows.append(Self.agreementRow("IC timing (pairs ≤ \(Self.toleranceMs(settings.pairingToleranceS)) ms), ms", pool.name, m.contactTimingS,
                                                scale: 1000, decimals: 1, medians: nil))
            if reference.contactTimes > 0 {
                table.rows.append(Self.agreementRow("contact time, ms", pool.name, m.contactTimeS, scale: 1000, decimals: 1, medians: m.contactTimeMediansS))
                for (name, statistics) in [("level", m.contactTimeBySlopeS?.level), ("uphill", m.contactTimeBySlopeS?.uphill),
                                           ("downhill", m.contactTimeBySlopeS?.downhill)] {
                    guard let statistics, statistics.count > 0 else { continue }
                    table.rows.append(Self.agreementRow("contact time, ms", pool.name + ", " + name, statistics, scale: 1000, decimals: 1, medians: nil))
                }
            }
            if reference.finalContacts > 0 {
                table.rows.append(Self.agreementRow("toe-off, ms", pool.name, m.finalContactS, scale: 1000, decimals: 1, medians: nil))
            }
            if reference.peakForces > 0 {
                table.rows.append(Self.agreementRow("peak force, BW", pool.name, m.peakForceBW, scale: 1, decimals: 2, medians: m.peakForceMediansBW))
            }
        }
        return table.droppingEmptyColumns()
    }

    /// How everything is counted, for the top of a report (the same for every data set).
    var methodNote: String {
        "ICs (initial contacts) are counted inside the reference bouts, matched one-to-one within each tolerance (closest first). "
            + "IC bias and SD, side, contact time, toe-off and peak force use the ICs matched within \(Self.toleranceMs(settings.pairingToleranceS)) ms. "
            + "Bias = ours − reference; 95 % limits of agreement = bias ± 1.96 SD (Bland–Altman). "
            + "Cadence error per reference bout = |60 / mean step time of our steps in the bout − reference cadence|; like for like: our cadence computed as the reference computed its own (the mean of 120 / stride time where that reproduces the reference's cadence from its own contacts, as mobgap's). Docs/validation.md has the details."
    }

    /// What a reader must know to read this data set's tables: what is held out or missing, which
    /// trials stand out, and what was not scored.
    func notes() -> [String] {
        var notes: [String] = []
        if hasHeldOutList {
            notes.append("Held-out recordings (\(HeldOutList.fileName)) were not used to develop the analysis; their figures are reported apart.")
        }
        let reference = referenceTotals, ours = trials.reduce(TrialEvidence.MeasureCounts()) { $0 + $1.detectedCounts }
        let missing = [("contact time", reference.contactTimes > 0 && ours.contactTimes == 0),
                       ("toe-off (final contact)", reference.finalContacts > 0 && ours.finalContacts == 0),
                       ("peak vertical force", reference.peakForces > 0 && ours.peakForces == 0)].filter(\.1).map(\.0)
        if !missing.isEmpty {
            let list = missing.count > 1 ? missing.dropLast().joined(separator: ", ") + " or " + missing.last! : missing[0]
            notes.append("The analysis reports no \(list) for these recordings yet: those rows are empty (n = 0) until it does.")
        }
        let inverted = trials.filter { trial in
            let side = metrics(of: trial).side
            return side.count >= 4 && (side.share ?? 1) < 0.5
        }
        if !inverted.isEmpty {
            notes.append("Sides look inverted in: " + inverted.map { t in
                let side = metrics(of: t).side
                return "\(t.name) (\(side.agreeing)/\(side.count) agree)"
            }.joined(separator: ", ") + ".")
        }
        if !heldOutNotFound.isEmpty {
            notes.append("\(HeldOutList.fileName) names recordings this folder does not have with a reference: " + heldOutNotFound.joined(separator: ", ") + ".")
        }
        if !withoutReference.isEmpty {
            notes.append("Not scored, no reference: " + withoutReference.map(\.name).joined(separator: ", ") + ".")
        }
        return notes
    }

    /// How many reference contacts of all trials carry each measure.
    var referenceTotals: TrialEvidence.MeasureCounts {
        trials.reduce(TrialEvidence.MeasureCounts()) { $0 + $1.referenceCounts }
    }

    /// One line saying what was scored.
    var headline: String {
        let heldOut = trials.filter(\.isHeldOut).count
        var text = "\(trials.count) recording\(trials.count == 1 ? "" : "s") with a reference"
        if hasHeldOutList { text += " (\(heldOut) held out)" }
        text += ", \(trials.reduce(0) { $0 + $1.referenceContactCount }) reference ICs"
        if !withoutReference.isEmpty { text += "; \(withoutReference.count) without a reference" }
        return text
    }

    // MARK: Rows

    /// "trial" and, with a held-out list, "set"; only "pool" in a table without trial rows.
    private func labelHeader(_ withTrials: Bool) -> [String] { withTrials ? (hasHeldOutList ? ["trial", "set"] : ["trial"]) : ["pool"] }
    private func labelNumeric(_ withTrials: Bool) -> [Bool] { labelHeader(withTrials).map { _ in false } }

    /// Appends a row per trial (with `trials`) and a row per pool: the labels, then `cells` of the
    /// row's metrics and, for a trial's row, the trial.
    private func addRows(to table: inout TextTable, trials withTrials: Bool, cells: (ValidationMetrics, TrialEvidence?) -> [String]) {
        if withTrials {
            for trial in trials {
                table.rows.append([trial.name] + (hasHeldOutList ? [trial.isHeldOut ? "held-out" : "dev"] : []) + cells(metrics(of: trial), trial))
            }
        }
        table.rulesBefore.insert(table.rows.count)
        for pool in pools {
            table.rows.append(["\(pool.name) (\(pool.trials.count))"] + (withTrials && hasHeldOutList ? [""] : []) + cells(pool.metrics, nil))
        }
    }

    private static func agreementRow(_ measure: String, _ pool: String, _ s: AgreementStatistics, scale: Double, decimals: Int,
                                     medians: ValidationMetrics.MedianAgreement?) -> [String] {
        func value(_ v: Double?) -> String { v.map { HTMLText.fixed($0 * scale, decimals) } ?? "–" }
        func signed(_ v: Double?) -> String { v.map { HTMLText.signed($0 * scale, decimals) } ?? "–" }
        let limits = s.lowerLimit.flatMap { low in s.upperLimit.map { signed(low) + " to " + signed($0) } } ?? "–"
        let medianText = medians.map { m in
            (m.pearsonR.map { HTMLText.fixed($0, 2) } ?? "–") + " (\(m.trialCount)), " + signed(m.bias)
        } ?? ""
        return [measure, pool, "\(s.count)", signed(s.bias), value(s.standardDeviation), limits, value(s.rootMeanSquareError), medianText]
    }

    // MARK: Numbers

    static func toleranceMs(_ seconds: Double) -> String { HTMLText.fixed(seconds * 1000, 0) }
    static func ms(_ seconds: Double?) -> String { seconds.map { HTMLText.fixed($0 * 1000, 1) } ?? "–" }
    static func signedMs(_ seconds: Double?) -> String { seconds.map { HTMLText.signed($0 * 1000, 1) } ?? "–" }
    static func bw(_ value: Double?) -> String { value.map { HTMLText.fixed($0, 2) } ?? "–" }
    static func signedBW(_ value: Double?) -> String { value.map { HTMLText.signed($0, 2) } ?? "–" }
    static func share(_ part: Int, _ whole: Int) -> String {
        whole == 0 ? "–" : "\(part)/\(whole) (\(HTMLText.fixed(100 * Double(part) / Double(whole), 0)) %)"
    }
}
