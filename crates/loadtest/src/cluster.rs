//! The processes under test: `serve` (API only) and `worker` processes of the real binary, the
//! shared database (a SQLite file in one data dir, or a fresh PostgreSQL schema) and, optionally,
//! moto's S3 server as the bucket.

use anyhow::{bail, Context};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Api,
    Worker,
}

impl Role {
    pub fn name(self) -> &'static str {
        match self {
            Role::Api => "serve",
            Role::Worker => "worker",
        }
    }
}

/// One child process and what it used before it was last replaced.
pub struct Member {
    pub role: Role,
    pub port: u16,
    pub child: Child,
    /// CPU seconds of earlier incarnations killed by chaos (read just before the kill).
    pub cpu_before: f64,
    pub peak_rss: u64,
}

pub struct ClusterConfig {
    pub bin: PathBuf,
    pub apis: usize,
    pub workers: usize,
    pub jobs_per_worker: usize,
    pub postgres: Option<String>,
    pub s3: bool,
    pub log_dir: PathBuf,
}

pub struct Cluster {
    config: ClusterConfig,
    pub dir: PathBuf,
    env: Vec<(String, String)>,
    pub members: Vec<Member>,
    pub moto: Option<Child>,
    schema: Option<String>,
    /// The API client's (api_key, server_hash).
    pub credentials: (String, String),
}

pub fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// CPU seconds (user + system) and peak resident memory of a live process, from /proc.
pub fn usage(pid: u32) -> Option<(f64, u64)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = [11, 12]
        .iter()
        .filter_map(|i| fields.get(*i)?.parse::<f64>().ok())
        .sum();
    // SAFETY: sysconf only reads a configuration value.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    let hz = if hz > 0 { hz as f64 } else { 100.0 };
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let hwm = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
        .unwrap_or(0);
    Some((ticks / hz, hwm * 1024))
}

impl Cluster {
    pub fn start(config: ClusterConfig) -> anyhow::Result<Cluster> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)?
            .as_nanos();
        let dir = std::env::temp_dir().join(format!("ledgerlens-load-{nanos}"));
        std::fs::create_dir_all(&dir)?;
        std::fs::create_dir_all(&config.log_dir)?;
        let mut env = vec![
            ("LEDGERLENS_DATA_DIR".to_owned(), dir.display().to_string()),
            (
                "LEDGERLENS_WEBHOOK_ALLOW_PRIVATE".to_owned(),
                "true".to_owned(),
            ),
            // The harness's webhook receiver and its many sessions come from one address.
            (
                "LEDGERLENS_AUTH_FAILURE_LIMIT".to_owned(),
                "1000000".to_owned(),
            ),
            (
                "LEDGERLENS_MAX_CONNECTIONS_PER_IP".to_owned(),
                "4096".to_owned(),
            ),
            (
                "LEDGERLENS_WEBHOOK_RETRY_BASE_MS".to_owned(),
                "500".to_owned(),
            ),
            ("LEDGERLENS_JOB_RETRY_BASE_MS".to_owned(), "500".to_owned()),
            ("RUST_LOG".to_owned(), "warn".to_owned()),
        ];
        let mut schema = None;
        if let Some(url) = &config.postgres {
            let name = format!("load_{nanos}");
            env.push(("LEDGERLENS_DATABASE_URL".to_owned(), url.clone()));
            env.push(("LEDGERLENS_DATABASE_SCHEMA".to_owned(), name.clone()));
            schema = Some(name);
        }
        let mut cluster = Cluster {
            config,
            dir,
            env,
            members: Vec::new(),
            moto: None,
            schema,
            credentials: (String::new(), String::new()),
        };
        if cluster.config.s3 {
            cluster.start_moto()?;
        }
        // Migrates a fresh database once, before the processes would race to.
        cluster.credentials = Cluster::create_client(&cluster.config.bin, &cluster.env)?;
        for _ in 0..cluster.config.apis {
            let port = free_port()?;
            let child = cluster.spawn(Role::Api, port)?;
            cluster.members.push(Member {
                role: Role::Api,
                port,
                child,
                cpu_before: 0.0,
                peak_rss: 0,
            });
        }
        for _ in 0..cluster.config.workers {
            let child = cluster.spawn(Role::Worker, 0)?;
            cluster.members.push(Member {
                role: Role::Worker,
                port: 0,
                child,
                cpu_before: 0.0,
                peak_rss: 0,
            });
        }
        Ok(cluster)
    }

    fn start_moto(&mut self) -> anyhow::Result<()> {
        let port = free_port()?;
        let moto = Command::new("moto_server")
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("starting moto_server (pip install 'moto[server]')")?;
        self.moto = Some(moto);
        let endpoint = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(30);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                bail!("moto_server did not start");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        // moto creates a bucket on PUT /bucket.
        let created = Command::new("curl")
            .args(["-sf", "-X", "PUT", &format!("{endpoint}/ledgerlens-load")])
            .status()
            .context("creating the bucket with curl")?;
        if !created.success() {
            bail!("could not create the bucket in moto");
        }
        for (k, v) in [
            ("LEDGERLENS_OBJECT_STORE", "s3://ledgerlens-load/run"),
            ("AWS_ACCESS_KEY_ID", "testing"),
            ("AWS_SECRET_ACCESS_KEY", "testing"),
            ("AWS_REGION", "us-east-1"),
            ("AWS_ALLOW_HTTP", "true"),
        ] {
            self.env.push((k.to_owned(), v.to_owned()));
        }
        self.env.push(("AWS_ENDPOINT_URL".to_owned(), endpoint));
        Ok(())
    }

    fn command(&self) -> Command {
        let mut command = Command::new(&self.config.bin);
        command.envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        command
    }

    fn spawn(&self, role: Role, port: u16) -> anyhow::Result<Child> {
        let mut command = self.command();
        let log = std::fs::OpenOptions::new().create(true).append(true).open(
            self.config
                .log_dir
                .join(format!("{}-{port}.log", role.name())),
        )?;
        match role {
            Role::Api => {
                command.args([
                    "serve",
                    "--workers",
                    "0",
                    "--listen",
                    &format!("127.0.0.1:{port}"),
                ]);
            }
            Role::Worker => {
                command.args([
                    "worker",
                    "--workers",
                    &self.config.jobs_per_worker.to_string(),
                ]);
            }
        }
        command.stdout(Stdio::null()).stderr(log);
        command
            .spawn()
            .with_context(|| format!("starting {}", self.config.bin.display()))
    }

    fn create_client(bin: &Path, env: &[(String, String)]) -> anyhow::Result<(String, String)> {
        let out = Command::new(bin)
            .args(["clients", "create", "--name", "load"])
            .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .output()?;
        if !out.status.success() {
            bail!("clients create: {}", String::from_utf8_lossy(&out.stderr));
        }
        let client: serde_json::Value = serde_json::from_slice(&out.stdout)?;
        let field = |k: &str| client[k].as_str().map(str::to_owned).context("credential");
        Ok((field("api_key")?, field("server_hash")?))
    }

    pub fn api_ports(&self) -> Vec<u16> {
        self.members
            .iter()
            .filter(|m| m.role == Role::Api)
            .map(|m| m.port)
            .collect()
    }

    /// Reads every live member's usage (call often: a killed process's last reading counts).
    pub fn sample(&mut self) {
        for m in &mut self.members {
            if let Some((_, rss)) = usage(m.child.id()) {
                m.peak_rss = m.peak_rss.max(rss);
            }
        }
    }

    /// `kill -9` of member `index`, then the same role started again (an API on its port).
    pub fn kill_and_restart(&mut self, index: usize, down_for: Duration) -> anyhow::Result<Role> {
        let (role, port) = {
            let m = &mut self.members[index];
            if let Some((cpu, rss)) = usage(m.child.id()) {
                m.cpu_before += cpu;
                m.peak_rss = m.peak_rss.max(rss);
            }
            let _ = m.child.kill();
            let _ = m.child.wait();
            (m.role, m.port)
        };
        std::thread::sleep(down_for);
        let child = self.spawn(role, port)?;
        self.members[index].child = child;
        Ok(role)
    }

    /// SIGSTOP / SIGCONT of the bucket: requests to it hang until their timeouts.
    pub fn pause_bucket(&self, paused: bool) {
        if let Some(moto) = &self.moto {
            let signal = if paused { libc::SIGSTOP } else { libc::SIGCONT };
            let pid = i32::try_from(moto.id()).unwrap_or(0);
            if pid > 0 {
                // SAFETY: signals a child process this harness started and still owns.
                unsafe {
                    libc::kill(pid, signal);
                }
            }
        }
    }

    /// CPU seconds and peak RSS per role, over every incarnation.
    pub fn totals(&mut self) -> Vec<(Role, f64, u64)> {
        self.members
            .iter()
            .map(|m| {
                let (cpu, rss) = usage(m.child.id()).unwrap_or((0.0, 0));
                (m.role, m.cpu_before + cpu, m.peak_rss.max(rss))
            })
            .collect()
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.pause_bucket(false);
        for m in &mut self.members {
            let _ = m.child.kill();
            let _ = m.child.wait();
        }
        if let Some(moto) = &mut self.moto {
            let _ = moto.kill();
            let _ = moto.wait();
        }
        if let (Some(schema), Some(url)) = (&self.schema, &self.config.postgres) {
            let _ = Command::new("psql")
                .args([
                    url.as_str(),
                    "-qc",
                    &format!("DROP SCHEMA IF EXISTS {schema} CASCADE"),
                ])
                .output();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
