//! Prints the service's OpenAPI document (what /openapi.json serves):
//! `cargo run -p ledgerlens-contract --example openapi > openapi.json`.
fn main() {
    println!("{}", ledgerlens_contract::openapi::json());
}
