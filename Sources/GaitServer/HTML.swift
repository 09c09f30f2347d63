import GaitReport
import Hummingbird
import SessionStore

/// The pages' HTML: escaping, the common layout and the security headers every page carries.
enum HTML {
    /// Escapes text for HTML element content and attribute values (as the reports do).
    static func escape(_ text: String) -> String { HTMLText.escape(text) }

    /// How a role is named on the pages.
    static func roleName(_ role: AccountRecord.Role) -> String {
        switch role {
        case .runner: "runner"
        case .physio: "physiotherapist"
        case .admin: "administrator"
        }
    }

    /// Headers of every HTML response: scripts only from this site's own files (the upload's
    /// progress), never inline; no framing, no sniffing, no referrer.
    static var securityHeaders: HTTPFields {
        [
            .contentType: "text/html; charset=utf-8",
            .contentSecurityPolicy: "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
            .init("X-Content-Type-Options")!: "nosniff",
            .init("Referrer-Policy")!: "no-referrer",
            .cacheControl: "no-store",
        ]
    }

    /// A complete HTML response.
    static func response(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: securityHeaders, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// A page in the common layout (header with the account and logout, then `body`).
    static func page(title: String, status: HTTPResponse.Status = .ok, account: AccountRecord?, csrf: String? = nil, body: String) -> Response {
        var header = "<a href=\"/\">Backstride</a>"
        if let account {
            header += " · <span>\(escape(account.username)) (\(HTML.roleName(account.role)))</span>"
            switch account.role {
            case .runner: header += " · <a href=\"/clips\">Clips</a> · <a href=\"/account\">Access</a>"
            case .admin: header += " · <a href=\"/admin/unassigned\">Unassigned sessions</a> · <a href=\"/clips\">Clips</a> · <a href=\"/admin/accounts\">Accounts</a>"
            case .physio: break
            }
            header += " · <a href=\"/devices\">Devices</a> · <a href=\"/account/password\">Password</a>"
            if let csrf {
                header += " · <form method=\"post\" action=\"/logout\" class=\"inline\"><input type=\"hidden\" name=\"csrf_token\" value=\"\(escape(csrf))\"><button>Log out</button></form>"
            }
        }
        return response("""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(title)) — Backstride</title>
            <style>
            body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1d2730;background:#f6f7f8}
            header{background:#1d3b53;color:#fff;padding:.6em 1.2em}header a,header span{color:#fff}
            main{max-width:70em;margin:1em auto;padding:0 1.2em}
            table{border-collapse:collapse;background:#fff}td,th{border:1px solid #d5dbe0;padding:.3em .6em;text-align:left}
            .inline{display:inline}.flag-high{color:#a3151b}.flag-moderate{color:#9a5b00}.flag-low{color:#3d5a73}
            form.box{background:#fff;border:1px solid #d5dbe0;padding:1em;max-width:28em}label{display:block;margin:.4em 0}
            .error{color:#a3151b}.note{color:#4a5a68}
            .alert{background:#a3151b;color:#fff;padding:1em;border-radius:.3em;margin:1em 0}.alert button{margin-top:.5em}
            fieldset{border:1px solid #d5dbe0;margin:.6em 0}
            </style></head>
            <body><header>\(header)</header><main>
            \(body)
            </main></body></html>
            """, status: status)
    }
}
