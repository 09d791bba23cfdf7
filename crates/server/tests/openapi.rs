//! /openapi.json documents every route the router serves (SQLite).
//!
//! The route list is read from the router's own definitions (`.route(…)` calls in app.rs,
//! legacy.rs and journey/mod.rs), so a route added there without documentation fails here. The
//! generic `{section}` routes are expanded with the sections their handlers serve (kept below).

mod common;

use common::{Db, Harness};
use serde_json::Value;

/// The router sources and how their route-path helpers expand.
const SOURCES: &[(&str, &str)] = &[
    ("app.rs", include_str!("../src/app.rs")),
    ("legacy.rs", include_str!("../src/legacy.rs")),
    ("journey/mod.rs", include_str!("../src/journey/mod.rs")),
];

/// Sections behind session_data/{session_id}/{section}/ (session_routes::insights_section).
const SESSION_SECTIONS: &[&str] = &[
    "predictors",
    "eod_balances",
    "monthly_analysis_updated",
    "recurring_transactions",
];

/// Sections behind entity/{entity_id}/{section}/ (legacy::section).
const ENTITY_SECTIONS: &[&str] = &[
    "salary",
    "recurring_transactions",
    "lender_transactions",
    "get_expense_categories",
    "top_credits_debits",
    "monthly_analysis_updated",
    "predictors",
    "score",
    "monthly_analysis",
    "rolling_monthly_analysis",
    "raw_excel_report",
];

const METHODS: &[&str] = &["get", "post", "put", "patch", "delete"];

fn expand_format(template: &str) -> String {
    template
        .replace("{V1}", "/bank-connect/v1")
        .replace("{{", "{")
        .replace("}}", "}")
}

/// The first string literal of `text` (route strings hold no escapes).
fn first_literal(text: &str) -> &str {
    let start = text.find('"').expect("a string literal") + 1;
    let end = start + text[start..].find('"').expect("closing quote");
    &text[start..end]
}

/// The arguments of the call whose opening parenthesis is at `open`.
fn call_args(source: &str, open: usize) -> &str {
    let mut depth = 0usize;
    for (i, c) in source[open..].char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return &source[open + 1..open + i];
                }
            }
            _ => {}
        }
    }
    panic!("unbalanced .route( call");
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// (method, OpenAPI path) of every route the router defines.
fn router_routes() -> Vec<(String, String)> {
    let mut routes = Vec::new();
    for (file, source) in SOURCES {
        for (at, _) in source.match_indices(".route(") {
            let args = call_args(source, at + ".route".len());
            let first = args.trim_start();
            let paths: Vec<String> = if first.starts_with('"') {
                vec![first_literal(first).to_owned()]
            } else if first.starts_with("&format!(") {
                vec![expand_format(first_literal(first))]
            } else if first.starts_with("&data(") {
                let section = first_literal(first);
                vec![format!(
                    "/bank-connect/v1/session_data/{{session_id}}/{section}/"
                )]
            } else if first.starts_with("&entity(") {
                let section = first_literal(first);
                vec![format!("/bank-connect/v1/entity/{{entity_id}}/{section}/")]
            } else {
                panic!("{file}: unrecognised route path in .route({args})");
            };
            let paths: Vec<String> = paths
                .into_iter()
                .flat_map(|p| {
                    let sections = if p.starts_with("/bank-connect/v1/session_data/") {
                        SESSION_SECTIONS
                    } else {
                        ENTITY_SECTIONS
                    };
                    if p.contains("{section}") {
                        sections.iter().map(|s| p.replace("{section}", s)).collect()
                    } else {
                        vec![p]
                    }
                })
                .collect();
            let methods: Vec<&str> = METHODS
                .iter()
                .copied()
                .filter(|m| {
                    args.match_indices(&format!("{m}("))
                        .any(|(i, _)| !args[..i].chars().next_back().is_some_and(is_ident))
                })
                .collect();
            assert!(!methods.is_empty(), "{file}: no method in .route({args})");
            for path in &paths {
                for method in &methods {
                    routes.push(((*method).to_owned(), path.clone()));
                }
            }
        }
    }
    routes
}

/// A concrete URL path for a documented template.
fn concrete(path: &str) -> String {
    path.replace("{session_id}", "nosuchsession")
        .replace("{entity_id}", "nosuchentity")
        .replace("{file}", "nosuchfile.xlsx")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openapi_documents_every_route() {
    let routes = router_routes();
    // The scan itself must see the routes it is meant to guard.
    for expected in [
        ("get", "/openapi.json"),
        ("post", "/bank-connect/v1/statement/upload_base64/"),
        ("get", "/bank-connect/v1/entity/{entity_id}/xlsx_report/"),
        ("get", "/bank-connect/v1/files/reports/{session_id}/{file}"),
        ("post", "/journey/api/upload"),
        (
            "get",
            "/bank-connect/v1/session_data/{session_id}/eod_balances/",
        ),
        ("get", "/bank-connect/v1/entity/{entity_id}/score/"),
    ] {
        assert!(
            routes
                .iter()
                .any(|(m, p)| (m.as_str(), p.as_str()) == expected),
            "route scan missed {expected:?}"
        );
    }

    let h = Harness::start(Db::Sqlite).await;
    let r = h
        .http
        .get(format!("{}/openapi.json", h.base))
        .send()
        .await
        .expect("openapi");
    assert_eq!(r.status().as_u16(), 200);
    let served = r.text().await.expect("body");
    let repo = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.json"))
        .expect("repo openapi.json");
    assert_eq!(served, repo, "the served document is the repository copy");
    let doc: Value = serde_json::from_str(&served).expect("json");
    assert_eq!(doc["openapi"], "3.0.3");

    let missing: Vec<String> = routes
        .iter()
        .filter(|(method, path)| doc["paths"][path.as_str()][method.as_str()].is_null())
        .map(|(method, path)| format!("{} {path}", method.to_uppercase()))
        .collect();
    assert!(
        missing.is_empty(),
        "routes missing from openapi.json: {missing:#?}"
    );

    // Every operation has a unique operationId and a tag, for generated clients.
    let mut operation_ids = std::collections::BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("path item") {
            let id = operation["operationId"].as_str().unwrap_or_default();
            assert!(!id.is_empty(), "{method} {path}: no operationId");
            assert!(
                operation_ids.insert(id.to_owned()),
                "{method} {path}: {id} twice"
            );
            assert!(
                operation["tags"].as_array().is_some_and(|t| !t.is_empty()),
                "{method} {path}: no tag"
            );
        }
    }

    // And the other way round: every documented operation is routed (never the 404 fallback
    // or a 405), and answers without a server error even unauthenticated and without a body.
    let paths = doc["paths"].as_object().expect("paths");
    for (path, item) in paths {
        for method in item.as_object().expect("path item").keys() {
            let url = format!("{}{}", h.base, concrete(path));
            let request = match method.as_str() {
                "get" => h.http.get(&url),
                "post" => h.http.post(&url),
                "delete" => h.http.delete(&url),
                other => panic!("unexpected method {other} on {path}"),
            };
            let r = request.send().await.expect("send");
            let status = r.status().as_u16();
            let body = r.text().await.unwrap_or_default();
            assert!(
                status != 405 && status < 500,
                "{method} {path}: {status} {body}"
            );
            // The fallback's DRF body (a documented route answers its own errors first).
            assert!(
                body != r#"{"detail":"Not found."}"#,
                "{method} {path} is documented but not routed"
            );
        }
    }
    h.stop().await;
}
