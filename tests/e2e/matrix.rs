//! The authorization matrix of the README ("Who may do what"), walked cell
//! by cell: every query and mutation, and the sensitive fields, for each kind
//! of viewer; through the typed fields, `node` and `nodes`, nested paths and
//! connections. A new query or mutation fails these tests until it has its
//! row here.
//!
//! The viewers, over the demo data (every posting is Tomasz's):
//! - Kwame, an interviewer: he reviews or interviews Samuel, Jean-Paul,
//!   Grace and Yasmine; he sees those 4 applications and his 4 interviews.
//! - Marta, a hiring manager who manages no posting: she runs the final
//!   interview of Grace and Yasmine, so she sees those 2 and nothing more.
//! - Tomasz, the hiring manager of every posting; the recruiter; the admin.

use std::collections::BTreeSet;

use entity::enums::Role;
use serde_json::{Map, Value, json};

use crate::support::{ADMIN, HIRING_MANAGER, INTERVIEWER, RECRUITER, TestApp};

const OTHER_MANAGER: &str = "marta.oliveira@hiregraph.example";

/// The columns of the matrix: who asks.
const VIEWERS: [(&str, Option<(&str, Role)>); 6] = [
    ("anonymous", None),
    ("interviewer", Some((INTERVIEWER, Role::Interviewer))),
    (
        "other hiring manager",
        Some((OTHER_MANAGER, Role::HiringManager)),
    ),
    (
        "hiring manager",
        Some((HIRING_MANAGER, Role::HiringManager)),
    ),
    ("recruiter", Some((RECRUITER, Role::Recruiter))),
    ("admin", Some((ADMIN, Role::Admin))),
];

/// What one viewer gets in one cell.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Cell {
    /// The value, and no error.
    Y,
    /// Null and no error: the object is out of the viewer's reach, and
    /// looks exactly like one that does not exist.
    H,
    /// Refused: UNAUTHENTICATED for anonymous callers, FORBIDDEN for staff;
    /// the value is null (and for a mutation, nothing is written).
    N,
    /// This many (a `totalCount`, or the length of a list), and no error.
    C(u64),
}
use Cell::{C, H, N, Y};

/// One row of the read side: a query, where its answer is, and each
/// viewer's cell. Queries take their IDs from the shared variables.
struct Read {
    what: &'static str,
    query: &'static str,
    path: &'static str,
    cells: [Cell; 6],
}

const fn read(
    what: &'static str,
    query: &'static str,
    path: &'static str,
    cells: [Cell; 6],
) -> Read {
    Read {
        what,
        query,
        path,
        cells,
    }
}

/// The read side of the matrix.
const READS: &[Read] = &[
    // The careers site.
    read(
        "postings",
        "{ postings(first: 10) { totalCount } }",
        "postings.totalCount",
        [C(1), C(3), C(3), C(3), C(3), C(3)],
    ),
    read(
        "posting: a draft",
        r#"{ posting(slug: "senior-frontend-engineer-react") { id } }"#,
        "posting",
        [H, Y, Y, Y, Y, Y],
    ),
    read(
        "posting: its pay range",
        "query($posting: ID!) { posting(id: $posting) { salaryRange { minimum { amount } } } }",
        "posting.salaryRange.minimum.amount",
        [Y, Y, Y, Y, Y, Y],
    ),
    read(
        "posting: its hiring manager",
        "query($posting: ID!) { posting(id: $posting) { hiringManager { email } } }",
        "posting.hiringManager",
        [N, Y, Y, Y, Y, Y],
    ),
    read(
        "posting: its funnel",
        "query($posting: ID!) { posting(id: $posting) { funnel { totalApplications } } }",
        "posting.funnel",
        [N, N, N, Y, Y, Y],
    ),
    read(
        "posting: its applications",
        "query($posting: ID!) { posting(id: $posting) { applications(first: 50) { totalCount } } }",
        "posting.applications.totalCount",
        [N, C(4), C(2), C(9), C(9), C(9)],
    ),
    read(
        "teams",
        "{ teams(first: 10) { totalCount } }",
        "teams.totalCount",
        [Y, Y, Y, Y, Y, Y],
    ),
    read(
        "regions",
        "{ regions(first: 10) { totalCount } }",
        "regions.totalCount",
        [Y, Y, Y, Y, Y, Y],
    ),
    read(
        "skills",
        "{ skills(first: 10) { totalCount } }",
        "skills.totalCount",
        [Y, Y, Y, Y, Y, Y],
    ),
    read(
        "countries",
        "{ countries { code } }",
        "countries",
        [Y, Y, Y, Y, Y, Y],
    ),
    read(
        "viewer",
        "{ viewer { role } }",
        "viewer.role",
        [H, Y, Y, Y, Y, Y],
    ),
    // Staff data.
    read(
        "users",
        "{ users(first: 10) { totalCount } }",
        "users.totalCount",
        [N, Y, Y, Y, Y, Y],
    ),
    read(
        "levels",
        "{ levels(first: 10) { totalCount } }",
        "levels.totalCount",
        [N, Y, Y, Y, Y, Y],
    ),
    read(
        "jobFamilies",
        "{ jobFamilies(first: 10) { totalCount } }",
        "jobFamilies.totalCount",
        [N, Y, Y, Y, Y, Y],
    ),
    // Candidates and applications: what each viewer takes part in.
    read(
        "candidates",
        "{ candidates(first: 50) { totalCount } }",
        "candidates.totalCount",
        [N, C(4), C(2), C(10), C(10), C(10)],
    ),
    read(
        "applications",
        "{ applications(first: 50) { totalCount } }",
        "applications.totalCount",
        [N, C(4), C(2), C(10), C(10), C(10)],
    ),
    read(
        "interviews",
        "{ interviews(first: 100) { totalCount } }",
        "interviews.totalCount",
        [N, C(4), C(2), C(30), C(30), C(30)],
    ),
    read(
        "candidate: contact details of one they interview",
        "query($graceCandidate: ID!) { candidate(id: $graceCandidate) { email phone } }",
        "candidate.phone",
        [N, Y, Y, Y, Y, Y],
    ),
    read(
        "candidate: contact details of one they don't",
        "query($adaezeCandidate: ID!) { candidate(id: $adaezeCandidate) { email phone } }",
        "candidate",
        [N, H, H, Y, Y, Y],
    ),
    read(
        "node: a candidate they don't interview",
        "query($adaezeCandidate: ID!) { node(id: $adaezeCandidate) { ... on Candidate { email } } }",
        "node",
        [N, H, H, Y, Y, Y],
    ),
    read(
        "nodes: a candidate they don't interview",
        "query($adaezeCandidate: ID!, $graceCandidate: ID!) { nodes(ids: [$adaezeCandidate, $graceCandidate]) { ... on Candidate { email } } }",
        "nodes.0",
        [N, H, H, Y, Y, Y],
    ),
    read(
        "nodes: a candidate they interview",
        "query($adaezeCandidate: ID!, $graceCandidate: ID!) { nodes(ids: [$adaezeCandidate, $graceCandidate]) { ... on Candidate { email } } }",
        "nodes.1.email",
        [N, Y, Y, Y, Y, Y],
    ),
    read(
        "application: one they take no part in",
        "query($adaeze: ID!) { application(id: $adaeze) { id } }",
        "application",
        [N, H, H, Y, Y, Y],
    ),
    read(
        "interview: someone else's",
        "query($brianScreen: ID!) { interview(id: $brianScreen) { meetingUrl } }",
        "interview",
        [N, H, H, Y, Y, Y],
    ),
    read(
        "nested: the posting's candidates, from an application",
        "query($grace: ID!) { application(id: $grace) { posting { applications(first: 50) { nodes { candidate { email } } } } } }",
        "application.posting.applications.nodes",
        [N, C(4), C(2), C(9), C(9), C(9)],
    ),
    read(
        "nested: a candidate's applications",
        "query($graceCandidate: ID!) { candidate(id: $graceCandidate) { applications(first: 5) { totalCount } } }",
        "candidate.applications.totalCount",
        [N, C(1), C(1), C(1), C(1), C(1)],
    ),
    // Scorecards: an interviewer sees them once they submitted their own.
    read(
        "application: its scorecards",
        "query($grace: ID!) { application(id: $grace) { scorecards { id } } }",
        "application.scorecards",
        [N, N, N, Y, Y, Y],
    ),
    // Offers: salaries are for the posting's hiring manager, recruiters and admins.
    read(
        "application: its offer",
        "query($grace: ID!) { application(id: $grace) { offer { baseSalary { amount } } } }",
        "application.offer.baseSalary.amount",
        [N, N, N, Y, Y, Y],
    ),
    read(
        "nested: an offer from the interviewer's interview",
        "query($graceReview: ID!) { interview(id: $graceReview) { application { offerVersions { baseSalary { amount } } } } }",
        "interview.application.offerVersions",
        [N, N, H, Y, Y, Y],
    ),
    read(
        "nested: an offer from the other manager's interview",
        "query($graceFinal: ID!) { interview(id: $graceFinal) { application { offer { baseSalary { amount } } } } }",
        "interview.application.offer",
        [N, H, N, Y, Y, Y],
    ),
    read(
        "nested: an offer from the candidate",
        "query($graceCandidate: ID!) { candidate(id: $graceCandidate) { applications(first: 5) { nodes { offer { id } } } } }",
        "candidate.applications.nodes.0.offer",
        [N, N, N, Y, Y, Y],
    ),
    read(
        "node: an offer",
        "query($offer: ID!) { node(id: $offer) { ... on Offer { baseSalary { amount } } } }",
        "node",
        [N, N, N, Y, Y, Y],
    ),
    read(
        "nodes: an offer",
        "query($offer: ID!) { nodes(ids: [$offer]) { ... on Offer { baseSalary { amount } } } }",
        "nodes.0",
        [N, N, N, Y, Y, Y],
    ),
    // Compensation: a hiring manager sees the bands of their postings' job families.
    read(
        "geoZones",
        "{ geoZones(first: 10) { totalCount } }",
        "geoZones.totalCount",
        [N, N, Y, Y, Y, Y],
    ),
    read(
        "compensationBands",
        "{ compensationBands(first: 50) { totalCount } }",
        "compensationBands.totalCount",
        [N, N, C(0), Y, Y, Y],
    ),
    read(
        "node: a band",
        "query($band: ID!) { node(id: $band) { ... on CompensationBand { minimum { amount } } } }",
        "node",
        [N, N, H, Y, Y, Y],
    ),
    read(
        "bandSets",
        "{ bandSets(first: 10) { totalCount } }",
        "bandSets.totalCount",
        [N, N, C(1), C(1), C(1), C(1)],
    ),
    read(
        "node: a band set",
        "query($bandSet: ID!) { node(id: $bandSet) { ... on BandSet { name } } }",
        "node",
        [N, N, Y, Y, Y, Y],
    ),
    read(
        "posting: its pay range per zone",
        "query($posting: ID!) { posting(id: $posting) { salaryTiers { geoZone { name } range { minimum { amount } } } } }",
        "posting.salaryTiers",
        [C(3), C(3), C(3), C(3), C(3), C(3)],
    ),
    read(
        "posting: the pay range it was published with",
        "query($posting: ID!) { posting(id: $posting) { publishedSalaryRange { minimum { amount } } salaryRangeOutdated } }",
        "posting.publishedSalaryRange.minimum.amount",
        [Y, Y, Y, Y, Y, Y],
    ),
    read(
        "nested: an offer's band",
        "query($offer: ID!) { node(id: $offer) { ... on Offer { band { minimum { amount } } } } }",
        "node.band.minimum.amount",
        [N, N, N, Y, Y, Y],
    ),
    // Exchange rates and pay floors: everyone who reads compensation.
    read(
        "exchangeRateSets",
        "{ exchangeRateSets(first: 5) { totalCount } }",
        "exchangeRateSets.totalCount",
        [N, N, C(1), C(1), C(1), C(1)],
    ),
    read(
        "node: an exchange rate set",
        "query($rates: ID!) { node(id: $rates) { ... on ExchangeRateSet { rates { rate } } } }",
        "node",
        [N, N, Y, Y, Y, Y],
    ),
    read(
        "payFloors",
        "{ payFloors { id } }",
        "payFloors",
        [N, N, C(1), C(1), C(1), C(1)],
    ),
    read(
        "node: a pay floor",
        "query($floor: ID!) { node(id: $floor) { ... on PayFloor { amount { amount } } } }",
        "node",
        [N, N, Y, Y, Y, Y],
    ),
    // Pay transparency.
    read(
        "payTransparencyRules",
        "{ payTransparencyRules { version rules { code } } }",
        "payTransparencyRules.version",
        [N, Y, Y, Y, Y, Y],
    ),
    read(
        "posting: its pay-transparency verdicts",
        "query($posting: ID!) { posting(id: $posting) { payTransparency { compliant } } }",
        "posting.payTransparency",
        [N, Y, Y, Y, Y, Y],
    ),
    // Pay equity.
    read(
        "payEquity",
        "{ payEquity { cells { offers } } }",
        "payEquity.cells",
        [N, N, N, N, N, Y],
    ),
    // The audit log.
    read(
        "auditEvents",
        "{ auditEvents(first: 5) { totalCount } }",
        "auditEvents.totalCount",
        [N, N, N, N, N, Y],
    ),
    read(
        "node: an audit event",
        "query($event: ID!) { node(id: $event) { ... on AuditEvent { action } } }",
        "node",
        [N, N, N, N, N, Y],
    ),
];

/// One row of the write side: a mutation, its input (`@name` strings are
/// replaced by the ID of that name), and each viewer's cell: `Y` (it is
/// not refused; it may still fail on the record's state) or `N`.
struct Write {
    mutation: &'static str,
    input_type: &'static str,
    input: fn() -> Value,
    cells: [Cell; 6],
}

const fn write(
    mutation: &'static str,
    input_type: &'static str,
    input: fn() -> Value,
    cells: [Cell; 6],
) -> Write {
    Write {
        mutation,
        input_type,
        input,
        cells,
    }
}

const PUBLIC: [Cell; 6] = [Y, Y, Y, Y, Y, Y];
/// The posting's own pipeline: its hiring manager, recruiters and admins.
const PIPELINE: [Cell; 6] = [N, N, N, Y, Y, Y];
const RECRUITING: [Cell; 6] = [N, N, N, N, Y, Y];
const ADMINS: [Cell; 6] = [N, N, N, N, N, Y];

fn later(days: i64, hour: u32) -> String {
    let day = chrono::Utc::now().date_naive() + chrono::Duration::days(days);
    day.and_hms_opt(hour, 0, 0)
        .expect("a time")
        .and_utc()
        .to_rfc3339()
}

/// The write side of the matrix.
const WRITES: &[Write] = &[
    write(
        "applyToPosting",
        "ApplyToPostingInput",
        || json!({ "slug": "senior-backend-engineer-elixir", "email": "ifeoma.nwosu@example.com", "name": "Ifeoma Nwosu", "countryCode": "NG", "consent": true }),
        PUBLIC,
    ),
    write(
        "createPosting",
        "CreatePostingInput",
        || json!({ "title": "Staff Engineer" }),
        [N, N, Y, Y, Y, Y],
    ),
    write(
        "updatePosting",
        "UpdatePostingInput",
        || json!({ "id": "@posting", "openings": 3 }),
        PIPELINE,
    ),
    write(
        "publishPosting",
        "PostingStatusInput",
        || json!({ "id": "@draft" }),
        PIPELINE,
    ),
    write(
        "pausePosting",
        "PostingStatusInput",
        || json!({ "id": "@draft" }),
        PIPELINE,
    ),
    write(
        "resumePosting",
        "PostingStatusInput",
        || json!({ "id": "@draft" }),
        PIPELINE,
    ),
    write(
        "closePosting",
        "ClosePostingInput",
        || json!({ "id": "@draft", "reason": "CANCELLED" }),
        PIPELINE,
    ),
    write(
        "recordPayRangeDisclosure",
        "RecordPayRangeDisclosureInput",
        || json!({ "applicationId": "@adaeze" }),
        PIPELINE,
    ),
    write(
        "sendAssignment",
        "SendAssignmentInput",
        || json!({ "applicationId": "@adaeze", "reviewerIds": ["@recruiter"] }),
        PIPELINE,
    ),
    write(
        "moveApplicationToStage",
        "MoveApplicationToStageInput",
        || json!({ "applicationId": "@adaeze", "stageId": "@stage2", "expectedVersion": "@adaezeVersion" }),
        PIPELINE,
    ),
    write(
        "rejectApplication",
        "RejectApplicationInput",
        || json!({ "applicationId": "@brian", "expectedVersion": "@brianVersion", "reason": "NOT_A_FIT" }),
        PIPELINE,
    ),
    write(
        "withdrawApplication",
        "WithdrawApplicationInput",
        || json!({ "applicationId": "@kofi", "expectedVersion": "@kofiVersion" }),
        PIPELINE,
    ),
    write(
        "reopenApplication",
        "ReopenApplicationInput",
        || json!({ "applicationId": "@samuel", "expectedVersion": "@samuelVersion", "reason": "A second look" }),
        PIPELINE,
    ),
    write(
        "hireApplication",
        "HireApplicationInput",
        || json!({ "applicationId": "@grace", "expectedVersion": "@graceVersion" }),
        PIPELINE,
    ),
    write(
        "scheduleInterview",
        "ScheduleInterviewInput",
        || json!({ "applicationId": "@yasmine", "startsAt": later(10, 9), "endsAt": later(10, 10), "timeZone": "Africa/Casablanca", "interviewerIds": ["@otherManager"] }),
        PIPELINE,
    ),
    write(
        "rescheduleInterview",
        "RescheduleInterviewInput",
        || json!({ "id": "@jeanPaulTechnical", "startsAt": later(11, 9), "endsAt": later(11, 10), "timeZone": "Africa/Kigali" }),
        PIPELINE,
    ),
    write(
        "cancelInterview",
        "CancelInterviewInput",
        || json!({ "id": "@brianScreen", "reason": "The candidate asked to move it" }),
        PIPELINE,
    ),
    write(
        "recordSubmission",
        "RecordSubmissionInput",
        || json!({ "interviewId": "@nourExercise", "submissionUrl": "https://github.com/nour/exercise" }),
        PIPELINE,
    ),
    write(
        "completeInterview",
        "InterviewStatusInput",
        || json!({ "id": "@nourExercise" }),
        PIPELINE,
    ),
    write(
        "markInterviewNoShow",
        "InterviewStatusInput",
        || json!({ "id": "@kofiManager" }),
        PIPELINE,
    ),
    // Only the interview's own interviewers score it, whatever their role.
    write(
        "submitScorecard",
        "SubmitScorecardInput",
        || json!({ "interviewId": "@graceReview", "recommendation": "YES", "ratings": "@graceReviewRatings" }),
        [N, Y, N, N, N, N],
    ),
    write(
        "createOffer",
        "CreateOfferInput",
        || json!({ "applicationId": "@grace", "levelId": "@ic3", "teamId": "@payments", "baseSalary": { "amount": "76450.00", "currency": "USD" } }),
        PIPELINE,
    ),
    write(
        "reviseOffer",
        "ReviseOfferInput",
        || json!({ "offerId": "@offer", "notes": "Signing bonus agreed" }),
        PIPELINE,
    ),
    write(
        "submitOfferForApproval",
        "SubmitOfferForApprovalInput",
        || json!({ "offerId": "@offer" }),
        PIPELINE,
    ),
    write(
        "rejectOfferApproval",
        "RejectOfferApprovalInput",
        || json!({ "offerId": "@offer", "comment": "Start at the midpoint" }),
        [N, N, N, Y, N, Y],
    ),
    write(
        "approveOffer",
        "ApproveOfferInput",
        || json!({ "offerId": "@offer" }),
        [N, N, N, Y, N, Y],
    ),
    write(
        "sendOffer",
        "SendOfferInput",
        || json!({ "offerId": "@offer" }),
        PIPELINE,
    ),
    write(
        "declineOffer",
        "DeclineOfferInput",
        || json!({ "offerId": "@offer" }),
        PIPELINE,
    ),
    write(
        "acceptOffer",
        "AcceptOfferInput",
        || json!({ "offerId": "@offer" }),
        PIPELINE,
    ),
    write(
        "withdrawOffer",
        "WithdrawOfferInput",
        || json!({ "offerId": "@offer" }),
        PIPELINE,
    ),
    write(
        "createCandidate",
        "CreateCandidateInput",
        || json!({ "email": "lindiwe.dlamini@example.com", "name": "Lindiwe Dlamini", "source": "REFERRAL" }),
        RECRUITING,
    ),
    write(
        "updateCandidate",
        "UpdateCandidateInput",
        || json!({ "id": "@graceCandidate", "phone": "+256 772 555 099" }),
        RECRUITING,
    ),
    write(
        "createTeam",
        "CreateTeamInput",
        || json!({ "name": "Growth", "department": "Engineering" }),
        RECRUITING,
    ),
    write(
        "updateTeam",
        "UpdateTeamInput",
        || json!({ "id": "@team", "vertical": "Platform" }),
        RECRUITING,
    ),
    write(
        "createRegion",
        "CreateRegionInput",
        || json!({ "name": "Remote Asia", "countryCodes": ["IN", "JP"] }),
        RECRUITING,
    ),
    write(
        "updateRegion",
        "UpdateRegionInput",
        || json!({ "id": "@region", "name": "Remote Africa (all)" }),
        RECRUITING,
    ),
    write(
        "createSkill",
        "CreateSkillInput",
        || json!({ "name": "Rust" }),
        RECRUITING,
    ),
    write(
        "updateSkill",
        "UpdateSkillInput",
        || json!({ "id": "@skill", "name": "Elixir and OTP" }),
        RECRUITING,
    ),
    write(
        "createJobFamily",
        "CreateJobFamilyInput",
        || json!({ "name": "Data Engineering" }),
        ADMINS,
    ),
    write(
        "updateJobFamily",
        "UpdateJobFamilyInput",
        || json!({ "id": "@family", "name": "Backend Engineering" }),
        ADMINS,
    ),
    write(
        "createLevel",
        "CreateLevelInput",
        || json!({ "code": "IC7", "name": "Distinguished Engineer", "track": "INDIVIDUAL_CONTRIBUTOR", "rank": 70 }),
        ADMINS,
    ),
    write(
        "updateLevel",
        "UpdateLevelInput",
        || json!({ "id": "@ic3", "name": "Senior Engineer" }),
        ADMINS,
    ),
    write(
        "createGeoZone",
        "CreateGeoZoneInput",
        || json!({ "name": "Zone Z" }),
        ADMINS,
    ),
    write(
        "updateGeoZone",
        "UpdateGeoZoneInput",
        || json!({ "id": "@zone", "name": "Zone A (top)" }),
        ADMINS,
    ),
    write(
        "createCompensationBand",
        "CreateCompensationBandInput",
        || json!({ "jobFamilyId": "@family", "levelId": "@ic3", "geoZoneId": "@zone", "currency": "USD", "minimum": "1.00", "maximum": "2.00", "effectiveFrom": "2030-01-01" }),
        ADMINS,
    ),
    write(
        "updateCompensationBand",
        "UpdateCompensationBandInput",
        || json!({ "id": "@band", "maximum": "999999.00" }),
        ADMINS,
    ),
    write(
        "createExchangeRateSet",
        "CreateExchangeRateSetInput",
        || json!({ "name": "Rates 2030", "baseCurrency": "USD", "effectiveOn": "2030-01-01", "source": "test", "rates": [{ "currency": "EUR", "rate": "0.9" }] }),
        ADMINS,
    ),
    write(
        "createPayFloor",
        "CreatePayFloorInput",
        || json!({ "countryCode": "NG", "kind": "STATUTORY", "amount": { "amount": "840000", "currency": "NGN" }, "source": "test" }),
        ADMINS,
    ),
    write(
        "createBandSet",
        "CreateBandSetInput",
        || json!({ "name": "2031 bands" }),
        ADMINS,
    ),
    write(
        "makeBandSetLive",
        "MakeBandSetLiveInput",
        || json!({ "id": "@bandSet", "effectiveFrom": "2031-01-01" }),
        ADMINS,
    ),
    write(
        "republishPostingSalaryRange",
        "RepublishPostingSalaryRangeInput",
        || json!({ "id": "@posting" }),
        PIPELINE,
    ),
    write(
        "createUser",
        "CreateUserInput",
        || json!({ "email": "ana.silva@hiregraph.example", "name": "Ana Silva", "role": "INTERVIEWER" }),
        ADMINS,
    ),
    write(
        "updateUser",
        "UpdateUserInput",
        || json!({ "id": "@interviewer", "timeZone": "Africa/Accra" }),
        ADMINS,
    ),
    write(
        "exportCandidateData",
        "CandidatePrivacyInput",
        || json!({ "candidateId": "@graceCandidate" }),
        ADMINS,
    ),
    write(
        "eraseCandidate",
        "CandidatePrivacyInput",
        || json!({ "candidateId": "@thaboCandidate" }),
        ADMINS,
    ),
];

/// User error codes that mean the test's input is wrong, not that the
/// record's state forbids the change: an allowed cell must not get them.
const INPUT_MISTAKES: [&str; 3] = ["NOT_FOUND", "INVALID", "DUPLICATE"];

/// The IDs the rows refer to, by name, gathered as an admin; the demo
/// posting's offer is made here (as a DRAFT) so that offers can be read.
async fn fixtures(app: &TestApp) -> Map<String, Value> {
    let data = app
        .admin_data(
            r#"{
                posting(slug: "senior-backend-engineer-elixir") { id interviewPlan { id position } }
                draft: posting(slug: "senior-frontend-engineer-react") { id }
                applications(first: 50) { nodes {
                    id version candidate { id name }
                    interviews(first: 20) { nodes { id stage { position assessedSkills { id } } } }
                } }
                compensationBands(first: 1) { nodes { id } }
                teams(first: 50) { nodes { id name } }
                regions(first: 1) { nodes { id } }
                skills(first: 1) { nodes { id } }
                jobFamilies(first: 1) { nodes { id } }
                levels(first: 50) { nodes { id code } }
                geoZones(first: 1) { nodes { id } }
                exchangeRateSets(first: 1) { nodes { id } }
                payFloors { id }
                users(first: 50) { nodes { id email } }
            }"#,
            Value::Null,
        )
        .await;
    let mut ids = Map::new();
    let first = |list: &str| data[list]["nodes"][0]["id"].clone();
    ids.insert("posting".into(), data["posting"]["id"].clone());
    ids.insert("draft".into(), data["draft"]["id"].clone());
    for stage in data["posting"]["interviewPlan"].as_array().expect("a plan") {
        ids.insert(format!("stage{}", stage["position"]), stage["id"].clone());
    }
    for (name, list) in [
        ("band", "compensationBands"),
        ("region", "regions"),
        ("skill", "skills"),
        ("family", "jobFamilies"),
        ("zone", "geoZones"),
        ("rates", "exchangeRateSets"),
    ] {
        ids.insert(name.into(), first(list));
    }
    ids.insert("floor".into(), data["payFloors"][0]["id"].clone());
    let named = |list: &str, key: &str, value: &str| -> Value {
        data[list]["nodes"]
            .as_array()
            .expect("a list")
            .iter()
            .find(|n| n[key] == value)
            .unwrap_or_else(|| panic!("{list}: no {value}"))["id"]
            .clone()
    };
    ids.insert("team".into(), first("teams"));
    ids.insert("payments".into(), named("teams", "name", "Global Payments"));
    ids.insert("ic3".into(), named("levels", "code", "IC3"));
    ids.insert("recruiter".into(), named("users", "email", RECRUITER));
    ids.insert("interviewer".into(), named("users", "email", INTERVIEWER));
    ids.insert(
        "otherManager".into(),
        named("users", "email", OTHER_MANAGER),
    );

    for application in data["applications"]["nodes"]
        .as_array()
        .expect("applications")
    {
        let name = application["candidate"]["name"].as_str().expect("a name");
        let first_name = name
            .split([' ', '-'])
            .next()
            .expect("a first name")
            .to_lowercase();
        let key = match first_name.as_str() {
            "jean" => "jeanPaul".to_owned(),
            other => other.to_owned(),
        };
        ids.insert(key.clone(), application["id"].clone());
        ids.insert(format!("{key}Version"), application["version"].clone());
        ids.insert(
            format!("{key}Candidate"),
            application["candidate"]["id"].clone(),
        );
        for interview in application["interviews"]["nodes"]
            .as_array()
            .expect("interviews")
        {
            let stage = &interview["stage"];
            let label = match stage["position"].as_i64() {
                Some(2) => "Screen",
                Some(3) => "Manager",
                Some(4) => "Exercise",
                Some(5) => "Review",
                Some(6) => "Technical",
                Some(7) => "Final",
                _ => continue,
            };
            ids.insert(format!("{key}{label}"), interview["id"].clone());
            let ratings: Vec<Value> = stage["assessedSkills"]
                .as_array()
                .expect("skills")
                .iter()
                .map(|s| json!({ "skillId": s["id"], "rating": 3 }))
                .collect();
            ids.insert(format!("{key}{label}Ratings"), Value::Array(ratings));
        }
    }

    let offer = app
        .admin_data(
            "mutation($input: CreateOfferInput!) { createOffer(input: $input) { offer { id } userErrors { code } } }",
            json!({ "input": substitute((WRITES.iter().find(|w| w.mutation == "createOffer").expect("a row").input)(), &ids) }),
        )
        .await;
    assert_eq!(
        offer["createOffer"]["userErrors"],
        json!([]),
        "the fixture offer"
    );
    ids.insert("offer".into(), offer["createOffer"]["offer"]["id"].clone());
    let set = app
        .admin_data(
            r#"mutation { createBandSet(input: {name: "Matrix bands"}) { bandSet { id } } }"#,
            Value::Null,
        )
        .await;
    ids.insert(
        "bandSet".into(),
        set["createBandSet"]["bandSet"]["id"].clone(),
    );
    let events = app
        .admin_data("{ auditEvents(first: 1) { nodes { id } } }", Value::Null)
        .await;
    ids.insert(
        "event".into(),
        events["auditEvents"]["nodes"][0]["id"].clone(),
    );
    for (name, id) in &ids {
        assert!(!id.is_null(), "fixture {name} is missing");
    }
    ids
}

/// `input` with every `"@name"` string replaced by the fixture `name`.
fn substitute(input: Value, ids: &Map<String, Value>) -> Value {
    match input {
        Value::String(text) => match text.strip_prefix('@') {
            Some(name) => ids
                .get(name)
                .cloned()
                .unwrap_or_else(|| panic!("no fixture {name}")),
            None => Value::String(text),
        },
        Value::Array(items) => {
            Value::Array(items.into_iter().map(|v| substitute(v, ids)).collect())
        }
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (k, substitute(v, ids)))
                .collect(),
        ),
        other => other,
    }
}

/// The value at `path` (dot-separated keys and list indexes); null when
/// anything on the way is null.
fn at<'v>(value: &'v Value, path: &str) -> &'v Value {
    path.split('.')
        .fold(value, |value, step| match step.parse::<usize>() {
            Ok(index) => &value[index],
            Err(_) => &value[step],
        })
}

/// The tokens of the six viewers, in the order of the columns.
fn tokens(app: &TestApp) -> Vec<Option<String>> {
    VIEWERS
        .iter()
        .map(|(_, who)| who.map(|(email, role)| app.token(email, role)))
        .collect()
}

/// What went wrong in one cell, if anything.
fn check(cell: Cell, anonymous: bool, data: &Value, codes: &[String]) -> Option<String> {
    let refused = if anonymous {
        "UNAUTHENTICATED"
    } else {
        "FORBIDDEN"
    };
    let expected_errors = if cell == N {
        vec![refused.to_owned()]
    } else {
        Vec::new()
    };
    let mut distinct: Vec<String> = codes.to_vec();
    distinct.dedup();
    if distinct != expected_errors {
        return Some(format!(
            "errors {distinct:?}, expected {expected_errors:?}; got {data}"
        ));
    }
    let fine = match cell {
        Y => !data.is_null(),
        H | N => data.is_null(),
        C(n) => {
            data.as_u64()
                .or_else(|| data.as_array().map(|a| a.len() as u64))
                == Some(n)
        }
    };
    (!fine).then(|| format!("got {data}"))
}

#[tokio::test]
async fn every_query_and_sensitive_field_answers_each_viewer_as_the_matrix_says() {
    let app = TestApp::demo().await;
    let asked: BTreeSet<String> = READS
        .iter()
        .flat_map(|row| root_fields(row.query))
        .collect();
    let query_fields = fields_of(&app, "Query").await;
    let missing: Vec<&String> = query_fields.difference(&asked).collect();
    assert!(
        missing.is_empty(),
        "queries with no row in the matrix: {missing:?}"
    );
    let ids = Value::Object(fixtures(&app).await);
    let tokens = tokens(&app);
    let mut wrong = Vec::new();
    for row in READS {
        for (column, token) in tokens.iter().enumerate() {
            let reply = app.graphql(token.as_deref(), row.query, ids.clone()).await;
            let data = at(&reply.body["data"], row.path);
            let codes = reply
                .body
                .get("errors")
                .map(|_| reply.error_codes())
                .unwrap_or_default();
            if let Some(problem) = check(row.cells[column], token.is_none(), data, &codes) {
                wrong.push(format!(
                    "{} / {}: expected {:?}, {problem}",
                    row.what, VIEWERS[column].0, row.cells[column]
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "cells that differ from the matrix:\n{}",
        wrong.join("\n")
    );
}

#[tokio::test]
async fn every_mutation_is_refused_to_whom_the_matrix_says_and_then_writes_nothing() {
    let app = TestApp::demo().await;
    let rows: BTreeSet<String> = WRITES.iter().map(|row| row.mutation.to_owned()).collect();
    let mutations = fields_of(&app, "Mutation").await;
    let missing: Vec<&String> = mutations.difference(&rows).collect();
    assert!(
        missing.is_empty(),
        "mutations with no row in the matrix: {missing:?}"
    );
    let ids = fixtures(&app).await;
    let tokens = tokens(&app);
    let mut wrong = Vec::new();
    for row in WRITES {
        let query = format!(
            "mutation($input: {}!) {{ {}(input: $input) {{ userErrors {{ field code }} }} }}",
            row.input_type, row.mutation
        );
        let variables = json!({ "input": substitute((row.input)(), &ids) });
        let before = app.everything().await;
        for (column, token) in tokens.iter().enumerate() {
            if row.cells[column] != N {
                continue;
            }
            let reply = app
                .graphql(token.as_deref(), &query, variables.clone())
                .await;
            let codes = reply
                .body
                .get("errors")
                .map(|_| reply.error_codes())
                .unwrap_or_default();
            if let Some(problem) = check(N, token.is_none(), &reply.body["data"], &codes) {
                wrong.push(format!(
                    "{} / {}: expected N, {problem}",
                    row.mutation, VIEWERS[column].0
                ));
            }
        }
        if app.everything().await != before {
            wrong.push(format!(
                "{}: a refused call changed the database",
                row.mutation
            ));
        }
        for (column, token) in tokens.iter().enumerate() {
            if row.cells[column] != Y {
                continue;
            }
            let reply = app
                .graphql(token.as_deref(), &query, variables.clone())
                .await;
            let payload = &reply.body["data"][row.mutation];
            let mistakes: Vec<&Value> = payload["userErrors"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|e| INPUT_MISTAKES.iter().any(|code| e["code"] == *code))
                .collect();
            if reply.body.get("errors").is_some() || payload.is_null() || !mistakes.is_empty() {
                wrong.push(format!(
                    "{} / {}: expected Y, got {}",
                    row.mutation, VIEWERS[column].0, reply.body
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "cells that differ from the matrix:\n{}",
        wrong.join("\n")
    );
}

/// The root fields a query asks for (aliases aside).
fn root_fields(query: &str) -> Vec<String> {
    let selection = &query[query.find('{').expect("a selection") + 1..];
    // The words and colons at the top level; a word before a colon is an alias.
    let mut tokens: Vec<String> = Vec::new();
    let mut depth = 0;
    let mut word = String::new();
    for c in selection.chars() {
        if depth == 0 && (c.is_alphanumeric() || c == '_') {
            word.push(c);
            continue;
        }
        if !word.is_empty() {
            tokens.push(std::mem::take(&mut word));
        }
        match c {
            '{' | '(' => depth += 1,
            '}' | ')' => depth -= 1,
            ':' if depth == 0 => tokens.push(":".to_owned()),
            _ => {}
        }
    }
    tokens
        .iter()
        .enumerate()
        .filter(|(i, token)| *token != ":" && tokens.get(i + 1).is_none_or(|next| next != ":"))
        .map(|(_, token)| token.clone())
        .collect()
}

/// The field names of the schema's type `name`.
async fn fields_of(app: &TestApp, name: &str) -> BTreeSet<String> {
    app.admin_data(
        "query($name: String!) { __type(name: $name) { fields { name } } }",
        json!({ "name": name }),
    )
    .await["__type"]["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| f["name"].as_str().expect("a name").to_owned())
        .collect()
}
