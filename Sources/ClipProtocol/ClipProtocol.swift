/// Placeholder (issue 3): the clip wire protocol.
