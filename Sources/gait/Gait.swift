import ArgumentParser

/// The Backstride command-line tool: a root command that only lists its subcommands.
@main
struct Gait: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gait",
        abstract: "Backstride: running gait analysis from a hip-clip IMU.",
        subcommands: [AnalyzeCommand.self, StreamCommand.self, SyncCommand.self, SimulateCommand.self, BenchCommand.self, DevicesCommand.self,
                      ImportCommand.self, SessionsCommand.self, AssignCommand.self, ClipCommand.self, ShoeCommand.self, ShowCommand.self, ReanalyzeCommand.self, ScenariosCommand.self, PainCommand.self, HistoryCommand.self, AccountCommand.self, ClinicCommand.self, LoadClinicCommand.self, ReportCommand.self, WatchCommand.self, AlertCommand.self, ValidateCommand.self]
    )
}
