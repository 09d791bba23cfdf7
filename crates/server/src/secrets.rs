//! Secrets at rest: a private data dir, private key files, and PDF passwords encrypted in the
//! database.
//!
//! PDF passwords must be given back by get_pdfs, so they are encrypted, not hashed: AES-256-GCM
//! (ring, already in the tree through rustls) under a key from `LEDGERLENS_SECRETS_KEY`, or from
//! `<data_dir>/secrets.key`, created on first start. A stored value reads
//! `enc:v1:<key id>:<base64(nonce ‖ ciphertext ‖ tag)>`; the key id (the first 4 bytes of the
//! key's SHA-256) lets a rotated-out key (`LEDGERLENS_SECRETS_KEY_PREVIOUS`) still open older
//! values, and startup re-encrypts every value under the current key. Values without the prefix
//! were written before encryption; they are read as they are and encrypted at startup.

use base64::Engine;
use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM, NONCE_LEN};
use ring::rand::{SecureRandom, SystemRandom};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

const PREFIX: &str = "enc:v1:";
const KEY_FILE: &str = "secrets.key";

#[derive(Debug, thiserror::Error)]
pub enum SecretsError {
    #[error("{0}")]
    Key(String),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{path} is readable by group or others (mode {mode:o}); run `chmod 600 {path}` and start again"
    )]
    Readable { path: PathBuf, mode: u32 },
    #[error("a stored secret was encrypted with a key that is not configured (key id {0})")]
    UnknownKey(String),
    #[error("a stored secret is corrupt or was altered")]
    Corrupt,
    #[error("encryption failed")]
    Seal,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> SecretsError + '_ {
    move |source| SecretsError::Io {
        path: path.to_owned(),
        source,
    }
}

/// Key files are checked, not fixed: one that was readable may have been read, and the
/// operator should rotate it rather than have it silently closed.
fn is_key_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n == KEY_FILE || n == crate::links::KEY_FILE)
}

/// Makes the process create files 0600 and directories 0700 (SQLite's -wal/-shm files and the
/// object store's files are created by code that takes no mode), closes the data dir to group
/// and others, and tightens what an older version left readable (except key files: see [`is_key_file`]).
#[cfg(unix)]
pub fn harden_data_dir(data_dir: &Path) -> Result<(), SecretsError> {
    // SAFETY: umask only swaps the process' file mode creation mask.
    unsafe {
        libc::umask(0o077);
    }
    std::fs::create_dir_all(data_dir).map_err(io(data_dir))?;
    let mut stack = vec![data_dir.to_owned()];
    while let Some(dir) = stack.pop() {
        tighten(&dir, 0o700)?;
        let entries = match std::fs::read_dir(&dir) {
            Err(e) if vanished(&e) => continue,
            listed => listed.map_err(io(&dir))?,
        };
        for entry in entries {
            let entry = match entry {
                Err(e) if vanished(&e) => continue,
                found => found.map_err(io(&dir))?,
            };
            let path = entry.path();
            // Not followed: a link may point anywhere, including outside the data dir.
            let kind = match entry.file_type() {
                Err(e) if vanished(&e) => continue,
                found => found.map_err(io(&path))?,
            };
            if kind.is_dir() {
                stack.push(path);
            } else if kind.is_file() && !is_key_file(&path) {
                tighten(&path, 0o600)?;
            }
        }
    }

    Ok(())
}

// A file may go between listing and chmod: SQLite removes its -shm and -wal files when a
// pool from an earlier start finishes closing. What is gone needs no tightening.
#[cfg(unix)]
fn vanished(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::NotFound
}

#[cfg(unix)]
fn tighten(path: &Path, mode: u32) -> Result<(), SecretsError> {
    use std::os::unix::fs::PermissionsExt;
    let current = match std::fs::symlink_metadata(path) {
        Err(e) if vanished(&e) => return Ok(()),
        found => found.map_err(io(path))?,
    };
    if current.permissions().mode() & 0o077 != 0 {
        let kept = current.permissions().mode() & 0o700;
        match std::fs::set_permissions(path, std::fs::Permissions::from_mode(kept | mode)) {
            Err(e) if vanished(&e) => {}
            done => done.map_err(io(path))?,
        }
    }
    Ok(())
}

#[cfg(not(unix))]
pub fn harden_data_dir(data_dir: &Path) -> Result<(), SecretsError> {
    std::fs::create_dir_all(data_dir).map_err(io(data_dir))
}

/// Refuses a key file group or others can read: with the link key anyone could forge links to
/// another tenant's PDFs, with the secrets key read every PDF password.
#[cfg(unix)]
pub fn check_private_file(path: &Path) -> Result<(), SecretsError> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path)
        .map_err(io(path))?
        .permissions()
        .mode();
    if mode & 0o077 != 0 {
        return Err(SecretsError::Readable {
            path: path.to_owned(),
            mode: mode & 0o777,
        });
    }
    Ok(())
}

#[cfg(not(unix))]
pub fn check_private_file(_path: &Path) -> Result<(), SecretsError> {
    Ok(())
}

/// Reads a key file (refused when readable by others), or creates it 0600 with `create`'s text.
pub fn read_or_create_key_file(
    path: &Path,
    create: impl FnOnce() -> String,
) -> Result<String, SecretsError> {
    match std::fs::read_to_string(path) {
        Ok(text) if !text.trim().is_empty() => {
            check_private_file(path)?;
            return Ok(text.trim().to_owned());
        }
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io(path)(e)),
    }
    let text = create();
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(io(path))?;
    std::io::Write::write_all(&mut file, text.as_bytes()).map_err(io(path))?;
    file.sync_all().map_err(io(path))?;
    check_private_file(path)?;
    Ok(text)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// 64 hex digits or the base64 of 32 bytes.
fn parse_key(text: &str) -> Result<[u8; 32], SecretsError> {
    let text = text.trim();
    let bytes = if text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
        (0..32)
            .map(|i| u8::from_str_radix(&text[2 * i..2 * i + 2], 16))
            .collect::<Result<Vec<u8>, _>>()
            .map_err(|_| SecretsError::Key("the key is not valid hex".into()))?
    } else {
        base64::engine::general_purpose::STANDARD
            .decode(text)
            .map_err(|_| {
                SecretsError::Key("a secrets key is 64 hex digits or base64 of 32 bytes".into())
            })?
    };
    bytes
        .try_into()
        .map_err(|_| SecretsError::Key("a secrets key must be 32 bytes".into()))
}

struct Key {
    id: String,
    key: LessSafeKey,
}

impl Key {
    fn new(bytes: [u8; 32]) -> Result<Key, SecretsError> {
        let id = hex(&Sha256::digest(bytes)[..4]);
        let unbound = UnboundKey::new(&AES_256_GCM, &bytes)
            .map_err(|_| SecretsError::Key("not an AES-256 key".into()))?;
        Ok(Key {
            id,
            key: LessSafeKey::new(unbound),
        })
    }
}

/// Encrypts and decrypts small secrets (PDF passwords) for the database.
pub struct SecretBox {
    current: Key,
    previous: Option<Key>,
    rng: SystemRandom,
}

impl std::fmt::Debug for SecretBox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecretBox")
            .field("current", &self.current.id)
            .finish_non_exhaustive()
    }
}

impl SecretBox {
    pub fn new(current: [u8; 32], previous: Option<[u8; 32]>) -> Result<SecretBox, SecretsError> {
        Ok(SecretBox {
            current: Key::new(current)?,
            previous: previous.map(Key::new).transpose()?,
            rng: SystemRandom::new(),
        })
    }

    /// The configured key, or `<data_dir>/secrets.key` (created on first start).
    pub fn load(
        data_dir: &Path,
        configured: Option<&str>,
        previous: Option<&str>,
    ) -> Result<SecretBox, SecretsError> {
        let current = match configured.filter(|k| !k.trim().is_empty()) {
            Some(text) => parse_key(text)?,
            None => {
                let rng = SystemRandom::new();
                let text = read_or_create_key_file(&data_dir.join(KEY_FILE), || {
                    let mut bytes = [0_u8; 32];
                    // The system RNG does not fail on supported platforms; a zero key would be
                    // caught by nothing, so a failure stops the start below instead.
                    if rng.fill(&mut bytes).is_err() {
                        return String::new();
                    }
                    hex(&bytes)
                })?;
                parse_key(&text)?
            }
        };
        let previous = previous
            .filter(|k| !k.trim().is_empty())
            .map(parse_key)
            .transpose()?;
        SecretBox::new(current, previous)
    }

    /// The id of the key new values are encrypted with.
    pub fn current_key_id(&self) -> &str {
        &self.current.id
    }

    pub fn seal(&self, plaintext: &str) -> Result<String, SecretsError> {
        let mut nonce = [0_u8; NONCE_LEN];
        self.rng.fill(&mut nonce).map_err(|_| SecretsError::Seal)?;
        let mut data = plaintext.as_bytes().to_vec();
        self.current
            .key
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(self.current.id.as_bytes()),
                &mut data,
            )
            .map_err(|_| SecretsError::Seal)?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&data);
        Ok(format!(
            "{PREFIX}{}:{}",
            self.current.id,
            base64::engine::general_purpose::STANDARD_NO_PAD.encode(out)
        ))
    }

    /// Whether `stored` is already encrypted with the current key.
    pub fn is_current(&self, stored: &str) -> bool {
        stored
            .strip_prefix(PREFIX)
            .and_then(|rest| rest.split_once(':'))
            .is_some_and(|(id, _)| id == self.current.id)
    }

    pub fn open(&self, stored: &str) -> Result<String, SecretsError> {
        let Some(rest) = stored.strip_prefix(PREFIX) else {
            // Written before encryption: re-encrypted at the next start.
            return Ok(stored.to_owned());
        };
        let (id, body) = rest.split_once(':').ok_or(SecretsError::Corrupt)?;
        let key = [Some(&self.current), self.previous.as_ref()]
            .into_iter()
            .flatten()
            .find(|k| k.id == id)
            .ok_or_else(|| SecretsError::UnknownKey(id.to_owned()))?;
        let mut data = base64::engine::general_purpose::STANDARD_NO_PAD
            .decode(body)
            .map_err(|_| SecretsError::Corrupt)?;
        if data.len() < NONCE_LEN {
            return Err(SecretsError::Corrupt);
        }
        let mut nonce = [0_u8; NONCE_LEN];
        nonce.copy_from_slice(&data[..NONCE_LEN]);
        let mut sealed = data.split_off(NONCE_LEN);
        let plain = key
            .key
            .open_in_place(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(key.id.as_bytes()),
                &mut sealed,
            )
            .map_err(|_| SecretsError::Corrupt)?;
        String::from_utf8(plain.to_vec()).map_err(|_| SecretsError::Corrupt)
    }

    /// The plaintext of an optional stored value; an unreadable one is logged (without the
    /// value) and given back as absent rather than failing the whole response.
    pub fn reveal(&self, stored: Option<&str>) -> Option<String> {
        let stored = stored?;
        match self.open(stored) {
            Ok(plain) => Some(plain),
            Err(e) => {
                tracing::error!(error = %e, "cannot decrypt a stored PDF password");
                None
            }
        }
    }
}

/// Processing opens stored PDF passwords, and seals and opens AA FI keys, through this.
impl ledgerlens_processing::Secrets for SecretBox {
    fn reveal(&self, stored: Option<&str>) -> Option<String> {
        SecretBox::reveal(self, stored)
    }

    fn seal(&self, plaintext: &str) -> Result<String, String> {
        SecretBox::seal(self, plaintext).map_err(|e| e.to_string())
    }

    fn open(&self, stored: &str) -> Result<String, String> {
        SecretBox::open(self, stored).map_err(|e| e.to_string())
    }
}

/// Encrypts, under the current key, every stored PDF password that is in clear or under an
/// older key. Returns how many were rewritten.
pub async fn reseal_pdf_passwords(
    store: &ledgerlens_store::Store,
    secrets: &SecretBox,
) -> anyhow::Result<usize> {
    let mut rewritten = 0;
    for (id, stored) in store.stored_pdf_passwords().await? {
        if secrets.is_current(&stored) {
            continue;
        }
        let plain = secrets.open(&stored)?;
        store
            .replace_pdf_password(&id, &stored, &secrets.seal(&plain)?)
            .await?;
        rewritten += 1;
    }
    Ok(rewritten)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_file_gone_before_its_chmod_is_not_an_error() {
        let dir = std::env::temp_dir().join(format!("ledgerlens-vanished-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        assert!(tighten(&dir.join("ledgerlens.sqlite3-shm"), 0o600).is_ok());
        std::fs::remove_dir_all(&dir).expect("cleanup");
    }

    #[test]
    fn seals_opens_and_rotates() {
        let old = SecretBox::new([7; 32], None).expect("box");
        let sealed = old.seal("pässword").expect("seal");
        assert!(sealed.starts_with("enc:v1:"));
        assert!(!sealed.contains("pässword"));
        assert_ne!(sealed, old.seal("pässword").expect("seal"), "fresh nonce");
        assert_eq!(old.open(&sealed).expect("open"), "pässword");
        assert_eq!(old.open("legacy").expect("clear"), "legacy");

        let rotated = SecretBox::new([9; 32], Some([7; 32])).expect("box");
        assert!(!rotated.is_current(&sealed));
        assert_eq!(rotated.open(&sealed).expect("previous key"), "pässword");
        let other = SecretBox::new([9; 32], None).expect("box");
        assert!(matches!(
            other.open(&sealed),
            Err(SecretsError::UnknownKey(_))
        ));

        let mut tampered = sealed.clone();
        let last = tampered.pop().expect("char");
        tampered.push(if last == 'A' { 'B' } else { 'A' });
        assert!(old.open(&tampered).is_err());
        assert!(old.open("enc:v1:nokey").is_err());
    }

    #[test]
    fn keys_are_hex_or_base64_of_32_bytes() {
        assert!(parse_key(&"ab".repeat(32)).is_ok());
        let b64 = base64::engine::general_purpose::STANDARD.encode([1_u8; 32]);
        assert_eq!(parse_key(&b64).expect("base64"), [1; 32]);
        assert!(parse_key("short").is_err());
        assert!(parse_key(&"ab".repeat(16)).is_err());
    }
}
