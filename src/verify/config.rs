//! Image configuration (`docker image inspect`'s Config): what a container of the image is
//! started with must be equal, the sshd port aside (sshd leaves production).

use serde_json::Value;

use super::Difference;

/// The compared fields, as `docker image inspect` names them.
const FIELDS: [&str; 10] = [
    "Cmd",
    "Entrypoint",
    "Env",
    "WorkingDir",
    "User",
    "ExposedPorts",
    "Volumes",
    "Labels",
    "Healthcheck",
    "StopSignal",
];

/// The port production may stop exposing.
const SSHD_PORT: &str = "22/tcp";

pub fn compare(original: &Value, production: &Value) -> Vec<Difference> {
    FIELDS
        .iter()
        .filter_map(|field| {
            let was = normalized(field, original.get(*field));
            let now = normalized(field, production.get(*field));
            (was != now).then(|| {
                Difference::new(
                    "config",
                    field,
                    format!(
                        "{field}: {} in the original, {} in production",
                        shown(&was),
                        shown(&now)
                    ),
                )
            })
        })
        .collect()
}

/// Absent, null, empty string, empty list and empty map are one thing; Env is compared as a
/// map (the order of ENV instructions across layers is not behaviour); 22/tcp is dropped.
fn normalized(field: &str, value: Option<&Value>) -> Value {
    let value = value.cloned().unwrap_or(Value::Null);
    let value = match (field, value) {
        ("Env", Value::Array(items)) => {
            let mut pairs: Vec<String> = items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect();
            pairs.sort();
            Value::from(pairs)
        }
        ("ExposedPorts", Value::Object(mut ports)) => {
            ports.remove(SSHD_PORT);
            Value::Object(ports)
        }
        (_, value) => value,
    };
    let empty = match &value {
        Value::Null => true,
        Value::String(text) => text.is_empty(),
        Value::Array(items) => items.is_empty(),
        Value::Object(map) => map.is_empty(),
        _ => false,
    };
    if empty { Value::Null } else { value }
}

fn shown(value: &Value) -> String {
    match value {
        Value::Null => "(none)".into(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_sshd_port_env_order_and_empty_values_are_no_difference() {
        let original = json!({"Env": ["A=1", "B=2"], "ExposedPorts": {"22/tcp": {}, "80/tcp": {}}, "User": ""});
        let production =
            json!({"Env": ["B=2", "A=1"], "ExposedPorts": {"80/tcp": {}}, "Labels": null});
        assert!(compare(&original, &production).is_empty());
    }

    #[test]
    fn a_changed_command_or_user_is_listed() {
        let original = json!({"Cmd": ["supervisord"], "User": "svc"});
        let production = json!({"Cmd": ["sh"], "User": ""});
        let subjects: Vec<_> = compare(&original, &production)
            .into_iter()
            .map(|d| d.subject)
            .collect();
        assert_eq!(subjects, ["Cmd", "User"]);
    }
}
