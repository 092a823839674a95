//! Persisted queries: Apollo's Automatic Persisted Queries, and an optional
//! safelist of the only operations the server runs.
//!
//! A request may carry `extensions.persistedQuery = {version: 1, sha256Hash}`
//! (over GET, `extensions` is a URL parameter holding JSON):
//! - with the hash only, the server runs the query it knows by that hash, or
//!   answers PERSISTED_QUERY_NOT_FOUND (message `PersistedQueryNotFound`,
//!   which Apollo clients take as the cue to send the query along);
//! - with the hash and the query, the hash must be the SHA-256 of the query
//!   (PERSISTED_QUERY_HASH_MISMATCH, 400, otherwise); the query is remembered
//!   (in a bounded least-recently-used cache) and run.
//!
//! With a safelist (`HIREGRAPH_SAFELIST_FILE`) only its operations run,
//! whether sent by hash or in full: anything else is refused with
//! PERSISTED_QUERY_NOT_ALLOWED (403), and nothing new is remembered.
//! Introspection (root fields `__schema`, `__type`, `__typename` only, as
//! GraphiQL sends) is let through in development mode or with
//! `HIREGRAPH_SAFELIST_ALLOW_INTROSPECTION`.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Mutex;

use anyhow::Context as _;
use async_graphql::parser::types::{DocumentOperations, Selection};
use serde_json::Value as Json;
use sha2::{Digest, Sha256};

/// Codes of the persisted-query errors.
pub mod code {
    /// The hash is not known: send the query with it.
    pub const NOT_FOUND: &str = "PERSISTED_QUERY_NOT_FOUND";
    /// The hash is not the SHA-256 of the query sent with it.
    pub const HASH_MISMATCH: &str = "PERSISTED_QUERY_HASH_MISMATCH";
    /// A safelist is in force and the operation is not on it.
    pub const NOT_ALLOWED: &str = "PERSISTED_QUERY_NOT_ALLOWED";
}

/// Why a request's persisted query could not be resolved.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The `persistedQuery` extension is malformed (400).
    Malformed(String),
    /// The hash is not known.
    NotFound,
    /// The hash does not match the query.
    HashMismatch,
    /// Not on the safelist.
    NotAllowed,
}

/// The lowercase hex SHA-256 of `query`, as Apollo clients compute it.
pub fn sha256_hex(query: &str) -> String {
    let digest = Sha256::digest(query.as_bytes());
    digest
        .iter()
        .fold(String::with_capacity(64), |mut hex, byte| {
            use std::fmt::Write as _;
            let _ = write!(hex, "{byte:02x}");
            hex
        })
}

/// The queries the server knows by hash.
pub struct PersistedQueries {
    cache: Mutex<Lru>,
    safelist: Option<HashMap<String, String>>,
    allow_introspection: bool,
}

impl PersistedQueries {
    /// Automatic persisted queries with a cache of `capacity` queries (0:
    /// nothing is remembered, so a hash alone is never found), no safelist.
    pub fn new(capacity: usize) -> Self {
        PersistedQueries {
            cache: Mutex::new(Lru::new(capacity)),
            safelist: None,
            allow_introspection: true,
        }
    }

    /// Only the operations of `safelist` (hash → query) run; introspection
    /// too when `allow_introspection`.
    pub fn with_safelist(
        mut self,
        safelist: HashMap<String, String>,
        allow_introspection: bool,
    ) -> Self {
        self.safelist = Some(safelist);
        self.allow_introspection = allow_introspection;
        self
    }

    /// How many operations the safelist holds, if there is one.
    pub fn safelist_len(&self) -> Option<usize> {
        self.safelist.as_ref().map(HashMap::len)
    }

    /// Resolves the request `json` (a GraphQL request object) in place: fills
    /// in `query` from a known hash, checks and remembers a query sent with
    /// its hash, and applies the safelist.
    pub fn resolve(&self, json: &mut Json) -> Result<(), Refusal> {
        let Json::Object(fields) = json else {
            // Not an object: request_from_json says what is wrong.
            return Ok(());
        };
        let hash = match fields
            .get("extensions")
            .and_then(|extensions| extensions.get("persistedQuery"))
        {
            None | Some(Json::Null) => None,
            Some(persisted) => Some(persisted_hash(persisted)?),
        };
        let query = match fields.get("query") {
            Some(Json::String(query)) => Some(query.clone()),
            _ => None,
        };
        match (hash, query) {
            (Some(hash), None) => {
                let query = self.lookup(&hash).ok_or(Refusal::NotFound)?;
                fields.insert("query".to_owned(), Json::String(query));
                Ok(())
            }
            (Some(hash), Some(query)) => {
                if sha256_hex(&query) != hash {
                    return Err(Refusal::HashMismatch);
                }
                match &self.safelist {
                    Some(safelist) if !safelist.contains_key(&hash) => self.check_unlisted(&query),
                    Some(_) => Ok(()),
                    None => {
                        self.lock().insert(hash, query);
                        Ok(())
                    }
                }
            }
            (None, Some(query)) => match &self.safelist {
                Some(safelist) if !safelist.contains_key(&sha256_hex(&query)) => {
                    self.check_unlisted(&query)
                }
                _ => Ok(()),
            },
            // No query at all: request_from_json says so.
            (None, None) => Ok(()),
        }
    }

    /// A query not on the safelist: refused unless it is introspection and
    /// that is allowed.
    fn check_unlisted(&self, query: &str) -> Result<(), Refusal> {
        if self.allow_introspection && is_introspection(query) {
            Ok(())
        } else {
            Err(Refusal::NotAllowed)
        }
    }

    fn lookup(&self, hash: &str) -> Option<String> {
        match &self.safelist {
            Some(safelist) => safelist.get(hash).cloned(),
            None => self.lock().get(hash),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Lru> {
        self.cache
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The lowercase hash of a `persistedQuery` extension.
fn persisted_hash(persisted: &Json) -> Result<String, Refusal> {
    let malformed = |message: &str| Refusal::Malformed(message.to_owned());
    let Json::Object(persisted) = persisted else {
        return Err(malformed("`extensions.persistedQuery` must be an object"));
    };
    if persisted.get("version").and_then(Json::as_u64) != Some(1) {
        return Err(malformed(
            "`extensions.persistedQuery.version` must be 1, the only version supported",
        ));
    }
    let hash = persisted
        .get("sha256Hash")
        .and_then(Json::as_str)
        .filter(|hash| hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
        .ok_or_else(|| {
            malformed("`extensions.persistedQuery.sha256Hash` must be a SHA-256 in hex")
        })?;
    Ok(hash.to_ascii_lowercase())
}

/// Whether every operation of `query` selects only `__schema`, `__type` and
/// `__typename` at its root.
pub fn is_introspection(query: &str) -> bool {
    let Ok(document) = async_graphql::parser::parse_query(query) else {
        return false;
    };
    let introspective = |operation: &async_graphql::parser::types::OperationDefinition| {
        operation.selection_set.node.items.iter().all(|item| {
            matches!(&item.node, Selection::Field(field) if field.node.name.node.starts_with("__"))
        })
    };
    match &document.operations {
        DocumentOperations::Single(operation) => introspective(&operation.node),
        DocumentOperations::Multiple(operations) => operations
            .values()
            .all(|operation| introspective(&operation.node)),
    }
}

/// Reads a safelist: a JSON file `{"<sha256>": "<query>", ...}` (each hash
/// must match its query), or a directory whose `*.graphql` files are each one
/// operation, known by the SHA-256 of the file's exact text.
pub fn load_safelist(path: &Path) -> anyhow::Result<HashMap<String, String>> {
    let mut safelist = HashMap::new();
    if path.is_dir() {
        let mut files: Vec<_> = std::fs::read_dir(path)
            .with_context(|| format!("could not read the safelist directory {}", path.display()))?
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|file| file.extension().is_some_and(|ext| ext == "graphql"))
            .collect();
        files.sort();
        for file in files {
            let query = std::fs::read_to_string(&file)
                .with_context(|| format!("could not read {}", file.display()))?;
            safelist.insert(sha256_hex(&query), query);
        }
    } else {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("could not read the safelist {}", path.display()))?;
        let entries: BTreeMap<String, String> = serde_json::from_str(&text).with_context(|| {
            format!(
                "the safelist {} is not a JSON object of hash: query",
                path.display()
            )
        })?;
        for (hash, query) in entries {
            let actual = sha256_hex(&query);
            if !hash.eq_ignore_ascii_case(&actual) {
                anyhow::bail!(
                    "in the safelist {}, {hash} is not the SHA-256 of its query (that is {actual})",
                    path.display()
                );
            }
            safelist.insert(actual, query);
        }
    }
    Ok(safelist)
}

/// A bounded map that forgets the least recently used entry when full.
struct Lru {
    capacity: usize,
    tick: u64,
    entries: HashMap<String, (String, u64)>,
    by_use: BTreeMap<u64, String>,
}

impl Lru {
    fn new(capacity: usize) -> Self {
        Lru {
            capacity,
            tick: 0,
            entries: HashMap::new(),
            by_use: BTreeMap::new(),
        }
    }

    fn touch(&mut self, key: &str) -> Option<String> {
        self.tick += 1;
        let tick = self.tick;
        let (query, used) = self.entries.get_mut(key)?;
        self.by_use.remove(used);
        *used = tick;
        self.by_use.insert(tick, key.to_owned());
        Some(query.clone())
    }

    fn get(&mut self, key: &str) -> Option<String> {
        self.touch(key)
    }

    fn insert(&mut self, key: String, value: String) {
        if self.capacity == 0 || self.touch(&key).is_some() {
            return;
        }
        while self.entries.len() >= self.capacity {
            let Some((_, oldest)) = self.by_use.pop_first() else {
                break;
            };
            self.entries.remove(&oldest);
        }
        self.tick += 1;
        self.by_use.insert(self.tick, key.clone());
        self.entries.insert(key, (value, self.tick));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_lowercase_hex_sha256() {
        assert_eq!(
            sha256_hex("{ __typename }"),
            "7f56e67dd21ab3f30d1ff8b7bed08893f0a0db86449836189b361dd1e56ddb4b"
        );
    }

    #[test]
    fn the_least_recently_used_query_is_forgotten() {
        let mut lru = Lru::new(2);
        lru.insert("a".into(), "A".into());
        lru.insert("b".into(), "B".into());
        assert_eq!(lru.get("a"), Some("A".into()));
        lru.insert("c".into(), "C".into());
        assert_eq!(lru.get("b"), None);
        assert_eq!(lru.get("a"), Some("A".into()));
        assert_eq!(lru.get("c"), Some("C".into()));
        let mut none = Lru::new(0);
        none.insert("a".into(), "A".into());
        assert_eq!(none.get("a"), None);
    }

    #[test]
    fn introspection_selects_only_meta_fields() {
        assert!(is_introspection("{ __schema { types { name } } }"));
        assert!(is_introspection(
            "query IntrospectionQuery { __schema { queryType { name } } __typename }"
        ));
        assert!(!is_introspection("{ __typename postings { totalCount } }"));
        assert!(!is_introspection(
            "{ ...F } fragment F on Query { __typename }"
        ));
        assert!(!is_introspection("not graphql"));
    }
}
