"""English day and month names for markup built in Python (the comment list, the progress
tables, the clients table): row after row, a lookup costs less than strftime or the
template's date filter. English only, as the rest of the interface."""

WEEKDAYS_SHORT = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
MONTHS_SHORT = tuple(name[:3] for name in MONTHS)
