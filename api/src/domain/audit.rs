//! The audit log: every mutation records who changed what, in the same
//! transaction as the change, so the log and the data never disagree.
//!
//! The log says that a candidate's email or a scorecard's notes changed, but
//! never what they say: personal data and free text are masked before an
//! event is written ([`PERSONAL`]), so the log can be kept for as long as
//! the business needs it without becoming a copy of candidates' data. The
//! API offers no way to change or delete an event.

use chrono::Utc;
use entity::audit_event;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, Set};
use serde::Serialize;
use serde_json::{Map, Value, json};

/// Who made a change, and in which request.
#[derive(Clone, Debug)]
pub struct Actor {
    /// The staff user, absent for anonymous callers (applying from the careers site).
    pub user_id: Option<i64>,
    /// The request's id.
    pub request_id: String,
}

/// A stored enum value as it is spelled in the API, e.g. `REJECTED`.
pub fn enum_name<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(Value::String(name)) => name,
        _ => String::new(),
    }
}

/// The name of a creation or change of `object`, e.g. `team.create`.
pub fn action(object: &str, creating: bool) -> String {
    format!("{object}.{}", if creating { "create" } else { "update" })
}

/// The fields that differ between `before` and `after`, as
/// `{"field": {"before": .., "after": ..}}`; for a creation (`before` absent),
/// every field with `before: null`.
pub fn changes<T: Serialize>(before: Option<&T>, after: &T) -> Value {
    let to_map = |value: Value| match value {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    let after = to_map(serde_json::to_value(after).unwrap_or(Value::Null));
    let before = before
        .map(|b| to_map(serde_json::to_value(b).unwrap_or(Value::Null)))
        .unwrap_or_default();
    let mut changed = Map::new();
    for (field, new) in after {
        if matches!(field.as_str(), "updated_at" | "created_at") {
            continue;
        }
        let old = before.get(&field).cloned().unwrap_or(Value::Null);
        if old != new {
            changed.insert(field, json!({ "before": old, "after": new }));
        }
    }
    Value::Object(changed)
}

/// What a masked value is replaced with.
pub const MASKED: &str = "[personal data]";

/// The fields whose values the log never holds, by object type: candidates'
/// personal data, and free text that may say anything about a person.
pub const PERSONAL: &[(&str, &[&str])] = &[
    (
        "Candidate",
        &[
            "email",
            "email_normalized",
            "name",
            "phone",
            "links",
            "time_zone",
            "source_detail",
        ],
    ),
    ("Application", &["rejection_note", "reason", "answers"]),
    (
        "Interview",
        &[
            "meeting_url",
            "submission_url",
            "cancel_reason",
            "time_zone",
        ],
    ),
    ("Scorecard", &["notes", "ratings"]),
    ("Offer", &["notes", "exception_reason", "reason", "comment"]),
];

/// `changes` with the values of `object_type`'s personal fields masked
/// (a field that was and stays empty shows as null).
pub fn mask(object_type: &str, mut changes: Value) -> Value {
    let Some((_, fields)) = PERSONAL.iter().find(|(kind, _)| *kind == object_type) else {
        return changes;
    };
    if let Value::Object(map) = &mut changes {
        for field in *fields {
            let Some(entry) = map.get_mut(*field) else {
                continue;
            };
            match entry {
                Value::Object(sides) => {
                    for side in sides.values_mut() {
                        if !side.is_null() {
                            *side = json!(MASKED);
                        }
                    }
                }
                other if !other.is_null() => *other = json!(MASKED),
                _ => {}
            }
        }
    }
    changes
}

/// Records `action` on `object_type` `object_id` with `changes`, its
/// personal fields masked.
pub async fn record(
    db: &impl ConnectionTrait,
    actor: &Actor,
    action: &str,
    object_type: &str,
    object_id: i64,
    changes: Value,
) -> Result<(), DbErr> {
    audit_event::ActiveModel {
        actor_id: Set(actor.user_id),
        action: Set(action.to_owned()),
        object_type: Set(object_type.to_owned()),
        object_id: Set(Some(object_id)),
        changes: Set(mask(object_type, changes)),
        request_id: Set(Some(actor.request_id.clone())),
        occurred_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Team {
        name: &'static str,
        department: &'static str,
        updated_at: u32,
    }

    #[test]
    fn only_changed_fields_are_recorded() {
        let before = Team {
            name: "Payments",
            department: "Engineering",
            updated_at: 1,
        };
        let after = Team {
            name: "Billing",
            department: "Engineering",
            updated_at: 2,
        };
        assert_eq!(
            changes(Some(&before), &after),
            json!({ "name": { "before": "Payments", "after": "Billing" } })
        );
    }

    #[test]
    fn personal_fields_are_masked_and_the_rest_is_kept() {
        let changes = json!({
            "email": { "before": "ada@example.com", "after": "ada@lovelace.dev" },
            "phone": { "before": null, "after": "+44 20 7946 0000" },
            "source": { "before": "SOURCED", "after": "REFERRAL" }
        });
        assert_eq!(
            mask("Candidate", changes),
            json!({
                "email": { "before": MASKED, "after": MASKED },
                "phone": { "before": null, "after": MASKED },
                "source": { "before": "SOURCED", "after": "REFERRAL" }
            })
        );
        let untouched = json!({ "name": { "before": "Payroll", "after": "Billing" } });
        assert_eq!(mask("Team", untouched.clone()), untouched);
    }

    #[test]
    fn a_creation_records_every_field() {
        let after = Team {
            name: "Billing",
            department: "Engineering",
            updated_at: 2,
        };
        assert_eq!(
            changes(None, &after),
            json!({
                "name": { "before": null, "after": "Billing" },
                "department": { "before": null, "after": "Engineering" }
            })
        );
    }
}
