//! `Objects` against a real S3-compatible server (moto on loopback): the same put/get/delete
//! behaviour as the local directory, including the error of a missing object.

#[path = "support/moto.rs"]
mod moto;

use bytes::Bytes;
use ledgerlens_store::objects::Objects;
use ledgerlens_store::{ObjectsConfig, S3Config, StoreError};
use moto::MotoServer;

fn config(moto: &MotoServer, bucket: &str, prefix: &str) -> S3Config {
    // Explicit values and no AWS_* environment: tests in one process must not share settings.
    S3Config {
        bucket: bucket.to_owned(),
        prefix: prefix.to_owned(),
        from_env: false,
        endpoint: Some(moto.endpoint.clone()),
        region: Some(moto::REGION.to_owned()),
        access_key_id: Some(moto::ACCESS_KEY_ID.to_owned()),
        secret_access_key: Some(moto::SECRET_ACCESS_KEY.to_owned()),
        allow_http: Some(true),
    }
}

/// The behaviour every backend must share.
async fn round_trip(objects: &Objects) {
    objects.check().await.expect("probe write succeeds");
    let key = "client-1/session-1/statement-1.pdf";
    let body = Bytes::from_static(b"%PDF-1.7 not really a statement");
    objects.put(key, body.clone()).await.expect("put");
    assert_eq!(objects.get(key).await.expect("get"), body);

    objects.delete(key).await.expect("delete");
    assert!(
        matches!(
            objects.get(key).await,
            Err(StoreError::Objects(object_store::Error::NotFound { .. }))
        ),
        "a deleted object reads as NotFound"
    );
    objects
        .delete(key)
        .await
        .expect("deleting a missing object is not an error");
}

#[tokio::test]
async fn s3_round_trip_and_missing_object() {
    let Some(moto) = MotoServer::start() else {
        return;
    };
    moto.create_bucket("ledgerlens-objects");
    let objects =
        Objects::s3(&config(&moto, "ledgerlens-objects", "tenant-a/uploads")).expect("client");
    round_trip(&objects).await;

    // The prefix really scopes the keys: the same key without it is another object.
    objects
        .put("k", Bytes::from_static(b"scoped"))
        .await
        .expect("put");
    let root = Objects::s3(&config(&moto, "ledgerlens-objects", "")).expect("client");
    assert_eq!(
        root.get("tenant-a/uploads/k").await.expect("get"),
        Bytes::from_static(b"scoped")
    );
    assert!(matches!(
        root.get("k").await,
        Err(StoreError::Objects(object_store::Error::NotFound { .. }))
    ));
}

#[tokio::test]
async fn s3_missing_bucket_fails_the_startup_check() {
    let Some(moto) = MotoServer::start() else {
        return;
    };
    let objects = Objects::s3(&config(&moto, "no-such-bucket", "")).expect("client");
    let err = objects.check().await.expect_err("no bucket, no service");
    assert!(matches!(err, StoreError::Objects(_)), "{err:?}");
}

#[tokio::test]
async fn local_directory_behaves_the_same() {
    let dir = std::env::temp_dir().join(format!("ledgerlens-objects-{}", uuid::Uuid::new_v4()));
    let objects = Objects::new(&ObjectsConfig::Local(dir.clone())).expect("local");
    round_trip(&objects).await;
    let _ = std::fs::remove_dir_all(dir);
}
