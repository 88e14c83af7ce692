"""The practice section of the member's page (/me/), offered to the `me` floor: programs
in progress and the latest logs."""

from typing import Any

from homestretch.accounts.models import User
from homestretch.programs.models import ClinicianClearance, PracticeLog
from homestretch.programs.state import current_programs


def practice_section(user: User) -> dict[str, Any]:
    return {
        "my_programs": current_programs(user),
        "recent_logs": PracticeLog.objects.filter(user=user).select_related(
            "sequence", "custom_version"
        )[:5],
        # The member's own statements after a red flag, shown back to them with their dates.
        "clearances": ClinicianClearance.objects.filter(user=user).select_related(
            "self_check__program"
        )[:10],
    }
