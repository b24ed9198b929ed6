"""Every text a notification carries, as constants (tests import them). ``{placeholders}`` are
filled with ``str.format``."""

OFFERED_TITLE = "New role offered: {role}"
OFFERED_BODY = (
    'Hello {volunteer},\n\n{organization} would like you to join them as "{role}".\n'
    "Open Kindred Match to read the details and accept or decline the offer.\n"
)
ACCEPTED_TITLE = "{volunteer} accepted {role}"
ACCEPTED_BODY = '{volunteer} accepted the offer for "{role}" at {organization}.\n'
DECLINED_TITLE = "{volunteer} declined {role}"
DECLINED_BODY = '{volunteer} declined the offer for "{role}" at {organization}.{reason}\n'
WITHDRAWN_TITLE = "Match withdrawn: {role}"
WITHDRAWN_BODY_TO_VOLUNTEER = (
    'Hello {volunteer},\n\nYour match with "{role}" at {organization} was withdrawn.{reason}\n'
    "We are sorry; Kindred Match will keep suggesting roles that fit you.\n"
)
WITHDRAWN_BODY_TO_COORDINATOR = (
    'The match of {volunteer} with "{role}" at {organization} was withdrawn.{reason}\n'
)
COMPLETED_TITLE = "Match completed: {role}"
COMPLETED_BODY = (
    'The match of {volunteer} with "{role}" at {organization} is complete. '
    "Thank you! You can now leave a rating.\n"
)
ON_HOLD_TITLE = "Match on hold: {role}"
ON_HOLD_BODY_TO_VOLUNTEER = (
    'Hello {volunteer},\n\nYour match with "{role}" at {organization} is on hold.{reason}\n'
    "Your place is kept: once it is valid again (renew it and update your profile), the match "
    "resumes.\n"
)
ON_HOLD_BODY_TO_COORDINATOR = (
    'The match of {volunteer} with "{role}" at {organization} is on hold: they must not '
    "volunteer in this role until it resumes.{reason}\n"
)
RESUMED_TITLE = "Match resumed: {role}"
RESUMED_BODY = (
    'The match of {volunteer} with "{role}" at {organization} is {status} again.{reason}\n'
)
INTEREST_DECLINED_TITLE = "Your request for {role} was declined"
INTEREST_DECLINED_BODY = (
    'Hello {volunteer},\n\n{organization} read your request for "{role}" and will not take it '
    "further.{reason}\nOther roles for you are in Kindred Match, under Roles for you.\n"
)
#: To the role's coordinators. It names neither the volunteer nor their message (both are on the
#: Asked by volunteers page): a notice stays in a coordinator's list after the volunteer's erasure.
INTEREST_RECEIVED_TITLE = "A volunteer is interested in {role}"
INTEREST_RECEIVED_BODY = (
    'A volunteer said they are interested in "{role}" at {organization}. Open Kindred Match, '
    "Review queue, Asked by volunteers, to accept or decline.\n"
)
REASON_SUFFIX = " Reason: {reason}."
#: A system transition's reason with the rules behind it, in words.
SYSTEM_REASON = "{label}: {rules}"

DIGEST_TITLE = "{count} suggestions waiting for review"
DIGEST_BODY_HEAD = "Suggestions waiting for your review:\n"
DIGEST_BODY_LINE = "- {role} ({organization}): {count}, {link}\n"
DIGEST_BODY_FOOT = "\nThe whole queue: {link}\n"

TRAINING_EXPIRY_TITLE = "Your {training} expires on {date}"
TRAINING_EXPIRY_BODY = (
    'Hello {volunteer},\n\nYour {training} expires on {date}. "{role}" requires it: please '
    "renew it and update your profile so you can keep volunteering.\n"
)
CHECK_EXPIRY_TITLE = "Your background check expires on {date}"
CHECK_EXPIRY_BODY = (
    'Hello {volunteer},\n\nYour background check expires on {date}. "{role}" requires one: '
    "please renew it so you can keep volunteering.\n"
)

COORDINATOR_TRAINING_EXPIRY_TITLE = "{volunteer}'s {training} expires on {date}"
COORDINATOR_CHECK_EXPIRY_TITLE = "{volunteer}'s background check expires on {date}"
COORDINATOR_EXPIRY_BODY = (
    '{volunteer} volunteers as "{role}", which requires a valid {item}. It expires on {date}; '
    "after that day the match goes on hold until it is renewed.\n"
)
