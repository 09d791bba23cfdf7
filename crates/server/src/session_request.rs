//! Validation of the Session API's request body (seed 002): every rule and error code of its
//! tables, applied in a fixed order so the first problem found is the one reported.

use crate::errors::{ApiError, ApiResult};
use axum::http::StatusCode;
use chrono::{Months, NaiveDate};
use ledgerlens_statement::banks;
use serde::Serialize;
use serde_json::{Map, Value};

/// Every parameter the Session API documents; more keys than this is INVALID_PARAMETER_COUNT.
const KNOWN_PARAMETERS: &[&str] = &[
    "link_id",
    "api_key",
    "redirect_url",
    "from_date",
    "to_date",
    "max_from_date",
    "max_to_date",
    "logo_url",
    "bank_name",
    "mode",
    "mobile_number",
    "session_expiry",
    "journey_mode",
    "accept_anything",
    "is_mobile_field_editable",
    "aa_journey_mode",
    "aa_recurring_tenure_month",
    "aa_recurring_tenure_month_count",
    "aa_recurring_frequency_unit",
    "aa_recurring_frequency_value",
    "metadata",
];
const MAX_AA_TENURE_MONTHS: i64 = 60;

/// An accepted Session API request.
#[derive(Debug, Clone, Serialize)]
pub struct SessionRequest {
    pub link_id: String,
    pub redirect_url: Option<String>,
    pub logo_url: Option<String>,
    pub from_date: NaiveDate,
    pub to_date: NaiveDate,
    pub max_from_date: Option<NaiveDate>,
    pub max_to_date: Option<NaiveDate>,
    pub bank_name: Option<String>,
    pub mode: Option<String>,
    pub mobile_number: Option<String>,
    pub session_expiry_minutes: Option<i64>,
    pub journey_mode: Option<String>,
    pub accept_anything: bool,
    pub is_mobile_field_editable: bool,
    pub aa_journey_mode: Option<String>,
    pub aa_recurring_tenure_month: Option<i64>,
    pub aa_recurring_frequency_unit: Option<String>,
    pub aa_recurring_frequency_value: Option<i64>,
    /// names / employer_names / companies_for_self_transfer, kept for enrichment.
    pub metadata: Value,
    /// Session API V2 (session-v2.md): the AA journey code ("BCAA001"…) and the caller's
    /// consent overrides (`{"CC0001": {from_date, to_date, consent_expiry}}`), kept with the
    /// session for the AA journey.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aa_journey_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consents: Option<Value>,
}

/// session-v2.md's predefined AA journey codes.
const AA_JOURNEY_CODES: &[&str] = &["BCAA001", "BCAA002", "BCAA003", "BCAA004"];

/// Validates a Session API V2 body (session-v2.md): V1's parameters plus `aa_journey_code` and
/// `consents`, and `bank` for `bank_name` as the page's scenarios write it. A journey code with
/// a bank and no mode is an AA journey for that bank when an AA is configured (scenario 2:
/// "goes directly to AA mobile number page for the provided bank").
pub fn validate_v2(body: &Map<String, Value>, today: NaiveDate) -> ApiResult<SessionRequest> {
    let mut rest = body.clone();
    if let Some(bank) = rest.shift_remove("bank") {
        if !rest.contains_key("bank_name") {
            rest.insert("bank_name".into(), bank);
        }
    }
    let code = match rest.shift_remove("aa_journey_code") {
        None | Some(Value::Null) => None,
        Some(Value::String(code)) => Some(code.trim().to_ascii_uppercase()),
        Some(_) => {
            return Err(ApiError::invalid_field(
                "aa_journey_code",
                "Not a valid string.",
            ))
        }
    };
    choice("aa_journey_code", &code, AA_JOURNEY_CODES)?;
    let consents = match rest.shift_remove("consents") {
        None | Some(Value::Null) => None,
        Some(consents) => Some(consent_overrides(consents)?),
    };
    // Scenario 2's AA journey needs an AA; without one configured the session is the bank's
    // PDF journey (an explicit `"mode": "aa"` still answers MODE_NOT_ENABLED, as in V1).
    if code.is_some()
        && !rest.contains_key("mode")
        && text(&rest, "bank_name").is_some()
        && ledgerlens_processing::aa_flow::runtime().is_some()
    {
        rest.insert("mode".into(), Value::String("aa".into()));
    }
    let mut request = validate(&rest, today)?;
    request.aa_journey_code = code;
    request.consents = consents;
    Ok(request)
}

/// `consents`: consent code → `{from_date, to_date, consent_expiry}`, dates `DD/MM/YYYY` with
/// from before to, as the Session API's own dates.
fn consent_overrides(consents: Value) -> ApiResult<Value> {
    let not_a_dictionary =
        || ApiError::invalid_field("consents", "Expected a dictionary of items.");
    let Value::Object(map) = &consents else {
        return Err(not_a_dictionary());
    };
    for consent in map.values() {
        let Value::Object(fields) = consent else {
            return Err(not_a_dictionary());
        };
        date_pair(fields, "from_date", "to_date")?;
        if let Some(expiry) = text(fields, "consent_expiry") {
            parse_dd_mm_yyyy(&expiry).ok_or_else(|| {
                ApiError::bad_request(
                    "INVALID_DATE_FORMAT",
                    "Invalid `consent_expiry` format. Use `DD/MM/YYYY`.",
                )
            })?;
        }
    }
    Ok(consents)
}

/// A field as text: strings as they are, numbers and booleans as printed (DRF coerces them).
fn text(body: &Map<String, Value>, field: &str) -> Option<String> {
    match body.get(field)? {
        Value::Null => None,
        Value::String(s) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
        other @ (Value::Number(_) | Value::Bool(_)) => Some(other.to_string()),
        other => Some(other.to_string()),
    }
}

fn max_length(field: &str, value: &Option<String>, limit: usize) -> ApiResult<()> {
    match value {
        Some(v) if v.chars().count() > limit => Err(ApiError::invalid_field(
            field,
            &format!("Ensure this field has no more than {limit} characters."),
        )),
        _ => Ok(()),
    }
}

fn choice(field: &str, value: &Option<String>, choices: &[&str]) -> ApiResult<()> {
    match value {
        Some(v) if !choices.contains(&v.as_str()) => Err(ApiError::invalid_field(
            field,
            &format!("\"{v}\" is not a valid choice."),
        )),
        _ => Ok(()),
    }
}

fn valid_url(field: &str, value: &Option<String>) -> ApiResult<()> {
    let Some(v) = value else { return Ok(()) };
    let ok = url::Url::parse(v)
        .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some());
    if ok {
        Ok(())
    } else {
        Err(ApiError::invalid_field(field, "Enter a valid URL."))
    }
}

fn boolean(body: &Map<String, Value>, field: &str) -> ApiResult<bool> {
    match body.get(field) {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" => Ok(true),
            "false" | "0" | "no" | "" => Ok(false),
            _ => Err(ApiError::invalid_field(field, "Must be a valid boolean.")),
        },
        Some(Value::Number(n)) if n.as_i64() == Some(0) || n.as_i64() == Some(1) => {
            Ok(n.as_i64() == Some(1))
        }
        Some(_) => Err(ApiError::invalid_field(field, "Must be a valid boolean.")),
    }
}

/// An integer given as a JSON integer or a string of digits; `Err(())` if present but not one.
fn integer(body: &Map<String, Value>, field: &str) -> Result<Option<i64>, ()> {
    match body.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n.as_i64().map(Some).ok_or(()),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => s.trim().parse::<i64>().map(Some).map_err(|_| ()),
        Some(_) => Err(()),
    }
}

/// `DD/MM/YYYY`, strictly.
pub fn parse_dd_mm_yyyy(s: &str) -> Option<NaiveDate> {
    let parts: Vec<&str> = s.split('/').collect();
    match parts.as_slice() {
        [d, m, y] if d.len() == 2 && m.len() == 2 && y.len() == 4 => {
            NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
        }
        _ => None,
    }
}

fn date_pair(
    body: &Map<String, Value>,
    from: &str,
    to: &str,
) -> ApiResult<Option<(NaiveDate, NaiveDate)>> {
    let (from_text, to_text) = (text(body, from), text(body, to));
    let (from_text, to_text) = match (from_text, to_text) {
        (None, None) => return Ok(None),
        (Some(f), Some(t)) => (f, t),
        _ => {
            return Err(ApiError::bad_request(
                "MISSING_DATE_FIELD",
                format!("`{from}` and `{to}` are required."),
            ))
        }
    };
    let bad_format = || {
        ApiError::bad_request(
            "INVALID_DATE_FORMAT",
            format!("Invalid `{from}` or `{to}` format. Use `DD/MM/YYYY`."),
        )
    };
    let from_date = parse_dd_mm_yyyy(&from_text).ok_or_else(bad_format)?;
    let to_date = parse_dd_mm_yyyy(&to_text).ok_or_else(bad_format)?;
    if from_date >= to_date {
        return Err(ApiError::bad_request(
            "INVALID_DATE_RANGE",
            format!("`{from}` cannot be greater or equal to `{to}`."),
        ));
    }
    Ok(Some((from_date, to_date)))
}

fn mobile_number(value: &Option<String>) -> ApiResult<()> {
    let Some(v) = value else { return Ok(()) };
    let digits = v
        .strip_prefix("+91")
        .or_else(|| v.strip_prefix("91").filter(|rest| rest.len() == 10))
        .unwrap_or(v);
    let ok = digits.len() == 10
        && digits.chars().all(|c| c.is_ascii_digit())
        && digits.starts_with(['6', '7', '8', '9']);
    if ok {
        Ok(())
    } else {
        Err(ApiError::bad_request(
            "INVALID_MOBILE_NUMBER",
            "Invalid mobile number.",
        ))
    }
}

fn metadata(body: &Map<String, Value>) -> ApiResult<Value> {
    let Some(value) = body.get("metadata").filter(|v| !v.is_null()) else {
        return Ok(Value::Object(Map::new()));
    };
    let Value::Object(map) = value else {
        return Err(ApiError::invalid_field(
            "metadata",
            "Expected a dictionary of items.",
        ));
    };
    for key in ["names", "employer_names", "companies_for_self_transfer"] {
        match map.get(key) {
            None | Some(Value::Null) => {}
            Some(Value::Array(items)) if items.iter().all(Value::is_string) => {}
            Some(_) => {
                return Err(ApiError::invalid_field(
                    "metadata",
                    &format!("{key} must be a list of strings."),
                ))
            }
        }
    }
    Ok(value.clone())
}

fn bank(value: &Option<String>) -> ApiResult<Option<&'static banks::CatalogueEntry>> {
    let Some(name) = value else { return Ok(None) };
    let lower = name.to_ascii_lowercase();
    banks::catalogue()
        .iter()
        .find(|b| b.id == lower)
        .map(Some)
        .ok_or_else(|| ApiError::bad_request("INVALID_BANK_NAME", "Invalid bank identifier."))
}

/// Validates a Session API body; `today` anchors the default range.
pub fn validate(body: &Map<String, Value>, today: NaiveDate) -> ApiResult<SessionRequest> {
    // Seed 002, matrix 4: "Number of parameters mismatched (too many or too few)". A parameter
    // the API does not document is one too many, whatever the total.
    if body.len() > KNOWN_PARAMETERS.len()
        || body
            .keys()
            .any(|key| !KNOWN_PARAMETERS.contains(&key.as_str()))
    {
        return Err(ApiError::bad_request(
            "INVALID_PARAMETER_COUNT",
            "Invalid number of parameters",
        ));
    }
    // link_id is a string (DRF's CharField): a number, flag, list or object is refused rather
    // than printed into one, so two clients never share a link by accident.
    if body
        .get("link_id")
        .is_some_and(|v| !v.is_string() && !v.is_null())
    {
        return Err(ApiError::invalid_field("link_id", "Not a valid string."));
    }
    let link_id = text(body, "link_id")
        .ok_or_else(|| ApiError::invalid_field("link_id", "This field is required."))?;
    max_length("link_id", &Some(link_id.clone()), 500)?;
    let redirect_url = text(body, "redirect_url");
    max_length("redirect_url", &redirect_url, 200)?;
    valid_url("redirect_url", &redirect_url)?;
    let logo_url = text(body, "logo_url");
    valid_url("logo_url", &logo_url)?;
    let bank_name = text(body, "bank_name");
    max_length("bank_name", &bank_name, 50)?;
    let catalogue_bank = bank(&bank_name)?;
    let mode = text(body, "mode");
    choice("mode", &mode, &["pdf", "aa", "online"])?;
    let journey_mode = text(body, "journey_mode");
    max_length("journey_mode", &journey_mode, 50)?;
    choice(
        "journey_mode",
        &journey_mode,
        &["multi_pdf", "multi_banking"],
    )?;
    let mobile = text(body, "mobile_number");
    mobile_number(&mobile)?;
    let session_expiry = integer(body, "session_expiry")
        .ok()
        .and_then(|v| v.map_or(Some(None), |m| (5..=43200).contains(&m).then_some(Some(m))))
        .ok_or_else(|| {
            ApiError::bad_request(
                "INVALID_SESSION_EXPIRY",
                "Session expiry should be int, Min value is 5 and Max is 43200 in minutes",
            )
        })?;
    let accept_anything = boolean(body, "accept_anything")?;
    let is_mobile_field_editable = boolean(body, "is_mobile_field_editable")?;
    let (from_date, to_date) =
        date_pair(body, "from_date", "to_date")?.unwrap_or_else(|| default_range(today));
    let max_range = date_pair(body, "max_from_date", "max_to_date")?;
    let aa = aa_parameters(body, &bank_name, &mode)?;
    if mode.is_some() && bank_name.is_none() {
        return Err(ApiError::bad_request(
            "MISSING_BANK_NAME",
            "`bank_name` is required with `mode`.",
        ));
    }
    check_mode_available(mode.as_deref(), catalogue_bank)?;
    Ok(SessionRequest {
        link_id,
        redirect_url,
        logo_url,
        from_date,
        to_date,
        max_from_date: max_range.map(|r| r.0),
        max_to_date: max_range.map(|r| r.1),
        bank_name: bank_name.map(|b| b.to_ascii_lowercase()),
        mode,
        mobile_number: mobile,
        session_expiry_minutes: session_expiry,
        journey_mode,
        accept_anything,
        is_mobile_field_editable,
        aa_journey_mode: aa.journey_mode,
        aa_recurring_tenure_month: aa.tenure_months,
        aa_recurring_frequency_unit: aa.frequency_unit,
        aa_recurring_frequency_value: aa.frequency_value,
        metadata: metadata(body)?,
        aa_journey_code: None,
        consents: None,
    })
}

/// Six months back from today.
pub fn default_range(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    (
        today.checked_sub_months(Months::new(6)).unwrap_or(today),
        today,
    )
}

struct AaParameters {
    journey_mode: Option<String>,
    tenure_months: Option<i64>,
    frequency_unit: Option<String>,
    frequency_value: Option<i64>,
}

fn aa_parameters(
    body: &Map<String, Value>,
    bank_name: &Option<String>,
    mode: &Option<String>,
) -> ApiResult<AaParameters> {
    let journey_mode = text(body, "aa_journey_mode");
    choice(
        "aa_journey_mode",
        &journey_mode,
        &["only_recurring", "once_with_recurring"],
    )?;
    let tenure_field = if body.contains_key("aa_recurring_tenure_month_count") {
        "aa_recurring_tenure_month_count"
    } else {
        "aa_recurring_tenure_month"
    };
    let tenure = integer(body, tenure_field).map_err(|()| {
        ApiError::invalid_field(
            "aa_recurring_tenure_month_count",
            "A valid integer is required.",
        )
    })?;
    if tenure.is_some_and(|t| !(1..=84).contains(&t)) {
        return Err(ApiError::bad_request(
            "INVALID_AA_PARAMETER",
            "Tenure must be between 1 and 84",
        ));
    }
    let frequency_unit = text(body, "aa_recurring_frequency_unit");
    choice(
        "aa_recurring_frequency_unit",
        &frequency_unit,
        &["day", "week", "month", "year"],
    )?;
    let frequency_value = integer(body, "aa_recurring_frequency_value").map_err(|()| {
        ApiError::invalid_field(
            "aa_recurring_frequency_value",
            "A valid integer is required.",
        )
    })?;
    if frequency_value.is_some_and(|v| !(1..=5).contains(&v)) {
        return Err(ApiError::bad_request(
            "INVALID_AA_PARAMETER",
            "Frequency value must be between 1 and 5",
        ));
    }
    if journey_mode.is_some() {
        if frequency_unit.is_none() || frequency_value.is_none() {
            return Err(ApiError::bad_request(
                "MISSING_AA_PARAMETER",
                "Frequency unit/value required",
            ));
        }
        if bank_name.is_none() || mode.is_none() {
            return Err(ApiError::bad_request(
                "MISSING_AA_PARAMETER",
                "`bank_name` and `mode` required",
            ));
        }
    }
    // Longer tenures are corrected to the allowed window rather than refused, as documented.
    let tenure_months = tenure.map(|t| t.min(MAX_AA_TENURE_MONTHS));
    Ok(AaParameters {
        journey_mode,
        tenure_months,
        frequency_unit,
        frequency_value,
    })
}

/// PDF upload always; AA when an Account Aggregator is configured; net banking never.
fn check_mode_available(mode: Option<&str>, bank: Option<&banks::CatalogueEntry>) -> ApiResult<()> {
    let (Some(mode), Some(bank)) = (mode, bank) else {
        return Ok(());
    };
    let bank_supports = match mode {
        "pdf" => bank.manual_upload_available,
        "online" => bank.net_banking_available,
        // With an AA configured, its bank list decides; without one the mode is not enabled.
        "aa" => {
            ledgerlens_processing::aa_flow::runtime().is_none()
                || ledgerlens_processing::aa_flow::available_for(&bank.id)
        }
        _ => true,
    };
    if !bank_supports {
        return Err(ApiError::bad_request(
            "MODE_NOT_AVAILABLE",
            "Specified mode not available for this bank.",
        ));
    }
    if mode == "online" || (mode == "aa" && ledgerlens_processing::aa_flow::runtime().is_none()) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "MODE_NOT_ENABLED",
            "Specified mode not enabled. Contact FinBox Admin.",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn body(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, 3, 20).unwrap_or_default()
    }

    fn code(v: Value) -> &'static str {
        match validate(&body(v), today()) {
            Ok(_) => "OK",
            Err(e) => e.code,
        }
    }

    #[test]
    fn defaults_to_six_months_ending_today() {
        let r = validate(&body(json!({"link_id": "u1"})), today()).expect("valid");
        assert_eq!(r.to_date, today());
        assert_eq!(
            r.from_date,
            NaiveDate::from_ymd_opt(2023, 9, 20).unwrap_or_default()
        );
    }

    #[test]
    fn every_rule_reports_its_code() {
        assert_eq!(code(json!({})), "INVALID_REQUEST");
        assert_eq!(code(json!({"link_id": "x".repeat(501)})), "INVALID_REQUEST");
        assert_eq!(
            code(json!({"link_id": "u", "from_date": "01/01/2024"})),
            "MISSING_DATE_FIELD"
        );
        assert_eq!(
            code(json!({"link_id": "u", "from_date": "2024-01-01", "to_date": "01/02/2024"})),
            "INVALID_DATE_FORMAT"
        );
        assert_eq!(
            code(json!({"link_id": "u", "from_date": "01/02/2024", "to_date": "01/02/2024"})),
            "INVALID_DATE_RANGE"
        );
        assert_eq!(
            code(json!({"link_id": "u", "max_from_date": "01/02/2024", "max_to_date": "1/1/2024"})),
            "INVALID_DATE_FORMAT"
        );
        assert_eq!(
            code(json!({"link_id": "u", "bank_name": "nosuchbank"})),
            "INVALID_BANK_NAME"
        );
        assert_eq!(
            code(json!({"link_id": "u", "bank_name": "x".repeat(51)})),
            "INVALID_REQUEST"
        );
        assert_eq!(
            code(json!({"link_id": "u", "mode": "pdf"})),
            "MISSING_BANK_NAME"
        );
        assert_eq!(
            code(json!({"link_id": "u", "mode": "no"})),
            "INVALID_REQUEST"
        );
        assert_eq!(
            code(json!({"link_id": "u", "mode": "aa", "bank_name": "hdfc"})),
            "MODE_NOT_ENABLED"
        );
        assert_eq!(
            code(json!({"link_id": "u", "mode": "pdf", "bank_name": "hdfc"})),
            "OK"
        );
        assert_eq!(
            code(json!({"link_id": "u", "session_expiry": 4})),
            "INVALID_SESSION_EXPIRY"
        );
        assert_eq!(
            code(json!({"link_id": "u", "session_expiry": 43201})),
            "INVALID_SESSION_EXPIRY"
        );
        assert_eq!(
            code(json!({"link_id": "u", "session_expiry": "ten"})),
            "INVALID_SESSION_EXPIRY"
        );
        assert_eq!(code(json!({"link_id": "u", "session_expiry": 5})), "OK");
        assert_eq!(
            code(json!({"link_id": "u", "mobile_number": "12345"})),
            "INVALID_MOBILE_NUMBER"
        );
        assert_eq!(
            code(json!({"link_id": "u", "mobile_number": "+919876543210"})),
            "OK"
        );
        assert_eq!(
            code(json!({"link_id": "u", "logo_url": "not a url"})),
            "INVALID_REQUEST"
        );
        assert_eq!(
            code(
                json!({"link_id": "u", "redirect_url": format!("https://x.in/{}", "a".repeat(200))})
            ),
            "INVALID_REQUEST"
        );
        assert_eq!(
            code(json!({"link_id": "u", "journey_mode": "solo"})),
            "INVALID_REQUEST"
        );
        assert_eq!(
            code(json!({"link_id": "u", "is_mobile_field_editable": "maybe"})),
            "INVALID_REQUEST"
        );
        assert_eq!(
            code(json!({"link_id": "u", "aa_journey_mode": "hello"})),
            "INVALID_REQUEST"
        );
        assert_eq!(
            code(json!({"link_id": "u", "aa_recurring_tenure_month_count": "x"})),
            "INVALID_REQUEST"
        );
        assert_eq!(
            code(json!({"link_id": "u", "aa_recurring_tenure_month": 85})),
            "INVALID_AA_PARAMETER"
        );
        assert_eq!(
            code(json!({"link_id": "u", "aa_recurring_frequency_unit": "1"})),
            "INVALID_REQUEST"
        );
        assert_eq!(
            code(json!({"link_id": "u", "aa_journey_mode": "only_recurring"})),
            "MISSING_AA_PARAMETER"
        );
        assert_eq!(
            code(
                json!({"link_id": "u", "aa_journey_mode": "only_recurring", "aa_recurring_frequency_unit": "month", "aa_recurring_frequency_value": 1})
            ),
            "MISSING_AA_PARAMETER"
        );
        assert_eq!(
            code(json!({"link_id": "u", "metadata": {"names": [1]}})),
            "INVALID_REQUEST"
        );
        let too_many: Map<String, Value> = (0..30).map(|i| (format!("k{i}"), json!(1))).collect();
        assert_eq!(code(Value::Object(too_many)), "INVALID_PARAMETER_COUNT");
        // Seed 002 matrix: one undocumented parameter is already a mismatched count.
        assert_eq!(
            code(json!({"link_id": "u", "colour": "blue"})),
            "INVALID_PARAMETER_COUNT"
        );
        assert_eq!(code(json!({"link_id": 42})), "INVALID_REQUEST");
        assert_eq!(code(json!({"link_id": ["u"]})), "INVALID_REQUEST");
    }

    #[test]
    fn tenure_above_sixty_is_corrected() {
        let r = validate(
            &body(json!({"link_id": "u", "aa_recurring_tenure_month": 70})),
            today(),
        )
        .expect("valid");
        assert_eq!(r.aa_recurring_tenure_month, Some(60));
    }
}
