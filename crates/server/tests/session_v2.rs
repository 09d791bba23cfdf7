//! The Session API V2 (session-v2.md): `POST /bank-connect/v2/session/` takes V1's fields plus
//! `aa_journey_code` and `consents` (and `bank`, as the page's scenarios write it) and answers
//! as the page's sample does, while V1 still refuses parameters it does not document.

mod common;
mod contract_support;

use common::{Db, Harness, Tenant};
use serde_json::{json, Value};

async fn post_v2(h: &Harness, t: &Tenant, body: &Value) -> (u16, Value) {
    let r = h
        .http
        .post(format!("{}/bank-connect/v2/session/", h.base))
        .header("x-api-key", &t.api_key)
        .json(body)
        .send()
        .await
        .expect("send");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// The page's JSON blocks that hold `marker`.
fn documented(marker: &str) -> Vec<Value> {
    let Some(spec) = contract_support::spec_dir() else {
        return Vec::new();
    };
    let text = std::fs::read_to_string(spec.join("finbox-docs/session-flow/session-v2.md"))
        .expect("session-v2.md");
    contract_support::json_blocks(&text)
        .into_iter()
        .filter(|(_, block)| block.contains(marker))
        .filter_map(|(_, block)| contract_support::lenient_json(&block))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_documented_scenarios_create_sessions() {
    let h = Harness::start(Db::Sqlite).await;
    let t = h.tenant("lender").await;
    let scenarios = documented("\"link_id\"");
    if contract_support::spec_dir().is_some() {
        assert_eq!(scenarios.len(), 3, "session-v2.md's three scenarios");
    }
    let sample = documented("redirect_url").into_iter().next();
    for scenario in &scenarios {
        let (status, body) = post_v2(&h, &t, scenario).await;
        assert_eq!(status, 200, "{scenario}: {body}");
        let redirect = body["redirect_url"].as_str().unwrap_or_default();
        let session_id = body["session_id"].as_str().unwrap_or_default();
        assert!(
            redirect.contains(&format!("session_id={session_id}")) && redirect.contains("&token="),
            "the V2 redirect carries the session and its token: {redirect}"
        );
        if let Some(sample) = &sample {
            let report = contract_support::compare("v2 session/", sample, &body);
            assert!(
                report.missing.is_empty()
                    && report.type_mismatches.is_empty()
                    && report.format_mismatches.is_empty()
                    && report.order_mismatches.is_empty(),
                "{report:?}"
            );
        }
        // The session exists and answers with the caller's dates (scenario 2: 01/01/2025 on).
        let (status, upload_status) = h
            .get(
                &t,
                &format!("session_data/{session_id}/session_upload_status/"),
            )
            .await;
        assert_eq!(status, 200, "{upload_status}");
        if let Some(from) = scenario["from_date"].as_str() {
            assert_eq!(upload_status["session_date_range"]["from_date"], from);
        }
    }

    // An explicit AA mode on a server without an AA: V1's answer.
    let (status, body) = post_v2(
        &h,
        &t,
        &json!({"link_id": "x", "aa_journey_code": "BCAA001", "bank": "HDFC", "mode": "aa"}),
    )
    .await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["error"]["code"], "MODE_NOT_ENABLED");

    // V1 does not document them: one parameter too many there.
    let (status, body) = h
        .create_session(&t, json!({"link_id": "v1", "aa_journey_code": "BCAA001"}))
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"]["code"], "INVALID_PARAMETER_COUNT");

    // V2's own checks, in V1's error shapes.
    for (request, code) in [
        (
            json!({"link_id": "x", "consents": {"CC0001": {"from_date": "2025-10-01", "to_date": "09/12/2025"}}}),
            "INVALID_DATE_FORMAT",
        ),
        (
            json!({"link_id": "x", "consents": {"CC0001": {"from_date": "09/12/2025", "to_date": "01/10/2025"}}}),
            "INVALID_DATE_RANGE",
        ),
        (
            json!({"link_id": "x", "consents": {"CC0001": {"from_date": "01/10/2025", "to_date": "09/12/2025", "consent_expiry": "tomorrow"}}}),
            "INVALID_DATE_FORMAT",
        ),
        (
            json!({"link_id": "x", "bank": "NOSUCHBANK"}),
            "INVALID_BANK_NAME",
        ),
        (
            json!({"link_id": "x", "unknown": 1}),
            "INVALID_PARAMETER_COUNT",
        ),
    ] {
        let (status, body) = post_v2(&h, &t, &request).await;
        assert_eq!(status, 400, "{request}: {body}");
        assert_eq!(body["error"]["code"], code, "{request}: {body}");
    }
    for request in [
        json!({"link_id": "x", "aa_journey_code": "BCAA999"}),
        json!({"link_id": "x", "aa_journey_code": 1}),
        json!({"link_id": "x", "consents": ["CC0001"]}),
    ] {
        let (status, body) = post_v2(&h, &t, &request).await;
        assert_eq!(status, 400, "{request}: {body}");
    }
    // Without the trailing slash too, as every route.
    let r = h
        .http
        .post(format!("{}/bank-connect/v2/session", h.base))
        .header("x-api-key", &t.api_key)
        .json(&json!({"link_id": "no-slash"}))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status().as_u16(), 200);
    // Without credentials, as V1.
    let r = h
        .http
        .post(format!("{}/bank-connect/v2/session/", h.base))
        .json(&json!({"link_id": "x"}))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status().as_u16(), 401);
    h.stop().await;
}
