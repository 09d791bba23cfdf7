//! The accept loop: HTTP/1.1 connections with a header-read timeout, an idle timeout and
//! connection caps, so idle or trickling sockets cannot exhaust file descriptors and keep
//! `/healthz` (and everyone else) from being answered.
//!
//! - Header-read timeout: the request line and headers must arrive within it, counted from the
//!   moment the connection is ready for a request. hyper applies it before every request, so it
//!   also closes a keep-alive connection that sends nothing after a response.
//! - Idle timeout: a connection with no request being handled and no byte moving in either
//!   direction for this long is closed (a client that stopped reading a response, or a body
//!   that stalled between requests).
//! - Caps: at most `max_connections` open connections in total (never more than the process'
//!   descriptor limit allows) and `max_connections_per_ip` from one address. A connection over
//!   a cap gets a best-effort `503` with `Retry-After` and is closed at once, which frees its
//!   descriptor immediately.

use axum::body::Body;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::collections::HashMap;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinSet;
use tower::ServiceExt;

/// How the accept loop bounds connections.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    pub header_read_timeout: Duration,
    pub idle_timeout: Duration,
    pub max_connections: usize,
    pub max_connections_per_ip: usize,
}

/// Descriptors kept free for the database, the object store and outgoing requests when the
/// connection cap is derived from the descriptor limit.
fn reserved_descriptors(limit: u64) -> u64 {
    (limit / 8).max(128)
}

/// Raises the soft descriptor limit to the hard one (as Go and nginx do) and returns the soft
/// limit in effect, or `None` when it cannot be read.
#[cfg(unix)]
pub fn raise_descriptor_limit() -> Option<u64> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit/setrlimit only read and write the struct passed by pointer.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
            return None;
        }
        if limit.rlim_cur < limit.rlim_max {
            let raised = libc::rlimit {
                rlim_cur: limit.rlim_max,
                rlim_max: limit.rlim_max,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                limit.rlim_cur = limit.rlim_max;
            }
        }
    }
    Some(limit.rlim_cur)
}

#[cfg(not(unix))]
pub fn raise_descriptor_limit() -> Option<u64> {
    None
}

impl ConnectionLimits {
    /// The configured caps, lowered so that connections alone can never use every descriptor.
    pub fn within_descriptor_limit(mut self, descriptor_limit: Option<u64>) -> ConnectionLimits {
        if let Some(limit) = descriptor_limit {
            let usable = limit.saturating_sub(reserved_descriptors(limit)).max(1);
            let usable = usize::try_from(usable).unwrap_or(usize::MAX);
            if self.max_connections > usable {
                tracing::warn!(
                    configured = self.max_connections,
                    effective = usable,
                    descriptor_limit = limit,
                    "connection cap lowered to fit the descriptor limit"
                );
                self.max_connections = usable;
            }
        }
        self.max_connections = self.max_connections.max(1);
        self.max_connections_per_ip = self.max_connections_per_ip.clamp(1, self.max_connections);
        self
    }
}

/// Open connections, in total and per remote address.
#[derive(Default)]
struct Counts {
    total: usize,
    per_ip: HashMap<IpAddr, usize>,
}

/// A connection's place under the caps, given back when dropped.
struct Slot {
    counts: Arc<Mutex<Counts>>,
    ip: IpAddr,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        counts.total = counts.total.saturating_sub(1);
        if let Some(n) = counts.per_ip.get_mut(&self.ip) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                counts.per_ip.remove(&self.ip);
            }
        }
    }
}

fn admit(counts: &Arc<Mutex<Counts>>, ip: IpAddr, limits: &ConnectionLimits) -> Option<Slot> {
    let mut c = counts.lock().unwrap_or_else(|e| e.into_inner());
    let from_ip = c.per_ip.get(&ip).copied().unwrap_or(0);
    if c.total >= limits.max_connections || from_ip >= limits.max_connections_per_ip {
        return None;
    }
    c.total += 1;
    c.per_ip.insert(ip, from_ip + 1);
    Some(Slot {
        counts: counts.clone(),
        ip,
    })
}

/// When the connection last moved a byte, and how many requests it is handling.
struct Activity {
    since: Instant,
    last_ms: AtomicU64,
    in_flight: AtomicUsize,
}

impl Activity {
    fn new() -> Activity {
        Activity {
            since: Instant::now(),
            last_ms: AtomicU64::new(0),
            in_flight: AtomicUsize::new(0),
        }
    }

    fn now_ms(&self) -> u64 {
        u64::try_from(self.since.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    fn touch(&self) {
        self.last_ms.store(self.now_ms(), Ordering::Relaxed);
    }

    /// Zero while a request is being handled: a long parse is not idleness.
    fn idle_for(&self) -> Duration {
        if self.in_flight.load(Ordering::Relaxed) > 0 {
            return Duration::ZERO;
        }
        let last = self.last_ms.load(Ordering::Relaxed);
        Duration::from_millis(self.now_ms().saturating_sub(last))
    }
}

struct InFlight(Arc<Activity>);

impl InFlight {
    fn begin(activity: &Arc<Activity>) -> InFlight {
        activity.in_flight.fetch_add(1, Ordering::Relaxed);
        InFlight(activity.clone())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
        self.0.touch();
    }
}

/// A TCP stream that records when bytes move.
struct Tracked {
    stream: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Tracked {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.stream).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.activity.touch();
        }
        polled
    }
}

impl AsyncWrite for Tracked {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.stream).poll_write(cx, data);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        polled
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.stream).poll_write_vectored(cx, bufs);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

/// Best effort: the client learns why, and when to come back, before the close.
fn over_capacity_response() -> Vec<u8> {
    let body = r#"{"error":{"code":"TOO_MANY_CONNECTIONS","message":"Too many open connections, retry later"}}"#;
    format!(
        "HTTP/1.1 503 Service Unavailable\r\nretry-after: 1\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Serves `router` on `listener` until `shutdown` flips, then lets open requests finish (for at
/// most `grace`).
pub async fn serve(
    listener: TcpListener,
    router: axum::Router,
    limits: ConnectionLimits,
    mut shutdown: watch::Receiver<bool>,
    grace: Duration,
) {
    let counts: Arc<Mutex<Counts>> = Arc::default();
    let mut connections = JoinSet::new();
    let stop = shutdown.clone();
    loop {
        tokio::select! {
            // The guard wait_for returns is not Send: drop it inside.
            _ = async { let _ = shutdown.wait_for(|s| *s).await; } => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => match admit(&counts, peer.ip(), &limits) {
                    Some(slot) => {
                        connections.spawn(connection(stream, peer, router.clone(), limits, slot, stop.clone()));
                    }
                    None => {
                        // The address is personal data: debug level only.
                        tracing::debug!(peer = %peer.ip(), "connection refused: over the connection cap");
                        let _ = stream.try_write(&over_capacity_response());
                    }
                },
                Err(e) => {
                    // Out of descriptors (EMFILE/ENFILE) or a connection reset before accept:
                    // back off briefly instead of spinning, and keep serving.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
        }
    }
    drop(listener);
    let drained = tokio::time::timeout(grace, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        tracing::warn!(
            open = connections.len(),
            "closing connections still open after the grace period"
        );
    }
}

async fn connection(
    stream: TcpStream,
    peer: SocketAddr,
    router: axum::Router,
    limits: ConnectionLimits,
    slot: Slot,
    mut shutdown: watch::Receiver<bool>,
) {
    let activity = Arc::new(Activity::new());
    let io = TokioIo::new(Tracked {
        stream,
        activity: activity.clone(),
    });
    let requests = activity.clone();
    let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
        let in_flight = InFlight::begin(&requests);
        request.extensions_mut().insert(ConnectInfo(peer));
        let router = router.clone();
        async move {
            let response = router.oneshot(request.map(Body::new)).await;
            drop(in_flight);
            response
        }
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .keep_alive(true);
    let conn = builder.serve_connection(io, service);
    tokio::pin!(conn);
    // Checked a few times per timeout, so a connection closes within ~1.25x of it.
    let period = (limits.idle_timeout / 4).clamp(Duration::from_millis(10), Duration::from_secs(5));
    let mut tick = tokio::time::interval(period);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut shutting_down = false;
    loop {
        tokio::select! {
            served = conn.as_mut() => {
                if let Err(e) = served {
                    tracing::debug!(error = %e, "connection ended with an error");
                }
                break;
            }
            _ = async { let _ = shutdown.wait_for(|s| *s).await; }, if !shutting_down => {
                shutting_down = true;
                conn.as_mut().graceful_shutdown();
            }
            _ = tick.tick() => {
                if activity.idle_for() >= limits.idle_timeout {
                    tracing::debug!("closing an idle connection");
                    break;
                }
            }
        }
    }
    drop(slot);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(total: usize, per_ip: usize) -> ConnectionLimits {
        ConnectionLimits {
            header_read_timeout: Duration::from_secs(1),
            idle_timeout: Duration::from_secs(1),
            max_connections: total,
            max_connections_per_ip: per_ip,
        }
    }

    #[test]
    fn caps_count_and_release() {
        let counts: Arc<Mutex<Counts>> = Arc::default();
        let l = limits(3, 2);
        let a: IpAddr = "10.0.0.1".parse().expect("ip");
        let b: IpAddr = "10.0.0.2".parse().expect("ip");
        let a1 = admit(&counts, a, &l).expect("first");
        let _a2 = admit(&counts, a, &l).expect("second");
        assert!(admit(&counts, a, &l).is_none(), "per-address cap");
        let _b1 = admit(&counts, b, &l).expect("other address");
        assert!(admit(&counts, b, &l).is_none(), "total cap");
        drop(a1);
        assert!(admit(&counts, b, &l).is_some(), "a slot was given back");
    }

    #[test]
    fn caps_fit_the_descriptor_limit() {
        let l = limits(100_000, 500_000).within_descriptor_limit(Some(1024));
        assert_eq!(l.max_connections, 1024 - 128);
        assert_eq!(l.max_connections_per_ip, 1024 - 128);
        let l = limits(10, 5).within_descriptor_limit(Some(1_000_000));
        assert_eq!((l.max_connections, l.max_connections_per_ip), (10, 5));
    }
}
