//! Many Applications (issue 19): one `create APP1..APP100` against a controller that takes
//! `DELAY` per request and reconciles `--workers` at once, beside 100 single `create`s and
//! kubectl's create + wait + get per Application, one after the other; and the peak RSS and
//! watches of one `create` of 1,000.
//!
//! The controller alone needs `COUNT × DELAY / workers` (the floor): Kyma's reconciles one
//! TokenRequest at a time, so whatever the client does, 100 requests take 2 s there.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context as _, ensure};
use tokenrequest_sandbox::server::{ServerConfig, Verb};
use tokenrequest_sandbox::{ControllerConfig, Sandbox, SandboxConfig};

use super::{Bench, Measure, PLUGIN, Ran, Row, median, ms, run_command};

/// What "asking the Connector Service" takes per request.
const DELAY: Duration = Duration::from_millis(20);
/// Applications per run of the timed cases.
const COUNT: usize = 100;
/// Applications of the memory case.
const MANY: usize = 1_000;

/// `app-0000`, `app-0001`, …: the Applications every sandbox here has.
fn applications(count: usize) -> Vec<String> {
    (0..count).map(|index| format!("app-{index:04}")).collect()
}

async fn start(workers: u16) -> anyhow::Result<Sandbox> {
    Sandbox::start(SandboxConfig {
        server: ServerConfig {
            applications: applications(MANY),
            ..ServerConfig::default()
        },
        controller: ControllerConfig {
            delay: DELAY,
            workers,
            ..ControllerConfig::default()
        },
        ..SandboxConfig::default()
    })
    .await
}

/// `count` lines, each starting with `prefix`.
fn lines_of(stdout: &str, count: usize, prefix: &str) -> anyhow::Result<()> {
    let got = stdout
        .lines()
        .filter(|line| line.starts_with(prefix))
        .count();
    ensure!(got == count, "{got} of {count} lines start with {prefix}");
    Ok(())
}

impl Bench {
    pub(crate) async fn batch(&mut self) -> anyhow::Result<()> {
        for workers in [1u16, 8] {
            let sandbox = start(workers).await?;
            let kubeconfig = self.dir.path().join(format!("batch-{workers}.kubeconfig"));
            sandbox.write_kubeconfig(&kubeconfig)?;
            self.batch_on(&sandbox, &kubeconfig, workers)?;
            sandbox.shutdown().await;
        }
        Ok(())
    }

    fn batch_on(
        &mut self,
        sandbox: &Sandbox,
        kubeconfig: &Path,
        workers: u16,
    ) -> anyhow::Result<()> {
        let kubeconfig = kubeconfig.to_str().context("kubeconfig path")?;
        let names = applications(COUNT);
        let floor = DELAY * COUNT as u32 / u32::from(workers);
        let limit = floor.mul_f64(1.2) + Duration::from_secs(1);

        let mut batch = Vec::new();
        for rep in 0..self.reps {
            let namespace = format!("batch-{workers}-{rep}");
            batch.push(self.create_at_once(&names, &namespace, kubeconfig)?.took);
        }
        let batch = median(batch);
        // kubectl's three processes per Application take far longer; a few runs suffice.
        let mut peer = Vec::new();
        for rep in 0..self.reps.min(2) {
            let namespace = format!("kubectl-{workers}-{rep}");
            peer.push(self.kubectl_in_sequence(&names, &namespace, kubeconfig)?);
        }
        let peer = median(peer);
        self.rows.push(Row {
            case: format!(
                "create {COUNT} at once, `--workers {workers}` (`create APP1..APP{COUNT}` / \
                 kubectl create+wait+get per Application in sequence); controller delay \
                 {} ms, its floor {:.0} ms",
                DELAY.as_millis(),
                ms(floor)
            ),
            plugin: Measure::of(batch, None),
            peer: Some(Measure::of(peer, None)),
            target: format!(
                "≤ 1.2× floor + 1 s ({:.0} ms) and ≤ 0.1× kubectl's",
                ms(limit)
            ),
            met: Some(batch <= limit && batch.as_secs_f64() <= 0.1 * peer.as_secs_f64()),
        });

        if workers == 1 {
            let mut singles = Vec::new();
            for rep in 0..self.reps.min(3) {
                let namespace = format!("singles-{rep}");
                let started = Instant::now();
                for name in &names {
                    let ran = run_command(
                        &PLUGIN,
                        &[
                            "create",
                            name,
                            "-o",
                            "url",
                            "-n",
                            &namespace,
                            "--kubeconfig",
                            kubeconfig,
                        ],
                        None,
                    )?;
                    lines_of(&ran.stdout, 1, "https://")?;
                }
                singles.push(started.elapsed());
            }
            let singles = median(singles);
            self.rows.push(Row {
                case: format!(
                    "{COUNT} single `create -o url`s one after the other, `--workers 1` \
                     (/ kubectl as above); one `create` of all {COUNT}: {:.0} ms",
                    ms(batch)
                ),
                plugin: Measure::of(singles, None),
                peer: Some(Measure::of(peer, None)),
                target: "—".into(),
                met: None,
            });
        } else {
            self.many_at_once(sandbox, kubeconfig, workers)?;
        }
        Ok(())
    }

    /// One `create` of `names` in `namespace`, checked to have made every one ready.
    fn create_at_once(
        &self,
        names: &[String],
        namespace: &str,
        kubeconfig: &str,
    ) -> anyhow::Result<Ran> {
        let args = create_args(names, namespace, kubeconfig);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let ran = run_command(&PLUGIN, &args, None)?;
        lines_of(&ran.stdout, names.len(), "tokenrequest")?;
        Ok(ran)
    }

    /// kubectl create, wait and get for each name, one after the other, in one shell.
    fn kubectl_in_sequence(
        &self,
        names: &[String],
        namespace: &str,
        kubeconfig: &str,
    ) -> anyhow::Result<Duration> {
        let script = format!(
            "for name in {names}; do \
               printf 'apiVersion: applicationconnector.kyma-project.io/v1alpha1\\nkind: TokenRequest\\nmetadata:\\n  name: %s\\n' \"$name\" \
                 | $k create -f - >/dev/null && \
               $k wait --for=jsonpath='{{.status.state}}'=OK \"tokenrequest/$name\" --timeout=60s >/dev/null && \
               $k get tokenrequest \"$name\" -o jsonpath='{{.status.url}}' && echo || exit 1; \
             done",
            names = names.join(" "),
        );
        let script = format!(
            "k='{kubectl} -n {namespace} --kubeconfig {kubeconfig}'; {script}",
            kubectl = self.kubectl
        );
        let ran = run_command("sh", &["-c", &script], None)?;
        lines_of(&ran.stdout, names.len(), "https://")?;
        Ok(ran.took)
    }

    /// One `create` of [`MANY`] under `/usr/bin/time`: its peak RSS, and how many watches it
    /// opened in its namespace (the controller's own watch spans all namespaces).
    fn many_at_once(
        &mut self,
        sandbox: &Sandbox,
        kubeconfig: &str,
        workers: u16,
    ) -> anyhow::Result<()> {
        let names = applications(MANY);
        let namespace = "many";
        let args = create_args(&names, namespace, kubeconfig);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (ran, rss_kib) = self.run_measured(&PLUGIN, &args)?;
        lines_of(&ran.stdout, MANY, "tokenrequest")?;
        let watches = sandbox
            .server()
            .requests()
            .iter()
            .filter(|request| {
                request.verb == Verb::Watch && request.namespace.as_deref() == Some(namespace)
            })
            .count();
        let floor = DELAY * MANY as u32 / u32::from(workers);
        self.rows.push(Row {
            case: format!(
                "create {MANY} at once, `--workers {workers}` (floor {:.0} ms); watches of \
                 the namespace: {watches}",
                ms(floor)
            ),
            plugin: Measure::of(ran.took, rss_kib),
            peer: None,
            target: "peak RSS ≤ 40 MiB, one watch".into(),
            met: rss_kib.map(|kib| kib <= 40 * 1024 && watches == 1),
        });
        Ok(())
    }

    /// One run under `/usr/bin/time` (when there is one), checked like [`run_command`]'s, with
    /// its peak RSS.
    fn run_measured(&self, program: &str, args: &[&str]) -> anyhow::Result<(Ran, Option<u64>)> {
        let Some(time) = &self.time else {
            return Ok((run_command(program, args, None)?, None));
        };
        let time = time.to_str().context("the path of time")?;
        let mut timed = vec!["-f", "peak-rss-kib=%M", program];
        timed.extend_from_slice(args);
        let ran = run_command(time, &timed, None)?;
        let rss_kib = ran
            .stderr
            .lines()
            .rev()
            .find_map(|line| line.strip_prefix("peak-rss-kib="))
            .and_then(|kib| kib.trim().parse().ok());
        Ok((ran, rss_kib))
    }
}

/// `create NAME… -o name -n NAMESPACE --kubeconfig FILE`.
fn create_args(names: &[String], namespace: &str, kubeconfig: &str) -> Vec<String> {
    let mut args = vec!["create".to_string()];
    args.extend(names.iter().cloned());
    args.extend(["-o", "name", "-n", namespace, "--kubeconfig", kubeconfig].map(String::from));
    args
}
