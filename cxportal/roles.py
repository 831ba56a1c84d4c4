"""The editorial roles: Django groups, made by a data migration (cxportal/migrations/0001_roles.py).

- OMB publisher: edits and publishes everything (publish, unpublish, archive).
- OMB editor: edits everything, but cannot publish, unpublish or archive.
- Agency editor: edits only the HISPs of the agencies set on the user (`hisps.AgencyEditor`), their
  services, quarterly reports, surveys, survey results and documents; can submit them for review, but
  cannot publish, and sees nothing of other agencies. The limit is `hisps.admin.AgencyScopedAdmin`.

What a role may do is enforced on the server: these permissions, the admin's querysets and its
`has_*_permission` methods. A change here needs a new migration that runs `create_roles` again.
"""

EVERYTHING = ("view", "add", "change", "delete")

CONTENT_MODELS = (
    "hisps.Agency",
    "hisps.Hisp",
    "hisps.Service",
    "hisps.LegacyPath",
    "hisps.CxMeasure",
    "hisps.QuarterlyReport",
    "hisps.ServiceSurvey",
    "hisps.SurveyResult",
    "hisps.LegacyScore",
    "hisps.Document",
    "priorities.PriorityArea",
    "priorities.SuccessMetric",
    "priorities.Leader",
    "priorities.Strategy",
    "priorities.Goal",
    "priorities.ProgressUpdate",
    "priorities.Highlight",
    "priorities.LifeExperience",
    "priorities.LifeExperienceStat",
    "priorities.LifeExperienceProject",
    "milestones.Milestone",
    "milestones.MilestoneUpdate",
)

# The models of a HISP's own data, which an agency editor keeps for its agencies.
AGENCY_MODELS = (
    "hisps.Hisp",
    "hisps.Service",
    "hisps.QuarterlyReport",
    "hisps.ServiceSurvey",
    "hisps.SurveyResult",
    "hisps.Document",
)

OMB_PUBLISHER = "OMB publisher"
OMB_EDITOR = "OMB editor"
AGENCY_EDITOR = "Agency editor"

# The fiscal quarters of HISP reporting (not content: they have no page of their own).
PERIODS = "hisps.ReportingPeriod"

# Held by OMB's roles: every agency's HISP data, not only the user's own agencies'.
ALL_AGENCIES = {"hisps.AgencyEditor": ("all_agencies",)}

ROLES = {
    OMB_PUBLISHER: {
        **{label: (*EVERYTHING, "publish") for label in CONTENT_MODELS},
        **ALL_AGENCIES,
        # Opens, closes and publishes the quarters.
        PERIODS: ("view", "add", "change", "publish"),
    },
    OMB_EDITOR: {
        **{label: EVERYTHING for label in CONTENT_MODELS},
        **ALL_AGENCIES,
        PERIODS: ("view",),
    },
    AGENCY_EDITOR: {
        **{label: ("view", "add", "change") for label in AGENCY_MODELS},
        # To choose them in its forms: its own agencies, and the A-11 measures.
        "hisps.Agency": ("view",),
        "hisps.CxMeasure": ("view",),
        # To see which quarter is open.
        PERIODS: ("view",),
    },
}
