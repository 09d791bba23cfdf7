//! `ledgerlens users …`: the analyst console's users. Declared inside `service` so it shares
//! its storage flags and configuration.

use super::{config, StorageArgs};
use clap::Subcommand;
use ledgerlens_server::console::users_cli;
use std::io::BufRead;
use std::process::ExitCode;

/// Shorter passwords are refused: console passwords guard borrowers' statements.
const MIN_PASSWORD_CHARS: usize = 12;

#[derive(Subcommand)]
pub enum UsersAction {
    /// Add a console user who sees one client's sessions; prints the user (and the generated
    /// password, once, unless --password-stdin gives one).
    Add {
        /// The name the user signs in with (unique across clients).
        username: String,
        /// The client_id whose sessions the user sees (see `clients list`).
        #[arg(long)]
        client: String,
        /// Read the password from the first line of standard input instead of generating one.
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        storage: StorageArgs,
    },
    /// List console users (no password hashes).
    List {
        /// Only the users of this client_id.
        #[arg(long)]
        client: Option<String>,
        #[command(flatten)]
        storage: StorageArgs,
    },
    /// Remove a console user; their signed-in browsers are signed out at once.
    Remove {
        /// The user name to remove.
        username: String,
        #[command(flatten)]
        storage: StorageArgs,
    },
    /// Set a new password (generated unless --password-stdin); signs the user's browsers out.
    Passwd {
        /// The user name whose password changes.
        username: String,
        /// Read the password from the first line of standard input instead of generating one.
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        storage: StorageArgs,
    },
}

/// Times as RFC 3339 (UTC) instead of the stored Unix milliseconds, in one user or a list.
fn iso_times(value: &mut serde_json::Value) {
    let users: Vec<&mut serde_json::Value> = match value {
        serde_json::Value::Array(items) => items.iter_mut().collect(),
        other => vec![other],
    };
    for user in users {
        for key in ["created_at", "password_changed_at"] {
            let iso = user[key]
                .as_i64()
                .and_then(chrono::DateTime::from_timestamp_millis)
                .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string());
            if let Some(iso) = iso {
                user[key] = serde_json::Value::String(iso);
            }
        }
    }
}

/// The password to set: read from stdin, or generated (then `true`: it must be shown).
fn password(from_stdin: bool) -> anyhow::Result<(String, bool)> {
    if !from_stdin {
        return Ok((users_cli::generated_password(), true));
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    anyhow::ensure!(
        password.chars().count() >= MIN_PASSWORD_CHARS,
        "the password must have at least {MIN_PASSWORD_CHARS} characters"
    );
    Ok((password, false))
}

pub async fn run(action: UsersAction) -> anyhow::Result<ExitCode> {
    match action {
        UsersAction::Add {
            username,
            client,
            password_stdin,
            storage,
        } => {
            anyhow::ensure!(!username.trim().is_empty(), "the user name is empty");
            let (password, generated) = password(password_stdin)?;
            let mut user = users_cli::add(
                &config("", storage, 0)?,
                &client,
                username.trim(),
                &password,
            )
            .await?;
            iso_times(&mut user);
            if generated {
                user["password"] = serde_json::Value::String(password);
            }
            println!("{}", serde_json::to_string_pretty(&user)?);
        }
        UsersAction::List { client, storage } => {
            let mut users = users_cli::list(&config("", storage, 0)?, client.as_deref()).await?;
            iso_times(&mut users);
            println!("{}", serde_json::to_string_pretty(&users)?);
        }
        UsersAction::Remove { username, storage } => {
            if !users_cli::remove(&config("", storage, 0)?, &username).await? {
                eprintln!("error: no console user {username}");
                return Ok(ExitCode::from(2));
            }
            println!(
                "{}",
                serde_json::json!({"username": username, "removed": true})
            );
        }
        UsersAction::Passwd {
            username,
            password_stdin,
            storage,
        } => {
            let (password, generated) = password(password_stdin)?;
            if !users_cli::passwd(&config("", storage, 0)?, &username, &password).await? {
                eprintln!("error: no console user {username}");
                return Ok(ExitCode::from(2));
            }
            let mut out = serde_json::json!({"username": username, "password_changed": true});
            if generated {
                out["password"] = serde_json::Value::String(password);
            }
            println!("{out}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_become_rfc3339_in_a_user_and_a_list() {
        let mut one = serde_json::json!({"created_at": 1_764_892_800_000_i64, "password_changed_at": 1_764_892_801_000_i64});
        iso_times(&mut one);
        assert_eq!(one["created_at"], "2025-12-05T00:00:00Z");
        assert_eq!(one["password_changed_at"], "2025-12-05T00:00:01Z");
        let mut list = serde_json::json!([{"created_at": 0}]);
        iso_times(&mut list);
        assert_eq!(list[0]["created_at"], "1970-01-01T00:00:00Z");
    }
}
