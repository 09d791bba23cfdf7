//! The analyst console's users, signed-in browser sessions and session search.
//!
//! Unlike API keys, console passwords are chosen by people and can be guessed, so they are kept
//! as Argon2id hashes (slow on purpose), never as a fast SHA-256.

use crate::sessions::{session_from_row, SessionRow, KIND_SESSION, SESSION_COLUMNS};
use crate::{new_id, now_ms, sha256_hex, Result, Store, StoreError};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use serde::Serialize;
use sqlx::Row;

/// A console user as `users list` shows it (no hash).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ConsoleUser {
    pub user_id: String,
    pub client_id: String,
    pub username: String,
    pub created_at: i64,
    pub password_changed_at: i64,
}

/// Who a console cookie belongs to.
#[derive(Debug, Clone)]
pub struct ConsoleSession {
    pub client_id: String,
    /// `None`: signed in with the client's API key.
    pub user_id: Option<String>,
    pub username: Option<String>,
    pub csrf_token: String,
    pub expires_at: i64,
}

/// Filters of the console's session list; empty fields do not filter.
#[derive(Debug, Clone, Default)]
pub struct SessionSearch {
    /// Part of the link_id, any case.
    pub link_id: Option<String>,
    pub status: Option<SessionState>,
    /// A FinBox bank id, of the session or of any of its statements.
    pub bank: Option<String>,
    /// Created at or after (Unix ms).
    pub created_from: Option<i64>,
    /// Created before (Unix ms).
    pub created_before: Option<i64>,
}

/// Where a session stands, as the console lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionState {
    /// Taking uploads.
    Open,
    /// Never submitted and past its expiry.
    Expired,
    Processing,
    Completed,
}

impl SessionState {
    pub fn parse(text: &str) -> Option<SessionState> {
        Some(match text {
            "open" => SessionState::Open,
            "expired" => SessionState::Expired,
            "processing" => SessionState::Processing,
            "completed" => SessionState::Completed,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SessionState::Open => "open",
            SessionState::Expired => "expired",
            SessionState::Processing => "processing",
            SessionState::Completed => "completed",
        }
    }

    pub fn of(session: &SessionRow, now: i64) -> SessionState {
        if session.processing_completed_at.is_some() {
            SessionState::Completed
        } else if session.processing_requested_at.is_some() {
            SessionState::Processing
        } else if session.expires_at.is_some_and(|t| t < now) {
            SessionState::Expired
        } else {
            SessionState::Open
        }
    }

    /// The SQL condition; `$now` is the bind that holds the current time.
    fn condition(self, now: &str) -> String {
        match self {
            SessionState::Completed => "processing_completed_at IS NOT NULL".into(),
            SessionState::Processing => {
                "processing_requested_at IS NOT NULL AND processing_completed_at IS NULL".into()
            }
            SessionState::Expired => {
                format!("processing_requested_at IS NULL AND expires_at IS NOT NULL AND expires_at < {now}")
            }
            SessionState::Open => {
                format!("processing_requested_at IS NULL AND (expires_at IS NULL OR expires_at >= {now})")
            }
        }
    }
}

/// Argon2id with the crate's defaults (RFC 9106's second recommendation: 19 MiB, 2 passes).
pub fn hash_password(password: &str) -> Result<String> {
    // 16 bytes of a v4 UUID: 122 random bits from the OS, plenty for a salt.
    let salt = SaltString::encode_b64(uuid::Uuid::new_v4().as_bytes())
        .map_err(|e| StoreError::Config(format!("making a salt failed: {e}")))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| StoreError::Config(format!("hashing the password failed: {e}")))
}

/// Whether `password` matches a stored PHC string (a corrupt hash matches nothing).
pub fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|hash| {
        Argon2::default()
            .verify_password(password.as_bytes(), &hash)
            .is_ok()
    })
}

/// A hash nobody's password matches, verified when the user name is unknown so that a miss
/// takes as long as a wrong password.
fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password(&new_id()).unwrap_or_default())
}

fn user_from_row(row: &sqlx::any::AnyRow) -> Result<ConsoleUser> {
    Ok(ConsoleUser {
        user_id: row.try_get("id")?,
        client_id: row.try_get("client_id")?,
        username: row.try_get("username")?,
        created_at: row.try_get("created_at")?,
        password_changed_at: row.try_get("password_changed_at")?,
    })
}

/// Escapes LIKE's wildcards so a search for "a_b" finds exactly that.
fn like_pattern(text: &str) -> String {
    let mut out = String::from("%");
    for c in text.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

impl Store {
    /// Adds a console user of `client_id`; a taken user name is [`StoreError::Duplicate`].
    pub async fn add_console_user(
        &self,
        client_id: &str,
        username: &str,
        password: &str,
    ) -> Result<ConsoleUser> {
        let hash = hash_password(password)?;
        let now = now_ms();
        let user = ConsoleUser {
            user_id: new_id(),
            client_id: client_id.to_owned(),
            username: username.to_owned(),
            created_at: now,
            password_changed_at: now,
        };
        sqlx::query("INSERT INTO console_users (id, client_id, username, password_hash, created_at, password_changed_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(&user.user_id)
            .bind(client_id)
            .bind(username)
            .bind(hash)
            .bind(now)
            .bind(now)
            .execute(&self.pool)
            .await
            .map_err(StoreError::from_insert)?;
        Ok(user)
    }

    /// Console users, of one client or of all.
    pub async fn console_users(&self, client_id: Option<&str>) -> Result<Vec<ConsoleUser>> {
        let columns = "id, client_id, username, created_at, password_changed_at";
        let rows = match client_id {
            Some(client) => {
                sqlx::query(&format!(
                    "SELECT {columns} FROM console_users WHERE client_id = $1 ORDER BY username"
                ))
                .bind(client)
                .fetch_all(&self.pool)
                .await?
            }
            None => {
                sqlx::query(&format!(
                    "SELECT {columns} FROM console_users ORDER BY username"
                ))
                .fetch_all(&self.pool)
                .await?
            }
        };
        rows.iter().map(user_from_row).collect()
    }

    /// Removes a user and signs out every browser of theirs; false when there is no such user.
    pub async fn remove_console_user(&self, username: &str) -> Result<bool> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM console_sessions WHERE user_id IN (SELECT id FROM console_users WHERE username = $1)")
            .bind(username)
            .execute(&mut *tx)
            .await?;
        let removed = sqlx::query("DELETE FROM console_users WHERE username = $1")
            .bind(username)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        Ok(removed == 1)
    }

    /// Sets a new password and signs out every browser of the user; false when there is no
    /// such user.
    pub async fn set_console_password(&self, username: &str, password: &str) -> Result<bool> {
        let hash = hash_password(password)?;
        let mut tx = self.pool.begin().await?;
        let changed = sqlx::query(
            "UPDATE console_users SET password_hash = $1, password_changed_at = $2 WHERE username = $3",
        )
        .bind(hash)
        .bind(now_ms())
        .bind(username)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        sqlx::query("DELETE FROM console_sessions WHERE user_id IN (SELECT id FROM console_users WHERE username = $1)")
            .bind(username)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(changed == 1)
    }

    /// The user, when the password is right and their client is active.
    pub async fn check_console_password(
        &self,
        username: &str,
        password: &str,
    ) -> Result<Option<ConsoleUser>> {
        let row = sqlx::query("SELECT u.id, u.client_id, u.username, u.created_at, u.password_changed_at, u.password_hash FROM console_users u JOIN clients c ON c.id = u.client_id WHERE u.username = $1 AND c.revoked_at IS NULL")
            .bind(username)
            .fetch_optional(&self.pool)
            .await?;
        let stored: Option<String> = row
            .as_ref()
            .map(|r| r.try_get("password_hash"))
            .transpose()?;
        let password = password.to_owned();
        let matches = tokio::task::spawn_blocking(move || {
            verify_password(&password, stored.as_deref().unwrap_or(decoy_hash()))
        })
        .await
        .map_err(|e| StoreError::Config(format!("password check failed: {e}")))?;
        match row {
            Some(row) if matches => user_from_row(&row).map(Some),
            _ => Ok(None),
        }
    }

    /// Starts a console session; returns the cookie's token (shown to the browser only).
    pub async fn create_console_session(
        &self,
        client_id: &str,
        user_id: Option<&str>,
        lifetime_ms: i64,
    ) -> Result<String> {
        let token = format!("{}{}", new_id(), new_id()).replace('-', "");
        let now = now_ms();
        // Expired sessions are swept here: sign-ins are rare, so this costs nothing.
        sqlx::query("DELETE FROM console_sessions WHERE expires_at < $1")
            .bind(now)
            .execute(&self.pool)
            .await?;
        sqlx::query("INSERT INTO console_sessions (token_hash, client_id, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(sha256_hex(token.as_bytes()))
            .bind(client_id)
            .bind(user_id.map(str::to_owned))
            .bind(new_id().replace('-', ""))
            .bind(now)
            .bind(now.saturating_add(lifetime_ms))
            .execute(&self.pool)
            .await?;
        Ok(token)
    }

    /// The live session of a cookie token whose client is still active.
    pub async fn console_session(&self, token: &str) -> Result<Option<ConsoleSession>> {
        let row = sqlx::query("SELECT s.client_id, s.user_id, s.csrf_token, s.expires_at, u.username FROM console_sessions s JOIN clients c ON c.id = s.client_id LEFT JOIN console_users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > $2 AND c.revoked_at IS NULL")
            .bind(sha256_hex(token.as_bytes()))
            .bind(now_ms())
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let user_id: Option<String> = row.try_get("user_id")?;
        let username: Option<String> = row.try_get("username")?;
        // A user removed since signing in: the LEFT JOIN found no name.
        if user_id.is_some() && username.is_none() {
            return Ok(None);
        }
        Ok(Some(ConsoleSession {
            client_id: row.try_get("client_id")?,
            user_id,
            username,
            csrf_token: row.try_get("csrf_token")?,
            expires_at: row.try_get("expires_at")?,
        }))
    }

    pub async fn end_console_session(&self, token: &str) -> Result<()> {
        sqlx::query("DELETE FROM console_sessions WHERE token_hash = $1")
            .bind(sha256_hex(token.as_bytes()))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// One page of the client's live sessions (newest first) matching `search`, and how many
    /// match in all.
    pub async fn search_sessions(
        &self,
        client_id: &str,
        search: &SessionSearch,
        offset: i64,
        limit: i64,
    ) -> Result<(i64, Vec<SessionRow>)> {
        // Binds are numbered as conditions are added; the same list feeds both queries.
        let mut conditions = vec![
            "client_id = $1".to_owned(),
            "kind = $2".to_owned(),
            "deleted_at IS NULL".to_owned(),
        ];
        let mut binds: Vec<Bind> = vec![
            Bind::Text(client_id.to_owned()),
            Bind::Text(KIND_SESSION.to_owned()),
        ];
        let next = |binds: &mut Vec<Bind>, value: Bind| {
            binds.push(value);
            format!("${}", binds.len())
        };
        if let Some(link) = search.link_id.as_deref().filter(|l| !l.is_empty()) {
            let at = next(&mut binds, Bind::Text(like_pattern(link)));
            conditions.push(format!("LOWER(link_id) LIKE {at} ESCAPE '\\'"));
        }
        if let Some(bank) = search.bank.as_deref().filter(|b| !b.is_empty()) {
            let at = next(&mut binds, Bind::Text(bank.to_ascii_lowercase()));
            conditions.push(format!("(bank_name = {at} OR EXISTS (SELECT 1 FROM statements st WHERE st.session_id = sessions.id AND st.bank_name = {at}))"));
        }
        if let Some(state) = search.status {
            let at = next(&mut binds, Bind::Int(now_ms()));
            conditions.push(state.condition(&at));
        }
        if let Some(from) = search.created_from {
            let at = next(&mut binds, Bind::Int(from));
            conditions.push(format!("created_at >= {at}"));
        }
        if let Some(before) = search.created_before {
            let at = next(&mut binds, Bind::Int(before));
            conditions.push(format!("created_at < {at}"));
        }
        let filter = conditions.join(" AND ");
        let count_sql = format!("SELECT COUNT(*) AS n FROM sessions WHERE {filter}");
        let count: i64 = bind_all(sqlx::query(&count_sql), &binds)
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?;
        let limit_at = binds.len() + 1;
        let list_sql = format!(
            "SELECT {SESSION_COLUMNS} FROM sessions WHERE {filter} ORDER BY created_at DESC, id LIMIT ${limit_at} OFFSET ${}",
            limit_at + 1
        );
        let rows = bind_all(sqlx::query(&list_sql), &binds)
            .bind(limit)
            .bind(offset)
            .fetch_all(&self.pool)
            .await?;
        Ok((
            count,
            rows.iter().map(session_from_row).collect::<Result<_>>()?,
        ))
    }
}

enum Bind {
    Text(String),
    Int(i64),
}

fn bind_all<'q>(
    mut query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    binds: &'q [Bind],
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    for bind in binds {
        query = match bind {
            Bind::Text(text) => query.bind(text.as_str()),
            Bind::Int(n) => query.bind(*n),
        };
    }
    query
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_against_their_own_hash() {
        let hash = hash_password("correct horse").expect("hashes");
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(verify_password("correct horse", &hash));
        assert!(!verify_password("correct horsf", &hash));
        assert!(!verify_password("correct horse", "not a hash"));
        assert_ne!(
            hash,
            hash_password("correct horse").expect("hashes"),
            "salted"
        );
    }

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(like_pattern("A_b%"), "%a\\_b\\%%");
    }
}
