//! What `serve` prints for a newcomer: the development client's credentials (first start only)
//! and a walkthrough of the session flow as ready-to-paste shell lines, from writing a sample
//! statement to downloading its workbook.
//!
//! Printed on stdout, never through `tracing`: the keys must reach the person at the terminal
//! and never a log collector.

use chrono::{Datelike, Months, NaiveDate};
use std::fmt::Write;

/// The bank of the sample statement (`ledgerlens sample-statement`), as a FinBox bank id.
pub const SAMPLE_BANK: &str = "hdfc";
/// The sample's length in calendar months.
pub const SAMPLE_MONTHS: u32 = 6;
/// The file the walkthrough writes and uploads.
pub const SAMPLE_FILE: &str = "sample-statement.pdf";

/// The sample statement's period: the six whole calendar months before the month of `today`,
/// so it always lies inside the session's default window and the one the walkthrough asks for.
pub fn sample_period(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let this_month = today.with_day(1).unwrap_or(today);
    let from = this_month
        .checked_sub_months(Months::new(SAMPLE_MONTHS))
        .unwrap_or(this_month);
    let to = this_month.pred_opt().unwrap_or(this_month);
    (from, to)
}

/// The credentials a first start created; absent on later starts (only hashes are stored).
pub struct FirstCredentials<'a> {
    pub client_id: &'a str,
    pub api_key: &'a str,
    pub server_hash: &'a str,
}

/// Everything `serve` prints at start: address, credentials when just created, walkthrough.
/// `exe` is how to invoke this binary (its path), `base` the API's base URL.
pub fn announcement(
    base: &str,
    exe: &str,
    credentials: Option<&FirstCredentials>,
    today: NaiveDate,
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "ledgerlens is serving {base}/bank-connect/v1/");
    let (api_key, server_hash) = match credentials {
        Some(c) => {
            let _ = writeln!(
                out,
                "\nCreated a development client (shown once, store it now):"
            );
            let _ = writeln!(out, "  client_id:   {}", c.client_id);
            let _ = writeln!(out, "  api_key:     {}", c.api_key);
            let _ = writeln!(out, "  server_hash: {}", c.server_hash);
            (c.api_key.to_owned(), c.server_hash.to_owned())
        }
        None => ("<your api_key>".to_owned(), "<your server_hash>".to_owned()),
    };
    out.push_str(&walkthrough(base, exe, &api_key, &server_hash, today));
    out
}

/// The session flow as shell lines between `# --- walkthrough` markers (a test runs them).
pub fn walkthrough(
    base: &str,
    exe: &str,
    api_key: &str,
    server_hash: &str,
    today: NaiveDate,
) -> String {
    let (from, to) = sample_period(today);
    let dmy = |d: NaiveDate| d.format("%d/%m/%Y").to_string();
    let auth = r#"-H "x-api-key: $API_KEY" -H "server-hash: $SERVER_HASH""#;
    let data = r#""$LL/session_data/$SESSION_ID"#;
    let lines = [
        format!("export LL={base}/bank-connect/v1 API_KEY='{api_key}' SERVER_HASH='{server_hash}'"),
        format!(
            "# 1. A synthetic {SAMPLE_MONTHS}-month {} statement ({} to {}), written by this binary",
            SAMPLE_BANK.to_uppercase(),
            from.format("%d %b %Y"),
            to.format("%d %b %Y")
        ),
        format!("{} sample-statement --out {SAMPLE_FILE}", shell_word(exe)),
        "# 2. A session for that period (prints its session_id)".to_owned(),
        format!(
            r#"SESSION_ID=$(curl -s -X POST "$LL/session/" {auth} -H 'Content-Type: application/json' -d '{{"link_id": "demo-user", "from_date": "{}", "to_date": "{}"}}' | sed -E 's/.*"session_id": *"([^"]+)".*/\1/'); echo "$SESSION_ID""#,
            dmy(from),
            dmy(to)
        ),
        "# 3. Upload the statement".to_owned(),
        format!(
            r#"curl -s -X POST "$LL/statement/upload_session/" {auth} -F session_id="$SESSION_ID" -F bank_name={SAMPLE_BANK} -F upload_type=PDF -F file=@{SAMPLE_FILE}; echo"#
        ),
        "# 4. Ask for processing".to_owned(),
        format!(r#"curl -s -X POST {data}/initiate_processing/" {auth}; echo"#),
        "# 5. Progress, until the session says completed".to_owned(),
        format!(
            r#"until curl -s {data}/progress/" {auth} | grep -q '"session_progress": *"completed"'; do sleep 1; done; curl -s {data}/progress/" {auth}; echo"#
        ),
        "# 6. Insights: identity, transactions, enrichment".to_owned(),
        format!(r#"curl -s {data}/insights/" {auth} > insights.json; head -c 600 insights.json; echo"#),
        "# 7. The Excel workbook: its signed link, then the file".to_owned(),
        format!(
            r#"curl -s {data}/xlsx_report/" {auth} | sed -E 's/.*"link": *"([^"]+)".*/\1/' | xargs curl -s -o report.xlsx; ls -l report.xlsx"#
        ),
        "# 8. Its charts and evidence: open this page in a browser and sign in with the api_key"
            .to_owned(),
        "#    and server_hash above (analysts get their own sign-in: ledgerlens users add)"
            .to_owned(),
        format!(r#"echo "{base}/console/sessions/$SESSION_ID""#),
    ];
    let mut out = String::from(
        "\nFirst run: paste these lines into a shell (bash or zsh) in a scratch directory:\n",
    );
    out.push_str("# --- walkthrough\n");
    for line in lines {
        let _ = writeln!(out, "{line}");
    }
    out.push_str("# --- end of walkthrough\n");
    out
}

/// `exe` quoted for a POSIX shell when it holds anything but plain path characters.
fn shell_word(text: &str) -> String {
    let plain = text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-+:@".contains(c));
    if plain && !text.is_empty() {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    #[test]
    fn the_sample_period_is_the_six_whole_months_before_this_one() {
        assert_eq!(
            sample_period(day(2026, 12, 5)),
            (day(2026, 6, 1), day(2026, 11, 30))
        );
        assert_eq!(
            sample_period(day(2026, 3, 31)),
            (day(2025, 9, 1), day(2026, 2, 28))
        );
    }

    #[test]
    fn the_session_asks_for_the_sample_period() {
        let text = walkthrough(
            "http://127.0.0.1:8000",
            "ledgerlens",
            "k",
            "h",
            day(2026, 12, 5),
        );
        assert!(text.contains(r#""from_date": "01/06/2026", "to_date": "30/11/2026""#));
        assert!(text.contains("bank_name=hdfc"));
    }

    #[test]
    fn credentials_appear_only_when_just_created() {
        let created = FirstCredentials {
            client_id: "c1",
            api_key: "KEY123",
            server_hash: "HASH456",
        };
        let first = announcement("http://h", "ledgerlens", Some(&created), day(2026, 1, 2));
        assert!(first.contains("api_key:     KEY123") && first.contains("SERVER_HASH='HASH456'"));
        let later = announcement("http://h", "ledgerlens", None, day(2026, 1, 2));
        assert!(!later.contains("KEY123") && later.contains("<your api_key>"));
    }

    #[test]
    fn odd_paths_are_quoted() {
        assert_eq!(shell_word("/usr/bin/ledgerlens"), "/usr/bin/ledgerlens");
        assert_eq!(shell_word("/a b/it's"), r"'/a b/it'\''s'");
    }
}
