import BackstrideTestSupport
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// gaitd serves the web pages and API over its store, on the loopback port it is given.
@Suite(.ownThreads) struct GaitdHTTPTests {
    /// A TCP port that was free a moment ago.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        #expect(bound)
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// One HTTP request with URLSession: status and body.
    static func request(_ url: String, method: String = "GET", json: String? = nil, bearer: String? = nil) -> (Int, String) {
        var request = URLRequest(url: URL(string: url)!, timeoutInterval: 5)
        request.httpMethod = method
        if let json {
            request.httpBody = Data(json.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        if let bearer { request.setValue("Bearer \(bearer)", forHTTPHeaderField: "Authorization") }
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result = (0, "")
        URLSession.shared.dataTask(with: request) { data, response, _ in
            result = ((response as? HTTPURLResponse)?.statusCode ?? 0, data.map { String(decoding: $0, as: UTF8.self) } ?? "")
            done.signal()
        }.resume()
        done.wait()
        return result
    }

    @Test func gaitdServesTheLoginPageAndTheAPIOverItsStore() throws {
        let data = try temporaryDirectory() + "/data"
        let port = try Self.freePort()
        let gaitd = try GaitdProcess(dataDirectory: data, arguments: ["--http-port", "\(port)"])
        #expect(waitUntil(timeoutS: 20) { gaitd.log.contains("web pages and API on http://127.0.0.1:\(port)/") }, "\(gaitd.log)")
        let base = "http://127.0.0.1:\(port)"
        var login = (0, "")
        #expect(waitUntil(timeoutS: 20) { login = Self.request(base + "/login"); return login.0 == 200 }, "\(gaitd.log)")
        #expect(login.1.contains("<form") && login.1.contains("csrf_token"))
        // An account made with `gait account add` in the same store logs in to the API.
        let add = try runProcess(Products.gait, ["account", "add", "pia", "--role", "physio", "--database", data + "/backstride.sqlite"],
                                 input: Data("a long enough password\n".utf8))
        #expect(add.status == 0, "\(add.standardError)")
        #expect(Self.request(base + "/api/v1/tokens", method: "POST", json: "{\"username\":\"pia\",\"password\":\"wrong password\"}").0 == 401)
        let token = Self.request(base + "/api/v1/tokens", method: "POST", json: "{\"username\":\"pia\",\"password\":\"a long enough password\"}")
        #expect(token.0 == 201, "\(token.1)")
        let value = try #require((try JSONSerialization.jsonObject(with: Data(token.1.utf8)) as? [String: Any])?["token"] as? String)
        let runners = Self.request(base + "/api/v1/runners", bearer: value)
        #expect(runners.0 == 200 && runners.1 == "[]")
        #expect(gaitd.terminate() == 0, "\(gaitd.log)")
    }
}
