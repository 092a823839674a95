// Example operations for hiring managers, opened as GraphiQL's first tabs.
// The operations live in ../examples/*.graphql, which `tests/e2e/graphiql.rs`
// runs against the demo data; here they get their variables (JSON text; the
// placeholders in angle brackets are filled in by the page).
import whoAmI from '../examples/1-who-am-i.graphql';
import myOpenPostings from '../examples/2-my-open-postings.graphql';
import thisWeeksInterviews from '../examples/3-this-weeks-interviews.graphql';
import scorecardsWaitingForMe from '../examples/4-scorecards-waiting-for-me.graphql';
import applicationHistory from '../examples/5-application-history.graphql';

export const examples = [
  { query: whoAmI, variables: '' },
  { query: myOpenPostings, variables: '' },
  {
    query: thisWeeksInterviews,
    variables: '{\n  "me": "<your user ID>",\n  "from": "<this Monday>",\n  "to": "<next Monday>"\n}',
  },
  { query: scorecardsWaitingForMe, variables: '{\n  "me": "<your user ID>"\n}' },
  { query: applicationHistory, variables: '{\n  "id": "<an application ID>"\n}' },
];
