//! The FIU client (crates/aa) against the simulator over loopback HTTP: the whole consent → FI
//! flow in both wire versions, the approval page driven as a browser would (GET the form, POST
//! it), and every injected fault ending in its documented error.

use chrono::{Duration, Utc};
use ledgerlens_aa::client::{ClientError, ConsentRequest, FiuClient, FiuConfig, HandleStatus};
use ledgerlens_aa::crypto::Variant;
use ledgerlens_aa::jws::{RsaPublicKey, RsaSigner};
use ledgerlens_aa::messages::{EnvelopeError, WireVersion};
use ledgerlens_aa_sim::config::{DEMO_FIU_KEY, DEMO_FIU_KID};
use ledgerlens_aa_sim::{Faults, RunningSim, SimConfig};
use serde_json::Value;

async fn sim_with(faults: Faults) -> RunningSim {
    let mut config = SimConfig::demo();
    config.faults = faults;
    ledgerlens_aa_sim::start(config, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap()
}

/// The AA's key as an FIU gets it: from the registry.
async fn registry_key(sim: &RunningSim) -> RsaPublicKey {
    let entry: Value = reqwest::get(format!("{}/cr/v2/entityInfo/AA/AA-SIM", sim.base_url))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    RsaPublicKey::from_jwk(&entry["entityinfo"]["certificate"]).unwrap()
}

async fn client(sim: &RunningSim, version: WireVersion) -> FiuClient {
    let config = FiuConfig {
        aa_base_url: sim.base_url.clone(),
        aa_id: "AA-SIM".into(),
        fiu_id: "FIU-LEDGERLENS".into(),
        version,
        token_url: Some(format!("{}/iam/v1/entity/token/generate", sim.base_url)),
        client_secret: Some("fiu-sim-secret".into()),
        static_token: None,
        key_variant: Variant::W,
    };
    let signer = RsaSigner::from_pkcs8_der(DEMO_FIU_KID, DEMO_FIU_KEY).unwrap();
    FiuClient::new(config, signer, registry_key(sim).await)
}

fn request() -> ConsentRequest {
    let now = Utc::now();
    ConsentRequest::one_time_statement("9876543210@aa-sim", now - Duration::days(180), now, now)
}

/// Drives the approval page: GET the form (it must offer the accounts), POST OTP + choice.
async fn approve_on_page(
    sim: &RunningSim,
    handle: &str,
    action: &str,
    accounts: &[&str],
) -> reqwest::Response {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page = http
        .get(format!(
            "{}/webview/{handle}?redirect=http://127.0.0.1:1/back",
            sim.base_url
        ))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for account in accounts {
        assert!(page.contains(account), "the page offers {account}");
    }
    let mut form: Vec<(&str, &str)> = vec![
        ("otp", "123456"),
        ("action", action),
        ("redirect", "http://127.0.0.1:1/back"),
    ];
    form.extend(accounts.iter().map(|a| ("account", *a)));
    http.post(format!("{}/webview/{handle}", sim.base_url))
        .form(&form)
        .send()
        .await
        .unwrap()
}

async fn approved(sim: &RunningSim, client: &FiuClient, accounts: &[&str]) -> String {
    let handle = client.create_consent(&request()).await.unwrap();
    assert_eq!(
        client.consent_status(&handle).await.unwrap(),
        HandleStatus::Pending
    );
    let back = approve_on_page(sim, &handle, "approve", accounts).await;
    assert_eq!(back.status(), 303);
    let location = back.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        location.contains("status=S") && location.contains("errorcode=0"),
        "{location}"
    );
    match client.consent_status(&handle).await.unwrap() {
        HandleStatus::Approved(id) => id,
        other => panic!("not approved: {other:?}"),
    }
}

async fn full_flow(version: WireVersion) {
    let sim = sim_with(Faults::default()).await;
    let client = client(&sim, version).await;
    let consent_id = approved(&sim, &client, &["LRN-SIM-0001", "LRN-SIM-0003"]).await;
    let artefact = client.fetch_artefact(&consent_id).await.unwrap();
    assert_eq!(artefact.status.as_deref(), Some("ACTIVE"));
    assert_eq!(artefact.detail.accounts.len(), 2);
    let range = (artefact.detail.fi_data_from, artefact.detail.fi_data_to);
    let session = client
        .request_fi(&artefact, range.0, range.1)
        .await
        .unwrap();
    let opened = client.fetch_fi(&session).await.unwrap();
    assert_eq!(opened.len(), 2);
    for account in &opened {
        let document = account.result.as_ref().unwrap();
        let sim_account = sim
            .sim
            .account(account.link_ref_number.as_deref().unwrap())
            .unwrap();
        let truth = &sim.sim.statement(&sim_account).unwrap().1;
        let txns = &document.account.transactions.as_ref().unwrap().list;
        // The consent covers the last 180 days: every truth row in that window, nothing else.
        let from = (range.0 + Duration::minutes(330)).date_naive();
        let expected: Vec<_> = truth
            .transactions
            .iter()
            .filter(|t| t.date.date() >= from)
            .collect();
        assert_eq!(txns.len(), expected.len());
        for (got, want) in txns.iter().zip(&expected) {
            assert_eq!(got.amount, want.amount);
            assert_eq!(got.current_balance, Some(want.balance));
            assert_eq!(got.narration, want.transaction_note);
        }
    }
    // ONETIME: a second FI request is refused.
    let again = client
        .request_fi(&artefact, range.0, range.1)
        .await
        .unwrap_err();
    assert_eq!(again.aa_code(), Some("InvalidConsentUse"));
}

#[tokio::test]
async fn consent_to_decrypted_fi_v2() {
    full_flow(WireVersion::V2_0_0).await;
}

#[tokio::test]
async fn consent_to_decrypted_fi_v1_1_2() {
    full_flow(WireVersion::V1_1_2).await;
}

#[tokio::test]
async fn declined_and_wrong_otp() {
    let sim = sim_with(Faults::default()).await;
    let client = client(&sim, WireVersion::V2_0_0).await;
    let handle = client.create_consent(&request()).await.unwrap();
    let http = reqwest::Client::new();
    let wrong = http
        .post(format!("{}/webview/{handle}", sim.base_url))
        .form(&[
            ("otp", "000000"),
            ("action", "approve"),
            ("account", "LRN-SIM-0001"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 400);
    let back = approve_on_page(&sim, &handle, "decline", &[]).await;
    assert!(back.headers()["location"]
        .to_str()
        .unwrap()
        .contains("status=F"));
    assert_eq!(
        client.consent_status(&handle).await.unwrap(),
        HandleStatus::Rejected
    );
}

#[tokio::test]
async fn faults_end_in_their_documented_errors() {
    // reject: approval turns into a rejection.
    let sim = sim_with(Faults {
        reject: true,
        ..Faults::default()
    })
    .await;
    let c = client(&sim, WireVersion::V2_0_0).await;
    let handle = c.create_consent(&request()).await.unwrap();
    approve_on_page(&sim, &handle, "approve", &["LRN-SIM-0001"]).await;
    assert_eq!(
        c.consent_status(&handle).await.unwrap(),
        HandleStatus::Rejected
    );

    // revoke: the artefact says REVOKED and an FI request is refused.
    let sim = sim_with(Faults {
        revoke: true,
        ..Faults::default()
    })
    .await;
    let c = client(&sim, WireVersion::V2_0_0).await;
    let id = approved(&sim, &c, &["LRN-SIM-0001"]).await;
    let artefact = c.fetch_artefact(&id).await.unwrap();
    assert_eq!(artefact.status.as_deref(), Some("REVOKED"));
    let e = c
        .request_fi(
            &artefact,
            artefact.detail.fi_data_from,
            artefact.detail.fi_data_to,
        )
        .await;
    assert_eq!(e.unwrap_err().aa_code(), Some("InvalidConsentStatus"));

    // data gone, delay, denied accounts, no transactions, range outside the consent.
    let sim = sim_with(Faults::default()).await;
    let c = client(&sim, WireVersion::V2_0_0).await;
    let set = |f: Faults| sim.sim.set_faults(f);
    set(Faults {
        data_gone: true,
        ..Faults::default()
    });
    let id = approved(&sim, &c, &["LRN-SIM-0001"]).await;
    let artefact = c.fetch_artefact(&id).await.unwrap();
    let (from, to) = (artefact.detail.fi_data_from, artefact.detail.fi_data_to);
    let outside = c
        .request_fi(&artefact, from - Duration::days(30), to)
        .await
        .unwrap_err();
    assert_eq!(outside.aa_code(), Some("InvalidDateRange"));
    let session = c.request_fi(&artefact, from, to).await.unwrap();
    let gone = c.fetch_fi(&session).await.unwrap_err();
    assert!(matches!(gone, ClientError::Aa { status: 410, .. }));
    assert_eq!(gone.aa_code(), Some("DataGone"));

    set(Faults {
        fi_delay_ms: 400,
        denied_accounts: vec!["LRN-SIM-0002".into()],
        no_transactions: true,
        ..Faults::default()
    });
    let id = approved(&sim, &c, &["LRN-SIM-0001", "LRN-SIM-0002"]).await;
    let artefact = c.fetch_artefact(&id).await.unwrap();
    let session = c
        .request_fi(
            &artefact,
            artefact.detail.fi_data_from,
            artefact.detail.fi_data_to,
        )
        .await
        .unwrap();
    let early = c.fetch_fi(&session).await.unwrap_err();
    assert_eq!(early.aa_code(), Some("DataFetchRequestInProgress"));
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let opened = c.fetch_fi(&session).await.unwrap();
    assert_eq!(opened.len(), 1, "the denied account is not delivered");
    assert!(opened[0]
        .result
        .as_ref()
        .unwrap()
        .account
        .has_no_transactions());

    // bad signature: the answer is discarded, whatever it says.
    set(Faults {
        bad_signature: true,
        ..Faults::default()
    });
    let e = c.create_consent(&request()).await.unwrap_err();
    assert!(matches!(e, ClientError::Signature(_)), "{e:?}");
    // stale timestamp: likewise.
    set(Faults {
        stale_timestamp: true,
        ..Faults::default()
    });
    let e = c.create_consent(&request()).await.unwrap_err();
    assert!(
        matches!(e, ClientError::Envelope(EnvelopeError::StaleTimestamp(_))),
        "{e:?}"
    );
}

#[tokio::test]
async fn the_aa_refuses_unsigned_or_unauthorised_callers() {
    let sim = sim_with(Faults::default()).await;
    // Another key than the registered FIU's: SignatureDoesNotMatch.
    let config = FiuConfig {
        aa_base_url: sim.base_url.clone(),
        aa_id: "AA-SIM".into(),
        fiu_id: "FIU-LEDGERLENS".into(),
        version: WireVersion::V2_0_0,
        token_url: Some(format!("{}/iam/v1/entity/token/generate", sim.base_url)),
        client_secret: Some("fiu-sim-secret".into()),
        static_token: None,
        key_variant: Variant::X,
    };
    let stranger = RsaSigner::from_pkcs8_der(
        "x",
        include_bytes!("../../aa/tests/data/jws_test_key.pk8.der"),
    )
    .unwrap();
    let c = FiuClient::new(config.clone(), stranger, registry_key(&sim).await);
    let e = c.create_consent(&request()).await.unwrap_err();
    assert_eq!(e.aa_code(), Some("SignatureDoesNotMatch"));
    // A made-up token: 401.
    let signer = RsaSigner::from_pkcs8_der(DEMO_FIU_KID, DEMO_FIU_KEY).unwrap();
    let c = FiuClient::new(
        FiuConfig {
            token_url: None,
            client_secret: None,
            static_token: Some("a.b.c".into()),
            ..config.clone()
        },
        signer,
        registry_key(&sim).await,
    );
    let e = c.create_consent(&request()).await.unwrap_err();
    assert!(matches!(e, ClientError::Aa { status: 401, .. }), "{e:?}");
    // A wrong secret: the token service refuses.
    let signer = RsaSigner::from_pkcs8_der(DEMO_FIU_KID, DEMO_FIU_KEY).unwrap();
    let c = FiuClient::new(
        FiuConfig {
            client_secret: Some("nope".into()),
            ..config
        },
        signer,
        registry_key(&sim).await,
    );
    assert!(matches!(
        c.create_consent(&request()).await,
        Err(ClientError::Token(_))
    ));
}

#[tokio::test]
async fn x25519_fiu_keys_work_with_an_x25519_fip() {
    let mut config = SimConfig::demo();
    config.fip_variant = Variant::X;
    let sim = ledgerlens_aa_sim::start(config, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let mut c = client(&sim, WireVersion::V2_0_0).await;
    let mut fiu_config = c.config().clone();
    fiu_config.key_variant = Variant::X;
    c = FiuClient::new(
        fiu_config,
        RsaSigner::from_pkcs8_der(DEMO_FIU_KID, DEMO_FIU_KEY).unwrap(),
        registry_key(&sim).await,
    );
    let id = approved(&sim, &c, &["LRN-SIM-0003"]).await;
    let artefact = c.fetch_artefact(&id).await.unwrap();
    let session = c
        .request_fi(
            &artefact,
            artefact.detail.fi_data_from,
            artefact.detail.fi_data_to,
        )
        .await
        .unwrap();
    let opened = c.fetch_fi(&session).await.unwrap();
    assert!(opened[0].result.is_ok());
}
