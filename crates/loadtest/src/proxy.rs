//! A TCP proxy in front of PostgreSQL, so the chaos run can take the database away without
//! restarting a server other work on the machine uses: an outage cuts every open connection and
//! refuses new ones until it ends, which is what the processes see of a database restart.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

pub struct DbProxy {
    pub port: u16,
    down: Arc<AtomicBool>,
    cut: watch::Sender<u64>,
}

impl DbProxy {
    /// Listens on a free loopback port and forwards to `upstream`.
    pub async fn start(upstream: SocketAddr) -> anyhow::Result<DbProxy> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let port = listener.local_addr()?.port();
        let down = Arc::new(AtomicBool::new(false));
        let (cut, cuts) = watch::channel(0u64);
        let refusing = down.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                if refusing.load(Ordering::SeqCst) {
                    drop(client);
                    continue;
                }
                tokio::spawn(forward(client, upstream, cuts.clone()));
            }
        });
        Ok(DbProxy { port, down, cut })
    }

    /// Cuts every connection and refuses new ones for `length` (blocking the calling thread).
    pub fn outage(&self, length: Duration) {
        self.down.store(true, Ordering::SeqCst);
        self.cut.send_modify(|n| *n += 1);
        std::thread::sleep(length);
        self.down.store(false, Ordering::SeqCst);
    }
}

async fn forward(mut client: TcpStream, upstream: SocketAddr, mut cuts: watch::Receiver<u64>) {
    let Ok(mut server) = TcpStream::connect(upstream).await else {
        return;
    };
    cuts.mark_unchanged();
    tokio::select! {
        _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
        _ = cuts.changed() => {}
    }
}

/// The address a postgres:// URL points at.
pub fn upstream(url: &str) -> anyhow::Result<SocketAddr> {
    let parsed = reqwest::Url::parse(url)?;
    let host = parsed.host_str().unwrap_or("127.0.0.1").to_owned();
    let port = parsed.port().unwrap_or(5432);
    std::net::ToSocketAddrs::to_socket_addrs(&(host.as_str(), port))?
        .next()
        .ok_or_else(|| anyhow::anyhow!("{host} does not resolve"))
}

/// `url` pointing at the proxy instead.
pub fn rewrite(url: &str, port: u16) -> anyhow::Result<String> {
    let mut parsed = reqwest::Url::parse(url)?;
    parsed
        .set_host(Some("127.0.0.1"))
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    parsed
        .set_port(Some(port))
        .map_err(|()| anyhow::anyhow!("cannot set the port"))?;
    Ok(parsed.to_string())
}
