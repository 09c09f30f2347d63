import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real headless chromium driven over the DevTools protocol (`--remote-debugging-pipe`: JSON
/// messages ending in NUL on file descriptors 3 and 4), for tests that use the web pages as a
/// person does: log in through the form, follow links, choose a file and upload it.
///
/// Every wait has a deadline; a failure names what was awaited, the page's address and its text.
public final class HeadlessBrowser {
    /// What went wrong, with the page's address and text where there was a page.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public init(description: String) { self.description = description }
    }

    private var pid: pid_t = 0
    private let writeFD: Int32
    private let readFD: Int32
    private var nextID = 1
    private var pending: [UInt8] = []
    private var session = ""
    private let profile: String

    /// Starts chromium (Debian's `/usr/bin/chromium`) with a fresh profile and one blank tab.
    public init() throws {
        guard let executable = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw Failure(description: "chromium is not installed: scripts/install-system-packages.sh installs it")
        }
        profile = NSTemporaryDirectory() + "chromium-\(UUID().uuidString)"
        var toBrowser: [Int32] = [0, 0], fromBrowser: [Int32] = [0, 0]
        guard pipe(&toBrowser) == 0, pipe(&fromBrowser) == 0 else { throw Failure(description: "pipe: \(String(cString: strerror(errno)))") }
        // Keep every pipe end clear of 3 and 4 so the dup2s below cannot overwrite one another.
        func high(_ fd: Int32) -> Int32 {
            let moved = fcntl(fd, F_DUPFD_CLOEXEC, 10)
            SwiftGlibc.close(fd)
            return moved
        }
        let browserReads = high(toBrowser[0]), browserWrites = high(fromBrowser[1])
        writeFD = high(toBrowser[1])
        readFD = high(fromBrowser[0])

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, browserReads, 3)
        posix_spawn_file_actions_adddup2(&actions, browserWrites, 4)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let arguments = [executable, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                         "--no-default-browser-check", "--disable-extensions", "--window-size=1280,2000",
                         "--remote-debugging-pipe", "--user-data-dir=" + profile, "about:blank"]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let status = posix_spawn(&pid, executable, &actions, nil, &argv, environ)
        SwiftGlibc.close(browserReads)
        SwiftGlibc.close(browserWrites)
        guard status == 0 else { throw Failure(description: "cannot start chromium: \(String(cString: strerror(status)))") }

        let target = try call("Target.createTarget", ["url": "about:blank"], inSession: false)
        guard let targetID = target["targetId"] as? String else { throw Failure(description: "chromium made no tab: \(target)") }
        let attached = try call("Target.attachToTarget", ["targetId": targetID, "flatten": true], inSession: false)
        guard let session = attached["sessionId"] as? String else { throw Failure(description: "cannot attach to the tab: \(attached)") }
        self.session = session
        _ = try call("Page.enable")
    }

    deinit { quit() }

    /// Ends chromium and removes its profile.
    public func quit() {
        guard pid != 0 else { return }
        _ = try? call("Browser.close", inSession: false, timeoutS: 3)
        var status: Int32 = 0
        let deadline = Date().addingTimeInterval(3)
        while waitpid(pid, &status, WNOHANG) == 0 {
            if Date() > deadline {
                kill(pid, SIGKILL)
                waitpid(pid, &status, 0)
                break
            }
            usleep(20_000)
        }
        pid = 0
        SwiftGlibc.close(writeFD)
        SwiftGlibc.close(readFD)
        try? FileManager.default.removeItem(atPath: profile)
    }

    // MARK: Pages

    /// Opens `url` and waits until the new document has loaded (after any redirects).
    public func open(_ url: String, timeoutS: Double = 20) throws {
        try expectingNewDocument(timeoutS: timeoutS) {
            let result = try call("Page.navigate", ["url": url])
            if let error = result["errorText"] as? String, !error.isEmpty { throw Failure(description: "\(url): \(error)") }
        }
    }

    /// Runs `action` (which starts a navigation) and waits for the next document to load.
    public func expectingNewDocument(timeoutS: Double = 20, _ action: () throws -> Void) throws {
        _ = try evaluate("window.__backstrideOld = true")
        try action()
        try waitUntil("a new page has loaded", timeoutS: timeoutS) {
            try evaluate("window.__backstrideOld !== true && document.readyState === 'complete'") as? Bool == true
        }
    }

    /// The page's address.
    public var location: String { ((try? evaluate("location.href")) as? String) ?? "?" }

    /// The page's visible text.
    public var text: String { ((try? evaluate("document.body ? document.body.innerText : ''")) as? String) ?? "" }

    /// The page's HTML.
    public var html: String { ((try? evaluate("document.documentElement.outerHTML")) as? String) ?? "" }

    /// Logs in through the login form at `base` and waits for the page it leads to.
    public func logIn(base: String, username: String, password: String) throws {
        try open(base + "/login")
        try expectingNewDocument {
            _ = try evaluate("""
                (function () {
                  var form = document.querySelector('form[action="/login"]');
                  form.querySelector('[name=username]').value = \(Self.jsString(username));
                  form.querySelector('[name=password]').value = \(Self.jsString(password));
                  form.submit();
                })()
                """)
        }
        guard !location.hasSuffix("/login") else { throw Failure(description: "login as \(username) failed: \(text)") }
    }

    /// Chooses `path` in the file input matching `selector`.
    public func chooseFile(_ path: String, for selector: String) throws {
        let document = try call("DOM.getDocument", ["depth": 0])
        guard let root = (document["root"] as? [String: Any])?["nodeId"] as? Int else { throw Failure(description: "no document") }
        let found = try call("DOM.querySelector", ["nodeId": root, "selector": selector])
        guard let node = found["nodeId"] as? Int, node != 0 else { throw Failure(description: "no element \(selector) on \(location)") }
        _ = try call("DOM.setFileInputFiles", ["files": [path], "nodeId": node])
    }

    /// Clicks the element matching `selector`.
    public func click(_ selector: String) throws {
        let clicked = try evaluate("(function () { var e = document.querySelector(\(Self.jsString(selector))); if (!e) return false; e.click(); return true; })()")
        guard clicked as? Bool == true else { throw Failure(description: "no element \(selector) on \(location)") }
    }

    /// Saves a PNG screenshot of the page (kept by CI as an artefact).
    public func screenshot(to path: String) throws {
        let shot = try call("Page.captureScreenshot", ["format": "png", "captureBeyondViewport": true])
        guard let base64 = shot["data"] as? String, let data = Data(base64Encoded: base64) else { throw Failure(description: "no screenshot") }
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
    }

    /// Evaluates JavaScript in the page (DevTools' evaluation is not bound by the page's CSP) and
    /// returns its value.
    public func evaluate(_ expression: String) throws -> Any? {
        let reply = try call("Runtime.evaluate", ["expression": expression, "returnByValue": true, "awaitPromise": true])
        if let exception = reply["exceptionDetails"] as? [String: Any] {
            throw Failure(description: "JavaScript failed: \((exception["exception"] as? [String: Any])?["description"] ?? exception)")
        }
        return (reply["result"] as? [String: Any])?["value"]
    }

    /// Polls `condition` every 50 ms until it holds, or throws after `timeoutS`.
    public func waitUntil(_ what: String, timeoutS: Double = 20, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeoutS)
        while Date() < deadline {
            if (try? condition()) == true { return }
            usleep(50_000)
        }
        throw Failure(description: "waited \(timeoutS) s for \(what); at \(location): \(text.prefix(600))")
    }

    public static func jsString(_ text: String) -> String {
        let data = try? JSONSerialization.data(withJSONObject: [text])
        return data.map { String(decoding: $0.dropFirst().dropLast(), as: UTF8.self) } ?? "\"\""
    }

    // MARK: The protocol

    /// Sends one command and returns its result, skipping the events that arrive meanwhile.
    @discardableResult
    public func call(_ method: String, _ params: [String: Any] = [:], inSession: Bool = true, timeoutS: Double = 20) throws -> [String: Any] {
        let id = nextID
        nextID += 1
        var message: [String: Any] = ["id": id, "method": method, "params": params]
        if inSession { message["sessionId"] = session }
        var bytes = [UInt8](try JSONSerialization.data(withJSONObject: message))
        bytes.append(0)
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { write(writeFD, $0.baseAddress, $0.count) }
            guard n > 0 else { throw Failure(description: "chromium closed its pipe (\(method))") }
            written += n
        }
        let deadline = Date().addingTimeInterval(timeoutS)
        while true {
            let reply = try nextMessage(deadline: deadline, waitingFor: method)
            guard reply["id"] as? Int == id else { continue }
            if let error = reply["error"] as? [String: Any] {
                throw Failure(description: "\(method): \(error["message"] ?? error)")
            }
            return reply["result"] as? [String: Any] ?? [:]
        }
    }

    private func nextMessage(deadline: Date, waitingFor method: String) throws -> [String: Any] {
        while true {
            if let end = pending.firstIndex(of: 0) {
                let data = Data(pending[..<end])
                pending.removeSubrange(...end)
                if let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] { return object }
                continue
            }
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { throw Failure(description: "chromium did not answer \(method)") }
            var poller = pollfd(fd: readFD, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32(min(left, 1) * 1000))
            if ready < 0 && errno == EINTR { continue }
            guard ready >= 0 else { throw Failure(description: "poll: \(String(cString: strerror(errno)))") }
            if ready == 0 { continue }
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let n = chunk.withUnsafeMutableBytes { read(readFD, $0.baseAddress, $0.count) }
            guard n > 0 else { throw Failure(description: "chromium exited (while waiting for \(method))") }
            pending.append(contentsOf: chunk[..<n])
        }
    }
}
