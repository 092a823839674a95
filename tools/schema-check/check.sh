#!/usr/bin/env bash
# Schema evolution check: compares schema.graphql with the previous commit's
# (HEAD~1, the first parent: on main, main as it was before this change) and
# fails on a breaking change (a removed field or type, a changed type, a new
# required argument...), unless the HEAD commit's message says
# [breaking-schema-change]. Dangerous and safe changes are listed, not fatal.
# Skips, saying why, when there is no previous commit or it had no schema.
# Needs Node.js 18 or later; run `npm ci` in this directory first.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/../.."

marker='[breaking-schema-change]'
if ! base="$(git rev-parse --verify --quiet 'HEAD~1^{commit}')"; then
    echo "schema check: no previous commit (first commit or a shallow clone); skipped"
    exit 0
fi
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
# The loader goes by the extension.
old="$scratch/previous.graphql"
if ! git show "${base}:schema.graphql" >"$old" 2>/dev/null; then
    echo "schema check: the previous commit has no schema.graphql; skipped"
    exit 0
fi
echo "schema check: schema.graphql against ${base:0:12} (HEAD~1)"
if "$here/node_modules/.bin/graphql-inspector" diff "$old" schema.graphql; then
    exit 0
fi
if git log -1 --format=%B HEAD | grep -qF "$marker"; then
    echo "schema check: breaking changes, accepted: the HEAD commit message says $marker"
    exit 0
fi
cat >&2 <<MSG
schema check: the change breaks clients of the API (see above). Keep the old
fields and deprecate them instead (#[graphql(deprecation = "use ... instead")]),
or, if breaking is intended and clients are ready, say $marker in the
commit message.
MSG
exit 1
