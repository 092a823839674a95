// Example operations for hiring managers, opened as GraphiQL's first tabs.
// `tests/e2e/graphiql.rs` runs each of them against the demo data, so keep
// this file plain data: every example has a `query` and `variables` (JSON
// text; the placeholders in angle brackets are filled in by the page).

export const examples = [
  {
    name: 'Who am I',
    query: `# Who you are: your user ID is what the other examples call $me.
# Paste your token in the box at the top first; it is kept in this browser.
query WhoAmI {
  viewer {
    isAnonymous
    role
    user {
      id
      name
      email
      timeZone
    }
  }
}
`,
    variables: '',
  },
  {
    name: 'My open postings and their funnels',
    query: `# Open postings you may see, with their hiring funnel: applications
# per stage now, how many reached and passed each stage, and time to hire.
query MyOpenPostings {
  postings(first: 20, filter: { statuses: OPEN }) {
    nodes {
      id
      title
      hiringManager {
        name
      }
      funnel {
        totalApplications
        hired
        timeToHire {
          days
        }
        stages {
          stage {
            name
          }
          current
          entered
          advanced
          conversionRate
          medianTimeInStage {
            days
          }
        }
      }
    }
  }
}
`,
    variables: '',
  },
  {
    name: "This week's interviews",
    query: `# Your interviews this week. $me is your user ID (see "Who am I");
# $from and $to are this Monday and next Monday.
query ThisWeeksInterviews($me: ID!, $from: DateTime!, $to: DateTime!) {
  interviews(interviewer: $me, from: $from, to: $to, first: 50) {
    nodes {
      id
      startsAt
      endsAt
      timeZone
      status
      meetingUrl
      stage {
        name
      }
      application {
        id
        candidate {
          name
        }
        posting {
          title
        }
      }
    }
  }
}
`,
    variables: '{\n  "me": "<your user ID>",\n  "from": "<this Monday>",\n  "to": "<next Monday>"\n}',
  },
  {
    name: 'Scorecards waiting for me',
    query: `# Interviews you took part in that have taken place, with their
# scorecards: one of yours without submittedAt (or none at all) is
# still waiting for you.
query ScorecardsWaitingForMe($me: ID!) {
  interviews(interviewer: $me, filter: { statuses: [COMPLETED] }, first: 50) {
    nodes {
      id
      startsAt
      stage {
        name
      }
      application {
        candidate {
          name
        }
        posting {
          title
        }
      }
      scorecards {
        interviewer {
          id
          name
        }
        recommendation
        submittedAt
      }
    }
  }
}
`,
    variables: '{\n  "me": "<your user ID>"\n}',
  },
  {
    name: "An application's history",
    query: `# Every stage an application went through: who moved it, when and why.
# Take an application's id from a posting's applications.
query ApplicationHistory($id: ID!) {
  application(id: $id) {
    candidate {
      name
    }
    posting {
      title
    }
    status
    currentStage {
      name
    }
    timeInCurrentStage {
      days
    }
    history {
      occurredAt
      fromStage {
        name
      }
      toStage {
        name
      }
      fromStatus
      toStatus
      actor {
        name
      }
      reason
    }
  }
}
`,
    variables: '{\n  "id": "<an application ID>"\n}',
  },
];
