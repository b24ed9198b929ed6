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
REASON_SUFFIX = " Reason: {reason}."

DIGEST_TITLE = "{count} suggestions waiting for review"
DIGEST_BODY_HEAD = "Suggestions waiting for your review:\n"
DIGEST_BODY_LINE = "- {role} ({organization}): {count}\n"

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
