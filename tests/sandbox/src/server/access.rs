//! What each user may do beyond TokenRequests, judged the way RBAC would judge the sandbox's
//! users if each had one ClusterRole bound cluster-wide (`sandbox:<user>`), plus the rules
//! every authenticated user gets (`system:basic-user`, `system:discovery`,
//! `system:public-info-viewer`) as `rules-nobody` records them; `admin` and `certuser` are in
//! `system:masters`.

use serde_json::{Value, json};

use super::kinds::Resource;
use super::{User, Verb, Verbs};

/// A user's rights besides its TokenRequest verbs ([`User::verbs`]). Verbs hold in every
/// namespace; a subresource (`deployments/status`) goes with its resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Access {
    /// Member of `system:masters`: every request and every review is allowed.
    pub masters: bool,
    pub applications: Verbs,
    pub crds: Verbs,
    pub deployments: Verbs,
    pub namespaces: Verbs,
}

impl Access {
    pub const NONE: Access = Access::uniform(Verbs::NONE);
    /// `system:masters`, as `admin`.
    pub const MASTERS: Access = Access {
        masters: true,
        ..Access::uniform(Verbs::ALL)
    };

    /// The same verbs on every resource.
    pub const fn uniform(verbs: Verbs) -> Access {
        Access {
            masters: false,
            applications: verbs,
            crds: verbs,
            deployments: verbs,
            namespaces: verbs,
        }
    }
}

/// The rule of `system:basic-user` and `system:discovery`/`system:public-info-viewer`, in the
/// order the server lists them (`rules-nobody`).
fn basic_rules() -> (Vec<Value>, Vec<Value>) {
    let resource_rules = vec![
        json!({"apiGroups": ["authorization.k8s.io"], "resources": ["selfsubjectaccessreviews", "selfsubjectrulesreviews"], "verbs": ["create"]}),
        json!({"apiGroups": ["authentication.k8s.io"], "resources": ["selfsubjectreviews"], "verbs": ["create"]}),
    ];
    let non_resource_rules = vec![
        json!({"nonResourceURLs": DISCOVERY_URLS, "verbs": ["get"]}),
        json!({"nonResourceURLs": PUBLIC_INFO_URLS, "verbs": ["get"]}),
    ];
    (resource_rules, non_resource_rules)
}

const DISCOVERY_URLS: [&str; 11] = [
    "/api",
    "/api/*",
    "/apis",
    "/apis/*",
    "/healthz",
    "/livez",
    "/openapi",
    "/openapi/*",
    "/readyz",
    "/version",
    "/version/",
];
const PUBLIC_INFO_URLS: [&str; 5] = ["/healthz", "/livez", "/readyz", "/version", "/version/"];

fn verb_names(verbs: Verbs) -> Vec<&'static str> {
    Verb::ALL
        .into_iter()
        .filter(|verb| verbs.allows(*verb))
        .map(Verb::as_str)
        .collect()
}

fn cluster_role(user: &User) -> String {
    format!("sandbox:{}", user.name)
}

/// The `status` of a SelfSubjectRulesReview for `user` (the same in every namespace).
pub fn rules(user: &User) -> Value {
    let (mut resource_rules, mut non_resource_rules) = (Vec::new(), Vec::new());
    if user.access.masters {
        resource_rules.push(json!({"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}));
        non_resource_rules.push(json!({"nonResourceURLs": ["*"], "verbs": ["*"]}));
    } else {
        for resource in Resource::ALL {
            let verbs = verb_names(user.verbs_on(resource));
            if !verbs.is_empty() {
                resource_rules.push(json!({
                    "apiGroups": [resource.group()],
                    "resources": [resource.plural()],
                    "verbs": verbs,
                }));
            }
        }
    }
    let (basic, non_resource) = basic_rules();
    resource_rules.extend(basic);
    non_resource_rules.extend(non_resource);
    json!({
        "incomplete": false,
        "nonResourceRules": non_resource_rules,
        "resourceRules": resource_rules,
    })
}

/// What a SelfSubjectAccessReview answers: whether it is allowed, and RBAC's reason when a
/// rule (not `system:masters`) allows it.
pub struct Decision {
    pub allowed: bool,
    pub reason: Option<String>,
}

fn allowed_by(binding: &str, subject: &str) -> Decision {
    Decision {
        allowed: true,
        reason: Some(format!(
            "RBAC: allowed by ClusterRoleBinding {binding:?} of ClusterRole {binding:?} to {subject}"
        )),
    }
}

const DENIED: Decision = Decision {
    allowed: false,
    reason: None,
};

const AUTHENTICATED: &str = "Group \"system:authenticated\"";

/// Judges `resourceAttributes` (group, resource, verb; namespace and name do not matter here).
pub fn review_resource(user: &User, group: &str, resource: &str, verb: &str) -> Decision {
    if user.access.masters {
        return Decision {
            allowed: true,
            reason: None,
        };
    }
    let self_review = matches!(
        (group, resource),
        (
            "authorization.k8s.io",
            "selfsubjectaccessreviews" | "selfsubjectrulesreviews"
        ) | ("authentication.k8s.io", "selfsubjectreviews")
    );
    if self_review && verb == "create" {
        return allowed_by("system:basic-user", AUTHENTICATED);
    }
    let Some(resource) = Resource::find(group, resource) else {
        return DENIED;
    };
    let verbs = user.verbs_on(resource);
    let allowed = match verb {
        "*" => verbs == Verbs::ALL,
        verb => Verb::parse(verb).is_some_and(|verb| verbs.allows(verb)),
    };
    if allowed {
        let role = cluster_role(user);
        allowed_by(&role, &format!("User {:?}", user.name))
    } else {
        DENIED
    }
}

/// Judges `nonResourceAttributes`: only the discovery and health paths, with `get`.
pub fn review_non_resource(user: &User, path: &str, verb: &str) -> Decision {
    if user.access.masters {
        return Decision {
            allowed: true,
            reason: None,
        };
    }
    let matches = |pattern: &&str| match pattern.strip_suffix('*') {
        Some(prefix) => path.starts_with(prefix),
        None => path == *pattern,
    };
    if verb != "get" {
        return DENIED;
    }
    if DISCOVERY_URLS.iter().any(matches) {
        allowed_by("system:discovery", AUTHENTICATED)
    } else {
        DENIED
    }
}

impl Verb {
    pub fn parse(text: &str) -> Option<Verb> {
        Verb::ALL.into_iter().find(|verb| verb.as_str() == text)
    }
}

/// `get,list,watch` or `*`, or empty for none.
fn parse_verbs(text: &str) -> Result<Verbs, String> {
    let mut verbs = Verbs::NONE;
    for word in text
        .split(',')
        .map(str::trim)
        .filter(|word| !word.is_empty())
    {
        verbs = match word {
            "*" => Verbs::ALL,
            word => verbs.with(Verb::parse(word).ok_or_else(|| {
                format!(
                    "unknown verb {word:?} (verbs: {}, or *)",
                    verb_names(Verbs::ALL).join(", ")
                )
            })?),
        };
    }
    Ok(verbs)
}

impl User {
    /// The verbs the user has on `resource` (`system:masters` aside).
    pub fn verbs_on(&self, resource: Resource) -> Verbs {
        match resource {
            Resource::TokenRequests => self.verbs,
            Resource::Applications => self.access.applications,
            Resource::CustomResourceDefinitions => self.access.crds,
            Resource::Deployments => self.access.deployments,
            Resource::Namespaces => self.access.namespaces,
        }
    }

    /// Whether a request with `verb` on `resource` is allowed.
    pub fn may(&self, resource: Resource, verb: Verb) -> bool {
        self.access.masters || self.verbs_on(resource).allows(verb)
    }

    /// This user with `verbs` on `resource` instead.
    pub fn with_verbs_on(mut self, resource: Resource, verbs: Verbs) -> User {
        let slot = match resource {
            Resource::TokenRequests => &mut self.verbs,
            Resource::Applications => &mut self.access.applications,
            Resource::CustomResourceDefinitions => &mut self.access.crds,
            Resource::Deployments => &mut self.access.deployments,
            Resource::Namespaces => &mut self.access.namespaces,
        };
        *slot = verbs;
        self
    }

    pub fn with_access(mut self, access: Access) -> User {
        self.access = access;
        self
    }

    /// The groups the server puts the user in (SelfSubjectReview's `userInfo.groups`); a
    /// certificate user is authenticated as a token user is.
    pub fn groups(&self) -> Vec<&'static str> {
        match (self.is_anonymous(), self.access.masters) {
            (true, _) => vec!["system:unauthenticated"],
            (false, true) => vec!["system:masters", "system:authenticated"],
            (false, false) => vec!["system:authenticated"],
        }
    }

    /// The groups a client certificate names in its O values: kube-apiserver adds
    /// `system:authenticated` itself.
    pub fn certificate_groups(&self) -> Vec<&'static str> {
        let mut groups = self.groups();
        groups.retain(|group| *group != "system:authenticated");
        groups
    }

    /// A user from `NAME=VERBS[;RESOURCE=VERBS]...` (`serve --user`): VERBS (comma-separated,
    /// `*` for all, empty for none) on every resource, then per-resource overrides, e.g.
    /// `ci=create,get,list,delete` or `blind=*;deployments=`. The token is
    /// `sandbox-NAME-token`.
    pub fn parse_spec(spec: &str) -> Result<User, String> {
        let mut parts = spec.split(';');
        let first = parts.next().unwrap_or_default();
        let (name, verbs) = first
            .split_once('=')
            .ok_or_else(|| format!("{spec:?} is not NAME=VERBS[;RESOURCE=VERBS]..."))?;
        let name = name.trim();
        let valid_name = !name.is_empty()
            && name
                .bytes()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-');
        if !valid_name {
            return Err(format!(
                "user name {name:?} must be lower-case letters, digits and '-'"
            ));
        }
        let verbs = parse_verbs(verbs)?;
        let mut user = User::new(name, &format!("sandbox-{name}-token"), verbs);
        for part in parts.filter(|part| !part.trim().is_empty()) {
            let (resource, verbs) = part
                .split_once('=')
                .ok_or_else(|| format!("{part:?} is not RESOURCE=VERBS"))?;
            let resource = Resource::parse(resource.trim()).ok_or_else(|| {
                format!(
                    "unknown resource {resource:?} (resources: {})",
                    Resource::ALL.map(Resource::plural).join(", ")
                )
            })?;
            user = user.with_verbs_on(resource, parse_verbs(verbs)?);
        }
        Ok(user)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spec_sets_verbs_everywhere_then_overrides() {
        let user = User::parse_spec("ci=create,get;deployments=;crds=*").unwrap();
        assert_eq!(user.token, "sandbox-ci-token");
        let create_get = Verbs::NONE.with(Verb::Create).with(Verb::Get);
        assert_eq!(user.verbs, create_get);
        assert_eq!(user.access.applications, create_get);
        assert_eq!(user.access.namespaces, create_get);
        assert_eq!(user.access.deployments, Verbs::NONE);
        assert_eq!(user.access.crds, Verbs::ALL);
        assert!(!user.access.masters);
        assert!(User::parse_spec("x=fly").is_err());
        assert!(User::parse_spec("X=get").is_err());
        assert!(User::parse_spec("x=get;pods=get").is_err());
        assert!(User::parse_spec("nameonly").is_err());
        assert_eq!(User::parse_spec("none=").unwrap().verbs, Verbs::NONE);
    }

    #[test]
    fn reviews_follow_the_verbs_and_masters_may_everything() {
        let user = User::new("ci", "t", Verbs::NONE.with(Verb::Get));
        let group = super::super::GROUP;
        assert!(review_resource(&user, group, "tokenrequests", "get").allowed);
        let denied = review_resource(&user, group, "tokenrequests", "watch");
        assert!(!denied.allowed && denied.reason.is_none());
        assert!(!review_resource(&user, "", "pods", "get").allowed);
        assert!(!review_resource(&user, group, "tokenrequests", "*").allowed);
        assert_eq!(
            review_resource(&user, "apps", "deployments", "get").reason,
            Some("RBAC: allowed by ClusterRoleBinding \"sandbox:ci\" of ClusterRole \"sandbox:ci\" to User \"ci\"".into())
        );
        assert!(
            review_resource(
                &user,
                "authorization.k8s.io",
                "selfsubjectaccessreviews",
                "create"
            )
            .allowed
        );
        let admin = User::new("admin", "t", Verbs::ALL).with_access(Access::MASTERS);
        assert!(review_resource(&admin, "", "secrets", "escalate").allowed);
        assert!(review_non_resource(&user, "/apis/apps", "get").allowed);
        assert!(!review_non_resource(&user, "/metrics", "get").allowed);
        assert!(!review_non_resource(&user, "/api", "post").allowed);
        assert!(review_non_resource(&admin, "/metrics", "get").allowed);
    }

    #[test]
    fn rules_list_the_verbs_of_each_resource_before_the_basic_ones() {
        let user = User::new("ci", "t", Verbs::NONE)
            .with_verbs_on(Resource::TokenRequests, Verbs::NONE.with(Verb::Create));
        let listed = rules(&user);
        assert_eq!(
            listed["resourceRules"][0],
            json!({"apiGroups": [super::super::GROUP], "resources": ["tokenrequests"], "verbs": ["create"]})
        );
        assert_eq!(listed["resourceRules"].as_array().unwrap().len(), 3);
        let admin = User::new("admin", "t", Verbs::ALL).with_access(Access::MASTERS);
        assert_eq!(rules(&admin)["resourceRules"][0]["verbs"], json!(["*"]));
    }
}
