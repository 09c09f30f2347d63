/// What a format reader found in a watch file, before `WatchTrack(normalising:…)` orders the
/// points and fills in what can be derived.
struct WatchFileContent {
    /// Points in file order.
    var points: [WatchPoint] = []
    var device: String?
    var sport: String?
    var warnings: [String] = []
}
