// The GraphiQL page hiregraph serves at /graphql. Everything it loads comes
// from the server itself (the page's Content-Security-Policy allows nothing
// else): this bundle, its stylesheet, and the API at the same origin, over
// HTTP for queries and mutations and over WebSocket (graphql-transport-ws)
// for subscriptions. The page passes its settings in data- attributes of
// #graphiql, so it needs no inline script.
import React, { useCallback, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { explorerPlugin } from '@graphiql/plugin-explorer';
import { createClient } from 'graphql-ws';
import 'graphiql/graphiql.css';
import '@graphiql/plugin-explorer/dist/style.css';
import './page.css';
import { examples } from './examples.js';

const TOKEN_KEY = 'hiregraph:token';

function loadToken() {
  try {
    return window.localStorage.getItem(TOKEN_KEY) || '';
  } catch {
    return '';
  }
}

function saveToken(token) {
  try {
    if (token) window.localStorage.setItem(TOKEN_KEY, token);
    else window.localStorage.removeItem(TOKEN_KEY);
  } catch {
    // Storage may be disabled; the token then lasts until the page closes.
  }
}

/// The token as typed or pasted: a bare token, or a whole `Bearer …` header.
function cleanToken(text) {
  return text.trim().replace(/^bearer\s+/i, '').trim();
}

/// This Monday 00:00 and next Monday 00:00, local time, as RFC 3339.
function thisWeek(now = new Date()) {
  const monday = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  monday.setDate(monday.getDate() - ((monday.getDay() + 6) % 7));
  const next = new Date(monday);
  next.setDate(monday.getDate() + 7);
  return [monday.toISOString(), next.toISOString()];
}

const element = document.getElementById('graphiql');
const endpoint = new URL(element.dataset.endpoint || '/graphql', window.location.href);
const subscriptionUrl = new URL(
  element.dataset.subscriptions || endpoint.pathname,
  window.location.href,
);
subscriptionUrl.protocol = window.location.protocol === 'https:' ? 'wss:' : 'ws:';

let token = loadToken();
const authorization = () => (token ? { Authorization: `Bearer ${token}` } : {});

// Connects on the first subscription only, sending the token as the
// connection_init payload.
const wsClient = createClient({
  url: subscriptionUrl.href,
  lazy: true,
  connectionParams: () => authorization(),
});

const httpFetcher = createGraphiQLFetcher({
  url: endpoint.href,
  wsClient,
  fetch: (input, init = {}) => {
    const headers = new Headers(init.headers);
    if (token && !headers.has('authorization')) {
      headers.set('authorization', `Bearer ${token}`);
    }
    return window.fetch(input, { ...init, headers });
  },
});

async function viewerId() {
  if (!token) return null;
  try {
    const response = await window.fetch(endpoint.href, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...authorization() },
      body: JSON.stringify({ query: '{ viewer { user { id } } }' }),
    });
    const body = await response.json();
    return body?.data?.viewer?.user?.id ?? null;
  } catch {
    return null;
  }
}

function defaultTabs(me) {
  const [from, to] = thisWeek();
  return examples.map((example) => ({
    query: example.query,
    variables: example.variables
      .replace('"<this Monday>"', JSON.stringify(from))
      .replace('"<next Monday>"', JSON.stringify(to))
      .replace('"<your user ID>"', JSON.stringify(me ?? '<your user ID: see Who am I>')),
  }));
}

function TokenBar({ onChange }) {
  const [text, setText] = useState(token);
  const [saved, setSaved] = useState(Boolean(token));
  const submit = useCallback(
    (event) => {
      event.preventDefault();
      const next = cleanToken(text);
      token = next;
      saveToken(next);
      setText(next);
      setSaved(Boolean(next));
      wsClient.terminate();
      onChange(next);
    },
    [text, onChange],
  );
  const signOut = useCallback(() => {
    token = '';
    saveToken('');
    setText('');
    setSaved(false);
    wsClient.terminate();
    onChange('');
  }, [onChange]);
  return (
    <form className="hg-bar" onSubmit={submit}>
      <strong className="hg-title">hiregraph</strong>
      <label htmlFor="hg-token">Token</label>
      <input
        id="hg-token"
        name="token"
        type="password"
        autoComplete="off"
        spellCheck="false"
        placeholder="Paste your token (kept in this browser)"
        value={text}
        onChange={(event) => setText(event.target.value)}
      />
      <button type="submit">Save</button>
      <button type="button" onClick={signOut} disabled={!saved && !text}>
        Forget
      </button>
      <span className="hg-status" data-testid="token-status">
        {saved ? 'Signed in: requests send your token' : 'Anonymous'}
      </span>
    </form>
  );
}

const explorer = explorerPlugin({ showAttribution: false });

function App({ me }) {
  // Changing the token refetches the schema (staff see more of it).
  const [generation, setGeneration] = useState(0);
  const onChange = useCallback(() => setGeneration((n) => n + 1), []);
  const fetcher = useMemo(() => (params, options) => httpFetcher(params, options), [generation]);
  return (
    <div className="hg-page">
      <TokenBar onChange={onChange} />
      <div className="hg-graphiql">
        <GraphiQL
          fetcher={fetcher}
          plugins={[explorer]}
          defaultTabs={defaultTabs(me)}
          defaultEditorToolsVisibility="variables"
          shouldPersistHeaders
          isHeadersEditorEnabled
        >
          <GraphiQL.Logo>hiregraph</GraphiQL.Logo>
        </GraphiQL>
      </div>
    </div>
  );
}

viewerId().then((me) => {
  createRoot(element).render(<App me={me} />);
});
