// A frontend's view of hiregraph: Apollo Client with its normalised cache
// over HTTP, and graphql-ws for subscriptions, against a running server with
// the demo data.
//
//   node apollo.mjs http://127.0.0.1:8000/graphql <admin token>
//
// Checks that
// 1. a query with fragments and variables fills the cache;
// 2. a mutation whose payload returns the changed object updates every
//    cached query holding it (by `__typename` and `id`), without a refetch;
// 3. a subscription over GraphQLWsLink receives the event a mutation causes.
import assert from "node:assert/strict";

import { ApolloClient, HttpLink, InMemoryCache, gql, split } from "@apollo/client/core/index.js";
import { GraphQLWsLink } from "@apollo/client/link/subscriptions/index.js";
import { createClient } from "graphql-ws";
import WebSocket from "ws";

const [url, token] = process.argv.slice(2);
if (!url || !token) {
    console.error("usage: node apollo.mjs <http://host:port/graphql> <token>");
    process.exit(2);
}

// Every HTTP request the client makes, to show the cache answers without one.
let httpRequests = 0;
const countingFetch = (...args) => {
    httpRequests += 1;
    return fetch(...args);
};

const wsClient = createClient({
    url: url.replace(/^http/, "ws"),
    webSocketImpl: WebSocket,
    connectionParams: { Authorization: `Bearer ${token}` },
});

const isSubscription = ({ query }) =>
    query.definitions.some(
        (d) => d.kind === "OperationDefinition" && d.operation === "subscription",
    );

const client = new ApolloClient({
    link: split(
        isSubscription,
        new GraphQLWsLink(wsClient),
        new HttpLink({
            uri: url,
            fetch: countingFetch,
            headers: { Authorization: `Bearer ${token}` },
        }),
    ),
    cache: new InMemoryCache(),
});

const APPLICATION = gql`
    fragment ApplicationCard on Application {
        id
        version
        status
        candidate {
            id
            name
        }
        currentStage {
            id
            name
            position
        }
    }
`;

const PIPELINES = gql`
    query Pipelines($first: Int!, $applications: Int!) {
        postings(first: $first) {
            nodes {
                ...PostingSummary
                applications(first: $applications) {
                    nodes {
                        ...ApplicationCard
                    }
                }
            }
        }
    }
    fragment PostingSummary on Posting {
        id
        title
        status
    }
    ${APPLICATION}
`;

const REJECT = gql`
    mutation Reject($input: RejectApplicationInput!) {
        rejectApplication(input: $input) {
            application {
                ...ApplicationCard
            }
            userErrors {
                field
                code
                message
            }
        }
    }
    ${APPLICATION}
`;

const PIPELINE_EVENTS = gql`
    subscription Pipeline($postingId: ID!) {
        postingPipeline(postingId: $postingId) {
            change
            application {
                ...ApplicationCard
            }
        }
    }
    ${APPLICATION}
`;

const variables = { first: 20, applications: 50 };

async function main() {
    // 1. A query with fragments and variables.
    const { data } = await client.query({ query: PIPELINES, variables });
    const postings = data.postings.nodes;
    assert.ok(postings.length > 0, "the demo data has postings");
    const withActive = postings
        .map((posting) => ({
            posting,
            active: posting.applications.nodes.filter((a) => a.status === "ACTIVE"),
        }))
        .find(({ active }) => active.length >= 2);
    assert.ok(withActive, "a posting has two active applications");
    const { posting, active } = withActive;
    const [first, second] = active;
    console.log(`query: ${postings.length} postings; watching "${posting.title}"`);

    // 2. A mutation whose payload updates the cached query by id.
    const before = httpRequests;
    const rejected = await client.mutate({
        mutation: REJECT,
        variables: {
            input: {
                applicationId: first.id,
                expectedVersion: first.version,
                reason: "NOT_A_FIT",
            },
        },
    });
    assert.deepEqual(rejected.data.rejectApplication.userErrors, []);
    assert.equal(httpRequests, before + 1, "one request: the mutation");
    const cached = client.readQuery({ query: PIPELINES, variables });
    const again = cached.postings.nodes
        .find((p) => p.id === posting.id)
        .applications.nodes.find((a) => a.id === first.id);
    assert.equal(again.status, "REJECTED", "the cached query sees the change");
    assert.equal(again.version, rejected.data.rejectApplication.application.version);
    const served = await client.query({ query: PIPELINES, variables });
    assert.equal(httpRequests, before + 1, "the query is answered from the cache");
    assert.ok(served.data.postings.nodes.length === postings.length);
    console.log("mutation: the cache holds the rejected application, no refetch");

    // 3. A subscription receiving the event of a mutation.
    const event = new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("no event within 15s")), 15000);
        const subscription = client
            .subscribe({ query: PIPELINE_EVENTS, variables: { postingId: posting.id } })
            .subscribe({
                next: (result) => {
                    clearTimeout(timer);
                    subscription.unsubscribe();
                    resolve(result);
                },
                error: (err) => {
                    clearTimeout(timer);
                    reject(err);
                },
            });
    });
    // graphql-ws does not acknowledge a subscription: give it a moment.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const second_rejected = await client.mutate({
        mutation: REJECT,
        variables: {
            input: {
                applicationId: second.id,
                expectedVersion: second.version,
                reason: "NOT_A_FIT",
            },
        },
    });
    assert.deepEqual(second_rejected.data.rejectApplication.userErrors, []);
    const received = await event;
    assert.equal(received.errors, undefined);
    assert.equal(received.data.postingPipeline.change, "REJECTED");
    assert.equal(received.data.postingPipeline.application.id, second.id);
    assert.equal(received.data.postingPipeline.application.status, "REJECTED");
    console.log("subscription: the rejection arrived over graphql-ws");
}

try {
    await main();
    console.log("the frontend client checks passed");
} finally {
    await wsClient.dispose();
    client.stop();
}
