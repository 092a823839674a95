// Live updates across server processes: a subscriber connected to one
// hiregraph process hears of a change made through another, both on one
// Postgres database (NOTIFY in the process that commits, LISTEN in every one).
//
//   node two-processes.mjs <http://process-a/graphql> <http://process-b/graphql> <admin token>
import assert from "node:assert/strict";

import { createClient } from "graphql-ws";
import WebSocket from "ws";

const [urlA, urlB, token] = process.argv.slice(2);
if (!urlA || !urlB || !token) {
    console.error("usage: node two-processes.mjs <url of process A> <url of process B> <token>");
    process.exit(2);
}

async function post(url, query, variables) {
    const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
    });
    const body = await response.json();
    assert.equal(body.errors, undefined, JSON.stringify(body.errors));
    return body.data;
}

const { posting } = await post(
    urlA,
    `query($slug: String!) { posting(slug: $slug) {
        id applications(first: 50, filter: { statuses: [ACTIVE] }) { nodes { id version } } } }`,
    { slug: "senior-backend-engineer-elixir" },
);
const target = posting.applications.nodes[0];

// Subscribe through process B.
const client = createClient({
    url: urlB.replace(/^http/, "ws"),
    webSocketImpl: WebSocket,
    connectionParams: { Authorization: `Bearer ${token}` },
});
const event = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no event reached process B's subscriber")), 20000);
    client.subscribe(
        {
            query: `subscription($id: ID!) { postingPipeline(postingId: $id) { change application { id status } } }`,
            variables: { id: posting.id },
        },
        {
            next: (result) => {
                clearTimeout(timer);
                resolve(result);
            },
            error: (err) => {
                clearTimeout(timer);
                reject(err);
            },
            complete: () => {},
        },
    );
});
// graphql-ws does not acknowledge a subscription: give it a moment.
await new Promise((resolve) => setTimeout(resolve, 1000));

// Change through process A.
const done = await post(
    urlA,
    `mutation($input: RejectApplicationInput!) { rejectApplication(input: $input) { userErrors { code } } }`,
    { input: { applicationId: target.id, expectedVersion: target.version, reason: "NOT_A_FIT" } },
);
assert.deepEqual(done.rejectApplication.userErrors, []);

try {
    const received = await event;
    assert.equal(received.errors, undefined, JSON.stringify(received.errors));
    assert.equal(received.data.postingPipeline.change, "REJECTED");
    assert.equal(received.data.postingPipeline.application.id, target.id);
    console.log("a rejection made through process A reached process B's subscriber");
} finally {
    await client.dispose();
}
