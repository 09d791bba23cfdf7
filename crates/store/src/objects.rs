//! Uploaded files behind the `object_store` abstraction: a local directory today; an
//! S3-compatible bucket later is a different constructor, not a different API.

use crate::{Result, StoreError};
use bytes::Bytes;
use object_store::local::LocalFileSystem;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, PutPayload};
use std::path::Path;

pub struct Objects {
    inner: Box<dyn ObjectStore>,
}

impl Objects {
    pub fn local(dir: &Path) -> Result<Objects> {
        std::fs::create_dir_all(dir).map_err(|e| {
            StoreError::Config(format!("cannot create object dir {}: {e}", dir.display()))
        })?;
        let fs = LocalFileSystem::new_with_prefix(dir)?;
        Ok(Objects {
            inner: Box::new(fs),
        })
    }

    pub async fn put(&self, key: &str, bytes: Bytes) -> Result<()> {
        self.inner
            .put(&ObjectPath::from(key), PutPayload::from_bytes(bytes))
            .await?;
        Ok(())
    }

    pub async fn get(&self, key: &str) -> Result<Bytes> {
        Ok(self
            .inner
            .get(&ObjectPath::from(key))
            .await?
            .bytes()
            .await?)
    }

    pub async fn delete(&self, key: &str) -> Result<()> {
        match self.inner.delete(&ObjectPath::from(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }
}
