//! Uploaded files in an S3-compatible bucket (moto on loopback), shared by two server processes'
//! worth of state with separate data dirs: the API instance stores the upload, a worker-only
//! instance reads it back to process it, and neither keeps the file on local disk.

mod common;
#[path = "../../store/tests/support/moto.rs"]
mod moto;

use common::{fixture, Db, Harness};
use ledgerlens_server::{ObjectsConfig, S3Config, ServerConfig};
use moto::MotoServer;
use std::path::Path;

fn s3(moto: &MotoServer, bucket: &str) -> ObjectsConfig {
    // Explicit values rather than AWS_* variables: the process environment is shared by tests.
    ObjectsConfig::S3(S3Config {
        bucket: bucket.to_owned(),
        prefix: "ledgerlens-test".to_owned(),
        from_env: false,
        endpoint: Some(moto.endpoint.clone()),
        region: Some(moto::REGION.to_owned()),
        access_key_id: Some(moto::ACCESS_KEY_ID.to_owned()),
        secret_access_key: Some(moto::SECRET_ACCESS_KEY.to_owned()),
        allow_http: Some(true),
    })
}

/// PostgreSQL when it is there (the multi-machine setup), else the first instance's SQLite file.
async fn database() -> Db {
    if common::postgres_reachable().await {
        Db::Postgres
    } else {
        eprintln!("PostgreSQL not reachable; the two instances share a SQLite file instead");
        Db::Sqlite
    }
}

/// A second instance on the first one's database and bucket, with a data dir of its own.
fn worker_config(api: &ServerConfig, objects: ObjectsConfig) -> ServerConfig {
    let mut config = common::config(Db::Sqlite, common::temp_dir());
    config.database_url = Some(api.database_url.clone().unwrap_or_else(|| {
        let file = api.data_dir.join("ledgerlens.sqlite3");
        format!("sqlite://{}?mode=rwc", file.display())
    }));
    config.pg_schema = api.pg_schema.clone();
    config.objects = Some(objects);
    config.workers = 1;
    config
}

fn files_under(dir: &Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |entries| {
        entries
            .flatten()
            .map(|e| match e.file_type() {
                Ok(t) if t.is_dir() => files_under(&e.path()),
                _ => 1,
            })
            .sum()
    })
}

#[tokio::test]
async fn upload_process_and_insights_through_a_bucket() {
    let Some(moto) = MotoServer::start() else {
        return;
    };
    moto.create_bucket("ledgerlens-e2e");
    let mut api_config = common::config(database().await, common::temp_dir());
    api_config.objects = Some(s3(&moto, "ledgerlens-e2e"));
    // Processing happens only in the second instance, which never sees the first one's disk.
    api_config.workers = 0;
    let worker_config = worker_config(&api_config, s3(&moto, "ledgerlens-e2e"));
    let api = Harness::start_with(api_config).await;
    let worker = Harness::start_with(worker_config).await;

    let t = api.tenant("lender").await;
    let (pdf, truth) = fixture("hdfc_classic", 11);
    let sid = api
        .session_for(&t, truth.identity.from_date, truth.identity.to_date)
        .await;
    api.upload_and_process(&t, &sid, &truth.bank, pdf.clone())
        .await;

    let (status, insights) = api.get(&t, &format!("session_data/{sid}/insights/")).await;
    assert_eq!(status, 200, "{insights}");
    assert_eq!(
        insights["accounts"][0]["data"]["transactions"]
            .as_array()
            .map(Vec::len),
        Some(truth.transactions.len()),
        "{insights}"
    );

    // The signed PDF link is served from the bucket too.
    let (status, pdfs) = api.get(&t, &format!("session_data/{sid}/get_pdfs/")).await;
    assert_eq!(status, 200, "{pdfs}");
    let link = pdfs["statements"][0]["pdf_url"].as_str().expect("pdf url");
    let downloaded = api.http.get(link).send().await.expect("download");
    assert_eq!(downloaded.status().as_u16(), 200);
    assert_eq!(downloaded.bytes().await.expect("bytes").to_vec(), pdf);

    for dir in [&api.dir, &worker.dir] {
        assert_eq!(files_under(&dir.join("objects")), 0, "{}", dir.display());
    }
    worker.stop().await;
    api.stop().await;
}

#[tokio::test]
async fn a_missing_bucket_stops_startup_with_a_clear_error() {
    let Some(moto) = MotoServer::start() else {
        return;
    };
    let mut config = common::config(Db::Sqlite, common::temp_dir());
    let dir = config.data_dir.clone();
    config.objects = Some(s3(&moto, "no-such-bucket"));
    let err = match ledgerlens_server::start(config).await {
        Ok(_) => panic!("started without a bucket"),
        Err(e) => format!("{e:#}"),
    };
    eprintln!("startup error: {err}");
    assert!(err.contains("checking the object store"), "{err}");
    assert!(!err.contains(moto::SECRET_ACCESS_KEY), "{err}");
    let _ = std::fs::remove_dir_all(dir);
}
