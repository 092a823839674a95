//! What an operation asks for, measured from its document before it runs:
//! its cost, its aliases and whether it introspects the schema.
//!
//! The cost is an upper bound on the work, computed like this:
//! - every selected field costs 1 (scalars, objects, `__typename` alike);
//! - a field with a `first` or `last` argument (a connection) multiplies the
//!   cost of its selection by that number, taken from the request's variables
//!   or the operation's defaults when it is a variable;
//! - fragments count wherever they are spread, and inline fragments count in
//!   full whatever their type condition; `@skip` and `@include` are ignored.
//!
//! `postings(first: 10) { edges { node { applications(first: 5) { edges { node { id } } } } } }`
//! costs 1 + 10 × (1 + 1 + 1 + 5 × 3) = 181.

use std::collections::{HashMap, HashSet};

use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, Field, OperationDefinition, Selection, SelectionSet,
};
use async_graphql::{Name, Positioned, Value, Variables};

/// Deepest nesting of fields and fragments measured. Depth validation refuses
/// far shallower queries; this only bounds the walk itself, and anything
/// deeper counts as too costly.
const MAX_NESTING: usize = 128;

/// What an operation asks for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Measure {
    /// The cost, as described above (saturating).
    pub cost: u64,
    /// Aliased fields, counting each fragment wherever it is spread.
    pub aliases: u64,
    /// Whether it selects `__schema` or `__type`.
    pub introspection: bool,
}

impl Measure {
    fn add(&mut self, other: Measure) {
        self.cost = self.cost.saturating_add(other.cost);
        self.aliases = self.aliases.saturating_add(other.aliases);
        self.introspection |= other.introspection;
    }
}

/// The operation a request runs: the one named, or the only one. `None` when
/// there is no such operation (execution then reports why).
pub fn operation<'a>(
    document: &'a ExecutableDocument,
    name: Option<&str>,
) -> Option<&'a Positioned<OperationDefinition>> {
    match &document.operations {
        DocumentOperations::Single(operation) => Some(operation),
        DocumentOperations::Multiple(operations) => match name {
            Some(name) => operations.get(name),
            None if operations.len() == 1 => operations.values().next(),
            None => None,
        },
    }
}

/// Measures `operation` of `document` with the request's `variables`.
pub fn measure(
    document: &ExecutableDocument,
    operation: &OperationDefinition,
    variables: &Variables,
) -> Measure {
    let mut walker = Walker {
        document,
        operation,
        variables,
        fragments: HashMap::new(),
        visiting: HashSet::new(),
    };
    walker.selection_set(&operation.selection_set.node, 0)
}

struct Walker<'a> {
    document: &'a ExecutableDocument,
    operation: &'a OperationDefinition,
    variables: &'a Variables,
    /// Each fragment is measured once, however often it is spread.
    fragments: HashMap<&'a Name, Measure>,
    /// The fragments being measured, to stop at a cycle (which validation
    /// refuses anyway).
    visiting: HashSet<&'a Name>,
}

impl<'a> Walker<'a> {
    fn selection_set(&mut self, set: &'a SelectionSet, nesting: usize) -> Measure {
        if nesting > MAX_NESTING {
            return Measure {
                cost: u64::MAX,
                ..Measure::default()
            };
        }
        let mut total = Measure::default();
        for item in &set.items {
            let measure = match &item.node {
                Selection::Field(field) => self.field(&field.node, nesting),
                Selection::FragmentSpread(spread) => {
                    self.fragment(&spread.node.fragment_name.node, nesting)
                }
                Selection::InlineFragment(fragment) => {
                    self.selection_set(&fragment.node.selection_set.node, nesting + 1)
                }
            };
            total.add(measure);
        }
        total
    }

    fn field(&mut self, field: &'a Field, nesting: usize) -> Measure {
        let inner = self.selection_set(&field.selection_set.node, nesting + 1);
        let name = field.name.node.as_str();
        Measure {
            cost: inner
                .cost
                .saturating_mul(self.page_size(field))
                .saturating_add(1),
            aliases: inner
                .aliases
                .saturating_add(u64::from(field.alias.is_some())),
            introspection: inner.introspection || matches!(name, "__schema" | "__type"),
        }
    }

    fn fragment(&mut self, name: &'a Name, nesting: usize) -> Measure {
        if let Some(measure) = self.fragments.get(name) {
            return *measure;
        }
        let Some(fragment) = self.document.fragments.get(name) else {
            return Measure::default();
        };
        if !self.visiting.insert(name) {
            return Measure::default();
        }
        let measure = self.selection_set(&fragment.node.selection_set.node, nesting + 1);
        self.visiting.remove(name);
        self.fragments.insert(name, measure);
        measure
    }

    /// The page size a field asks for: the larger of `first` and `last`, or 1
    /// when it has neither (or neither is a count).
    fn page_size(&self, field: &Field) -> u64 {
        ["first", "last"]
            .into_iter()
            .filter_map(|argument| field.get_argument(argument))
            .filter_map(|value| {
                value
                    .node
                    .clone()
                    .into_const_with(|name| self.variable(&name).ok_or(()))
                    .ok()
            })
            .filter_map(|value| match value {
                // A negative page is refused by the field; it costs nothing here.
                Value::Number(number) => number.as_u64().or_else(|| number.as_i64().map(|_| 0)),
                _ => None,
            })
            .max()
            .unwrap_or(1)
    }

    /// The value of the variable `name`: the request's, or the operation's default.
    fn variable(&self, name: &Name) -> Option<Value> {
        self.variables.get(name).cloned().or_else(|| {
            self.operation
                .variable_definitions
                .iter()
                .find(|definition| definition.node.name.node == *name)
                .and_then(|definition| definition.node.default_value.as_ref())
                .map(|value| value.node.clone())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_graphql::parser::parse_query;

    fn measure_of(query: &str, variables: serde_json::Value) -> Measure {
        let document = parse_query(query).expect("the query parses");
        let operation = operation(&document, None).expect("an operation");
        measure(&document, &operation.node, &Variables::from_json(variables))
    }

    fn cost(query: &str) -> u64 {
        measure_of(query, serde_json::Value::Null).cost
    }

    #[test]
    fn every_field_costs_one() {
        assert_eq!(cost("{ __typename }"), 1);
        assert_eq!(
            cost(r#"{ posting(slug: "x") { title skills { skill { name } } } }"#),
            5
        );
    }

    #[test]
    fn connections_multiply_their_selection_by_the_page_size() {
        let query = "{ postings(first: 10) { edges { node { applications(first: 5) { edges { node { id } } } } } } }";
        assert_eq!(cost(query), 181);
        assert_eq!(
            cost("{ postings(last: 7) { totalCount nodes { id title } } }"),
            1 + 7 * 4
        );
    }

    #[test]
    fn page_sizes_come_from_variables_or_their_defaults() {
        let query = "query($n: Int = 3, $m: Int) { postings(first: $n) { nodes { id } } applications(last: $m) { nodes { id } } }";
        // No variables: $n is 3 by default, $m is unknown so it counts 1.
        assert_eq!(
            measure_of(query, serde_json::Value::Null).cost,
            (1 + 3 * 2) + (1 + 2)
        );
        assert_eq!(
            measure_of(query, serde_json::json!({ "n": 50, "m": 20 })).cost,
            (1 + 50 * 2) + (1 + 20 * 2)
        );
    }

    #[test]
    fn fragments_count_wherever_they_are_spread() {
        let query = "{ a: postings(first: 2) { ...P } b: postings(first: 3) { ...P } }
                     fragment P on PostingConnection { nodes { id ... on Posting { title } } }";
        let measure = measure_of(query, serde_json::Value::Null);
        assert_eq!(measure.cost, (1 + 2 * 3) + (1 + 3 * 3));
        assert_eq!(measure.aliases, 2);
        assert!(!measure.introspection);
    }

    #[test]
    fn fragment_cycles_and_huge_pages_do_not_overflow() {
        let cyclic = measure_of(
            "{ postings(first: 1) { ...A } } fragment A on X { id ...B } fragment B on X { ...A }",
            serde_json::Value::Null,
        );
        assert_eq!(cyclic.cost, 2);
        let huge = cost(&format!(
            "{{ {}{}{} }}",
            "a(first: 18446744073709551615) { ".repeat(5),
            "id",
            " }".repeat(5)
        ));
        assert_eq!(huge, u64::MAX);
    }

    #[test]
    fn aliases_count_through_fragments() {
        let query = "{ one: viewer { isAnonymous } ...F ...F } fragment F on Query { two: viewer { x: isAnonymous } }";
        assert_eq!(measure_of(query, serde_json::Value::Null).aliases, 5);
    }

    #[test]
    fn introspection_is_found_even_in_fragments() {
        assert!(
            measure_of("{ __schema { types { name } } }", serde_json::Value::Null).introspection
        );
        assert!(
            measure_of(
                r#"{ ...F } fragment F on Query { __type(name: "Posting") { name } }"#,
                serde_json::Value::Null
            )
            .introspection
        );
        assert!(!measure_of("{ __typename }", serde_json::Value::Null).introspection);
    }
}
