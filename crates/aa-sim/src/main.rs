//! `ledgerlens-aa-sim`: the AA simulator as a process.

use clap::Parser;
use ledgerlens_aa::jws::{RsaPublicKey, RsaSigner};
use ledgerlens_aa_sim::{SimAccount, SimConfig};
use std::net::SocketAddr;

#[derive(Parser)]
#[command(
    version,
    about = "Local Account Aggregator simulator (AA + FIPs + token service) for ledgerlens"
)]
struct Args {
    /// Address to listen on.
    #[arg(long, env = "AA_SIM_LISTEN", default_value = "127.0.0.1:7070")]
    listen: SocketAddr,
    /// The simulator's AA entity id.
    #[arg(long, env = "AA_SIM_AA_ID", default_value = "AA-SIM")]
    aa_id: String,
    /// The FIU's entity id (the token service issues tokens only to it).
    #[arg(long, env = "AA_SIM_FIU_ID", default_value = "FIU-LEDGERLENS")]
    fiu_id: String,
    /// The FIU's client secret at the token service.
    #[arg(
        long,
        env = "AA_SIM_FIU_SECRET",
        default_value = "fiu-sim-secret",
        hide_env_values = true
    )]
    fiu_secret: String,
    /// The FIU's base URL for notifications, e.g. http://127.0.0.1:8000/aa (none: no notifications).
    #[arg(long, env = "AA_SIM_FIU_URL")]
    fiu_url: Option<String>,
    /// The FIU's public signing key: a JWK JSON file, or its PKCS#8 private key (DER or PEM) from
    /// which the public half is taken. Default: the demo FIU key `serve` uses without one.
    #[arg(long, env = "AA_SIM_FIU_KEY")]
    fiu_key: Option<std::path::PathBuf>,
    /// The secret shared with the FIU for the web redirection (ecreq/ecres).
    #[arg(
        long,
        env = "AA_SIM_REDIRECT_SECRET",
        default_value = "fiu-sim-redirect-secret",
        hide_env_values = true
    )]
    redirect_secret: String,
    /// FIP key agreement: "w" (BouncyCastle Weierstrass, the ecosystem default) or "x" (X25519).
    #[arg(long, default_value = "w")]
    fip_variant: String,
    /// Accounts as fip_id:link_ref:layout:seed:months (repeatable; default: three demo accounts).
    #[arg(long = "account")]
    accounts: Vec<String>,
    /// Faults to inject from the start, e.g. --fault reject --fault fi_delay_ms=2000.
    #[arg(long = "fault")]
    faults: Vec<String>,
    /// Print the demo FIU key's public JWK and exit.
    #[arg(long)]
    print_demo_fiu_jwk: bool,
}

fn fiu_key(path: &std::path::Path) -> anyhow::Result<RsaPublicKey> {
    let bytes = std::fs::read(path)?;
    if let Ok(jwk) = serde_json::from_slice::<serde_json::Value>(&bytes) {
        return Ok(RsaPublicKey::from_jwk(&jwk)?);
    }
    let signer = match std::str::from_utf8(&bytes) {
        Ok(pem) if pem.contains("-----BEGIN") => RsaSigner::from_pkcs8_pem("fiu", pem)?,
        _ => RsaSigner::from_pkcs8_der("fiu", &bytes)?,
    };
    Ok(signer.public_key())
}

fn account(spec: &str) -> anyhow::Result<SimAccount> {
    let parts: Vec<&str> = spec.split(':').collect();
    let [fip_id, link_ref, layout, seed, months] = parts.as_slice() else {
        anyhow::bail!("--account wants fip_id:link_ref:layout:seed:months, got {spec:?}");
    };
    ledgerlens_fixtures::find_layout(layout).map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(SimAccount {
        fip_id: (*fip_id).into(),
        link_ref: (*link_ref).into(),
        layout: (*layout).into(),
        seed: seed.parse()?,
        months: months.parse()?,
    })
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let args = Args::parse();
    let mut config = SimConfig::demo();
    if args.print_demo_fiu_jwk {
        println!("{}", config.fiu_key.to_jwk());
        return Ok(());
    }
    config.aa_id = args.aa_id;
    config.fiu_id = args.fiu_id;
    config.fiu_secret = args.fiu_secret;
    config.redirect_secret = args.redirect_secret;
    config.fiu_base_url = args.fiu_url;
    if let Some(path) = &args.fiu_key {
        config.fiu_key = fiu_key(path)?;
    }
    config.fip_variant = match args.fip_variant.to_ascii_lowercase().as_str() {
        "w" => ledgerlens_aa::crypto::Variant::W,
        "x" => ledgerlens_aa::crypto::Variant::X,
        other => anyhow::bail!("--fip-variant must be w or x, not {other:?}"),
    };
    if !args.accounts.is_empty() {
        config.accounts = args
            .accounts
            .iter()
            .map(|a| account(a))
            .collect::<Result<_, _>>()?;
    }
    for fault in &args.faults {
        config.faults.set(fault).map_err(|e| anyhow::anyhow!(e))?;
    }
    let running = ledgerlens_aa_sim::start(config, args.listen).await?;
    tracing::info!(url = %running.base_url, "AA simulator listening");
    tokio::signal::ctrl_c().await?;
    Ok(())
}
