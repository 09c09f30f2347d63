import BackstrideTestSupport

/// Runs the real `gait` of this build with `arguments`, capturing both outputs (pipes, so never a terminal).
/// `cpuLimitS` bounds its processor time (see `runProcess`).
func runGait(_ arguments: [String], cpuLimitS: Int? = nil) throws -> CommandResult {
    try runProcess(Products.gait, arguments, cpuLimitS: cpuLimitS)
}
