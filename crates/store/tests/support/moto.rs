//! A real S3-compatible server for tests: moto's `moto_server`, run as a child process on a free
//! loopback port. Shared by ledgerlens-store's and ledgerlens-server's tests (included by path),
//! so it uses nothing but std.
//!
//! Without `moto_server` on PATH the tests skip, unless LEDGERLENS_REQUIRE_S3_TESTS is set (CI
//! sets it, so a missing install fails there instead of passing silently).
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// moto accepts any credentials; these only have to be well-formed.
pub const ACCESS_KEY_ID: &str = "ledgerlens-test-key";
pub const SECRET_ACCESS_KEY: &str = "not-a-real-secret-value";
pub const REGION: &str = "us-east-1";

pub struct MotoServer {
    child: Child,
    pub endpoint: String,
    log: PathBuf,
}

impl MotoServer {
    /// Starts moto, or returns `None` (after saying so) when it is not installed and not required.
    pub fn start() -> Option<MotoServer> {
        let port = free_port();
        let log = std::env::temp_dir().join(format!("ledgerlens-moto-{port}.log"));
        let spawned = std::fs::File::create(&log).and_then(|out| {
            let err = out.try_clone()?;
            Command::new("moto_server")
                .args(["-H", "127.0.0.1", "-p", &port.to_string()])
                .stdin(Stdio::null())
                .stdout(out)
                .stderr(err)
                .spawn()
        });
        let child = match spawned {
            Ok(child) => child,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return skip(),
            Err(e) => panic!("cannot start moto_server: {e}"),
        };
        let server = MotoServer {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
            log,
        };
        server.wait_ready(port);
        Some(server)
    }

    /// Creates a bucket with an unsigned PUT: moto does not check signatures, and this keeps the
    /// helper free of an HTTP client dependency.
    pub fn create_bucket(&self, bucket: &str) {
        let port = self.endpoint.rsplit(':').next().unwrap_or_default();
        let request = format!(
            "PUT /{bucket} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        );
        let status = http_status(&self.endpoint, &request);
        assert_eq!(status.as_deref(), Ok("200"), "creating bucket {bucket}");
    }

    fn wait_ready(&self, port: u16) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        panic!("moto_server did not listen on port {port} within 60 s; its output:\n{log}");
    }
}

impl Drop for MotoServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.log);
    }
}

fn skip() -> Option<MotoServer> {
    if std::env::var_os("LEDGERLENS_REQUIRE_S3_TESTS").is_some() {
        panic!("moto_server not found but LEDGERLENS_REQUIRE_S3_TESTS is set: pip install 'moto[server]'");
    }
    eprintln!("skipped: moto_server not found (pip install 'moto[server]' to run the S3 tests)");
    None
}

/// Asks the OS for a free port; moto binds it a moment later (a race other tests rarely win).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// Sends one raw HTTP/1.1 request and returns the response's status code.
fn http_status(endpoint: &str, request: &str) -> Result<String, String> {
    let addr = endpoint.trim_start_matches("http://");
    let mut stream = TcpStream::connect(addr).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .map_err(|e| e.to_string())?;
    stream
        .write_all(request.as_bytes())
        .map_err(|e| e.to_string())?;
    let mut response = String::new();
    stream
        .read_to_string(&mut response)
        .map_err(|e| e.to_string())?;
    response
        .split_whitespace()
        .nth(1)
        .map(str::to_owned)
        .ok_or_else(|| format!("not an HTTP response: {response:?}"))
}
