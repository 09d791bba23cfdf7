//! What the user (approval page) or a test (`/_sim/consents/...`) does to a consent, and the
//! signed artefact an approval produces.

use crate::config::SimAccount;
use crate::notify;
use crate::state::{ConsentState, Sim};
use ledgerlens_aa::messages::timestamp;
use serde_json::{json, Value};
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Approve,
    Reject,
    Revoke,
    Pause,
    Resume,
    Expire,
}

impl Action {
    pub fn parse(s: &str) -> Option<Action> {
        Some(match s {
            "approve" => Action::Approve,
            "reject" | "decline" => Action::Reject,
            "revoke" => Action::Revoke,
            "pause" => Action::Pause,
            "resume" => Action::Resume,
            "expire" => Action::Expire,
            _ => return None,
        })
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum LifecycleError {
    #[error("unknown consent handle")]
    UnknownHandle,
    #[error("the consent is {0} and cannot be changed that way")]
    WrongState(&'static str),
    #[error("select at least one account")]
    NoAccounts,
}

/// Applies `action`; approval selects `link_refs` (all accounts when empty). Sends the
/// notifications each transition causes, then applies post-approval faults (revoke, pause,
/// expire, reject).
pub fn apply(
    sim: &Arc<Sim>,
    handle: &str,
    action: Action,
    link_refs: &[String],
) -> Result<ConsentState, LifecycleError> {
    let faults = sim.faults();
    let action = if action == Action::Approve && faults.reject {
        Action::Reject
    } else {
        action
    };
    let state = transition(sim, handle, action, link_refs)?;
    if action == Action::Approve {
        let follow_up = if faults.revoke {
            Some(Action::Revoke)
        } else if faults.expire {
            Some(Action::Expire)
        } else if faults.pause {
            Some(Action::Pause)
        } else {
            None
        };
        if let Some(next) = follow_up {
            return transition(sim, handle, next, &[]);
        }
    }
    Ok(state)
}

fn transition(
    sim: &Arc<Sim>,
    handle: &str,
    action: Action,
    link_refs: &[String],
) -> Result<ConsentState, LifecycleError> {
    let mut store = sim.store();
    let consent = store
        .consents
        .get_mut(handle)
        .ok_or(LifecycleError::UnknownHandle)?;
    use ConsentState::*;
    let next = match (action, consent.state) {
        (Action::Approve, Pending) => Active,
        (Action::Reject, Pending) => Rejected,
        (Action::Revoke, Active | Paused) => Revoked,
        (Action::Pause, Active) => Paused,
        (Action::Resume, Paused) => Active,
        (Action::Expire, Active | Paused | Pending) => Expired,
        (_, state) => return Err(LifecycleError::WrongState(state.as_str())),
    };
    if action == Action::Approve {
        let accounts: Vec<SimAccount> = sim
            .config
            .accounts
            .iter()
            .filter(|a| link_refs.is_empty() || link_refs.contains(&a.link_ref))
            .cloned()
            .collect();
        if accounts.is_empty() {
            return Err(LifecycleError::NoAccounts);
        }
        let id = uuid::Uuid::new_v4().to_string();
        consent.accounts = accounts;
        consent.id = Some(id.clone());
        let payload = signed_detail(sim, consent, &id);
        consent.signed_consent = sim.signer().sign_compact(payload.as_bytes()).ok();
        store.handle_by_id.insert(id, handle.to_owned());
    }
    let consent = store
        .consents
        .get_mut(handle)
        .ok_or(LifecycleError::UnknownHandle)?;
    consent.state = next;
    let snapshot = consent.clone();
    drop(store);
    notify::consent(sim.clone(), &snapshot);
    Ok(next)
}

/// `SignedConsentDetail`: the request's detail plus the consent id, the chosen accounts and the
/// AA as data provider (digest §3.1).
fn signed_detail(sim: &Sim, consent: &crate::state::Consent, id: &str) -> String {
    let mut detail = serde_json::Map::new();
    detail.insert("consentId".into(), id.into());
    for (k, v) in &consent.detail {
        detail.insert(k.clone(), v.clone());
    }
    if let Some(life) = sim.faults().data_life.as_deref() {
        // Validated when the fault was set; a bad one keeps the requested DataLife.
        if let Ok(life) = crate::config::data_life_json(life) {
            detail.insert("DataLife".into(), life);
        }
    }
    detail.insert(
        "DataProvider".into(),
        json!({"id": sim.config.aa_id, "type": "AA"}),
    );
    let accounts: Vec<Value> = consent
        .accounts
        .iter()
        .map(|a| {
            let masked = sim
                .statement(a)
                .map(|s| crate::fi_data::masked(&s.1.identity.account_number))
                .unwrap_or_default();
            json!({"fiType": "DEPOSIT", "fipId": a.fip_id, "accType": "SAVINGS",
                   "linkRefNumber": a.link_ref, "maskedAccNumber": masked})
        })
        .collect();
    detail.insert("Accounts".into(), accounts.into());
    detail.insert(
        "createTimestamp".into(),
        timestamp(chrono::Utc::now()).into(),
    );
    Value::Object(detail).to_string()
}
