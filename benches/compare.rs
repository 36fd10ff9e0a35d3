//! The plugin side by side with kubectl (and jq) against fresh sandboxes:
//!
//! ```sh
//! cargo bench -p kubectl-tokenrequest --bench compare
//! ```
//!
//! Cases and targets are those of BENCHMARKS.md. Every case runs `BENCH_REPS` times (default 5)
//! and reports the median wall time; peak RSS comes from one extra run under `/usr/bin/time`
//! (skipped, with a note, where it is missing). The plugin is the release build cargo makes
//! for benches. Nothing here asserts: correctness lives in the tests; this only measures (and
//! checks that each run did its job, so a broken run is not timed as a fast one).
//!
//! Environment: `BENCH_REPS` (5), `BENCH_CASES` (comma-separated among `startup`, `list`,
//! `table`, `cleanup`, `create`, `batch` (many Applications, `compare/batch.rs`), `doctor`;
//! default all), `BENCH_PEER_CLEANUP` (how many expired requests the kubectl
//! pipeline cleans up, among twice as many; default 200: kubectl deletes about 6 a second here,
//! so 10,000 would take half an hour per repetition), `KUBECTL` (`kubectl`), `JQ` (`jq`),
//! `BENCH_PLUGIN` (another plugin binary to measure instead of this build). The
//! 100,000 list runs once per tool (kubectl takes about 45 s), plus once under `time`; so does
//! `table`, the default table of the same 100,000, whose peak RSS is held beside `-o name`'s.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::LazyLock;
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail, ensure};
use futures::StreamExt;
use kube::Api;
use kube::api::{PostParams, WatchEvent, WatchParams};
use kubectl_tokenrequest::tokenrequest::TokenRequest;
use serde_json::json;
use tokenrequest_sandbox::{ControllerConfig, ControllerMode, Sandbox, SandboxConfig};

#[path = "compare/batch.rs"]
mod batch;

/// The plugin measured: this build, or `BENCH_PLUGIN` (another build, e.g. an older commit's,
/// measured the same way for a before-and-after).
static PLUGIN: LazyLock<String> = LazyLock::new(|| {
    std::env::var("BENCH_PLUGIN")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_kubectl-tokenrequest").to_string())
});

fn main() -> anyhow::Result<()> {
    // `cargo bench` passes --bench; `cargo test --all-targets` runs this without it.
    if !std::env::args().any(|arg| arg == "--bench") {
        println!(
            "compare: a benchmark; run it with `cargo bench -p kubectl-tokenrequest --bench compare`"
        );
        return Ok(());
    }
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(run())
}

struct Bench {
    reps: usize,
    kubectl: String,
    jq: String,
    time: Option<PathBuf>,
    dir: tempfile::TempDir,
    rows: Vec<Row>,
}

struct Row {
    case: String,
    plugin: Measure,
    /// `None` where nothing in kubectl does the same.
    peer: Option<Measure>,
    /// How plugin/peer compares, as the target states it.
    target: String,
    met: Option<bool>,
}

#[derive(Clone, Copy, Default)]
struct Measure {
    median: Duration,
    rss_kib: Option<u64>,
    /// Deletes per second, for cleanup.
    rate: Option<f64>,
}

impl Measure {
    /// A median and a peak, without a rate.
    fn of(median: Duration, rss_kib: Option<u64>) -> Self {
        Measure {
            median,
            rss_kib,
            rate: None,
        }
    }
}

async fn run() -> anyhow::Result<()> {
    let reps: usize = std::env::var("BENCH_REPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5)
        .max(1);
    let peer_cleanup: usize = std::env::var("BENCH_PEER_CLEANUP")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let time = Path::new("/usr/bin/time")
        .exists()
        .then(|| PathBuf::from("/usr/bin/time"));
    if time.is_none() {
        eprintln!(
            "note: /usr/bin/time is missing, so peak RSS is not measured (apt-get install time)"
        );
    }
    let mut bench = Bench {
        reps,
        kubectl: std::env::var("KUBECTL").unwrap_or_else(|_| "kubectl".into()),
        jq: std::env::var("JQ").unwrap_or_else(|_| "jq".into()),
        time,
        dir: tempfile::tempdir()?,
        rows: Vec::new(),
    };
    for tool in [&bench.kubectl, &bench.jq] {
        ensure!(
            Command::new(tool)
                .arg("--help")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok(),
            "{tool} is needed as the peer; put it on PATH"
        );
    }
    eprintln!("plugin: {}; {reps} repetitions per case", *PLUGIN);
    let cases = std::env::var("BENCH_CASES").unwrap_or_default();
    let wanted = |case: &str| cases.is_empty() || cases.split(',').any(|c| c.trim() == case);

    if wanted("startup") {
        bench.startup()?;
    }

    // Lists and cleanup: no controller, so nothing changes or deletes what is seeded.
    if wanted("list") || wanted("cleanup") {
        let quiet = start_sandbox(ControllerMode::Off).await?;
        let quiet_config = bench.dir.path().join("quiet.kubeconfig");
        quiet.write_kubeconfig(&quiet_config)?;
        if wanted("list") {
            for count in [1_000, 10_000] {
                let namespace = format!("list-{count}");
                seed(&quiet, &namespace, "app-", count, 3600)?;
                bench.list(&quiet_config, &namespace, count, false)?;
            }
        }
        if wanted("cleanup") {
            bench.cleanup(&quiet, &quiet_config, 10_000, peer_cleanup)?;
        }
        if wanted("list") || wanted("table") {
            seed(&quiet, "list-100000", "app-", 100_000, 3600)?;
        }
        if wanted("list") {
            bench.list(&quiet_config, "list-100000", 100_000, true)?;
        }
        if wanted("table") {
            bench.table(&quiet_config, "list-100000", 100_000)?;
        }
        quiet.shutdown().await;
    }

    if wanted("batch") {
        bench.batch().await?;
    }

    if wanted("create") || wanted("doctor") {
        let answering = start_sandbox(ControllerMode::Ok).await?;
        let answering_config = bench.dir.path().join("answering.kubeconfig");
        answering.write_kubeconfig(&answering_config)?;
        if wanted("create") {
            bench.create(&answering, &answering_config).await?;
        }
        if wanted("doctor") {
            bench.doctor(&answering_config)?;
        }
        answering.shutdown().await;
    }

    bench.print();
    Ok(())
}

/// https with the CA in the kubeconfig, so kubectl and the plugin both log in with its token.
async fn start_sandbox(mode: ControllerMode) -> anyhow::Result<Sandbox> {
    Sandbox::start(SandboxConfig {
        controller: ControllerConfig {
            mode,
            ..ControllerConfig::default()
        },
        ..SandboxConfig::default()
    })
    .await
}

/// `count` answered requests `{prefix}{index:06}` whose expiry is `expires_in` seconds away
/// (negative: expired), straight into the store.
fn seed(
    sandbox: &Sandbox,
    namespace: &str,
    prefix: &str,
    count: usize,
    expires_in: i64,
) -> anyhow::Result<()> {
    let now = jiff::Timestamp::now();
    let format = |at: jiff::Timestamp| at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string();
    let expire_after = format(now + jiff::SignedDuration::from_secs(expires_in));
    let created = format(now - jiff::SignedDuration::from_secs(7200));
    let store = sandbox.server().store();
    for index in 0..count {
        let name = format!("{prefix}{index:06}");
        // As long as Connector Service's tokens (88 characters); never used.
        let token = format!("{:0>86}==", format!("{namespace}{name}").replace('-', "_"));
        store
            .create(json!({
                "apiVersion": "applicationconnector.kyma-project.io/v1alpha1",
                "kind": "TokenRequest",
                "metadata": {
                    "name": name,
                    "namespace": namespace,
                    "uid": format!("{namespace}-{name}"),
                    "creationTimestamp": created,
                    "generation": 1,
                },
                "status": {
                    "token": token,
                    "url": format!("https://connector-service.kyma.example.com/v1/applications/signingRequests/info?token={token}"),
                    "expireAfter": expire_after,
                    "application": name,
                    "state": "OK",
                },
            }))
            .map_err(|_| anyhow::anyhow!("seeding {namespace}/{name}: it exists"))?;
    }
    Ok(())
}

/// One finished run: its wall time, stdout and stderr.
struct Ran {
    took: Duration,
    stdout: String,
    stderr: String,
}

fn run_command(program: &str, args: &[&str], stdin: Option<&str>) -> anyhow::Result<Ran> {
    let mut command = Command::new(program);
    command
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let started = Instant::now();
    let mut child = command
        .spawn()
        .with_context(|| format!("starting {program}"))?;
    if let Some(input) = stdin {
        use std::io::Write as _;
        child
            .stdin
            .take()
            .context("stdin")?
            .write_all(input.as_bytes())?;
    }
    let output = child.wait_with_output()?;
    let took = started.elapsed();
    if !output.status.success() {
        bail!(
            "{program} {args:?} failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(Ran {
        took,
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    })
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort_unstable();
    samples[samples.len() / 2]
}

impl Bench {
    /// Median of `reps` runs, each checked by `check`.
    fn time(
        &self,
        reps: usize,
        program: &str,
        args: &[&str],
        check: &dyn Fn(&str) -> anyhow::Result<()>,
    ) -> anyhow::Result<Duration> {
        let mut samples = Vec::with_capacity(reps);
        for _ in 0..reps {
            let ran = run_command(program, args, None)?;
            check(&ran.stdout)?;
            samples.push(ran.took);
        }
        Ok(median(samples))
    }

    /// Peak RSS of one run, from `/usr/bin/time -f %M` (KiB).
    fn peak_rss(&self, program: &str, args: &[&str]) -> anyhow::Result<Option<u64>> {
        let Some(time) = &self.time else {
            return Ok(None);
        };
        let output = Command::new(time)
            .arg("-f")
            .arg("peak-rss-kib=%M")
            .arg(program)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output()?;
        ensure!(
            output.status.success(),
            "{program} {args:?} failed under time"
        );
        let stderr = String::from_utf8_lossy(&output.stderr);
        Ok(stderr
            .lines()
            .rev()
            .find_map(|line| line.strip_prefix("peak-rss-kib="))
            .and_then(|kib| kib.trim().parse().ok()))
    }

    fn startup(&mut self) -> anyhow::Result<()> {
        let reps = self.reps * 4;
        let nothing = |_: &str| Ok(());
        let plugin = self.time(reps, &PLUGIN, &["--version"], &nothing)?;
        let kubectl = self.kubectl.clone();
        let peer = self.time(reps, &kubectl, &["version", "--client"], &nothing)?;
        let plugin_rss = self.peak_rss(&PLUGIN, &["--version"])?;
        let peer_rss = self.peak_rss(&kubectl, &["version", "--client"])?;
        self.rows.push(Row {
            case: "startup (`--version` / `kubectl version --client`)".into(),
            plugin: Measure::of(plugin, plugin_rss),
            peer: Some(Measure::of(peer, peer_rss)),
            target: "≤ 5 ms".into(),
            met: Some(plugin <= Duration::from_millis(5)),
        });
        Ok(())
    }

    fn list(
        &mut self,
        kubeconfig: &Path,
        namespace: &str,
        count: usize,
        memory_case: bool,
    ) -> anyhow::Result<()> {
        let kubeconfig = kubeconfig.to_str().context("kubeconfig path")?;
        let plugin_args = [
            "list",
            "-o",
            "name",
            "-n",
            namespace,
            "--kubeconfig",
            kubeconfig,
        ];
        let peer_args = [
            "get",
            "tokenrequests",
            "-o",
            "name",
            "-n",
            namespace,
            "--kubeconfig",
            kubeconfig,
        ];
        let lines = move |stdout: &str| {
            let got = stdout.lines().count();
            ensure!(got == count, "listed {got} of {count}");
            Ok(())
        };
        let reps = if memory_case { 1 } else { self.reps };
        let plugin = self.time(reps, &PLUGIN, &plugin_args, &lines)?;
        let kubectl = self.kubectl.clone();
        let peer = self.time(reps, &kubectl, &peer_args, &lines)?;
        let plugin_rss = self.peak_rss(&PLUGIN, &plugin_args)?;
        let peer_rss = self.peak_rss(&kubectl, &peer_args)?;
        let (target, met) = if memory_case {
            (
                "peak RSS < 30 MiB".to_string(),
                plugin_rss.map(|kib| kib < 30 * 1024),
            )
        } else if count == 10_000 {
            (
                "≤ 0.4× kubectl's time".to_string(),
                Some(plugin.as_secs_f64() <= 0.4 * peer.as_secs_f64()),
            )
        } else {
            ("—".to_string(), None)
        };
        self.rows.push(Row {
            case: format!("list {count} (`list -o name` / `kubectl get -o name`)"),
            plugin: Measure::of(plugin, plugin_rss),
            peer: Some(Measure::of(peer, peer_rss)),
            target,
            met,
        });
        Ok(())
    }

    /// The default table of `count` requests, once per tool and once under `time`, beside
    /// `list -o name` of the same requests: a table printed page by page stays near its peak.
    fn table(&mut self, kubeconfig: &Path, namespace: &str, count: usize) -> anyhow::Result<()> {
        let kubeconfig = kubeconfig.to_str().context("kubeconfig path")?;
        let scope = ["-n", namespace, "--kubeconfig", kubeconfig];
        let plugin_args = [&["list"][..], &scope].concat();
        let names_args = [&["list", "-o", "name"][..], &scope].concat();
        let peer_args = [&["get", "tokenrequests"][..], &scope].concat();
        // A header and a row per request.
        let rows = move |stdout: &str| {
            let got = stdout.lines().count();
            ensure!(got == count + 1, "printed {got} lines for {count} requests");
            Ok(())
        };
        let plugin = self.time(1, &PLUGIN, &plugin_args, &rows)?;
        let kubectl = self.kubectl.clone();
        let peer = self.time(1, &kubectl, &peer_args, &rows)?;
        let plugin_rss = self.peak_rss(&PLUGIN, &plugin_args)?;
        let names_rss = self.peak_rss(&PLUGIN, &names_args)?;
        let peer_rss = self.peak_rss(&kubectl, &peer_args)?;
        let (target, met) = match (plugin_rss, names_rss) {
            (Some(table), Some(names)) => (
                format!("peak RSS ≤ 1.3× `-o name`'s ({})", rss(Some(names))),
                Some(table as f64 <= 1.3 * names as f64),
            ),
            _ => ("peak RSS ≤ 1.3× `-o name`'s".to_string(), None),
        };
        self.rows.push(Row {
            case: format!("list {count}, default table (`list` / `kubectl get`)"),
            plugin: Measure::of(plugin, plugin_rss),
            peer: Some(Measure::of(peer, peer_rss)),
            target,
            met,
        });
        Ok(())
    }

    /// `expired` expired requests among twice as many, per repetition in a fresh namespace.
    fn cleanup(
        &mut self,
        sandbox: &Sandbox,
        kubeconfig: &Path,
        expired: usize,
        peer_expired: usize,
    ) -> anyhow::Result<()> {
        let kubeconfig = kubeconfig.to_str().context("kubeconfig path")?;
        let store = sandbox.server().store();
        let mut plugin_samples = Vec::new();
        let mut plugin_rss = None;
        // One more run than the others: under /usr/bin/time, for the peak RSS.
        for rep in 0..=self.reps {
            let namespace = format!("cleanup-plugin-{rep}");
            seed(sandbox, &namespace, "old-", expired, -3600)?;
            seed(sandbox, &namespace, "new-", expired, 3600)?;
            let args = ["cleanup", "-n", &namespace, "--kubeconfig", kubeconfig];
            if rep == self.reps {
                plugin_rss = self.peak_rss(&PLUGIN, &args)?;
            } else {
                plugin_samples.push(run_command(&PLUGIN, &args, None)?.took);
            }
            ensure!(
                store.get(&namespace, "old-000000").is_none()
                    && store.get(&namespace, "new-000000").is_some(),
                "the plugin's cleanup left expired requests or took fresh ones"
            );
        }
        let mut peer_samples = Vec::new();
        let peer_reps = self.reps.min(3);
        for rep in 0..peer_reps {
            let namespace = format!("cleanup-peer-{rep}");
            seed(sandbox, &namespace, "old-", peer_expired, -3600)?;
            seed(sandbox, &namespace, "new-", peer_expired, 3600)?;
            let now = jiff::Timestamp::now().strftime("%Y-%m-%dT%H:%M:%SZ");
            // What a script without the plugin does: pick expired names with jq, delete in
            // batches. RFC 3339 UTC timestamps compare as strings.
            let script = format!(
                "{kubectl} get tokenrequests -n {namespace} --kubeconfig {kubeconfig} -o json \
                 | {jq} -r --arg now {now} '.items[] | select(.status.expireAfter != null and \
                 .status.expireAfter < $now) | .metadata.name' \
                 | xargs -r -n 500 {kubectl} delete tokenrequests -n {namespace} \
                 --kubeconfig {kubeconfig} --wait=false",
                kubectl = self.kubectl,
                jq = self.jq,
            );
            peer_samples.push(run_command("sh", &["-c", &script], None)?.took);
            ensure!(
                store.get(&namespace, "old-000000").is_none()
                    && store.get(&namespace, "new-000000").is_some(),
                "the kubectl pipeline left expired requests or took fresh ones"
            );
        }
        let plugin = median(plugin_samples);
        let peer = median(peer_samples);
        let plugin_rate = expired as f64 / plugin.as_secs_f64();
        let peer_rate = peer_expired as f64 / peer.as_secs_f64();
        self.rows.push(Row {
            case: format!(
                "cleanup {expired} expired among {} (kubectl pipeline: {peer_expired} among {})",
                expired * 2,
                peer_expired * 2
            ),
            plugin: Measure {
                median: plugin,
                rss_kib: plugin_rss,
                rate: Some(plugin_rate),
            },
            peer: Some(Measure {
                median: peer,
                rss_kib: None,
                rate: Some(peer_rate),
            }),
            target: "≥ 500 deletes/s and ≥ 50× kubectl's rate".into(),
            met: Some(plugin_rate >= 500.0 && plugin_rate >= 50.0 * peer_rate),
        });
        Ok(())
    }

    /// Create → usable URL with a controller that answers at once, against the controller's
    /// own answer time (create + watch from an in-process client).
    async fn create(&mut self, sandbox: &Sandbox, kubeconfig: &Path) -> anyhow::Result<()> {
        let kubeconfig = kubeconfig.to_str().context("kubeconfig path")?;
        let api: Api<TokenRequest> = Api::namespaced(sandbox.admin_client(), "default");
        let mut baseline = Vec::new();
        for rep in 0..self.reps * 2 {
            baseline.push(controller_answer_time(&api, &format!("baseline-{rep}")).await?);
        }
        let is_url = |stdout: &str| {
            ensure!(
                stdout.trim().starts_with("https://"),
                "not a URL: {stdout:?}"
            );
            Ok(())
        };
        let mut plugin_samples = Vec::new();
        for rep in 0..self.reps * 2 {
            let name = format!("plugin-{rep}");
            let ran = run_command(
                &PLUGIN,
                &["create", &name, "-o", "url", "--kubeconfig", kubeconfig],
                None,
            )?;
            is_url(&ran.stdout)?;
            plugin_samples.push(ran.took);
        }
        let plugin_rss = self.peak_rss(
            &PLUGIN,
            &[
                "create",
                "plugin-rss",
                "-o",
                "url",
                "--kubeconfig",
                kubeconfig,
            ],
        )?;
        let mut peer_samples = Vec::new();
        for rep in 0..self.reps {
            let name = format!("peer-{rep}");
            let script = format!(
                "{kubectl} create -f - --kubeconfig {kubeconfig} >/dev/null && \
                 {kubectl} wait --for=jsonpath='{{.status.state}}'=OK tokenrequest/{name} \
                 --kubeconfig {kubeconfig} --timeout=60s >/dev/null && \
                 {kubectl} get tokenrequest {name} --kubeconfig {kubeconfig} \
                 -o jsonpath='{{.status.url}}'",
                kubectl = self.kubectl
            );
            let manifest = format!(
                "apiVersion: applicationconnector.kyma-project.io/v1alpha1\nkind: TokenRequest\n\
                 metadata:\n  name: {name}\n"
            );
            let ran = run_command("sh", &["-c", &script], Some(&manifest))?;
            is_url(&ran.stdout)?;
            peer_samples.push(ran.took);
        }
        let baseline = median(baseline);
        let plugin = median(plugin_samples);
        let peer = median(peer_samples);
        let added = plugin.saturating_sub(baseline);
        self.rows.push(Row {
            case: format!(
                "create → URL (`create -o url` / kubectl create+wait+get); controller's own \
                 answer {:.1} ms",
                ms(baseline)
            ),
            plugin: Measure::of(plugin, plugin_rss),
            peer: Some(Measure::of(peer, None)),
            target: format!("adds < 10 ms (adds {:.1} ms)", ms(added)),
            met: Some(added < Duration::from_millis(10)),
        });
        Ok(())
    }

    /// `doctor` on a healthy cluster, whole process, against the plugin's own `list` of an
    /// empty namespace (one round trip) and kubectl asking the same questions one by one.
    fn doctor(&mut self, kubeconfig: &Path) -> anyhow::Result<()> {
        let kubeconfig = kubeconfig.to_str().context("kubeconfig path")?;
        let healthy = |stdout: &str| {
            ensure!(
                stdout.contains("ok    controller") && stdout.contains(", 0 fail,"),
                "not a healthy report: {stdout}"
            );
            Ok(())
        };
        let nothing = |_: &str| Ok(());
        let doctor_args = ["doctor", "--kubeconfig", kubeconfig];
        let list_args = ["list", "-n", "empty", "--kubeconfig", kubeconfig];
        let plugin = self.time(self.reps * 2, &PLUGIN, &doctor_args, &healthy)?;
        let list = self.time(self.reps * 2, &PLUGIN, &list_args, &nothing)?;
        // A process that asks nothing: what `list` spends beyond it is about one round trip
        // (and the kubeconfig and client set-up both commands share).
        let startup = self.time(self.reps * 2, &PLUGIN, &["--version"], &nothing)?;
        let plugin_rss = self.peak_rss(&PLUGIN, &doctor_args)?;
        // What the checks ask, by hand, one request after another. The reviews go through
        // `create --raw` with JSON bodies: `kubectl auth whoami` and `auth can-i` send
        // protobuf, which the sandbox does not read.
        let review = |path: &str, body: &str| {
            format!("printf '%s' '{body}' | $k create --raw /apis/{path} -f - >/dev/null")
        };
        let whoami = review(
            "authentication.k8s.io/v1/selfsubjectreviews",
            r#"{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}"#,
        );
        // `$verb` is outside the single quotes, so the shell fills it in.
        let can_i = review(
            "authorization.k8s.io/v1/selfsubjectaccessreviews",
            &r#"{"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview","spec":{"resourceAttributes":{"group":"applicationconnector.kyma-project.io","resource":"tokenrequests","namespace":"default","verb":"VERB"}}}"#
                .replace("VERB", r#"'"$verb"'"#),
        );
        let script = format!(
            "k='{kubectl} --kubeconfig {kubeconfig}'; $k version -o json >/dev/null 2>&1 && \
             {whoami} && \
             $k get --raw /apis/applicationconnector.kyma-project.io/v1alpha1 >/dev/null && \
             $k get crd tokenrequests.applicationconnector.kyma-project.io -o json >/dev/null && \
             for verb in create get list watch delete; do {can_i} || exit 1; done && \
             $k -n kyma-integration get deployment connection-token-handler -o json >/dev/null",
            kubectl = self.kubectl
        );
        let peer = self.time(self.reps, "sh", &["-c", &script], &nothing)?;
        let round_trip = list.saturating_sub(startup);
        let added = plugin.saturating_sub(list);
        self.rows.push(Row {
            case: format!(
                "doctor, healthy cluster (`doctor` / kubectl: version, self review, discovery, \
                 get crd, 5 access reviews, get deployment); `list` of an empty namespace {:.1} ms",
                ms(list)
            ),
            plugin: Measure::of(plugin, plugin_rss),
            peer: Some(Measure::of(peer, None)),
            target: format!(
                "adds ≤ one round trip to `list` ({:.1} ms; adds {:.1} ms)",
                ms(round_trip),
                ms(added)
            ),
            met: Some(added <= round_trip),
        });
        Ok(())
    }

    fn print(&self) {
        let date = jiff::Zoned::now().strftime("%Y-%m-%d %H:%M %Z");
        println!(
            "\nkubectl-tokenrequest vs kubectl, {date}, {} repetitions (medians)\n",
            self.reps
        );
        println!(
            "| case | plugin | kubectl | plugin/kubectl | plugin peak RSS | kubectl peak RSS | target | met |"
        );
        println!("| --- | --- | --- | --- | --- | --- | --- | --- |");
        for row in &self.rows {
            let with_rate = |m: &Measure| match m.rate {
                Some(rate) => format!("{:.1} ms ({rate:.0} deletes/s)", ms(m.median)),
                None => format!("{:.1} ms", ms(m.median)),
            };
            let (ratio, peer, peer_rss) = match &row.peer {
                Some(peer) => (
                    match (row.plugin.rate, peer.rate) {
                        (Some(plugin), Some(peer)) => format!("{:.0}× the rate", plugin / peer),
                        _ => format!(
                            "{:.2}×",
                            row.plugin.median.as_secs_f64() / peer.median.as_secs_f64()
                        ),
                    },
                    with_rate(peer),
                    rss(peer.rss_kib),
                ),
                None => ("—".to_string(), "—".to_string(), "—".to_string()),
            };
            println!(
                "| {} | {} | {peer} | {ratio} | {} | {peer_rss} | {} | {} |",
                row.case,
                with_rate(&row.plugin),
                rss(row.plugin.rss_kib),
                row.target,
                match row.met {
                    Some(true) => "yes",
                    Some(false) => "**no**",
                    None => "—",
                }
            );
        }
    }
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn rss(kib: Option<u64>) -> String {
    kib.map_or("—".to_string(), |kib| {
        format!("{:.1} MiB", kib as f64 / 1024.0)
    })
}

/// Create through the API, then watch until the controller wrote the URL.
async fn controller_answer_time(api: &Api<TokenRequest>, name: &str) -> anyhow::Result<Duration> {
    let started = Instant::now();
    let created = api
        .create(&PostParams::default(), &TokenRequest::new(name, None))
        .await?;
    let version = created.metadata.resource_version.unwrap_or_default();
    let params = WatchParams::default().fields(&format!("metadata.name={name}"));
    let stream = api.watch(&params, &version).await?;
    futures::pin_mut!(stream);
    while let Some(event) = stream.next().await {
        if let WatchEvent::Modified(request) = event?
            && request
                .status
                .as_ref()
                .and_then(|s| s.url.as_deref())
                .is_some_and(|url| !url.is_empty())
        {
            return Ok(started.elapsed());
        }
    }
    bail!("the watch ended before the controller answered {name}")
}
