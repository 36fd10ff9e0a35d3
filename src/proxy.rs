//! Which proxy a request goes through, by kubectl's rules (client-go, Go's `net/http`): a
//! kubeconfig `proxy-url` is used for its cluster as given; otherwise `HTTPS_PROXY` for https
//! and `HTTP_PROXY` for http targets, unless `NO_PROXY` matches the **target**, and never for
//! a loopback address or `localhost`. One place, for the API server and the Connector Service.
//!
//! Written here rather than taken from hyper-util's `proxy::Matcher` or kube's loader, because
//! neither follows Go: the matcher reads `ALL_PROXY`, ignores ports in `NO_PROXY` and proxies
//! loopback addresses; kube-client 5 (`config/file_loader.rs`, `proxy_url()`) matches
//! `NO_PROXY` against the proxy's own address, so `NO_PROXY=cluster.host` is ignored and an
//! entry naming the proxy switches a kubeconfig `proxy-url` off. `connect` sets the config's
//! proxy from [`choose`] to work around the latter.

use std::net::IpAddr;

use http::Uri;

/// Where the proxy settings come from; the environment, or a fixed one for tests.
pub trait Environment {
    fn var(&self, name: &str) -> Option<String>;
}

/// The process's environment.
pub struct ProcessEnvironment;

impl Environment for ProcessEnvironment {
    fn var(&self, name: &str) -> Option<String> {
        std::env::var(name).ok()
    }
}

/// The proxy for `target`, or `None` to go direct: `configured` (a kubeconfig `proxy-url`)
/// wins; otherwise the environment's rules. An unusable proxy URL is an error naming the
/// variable (never its credentials).
pub fn choose(
    configured: Option<&str>,
    target: &Uri,
    env: &dyn Environment,
) -> Result<Option<Uri>, String> {
    if let Some(configured) = configured.filter(|c| !c.trim().is_empty()) {
        return parse_proxy(configured)
            .map(Some)
            .map_err(|e| format!("the kubeconfig's proxy-url: {e}"));
    }
    let (names, default_port) = match target.scheme_str() {
        Some("https") => (["HTTPS_PROXY", "https_proxy"], 443),
        Some("http") => {
            // Go ignores HTTP_PROXY in a CGI request, where a client could have set it.
            if env.var("REQUEST_METHOD").is_some() {
                return Ok(None);
            }
            (["HTTP_PROXY", "http_proxy"], 80)
        }
        _ => return Ok(None),
    };
    let Some((name, proxy)) = first_set(env, &names) else {
        return Ok(None);
    };
    let host = target.host().unwrap_or_default();
    let port = target.port_u16().unwrap_or(default_port);
    let no_proxy = first_set(env, &["NO_PROXY", "no_proxy"])
        .map(|(_, v)| v)
        .unwrap_or_default();
    if !use_proxy(host, port, &no_proxy) {
        return Ok(None);
    }
    parse_proxy(&proxy)
        .map(Some)
        .map_err(|e| format!("{name}: {e}"))
}

/// `scheme://host:port` of a proxy, without credentials: what logs may show.
pub fn shown(proxy: &Uri) -> String {
    let authority = proxy.authority().map_or("", |a| a.as_str());
    let host = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    format!("{}://{host}", proxy.scheme_str().unwrap_or("http"))
}

fn first_set(env: &dyn Environment, names: &[&str]) -> Option<(String, String)> {
    names.iter().find_map(|name| {
        env.var(name)
            .filter(|value| !value.is_empty())
            .map(|value| (name.to_string(), value))
    })
}

/// Go's `parseProxy`: a value without a scheme is an http proxy.
fn parse_proxy(value: &str) -> Result<Uri, String> {
    let value = value.trim();
    let with_scheme = if value.contains("://") {
        value.to_string()
    } else {
        format!("http://{value}")
    };
    let uri: Uri = with_scheme
        .parse()
        .map_err(|_| "not a URL (use http://host:port, https://… or socks5://…)".to_string())?;
    match uri.scheme_str() {
        Some("http" | "https" | "socks5" | "socks5h") if uri.host().is_some() => Ok(uri),
        Some("http" | "https" | "socks5" | "socks5h") => Err("it names no host".to_string()),
        _ => Err("only http, https and socks5 proxies are supported".to_string()),
    }
}

/// Go's `useProxy`: whether `host:port` goes through the proxy under `no_proxy`.
fn use_proxy(host: &str, port: u16, no_proxy: &str) -> bool {
    let host = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_ascii_lowercase();
    if host == "localhost" {
        return false;
    }
    let ip: Option<IpAddr> = host.parse().ok();
    if ip.is_some_and(|ip| ip.is_loopback()) {
        return false;
    }
    for entry in no_proxy.split(',') {
        let entry = entry.trim().to_ascii_lowercase();
        if entry.is_empty() {
            continue;
        }
        if entry == "*" {
            return false;
        }
        if let Some((network, bits)) = entry.split_once('/')
            && let (Ok(network), Ok(bits)) = (network.parse::<IpAddr>(), bits.parse::<u8>())
        {
            if ip.is_some_and(|ip| in_network(ip, network, bits)) {
                return false;
            }
            continue;
        }
        let (entry_host, entry_port) = split_port(&entry);
        let port_matches = entry_port.is_none_or(|p| p == port);
        if let Ok(entry_ip) = entry_host.parse::<IpAddr>() {
            if ip == Some(entry_ip) && port_matches {
                return false;
            }
            continue;
        }
        // `foo.com` matches foo.com and its subdomains, `.foo.com` (and `*.foo.com`) only
        // the subdomains.
        let entry_host = entry_host.strip_prefix('*').unwrap_or(entry_host);
        let matches = match entry_host.strip_prefix('.') {
            Some(domain) => host.ends_with(&format!(".{domain}")),
            None => host == entry_host || host.ends_with(&format!(".{entry_host}")),
        };
        if matches && port_matches {
            return false;
        }
    }
    true
}

/// `host:port`, `[v6]:port`, or a bare host (IPv6 addresses have colons of their own).
fn split_port(entry: &str) -> (&str, Option<u16>) {
    if let Some(rest) = entry.strip_prefix('[') {
        return match rest.split_once(']') {
            Some((host, tail)) => (host, tail.strip_prefix(':').and_then(|p| p.parse().ok())),
            None => (entry, None),
        };
    }
    match entry.rsplit_once(':') {
        Some((host, port)) if !host.contains(':') => match port.parse() {
            Ok(port) => (host, Some(port)),
            Err(_) => (entry, None),
        },
        _ => (entry, None),
    }
}

fn in_network(ip: IpAddr, network: IpAddr, bits: u8) -> bool {
    match (ip, network) {
        (IpAddr::V4(ip), IpAddr::V4(network)) if bits <= 32 => {
            let mask = u32::MAX.checked_shl(32 - u32::from(bits)).unwrap_or(0);
            u32::from(ip) & mask == u32::from(network) & mask
        }
        (IpAddr::V6(ip), IpAddr::V6(network)) if bits <= 128 => {
            let mask = u128::MAX.checked_shl(128 - u32::from(bits)).unwrap_or(0);
            u128::from(ip) & mask == u128::from(network) & mask
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    struct Fixed(HashMap<&'static str, &'static str>);

    impl Environment for Fixed {
        fn var(&self, name: &str) -> Option<String> {
            self.0.get(name).map(|v| v.to_string())
        }
    }

    fn env(pairs: &[(&'static str, &'static str)]) -> Fixed {
        Fixed(pairs.iter().copied().collect())
    }

    fn via(
        target: &str,
        configured: Option<&str>,
        vars: &[(&'static str, &'static str)],
    ) -> Option<String> {
        choose(configured, &target.parse().unwrap(), &env(vars))
            .unwrap()
            .map(|proxy| proxy.to_string())
    }

    const PROXY: (&str, &str) = ("HTTPS_PROXY", "http://proxy.corp:3128");

    #[test]
    fn the_environment_proxies_unless_no_proxy_matches_the_target() {
        let cases: &[(&str, &str, bool)] = &[
            // (target, NO_PROXY, proxied)
            ("https://api.example.com:6443", "", true),
            ("https://api.example.com:6443", "*", false),
            ("https://api.example.com:6443", "api.example.com", false),
            ("https://api.example.com:6443", "example.com", false),
            ("https://api.example.com:6443", ".example.com", false),
            ("https://api.example.com:6443", "*.example.com", false),
            ("https://example.com:6443", ".example.com", true),
            ("https://example.com:6443", "example.com", false),
            ("https://notexample.com", "example.com", true),
            ("https://API.Example.COM", "api.example.com", false),
            (
                "https://api.example.com:6443",
                "api.example.com:6443",
                false,
            ),
            ("https://api.example.com:6443", "api.example.com:443", true),
            ("https://api.example.com", "api.example.com:443", false),
            ("https://10.1.2.3:6443", "10.1.2.3", false),
            ("https://10.1.2.3:6443", "10.0.0.0/8", false),
            ("https://11.1.2.3:6443", "10.0.0.0/8", true),
            ("https://10.1.2.3:6443", "10.1.2.3:443", true),
            ("https://[fd00::1]:6443", "fd00::/8", false),
            ("https://[fd00::1]:6443", "fd00::1", false),
            ("https://[fd00::1]:6443", "[fd00::1]:6443", false),
            ("https://[fe80::1]:6443", "fd00::/8", true),
            (
                "https://api.example.com",
                " other.com , example.com ",
                false,
            ),
            ("https://proxy.corp", "proxy.corp", false),
        ];
        for (target, no_proxy, proxied) in cases {
            let got = via(target, None, &[PROXY, ("NO_PROXY", no_proxy)]);
            assert_eq!(
                got.is_some(),
                *proxied,
                "{target} with NO_PROXY={no_proxy:?}"
            );
        }
    }

    #[test]
    fn loopback_and_localhost_are_never_proxied() {
        for target in [
            "https://127.0.0.1:6443",
            "https://127.9.9.9",
            "https://[::1]:6443",
            "https://localhost:6443",
            "http://127.0.0.1:8080",
        ] {
            let vars = [PROXY, ("HTTP_PROXY", "http://proxy.corp:3128")];
            assert_eq!(via(target, None, &vars), None, "{target}");
        }
    }

    #[test]
    fn the_scheme_picks_the_variable_upper_case_first_and_empty_means_unset() {
        let vars = [
            ("HTTP_PROXY", "http://plain:1"),
            ("HTTPS_PROXY", "http://secure:2"),
        ];
        assert_eq!(
            via("http://h", None, &vars).as_deref(),
            Some("http://plain:1/")
        );
        assert_eq!(
            via("https://h", None, &vars).as_deref(),
            Some("http://secure:2/")
        );
        let lower = [("https_proxy", "http://lower:3")];
        assert_eq!(
            via("https://h", None, &lower).as_deref(),
            Some("http://lower:3/")
        );
        let both = [
            ("HTTPS_PROXY", "http://upper:4"),
            ("https_proxy", "http://lower:3"),
        ];
        assert_eq!(
            via("https://h", None, &both).as_deref(),
            Some("http://upper:4/")
        );
        let empty = [("HTTPS_PROXY", ""), ("https_proxy", "http://lower:3")];
        assert_eq!(
            via("https://h", None, &empty).as_deref(),
            Some("http://lower:3/")
        );
        assert_eq!(via("https://h", None, &[("HTTPS_PROXY", "")]), None);
        assert_eq!(
            via("https://h", None, &[("HTTP_PROXY", "http://plain:1")]),
            None
        );
        let lower_no = [PROXY, ("no_proxy", "h")];
        assert_eq!(via("https://h", None, &lower_no), None);
        // A value without a scheme is an http proxy, as Go reads it.
        assert_eq!(
            via("https://h", None, &[("HTTPS_PROXY", "proxy:3128")]).as_deref(),
            Some("http://proxy:3128/")
        );
        // CGI: HTTP_PROXY may come from the client.
        let cgi = [("HTTP_PROXY", "http://plain:1"), ("REQUEST_METHOD", "GET")];
        assert_eq!(via("http://h", None, &cgi), None);
    }

    #[test]
    fn a_kubeconfig_proxy_url_is_used_as_given_whatever_no_proxy_says() {
        let vars = [PROXY, ("NO_PROXY", "api.example.com,kube-proxy.corp,*")];
        for (configured, expected) in [
            (
                "http://kube-proxy.corp:8080",
                "http://kube-proxy.corp:8080/",
            ),
            (
                "socks5://kube-proxy.corp:1080",
                "socks5://kube-proxy.corp:1080/",
            ),
            ("https://kube-proxy.corp", "https://kube-proxy.corp/"),
        ] {
            assert_eq!(
                via("https://api.example.com", Some(configured), &vars).as_deref(),
                Some(expected)
            );
        }
        // Even for loopback: the kubeconfig asked for it.
        assert!(via("https://127.0.0.1", Some("http://p:1"), &[]).is_some());
    }

    #[test]
    fn unusable_proxies_are_errors_that_hide_credentials() {
        let target: Uri = "https://h".parse().unwrap();
        let error = choose(
            None,
            &target,
            &env(&[("HTTPS_PROXY", "ftp://user:secret@p")]),
        )
        .unwrap_err();
        assert!(error.starts_with("HTTPS_PROXY: "), "{error}");
        assert!(!error.contains("secret"), "{error}");
        let proxy: Uri = "http://user:secret@proxy.corp:3128".parse().unwrap();
        assert_eq!(shown(&proxy), "http://proxy.corp:3128");
    }
}
