use super::*;

/// A vector computed independently of this code, with Python's hashlib.pbkdf2_hmac and the
/// `cryptography` package (AES-256-CBC, zero IV, PKCS#7), on the digest's sample date
/// (06-Apr-2021 10:40:23.756 IST → `060420210510237`).
const SECRET: &str = "sahamati-test-secret";
const DATE: &str = "060420210510237";
const PLAIN: &str = "txnid=f35761ac-4a18-11e8-96ff-0277a9fbfedc&sessionid=assdfghjkl123456&userid=9999999999%40finvu&redirect=https%3A%2F%2Ffiu.example%2Freturn&srcref=39e108fe-9243-11e8-b9f2-0256ebb7b06a";
const ECREQ: &str = "YoFWtlMGqRN1aeO6JRZt4Y81hfdyUCc7v0YP5qa6x1Qng-Rjaga1Oj0f7z1XFKZr01v_oXW7QECQX6V8lTq0yWgc_bfb69qyfqbKDR8oS_lx66vuGVDHxQdQ7eKwi5tfuGthem-fIfBPk2FVwg5sfQgxuULH7ngCAHf1HLq8wJwXw59GBuSyPrRZXzz4ZX_FczaAQs5SIFgG04lyN7yp53qAwqx7n3Gfvzi-8o5Ac35LCpuCxn4Aeb9-cte8Ggj0";
const FI: &str = "dn9lGX51dnZ1Z311fGA=";

#[test]
fn known_vector_encrypts_and_decrypts() {
    assert_eq!(
        hex(&key(SECRET, DATE)),
        "4a97bf1c688a97387de3aee7ae1f48832c2bc0cfb49502c684703d70bc294fa3"
    );
    assert_eq!(encrypt(SECRET, DATE, PLAIN), ECREQ);
    assert_eq!(decrypt(SECRET, DATE, "ecreq", ECREQ).as_deref(), Ok(PLAIN));
    assert_eq!(xor_entity("FIU-LEDGERLENS", DATE), FI);
    assert_eq!(unxor_entity(FI, DATE).as_deref(), Ok("FIU-LEDGERLENS"));
    let at = parse_date(DATE).unwrap();
    assert_eq!(
        at,
        Utc.with_ymd_and_hms(2021, 4, 6, 5, 10, 23).unwrap() + chrono::Duration::milliseconds(700)
    );
    assert_eq!(format_date(at + chrono::Duration::milliseconds(56)), DATE);
    let request = open_request(
        "FIU-LEDGERLENS",
        SECRET,
        Some(FI),
        Some(DATE),
        Some(ECREQ),
        at + chrono::Duration::seconds(30),
        max_age(),
    )
    .unwrap();
    assert_eq!(request.userid, "9999999999@finvu");
    assert_eq!(request.redirect, "https://fiu.example/return");
    assert_eq!(request.srcref, "39e108fe-9243-11e8-b9f2-0256ebb7b06a");
}

#[test]
fn wrong_secret_stale_date_and_foreign_entity_are_refused() {
    let at = parse_date(DATE).unwrap();
    let open = |secret: &str, fi: &str, now| {
        open_request(
            "FIU-LEDGERLENS",
            secret,
            Some(fi),
            Some(DATE),
            Some(ECREQ),
            now,
            max_age(),
        )
    };
    assert_eq!(
        open("another-secret", FI, at),
        Err(RedirectError::Undecryptable("ecreq"))
    );
    assert_eq!(
        open(SECRET, FI, at + chrono::Duration::seconds(181)),
        Err(RedirectError::Stale)
    );
    assert!(matches!(
        open(SECRET, &xor_entity("FIU-OTHER", DATE), at),
        Err(RedirectError::WrongEntity(..))
    ));
    assert_eq!(
        open_request(
            "FIU-LEDGERLENS",
            SECRET,
            Some(FI),
            Some("0604202105"),
            Some(ECREQ),
            at,
            max_age()
        ),
        Err(RedirectError::BadDate("0604202105".into()))
    );
    // A tampered ciphertext does not silently decrypt to something else with valid padding
    // and all the fields.
    let mut tampered = ECREQ.to_owned();
    tampered.replace_range(0..4, "AAAA");
    assert!(open_request(
        "FIU-LEDGERLENS",
        SECRET,
        Some(FI),
        Some(DATE),
        Some(&tampered),
        at,
        max_age()
    )
    .is_err_and(|e| e != RedirectError::Stale));
}

#[test]
fn response_round_trips() {
    let now = Utc::now();
    let response = RedirectResponse {
        txnid: "t-1".into(),
        sessionid: "s-1".into(),
        userid: "9876543210@aa-sim".into(),
        status: "S".into(),
        errorcode: "0".into(),
        srcref: Some("h-1".into()),
    };
    let params = response_params("AA-SIM", SECRET, &response, now);
    let get = |k: &str| {
        params
            .iter()
            .find(|(n, _)| *n == k)
            .map(|(_, v)| v.as_str())
    };
    let opened = open_response(
        "AA-SIM",
        SECRET,
        get("fi"),
        get("resdate"),
        get("ecres"),
        now,
    )
    .unwrap();
    assert_eq!(opened, response);
    assert!(opened.approved());
    assert_eq!(
        open_response("AA-SIM", SECRET, get("fi"), get("resdate"), None, now),
        Err(RedirectError::Missing("ecres"))
    );
}

fn max_age() -> chrono::Duration {
    chrono::Duration::seconds(MAX_AGE_SECONDS)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
