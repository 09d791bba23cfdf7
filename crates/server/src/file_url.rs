//! Downloading the statement named by an upload's `file_url` (instead of a `file` part).
//!
//! The URL is untrusted input fetched from inside the lender's network, so the download is
//! bounded (total time, body size, redirects) and, unless the deployment allows it, refuses
//! every address that is not publicly routable: loopback, RFC 1918, link-local (the cloud
//! metadata service), unique-local, unspecified and other special-purpose ranges. That address
//! policy (`ledgerlens_processing::outbound`, shared with webhook delivery) resolves host names
//! to allowed addresses only and connects to what it returned, so a DNS answer that changes
//! between a check and the connect (DNS rebinding) cannot reach a refused address; IP-literal
//! hosts are checked on the URL itself, before the first request and on every redirect; the
//! peer address of the response is checked once more here.
//!
//! Every failure answers `INVALID_FILE_URL` (400), except a body over the upload limit, which
//! answers `FILE_TOO_LARGE` (413) like a too-large direct upload. The cause is logged at debug
//! level with the URL reduced to scheme, host, port and path: query strings often carry signed
//! tokens. The body is never logged.

use crate::errors::{ApiError, ApiResult};
use bytes::Bytes;
use ledgerlens_processing::outbound::{guarded_client, is_forbidden, parse_url};
use std::sync::OnceLock;
use std::time::Duration;
use url::Url;

/// A downloaded statement: the bytes and the file name the URL's last path segment suggests.
#[derive(Debug, Clone)]
pub struct Downloaded {
    pub bytes: Bytes,
    pub file_name: Option<String>,
}

/// Fetches `file_url`s; one per process, its HTTP client built on first use.
pub struct FileUrlFetcher {
    allow_private: bool,
    timeout: Duration,
    client: OnceLock<Result<reqwest::Client, String>>,
}

impl std::fmt::Debug for FileUrlFetcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileUrlFetcher")
            .field("allow_private", &self.allow_private)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

fn invalid_file_url() -> ApiError {
    ApiError::bad_request("INVALID_FILE_URL", "This file url is invalid")
}

impl FileUrlFetcher {
    /// `allow_private` also lets URLs reach loopback and private addresses; `timeout` bounds a
    /// whole download (connect, redirects and body).
    pub fn new(allow_private: bool, timeout: Duration) -> FileUrlFetcher {
        FileUrlFetcher {
            allow_private,
            timeout,
            client: OnceLock::new(),
        }
    }

    fn client(&self) -> ApiResult<&reqwest::Client> {
        let built = self.client.get_or_init(|| {
            guarded_client(self.allow_private, self.timeout)
                .build()
                .map_err(|e| e.without_url().to_string())
        });
        built.as_ref().map_err(|e| {
            tracing::error!(error = %e, "cannot build the file_url HTTP client");
            invalid_file_url()
        })
    }

    /// Downloads `raw` (at most `limit` bytes).
    pub async fn fetch(&self, raw: &str, limit: usize) -> ApiResult<Downloaded> {
        let url = parse_url(raw, self.allow_private).map_err(|reason| {
            tracing::debug!(reason, "file_url refused");
            invalid_file_url()
        })?;
        let client = self.client()?;
        let shown = redacted(&url);
        // reqwest's own timeout covers connect, redirects and the body; this one also covers
        // anything it might not (a resolver stuck in the system's getaddrinfo).
        let backstop = self.timeout + Duration::from_secs(1);
        match tokio::time::timeout(backstop, self.download(client, url, limit, &shown)).await {
            Ok(result) => result,
            Err(_) => {
                tracing::debug!(url = %shown, "file_url download timed out");
                Err(invalid_file_url())
            }
        }
    }

    async fn download(
        &self,
        client: &reqwest::Client,
        url: Url,
        limit: usize,
        shown: &str,
    ) -> ApiResult<Downloaded> {
        let failed = |e: reqwest::Error| {
            tracing::debug!(url = %shown, error = %error_chain(e), "file_url download failed");
            invalid_file_url()
        };
        let mut response = client.get(url).send().await.map_err(failed)?;
        if !self.allow_private {
            if let Some(peer) = response.remote_addr().filter(|a| is_forbidden(a.ip())) {
                tracing::debug!(url = %shown, peer = %peer.ip(), "file_url reached a refused address");
                return Err(invalid_file_url());
            }
        }
        let status = response.status();
        if !status.is_success() {
            tracing::debug!(url = %shown, status = status.as_u16(), "file_url answered an error status");
            return Err(invalid_file_url());
        }
        if response
            .content_length()
            .is_some_and(|len| len > limit as u64)
        {
            tracing::debug!(url = %shown, limit, "file_url body declared over the upload limit");
            return Err(ApiError::payload_too_large(limit));
        }
        let file_name = file_name(response.url());
        let mut body = Vec::with_capacity(
            response
                .content_length()
                .map_or(0, |len| usize::try_from(len).unwrap_or(limit).min(limit)),
        );
        while let Some(chunk) = response.chunk().await.map_err(failed)? {
            if body.len() + chunk.len() > limit {
                tracing::debug!(url = %shown, limit, "file_url body over the upload limit");
                return Err(ApiError::payload_too_large(limit));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Downloaded {
            bytes: Bytes::from(body),
            file_name,
        })
    }
}

/// Scheme, host, port and path: what a log may show of a URL.
fn redacted(url: &Url) -> String {
    let host = url.host_str().unwrap_or("");
    match url.port() {
        Some(port) => format!("{}://{host}:{port}{}", url.scheme(), url.path()),
        None => format!("{}://{host}{}", url.scheme(), url.path()),
    }
}

/// An error and its causes, without the URL (it may carry a signed token).
fn error_chain(error: reqwest::Error) -> String {
    let error = error.without_url();
    let mut text = error.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// The last path segment, percent-decoded, as the statement's file name.
fn file_name(url: &Url) -> Option<String> {
    let segment = url.path_segments()?.next_back()?;
    let decoded = percent_decode(segment);
    let name: String = decoded
        .trim()
        .chars()
        .filter(|c| !c.is_control())
        .take(255)
        .collect();
    Some(name).filter(|n| !n.is_empty())
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let hex = |b: u8| char::from(b).to_digit(16);
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logs_and_names_leave_out_the_query() {
        let url = Url::parse(
            "https://bucket.example.com:8443/a/My%20Statement.pdf?X-Amz-Signature=secret",
        )
        .expect("url");
        assert_eq!(
            redacted(&url),
            "https://bucket.example.com:8443/a/My%20Statement.pdf"
        );
        assert_eq!(file_name(&url).as_deref(), Some("My Statement.pdf"));
        let bare = Url::parse("https://example.com/").expect("url");
        assert_eq!(file_name(&bare), None);
        assert_eq!(percent_decode("a%2"), "a%2");
        assert_eq!(percent_decode("%e2%82%ac%zz"), "€%zz");
    }
}
