//! Counting the lexical tokens of a query document, before parsing it.
//!
//! Parsing costs time and memory in proportion to the document, so a huge
//! document is refused before the parser sees it. Tokens are what the
//! GraphQL grammar calls them: punctuators, names, numbers, strings and block
//! strings. Whitespace, line terminators, commas and comments are ignored
//! characters, not tokens, so formatting a query never changes its count.
//!
//! The count does not validate: a character the grammar does not know counts
//! as one token and the parser reports it afterwards.

/// Deepest nesting of `{`, `[` and `(` accepted. The parser recurses on
/// nested values and would exhaust its stack a few hundred levels down; the
/// parser itself stops selection sets at 64.
pub const MAX_NESTING: usize = 64;

/// What counting found, up to the point where it stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Count {
    /// Tokens seen (at most `limit + 1`: counting stops there).
    pub tokens: usize,
    /// Deepest nesting of `{`, `[` and `(` seen.
    pub nesting: usize,
}

/// Counts the tokens of `source`, stopping as soon as there are more than
/// `limit`, so a huge document costs no more than a document at the limit.
pub fn count(source: &str, limit: usize) -> Count {
    let bytes = source.as_bytes();
    let mut count = Count {
        tokens: 0,
        nesting: 0,
    };
    let mut open = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes[i];
        match byte {
            // Ignored: whitespace, line terminators, commas.
            b' ' | b'\t' | b'\n' | b'\r' | b',' => {
                i += 1;
                continue;
            }
            // A comment runs to the end of the line.
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
                    i += 1;
                }
                continue;
            }
            b'"' if bytes[i..].starts_with(b"\"\"\"") => i = block_string_end(bytes, i + 3),
            b'"' => i = string_end(bytes, i + 1),
            b'.' if bytes[i..].starts_with(b"...") => i += 3,
            b'{' | b'[' | b'(' => {
                open += 1;
                count.nesting = count.nesting.max(open);
                i += 1;
            }
            b'}' | b']' | b')' => {
                open = open.saturating_sub(1);
                i += 1;
            }
            b'_' | b'A'..=b'Z' | b'a'..=b'z' => {
                i += 1;
                while i < bytes.len() && (bytes[i] == b'_' || bytes[i].is_ascii_alphanumeric()) {
                    i += 1;
                }
            }
            b'-' | b'0'..=b'9' => i = number_end(bytes, i + 1),
            // The byte order mark is ignored.
            0xEF if bytes[i..].starts_with(&[0xEF, 0xBB, 0xBF]) => {
                i += 3;
                continue;
            }
            // Other punctuators (! $ & : = @ |) and anything unknown: one
            // character, one token. A multi-byte character counts once.
            _ => i += utf8_width(byte),
        }
        count.tokens += 1;
        if count.tokens > limit {
            break;
        }
    }
    count
}

/// The index after the closing quote of a string whose body starts at `i`.
fn string_end(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            // A string may not span lines; the parser reports it.
            b'\n' | b'\r' => return i,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// The index after the closing `"""` of a block string whose body starts at `i`.
fn block_string_end(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() {
        if bytes[i..].starts_with(b"\\\"\"\"") {
            i += 4;
        } else if bytes[i..].starts_with(b"\"\"\"") {
            return i + 3;
        } else {
            i += 1;
        }
    }
    bytes.len()
}

/// The index after an int or float whose first character was before `i`.
fn number_end(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() {
        match bytes[i] {
            b'0'..=b'9' | b'.' | b'e' | b'E' => i += 1,
            b'+' | b'-' if matches!(bytes[i - 1], b'e' | b'E') => i += 1,
            _ => break,
        }
    }
    i
}

/// The length of the UTF-8 sequence that starts with `byte`.
fn utf8_width(byte: u8) -> usize {
    match byte {
        0xF0..=0xF7 => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(source: &str) -> usize {
        count(source, usize::MAX - 1).tokens
    }

    #[test]
    fn names_punctuators_and_values_are_tokens() {
        // { posting ( slug : "x" ) { title } }
        assert_eq!(tokens(r#"{ posting(slug: "x") { title } }"#), 11);
        // query Q ( $n : Int = 10 ) @live { a ( first : $n , x : -1.5e3 ) }
        assert_eq!(
            tokens("query Q($n: Int = 10) @live { a(first: $n, x: -1.5e3) }"),
            24
        );
        assert_eq!(tokens("{ ...F ... on T { a } }"), 10);
        assert_eq!(tokens("query($a: [ID!]!) { a }"), 14);
    }

    #[test]
    fn whitespace_commas_and_comments_are_not_tokens() {
        let compact = "{a b c}";
        let spread = "\u{feff}{\n  a, # the first\n  b,,,\r\n\tc # the last\n}\n";
        assert_eq!(tokens(compact), 5);
        assert_eq!(tokens(spread), 5);
    }

    #[test]
    fn strings_and_block_strings_are_one_token_each() {
        assert_eq!(tokens(r#"{ a(x: "one { two } three # four") }"#), 8);
        assert_eq!(tokens(r#"{ a(x: "escaped \" quote, { }") }"#), 8);
        assert_eq!(
            tokens("{ a(x: \"\"\"\n block { \\\"\"\" still inside\n \"\"\") }"),
            8
        );
        assert_eq!(tokens(r#"{ a(x: "Run🏃Swim🏊") }"#), 8);
    }

    #[test]
    fn counting_stops_past_the_limit() {
        let long = format!("{{ {} }}", "a ".repeat(1_000_000));
        let count = count(&long, 100);
        assert_eq!(count.tokens, 101);
    }

    #[test]
    fn nesting_is_measured() {
        assert_eq!(count("{ a { b(x: [[1]]) } }", 100).nesting, 5);
        assert_eq!(count("{ a } { b }", 100).nesting, 1);
    }

    #[test]
    fn unterminated_strings_and_unknown_characters_still_count() {
        assert_eq!(tokens(r#"{ a(x: "never closed"#), 6);
        assert_eq!(tokens("{ a ~ é }"), 5);
    }
}
