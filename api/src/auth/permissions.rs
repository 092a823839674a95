//! What each role may do. Every resolver that reads or writes something other
//! than public careers data asks [`authorize`] first; the README's
//! authorization table is this file in prose.

use entity::enums::Role;
use entity::posting;

use super::viewer::{StaffViewer, Viewer};
use crate::error::ApiError;

/// Something a viewer may or may not do.
#[derive(Clone, Copy, Debug)]
pub enum Action<'a> {
    /// Read internal hiring data: candidates, applications, interviews, staff,
    /// unpublished postings. Any staff role.
    ReadHiringData,
    /// Read compensation structure and bands. Admins, recruiters, hiring managers.
    ReadCompensation,
    /// Create and edit staff users. Admins.
    ManageUsers,
    /// Create and edit teams, regions and skills. Admins and recruiters.
    ManageReferenceData,
    /// Create and edit job families, levels, geo zones and bands. Admins.
    ManageCompensation,
    /// Create and edit candidates. Admins and recruiters.
    ManageCandidates,
    /// Create postings. Admins, recruiters, hiring managers.
    CreatePosting,
    /// Edit this posting. Admins and recruiters; hiring managers their own.
    EditPosting(&'a posting::Model),
    /// Run this posting's pipeline: publish, move, reject, schedule, offer.
    /// Admins and recruiters; hiring managers their own postings.
    RunPipeline(&'a posting::Model),
    /// Approve an offer on this posting. Admins, and its hiring manager.
    ApproveOffer(&'a posting::Model),
    /// Read the audit log. Admins.
    ReadAudit,
    /// Export or erase a candidate's data. Admins.
    ManagePrivacy,
    /// Read the pay-equity report. Admins.
    ReadPayEquity,
    /// Read the offers (salaries) made on this posting. Admins, recruiters,
    /// and its hiring manager; not other hiring managers who interview.
    ReadOffers(&'a posting::Model),
}

impl Action<'_> {
    fn describe(&self) -> &'static str {
        match self {
            Action::ReadHiringData => "read hiring data",
            Action::ReadCompensation => "read compensation data",
            Action::ManageUsers => "manage staff users",
            Action::ManageReferenceData => "manage teams, regions and skills",
            Action::ManageCompensation => "manage levels, geo zones, job families and bands",
            Action::ManageCandidates => "manage candidates",
            Action::CreatePosting => "create postings",
            Action::EditPosting(_) => "edit this posting",
            Action::RunPipeline(_) => "run this posting's pipeline",
            Action::ApproveOffer(_) => "approve offers on this posting",
            Action::ReadOffers(_) => "read the offers of this posting",
            Action::ReadAudit => "read the audit log",
            Action::ManagePrivacy => "export or erase candidates' data",
            Action::ReadPayEquity => "read the pay-equity report",
        }
    }

    fn allows(&self, staff: &StaffViewer) -> bool {
        use Role::*;
        let role = staff.role;
        match self {
            Action::ReadHiringData => true,
            Action::ReadCompensation => matches!(role, Admin | Recruiter | HiringManager),
            Action::ManageUsers
            | Action::ManageCompensation
            | Action::ReadAudit
            | Action::ManagePrivacy
            | Action::ReadPayEquity => role == Admin,
            Action::ManageReferenceData | Action::ManageCandidates => {
                matches!(role, Admin | Recruiter)
            }
            Action::CreatePosting => matches!(role, Admin | Recruiter | HiringManager),
            Action::EditPosting(posting)
            | Action::RunPipeline(posting)
            | Action::ReadOffers(posting) => match role {
                Admin | Recruiter => true,
                HiringManager => posting.hiring_manager_id == Some(staff.id()),
                Interviewer => false,
            },
            Action::ApproveOffer(posting) => match role {
                Admin => true,
                HiringManager => posting.hiring_manager_id == Some(staff.id()),
                Recruiter | Interviewer => false,
            },
        }
    }
}

/// The staff viewer if they may do `action`; UNAUTHENTICATED for anonymous
/// callers and FORBIDDEN for staff whose role does not allow it.
pub fn authorize<'v>(viewer: &'v Viewer, action: Action<'_>) -> Result<&'v StaffViewer, ApiError> {
    let staff = viewer.staff()?;
    if action.allows(staff) {
        Ok(staff)
    } else {
        Err(ApiError::forbidden(format!(
            "your role does not allow you to {}",
            action.describe()
        )))
    }
}
