//! hiregraph's SeaORM entities: one module per table, plus the string-backed
//! enums they store. Nothing here knows about GraphQL; the API crate wraps
//! these models in its own types.

pub mod enums;

pub mod application;
pub mod application_answer;
pub mod audit_event;
pub mod band_set;
pub mod candidate;
pub mod candidate_self_identification;
pub mod compensation_band;
pub mod exchange_rate;
pub mod exchange_rate_set;
pub mod geo_zone;
pub mod geo_zone_country;
pub mod interview;
pub mod interview_interviewer;
pub mod interview_stage;
pub mod interview_stage_skill;
pub mod job_family;
pub mod level;
pub mod offer;
pub mod offer_approval;
pub mod pay_floor;
pub mod pay_range_disclosure;
pub mod pay_transparency_override;
pub mod posting;
pub mod posting_level;
pub mod posting_question;
pub mod posting_region;
pub mod posting_responsibility;
pub mod posting_section;
pub mod posting_skill;
pub mod posting_team;
pub mod region;
pub mod region_country;
pub mod scorecard;
pub mod scorecard_rating;
pub mod skill;
pub mod stage_transition;
pub mod team;
pub mod user;
