//! The services catalog (`rules/catalog/services.toml`): how a program an image starts among
//! others runs in the foreground on its own, its layer, its tier, ports and volumes.

use std::sync::OnceLock;

use serde::Deserialize;

const SERVICES_TOML: &str = include_str!("../../../rules/catalog/services.toml");

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum ServiceLayer {
    App,
    Ops,
    Dev,
}

/// Start order: a service depends on the services of a lower tier.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    Store,
    App,
    Frontend,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceEntry {
    pub name: String,
    #[serde(default)]
    pub init_names: Vec<String>,
    #[serde(default)]
    pub programs: Vec<String>,
    pub foreground: Vec<String>,
    pub layer: ServiceLayer,
    pub tier: Tier,
    #[serde(default)]
    pub ports: Vec<String>,
    #[serde(default)]
    pub volumes: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ServicesFile {
    service: Vec<ServiceEntry>,
}

/// A catalog entry found for a name, with what its `*` matched.
pub struct Found<'a> {
    pub entry: &'a ServiceEntry,
    pub matched: String,
}

impl Found<'_> {
    /// The entry's foreground command, `{*}` replaced by what the name's `*` matched.
    pub fn foreground(&self) -> Vec<String> {
        self.entry
            .foreground
            .iter()
            .map(|word| word.replace("{*}", &self.matched))
            .collect()
    }
}

/// The built-in services catalog.
pub fn services() -> &'static [ServiceEntry] {
    static SERVICES: OnceLock<Vec<ServiceEntry>> = OnceLock::new();
    SERVICES.get_or_init(|| parse(SERVICES_TOML).unwrap_or_default())
}

fn parse(text: &str) -> Result<Vec<ServiceEntry>, String> {
    toml::from_str::<ServicesFile>(text)
        .map(|file| file.service)
        .map_err(|error| error.to_string())
}

/// The entry whose init script or unit is `name` (`mysql`, `php8.2-fpm`, `nginx.service`).
pub fn by_init_name(name: &str) -> Option<Found<'static>> {
    let name = name.trim_end_matches(".service");
    find(|entry| &entry.init_names, name)
}

/// The entry whose program is `program` (a path or a file name).
pub fn by_program(program: &str) -> Option<Found<'static>> {
    let name = program.rsplit('/').next().unwrap_or(program);
    find(|entry| &entry.programs, name)
}

fn find(names: impl Fn(&ServiceEntry) -> &Vec<String>, wanted: &str) -> Option<Found<'static>> {
    services().iter().find_map(|entry| {
        names(entry).iter().find_map(|pattern| {
            glob_match(pattern, wanted).map(|matched| Found {
                entry,
                matched: matched.to_string(),
            })
        })
    })
}

/// Matches `text` against `pattern` with at most one `*`; what the `*` matched.
fn glob_match<'t>(pattern: &str, text: &'t str) -> Option<&'t str> {
    match pattern.split_once('*') {
        None => (pattern == text).then_some(""),
        Some((prefix, suffix)) => {
            let rest = text.strip_prefix(prefix)?;
            let middle = rest.strip_suffix(suffix)?;
            (text.len() >= prefix.len() + suffix.len()).then_some(middle)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalog_parses() {
        let entries = parse(SERVICES_TOML).unwrap();
        assert!(entries.len() >= 10);
        assert!(entries.iter().all(|entry| !entry.foreground.is_empty()));
    }

    #[test]
    fn finds_services_by_init_name_with_wildcards() {
        let php = by_init_name("php8.2-fpm").unwrap();
        assert_eq!(php.entry.name, "php-fpm");
        assert_eq!(php.foreground(), ["php-fpm8.2", "-F"]);
        assert_eq!(
            by_init_name("php-fpm").unwrap().foreground(),
            ["php-fpm", "-F"]
        );
        assert_eq!(by_init_name("mysql").unwrap().foreground(), ["mysqld_safe"]);
        assert_eq!(by_init_name("ssh").unwrap().entry.layer, ServiceLayer::Dev);
        assert!(by_init_name("postgresql").is_none());
    }

    #[test]
    fn finds_services_by_program_path() {
        assert_eq!(
            by_program("/usr/sbin/php-fpm8.2").unwrap().entry.name,
            "php-fpm"
        );
        assert_eq!(
            by_program("/usr/sbin/nginx").unwrap().entry.tier,
            Tier::Frontend
        );
        assert!(by_program("/usr/local/bin/myapp").is_none());
    }

    #[test]
    fn a_star_matches_only_between_prefix_and_suffix() {
        assert_eq!(glob_match("php*-fpm", "php-fpm"), Some(""));
        assert_eq!(glob_match("ab*ba", "aba"), None);
        assert_eq!(glob_match("nginx", "nginx"), Some(""));
    }
}
