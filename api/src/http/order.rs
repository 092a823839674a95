//! Puts the fields of a response back in the order the query asked for them.
//!
//! The GraphQL engine resolves sibling fields concurrently and records each
//! as it completes, so without this a slow field ends up last. The spec asks
//! for results in selection order, and people reading responses in GraphiQL
//! expect it.

use async_graphql::Value;
use async_graphql::indexmap::IndexMap;
use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, Selection, SelectionSet,
};

/// Reorders `data` to follow the selection set of the operation `name` of `document`.
pub fn restore_order(data: &mut Value, document: &ExecutableDocument, name: Option<&str>) {
    let operation = match &document.operations {
        DocumentOperations::Single(op) => Some(op),
        DocumentOperations::Multiple(ops) => match name {
            Some(name) => ops.get(name),
            None => ops.values().next(),
        },
    };
    if let Some(operation) = operation {
        reorder(data, &[&operation.node.selection_set.node], document);
    }
}

fn reorder(value: &mut Value, sets: &[&SelectionSet], document: &ExecutableDocument) {
    match value {
        Value::List(items) => {
            for item in items {
                reorder(item, sets, document);
            }
        }
        Value::Object(map) => {
            let mut fields: IndexMap<&str, Vec<&SelectionSet>> = IndexMap::new();
            for set in sets {
                collect(set, document, &mut fields, 0);
            }
            let mut unordered = std::mem::take(map);
            for (key, subsets) in fields {
                if let Some((name, mut child)) = unordered.shift_remove_entry(key) {
                    reorder(&mut child, &subsets, document);
                    map.insert(name, child);
                }
            }
            map.extend(unordered);
        }
        _ => {}
    }
}

/// The fields of `set` by response key, following fragments in place.
fn collect<'a>(
    set: &'a SelectionSet,
    document: &'a ExecutableDocument,
    fields: &mut IndexMap<&'a str, Vec<&'a SelectionSet>>,
    depth: usize,
) {
    // Validation rejects fragment cycles; the bound only guards against surprises.
    if depth > 64 {
        return;
    }
    for item in &set.items {
        match &item.node {
            Selection::Field(field) => fields
                .entry(field.node.response_key().node.as_str())
                .or_default()
                .push(&field.node.selection_set.node),
            Selection::FragmentSpread(spread) => {
                if let Some(fragment) = document.fragments.get(&spread.node.fragment_name.node) {
                    collect(
                        &fragment.node.selection_set.node,
                        document,
                        fields,
                        depth + 1,
                    );
                }
            }
            Selection::InlineFragment(fragment) => {
                collect(
                    &fragment.node.selection_set.node,
                    document,
                    fields,
                    depth + 1,
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_graphql::parser::parse_query;
    use async_graphql::value;

    fn keys(value: &Value) -> Vec<String> {
        match value {
            Value::Object(map) => map.keys().map(|k| k.to_string()).collect(),
            _ => Vec::new(),
        }
    }

    #[test]
    fn fields_follow_the_query_through_aliases_lists_and_fragments()
    -> Result<(), async_graphql::parser::Error> {
        let document = parse_query(
            "query { posting { title ...More extra: slug } } fragment More on Posting { skills { name id } status }",
        )?;
        let mut data = value!({
            "posting": {
                "status": "OPEN",
                "extra": "x",
                "skills": [{ "id": "1", "name": "Elixir" }],
                "title": "T"
            }
        });
        restore_order(&mut data, &document, None);
        let Value::Object(root) = &data else {
            panic!("object expected")
        };
        let posting = &root["posting"];
        assert_eq!(keys(posting), ["title", "skills", "status", "extra"]);
        let Value::Object(fields) = posting else {
            panic!("object expected")
        };
        let Value::List(skills) = &fields["skills"] else {
            panic!("list expected")
        };
        assert_eq!(keys(&skills[0]), ["name", "id"]);
        Ok(())
    }
}
