//! Which addresses outbound requests may reach: `file_url` downloads (in the server) and
//! webhook deliveries (here).
//!
//! A URL a client names is untrusted: unless the deployment allows it, every address that is
//! not publicly routable is refused: loopback, RFC 1918, link-local (the cloud metadata
//! service), unique-local, unspecified and other special-purpose ranges. Host names are
//! resolved by [`GuardedResolver`], which drops refused addresses, and the client connects only
//! to what it returned, so a DNS answer that changes between a check and the connect (DNS
//! rebinding) cannot reach a refused address; IP-literal hosts never reach a resolver and are
//! checked on the URL itself ([`check_target`]), before the first request and on every redirect;
//! the caller checks the peer address of the response once more ([`is_forbidden`]).

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::redirect;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;
use url::{Host, Url};

/// Redirects followed before a download is refused.
pub const MAX_REDIRECTS: usize = 5;

/// Longer `file_url` values are refused without a request.
pub const MAX_URL_LEN: usize = 8 * 1024;

/// An HTTP client that reaches only addresses `allow_private` permits, on every redirect (at
/// most [`MAX_REDIRECTS`]) and through [`GuardedResolver`]; `timeout` bounds a whole request.
/// IP-literal hosts of the first request are the caller's to check ([`check_target`]), and
/// the response's peer address ([`is_forbidden`]). Used for `file_url` downloads and webhooks.
pub fn guarded_client(allow_private: bool, timeout: Duration) -> reqwest::ClientBuilder {
    let policy = redirect::Policy::custom(move |attempt| {
        // `previous` holds the first URL too: the sixth redirect sees six entries.
        if attempt.previous().len() > MAX_REDIRECTS {
            return attempt.error("more than 5 redirects");
        }
        match check_target(attempt.url(), allow_private) {
            Ok(()) => attempt.follow(),
            Err(reason) => attempt.error(reason),
        }
    });
    reqwest::Client::builder()
        // A proxy would resolve and connect on our behalf, past the address checks.
        .no_proxy()
        .redirect(policy)
        .referer(false)
        .dns_resolver(Arc::new(GuardedResolver { allow_private }))
        .connect_timeout(timeout.min(Duration::from_secs(10)))
        .timeout(timeout)
        .user_agent(concat!("ledgerlens/", env!("CARGO_PKG_VERSION")))
}

/// Checks a URL a client registers for later requests (a webhook): http(s), and, unless
/// `allow_private`, a host that is not a refused address and resolves to at least one allowed
/// address now. Delivery checks again (DNS may change in between).
pub async fn check_registered_url(raw: &str, allow_private: bool) -> Result<Url, &'static str> {
    let url = parse_url(raw, allow_private)?;
    if allow_private {
        return Ok(url);
    }
    if let Some(Host::Domain(domain)) = url.host() {
        let name: Name = domain.parse().map_err(|_| "not a host name")?;
        // Bounded: a registration must not hang on a slow resolver.
        let resolved = tokio::time::timeout(
            Duration::from_secs(5),
            GuardedResolver { allow_private }.resolve(name),
        )
        .await;
        match resolved {
            Ok(Ok(_)) => {}
            Ok(Err(_)) => return Err("the host does not resolve to an allowed address"),
            Err(_) => return Err("resolving the host timed out"),
        }
    }
    Ok(url)
}

/// Parses and checks a `file_url` field.
pub fn parse_url(raw: &str, allow_private: bool) -> Result<Url, &'static str> {
    let raw = raw.trim();
    if raw.len() > MAX_URL_LEN {
        return Err("URL too long");
    }
    let url = Url::parse(raw).map_err(|_| "not a URL")?;
    check_target(&url, allow_private)?;
    Ok(url)
}

/// What a URL may point at before any connection: http(s), a host, and no refused IP literal
/// (host names are checked when resolved).
pub fn check_target(url: &Url, allow_private: bool) -> Result<(), &'static str> {
    if !matches!(url.scheme(), "http" | "https") {
        return Err("scheme is not http or https");
    }
    let refused = match url.host() {
        None => return Err("no host"),
        Some(Host::Domain("")) => return Err("no host"),
        Some(Host::Domain(_)) => false,
        Some(Host::Ipv4(ip)) => is_forbidden(IpAddr::V4(ip)),
        Some(Host::Ipv6(ip)) => is_forbidden(IpAddr::V6(ip)),
    };
    if refused && !allow_private {
        return Err("host is a refused address");
    }
    Ok(())
}

/// Addresses a `file_url` may not reach unless private addresses are allowed: everything that
/// is not a public unicast address.
pub fn is_forbidden(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(ip) => forbidden_v4(ip),
        IpAddr::V6(ip) => forbidden_v6(ip),
    }
}

fn forbidden_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0 // "this network"
        || (a == 100 && (b & 0xc0) == 64) // shared address space (carrier-grade NAT)
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 198 && (b & 0xfe) == 18) // benchmarking
        || a >= 240 // reserved
}

fn forbidden_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return forbidden_v4(v4);
    }
    let s = ip.segments();
    let embedded_v4 = |hi: u16, lo: u16| {
        let [a, b] = hi.to_be_bytes();
        let [c, d] = lo.to_be_bytes();
        Ipv4Addr::new(a, b, c, d)
    };
    ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        || s[..6] == [0; 6] // IPv4-compatible (deprecated), with :: and ::1
        || (s[0] & 0xfe00) == 0xfc00 // unique local fc00::/7
        || (s[0] & 0xffc0) == 0xfe80 // link-local fe80::/10
        || (s[0] & 0xffc0) == 0xfec0 // site-local fec0::/10 (deprecated)
        || (s[0] == 0x0100 && s[1..4] == [0; 3]) // discard-only 100::/64
        || (s[0] == 0x2001 && s[1] == 0x0db8) // documentation
        || (s[0] == 0x2001 && s[1] == 0) // Teredo (hides an IPv4 peer)
        || (s[0] == 0x0064 && s[1] == 0xff9b && forbidden_v4(embedded_v4(s[6], s[7]))) // NAT64
        || (s[0] == 0x2002 && forbidden_v4(embedded_v4(s[1], s[2]))) // 6to4
}

/// Resolves with the system resolver and keeps only the addresses a download may reach, so the
/// connection goes to an address that was checked.
#[derive(Debug, Clone, Copy)]
pub struct GuardedResolver {
    pub allow_private: bool,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow_private = self.allow_private;
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let resolved: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let allowed: Vec<SocketAddr> = resolved
                .into_iter()
                .filter(|addr| allow_private || !is_forbidden(addr.ip()))
                .collect();
            if allowed.is_empty() {
                return Err(format!("no address of {host} may be fetched").into());
            }
            let addrs: Addrs = Box::new(allowed.into_iter());
            Ok(addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("ip")
    }

    #[test]
    fn refuses_non_public_addresses() {
        for refused in [
            "127.0.0.1",
            "127.255.0.9",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "0.1.2.3",
            "100.64.0.1",
            "255.255.255.255",
            "224.0.0.1",
            "240.0.0.1",
            "::",
            "::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "::127.0.0.1",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "fec0::1",
            "ff02::1",
            "64:ff9b::a00:1",
            "2002:7f00:1::",
            "2001:db8::1",
        ] {
            assert!(is_forbidden(ip(refused)), "{refused} must be refused");
        }
        for allowed in [
            "8.8.8.8",
            "1.1.1.1",
            "172.32.0.1",
            "100.128.0.1",
            "2606:4700::1111",
            "2a00:1450:4001::200e",
            "64:ff9b::808:808",
        ] {
            assert!(!is_forbidden(ip(allowed)), "{allowed} must be allowed");
        }
    }

    #[test]
    fn checks_scheme_and_literal_hosts() {
        let check = |raw: &str, allow| parse_url(raw, allow).map(|_| ());
        assert!(check("https://example.com/s.pdf?token=x", false).is_ok());
        assert!(check("http://example.com:8080/s.pdf", false).is_ok());
        for bad in [
            "ftp://example.com/s.pdf",
            "file:///etc/passwd",
            "gopher://example.com/",
            "data:application/pdf;base64,JVBERi0=",
            "not a url",
            "http://",
            "//example.com/s.pdf",
            "http://[::1",
        ] {
            assert!(check(bad, true).is_err(), "{bad} must be refused");
        }
        for private in [
            "http://127.0.0.1/s.pdf",
            "http://127.1/s.pdf",
            "http://2130706433/s.pdf",
            "http://0x7f.0.0.1/s.pdf",
            "http://[::1]/s.pdf",
            "http://[::ffff:7f00:1]/s.pdf",
            "http://169.254.169.254/latest/meta-data/",
            "http://10.0.0.1/s.pdf",
            "http://0.0.0.0:8000/s.pdf",
        ] {
            assert!(check(private, false).is_err(), "{private} must be refused");
            assert!(check(private, true).is_ok(), "{private} allowed on request");
        }
        let long = format!("https://example.com/{}", "a".repeat(MAX_URL_LEN));
        assert!(check(&long, true).is_err());
    }

    #[tokio::test]
    async fn the_resolver_drops_refused_addresses() {
        let name: Name = "localhost".parse().expect("name");
        let refused = GuardedResolver {
            allow_private: false,
        }
        .resolve(name)
        .await;
        assert!(refused.is_err(), "localhost resolves only to loopback");
        let name: Name = "localhost".parse().expect("name");
        let allowed = GuardedResolver {
            allow_private: true,
        }
        .resolve(name)
        .await
        .expect("localhost resolves");
        assert!(allowed.into_iter().all(|a| a.ip().is_loopback()));
    }
}
