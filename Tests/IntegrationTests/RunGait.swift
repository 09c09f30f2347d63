import BackstrideTestSupport

/// Runs the real `gait` of this build with `arguments`, capturing both outputs (pipes, so never a terminal).
func runGait(_ arguments: [String]) throws -> CommandResult {
    try runProcess(Products.gait, arguments)
}
