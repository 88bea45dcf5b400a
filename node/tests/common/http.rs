//! A minimal HTTP/1.1 JSON-RPC client over one keep-alive connection: enough to send exactly
//! the bytes a test wants (malformed JSON included) and read the status and body back.

use std::{
	io::{BufRead, BufReader, Read, Write},
	net::{SocketAddr, TcpStream},
};

/// One keep-alive connection to a JSON-RPC server.
pub struct Client {
	reader: BufReader<TcpStream>,
	writer: TcpStream,
	host: String,
}

impl Client {
	/// Connects to `addr`.
	pub fn connect(addr: SocketAddr) -> std::io::Result<Self> {
		let stream = TcpStream::connect(addr)?;
		stream.set_nodelay(true)?;
		Ok(Self {
			writer: stream.try_clone()?,
			reader: BufReader::new(stream),
			host: addr.to_string(),
		})
	}

	/// POSTs `body` and returns the status code and the response body.
	pub fn post(&mut self, body: &[u8]) -> std::io::Result<(u16, String)> {
		let head = format!(
			"POST / HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
			self.host,
			body.len()
		);
		self.writer.write_all(head.as_bytes())?;
		// a server refusing an oversized body answers and closes before reading it all: the
		// answer is still there to read
		let sent = self.writer.write_all(body);
		let mut status_line = String::new();
		self.reader.read_line(&mut status_line)?;
		if status_line.is_empty() {
			sent?;
		}
		let status =
			status_line.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
		let mut length = 0usize;
		loop {
			let mut line = String::new();
			self.reader.read_line(&mut line)?;
			let line = line.trim_end();
			if line.is_empty() {
				break;
			}
			if let Some((name, value)) = line.split_once(':') {
				if name.eq_ignore_ascii_case("content-length") {
					length = value.trim().parse().unwrap_or(0);
				}
			}
		}
		let mut body = vec![0; length];
		self.reader.read_exact(&mut body)?;
		Ok((status, String::from_utf8_lossy(&body).into_owned()))
	}

	/// Calls `method` with `params` and returns the parsed response object.
	pub fn call(&mut self, method: &str, params: serde_json::Value) -> serde_json::Value {
		let request =
			serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
		let (_, body) = self.post(request.to_string().as_bytes()).expect("the server answers");
		serde_json::from_str(&body).expect("the answer is JSON")
	}
}
