//! Uploaded files behind the `object_store` abstraction: a local directory (the zero-configuration
//! default) or an S3-compatible bucket, which lets API and worker processes on several machines
//! share the files. Callers see the same put/get/delete API either way.

use crate::{Result, StoreError};
use bytes::Bytes;
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::path::Path as ObjectPath;
use object_store::prefix::PrefixStore;
use object_store::{ObjectStore, PutPayload};
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A misconfigured endpoint is retried for minutes by `object_store`; the startup check gives up
/// sooner so a bad deployment fails while someone is watching.
const CHECK_TIMEOUT: Duration = Duration::from_secs(30);

/// Where uploaded files live.
#[derive(Debug, Clone)]
pub enum ObjectsConfig {
    /// A directory on this machine.
    Local(PathBuf),
    /// An S3-compatible bucket (AWS S3, MinIO, Cloudflare R2, …).
    S3(S3Config),
}

impl ObjectsConfig {
    /// Parses the `LEDGERLENS_OBJECT_STORE` value: `s3://bucket[/prefix]`, with endpoint, region
    /// and credentials from the standard `AWS_*` environment variables.
    pub fn from_url(url: &str) -> Result<ObjectsConfig> {
        Ok(ObjectsConfig::S3(S3Config::from_url(url)?))
    }
}

/// An S3-compatible bucket. Fields left `None` fall back to the `AWS_*` variables when
/// `from_env` is set, else to `object_store`'s defaults (region `us-east-1`, HTTPS only).
#[derive(Clone, Default)]
pub struct S3Config {
    pub bucket: String,
    /// Key prefix inside the bucket, without leading or trailing `/`; empty for the bucket root.
    pub prefix: String,
    /// Read `AWS_ENDPOINT_URL`, `AWS_REGION`, `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
    /// `AWS_ALLOW_HTTP`, `AWS_SESSION_TOKEN`, … first; explicit fields below win.
    pub from_env: bool,
    pub endpoint: Option<String>,
    pub region: Option<String>,
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<String>,
    pub allow_http: Option<bool>,
}

/// Hand-written so that a logged configuration never shows the secret key.
impl fmt::Debug for S3Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("S3Config")
            .field("bucket", &self.bucket)
            .field("prefix", &self.prefix)
            .field("from_env", &self.from_env)
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("access_key_id", &self.access_key_id)
            .field(
                "secret_access_key",
                &self.secret_access_key.as_ref().map(|_| "<redacted>"),
            )
            .field("allow_http", &self.allow_http)
            .finish()
    }
}

impl S3Config {
    /// `s3://bucket[/prefix]`. Credentials in the URL are refused (they would end up in shell
    /// history and process listings); the error messages never repeat the URL for that reason.
    pub fn from_url(url: &str) -> Result<S3Config> {
        let url = url.trim();
        let rest = url
            .get(..5)
            .filter(|scheme| scheme.eq_ignore_ascii_case("s3://"))
            .and_then(|_| url.get(5..))
            .ok_or_else(|| bad_url("it must start with s3://"))?;
        let rest = rest.trim_end_matches('/');
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        if bucket.contains('@') || bucket.contains(':') {
            return Err(bad_url(
                "put credentials and endpoints in AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_ENDPOINT_URL, not in the URL",
            ));
        }
        if !valid_bucket_name(bucket) {
            return Err(bad_url(
                "the bucket name must be 3-63 characters of a-z, 0-9, '.', '-' or '_'",
            ));
        }
        // `parse` quietly drops a leading `/`; a prefix that does not survive unchanged is refused.
        let parsed =
            ObjectPath::parse(prefix).map_err(|e| bad_url(&format!("invalid prefix: {e}")))?;
        if parsed.as_ref() != prefix {
            return Err(bad_url("the prefix must not contain empty segments"));
        }
        Ok(S3Config {
            bucket: bucket.to_owned(),
            prefix: prefix.to_owned(),
            from_env: true,
            ..S3Config::default()
        })
    }

    fn builder(&self) -> AmazonS3Builder {
        let mut builder = if self.from_env {
            AmazonS3Builder::from_env()
        } else {
            AmazonS3Builder::new()
        };
        builder = builder.with_bucket_name(&self.bucket);
        if let Some(endpoint) = &self.endpoint {
            builder = builder.with_endpoint(endpoint);
        }
        if let Some(region) = &self.region {
            builder = builder.with_region(region);
        }
        if let Some(key) = &self.access_key_id {
            builder = builder.with_access_key_id(key);
        }
        if let Some(secret) = &self.secret_access_key {
            builder = builder.with_secret_access_key(secret);
        }
        if let Some(allow_http) = self.allow_http {
            builder = builder.with_allow_http(allow_http);
        }
        builder
    }
}

fn bad_url(why: &str) -> StoreError {
    StoreError::Config(format!(
        "object store URL must look like s3://bucket[/prefix]: {why}"
    ))
}

/// S3's rules, relaxed to also allow `_` (accepted by MinIO and older AWS regions).
fn valid_bucket_name(bucket: &str) -> bool {
    (3..=63).contains(&bucket.len())
        && bucket
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_'))
}

pub struct Objects {
    inner: Box<dyn ObjectStore>,
}

impl Objects {
    pub fn new(config: &ObjectsConfig) -> Result<Objects> {
        match config {
            ObjectsConfig::Local(dir) => Objects::local(dir),
            ObjectsConfig::S3(s3) => Objects::s3(s3),
        }
    }

    pub fn local(dir: &Path) -> Result<Objects> {
        std::fs::create_dir_all(dir).map_err(|e| {
            StoreError::Config(format!("cannot create object dir {}: {e}", dir.display()))
        })?;
        let fs = LocalFileSystem::new_with_prefix(dir)?;
        Ok(Objects {
            inner: Box::new(fs),
        })
    }

    /// Builds the client only; nothing is sent until the first request (see [`Objects::check`]).
    pub fn s3(config: &S3Config) -> Result<Objects> {
        let s3 = config.builder().build().map_err(|e| {
            StoreError::Config(format!(
                "S3 object store (bucket {}; check the AWS_* variables): {e}",
                config.bucket
            ))
        })?;
        let inner: Box<dyn ObjectStore> = if config.prefix.is_empty() {
            Box::new(s3)
        } else {
            let prefix = ObjectPath::parse(&config.prefix)
                .map_err(|e| StoreError::Config(format!("invalid object key prefix: {e}")))?;
            Box::new(PrefixStore::new(s3, prefix))
        };
        Ok(Objects { inner })
    }

    /// Writes and deletes a probe object, so wrong endpoints, credentials or bucket names stop
    /// the service at startup instead of failing the first upload.
    pub async fn check(&self) -> Result<()> {
        let key = format!("ledgerlens-probe-{}", uuid::Uuid::new_v4().simple());
        let probe = async {
            self.put(&key, Bytes::from_static(b"probe")).await?;
            self.delete(&key).await
        };
        tokio::time::timeout(CHECK_TIMEOUT, probe)
            .await
            .map_err(|_| {
                StoreError::Config(format!(
                    "the object store did not answer within {} s",
                    CHECK_TIMEOUT.as_secs()
                ))
            })?
    }

    pub async fn put(&self, key: &str, bytes: Bytes) -> Result<()> {
        self.inner
            .put(&ObjectPath::from(key), PutPayload::from_bytes(bytes))
            .await?;
        Ok(())
    }

    /// A missing key is `StoreError::Objects(object_store::Error::NotFound { .. })` for every
    /// backend.
    pub async fn get(&self, key: &str) -> Result<Bytes> {
        Ok(self
            .inner
            .get(&ObjectPath::from(key))
            .await?
            .bytes()
            .await?)
    }

    /// Keys of the objects last written before `cutoff_ms` (Unix milliseconds), walked level by
    /// level (one listing per directory or key prefix).
    pub async fn keys_older_than(&self, cutoff_ms: i64) -> Result<Vec<String>> {
        let mut keys = Vec::new();
        let mut pending: Vec<Option<ObjectPath>> = vec![None];
        while let Some(prefix) = pending.pop() {
            let listed = self.inner.list_with_delimiter(prefix.as_ref()).await?;
            pending.extend(listed.common_prefixes.into_iter().map(Some));
            keys.extend(
                listed
                    .objects
                    .into_iter()
                    .filter(|o| o.last_modified.timestamp_millis() < cutoff_ms)
                    .map(|o| o.location.to_string()),
            );
        }
        Ok(keys)
    }

    pub async fn delete(&self, key: &str) -> Result<()> {
        match self.inner.delete(&ObjectPath::from(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_bucket_and_prefix() {
        let c = S3Config::from_url("s3://statements/prod/uploads/").expect("valid");
        assert_eq!(
            (c.bucket.as_str(), c.prefix.as_str()),
            ("statements", "prod/uploads")
        );
        assert!(c.from_env);
        let c = S3Config::from_url("S3://statements").expect("valid");
        assert_eq!((c.bucket.as_str(), c.prefix.as_str()), ("statements", ""));
    }

    #[test]
    fn rejects_bad_urls_without_echoing_them() {
        for url in [
            "",
            "statements",
            "https://s3.example.com/b",
            "s3://",
            "s3://AB",
            "s3://AKIAEXAMPLE:hunter2@bucket/x",
            "s3://bucket//double",
        ] {
            match S3Config::from_url(url) {
                Err(StoreError::Config(message)) => {
                    assert!(!message.contains("hunter2"), "{message}");
                }
                other => panic!("{url:?} accepted: {other:?}"),
            }
        }
    }

    #[test]
    fn debug_hides_the_secret() {
        let c = S3Config {
            bucket: "b".into(),
            secret_access_key: Some("hunter2".into()),
            ..S3Config::default()
        };
        assert!(!format!("{c:?}").contains("hunter2"));
    }

    #[test]
    fn bad_environment_values_fail_at_build_time() {
        let c = S3Config {
            bucket: "bucket".into(),
            access_key_id: Some("id".into()),
            ..S3Config::default()
        };
        // A key id without its secret is a configuration error, reported before any request.
        assert!(matches!(Objects::s3(&c), Err(StoreError::Config(_))));
    }
}
