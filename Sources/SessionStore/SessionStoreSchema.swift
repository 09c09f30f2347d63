import GRDB

/// The store's schema as named, append-only migrations. Never edit a migration that has shipped:
/// add a new one after it.
public enum SessionStoreSchema {
    /// The tables whose changes `SessionStore.revision()` counts: whatever a page, report or API
    /// document shows (not steps or raw chunks, written only with their session; not login sessions
    /// or access grants, checked on every request anyway).
    static let revisedTables = ["runner", "shoe", "clip", "session", "sessionSummary", "flag", "painLog", "sessionFacts",
                                "account", "sessionWatch"]

    /// Migration names in order (what `gait` and the tests expect a fully migrated database to list).
    public static let migrationNames = ["v1-schema", "v2-session-start-index", "v3-inference", "v4-accounts", "v5-ownership", "v6-admin", "v7-pain-questions", "v8-watch", "v9-contact-quality-and-force", "v10-entry-authors", "v11-account-names", "v12-incomplete-sessions", "v13-revision", "v14-audit-log", "v15-account-disabled", "v16-clinic-push", "v17-runner-revision"]

    /// The migrator of the SQLite store.
    public static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-schema") { db in
            try db.create(table: "runner") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("name", .text).notNull()
                t.column("createdAt", .datetime).notNull()
            }
            try db.create(table: "shoe") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("runnerId", .integer).indexed().references("runner", onDelete: .setNull)
                t.column("name", .text).notNull()
                t.column("startDate", .datetime).notNull()
                t.column("distanceSoFarKm", .double).notNull().defaults(to: 0)
                t.column("retired", .boolean).notNull().defaults(to: false)
            }
            try db.create(table: "clip") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("serial", .text).notNull().unique()
                t.column("firmware", .text)
            }
            try db.create(table: "session") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("runnerId", .integer).indexed().references("runner", onDelete: .setNull)
                t.column("clipId", .integer).references("clip", onDelete: .restrict)
                t.column("clipSessionId", .integer)
                t.column("contentHash", .text).unique()
                t.column("source", .text).notNull()
                t.column("sourcePath", .text)
                t.column("startedAt", .datetime)
                t.column("timeZone", .text).notNull()
                t.column("durationS", .double).notNull()
                t.column("sampleRateHz", .double).notNull()
                t.column("configuredSampleRateHz", .double)
                t.column("sampleCount", .integer).notNull()
                t.column("hasGyroscope", .boolean).notNull()
                t.column("readerInputJSON", .text).notNull()
                t.column("shoeId", .integer).indexed().references("shoe", onDelete: .setNull)
                t.column("surface", .text)
                t.column("importedAt", .datetime).notNull()
                // A clip session is stored once: the import is idempotent on (clip, session id).
                t.uniqueKey(["clipId", "clipSessionId"])
            }
            try db.create(table: "rawChunk") { t in
                t.column("sessionId", .integer).notNull().references("session", onDelete: .cascade)
                t.column("chunkIndex", .integer).notNull()
                t.column("sampleCount", .integer).notNull()
                t.column("firstTimeS", .double).notNull()
                t.column("encodedByteCount", .integer).notNull()
                t.column("data", .blob).notNull()
                t.primaryKey(["sessionId", "chunkIndex"])
            }
            try db.create(table: "step") { t in
                t.column("sessionId", .integer).notNull().references("session", onDelete: .cascade)
                t.column("stepIndex", .integer).notNull()
                t.column("initialContactS", .double).notNull()
                t.column("side", .text)
                t.column("sideConfidence", .double).notNull()
                t.column("activity", .text).notNull()
                t.column("stepTimeS", .double)
                t.column("impactPeakG", .double).notNull()
                t.column("loadingRateGPerS", .double)
                t.column("brakingPeakG", .double).notNull()
                t.column("brakingVelocityLossMPS", .double).notNull()
                t.column("groundContactTimeS", .double)
                t.column("verticalOscillationCm", .double)
                t.column("pelvisTiltDeg", .double).notNull()
                t.column("pelvicRotationDeg", .double)
                t.column("pelvicObliquityDeg", .double)
                t.primaryKey(["sessionId", "stepIndex"])
            }
            try db.create(table: "sessionSummary") { t in
                t.primaryKey("sessionId", .integer).references("session", onDelete: .cascade)
                t.column("stepCount", .integer).notNull()
                t.column("cadenceSpm", .double)
                t.column("primaryActivity", .text)
                t.column("documentJSON", .text).notNull()
                t.column("analyzedAt", .datetime).notNull()
            }
            try db.create(table: "flag") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("sessionId", .integer).notNull().indexed().references("session", onDelete: .cascade)
                t.column("kind", .text).notNull()
                t.column("severity", .text).notNull()
                t.column("confidence", .double).notNull().check { $0 >= 0 && $0 <= 1 }
                t.column("evidenceJSON", .text).notNull()
                t.column("advice", .text)
                t.column("createdAt", .datetime).notNull()
            }
            try db.create(table: "painLog") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("sessionId", .integer).notNull().indexed().references("session", onDelete: .cascade)
                t.column("painScore", .integer).check { $0 >= 0 && $0 <= 10 }
                t.column("location", .text)
                t.column("atS", .double)
                t.column("note", .text)
                t.column("recordedAt", .datetime).notNull()
            }
        }
        migrator.registerMigration("v2-session-start-index") { db in
            // Listing and per-runner history read sessions by start time.
            try db.create(index: "session_on_startedAt", on: "session", columns: ["startedAt"])
        }
        migrator.registerMigration("v3-inference") { db in
            // The inference layer: a session's distance (from a watch or the runner's log), the
            // session-level facts that baselines and trends read, the flags' stable ids, and one
            // name per runner and per shoe of a runner (the CLI finds them by name).
            try db.alter(table: "session") { t in t.add(column: "distanceKm", .double) }
            try db.alter(table: "flag") { t in t.add(column: "flagKey", .text) }
            try db.create(table: "sessionFacts") { t in
                t.primaryKey("sessionId", .integer).references("session", onDelete: .cascade)
                t.column("factsJSON", .text).notNull()
                t.column("computedAt", .datetime).notNull()
            }
            try db.create(index: "runner_on_name", on: "runner", columns: ["name"], unique: true)
            try db.create(index: "shoe_on_runner_name", on: "shoe", columns: ["runnerId", "name"], unique: true)
        }
        migrator.registerMigration("v4-accounts") { db in
            // Web accounts (GaitServer): runners and physiotherapists, the access a runner grants a
            // physiotherapist, and login sessions (only a hash of each token is stored).
            try db.create(table: "account") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("username", .text).notNull().unique(onConflict: .abort)
                t.column("role", .text).notNull().check { ["runner", "physio"].contains($0) }
                t.column("passwordHash", .text).notNull()
                t.column("runnerId", .integer).references("runner", onDelete: .cascade)
                t.column("createdAt", .datetime).notNull()
            }
            try db.create(table: "accessGrant") { t in
                t.column("runnerId", .integer).notNull().references("runner", onDelete: .cascade)
                t.column("physioAccountId", .integer).notNull().indexed().references("account", onDelete: .cascade)
                t.column("grantedAt", .datetime).notNull()
                t.primaryKey(["runnerId", "physioAccountId"])
            }
            try db.create(table: "loginSession") { t in
                t.primaryKey("tokenHash", .text)
                t.column("accountId", .integer).notNull().indexed().references("account", onDelete: .cascade)
                t.column("csrfToken", .text).notNull()
                t.column("createdAt", .datetime).notNull()
                t.column("expiresAt", .datetime).notNull().indexed()
            }
        }
        migrator.registerMigration("v5-ownership") { db in
            // One way in (SessionIngest): a clip belongs to a runner, whose sessions synced from it
            // are; a runner has current shoes that new sessions get.
            try db.alter(table: "clip") { t in t.add(column: "runnerId", .integer).references("runner", onDelete: .setNull) }
            try db.alter(table: "runner") { t in t.add(column: "currentShoeId", .integer).references("shoe", onDelete: .setNull) }
            try db.create(index: "session_on_runnerId_startedAt", on: "session", columns: ["runnerId", "startedAt"])
        }
        migrator.registerMigration("v6-admin") { db in
            // Administrators (unassigned sessions, clips). SQLite cannot change a CHECK constraint,
            // so the account table is rebuilt; foreign keys are off during a migration and checked
            // after it, so grants and logins keep pointing at the same ids.
            try db.create(table: "account_v6") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("username", .text).notNull().unique(onConflict: .abort)
                t.column("role", .text).notNull().check { ["runner", "physio", "admin"].contains($0) }
                t.column("passwordHash", .text).notNull()
                t.column("runnerId", .integer).references("runner", onDelete: .cascade)
                t.column("createdAt", .datetime).notNull()
            }
            try db.execute(sql: "INSERT INTO account_v6 (id, username, role, passwordHash, runnerId, createdAt) SELECT id, username, role, passwordHash, runnerId, createdAt FROM account")
            try db.drop(table: "account")
            try db.rename(table: "account_v6", to: "account")
        }
        migrator.registerMigration("v7-pain-questions") { db in
            // Escalation comes from the runner: whether pain lasted into the next day, red-flag
            // symptoms, and when a runner's red-flag alert was cleared.
            try db.alter(table: "painLog") { t in
                t.add(column: "nextDay", .boolean)
                t.add(column: "redFlags", .text)
            }
            try db.alter(table: "runner") { t in
                t.add(column: "redFlagsClearedAt", .datetime)
                t.add(column: "redFlagsClearedBy", .text)
            }
        }
        migrator.registerMigration("v8-watch") { db in
            // Speed and slope from the runner's watch file, aligned to the session (SessionSpeed as JSON).
            try db.create(table: "sessionWatch") { t in
                t.primaryKey("sessionId", .integer).references("session", onDelete: .cascade)
                t.column("source", .text).notNull()
                t.column("speedJSON", .text).notNull()
                t.column("pairedAt", .datetime).notNull()
            }
        }
        migrator.registerMigration("v9-contact-quality-and-force") { db in
            // Each running step's contact-time quality and estimated peak vertical force (its toe-off
            // is the contact plus the contact time, so it needs no column).
            try db.alter(table: "step") { t in
                t.add(column: "contactTimeQuality", .double)
                t.add(column: "peakVerticalForceBW", .double)
            }
        }
        migrator.registerMigration("v10-entry-authors") { db in
            // Who wrote each pain entry or note (the runner, or a physiotherapist's own note); nil
            // for entries written before authors were recorded and for `gait pain` on the runner's machine.
            try db.alter(table: "painLog") { t in
                t.add(column: "authorAccountId", .integer).references("account", onDelete: .setNull)
            }
        }
        migrator.registerMigration("v11-account-names") { db in
            // Usernames are stored normalised (NFKC, case-folded) with the skeleton that finds
            // look-alikes. A name whose normalised form another account already holds is left as it
            // was (it still logs in with its exact spelling).
            try db.alter(table: "account") { t in t.add(column: "usernameSkeleton", .text) }
            let rows = try Row.fetchAll(db, sql: "SELECT id, username FROM account ORDER BY id")
            var taken = Set(rows.map { $0["username"] as String })
            for row in rows {
                let id: Int64 = row["id"], name: String = row["username"]
                let normalised = AccountName.normalised(name)
                var stored = name
                if normalised != name, !taken.contains(normalised) {
                    taken.remove(name)
                    taken.insert(normalised)
                    stored = normalised
                }
                try db.execute(sql: "UPDATE account SET username = ?, usernameSkeleton = ? WHERE id = ?",
                               arguments: [stored, AccountName.skeleton(stored), id])
            }
            try db.create(index: "account_on_usernameSkeleton", on: "account", columns: ["usernameSkeleton"])
        }
        migrator.registerMigration("v12-incomplete-sessions") { db in
            // Why a stored clip session copy is incomplete (bad blocks, a truncated tail), nil when
            // every block verified; a more complete copy of the same clip session replaces it.
            try db.alter(table: "session") { t in t.add(column: "incompleteReason", .text) }
        }
        migrator.registerMigration("v13-revision") { db in
            // One number that every write a page or report shows bumps (`SessionStore.revision()`),
            // for the web server's caches and ETags. Triggers, so that every writer counts: gaitd,
            // `gait` on the same file, an older or newer build. Steps and raw chunks change only with
            // their session's row or summary, so they need none of their own.
            try db.execute(sql: "CREATE TABLE storeRevision (id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL)")
            try db.execute(sql: "INSERT INTO storeRevision (id, value) VALUES (1, 0)")
            for table in SessionStoreSchema.revisedTables {
                for event in ["INSERT", "UPDATE", "DELETE"] {
                    try db.execute(sql: """
                        CREATE TRIGGER \(table)_\(event.lowercased())_revision AFTER \(event) ON \(table)
                        BEGIN UPDATE storeRevision SET value = value + 1 WHERE id = 1; END
                        """)
                }
            }
        }
        migrator.registerMigration("v14-audit-log") { db in
            // Every look at a runner's data by someone other than the runner (issue 14: "who looked
            // at my data"). Not counted by the revision: a view changes no report.
            try db.create(table: "auditLog") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("at", .datetime).notNull()
                t.column("accountId", .integer).references("account", onDelete: .setNull)
                t.column("username", .text).notNull()
                t.column("role", .text).notNull()
                t.column("runnerId", .integer).notNull().references("runner", onDelete: .cascade)
                t.column("sessionId", .integer)
                t.column("what", .text).notNull()
            }
            try db.create(index: "auditLog_on_runnerId_at", on: "auditLog", columns: ["runnerId", "at"])
            try db.create(index: "auditLog_on_accountId_runnerId_at", on: "auditLog", columns: ["accountId", "runnerId", "at"])
        }
        migrator.registerMigration("v15-account-disabled") { db in
            // An administrator disables an account instead of deleting it: its entries keep their
            // author, and it can be enabled again.
            try db.alter(table: "account") { t in t.add(column: "disabledAt", .datetime) }
        }
        migrator.registerMigration("v16-clinic-push") { db in
            // A runner's gaitd paired with a clinic pushes its sessions there. On the clinic's
            // server: pairing codes (hashed, single use, expiring), paired devices (hashed tokens,
            // revocable) and the pushed pain entries already attached (each once, by the device's
            // key for it). On the runner's gaitd: what was delivered to which clinic.
            try db.create(table: "pairingCode") { t in
                t.primaryKey("codeHash", .text)
                t.column("runnerId", .integer).notNull().indexed().references("runner", onDelete: .cascade)
                t.column("createdByAccountId", .integer).references("account", onDelete: .setNull)
                t.column("createdAt", .datetime).notNull()
                t.column("expiresAt", .datetime).notNull().indexed()
                t.column("usedAt", .datetime)
            }
            try db.create(table: "device") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("runnerId", .integer).notNull().indexed().references("runner", onDelete: .cascade)
                t.column("name", .text).notNull()
                t.column("tokenHash", .text).notNull().unique()
                t.column("createdAt", .datetime).notNull()
                t.column("expiresAt", .datetime).notNull()
                t.column("revokedAt", .datetime)
            }
            try db.create(table: "pushedPain") { t in
                t.column("sessionId", .integer).notNull().references("session", onDelete: .cascade)
                t.column("entryKey", .text).notNull()
                t.column("painLogId", .integer).notNull().references("painLog", onDelete: .cascade)
                t.primaryKey(["sessionId", "entryKey"])
            }
            try db.create(table: "clinicDelivery") { t in
                t.column("clinic", .text).notNull()
                t.column("sessionId", .integer).notNull().indexed().references("session", onDelete: .cascade)
                t.column("clinicSessionId", .integer)
                t.column("attempts", .integer).notNull().defaults(to: 0)
                t.column("lastError", .text)
                t.column("lastAttemptAt", .datetime)
                t.column("deliveredAt", .datetime)
                t.column("refused", .boolean).notNull().defaults(to: false)
                // The newest pain entry the delivery carried: a newer one sends the session again
                // (the clinic stores it once and attaches the entries it lacks).
                t.column("painLogMaxId", .integer)
                t.primaryKey(["clinic", "sessionId"])
            }
        }
        migrator.registerMigration("v17-runner-revision") { db in
            // A revision per runner (`SessionStore.runnerRevisions`), so that a write about one
            // runner (an arriving run, a pain entry) keeps every other runner's cached report and
            // dashboard row. One counter still orders every write: each write takes the store's
            // next revision and stamps it on the runner it is about; writes about no one runner
            // (accounts: their names appear in every report) stamp runner 0, which every runner's
            // revision includes. The v13 triggers are replaced by ones that do both.
            try db.execute(sql: "CREATE TABLE runnerRevision (runnerId INTEGER PRIMARY KEY, value INTEGER NOT NULL)")
            try db.execute(sql: "INSERT INTO runnerRevision (runnerId, value) SELECT 0, value FROM storeRevision WHERE id = 1")
            for table in SessionStoreSchema.revisedTables {
                for event in ["INSERT", "UPDATE", "DELETE"] {
                    let rows = event == "INSERT" ? ["NEW"] : event == "DELETE" ? ["OLD"] : ["OLD", "NEW"]
                    let stamps = rows.map { row in
                        """
                        INSERT INTO runnerRevision (runnerId, value)
                            SELECT r, (SELECT value FROM storeRevision WHERE id = 1) FROM (SELECT \(runnerOfRow(table, row)) AS r) WHERE r IS NOT NULL
                            ON CONFLICT (runnerId) DO UPDATE SET value = excluded.value;
                        """
                    }
                    try db.execute(sql: "DROP TRIGGER \(table)_\(event.lowercased())_revision")
                    try db.execute(sql: """
                        CREATE TRIGGER \(table)_\(event.lowercased())_revision AFTER \(event) ON \(table)
                        BEGIN UPDATE storeRevision SET value = value + 1 WHERE id = 1; \(stamps.joined(separator: " ")) END
                        """)
                }
            }
        }
        return migrator
    }

    /// The runner a row of a revised table is about, as an SQL expression over `row` (`NEW` or
    /// `OLD`): 0 for accounts, whose names any runner's report may show; NULL for a row about no
    /// runner (a session not assigned yet), which only the store's revision counts.
    static func runnerOfRow(_ table: String, _ row: String) -> String {
        switch table {
        case "runner": "\(row).id"
        case "shoe", "clip", "session": "\(row).runnerId"
        case "account": "0"
        case "sessionSummary", "flag", "painLog", "sessionFacts", "sessionWatch": "(SELECT runnerId FROM session WHERE id = \(row).sessionId)"
        default: preconditionFailure("no runner is known for rows of \(table)")
        }
    }
}
