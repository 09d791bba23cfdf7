//! Connection hardening against the real server on loopback: a flood of idle sockets is capped
//! per address and closed by the header-read timeout while other clients' health checks keep
//! being answered; trickled headers, idle keep-alive connections and silent sockets are closed
//! by their timeouts.

mod common;

use common::{config, temp_dir, Db, Harness};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

/// Generous upper bound for anything that should happen "at once" or "after a timeout".
const MARGIN: Duration = Duration::from_secs(8);

async fn connect_from(source: Ipv4Addr, addr: SocketAddr) -> TcpStream {
    let socket = TcpSocket::new_v4().expect("socket");
    socket
        .bind(SocketAddr::new(IpAddr::V4(source), 0))
        .expect("bind source address");
    socket.connect(addr).await.expect("connect")
}

/// Reads until the server closes; returns what it sent and when it closed (None: still open at
/// `deadline`).
async fn read_until_closed(mut stream: TcpStream, deadline: Instant) -> (Vec<u8>, Option<Instant>) {
    let mut received = Vec::new();
    let mut buf = [0_u8; 1024];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, stream.read(&mut buf)).await {
            Err(_) => return (received, None),
            Ok(Ok(0)) | Ok(Err(_)) => return (received, Some(Instant::now())),
            Ok(Ok(n)) => received.extend_from_slice(&buf[..n]),
        }
    }
}

async fn health_from(source: Ipv4Addr, base: &str) -> u16 {
    let client = reqwest::Client::builder()
        .local_address(IpAddr::V4(source))
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client");
    match client.get(format!("{base}/healthz")).send().await {
        Ok(r) => r.status().as_u16(),
        Err(_) => 0,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_flood_is_capped_and_closed_while_health_answers() {
    const PER_IP: usize = 50;
    const FLOOD: usize = 120;
    let header_timeout = Duration::from_secs(3);
    let mut c = config(Db::Sqlite, temp_dir());
    c.header_read_timeout = header_timeout;
    c.idle_timeout = Duration::from_secs(30);
    c.max_connections = 200;
    c.max_connections_per_ip = PER_IP;
    let h = Harness::start_with(c).await;
    let addr = h.server.addr;
    let attacker = Ipv4Addr::new(127, 0, 0, 1);
    let started = Instant::now();
    let mut sockets = Vec::with_capacity(FLOOD);
    for _ in 0..FLOOD {
        sockets.push(connect_from(attacker, addr).await);
    }
    // Another client is still served while the flood holds its address' whole share.
    assert_eq!(health_from(Ipv4Addr::new(127, 0, 0, 2), &h.base).await, 200);
    let deadline = started + header_timeout + MARGIN;
    let reads: Vec<_> = sockets
        .into_iter()
        .map(|s| tokio::spawn(read_until_closed(s, deadline)))
        .collect();
    let (mut refused, mut timed_out) = (0, 0);
    for read in reads {
        let (received, closed) = read.await.expect("reader");
        let closed = closed.expect("every idle socket is closed within the timeout and margin");
        if received.starts_with(b"HTTP/1.1 503") {
            let text = String::from_utf8_lossy(&received).to_ascii_lowercase();
            assert!(text.contains("retry-after: 1"), "{text}");
            assert!(text.contains("too_many_connections"), "{text}");
            refused += 1;
        } else {
            // Held until the header-read timeout: never closed before a good part of it passed.
            assert!(
                closed.duration_since(started) >= Duration::from_secs(1),
                "an admitted socket closed after {:?}",
                closed.duration_since(started)
            );
            timed_out += 1;
        }
    }
    assert_eq!((timed_out, refused), (PER_IP, FLOOD - PER_IP));
    // The flood's slots were given back: its own address is served again.
    assert_eq!(health_from(attacker, &h.base).await, 200);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trickled_headers_and_idle_keep_alive_are_closed() {
    let header_timeout = Duration::from_secs(2);
    let mut c = config(Db::Sqlite, temp_dir());
    c.header_read_timeout = header_timeout;
    c.idle_timeout = Duration::from_secs(60);
    let h = Harness::start_with(c).await;
    let addr = h.server.addr;

    // Slowloris: one header byte every 100 ms never completes the request in time.
    let mut slow = TcpStream::connect(addr).await.expect("connect");
    let started = Instant::now();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .expect("write");
    let mut closed_after = None;
    for _ in 0..((header_timeout + MARGIN).as_millis() / 100) {
        tokio::time::sleep(Duration::from_millis(100)).await;
        if slow.write_all(b"X").await.is_err() {
            closed_after = Some(started.elapsed());
            break;
        }
        let mut probe = [0_u8; 64];
        if let Ok(Ok(0)) =
            tokio::time::timeout(Duration::from_millis(1), slow.read(&mut probe)).await
        {
            closed_after = Some(started.elapsed());
            break;
        }
    }
    let closed_after = closed_after.expect("a trickled header is cut off");
    assert!(
        closed_after >= header_timeout - Duration::from_millis(200),
        "{closed_after:?}"
    );

    // A keep-alive connection that sends nothing after its response is closed too.
    let mut kept = TcpStream::connect(addr).await.expect("connect");
    kept.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .expect("write");
    let answered = Instant::now();
    let (received, closed) = read_until_closed(kept, answered + header_timeout + MARGIN).await;
    assert!(
        received.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&received)
    );
    let closed = closed.expect("an idle keep-alive connection is closed");
    assert!(closed.duration_since(answered) >= header_timeout - Duration::from_millis(200));
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_timeout_closes_silent_sockets_first() {
    let idle = Duration::from_secs(1);
    let mut c = config(Db::Sqlite, temp_dir());
    c.header_read_timeout = Duration::from_secs(120);
    c.idle_timeout = idle;
    let h = Harness::start_with(c).await;
    let started = Instant::now();
    let silent = TcpStream::connect(h.server.addr).await.expect("connect");
    let (_, closed) = read_until_closed(silent, started + idle + MARGIN).await;
    let closed = closed.expect("a silent socket is closed by the idle timeout");
    assert!(closed.duration_since(started) >= idle - Duration::from_millis(100));
    assert_eq!(health_from(Ipv4Addr::LOCALHOST, &h.base).await, 200);
    h.stop().await;
}
