//! Secrets at rest: a private data dir (0700) with private files (0600), refusal to start on a
//! group/world-readable key, and PDF passwords encrypted in the database (get_pdfs still gives
//! them back), including a key rotation.

mod common;

use common::{config, temp_dir, Db, Harness, Tenant};
use ledgerlens_fixtures::{encrypted, Encryption};
use serde_json::Value;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

const LAYOUT: &str = "hdfc_classic";

fn mode(path: &Path) -> u32 {
    std::fs::symlink_metadata(path)
        .expect("metadata")
        .permissions()
        .mode()
        & 0o777
}

/// Every file and directory under `dir`, itself included.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut all = vec![dir.to_owned()];
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path.clone());
            }
            all.push(path);
        }
    }
    all
}

async fn upload_locked(h: &Harness, t: &Tenant, seed: u64) -> (String, String) {
    let locked = encrypted(LAYOUT, seed, Encryption::Aes256).expect("qpdf encrypts");
    let truth = &locked.truth;
    let sid = h
        .session_for(t, truth.identity.from_date, truth.identity.to_date)
        .await;
    let form = reqwest::multipart::Form::new()
        .part(
            "file",
            reqwest::multipart::Part::bytes(locked.pdf.clone()).file_name("locked.pdf"),
        )
        .text("bank_name", truth.bank.clone())
        .text("session_id", sid.clone())
        .text("pdf_password", locked.user_password.clone());
    let r = h
        .http
        .post(h.url("statement/upload_session/"))
        .header("x-api-key", &t.api_key)
        .multipart(form)
        .send()
        .await
        .expect("send");
    let status = r.status().as_u16();
    let body: Value = r.json().await.unwrap_or(Value::Null);
    assert_eq!(status, 200, "{body}");
    let path = format!("session_data/{sid}/initiate_processing/");
    assert_eq!(h.post(t, &path, serde_json::json!({})).await.0, 202);
    h.wait_processed(t, &sid).await;
    (sid, locked.user_password)
}

async fn pdf_passwords(h: &Harness, t: &Tenant, sid: &str) -> Vec<Value> {
    let (status, body) = h.get(t, &format!("session_data/{sid}/get_pdfs/")).await;
    assert_eq!(status, 200, "{body}");
    body["statements"]
        .as_array()
        .expect("statements")
        .iter()
        .map(|s| s["pdf_password"].clone())
        .collect()
}

/// The raw bytes of every file of the data dir (database, WAL, objects, keys).
fn raw_contains(dir: &Path, needle: &[u8]) -> Vec<PathBuf> {
    walk(dir)
        .into_iter()
        .filter(|p| p.is_file())
        .filter(|p| {
            std::fs::read(p)
                .map(|bytes| bytes.windows(needle.len()).any(|w| w == needle))
                .unwrap_or(false)
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn data_dir_is_private_and_passwords_are_encrypted() {
    let h = Harness::start(Db::Sqlite).await;
    let t = h.tenant("lender").await;
    let (sid, password) = upload_locked(&h, &t, 7319).await;
    assert_eq!(
        pdf_passwords(&h, &t, &sid).await,
        vec![Value::from(password.clone())]
    );

    let statements = h.server.state.store.statements(&sid).await.expect("rows");
    let stored = statements[0].pdf_password.clone().expect("stored");
    assert!(stored.starts_with("enc:v1:"), "{stored}");
    assert!(!stored.contains(&password));
    // Nowhere in the data dir, not even in the WAL.
    assert_eq!(
        raw_contains(&h.dir, password.as_bytes()),
        Vec::<PathBuf>::new()
    );

    let files = walk(&h.dir);
    for name in ["ledgerlens.sqlite3", "link-signing.key", "secrets.key"] {
        assert!(files.contains(&h.dir.join(name)), "{name} exists");
    }
    assert!(files
        .iter()
        .any(|p| p.extension().is_some_and(|e| e == "pdf")));
    for path in files {
        let expected = if path.is_dir() { 0o700 } else { 0o600 };
        assert_eq!(mode(&path), expected, "{}", path.display());
    }
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn existing_files_are_closed_and_readable_keys_refused() {
    let dir = temp_dir();
    // What an older version left: a world-readable data dir and files.
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    std::fs::create_dir_all(dir.join("objects/a")).expect("objects");
    std::fs::write(dir.join("objects/a/old.pdf"), b"%PDF-1.4").expect("pdf");
    std::fs::set_permissions(
        dir.join("objects/a/old.pdf"),
        std::fs::Permissions::from_mode(0o644),
    )
    .expect("chmod");
    for key in ["link-signing.key", "secrets.key"] {
        std::fs::write(dir.join(key), "ab".repeat(32)).expect("key");
        std::fs::set_permissions(dir.join(key), std::fs::Permissions::from_mode(0o644))
            .expect("chmod");
        let refused = ledgerlens_server::start(config(Db::Sqlite, dir.clone())).await;
        let error = format!("{:#}", refused.err().expect("refused to start"));
        assert!(
            error.contains(key) && error.contains("chmod 600"),
            "{error}"
        );
        std::fs::set_permissions(dir.join(key), std::fs::Permissions::from_mode(0o600))
            .expect("chmod");
    }
    let h = Harness::start_with(config(Db::Sqlite, dir.clone())).await;
    assert_eq!(mode(&dir), 0o700);
    assert_eq!(mode(&dir.join("objects/a")), 0o700);
    assert_eq!(mode(&dir.join("objects/a/old.pdf")), 0o600);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stored_passwords_follow_a_key_rotation() {
    let old_key = "11".repeat(32);
    let new_key = "22".repeat(32);
    let dir = temp_dir();
    let mut c = config(Db::Sqlite, dir.clone());
    c.secrets_key = Some(old_key.clone());
    let h = Harness::start_with(c).await;
    let t = h.tenant("lender").await;
    let (sid, password) = upload_locked(&h, &t, 7320).await;
    let before = h.server.state.store.statements(&sid).await.expect("rows")[0]
        .pdf_password
        .clone()
        .expect("stored");
    // A row written before encryption existed.
    let legacy_sid = {
        let (sid, _) = upload_locked(&h, &t, 7321).await;
        let store = &h.server.state.store;
        let row = store.statements(&sid).await.expect("rows").remove(0);
        let stored = row.pdf_password.clone().expect("stored");
        assert!(store
            .replace_pdf_password(&row.id, &stored, "clear-legacy")
            .await
            .expect("replace"));
        sid
    };
    let Harness { server, .. } = h;
    server.stop().await;

    // Without the old key the new server cannot read what was stored: it refuses to start.
    let mut c = config(Db::Sqlite, dir.clone());
    c.secrets_key = Some(new_key.clone());
    let refused = ledgerlens_server::start(c).await;
    assert!(
        refused.is_err(),
        "an unreadable stored password stops the start"
    );

    let mut c = config(Db::Sqlite, dir.clone());
    c.secrets_key = Some(new_key.clone());
    c.secrets_key_previous = Some(old_key);
    let h = Harness::start_with(c).await;
    let t = Tenant {
        api_key: t.api_key,
        server_hash: t.server_hash,
    };
    assert_eq!(
        pdf_passwords(&h, &t, &sid).await,
        vec![Value::from(password)]
    );
    assert_eq!(
        pdf_passwords(&h, &t, &legacy_sid).await,
        vec![Value::from("clear-legacy")]
    );
    let store = &h.server.state.store;
    let after = store.statements(&sid).await.expect("rows")[0]
        .pdf_password
        .clone()
        .expect("stored");
    let legacy = store.statements(&legacy_sid).await.expect("rows")[0]
        .pdf_password
        .clone()
        .expect("stored");
    let current = h.server.state.secrets.current_key_id().to_owned();
    for value in [&after, &legacy] {
        assert!(value.starts_with(&format!("enc:v1:{current}:")), "{value}");
    }
    assert_ne!(before, after, "re-encrypted under the new key at startup");
    h.stop().await;
}
