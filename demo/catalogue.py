"""The demo's own roles (``demo.data.roles``), dated from the seeding day.

Every role opened a week ago; seasonal ones end six months from today, a year's mentoring twelve.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from demo.data.roles import DEMO_ROLES
from demo.specs import RoleSpec, add_months


def demo_role_specs(*, today: dt.date) -> list[RoleSpec]:
    started = today - dt.timedelta(days=7)
    return [
        dataclasses.replace(
            role.spec,
            starts_on=started,
            ends_on=(
                None
                if role.ends_after_months is None
                else add_months(today, role.ends_after_months)
            ),
        )
        for role in DEMO_ROLES
    ]
